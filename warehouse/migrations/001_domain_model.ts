/**
 * Migration 1: the whole domain model of DESIGN.md.
 *
 * Tables fed by files hold the columns their file formats (etl/formats) map headers onto, plus
 * load_id: the etl_loads row that wrote them (NULL for rows created through the API). Their types
 * are declared here and nowhere else: the loader reads them from the warehouse (etl/load/columns.ts),
 * and a test checks that every format column exists with a type files are loaded as. Every row
 * carries its partner (the tenant). Money is DECIMAL(18,6); amounts are never held in floating point.
 */

/**
 * Columns the two new-commerce reconciliation files (daily-rated usage, one-time) both have, in the
 * order both have them: the customer, the product, and the subscription with its charge period.
 */
const RECON_CUSTOMER = `customer_id VARCHAR,
  customer_name VARCHAR,
  customer_domain_name VARCHAR,
  customer_country VARCHAR`;
const RECON_PRODUCT = `product_id VARCHAR,
  sku_id VARCHAR,
  availability_id VARCHAR,
  sku_name VARCHAR,
  product_name VARCHAR`;
const RECON_SUBSCRIPTION = `publisher_name VARCHAR,
  publisher_id VARCHAR,
  subscription_description VARCHAR,
  subscription_id VARCHAR,
  charge_start_date DATE,
  charge_end_date DATE`;

