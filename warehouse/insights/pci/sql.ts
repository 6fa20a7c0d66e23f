import type { Caller } from '../../../resolvers/common/context';
import { scope } from '../../../resolvers/common/scope';
import { query, sql, type Sql } from '../../../resolvers/common/sql';
import type { SqlRunner } from '../../db';
import {
  ASSOCIATION_RULES,
  DEVELOPER_EXAMS,
  FUNCTIONAL_CONSULTANT_EXAMS,
  LARGE_DEPLOYMENT_MAU,
  PATH_PRODUCT_FAMILY,
  PCI_PATHS,
  QUALIFYING_PRODUCTS,
  type CreditGroup,
  type ExamRule,
  type PciMarketKey,
  type PciPathKey,
} from './thresholds';

/**
 * The SQL of the partner contribution indicators. Every statement is scoped to the caller's partner.
 * Location-scoped callers: credit goes to attributions whose MPN ID is one of the caller's locations
 * (`mine`), and certifications are those of the caller's locations; subscriptions, events, MAU and
 * billing lines are limited through that credit.
 *
 * A month is `m` (its first day) evaluated on `d` (its last day, or the as-of date in the as-of month).
 */
export interface MonthSpec {
  /** First day, YYYY-MM-01. */
  m: string;
  /** Evaluation day: the month's last day, or the as-of day. */
  d: string;
}

const FAMILIES = PCI_PATHS.map((p) => PATH_PRODUCT_FAMILY[p]);

function monthsValues(months: readonly MonthSpec[]): Sql {
  return sql.join(
    months.map((x) => sql`(CAST(${x.m} AS DATE), CAST(${x.d} AS DATE))`),
    ', ',
  );
}

/** `path` rows: the path key and its product family. */
function pathsValues(): Sql {
  return sql.join(
    PCI_PATHS.map((p) => sql`(CAST(${p} AS VARCHAR), CAST(${PATH_PRODUCT_FAMILY[p]} AS VARCHAR))`),
    ', ',
  );
}

/** ASSOCIATION_RULES as a table: (type, incentive, grp, displaced). */
function rulesValues(): Sql {
  const rows: Sql[] = [];
  for (const r of ASSOCIATION_RULES) {
    for (const g of r.groups) rows.push(sql`(CAST(${r.type} AS VARCHAR), CAST(${r.incentive} AS VARCHAR), CAST(${g} AS VARCHAR), CAST(${r.displacedByCpor} AS BOOLEAN))`);
  }
  return sql.join(rows, ', ');
}

/**
 * The CTEs every credit-based statement shares:
 * - mine: the MPN IDs whose credit is the caller's (their locations; plus the global MPN ID for an
 *   entire-organization caller).
 * - subs: the partner's subscriptions with their product family and whether they have any history.
 * - att: attributions expanded to the subscriptions they cover (by subscription id when given, else
 *   every subscription of the customer in the attribution's workload, or 'All'). Not location
 *   filtered: a CPOR of another MPN ID still displaces our DPOR.
 * - rules: the association rules.
 */
function creditCtes(caller: Caller): Sql {
  const wholeOrg = caller.locations === null;
  return sql`mine AS (
      SELECT l.mpn_id FROM locations l WHERE ${scope(caller, 'l', 'l.mpn_id')} AND l.mpn_id IS NOT NULL
      UNION
      SELECT p.global_mpn_id FROM partners p WHERE ${scope(caller, 'p', null)} AND p.global_mpn_id IS NOT NULL AND ${wholeOrg}
    ),
    ev AS (
      SELECT e.subscription_id, e.event_date, lower(e.event_type) AS event_type, e.quantity_after,
             date_diff('day', DATE '1970-01-01', e.event_date)::BIGINT * 1000000000000 + e.rowid AS ord
      FROM subscription_events e WHERE ${scope(caller, 'e', null)} AND e.event_date IS NOT NULL
    ),
    subs AS (
      SELECT s.subscription_id, any_value(s.customer_id) AS customer_id, coalesce(bool_or(s.is_trial), false) AS is_trial,
             any_value(s.trial_start_date) AS trial_start_date, any_value(s.quantity) AS quantity,
             any_value(s.created_date) AS created_date, any_value(s.canceled_date) AS canceled_date,
             any_value(s.suspended_date) AS suspended_date, any_value(p.product_family) AS family,
             s.subscription_id IN (SELECT subscription_id FROM ev) AS has_events
      FROM subscriptions s LEFT JOIN products p ON p.partner_id = s.partner_id AND p.offer_id = s.offer_id
      WHERE ${scope(caller, 's', null)}
      GROUP BY s.subscription_id
    ),
    att AS (
      SELECT x.subscription_id, upper(a.attribution_type) AS type, upper(coalesce(a.incentive, '')) AS incentive,
             a.mpn_id, a.start_date, a.end_date
      FROM attributions a
      JOIN subs x ON x.customer_id = a.customer_id
       AND CASE WHEN coalesce(a.subscription_id, '') <> '' THEN a.subscription_id = x.subscription_id
                ELSE (a.workload = x.family OR lower(a.workload) = 'all') END
      WHERE ${scope(caller, 'a', null)}
    ),
    rules(type, incentive, grp, displaced) AS (VALUES ${rulesValues()})`;
}

