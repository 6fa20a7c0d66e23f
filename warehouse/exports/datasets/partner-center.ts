import { inCallerLocations, scope } from '../../../core/scope';
import { sql } from '../../../core/sql';
import { now } from '../../clock';
import { PRODUCT_BY_OFFER } from '../../insights/facts';
import { TRAINING_TYPES } from '../../insights/trainings';
import { effectiveReferrals } from '../../referrals/referrals';
import { columns, REPORT_RANGES, type Dataset, type DatasetContext } from '../dataset';
import { filterConditions, monthBounds, monthGrid } from '../filters';

/**
 * The reports of Partner Center's "Download reports" hub (reference line 16858), built from the
 * warehouse. Monthly ones have one row per entity and month of the chosen timeframe ("aggregated on
 * a monthly basis"); partner profile is a snapshot ("no aggregation or lookback"). Column names are
 * PascalCase like Partner Center's own files.
 */

const CUSTOMER_FILTERS = { customerCountries: 'c.country', segments: 'c.segment', locationMpnIds: 'c.mpn_id' } as const;

/** Customers of the caller's partner and locations, as `c`. */
const scopedCustomers = (ctx: DatasetContext) =>
  sql`(SELECT * FROM customers c WHERE ${scope(ctx.caller, 'c', 'c.mpn_id')} AND ${filterConditions(ctx.filters, CUSTOMER_FILTERS)})`;

export const partnerProfile: Dataset = {
  name: 'partner-profile',
  title: 'Partner profile',
  description: 'The partner global account and its locations (one row per location): ids, names, country, market. A snapshot: no timeframe.',
  timeframe: { kind: 'none' },
  permissions: ['downloadReports'],
  contains: [],
  filters: { locationMpnIds: 'l.mpn_id' },
  columns: columns([
    ['PartnerId', 'VARCHAR', 'Partner global account id (the tenant)'],
    ['PartnerName', 'VARCHAR', 'Legal name of the partner'],
    ['GlobalMpnId', 'VARCHAR', 'Global MPN ID (PGA)'],
    ['PartnerType', 'VARCHAR', 'CSP model (direct bill partner, indirect provider)'],
    ['PartnerCountry', 'VARCHAR', 'Country of the partner global account'],
    ['LocationMpnId', 'VARCHAR', 'MPN ID of the location'],
    ['LocationName', 'VARCHAR', 'Name of the location'],
    ['LocationCountry', 'VARCHAR', 'Country of the location'],
    ['Market', 'VARCHAR', 'Developed or Developing market of the location'],
    ['IsHeadquarters', 'BOOLEAN', 'The location is the headquarters'],
  ]),
  reads: ['partners', 'locations'],
  query: (ctx) => sql`
    SELECT p.partner_id AS PartnerId, p.name AS PartnerName, p.global_mpn_id AS GlobalMpnId, p.partner_type AS PartnerType,
           p.country AS PartnerCountry, l.mpn_id AS LocationMpnId, l.name AS LocationName, l.country AS LocationCountry,
           l.market AS Market, l.is_headquarters AS IsHeadquarters
    FROM partners p JOIN locations l ON l.partner_id = p.partner_id
    WHERE ${scope(ctx.caller, 'p', null)} AND ${inCallerLocations(ctx.caller, 'l.mpn_id')} AND ${filterConditions(ctx.filters, partnerProfile.filters)}
    ORDER BY l.is_headquarters DESC, l.mpn_id`,
};

