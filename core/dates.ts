/**
 * Calendar dates as ISO strings (YYYY-MM-DD). Everything is computed on UTC day numbers, so no
 * local time zone or daylight-saving change can shift a day. ISO strings compare correctly as
 * strings (a < b), which the billing rules rely on.
 */

const MS_PER_DAY = 86_400_000;

export interface CalendarDate {
  year: number;
  month: number; // 1-12
  day: number;
}

export function parseIsoDate(text: string): CalendarDate {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  if (!match) throw new Error(`not an ISO date (YYYY-MM-DD): '${text}'`);
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) throw new Error(`no such date: '${text}'`);
  return { year, month, day };
}

export function formatIsoDate({ year, month, day }: CalendarDate): string {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function isLeapYear(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeapYear(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
}

/** Days since 1970-01-01 (UTC). */
export function toDayNumber(date: string): number {
  const { year, month, day } = parseIsoDate(date);
  return Date.UTC(year, month - 1, day) / MS_PER_DAY;
}

export function fromDayNumber(dayNumber: number): string {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

export function addDays(date: string, days: number): string {
  return fromDayNumber(toDayNumber(date) + days);
}

/**
 * Adds whole months keeping the day of the month, clamped to the end of shorter months
 * (Jan 31 + 1 month = Feb 28 or 29). Always count from the original anniversary
 * (addMonths(start, n)), not month by month, or Jan 31 would drift to the 28th for good.
 */
export function addMonths(date: string, months: number): string {
  const { year, month, day } = parseIsoDate(date);
  const index = year * 12 + (month - 1) + months;
  const y = Math.floor(index / 12);
  const m = index - y * 12 + 1;
  return formatIsoDate({ year: y, month: m, day: Math.min(day, daysInMonth(y, m)) });
}

/** Whole months from a to b when b is a month-anniversary of a (clamping included), else undefined. */
export function monthsBetween(from: string, to: string): number | undefined {
  const a = parseIsoDate(from);
  const b = parseIsoDate(to);
  const months = (b.year - a.year) * 12 + (b.month - a.month);
  return addMonths(from, months) === to ? months : undefined;
}

/** Days from a to b (b - a); 0 for the same day. */
export function daysBetween(from: string, to: string): number {
  return toDayNumber(to) - toDayNumber(from);
}

/** Days in the period from `start` to `end`, both days included (1/13 - 1/31 is 19 days). */
export function daysInclusive(start: string, end: string): number {
  const days = daysBetween(start, end) + 1;
  if (days < 0) throw new Error(`period ends before it starts: ${start} - ${end}`);
  return days;
}

export const maxDate = (a: string, b: string): string => (a > b ? a : b);
export const minDate = (a: string, b: string): string => (a < b ? a : b);

/**
 * The first date on or after `date` that falls on day `dayOfMonth` of its month, clamped to the
 * month's last day (a billing day of 31 is Feb 28 in February). This is "the billing date on or
 * after", i.e. the invoice that picks up something that happened on `date`.
 */
export function nextDayOfMonth(date: string, dayOfMonth: number): string {
  if (!Number.isInteger(dayOfMonth) || dayOfMonth < 1 || dayOfMonth > 31) throw new Error(`day of month must be 1..31, got ${dayOfMonth}`);
  const { year, month } = parseIsoDate(date);
  for (let i = 0; ; i++) {
    const index = year * 12 + (month - 1) + i;
    const y = Math.floor(index / 12);
    const m = index - y * 12 + 1;
    const candidate = formatIsoDate({ year: y, month: m, day: Math.min(dayOfMonth, daysInMonth(y, m)) });
    if (candidate >= date) return candidate;
  }
}

/** The first day of the date's month. */
export function monthStart(date: string): string {
  return `${date.slice(0, 7)}-01`;
}

/** The last day of the date's month. */
export function monthEnd(date: string): string {
  return addDays(addMonths(monthStart(date), 1), -1);
}

/** Month starts from the month of `from` to the month of `to`, both included. */
export function monthStartsBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = monthStart(from); m <= to; m = addMonths(m, 1)) out.push(m);
  return out;
}

export type DateInput = string | Date | null | undefined;

/** A calendar date as YYYY-MM-DD (the Date scalar gives a Date at UTC midnight). */
export function isoDate(value: DateInput): string | null {
  if (value == null) return null;
  return value instanceof Date ? value.toISOString().slice(0, 10) : value;
}
