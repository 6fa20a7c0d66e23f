import type { Permission } from '../../../core/permissions';
import type { InsightsFilters } from '../compile';
import type { Dimension, FactName } from '../facts';

export type ReportName =
  | 'overview'
  | 'customers'
  | 'subscriptions'
  | 'licenses'
  | 'azureUsage'
  | 'subscriptionAnalytics'
  | 'azureUsageAnalytics'
  | 'resellerAnalytics'
  | 'referrals';

/**
 * One Insights metric, defined once as data. GraphQL (insights subgraph), runMetric (exports, the
 * executive report) and the report resolvers all read these entries.
 */
export interface MetricDefinition {
  /** Unique, camelCase; the `metric(name:)` argument and the KPI name. */
  name: string;
  /** Reports the metric appears in. */
  reports: readonly ReportName[];
  title: string;
  /** The documented definition (Partner Center Insights documentation), quoted or paraphrased. */
  definition: string;
  /** 'count', or a currency: money is a DECIMAL in that currency. */
  unit: 'count' | 'USD';
  grain: 'month';
  /** The monthly fact the measure aggregates (warehouse/insights/facts.ts). */
  fact: FactName;
  /** SQL aggregate over the fact's rows of one month (and split value). Constants only, never input. */
  measure: string;
  /**
   * The same measure over the fact's rollup rows (facts.ts `rollup`, cubes.ts), e.g.
   * `sum(subscriptions)` for `count(DISTINCT subscription_id)`; absent: the metric always reads the
   * fact's rows. Must give the same value as `measure` for every filter and split.
   */
  rollupMeasure?: string;
  /**
   * The KPI value over a date range: 'last' = the value of the range's last month (a "current
   * count"); 'sum' = the total of the range's months (adds, churns, revenue "over the selected date
   * range"); 'distinct' = the measure over all rows of the range at once (distinct counts "in the
   * specified time period", e.g. customers with usage). Growth % is always last month vs first month
   * of the range.
   */
  rangeValue: 'last' | 'sum' | 'distinct';
  /** Dimensions it may be split (and filtered) by; a subset of the fact's dimensions. */
  dimensions: readonly Dimension[];
  /** Permissions needed to read it, all of them (schema/common/permissions.ts). */
  permissions: readonly Permission[];
  /**
   * Page filters the metric always applies (a page's restriction, e.g. Azure only): a request's own
   * filters narrow them further, never widen them (compile.ts withMetricFilters).
   */
  filters?: InsightsFilters;
}

export function defineMetrics<const T extends readonly MetricDefinition[]>(metrics: T): T {
  return metrics;
}
