import type { SqlRunner } from '../../core/sql';
import { FACTS } from './facts';

/**
 * The pre-aggregated Insights rollups ("cubes", migration 004). The facts (facts.ts) join the
 * dimension tables per subscription, license or usage row; the cubes hold those same rows already
 * joined and aggregated over every dimension a page filters or splits by, so a report metric reads
 * a few thousand rows instead of joining ~1M per request (measured on the benchmark warehouse:
 * customers page 5.4 s -> tens of ms).
 *
 * - insights_subscription_cube: subscription months counted per (month, location, country, segment,
 *   sales channel, product family, SKU, state, trial, reseller, added/churned/converted/renewed,
 *   active usage). `subscriptions` = count(DISTINCT subscription_id) of the cell; a subscription is in
 *   one cell per month, so a metric's count(DISTINCT subscription_id) FILTER (WHERE c) equals
 *   sum(subscriptions) FILTER (WHERE c) over the cells.
 * - insights_license_cube, insights_license_event_cube, insights_usage_cube: the license telemetry,
 *   license adds and Azure usage facts summed per the same dimensions (sums are additive; money stays
 *   DECIMAL).
 * - Each of these holds the cells twice: `by_attribution = FALSE` (each fact row once) and
 *   `by_attribution = TRUE` (each fact row once per attribution type of its customer, 'None' without
 *   one), which is what a split by attribution type counts. A filter on attribution types (a customer
 *   with any of several types) cannot be answered from either; such requests read the facts.
 * - insights_customer_counts: the customer metrics (a customer is counted when at least one of its
 *   subscriptions is Active at month end; added / existing / churned compare with the month before;
 *   active usage) counted per (month, variant, split dimension value, country, segment). Customers
 *   are distinct counts, so they are precomputed per subscription-level restriction ("variant"):
 *   'all' (no restriction), 'location' (the subscriptions of one MPN ID: a one-location caller or
 *   filter) and 'productFamily' (the subscriptions of one product family: the page filter). Country
 *   and segment are customer attributes, so their filters and splits apply to the counts as they are.
 *   Other combinations (several locations, a sales channel or attribution filter) read the facts.
 *   `prev` is the subscription's state a month earlier (the same subscriptions, hence the same
 *   restriction), which is what LAG over the customer's months gave.
 * - insights_azure_customer_cube (migration 007): the Azure subscription months (facts.ts
 *   azureSubscription) per customer and the dimension columns, with `held` and `active_usage`. The
 *   Azure usage analytics KPIs count distinct customers over a whole date range (customers with and
 *   without usage), which counts per cell cannot add up to; keeping customer_id in the cell makes
 *   count(DISTINCT customer_id) FILTER (WHERE c) over the cells equal the same count over the fact
 *   rows (a fact row lands in exactly one cell with the same column values). For the same reason an
 *   attribution type filter works on it (EXISTS over the cell's customer).
 *
 * Rebuilt per partner (optionally only some months) by rebuildInsightsCubes, from the ETL's afterLoad
 * hook inside the load transaction (rollups.ts says which loads), and filled once by migration 004
 * for warehouses that already hold data.
 */
export const CUBE_TABLES = [
  'insights_subscription_cube',
  'insights_license_cube',
  'insights_license_event_cube',
  'insights_usage_cube',
  'insights_customer_counts',
  'insights_azure_customer_cube',
] as const;

/** Customer attribution types, one row per (customer, type); NULL types count as 'None' like a customer without any. */
const ATTRIBUTION_TYPES = `(SELECT DISTINCT partner_id, customer_id, attribution_type FROM attributions)`;

/** The dimension columns every additive cube keeps (besides partner_id, month). */
const COMMON = ['mpn_id', 'country', 'segment', 'sales_channel', 'product_family', 'sku'];

/**
 * A statement filling `table` from the fact's rows: GROUP BY the cube's columns, both without and
 * with the attribution type. `measures` are the aggregates (over the fact rows).
 */
