import type { SqlRunner } from '../../../core/sql';
import { ASSOCIATION_RULES, PATH_PRODUCT_FAMILY, PCI_PATHS, QUALIFYING_PRODUCTS } from './thresholds';

/**
 * The PCI rollups (migration 004), so that a pciScores call reads a few thousand precomputed rows
 * instead of re-deriving seats and credit from the subscription history, the attributions and the
 * reconciliation lines (measured on the benchmark warehouse: 10 s a call before). Everything here is
 * per partner and independent of the caller: who is credited is kept as the list of MPN IDs that
 * earn the credit; the caller's MPN IDs (`mine`, sql.ts) are matched against it at query time.
 *
 * - insights_pci_subscription_days: for every Dynamics 365 (CE, F&O) subscription, its timeline cut
 *   into intervals [valid_from, valid_to) over which nothing changes: paid seats (the rule of sql.ts,
 *   from the subscription history), and the MPN IDs credited for it in the PERFORMANCE (OSA) and
 *   USAGE (OSU) groups. Cut points: the subscription's created, canceled and suspended dates, its
 *   event dates, and its attributions' start dates and end dates + 1 day; the values are evaluated
 *   on the interval's first day, which is what evaluating them on any day inside gives.
 * - insights_pci_customer_days: the same per tenant and family: intervals cut at every interval start
 *   of its subscriptions, paid (paid seats summed > 0), and the union of the credited MPN IDs of its
 *   subscriptions with paid seats (the tenant is credited when one of them is); with those matched
 *   against the partner's own MPN IDs (so this one also follows locations and partner-profile
 *   loads). Subscriptions without a customer ID belong to no tenant and are left out.
 * - insights_pci_revenue: the qualifying Dynamics 365 reconciliation lines (license-based and
 *   one-time), converted to USD per line (rounded to 6 decimals), summed per (path, day, credited
 *   MPN IDs): USD, line count, lines without a rate.
 * - insights_pci_mau: monthly active users per (month, tenant, Dynamics 365 family).
 *
 * Rebuilt per partner by rebuildPciRollups from the ETL's afterLoad hook (rollups.ts lists the loads).
 */
export const PCI_ROLLUP_TABLES = ['insights_pci_subscription_days', 'insights_pci_customer_days', 'insights_pci_revenue', 'insights_pci_mau'] as const;

const FAMILIES = PCI_PATHS.map((p) => PATH_PRODUCT_FAMILY[p]);
const q = (s: string) => `'${s.replace(/'/g, "''")}'`;
const familyList = `(${FAMILIES.map(q).join(', ')})`;

function keywordPattern(words: readonly string[]): string {
  return `\\b(${words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+')).join('|')})\\b`;
}

function rulesValues(): string {
  const rows: string[] = [];
  for (const r of ASSOCIATION_RULES) {
    for (const g of r.groups) rows.push(`(${q(r.type)}, ${r.incentive === null ? 'NULL::VARCHAR' : q(r.incentive)}, ${q(g)}, ${r.displacedByCpor})`);
  }
  return rows.join(', ');
}

