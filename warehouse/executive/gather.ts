import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { query, sql } from '../../core/sql';
import { badUserInput } from '../../core/errors';
import { assertPermission, hasPermission, rolesFor, type Permission } from '../../core/permissions';
import { now, today } from '../clock';
import type { SqlRunner } from '../../core/sql';
import { dataMonths, type MetricRequest, type MonthRange } from '../insights/compile';
import type { Dimension } from '../insights/facts';
import { findMetric, type MetricDefinition } from '../insights/metrics';
import { pciScores } from '../insights/pci';
import { runReferralInsights } from '../insights/referral-insights';
import { percentOf, runMetrics, type SeriesResult } from '../insights/run';
import { metricByCustomer } from './metric-by-customer';
import { lastDayOf, parseReportMonth, reportMonths, type ReportMonths } from './month';
import { notableChanges } from './notable';
import type { Comparison, ExecutiveReport, KpiFigure, PciSection, Ranking, RankedItem, ReferralSection, WithheldItem } from './types';

/**
 * Gathers the executive report of one month from the insights engine: every number is an insights
 * metric (warehouse/insights/metrics), run through runMetrics in one statement over the 13 months
 * ending with the report month, plus referral insights (funnel), PCI scores and the metric-by-
 * customer rankings. What the caller may see follows the metrics' own permissions; what is left
 * out is listed in `withheld` with the roles that would show it.
 */
export const HEADLINE_METRICS = ['customers', 'subscriptions', 'licenses', 'azureConsumedRevenue'] as const;
export const MOVEMENT_METRICS = ['customersAdded', 'customersChurned', 'subscriptionsAdded', 'subscriptionsChurned'] as const;
export const REFERRAL_METRICS = ['referrals', 'referralsWon', 'referralDealVolume'] as const;

/** Bar charts: a metric split by a dimension, in the report month. */
interface RankingSpec {
  chart: string;
  title: string;
  metric: string;
  splitBy: Dimension;
}
const PRODUCT_RANKINGS: RankingSpec[] = [
  { chart: 'top-products', title: 'Subscriptions by product', metric: 'subscriptions', splitBy: 'productFamily' },
  { chart: 'top-skus', title: 'Licenses by product plan (SKU)', metric: 'licenses', splitBy: 'sku' },
];
const GEOGRAPHY_RANKINGS: RankingSpec[] = [
  { chart: 'geography-customers', title: 'Customers by country', metric: 'customers', splitBy: 'country' },
  { chart: 'geography-acr', title: 'ACR (USD) by customer country', metric: 'azureConsumedRevenue', splitBy: 'country' },
];
const CUSTOMER_RANKINGS: { chart: string; title: string; metric: string }[] = [
  { chart: 'top-customers-licenses', title: 'Top customers by licenses', metric: 'licenses' },
  { chart: 'top-customers-acr', title: 'Top customers by ACR (USD)', metric: 'azureConsumedRevenue' },
];

/** Bars per ranking chart. */
export const RANKING_SIZE = 8;

const PATH_TITLES = { CUSTOMER_ENGAGEMENT: 'Customer Engagement', FINANCE_AND_OPERATIONS: 'Finance and Operations' } as const;

const ym = (month: string) => month.slice(0, 7);

function metric(name: string): MetricDefinition {
  const m = findMetric(name);
  if (!m) throw new Error(`executive report: unknown insights metric ${name}`);
  return m;
}

/** The first permission of the list the caller lacks, or null. */
function missing(caller: Caller, permissions: readonly Permission[]): Permission | null {
  return permissions.find((p) => !hasPermission(caller, p)) ?? null;
}

/** % change, 1 decimal; null when the base is unknown or 0. */
export function changePercent(value: string, base: string | null): number | null {
  if (base === null || Number(base) === 0) return null;
  return Math.round(((Number(value) - Number(base)) / Number(base)) * 1000) / 10;
}

function valueAt(series: SeriesResult['series'], month: string): string | null {
  return series.find((p) => p.month === ym(month))?.value ?? null;
}

function comparison(series: SeriesResult['series'], months: ReportMonths, against: string, firstMonth: string): Comparison {
  const value = against < firstMonth ? null : valueAt(series, against) ?? '0';
  return { value, changePercent: changePercent(valueAt(series, months.month) ?? '0', value) };
}

