/**
 * The partner the stand-in serves: its customers, their subscriptions, the indirect resellers,
 * referrals, and monthly invoices with their line items, generated from a seed (the same seed gives
 * the same data). Tests compute their expectations from this object; the server (server.ts) serves
 * it in Microsoft's shapes.
 *
 * Line items are never stored for a whole data set: each invoice keeps a small plan (which
 * subscription is billed how) and builds any line on demand from its own random stream, so the
 * `large` preset (about a million lines) costs a few megabytes. A line's `raw` object is keyed by
 * the reconciliation file's column names in camelCase (`partnerId`, `tier2MpnId`, `unit`,
 * `total`, ...), with the values the file has (charge type `New`, not the API's `Purchase`);
 * `restItem()` and `graphRecord()` (shapes.ts) turn it into what each API writes.
 *
 * Amounts are computed in integers (cents, millionths of a unit price), so every total has at most
 * two decimals and an invoice's totalCharges is the exact sum of its lines' totals:
 *   license-based  totalForCustomer = amount + tax, amount = unitPrice × quantity
 *   new commerce   total = subtotal + taxTotal, subtotal = rounddown(effectiveUnitPrice × pcToBCExchangeRate, 2) × billableQuantity
 *   daily usage    billingPreTaxTotal = floor(effectiveUnitPrice × quantity × pcToBCExchangeRate, 2)
 * (the documented rules of billing-facts.md; the exchange rate is 1: the partner is billed in the
 * pricing currency).
 */
import { AZURE_PLAN, CITIES, COUNTRIES, INDUSTRIES, LEGACY_OFFERS, METERS, NCE_PRODUCTS, PERSON_FIRST, PERSON_LAST, SOLUTIONS, TAX_RATE, companyName, type LegacyOffer, type Meter, type NceProduct } from './catalog';
import { Prng, guidOf } from './random';

export type Json = Record<string, unknown>;

/** license: legacy license-based (REST only); onetime: new-commerce reconciliation; usage: daily-rated usage. */
export type LineKind = 'license' | 'onetime' | 'usage';
export const LINE_KINDS: readonly LineKind[] = ['license', 'onetime', 'usage'];

export interface LineItem {
  kind: LineKind;
  /** The invoice it is billed on ('' for unbilled usage). */
  invoiceId: string;
  /** Its position among the invoice's lines of its kind. */
  index: number;
  /** The line, keyed by the reconciliation file's columns in camelCase. */
  raw: Json;
}

export interface Partner {
  tenantId: string;
  name: string;
  mpnId: string;
  country: string;
  currency: string;
  currencySymbol: string;
}

export type SubscriptionKind = 'legacy' | 'nce' | 'azure';

export interface StandInSubscription {
  customerId: string;
  kind: SubscriptionKind;
  /** The Subscription resource as GET /v1/customers/{id}/subscriptions returns it. */
  resource: Json;
  /** First month billed (YYYY-MM): the creation month. */
  startMonth: string;
  /** Billed at all (active, not a trial). */
  billed: boolean;
  /** The reseller of record's MPN ID, '' when sold directly. */
  resellerMpnId: string;
  /** Legacy subscriptions: the commerce subscription ID of the license-based lines. */
  commerceId: string;
  legacyOffer?: LegacyOffer;
  product?: NceProduct;
  /** Azure plan: the Azure subscription (entitlement) and whether partner earned credit applies. */
  entitlementId?: string;
  earnedCredit?: boolean;
}

export interface DataSetOptions {
  seed: number;
  partnerTenantId?: string;
  partnerName?: string;
  partnerMpnId?: string;
  /** Billing and pricing currency (default USD). */
  currency?: 'USD' | 'EUR' | 'GBP';
  customers: number;
  /** Default 3: one legacy license-based, one new-commerce and one Azure plan subscription (rotating). */
  subscriptionsPerCustomer?: number;
  /** Indirect resellers (default 2); a customer in three is sold directly. */
  resellers?: number;
  referrals: number;
  /** Monthly invoices, one per billing period before the current month. */
  monthsOfInvoices: number;
  usageLinesPerInvoice: number;
  /** Unbilled usage lines of the current month (default half an invoice's). */
  unbilledUsageLines?: number;
  /**
   * The oldest invoices whose new-commerce and usage lines are only on the REST line-items
   * endpoint (provider=OneTime), not in Graph's exports (default 1, or 3 from 6 months on).
   */
  legacyInvoices?: number;
  /** Today, for the data set (YYYY-MM-DD, default 2025-04-10): its month is the unbilled one. */
  asOf?: string;
}

export const PRESETS = {
  /** For tests: 12 customers × 3 subscriptions, 2 resellers, 8 referrals, 3 invoices, a few hundred lines. */
  small: { seed: 1, customers: 12, subscriptionsPerCustomer: 3, resellers: 2, referrals: 8, monthsOfInvoices: 3, usageLinesPerInvoice: 80, unbilledUsageLines: 40 },
  /** For a benchmark: 2,000 customers, 12 invoices, about 1,000,000 line items. */
  large: { seed: 1, customers: 2000, subscriptionsPerCustomer: 3, resellers: 25, referrals: 400, monthsOfInvoices: 12, usageLinesPerInvoice: 79_000, unbilledUsageLines: 40_000 },
} satisfies Record<string, DataSetOptions>;

export type PresetName = keyof typeof PRESETS;

// ---------------------------------------------------------------- dates

/** 'YYYY-MM' plus n months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  return `${Math.floor(total / 12)}-${String((total % 12) + 1).padStart(2, '0')}`;
}

export function daysIn(month: string): number {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

const day = (month: string, d: number) => `${month}-${String(d).padStart(2, '0')}`;
/** REST style: '2017-05-12T00:00:00'. */
const restDate = (date: string) => `${date}T00:00:00`;
/** ISO with Z: '2024-01-01T00:00:00Z'. */
const isoDate = (date: string) => `${date}T00:00:00Z`;
const lastDay = (month: string) => day(month, daysIn(month));

function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

function addYears(date: string, n: number): string {
  return `${Number(date.slice(0, 4)) + n}${date.slice(4)}`;
}

// ---------------------------------------------------------------- money

/** Cents (or millionths, with scale 1e6) as a JSON number. */
const num = (units: number, scale = 100) => units / scale || 0; // never -0

/** Tax in cents on a subtotal in cents: half away from zero. */
function taxOf(subtotalCents: number, rate: number): number {
  const t = Math.round(Math.abs(subtotalCents) * rate);
  return subtotalCents < 0 && t ? -t : t;
}

