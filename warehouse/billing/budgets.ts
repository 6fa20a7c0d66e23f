import type { Caller } from '../../core/caller';
import { boundedAmount } from '../../core/bounds';
import { badUserInput, notFound } from '../../core/errors';
import { scope } from '../../core/scope';
import { isoTimestamp, query, sql, type SqlRunner } from '../../core/sql';
import { isoDay, sqlTimestamp } from '../clock';
import type { Warehouse } from '../db';
import { publishBudgetAlerts, recordBudgetAlerts } from './budget-alerts';

/**
 * Customers' monthly Azure spending budgets (reference lines 10967-11040): "set a monthly Azure
 * spending budget for your customers ... compare your customers' Azure spending to the budget
 * during the month"; change it, remove it "at any time"; "you will be notified when customers use
 * 80% or more of their monthly budget" (alerts: budget-alerts.ts). Tables: migration 11.
 *
 * What counts as spending: the customer's daily-rated usage lines (Azure plan usage, the
 * "usage-based subscriptions" the budget is set on), BillingPreTaxTotal, of the calendar month of
 * their UsageDate ("calendar month-based billing period", line 13700; the budget page shows
 * "Billing period September 1, 2019, to September 30, 2019", line 13852). Pre-tax, no one-time or
 * license charges: the spending "doesn't reflect taxes, credits, adjustments, or other charges"
 * (line 10992). Read from insights_usage_monthly's billing-currency totals, never the lines.
 *
 * Currency: a budget is in the customer's billing currency ("update the budget limit to your
 * customer's local currency", line 13490), the BillingCurrency of its latest usage lines, else the
 * currency of its Azure plan (usage-based) subscriptions. A budget given in another currency is
 * refused, not converted: the warehouse's rates (fx_rates, PCToBCExchangeRate) are daily USD rates,
 * and a converted budget would change with them from day to day.
 *
 * A budget covers the month it is set in and the months after, until changed or removed: the
 * budget of a month is the latest one set before that month ended (history in
 * customer_budget_history). Every statement is scoped to the caller's partner and, for a
 * location-scoped caller, to customers of its locations (customers.mpn_id); a customer's spending
 * is all of its usage lines, since the budget is the customer's.
 */

export const BUDGET_THRESHOLDS = [80, 100] as const;

export type BudgetStateValue = 'OK' | 'AT_80_PERCENT' | 'AT_100_PERCENT';

export interface CustomerBudgetRow {
  customerId: string;
  /** 'YYYY-MM' */
  month: string;
  amount: string;
  currency: string;
  setBy: string | null;
  setAt: string;
  /** The month's spending in `currency`, 2 decimals. */
  spent: string;
  percentUsed: number;
  state: BudgetStateValue;
}

/** 'YYYY-MM' of a day or instant. */
export const monthOf = (at: Date): string => isoDay(at).slice(0, 7);

/** A 'YYYY-MM' month argument, or BAD_USER_INPUT naming it. */
export function parseBudgetMonth(month: string, argument = 'month'): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw badUserInput(`${argument} must be a month written YYYY-MM, got "${month}"`, argument, { format: 'YYYY-MM' });
  return month;
}

export function budgetState(percentUsed: number): BudgetStateValue {
  return percentUsed >= 100 ? 'AT_100_PERCENT' : percentUsed >= 80 ? 'AT_80_PERCENT' : 'OK';
}

/** The amount given: a positive decimal with at most 2 decimals, at most the monthlyBudget bound. */
export function checkBudgetAmount(amount: string, currency: string, argument = 'amount'): string {
  const text = amount.trim();
  if (!/^\d+(\.\d{1,2})?$/.test(text)) {
    throw badUserInput(`${argument} must be a positive amount with at most 2 decimals, such as "2500" or "2500.50", got "${amount}"`, argument);
  }
  if (!/[1-9]/.test(text)) throw badUserInput(`${argument} must be greater than 0, got "${amount}" (to remove a budget, use removeCustomerBudget)`, argument);
  return boundedAmount(text, 'monthlyBudget', argument, `${text} ${currency}`);
}

interface BudgetCustomer {
  customerId: string;
  currency: string | null;
}

/** The customer, scoped (NOT_FOUND otherwise), with its billing currency (null when no usage line or Azure plan says it). */
async function budgetCustomer(db: SqlRunner, caller: Caller, customerId: string): Promise<BudgetCustomer> {
  const [row] = await query<{ customerId: string; usageCurrency: string | null; subscriptionCurrency: string | null }>(
    db,
    sql`SELECT c.customer_id AS "customerId",
          (SELECT arg_max(u.billing_currency, u.month) FROM insights_usage_monthly u
            WHERE ${scope(caller, 'u', null)} AND u.customer_id = c.customer_id AND u.billing_currency IS NOT NULL) AS "usageCurrency",
          (SELECT min(s.currency) FROM subscriptions s
            WHERE ${scope(caller, 's', null)} AND s.customer_id = c.customer_id AND s.billing_type = 'Usage') AS "subscriptionCurrency"
        FROM customers c WHERE ${scope(caller, 'c', 'c.mpn_id')} AND c.customer_id = ${customerId} LIMIT 1`,
  );
  if (!row) throw notFound('Customer', customerId);
  return { customerId: row.customerId, currency: (row.usageCurrency ?? row.subscriptionCurrency)?.toUpperCase() ?? null };
}

