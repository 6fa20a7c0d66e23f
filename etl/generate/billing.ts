import { dates as billingDates } from '../../warehouse/billing';
import type { ExpectedChargeLine, ExpectedOneTimeLine, LicenseEvent, LicenseSubscriptionHistory, OneTimeEvent, OneTimeSubscriptionHistory } from '../../warehouse/billing';
import { offerId, type Currency } from './catalog';
import type { CsvRow } from './csv';
import { addDays, addMonths } from './dates';
import type { Partner, Subscription } from './model';
import { formatMoney, parseMoney, roundMoney } from './money';
import type { Rng } from './random';
import { stableGuid } from './random';
import type { BillingRules } from './rules';

/**
 * Tax on the partner's invoice by billing currency: VAT in the UK, GST in Australia; US resale and
 * EU reverse charge are invoiced without tax.
 */
export const TAX_PERCENT: Record<Currency, number> = { USD: 0, EUR: 0, GBP: 20, AUD: 10 };

export function taxOf(subtotal: bigint, currency: Currency): bigint {
  return roundMoney((subtotal * BigInt(TAX_PERCENT[currency])) / 100n, 2);
}

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

export function historyOf(sub: Subscription, billingDay: number): LicenseSubscriptionHistory | undefined {
  if (sub.item.billingType !== 'License') return undefined;
  return licenseHistoryFromEvents(
    {
      subscriptionId: sub.id,
      billingFrequency: sub.billingFrequency,
      unitPrice: sub.unitPrice,
      currency: sub.currency,
      billingDay,
      hadTrial: sub.trialStartDate !== undefined,
    },
    sub.events,
  );
}

export interface LicenseLine {
  sub: Subscription;
  line: ExpectedChargeLine;
}

/** License-based lines of a partner's subscriptions from the billing rules, for the invoices written. */
export function licenseLines(rules: BillingRules, partner: Partner, subs: Subscription[], invoiceDates: readonly string[]): LicenseLine[] {
  const first = invoiceDates[0];
  const through = invoiceDates[invoiceDates.length - 1];
  const lines: LicenseLine[] = [];
  for (const sub of subs) {
    const history = historyOf(sub, partner.billingDay);
    if (!history) continue;
    let expected: ExpectedChargeLine[];
    try {
      expected = rules.expectedLicenseCharges(history, { through });
    } catch (err) {
      throw new Error(`billing rules failed on subscription ${sub.id} (${JSON.stringify(history.events)}): ${(err as Error).message}`);
    }
    for (const line of expected) {
      if (line.invoiceDate >= first && line.invoiceDate <= through) lines.push({ sub, line });
    }
  }
  return lines;
}

/** The term a date falls in: from the last purchase, conversion or renewal on or before it. */
function termOn(sub: Subscription, date: string): { start: string; end: string } {
  let start = sub.termStartDate ?? sub.createdDate;
  for (const e of sub.events) {
    if (e.date > date) break;
    if (e.type === 'Purchase' || e.type === 'TrialConversion' || e.type === 'Renew') start = e.date;
  }
  return { start, end: addDays(addMonths(start, sub.item.termMonths ?? 12), -1) };
}

/** The billing platform's own subscription id (not the Partner Center one): 15 characters like usCBMgAAAAAAAIA. */
function platformSubscriptionId(id: string): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  const hex = id.replace(/-/g, '');
  let out = 'us';
  for (let i = 0; out.length < 15; i += 2) out += alphabet[parseInt(hex.slice(i, i + 2), 16) % alphabet.length];
  return out;
}

export function licenseReconRow(partner: Partner, invoiceNumber: string, { sub, line }: LicenseLine, orderId: string): CsvRow {
  const amount = parseMoney(line.amount);
  const tax = taxOf(amount, sub.currency);
  const term = termOn(sub, line.chargeStartDate);
  return {
    InvoiceNumber: invoiceNumber,
    PartnerId: partner.id,
    CustomerId: sub.customer.id,
    CustomerName: sub.customer.name,
    MpnId: sub.mpnId,
    ResellerMpnId: sub.resellerMpnId || sub.mpnId,
    OrderId: orderId,
    SubscriptionId: platformSubscriptionId(sub.id),
    SyndicationPartnerSubscriptionNumber: sub.id,
    OfferId: stableGuid(`legacy-offer:${sub.item.key}`).toUpperCase(),
    DurableOfferId: offerId(sub.item),
    OfferName: sub.item.offerName,
    SubscriptionStartDate: term.start,
    SubscriptionEndDate: term.end,
    ChargeStartDate: line.chargeStartDate,
    ChargeEndDate: line.chargeEndDate,
    ChargeType: line.chargeType,
    UnitPrice: line.unitPrice,
    Quantity: line.quantity,
    Amount: line.amount,
    TotalOtherDiscount: '0.00',
    Subtotal: line.amount,
    Tax: formatMoney(tax),
    TotalForCustomer: formatMoney(amount + tax),
    Currency: line.currency,
    DomainName: sub.customer.domain,
    SubscriptionName: sub.friendlyName,
    SubscriptionDescription: sub.item.offerName,
    BillingCycleType: sub.billingFrequency,
  };
}

