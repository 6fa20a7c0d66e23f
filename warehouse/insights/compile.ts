import { badUserInput } from '../../schema/common/errors';
import type { Caller } from '../../resolvers/common/context';
import { scope } from '../../resolvers/common/scope';
import { Sql, query, sql } from '../../resolvers/common/sql';
import { today } from '../clock';
import type { SqlRunner } from '../db';
import { DIMENSION_COLUMN, FACTS, type Dimension } from './facts';
import type { MetricDefinition } from './metrics';

/**
 * The query compiler: (metric, month range, filters, split-by dimension) -> one SQL statement
 * giving the month-by-month series per split value, with the range value (last month or sum, as
 * the metric says), the growth % (last vs first month of the range) and the change vs the previous
 * month of each point. Several requests compile into one statement (UNION ALL), so a report
 * section is one round trip.
 */
export type DateRangeKind = 'LAST_3_MONTHS' | 'LAST_6_MONTHS' | 'LAST_12_MONTHS' | 'CUSTOM' | 'LIFETIME';

export interface DateRangeInput {
  kind?: DateRangeKind;
  /** CUSTOM: first month, 'YYYY-MM' (or a date in it). */
  from?: string | null;
  /** CUSTOM: last month, 'YYYY-MM' (or a date in it). */
  to?: string | null;
}

export interface InsightsFilters {
  productFamilies?: readonly string[] | null;
  customerCountries?: readonly string[] | null;
  attributionTypes?: readonly string[] | null;
  locationMpnIds?: readonly string[] | null;
  /** 'Direct' | 'Indirect reseller' */
  salesChannels?: readonly string[] | null;
  segments?: readonly string[] | null;
}

export interface MonthRange {
  /** First month, 'YYYY-MM-01'. */
  from: string;
  /** Last month, 'YYYY-MM-01'. */
  to: string;
  /** The as-of month the relative ranges count back from, 'YYYY-MM-01'. */
  asOf: string;
}

export interface MetricRequest {
  metric: MetricDefinition;
  range: MonthRange;
  filters?: InsightsFilters | null;
  splitBy?: Dimension | null;
}

const MONTH = /^(\d{4})-(\d{2})(?:-\d{2})?$/;

export function monthOf(value: string, argument = 'range'): string {
  const m = MONTH.exec(value.trim());
  if (!m || Number(m[2]) < 1 || Number(m[2]) > 12) throw badUserInput(`"${value}" is not a month (YYYY-MM)`, argument);
  return `${m[1]}-${m[2]}-01`;
}

export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number);
  const total = y * 12 + (m - 1) + n;
  return `${String(Math.floor(total / 12)).padStart(4, '0')}-${String((total % 12) + 1).padStart(2, '0')}-01`;
}

/** Turns a date range argument into months, given the as-of month and the first month of data. */
export function resolveRange(input: DateRangeInput | null | undefined, asOf: string, firstMonth: string): MonthRange {
  const kind = input?.kind ?? 'LAST_12_MONTHS';
  const back = { LAST_3_MONTHS: 3, LAST_6_MONTHS: 6, LAST_12_MONTHS: 12 } as const;
  if (kind === 'CUSTOM') {
    if (!input?.from || !input?.to) throw badUserInput('a CUSTOM date range needs from and to (YYYY-MM)', 'range');
    const from = monthOf(input.from, 'range.from');
    const to = monthOf(input.to, 'range.to');
    if (from > to) throw badUserInput(`range.from (${input.from}) is after range.to (${input.to})`, 'range');
    if (addMonths(from, 120) < to) throw badUserInput('a date range spans at most 120 months', 'range');
    return { from, to, asOf };
  }
  if (kind === 'LIFETIME') return { from: firstMonth < asOf ? firstMonth : asOf, to: asOf, asOf };
  return { from: addMonths(asOf, -(back[kind] - 1)), to: asOf, asOf };
}

