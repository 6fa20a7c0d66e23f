import { dailyUsageReconFormat, invoiceFormat, licenseReconFormat, oneTimeReconFormat } from '../formats/billing';
import { licenseReconRow, oneTimeReconRow, type LicenseLine, type OneTimeLine } from './billing';
import type { Currency } from './catalog';
import type { CsvRow } from './csv';
import { addDays } from '../../core/dates';
import type { FxTable } from './fx';
import type { Partner, Subscription } from './model';
import { formatMoney, parseMoney } from './money';
import type { Output } from './output';
import type { Rng } from './random';
import { billingPeriod } from './timeline';
import type { DailyUsageWriter, UsageSubscription } from './usage';

export interface GeneratedInvoice {
  invoiceNumber: string;
  invoiceDate: string;
  type: 'Recurring' | 'OneTime';
  currency: string;
  total: string;
}

/** The usage a recurring invoice carries: the Azure plan subscriptions active in its billing period, in one currency. */
export interface UsagePlanEntry {
  partner: Partner;
  invoiceDate: string;
  currency: Currency;
  periodStart: string;
  periodEnd: string;
  subscriptions: UsageSubscription[];
  /** Rows the estates would produce: resources × active days. */
  natural: number;
}

/** First and last day a subscription is active (not suspended or canceled) within [from, to]. */
function activeSpan(sub: Subscription, from: string, to: string): { from: string; to: string } | undefined {
  const intervals: [string, string][] = [];
  let open: string | undefined;
  for (const e of sub.events) {
    if (e.type === 'Purchase' || e.type === 'Reactivate') open = open ?? e.date;
    else if ((e.type === 'Suspend' || e.type === 'Cancel') && open) {
      intervals.push([open, addDays(e.date, -1)]);
      open = undefined;
    }
  }
  if (open) intervals.push([open, '9999-12-31']);
  let a: string | undefined;
  let b: string | undefined;
  for (const [s, e] of intervals) {
    const lo = s > from ? s : from;
    const hi = e < to ? e : to;
    if (lo > hi) continue;
    if (!a || lo < a) a = lo;
    if (!b || hi > b) b = hi;
  }
  return a && b ? { from: a, to: b } : undefined;
}

export function usagePlan(partner: Partner, subs: Subscription[], dates: string[], asOf: string): UsagePlanEntry[] {
  const azure = subs.filter((s) => s.item.billingType === 'Usage');
  const plan: UsagePlanEntry[] = [];
  for (const invoiceDate of dates) {
    const period = billingPeriod(invoiceDate);
    const byCurrency = new Map<Currency, UsageSubscription[]>();
    const natural = new Map<Currency, number>();
    for (const s of azure) {
      const span = activeSpan(s, period.start, period.end < asOf ? period.end : asOf);
      if (!span) continue;
      const c = s.customer;
      const list = byCurrency.get(s.currency) ?? [];
      list.push({
        subscriptionId: s.id,
        customerId: c.id,
        customerName: c.name,
        customerDomain: c.domain,
        customerCountry: c.country,
        mpnId: s.mpnId,
        tier2MpnId: s.resellerMpnId,
        entitlementId: s.entitlementId!,
        entitlementDescription: `${c.name.split(' ')[0]} ${['Production', 'Dev/Test', 'Shared services'][parseInt(s.entitlementId!.slice(0, 2), 16) % 3]}`,
        pec: s.pec ?? 0,
        weight: s.azureSize ?? 1,
        from: span.from,
        to: span.to,
      });
      byCurrency.set(s.currency, list);
      natural.set(s.currency, (natural.get(s.currency) ?? 0) + (s.azureSize ?? 1) * (Math.round((Date.parse(span.to) - Date.parse(span.from)) / 86_400_000) + 1));
    }
    for (const currency of [...byCurrency.keys()].sort()) {
      plan.push({ partner, invoiceDate, currency, periodStart: period.start, periodEnd: period.end, subscriptions: byCurrency.get(currency)!, natural: natural.get(currency)! });
    }
  }
  return plan;
}