/**
 * Whether the caller's partner is credited for subscription `sub` in `group` on `day`: an attribution
 * of one of our MPN IDs active that day whose rule earns the group, not displaced by a CPOR of the
 * same subscription holding that group that day. Same rule as creditedPartners() in rules.ts.
 */
function credited(sub: Sql, day: Sql, group: CreditGroup): Sql {
  return sql`EXISTS (
    SELECT 1 FROM att x JOIN rules r ON r.type = x.type AND (r.incentive IS NULL OR r.incentive = x.incentive)
    WHERE x.subscription_id = ${sub} AND r.grp = ${group}
      AND x.start_date <= ${day} AND (x.end_date IS NULL OR x.end_date >= ${day})
      AND x.mpn_id IN (SELECT mpn_id FROM mine)
      AND NOT (r.displaced AND EXISTS (
        SELECT 1 FROM att y JOIN rules ry ON ry.type = y.type AND ry.incentive = y.incentive
        WHERE y.type = 'CPOR' AND y.subscription_id = x.subscription_id AND ry.grp = r.grp
          AND y.start_date <= ${day} AND (y.end_date IS NULL OR y.end_date >= ${day}))))`;
}

/**
 * Paid seats of every Dynamics 365 (CE, F&O) subscription at the end of each month, and whether we
 * are credited for it in each group then. Seats come from the subscription history: the quantity of
 * the last purchase / trial conversion / quantity change / cancel on or before the day, counted only
 * while the last of purchase / trial conversion / reactivate / suspend / cancel leaves it active.
 * Trial seats are not paid: a trial that never converted has none, a converted one from its
 * conversion. A subscription without history falls back to its row (quantity between creation and
 * cancellation or suspension).
 */
function customerMonthCtes(caller: Caller, months: readonly MonthSpec[]): Sql {
  return sql`${creditCtes(caller)},
    months(m, d) AS (VALUES ${monthsValues(months)}),
    seats AS (
      SELECT mo.m, mo.d, x.subscription_id, x.customer_id, x.family,
        CASE
          WHEN x.is_trial THEN 0
          WHEN NOT x.has_events THEN
            CASE WHEN x.created_date <= mo.d AND (x.canceled_date IS NULL OR x.canceled_date > mo.d)
                  AND (x.suspended_date IS NULL OR x.suspended_date > mo.d) THEN coalesce(x.quantity, 0) ELSE 0 END
          WHEN x.trial_start_date IS NOT NULL AND NOT coalesce(bool_or(e.event_type = 'trialconversion'), false) THEN 0
          WHEN arg_max(CASE WHEN e.event_type IN ('suspend', 'cancel') THEN 0 ELSE 1 END, e.ord)
                 FILTER (WHERE e.event_type IN ('purchase', 'trialconversion', 'reactivate', 'suspend', 'cancel')) = 1
            THEN coalesce(arg_max(e.quantity_after, e.ord)
                 FILTER (WHERE e.quantity_after IS NOT NULL AND e.event_type IN ('purchase', 'trialconversion', 'quantitychange', 'cancel')), 0)
          ELSE 0
        END AS paid_seats
      FROM months mo CROSS JOIN subs x
      LEFT JOIN ev e ON e.subscription_id = x.subscription_id AND e.event_date <= mo.d
      WHERE x.family IN ${sql.list(FAMILIES)}
      GROUP BY mo.m, mo.d, x.subscription_id, x.customer_id, x.family, x.is_trial, x.has_events, x.created_date,
               x.canceled_date, x.suspended_date, x.quantity, x.trial_start_date
    ),
    sub_month AS (
      SELECT s.m, s.d, s.customer_id, s.family, s.paid_seats,
             s.paid_seats > 0 AND ${credited(sql.raw('s.subscription_id'), sql.raw('s.d'), 'PERFORMANCE')} AS perf,
             s.paid_seats > 0 AND ${credited(sql.raw('s.subscription_id'), sql.raw('s.d'), 'USAGE')} AS usage
      FROM seats s
    ),
    cust_month AS (
      SELECT m, family, customer_id, sum(paid_seats) > 0 AS paid, bool_or(perf) AS perf, bool_or(usage) AS usage
      FROM sub_month GROUP BY m, family, customer_id
    )`;
}

