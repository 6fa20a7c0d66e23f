import type { Caller } from '../../core/caller';
import { addMonths } from '../../core/dates';
import { scope } from '../../core/scope';
import { query, sql } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';
import type { MonthRange } from './compile';
import { azureSubscriptions, LIST_DEFAULT } from './lists';

/**
 * Azure subscriptions at risk (reference 17097: "the predicted churn risk to Azure subscriptions ...
 * used by partners to engage with customers and minimize churn"). The reference does not say how
 * Microsoft predicts it, so the model here is explained rather than learned: a few signals read
 * from the warehouse, each with a weight; a subscription's score is the sum of the weights of the
 * signals it shows, and it is at risk from RISK_THRESHOLD. Every item lists its signals, and
 * `azureRiskModel` gives the whole table, so a partner sees why a subscription is on the list.
 *
 * The month looked at is the range's last month (M); "the months before" are the LOOKBACK_MONTHS
 * before it. Only Azure subscriptions held at the end of M (any state but Deprovisioned or Expired)
 * are scored: one already gone is churn, not a risk.
 */
export const LOOKBACK_MONTHS = 3;
export const RISK_THRESHOLD = 40;

export interface RiskSignal {
  name: 'SUSPENDED' | 'USAGE_STOPPED' | 'USAGE_DECLINED' | 'NO_USAGE' | 'CUSTOMER_CHURNING';
  weight: number;
  description: string;
}

/** The model, as data: a signal's SQL condition is in SIGNAL_CONDITIONS under the same name. */
export const RISK_SIGNALS: readonly RiskSignal[] = [
  { name: 'SUSPENDED', weight: 40, description: 'Suspended at the end of the month' },
  { name: 'USAGE_STOPPED', weight: 40, description: `No Azure usage in the month, after usage in one of the ${LOOKBACK_MONTHS} months before` },
  { name: 'USAGE_DECLINED', weight: 30, description: `Azure consumed revenue in the month under half its monthly average over the ${LOOKBACK_MONTHS} months before` },
  { name: 'NO_USAGE', weight: 30, description: `No Azure usage in the month nor in the ${LOOKBACK_MONTHS} months before` },
  { name: 'CUSTOMER_CHURNING', weight: 20, description: `The customer suspended or cancelled another Azure subscription in the month or the ${LOOKBACK_MONTHS} months before` },
];

/** Each signal over the row of `scored` (columns state, acr_now, acr_before, used_now, used_before, sibling_churn). */
const SIGNAL_CONDITIONS: Record<RiskSignal['name'], string> = {
  SUSPENDED: `state = 'Suspended'`,
  USAGE_STOPPED: `NOT used_now AND used_before`,
  USAGE_DECLINED: `used_now AND acr_before > 0 AND acr_now < acr_before / ${LOOKBACK_MONTHS} / 2`,
  NO_USAGE: `NOT used_now AND NOT used_before`,
  CUSTOMER_CHURNING: `sibling_churn`,
};

export interface AzureRiskItem {
  subscriptionId: string;
  customerId: string;
  companyName: string | null;
  friendlyName: string | null;
  mpnId: string | null;
  /** The sum of the weights of the signals shown, 0 to 100. */
  score: number;
  signals: RiskSignal[];
  /** Change of the month's ACR against the monthly average of the months before, in %; null without usage before. */
  usageChangePercent: number | null;
}

interface RiskRow extends Record<string, unknown> {
  subscriptionId: string;
  customerId: string;
  companyName: string | null;
  friendlyName: string | null;
  mpnId: string | null;
  score: number;
  signals: string[];
  usageChangePercent: number | null;
}

/**
 * The Azure subscriptions at risk at the end of the range, highest score first. One statement.
 * `minScore` (default RISK_THRESHOLD) lists lower scores too: 0 gives every held Azure subscription.
 */
