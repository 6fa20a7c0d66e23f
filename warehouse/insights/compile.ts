import { addMonths } from '../../core/dates';
import { badUserInput } from '../../core/errors';
import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { Sql, query, sql } from '../../core/sql';
import { today } from '../clock';
import type { SqlRunner } from '../../core/sql';
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

/**
 * One request as a SELECT (dim, month, value, range_value, growth, change), all VARCHAR/DOUBLE.
 * Reads the fact's rollup when the request allows (planOf), else the fact rows: `scopedFact` names a
 * CTE already holding the fact's rows in the caller's scope (compileMetrics shares one per fact
 * between the requests of a statement); without it the fact is read here.
 */
export function compileMetric(caller: Caller, request: MetricRequest, scopedFact?: string): Sql {
  return compileOne(caller, request, planOf(caller, request), scopedFact);
}

function compileOne(caller: Caller, request: MetricRequest, plan: Plan, scopedFact?: string): Sql {
  const { metric, range, filters, splitBy } = request;
  const fact = FACTS[metric.fact];
  checkSplit(request);
  let d: Sql;
  let rows: Sql;
  let measure: string;
  if (plan.kind !== 'fact') {
    d = rollupRows(caller, request, plan);
    rows = sql.raw('d');
    measure = metric.rollupMeasure!;
  } else {
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
    d = sql`SELECT f.*, ${dimExpr} AS dim FROM (${source}) f${attributionJoin}`;
    rows = fact.perCustomer
      ? sql.raw(`(SELECT *, lag(counted) OVER (PARTITION BY customer_id, dim ORDER BY month) AS prev_counted FROM (
          SELECT customer_id, dim, month, bool_or(state = 'Active') AS counted, bool_or(active_usage) AS active_usage
          FROM d GROUP BY customer_id, dim, month))`)
      : sql.raw('d');
    measure = metric.measure;
  }
  const keys = splitBy ? sql.raw('SELECT DISTINCT dim FROM agg') : sql.raw(`SELECT 'All' AS dim`);
  return sql`(WITH d AS (${d}),
    agg AS (SELECT dim, month, ${sql.raw(measure)} AS value FROM ${rows} r
            WHERE month BETWEEN ${range.from}::DATE AND ${range.to}::DATE GROUP BY dim, month),
    grid AS (SELECT k.dim, m.month FROM (${keys}) k
             CROSS JOIN (SELECT unnest(generate_series(${range.from}::DATE, ${range.to}::DATE, INTERVAL 1 MONTH))::DATE AS month) m),
    s AS (SELECT g.dim, g.month, coalesce(agg.value, 0) AS value FROM grid g LEFT JOIN agg USING (dim, month)),
    tot AS (${metric.rangeValue === 'distinct'
      ? sql`SELECT dim, ${sql.raw(measure)} AS total FROM ${rows} r WHERE month BETWEEN ${range.from}::DATE AND ${range.to}::DATE GROUP BY dim`
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
 * Requests reading the same rollup rows (same rollup, scope, filters, split and range) computed
 * together: one aggregation giving every metric's measure as a column, one month grid, one window
 * pass (and one aggregation over the whole range for 'distinct' metrics), then one row set per
 * request. A report asks for a dozen metrics over a few splits; compiled
 * one by one, the statement's time was mostly the planning and pipelines of ~20 copies of the same
 * steps (measured: customers page ~80 ms of tiny operators).
 */
function compileBatch(batch: { index: number; request: MetricRequest }[], rows: Sql, split: boolean): Sql {
  const { range } = batch[0].request;
  const measures = batch.map(({ request }, i) => sql.raw(`${request.metric.rollupMeasure} AS v${i}`));
  const filled = batch.map((_, i) => sql.raw(`coalesce(agg.v${i}, 0) AS v${i}`));
  const win = 'OVER (PARTITION BY dim ORDER BY month ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING)';
  // 'distinct' metrics: the measure over all the range's rows at once, per split value (tot).
  const distinct = batch.flatMap(({ request }, i) => (request.metric.rangeValue === 'distinct' ? [i] : []));
  const totals = distinct.map((i) => sql.raw(`${batch[i].request.metric.rollupMeasure} AS t${i}`));
  const rangeValue = (rangeKind: MetricRequest['metric']['rangeValue'], i: number) =>
    rangeKind === 'sum' ? `sum(v${i}) OVER (PARTITION BY dim)` : rangeKind === 'distinct' ? `coalesce(t${i}, 0)` : `last_value(v${i}) ${win}`;
  const windows = batch.map(({ request }, i) =>
    sql.raw(
      `v${i}, ${rangeValue(request.metric.rangeValue, i)} AS r${i},
       first_value(v${i}) ${win} AS f${i}, last_value(v${i}) ${win} AS l${i}, lag(v${i}) OVER (PARTITION BY dim ORDER BY month) AS p${i}`,
    ),
  );
  const outputs = batch.map(({ index }, i) =>
    sql.raw(`SELECT ${index} AS req, dim, strftime(month, '%Y-%m') AS month, v${i}::VARCHAR AS value, r${i}::VARCHAR AS range_value,
       CASE WHEN f${i} = 0 THEN NULL ELSE round((l${i} - f${i}) * 100.0 / f${i}, 2)::DOUBLE END AS growth,
       CASE WHEN p${i} IS NULL OR p${i} = 0 THEN NULL ELSE round((v${i} - p${i}) * 100.0 / p${i}, 2)::DOUBLE END AS change
     FROM w`),
  );
  const keys = split ? sql.raw('SELECT DISTINCT dim FROM agg') : sql.raw(`SELECT 'All' AS dim`);
  return sql`(WITH d AS (${rows}),
    agg AS (SELECT dim, month, ${sql.join(measures, ', ')} FROM d
            WHERE month BETWEEN ${range.from}::DATE AND ${range.to}::DATE GROUP BY dim, month),
    grid AS (SELECT k.dim, m.month FROM (${keys}) k
             CROSS JOIN (SELECT unnest(generate_series(${range.from}::DATE, ${range.to}::DATE, INTERVAL 1 MONTH))::DATE AS month) m),
    ${totals.length ? sql`tot AS (SELECT dim, ${sql.join(totals, ', ')} FROM d WHERE month BETWEEN ${range.from}::DATE AND ${range.to}::DATE GROUP BY dim),` : sql.raw('')}
    s AS (SELECT g.dim, g.month, ${sql.join(filled, ', ')}${sql.raw(distinct.map((i) => `, tot.t${i}`).join(''))}
          FROM grid g LEFT JOIN agg USING (dim, month)${sql.raw(totals.length ? ' LEFT JOIN tot USING (dim)' : '')}),
    w AS (SELECT dim, month, ${sql.join(windows, ', ')} FROM s)
    ${sql.join(outputs, ' UNION ALL ')})`;
}

/**
 * Several requests as one statement: rows (req, dim, month, value, range_value, growth, change)
 * tagged with the request's index. Requests on a rollup (planOf) are batched by the rows they read
 * (compileBatch); the others are compiled one by one, and those reading a fact's rows share one read
 * of each fact in the caller's scope, as a materialized CTE.
 */
export function compileMetrics(caller: Caller, requests: readonly MetricRequest[], options: { rollups?: boolean } = {}): Sql {
  if (requests.length === 0) throw new Error('compileMetrics: no requests');
  requests.forEach(checkSplit);
  // rollups: false reads every fact's rows (tests compare the two).
  const plans = requests.map((r): Plan => (options.rollups === false ? { kind: 'fact' } : planOf(caller, r)));
  const batches = new Map<string, { rows: Sql; split: boolean; members: { index: number; request: MetricRequest }[] }>();
  const singles: number[] = [];
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
  requests.forEach((request, index) => {
    const plan = plans[index];
    if (plan.kind === 'fact') {
      singles.push(index);
      return;
    }
    const rows = rollupRows(caller, request, plan, sliceOf(request, plan));
    const q = rows.toQuery();
    const key = JSON.stringify([q.text, q.params.map(String), request.range.from, request.range.to, !!request.splitBy]);
    if (!batches.has(key)) batches.set(key, { rows, split: !!request.splitBy, members: [] });
    batches.get(key)!.members.push({ index, request });
  });
  const facts = [...new Set(singles.filter((i) => plans[i].kind === 'fact').map((i) => requests[i].metric.fact))];
  const cte = (fact: string) => `scoped_${fact}`;
  const shared = [
    ...facts.map(
      (name) => sql`${sql.raw(cte(name))} AS MATERIALIZED (SELECT * FROM (${sql.raw(FACTS[name].source)}) f WHERE ${scope(caller, 'f', 'f.mpn_id')})`,
    ),
    ...[...slices.values()].map((x) => x.sql),
  ];
  const parts = [
    ...[...batches.values()].map((b) => sql`SELECT * FROM ${compileBatch(b.members, b.rows, b.split)}`),
    ...singles.map((i) => {
      const r = requests[i];
      return sql`SELECT ${sql.raw(String(i))} AS req, * FROM ${compileOne(caller, r, plans[i], plans[i].kind === 'fact' ? cte(r.metric.fact) : undefined)}`;
    }),
  ];
  const body = sql`SELECT * FROM (${sql.join(parts, ' UNION ALL ')}) ORDER BY req, dim, month`;
  return shared.length ? sql`WITH ${sql.join(shared, ', ')} ${body}` : body;
}
