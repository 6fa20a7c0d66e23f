/**
 * A subscription's billing history from its rows in the subscription-events file: what the billing
 * rules (license.ts, onetime.ts) take. The warehouse computes expected charges from it
 * (warehouse/subscriptions/charges.ts) and the demo generator writes its billing lines from it, so
 * both read one definition.
 */
import { addMonths } from '../../core/dates';
import type { LicenseEvent, LicenseSubscriptionHistory, OneTimeEvent, OneTimeSubscriptionHistory } from './types';

/** What the history of a subscription needs besides its events (from the subscriptions file). */
export interface LicenseSubscriptionFacts {
  subscriptionId: string;
  billingFrequency: string;
  /** Monthly price of one license (the subscriptions file's UnitPrice). */
  unitPrice: string;
  currency: string;
  billingDay: number;
  /** The subscription started as a free trial (TrialStartDate is set). */
  hadTrial: boolean;
}

/** One row of the subscription-events file, as far as billing cares. */
export interface EventFacts {
  eventId: string;
  date: string;
  type: string;
  quantityAfter?: number | null;
}

/**
 * A subscription's billing history from its rows in the subscription-events file: what the billing
 * rules take. Trial time is free, so a trial's events before its conversion are left out and the
 * conversion counts as the purchase; auto-renew and reseller changes do not bill. Undefined when
 * nothing is billable (a trial never converted, or not a license subscription).
 */
export function licenseHistoryFromEvents(facts: LicenseSubscriptionFacts, events: readonly EventFacts[]): LicenseSubscriptionHistory | undefined {
  if (facts.billingFrequency !== 'Monthly' && facts.billingFrequency !== 'Annual') return undefined;
  let list = [...events];
  const conversion = list.findIndex((e) => e.type === 'TrialConversion');
  if (conversion >= 0) list = list.slice(conversion);
  else if (facts.hadTrial) return undefined;
  const out: LicenseEvent[] = [];
  for (const e of list) {
    switch (e.type) {
      case 'Purchase':
      case 'TrialConversion':
        out.push({ date: e.date, type: 'Purchase', quantity: Number(e.quantityAfter), eventId: e.eventId });
        break;
      case 'QuantityChange':
        out.push({ date: e.date, type: 'QuantityChange', quantity: Number(e.quantityAfter), eventId: e.eventId });
        break;
      case 'Suspend':
      case 'Reactivate':
      case 'Cancel':
      case 'Renew':
        out.push({ date: e.date, type: e.type, eventId: e.eventId });
        break;
      default:
        break;
    }
  }
  if (out.length === 0 || out[0].type !== 'Purchase') return undefined;
  return {
    subscriptionId: facts.subscriptionId,
    billingFrequency: facts.billingFrequency,
    monthlyUnitPrice: facts.unitPrice,
    currency: facts.currency,
    billingDay: facts.billingDay,
    events: out,
  };
}

/** What the one-time history of a subscription needs besides its events (from the subscriptions file and the price list). */
export interface OneTimeSubscriptionFacts {
  subscriptionId: string;
  currency: string;
  /** Price of one unit for one period (the subscriptions file's UnitPrice). */
  unitPrice: string;
  sku: string;
  /** The subscription's name, printed as SubscriptionDescription. */
  description: string;
  /** Reserved instances: the term paid up front (12 or 36 months). Undefined for SaaS billed monthly. */
  termMonths?: number;
}

/**
 * A reserved instance's or SaaS subscription's orders, as the one-time rules take them, from its
 * rows in the subscription-events file: a reservation is bought (New) for its term and renewed at
 * its end (Renew events); a SaaS subscription is bought for a month and renewed every month up to
 * the as-of date or its cancellation (each month is an order), seat changes are AddQuantity or
 * RemoveQuantity and a cancellation refunds the rest of the month.
 */
export function oneTimeHistoryFromEvents(facts: OneTimeSubscriptionFacts, events: readonly EventFacts[], asOf: string): OneTimeSubscriptionHistory | undefined {
  const [purchase, ...rest] = events;
  if (!purchase || purchase.type !== 'Purchase') return undefined;
  const orders: OneTimeEvent[] = [
    { date: purchase.date, type: 'New', quantity: Number(purchase.quantityAfter), unitPrice: facts.unitPrice, sku: facts.sku, description: facts.description, eventId: purchase.eventId },
  ];
  if (facts.termMonths) {
    for (const e of rest) if (e.type === 'Renew') orders.push({ date: e.date, type: 'Renew', eventId: e.eventId });
    return { subscriptionId: facts.subscriptionId, currency: facts.currency, termMonths: facts.termMonths, events: orders };
  }
  const cancel = rest.find((e) => e.type === 'Cancel');
  const end = cancel?.date ?? asOf;
  const later: { order: number; event: OneTimeEvent }[] = [];
  for (let m = 1; addMonths(purchase.date, m) <= end && !(cancel && addMonths(purchase.date, m) >= cancel.date); m++) {
    later.push({ order: 0, event: { date: addMonths(purchase.date, m), type: 'Renew' } });
  }
  let quantity = Number(purchase.quantityAfter);
  for (const e of rest) {
    if (e.type === 'QuantityChange' && e.quantityAfter !== undefined && e.quantityAfter !== null) {
      const after = Number(e.quantityAfter);
      later.push({ order: 1, event: { date: e.date, type: after > quantity ? 'AddQuantity' : 'RemoveQuantity', quantity: after, eventId: e.eventId } });
      quantity = after;
    } else if (e.type === 'Cancel') {
      later.push({ order: 2, event: { date: e.date, type: 'Cancel', eventId: e.eventId } });
    }
  }
  later.sort((a, b) => (a.event.date < b.event.date ? -1 : a.event.date > b.event.date ? 1 : a.order - b.order));
  orders.push(...later.map((o) => o.event));
  return { subscriptionId: facts.subscriptionId, currency: facts.currency, termMonths: 1, events: orders };
}
