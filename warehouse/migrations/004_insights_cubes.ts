import { cubeStatements } from '../insights/cubes';
import { pciRollupStatements } from '../insights/pci/rollups';

/**
 * Migration 4: the pre-aggregated Insights rollups (warehouse/insights/cubes.ts says what each holds
 * and why; rollups.ts when the ETL refreshes them). Report metrics read these instead of joining the
 * dimension tables to the subscription months, license telemetry and usage rollup per request.
 * A warehouse that already holds data gets them filled here, once, for every partner.
 */
const DIMENSIONS = `
  partner_id VARCHAR NOT NULL,
  month DATE,
  mpn_id VARCHAR,
  country VARCHAR,
  segment VARCHAR,
  sales_channel VARCHAR,
  product_family VARCHAR,
  sku VARCHAR,`;

const ATTRIBUTION = `
  by_attribution BOOLEAN NOT NULL,   -- TRUE: the rows once per attribution type of the customer
  attribution_type VARCHAR,          -- NULL when by_attribution is FALSE`;

export const ddl = `
CREATE TABLE insights_subscription_cube (${DIMENSIONS}
  state VARCHAR,
  state_group VARCHAR,
  is_trial BOOLEAN,
  reseller_mpn_id VARCHAR,
  is_new BOOLEAN,
  churned BOOLEAN,
  trial_converted BOOLEAN,
  renewed BOOLEAN,
  active_usage BOOLEAN,${ATTRIBUTION}
  subscriptions BIGINT NOT NULL
);
CREATE TABLE insights_license_cube (${DIMENSIONS}${ATTRIBUTION}
  licenses_purchased BIGINT,
  licenses_assigned BIGINT,
  active_users_28d BIGINT
);
CREATE TABLE insights_license_event_cube (${DIMENSIONS}${ATTRIBUTION}
  licenses_added BIGINT
);
CREATE TABLE insights_usage_cube (${DIMENSIONS}
  meter_category VARCHAR,${ATTRIBUTION}
  acr_usd DECIMAL(38,6),
  quantity DECIMAL(38,6),
  line_count BIGINT
);
-- Customer metrics per month, subscription-level restriction (variant: all | location | productFamily,
-- with its value), split (all | location | salesChannel | productFamily | sku | attributionType, with
-- the dimension value) and the customer's country and segment.
CREATE TABLE insights_customer_counts (
  partner_id VARCHAR NOT NULL,
  month DATE,
  variant VARCHAR NOT NULL,
  variant_value VARCHAR,
  split VARCHAR NOT NULL,
  dim VARCHAR,
  country VARCHAR,
  segment VARCHAR,
  counted BIGINT NOT NULL,
  added BIGINT NOT NULL,
  existing BIGINT NOT NULL,
  churned BIGINT NOT NULL,
  active_usage BIGINT NOT NULL
);
-- PCI (warehouse/insights/pci/rollups.ts): subscription and customer timelines with paid seats and credited MPN IDs,
-- qualifying revenue per day and credited MPN IDs, monthly active users per tenant and family.
CREATE TABLE insights_pci_subscription_days (
  partner_id VARCHAR NOT NULL,
  subscription_id VARCHAR,
  customer_id VARCHAR,
  family VARCHAR,
  valid_from DATE NOT NULL,
  valid_to DATE,                     -- exclusive; NULL = still in force
  paid_seats BIGINT,
  perf_mpns VARCHAR[],
  usage_mpns VARCHAR[]
);
CREATE TABLE insights_pci_customer_days (
  partner_id VARCHAR NOT NULL,
  customer_id VARCHAR NOT NULL,
  family VARCHAR,
  valid_from DATE NOT NULL,
  valid_to DATE,
  paid BOOLEAN,
  perf_mpns VARCHAR[],
  usage_mpns VARCHAR[],
  perf_org BOOLEAN,                  -- credited to one of the partner's own MPN IDs (an entire-organization caller)
  usage_org BOOLEAN,
  prev_paid BOOLEAN,                 -- the previous interval's paid / credit
  prev_perf_mpns VARCHAR[],
  prev_perf_org BOOLEAN
);
CREATE TABLE insights_pci_revenue (
  partner_id VARCHAR NOT NULL,
  path VARCHAR NOT NULL,
  day DATE NOT NULL,
  perf_mpns VARCHAR[],
  usd DECIMAL(38,6),
  lines BIGINT NOT NULL,
  unconverted BIGINT NOT NULL
);
CREATE TABLE insights_pci_mau (
  partner_id VARCHAR NOT NULL,
  month DATE,
  customer_id VARCHAR,
  family VARCHAR,
  users BIGINT
);
`;

/** The tables, then the one-time fill from the rows already loaded (no-op on an empty warehouse). */
export const up = `${ddl}
${[...cubeStatements('TRUE'), ...pciRollupStatements(() => 'TRUE')].join(';\n')};
`;