// ---------------------------------------------------------------- plans

interface LicensePlan {
  sub: StandInSubscription;
  chargeType: 'Cycle fee' | 'Prorate fees when purchase';
}

interface OneTimePlan {
  sub: StandInSubscription;
  chargeType: 'New' | 'Renew' | 'addQuantity' | 'removeQuantity' | 'Cancel';
  /** Seats charged (negative: refunded). */
  quantity: number;
  /** Share of the month charged, in days (Cancel refunds the rest of the month). */
  days?: number;
}

interface UsageContext {
  /** Stream name: the invoice ID, or 'unbilled:YYYY-MM'. */
  key: string;
  invoiceId: string;
  month: string;
  /** Days with usage (the month's, or up to yesterday for the current month). */
  days: number;
  subs: StandInSubscription[];
  count: number;
}

/** An invoice: its Invoice resource and its line items. */
export class StandInInvoice {
  /** Increased by each correction: the data version Graph's manifest eTag tells. */
  revision = 0;
  /** Lines given explicitly (a corrected invoice, an adjustment note) instead of from the plan. */
  private explicit?: Record<LineKind, LineItem[]>;
  private cachedTotal?: number;
  /** Adjustment notes amending this invoice (listed in its resource's `amendments`). */
  readonly amendments: StandInInvoice[] = [];

  constructor(
    private readonly ds: StandInDataSet,
    readonly id: string,
    /** Billing period, YYYY-MM. */
    readonly month: string,
    /** New-commerce and usage lines only on the REST line-items endpoint (before the Graph export's first month). */
    readonly legacy: boolean,
    private readonly plan: { license: LicensePlan[]; onetime: OneTimePlan[]; usage: UsageContext },
    readonly amendsOf?: string,
  ) {}

  count(kind: LineKind): number {
    if (this.explicit) return this.explicit[kind].length;
    return kind === 'license' ? this.plan.license.length : kind === 'onetime' ? this.plan.onetime.length : this.plan.usage.count;
  }

  /** Line i of a kind (built on demand). */
  line(kind: LineKind, i: number): LineItem {
    if (this.explicit) return this.explicit[kind][i];
    if (kind === 'license') return this.ds.licenseLine(this, this.plan.license[i], i);
    if (kind === 'onetime') return this.ds.oneTimeLine(this, this.plan.onetime[i], i);
    return this.ds.usageLine(this.plan.usage, i);
  }

  *iterate(kind: LineKind, from = 0, to = this.count(kind)): Generator<LineItem> {
    for (let i = from; i < Math.min(to, this.count(kind)); i++) yield this.line(kind, i);
  }

  linesOf(kind: LineKind): LineItem[] {
    return [...this.iterate(kind)];
  }

  /** Every line of the invoice, license-based, then new-commerce, then usage (built anew at each read). */
  get lineItems(): LineItem[] {
    return LINE_KINDS.flatMap((k) => this.linesOf(k));
  }

  /** A snapshot of the lines of a kind for an export: what later corrections do not change. */
  snapshot(kind: LineKind): { count: number; line: (i: number) => LineItem } {
    if (this.explicit) {
      const lines = this.explicit[kind];
      return { count: lines.length, line: (i) => lines[i] };
    }
    return { count: this.count(kind), line: (i) => this.line(kind, i) };
  }

  /** Sum of the lines' totals, cents. */
  get totalCents(): number {
    if (this.cachedTotal === undefined) {
      let cents = 0;
      for (const kind of LINE_KINDS) {
        if (kind === 'usage' && !this.explicit) {
          for (let i = 0; i < this.plan.usage.count; i++) cents += this.ds.usageCore(this.plan.usage, i).cents;
        } else {
          for (const l of this.iterate(kind)) cents += lineTotalCents(l);
        }
      }
      this.cachedTotal = cents;
    }
    return this.cachedTotal;
  }

  get totalCharges(): number {
    return num(this.totalCents);
  }

  /** Replaces the lines (a correction): the invoice's total and revision follow. */
  setLines(lines: Record<LineKind, LineItem[]>): void {
    this.explicit = {
      license: lines.license.map((l, index) => ({ ...l, index })),
      onetime: lines.onetime.map((l, index) => ({ ...l, index })),
      usage: lines.usage.map((l, index) => ({ ...l, index })),
    };
    this.cachedTotal = undefined;
    this.revision++;
  }

  get invoiceDate(): string {
    return isoDate(day(addMonths(this.month, 1), 8));
  }

  /** The Invoice resource ("Invoice resources"), as GET /v1/invoices lists it. */
  get resource(): Json {
    const p = this.ds.partner;
    const detail = (type: string, provider: string, query: string) => ({
      invoiceLineItemType: type,
      billingProvider: provider,
      links: { self: { uri: `/v1/invoices/${this.id}/lineitems?${query}`, method: 'GET', headers: [] } },
      attributes: { objectType: 'InvoiceDetail' },
    });
    const details = [];
    if (this.count('license')) details.push(detail('billing_line_items', 'office', 'provider=Office&invoicelineitemtype=BillingLineItems'));
    if (this.count('onetime')) details.push(detail('billing_line_items', 'one_time', 'provider=OneTime&invoicelineitemtype=BillingLineItems'));
    if (this.count('usage')) details.push(detail('usage_line_items', 'one_time', 'provider=OneTime&invoicelineitemtype=UsageLineItems'));
    const latest = this.ds.invoices[this.ds.invoices.length - 1] === this;
    return {
      id: this.id,
      invoiceDate: this.amendsOf ? isoDate(addDays(this.invoiceDate.slice(0, 10), 12)) : this.invoiceDate,
      billingPeriodStartDate: isoDate(day(this.month, 1)),
      billingPeriodEndDate: isoDate(lastDay(this.month)),
      totalCharges: this.totalCharges,
      paidAmount: latest || this.amendsOf ? 0 : this.totalCharges,
      currencyCode: p.currency,
      currencySymbol: p.currencySymbol,
      pdfDownloadLink: `/invoices/${this.id}/documents/statement`,
      invoiceDetails: details,
      ...(this.amendments.length ? { amendments: this.amendments.map((a) => a.resource) } : {}),
      documentType: this.amendsOf ? 'adjustment_note' : 'invoice',
      ...(this.amendsOf ? { amendsOf: this.amendsOf } : {}),
      invoiceType: 'OneTime',
      links: { self: { uri: `/invoices/${this.id}`, method: 'GET', headers: [] } },
      attributes: { objectType: 'Invoice' },
    };
  }
}