export const customerDetails: Dataset = {
  name: 'customer-details',
  title: 'Customer details',
  description:
    'Every customer of the partner for each month of the timeframe it existed in: profile, active subscriptions, licenses sold (purchased seats from license telemetry) and Azure consumed revenue (ACR, USD).',
  timeframe: { kind: 'monthly', ranges: REPORT_RANGES },
  permissions: ['downloadReports', 'seeRevenue'],
  contains: ['revenue'],
  filters: CUSTOMER_FILTERS,
  columns: columns([
    ['Month', 'DATE', 'First day of the month'],
    ['CustomerId', 'VARCHAR', 'Microsoft ID of the customer tenant'],
    ['CustomerName', 'VARCHAR', 'Company name'],
    ['CustomerDomain', 'VARCHAR', 'Primary domain name'],
    ['CustomerCountry', 'VARCHAR', 'Customer country (market)'],
    ['Segment', 'VARCHAR', 'Customer segment'],
    ['LocationMpnId', 'VARCHAR', 'Partner location (MPN ID) the customer belongs to'],
    ['ResellerMpnId', 'VARCHAR', 'Indirect reseller MPN ID; empty for a direct customer'],
    ['CreatedDate', 'DATE', 'Date the customer relationship started'],
    ['ActiveSubscriptions', 'BIGINT', 'Subscriptions in state Active at the end of the month'],
    ['LicensesSold', 'BIGINT', 'Purchased seats (license telemetry) in the month'],
    ['AcrUsd', 'DECIMAL(18,6)', 'Azure consumed revenue of the month, USD, pre-tax'],
  ]),
  reads: ['customers', 'insights_subscription_months', 'subscriptions', 'license_usage', 'insights_usage_monthly'],
  query: (ctx) => {
    const { from, until } = monthBounds(ctx.range);
    return sql`
    WITH c AS ${scopedCustomers(ctx)},
    subs AS (SELECT s.customer_id, sm.month, count(*) FILTER (WHERE sm.state = 'Active') AS active
             FROM insights_subscription_months sm JOIN subscriptions s ON s.partner_id = sm.partner_id AND s.subscription_id = sm.subscription_id
             WHERE ${scope(ctx.caller, 's', 's.mpn_id')} AND sm.month >= ${from} AND sm.month < ${until} GROUP BY ALL),
    lic AS (SELECT lu.customer_id, lu.month, sum(lu.licenses_purchased) AS seats FROM license_usage lu
            WHERE ${scope(ctx.caller, 'lu', null)} AND lu.month >= ${from} AND lu.month < ${until} GROUP BY ALL),
    acr AS (SELECT u.customer_id, u.month, sum(u.acr_usd) AS acr FROM insights_usage_monthly u
            WHERE ${scope(ctx.caller, 'u', 'u.mpn_id')} AND u.month >= ${from} AND u.month < ${until} GROUP BY ALL)
    SELECT m.month AS Month, c.customer_id AS CustomerId, c.company_name AS CustomerName, c.domain AS CustomerDomain,
           c.country AS CustomerCountry, c.segment AS Segment, c.mpn_id AS LocationMpnId, c.reseller_mpn_id AS ResellerMpnId,
           c.created_date AS CreatedDate, coalesce(subs.active, 0)::BIGINT AS ActiveSubscriptions,
           coalesce(lic.seats, 0)::BIGINT AS LicensesSold, coalesce(acr.acr, 0)::DECIMAL(18,6) AS AcrUsd
    FROM c CROSS JOIN ${monthGrid(ctx.range)} m
    LEFT JOIN subs ON subs.customer_id = c.customer_id AND subs.month = m.month
    LEFT JOIN lic ON lic.customer_id = c.customer_id AND lic.month = m.month
    LEFT JOIN acr ON acr.customer_id = c.customer_id AND acr.month = m.month
    WHERE c.created_date IS NULL OR c.created_date < (m.month + INTERVAL 1 MONTH)
    ORDER BY Month, CustomerId`;
  },
};

