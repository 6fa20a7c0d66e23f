/**
 * The monthly facts the Insights metrics are measured over. Each fact is one SQL source giving one
 * row per (thing, month) with the same dimension columns, so a metric is a measure (an aggregate
 * expression) over a fact and every filter and split works alike on every fact:
 *
 *   partner_id, month (DATE, first of month), customer_id, subscription_id,
 *   mpn_id          partner location (MPN ID) the row belongs to: scoping and the location filter
 *   country         customer market (customers.country; usage lines' CustomerCountry as a fallback)
 *   segment         customer segment
 *   sales_channel   'Indirect reseller' when the subscription's (else the customer's) reseller MPN ID
 *                   is one of the partner's resellers, else 'Direct'
 *   product_family, sku   from the product catalog (offer id); license telemetry carries its own
 *   state           subscription state at the end of the month (subscription facts only); split and
 *                   filtered as the documented state distribution (state_group: Others for the rest)
 *   meter_category  Azure meter category (usage facts only)
 *   reseller_mpn_id the indirect reseller (subscription facts only; NULL for direct sales)
 *
 * Report SQL reads rollups (insights_subscription_months, insights_usage_monthly), license_usage
 * and the small dimension tables; never billing_usage_lines.
 */
export type FactName = 'subscription' | 'azureSubscription' | 'customer' | 'license' | 'licenseEvent' | 'usage' | 'referral' | 'reseller';