/** A line's total in cents: license totalForCustomer, new-commerce total, usage billingPreTaxTotal. */
export function lineTotalCents(line: LineItem): number {
  const r = line.raw;
  const v = line.kind === 'license' ? r.totalForCustomer : line.kind === 'onetime' ? r.total : r.billingPreTaxTotal;
  return Math.round(Number(v) * 100);
}

/** A line's total (as lineTotalCents, in currency units). */
export function lineTotal(line: LineItem): number {
  return num(lineTotalCents(line));
}

/** A budget as partners set them: a round amount (to 5 under 100, to 10 under 1,000, to 50 under 10,000, else to 500). */
function roundBudget(amount: number): number {
  const step = amount < 100 ? 5 : amount < 1000 ? 10 : amount < 10_000 ? 50 : 500;
  return Math.max(step, Math.round(amount / step) * step);
}

/** The partner's data, generated from a seed. */
export class StandInDataSet {
  readonly seed: number;
  readonly partner: Partner;
  readonly customers: Json[] = [];
  readonly subscriptions: StandInSubscription[] = [];
  readonly resellers: Json[] = [];
  readonly referrals: Json[] = [];
  /** Monthly invoices, oldest first (adjustment notes are in their invoice's `amendments`). */
  readonly invoices: StandInInvoice[] = [];
  /** Today for the data set (YYYY-MM-DD); its month is the unbilled one. */
  asOf: string;
  private unbilledContext: UsageContext;
  private invoiceCounter = 0;
  private customerCounter = 0;
  private referralCounter = 0;
  private readonly customerIndex = new Map<string, Json>();
  private readonly customerInfo = new Map<string, { name: string; domain: string; country: string; resellerMpnId: string }>();
  /** Each customer's number (its streams are named by it). */
  private readonly customerNumber = new Map<string, number>();
  /** Usage spending budgets (GET/PATCH /v1/customers/{id}/usagebudget), drawn on first use: amount, or null for none. */
  private budgets?: Map<string, number | null>;
  /** The usage the first budgets are drawn against: the latest invoice's at generation. */
  private budgetBasis?: UsageContext;

  constructor(readonly options: DataSetOptions) {
    this.seed = options.seed;
    const currency = options.currency ?? 'USD';
    this.partner = {
      tenantId: options.partnerTenantId ?? guidOf(`partner:${this.seed}`),
      name: options.partnerName ?? 'Fabrikam Cloud Partners',
      mpnId: options.partnerMpnId ?? String(4_500_000 + (this.seed % 100_000)),
      country: 'US',
      currency,
      currencySymbol: { USD: '$', EUR: '€', GBP: '£' }[currency],
    };
    this.asOf = options.asOf ?? '2025-04-10';
    const first = addMonths(this.asOf.slice(0, 7), -options.monthsOfInvoices);
    const resellerCount = options.resellers ?? 2;
    for (let i = 0; i < resellerCount; i++) this.resellers.push(this.makeReseller(i));
    for (let i = 0; i < options.customers; i++) this.addCustomer(first);
    for (let i = 0; i < options.referrals; i++) this.addReferral();
    const legacyCount = options.legacyInvoices ?? (options.monthsOfInvoices >= 6 ? 3 : 1);
    for (let m = 0; m < options.monthsOfInvoices; m++) this.pushInvoice(addMonths(first, m), m < legacyCount);
    this.unbilledContext = this.usageContext(`unbilled:${this.asOf.slice(0, 7)}`, '', this.asOf.slice(0, 7), options.unbilledUsageLines ?? Math.floor(options.usageLinesPerInvoice / 2));
    const latest = this.invoices[this.invoices.length - 1];
    if (latest) this.budgetBasis = this.usageContext(latest.id, latest.id, latest.month, options.usageLinesPerInvoice);
  }

  // ------------------------------------------------------------ lookups

  get currentMonth(): string {
    return this.asOf.slice(0, 7);
  }

  customer(id: string): Json | undefined {
    return this.customerIndex.get(id.toLowerCase());
  }

  subscriptionsOf(customerId: string): StandInSubscription[] {
    return this.subscriptions.filter((s) => s.customerId === customerId.toLowerCase());
  }

  /** An invoice or an adjustment note, by ID. */
  invoice(id: string): StandInInvoice | undefined {
    for (const inv of this.invoices) {
      if (inv.id.toLowerCase() === id.toLowerCase()) return inv;
      const a = inv.amendments.find((x) => x.id.toLowerCase() === id.toLowerCase());
      if (a) return a;
    }
    return undefined;
  }

  /** Every line of every invoice and adjustment note (built anew: small data sets only). */
  allLines(): LineItem[] {
    return this.invoices.flatMap((inv) => [...inv.lineItems, ...inv.amendments.flatMap((a) => a.lineItems)]);
  }

  lineCount(): number {
    let n = 0;
    for (const inv of this.invoices) for (const x of [inv, ...inv.amendments]) for (const k of LINE_KINDS) n += x.count(k);
    return n;
  }

  /** The current month's unbilled usage (Graph's unbilled usage export, billingPeriod current). */
  unbilled(period: 'current' | 'last' = 'current'): { month: string; count: number; line: (i: number) => LineItem } {
    if (period === 'current') {
      const ctx = this.unbilledContext;
      return { month: ctx.month, count: ctx.count, line: (i) => this.usageLine(ctx, i) };
    }
    // The last billing period, as it was before its invoice: the latest invoice's usage without the invoice number.
    const inv = this.invoices[this.invoices.length - 1];
    const snap = inv.snapshot('usage');
    return {
      month: inv.month,
      count: snap.count,
      line: (i) => {
        const l = snap.line(i);
        return { ...l, invoiceId: '', raw: { ...l.raw, invoiceNumber: '' } };
      },
    };
  }

  /** The MpnProfile resource ("Get an MPN profile"). */
  mpnProfile(): Json {
    return {
      partnerName: this.partner.name,
      mpnId: this.partner.mpnId,
      profileType: 'MpnProfile',
      links: { self: { uri: '/profiles/mpn', method: 'GET', headers: [] } },
      attributes: { objectType: 'MpnProfile' },
    };
  }

