import type { Caller } from '../../core/caller';
import { boundedAmount } from '../../core/bounds';
import { parseMoney } from '../../core/money';
import { badUserInput, DomainError, ErrorCode, notFound } from '../../core/errors';
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
 * customer_budget_history).
 *
 * Partner Center (migration 17): Partner Center keeps a budget per customer too (GET/PATCH
 * /v1/customers/{id}/usagebudget), and it is the one Microsoft's Azure spending page shows and
 * notifies on, so it is the source of truth for the partner whose Partner Center the server syncs.
 * A sync (etl/sync) applies each synced customer's Partner Center budget (applyPartnerCenterBudgets):
 * Partner Center's amount replaces the product's; a customer without one there loses a budget that
 * came from Partner Center (removed there) and keeps one set in the product only
 * (in_partner_center false: set before a sync was configured, or by the demo). When the server syncs
 * the caller's partner, setting a budget writes it to Partner Center first (PATCH) and records it as
 * Partner Center's; removing a budget Partner Center holds is refused (its API cannot remove one), so
 * the next sync never undoes what a user did here.
 *
 * Every statement is scoped to the caller's partner and, for a location-scoped caller, to customers
 * of its locations (customers.mpn_id); a customer's spending is all of its usage lines, since the
 * budget is the customer's.
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
  /** The amount is the one Partner Center holds (read by a sync, or written to it when set). */
  inPartnerCenter: boolean;
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

/**
 * The billing currency of customers (the one rule: the BillingCurrency of its latest usage lines,
 * else the currency of its Azure plan subscriptions; null when neither is loaded), by customer id;
 * customers that are not the caller's (partner, locations) are absent. One statement.
 */
export async function customerBillingCurrencies(db: SqlRunner, caller: Caller, customerIds: readonly string[]): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  if (!customerIds.length) return out;
  const rows = await query<{ customerId: string; usageCurrency: string | null; subscriptionCurrency: string | null }>(
    db,
    sql`SELECT c.customer_id AS "customerId",
          (SELECT arg_max(u.billing_currency, u.month) FROM insights_usage_monthly u
            WHERE ${scope(caller, 'u', null)} AND u.customer_id = c.customer_id AND u.billing_currency IS NOT NULL) AS "usageCurrency",
          (SELECT min(s.currency) FROM subscriptions s
            WHERE ${scope(caller, 's', null)} AND s.customer_id = c.customer_id AND s.billing_type = 'Usage') AS "subscriptionCurrency"
        FROM customers c WHERE ${scope(caller, 'c', 'c.mpn_id')} AND c.customer_id IN ${sql.list([...customerIds])}`,
  );
  for (const r of rows) if (!out.has(r.customerId)) out.set(r.customerId, (r.usageCurrency ?? r.subscriptionCurrency)?.toUpperCase() ?? null);
  return out;
}

/** The customer, scoped (NOT_FOUND otherwise), with its billing currency (null when no usage line or Azure plan says it). */
async function budgetCustomer(db: SqlRunner, caller: Caller, customerId: string): Promise<BudgetCustomer> {
  const currencies = await customerBillingCurrencies(db, caller, [customerId]);
  if (!currencies.has(customerId)) throw notFound('Customer', customerId);
  return { customerId, currency: currencies.get(customerId) ?? null };
}

/**
 * What setCustomerBudget would record, checked without writing: the customer (scoped, NOT_FOUND
 * otherwise), its billing currency (BAD_USER_INPUT when it has none yet, or when `currency` is
 * another), the amount (BAD_USER_INPUT unless positive, at most 2 decimals, within bounds). The
 * resolver checks first when it writes the budget to Partner Center before recording it.
 */
export async function checkCustomerBudget(
  db: SqlRunner,
  caller: Caller,
  input: { customerId: string; amount: string; currency?: string | null },
): Promise<{ customerId: string; amount: string; currency: string }> {
  const customer = await budgetCustomer(db, caller, input.customerId);
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
  return { customerId: customer.customerId, amount: checkBudgetAmount(input.amount, customer.currency), currency: customer.currency };
}

/**
 * Sets or changes a customer's monthly budget (one transaction), then records and publishes the
 * alerts its spending this month already reaches. `currency` (optional) must be the customer's
 * billing currency. `inPartnerCenter`: the amount was written to Partner Center (the resolver did,
 * before calling this). Returns the budget of the current month.
 */