export const subscriptionDetails: Dataset = {
  name: 'subscription-details',
  title: 'Subscriptions details',
  description:
    'Every subscription sold or managed by the partner, with its customer, for each month of the timeframe it existed in: state at the end of the month, whether it was added, churned, converted from trial or renewed that month, quantity and price.',
  timeframe: { kind: 'monthly', ranges: REPORT_RANGES },
  permissions: ['downloadReports', 'seeRevenue'],
  contains: ['revenue'],
  filters: { ...CUSTOMER_FILTERS, productFamilies: 'p.product_family' },
  columns: columns([
    ['Month', 'DATE', 'First day of the month'],
    ['SubscriptionId', 'VARCHAR', 'Subscription ID (Partner Center, SyndicationPartnerSubscriptionNumber in recon files)'],
    ['FriendlyName', 'VARCHAR', 'Subscription nickname'],
    ['CustomerId', 'VARCHAR', 'Microsoft ID of the customer tenant'],
    ['CustomerName', 'VARCHAR', 'Company name'],
    ['CustomerCountry', 'VARCHAR', 'Customer country (market)'],
    ['LocationMpnId', 'VARCHAR', 'Partner location (MPN ID)'],
    ['ResellerMpnId', 'VARCHAR', 'Indirect reseller MPN ID of the subscription; empty for a direct sale'],
    ['OfferId', 'VARCHAR', 'Offer ID from the price list'],
    ['ProductFamily', 'VARCHAR', 'Product family (Office 365, Azure, Dynamics 365 ...)'],
    ['SkuName', 'VARCHAR', 'SKU name'],
    ['BillingFrequency', 'VARCHAR', 'Monthly or annual billing'],
    ['State', 'VARCHAR', 'Subscription state at the end of the month'],
    ['IsNew', 'BOOLEAN', 'Added in the month'],
    ['Churned', 'BOOLEAN', 'Suspended or canceled in the month'],
    ['TrialConverted', 'BOOLEAN', 'Converted from trial in the month'],
    ['Renewed', 'BOOLEAN', 'Renewed in the month'],
    ['IsTrial', 'BOOLEAN', 'A trial subscription'],
    ['Quantity', 'INTEGER', 'Seats (current quantity)'],
    ['UnitPrice', 'DECIMAL(18,6)', 'Price per seat, in Currency'],
    ['Currency', 'VARCHAR', 'Currency of UnitPrice'],
    ['TermEndDate', 'DATE', 'End of the current term'],
  ]),
  reads: ['insights_subscription_months', 'subscriptions', 'customers', 'products'],
  query: (ctx) => {
    const { from, until } = monthBounds(ctx.range);
    return sql`
    SELECT sm.month AS Month, s.subscription_id AS SubscriptionId, s.friendly_name AS FriendlyName, s.customer_id AS CustomerId,
           c.company_name AS CustomerName, c.country AS CustomerCountry, s.mpn_id AS LocationMpnId, s.reseller_mpn_id AS ResellerMpnId,
           s.offer_id AS OfferId, p.product_family AS ProductFamily, p.sku_name AS SkuName, s.billing_frequency AS BillingFrequency,
           sm.state AS State, sm.is_new AS IsNew, sm.churned AS Churned, sm.trial_converted AS TrialConverted, sm.renewed AS Renewed,
           coalesce(s.is_trial, FALSE) AS IsTrial, s.quantity AS Quantity, s.unit_price AS UnitPrice, s.currency AS Currency,
           s.term_end_date AS TermEndDate
    FROM insights_subscription_months sm
    JOIN subscriptions s ON s.partner_id = sm.partner_id AND s.subscription_id = sm.subscription_id
    LEFT JOIN customers c ON c.partner_id = s.partner_id AND c.customer_id = s.customer_id
    LEFT JOIN ${sql.raw(PRODUCT_BY_OFFER)} p ON p.partner_id = s.partner_id AND p.offer_id = s.offer_id
    WHERE ${scope(ctx.caller, 's', 's.mpn_id')} AND sm.month >= ${from} AND sm.month < ${until}
      AND ${filterConditions(ctx.filters, subscriptionDetails.filters)}
    ORDER BY Month, SubscriptionId`;
  },
};