  /** The LegalBusinessProfile resource ("Get legal business profile"). */
  legalBusinessProfile(): Json {
    const address = { country: this.partner.country, city: 'Redmond', state: 'WA', addressLine1: '1 Microsoft Way', addressLine2: '', postalCode: '98052' };
    return {
      companyName: this.partner.name,
      address: { ...address, firstName: 'Gena', lastName: 'Soto', phoneNumber: '4255550100' },
      primaryContact: { firstName: 'Gena', lastName: 'Soto', email: 'gena@fabrikam.example', phoneNumber: '4255550100' },
      companyApproverAddress: address,
      companyApproverEmail: 'gena@fabrikam.example',
      vettingStatus: 'authorized',
      vettingSubStatus: 'none',
      profileType: 'LegalBusinessProfile',
      links: { self: { uri: '/profiles/legalbusiness', method: 'GET', headers: [] } },
      attributes: { objectType: 'LegalBusinessProfile' },
    };
  }

  /**
   * A customer's Azure spending budget ("Get a customer's usage spending budget"): the amount in the
   * partner's currency, null when it has none, undefined for an unknown customer. The first budgets
   * come from their own streams (`usage-budget`, by customer number), so nothing else moves: one
   * customer in four has none; the others a round amount around their usage of the latest invoiced
   * month at generation (× 0.75 to 3: some customers are over budget, most under), or 100 to 500
   * for a customer without usage then. Drawn on first use.
   */
  usageBudget(customerId: string): number | null | undefined {
    const customer = this.customer(customerId);
    if (!customer) return undefined;
    return this.usageBudgets().get(String(customer.id)) ?? null;
  }

  /** "Update a customer's usage spending budget" (PATCH): the new amount, or null to remove it. */
  setUsageBudget(customerId: string, amount: number | null): void {
    const customer = this.customer(customerId);
    if (!customer) throw new Error(`no customer ${customerId} in the stand-in's data set`);
    this.usageBudgets().set(String(customer.id), amount);
  }

  private usageBudgets(): Map<string, number | null> {
    if (this.budgets) return this.budgets;
    const spent = new Map<string, number>();
    const basis = this.budgetBasis;
    if (basis) {
      for (let i = 0; i < basis.count; i++) {
        const { sub, cents } = this.usageCore(basis, i);
        spent.set(sub.customerId, (spent.get(sub.customerId) ?? 0) + cents);
      }
    }
    this.budgets = new Map();
    for (const c of this.customers) {
      const id = String(c.id);
      const r = Prng.of(this.seed, 'usage-budget', this.customerNumber.get(id) ?? 0);
      if (r.chance(0.25)) {
        this.budgets.set(id, null);
        continue;
      }
      const cents = spent.get(id) ?? 0;
      this.budgets.set(id, cents > 0 ? roundBudget((cents / 100) * r.pick([0.75, 0.9, 1.1, 1.25, 1.5, 2, 3])) : r.pick([100, 200, 250, 500]));
    }
    return this.budgets;
  }

  // ------------------------------------------------------------ mutations (for a second sync)

  /** A new customer with its subscriptions (billed from the next invoice on). */
  addCustomer(firstInvoiceMonth?: string): Json {
    const n = this.customerCounter++;
    const r = Prng.of(this.seed, 'customer', n);
    const id = guidOf(`customer:${this.seed}:${n}`);
    const name = companyName(n);
    const domain = `${name.toLowerCase().replace(/[^a-z0-9]/g, '')}${n}.onmicrosoft.com`;
    const country = COUNTRIES[n % COUNTRIES.length];
    const place = CITIES[country];
    // One customer in three is sold directly; the others through a reseller, in turn.
    const resellers = this.resellers.length;
    const reseller = resellers && n % 3 !== 0 ? this.resellers[n % resellers] : undefined;
    const resellerMpnId = reseller ? String(reseller.mpnId) : '';
    const first = r.pick(PERSON_FIRST);
    const last = r.pick(PERSON_LAST);
    const customer: Json = {
      id,
      commerceId: guidOf(`commerce:${this.seed}:${n}`),
      companyProfile: { tenantId: id, domain, companyName: name, attributes: { objectType: 'CustomerCompanyProfile' } },
      billingProfile: {
        id: guidOf(`billing-profile:${this.seed}:${n}`),
        firstName: first,
        lastName: last,
        email: `${first.toLowerCase()}@${domain}`,
        culture: 'en-US',
        language: 'en',
        companyName: name,
        defaultAddress: {
          country,
          city: place.city,
          state: place.state,
          addressLine1: `${r.int(1, 999)} Main Street`,
          postalCode: place.postalCode,
          firstName: first,
          lastName: last,
          phoneNumber: `425555${String(r.int(0, 9999)).padStart(4, '0')}`,
        },
        attributes: { objectType: 'CustomerBillingProfile' },
      },
      relationshipToPartner: 'reseller',
      allowDelegatedAccess: true,
      ...(reseller ? { associatedPartnerId: reseller.id } : {}),
      links: { self: { uri: `/customers/${id}`, method: 'GET', headers: [] } },
      attributes: { objectType: 'Customer' },
    };
    this.customers.push(customer);
    this.customerIndex.set(id, customer);
    this.customerInfo.set(id, { name, domain, country, resellerMpnId });
    this.customerNumber.set(id, n);
    if (this.budgets) {
      const r = Prng.of(this.seed, 'usage-budget', n);
      this.budgets.set(id, r.chance(0.25) ? null : r.pick([100, 200, 250, 500]));
    }
    const perCustomer = this.options.subscriptionsPerCustomer ?? 3;
    const windowStart = firstInvoiceMonth ?? addMonths(this.currentMonth, 0);
    const kinds: SubscriptionKind[] = ['legacy', 'nce', 'azure'];
    for (let j = 0; j < perCustomer; j++) {
      this.subscriptions.push(this.makeSubscription(id, n, j, kinds[(n + j) % 3], resellerMpnId, windowStart, firstInvoiceMonth === undefined && this.invoices.length > 0));
    }
    return customer;
  }

  /** A new referral (Referrals API). */
  addReferral(): Json {
    const referral = this.makeReferral(this.referralCounter++);
    this.referrals.push(referral);
    return referral;
  }

  /**
   * Bills the next month: a new invoice after the latest one. When it bills the current month, the
   * data set's today moves a month on (and the unbilled usage with it).
   */
  addInvoice(): StandInInvoice {
    const last = this.invoices[this.invoices.length - 1];
    const month = last ? addMonths(last.month, 1) : addMonths(this.currentMonth, -1);
    const inv = this.pushInvoice(month, false);
    if (month >= this.currentMonth) {
      this.asOf = `${addMonths(month, 1)}-${this.asOf.slice(8, 10)}`;
      this.unbilledContext = this.usageContext(`unbilled:${this.currentMonth}`, '', this.currentMonth, this.unbilledContext.count);
    }
    return inv;
  }