/** Rows per usage file: the natural counts, or `total` shared out in proportion (largest remainders). */
export function allocateUsage(entries: UsagePlanEntry[], total: number | undefined): Map<UsagePlanEntry, number> {
  const out = new Map<UsagePlanEntry, number>();
  if (total === undefined) {
    for (const e of entries) out.set(e, e.natural);
    return out;
  }
  const sum = entries.reduce((s, e) => s + e.natural, 0);
  if (sum === 0) {
    if (total > 0) throw new Error('no Azure plan subscription to write usage for');
    return out;
  }
  const shares = entries.map((e, i) => ({ e, i, exact: (total * e.natural) / sum }));
  let given = 0;
  for (const s of shares) {
    const n = Math.floor(s.exact);
    out.set(s.e, n);
    given += n;
  }
  const byRemainder = [...shares].sort((a, b) => b.exact - Math.floor(b.exact) - (a.exact - Math.floor(a.exact)) || a.i - b.i);
  for (let k = 0; given < total; k++, given++) {
    const s = byRemainder[k % byRemainder.length];
    out.set(s.e, out.get(s.e)! + 1);
  }
  return out;
}

/**
 * One recurring invoice per billing date and currency (license-based lines and daily-rated usage)
 * and one one-time invoice per billing date and currency (one-time and recurring lines), each
 * with its reconciliation files, and invoices.csv summing them.
 */