export const up = `
-- partner-profile: Partner global account: tenant id, legal name, global MPN ID and CSP model
CREATE TABLE partners (
  partner_id VARCHAR NOT NULL,
  name VARCHAR,
  global_mpn_id VARCHAR,
  partner_type VARCHAR,
  country VARCHAR,
  load_id BIGINT
);

-- locations: Partner locations (one MPN ID each) with country and developed/developing market
CREATE TABLE locations (
  partner_id VARCHAR NOT NULL,
  mpn_id VARCHAR,
  name VARCHAR,
  country VARCHAR,
  market VARCHAR,
  is_headquarters BOOLEAN,
  load_id BIGINT
);

-- users: Partner users with their roles and, for location-scoped roles, their location MPN IDs
CREATE TABLE users (
  partner_id VARCHAR NOT NULL,
  user_id VARCHAR,
  email VARCHAR,
  display_name VARCHAR,
  roles VARCHAR,
  location_mpn_ids VARCHAR,
  load_id BIGINT
);

-- resellers: Indirect resellers of an indirect provider, with MPN ID and status
CREATE TABLE resellers (
  partner_id VARCHAR NOT NULL,
  reseller_mpn_id VARCHAR,
  name VARCHAR,
  country VARCHAR,
  status VARCHAR,
  relationship_start_date DATE,
  load_id BIGINT
);

-- customers: Customer list export (Microsoft ID, company name, primary domain, relationship) with country, segment, location and reseller
CREATE TABLE customers (
  partner_id VARCHAR NOT NULL,
  customer_id VARCHAR,
  company_name VARCHAR,
  domain VARCHAR,
  relationship VARCHAR,
  country VARCHAR,
  segment VARCHAR,
  mpn_id VARCHAR,
  reseller_mpn_id VARCHAR,
  created_date DATE,
  load_id BIGINT
);

-- attributions: Customer-to-partner associations (CSP, DPOR, DAP, PAL, CPOR) per workload and period
CREATE TABLE attributions (
  partner_id VARCHAR NOT NULL,
  customer_id VARCHAR,
  attribution_type VARCHAR,
  mpn_id VARCHAR,
  workload VARCHAR,
  subscription_id VARCHAR,
  incentive VARCHAR,
  start_date DATE,
  end_date DATE,
  load_id BIGINT
);

-- customer-activity: Customer activity log export (date-time, affected customer, action, partner user)
CREATE TABLE customer_activity (
  partner_id VARCHAR NOT NULL,
  occurred_at TIMESTAMP,
  customer_id VARCHAR,
  customer_name VARCHAR,
  action VARCHAR,
  partner_user VARCHAR,
  load_id BIGINT
);

-- products: Catalog: products, SKUs and offers with product family, billing type and list price
CREATE TABLE products (
  partner_id VARCHAR NOT NULL,
  offer_id VARCHAR,
  product_id VARCHAR,
  sku_id VARCHAR,
  product_name VARCHAR,
  sku_name VARCHAR,
  offer_name VARCHAR,
  product_family VARCHAR,
  billing_type VARCHAR,
  unit_price DECIMAL(18,6),
  currency VARCHAR,
  publisher_name VARCHAR,
  is_trial_offer BOOLEAN,
  load_id BIGINT
);

-- subscriptions: Subscription export (ID, product, quantity, status, reseller) with offer, billing, term, trial and auto-renew fields
CREATE TABLE subscriptions (
  partner_id VARCHAR NOT NULL,
  subscription_id VARCHAR,
  friendly_name VARCHAR,
  quantity INTEGER,
  status VARCHAR,
  reseller_mpn_id VARCHAR,
  customer_id VARCHAR,
  mpn_id VARCHAR,
  offer_id VARCHAR,
  billing_type VARCHAR,
  billing_frequency VARCHAR,
  unit_price DECIMAL(18,6),
  currency VARCHAR,
  created_date DATE,
  term_start_date DATE,
  term_end_date DATE,
  auto_renew BOOLEAN,
  is_trial BOOLEAN,
  trial_start_date DATE,
  trial_end_date DATE,
  suspended_date DATE,
  canceled_date DATE,
  budget_amount DECIMAL(18,6),
  load_id BIGINT
);

-- subscription-events: Subscription history: purchase, quantity change, suspend, reactivate, cancel, renew, trial conversion
CREATE TABLE subscription_events (
  partner_id VARCHAR NOT NULL,
  event_id VARCHAR,
  subscription_id VARCHAR,
  event_date DATE,
  event_type VARCHAR,
  quantity_before INTEGER,
  quantity_after INTEGER,
  detail VARCHAR,
  actor VARCHAR,
  load_id BIGINT
);

-- license-usage: Monthly license telemetry per customer and SKU: purchased, assigned, active in the last 28 days
CREATE TABLE license_usage (
  partner_id VARCHAR NOT NULL,
  month DATE,
  customer_id VARCHAR,
  subscription_id VARCHAR,
  product_family VARCHAR,
  sku_name VARCHAR,
  licenses_purchased INTEGER,
  licenses_assigned INTEGER,
  active_users_28d INTEGER,
  load_id BIGINT
);

-- monthly-active-users: Monthly active users per customer tenant and workload
CREATE TABLE monthly_active_users (
  partner_id VARCHAR NOT NULL,
  month DATE,
  customer_id VARCHAR,
  workload VARCHAR,
  active_users INTEGER,
  load_id BIGINT
);

-- referrals: Referrals with direction, source, type, solution, status, deal value and the timestamp of each stage
CREATE TABLE referrals (
  partner_id VARCHAR NOT NULL,
  referral_id VARCHAR,
  mpn_id VARCHAR,
  engagement_name VARCHAR,
  direction VARCHAR,
  source VARCHAR,
  referral_type VARCHAR,
  solution VARCHAR,
  customer_id VARCHAR,
  customer_name VARCHAR,
  customer_country VARCHAR,
  status VARCHAR,
  deal_value DECIMAL(18,6),
  currency VARCHAR,
  deal_value_usd DECIMAL(18,6),
  purchase_time_frame VARCHAR,
  crm_id VARCHAR,
  notes VARCHAR,
  decline_reason VARCHAR,
  created_at TIMESTAMP,
  accepted_at TIMESTAMP,
  declined_at TIMESTAMP,
  won_at TIMESTAMP,
  lost_at TIMESTAMP,
  expired_at TIMESTAMP,
  load_id BIGINT
);

-- referral-contacts: Contacts on a referral (customer contacts and the partner people working the engagement)
CREATE TABLE referral_contacts (
  partner_id VARCHAR NOT NULL,
  referral_id VARCHAR,
  side VARCHAR,
  first_name VARCHAR,
  last_name VARCHAR,
  email VARCHAR,
  phone VARCHAR,
  load_id BIGINT
);

-- deal-registrations: Deal registrations with customer, solution, contract type and values, deployment and contract dates
CREATE TABLE deal_registrations (
  partner_id VARCHAR NOT NULL,
  registration_id VARCHAR,
  referral_id VARCHAR,
  company_name VARCHAR,
  country VARCHAR,
  city VARCHAR,
  state_province VARCHAR,
  solution VARCHAR,
  contract_type VARCHAR,
  total_contract_value DECIMAL(18,6),
  solution_value DECIMAL(18,6),
  currency VARCHAR,
  deployed_on VARCHAR,
  deployment_tenant VARCHAR,
  contract_start_date DATE,
  contract_end_date DATE,
  contract_signed_date DATE,
  contact_first_name VARCHAR,
  contact_last_name VARCHAR,
  contact_phone VARCHAR,
  contact_email VARCHAR,
  status VARCHAR,
  registered_at TIMESTAMP,
  load_id BIGINT
);

-- certifications: Certifications and passed exams of individuals, per location (MB-200, MB-210, MB-300, MB-400, ...)
CREATE TABLE certifications (
  partner_id VARCHAR NOT NULL,
  mpn_id VARCHAR,
  individual_id VARCHAR,
  individual_name VARCHAR,
  email VARCHAR,
  credential_type VARCHAR,
  credential_code VARCHAR,
  credential_name VARCHAR,
  achieved_date DATE,
  expiry_date DATE,
  load_id BIGINT
);

-- invoices: Invoice summaries, one row per invoice (fields of the Partner Center invoice PDF)
CREATE TABLE invoices (
  invoice_number VARCHAR,
  partner_id VARCHAR NOT NULL,
  invoice_date DATE,
  billing_period_start DATE,
  billing_period_end DATE,
  invoice_type VARCHAR,
  currency VARCHAR,
  license_based_charges DECIMAL(18,6),
  usage_based_charges DECIMAL(18,6),
  one_time_charges DECIMAL(18,6),
  discounts DECIMAL(18,6),
  credits DECIMAL(18,6),
  subtotal DECIMAL(18,6),
  tax DECIMAL(18,6),
  other_credits DECIMAL(18,6),
  total_current_charges DECIMAL(18,6),
  payment_terms_days INTEGER,
  payment_due_date DATE,
  load_id BIGINT
);

-- fx-rates: Exchange rates (pricing currency to billing currency) by day
CREATE TABLE fx_rates (
  partner_id VARCHAR NOT NULL,
  rate_date DATE,
  from_currency VARCHAR,
  to_currency VARCHAR,
  rate DECIMAL(18,6),
  load_id BIGINT
);

-- license-recon: License-based reconciliation file (Office 365, Dynamics 365 and other seat-based offers)
CREATE TABLE billing_license_lines (
  invoice_number VARCHAR,
  partner_id VARCHAR NOT NULL,
  customer_id VARCHAR,
  customer_name VARCHAR,
  mpn_id VARCHAR,
  reseller_mpn_id VARCHAR,
  order_id VARCHAR,
  subscription_id VARCHAR,
  syndication_partner_subscription_number VARCHAR,
  offer_id VARCHAR,
  durable_offer_id VARCHAR,
  offer_name VARCHAR,
  subscription_start_date DATE,
  subscription_end_date DATE,
  charge_start_date DATE,
  charge_end_date DATE,
  charge_type VARCHAR,
  unit_price DECIMAL(18,6),
  quantity INTEGER,
  amount DECIMAL(18,6),
  total_other_discount DECIMAL(18,6),
  subtotal DECIMAL(18,6),
  tax DECIMAL(18,6),
  total_for_customer DECIMAL(18,6),
  currency VARCHAR,
  domain_name VARCHAR,
  subscription_name VARCHAR,
  subscription_description VARCHAR,
  billing_cycle_type VARCHAR,
  load_id BIGINT
);

-- daily-usage-recon: Daily-rated usage reconciliation file (Azure plan and other metered usage, one row per meter per day)
CREATE TABLE billing_usage_lines (
  partner_id VARCHAR NOT NULL,
  partner_name VARCHAR,
  ${RECON_CUSTOMER},
  mpn_id VARCHAR,
  tier2_mpn_id VARCHAR,
  invoice_number VARCHAR,
  ${RECON_PRODUCT},
  ${RECON_SUBSCRIPTION},
  usage_date DATE,
  meter_type VARCHAR,
  meter_category VARCHAR,
  meter_id VARCHAR,
  meter_sub_category VARCHAR,
  meter_name VARCHAR,
  meter_region VARCHAR,
  unit VARCHAR,
  resource_location VARCHAR,
  consumed_service VARCHAR,
  resource_group VARCHAR,
  resource_uri VARCHAR,
  charge_type VARCHAR,
  unit_price DECIMAL(18,6),
  quantity DECIMAL(18,6),
  unit_type VARCHAR,
  billing_pre_tax_total DECIMAL(18,6),
  billing_currency VARCHAR,
  pricing_pre_tax_total DECIMAL(18,6),
  pricing_currency VARCHAR,
  service_info1 VARCHAR,
  service_info2 VARCHAR,
  tags VARCHAR,
  additional_info VARCHAR,
  effective_unit_price DECIMAL(18,6),
  pc_to_bc_exchange_rate DECIMAL(18,6),
  pc_to_bc_exchange_rate_date DATE,
  entitlement_id VARCHAR,
  entitlement_description VARCHAR,
  partner_earned_credit_percentage DECIMAL(18,6),
  credit_percentage DECIMAL(18,6),
  credit_type VARCHAR,
  benefit_order_id VARCHAR,
  benefit_id VARCHAR,
  benefit_type VARCHAR,
  load_id BIGINT
);

-- onetime-recon: One-time and recurring (new commerce) invoice reconciliation file: Azure RI, Marketplace, Azure plan, SaaS
CREATE TABLE billing_onetime_lines (
  partner_id VARCHAR NOT NULL,
  ${RECON_CUSTOMER},
  invoice_number VARCHAR,
  mpn_id VARCHAR,
  reseller_mpn_id VARCHAR,
  order_id VARCHAR,
  order_date DATE,
  ${RECON_PRODUCT},
  charge_type VARCHAR,
  unit_price DECIMAL(18,6),
  quantity DECIMAL(18,6),
  subtotal DECIMAL(18,6),
  tax_total DECIMAL(18,6),
  total DECIMAL(18,6),
  currency VARCHAR,
  price_adjustment_description VARCHAR,
  ${RECON_SUBSCRIPTION},
  term_and_billing_cycle VARCHAR,
  effective_unit_price DECIMAL(18,6),
  unit_type VARCHAR,
  alternate_id VARCHAR,
  billable_quantity DECIMAL(18,6),
  billing_frequency VARCHAR,
  pricing_currency VARCHAR,
  pc_to_bc_exchange_rate DECIMAL(18,6),
  pc_to_bc_exchange_rate_date DATE,
  meter_description VARCHAR,
  reservation_order_id VARCHAR,
  credit_reason_code VARCHAR,
  subscription_start_date DATE,
  subscription_end_date DATE,
  reference_id VARCHAR,
  product_qualifiers VARCHAR,
  promotion_id VARCHAR,
  load_id BIGINT
);

-- ETL manifest: one row per file the loader was given, whatever became of it.
CREATE SEQUENCE etl_load_seq START 1;
CREATE TABLE etl_loads (
  load_id BIGINT PRIMARY KEY,
  file_path VARCHAR NOT NULL,
  file_name VARCHAR NOT NULL,
  file_format VARCHAR,
  content_hash VARCHAR NOT NULL,
  size_bytes BIGINT NOT NULL,
  status VARCHAR NOT NULL,            -- loaded | rejected | superseded
  rows_loaded BIGINT NOT NULL DEFAULT 0,
  rows_quarantined BIGINT NOT NULL DEFAULT 0,
  rows_replaced BIGINT NOT NULL DEFAULT 0,
  partner_ids VARCHAR[],
  detected VARCHAR,                   -- what the sniffer found: delimiter, decimal separator, date order
  message VARCHAR,
  started_at TIMESTAMP NOT NULL,
  finished_at TIMESTAMP
);

-- Rows that could not be loaded, with where and why. Kept for files that loaded and files rejected.
CREATE TABLE etl_quarantine (
  load_id BIGINT NOT NULL,
  partner_id VARCHAR,
  file_name VARCHAR NOT NULL,
  line_number BIGINT,
  column_name VARCHAR,
  value VARCHAR,
  reason VARCHAR NOT NULL,
  raw_line VARCHAR
);

-- Charge lines the billing rules expect for a subscription's history (warehouse/billing).
CREATE TABLE expected_charges (
  partner_id VARCHAR NOT NULL,
  subscription_id VARCHAR NOT NULL,
  customer_id VARCHAR,
  invoice_date DATE NOT NULL,
  charge_start_date DATE NOT NULL,
  charge_end_date DATE NOT NULL,
  charge_type VARCHAR NOT NULL,
  unit_price DECIMAL(18,6) NOT NULL,
  quantity INTEGER NOT NULL,
  amount DECIMAL(18,6) NOT NULL,
  currency VARCHAR,
  source_event_id VARCHAR,
  computed_at TIMESTAMP NOT NULL DEFAULT current_timestamp
);
`;
