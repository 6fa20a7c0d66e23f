import { scope } from '../../../core/scope';
import { sql } from '../../../core/sql';
import { ANY_RANGE, columns, type Dataset } from '../dataset';
import { filterConditions, monthBounds } from '../filters';

/**
 * The daily-rated usage reconciliation lines as loaded, one row per line, column for column as the
 * documented file (reference line 9997; billing-facts.md for the order). The timeframe selects by
 * UsageDate. The line-level dataset: millions of rows, written straight by DuckDB.
 */
const COLUMNS: readonly (readonly [string, string, string, string])[] = [
  ['PartnerId', 'VARCHAR', 'partner_id', 'Partner identifier (GUID)'],
  ['PartnerName', 'VARCHAR', 'partner_name', 'Partner name'],
  ['CustomerId', 'VARCHAR', 'customer_id', 'Microsoft identifier of the customer (GUID)'],
  ['CustomerName', 'VARCHAR', 'customer_name', 'Customer organization name'],
  ['CustomerDomainName', 'VARCHAR', 'customer_domain_name', 'Customer domain name'],
  ['CustomerCountry', 'VARCHAR', 'customer_country', 'Country of the customer'],
  ['MpnId', 'VARCHAR', 'mpn_id', 'MPN ID of the CSP partner (location)'],
  ['Tier2MpnId', 'VARCHAR', 'tier2_mpn_id', 'MPN ID of the reseller of record'],
  ['InvoiceNumber', 'VARCHAR', 'invoice_number', 'Invoice the line appears on'],
  ['ProductId', 'VARCHAR', 'product_id', 'Product identifier'],
  ['SkuId', 'VARCHAR', 'sku_id', 'SKU identifier'],
  ['AvailabilityId', 'VARCHAR', 'availability_id', 'SKU availability identifier'],
  ['SkuName', 'VARCHAR', 'sku_name', 'SKU title'],
  ['ProductName', 'VARCHAR', 'product_name', 'Product name'],
  ['PublisherName', 'VARCHAR', 'publisher_name', 'Publisher name'],
  ['PublisherId', 'VARCHAR', 'publisher_id', 'Publisher identifier'],
  ['SubscriptionDescription', 'VARCHAR', 'subscription_description', 'Service offering name'],
  ['SubscriptionId', 'VARCHAR', 'subscription_id', 'Subscription in the Microsoft billing platform'],
  ['ChargeStartDate', 'DATE', 'charge_start_date', 'Start of the billing cycle'],
  ['ChargeEndDate', 'DATE', 'charge_end_date', 'End of the billing cycle'],
  ['UsageDate', 'DATE', 'usage_date', 'Date of service usage'],
  ['MeterType', 'VARCHAR', 'meter_type', 'Type of meter'],
  ['MeterCategory', 'VARCHAR', 'meter_category', 'Top-level service of the usage'],
  ['MeterId', 'VARCHAR', 'meter_id', 'Meter identifier'],
  ['MeterSubCategory', 'VARCHAR', 'meter_sub_category', 'Type of Azure service'],
  ['MeterName', 'VARCHAR', 'meter_name', 'Unit of measure of the meter'],
  ['MeterRegion', 'VARCHAR', 'meter_region', 'Data center region of the meter'],
  ['Unit', 'VARCHAR', 'unit', 'Unit of the resource'],
  ['ResourceLocation', 'VARCHAR', 'resource_location', 'Data center the meter runs in'],
  ['ConsumedService', 'VARCHAR', 'consumed_service', 'Azure platform service used'],
  ['ResourceGroup', 'VARCHAR', 'resource_group', 'Resource group'],
  ['ResourceURI', 'VARCHAR', 'resource_uri', 'URI of the resource'],
  ['ChargeType', 'VARCHAR', 'charge_type', 'Type of charge or adjustment'],
  ['UnitPrice', 'DECIMAL(18,6)', 'unit_price', 'Price per unit from the price list (pricing currency)'],
  ['Quantity', 'DECIMAL(18,6)', 'quantity', 'Quantity consumed'],
  ['UnitType', 'VARCHAR', 'unit_type', 'Unit the meter is charged in'],
  ['BillingPreTaxTotal', 'DECIMAL(18,6)', 'billing_pre_tax_total', 'Amount before tax, billing currency'],
  ['BillingCurrency', 'VARCHAR', 'billing_currency', 'Billing currency'],
  ['PricingPreTaxTotal', 'DECIMAL(18,6)', 'pricing_pre_tax_total', 'Amount before tax, pricing currency'],
  ['PricingCurrency', 'VARCHAR', 'pricing_currency', 'Pricing currency'],
  ['ServiceInfo1', 'VARCHAR', 'service_info1', 'Service-specific metadata'],
  ['ServiceInfo2', 'VARCHAR', 'service_info2', 'Service-specific metadata (legacy)'],
  ['Tags', 'VARCHAR', 'tags', 'Resource tags (JSON)'],
  ['AdditionalInfo', 'VARCHAR', 'additional_info', 'Additional information (JSON)'],
  ['EffectiveUnitPrice', 'DECIMAL(18,6)', 'effective_unit_price', 'Price charged per unit after discounts and earned credit'],
  ['PCToBCExchangeRate', 'DECIMAL(18,6)', 'pc_to_bc_exchange_rate', 'Pricing to billing currency exchange rate'],
  ['PCToBCExchangeRateDate', 'DATE', 'pc_to_bc_exchange_rate_date', 'Date of the exchange rate'],
  ['EntitlementId', 'VARCHAR', 'entitlement_id', 'Azure subscription id'],
  ['EntitlementDescription', 'VARCHAR', 'entitlement_description', 'Azure subscription name'],
  ['PartnerEarnedCreditPercentage', 'DECIMAL(18,6)', 'partner_earned_credit_percentage', 'Partner earned credit of the line, 0 or 15'],
  ['CreditPercentage', 'DECIMAL(18,6)', 'credit_percentage', 'Credit percentage'],
  ['CreditType', 'VARCHAR', 'credit_type', 'Credit type'],
  ['BenefitOrderId', 'VARCHAR', 'benefit_order_id', 'Benefit order id'],
  ['BenefitId', 'VARCHAR', 'benefit_id', 'Benefit id'],
  ['BenefitType', 'VARCHAR', 'benefit_type', 'Benefit type'],
];

export const usageLines: Dataset = {
  name: 'usage-lines',
  title: 'Daily-rated usage lines',
  description:
    'Every daily-rated usage reconciliation line of the timeframe (by UsageDate), column for column as Partner Center\'s file; for BI models that need the line level.',
  timeframe: { kind: 'monthly', ranges: ANY_RANGE },
  permissions: ['exportBilling', 'seeRevenue'],
  contains: ['billing', 'revenue'],
  filters: { customerCountries: 'u.customer_country', locationMpnIds: 'u.mpn_id' },
  columns: columns(COLUMNS.map(([name, type, , description]) => [name, type, description] as const)),
  unordered: true,
  reads: ['billing_usage_lines'],
  query: (ctx) => {
    const { from, until } = monthBounds(ctx.range);
    const list = sql.raw(COLUMNS.map(([name, , column]) => `u.${column} AS ${name}`).join(', '));
    return sql`SELECT ${list} FROM billing_usage_lines u
      WHERE ${scope(ctx.caller, 'u', 'u.mpn_id')} AND u.usage_date >= ${from} AND u.usage_date < ${until}
        AND ${filterConditions(ctx.filters, usageLines.filters)}`;
  },
};