export async function writeInvoices(
  b: { partner: Partner; index: number; rng: Rng; dates: string[]; license: LicenseLine[]; oneTime: OneTimeLine[]; usage: UsagePlanEntry[] },
  allocation: Map<UsagePlanEntry, number>,
  seed: number,
  fx: FxTable,
  output: Output,
  usageWriter: DailyUsageWriter,
): Promise<GeneratedInvoice[]> {
  const { partner } = b;
  const key = (date: string, currency: string) => `${date}|${currency}`;
  const licenseBy = new Map<string, LicenseLine[]>();
  for (const l of b.license) {
    const k = key(l.line.invoiceDate, l.line.currency);
    licenseBy.set(k, [...(licenseBy.get(k) ?? []), l]);
  }
  const oneTimeBy = new Map<string, OneTimeLine[]>();
  for (const l of b.oneTime) {
    const k = key(l.invoiceDate, l.line.currency);
    oneTimeBy.set(k, [...(oneTimeBy.get(k) ?? []), l]);
  }
  const usageBy = new Map<string, UsagePlanEntry>();
  for (const u of b.usage) if ((allocation.get(u) ?? 0) > 0) usageBy.set(key(u.invoiceDate, u.currency), u);

  const recurringKeys = [...new Set([...licenseBy.keys(), ...usageBy.keys()])].sort();
  const oneTimeKeys = [...oneTimeBy.keys()].sort();
  const base = 100_000_000 + (b.index + 1) * 10_000_000 + b.rng.fork('invoice-numbers').int(0, 4_000_000);
  const number = (prefix: string, i: number) => `${prefix}${String(base + i).padStart(9, '0')}`;
  const invoiceRows: CsvRow[] = [];
  const invoices: GeneratedInvoice[] = [];
  const orderIds = new Map<string, string>();
  const orderRng = b.rng.fork('order-ids');
  const reconDir = `${partner.slug}/recon`;
  const sortKey = (sub: Subscription) => `${sub.customer.name}|${sub.id}`;

  for (const [i, k] of recurringKeys.entries()) {
    const [invoiceDate, currency] = k.split('|') as [string, Currency];
    const invoiceNumber = number('G', i * 2);
    const lines = (licenseBy.get(k) ?? []).map((l, n) => ({ l, n })).sort((x, y) => (sortKey(x.l.sub) < sortKey(y.l.sub) ? -1 : sortKey(x.l.sub) > sortKey(y.l.sub) ? 1 : x.n - y.n));
    let licenseTotal = 0n;
    let tax = 0n;
    if (lines.length) {
      const rows = lines.map(({ l }) => {
        let orderId = orderIds.get(l.sub.id);
        if (!orderId) orderIds.set(l.sub.id, (orderId = orderRng.digits(18)));
        const row = licenseReconRow(partner, invoiceNumber, l, orderId);
        licenseTotal += parseMoney(String(row.Subtotal));
        tax += parseMoney(String(row.Tax));
        return row;
      });
      await output.write(partner, `${reconDir}/${invoiceNumber}_License.csv`, licenseReconFormat, rows, invoiceNumber);
    }
    let usageTotal = 0n;
    const usage = usageBy.get(k);
    if (usage) {
      const rows = allocation.get(usage)!;
      const relPath = `${reconDir}/${invoiceNumber}_DailyRatedUsage.csv`;
      const result = await usageWriter.write({
        path: output.path(relPath),
        rows,
        seed: seed * 1_000 + b.index * 100 + i,
        invoiceNumber,
        partnerId: partner.id,
        partnerName: partner.name,
        periodStart: usage.periodStart,
        periodEnd: usage.periodEnd,
        billingCurrency: currency,
        pricingCurrency: 'USD',
        exchangeRate: fx.rate(currency, usage.periodStart),
        exchangeRateDate: usage.periodStart,
        subscriptions: usage.subscriptions,
      });
      usageTotal = parseMoney(result.billingPreTaxTotal ?? '0');
      output.register({ path: relPath, format: dailyUsageReconFormat.name, rows: result.rows, partnerId: partner.id, invoiceNumber });
    }
    const subtotal = licenseTotal + usageTotal;
    invoiceRows.push(invoiceRow(partner, invoiceNumber, invoiceDate, 'Recurring', currency, { license: licenseTotal, usage: usageTotal, oneTime: 0n, tax, subtotal }));
    invoices.push({ invoiceNumber, invoiceDate, type: 'Recurring', currency, total: formatMoney(subtotal + tax) });
  }
  for (const [i, k] of oneTimeKeys.entries()) {
    const [invoiceDate, currency] = k.split('|') as [string, Currency];
    const invoiceNumber = number('D', i * 2 + 1);
    const lines = oneTimeBy.get(k)!.map((l, n) => ({ l, n })).sort((x, y) => (sortKey(x.l.sub) < sortKey(y.l.sub) ? -1 : sortKey(x.l.sub) > sortKey(y.l.sub) ? 1 : x.n - y.n));
    let total = 0n;
    let tax = 0n;
    const rows = lines.map(({ l }) => {
      const row = oneTimeReconRow(partner, invoiceNumber, l);
      total += parseMoney(String(row.Subtotal));
      tax += parseMoney(String(row.TaxTotal));
      return row;
    });
    await output.write(partner, `${reconDir}/${invoiceNumber}_OneTime.csv`, oneTimeReconFormat, rows, invoiceNumber);
    invoiceRows.push(invoiceRow(partner, invoiceNumber, invoiceDate, 'OneTime', currency, { license: 0n, usage: 0n, oneTime: total, tax, subtotal: total }));
    invoices.push({ invoiceNumber, invoiceDate, type: 'OneTime', currency, total: formatMoney(total + tax) });
  }
  invoiceRows.sort((x, y) => (String(x.InvoiceDate) + x.InvoiceNumber < String(y.InvoiceDate) + y.InvoiceNumber ? -1 : 1));
  invoices.sort((x, y) => (x.invoiceDate + x.invoiceNumber < y.invoiceDate + y.invoiceNumber ? -1 : 1));
  await output.write(partner, `${partner.slug}/invoices.csv`, invoiceFormat, invoiceRows);
  return invoices;
}

function invoiceRow(
  partner: Partner,
  invoiceNumber: string,
  invoiceDate: string,
  type: 'Recurring' | 'OneTime',
  currency: string,
  t: { license: bigint; usage: bigint; oneTime: bigint; tax: bigint; subtotal: bigint },
): CsvRow {
  const period = billingPeriod(invoiceDate);
  return {
    InvoiceNumber: invoiceNumber,
    PartnerId: partner.id,
    InvoiceDate: invoiceDate,
    BillingPeriodStart: period.start,
    BillingPeriodEnd: period.end,
    InvoiceType: type,
    Currency: currency,
    LicenseBasedCharges: formatMoney(t.license),
    UsageBasedCharges: formatMoney(t.usage),
    OneTimeCharges: formatMoney(t.oneTime),
    Discounts: '0.00',
    Credits: '0.00',
    Subtotal: formatMoney(t.subtotal),
    Tax: formatMoney(t.tax),
    OtherCredits: '0.00',
    TotalCurrentCharges: formatMoney(t.subtotal + t.tax),
    PaymentTermsDays: 60,
    PaymentDueDate: addDays(invoiceDate, 60),
  };
}