function additiveCube(table: string, factSource: string, columns: readonly string[], measures: string, where: string, sources: string): string {
  const cols = columns.map((c) => `f.${c}`).join(', ');
  return `INSERT INTO ${table}
    WITH ${sources}f AS (SELECT * FROM (${factSource}) f WHERE ${where})
    SELECT f.partner_id, f.month, ${cols}, FALSE AS by_attribution, NULL::VARCHAR AS attribution_type, ${measures}
    FROM f GROUP BY ALL
    UNION ALL
    SELECT f.partner_id, f.month, ${cols}, TRUE, coalesce(a.attribution_type, 'None'), ${measures}
    FROM f LEFT JOIN ${ATTRIBUTION_TYPES} a ON a.partner_id = f.partner_id AND a.customer_id = f.customer_id
    GROUP BY ALL
    -- Stored in the order reports read them (partner, with or without attribution, month): DuckDB's
    -- zone maps then skip the other partners' and the other kind's row groups.
    ORDER BY partner_id, by_attribution, month`;
}

/** Subscription-level restrictions the customer counts are precomputed for: (variant, column of the restricting value). */
export const CUSTOMER_VARIANTS = { all: null, location: 'mpn_id', productFamily: 'product_family' } as const;
/** Subscription-level splits of the customer counts (country, segment: customer columns of the 'all' split). */
export const CUSTOMER_SPLITS = { all: null, location: 'mpn_id', salesChannel: 'sales_channel', productFamily: 'product_family', sku: 'sku' } as const;

/** The subscription-level columns the customer counts are grouped by, in GROUPING() bit order. */
const CUSTOMER_GROUPING = ['mpn_id', 'sales_channel', 'product_family', 'sku'] as const;

/**
 * Customer counts: one GROUPING SETS pass over the subscription months gives, per customer and month,
 * "counted" (any subscription Active at month end), "prev" (any Active a month earlier) and "active
 * usage" for every (variant, split) pair; then customers are counted per pair, country and segment.
 */
function customerCounts(where: string, sources: string): string {
  const outputs: { variant: string; vcol: string | null; split: string; scol: string | null; gid: number }[] = [];
  const sets = new Map<number, string[]>();
  for (const [variant, vcol] of Object.entries(CUSTOMER_VARIANTS)) {
    for (const [split, scol] of Object.entries(CUSTOMER_SPLITS)) {
      const cols = [...new Set([vcol, scol].filter((c): c is NonNullable<typeof c> => c !== null))];
      // GROUPING(a, b, c, d): bit set (a = most significant) for each column NOT grouped by.
      const gid = CUSTOMER_GROUPING.reduce((bits, c, i) => bits | (cols.includes(c) ? 0 : 1 << (CUSTOMER_GROUPING.length - 1 - i)), 0);
      sets.set(gid, cols);
      outputs.push({ variant, vcol, split, scol, gid });
    }
  }
  const groupingSets = [...sets.values()].map((cols) => `(${['partner_id', 'month', 'customer_id', 'country', 'segment', ...cols].join(', ')})`).join(', ');
  const map = outputs
    .map((o) => `(${o.gid}, '${o.variant}', ${o.vcol ? `'${o.vcol}'` : 'NULL'}, '${o.split}', ${o.scol ? `'${o.scol}'` : 'NULL'})`)
    .join(', ');
  const pick = (col: string) =>
    `CASE ${col} ${CUSTOMER_GROUPING.map((c) => `WHEN '${c}' THEN g.${c}::VARCHAR`).join(' ')} END`;
  return `INSERT INTO insights_customer_counts
    WITH ${sources}f AS (
      SELECT f.partner_id, f.month, f.customer_id, f.country, f.segment, ${CUSTOMER_GROUPING.map((c) => `f.${c}`).join(', ')},
             f.state = 'Active' AS active, coalesce(p.state = 'Active', FALSE) AS prev_active, f.active_usage
      FROM (${FACTS.subscription.source}) f
      LEFT JOIN insights_subscription_months p
        ON p.partner_id = f.partner_id AND p.subscription_id = f.subscription_id AND p.month = (f.month - INTERVAL 1 MONTH)::DATE
      WHERE ${where}
    ),
    g AS (
      SELECT partner_id, month, customer_id, country, segment, ${CUSTOMER_GROUPING.join(', ')},
             GROUPING(${CUSTOMER_GROUPING.join(', ')}) AS gid,
             bool_or(active) AS c, bool_or(prev_active) AS p, bool_or(active_usage) AS u
      FROM f GROUP BY GROUPING SETS (${groupingSets})
    ),
    pairs(gid, variant, vcol, split, scol) AS (VALUES ${map}),
    pc AS MATERIALIZED (
      SELECT g.partner_id, g.month, x.variant, ${pick('x.vcol')} AS variant_value, x.split,
             coalesce(${pick('x.scol')}, CASE WHEN x.scol IS NULL THEN 'All' END) AS dim,
             g.country, g.segment, g.customer_id, g.c, g.p, g.u
      FROM g JOIN pairs x ON x.gid = g.gid
    ),
    pa AS (
      SELECT pc.partner_id, pc.month, pc.variant, pc.variant_value, 'attributionType' AS split, coalesce(a.attribution_type, 'None') AS dim,
             pc.country, pc.segment, pc.customer_id, pc.c, pc.p, pc.u
      FROM pc LEFT JOIN ${ATTRIBUTION_TYPES} a ON a.partner_id = pc.partner_id AND a.customer_id = pc.customer_id
      WHERE pc.split = 'all'
    )
    -- Each (customer, variant value, dim, month) is one row here, so count(*) counts distinct customers.
    SELECT partner_id, month, variant, variant_value, split, dim, country, segment,
           count(*) FILTER (WHERE c) AS counted,
           count(*) FILTER (WHERE c AND NOT p) AS added,
           count(*) FILTER (WHERE c AND p) AS existing,
           count(*) FILTER (WHERE p AND NOT c) AS churned,
           count(*) FILTER (WHERE u) AS active_usage
    FROM (SELECT * FROM pc UNION ALL SELECT * FROM pa)
    GROUP BY ALL
    ORDER BY partner_id, variant, split, month`;
}

