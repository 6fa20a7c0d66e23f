/**
 * "Now" for every date rule of the product (the referral 14-day expiry, subscription event dates,
 * suspension expiry and cancellation windows, how far expected charges go):
 *
 *   PI_TODAY=2024-03-20              now is 2024-03-20T00:00:00Z (start of that day, UTC)
 *   PI_TODAY=2024-03-20T15:30:00Z    now is exactly that instant
 *   (unset)                          the system clock
 *
 * Read on every call (not cached), so tests and batch jobs can set it; a malformed value is an
 * error rather than a silent fallback to the system clock. Dates come from here (insights/compile.ts
 * only checks whether PI_TODAY is set, to pick the reports' as-of month: PI_TODAY's month, else the
 * latest month with data; PCI without a date scores that same month, insights/pci defaultPciDay).
 * A GraphQL request reads it once (resolvers/common/context.ts: ctx.now, ctx.today) and its
 * resolvers pass that instant or day to the warehouse functions; the CLI, exports and background
 * jobs call it directly.
 */
export function now(env: NodeJS.ProcessEnv = process.env): Date {
  const raw = env.PI_TODAY?.trim();
  if (!raw) return new Date();
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?)Z?)?$/.exec(raw);
  const date = m ? new Date(`${m[1]}T${m[2] ? (m[2].length === 5 ? `${m[2]}:00` : m[2]) : '00:00:00'}Z`) : null;
  if (!date || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== m![1]) {
    throw new Error(`PI_TODAY must be YYYY-MM-DD or YYYY-MM-DDTHH:MM:SSZ (UTC), got "${raw}"`);
  }
  return date;
}

/** A Date as a DuckDB TIMESTAMP literal value (UTC, second precision): "2024-03-20 15:30:00". */
export function sqlTimestamp(at: Date): string {
  return at.toISOString().slice(0, 19).replace('T', ' ');
}

/** A Date as its UTC calendar day, "2024-03-20". */
export function isoDay(at: Date): string {
  return at.toISOString().slice(0, 10);
}

/** Today as a UTC calendar day, "2024-03-20" (PI_TODAY's day when set). */
export function today(env: NodeJS.ProcessEnv = process.env): string {
  return isoDay(now(env));
}
