import type { Caller } from '../../core/caller';
import { hasPermission } from '../../core/permissions';
import type { SqlRunner } from '../../core/sql';
import { dataMonths, resolveRange, type DateRangeInput, type InsightsFilters, type MetricRequest, type MonthRange } from './compile';
import type { Dimension } from './facts';
import { findMetric, type MetricDefinition, type ReportName } from './metrics';
import { percentOf, runMetrics, type SeriesResult } from './run';

/**
 * The five Insights reports as data: their KPIs (metric names) and breakdowns (metric x split
 * dimension). A report is computed with two statements: the data months, then every KPI and
 * breakdown the caller may see in one UNION ALL statement. Metrics the caller may not see (ACR
 * without seeRevenue) are left out of the SQL; their GraphQL fields answer null + FORBIDDEN.
 */
export interface BreakdownSpec {
  /** e.g. 'customersByCountry' */
  name: string;
  metric: string;
  splitBy: Dimension;
  title: string;
}

export interface ReportSpec {
  kpis: readonly string[];
  breakdowns: readonly BreakdownSpec[];
  /** Adds/churns trend: the metrics giving new, existing and churned per month. */
  addsChurns?: { added: string; existing: string; churned: string };
}

const by = (metric: string, splitBy: Dimension, title: string, name?: string): BreakdownSpec => ({
  name: name ?? `${metric}By${splitBy[0].toUpperCase()}${splitBy.slice(1)}`,
  metric,
  splitBy,
  title,
});

