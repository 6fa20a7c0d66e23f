/**
 * "Now" for the referral rules (the 14-day expiry, the timestamps mutations write).
 *
 *   PI_TODAY=2024-03-20              now is 2024-03-20T00:00:00Z (start of that day, UTC)
 *   PI_TODAY=2024-03-20T15:30:00Z    now is exactly that instant
 *   (unset)                          the system clock
 *
 * Read on every call (not cached), so tests and batch jobs can set it; a malformed value is an
 * error rather than a silent fallback to the system clock.
 */
export function referralNow(env: NodeJS.ProcessEnv = process.env): Date {
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
