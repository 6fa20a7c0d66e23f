import type { Caller } from '../../resolvers/common/context';
import { scope } from '../../resolvers/common/scope';
import { query, sql } from '../../resolvers/common/sql';
import type { SqlRunner } from '../db';
import type { MonthRange } from './compile';

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
  const [y, m] = range.asOf.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
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
  const day = asOfDate(range);
  return query<SubscriptionItem & Record<string, unknown>>(
    db,
    sql`SELECT s.subscription_id AS "subscriptionId", s.customer_id AS "customerId", c.company_name AS "companyName",
               s.friendly_name AS "friendlyName", s.mpn_id AS "mpnId", strftime(s.term_end_date, '%Y-%m-%d') AS date
        FROM subscriptions s LEFT JOIN customers c ON c.partner_id = s.partner_id AND c.customer_id = s.customer_id
        WHERE ${scope(caller, 's', 's.mpn_id')} AND s.status = 'Active' AND s.auto_renew
          AND s.term_end_date BETWEEN ${day}::DATE AND ${day}::DATE + INTERVAL 30 DAY
        ORDER BY s.term_end_date, s.subscription_id
        LIMIT ${limit}`,
  );
}

/** Trials ending in 30 days: trial subscriptions with status Active whose trial ends within 30 days of the as-of date. */
export async function trialsEndingIn30Days(db: SqlRunner, caller: Caller, range: MonthRange, limit = LIST_DEFAULT): Promise<SubscriptionItem[]> {
  const day = asOfDate(range);
  return query<SubscriptionItem & Record<string, unknown>>(
    db,
    sql`SELECT s.subscription_id AS "subscriptionId", s.customer_id AS "customerId", c.company_name AS "companyName",
               s.friendly_name AS "friendlyName", s.mpn_id AS "mpnId", strftime(s.trial_end_date, '%Y-%m-%d') AS date
        FROM subscriptions s LEFT JOIN customers c ON c.partner_id = s.partner_id AND c.customer_id = s.customer_id
        WHERE ${scope(caller, 's', 's.mpn_id')} AND s.status = 'Active' AND s.is_trial
          AND s.trial_end_date BETWEEN ${day}::DATE AND ${day}::DATE + INTERVAL 30 DAY
        ORDER BY s.trial_end_date, s.subscription_id
        LIMIT ${limit}`,
  );
}

/**
 * Subscriptions without usage: Azure subscriptions held at the end of the range (any state but
 * Deprovisioned or Expired) with no daily-rated usage in any month of the range.
 */
export async function azureSubscriptionsWithoutUsage(db: SqlRunner, caller: Caller, range: MonthRange, limit = LIST_DEFAULT): Promise<SubscriptionItem[]> {
  return query<SubscriptionItem & Record<string, unknown>>(
    db,
    sql`SELECT s.subscription_id AS "subscriptionId", s.customer_id AS "customerId", c.company_name AS "companyName",
               s.friendly_name AS "friendlyName", s.mpn_id AS "mpnId", NULL::VARCHAR AS date
        FROM insights_subscription_months sm
        JOIN subscriptions s ON s.partner_id = sm.partner_id AND s.subscription_id = sm.subscription_id
        JOIN (SELECT partner_id, offer_id, any_value(product_family) AS product_family FROM products GROUP BY ALL) p
          ON p.partner_id = s.partner_id AND p.offer_id = s.offer_id
        LEFT JOIN customers c ON c.partner_id = s.partner_id AND c.customer_id = s.customer_id
        WHERE ${scope(caller, 's', 's.mpn_id')} AND sm.month = ${range.to}::DATE AND p.product_family = 'Azure'
          AND sm.state NOT IN ('Deprovisioned', 'Expired')
          AND NOT EXISTS (SELECT 1 FROM insights_usage_monthly u WHERE u.partner_id = s.partner_id AND u.subscription_id = s.subscription_id
                          AND u.month BETWEEN ${range.from}::DATE AND ${range.to}::DATE AND u.line_count > 0)
        ORDER BY s.subscription_id
        LIMIT ${limit}`,
  );
}

export interface CustomerSpend {
  customerId: string;
  companyName: string | null;
  /** ACR USD over the range, 2 decimals */
  acrUsd: string;
}

/** Top 5 customers by ACR (USD) over the range. Revenue: callers need seeRevenue. */
export async function topAzureCustomers(db: SqlRunner, caller: Caller, range: MonthRange, limit = 5): Promise<CustomerSpend[]> {
  return query<CustomerSpend & Record<string, unknown>>(
    db,
    sql`SELECT u.customer_id AS "customerId", any_value(c.company_name) AS "companyName", round(sum(u.acr_usd), 2)::DECIMAL(18,2)::VARCHAR AS "acrUsd"
        FROM insights_usage_monthly u LEFT JOIN customers c ON c.partner_id = u.partner_id AND c.customer_id = u.customer_id
        WHERE ${scope(caller, 'u', 'u.mpn_id')} AND u.month BETWEEN ${range.from}::DATE AND ${range.to}::DATE
        GROUP BY u.customer_id ORDER BY sum(u.acr_usd) DESC, u.customer_id LIMIT ${limit}`,
  );
}

export interface BudgetItem {
  subscriptionId: string;
  customerId: string;
  budgetAmount: string;
  /** ACR USD of the range's last month, 2 decimals */
  spentUsd: string;
  percentUsed: number | null;
}

/** Spending against budget: Azure subscriptions with a budget, the range's last month's ACR vs it. Revenue. */
export async function spendingAgainstBudget(db: SqlRunner, caller: Caller, range: MonthRange, limit = LIST_DEFAULT): Promise<BudgetItem[]> {
  return query<BudgetItem & Record<string, unknown>>(
    db,
    sql`SELECT s.subscription_id AS "subscriptionId", s.customer_id AS "customerId", s.budget_amount::DECIMAL(18,2)::VARCHAR AS "budgetAmount",
               round(coalesce(sum(u.acr_usd), 0), 2)::DECIMAL(18,2)::VARCHAR AS "spentUsd",
               CASE WHEN s.budget_amount = 0 THEN NULL ELSE round(coalesce(sum(u.acr_usd), 0) * 100.0 / s.budget_amount, 2)::DOUBLE END AS "percentUsed"
        FROM subscriptions s
        LEFT JOIN insights_usage_monthly u ON u.partner_id = s.partner_id AND u.subscription_id = s.subscription_id AND u.month = ${range.to}::DATE
        WHERE ${scope(caller, 's', 's.mpn_id')} AND s.budget_amount IS NOT NULL
        GROUP BY s.subscription_id, s.customer_id, s.budget_amount
        ORDER BY "percentUsed" DESC NULLS LAST, s.subscription_id
        LIMIT ${limit}`,
  );
}