/** The locations' markets in the caller's scope. */
export async function locationMarkets(db: SqlRunner, caller: Caller): Promise<(string | null)[]> {
  const rows = await query<{ market: string | null }>(db, sql`SELECT l.market FROM locations l WHERE ${scope(caller, 'l', 'l.mpn_id')}`);
  return rows.map((r) => r.market);
}

export interface NetCustomerAddsRow {
  path: PciPathKey;
  month: string;
  adds: number;
  losses: number;
}

/**
 * Customers added and lost per month and path (months after the first of `months`): an add is a
 * customer with no paid seats on the path's subscriptions at the end of the prior month and some at
 * the end of this one, credited to us (PERFORMANCE) on one of its paid subscriptions then; a loss the
 * reverse, taken from us if we were credited in the prior month.
 */
export async function netCustomerAddsByMonth(db: SqlRunner, caller: Caller, months: readonly MonthSpec[]): Promise<NetCustomerAddsRow[]> {
  return query<NetCustomerAddsRow & Record<string, unknown>>(
    db,
    sql`WITH ${customerMonthCtes(caller, months)},
      paths(path, family) AS (VALUES ${pathsValues()})
    SELECT pa.path, strftime(c.m, '%Y-%m-%d') AS month,
           (count(*) FILTER (WHERE c.paid AND c.perf AND NOT coalesce(p.paid, false)))::INTEGER AS adds,
           (count(*) FILTER (WHERE p.paid AND p.perf AND NOT c.paid))::INTEGER AS losses
    FROM cust_month c JOIN paths pa ON pa.family = c.family
    LEFT JOIN cust_month p ON p.family = c.family AND p.customer_id = c.customer_id AND p.m = CAST(c.m - INTERVAL 1 MONTH AS DATE)
    WHERE c.m > (SELECT min(m) FROM months)
    GROUP BY pa.path, c.m ORDER BY pa.path, c.m`,
  );
}

export interface MauRow {
  path: PciPathKey;
  month: string;
  /** MAU of the path summed over the tenants we are credited for (USAGE) that month. */
  creditedUsers: number;
  /** MAU rows on file for the path that month (any tenant): 0 means no data. */
  mauRows: number;
}

function mauCte(caller: Caller): Sql {
  return sql`mau AS (
      SELECT CAST(date_trunc('month', u.month) AS DATE) AS m, u.customer_id, u.workload AS family, sum(u.active_users) AS users
      FROM monthly_active_users u WHERE ${scope(caller, 'u', null)} AND u.workload IN ${sql.list(FAMILIES)}
      GROUP BY ALL
    ),
    tenant AS (
      SELECT c.m, c.family, c.customer_id, c.usage, coalesce(u.users, 0) AS users
      FROM cust_month c LEFT JOIN mau u ON u.m = c.m AND u.customer_id = c.customer_id AND u.family = c.family
    )`;
}

