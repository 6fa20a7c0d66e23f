import { badUserInput } from '../../core/errors';
import { addMonths } from '../../core/dates';

/**
 * The report month: 'YYYY-MM' on the outside, 'YYYY-MM-01' inside (the insights engine's month
 * keys). The report compares the month with the one before and with the same month a year earlier.
 */
export const MONTH_FORMAT = 'YYYY-MM';
const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** 'YYYY-MM' -> 'YYYY-MM-01'; BAD_USER_INPUT naming the format otherwise. */
export function parseReportMonth(value: string | null | undefined): string {
  const text = (value ?? '').trim();
  if (!MONTH.test(text)) {
    throw badUserInput(`month must be ${MONTH_FORMAT} (for example 2026-05)${value ? `, not "${value}"` : ''}`, 'month', { format: MONTH_FORMAT });
  }
  return `${text}-01`;
}

export interface ReportMonths {
  /** The report month, 'YYYY-MM-01'. */
  month: string;
  previousMonth: string;
  previousYear: string;
  /** First month of the trend charts (the same month a year earlier: 13 points). */
  trendFrom: string;
}

export function reportMonths(month: string): ReportMonths {
  return { month, previousMonth: addMonths(month, -1), previousYear: addMonths(month, -12), trendFrom: addMonths(month, -12) };
}

/** Last calendar day of a month, 'YYYY-MM-DD'. */
export function lastDayOf(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
}

const NAMES = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** 'YYYY-MM(-DD)' -> 'May 2026'. */
export function monthName(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${NAMES[m - 1]} ${y}`;
}

/** 'YYYY-MM(-DD)' -> 'May 26' (chart axes). */
export function shortMonthName(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${NAMES[m - 1].slice(0, 3)} ${String(y).slice(2)}`;
}