export async function setCustomerBudget(
  warehouse: Warehouse,
  caller: Caller,
  now: Date,
  input: { customerId: string; amount: string; currency?: string | null; inPartnerCenter?: boolean },
): Promise<CustomerBudgetRow> {
  await warehouse.transaction(async (tx) => {
    const budget = await checkCustomerBudget(tx, caller, input);
    await query(tx, sql`INSERT INTO customer_budget_history (partner_id, customer_id, amount, currency, changed_by, changed_at, in_partner_center)
      VALUES (${caller.partnerId}, ${budget.customerId}, CAST(${budget.amount} AS DECIMAL(18,2)), ${budget.currency}, ${caller.subject ?? null},
              ${sqlTimestamp(now)}::TIMESTAMP, ${input.inPartnerCenter === true})`);
  });
  publishBudgetAlerts(warehouse, await recordBudgetAlerts(warehouse, now, { partnerId: caller.partnerId, customerIds: [input.customerId] }));
  const [budget] = await customerBudgets(warehouse, caller, monthOf(now), [input.customerId], now);
  return budget;
}

/**
 * Removes a customer's budget; NOT_FOUND when the customer (scoped) has none. Alerts already sent
 * stay recorded. `syncsPartnerCenter`: the server syncs the caller's partner's Partner Center; a
 * budget Partner Center holds is then refused (INVALID_STATE): its API has no call to remove one,
 * and the next sync would bring it back. It is removed in Partner Center, and the next sync removes it here.
 */
export async function removeCustomerBudget(warehouse: Warehouse, caller: Caller, now: Date, customerId: string, options: { syncsPartnerCenter?: boolean } = {}): Promise<void> {
  await warehouse.transaction(async (tx) => {
    await budgetCustomer(tx, caller, customerId);
    const [current] = await query<{ inPartnerCenter: boolean | null }>(
      tx,
      sql`SELECT b.in_partner_center AS "inPartnerCenter" FROM customer_budgets b WHERE ${scope(caller, 'b', null)} AND b.customer_id = ${customerId}`,
    );
    if (!current) throw notFound('CustomerBudget', customerId);
    if (options.syncsPartnerCenter && current.inPartnerCenter) {
      throw new DomainError(
        ErrorCode.INVALID_STATE,
        `cannot remove the budget of customer ${customerId}: it is Partner Center's (read by a sync, or written to it), and Partner Center's API cannot remove a budget, so the next sync would bring it back. ` +
          'Remove it in Partner Center (CSP > Azure spending > Remove budget): the next sync removes it here; or change it here with setCustomerBudget',
        { action: 'remove', currentState: 'IN_PARTNER_CENTER', allowedStates: ['SET_IN_PRODUCT_ONLY'] },
      );
    }
    await query(tx, sql`INSERT INTO customer_budget_history (partner_id, customer_id, amount, currency, changed_by, changed_at, in_partner_center)
      VALUES (${caller.partnerId}, ${customerId}, NULL, NULL, ${caller.subject ?? null}, ${sqlTimestamp(now)}::TIMESTAMP, false)`);
  });
}

/** A customer's budget as Partner Center has it: a decimal amount (2 decimals at most), or null when it has none. */
export interface PartnerCenterBudget {
  customerId: string;
  amount: string | null;
}

export interface AppliedBudgets {
  /** Customers whose budget was set or changed to Partner Center's. */
  set: string[];
  /** Customers whose budget from Partner Center was removed (Partner Center has none any more). */
  removed: string[];
  /** Customers whose budget already was Partner Center's. */
  unchanged: number;
  /** Customers Partner Center has no budget for, whose budget was set in the product only: kept. */
  kept: string[];
  /** Customers with a budget in Partner Center and no billing currency here yet (no usage line, no Azure plan loaded): not applied. */
  noCurrency: string[];
  /** Budgets refused (over the monthlyBudget bound, not a positive amount): customer and why. */
  refused: { customerId: string; reason: string }[];
  /** The alerts the changes reached (recorded and published). */
  alerts: number;
}

/**
 * Applies the budgets a sync read from Partner Center to one partner's customers, in one
 * transaction (Partner Center is the source of truth, see the top of this file):
 *   Partner Center amount A   the budget becomes A, in the customer's billing currency, marked as
 *                             Partner Center's (nothing is written when it already is A from there);
 *   none (404, amount null)   a budget from Partner Center is removed; one set in the product only is kept.
 * Customers not loaded for the partner are left out. Then records and publishes the alerts reached.
 */