/**
 * Monthly active users per path and month over the tenants we are credited for. MAU are per tenant
 * and workload (the file's workload is the product family); the file counts paid subscriptions only,
 * as the definition asks ("summed up across only the paid subscriptions under the tenant"). A tenant is
 * ours in a month when we are credited (USAGE) on any of its paid subscriptions of the path.
 */
export async function mauByMonth(db: SqlRunner, caller: Caller, months: readonly MonthSpec[]): Promise<MauRow[]> {
  const rows = await query<Record<string, unknown>>(
    db,
    sql`WITH ${customerMonthCtes(caller, months)}, ${mauCte(caller)},
      paths(path, family) AS (VALUES ${pathsValues()})
    SELECT pa.path, strftime(mo.m, '%Y-%m-%d') AS month,
           (SELECT coalesce(sum(t.users), 0) FROM tenant t WHERE t.m = mo.m AND t.family = pa.family AND t.usage)::BIGINT AS "creditedUsers",
           (SELECT count(*) FROM mau u WHERE u.m = mo.m AND u.family = pa.family)::INTEGER AS "mauRows"
    FROM months mo CROSS JOIN paths pa ORDER BY pa.path, mo.m`,
  );
  return rows.map((r) => ({ path: r.path as PciPathKey, month: String(r.month), creditedUsers: Number(r.creditedUsers), mauRows: Number(r.mauRows) }));
}

export interface LargeDeploymentRow {
  path: PciPathKey;
  month: string;
  tenants: number;
}

/**
 * New large deployments per path for each month h of `history`: tenants whose path MAU was below the
 * market's threshold in the first month of the trailing 12-month window (h - 11 months) and reached it
 * (>=) in at least one of the 11 subsequent months (h - 10 .. h), in a month when we were credited
 * (USAGE) for the tenant. `months` must include h - 11 .. h for every h.
 */
export async function largeDeploymentsByMonth(
  db: SqlRunner,
  caller: Caller,
  months: readonly MonthSpec[],
  history: readonly MonthSpec[],
  market: PciMarketKey,
): Promise<LargeDeploymentRow[]> {
  const thresholds = sql.join(
    PCI_PATHS.map((p) => sql`(CAST(${p} AS VARCHAR), CAST(${PATH_PRODUCT_FAMILY[p]} AS VARCHAR), CAST(${LARGE_DEPLOYMENT_MAU[p][market]} AS INTEGER))`),
    ', ',
  );
  return query<LargeDeploymentRow & Record<string, unknown>>(
    db,
    sql`WITH ${customerMonthCtes(caller, months)}, ${mauCte(caller)},
      paths(path, family, t) AS (VALUES ${thresholds}),
      hist(m, d) AS (VALUES ${monthsValues(history)})
    SELECT pa.path, strftime(h.m, '%Y-%m-%d') AS month,
      (SELECT count(DISTINCT b.customer_id) FROM tenant b
        WHERE b.family = pa.family AND b.m = CAST(h.m - INTERVAL 11 MONTH AS DATE) AND b.users < pa.t
          AND EXISTS (SELECT 1 FROM tenant c WHERE c.family = b.family AND c.customer_id = b.customer_id
                      AND c.m > b.m AND c.m <= h.m AND c.users >= pa.t AND c.usage))::INTEGER AS tenants
    FROM hist h CROSS JOIN paths pa ORDER BY pa.path, h.m`,
  );
}

export interface RevenueRow {
  path: PciPathKey;
  month: string;
  /** USD, DECIMAL as a string with two decimals. */
  usd: string;
  lines: number;
  /** Lines left out for want of a USD exchange rate on or before their date. */
  unconverted: number;
}

function keywordPattern(words: readonly string[]): string {
  return `\\b(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')).join('|')})\\b`;
}

/**
 * Net new revenue per path for each month h of `history`: billings minus credits (signed pre-tax
 * subtotals of the license-based and one-time/recurring reconciliation lines; credits are negative
 * lines; a license line's subscription is its SyndicationPartnerSubscriptionNumber, the Partner Center
 * subscription ID) dated in the trailing 12 months h - 11 .. h (a line's date: its invoice's date, else its
 * charge start), of qualifying Dynamics 365 products of the path, on subscriptions we are credited
 * for (PERFORMANCE) on that date. In USD: a line in another currency is converted with the latest
 * fx_rates rate on or before its date (USD -> X rates divide, X -> USD rates multiply), rounded to 6
 * decimals per line, summed as DECIMAL and rounded to cents.
 */