/** subs, ev, att, rules: as in sql.ts creditCtes, for the partners matching `where` (on alias partner_id). */
function baseCtes(where: (alias: string) => string): string {
  return `ev AS (
      SELECT e.partner_id, e.subscription_id, e.event_date, lower(e.event_type) AS event_type, e.quantity_after,
             date_diff('day', DATE '1970-01-01', e.event_date)::BIGINT * 1000000000000 + e.rowid AS ord
      FROM subscription_events e WHERE ${where('e')} AND e.event_date IS NOT NULL
    ),
    subs AS (
      SELECT s.partner_id, s.subscription_id, any_value(s.customer_id) AS customer_id, coalesce(bool_or(s.is_trial), false) AS is_trial,
             any_value(s.trial_start_date) AS trial_start_date, any_value(s.quantity) AS quantity,
             any_value(s.created_date) AS created_date, any_value(s.canceled_date) AS canceled_date,
             any_value(s.suspended_date) AS suspended_date, any_value(p.product_family) AS family
      FROM subscriptions s LEFT JOIN products p ON p.partner_id = s.partner_id AND p.offer_id = s.offer_id
      WHERE ${where('s')}
      GROUP BY s.partner_id, s.subscription_id
    ),
    att AS (
      SELECT x.partner_id, x.subscription_id, upper(a.attribution_type) AS type, upper(coalesce(a.incentive, '')) AS incentive,
             a.mpn_id, a.start_date, a.end_date
      FROM attributions a
      JOIN subs x ON x.partner_id = a.partner_id AND x.customer_id = a.customer_id
       AND CASE WHEN coalesce(a.subscription_id, '') <> '' THEN a.subscription_id = x.subscription_id
                ELSE (a.workload = x.family OR lower(a.workload) = 'all') END
      WHERE ${where('a')}
    ),
    rules(type, incentive, grp, displaced) AS (VALUES ${rulesValues()})`;
}

/**
 * credit_<k>: per probe (k, partner_id, subscription_id, day) the MPN IDs credited on that day in each
 * group: an attribution active that day whose rule earns the group, unless the rule is displaced by a
 * CPOR of the same subscription holding the group that day (credited() in sql.ts, decorrelated).
 */
function creditCtes(probe: string): string {
  return `cand AS (
      SELECT p.k, r.grp, x.mpn_id, r.displaced
      FROM ${probe} p
      JOIN att x ON x.partner_id = p.partner_id AND x.subscription_id = p.subscription_id
       AND x.start_date <= p.day AND (x.end_date IS NULL OR x.end_date >= p.day)
      JOIN rules r ON r.type = x.type AND (r.incentive IS NULL OR r.incentive = x.incentive)
      WHERE x.mpn_id IS NOT NULL
    ),
    cpor AS (
      SELECT DISTINCT p.k, ry.grp
      FROM ${probe} p
      JOIN att y ON y.partner_id = p.partner_id AND y.subscription_id = p.subscription_id AND y.type = 'CPOR'
       AND y.start_date <= p.day AND (y.end_date IS NULL OR y.end_date >= p.day)
      JOIN rules ry ON ry.type = y.type AND ry.incentive = y.incentive
    ),
    credit AS (
      SELECT c.k,
             list_sort(list(DISTINCT c.mpn_id) FILTER (WHERE c.grp = 'PERFORMANCE')) AS perf_mpns,
             list_sort(list(DISTINCT c.mpn_id) FILTER (WHERE c.grp = 'USAGE')) AS usage_mpns
      FROM cand c LEFT JOIN cpor ON cpor.k = c.k AND cpor.grp = c.grp
      WHERE NOT (c.displaced AND cpor.k IS NOT NULL)
      GROUP BY c.k
    )`;
}

