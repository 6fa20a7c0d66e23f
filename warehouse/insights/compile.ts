import { addMonths } from '../../core/dates';
import { badUserInput } from '../../core/errors';
import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { Sql, query, sql } from '../../core/sql';
import { today } from '../clock';
import type { SqlRunner } from '../../core/sql';
import { DIMENSION_COLUMN, FACTS, type Dimension, type FactName } from './facts';
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
 * and license telemetry), plus the first month with data (for LIFETIME). One statement. The cubes
 * hold the same months as the subscription months, license telemetry and usage rollup they
 * aggregate (every row lands in a cell of its month), in far fewer rows.
 */
export async function dataMonths(db: SqlRunner, caller: Caller): Promise<{ asOf: string; firstMonth: string }> {
  const q = sql`SELECT strftime(max(m), '%Y-%m-01') AS last, strftime(min(m), '%Y-%m-01') AS first FROM (
      SELECT month AS m FROM insights_subscription_cube f WHERE ${scope(caller, 'f', null)} AND NOT f.by_attribution
      UNION ALL SELECT month FROM insights_license_cube f WHERE ${scope(caller, 'f', null)} AND NOT f.by_attribution
      UNION ALL SELECT month FROM insights_usage_cube f WHERE ${scope(caller, 'f', null)} AND NOT f.by_attribution)`;
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

type Plan =
  | { kind: 'fact' }
  | { kind: 'cube'; table: string }
  | { kind: 'customerCounts'; table: string; variant: 'all' | 'location' | 'productFamily'; variantValue: string | null };

const CUSTOMER_SPLITS: readonly Dimension[] = ['location', 'salesChannel', 'productFamily', 'sku', 'attributionType'];

/**
 * Whether a request can read its fact's rollup (cubes.ts) and how. The rollups give the same values
 * as the fact rows for what they cover; everything else reads the fact:
 * - cubes: any split and filter except a filter on attribution types (a customer with any of several
 *   types: the by_attribution rows count a subscription once per type), unless the cube keeps
 *   customer_id (customerGrain: the filter is the fact's EXISTS over the cell's customer).
 * - customer counts: customers are distinct counts, precomputed for no subscription-level restriction,
 *   one location (a one-location caller or location filter) or one product family; country and
 *   segment filters are customer columns. Sales channel and attribution filters read the fact.
 */
function planOf(caller: Caller, request: MetricRequest): Plan {
  const { metric, filters } = request;
  const rollup = FACTS[metric.fact].rollup;
  if (!rollup || !metric.rollupMeasure || (filters?.attributionTypes?.length && !rollup.customerGrain)) return { kind: 'fact' };
  if (rollup.kind === 'cube') return { kind: 'cube', table: rollup.table };
  if (filters?.salesChannels?.length) return { kind: 'fact' };
  let locations: readonly string[] | null = caller.locations;
  const wanted = filters?.locationMpnIds?.length ? filters.locationMpnIds : null;
  if (wanted) locations = locations ? locations.filter((l) => wanted.includes(l)) : [...new Set(wanted)];
  const families = filters?.productFamilies?.length ? [...new Set(filters.productFamilies)] : null;
  if (!locations && !families) return { kind: 'customerCounts', table: rollup.table, variant: 'all', variantValue: null };
  if (locations?.length === 1 && !families) return { kind: 'customerCounts', table: rollup.table, variant: 'location', variantValue: locations[0] };
  if (!locations && families?.length === 1) return { kind: 'customerCounts', table: rollup.table, variant: 'productFamily', variantValue: families[0] };
  return { kind: 'fact' };
}

/** The rows of a rollup plan in the caller's scope, filtered, with their split value `dim`. */
function rollupRows(caller: Caller, request: MetricRequest, plan: Exclude<Plan, { kind: 'fact' }>, source: string = plan.table): Sql {
  const { filters, splitBy } = request;
  if (plan.kind === 'cube') {
    const byAttribution = splitBy === 'attributionType';
    const dim = !splitBy ? `'All'` : byAttribution ? `coalesce(f.attribution_type, 'None')` : `coalesce(f.${DIMENSION_COLUMN[splitBy]}::VARCHAR, 'Unknown')`;
    return sql`SELECT f.*, ${sql.raw(dim)} AS dim FROM ${sql.raw(source)} f
      WHERE ${sql.and([scope(caller, 'f', 'f.mpn_id'), sql.raw(`f.by_attribution = ${byAttribution}`), ...filterConditions(filters)])}`;
  }
  // Customer counts: the variant's rows; location-scoped callers only ever match their own
  // location's rows (variant_value is the restricting MPN ID; other variants have none here).
  const split = splitBy && CUSTOMER_SPLITS.includes(splitBy) ? splitBy : 'all';
  const dim = !splitBy ? `'All'` : split === 'all' ? `coalesce(f.${DIMENSION_COLUMN[splitBy as 'country' | 'segment']}::VARCHAR, 'Unknown')` : `coalesce(f.dim, 'Unknown')`;
  const conditions = [
    scope(caller, 'f', 'f.variant_value'),
    sql`f.variant = ${plan.variant}`,
    plan.variantValue === null ? sql.raw('TRUE') : sql`f.variant_value = ${plan.variantValue}`,
    sql`f.split = ${split}`,
  ];
  for (const [key, column] of [['customerCountries', 'country'], ['segments', 'segment']] as const) {
    const values = filters?.[key];
    if (values && values.length) conditions.push(sql`f.${sql.raw(column)} IN ${sql.list([...values])}`);
  }
  return sql`SELECT f.* EXCLUDE (dim), ${sql.raw(dim)} AS dim FROM ${sql.raw(source)} f WHERE ${sql.and(conditions)}`;
}

function checkSplit({ metric, splitBy }: MetricRequest): void {
  if (splitBy && !metric.dimensions.includes(splitBy)) {
    throw badUserInput(`metric ${metric.name} cannot be split by ${splitBy}; it can be split by ${metric.dimensions.join(', ')}`, 'splitBy');
  }
}

/** The rows of a fact plan: the fact's rows in the caller's scope (`scopedFact`, a CTE), filtered, with their split value `dim`. */
function factRows(request: MetricRequest, scopedFact: string): Sql {
  const { filters, splitBy } = request;
  const dim = !splitBy
    ? `'All'`
    : splitBy === 'attributionType'
      ? `coalesce(a.attribution_type, 'None')`
      : `coalesce(f.${DIMENSION_COLUMN[splitBy]}::VARCHAR, 'Unknown')`;
  const attributionJoin =
    splitBy === 'attributionType' ? ` LEFT JOIN ${ATTRIBUTIONS} a ON a.partner_id = f.partner_id AND a.customer_id = f.customer_id` : '';
  return sql`SELECT f.*, ${sql.raw(dim)} AS dim FROM (SELECT * FROM ${sql.raw(scopedFact)} f WHERE ${sql.and(filterConditions(filters))}) f${sql.raw(attributionJoin)}`;
}

/**
 * Customer facts (FactDefinition.perCustomer) measure per customer, split value and month over the
 * batch's rows `d`: `counted`, `active_usage` and `prev_counted` (LAG over all the customer's months,
 * before the range is applied, so the range's first month sees the month before it).
 */
const PER_CUSTOMER_ROWS = `SELECT *, lag(counted) OVER (PARTITION BY customer_id, dim ORDER BY month) AS prev_counted FROM (
    SELECT customer_id, dim, month, bool_or(state = 'Active') AS counted, bool_or(active_usage) AS active_usage
    FROM d GROUP BY customer_id, dim, month)`;

/** Requests reading the same rows, computed together (compileBatch); `measure` is the member's aggregate over them. */
interface Batch {
  /** The rows (`d`), each with its split value `dim`. */
  rows: Sql;
  /** The measures aggregate the per-customer rows of `d` (PER_CUSTOMER_ROWS) rather than `d`. */
  perCustomer: boolean;
  split: boolean;
  members: { index: number; request: MetricRequest; measure: string }[];
}

/**
 * Requests reading the same rows (same rollup or fact, scope, filters, split and range) computed
 * together: one aggregation giving every metric's measure as a column, one month grid, one window
 * pass (and one aggregation over the whole range for 'distinct' metrics), then one row set per
 * request, each (dim, month, value, range_value, growth, change) with its request index `req`: the
 * range value (last month, sum, or distinct over the range, as the metric says), the growth %
 * (last vs first month of the range) and the change vs the previous month of each point. A report
 * asks for a dozen metrics over a few splits; compiled one by one, the statement's time was mostly
 * the planning and pipelines of ~20 copies of the same steps (measured: customers page ~80 ms of
 * tiny operators; the 287 requests of cubes.suite.ts over the facts took 5 times as long to plan).
 */
function compileBatch({ rows, perCustomer, split, members }: Batch): Sql {
  const { range } = members[0].request;
  const measures = members.map(({ measure }, i) => sql.raw(`${measure} AS v${i}`));
  const filled = members.map((_, i) => sql.raw(`coalesce(agg.v${i}, 0) AS v${i}`));
  const win = 'OVER (PARTITION BY dim ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)';
  // 'distinct' metrics: the measure over all the range's rows at once, per split value (tot).
  const distinct = members.flatMap(({ request }, i) => (request.metric.rangeValue === 'distinct' ? [i] : []));
  const totals = distinct.map((i) => sql.raw(`${members[i].measure} AS t${i}`));
  const rangeValue = (rangeKind: MetricRequest['metric']['rangeValue'], i: number) =>
    rangeKind === 'sum' ? `sum(v${i}) OVER (PARTITION BY dim)` : rangeKind === 'distinct' ? `coalesce(t${i}, 0)` : `last_value(v${i}) ${win}`;
  const windows = members.map(({ request }, i) =>
    sql.raw(
      `v${i}, ${rangeValue(request.metric.rangeValue, i)} AS r${i},
       first_value(v${i}) ${win} AS f${i}, last_value(v${i}) ${win} AS l${i}, lag(v${i}) OVER (PARTITION BY dim ORDER BY month) AS p${i}`,
    ),
  );
  const outputs = members.map(({ index }, i) =>
    sql.raw(`SELECT ${index} AS req, dim, strftime(month, '%Y-%m') AS month, v${i}::VARCHAR AS value, r${i}::VARCHAR AS range_value,
       CASE WHEN f${i} = 0 THEN NULL ELSE round((l${i} - f${i}) * 100.0 / f${i}, 2)::DOUBLE END AS growth,
       CASE WHEN p${i} IS NULL OR p${i} = 0 THEN NULL ELSE round((v${i} - p${i}) * 100.0 / p${i}, 2)::DOUBLE END AS change
     FROM w`),
  );
  const keys = split ? sql.raw('SELECT DISTINCT dim FROM agg') : sql.raw(`SELECT 'All' AS dim`);
  const measured = sql.raw(perCustomer ? 'r' : 'd');
  return sql`(WITH d AS (${rows}),
    ${perCustomer ? sql`r AS (${sql.raw(PER_CUSTOMER_ROWS)}),` : sql.raw('')}
    agg AS (SELECT dim, month, ${sql.join(measures, ', ')} FROM ${measured}
            WHERE month BETWEEN ${range.from}::DATE AND ${range.to}::DATE GROUP BY dim, month),
    grid AS (SELECT k.dim, m.month FROM (${keys}) k
             CROSS JOIN (SELECT unnest(generate_series(${range.from}::DATE, ${range.to}::DATE, INTERVAL 1 MONTH))::DATE AS month) m),
    ${totals.length ? sql`tot AS (SELECT dim, ${sql.join(totals, ', ')} FROM ${measured} WHERE month BETWEEN ${range.from}::DATE AND ${range.to}::DATE GROUP BY dim),` : sql.raw('')}
    s AS (SELECT g.dim, g.month, ${sql.join(filled, ', ')}${sql.raw(distinct.map((i) => `, tot.t${i}`).join(''))}
          FROM grid g LEFT JOIN agg USING (dim, month)${sql.raw(totals.length ? ' LEFT JOIN tot USING (dim)' : '')}),
    w AS (SELECT dim, month, ${sql.join(windows, ', ')} FROM s)
    ${sql.join(outputs, ' UNION ALL ')})`;
}

/** Matches no value of any dimension: an intersection of filters that left nothing. */
const NO_VALUE = '\u0000none';

/**
 * A request with its metric's own filters (MetricDefinition.filters) applied: for each filter both
 * give, the values in both (none in common: nothing matches); otherwise whichever is given.
 */
function withMetricFilters(request: MetricRequest): MetricRequest {
  const fixed = request.metric.filters;
  if (!fixed) return request;
  const merged: InsightsFilters = { ...request.filters };
  for (const [key, values] of Object.entries(fixed) as [keyof InsightsFilters, readonly string[] | null | undefined][]) {
    if (!values?.length) continue;
    const asked = merged[key];
    const both = asked?.length ? values.filter((v) => asked.includes(v)) : [...values];
    merged[key] = both.length ? both : [NO_VALUE];
  }
  return { ...request, filters: merged };
}

/**
 * Several requests as one statement: rows (req, dim, month, value, range_value, growth, change)
 * tagged with the request's index. Each request reads its fact's rollup when it allows (planOf),
 * else the fact's rows; requests reading the same rows are batched (compileBatch). The rollup tables
 * and the facts are each read once per statement in the caller's scope, as materialized CTEs.
 */
export function compileMetrics(caller: Caller, given: readonly MetricRequest[], options: { rollups?: boolean } = {}): Sql {
  if (given.length === 0) throw new Error('compileMetrics: no requests');
  const requests = given.map(withMetricFilters);
  requests.forEach(checkSplit);
  // rollups: false reads every fact's rows (tests compare the two).
  const plans = requests.map((r): Plan => (options.rollups === false ? { kind: 'fact' } : planOf(caller, r)));
  const batches = new Map<string, Batch>();
  // Each rollup table is read once per range, scoped, into a materialized CTE the batches filter:
  // scanning the whole table once per batch was most of a report's time.
  // A slice is also limited to what its batches read: the cube rows with or without attribution
  // types, or the customer counts' variant.
  const slices = new Map<string, { name: string; sql: Sql }>();
  const sliceOf = (request: MetricRequest, plan: Exclude<Plan, { kind: 'fact' }>) => {
    const { range } = request;
    const part =
      plan.kind === 'cube'
        ? sql.raw(`f.by_attribution = ${request.splitBy === 'attributionType'}`)
        : sql`f.variant = ${plan.variant} AND ${plan.variantValue === null ? sql.raw('f.variant_value IS NULL') : sql`f.variant_value = ${plan.variantValue}`}`;
    const key = JSON.stringify([plan.table, range.from, range.to, part.toQuery().text, part.toQuery().params.map(String)]);
    if (!slices.has(key)) {
      const name = `slice_${slices.size}`;
      const location = plan.kind === 'customerCounts' ? 'f.variant_value' : 'f.mpn_id';
      slices.set(key, {
        name,
        sql: sql`${sql.raw(name)} AS MATERIALIZED (SELECT * FROM ${sql.raw(plan.table)} f
          WHERE ${scope(caller, 'f', location)} AND ${part} AND f.month BETWEEN ${range.from}::DATE AND ${range.to}::DATE)`,
      });
    }
    return slices.get(key)!.name;
  };
  // The facts the fact plans read: each read once per statement in the caller's scope, into a materialized CTE.
  const facts = new Set<FactName>();
  const scopedFact = (name: FactName) => `scoped_${name}`;
  requests.forEach((request, index) => {
    const plan = plans[index];
    const { metric, range, splitBy } = request;
    const fact = plan.kind === 'fact';
    if (fact) facts.add(metric.fact);
    const rows = fact ? factRows(request, scopedFact(metric.fact)) : rollupRows(caller, request, plan, sliceOf(request, plan));
    const q = rows.toQuery();
    const key = JSON.stringify([q.text, q.params.map(String), range.from, range.to, !!splitBy]);
    if (!batches.has(key)) batches.set(key, { rows, perCustomer: fact && !!FACTS[metric.fact].perCustomer, split: !!splitBy, members: [] });
    batches.get(key)!.members.push({ index, request, measure: fact ? metric.measure : metric.rollupMeasure! });
  });
  const shared = [
    ...[...facts].map(
      (name) => sql`${sql.raw(scopedFact(name))} AS MATERIALIZED (SELECT * FROM (${sql.raw(FACTS[name].source)}) f WHERE ${scope(caller, 'f', 'f.mpn_id')})`,
    ),
    ...[...slices.values()].map((x) => x.sql),
  ];
  const parts = [...batches.values()].map((b) => sql`SELECT * FROM ${compileBatch(b)}`);
  const body = sql`SELECT * FROM (${sql.join(parts, ' UNION ALL ')}) ORDER BY req, dim, month`;
  return shared.length ? sql`WITH ${sql.join(shared, ', ')} ${body}` : body;
}