export async function netNewRevenueByMonth(db: SqlRunner, caller: Caller, history: readonly MonthSpec[]): Promise<RevenueRow[]> {
  const patterns = sql.join(
    PCI_PATHS.map((p) => sql`(CAST(${p} AS VARCHAR), CAST(${keywordPattern(QUALIFYING_PRODUCTS[p])} AS VARCHAR))`),
    ', ',
  );
  const rows = await query<Record<string, unknown>>(
    db,
    sql`WITH ${creditCtes(caller)},
      hist(m, d) AS (VALUES ${monthsValues(history)}),
      paths(path, pattern) AS (VALUES ${patterns}),
      inv AS (SELECT i.invoice_number, min(i.invoice_date) AS d FROM invoices i WHERE ${scope(caller, 'i', null)} GROUP BY 1),
      prod AS (
        SELECT p.offer_id, any_value(p.product_name) AS product_name, any_value(p.sku_name) AS sku_name, any_value(p.product_family) AS family
        FROM products p WHERE ${scope(caller, 'p', null)} GROUP BY 1
      ),
      prod_by_id AS (
        SELECT p.product_id, any_value(p.product_name) AS product_name, any_value(p.product_family) AS family
        FROM products p WHERE ${scope(caller, 'p', null)} GROUP BY 1
      ),
      rates AS (
        SELECT upper(f.to_currency) AS cur, f.rate_date, 1.0 / CAST(f.rate AS DOUBLE) AS usd_per_unit
        FROM fx_rates f WHERE ${scope(caller, 'f', null)} AND upper(f.from_currency) = 'USD' AND f.rate > 0
        UNION ALL
        SELECT upper(f.from_currency), f.rate_date, CAST(f.rate AS DOUBLE)
        FROM fx_rates f WHERE ${scope(caller, 'f', null)} AND upper(f.to_currency) = 'USD' AND upper(f.from_currency) <> 'USD'
      ),
      lines AS (
        SELECT coalesce(nullif(l.syndication_partner_subscription_number, ''), l.subscription_id) AS subscription_id,
               coalesce(i.d, l.charge_start_date) AS day, upper(coalesce(l.currency, 'USD')) AS cur,
               coalesce(l.subtotal, l.amount) AS amount,
               concat_ws(' ', l.offer_name, pr.product_name, pr.sku_name, l.subscription_name) AS product, pr.family
        FROM billing_license_lines l LEFT JOIN inv i ON i.invoice_number = l.invoice_number LEFT JOIN prod pr ON pr.offer_id = l.offer_id
        WHERE ${scope(caller, 'l', null)}
        UNION ALL
        SELECT o.subscription_id, coalesce(i.d, o.charge_start_date, o.order_date), upper(coalesce(o.currency, 'USD')),
               coalesce(o.subtotal, o.total), concat_ws(' ', o.product_name, o.sku_name, pr.product_name), pr.family
        FROM billing_onetime_lines o LEFT JOIN inv i ON i.invoice_number = o.invoice_number LEFT JOIN prod_by_id pr ON pr.product_id = o.product_id
        WHERE ${scope(caller, 'o', null)}
      ),
      conv AS (
        SELECT l.*, CASE WHEN l.cur = 'USD' THEN CAST(l.amount AS DECIMAL(18,6))
                         WHEN r.usd_per_unit IS NULL THEN NULL
                         ELSE CAST(l.amount * r.usd_per_unit AS DECIMAL(18,6)) END AS usd
        FROM lines l ASOF LEFT JOIN rates r ON r.cur = l.cur AND l.day >= r.rate_date
        WHERE l.day IS NOT NULL
      ),
      qualified AS (
        SELECT pa.path, c.subscription_id, c.day, c.usd
        FROM conv c JOIN paths pa ON regexp_matches(c.product, pa.pattern, 'i')
        WHERE regexp_matches(concat_ws(' ', c.product, c.family), 'Dynamics\\s*365', 'i')
          AND ${credited(sql.raw('c.subscription_id'), sql.raw('c.day'), 'PERFORMANCE')}
      )
    SELECT pa.path, strftime(h.m, '%Y-%m-%d') AS month,
           CAST(coalesce(round(sum(q.usd), 2), 0) AS DECIMAL(18,2))::VARCHAR AS usd,
           count(q.day)::INTEGER AS lines,
           (count(q.day) FILTER (WHERE q.usd IS NULL))::INTEGER AS unconverted
    FROM hist h CROSS JOIN (SELECT DISTINCT path FROM paths) pa
    LEFT JOIN qualified q ON q.path = pa.path AND q.day >= CAST(h.m - INTERVAL 11 MONTH AS DATE) AND q.day <= h.d
    GROUP BY pa.path, h.m ORDER BY pa.path, h.m`,
  );
  return rows.map((r) => ({ path: r.path as PciPathKey, month: String(r.month), usd: String(r.usd), lines: Number(r.lines), unconverted: Number(r.unconverted) }));
}

