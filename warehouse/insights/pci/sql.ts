import type { Caller } from '../../../core/caller';
import { scope } from '../../../core/scope';
import { query, sql, type Sql } from '../../../core/sql';
import type { SqlRunner } from '../../../core/sql';
import {
  DEVELOPER_EXAMS,
  FUNCTIONAL_CONSULTANT_EXAMS,
  LARGE_DEPLOYMENT_MAU,
  PATH_PRODUCT_FAMILY,
  PCI_PATHS,
  type PciMarketKey,
  type PciPathKey,
} from './thresholds';

/**
 * The SQL of the partner contribution indicators. Every statement is scoped to the caller's partner.
 * Location-scoped callers: credit goes to attributions whose MPN ID is one of the caller's locations
 * (`mine`), and certifications are those of the caller's locations; subscriptions, events, MAU and
 * billing lines are limited through that credit. Seats, credit, qualifying revenue and MAU are read
 * from the PCI rollups the ETL keeps per partner (pci/rollups.ts); the credit they hold is the list of
 * credited MPN IDs, matched against the caller's here.
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

/**
 * mine: the MPN IDs whose credit is the caller's (their locations; plus the global MPN ID for an
 * entire-organization caller), and mine_list: the same as one list, matched against the credited
 * MPN IDs the PCI rollups keep per subscription interval and revenue day (pci/rollups.ts: an
 * attribution active on the day whose association rule earns the group and no CPOR displaces).
 */
function mineCtes(caller: Caller): Sql {
  const wholeOrg = caller.locations === null;
  return sql`mine AS (
      SELECT l.mpn_id FROM locations l WHERE ${scope(caller, 'l', 'l.mpn_id')} AND l.mpn_id IS NOT NULL
      UNION
      SELECT p.global_mpn_id FROM partners p WHERE ${scope(caller, 'p', null)} AND p.global_mpn_id IS NOT NULL AND ${wholeOrg}
    ),
    mine_list AS (SELECT coalesce(list(mpn_id), []::VARCHAR[]) AS l FROM mine)`;
}

/**
 * Tenants (customers) of the Dynamics 365 families and their state on each month's day `d`: paid
 * (paid seats on the family's subscriptions, summed, > 0) and credited to us on one of their paid
 * subscriptions (PERFORMANCE: perf, USAGE: usage), from insights_pci_customer_days (pci/rollups.ts:
 * each tenant's timeline in intervals over which none of this changes, covering every day; seats
 * from the subscription history as sql.ts always counted them). Every tenant of a family exists in
 * every month (with no paid seats before its first subscription).
 *
 * - months(m, d), mp(m, d, pd): the months, with the previous month's day pd.
 * - cd: the tenants' intervals overlapping the months, with the caller's credit matched once per
 *   interval; state on day x = the interval with valid_from <= x < valid_to.
 * - mau: monthly active users per tenant, family and month; mau_state: those of tenants, with
 *   the tenant's credit (usage) in that month.
 */
