import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * An independent model of the Insights metrics, computed in plain JavaScript from the generator's
 * own CSV files (no SQL, no compiler): the expectations of test/insights. Money is BigInt cents.
 * The rules are the documented ones of warehouse/insights (rollups.ts, metrics/*.ts), written again.
 */
export type Rec = Record<string, string>;

export function parseCsv(text: string): Rec[] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(field), rows.push(row), (row = []), (field = '');
    } else field += ch;
  }
  if (field !== '' || row.length) row.push(field), rows.push(row);
  const [header, ...body] = rows.filter((r) => r.length > 1 || r[0] !== '');
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h.replace(/^\uFEFF/, ''), r[i] ?? ''])));
}

export const readCsv = (path: string): Rec[] => parseCsv(readFileSync(path, 'utf8'));

/** 'YYYY-MM' of an ISO date or of a US M/D/YYYY date. */
export function monthKey(date: string): string {
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(date);
  if (us) return `${us[3]}-${us[1].padStart(2, '0')}`;
  return date.slice(0, 7);
}
export function nextMonth(m: string, n = 1): string {
  const [y, mo] = m.split('-').map(Number);
  const t = y * 12 + mo - 1 + n;
  return `${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, '0')}`;
}
function monthEnd(m: string): string {
  const [y, mo] = m.split('-').map(Number);
  const d = new Date(Date.UTC(y, mo, 0));
  return d.toISOString().slice(0, 10);
}
export function months(from: string, to: string): string[] {
  const out: string[] = [];
  for (let m = from; m <= to; m = nextMonth(m)) out.push(m);
  return out;
}

export function cents(decimal: string): bigint {
  const neg = decimal.trim().startsWith('-');
  const [i, f = ''] = decimal.trim().replace('-', '').split('.');
  const c = BigInt(i || '0') * 100n + BigInt((f + '00').slice(0, 2));
  if (f.length > 2 && /[1-9]/.test(f.slice(2))) throw new Error(`more than 2 decimals: ${decimal}`);
  return neg ? -c : c;
}
export function fromCents(c: bigint): string {
  const neg = c < 0n;
  const a = neg ? -c : c;
  return `${neg ? '-' : ''}${a / 100n}.${String(a % 100n).padStart(2, '0')}`;
}

export interface Filters {
  productFamilies?: string[];
  customerCountries?: string[];
  attributionTypes?: string[];
  locationMpnIds?: string[];
  salesChannels?: string[];
  segments?: string[];
}

interface DimRow {
  customerId: string;
  mpnId: string;
  country: string;
  segment: string;
  salesChannel: string;
  productFamily: string;
  sku: string;
}

export interface SubMonth extends DimRow {
  subscriptionId: string;
  month: string;
  state: string;
  isNew: boolean;
  churned: boolean;
  active: boolean;
  usage: boolean;
  trialConverted: boolean;
  renewed: boolean;
  isTrial: boolean;
  reseller: string | null;
}

export interface LicMonth extends DimRow {
  month: string;
  purchased: number;
  assigned: number;
  active: number;
}

export interface UsageLine extends DimRow {
  month: string;
  subscriptionId: string;
  meterCategory: string;
  acrCents: bigint;
  /** BillingPreTaxTotal in cents, in billingCurrency. */
  billingCents: bigint;
  billingCurrency: string;
}

/** Azure usage analytics: customers with usage on an Azure subscription among the subscription months given. */
function withUsage(rows: SubMonth[]): Set<string> {
  return new Set(rows.filter((r) => r.productFamily === 'Azure' && r.usage).map((r) => r.customerId));
}
/** Customers holding an Azure subscription (not Deprovisioned or Expired) in those months, without usage in any of them. */
function withoutUsage(rows: SubMonth[]): number {
  const used = withUsage(rows);
  const held = rows.filter((r) => r.productFamily === 'Azure' && r.state !== 'Deprovisioned' && r.state !== 'Expired');
  return new Set(held.map((r) => r.customerId).filter((c) => !used.has(c))).size;
}