function subscriptionDays(where: (alias: string) => string): string {
  return `INSERT INTO insights_pci_subscription_days
    WITH ${baseCtes(where)},
    d365 AS (
      SELECT x.*, x.subscription_id IN (SELECT subscription_id FROM ev WHERE ev.partner_id = x.partner_id) AS has_events
      FROM subs x WHERE x.family IN ${familyList}
    ),
    bp AS (
      SELECT partner_id, subscription_id, DATE '0001-01-01' AS day FROM d365
      UNION SELECT partner_id, subscription_id, created_date FROM d365 WHERE created_date IS NOT NULL
      UNION SELECT partner_id, subscription_id, canceled_date FROM d365 WHERE canceled_date IS NOT NULL
      UNION SELECT partner_id, subscription_id, suspended_date FROM d365 WHERE suspended_date IS NOT NULL
      UNION SELECT e.partner_id, e.subscription_id, e.event_date FROM ev e SEMI JOIN d365 x ON x.partner_id = e.partner_id AND x.subscription_id = e.subscription_id
      UNION SELECT a.partner_id, a.subscription_id, a.start_date FROM att a SEMI JOIN d365 x ON x.partner_id = a.partner_id AND x.subscription_id = a.subscription_id
            WHERE a.start_date IS NOT NULL
      UNION SELECT a.partner_id, a.subscription_id, (a.end_date + INTERVAL 1 DAY)::DATE FROM att a SEMI JOIN d365 x ON x.partner_id = a.partner_id AND x.subscription_id = a.subscription_id
            WHERE a.end_date IS NOT NULL
    ),
    iv AS (
      SELECT row_number() OVER () AS k, partner_id, subscription_id, day,
             lead(day) OVER (PARTITION BY partner_id, subscription_id ORDER BY day) AS valid_to
      FROM bp
    ),
    seats AS (
      SELECT iv.k, iv.partner_id, iv.subscription_id, iv.day, iv.valid_to, x.customer_id, x.family,
        CASE
          WHEN x.is_trial THEN 0
          WHEN NOT x.has_events THEN
            CASE WHEN x.created_date <= iv.day AND (x.canceled_date IS NULL OR x.canceled_date > iv.day)
                  AND (x.suspended_date IS NULL OR x.suspended_date > iv.day) THEN coalesce(x.quantity, 0) ELSE 0 END
          WHEN x.trial_start_date IS NOT NULL AND NOT coalesce(bool_or(e.event_type = 'trialconversion'), false) THEN 0
          WHEN arg_max(CASE WHEN e.event_type IN ('suspend', 'cancel') THEN 0 ELSE 1 END, e.ord)
                 FILTER (WHERE e.event_type IN ('purchase', 'trialconversion', 'reactivate', 'suspend', 'cancel')) = 1
            THEN coalesce(arg_max(e.quantity_after, e.ord)
                 FILTER (WHERE e.quantity_after IS NOT NULL AND e.event_type IN ('purchase', 'trialconversion', 'quantitychange', 'cancel')), 0)
          ELSE 0
        END AS paid_seats
      FROM iv JOIN d365 x ON x.partner_id = iv.partner_id AND x.subscription_id = iv.subscription_id
      LEFT JOIN ev e ON e.partner_id = iv.partner_id AND e.subscription_id = iv.subscription_id AND e.event_date <= iv.day
      GROUP BY iv.k, iv.partner_id, iv.subscription_id, iv.day, iv.valid_to, x.customer_id, x.family, x.is_trial, x.has_events,
               x.created_date, x.canceled_date, x.suspended_date, x.quantity, x.trial_start_date
    ),
    ${creditCtes('seats')}
    SELECT s.partner_id, s.subscription_id, s.customer_id, s.family, s.day AS valid_from, s.valid_to, s.paid_seats,
           coalesce(c.perf_mpns, []::VARCHAR[]), coalesce(c.usage_mpns, []::VARCHAR[])
    FROM seats s LEFT JOIN credit c ON c.k = s.k
    ORDER BY 1, 5`;
}

/**
 * From insights_pci_subscription_days (filled first). Also kept per interval: whether it is credited
 * to one of the partner's own MPN IDs (its locations and global MPN ID: what an entire-organization
 * caller matches), and the previous interval's paid and credit (net customer adds compare a month
 * with the one before).
 */