export const azureUsage: Dataset = {
  name: 'azure-usage',
  title: 'Azure usage',
  description:
    'Azure usage of the subscriptions sold or managed by the partner, by month, customer, subscription and meter category: quantity, ACR (USD, pre-tax) and the number of daily usage lines.',
  timeframe: { kind: 'monthly', ranges: REPORT_RANGES },
  permissions: ['downloadReports', 'seeRevenue'],
  contains: ['revenue'],
  filters: { customerCountries: 'u.customer_country', locationMpnIds: 'u.mpn_id' },
  columns: columns([
    ['Month', 'DATE', 'First day of the usage month'],
    ['CustomerId', 'VARCHAR', 'Microsoft ID of the customer tenant'],
    ['CustomerName', 'VARCHAR', 'Company name'],
    ['CustomerCountry', 'VARCHAR', 'Customer country (market)'],
    ['LocationMpnId', 'VARCHAR', 'Partner location (MPN ID)'],
    ['SubscriptionId', 'VARCHAR', 'Azure subscription (entitlement) of the usage'],
    ['MeterCategory', 'VARCHAR', 'Top-level Azure service of the usage'],
    ['Quantity', 'DECIMAL(18,6)', 'Consumed quantity, in the meters\' units'],
    ['AcrUsd', 'DECIMAL(18,6)', 'Azure consumed revenue, USD, pre-tax'],
    ['UsageLines', 'BIGINT', 'Daily-rated usage lines aggregated into the row'],
  ]),
  reads: ['insights_usage_monthly', 'customers'],
  query: (ctx) => {
    const { from, until } = monthBounds(ctx.range);
    return sql`
    SELECT u.month AS Month, u.customer_id AS CustomerId, any_value(c.company_name) AS CustomerName, u.customer_country AS CustomerCountry,
           u.mpn_id AS LocationMpnId, u.subscription_id AS SubscriptionId, u.meter_category AS MeterCategory,
           sum(u.quantity)::DECIMAL(18,6) AS Quantity, sum(u.acr_usd)::DECIMAL(18,6) AS AcrUsd, sum(u.line_count)::BIGINT AS UsageLines
    FROM insights_usage_monthly u
    LEFT JOIN customers c ON c.partner_id = u.partner_id AND c.customer_id = u.customer_id
    WHERE ${scope(ctx.caller, 'u', 'u.mpn_id')} AND u.month >= ${from} AND u.month < ${until} AND ${filterConditions(ctx.filters, azureUsage.filters)}
    GROUP BY u.month, u.customer_id, u.customer_country, u.mpn_id, u.subscription_id, u.meter_category
    ORDER BY Month, CustomerId, SubscriptionId, MeterCategory`;
  },
};

/** One "<product> - License usage" report: license telemetry of the product families given. */
function licenseUsage(name: string, title: string, families: readonly string[]): Dataset {
  const dataset: Dataset = {
    name,
    title,
    description: `Usage of ${families.join(' and ')} licenses sold or managed by the partner, by month, customer and SKU: active entitlements (used in the last 28 days), entitlements (assigned licenses), qualified entitlements (paid subscriptions), licenses sold, deployment and usage %.`,
    timeframe: { kind: 'monthly', ranges: REPORT_RANGES },
    permissions: ['downloadReports'],
    contains: [],
    filters: { ...CUSTOMER_FILTERS },
    reads: ['license_usage', 'customers', 'subscriptions'],
    columns: columns([
      ['Month', 'DATE', 'First day of the month'],
      ['CustomerId', 'VARCHAR', 'Microsoft ID of the customer tenant'],
      ['CustomerName', 'VARCHAR', 'Company name'],
      ['CustomerCountry', 'VARCHAR', 'Customer country (market)'],
      ['Segment', 'VARCHAR', 'Customer segment'],
      ['LocationMpnId', 'VARCHAR', 'Partner location (MPN ID) of the customer'],
      ['SubscriptionId', 'VARCHAR', 'Subscription the licenses belong to'],
      ['ProductFamily', 'VARCHAR', 'Product family'],
      ['SkuName', 'VARCHAR', 'SKU name'],
      ['ActiveEntitlements', 'INTEGER', 'Entitlements used for a task in the last 28 calendar days of the month (reference line 15319: "Active")'],
      ['AssignedLicenses', 'INTEGER', 'Licenses assigned to users: the entitlements (total entitlements)'],
      ['ActiveUsers28Days', 'INTEGER', 'Users active in the last 28 days of the month (the same figure as ActiveEntitlements, as the telemetry names it)'],
      ['LicensesPurchased', 'INTEGER', 'Licenses sold (purchased) at the end of the month'],
      ['QualifiedEntitlements', 'INTEGER', 'Entitlements of paid subscriptions (trial subscriptions left out)'],
      ['DeploymentPercent', 'DOUBLE', 'Deployment % = assigned licenses / sold licenses × 100, 2 decimals; empty when none sold'],
      ['UsagePercent', 'DOUBLE', 'Usage % = active entitlements / total entitlements × 100, 2 decimals; empty when none assigned (may exceed 100)'],
    ]),
    query: (ctx) => {
      const { from, until } = monthBounds(ctx.range);
      return sql`
      SELECT lu.month AS Month, lu.customer_id AS CustomerId, c.company_name AS CustomerName, c.country AS CustomerCountry,
             c.segment AS Segment, c.mpn_id AS LocationMpnId, lu.subscription_id AS SubscriptionId, lu.product_family AS ProductFamily,
             lu.sku_name AS SkuName, lu.active_users_28d AS ActiveEntitlements, lu.licenses_assigned AS AssignedLicenses,
             lu.active_users_28d AS ActiveUsers28Days, lu.licenses_purchased AS LicensesPurchased,
             CASE WHEN coalesce(s.is_trial, FALSE) THEN 0 ELSE lu.licenses_assigned END AS QualifiedEntitlements,
             CASE WHEN lu.licenses_purchased > 0 THEN round(lu.licenses_assigned * 100.0 / lu.licenses_purchased, 2)::DOUBLE END AS DeploymentPercent,
             CASE WHEN lu.licenses_assigned > 0 THEN round(lu.active_users_28d * 100.0 / lu.licenses_assigned, 2)::DOUBLE END AS UsagePercent
      FROM license_usage lu JOIN ${scopedCustomers(ctx)} c ON c.partner_id = lu.partner_id AND c.customer_id = lu.customer_id
      LEFT JOIN subscriptions s ON s.partner_id = lu.partner_id AND s.subscription_id = lu.subscription_id
      WHERE ${scope(ctx.caller, 'lu', null)} AND lu.product_family IN ${sql.list([...families])}
        AND lu.month >= ${from} AND lu.month < ${until}
      ORDER BY Month, CustomerId, SubscriptionId`;
    },
  };
  return dataset;
}