export class PartnerModel {
  subMonths: SubMonth[] = [];
  licMonths: LicMonth[] = [];
  usage: UsageLine[] = [];
  lastMonth = '';
  attributions = new Map<string, Set<string>>();
  subscriptions: Rec[] = [];
  licenseEvents: (DimRow & { month: string; added: number })[] = [];
  productFamilyOf = new Map<string, string>();
  /** The resellers file, with the locations of each reseller's customers. */
  resellerRows: { mpnId: string; name: string; country: string; status: string; start: string; locations: string[] }[] = [];

  constructor(
    readonly partnerId: string,
    dir: string,
    usageFiles: string[],
  ) {
    const customers = new Map(readCsv(join(dir, 'customers.csv')).map((c) => [c['Microsoft ID'], c]));
    const products = new Map(readCsv(join(dir, 'products.csv')).map((p) => [p.OfferId, p]));
    let resellers = new Set<string>();
    try {
      const rows = readCsv(join(dir, 'resellers.csv'));
      resellers = new Set(rows.map((r) => r.ResellerMpnId));
      for (const r of rows) {
        const locations = [...new Set([...customers.values()].filter((c) => c.ResellerMpnId === r.ResellerMpnId).map((c) => c.MpnId))];
        this.resellerRows.push({ mpnId: r.ResellerMpnId, name: r.ResellerName, country: r.Country, status: r.Status, start: r.RelationshipStartDate, locations });
      }
    } catch {
      /* a direct partner has no resellers file */
    }
    for (const a of readCsv(join(dir, 'attributions.csv'))) {
      if (!this.attributions.has(a.CustomerId)) this.attributions.set(a.CustomerId, new Set());
      this.attributions.get(a.CustomerId)!.add(a.AttributionType);
    }
    const subs = readCsv(join(dir, 'subscriptions.csv'));
    const subsById = new Map(subs.map((s) => [s['Subscription ID'], s]));
    this.subscriptions = subs;
    for (const s of subs) this.productFamilyOf.set(s['Subscription ID'], products.get(s.OfferId)?.ProductFamily ?? 'Unknown');
    const events = readCsv(join(dir, 'subscription-events.csv'));
    const licenses = readCsv(join(dir, 'license-usage.csv'));
    const lines = usageFiles.flatMap((f) => readCsv(f)).filter((l) => l.PartnerId === partnerId);

    const channel = (reseller: string | undefined) => (reseller && resellers.has(reseller) ? 'Indirect reseller' : 'Direct');
    const custDims = (customerId: string) => {
      const c = customers.get(customerId);
      return { country: c?.Country || 'Unknown', segment: c?.Segment || 'Unknown' };
    };

    this.lastMonth = [...subs.map((s) => monthKey(s.CreatedDate)), ...events.map((e) => monthKey(e.EventDate)), ...licenses.map((l) => monthKey(l.Month))].sort().pop()!;

    const activeUsage = new Set<string>();
    for (const l of licenses) if (Number(l.ActiveUsers28Days) > 0 && l.SubscriptionId) activeUsage.add(`${l.SubscriptionId}|${monthKey(l.Month)}`);
    for (const u of lines) activeUsage.add(`${u.SubscriptionId}|${monthKey(u.UsageDate)}`);

    const lifecycle = ['Purchase', 'Renew', 'Reactivate', 'TrialConversion', 'Suspend', 'Cancel'];
    const eventsBySub = new Map<string, Rec[]>();
    for (const e of events) {
      if (!eventsBySub.has(e.SubscriptionId)) eventsBySub.set(e.SubscriptionId, []);
      eventsBySub.get(e.SubscriptionId)!.push(e);
    }
    for (const s of subs) {
      const id = s['Subscription ID'];
      const p = products.get(s.OfferId);
      const dims: DimRow = {
        customerId: s.CustomerId,
        mpnId: s.MpnId,
        ...custDims(s.CustomerId),
        salesChannel: channel(s.Reseller),
        productFamily: p?.ProductFamily ?? 'Unknown',
        sku: p?.SkuName ?? 'Unknown',
      };
      const evs = (eventsBySub.get(id) ?? []).slice().sort((a, b) => a.EventDate.localeCompare(b.EventDate));
      if (s.BillingType === 'License' && s.IsTrial !== 'true') {
        for (const e of evs) {
          if (!['Purchase', 'QuantityChange', 'TrialConversion'].includes(e.EventType)) continue;
          const added = Math.max((Number(e.QuantityAfter) || 0) - (Number(e.QuantityBefore) || 0), 0);
          this.licenseEvents.push({ ...dims, month: monthKey(e.EventDate), added });
        }
      }
      for (const m of months(monthKey(s.CreatedDate), this.lastMonth)) {
        const end = monthEnd(m);
        let state: string;
        if (m === this.lastMonth) state = s.Status;
        else if (s.IsTrial === 'true' && s.TrialEndDate && s.TrialEndDate <= end) state = 'Expired';
        else if (s.Status === 'Expired' && s.TermEndDate && s.TermEndDate <= end) state = 'Expired';
        else {
          const last = evs.filter((e) => lifecycle.includes(e.EventType) && e.EventDate <= end).pop();
          state = !last ? 'Active' : last.EventType === 'Suspend' ? 'Suspended' : last.EventType === 'Cancel' ? 'Deprovisioned' : 'Active';
        }
        this.subMonths.push({
          ...dims,
          subscriptionId: id,
          month: m,
          state,
          isNew: monthKey(s.CreatedDate) === m,
          churned: evs.some((e) => (e.EventType === 'Suspend' || e.EventType === 'Cancel') && monthKey(e.EventDate) === m),
          active: activeUsage.has(`${id}|${m}`) && !(dims.productFamily === 'Azure' && s.IsTrial === 'true'),
          usage: activeUsage.has(`${id}|${m}`),
          trialConverted: evs.some((e) => e.EventType === 'TrialConversion' && monthKey(e.EventDate) === m),
          renewed: evs.some((e) => e.EventType === 'Renew' && monthKey(e.EventDate) === m),
          isTrial: s.IsTrial === 'true',
          reseller: dims.salesChannel === 'Indirect reseller' ? s.Reseller : null,
        });
      }
    }
    for (const l of licenses) {
      const s = subsById.get(l.SubscriptionId);
      const c = customers.get(l.CustomerId);
      this.licMonths.push({
        customerId: l.CustomerId,
        mpnId: s?.MpnId ?? c?.MpnId ?? '',
        ...custDims(l.CustomerId),
        salesChannel: channel(s?.Reseller || c?.ResellerMpnId),
        productFamily: l.ProductFamily,
        sku: l.SkuName,
        month: monthKey(l.Month),
        purchased: Number(l.LicensesPurchased),
        assigned: Number(l.LicensesAssigned),
        active: Number(l.ActiveUsers28Days),
      });
    }
    for (const u of lines) {
      if (u.PricingCurrency !== 'USD') throw new Error(`model: pricing currency ${u.PricingCurrency} (the generator prices Azure usage in USD)`);
      const s = subsById.get(u.SubscriptionId);
      const c = customers.get(u.CustomerId);
      this.usage.push({
        customerId: u.CustomerId,
        mpnId: u.MpnId,
        country: c?.Country || u.CustomerCountry || 'Unknown',
        segment: c?.Segment || 'Unknown',
        salesChannel: channel(s?.Reseller || c?.ResellerMpnId),
        productFamily: 'Azure',
        sku: (s && products.get(s.OfferId)?.SkuName) || 'Unknown',
        month: monthKey(u.UsageDate),
        subscriptionId: u.SubscriptionId,
        meterCategory: u.MeterCategory || 'Unknown',
        acrCents: cents(u.PricingPreTaxTotal),
        billingCents: cents(u.BillingPreTaxTotal),
        billingCurrency: u.BillingCurrency,
      });
    }
  }