function customerDays(where: (alias: string) => string): string {
  return `INSERT INTO insights_pci_customer_days
    WITH sd AS (SELECT * FROM insights_pci_subscription_days sd WHERE ${where('sd')} AND sd.customer_id IS NOT NULL),
    bp AS (SELECT DISTINCT partner_id, customer_id, family, valid_from AS day FROM sd),
    iv AS (SELECT *, lead(day) OVER (PARTITION BY partner_id, customer_id, family ORDER BY day) AS valid_to FROM bp),
    own AS (
      SELECT partner_id, list(DISTINCT mpn_id) AS l FROM (
        SELECT l.partner_id, l.mpn_id FROM locations l WHERE ${where('l')} AND l.mpn_id IS NOT NULL
        UNION SELECT p.partner_id, p.global_mpn_id FROM partners p WHERE ${where('p')} AND p.global_mpn_id IS NOT NULL
      ) GROUP BY partner_id
    ),
    st AS (
      SELECT iv.partner_id, iv.customer_id, iv.family, iv.day, iv.valid_to, sum(sd.paid_seats) > 0 AS paid,
             list_sort(list_distinct(flatten(list(sd.perf_mpns) FILTER (WHERE sd.paid_seats > 0)))) AS perf_mpns,
             list_sort(list_distinct(flatten(list(sd.usage_mpns) FILTER (WHERE sd.paid_seats > 0)))) AS usage_mpns
      FROM iv JOIN sd ON sd.partner_id = iv.partner_id AND sd.customer_id = iv.customer_id AND sd.family IS NOT DISTINCT FROM iv.family
       AND sd.valid_from <= iv.day AND (sd.valid_to IS NULL OR sd.valid_to > iv.day)
      GROUP BY iv.partner_id, iv.customer_id, iv.family, iv.day, iv.valid_to
    ),
    org AS (
      SELECT st.*, coalesce(list_has_any(st.perf_mpns, own.l), false) AS perf_org, coalesce(list_has_any(st.usage_mpns, own.l), false) AS usage_org
      FROM st LEFT JOIN own ON own.partner_id = st.partner_id
    )
    SELECT partner_id, customer_id, family, day, valid_to, paid, perf_mpns, usage_mpns, perf_org, usage_org,
           lag(paid, 1, false) OVER w, lag(perf_mpns) OVER w, lag(perf_org, 1, false) OVER w
    FROM org WINDOW w AS (PARTITION BY partner_id, customer_id, family ORDER BY day)
    ORDER BY 1, 4`;
}

