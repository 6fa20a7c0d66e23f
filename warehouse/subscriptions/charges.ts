/**
 * Expected charge lines of one subscription, from its full event history and the billing rules
 * (warehouse/billing), written to `expected_charges` (one subscription's rows replaced at a time).
 *
 * - License-based (Microsoft licenses, monthly or annual): the history of
 *   `licenseHistoryFromEvents` (the same as the demo generator's: a trial counts from its
 *   conversion, auto-renew and reseller changes do not bill) through `expectedLicenseCharges`, up to
 *   the first billing date on or after today.
 * - One-time and recurring (ISV SaaS billed monthly or annually; reservations): New, Add/Remove
 *   quantity, Renew at each period start up to today, Cancel, through `expectedOneTimeCharges`.
 *   A cancellation inside the ISV window (lifecycle.ts) is a full credit: every line charged so far
 *   is reversed ('Cancel', on the cancellation date).
 * - Usage-based: nothing (usage is billed in arrears from the daily-rated file, not by these rules).
 *
 * Billing day: the partner's (the day of month of its invoices) or, before its first invoice, the
 * day of month of the subscription's created date. Each line goes on the invoice of the first billing
 * date on or after the day it is created (for one-time lines: the order date).
 */
import { ONE_TIME_CHARGE_TYPES } from '../../core/vocabulary';
import { licenseHistoryFromEvents } from '../billing/history';
import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { sql, type Sql } from '../../core/sql';
import { expectedLicenseCharges, expectedOneTimeCharges, type ExpectedCharge, type OneTimeEvent } from '../billing';
import { addMonths, monthsBetween, addDays, nextDayOfMonth } from '../../core/dates';
import { formatMoney, neg, parseMoney } from '../../core/money';
import type { SqlRunner } from '../../core/sql';
import { cancellationPolicy, isIsvProduct, withinIsvWindow } from './lifecycle';
import type { ProductRow } from './products';
import { hasKnownTerms, partnerBillingDay, subscriptionEvents, type SubscriptionEventRow, type SubscriptionRow, type SubscriptionWithTerms } from './subscriptions';

/** One row to write to expected_charges. */
export type { ExpectedCharge } from '../billing/types';

export interface ChargeInputs {
  subscription: SubscriptionWithTerms;
  product: Pick<ProductRow, 'productFamily' | 'publisherName'> | null;
  /** Oldest first. */
  events: readonly SubscriptionEventRow[];
  billingDay: number;
  today: string;
}

export function billingDayOf(partnerDay: number | null, subscription: Pick<SubscriptionWithTerms, 'createdDate'>): number {
  return partnerDay ?? Number(subscription.createdDate.slice(8, 10));
}

/** The lines the billing rules expect for this subscription's history (pure). */
export function expectedCharges(inputs: ChargeInputs): ExpectedCharge[] {
  const { subscription: s } = inputs;
  if (s.billingType === 'License') return licenseCharges(inputs);
  if (s.billingType === 'OneTime') return oneTimeCharges(inputs);
  return [];
}

function licenseCharges({ subscription: s, events, billingDay, today }: ChargeInputs): ExpectedCharge[] {
  const history = licenseHistoryFromEvents(
    {
      subscriptionId: s.id,
      billingFrequency: s.billingFrequency ?? '',
      unitPrice: s.unitPriceAmount ?? '0',
      currency: s.currency ?? '',
      billingDay,
      hadTrial: s.trialStartDate != null || s.isTrial === true,
    },
    events.map((e) => ({ eventId: e.id, date: e.date, type: e.type, quantityAfter: e.quantityAfter })),
  );
  if (!history) return [];
  const through = nextDayOfMonth(today, billingDay);
  return expectedLicenseCharges(history, { through }).map((l) => ({
    invoiceDate: l.invoiceDate,
    chargeStartDate: l.chargeStartDate,
    chargeEndDate: l.chargeEndDate,
    chargeType: l.chargeType,
    unitPrice: l.unitPrice,
    quantity: l.quantity,
    amount: l.amount,
    currency: l.currency,
    eventId: l.eventId ?? null,
  }));
}