  matches(r: DimRow, f: Filters, locations: string[] | null): boolean {
    if (locations && !locations.includes(r.mpnId)) return false;
    if (f.productFamilies?.length && !f.productFamilies.includes(r.productFamily)) return false;
    if (f.customerCountries?.length && !f.customerCountries.includes(r.country)) return false;
    if (f.locationMpnIds?.length && !f.locationMpnIds.includes(r.mpnId)) return false;
    if (f.salesChannels?.length && !f.salesChannels.includes(r.salesChannel)) return false;
    if (f.segments?.length && !f.segments.includes(r.segment)) return false;
    if (f.attributionTypes?.length && ![...(this.attributions.get(r.customerId) ?? [])].some((t) => f.attributionTypes!.includes(t))) return false;
    return true;
  }

  /** Monthly value of a metric (string: integer or 2-decimal USD). */
  monthly(metric: string, month: string, f: Filters, locations: string[] | null, key?: (r: DimRow & Partial<SubMonth & UsageLine>) => string, keyValue?: string): string {
    const keep = <T extends DimRow>(r: T) => this.matches(r, f, locations) && (!key || key(r) === keyValue);
    const subs = () => this.subMonths.filter((r) => r.month === month && keep(r));
    const distinct = (rows: SubMonth[]) => String(new Set(rows.map((r) => r.subscriptionId)).size);
    const live = (r: SubMonth) => r.state !== 'Deprovisioned' && r.state !== 'Expired';
    const counted = (m: string) => new Set(this.subMonths.filter((r) => r.month === m && keep(r) && r.state === 'Active').map((r) => r.customerId));
    const lic = () => this.licMonths.filter((r) => r.month === month && keep(r));
    switch (metric) {
      case 'subscriptions':
        return distinct(subs().filter(live));
      case 'activeSubscriptions':
        return distinct(subs().filter((r) => r.active));
      case 'subscriptionsAdded':
        // "New subscriptions with Active or Renewed state are counted as Subscriptions added" (reference line 16381).
        return distinct(subs().filter((r) => r.isNew && (r.state === 'Active' || r.renewed)));
      case 'subscriptionsExisting':
        return distinct(subs().filter((r) => live(r) && !r.isNew));
      case 'subscriptionsChurned':
        return distinct(subs().filter((r) => r.churned));
      case 'azureSubscriptions':
        return distinct(subs().filter((r) => r.productFamily === 'Azure' && live(r)));
      case 'activeAzureSubscriptions':
        return distinct(subs().filter((r) => r.productFamily === 'Azure' && r.active));
      case 'customers':
        return String(counted(month).size);
      case 'activeCustomers':
        return String(new Set(subs().filter((r) => r.active).map((r) => r.customerId)).size);
      case 'customersAdded': {
        const prev = counted(nextMonth(month, -1));
        return String([...counted(month)].filter((c) => !prev.has(c)).length);
      }
      case 'azureCustomersAdded': {
        // customersAdded on the Azure page: its product family filter is Azure, narrowed by the page's.
        const families = f.productFamilies?.length ? f.productFamilies.filter((x) => x === 'Azure') : ['Azure'];
        return this.monthly('customersAdded', month, { ...f, productFamilies: families.length ? families : ['(none)'] }, locations, key, keyValue);
      }
      case 'customersExisting': {
        const prev = counted(nextMonth(month, -1));
        return String([...counted(month)].filter((c) => prev.has(c)).length);
      }
      case 'customersChurned': {
        const now = counted(month);
        return String([...counted(nextMonth(month, -1))].filter((c) => !now.has(c)).length);
      }
      case 'licenses':
        return String(lic().reduce((a, r) => a + r.purchased, 0));
      case 'licensesDeployed':
        return String(lic().reduce((a, r) => a + r.assigned, 0));
      case 'activeLicenses':
        return String(lic().reduce((a, r) => a + r.active, 0));
      case 'subscriptionsSold':
        return distinct(subs().filter((r) => r.isNew));
      case 'activeStatusSubscriptions':
        return distinct(subs().filter((r) => r.state === 'Active'));
      case 'suspendedSubscriptions':
        return distinct(subs().filter((r) => r.state === 'Suspended' && !r.isTrial));
      case 'newSubscriptionsExcludingTrials':
        return distinct(subs().filter((r) => r.isNew && !r.isTrial));
      case 'deprovisionedSubscriptions':
        return distinct(subs().filter((r) => r.churned));
      case 'trialConversions':
        return distinct(subs().filter((r) => r.trialConverted));
      case 'renewedSubscriptions':
        return distinct(subs().filter((r) => r.renewed));
      case 'azureSubscriptionsSold':
        return distinct(subs().filter((r) => r.isNew && r.productFamily === 'Azure'));
      case 'azureDeprovisionedSubscriptions':
        return distinct(subs().filter((r) => r.churned && r.productFamily === 'Azure'));
      case 'azureRenewedSubscriptions':
        return distinct(subs().filter((r) => r.renewed && r.productFamily === 'Azure'));
      case 'azureActiveSubscriptions':
        return distinct(subs().filter((r) => r.productFamily === 'Azure' && r.state === 'Active'));
      case 'azureCustomersWithUsage':
        return String(withUsage(subs()).size);
      case 'azureCustomersWithoutUsage':
        return String(withoutUsage(subs()));
      case 'activeResellers':
        return String(new Set(subs().filter((r) => live(r) && r.reseller).map((r) => r.reseller)).size);
      case 'transactingResellers':
        return String(new Set(subs().filter((r) => r.isNew && r.reseller).map((r) => r.reseller)).size);
      case 'totalResellers':
        return String(this.resellersIn(month, f, locations, key, keyValue).filter((r) => r.status === 'Active').length);
      case 'newResellers':
        return String(this.resellersIn(month, f, locations, key, keyValue).filter((r) => r.start && monthKey(r.start) === month).length);
      case 'licensesAdded':
      case 'licensesSold':
        return String(this.licenseEvents.filter((r) => r.month === month && keep(r)).reduce((a, r) => a + r.added, 0));
      case 'azureConsumedRevenue':
        return fromCents(this.usage.filter((r) => r.month === month && keep(r)).reduce((a, r) => a + r.acrCents, 0n));
      default:
        throw new Error(`model: no metric ${metric}`);
    }
  }

