import { azureCustomerCubeStatement } from '../insights/cubes';

/**
 * Migration 7: insights_azure_customer_cube, the Azure subscription months kept per customer
 * (warehouse/insights/cubes.ts). The Azure usage analytics KPIs count distinct customers with and
 * without usage over a whole date range, which the other cubes (counts per cell) cannot answer; this
 * one keeps customer_id, so those counts read a few hundred thousand rows instead of joining every
 * subscription month. Filled here, once, for warehouses that already hold data.
 */
export const up = `
CREATE TABLE insights_azure_customer_cube (
  partner_id VARCHAR NOT NULL,
  month DATE,
  mpn_id VARCHAR,
  country VARCHAR,
  segment VARCHAR,
  sales_channel VARCHAR,
  product_family VARCHAR,
  sku VARCHAR,
  state_group VARCHAR,
  reseller_mpn_id VARCHAR,
  customer_id VARCHAR,
  held BOOLEAN,                      -- state at month end neither Deprovisioned nor Expired
  active_usage BOOLEAN,
  by_attribution BOOLEAN NOT NULL,   -- TRUE: the rows once per attribution type of the customer
  attribution_type VARCHAR,          -- NULL when by_attribution is FALSE
  subscriptions BIGINT NOT NULL
);
${azureCustomerCubeStatement('TRUE')};
`;
