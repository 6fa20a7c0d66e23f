/**
 * Migration 17: customers' budgets read from (and written to) Partner Center ("Get a customer's
 * usage spending budget", "Update a customer's usage spending budget": GET/PATCH
 * /v1/customers/{customer-tenant-id}/usagebudget). Rules in warehouse/billing/budgets.ts
 * (applyPartnerCenterBudgets, setCustomerBudget).
 *
 * customer_budget_history.in_partner_center: the row's value is the one Partner Center holds: read
 *   by a sync, or set in the product and written to Partner Center (PATCH) before it was recorded.
 *   false: set in the product only (before a sync was configured, by the demo, or for a partner
 *   whose Partner Center the server does not sync). Rows from before this migration are false.
 *   A sync replaces a budget Partner Center holds with Partner Center's value, and removes it when
 *   Partner Center no longer has one; it keeps a budget set in the product only.
 * The view customer_budgets shows it too.
 *
 * The table is made again rather than altered (its rows and change_seq kept): DuckDB cannot replay
 * from its write-ahead log an ALTER TABLE ... ADD COLUMN on a table whose column default calls a
 * function (change_seq's nextval), so a process stopped before the next checkpoint would leave a
 * warehouse that does not open ("Failure while replaying WAL file").
 */
export const up = `
CREATE TABLE customer_budget_history_before_017 AS SELECT * FROM customer_budget_history;
DROP VIEW customer_budgets;
DROP TABLE customer_budget_history;

CREATE TABLE customer_budget_history (
  change_seq BIGINT NOT NULL DEFAULT nextval('customer_budget_seq'),
  partner_id VARCHAR NOT NULL,
  customer_id VARCHAR NOT NULL,
  amount DECIMAL(18,2),               -- monthly budget; NULL: removed
  currency VARCHAR,                   -- ISO code of amount (the customer's billing currency)
  changed_by VARCHAR,                 -- the caller's subject (user id, API key, demo), or 'Partner Center (sync <id>)'
  changed_at TIMESTAMP NOT NULL,      -- UTC
  in_partner_center BOOLEAN NOT NULL DEFAULT false  -- the value is Partner Center's (read by a sync, or written to it)
);
INSERT INTO customer_budget_history (change_seq, partner_id, customer_id, amount, currency, changed_by, changed_at, in_partner_center)
SELECT change_seq, partner_id, customer_id, amount, currency, changed_by, changed_at, false FROM customer_budget_history_before_017;
DROP TABLE customer_budget_history_before_017;

CREATE VIEW customer_budgets AS
SELECT partner_id, customer_id, amount, currency, changed_by AS set_by, changed_at AS set_at, in_partner_center
FROM (
  SELECT *, row_number() OVER (PARTITION BY partner_id, customer_id ORDER BY change_seq DESC) AS latest
  FROM customer_budget_history
) WHERE latest = 1 AND amount IS NOT NULL;
`;
