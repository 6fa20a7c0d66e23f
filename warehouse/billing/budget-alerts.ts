import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { isoTimestamp, query, sql, type SqlRunner } from '../../core/sql';
import { sqlTimestamp } from '../clock';
import type { Warehouse } from '../db';
import { warehouseEvents } from '../events';

/**
 * Budget alerts: "you will be notified when customers use 80% or more of their monthly budget"
 * (reference line 11034), and here also at 100 %. An alert is recorded (budget_alerts, migration
 * 11) the first time a month's spending reaches a threshold of that month's budget, and published
 * as a `budgetAlert` event (warehouse/events.ts) once committed: once per customer, month and
 * threshold, also across restarts (the table's key). A budget raised after an alert does not alert
 * again that month; a removed budget keeps its alerts.
 *
 * When: after a budget is set or changed (budgets.ts), after a load job ends (watchBudgetAlerts,
 * on the ingestion queue's `finished` events) and at server start (what offline loads brought).
 */

export interface BudgetAlertRow {
  partnerId: string;
  customerId: string;
  /** 'YYYY-MM' */
  month: string;
  threshold: number;
  spent: string;
  budget: string;
  currency: string;
  /** ISO instant. */
  alertedAt: string;
}

/** One evaluation at a time per warehouse in this process: two would race for the same alert rows. */
const evaluations = new WeakMap<Warehouse, Promise<unknown>>();

/**
 * Records the alerts reached and not yet recorded, for every month from a budget's first month to
 * `now`'s, of one partner's customers (all, or `customerIds`) or, without a partner, of every
 * partner (a background pass: no caller, so no caller scope). Returns the new alerts, committed.
 */
export function recordBudgetAlerts(warehouse: Warehouse, now: Date, which: { partnerId?: string; customerIds?: readonly string[] } = {}): Promise<BudgetAlertRow[]> {
  const key = warehouse.root;
  const run = (evaluations.get(key) ?? Promise.resolve()).catch(() => undefined).then(() => warehouse.transaction((tx) => insertReachedAlerts(tx, now, which)));
  evaluations.set(key, run.catch(() => undefined));
  return run;
}

async function insertReachedAlerts(tx: SqlRunner, now: Date, which: { partnerId?: string; customerIds?: readonly string[] }): Promise<BudgetAlertRow[]> {
  const at = sqlTimestamp(now);
  const partner = which.partnerId ? sql`h.partner_id = ${which.partnerId}` : sql.raw('TRUE');
  const customers = which.customerIds ? sql`h.customer_id IN ${sql.list([...which.customerIds])}` : sql.raw('TRUE');
  return query<BudgetAlertRow & Record<string, unknown>>(
    tx,
    sql`INSERT INTO budget_alerts (partner_id, customer_id, month, threshold, spent, budget, currency, alerted_at)
        WITH h AS (
          SELECT * FROM customer_budget_history h WHERE ${partner} AND ${customers} AND h.changed_at <= ${at}::TIMESTAMP
        ), months AS (
          SELECT partner_id, customer_id,
                 unnest(generate_series(date_trunc('month', min(changed_at)), date_trunc('month', ${at}::TIMESTAMP), INTERVAL 1 MONTH))::DATE AS month
          FROM h GROUP BY ALL
        ), budgets AS (
          SELECT m.partner_id, m.customer_id, m.month, h.amount, h.currency
          FROM months m JOIN h ON h.partner_id = m.partner_id AND h.customer_id = m.customer_id AND h.changed_at < m.month + INTERVAL 1 MONTH
          QUALIFY row_number() OVER (PARTITION BY m.partner_id, m.customer_id, m.month ORDER BY h.change_seq DESC) = 1
        ), spent AS (
          SELECT u.partner_id, u.customer_id, u.month, u.billing_currency, sum(u.billing_pre_tax_total) AS spent
          FROM insights_usage_monthly u
          SEMI JOIN budgets b ON b.partner_id = u.partner_id AND b.customer_id = u.customer_id AND b.month = u.month
          GROUP BY ALL
        )
        SELECT b.partner_id, b.customer_id, b.month, t.threshold, coalesce(s.spent, 0)::DECIMAL(18,2), b.amount, b.currency, ${at}::TIMESTAMP
        FROM budgets b
        CROSS JOIN (VALUES (80), (100)) t(threshold)
        LEFT JOIN spent s ON s.partner_id = b.partner_id AND s.customer_id = b.customer_id AND s.month = b.month AND s.billing_currency = b.currency
        WHERE b.amount IS NOT NULL AND coalesce(s.spent, 0) * 100 >= b.amount * t.threshold
          AND NOT EXISTS (SELECT 1 FROM budget_alerts a WHERE a.partner_id = b.partner_id AND a.customer_id = b.customer_id
                            AND a.month = b.month AND a.threshold = t.threshold)
        ORDER BY b.partner_id, b.customer_id, b.month, t.threshold
        RETURNING partner_id AS "partnerId", customer_id AS "customerId", strftime(month, '%Y-%m') AS month, threshold,
                  spent::VARCHAR AS spent, budget::VARCHAR AS budget, currency, ${sql.raw(isoTimestamp('alerted_at'))} AS "alertedAt"`,
  );
}