/**
 * The as-of month: PI_TODAY's month when set, else the partner's latest month with data (rollups
 * and license telemetry), plus the first month with data (for LIFETIME). One statement.
 */
export async function dataMonths(db: SqlRunner, caller: Caller): Promise<{ asOf: string; firstMonth: string }> {
  const q = sql`SELECT strftime(max(m), '%Y-%m-01') AS last, strftime(min(m), '%Y-%m-01') AS first FROM (
      SELECT month AS m FROM insights_subscription_months f WHERE ${scope(caller, 'f', null)}
      UNION ALL SELECT month FROM license_usage f WHERE ${scope(caller, 'f', null)}
      UNION ALL SELECT month FROM insights_usage_monthly f WHERE ${scope(caller, 'f', null)})`;
  // Location-scoped callers get the partner's months (no rows are read here, only the calendar).
  const [row] = await query<{ last: string | null; first: string | null }>(db, q);
  // warehouse/clock reads PI_TODAY (a day or an instant) the way every other date rule does.
  const fixedMonth = process.env.PI_TODAY ? `${today().slice(0, 7)}-01` : undefined;
  const asOf = fixedMonth ?? row?.last ?? `${today().slice(0, 7)}-01`;
  return { asOf, firstMonth: row?.first ?? asOf };
}

const FILTER_COLUMNS: [keyof InsightsFilters, string][] = [
  ['productFamilies', 'product_family'],
  ['customerCountries', 'country'],
  ['locationMpnIds', 'mpn_id'],
  ['salesChannels', 'sales_channel'],
  ['segments', 'segment'],
];

const ATTRIBUTIONS = `(SELECT DISTINCT partner_id, customer_id, attribution_type FROM attributions)`;

function filterConditions(filters: InsightsFilters | null | undefined): Sql[] {
  const out: Sql[] = [];
  for (const [key, column] of FILTER_COLUMNS) {
    const values = filters?.[key];
    if (values && values.length) out.push(sql`f.${sql.raw(column)} IN ${sql.list([...values])}`);
  }
  const types = filters?.attributionTypes;
  if (types && types.length) {
    out.push(sql`EXISTS (SELECT 1 FROM attributions a WHERE a.partner_id = f.partner_id AND a.customer_id = f.customer_id AND a.attribution_type IN ${sql.list([...types])})`);
  }
  return out;
}

/**
 * One request as a SELECT (dim, month, value, range_value, growth, change), all VARCHAR/DOUBLE.
 * `scopedFact` names a CTE already holding the fact's rows in the caller's scope (compileMetrics
 * shares one per fact between the requests of a statement); without it the fact is read here.
 */
