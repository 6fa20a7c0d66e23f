/** Calendar arithmetic on ISO dates (YYYY-MM-DD), in UTC so that no time zone moves a day. */

const DAY_MS = 86_400_000;

export function toMs(iso: string): number {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return Date.UTC(y, m - 1, d);
}

export function fromMs(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

export function addDays(iso: string, days: number): string {
  return fromMs(toMs(iso) + days * DAY_MS);
}

/** Days from a to b (b - a). */
export function diffDays(a: string, b: string): number {
  return Math.round((toMs(b) - toMs(a)) / DAY_MS);
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Same day n months later, clamped to the end of a shorter month (Jan 31 + 1 month = Feb 28). */
export function addMonths(iso: string, months: number): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const nd = Math.min(d, daysInMonth(ny, nm));
  return `${String(ny).padStart(4, '0')}-${String(nm).padStart(2, '0')}-${String(nd).padStart(2, '0')}`;
}

export function monthStart(iso: string): string {
  return `${iso.slice(0, 7)}-01`;
}

export function monthEnd(iso: string): string {
  return addDays(addMonths(monthStart(iso), 1), -1);
}

/** Month starts from the month of `from` to the month of `to`, both included. */
export function monthsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = monthStart(from); m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

export function minDate(a: string, b: string): string {
  return a < b ? a : b;
}

export function maxDate(a: string, b: string): string {
  return a > b ? a : b;
}

/** ISO date to the en-US style of the reconciliation files: M/D/YYYY. */
export function usDate(iso: string): string {
  const [y, m, d] = iso.slice(0, 10).split('-').map(Number);
  return `${m}/${d}/${y}`;
}

/** ISO timestamp "YYYY-MM-DD HH:MM:SS" to en-US "M/D/YYYY H:MM:SS". */
export function usTimestamp(iso: string): string {
  const time = iso.length > 10 ? iso.slice(11, 19) : '00:00:00';
  const [h, mi, s] = time.split(':');
  return `${usDate(iso)} ${Number(h)}:${mi}:${s ?? '00'}`;
}

/** A timestamp on a date: "YYYY-MM-DD HH:MM:SS". */
export function timestamp(iso: string, hour: number, minute: number, second = 0): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${iso.slice(0, 10)} ${p(hour)}:${p(minute)}:${p(second)}`;
}

/** A uniformly drawn date in [from, to]. */
export function dateBetween(next: () => number, from: string, to: string): string {
  const span = diffDays(from, to);
  return addDays(from, Math.floor(next() * (span + 1)));
}