export interface CertificationCountRow {
  day: string;
  path: PciPathKey;
  functionalConsultants: number;
  developers: number;
}

function holds(rule: ExamRule): Sql {
  const anyOf = sql.join(rule.anyOf.map((c) => sql`CAST(${c} AS VARCHAR)`), ', ');
  return sql`list_contains(codes, ${rule.core}) AND list_has_any(codes, [${anyOf}])
    AND NOT (regexp_matches(coalesce(certs, ''), ${rule.certificationName}, 'i')
             AND NOT regexp_matches(coalesce(active_certs, ''), ${rule.certificationName}, 'i'))`;
}

/**
 * Individuals holding the functional consultant and developer associate certifications of each path
 * on each day (holdsCertification() in rules.ts): exams and certifications achieved on or before the
 * day and not expired by it; a lapsed certification itself disqualifies. Counted once per individual
 * across the caller's locations.
 */
export async function certificationCounts(db: SqlRunner, caller: Caller, days: readonly string[]): Promise<CertificationCountRow[]> {
  const daysValues = sql.join(days.map((d) => sql`(CAST(${d} AS DATE))`), ', ');
  const columns = sql.join(
    PCI_PATHS.flatMap((p) => [
      sql`(count(*) FILTER (WHERE ${holds(FUNCTIONAL_CONSULTANT_EXAMS[p])}))::INTEGER AS ${sql.raw(`"${p}:fc"`)}`,
      sql`(count(*) FILTER (WHERE ${holds(DEVELOPER_EXAMS[p])}))::INTEGER AS ${sql.raw(`"${p}:dev"`)}`,
    ]),
    ', ',
  );
  const rows = await query<Record<string, unknown>>(
    db,
    sql`WITH days(d) AS (VALUES ${daysValues}),
      c AS (
        SELECT c.individual_id, upper(trim(c.credential_code)) AS code, lower(coalesce(c.credential_type, '')) AS ctype,
               coalesce(c.credential_name, '') AS cname, c.achieved_date, c.expiry_date
        FROM certifications c WHERE ${scope(caller, 'c', 'c.mpn_id')} AND c.achieved_date IS NOT NULL
      ),
      ind AS (
        SELECT dy.d, c.individual_id,
               list(DISTINCT c.code) FILTER (WHERE c.expiry_date IS NULL OR c.expiry_date > dy.d) AS codes,
               string_agg(c.cname, ' | ') FILTER (WHERE c.ctype = 'certification') AS certs,
               string_agg(c.cname, ' | ') FILTER (WHERE c.ctype = 'certification' AND (c.expiry_date IS NULL OR c.expiry_date > dy.d)) AS active_certs
        FROM days dy JOIN c ON c.achieved_date <= dy.d
        GROUP BY dy.d, c.individual_id
      )
    SELECT strftime(dy.d, '%Y-%m-%d') AS day, ${columns}
    FROM days dy LEFT JOIN ind ON ind.d = dy.d
    GROUP BY dy.d ORDER BY dy.d`,
  );
  return rows.flatMap((r) =>
    PCI_PATHS.map((p) => ({ day: String(r.day), path: p, functionalConsultants: Number(r[`${p}:fc`]), developers: Number(r[`${p}:dev`]) })),
  );
}