export async function azureSubscriptionsAtRisk(
  db: SqlRunner,
  caller: Caller,
  range: MonthRange,
  options: { limit?: number; minScore?: number } = {},
): Promise<AzureRiskItem[]> {
  const { limit = LIST_DEFAULT, minScore = RISK_THRESHOLD } = options;
  const month = range.to;
  const since = addMonths(month, -LOOKBACK_MONTHS);
  const fired = RISK_SIGNALS.map((s) => `CASE WHEN ${SIGNAL_CONDITIONS[s.name]} THEN '${s.name}' END`);
  const score = RISK_SIGNALS.map((s) => `CASE WHEN ${SIGNAL_CONDITIONS[s.name]} THEN ${s.weight} ELSE 0 END`).join(' + ');
  const rows = await query<RiskRow>(
    db,
    sql`WITH azure AS (${azureSubscriptions(caller)}),
        months AS (
          SELECT sm.subscription_id, sm.month, sm.state, sm.churned FROM insights_subscription_months sm
          WHERE ${scope(caller, 'sm', null)} AND sm.month BETWEEN ${since}::DATE AND ${month}::DATE
        ),
        usage AS (
          SELECT u.subscription_id,
                 sum(u.acr_usd) FILTER (WHERE u.month = ${month}::DATE) AS acr_now,
                 sum(u.acr_usd) FILTER (WHERE u.month < ${month}::DATE) AS acr_before,
                 bool_or(u.line_count > 0 AND u.month = ${month}::DATE) AS used_now,
                 bool_or(u.line_count > 0 AND u.month < ${month}::DATE) AS used_before
          FROM insights_usage_monthly u
          WHERE ${scope(caller, 'u', null)} AND u.month BETWEEN ${since}::DATE AND ${month}::DATE
          GROUP BY u.subscription_id
        ),
        churning AS (
          SELECT a.customer_id, list(DISTINCT a.subscription_id) AS churned_ids
          FROM azure a JOIN months m ON m.subscription_id = a.subscription_id
          WHERE m.churned GROUP BY a.customer_id
        ),
        scored AS (
          SELECT a.*, m.state,
                 coalesce(u.acr_now, 0) AS acr_now, coalesce(u.acr_before, 0) AS acr_before,
                 coalesce(u.used_now, FALSE) AS used_now, coalesce(u.used_before, FALSE) AS used_before,
                 coalesce(len(list_filter(ch.churned_ids, x -> x <> a.subscription_id)) > 0, FALSE) AS sibling_churn
          FROM azure a
          JOIN months m ON m.subscription_id = a.subscription_id AND m.month = ${month}::DATE AND m.state NOT IN ('Deprovisioned', 'Expired')
          LEFT JOIN usage u ON u.subscription_id = a.subscription_id
          LEFT JOIN churning ch ON ch.customer_id = a.customer_id
        ),
        risk AS (
          SELECT *, ${sql.raw(score)} AS score, list_filter([${sql.raw(fired.join(', '))}], x -> x IS NOT NULL) AS signals FROM scored
        )
        SELECT r.subscription_id AS "subscriptionId", r.customer_id AS "customerId", c.company_name AS "companyName",
               r.friendly_name AS "friendlyName", r.mpn_id AS "mpnId", r.score::INTEGER AS score, r.signals,
               CASE WHEN r.acr_before > 0 THEN round((r.acr_now - r.acr_before / ${LOOKBACK_MONTHS}) * 100.0 / (r.acr_before / ${LOOKBACK_MONTHS}), 2)::DOUBLE END
                 AS "usageChangePercent"
        FROM risk r LEFT JOIN customers c ON c.partner_id = r.partner_id AND c.customer_id = r.customer_id
        WHERE r.score >= ${minScore}
        ORDER BY r.score DESC, r.acr_before DESC, r.subscription_id
        LIMIT ${limit}`,
  );
  const byName = new Map(RISK_SIGNALS.map((s) => [s.name, s]));
  return rows.map((r) => ({ ...r, signals: r.signals.map((name) => byName.get(name as RiskSignal['name'])!) }));
}