export const DIMENSIONS = ['country', 'segment', 'location', 'salesChannel', 'attributionType', 'productFamily', 'sku', 'state', 'meterCategory', 'reseller'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/** Column of a fact row per dimension (attributionType is joined from attributions by customer). */
export const DIMENSION_COLUMN: Record<Exclude<Dimension, 'attributionType'>, string> = {
  country: 'country',
  segment: 'segment',
  location: 'mpn_id',
  salesChannel: 'sales_channel',
  productFamily: 'product_family',
  sku: 'sku',
  state: 'state_group',
  meterCategory: 'meter_category',
  reseller: 'reseller_mpn_id',
};

const RESELLERS = `(SELECT DISTINCT partner_id, reseller_mpn_id FROM resellers)`;
/** Each offer's product family and SKU name (the catalog may list an offer more than once). */
export const PRODUCT_BY_OFFER = `(SELECT partner_id, offer_id, any_value(product_family) AS product_family, any_value(sku_name) AS sku_name FROM products GROUP BY ALL)`;

/**
 * The subscription states of the "Subscription state distribution": Active, Disabled, Deprovisioned,
 * Open, InGracePeriod, Closed, and Others (here: Suspended, Expired).
 */
export const DOCUMENTED_STATES = ['Active', 'Disabled', 'Deprovisioned', 'Open', 'InGracePeriod', 'Closed'] as const;
const STATE_GROUP = `CASE WHEN sm.state IN (${DOCUMENTED_STATES.map((s) => `'${s}'`).join(', ')}) THEN sm.state ELSE 'Others' END`;

/** Subscription months: state, added, churned and telemetry-measured activity of each subscription. */
const SUBSCRIPTION_FACT = `
  SELECT sm.partner_id, sm.month, s.customer_id, sm.subscription_id, s.mpn_id, c.country, c.segment,
         CASE WHEN r.reseller_mpn_id IS NOT NULL THEN 'Indirect reseller' ELSE 'Direct' END AS sales_channel,
         p.product_family, p.sku_name AS sku, sm.state, NULL::VARCHAR AS meter_category,
         ${STATE_GROUP} AS state_group,
         sm.is_new, sm.churned, sm.trial_converted, sm.renewed, coalesce(s.is_trial, FALSE) AS is_trial,
         r.reseller_mpn_id,
         (lu.subscription_id IS NOT NULL OR um.subscription_id IS NOT NULL) AS active_usage
  FROM insights_subscription_months sm
  JOIN subscriptions s ON s.partner_id = sm.partner_id AND s.subscription_id = sm.subscription_id
  LEFT JOIN customers c ON c.partner_id = s.partner_id AND c.customer_id = s.customer_id
  LEFT JOIN ${PRODUCT_BY_OFFER} p ON p.partner_id = s.partner_id AND p.offer_id = s.offer_id
  LEFT JOIN ${RESELLERS} r ON r.partner_id = s.partner_id AND r.reseller_mpn_id = s.reseller_mpn_id
  LEFT JOIN (SELECT DISTINCT partner_id, subscription_id, month FROM license_usage WHERE active_users_28d > 0) lu
    ON lu.partner_id = sm.partner_id AND lu.subscription_id = sm.subscription_id AND lu.month = sm.month
  LEFT JOIN (SELECT DISTINCT partner_id, subscription_id, month FROM insights_usage_monthly WHERE line_count > 0) um
    ON um.partner_id = sm.partner_id AND um.subscription_id = sm.subscription_id AND um.month = sm.month`;

/**
 * The subscription months of Azure subscriptions (product family Azure), with `held`: the
 * subscription is held at month end (any state but Deprovisioned or Expired). The Azure usage
 * analytics page counts customers with and without usage among these.
 */
const AZURE_SUBSCRIPTION_FACT = `
  SELECT f.*, f.state NOT IN ('Deprovisioned', 'Expired') AS held
  FROM (${SUBSCRIPTION_FACT}) f
  WHERE f.product_family = 'Azure'`;

/** License telemetry (license_usage) per customer, subscription, SKU and month. */
const LICENSE_FACT = `
  SELECT lu.partner_id, lu.month, lu.customer_id, lu.subscription_id, coalesce(s.mpn_id, c.mpn_id) AS mpn_id, c.country, c.segment,
         CASE WHEN r.reseller_mpn_id IS NOT NULL THEN 'Indirect reseller' ELSE 'Direct' END AS sales_channel,
         lu.product_family, lu.sku_name AS sku, NULL::VARCHAR AS state, NULL::VARCHAR AS meter_category,
         lu.licenses_purchased, lu.licenses_assigned, lu.active_users_28d
  FROM license_usage lu
  LEFT JOIN subscriptions s ON s.partner_id = lu.partner_id AND s.subscription_id = lu.subscription_id
  LEFT JOIN customers c ON c.partner_id = lu.partner_id AND c.customer_id = lu.customer_id
  LEFT JOIN ${RESELLERS} r ON r.partner_id = lu.partner_id AND r.reseller_mpn_id = coalesce(s.reseller_mpn_id, c.reseller_mpn_id)`;

/**
 * License changes from the subscription history: per event of a License-billed, non-trial
 * subscription, licenses_added = the quantity added by a Purchase, QuantityChange or
 * TrialConversion (quantity after minus before, when positive).
 */
const LICENSE_EVENT_FACT = `
  SELECT e.partner_id, date_trunc('month', e.event_date)::DATE AS month, s.customer_id, e.subscription_id, s.mpn_id, c.country, c.segment,
         CASE WHEN r.reseller_mpn_id IS NOT NULL THEN 'Indirect reseller' ELSE 'Direct' END AS sales_channel,
         p.product_family, p.sku_name AS sku, NULL::VARCHAR AS state, NULL::VARCHAR AS meter_category,
         CASE WHEN e.event_type IN ('Purchase', 'QuantityChange', 'TrialConversion')
              THEN greatest(coalesce(e.quantity_after, 0) - coalesce(e.quantity_before, 0), 0) ELSE 0 END AS licenses_added
  FROM subscription_events e
  JOIN subscriptions s ON s.partner_id = e.partner_id AND s.subscription_id = e.subscription_id
  LEFT JOIN customers c ON c.partner_id = s.partner_id AND c.customer_id = s.customer_id
  LEFT JOIN ${PRODUCT_BY_OFFER} p ON p.partner_id = s.partner_id AND p.offer_id = s.offer_id
  LEFT JOIN ${RESELLERS} r ON r.partner_id = s.partner_id AND r.reseller_mpn_id = s.reseller_mpn_id
  WHERE s.billing_type = 'License' AND NOT coalesce(s.is_trial, FALSE) AND e.event_date IS NOT NULL`;

/** Azure usage rollup: ACR (USD) and quantity per subscription, meter category and month. */
const USAGE_FACT = `
  SELECT um.partner_id, um.month, um.customer_id, um.subscription_id, um.mpn_id, coalesce(c.country, um.customer_country) AS country, c.segment,
         CASE WHEN r.reseller_mpn_id IS NOT NULL THEN 'Indirect reseller' ELSE 'Direct' END AS sales_channel,
         'Azure' AS product_family, p.sku_name AS sku, NULL::VARCHAR AS state, um.meter_category,
         um.acr_usd, um.quantity, um.line_count
  FROM insights_usage_monthly um
  LEFT JOIN subscriptions s ON s.partner_id = um.partner_id AND s.subscription_id = um.subscription_id
  LEFT JOIN customers c ON c.partner_id = um.partner_id AND c.customer_id = um.customer_id
  LEFT JOIN ${PRODUCT_BY_OFFER} p ON p.partner_id = s.partner_id AND p.offer_id = s.offer_id
  LEFT JOIN ${RESELLERS} r ON r.partner_id = um.partner_id AND r.reseller_mpn_id = coalesce(s.reseller_mpn_id, c.reseller_mpn_id)`;

/**
 * Referrals (Referral insights): one row per referral in the month it was created. country = the
 * referral's customer country (the page's "markets"), mpn_id = the referral's location, segment from
 * the customer when the referral names one; the subscription/product/state/meter columns do not
 * apply (NULL). Referral columns: referral_id, direction, source, referral_type, solution, status
 * (as stored), is_won, deal_value_usd, created_at. The summary metrics (referrals, won, won deal
 * volume) do not depend on the 14-day expiry rule (it only turns New into Expired), so the fact
 * needs no clock; sections that do (status, pending) use effectiveReferrals(now).
 */
const REFERRAL_FACT = `
  SELECT r.partner_id, date_trunc('month', r.created_at)::DATE AS month, r.customer_id, NULL::VARCHAR AS subscription_id, r.mpn_id,
         r.customer_country AS country, c.segment, NULL::VARCHAR AS sales_channel,
         NULL::VARCHAR AS product_family, NULL::VARCHAR AS sku, NULL::VARCHAR AS state, NULL::VARCHAR AS meter_category,
         NULL::VARCHAR AS state_group, NULL::VARCHAR AS reseller_mpn_id,
         r.referral_id, r.direction, r.source, r.referral_type, r.solution, r.status, (r.status = 'Won') AS is_won,
         r.deal_value_usd, r.created_at
  FROM referrals r
  LEFT JOIN customers c ON c.partner_id = r.partner_id AND c.customer_id = r.customer_id`;

/**
 * Indirect resellers (reseller analytics): one row per reseller, location and month of data (the
 * partner's subscription months) from the month its relationship started. mpn_id = a location of
 * the reseller's customers (as warehouse/accounts/resellers.ts scopes resellers; NULL without
 * customers), so a location-scoped caller counts the resellers of its locations' customers (the
 * measures are distinct counts). country = the reseller's market; sales_channel is 'Indirect
 * reseller'; the customer, product and state columns do not apply (NULL: a filter on them keeps no
 * reseller). status is the reseller's status now (the file has no history), start_month the month
 * its relationship started.
 */
const RESELLER_FACT = `
  SELECT r.partner_id, m.month, NULL::VARCHAR AS customer_id, NULL::VARCHAR AS subscription_id, x.mpn_id,
         r.country, NULL::VARCHAR AS segment, 'Indirect reseller' AS sales_channel,
         NULL::VARCHAR AS product_family, NULL::VARCHAR AS sku, NULL::VARCHAR AS state, NULL::VARCHAR AS meter_category,
         NULL::VARCHAR AS state_group, r.reseller_mpn_id, r.status, date_trunc('month', r.relationship_start_date)::DATE AS start_month
  FROM (SELECT partner_id, reseller_mpn_id, any_value(country) AS country, any_value(status) AS status, min(relationship_start_date) AS relationship_start_date
        FROM resellers GROUP BY partner_id, reseller_mpn_id) r
  JOIN (SELECT DISTINCT partner_id, month FROM insights_subscription_months) m
    ON m.partner_id = r.partner_id AND (r.relationship_start_date IS NULL OR m.month >= date_trunc('month', r.relationship_start_date))
  LEFT JOIN (SELECT DISTINCT partner_id, reseller_mpn_id, mpn_id FROM customers WHERE reseller_mpn_id IS NOT NULL) x
    ON x.partner_id = r.partner_id AND x.reseller_mpn_id = r.reseller_mpn_id`;

/**
 * The pre-aggregated rollup a fact's metrics read when they can (cubes.ts): 'cube' = the fact's rows
 * summed per dimension values (scope, filters and splits work on its columns as on the fact's; an
 * attribution type split reads its by_attribution rows); 'customerCounts' = customers already
 * counted per variant and split (insights_customer_counts).
 */
export interface FactRollup {
  table: string;
  kind: 'cube' | 'customerCounts';
  /**
   * The cube keeps customer_id: an attribution type filter (customers with any of the types) works
   * on its rows as on the fact's.
   */
  customerGrain?: boolean;
}

export interface FactDefinition {
  /** SQL giving the fact rows (before scope, filters and split). */
  source: string;
  /** Read instead of `source` by metrics with a rollupMeasure, when the request allows (compile.ts). */
  rollup?: FactRollup;
  /**
   * Customer facts are derived from subscription rows after filters and split: per (customer,
   * split value, month) `counted` (at least one subscription in state Active at month end),
   * `prev_counted` (the same a month earlier) and `active_usage` (any subscription with telemetry).
   */
  perCustomer?: boolean;
  dimensions: readonly Dimension[];
}

export const FACTS: Record<FactName, FactDefinition> = {
  subscription: {
    rollup: { table: 'insights_subscription_cube', kind: 'cube' },
    source: SUBSCRIPTION_FACT,
    dimensions: ['country', 'segment', 'location', 'salesChannel', 'attributionType', 'productFamily', 'sku', 'state', 'reseller'],
  },
  azureSubscription: {
    rollup: { table: 'insights_azure_customer_cube', kind: 'cube', customerGrain: true },
    source: AZURE_SUBSCRIPTION_FACT,
    dimensions: ['country', 'segment', 'location', 'salesChannel', 'attributionType', 'productFamily', 'sku', 'state', 'reseller'],
  },
  customer: {
    rollup: { table: 'insights_customer_counts', kind: 'customerCounts' },
    source: SUBSCRIPTION_FACT,
    perCustomer: true,
    dimensions: ['country', 'segment', 'location', 'salesChannel', 'attributionType', 'productFamily', 'sku'],
  },
  license: {
    rollup: { table: 'insights_license_cube', kind: 'cube' },
    source: LICENSE_FACT,
    dimensions: ['country', 'segment', 'location', 'salesChannel', 'attributionType', 'productFamily', 'sku'],
  },
  licenseEvent: {
    rollup: { table: 'insights_license_event_cube', kind: 'cube' },
    source: LICENSE_EVENT_FACT,
    dimensions: ['country', 'segment', 'location', 'salesChannel', 'attributionType', 'productFamily', 'sku'],
  },
  usage: {
    rollup: { table: 'insights_usage_cube', kind: 'cube' },
    source: USAGE_FACT,
    dimensions: ['country', 'segment', 'location', 'salesChannel', 'attributionType', 'meterCategory'],
  },
  referral: {
    source: REFERRAL_FACT,
    dimensions: ['country', 'location'],
  },
  reseller: {
    source: RESELLER_FACT,
    dimensions: ['country', 'location'],
  },
};