  /**
   * Restates an invoice (Partner Center corrects an invoice's reconciliation data): a new data
   * version whose lines differ (a usage quantity halved, a new-commerce line's seats changed), with a
   * new total; Graph's manifest eTag and the invoice's totalCharges change. Returns the invoice.
   */
  correctInvoice(id: string): StandInInvoice {
    const inv = this.invoice(id);
    if (!inv) throw new Error(`no invoice ${id}`);
    const lines = { license: inv.linesOf('license'), onetime: inv.linesOf('onetime'), usage: inv.linesOf('usage') };
    const changed = inv.revision + 1;
    // Every 5th usage line: half the quantity (the amount follows the documented rule).
    lines.usage = lines.usage.map((l, i) => (i % 5 === 0 ? this.rescaleUsage(l, 0.5) : l));
    // The first new-commerce line: one seat more.
    if (lines.onetime.length) lines.onetime[0] = this.reseatOneTime(lines.onetime[0], 1);
    lines.onetime = lines.onetime.map((l) => ({ ...l, raw: { ...l.raw, referenceId: `correction-${changed}` } }));
    inv.setLines(lines);
    return inv;
  }

  /**
   * Issues an adjustment note amending an invoice ("Invoice resources": amendments, amendsOf,
   * documentType adjustment_note): a new invoice number with credit lines (Cancel) for part of the
   * original's new-commerce lines. It is listed in the original's `amendments`, not on its own.
   */
  amendInvoice(id: string): StandInInvoice {
    const original = this.invoice(id);
    if (!original) throw new Error(`no invoice ${id}`);
    const note = new StandInInvoice(this, this.nextInvoiceId(), original.month, original.legacy, {
      license: [],
      onetime: [],
      usage: this.usageContext(`note:${id}`, '', original.month, 0),
    }, original.id);
    const credits = original
      .linesOf('onetime')
      .filter((l) => Number(l.raw.subtotal) > 0)
      .slice(0, 2)
      .map((l, index) => {
        const raw: Json = { ...l.raw, invoiceNumber: note.id, chargeType: 'Cancel', creditReasonCode: 'Customer satisfaction' };
        for (const k of ['quantity', 'billableQuantity', 'subtotal', 'taxTotal', 'total']) raw[k] = -Number(raw[k]);
        return { kind: 'onetime' as const, invoiceId: note.id, index, raw };
      });
    note.setLines({ license: [], onetime: credits, usage: [] });
    note.revision = 0;
    original.amendments.push(note);
    return note;
  }

  // ------------------------------------------------------------ line items

  licenseLine(inv: StandInInvoice, plan: LicensePlan, index: number): LineItem {
    const sub = plan.sub;
    const offer = sub.legacyOffer!;
    const info = this.customerInfo.get(sub.customerId)!;
    const quantity = Number(sub.resource.quantity);
    const days = daysIn(inv.month);
    const created = String(sub.resource.creationDate).slice(0, 10);
    const chargeStart = plan.chargeType === 'Prorate fees when purchase' ? created : day(inv.month, 1);
    const chargedDays = days - Number(chargeStart.slice(8, 10)) + 1;
    const unitCents = Math.round((offer.priceCents * chargedDays) / days);
    const amount = unitCents * quantity;
    const tax = taxOf(amount, TAX_RATE[info.country] ?? 0);
    const raw: Json = {
      partnerId: this.partner.tenantId,
      customerId: sub.customerId,
      customerName: info.name,
      mpnId: Number(this.partner.mpnId),
      tier2MpnId: sub.resellerMpnId ? Number(sub.resellerMpnId) : -1,
      orderId: String(sub.resource.orderId),
      subscriptionId: sub.commerceId,
      syndicationPartnerSubscriptionNumber: String(sub.resource.id).toUpperCase(),
      offerId: offer.offerId,
      durableOfferId: offer.durableOfferId,
      offerName: offer.offerName,
      domainName: info.domain,
      billingCycleType: 'MONTHLY',
      subscriptionName: offer.offerName,
      subscriptionDescription: offer.offerName,
      subscriptionStartDate: restDate(created),
      subscriptionEndDate: restDate(String(sub.resource.commitmentEndDate).slice(0, 10)),
      chargeStartDate: restDate(chargeStart),
      chargeEndDate: restDate(lastDay(inv.month)),
      chargeType: plan.chargeType,
      unitPrice: num(unitCents),
      quantity,
      amount: num(amount),
      totalOtherDiscount: 0,
      subtotal: num(amount),
      tax: num(tax),
      totalForCustomer: num(amount + tax),
      currency: this.partner.currency,
    };
    return { kind: 'license', invoiceId: inv.id, index, raw };
  }

  oneTimeLine(inv: StandInInvoice, plan: OneTimePlan, index: number): LineItem {
    const sub = plan.sub;
    const product = sub.product!;
    const info = this.customerInfo.get(sub.customerId)!;
    const r = Prng.of(this.seed, 'onetime', inv.id, index);
    const promotion = Number(sub.resource.quantity) >= 10 ? 0.05 : 0;
    const effectiveCents = promotion ? Math.floor(product.priceCents * (1 - promotion)) : product.priceCents;
    // Refund of the rest of the month: a share of one month's price (seat-based rule on the share).
    const billable = plan.quantity;
    const unitCents = plan.days ? Math.floor((effectiveCents * plan.days) / daysIn(inv.month)) : effectiveCents;
    const subtotal = unitCents * billable;
    const tax = taxOf(subtotal, TAX_RATE[info.country] ?? 0);
    const termStart = String(sub.resource.effectiveStartDate).slice(0, 10);
    const chargeStart = plan.chargeType === 'New' && sub.startMonth === inv.month ? termStart : day(inv.month, 1);
    const raw: Json = {
      partnerId: this.partner.tenantId,
      customerId: sub.customerId,
      customerName: info.name,
      customerDomainName: info.domain,
      customerCountry: info.country,
      invoiceNumber: inv.id,
      mpnId: this.partner.mpnId,
      resellerMpnId: sub.resellerMpnId || this.partner.mpnId,
      orderId: String(sub.resource.orderId),
      orderDate: `${termStart}T${String(r.int(0, 23)).padStart(2, '0')}:${String(r.int(0, 59)).padStart(2, '0')}:11.2537163Z`,
      productId: product.productId,
      skuId: product.skuId,
      availabilityId: product.availabilityId,
      skuName: product.skuName,
      productName: product.productName,
      chargeType: plan.chargeType,
      unitPrice: num(product.priceCents),
      quantity: billable,
      subtotal: num(subtotal),
      taxTotal: num(tax),
      total: num(subtotal + tax),
      currency: this.partner.currency,
      priceAdjustmentDescription: promotion ? '["5.0% Promotion discount"]' : '[]',
      publisherName: product.publisherName,
      publisherId: '',
      subscriptionDescription: String(sub.resource.friendlyName),
      subscriptionId: String(sub.resource.id),
      chargeStartDate: isoDate(chargeStart),
      chargeEndDate: isoDate(lastDay(inv.month)),
      termAndBillingCycle: 'One-Year commitment for monthly/yearly billing',
      effectiveUnitPrice: num(unitCents),
      unitType: 'Licenses',
      alternateId: r.code(12, 'abcdef0123456789'),
      billableQuantity: billable,
      billingFrequency: 'Monthly',
      pricingCurrency: this.partner.currency,
      pcToBCExchangeRate: 1,
      pcToBCExchangeRateDate: isoDate(day(inv.month, 1)),
      meterDescription: '',
      reservationOrderId: '',
      creditReasonCode: '',
      subscriptionStartDate: isoDate(termStart),
      subscriptionEndDate: isoDate(String(sub.resource.commitmentEndDate).slice(0, 10)),
      referenceId: '',
      productQualifiers: '[]',
      promotionId: promotion ? `39NFJQT1Q5KT:${product.productId}` : '',
    };
    return { kind: 'onetime', invoiceId: inv.id, index, raw };
  }