/** Tells the warehouse's listeners (resolvers/live) of alerts just recorded. */
export function publishBudgetAlerts(warehouse: Warehouse, alerts: readonly BudgetAlertRow[]): void {
  const events = warehouseEvents(warehouse);
  for (const a of alerts) {
    events.publish({ type: 'budgetAlert', partnerId: a.partnerId, customerId: a.customerId, month: a.month, threshold: a.threshold, spent: a.spent, budget: a.budget, currency: a.currency, at: a.alertedAt });
  }
}

/** Records and publishes what is reached; for the hooks, which have no caller to answer. */
export async function checkBudgetAlerts(warehouse: Warehouse, now: Date, which: { partnerId?: string } = {}): Promise<BudgetAlertRow[]> {
  const alerts = await recordBudgetAlerts(warehouse, now, which);
  publishBudgetAlerts(warehouse, alerts);
  return alerts;
}

/**
 * Listens to a load queue (etl/ingest/queue.ts onChange, or anything with its shape) and checks the
 * partner's budgets after each job that ended: new usage may reach a threshold. Returns the
 * function that stops listening. Failures are logged, never thrown into the queue.
 */
export function watchBudgetAlerts(
  warehouse: Warehouse,
  queue: { onChange(listener: (event: { type: string; partnerId: string }) => void): () => void },
  options: { now: () => Date; log?: { warn(obj: object, msg?: string): void } },
): () => void {
  return queue.onChange((event) => {
    if (event.type !== 'finished') return;
    checkBudgetAlerts(warehouse, options.now(), { partnerId: event.partnerId }).catch((err) => options.log?.warn({ err }, 'budget alerts: check after a load failed'));
  });
}

export interface BudgetAlertItem extends BudgetAlertRow {
  companyName: string | null;
}

/** The alerts of a month ('YYYY-MM'), scoped to the caller's partner and locations; highest threshold, then most spent against budget, first. */
export async function budgetAlertsOfMonth(db: SqlRunner, caller: Caller, month: string): Promise<BudgetAlertItem[]> {
  return query<BudgetAlertItem & Record<string, unknown>>(
    db,
    sql`SELECT a.partner_id AS "partnerId", a.customer_id AS "customerId", c.company_name AS "companyName", strftime(a.month, '%Y-%m') AS month,
               a.threshold, a.spent::VARCHAR AS spent, a.budget::VARCHAR AS budget, a.currency, ${sql.raw(isoTimestamp('a.alerted_at'))} AS "alertedAt"
        FROM budget_alerts a
        JOIN customers c ON c.partner_id = a.partner_id AND c.customer_id = a.customer_id
        WHERE ${scope(caller, 'a', null)} AND ${scope(caller, 'c', 'c.mpn_id')} AND a.month = ${`${month}-01`}::DATE
        ORDER BY a.threshold DESC, a.spent / a.budget DESC, a.customer_id`,
  );
}
