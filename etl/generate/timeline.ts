import { addDays, addMonths, daysBetween, monthStart } from '../../core/dates';
import type { Partner, Timeline } from './model';

export const DEFAULT_AS_OF = '2026-10-31';
export const DEFAULT_MONTHS = 15;
/** Functional consultant growth is measured against this snapshot (the PCI baseline, moved to the demo's years). */
export const PCI_BASELINE = '2025-10-01';

export function buildTimeline(asOf = DEFAULT_AS_OF, months = DEFAULT_MONTHS): Timeline {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(asOf))) throw new Error(`as-of date must be YYYY-MM-DD, not "${asOf}"`);
  if (!Number.isInteger(months) || months < 1 || months > 120) throw new Error(`months must be 1..120, not ${months}`);
  const start = addMonths(monthStart(asOf), -(months - 1));
  return {
    asOf,
    start,
    months,
    pciBaseline: PCI_BASELINE,
  };
}

/** The partner's billing date in the month of `iso`. */
function billingDateIn(iso: string, day: number): string {
  return `${iso.slice(0, 7)}-${String(day).padStart(2, '0')}`;
}

/**
 * The invoice dates of a partner: its billing dates after the history starts, up to the first billing
 * date after the as-of date (that invoice carries the as-of month's usage).
 */
export function invoiceDates(partner: Partner, timeline: Timeline): string[] {
  const dates: string[] = [];
  for (let m = monthStart(timeline.start); ; m = addMonths(m, 1)) {
    const d = billingDateIn(m, partner.billingDay);
    if (d <= timeline.start) continue;
    dates.push(d);
    if (d > timeline.asOf) break;
  }
  return dates;
}

/** The billing period an invoice closes: from the previous billing date to the day before this one. */
export function billingPeriod(invoiceDate: string): { start: string; end: string; days: number } {
  const start = addMonths(invoiceDate, -1);
  const end = addDays(invoiceDate, -1);
  return { start, end, days: daysBetween(start, end) + 1 };
}
