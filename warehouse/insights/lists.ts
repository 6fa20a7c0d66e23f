import type { Caller } from '../../core/caller';
import { monthEnd } from '../../core/dates';
import { scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';
import type { MonthRange } from './compile';
import { PRODUCT_BY_OFFER } from './facts';

/**
 * The list sections of the CSP analytics pages, one statement each. Location-scoped callers see
 * their locations' subscriptions only (scope on the subscription's MPN ID). "As of" date for the
 * 30-day windows: PI_TODAY, else the last day of the as-of month.
 */
/** Default and largest number of items a list returns (the first ones in its order): a dashboard list, not an export. */
export const LIST_DEFAULT = 100;
export const LIST_MAX = 1000;

export function asOfDate(range: MonthRange): string {
  if (process.env.PI_TODAY) return process.env.PI_TODAY.slice(0, 10);
  return monthEnd(range.asOf);
}

export interface SubscriptionItem {
  subscriptionId: string;
  customerId: string;
  companyName: string | null;
  friendlyName: string | null;
  mpnId: string | null;
  /** term end (renewals) or trial end (trials), YYYY-MM-DD */
  date: string | null;
}

/** Subscriptions renewing in 30 days: status Active, auto-renew on, term end within 30 days of the as-of date. */
export async function renewingIn30Days(db: SqlRunner, caller: Caller, range: MonthRange, limit = LIST_DEFAULT): Promise<SubscriptionItem[]> {
  return endingIn30Days(db, caller, range, limit, ENDING.renewal);
}

/** Trials ending in 30 days: trial subscriptions with status Active whose trial ends within 30 days of the as-of date. */
export async function trialsEndingIn30Days(db: SqlRunner, caller: Caller, range: MonthRange, limit = LIST_DEFAULT): Promise<SubscriptionItem[]> {
  return endingIn30Days(db, caller, range, limit, ENDING.trial);
}

/** What ends: the date column of the subscription and the flag that selects the subscriptions (constants, never input). */
const ENDING = {
  renewal: { date: sql.raw('s.term_end_date'), flag: sql.raw('s.auto_renew') },
  trial: { date: sql.raw('s.trial_end_date'), flag: sql.raw('s.is_trial') },
} as const;

/** Active subscriptions with the flag whose date is within 30 days of the as-of date, by that date. */
function endingIn30Days(db: SqlRunner, caller: Caller, range: MonthRange, limit: number, ending: (typeof ENDING)[keyof typeof ENDING]): Promise<SubscriptionItem[]> {
  const day = asOfDate(range);
  return query<SubscriptionItem & Record<string, unknown>>(
    db,
    sql`SELECT s.subscription_id AS "subscriptionId", s.customer_id AS "customerId", c.company_name AS "companyName",
               s.friendly_name AS "friendlyName", s.mpn_id AS "mpnId", strftime(${ending.date}, '%Y-%m-%d') AS date
        FROM subscriptions s LEFT JOIN customers c ON c.partner_id = s.partner_id AND c.customer_id = s.customer_id
        WHERE ${scope(caller, 's', 's.mpn_id')} AND s.status = 'Active' AND ${ending.flag}
          AND ${ending.date} BETWEEN ${day}::DATE AND ${day}::DATE + INTERVAL 30 DAY
        ORDER BY ${ending.date}, s.subscription_id
        LIMIT ${limit}`,
  );
}

/** Which subscriptions a status list holds (constants, never input): reference line 17240. */
const BY_STATUS = {
  // "List of all subscriptions with a status of Suspended, excluding trial offers"
  suspended: sql.raw(`s.status = 'Suspended' AND NOT coalesce(s.is_trial, false)`),
  // "List of all active subscriptions"
  active: sql.raw(`s.status = 'Active'`),
} as const;

/** Suspended subscriptions, trials left out; `date` is the term end. No date filter: the status now, as the page says. */
export function suspendedSubscriptions(db: SqlRunner, caller: Caller, limit = LIST_DEFAULT): Promise<SubscriptionItem[]> {
  return subscriptionsWithStatus(db, caller, limit, BY_STATUS.suspended);
}

/** Active subscriptions; `date` is the term end. */
export function activeSubscriptions(db: SqlRunner, caller: Caller, limit = LIST_DEFAULT): Promise<SubscriptionItem[]> {
  return subscriptionsWithStatus(db, caller, limit, BY_STATUS.active);
}

function subscriptionsWithStatus(db: SqlRunner, caller: Caller, limit: number, condition: (typeof BY_STATUS)[keyof typeof BY_STATUS]): Promise<SubscriptionItem[]> {
  return query<SubscriptionItem & Record<string, unknown>>(
    db,
    sql`SELECT s.subscription_id AS "subscriptionId", s.customer_id AS "customerId", c.company_name AS "companyName",
               s.friendly_name AS "friendlyName", s.mpn_id AS "mpnId", strftime(s.term_end_date, '%Y-%m-%d') AS date
        FROM subscriptions s LEFT JOIN customers c ON c.partner_id = s.partner_id AND c.customer_id = s.customer_id
        WHERE ${scope(caller, 's', 's.mpn_id')} AND ${condition}
        ORDER BY c.company_name, s.subscription_id
        LIMIT ${limit}`,
  );
}

/** The caller's Azure subscriptions (product family Azure): partner_id, subscription_id, customer_id, friendly_name, mpn_id. */
export function azureSubscriptions(caller: Caller): Sql {
  return sql`SELECT s.partner_id, s.subscription_id, s.customer_id, s.friendly_name, s.mpn_id
    FROM subscriptions s
    JOIN ${sql.raw(PRODUCT_BY_OFFER)} p ON p.partner_id = s.partner_id AND p.offer_id = s.offer_id
    WHERE ${scope(caller, 's', 's.mpn_id')} AND p.product_family = 'Azure'`;
}

/**
 * Subscriptions without usage: Azure subscriptions held at the end of the range (any state but
 * Deprovisioned or Expired) with no daily-rated usage in any month of the range. Written as semi and
 * anti joins on small sets (the partner's Azure subscriptions, the held ones, the ones with usage):
 * a correlated NOT EXISTS over the joined subscription months took twice as long on the benchmark.
 */
export async function azureSubscriptionsWithoutUsage(db: SqlRunner, caller: Caller, range: MonthRange, limit = LIST_DEFAULT): Promise<SubscriptionItem[]> {
  return query<SubscriptionItem & Record<string, unknown>>(
    db,
    sql`WITH azure AS (${azureSubscriptions(caller)}),
        held AS (
          SELECT sm.subscription_id FROM insights_subscription_months sm
          WHERE ${scope(caller, 'sm', null)} AND sm.month = ${range.to}::DATE AND sm.state NOT IN ('Deprovisioned', 'Expired')
        ),
        used AS (
          SELECT DISTINCT u.subscription_id FROM insights_usage_monthly u
          WHERE ${scope(caller, 'u', null)} AND u.month BETWEEN ${range.from}::DATE AND ${range.to}::DATE AND u.line_count > 0
        )
        SELECT a.subscription_id AS "subscriptionId", a.customer_id AS "customerId", c.company_name AS "companyName",
               a.friendly_name AS "friendlyName", a.mpn_id AS "mpnId", NULL::VARCHAR AS date
        FROM azure a
        SEMI JOIN held h ON h.subscription_id = a.subscription_id
        ANTI JOIN used u ON u.subscription_id = a.subscription_id
        LEFT JOIN customers c ON c.partner_id = a.partner_id AND c.customer_id = a.customer_id
        ORDER BY a.subscription_id
        LIMIT ${limit}`,
  );
}

export interface CustomerSpend {
  customerId: string;
  companyName: string | null;
  /** ACR USD over the range, 2 decimals */
  acrUsd: string;
}

/** Top 5 customers by ACR (USD) over the range. Revenue: callers need seeRevenue. Names are joined to the 5 only. */
export async function topAzureCustomers(db: SqlRunner, caller: Caller, range: MonthRange, limit = 5): Promise<CustomerSpend[]> {
  return query<CustomerSpend & Record<string, unknown>>(
    db,
    sql`WITH top AS (
          SELECT u.partner_id, u.customer_id, sum(u.acr_usd) AS acr
          FROM insights_usage_monthly u
          WHERE ${scope(caller, 'u', 'u.mpn_id')} AND u.month BETWEEN ${range.from}::DATE AND ${range.to}::DATE
          GROUP BY u.partner_id, u.customer_id ORDER BY acr DESC, u.customer_id LIMIT ${limit}
        )
        SELECT t.customer_id AS "customerId", c.company_name AS "companyName", round(t.acr, 2)::DECIMAL(18,2)::VARCHAR AS "acrUsd"
        FROM top t LEFT JOIN customers c ON c.partner_id = t.partner_id AND c.customer_id = t.customer_id
        ORDER BY t.acr DESC, t.customer_id`,
  );
}

export interface BudgetItem {
  subscriptionId: string;
  customerId: string;
  /** BudgetAmount of the subscriptions file, in `currency` (the subscription's), 2 decimals. */
  budgetAmount: string;
  currency: string | null;
  /** The subscription's usage of the range's last month in `currency` (BillingPreTaxTotal), 2 decimals. */
  spent: string;
  /** ACR USD of the same month, 2 decimals: for reference, never divided by the budget. */
  spentUsd: string;
  percentUsed: number | null;
}

/**
 * Spending against budget: Azure subscriptions with a budget (BudgetAmount, a column this product
 * adds to the subscriptions file, in the subscription's currency), the range's last month's usage
 * in that same currency (the billing-currency totals of insights_usage_monthly: lines billed in
 * another currency are not counted) against it. Revenue. Partner Center's own budgets are per
 * customer (Customer.budget, warehouse/billing/budgets.ts).
 */
export async function spendingAgainstBudget(db: SqlRunner, caller: Caller, range: MonthRange, limit = LIST_DEFAULT): Promise<BudgetItem[]> {
  return query<BudgetItem & Record<string, unknown>>(
    db,
    sql`WITH b AS (
          SELECT s.partner_id, s.subscription_id, s.customer_id, s.budget_amount, upper(s.currency) AS currency
          FROM subscriptions s WHERE ${scope(caller, 's', 's.mpn_id')} AND s.budget_amount IS NOT NULL
        ), used AS (
          SELECT b.subscription_id,
                 coalesce(sum(u.billing_pre_tax_total) FILTER (WHERE u.billing_currency = b.currency), 0) AS spent,
                 coalesce(sum(u.acr_usd), 0) AS usd
          FROM b LEFT JOIN insights_usage_monthly u ON u.partner_id = b.partner_id AND u.subscription_id = b.subscription_id AND u.month = ${range.to}::DATE
          GROUP BY b.subscription_id
        )
        SELECT b.subscription_id AS "subscriptionId", b.customer_id AS "customerId", b.budget_amount::DECIMAL(18,2)::VARCHAR AS "budgetAmount",
               b.currency, round(used.spent, 2)::DECIMAL(18,2)::VARCHAR AS spent, round(used.usd, 2)::DECIMAL(18,2)::VARCHAR AS "spentUsd",
               CASE WHEN b.budget_amount = 0 OR b.currency IS NULL THEN NULL ELSE round(used.spent * 100.0 / b.budget_amount, 2)::DOUBLE END AS "percentUsed"
        FROM b JOIN used USING (subscription_id)
        ORDER BY "percentUsed" DESC NULLS LAST, b.subscription_id
        LIMIT ${limit}`,
  );
}