/** One line of the one-time and recurring (new commerce) file with the subscription it belongs to. */
export interface OneTimeLine {
  sub: Subscription;
  line: ExpectedOneTimeLine;
  /** The invoice that carries the line: the first billing date on or after its order date. */
  invoiceDate: string;
  orderId: string;
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

export function oneTimeHistoryOf(sub: Subscription, asOf: string): OneTimeSubscriptionHistory | undefined {
  if (sub.item.billingType !== 'OneTime') return undefined;
  return oneTimeHistoryFromEvents(
    { subscriptionId: sub.id, currency: sub.currency, unitPrice: sub.unitPrice, sku: sub.item.skuName, description: sub.friendlyName, termMonths: sub.item.termMonths },
    sub.events,
    asOf,
  );
}

/** One-time and recurring lines of a partner's reservations and SaaS subscriptions, from the rules. */
export function oneTimeLines(rules: BillingRules, rng: Rng, partner: Partner, subs: Subscription[], invoiceDates: readonly string[], asOf: string): OneTimeLine[] {
  const first = invoiceDates[0];
  const through = invoiceDates[invoiceDates.length - 1];
  const out: OneTimeLine[] = [];
  for (const sub of subs) {
    const history = oneTimeHistoryOf(sub, asOf);
    if (!history) continue;
    const orderIds = new Map<string, string>();
    for (const line of rules.expectedOneTimeCharges(history, { through })) {
      const invoiceDate = invoiceDateOn(line.orderDate, partner.billingDay);
      if (invoiceDate < first || invoiceDate > through) continue;
      const orderId = orderIds.get(line.orderDate) ?? rng.digits(18);
      orderIds.set(line.orderDate, orderId);
      out.push({ sub, line, invoiceDate, orderId });
    }
  }
  return out;
}

/** The invoice that carries what happened on a day: the first billing date on or after it. */
export function invoiceDateOn(date: string, billingDay: number): string {
  return billingDates.nextDayOfMonth(date, billingDay);
}

export function oneTimeReconRow(partner: Partner, invoiceNumber: string, { sub, line, orderId }: OneTimeLine): CsvRow {
  const subtotal = parseMoney(line.amount);
  const tax = taxOf(subtotal, sub.currency);
  const term = termOn(sub, line.chargeStartDate);
  const reservation = sub.item.termMonths !== undefined;
  return {
    PartnerId: partner.id,
    CustomerId: sub.customer.id,
    CustomerName: sub.customer.name,
    CustomerDomainName: sub.customer.domain,
    CustomerCountry: sub.customer.country,
    InvoiceNumber: invoiceNumber,
    MpnId: sub.mpnId,
    ResellerMpnId: sub.resellerMpnId || sub.mpnId,
    OrderId: orderId,
    OrderDate: line.orderDate,
    ProductId: sub.item.productId,
    SkuId: sub.item.skuId,
    AvailabilityId: stableGuid(`availability:${sub.item.key}`).replace(/-/g, '').slice(0, 12).toUpperCase(),
    SkuName: line.sku ?? sub.item.skuName,
    ProductName: sub.item.productName,
    ChargeType: line.chargeType,
    UnitPrice: line.unitPrice,
    Quantity: line.quantity,
    Subtotal: line.amount,
    TaxTotal: formatMoney(tax),
    Total: formatMoney(subtotal + tax),
    Currency: line.currency,
    PriceAdjustmentDescription: '[]',
    PublisherName: sub.item.publisher,
    PublisherId: stableGuid(`publisher:${sub.item.publisher}`),
    SubscriptionDescription: line.subscriptionDescription ?? sub.friendlyName,
    SubscriptionId: sub.id,
    ChargeStartDate: line.chargeStartDate,
    ChargeEndDate: line.chargeEndDate,
    TermAndBillingCycle: reservation ? `${sub.item.termMonths === 12 ? 'One Year' : 'Three Years'} - Upfront` : 'One Month - Monthly',
    EffectiveUnitPrice: line.unitPrice,
    UnitType: reservation ? 'Reservation' : 'Users',
    AlternateId: stableGuid(`alt:${orderId}`).replace(/-/g, '').slice(0, 12),
    BillableQuantity: line.quantity,
    BillingFrequency: reservation ? 'OneTime' : 'Monthly',
    PricingCurrency: line.currency,
    PCToBCExchangeRate: '1',
    PCToBCExchangeRateDate: line.orderDate,
    ReservationOrderId: reservation ? stableGuid(`reservation:${sub.id}`) : '',
    CreditReasonCode: subtotal < 0n ? 'Prorated credit' : '',
    SubscriptionStartDate: term.start,
    SubscriptionEndDate: term.end,
    ReferenceId: stableGuid(`reference:${orderId}`),
    ProductQualifiers: reservation ? '["AzureReservation"]' : '[]',
  };
}