export const REPORTS: Record<ReportName, ReportSpec> = {
  overview: {
    kpis: ['customers', 'azureConsumedRevenue', 'subscriptions', 'activeSubscriptions', 'licensesDeployed'],
    breakdowns: [
      by('customers', 'country', 'Geographical spread: customers by customer country'),
      by('subscriptions', 'country', 'Geographical spread: subscriptions by customer country'),
      by('licensesDeployed', 'country', 'Geographical spread: licenses by customer country'),
    ],
  },
  customers: {
    kpis: ['customers', 'activeCustomers', 'customersAdded', 'customersChurned'],
    addsChurns: { added: 'customersAdded', existing: 'customersExisting', churned: 'customersChurned' },
    breakdowns: [
      by('customers', 'country', 'Geographical spread: current customers by country (trend by market)'),
      by('activeCustomers', 'country', 'Geographical spread: active customers by country'),
      by('customersAdded', 'country', 'Geographical spread: customers added by country'),
      by('customers', 'location', 'Customer distribution by partner location (and trend)'),
      by('customers', 'segment', 'Customer distribution by customer segment (and trend)'),
      by('customers', 'salesChannel', 'Customer distribution by sales channel'),
      by('customers', 'attributionType', 'Customer distribution by partner attribution type'),
      by('customers', 'productFamily', 'Customers by products (and trend)'),
      by('customers', 'sku', 'Customers by SKUs/plans'),
    ],
  },
  subscriptions: {
    kpis: ['subscriptions', 'activeSubscriptions', 'subscriptionsAdded', 'subscriptionsChurned'],
    addsChurns: { added: 'subscriptionsAdded', existing: 'subscriptionsExisting', churned: 'subscriptionsChurned' },
    breakdowns: [
      by('subscriptions', 'country', 'Subscriptions by geography'),
      by('activeSubscriptions', 'country', 'Active subscriptions by geography'),
      by('subscriptions', 'location', 'Subscription distribution by partner location'),
      by('subscriptions', 'segment', 'Subscription distribution by customer segment'),
      by('subscriptions', 'salesChannel', 'Subscription distribution by sales channel'),
      by('subscriptions', 'attributionType', 'Subscription distribution by partner attribution type'),
      by('subscriptions', 'sku', 'Subscriptions by SKUs/plans'),
      by('subscriptions', 'productFamily', 'Subscriptions by products (and products trend)'),
      by('subscriptions', 'state', 'Subscription state distribution'),
    ],
  },
  licenses: {
    kpis: ['licenses', 'licensesDeployed', 'activeLicenses', 'licensesAdded'],
    breakdowns: [
      by('licensesAdded', 'productFamily', 'License adds by product'),
      by('licensesAdded', 'sku', 'License adds by SKU (service/workload)'),
      by('licenses', 'country', 'Licenses geographical spread: current licenses by country'),
      by('activeLicenses', 'country', 'Licenses geographical spread: active licenses by country'),
      by('licenses', 'productFamily', 'Licenses by product'),
      by('licenses', 'location', 'License distribution by partner location'),
      by('licenses', 'salesChannel', 'License distribution by sales channel'),
      by('licenses', 'sku', 'License distribution by SKU'),
      by('licenses', 'attributionType', 'License distribution by partner attribution type'),
      by('licenses', 'segment', 'License distribution by customer segment'),
    ],
  },
  azureUsage: {
    kpis: ['azureSubscriptions', 'activeAzureSubscriptions', 'azureConsumedRevenue'],
    breakdowns: [
      by('azureSubscriptions', 'country', 'Azure subscriptions by country'),
      by('azureConsumedRevenue', 'country', 'Azure usage by geography: ACR (USD) by customer country'),
      by('azureConsumedRevenue', 'meterCategory', 'Azure utilization: month-over-month ACR (USD) by meter category, change vs the previous month'),
    ],
  },
  subscriptionAnalytics: {
    kpis: ['subscriptionsSold', 'licensesSold', 'activeStatusSubscriptions', 'suspendedSubscriptions', 'newSubscriptionsExcludingTrials', 'deprovisionedSubscriptions', 'trialConversions', 'renewedSubscriptions'],
    breakdowns: [
      by('subscriptionsSold', 'productFamily', 'Product breakdown: subscriptions sold by product'),
      by('licensesSold', 'productFamily', 'Product breakdown: licenses sold by product'),
    ],
  },
  azureUsageAnalytics: {
    kpis: ['azureSubscriptionsSold', 'azureCustomersWithUsage', 'azureCustomersWithoutUsage', 'azureActiveSubscriptions', 'azureDeprovisionedSubscriptions', 'azureRenewedSubscriptions', 'azureCustomersAdded'],
    breakdowns: [],
  },
  resellerAnalytics: {
    kpis: ['totalResellers', 'newResellers', 'activeResellers', 'transactingResellers', 'subscriptionsSold', 'deprovisionedSubscriptions'],
    breakdowns: [
      by('totalResellers', 'country', 'Resellers by market: total resellers by geographic location'),
      by('subscriptionsSold', 'reseller', 'Top resellers by subscriptions sold'),
      by('subscriptionsSold', 'productFamily', 'Top products by subscriptions sold'),
    ],
  },
  // Referral insights: the summary KPIs (date range only). The page's other sections (by solution,
  // funnel, progression, pending, location, status, trend) are plain SQL: warehouse/insights/referral-insights.ts.
  referrals: {
    kpis: ['referrals', 'referralsWon', 'referralDealVolume'],
    breakdowns: [],
  },
};

export interface KpiResult extends SeriesResult {
  name: string;
  title: string;
  definition: string;
  unit: string;
}

export interface BreakdownResult {
  name: string;
  title: string;
  metric: string;
  dimension: Dimension;
  unit: string;
  items: (SeriesResult & { percentOfTotal: number | null })[];
}

export interface AddsChurnsPoint {
  month: string;
  new: string;
  existing: string;
  churned: string;
}

export interface ReportResult {
  range: MonthRange;
  /** KPI by metric name; absent when the caller may not see it. */
  kpis: Record<string, KpiResult | undefined>;
  breakdowns: BreakdownResult[];
  /** Breakdowns of metrics needing seeRevenue (null when the caller may not see them). */
  revenueBreakdowns: BreakdownResult[] | null;
  addsChurns: AddsChurnsPoint[] | null;
}