  /**
   * Resellers in a month of data whose relationship had started by then, kept when one of their
   * rows (one per location of their customers, or one without a location) matches: they have no
   * customer, segment, product or attribution (a filter on those keeps none).
   */
  resellersIn(month: string, f: Filters, locations: string[] | null, key?: (r: any) => string, keyValue?: string) {
    if (!this.subMonths.some((r) => r.month === month)) return [];
    return this.resellerRows.filter((r) => {
      if (r.start && monthKey(r.start) > month) return false;
      const rows = (r.locations.length ? r.locations : [null]).map((mpnId) => ({
        customerId: '',
        mpnId: mpnId as string,
        country: r.country,
        segment: null as unknown as string,
        salesChannel: 'Indirect reseller',
        productFamily: null as unknown as string,
        sku: null as unknown as string,
      }));
      return rows.some((row) => this.matches(row, f, locations) && (!key || key(row) === keyValue));
    });
  }

  /** Distinct-over-the-range values ('distinct' metrics). */
  rangeDistinct(metric: string, range: string[], f: Filters, locations: string[] | null): string {
    const rows = this.subMonths.filter((r) => range.includes(r.month) && this.matches(r, f, locations));
    switch (metric) {
      case 'azureCustomersWithUsage':
        return String(withUsage(rows).size);
      case 'azureCustomersWithoutUsage':
        return String(withoutUsage(rows));
      case 'transactingResellers':
        return String(new Set(rows.filter((r) => r.isNew && r.reseller).map((r) => r.reseller)).size);
      default:
        throw new Error(`model: no distinct metric ${metric}`);
    }
  }

  kpi(metric: string, range: string[], f: Filters, locations: string[] | null, rangeValue: 'last' | 'sum' | 'distinct', key?: (r: any) => string, keyValue?: string) {
    const series = range.map((m) => ({ month: m, value: this.monthly(metric, m, f, locations, key, keyValue) }));
    const num = (v: string) => (v.includes('.') ? cents(v) : BigInt(v) * 100n);
    const first = num(series[0].value);
    const last = num(series[series.length - 1].value);
    const isMoney = metric === 'azureConsumedRevenue';
    const total = series.reduce((a, p) => a + num(p.value), 0n);
    const value =
      rangeValue === 'distinct'
        ? this.rangeDistinct(metric, range, f, locations)
        : rangeValue === 'last'
          ? series[series.length - 1].value
          : isMoney
            ? fromCents(total)
            : String(total / 100n);
    const growth = first === 0n ? null : Math.round((Number(last - first) * 100 * 100) / Number(first)) / 100;
    return { value, growth, series };
  }
}

export function usageFilesOf(dir: string): string[] {
  const recon = join(dir, 'recon');
  return readdirSync(recon)
    .filter((f) => f.endsWith('_DailyRatedUsage.csv'))
    .map((f) => join(recon, f));
}