  /** The amounts of usage line i (cheap: totals are summed from these). */
  usageCore(ctx: UsageContext, i: number): { sub: StandInSubscription; meter: Meter; date: string; quantityHundredths: number; effectiveMicros: number; cents: number; r: Prng } {
    const sub = ctx.subs[i % ctx.subs.length];
    const date = day(ctx.month, (Math.floor(i / ctx.subs.length) % ctx.days) + 1);
    const r = Prng.of(this.seed, 'usage', ctx.key, i);
    const meter = r.pick(METERS);
    const quantityHundredths = r.int(meter.quantity[0], meter.quantity[1]);
    const effectiveMicros = sub.earnedCredit ? Math.round(meter.priceMicros * 0.85) : meter.priceMicros;
    // floor(EffectiveUnitPrice × Quantity × PCToBCExchangeRate (1), 2 decimals), in integers.
    const cents = Math.floor((effectiveMicros * quantityHundredths) / 1_000_000);
    return { sub, meter, date, quantityHundredths, effectiveMicros, cents, r };
  }

  usageLine(ctx: UsageContext, i: number): LineItem {
    const { sub, meter, date, quantityHundredths, effectiveMicros, cents, r } = this.usageCore(ctx, i);
    const info = this.customerInfo.get(sub.customerId)!;
    const group = `rg-${r.pick(['app', 'data', 'web', 'shared'])}`;
    const resource = `${meter.prefix}${r.int(1, 4)}`;
    const azureSub = sub.entitlementId!;
    const raw: Json = {
      partnerId: this.partner.tenantId,
      partnerName: this.partner.name,
      customerId: sub.customerId,
      customerName: info.name,
      customerDomainName: info.domain,
      customerCountry: info.country,
      mpnId: this.partner.mpnId,
      tier2MpnId: sub.resellerMpnId || this.partner.mpnId,
      invoiceNumber: ctx.invoiceId,
      productId: meter.productId,
      skuId: meter.skuId,
      availabilityId: `DZH318Z0${meter.productId.slice(-4)}`,
      skuName: meter.skuName,
      productName: meter.productName,
      publisherName: 'Microsoft',
      publisherId: '',
      subscriptionDescription: 'Azure plan',
      subscriptionId: String(sub.resource.id),
      chargeStartDate: isoDate(day(ctx.month, 1)),
      chargeEndDate: isoDate(lastDay(ctx.month)),
      usageDate: isoDate(date),
      meterType: meter.meterType,
      meterCategory: meter.meterCategory,
      meterId: meter.meterId,
      meterSubCategory: meter.meterSubCategory,
      meterName: meter.meterName,
      meterRegion: meter.meterRegion,
      unit: meter.unit,
      resourceLocation: meter.resourceLocation,
      consumedService: meter.consumedService,
      resourceGroup: group,
      resourceUri: `/subscriptions/${azureSub}/resourceGroups/${group}/providers/${meter.resourceType}/${resource}`,
      chargeType: 'new',
      unitPrice: num(meter.priceMicros, 1_000_000),
      quantity: num(quantityHundredths),
      unitType: meter.unitType,
      billingPreTaxTotal: num(cents),
      billingCurrency: this.partner.currency,
      pricingPreTaxTotal: num(cents),
      pricingCurrency: this.partner.currency,
      serviceInfo1: '',
      serviceInfo2: '',
      tags: r.chance(0.5) ? `{"env":"${r.pick(['prod', 'test', 'dev'])}"}` : '',
      additionalInfo: meter.prefix.startsWith('vm') ? `{"ServiceType":"Standard_${meter.skuName.replace(/\s/g, '_')}","UsageType":"ComputeHR"}` : '',
      effectiveUnitPrice: num(effectiveMicros, 1_000_000),
      pcToBCExchangeRate: 1,
      pcToBCExchangeRateDate: isoDate(day(ctx.month, 1)),
      entitlementId: azureSub,
      entitlementDescription: `Azure subscription ${(Number(sub.resource.quantity) || 1).toString()}`,
      partnerEarnedCreditPercentage: sub.earnedCredit ? 15 : 0,
      creditPercentage: sub.earnedCredit ? 15 : 0,
      creditType: sub.earnedCredit ? 'Partner Earned Credit Applied' : 'Credit Not Applied',
      benefitOrderId: '',
      benefitId: '',
      benefitType: '',
    };
    return { kind: 'usage', invoiceId: ctx.invoiceId, index: i, raw };
  }

  // ------------------------------------------------------------ generation

  private nextInvoiceId(): string {
    return `G${String((this.seed % 9000) * 100_000 + 12_345 + this.invoiceCounter++).padStart(9, '0')}`;
  }

