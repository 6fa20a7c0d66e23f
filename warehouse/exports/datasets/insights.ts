import { sql } from '../../../core/sql';
import { compileMetrics, type MetricRequest } from '../../insights/compile';
import { METRICS, type MetricDefinition } from '../../insights/metrics';
import { ANY_RANGE, columns, type Dataset } from '../dataset';

/**
 * Every Insights metric as a dataset, `insights.<metric name>`: its month-by-month series over the
 * range, optionally split by one of the metric's dimensions (?splitBy=), from the same compiled SQL
 * that GraphQL's `metric(name:)` runs (warehouse/insights/compile.ts), so the numbers are the same.
 * Counts are BIGINT, money DECIMAL(18,2) in the metric's currency.
 */
const FILTERS = {
  productFamilies: 'productFamilies',
  customerCountries: 'customerCountries',
  attributionTypes: 'attributionTypes',
  locationMpnIds: 'locationMpnIds',
  salesChannels: 'salesChannels',
  segments: 'segments',
} as const;

function metricDataset(metric: MetricDefinition): Dataset {
  const valueType = metric.unit === 'count' ? 'BIGINT' : 'DECIMAL(18,2)';
  const unit = metric.unit === 'count' ? 'a count' : `${metric.unit}`;
  const dataset: Dataset = {
    name: `insights.${metric.name}`,
    title: `Insights: ${metric.title}`,
    description: `${metric.definition} (${unit}; by month${metric.dimensions.length ? `, splittable by ${metric.dimensions.join(', ')}` : ''})`,
    timeframe: { kind: 'monthly', ranges: ANY_RANGE },
    // Exactly what GraphQL's metric(name:) checks (runMetric): the metric's own permissions.
    permissions: metric.permissions.length ? metric.permissions : ['readReports'],
    contains: metric.permissions.some((p) => p === 'seeRevenue' || p === 'seeDealValue') || metric.unit !== 'count' ? ['revenue'] : [],
    // compileMetrics applies these itself (the fact's columns).
    filters: FILTERS,
    splittable: metric.dimensions.length > 0,
    dimensions: metric.dimensions,
    columns: columns([
      ['Metric', 'VARCHAR', 'Metric name'],
      ['Month', 'DATE', 'First day of the month'],
      ['SplitBy', 'VARCHAR', 'Dimension the values are split by; "none" when not split'],
      ['SplitValue', 'VARCHAR', 'Value of the dimension ("All" when not split)'],
      ['Value', valueType, `Value of the month (${unit})`],
      ['RangeValue', valueType, 'Value over the whole range, as the report shows it (last month or sum, as the metric defines)'],
      ['GrowthPercent', 'DOUBLE', 'Last month against the first month of the range, %; empty when the first is 0'],
      ['ChangePercent', 'DOUBLE', 'Month against the previous month, %; empty for the first month or from 0'],
    ]),
    query: (ctx) => {
      const request: MetricRequest = { metric, range: ctx.range!, filters: ctx.filters, splitBy: ctx.splitBy };
      return sql`SELECT CAST(${metric.name} AS VARCHAR) AS Metric, strptime(month, '%Y-%m')::DATE AS Month, CAST(${ctx.splitBy ?? 'none'} AS VARCHAR) AS SplitBy,
          dim AS SplitValue, CAST(value AS ${sql.raw(valueType)}) AS Value, CAST(range_value AS ${sql.raw(valueType)}) AS RangeValue,
          growth::DOUBLE AS GrowthPercent, change::DOUBLE AS ChangePercent
        FROM (${compileMetrics(ctx.caller, [request])}) ORDER BY SplitValue, Month`;
    },
  };
  return dataset;
}

export const INSIGHTS_DATASETS: readonly Dataset[] = METRICS.map(metricDataset);