export function compileMetric(caller: Caller, request: MetricRequest, scopedFact?: string): Sql {
  const { metric, range, filters, splitBy } = request;
  const fact = FACTS[metric.fact];
  if (splitBy && !metric.dimensions.includes(splitBy)) {
    throw badUserInput(`metric ${metric.name} cannot be split by ${splitBy}; it can be split by ${metric.dimensions.join(', ')}`, 'splitBy');
  }
  const source = scopedFact
    ? sql`SELECT * FROM ${sql.raw(scopedFact)} f WHERE ${sql.and(filterConditions(filters))}`
    : sql`SELECT * FROM (${sql.raw(fact.source)}) f WHERE ${sql.and([scope(caller, 'f', 'f.mpn_id'), ...filterConditions(filters)])}`;
  const dimExpr = !splitBy
    ? sql.raw(`'All'`)
    : splitBy === 'attributionType'
      ? sql.raw(`coalesce(a.attribution_type, 'None')`)
      : sql.raw(`coalesce(f.${DIMENSION_COLUMN[splitBy]}::VARCHAR, 'Unknown')`);
  const attributionJoin =
    splitBy === 'attributionType' ? sql.raw(` LEFT JOIN ${ATTRIBUTIONS} a ON a.partner_id = f.partner_id AND a.customer_id = f.customer_id`) : sql.raw('');
  const rows = fact.perCustomer
    ? sql.raw(`(SELECT *, lag(counted) OVER (PARTITION BY customer_id, dim ORDER BY month) AS prev_counted FROM (
          SELECT customer_id, dim, month, bool_or(state = 'Active') AS counted, bool_or(active_usage) AS active_usage
          FROM d GROUP BY customer_id, dim, month))`)
    : sql.raw('d');
  const keys = splitBy ? sql.raw('SELECT DISTINCT dim FROM agg') : sql.raw(`SELECT 'All' AS dim`);
  return sql`(WITH f AS (${source}),
    d AS (SELECT f.*, ${dimExpr} AS dim FROM f${attributionJoin}),
    agg AS (SELECT dim, month, ${sql.raw(metric.measure)} AS value FROM ${rows} r
            WHERE month BETWEEN ${range.from}::DATE AND ${range.to}::DATE GROUP BY dim, month),
    grid AS (SELECT k.dim, m.month FROM (${keys}) k
             CROSS JOIN (SELECT unnest(generate_series(${range.from}::DATE, ${range.to}::DATE, INTERVAL 1 MONTH))::DATE AS month) m),
    s AS (SELECT g.dim, g.month, coalesce(agg.value, 0) AS value FROM grid g LEFT JOIN agg USING (dim, month)),
    tot AS (${metric.rangeValue === 'distinct'
      ? sql`SELECT dim, ${sql.raw(metric.measure)} AS total FROM ${rows} r WHERE month BETWEEN ${range.from}::DATE AND ${range.to}::DATE GROUP BY dim`
      : sql.raw('SELECT NULL::VARCHAR AS dim, NULL AS total WHERE FALSE')}),
    w AS (SELECT dim, month, value,
            ${sql.raw(metric.rangeValue === 'sum' ? 'sum(value) OVER (PARTITION BY dim)' : metric.rangeValue === 'distinct' ? 'coalesce((SELECT any_value(total) FROM tot WHERE tot.dim = s.dim), 0)' : 'last_value(value) OVER (PARTITION BY dim ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)')} AS range_value,
            first_value(value) OVER (PARTITION BY dim ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS first_v,
            last_value(value) OVER (PARTITION BY dim ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS last_v,
            lag(value) OVER (PARTITION BY dim ORDER BY month) AS prev_v
          FROM s)
    SELECT dim, strftime(month, '%Y-%m') AS month, value::VARCHAR AS value, range_value::VARCHAR AS range_value,
           CASE WHEN first_v = 0 THEN NULL ELSE round((last_v - first_v) * 100.0 / first_v, 2)::DOUBLE END AS growth,
           CASE WHEN prev_v IS NULL OR prev_v = 0 THEN NULL ELSE round((value - prev_v) * 100.0 / prev_v, 2)::DOUBLE END AS change
    FROM w)`;
}

/**
 * Several requests as one statement: rows tagged with the request's index. Each fact the requests
 * use is read and scoped once, as a materialized CTE that every request filters and aggregates:
 * a report asks for a dozen metrics of the same fact, and rebuilding the fact's joins for each
 * was most of a report's time.
 */
export function compileMetrics(caller: Caller, requests: readonly MetricRequest[]): Sql {
  if (requests.length === 0) throw new Error('compileMetrics: no requests');
  const facts = [...new Set(requests.map((r) => r.metric.fact))];
  const cte = (fact: string) => `scoped_${fact}`;
  const shared = facts.map(
    (name) => sql`${sql.raw(cte(name))} AS MATERIALIZED (SELECT * FROM (${sql.raw(FACTS[name].source)}) f WHERE ${scope(caller, 'f', 'f.mpn_id')})`,
  );
  const parts = requests.map((r, i) => sql`SELECT ${sql.raw(String(i))} AS req, * FROM ${compileMetric(caller, r, cte(r.metric.fact))}`);
  return sql`WITH ${sql.join(shared, ', ')} SELECT * FROM (${sql.join(parts, ' UNION ALL ')}) ORDER BY req, dim, month`;
}