  private pushInvoice(month: string, legacy: boolean): StandInInvoice {
    const id = this.nextInvoiceId();
    const billed = this.subscriptions.filter((s) => s.billed && s.startMonth <= month);
    const license: LicensePlan[] = billed
      .filter((s) => s.kind === 'legacy')
      .map((sub) => ({ sub, chargeType: sub.startMonth === month ? 'Prorate fees when purchase' : 'Cycle fee' }));
    const onetime: OneTimePlan[] = [];
    for (const sub of billed.filter((s) => s.kind === 'nce')) {
      const q = Number(sub.resource.quantity);
      const r = Prng.of(this.seed, 'nce-plan', id, String(sub.resource.id));
      const renewal = sub.startMonth !== month && month.slice(5) === sub.startMonth.slice(5);
      const roll = r.next();
      if (sub.startMonth === month) onetime.push({ sub, chargeType: 'New', quantity: q });
      else if (roll < 0.08 && q > 1) {
        // Seats added during the month: the old quantity refunded, the new one charged.
        const d = r.int(1, Math.max(1, Math.floor(q / 3)));
        onetime.push({ sub, chargeType: 'addQuantity', quantity: -(q - d) }, { sub, chargeType: 'addQuantity', quantity: q });
      } else if (roll < 0.12 && q > 2) {
        onetime.push({ sub, chargeType: 'removeQuantity', quantity: -(q + 1) }, { sub, chargeType: 'removeQuantity', quantity: q });
      } else if (roll < 0.14) {
        // Cancelled and bought again: the rest of the month refunded, a new purchase.
        onetime.push({ sub, chargeType: 'Cancel', quantity: -q, days: r.int(1, 20) }, { sub, chargeType: 'New', quantity: q });
      } else onetime.push({ sub, chargeType: renewal ? 'Renew' : 'New', quantity: q });
    }
    const usage = this.usageContext(id, id, month, this.options.usageLinesPerInvoice);
    const inv = new StandInInvoice(this, id, month, legacy, { license, onetime, usage });
    this.invoices.push(inv);
    return inv;
  }

  private usageContext(key: string, invoiceId: string, month: string, count: number): UsageContext {
    const subs = this.subscriptions.filter((s) => s.kind === 'azure' && s.billed && s.startMonth <= month);
    const days = invoiceId || key.startsWith('note:') ? daysIn(month) : Math.max(1, Number(this.asOf.slice(8, 10)) - 1);
    return { key, invoiceId, month, days, subs, count: subs.length ? count : 0 };
  }

  private makeReseller(i: number): Json {
    const r = Prng.of(this.seed, 'reseller', i);
    return {
      id: guidOf(`reseller:${this.seed}:${i}`),
      name: `${['First Up Consultants', 'ReleCloud', 'Lamna Healthcare', 'VanArsdel', 'Munson Pickles', 'Wide World Importers'][i % 6]}${i >= 6 ? ` ${Math.floor(i / 6) + 1}` : ''}`,
      relationshipType: 'is_indirect_cloud_solution_provider_of',
      state: 'Active',
      mpnId: String(4_800_000 + i * 37 + r.int(0, 30)),
      location: r.pick(['US', 'US', 'CA', 'GB', 'DE', 'BR']),
      attributes: { objectType: 'PartnerRelationship' },
    };
  }