function kpiFigure(def: MetricDefinition, total: SeriesResult, months: ReportMonths, firstMonth: string): KpiFigure {
  return {
    name: def.name,
    title: def.title,
    definition: def.definition,
    unit: def.unit === 'USD' ? 'USD' : 'count',
    value: valueAt(total.series, months.month) ?? '0',
    vsPreviousMonth: comparison(total.series, months, months.previousMonth, firstMonth),
    vsPreviousYear: comparison(total.series, months, months.previousYear, firstMonth),
    series: total.series.map((p) => ({ month: p.month, value: p.value })),
  };
}

const REGION = new Intl.DisplayNames(['en'], { type: 'region' });
function countryName(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    return REGION.of(code) ?? code;
  } catch {
    return code;
  }
}

function byValueDesc(a: RankedItem, b: RankedItem): number {
  return Number(b.value) - Number(a.value) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}

export async function gatherExecutiveReport(db: SqlRunner, caller: Caller, monthInput: string): Promise<ExecutiveReport> {
  assertPermission(caller, 'readReports', 'The executive report');
  const month = parseReportMonth(monthInput);
  const data = await dataMonths(db, caller);
  if (month > data.asOf || month < data.firstMonth) {
    throw badUserInput(`there is no data for ${ym(month)}: the warehouse has data from ${ym(data.firstMonth)} to ${ym(data.asOf)}`, 'month', {
      from: ym(data.firstMonth),
      to: ym(data.asOf),
    });
  }
  const months = reportMonths(month);
  const range: MonthRange = { from: months.trendFrom, to: month, asOf: data.asOf };
  const withheld: WithheldItem[] = [];
  const withhold = (what: string, permission: Permission) => {
    if (!withheld.some((w) => w.what === what)) withheld.push({ what, permission, roles: rolesFor(permission) });
  };
  /** Whether the caller may see a metric; records what is withheld otherwise. */
  const shows = (name: string, what: string) => {
    const lacking = missing(caller, metric(name).permissions);
    if (lacking) withhold(what, lacking);
    return !lacking;
  };

  // 1. Every metric of the report in one statement (totals and splits over the 13 months).
  const requests: MetricRequest[] = [];
  const totals = new Map<string, number>();
  const total = (name: string) => {
    if (!totals.has(name)) totals.set(name, requests.push({ metric: metric(name), range }) - 1);
    return totals.get(name)!;
  };
  const split = (name: string, splitBy: Dimension) => requests.push({ metric: metric(name), range, splitBy }) - 1;

  const headlineNames = HEADLINE_METRICS.filter((n) => shows(n, 'Azure consumed revenue (ACR)'));
  headlineNames.forEach(total);
  MOVEMENT_METRICS.forEach(total);
  const rankingSlots = [...PRODUCT_RANKINGS, ...GEOGRAPHY_RANKINGS]
    .filter((r) => shows(r.metric, 'Azure consumed revenue (ACR)'))
    .map((spec) => ({ spec, total: total(spec.metric), index: split(spec.metric, spec.splitBy) }));
  const referralsShown = shows('referrals', 'Referrals and won deal volume');
  const referralNames = referralsShown ? REFERRAL_METRICS.filter((n) => shows(n, 'Won deal volume of referrals')) : [];
  referralNames.forEach(total);
  const results = await runMetrics(db, caller, requests);

  const figure = (name: string) => kpiFigure(metric(name), results[totals.get(name)!][0], months, data.firstMonth);
  const rankingOf = (spec: RankingSpec, totalIndex: number, index: number): Ranking => {
    const totalValue = valueAt(results[totalIndex][0].series, month) ?? '0';
    const items = results[index]
      .map((g) => {
        const value = valueAt(g.series, month) ?? '0';
        const label = spec.splitBy === 'country' ? countryName(g.key) : g.key;
        return { key: g.key, label, value, previous: valueAt(g.series, months.previousMonth), percentOfTotal: percentOf(value, totalValue) };
      })
      .filter((i) => Number(i.value) > 0)
      .sort(byValueDesc)
      .slice(0, RANKING_SIZE);
    const def = metric(spec.metric);
    return { chart: spec.chart, title: spec.title, metric: spec.metric, unit: def.unit === 'USD' ? 'USD' : 'count', items };
  };
  const rankings = rankingSlots.map((s) => ({ chart: s.spec.chart, ranking: rankingOf(s.spec, s.total, s.index) }));
  const inGroup = (specs: RankingSpec[]) => rankings.filter((r) => specs.some((s) => s.chart === r.chart)).map((r) => r.ranking);

  // 2. Top customers: the metric's measure per customer, report month and the one before.
  const topCustomers: Ranking[] = [];
  if (!hasPermission(caller, 'readCustomers')) withhold('Top customers', 'readCustomers');
  else {
    for (const spec of CUSTOMER_RANKINGS) {
      if (!shows(spec.metric, 'Azure consumed revenue (ACR)')) continue;
      const def = metric(spec.metric);
      const rows = await metricByCustomer(db, caller, def, [months.previousMonth, month]);
      const totalIndex = totals.get(spec.metric);
      const totalValue = totalIndex === undefined ? '0' : valueAt(results[totalIndex][0].series, month) ?? '0';
      const previous = new Map(rows.filter((r) => r.month === months.previousMonth).map((r) => [r.customerId, r.value]));
      const items = rows
        .filter((r) => r.month === month && Number(r.value) > 0)
        .map((r) => ({ key: r.customerId, label: r.companyName ?? r.customerId, value: r.value, previous: previous.get(r.customerId) ?? null, percentOfTotal: percentOf(r.value, totalValue) }))
        .sort(byValueDesc)
        .slice(0, RANKING_SIZE);
      topCustomers.push({ chart: spec.chart, title: spec.title, metric: spec.metric, unit: def.unit === 'USD' ? 'USD' : 'count', items });
    }
  }

  // 3. Referrals: the month's KPIs (by month created) and the funnel of referral insights.
  let referrals: ReferralSection | null = null;
  if (referralsShown) {
    const insights = await runReferralInsights(db, caller, { range: 'LAST_12_MONTHS' });
    referrals = {
      kpis: referralNames.map(figure),
      funnel: insights.funnel,
      funnelFrom: ym(insights.range.from),
      funnelTo: ym(insights.range.to),
    };
  }

  // 4. PCI, scored on the report month's last day (or today within the current month).
  const pciDay = [lastDayOf(month), today()].sort()[0];
  const scores = await pciScores(db, caller, { asOf: pciDay });
  const revenueVisible = hasPermission(caller, 'seeRevenue');
  const pci: PciSection = {
    asOf: scores.asOf,
    market: scores.market,
    paths: scores.paths.map((p) => ({
      path: p.path,
      title: PATH_TITLES[p.path],
      score: p.score,
      previousScore: p.history.length > 1 ? p.history[p.history.length - 2].score : null,
      history: p.history.map((h) => ({ month: ym(h.month), score: h.score })),
      indicators: p.indicators.map((i) => {
        const hidden = i.key === 'NET_NEW_REVENUE' && !revenueVisible;
        return { key: i.key, name: i.name, unit: i.unit, valueText: hidden ? null : i.valueText, value: hidden ? null : i.value, threshold: i.threshold, points: i.points, maxPoints: i.maxPoints, withheld: hidden };
      }),
      furthest: p.furthestFromThreshold.slice(0, 3).map((f) => ({ key: f.key, name: f.name, pointsToGain: f.pointsToGain })),
    })),
  };
  if (!revenueVisible) withhold('PCI net new revenue (USD)', 'seeRevenue');

  // 5. Who the report is for.
  const [partner] = await query<{ name: string }>(db, sql`SELECT p.name FROM partners p WHERE ${scope(caller, 'p', null)}`);
  const locations =
    caller.locations === null
      ? null
      : await query<{ mpnId: string; name: string | null; country: string | null }>(
          db,
          sql`SELECT l.mpn_id AS "mpnId", l.name, l.country FROM locations l WHERE ${scope(caller, 'l', 'l.mpn_id')} ORDER BY l.mpn_id`,
        );

  const report: ExecutiveReport = {
    partner: { id: caller.partnerId, name: partner?.name ?? caller.partnerId },
    month: ym(month),
    previousMonth: ym(months.previousMonth),
    previousYear: ym(months.previousYear),
    dataFrom: ym(data.firstMonth),
    dataTo: ym(data.asOf),
    generatedAt: now().toISOString(),
    audience: { roles: [...caller.roles], locations },
    headline: headlineNames.map(figure),
    movements: MOVEMENT_METRICS.map(figure),
    topProducts: inGroup(PRODUCT_RANKINGS),
    topCustomers,
    geography: inGroup(GEOGRAPHY_RANKINGS),
    referrals,
    pci,
    notableChanges: [],
    withheld,
  };
  report.notableChanges = notableChanges(report);
  return report;
}
