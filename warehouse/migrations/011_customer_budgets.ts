/**
 * Migration 11: customers' monthly Azure spending budgets (reference lines 10967-11040, "Set, check,
 * or remove monthly Azure spending budgets for customers"), the alerts sent at 80 % and 100 % of
 * them, and the billing-currency spending the budgets compare with (SQL in warehouse/billing/budgets.ts).
 *
 * customer_budget_history: every set, change and removal, in order (change_seq); never updated.
 *   A removal is a row with a NULL amount. The view customer_budgets is each customer's current
 *   budget (its latest row, unless a removal). The budget of a past month is the latest row set
 *   before that month ended: a budget covers the month it is set in and the months after.
 *   amount: in `currency`, the customer's billing currency (the currency of its daily-rated usage
 *   lines, BillingCurrency): "update the budget limit to your customer's local currency" (line 13490).
 * budget_alerts: one row per (partner, customer, month, threshold) alerted, written when spending
 *   first reaches 80 % or 100 % of the month's budget (the warehouseEvents `budgetAlert` is published
 *   once the row is committed): the primary key keeps an alert from being sent twice, across restarts.
 * insights_usage_monthly gains the billing-currency total (BillingPreTaxTotal and BillingCurrency) of
 *   its rows, so that spending is compared with a budget in the budget's currency without scanning the
 *   usage lines; existing rows are filled from the usage lines they summarise.
 */
export const up = `
CREATE SEQUENCE customer_budget_seq START 1;

CREATE TABLE customer_budget_history (
  change_seq BIGINT NOT NULL DEFAULT nextval('customer_budget_seq'),
  partner_id VARCHAR NOT NULL,
  customer_id VARCHAR NOT NULL,
  amount DECIMAL(18,2),               -- monthly budget; NULL: removed
  currency VARCHAR,                   -- ISO code of amount (the customer's billing currency)
  changed_by VARCHAR,                 -- the caller's subject (user id, API key, demo)
  changed_at TIMESTAMP NOT NULL       -- UTC
);

CREATE VIEW customer_budgets AS
SELECT partner_id, customer_id, amount, currency, changed_by AS set_by, changed_at AS set_at
FROM (
  SELECT *, row_number() OVER (PARTITION BY partner_id, customer_id ORDER BY change_seq DESC) AS latest
  FROM customer_budget_history
) WHERE latest = 1 AND amount IS NOT NULL;

CREATE TABLE budget_alerts (
  partner_id VARCHAR NOT NULL,
  customer_id VARCHAR NOT NULL,
  month DATE NOT NULL,                -- first day of the calendar month
  threshold INTEGER NOT NULL,         -- 80 | 100 (% of the budget)
  spent DECIMAL(18,2) NOT NULL,       -- the month's spending when it was alerted
  budget DECIMAL(18,2) NOT NULL,
  currency VARCHAR NOT NULL,
  alerted_at TIMESTAMP NOT NULL,
  PRIMARY KEY (partner_id, customer_id, month, threshold)
);

ALTER TABLE insights_usage_monthly ADD COLUMN billing_currency VARCHAR;
ALTER TABLE insights_usage_monthly ADD COLUMN billing_pre_tax_total DECIMAL(18,6);

UPDATE insights_usage_monthly AS u SET billing_currency = b.currency, billing_pre_tax_total = b.total
FROM (
  SELECT partner_id, invoice_number, date_trunc('month', usage_date)::DATE AS month, customer_id, subscription_id, mpn_id,
         customer_country, meter_category, load_id,
         CASE WHEN count(DISTINCT billing_currency) = 1 THEN any_value(billing_currency) END AS currency,
         sum(billing_pre_tax_total) AS total
  FROM billing_usage_lines WHERE usage_date IS NOT NULL
  GROUP BY ALL
) b
WHERE u.partner_id = b.partner_id AND u.invoice_number IS NOT DISTINCT FROM b.invoice_number AND u.month = b.month
  AND u.customer_id IS NOT DISTINCT FROM b.customer_id AND u.subscription_id IS NOT DISTINCT FROM b.subscription_id
  AND u.mpn_id IS NOT DISTINCT FROM b.mpn_id AND u.customer_country IS NOT DISTINCT FROM b.customer_country
  AND u.meter_category IS NOT DISTINCT FROM b.meter_category AND u.load_id IS NOT DISTINCT FROM b.load_id;
`;