function revenue(where: (alias: string) => string): string {
  return `INSERT INTO insights_pci_revenue
    WITH ${baseCtes(where)},
      inv AS (SELECT i.partner_id, i.invoice_number, min(i.invoice_date) AS d FROM invoices i WHERE ${where('i')} GROUP BY 1, 2),
      prod AS (
        SELECT p.partner_id, p.offer_id, any_value(p.product_name) AS product_name, any_value(p.sku_name) AS sku_name, any_value(p.product_family) AS family
        FROM products p WHERE ${where('p')} GROUP BY 1, 2
      ),
      prod_by_id AS (
        SELECT p.partner_id, p.product_id, any_value(p.product_name) AS product_name, any_value(p.product_family) AS family
        FROM products p WHERE ${where('p')} GROUP BY 1, 2
      ),
      rates AS (
        SELECT f.partner_id, upper(f.to_currency) AS cur, f.rate_date, 1.0 / CAST(f.rate AS DOUBLE) AS usd_per_unit
        FROM fx_rates f WHERE ${where('f')} AND upper(f.from_currency) = 'USD' AND f.rate > 0
        UNION ALL
        SELECT f.partner_id, upper(f.from_currency), f.rate_date, CAST(f.rate AS DOUBLE)
        FROM fx_rates f WHERE ${where('f')} AND upper(f.to_currency) = 'USD' AND upper(f.from_currency) <> 'USD'
      ),
      lines AS (
        SELECT l.partner_id, coalesce(nullif(l.syndication_partner_subscription_number, ''), l.subscription_id) AS subscription_id,
               coalesce(i.d, l.charge_start_date) AS day, upper(coalesce(l.currency, 'USD')) AS cur,
               coalesce(l.subtotal, l.amount) AS amount,
               concat_ws(' ', l.offer_name, pr.product_name, pr.sku_name, l.subscription_name) AS product, pr.family
        FROM billing_license_lines l
        LEFT JOIN inv i ON i.partner_id = l.partner_id AND i.invoice_number = l.invoice_number
        LEFT JOIN prod pr ON pr.partner_id = l.partner_id AND pr.offer_id = l.offer_id
        WHERE ${where('l')}
        UNION ALL
        SELECT o.partner_id, o.subscription_id, coalesce(i.d, o.charge_start_date, o.order_date), upper(coalesce(o.currency, 'USD')),
               coalesce(o.subtotal, o.total), concat_ws(' ', o.product_name, o.sku_name, pr.product_name), pr.family
        FROM billing_onetime_lines o
        LEFT JOIN inv i ON i.partner_id = o.partner_id AND i.invoice_number = o.invoice_number
        LEFT JOIN prod_by_id pr ON pr.partner_id = o.partner_id AND pr.product_id = o.product_id
        WHERE ${where('o')}
      ),
      conv AS MATERIALIZED (
        SELECT l.*, CASE WHEN l.cur = 'USD' THEN CAST(l.amount AS DECIMAL(18,6))
                         WHEN r.usd_per_unit IS NULL THEN NULL
                         ELSE CAST(l.amount * r.usd_per_unit AS DECIMAL(18,6)) END AS usd
        FROM lines l ASOF LEFT JOIN rates r ON r.partner_id = l.partner_id AND r.cur = l.cur AND l.day >= r.rate_date
        WHERE l.day IS NOT NULL AND regexp_matches(concat_ws(' ', l.product, l.family), 'Dynamics\\s*365', 'i')
      ),
      -- One constant pattern per path (a pattern from a joined column is compiled per row pair).
      qualified AS MATERIALIZED (
        SELECT row_number() OVER () AS k, * FROM (${PCI_PATHS.map(
          (p) => `SELECT c.partner_id, ${q(p)} AS path, c.subscription_id, c.day, c.usd FROM conv c
                  WHERE regexp_matches(c.product, ${q(keywordPattern(QUALIFYING_PRODUCTS[p]))}, 'i')`,
        ).join(' UNION ALL ')})
      ),
      ${creditCtes('qualified')}
    SELECT q.partner_id, q.path, q.day, coalesce(c.perf_mpns, []::VARCHAR[]) AS perf_mpns,
           sum(q.usd)::DECIMAL(38,6) AS usd, count(*)::BIGINT AS lines, (count(*) FILTER (WHERE q.usd IS NULL))::BIGINT AS unconverted
    FROM qualified q LEFT JOIN credit c ON c.k = q.k
    WHERE len(coalesce(c.perf_mpns, []::VARCHAR[])) > 0
    GROUP BY ALL
    ORDER BY 1, 3`;
}

function mau(where: (alias: string) => string): string {
  return `INSERT INTO insights_pci_mau
    SELECT u.partner_id, CAST(date_trunc('month', u.month) AS DATE) AS month, u.customer_id, u.workload AS family, sum(u.active_users)::BIGINT AS users
    FROM monthly_active_users u WHERE ${where('u')} AND u.workload IN ${familyList}
    GROUP BY ALL ORDER BY 1, 2`;
}

/** Statements filling the PCI rollups for the partners matching `where` (a condition on `<alias>.partner_id`). */
export function pciRollupStatements(where: (alias: string) => string): string[] {
  return [subscriptionDays(where), customerDays(where), revenue(where), mau(where)];
}

/** Rebuilds the PCI rollups of `partnerIds`, inside the caller's transaction. */
export async function rebuildPciRollups(tx: SqlRunner, partnerIds: readonly string[]): Promise<void> {
  if (partnerIds.length === 0) return;
  const list = partnerIds.map((_, i) => `$${i + 1}`).join(', ');
  const where = (alias: string) => `${alias}.partner_id IN (${list})`;
  for (const table of PCI_ROLLUP_TABLES) await tx.run(`DELETE FROM ${table} WHERE ${where(table)}`, [...partnerIds]);
  for (const statement of pciRollupStatements(where)) await tx.run(statement, [...partnerIds]);
}