/**
 * The statements filling migration 004's cubes for the fact rows matching `where` (a condition on the fact's
 * `f.partner_id` and `f.month`; parameters $n allowed). The caller deletes the same rows first.
 * `sources`: CTEs (each followed by a comma) put before the fact's, e.g. scopedSources().
 */
export function cubeStatements(where: string, sources = ''): string[] {
  return [
    additiveCube(
      'insights_subscription_cube',
      FACTS.subscription.source,
      [...COMMON, 'state', 'state_group', 'is_trial', 'reseller_mpn_id', 'is_new', 'churned', 'trial_converted', 'renewed', 'active_usage'],
      'count(DISTINCT f.subscription_id)::BIGINT AS subscriptions',
      where,
      sources,
    ),
    additiveCube(
      'insights_license_cube',
      FACTS.license.source,
      COMMON,
      `sum(f.licenses_purchased)::BIGINT AS licenses_purchased, sum(f.licenses_assigned)::BIGINT AS licenses_assigned,
       sum(f.active_users_28d)::BIGINT AS active_users_28d`,
      where,
      sources,
    ),
    additiveCube('insights_license_event_cube', FACTS.licenseEvent.source, COMMON, 'sum(f.licenses_added)::BIGINT AS licenses_added', where, sources),
    additiveCube(
      'insights_usage_cube',
      FACTS.usage.source,
      [...COMMON, 'meter_category'],
      'sum(f.acr_usd)::DECIMAL(38,6) AS acr_usd, sum(f.quantity)::DECIMAL(38,6) AS quantity, sum(f.line_count)::BIGINT AS line_count',
      where,
      sources,
    ),
    customerCounts(where, sources),
  ];
}

/** The statement filling insights_azure_customer_cube (migration 007; the caller deletes first). */
export function azureCustomerCubeStatement(where: string, sources = ''): string {
  return additiveCube(
    'insights_azure_customer_cube',
    FACTS.azureSubscription.source,
    [...COMMON, 'state_group', 'reseller_mpn_id', 'customer_id', 'held', 'active_usage'],
    'count(*)::BIGINT AS subscriptions',
    where,
    sources,
  );
}

/**
 * The tables the facts (facts.ts) read, each with how its rows belong to a cube month: every fact
 * row of month M reads rows of month M only (the subscription months of M - 1 too, for the customer
 * counts' `prev`), and every join is on partner_id. null: by partner only (dimension tables).
 */
const SCOPED_TABLES: { table: string; month: string | null; withPreviousMonth?: boolean }[] = [
  { table: 'insights_subscription_months', month: 'month', withPreviousMonth: true },
  { table: 'insights_usage_monthly', month: 'month' },
  { table: 'license_usage', month: 'month' },
  { table: 'subscription_events', month: `date_trunc('month', event_date)::DATE` },
  { table: 'subscriptions', month: null },
  { table: 'customers', month: null },
  { table: 'products', month: null },
  { table: 'resellers', month: null },
  { table: 'attributions', month: null },
];