  private makeSubscription(customerId: string, n: number, j: number, kind: SubscriptionKind, resellerMpnId: string, windowStart: string, isNew: boolean): StandInSubscription {
    const r = Prng.of(this.seed, 'subscription', customerId, j);
    const id = guidOf(`subscription:${this.seed}:${customerId}:${j}`);
    // Most subscriptions predate the first invoice; one in eight starts inside the invoiced months.
    const months = this.options.monthsOfInvoices;
    const startMonth = isNew
      ? this.currentMonth
      : r.chance(0.125) && months > 1
        ? addMonths(windowStart, r.int(1, months - 1))
        : addMonths(windowStart, -r.int(1, 30));
    const created = day(startMonth, r.int(1, 27));
    const roll = r.next();
    const status = roll < 0.05 ? 'suspended' : roll < 0.08 ? 'deleted' : 'active';
    const trial = kind === 'nce' && r.chance(0.05);
    // A term of one year, renewed until it covers today.
    let termStart = created;
    while (kind !== 'azure' && addYears(termStart, 1) <= this.asOf) termStart = addYears(termStart, 1);
    const termEnd = addDays(addYears(termStart, 1), -1);
    const orderId = kind === 'nce' ? r.code(32, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789') : String(r.int(100_000_000, 999_999_999)) + String(r.int(100_000_000, 999_999_999));
    const base = {
      id,
      entitlementId: guidOf(`entitlement:${id}`),
      creationDate: `${created}T${String(r.int(0, 23)).padStart(2, '0')}:${String(r.int(10, 59))}:${String(r.int(10, 59))}Z`,
      effectiveStartDate: isoDate(kind === 'azure' ? created : termStart),
      status,
      autoRenewEnabled: kind !== 'azure' && status === 'active' && !trial,
      isTrial: trial,
      isMicrosoftProduct: true,
      publisherName: 'Microsoft Corporation',
      partnerId: resellerMpnId,
      contractType: 'subscription',
      orderId,
      actions: status === 'active' ? ['edit', 'cancel'] : [],
      suspensionReasons: status === 'suspended' ? ['CustomerCancellation'] : [],
    };
    const sub: StandInSubscription = { customerId, kind, resource: {}, startMonth, billed: status === 'active' && !trial, resellerMpnId, commerceId: '' };
    if (kind === 'legacy') {
      const offer = LEGACY_OFFERS[(n + j) % LEGACY_OFFERS.length];
      sub.legacyOffer = offer;
      sub.commerceId = r.code(16, 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789');
      sub.resource = {
        ...base,
        offerId: offer.offerId,
        offerName: offer.offerName,
        friendlyName: offer.offerName,
        quantity: r.int(1, 40),
        unitType: 'Licenses',
        commitmentEndDate: isoDate(termEnd),
        billingType: 'license',
        billingCycle: 'monthly',
        termDuration: 'P1Y',
        hasPurchasableAddons: false,
        productType: { id: 'OnlineServices', displayName: 'OnlineServices' },
      };
    } else if (kind === 'nce') {
      const product = NCE_PRODUCTS[(n * 3 + j) % NCE_PRODUCTS.length];
      sub.product = product;
      sub.resource = {
        ...base,
        offerId: `${product.productId}:${product.skuId}`,
        offerName: product.productName,
        friendlyName: product.productName,
        quantity: trial ? 25 : r.int(1, 60),
        unitType: 'Licenses',
        commitmentEndDate: isoDate(termEnd),
        cancellationAllowedUntilDate: isoDate(addDays(termStart, 7)),
        billingType: 'license',
        billingCycle: 'monthly',
        termDuration: trial ? 'P1M' : 'P1Y',
        renewalTermDuration: 'P1Y',
        hasPurchasableAddons: false,
        productType: { id: 'OnlineServices', displayName: 'OnlineServices' },
      };
    } else {
      sub.entitlementId = guidOf(`azure-subscription:${id}`);
      sub.earnedCredit = r.chance(0.6);
      sub.resource = {
        ...base,
        entitlementId: sub.entitlementId,
        offerId: `${AZURE_PLAN.productId}:${AZURE_PLAN.skuId}`,
        offerName: AZURE_PLAN.offerName,
        friendlyName: AZURE_PLAN.offerName,
        quantity: 1,
        unitType: 'Usage-based',
        commitmentEndDate: '9999-12-14T00:00:00Z',
        billingType: 'usage',
        billingCycle: 'monthly',
        hasPurchasableAddons: false,
        productType: { id: 'Azure', displayName: 'Azure' },
      };
    }
    (sub.resource as Json).links = {
      offer: { uri: `/offers/${String(sub.resource.offerId)}`, method: 'GET', headers: [] },
      self: { uri: `/customers/${customerId}/subscriptions/${id}`, method: 'GET', headers: [] },
    };
    (sub.resource as Json).attributes = { etag: guidOf(`etag:${id}`).replace(/-/g, '').slice(0, 20), objectType: 'Subscription' };
    return sub;
  }

  private makeReferral(i: number): Json {
    const r = Prng.of(this.seed, 'referral', i);
    const states: [string, string][] = [
      ['New', 'Pending'],
      ['New', 'Received'],
      ['Active', 'Accepted'],
      ['Closed', 'Won'],
      ['Closed', 'Lost'],
      ['Closed', 'Declined'],
      ['Closed', 'Expired'],
      ['Active', 'Engaged'],
    ];
    const [status, substatus] = states[i % states.length];
    const country = COUNTRIES[(i * 7) % COUNTRIES.length];
    const place = CITIES[country];
    const back = r.int(2, 300);
    const created = `${addDays(this.asOf, -back)}T${String(r.int(10, 23))}:${String(r.int(10, 59))}:${String(r.int(10, 59))}.${r.int(100, 999)}Z`;
    const updated = `${addDays(this.asOf, -r.int(1, back))}T${created.slice(11)}`;
    const solution = SOLUTIONS[i % SOLUTIONS.length];
    const first = r.pick(PERSON_FIRST);
    const last = r.pick(PERSON_LAST);
    const name = companyName(1000 + i * 13);
    return {
      id: guidOf(`referral:${this.seed}:${i}`),
      engagementId: guidOf(`engagement:${this.seed}:${i}`),
      organizationId: this.partner.tenantId,
      organizationName: this.partner.name,
      name: `${name} - ${solution}`,
      externalReferenceId: r.chance(0.3) ? `CRM-${r.int(10000, 99999)}` : '',
      createdDateTime: created,
      updatedDateTime: updated,
      expirationDateTime: `${addDays(created.slice(0, 10), 14)}T${created.slice(11)}`,
      ...(status !== 'New' && substatus !== 'Declined' && substatus !== 'Expired' ? { acceptedDateTime: `${addDays(created.slice(0, 10), 1)}T${created.slice(11)}` } : {}),
      status,
      substatus,
      statusReason: substatus === 'Lost' ? 'Lost to competitor' : substatus === 'Declined' ? 'Not a fit for our solutions' : '',
      type: r.chance(0.3) ? 'Shared' : 'Independent',
      qualification: r.pick(['SalesQualified', 'MarketingQualified', 'Direct']),
      direction: r.chance(0.8) ? 'Incoming' : 'Outgoing',
      customerProfile: {
        name,
        address: { addressLine1: `${r.int(1, 500)} Commerce Ave`, city: place.city, state: place.state, postalCode: place.postalCode, country },
        size: r.pick(['1to9employees', '10to50employees', '51to250employees', '251to1000employees', '1001to5000employees']),
        team: [{ firstName: first, lastName: last, phoneNumber: '4255550199', email: `${first.toLowerCase()}@${name.toLowerCase().replace(/[^a-z]/g, '')}.example` }],
        ids: {},
      },
      consent: { consentToShareReferralWithMicrosoftSellers: true },
      details: {
        notes: `Customer interested in ${solution}.`,
        dealValue: r.int(5, 500) * 100,
        currency: 'USD',
        closingDateTime: `${addDays(created.slice(0, 10), 90)}T00:00:00Z`,
        requirements: {
          industries: [{ id: guidOf(`industry:${INDUSTRIES[i % INDUSTRIES.length]}`), name: INDUSTRIES[i % INDUSTRIES.length] }],
          solutions: [{ id: guidOf(`solution:${solution}`), name: solution }],
          products: [],
          services: [],
        },
      },
      team: [],
      eTag: `"${guidOf(`referral-etag:${this.seed}:${i}`).replace(/-/g, '').slice(0, 16)}"`,
    };
  }

  private rescaleUsage(l: LineItem, factor: number): LineItem {
    const raw = { ...l.raw };
    const qtyHundredths = Math.max(1, Math.round(Number(raw.quantity) * 100 * factor));
    const eupMicros = Math.round(Number(raw.effectiveUnitPrice) * 1_000_000);
    const cents = Math.floor((eupMicros * qtyHundredths) / 1_000_000);
    raw.quantity = num(qtyHundredths);
    raw.billingPreTaxTotal = num(cents);
    raw.pricingPreTaxTotal = num(cents);
    return { ...l, raw };
  }

  private reseatOneTime(l: LineItem, delta: number): LineItem {
    const raw = { ...l.raw };
    const sign = Number(raw.billableQuantity) < 0 ? -1 : 1;
    const q = Number(raw.billableQuantity) + sign * delta;
    const unitCents = Math.round(Number(raw.effectiveUnitPrice) * 100);
    const subtotal = unitCents * q;
    const info = this.customerInfo.get(String(raw.customerId));
    const tax = taxOf(subtotal, TAX_RATE[info?.country ?? 'US'] ?? 0);
    Object.assign(raw, { quantity: q, billableQuantity: q, subtotal: num(subtotal), taxTotal: num(tax), total: num(subtotal + tax) });
    return { ...l, raw };
  }
}

/** A data set from options or a preset name (overrides applied to the preset). */
export function generateDataSet(options: DataSetOptions | PresetName, overrides: Partial<DataSetOptions> = {}): StandInDataSet {
  const base = typeof options === 'string' ? PRESETS[options] : options;
  return new StandInDataSet({ ...base, ...overrides });
}