function visible(caller: Caller, metric: MetricDefinition): boolean {
  return metric.permissions.every((p) => hasPermission(caller, p));
}

/** A report's months: the date range argument resolved against the caller's data months (one statement). */
export async function reportRange(db: SqlRunner, caller: Caller, input: DateRangeInput | null | undefined): Promise<MonthRange> {
  const months = await dataMonths(db, caller);
  return resolveRange(input, months.asOf, months.firstMonth);
}

export async function runReport(
  db: SqlRunner,
  caller: Caller,
  report: ReportName,
  args: { range?: DateRangeInput | null; filters?: InsightsFilters | null },
): Promise<ReportResult> {
  return runReportInRange(db, caller, report, await reportRange(db, caller, args.range), args.filters);
}

/** A report over resolved months: every KPI and breakdown the caller may see, in one statement. */
export async function runReportInRange(
  db: SqlRunner,
  caller: Caller,
  report: ReportName,
  range: MonthRange,
  filters: InsightsFilters | null | undefined,
): Promise<ReportResult> {
  const spec = REPORTS[report];
  const metric = (name: string) => {
    const m = findMetric(name);
    if (!m) throw new Error(`report ${report}: unknown metric ${name}`);
    return m;
  };
  const requests: MetricRequest[] = [];
  const slots: { spec: BreakdownSpec; index: number }[] = [];
  const totals = new Map<string, number>();
  const add = (m: MetricDefinition, splitBy: Dimension | null) => {
    requests.push({ metric: m, range, filters, splitBy });
    return requests.length - 1;
  };
  const totalOf = (name: string) => {
    if (!totals.has(name)) totals.set(name, add(metric(name), null));
    return totals.get(name)!;
  };
  for (const name of spec.kpis) if (visible(caller, metric(name))) totalOf(name);
  for (const b of spec.breakdowns) {
    const m = metric(b.metric);
    if (!visible(caller, m)) continue;
    totalOf(b.metric);
    slots.push({ spec: b, index: add(m, b.splitBy) });
  }
  if (spec.addsChurns) for (const name of Object.values(spec.addsChurns)) totalOf(name);
  const results = await runMetrics(db, caller, requests);

  const kpis: Record<string, KpiResult> = {};
  for (const [name, index] of totals) {
    const m = metric(name);
    kpis[name] = { ...results[index][0], name, title: m.title, definition: m.definition, unit: m.unit };
  }
  const breakdowns: BreakdownResult[] = [];
  const revenue: BreakdownResult[] = [];
  for (const slot of slots) {
    const m = metric(slot.spec.metric);
    const total = kpis[m.name];
    const result: BreakdownResult = {
      name: slot.spec.name,
      title: slot.spec.title,
      metric: m.name,
      dimension: slot.spec.splitBy,
      unit: m.unit,
      items: results[slot.index].map((g) => ({ ...g, percentOfTotal: percentOf(g.value, total.value) })),
    };
    (m.permissions.includes('seeRevenue') ? revenue : breakdowns).push(result);
  }
  const shownKpis: Record<string, KpiResult | undefined> = {};
  for (const name of spec.kpis) shownKpis[name] = kpis[name];
  let addsChurns: AddsChurnsPoint[] | null = null;
  if (spec.addsChurns) {
    const a = kpis[spec.addsChurns.added].series;
    const e = kpis[spec.addsChurns.existing].series;
    const c = kpis[spec.addsChurns.churned].series;
    addsChurns = a.map((p, i) => ({ month: p.month, new: p.value, existing: e[i].value, churned: c[i].value }));
  }
  const revenueVisible = spec.breakdowns.some((b) => metric(b.metric).permissions.includes('seeRevenue') && visible(caller, metric(b.metric)));
  return { range, kpis: shownKpis, breakdowns, revenueBreakdowns: revenueVisible ? revenue : null, addsChurns };
}