/**
 * CTEs named after the tables the facts read, holding only the rows of the partners (and months)
 * being rebuilt: inside the statement a CTE shadows the table of the same name, so the facts' SQL
 * reads just those rows. Without them a month's rebuild joined and aggregated whole tables whose
 * rows the WHERE on the fact then threw away (DuckDB does not carry a filter into the right side of
 * a LEFT JOIN): the active-usage lookups grouped all of license_usage and insights_usage_monthly
 * in three statements per partner, ~0.9 s of a 1.9 s month rebuild on the 10M-row benchmark
 * warehouse. The rows kept are exactly the ones the fact rows of those partners and months join
 * (each restriction is the fact's own month expression), so the cubes are the same.
 * `partners` and `months` are SQL lists of the parameters ($1, ...; months cast to DATE).
 */
function scopedSources(partners: string, months: readonly string[] | null): string {
  const ctes = SCOPED_TABLES.map(({ table, month, withPreviousMonth }) => {
    let where = `partner_id IN (${partners})`;
    if (months && month) {
      const wanted = [...months, ...(withPreviousMonth ? months.map((m) => `(${m} - INTERVAL 1 MONTH)::DATE`) : [])];
      where += ` AND ${month} IN (${wanted.join(', ')})`;
    }
    // NOT MATERIALIZED: inlined where the fact reads it, so DuckDB scans only the columns it needs.
    return `${table} AS NOT MATERIALIZED (SELECT * FROM main.${table} WHERE ${where})`;
  });
  return `${ctes.join(',\n    ')},\n    `;
}

/**
 * Rebuilds the cubes of `partnerIds` (all their months, or only `months`, 'YYYY-MM-01'; all the
 * cubes, or only `tables`), inside the caller's transaction. Months: every cube row of month M depends only on month M of the facts (and
 * the subscription states of M - 1, which a usage load does not change).
 */
export async function rebuildInsightsCubes(
  tx: SqlRunner,
  partnerIds: readonly string[],
  months?: readonly string[] | null,
  tables: readonly CubeTable[] = CUBE_TABLES,
): Promise<void> {
  if (partnerIds.length === 0 || (months && months.length === 0) || tables.length === 0) return;
  const params: string[] = [...partnerIds];
  const p = partnerIds.map((_, i) => `$${i + 1}`).join(', ');
  let monthParams: string[] | null = null;
  if (months) {
    monthParams = months.map((_, i) => `$${partnerIds.length + i + 1}::DATE`);
    params.push(...months);
  }
  const m = monthParams?.join(', ');
  const where = (alias: string) => `${alias}.partner_id IN (${p})${m ? ` AND ${alias}.month IN (${m})` : ''}`;
  const sources = scopedSources(p, monthParams);
  for (const table of tables) await tx.run(`DELETE FROM ${table} WHERE ${where(table)}`, params);
  const [subscription, license, licenseEvent, usage, customerCounts] = cubeStatements(where('f'), sources);
  const statements: Record<CubeTable, string> = {
    insights_subscription_cube: subscription,
    insights_license_cube: license,
    insights_license_event_cube: licenseEvent,
    insights_usage_cube: usage,
    insights_customer_counts: customerCounts,
    insights_azure_customer_cube: azureCustomerCubeStatement(where('f'), sources),
  };
  // The subscription-month cubes of months without subscription months (a month that only usage
  // has reached yet) are empty: nothing to insert.
  let subscriptionMonths = true;
  if (months && tables.some((t) => SUBSCRIPTION_MONTH_CUBES.includes(t))) {
    subscriptionMonths = (await tx.all(`SELECT 1 FROM insights_subscription_months sm WHERE ${where('sm')} LIMIT 1`, params)).length > 0;
  }
  for (const table of tables) {
    if (!subscriptionMonths && SUBSCRIPTION_MONTH_CUBES.includes(table)) continue;
    await tx.run(statements[table], params);
  }
}

export type CubeTable = (typeof CUBE_TABLES)[number];

/** The cubes whose fact rows are subscription months (facts.ts subscription, azureSubscription). */
const SUBSCRIPTION_MONTH_CUBES: readonly CubeTable[] = ['insights_subscription_cube', 'insights_customer_counts', 'insights_azure_customer_cube'];

/**
 * The cubes that read insights_usage_monthly (the usage fact, and the subscription facts' active
 * usage): all a daily-usage load can change. The license cubes read license_usage and the
 * subscription history only.
 */
export const USAGE_CUBES: readonly CubeTable[] = [
  'insights_subscription_cube',
  'insights_usage_cube',
  'insights_customer_counts',
  'insights_azure_customer_cube',
];
