/**
 * Migration 2: the Insights rollups (warehouse/insights/rollups.ts keeps them current from the ETL's
 * afterLoad hook). Report SQL reads these and the small dimension tables; it never scans
 * billing_usage_lines.
 */
export const up = `
-- Azure usage per partner, invoice, usage month, subscription and meter category, in USD (ACR).
-- Keyed by invoice_number like billing_usage_lines itself, so a corrected recon file for an invoice
-- replaces exactly the rollup rows of that invoice. load_id: the load whose rows were aggregated.
CREATE TABLE insights_usage_monthly (
  partner_id VARCHAR NOT NULL,
  invoice_number VARCHAR,
  month DATE NOT NULL,
  customer_id VARCHAR,
  subscription_id VARCHAR,
  mpn_id VARCHAR,
  customer_country VARCHAR,
  meter_category VARCHAR,
  quantity DECIMAL(18,6) NOT NULL,
  acr_usd DECIMAL(18,6) NOT NULL,
  line_count BIGINT NOT NULL,
  load_id BIGINT
);

-- The state of every subscription at the end of every month from its creation to the partner's
-- latest month of data (see rollups.ts for the derivation), whether it was added that month and
-- whether it churned (was suspended or canceled), converted from trial or renewed that month.
CREATE TABLE insights_subscription_months (
  partner_id VARCHAR NOT NULL,
  subscription_id VARCHAR NOT NULL,
  month DATE NOT NULL,
  state VARCHAR NOT NULL,
  is_new BOOLEAN NOT NULL,
  churned BOOLEAN NOT NULL,
  trial_converted BOOLEAN NOT NULL,
  renewed BOOLEAN NOT NULL
);
`;