function customerMonthCtes(caller: Caller, months: readonly MonthSpec[]): Sql {
  // An entire-organization caller's MPN IDs are the partner's own: matched at load time.
  const credit = (what: 'perf' | 'usage' | 'prev_perf') =>
    caller.locations === null ? sql.raw(`c.${what}_org`) : sql.raw(`coalesce(list_has_any(c.${what}_mpns, (SELECT l FROM mine_list)), false)`);
  return sql`${mineCtes(caller)},
    months(m, d) AS (VALUES ${monthsValues(months)}),
    mp AS (SELECT m, d, lag(d) OVER (ORDER BY m) AS pd FROM months),
    cd AS MATERIALIZED (
      SELECT c.customer_id, c.family, c.valid_from, coalesce(c.valid_to, DATE '9999-12-31') AS valid_to, c.paid, c.prev_paid,
             ${credit('perf')} AS perf, ${credit('usage')} AS usage, ${credit('prev_perf')} AS prev_perf
      FROM insights_pci_customer_days c
      WHERE ${scope(caller, 'c', null)}
        AND c.valid_from <= (SELECT max(d) FROM months) AND coalesce(c.valid_to, DATE '9999-12-31') > (SELECT min(d) FROM months)
    ),
    mau AS (
      SELECT u.month AS m, u.customer_id, u.family, u.users
      FROM insights_pci_mau u WHERE ${scope(caller, 'u', null)} AND u.family IN ${sql.list(FAMILIES)}
        AND u.month IN (SELECT m FROM months)
    ),
    mau_day AS MATERIALIZED (SELECT u.*, mo.d FROM mau u JOIN months mo ON mo.m = u.m),
    mau_state AS MATERIALIZED (
      SELECT u.m, u.family, u.customer_id, u.users, c.usage
      FROM mau_day u JOIN cd c ON c.customer_id = u.customer_id AND c.family = u.family AND c.valid_from <= u.d AND c.valid_to > u.d
    ),
    families AS MATERIALIZED (SELECT DISTINCT family FROM cd)`;
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
/**
 * Adds and losses per path and month (after the first month). A tenant's state can differ from the
 * previous month's only if one of its intervals starts between the two days, so only those tenants
 * are compared (both states looked up); the others can be neither added nor lost. Paths whose family
 * has no tenant give no rows.
 */
const ADDS_CTES = sql.raw(`
    -- Of the intervals starting between the previous month's day and this month's: the last one is
    -- the state on this month's day, the state before the first one is the previous month's.
    tstate AS (
      SELECT mp.m, c.family, c.customer_id,
             arg_max(c.paid, c.valid_from) AS c_paid, arg_max(c.perf, c.valid_from) AS c_perf,
             arg_min(c.prev_paid, c.valid_from) AS p_paid, arg_min(c.prev_perf, c.valid_from) AS p_perf
      FROM mp JOIN cd c ON c.valid_from > mp.pd AND c.valid_from <= mp.d
      GROUP BY mp.m, c.family, c.customer_id
    )`);
const ADDS_SELECT = sql.raw(`SELECT pa.path, strftime(mo.m, '%Y-%m-%d') AS month,
           (count(*) FILTER (WHERE s.c_paid AND s.c_perf AND NOT s.p_paid))::INTEGER AS adds,
           (count(*) FILTER (WHERE s.p_paid AND s.p_perf AND NOT s.c_paid))::INTEGER AS losses
    FROM mp mo CROSS JOIN paths pa LEFT JOIN tstate s ON s.m = mo.m AND s.family = pa.family
    WHERE mo.pd IS NOT NULL AND pa.family IN (SELECT family FROM families)
    GROUP BY pa.path, mo.m`);

export async function netCustomerAddsByMonth(db: SqlRunner, caller: Caller, months: readonly MonthSpec[]): Promise<NetCustomerAddsRow[]> {
  return query<NetCustomerAddsRow & Record<string, unknown>>(
    db,
    sql`WITH ${customerMonthCtes(caller, months)}, ${ADDS_CTES},
      paths(path, family) AS (VALUES ${pathsValues()})
    ${ADDS_SELECT} ORDER BY pa.path, mo.m`,
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

/**
 * Monthly active users per path and month over the tenants we are credited for. MAU are per tenant
 * and workload (the file's workload is the product family); the file counts paid subscriptions only,
 * as the definition asks ("summed up across only the paid subscriptions under the tenant"). A tenant is
 * ours in a month when we are credited (USAGE) on any of its paid subscriptions of the path.
 */
/** Credited MAU and MAU rows per path and month. */
const MAU_SELECT = sql.raw(`SELECT pa.path, strftime(mo.m, '%Y-%m-%d') AS month,
           coalesce(cu.users, 0)::BIGINT AS "creditedUsers", coalesce(n.rows, 0)::INTEGER AS "mauRows"
    FROM months mo CROSS JOIN paths pa
    LEFT JOIN (SELECT m, family, sum(users) AS users FROM mau_state WHERE usage GROUP BY m, family) cu ON cu.m = mo.m AND cu.family = pa.family
    LEFT JOIN (SELECT m, family, count(*) AS rows FROM mau GROUP BY m, family) n ON n.m = mo.m AND n.family = pa.family`);

function mauRow(r: Record<string, unknown>): MauRow {
  return { path: r.path as PciPathKey, month: String(r.month), creditedUsers: Number(r.creditedUsers), mauRows: Number(r.mauRows) };
}

export async function mauByMonth(db: SqlRunner, caller: Caller, months: readonly MonthSpec[]): Promise<MauRow[]> {
  const rows = await query<Record<string, unknown>>(
    db,
    sql`WITH ${customerMonthCtes(caller, months)},
      paths(path, family) AS (VALUES ${pathsValues()})
    ${MAU_SELECT} ORDER BY pa.path, mo.m`,
  );
  return rows.map(mauRow);
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
function largeCtes(history: readonly MonthSpec[], market: PciMarketKey): Sql {
  const thresholds = sql.join(
    PCI_PATHS.map((p) => sql`(CAST(${p} AS VARCHAR), CAST(${LARGE_DEPLOYMENT_MAU[p][market]} AS INTEGER))`),
    ', ',
  );
  return sql`large_t(path, t) AS (VALUES ${thresholds}),
      hist(m, d) AS (VALUES ${monthsValues(history)}),
      -- The tenant months at or above the path's threshold while credited (USAGE), and per history
      -- month the tenants among them below it in the window's first month (no MAU row: 0 users).
      reach AS (
        SELECT pa.path, s.family, s.customer_id, s.m, lt.t
        FROM mau_state s JOIN paths pa ON pa.family = s.family JOIN large_t lt ON lt.path = pa.path
        WHERE s.usage AND s.users >= lt.t
      ),
      reached AS (
        SELECT DISTINCT h.m AS hm, r.path, r.customer_id
        FROM hist h JOIN reach r ON r.m > CAST(h.m - INTERVAL 11 MONTH AS DATE) AND r.m <= h.m
        LEFT JOIN mau b ON b.customer_id = r.customer_id AND b.family = r.family AND b.m = CAST(h.m - INTERVAL 11 MONTH AS DATE)
        WHERE coalesce(b.users, 0) < r.t AND CAST(h.m - INTERVAL 11 MONTH AS DATE) IN (SELECT m FROM months)
      )`;
}

const LARGE_SELECT = sql.raw(`SELECT pa.path, strftime(h.m, '%Y-%m-%d') AS month, count(r.customer_id)::INTEGER AS tenants
    FROM hist h CROSS JOIN paths pa LEFT JOIN reached r ON r.hm = h.m AND r.path = pa.path
    GROUP BY pa.path, h.m`);

export async function largeDeploymentsByMonth(
  db: SqlRunner,
  caller: Caller,
  months: readonly MonthSpec[],
  history: readonly MonthSpec[],
  market: PciMarketKey,
): Promise<LargeDeploymentRow[]> {
  return query<LargeDeploymentRow & Record<string, unknown>>(
    db,
    sql`WITH ${customerMonthCtes(caller, months)},
      paths(path, family) AS (VALUES ${pathsValues()}),
      ${largeCtes(history, market)}
    ${LARGE_SELECT} ORDER BY pa.path, h.m`,
  );
}

/**
 * Net customer adds, MAU and new large deployments (the three functions above) in one statement,
 * so that the customer months they all read are computed once (pciScores).
 */
export async function customerIndicatorsByMonth(
  db: SqlRunner,
  caller: Caller,
  months: readonly MonthSpec[],
  history: readonly MonthSpec[],
  market: PciMarketKey,
): Promise<{ adds: NetCustomerAddsRow[]; mau: MauRow[]; large: LargeDeploymentRow[] }> {
  const rows = await query<Record<string, unknown>>(
    db,
    sql`WITH ${customerMonthCtes(caller, months)}, ${ADDS_CTES},
      paths(path, family) AS (VALUES ${pathsValues()}),
      ${largeCtes(history, market)}
    SELECT 'adds' AS kind, path, month, adds AS a, losses AS b FROM (${ADDS_SELECT})
    UNION ALL SELECT 'mau', path, month, "creditedUsers", "mauRows" FROM (${MAU_SELECT})
    UNION ALL SELECT 'large', path, month, tenants, NULL FROM (${LARGE_SELECT})
    ORDER BY kind, path, month`,
  );
  const of = (kind: string) => rows.filter((r) => r.kind === kind);
  return {
    adds: of('adds').map((r) => ({ path: r.path as PciPathKey, month: String(r.month), adds: Number(r.a), losses: Number(r.b) })),
    mau: of('mau').map((r) => mauRow({ path: r.path, month: r.month, creditedUsers: r.a, mauRows: r.b })),
    large: of('large').map((r) => ({ path: r.path as PciPathKey, month: String(r.month), tenants: Number(r.a) })),
  };
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

/**
 * Net new revenue per path for each month h of `history`: billings minus credits (signed pre-tax
 * subtotals of the license-based and one-time/recurring reconciliation lines; credits are negative
 * lines; a license line's subscription is its SyndicationPartnerSubscriptionNumber, the Partner Center
 * subscription ID) dated in the trailing 12 months h - 11 .. h (a line's date: its invoice's date, else its
 * charge start), of qualifying Dynamics 365 products of the path, on subscriptions we are credited
 * for (PERFORMANCE) on that date. In USD: a line in another currency is converted with the latest
 * fx_rates rate on or before its date (USD -> X rates divide, X -> USD rates multiply), rounded to 6
 * decimals per line, summed as DECIMAL and rounded to cents. The lines are qualified, converted and
 * summed per day and credited MPN IDs at load time (insights_pci_revenue, pci/rollups.ts).
 */
export async function netNewRevenueByMonth(db: SqlRunner, caller: Caller, history: readonly MonthSpec[]): Promise<RevenueRow[]> {
  const paths = sql.join(PCI_PATHS.map((p) => sql`(CAST(${p} AS VARCHAR))`), ', ');
  const rows = await query<Record<string, unknown>>(
    db,
    sql`WITH ${mineCtes(caller)},
      hist(m, d) AS (VALUES ${monthsValues(history)}),
      paths(path) AS (VALUES ${paths}),
      q AS (
        SELECT r.path, r.day, r.usd, r.lines, r.unconverted FROM insights_pci_revenue r
        WHERE ${scope(caller, 'r', null)} AND coalesce(list_has_any(r.perf_mpns, (SELECT l FROM mine_list)), false)
      )
    SELECT pa.path, strftime(h.m, '%Y-%m-%d') AS month,
           CAST(coalesce(round(sum(q.usd), 2), 0) AS DECIMAL(18,2))::VARCHAR AS usd,
           coalesce(sum(q.lines), 0)::INTEGER AS lines,
           coalesce(sum(q.unconverted), 0)::INTEGER AS unconverted
    FROM hist h CROSS JOIN paths pa
    LEFT JOIN q ON q.path = pa.path AND q.day >= CAST(h.m - INTERVAL 11 MONTH AS DATE) AND q.day <= h.d
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

/**
 * Holds the exam combination of rule k (certificationCounts' rules): its core exam and one of the
 * others, achieved by the day and not expired (`core_k`, `other_k`), and no lapsed certification of
 * its name: `issued_k` / `active_k` say whether a certification matching the name was achieved by the
 * day / is still valid then (names matched once per certification row, not per day).
 */
function holds(k: number): Sql {
  return sql.raw(`coalesce(core_${k}, false) AND coalesce(other_${k}, false) AND NOT (coalesce(issued_${k}, false) AND NOT coalesce(active_${k}, false))`);
}

/**
 * Individuals holding the functional consultant and developer associate certifications of each path
 * on each day (holdsCertification() in rules.ts): exams and certifications achieved on or before the
 * day and not expired by it; a lapsed certification itself disqualifies. Counted once per individual
 * across the caller's locations.
 */
export async function certificationCounts(db: SqlRunner, caller: Caller, days: readonly string[]): Promise<CertificationCountRow[]> {
  const daysValues = sql.join(days.map((d) => sql`(CAST(${d} AS DATE))`), ', ');
  const rules = PCI_PATHS.flatMap((p) => [
    { column: `${p}:fc`, rule: FUNCTIONAL_CONSULTANT_EXAMS[p] },
    { column: `${p}:dev`, rule: DEVELOPER_EXAMS[p] },
  ]);
  const columns = sql.join(
    rules.map(({ column }, k) => sql`(count(*) FILTER (WHERE ${holds(k)}))::INTEGER AS ${sql.raw(`"${column}"`)}`),
    ', ',
  );
  const matches = sql.join(
    rules.map(
      ({ rule }, k) =>
        sql`c.ctype = 'certification' AND regexp_matches(c.cname, ${rule.certificationName}, 'i') AS ${sql.raw(`m_${k}`)},
          c.code = ${rule.core} AS ${sql.raw(`is_core_${k}`)},
          c.code IN ${sql.list([...rule.anyOf])} AS ${sql.raw(`is_other_${k}`)}`,
    ),
    ', ',
  );
  const valid = 'c.expiry_date IS NULL OR c.expiry_date > dy.d';
  const flags = sql.join(
    rules.map((_, k) =>
      sql.raw(`bool_or(c.is_core_${k}) FILTER (WHERE ${valid}) AS core_${k}, bool_or(c.is_other_${k}) FILTER (WHERE ${valid}) AS other_${k},
               bool_or(c.m_${k}) AS issued_${k}, bool_or(c.m_${k}) FILTER (WHERE ${valid}) AS active_${k}`),
    ),
    ', ',
  );
  const rows = await query<Record<string, unknown>>(
    db,
    sql`WITH days(d) AS (VALUES ${daysValues}),
      c0 AS (
        SELECT c.individual_id, upper(trim(c.credential_code)) AS code, lower(coalesce(c.credential_type, '')) AS ctype,
               coalesce(c.credential_name, '') AS cname, c.achieved_date, c.expiry_date
        FROM certifications c WHERE ${scope(caller, 'c', 'c.mpn_id')} AND c.achieved_date IS NOT NULL
      ),
      c AS (SELECT c.*, ${matches} FROM c0 c),
      ind AS (
        SELECT dy.d, c.individual_id, ${flags}
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
