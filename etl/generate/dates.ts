/**
 * Dates as the generator writes them into files (en-US M/D/YYYY, timestamps) and random dates.
 * Calendar arithmetic itself is core/dates.ts.
 */
import { addDays, daysBetween } from '../../core/dates';

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
  const span = daysBetween(from, to);
  return addDays(from, Math.floor(next() * (span + 1)));
}