function oneTimeCharges({ subscription: s, product, events, billingDay, today }: ChargeInputs): ExpectedCharge[] {
  const [purchase, ...rest] = events;
  if (!purchase || purchase.type !== 'Purchase' || s.isTrial) return [];
  const termMonths =
    s.billingFrequency === 'Monthly' ? 1 : s.billingFrequency === 'Annual' ? 12 : reservationMonths(s.termStartDate, s.termEndDate);
  const policy = cancellationPolicy({
    billingType: s.billingType,
    billingFrequency: s.billingFrequency,
    createdDate: s.createdDate,
    isv: isIsvProduct(product),
  });
  const cancel = rest.find((e) => e.type === 'Cancel');
  const fullCredit = cancel !== undefined && withinIsvWindow(policy, cancel.date);
  const end = cancel?.date ?? today;

  const orders: { rank: number; event: OneTimeEvent }[] = [];
  // A subscription renews at each period start (SaaS: every month or year); a reservation's renewals are its Renew events.
  if (s.billingFrequency === 'Monthly' || s.billingFrequency === 'Annual') {
    for (let n = termMonths; addMonths(purchase.date, n) <= end; n += termMonths) {
      const date = addMonths(purchase.date, n);
      if (cancel && date >= cancel.date) break;
      orders.push({ rank: 0, event: { date, type: 'Renew' } });
    }
  } else {
    for (const e of rest) if (e.type === 'Renew') orders.push({ rank: 0, event: { date: e.date, type: 'Renew', eventId: e.id } });
  }
  let quantity = purchase.quantityAfter ?? s.quantity;
  for (const e of rest) {
    if (e.type === 'QuantityChange' && e.quantityAfter != null && e.quantityAfter !== quantity) {
      orders.push({ rank: 1, event: { date: e.date, type: e.quantityAfter > quantity ? 'AddQuantity' : 'RemoveQuantity', quantity: e.quantityAfter, eventId: e.id } });
      quantity = e.quantityAfter;
    } else if (e.type === 'Cancel' && !fullCredit) {
      orders.push({ rank: 2, event: { date: e.date, type: 'Cancel', eventId: e.id } });
    }
  }
  orders.sort((a, b) => (a.event.date < b.event.date ? -1 : a.event.date > b.event.date ? 1 : a.rank - b.rank));
  const history = {
    subscriptionId: s.id,
    currency: s.currency ?? '',
    termMonths,
    events: [
      {
        date: purchase.date,
        type: 'New' as const,
        quantity: purchase.quantityAfter ?? s.quantity,
        unitPrice: s.unitPriceAmount ?? '0',
        description: s.friendlyName ?? undefined,
        eventId: purchase.id,
      },
      ...orders.map((o) => o.event),
    ],
  };
  const lines = expectedOneTimeCharges(history, { through: today }).map((l) => ({
    orderDate: l.orderDate,
    chargeStartDate: l.chargeStartDate,
    chargeEndDate: l.chargeEndDate,
    chargeType: l.chargeType,
    unitPrice: l.unitPrice,
    quantity: l.quantity,
    amount: l.amount,
    currency: l.currency,
    eventId: l.eventId ?? null,
  }));
  if (fullCredit && cancel) {
    const cancelType: (typeof ONE_TIME_CHARGE_TYPES)[number] = 'Cancel';
    const credits = lines.map((l) => ({
      ...l,
      orderDate: cancel.date,
      chargeType: cancelType,
      amount: formatMoney(neg(parseMoney(l.amount))),
      eventId: cancel.id,
    }));
    lines.push(...credits);
  }
  return lines.map(({ orderDate, ...l }) => ({ ...l, invoiceDate: nextDayOfMonth(orderDate, billingDay) }));
}

/** Months of a reservation's term from its dates (12 when they are missing or odd). */
function reservationMonths(start: string | null, end: string | null): number {
  if (!start || !end) return 12;
  const months = monthsBetween(start, addDays(end, 1));
  return months && months > 0 ? months : 12;
}

/**
 * Recomputes one subscription's expected charge lines from its history (read inside `tx`, so the
 * event just written counts) and replaces its rows in expected_charges. Two statements to read, two
 * to write.
 */
export async function replaceExpectedCharges(
  tx: SqlRunner,
  caller: Caller,
  subscription: SubscriptionRow,
  product: Pick<ProductRow, 'productFamily' | 'publisherName'> | null,
  today: string,
): Promise<ExpectedCharge[]> {
  const events = await subscriptionEvents(tx, caller, subscription.id);
  // Without its creation date and billing type the rules expect nothing of it (yet).
  const lines = hasKnownTerms(subscription)
    ? expectedCharges({ subscription, product, events, billingDay: billingDayOf(await partnerBillingDay(tx, caller), subscription), today })
    : [];
  await execute(
    tx,
    sql`DELETE FROM expected_charges AS c WHERE ${scope(caller, 'c', null)} AND c.subscription_id = ${subscription.id}`,
  );
  if (lines.length) {
    const values = lines.map(
      (l) => sql`(${caller.partnerId}, ${subscription.id}, ${subscription.customerId}, CAST(${l.invoiceDate} AS DATE),
        CAST(${l.chargeStartDate} AS DATE), CAST(${l.chargeEndDate} AS DATE), ${l.chargeType}, CAST(${l.unitPrice} AS DECIMAL(18,6)),
        ${l.quantity}, CAST(${l.amount} AS DECIMAL(18,6)), ${l.currency}, ${l.eventId})`,
    );
    await execute(
      tx,
      sql`INSERT INTO expected_charges (partner_id, subscription_id, customer_id, invoice_date, charge_start_date, charge_end_date,
            charge_type, unit_price, quantity, amount, currency, source_event_id)
          VALUES ${sql.join(values, ', ')}`,
    );
  }
  return lines;
}

/** Runs a statement that returns no rows. */
export async function execute(db: SqlRunner, statement: Sql): Promise<void> {
  const { text, params } = statement.toQuery();
  await db.run(text, params);
}