export const office365LicenseUsage = licenseUsage('office365-license-usage', 'Office365 - License Usage', ['Office 365', 'Microsoft 365']);
export const enterpriseMobilityLicenseUsage = licenseUsage('enterprise-mobility-license-usage', 'Enterprise Mobility - License Usage', ['Enterprise Mobility + Security']);
export const dynamics365LicenseUsage = licenseUsage('dynamics365-license-usage', 'Dynamics 365 - License Usage', [
  'Dynamics 365 Customer Engagement',
  'Dynamics 365 Finance and Operations',
]);
export const powerBiLicenseUsage = licenseUsage('power-bi-license-usage', 'Power BI - License Usage', ['Power BI']);

export const trainings: Dataset = {
  name: 'trainings',
  title: 'Trainings',
  description:
    'Exams, certifications and assessments achieved by the partner\'s individuals in the timeframe (LIFETIME: all of them), with their names and emails, and whether each is still valid today (Microsoft Learn completions: the microsoft-learn report).',
  timeframe: { kind: 'monthly', ranges: REPORT_RANGES },
  permissions: ['downloadReports', 'seePersonalData'],
  contains: ['personal data'],
  filters: { locationMpnIds: 'ce.mpn_id' },
  columns: columns([
    ['AchievedMonth', 'DATE', 'First day of the month the credential was achieved'],
    ['LocationMpnId', 'VARCHAR', 'Partner location (MPN ID) of the individual'],
    ['IndividualId', 'VARCHAR', 'Individual id'],
    ['IndividualName', 'VARCHAR', 'Name of the individual (personal data)'],
    ['Email', 'VARCHAR', 'Email of the individual (personal data)'],
    ['CredentialType', 'VARCHAR', 'Exam, Certification or Assessment'],
    ['CredentialCode', 'VARCHAR', 'Exam, certification or assessment code'],
    ['CredentialName', 'VARCHAR', 'Exam, certification or assessment name'],
    ['AchievedDate', 'DATE', 'Date achieved'],
    ['ExpiryDate', 'DATE', 'Date it expires; empty when it does not'],
    ['Active', 'BOOLEAN', 'Not expired as of today'],
  ]),
  reads: ['certifications'],
  // Active: not expired as of today.
  asOf: 'day',
  query: (ctx) => {
    const { from, until } = monthBounds(ctx.range);
    const today = now().toISOString().slice(0, 10);
    return sql`
    SELECT date_trunc('month', ce.achieved_date)::DATE AS AchievedMonth, ce.mpn_id AS LocationMpnId, ce.individual_id AS IndividualId,
           ce.individual_name AS IndividualName, ce.email AS Email, ce.credential_type AS CredentialType, ce.credential_code AS CredentialCode,
           ce.credential_name AS CredentialName, ce.achieved_date AS AchievedDate, ce.expiry_date AS ExpiryDate,
           (ce.expiry_date IS NULL OR ce.expiry_date >= ${today}::DATE) AS Active
    FROM certifications ce
    WHERE ${scope(ctx.caller, 'ce', 'ce.mpn_id')} AND ce.credential_type IN ${sql.list([...TRAINING_TYPES])}
      AND ce.achieved_date >= ${from} AND ce.achieved_date < ${until}
      AND ${filterConditions(ctx.filters, trainings.filters)}
    ORDER BY AchievedDate, IndividualId, CredentialCode`;
  },
};

