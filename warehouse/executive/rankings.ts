import type { Caller } from '../../core/caller';
import { hasPermission } from '../../core/permissions';
import type { SqlRunner } from '../../core/sql';
import type { Dimension } from '../insights/facts';
import { percentOf, type SeriesResult } from '../insights/run';
import { byValueDesc, metric, valueAt } from './figures';
import { metricByCustomer } from './metric-by-customer';
import type { ReportMonths } from './month';
import type { Ranking } from './types';
import type { Withheld } from './withheld';

/** Bar charts: a metric split by a dimension, in the report month. */
export interface RankingSpec {
  chart: string;
  title: string;
  metric: string;
  splitBy: Dimension;
}
export const PRODUCT_RANKINGS: RankingSpec[] = [
  { chart: 'top-products', title: 'Subscriptions by product', metric: 'subscriptions', splitBy: 'productFamily' },
  { chart: 'top-skus', title: 'Licenses by product plan (SKU)', metric: 'licenses', splitBy: 'sku' },
];
export const GEOGRAPHY_RANKINGS: RankingSpec[] = [
  { chart: 'geography-customers', title: 'Customers by country', metric: 'customers', splitBy: 'country' },
  { chart: 'geography-acr', title: 'ACR (USD) by customer country', metric: 'azureConsumedRevenue', splitBy: 'country' },
];
const CUSTOMER_RANKINGS: { chart: string; title: string; metric: string }[] = [
  { chart: 'top-customers-licenses', title: 'Top customers by licenses', metric: 'licenses' },
  { chart: 'top-customers-acr', title: 'Top customers by ACR (USD)', metric: 'azureConsumedRevenue' },
];

/** Bars per ranking chart. */
export const RANKING_SIZE = 8;

const REGION = new Intl.DisplayNames(['en'], { type: 'region' });
function countryName(code: string): string {
  if (!/^[A-Z]{2}$/.test(code)) return code;
  try {
    return REGION.of(code) ?? code;
  } catch {
    return code;
  }
}

const unitOf = (name: string) => (metric(name).unit === 'USD' ? 'USD' : 'count');

/** A ranking from a metric's split (groups) and its total, in the report month. */
export function splitRanking(spec: RankingSpec, total: SeriesResult, groups: readonly SeriesResult[], months: ReportMonths): Ranking {
  const totalValue = valueAt(total.series, months.month) ?? '0';
  const items = groups
    .map((g) => {
      const value = valueAt(g.series, months.month) ?? '0';
      const label = spec.splitBy === 'country' ? countryName(g.key) : g.key;
      return { key: g.key, label, value, previous: valueAt(g.series, months.previousMonth), percentOfTotal: percentOf(value, totalValue) };
    })
    .filter((i) => Number(i.value) > 0)
    .sort(byValueDesc)
    .slice(0, RANKING_SIZE);
  return { chart: spec.chart, title: spec.title, metric: spec.metric, unit: unitOf(spec.metric), items };
}

/**
 * Top customers: the metric's measure per customer, report month and the one before, with the
 * share of the metric's total (totalOf: the report's total of a metric, if it ran one).
 */
export async function topCustomerRankings(
  db: SqlRunner,
  caller: Caller,
  months: ReportMonths,
  withheld: Withheld,
  totalOf: (name: string) => SeriesResult | undefined,
): Promise<Ranking[]> {
  const topCustomers: Ranking[] = [];
  if (!hasPermission(caller, 'readCustomers')) {
    withheld.add('Top customers', 'readCustomers');
    return topCustomers;
  }
  for (const spec of CUSTOMER_RANKINGS) {
    if (!withheld.shows(spec.metric, 'Azure consumed revenue (ACR)')) continue;
    const rows = await metricByCustomer(db, caller, metric(spec.metric), [months.previousMonth, months.month]);
    const total = totalOf(spec.metric);
    const totalValue = total === undefined ? '0' : valueAt(total.series, months.month) ?? '0';
    const previous = new Map(rows.filter((r) => r.month === months.previousMonth).map((r) => [r.customerId, r.value]));
    const items = rows
      .filter((r) => r.month === months.month && Number(r.value) > 0)
      .map((r) => ({ key: r.customerId, label: r.companyName ?? r.customerId, value: r.value, previous: previous.get(r.customerId) ?? null, percentOfTotal: percentOf(r.value, totalValue) }))
      .sort(byValueDesc)
      .slice(0, RANKING_SIZE);
    topCustomers.push({ chart: spec.chart, title: spec.title, metric: spec.metric, unit: unitOf(spec.metric), items });
  }
  return topCustomers;
}
