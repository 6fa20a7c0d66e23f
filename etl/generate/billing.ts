import { dates as billingDates } from '../../warehouse/billing';
import type { ExpectedChargeLine, ExpectedOneTimeLine, LicenseSubscriptionHistory, OneTimeSubscriptionHistory } from '../../warehouse/billing';
import { licenseHistoryFromEvents, oneTimeHistoryFromEvents } from '../../warehouse/billing/history';
import { offerId, type Currency } from './catalog';
import type { CsvRow } from './csv';
import { addDays, addMonths } from '../../core/dates';
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