export async function applyPartnerCenterBudgets(
  warehouse: Warehouse,
  partnerId: string,
  now: Date,
  changedBy: string,
  budgets: readonly PartnerCenterBudget[],
): Promise<AppliedBudgets> {
  const caller: Caller = { partnerId, roles: ['Global admin'], locations: null, subject: changedBy };
  const result: AppliedBudgets = { set: [], removed: [], unchanged: 0, kept: [], noCurrency: [], refused: [], alerts: 0 };
  if (!budgets.length) return result;
  const ids = [...new Set(budgets.map((b) => b.customerId))];
  await warehouse.transaction(async (tx) => {
    const currencies = await customerBillingCurrencies(tx, caller, ids);
    const latest = await query<{ customerId: string; amount: string | null; currency: string | null; inPartnerCenter: boolean | null }>(
      tx,
      sql`SELECT h.customer_id AS "customerId", h.amount::VARCHAR AS amount, h.currency, h.in_partner_center AS "inPartnerCenter"
          FROM customer_budget_history h WHERE h.partner_id = ${partnerId} AND h.customer_id IN ${sql.list(ids)}
          QUALIFY row_number() OVER (PARTITION BY h.customer_id ORDER BY h.change_seq DESC) = 1`,
    );
    const current = new Map(latest.map((r) => [r.customerId, r]));
    const rows: { customerId: string; amount: string | null; currency: string | null }[] = [];
    for (const b of budgets) {
      if (!currencies.has(b.customerId)) continue;
      const held = current.get(b.customerId);
      if (b.amount === null) {
        if (!held || held.amount === null) continue;
        if (held.inPartnerCenter) {
          rows.push({ customerId: b.customerId, amount: null, currency: null });
          result.removed.push(b.customerId);
        } else result.kept.push(b.customerId);
        continue;
      }
      const currency = currencies.get(b.customerId);
      if (!currency) {
        result.noCurrency.push(b.customerId);
        continue;
      }
      let amount: string;
      try {
        amount = checkBudgetAmount(b.amount, currency, 'amount');
      } catch (err) {
        result.refused.push({ customerId: b.customerId, reason: (err as Error).message });
        continue;
      }
      if (held && held.inPartnerCenter && held.currency === currency && held.amount !== null && sameAmount(held.amount, amount)) {
        result.unchanged++;
        continue;
      }
      rows.push({ customerId: b.customerId, amount, currency });
      result.set.push(b.customerId);
    }
    for (const r of rows) {
      await query(tx, sql`INSERT INTO customer_budget_history (partner_id, customer_id, amount, currency, changed_by, changed_at, in_partner_center)
        VALUES (${partnerId}, ${r.customerId}, CAST(${r.amount} AS DECIMAL(18,2)), ${r.currency}, ${changedBy}, ${sqlTimestamp(now)}::TIMESTAMP, true)`);
    }
  });
  const changed = [...result.set, ...result.removed];
  if (changed.length) {
    const alerts = await recordBudgetAlerts(warehouse, now, { partnerId, customerIds: changed });
    publishBudgetAlerts(warehouse, alerts);
    result.alerts = alerts.length;
  }
  return result;
}

/** Two decimal texts of the same amount ("2500" and "2500.00"). */
function sameAmount(a: string, b: string): boolean {
  return parseMoney(a) === parseMoney(b);
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
          SELECT h.customer_id, h.amount, h.currency, h.changed_by AS set_by, h.changed_at AS set_at, h.in_partner_center
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
               ${sql.raw(isoTimestamp('b.set_at'))} AS "setAt", coalesce(b.in_partner_center, false) AS "inPartnerCenter",
               coalesce(s.spent, 0)::DECIMAL(18,2)::VARCHAR AS spent,
               round(coalesce(s.spent, 0) * 100 / b.amount, 2)::DOUBLE AS "percentUsed"
        FROM b
        JOIN customers c ON c.partner_id = ${caller.partnerId} AND c.customer_id = b.customer_id
        LEFT JOIN s ON s.customer_id = b.customer_id AND s.billing_currency = b.currency
        WHERE b.amount IS NOT NULL AND ${scope(caller, 'c', 'c.mpn_id')}`,
  );
  return rows.map((r) => ({ ...r, state: budgetState(r.percentUsed) }));
}