export const referrals: Dataset = {
  name: 'referrals',
  title: 'Referrals',
  description:
    'Referrals created in the timeframe: direction, source, type, solution, customer, status as of today (New referrals unanswered for 14 days read as Expired), deal value in its currency and in USD, and the date of each stage.',
  timeframe: { kind: 'monthly', ranges: REPORT_RANGES },
  permissions: ['downloadReports', 'readReferrals', 'seeDealValue'],
  contains: ['revenue'],
  filters: { customerCountries: 'r.customer_country', locationMpnIds: 'r.mpn_id' },
  columns: columns([
    ['CreatedMonth', 'DATE', 'First day of the month the referral was created'],
    ['ReferralId', 'VARCHAR', 'Referral id'],
    ['LocationMpnId', 'VARCHAR', 'Partner location (MPN ID)'],
    ['EngagementName', 'VARCHAR', 'Engagement name'],
    ['Direction', 'VARCHAR', 'Incoming or Outgoing'],
    ['Source', 'VARCHAR', 'Referral source'],
    ['ReferralType', 'VARCHAR', 'Referral type'],
    ['Solution', 'VARCHAR', 'Solution'],
    ['CustomerName', 'VARCHAR', 'Customer company name'],
    ['CustomerCountry', 'VARCHAR', 'Customer country'],
    ['Status', 'VARCHAR', 'New, Active, Won, Lost, Declined or Expired, as of today'],
    ['DealValue', 'DECIMAL(18,6)', 'Estimated deal value, in Currency'],
    ['Currency', 'VARCHAR', 'Currency of DealValue'],
    ['DealValueUsd', 'DECIMAL(18,6)', 'Deal value in USD'],
    ['CreatedAt', 'TIMESTAMP', 'Created (UTC)'],
    ['AcceptedAt', 'TIMESTAMP', 'Accepted (UTC)'],
    ['DeclinedAt', 'TIMESTAMP', 'Declined (UTC)'],
    ['WonAt', 'TIMESTAMP', 'Won (UTC)'],
    ['LostAt', 'TIMESTAMP', 'Lost (UTC)'],
    ['ExpiredAt', 'TIMESTAMP', 'Expired (UTC)'],
  ]),
  reads: ['referrals'],
  // New referrals unanswered for 14 days read as Expired: how many have, and when the last one did.
  asOf: (caller, at) => sql`SELECT count(*) AS "key", max(r.expired_at) AS "at" FROM ${effectiveReferrals(at)} r WHERE ${scope(caller, 'r', 'r.mpn_id')} AND r.status = 'Expired'`,
  query: (ctx) => {
    const { from, until } = monthBounds(ctx.range);
    return sql`
    SELECT date_trunc('month', r.created_at)::DATE AS CreatedMonth, r.referral_id AS ReferralId, r.mpn_id AS LocationMpnId,
           r.engagement_name AS EngagementName, r.direction AS Direction, r.source AS Source, r.referral_type AS ReferralType,
           r.solution AS Solution, r.customer_name AS CustomerName, r.customer_country AS CustomerCountry, r.status AS Status,
           r.deal_value AS DealValue, r.currency AS Currency, r.deal_value_usd AS DealValueUsd, r.created_at AS CreatedAt,
           r.accepted_at AS AcceptedAt, r.declined_at AS DeclinedAt, r.won_at AS WonAt, r.lost_at AS LostAt, r.expired_at AS ExpiredAt
    FROM ${effectiveReferrals(now())} r
    WHERE ${scope(ctx.caller, 'r', 'r.mpn_id')} AND r.created_at >= ${from} AND r.created_at < ${until}
      AND ${filterConditions(ctx.filters, referrals.filters)}
    ORDER BY CreatedAt, ReferralId`;
  },
};