/**
 * Sets or changes a customer's monthly budget (one transaction), then records and publishes the
 * alerts its spending this month already reaches. `currency` (optional) must be the customer's
 * billing currency. Returns the budget of the current month.
 */
export async function setCustomerBudget(
  warehouse: Warehouse,
  caller: Caller,
  now: Date,
  input: { customerId: string; amount: string; currency?: string | null },
): Promise<CustomerBudgetRow> {
  await warehouse.transaction(async (tx) => {
    const customer = await budgetCustomer(tx, caller, input.customerId);
    if (!customer.currency) {
      throw badUserInput(
        `customer ${input.customerId} has no billing currency yet: a budget is in the currency of its Azure usage, and no daily-rated usage line or Azure plan subscription of it is loaded`,
        'customerId',
      );
    }
    const given = input.currency?.trim().toUpperCase();
    if (given && given !== customer.currency) {
      throw badUserInput(
        `currency ${given} is not the billing currency of customer ${input.customerId} (${customer.currency}): a budget is set in the customer's billing currency, and is not converted`,
        'currency',
        { billingCurrency: customer.currency },
      );
    }
    const amount = checkBudgetAmount(input.amount, customer.currency);
    await query(tx, sql`INSERT INTO customer_budget_history (partner_id, customer_id, amount, currency, changed_by, changed_at)
      VALUES (${caller.partnerId}, ${customer.customerId}, CAST(${amount} AS DECIMAL(18,2)), ${customer.currency}, ${caller.subject ?? null}, ${sqlTimestamp(now)}::TIMESTAMP)`);
  });
  publishBudgetAlerts(warehouse, await recordBudgetAlerts(warehouse, now, { partnerId: caller.partnerId, customerIds: [input.customerId] }));
  const [budget] = await customerBudgets(warehouse, caller, monthOf(now), [input.customerId], now);
  return budget;
}

/** Removes a customer's budget; NOT_FOUND when the customer (scoped) has none. Alerts already sent stay recorded. */
export async function removeCustomerBudget(warehouse: Warehouse, caller: Caller, now: Date, customerId: string): Promise<void> {
  await warehouse.transaction(async (tx) => {
    await budgetCustomer(tx, caller, customerId);
    const [current] = await query(tx, sql`SELECT 1 AS found FROM customer_budgets b WHERE ${scope(caller, 'b', null)} AND b.customer_id = ${customerId}`);
    if (!current) throw notFound('CustomerBudget', customerId);
    await query(tx, sql`INSERT INTO customer_budget_history (partner_id, customer_id, amount, currency, changed_by, changed_at)
      VALUES (${caller.partnerId}, ${customerId}, NULL, NULL, ${caller.subject ?? null}, ${sqlTimestamp(now)}::TIMESTAMP)`);
  });
}

/**
 * The budgets of customers for a month ('YYYY-MM'): the budget in force then (the latest set before
 * the month ended, and before `now`), and the month's spending in its currency. One statement;
 * customers without a budget that month (or not the caller's) are left out.
 */
export async function customerBudgets(db: SqlRunner, caller: Caller, month: string, customerIds: readonly string[], now: Date): Promise<CustomerBudgetRow[]> {
  const first = `${month}-01`;
  const rows = await query<Omit<CustomerBudgetRow, 'state' | 'percentUsed'> & { percentUsed: number }>(
    db,
    sql`WITH b AS (
          SELECT h.customer_id, h.amount, h.currency, h.changed_by AS set_by, h.changed_at AS set_at
          FROM customer_budget_history h
          WHERE ${scope(caller, 'h', null)} AND h.customer_id IN ${sql.list([...customerIds])}
            AND h.changed_at < ${first}::DATE + INTERVAL 1 MONTH AND h.changed_at <= ${sqlTimestamp(now)}::TIMESTAMP
          QUALIFY row_number() OVER (PARTITION BY h.customer_id ORDER BY h.change_seq DESC) = 1
        ), s AS (
          SELECT u.customer_id, u.billing_currency, sum(u.billing_pre_tax_total) AS spent
          FROM insights_usage_monthly u
          WHERE ${scope(caller, 'u', null)} AND u.month = ${first}::DATE AND u.customer_id IN ${sql.list([...customerIds])}
          GROUP BY ALL
        )
        SELECT b.customer_id AS "customerId", ${month} AS month, b.amount::VARCHAR AS amount, b.currency, b.set_by AS "setBy",
               ${sql.raw(isoTimestamp('b.set_at'))} AS "setAt",
               coalesce(s.spent, 0)::DECIMAL(18,2)::VARCHAR AS spent,
               round(coalesce(s.spent, 0) * 100 / b.amount, 2)::DOUBLE AS "percentUsed"
        FROM b
        JOIN customers c ON c.partner_id = ${caller.partnerId} AND c.customer_id = b.customer_id
        LEFT JOIN s ON s.customer_id = b.customer_id AND s.billing_currency = b.currency
        WHERE b.amount IS NOT NULL AND ${scope(caller, 'c', 'c.mpn_id')}`,
  );
  return rows.map((r) => ({ ...r, state: budgetState(r.percentUsed) }));
}
