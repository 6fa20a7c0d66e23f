/**
 * The subscription lifecycle rules of the Partner Center documentation (reference seed 001), as
 * pure functions over dates (ISO strings). The mutations (./create.ts, ./change.ts) check them; the
 * expected charges (./charges.ts) follow them.
 *
 * - Create, suspend, cancel (line 14458): a suspended subscription's data is deleted "unless the
 *   subscription is reactivated within 90 days, or 90 days plus the number of days between the time
 *   the account was opened and the first billing period (maximum 120 days)". We read "the account was
 *   opened" as the subscription's created date and "the first billing period" as the partner's first
 *   billing date on or after it. Past that date the subscription cannot be reactivated; the demo
 *   data (etl/generate/subscriptions.ts) shows such a subscription as Disabled.
 * - Cancellation:
 *   - license-based SaaS from third-party ISV publishers (line 14458, "Cancel a subscription"):
 *     monthly billing "less than 24 hours after you placed the order", annual "less than 14 days
 *     after"; later "the cancellation will be scheduled to occur at renewal" and "you will no longer
 *     see the option to cancel" (i.e. turn auto-renew off instead). Dates carry no time of day, so
 *     the 24 hours are the order day itself, and the 14 days the order day and the 13 days after it.
 *     Within the window the credit is full.
 *   - Microsoft license-based subscriptions (line 10522, "License cancellation"): "You can cancel a
 *     license at any point during the license term"; credit 100% in month 1, prorated in months
 *     2-12 (the billing rules do this).
 *   - usage-based services "are not eligible for return" but "can be de-provisioned as a
 *     cancellation method" (line 14458): any time, no refund.
 *   - anything else (reserved instances): the documentation gives no cancellation rule; refused.
 * - Trials (line 14634): 30 days, 25 licenses that cannot be changed, free, one per customer and
 *   offer and none for an offer the customer already owns, no automatic conversion.
 */
import type { SubscriptionStatus } from '../../core/vocabulary';
import { addDays, addMonths, daysBetween, nextDayOfMonth } from '../../core/dates';

export const SUSPENSION_DAYS = 90;
export const MAX_SUSPENSION_DAYS = 120;
export const TRIAL_DAYS = 30;
export const TRIAL_LICENSES = 25;
/** All license-based subscriptions have a 12-month paid term (line 10522). */
export const TERM_MONTHS = 12;

/** The states each action is allowed from. */
export const ALLOWED_STATES = {
  changeQuantity: ['Active'],
  suspend: ['Active'],
  reactivate: ['Suspended'],
  cancel: ['Active', 'Suspended'],
  setAutoRenew: ['Active'],
  setResellerMpnId: ['Active', 'Suspended', 'InGracePeriod'],
} as const satisfies Record<string, readonly SubscriptionStatus[]>;

export type LifecycleAction = keyof typeof ALLOWED_STATES;

export function isAllowed(action: LifecycleAction, status: string): boolean {
  return (ALLOWED_STATES[action] as readonly string[]).includes(status);
}

/** A product of a third-party (ISV) publisher: the commercial marketplace. */
export function isIsvProduct(product: { productFamily?: string | null; publisherName?: string | null } | null | undefined): boolean {
  if (!product) return false;
  if (product.productFamily === 'Marketplace') return true;
  return product.publisherName != null && product.publisherName.trim() !== '' && !/^microsoft\b/i.test(product.publisherName.trim());
}

/** The last day a suspended subscription can be reactivated (see the header). */
export function suspensionExpiryDate(createdDate: string, suspendedDate: string, billingDay: number): string {
  const firstBillingDate = nextDayOfMonth(createdDate, billingDay);
  const days = Math.min(MAX_SUSPENSION_DAYS, SUSPENSION_DAYS + Math.max(0, daysBetween(createdDate, firstBillingDate)));
  return addDays(suspendedDate, days);
}

export type CancellationPolicy =
  /** Microsoft license-based: any time during the term; 100% credit in month 1, prorated after. */
  | { kind: 'license' }
  /** ISV license-based SaaS: only from orderDate through lastDay (inclusive); full credit. */
  | { kind: 'isv'; orderDate: string; lastDay: string; window: '24 hours' | '14 days'; billingFrequency: string }
  /** Usage-based: de-provisioned, no refund. */
  | { kind: 'usage' }
  /** No documented way to cancel. */
  | { kind: 'none'; reason: string };

export interface CancellationFacts {
  billingType: string;
  billingFrequency: string | null;
  createdDate: string;
  isv: boolean;
}

export function cancellationPolicy(sub: CancellationFacts): CancellationPolicy {
  if (sub.billingType === 'Usage') return { kind: 'usage' };
  if (sub.isv) {
    const annual = sub.billingFrequency === 'Annual';
    return {
      kind: 'isv',
      orderDate: sub.createdDate,
      lastDay: annual ? addDays(sub.createdDate, 13) : sub.createdDate,
      window: annual ? '14 days' : '24 hours',
      billingFrequency: sub.billingFrequency ?? 'Monthly',
    };
  }
  if (sub.billingType === 'License') return { kind: 'license' };
  return {
    kind: 'none',
    reason:
      'Partner Center documents cancellation for license-based subscriptions (any time in the term), ' +
      'license-based SaaS subscriptions of ISV publishers (24 hours monthly, 14 days annual) and usage-based services ' +
      '(de-provisioning); not for this one-time purchase',
  };
}

/** Whether a cancellation on `date` falls in an ISV window (and so gets full credit). */
export function withinIsvWindow(policy: CancellationPolicy, date: string): boolean {
  return policy.kind === 'isv' && date >= policy.orderDate && date <= policy.lastDay;
}

/**
 * The next anniversary on or after `today`: license-based subscriptions are billed in advance on the
 * day of the month they were purchased (line 10522), every month (monthly billing) or every year
 * (annual). Null for subscriptions without a billing cycle (usage, one-time) or that have ended.
 */
export function nextAnniversary(
  sub: { billingFrequency: string | null; termStartDate: string | null; createdDate: string; canceledDate: string | null; status: string },
  today: string,
): string | null {
  if (sub.canceledDate || sub.status === 'Deprovisioned' || sub.status === 'Expired') return null;
  const step = sub.billingFrequency === 'Annual' ? 12 : sub.billingFrequency === 'Monthly' ? 1 : 0;
  if (!step) return null;
  const start = sub.termStartDate ?? sub.createdDate;
  if (start >= today) return start;
  // Count from the original date (month-end anniversaries must not drift), in steps of the cycle.
  let n = Math.max(0, Math.floor(monthsApart(start, today) / step) * step - step);
  while (addMonths(start, n) < today) n += step;
  return addMonths(start, n);
}

function monthsApart(from: string, to: string): number {
  return (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 + (Number(to.slice(5, 7)) - Number(from.slice(5, 7)));
}

/** End of a paid term starting on `start`: 12 months (or `months`) minus a day. */
export function termEnd(start: string, months: number = TERM_MONTHS): string {
  return addDays(addMonths(start, months), -1);
}
