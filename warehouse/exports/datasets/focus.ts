import { scope } from '../../../core/scope';
import { sql, type Sql } from '../../../core/sql';
import { ANY_RANGE, type ColumnSpec, type Dataset, type DatasetContext } from '../dataset';
import { filterConditions, monthBounds } from '../filters';
import { DUCKDB_TYPE_OF_FOCUS, FOCUS_1_2_COLUMNS } from '../focus-spec';
import { PRODUCT_BY_OFFER } from '../../insights/facts';

/**
 * The partner's CSP billing as a FOCUS 1.2 cost-and-usage dataset: one row per line of the three
 * reconciliation files (license-based, daily-rated usage, one-time and recurring), plus one Tax row
 * per license and one-time line with tax. BilledCost sums to each invoice's total as the billing
 * subgraph computes it (warehouse/billing/invoices.ts): license Subtotal + usage BillingPreTaxTotal +
 * one-time Subtotal + license Tax + one-time TaxTotal. The README lists every column's mapping.
 *
 * Each output column is declared once with its expression per source (`NULL` where a source has
 * nothing for it); the statement is a UNION ALL of the five sources.
 */
type Source = 'license' | 'licenseTax' | 'usage' | 'oneTime' | 'oneTimeTax';

interface FocusOutputColumn {
  name: string;
  description: string;
  /** Extension columns carry their own DuckDB type; FOCUS columns take it from the spec. */
  type?: string;
  /** Expression per source; a source missing here gives NULL. `all` applies to every source. */
  from: Partial<Record<Source | 'all', string>>;
}

const USAGE_DISCOUNTS = `('activation discount', 'cycle discount', 'renew discount', 'cancel discount')`;
const OFFSET = `'offset a line item'`;

/** Azure meter categories to FOCUS ServiceCategory values; anything else is "Other". */
const METER_SERVICE_CATEGORY = `CASE u.meter_category
  WHEN 'Virtual Machines' THEN 'Compute' WHEN 'Azure App Service' THEN 'Web' WHEN 'Azure Kubernetes Service' THEN 'Compute'
  WHEN 'Storage' THEN 'Storage' WHEN 'Backup' THEN 'Storage' WHEN 'SQL Database' THEN 'Databases' WHEN 'Azure Cosmos DB' THEN 'Databases'
  WHEN 'Bandwidth' THEN 'Networking' WHEN 'Virtual Network' THEN 'Networking' WHEN 'Load Balancer' THEN 'Networking'
  WHEN 'Azure Monitor' THEN 'Management and Governance' WHEN 'Key Vault' THEN 'Security' ELSE 'Other' END`;

/** Product families (license-based and one-time lines) to FOCUS ServiceCategory values. */
const FAMILY_SERVICE_CATEGORY = (family: string) => `CASE ${family}
  WHEN 'Office 365' THEN 'Business Applications' WHEN 'Microsoft 365' THEN 'Business Applications'
  WHEN 'Dynamics 365 Customer Engagement' THEN 'Business Applications' WHEN 'Dynamics 365 Finance and Operations' THEN 'Business Applications'
  WHEN 'Enterprise Mobility + Security' THEN 'Security' WHEN 'Power BI' THEN 'Analytics' WHEN 'Azure' THEN 'Compute' ELSE 'Other' END`;

const LICENSE_TAX_ROW = { licenseTax: 'l.tax', oneTimeTax: 'o.tax_total' } as const;

export const FOCUS_OUTPUT: readonly FocusOutputColumn[] = [
  { name: 'BilledCost', description: 'License Subtotal, usage BillingPreTaxTotal, one-time Subtotal; Tax rows: license Tax, one-time TaxTotal', from: { license: 'l.subtotal', ...LICENSE_TAX_ROW, usage: 'u.billing_pre_tax_total', oneTime: 'o.subtotal' } },
  { name: 'BillingAccountId', description: 'Partner global account id (PartnerId)', from: { all: 'x.partner_id' } },
  { name: 'BillingAccountName', description: 'Partner name', from: { all: 'p.name' } },
  { name: 'BillingAccountType', description: '"Partner global account"', from: { all: `'Partner global account'` } },
  { name: 'BillingCurrency', description: 'Currency (license, one-time) or BillingCurrency (usage)', from: { license: 'l.currency', licenseTax: 'l.currency', usage: 'u.billing_currency', oneTime: 'o.currency', oneTimeTax: 'o.currency' } },
  { name: 'BillingPeriodEnd', description: 'Invoice billing period end + 1 day (exclusive); without an invoice row, the end of the charge\'s month', from: { all: 'PERIOD_END' } },
  { name: 'BillingPeriodStart', description: 'Invoice billing period start; without an invoice row, the first day of the charge\'s month', from: { all: 'PERIOD_START' } },
  { name: 'ChargeCategory', description: 'Purchase (license, one-time), Usage (daily-rated), Credit ("Offset a line item" and usage discounts), Tax', from: {
    license: `CASE WHEN lower(l.charge_type) = ${OFFSET} THEN 'Credit' ELSE 'Purchase' END`, licenseTax: `'Tax'`,
    usage: `CASE WHEN lower(u.charge_type) = ${OFFSET} OR lower(u.charge_type) IN ${USAGE_DISCOUNTS} THEN 'Credit' ELSE 'Usage' END`,
    oneTime: `CASE WHEN lower(o.charge_type) = ${OFFSET} THEN 'Credit' ELSE 'Purchase' END`, oneTimeTax: `'Tax'` } },
  { name: 'ChargeClass', description: 'Always null: the files do not mark corrections of earlier periods', from: {} },
  { name: 'ChargeDescription', description: 'ChargeType and the offer, meter or product name', from: {
    license: `l.charge_type || ': ' || coalesce(l.offer_name, '')`, licenseTax: `'Tax: ' || coalesce(l.offer_name, '')`,
    usage: `u.charge_type || ': ' || coalesce(u.meter_category, '') || ' ' || coalesce(u.meter_name, '')`,
    oneTime: `o.charge_type || ': ' || coalesce(o.product_name, '')`, oneTimeTax: `'Tax: ' || coalesce(o.product_name, '')` } },
  { name: 'ChargeFrequency', description: 'Recurring (license-based), Usage-Based (daily-rated), One-Time (one-time file)', from: {
    license: `'Recurring'`, licenseTax: `'Recurring'`, usage: `'Usage-Based'`, oneTime: `'One-Time'`, oneTimeTax: `'One-Time'` } },
  { name: 'ChargePeriodEnd', description: 'ChargeEndDate + 1 day (exclusive); usage: UsageDate + 1 day', from: {
    license: 'l.charge_end_date + 1', licenseTax: 'l.charge_end_date + 1', usage: 'u.usage_date + 1',
    oneTime: 'coalesce(o.charge_end_date, o.order_date) + 1', oneTimeTax: 'coalesce(o.charge_end_date, o.order_date) + 1' } },
  { name: 'ChargePeriodStart', description: 'ChargeStartDate; usage: UsageDate', from: {
    license: 'l.charge_start_date', licenseTax: 'l.charge_start_date', usage: 'u.usage_date',
    oneTime: 'coalesce(o.charge_start_date, o.order_date)', oneTimeTax: 'coalesce(o.charge_start_date, o.order_date)' } },
  { name: 'ConsumedQuantity', description: 'Usage Quantity (usage lines only)', from: { usage: 'u.quantity' } },
  { name: 'ConsumedUnit', description: 'Usage Unit (usage lines only)', from: { usage: 'u.unit' } },
  { name: 'ContractedCost', description: 'Same as ListCost: CSP prices are the price list\'s, before partner earned credit and discounts', from: {
    license: 'l.amount', ...LICENSE_TAX_ROW, usage: 'u.unit_price * u.quantity * coalesce(u.pc_to_bc_exchange_rate, 1)', oneTime: 'o.subtotal' } },
  { name: 'ContractedUnitPrice', description: 'UnitPrice (license, one-time); usage UnitPrice × PCToBCExchangeRate', from: {
    license: 'l.unit_price', usage: 'u.unit_price * coalesce(u.pc_to_bc_exchange_rate, 1)', oneTime: 'o.unit_price' } },
  { name: 'EffectiveCost', description: 'Same as BilledCost (no amortized commitments in CSP recon files)', from: { license: 'l.subtotal', ...LICENSE_TAX_ROW, usage: 'u.billing_pre_tax_total', oneTime: 'o.subtotal' } },
  { name: 'InvoiceId', description: 'InvoiceNumber', from: { all: 'x.invoice_number' } },
  { name: 'InvoiceIssuerName', description: '"Microsoft": Microsoft invoices the CSP partner', from: { all: `'Microsoft'` } },
  { name: 'ListCost', description: 'License Amount (UnitPrice × Quantity); usage UnitPrice × Quantity × PCToBCExchangeRate; one-time Subtotal; Tax rows: the tax', from: {
    license: 'l.amount', ...LICENSE_TAX_ROW, usage: 'u.unit_price * u.quantity * coalesce(u.pc_to_bc_exchange_rate, 1)', oneTime: 'o.subtotal' } },
  { name: 'ListUnitPrice', description: 'UnitPrice (license, one-time); usage UnitPrice × PCToBCExchangeRate', from: {
    license: 'l.unit_price', usage: 'u.unit_price * coalesce(u.pc_to_bc_exchange_rate, 1)', oneTime: 'o.unit_price' } },
  { name: 'PricingCategory', description: '"Standard" (price list) for every priced line', from: { license: `'Standard'`, usage: `'Standard'`, oneTime: `'Standard'` } },
  { name: 'PricingCurrency', description: 'Usage PricingCurrency; one-time PricingCurrency', from: { usage: 'u.pricing_currency', oneTime: 'o.pricing_currency' } },
  { name: 'PricingCurrencyEffectiveCost', description: 'Usage PricingPreTaxTotal', from: { usage: 'u.pricing_pre_tax_total' } },
  { name: 'PricingCurrencyListUnitPrice', description: 'Usage UnitPrice (pricing currency)', from: { usage: 'u.unit_price' } },
  { name: 'PricingQuantity', description: 'Quantity (license, usage), BillableQuantity or Quantity (one-time); null on Tax rows', from: {
    license: 'l.quantity', usage: 'u.quantity', oneTime: 'coalesce(o.billable_quantity, o.quantity)' } },
  { name: 'PricingUnit', description: '"Licenses" (license-based), usage UnitType, one-time UnitType; null on Tax rows', from: {
    license: `'Licenses'`, usage: 'u.unit_type', oneTime: `coalesce(o.unit_type, 'Units')` } },
  { name: 'ProviderName', description: '"Microsoft"', from: { all: `'Microsoft'` } },
  { name: 'PublisherName', description: 'PublisherName of the line, else "Microsoft"', from: {
    license: `'Microsoft'`, licenseTax: `'Microsoft'`, usage: `coalesce(nullif(u.publisher_name, ''), 'Microsoft')`,
    oneTime: `coalesce(nullif(o.publisher_name, ''), 'Microsoft')`, oneTimeTax: `coalesce(nullif(o.publisher_name, ''), 'Microsoft')` } },
  { name: 'RegionName', description: 'Usage ResourceLocation', from: { usage: 'u.resource_location' } },
  { name: 'ResourceId', description: 'Usage ResourceURI', from: { usage: 'u.resource_uri' } },
  { name: 'ResourceType', description: 'Usage ConsumedService', from: { usage: 'u.consumed_service' } },
  { name: 'ServiceCategory', description: 'From the meter category (usage) or the product family (license, one-time); see the README table', from: {
    license: FAMILY_SERVICE_CATEGORY('pr.product_family'), licenseTax: FAMILY_SERVICE_CATEGORY('pr.product_family'), usage: METER_SERVICE_CATEGORY,
    oneTime: FAMILY_SERVICE_CATEGORY('opr.product_family'), oneTimeTax: FAMILY_SERVICE_CATEGORY('opr.product_family') } },
  { name: 'ServiceName', description: 'OfferName (license), MeterCategory (usage), ProductName (one-time)', from: {
    license: `coalesce(l.offer_name, 'Unknown')`, licenseTax: `coalesce(l.offer_name, 'Unknown')`, usage: `coalesce(u.meter_category, 'Unknown')`,
    oneTime: `coalesce(o.product_name, 'Unknown')`, oneTimeTax: `coalesce(o.product_name, 'Unknown')` } },
  { name: 'ServiceSubcategory', description: 'Usage MeterSubCategory, else "Other"', from: {
    license: `'Other'`, licenseTax: `'Other'`, usage: `coalesce(nullif(u.meter_sub_category, ''), 'Other')`, oneTime: `'Other'`, oneTimeTax: `'Other'` } },
  { name: 'SkuId', description: 'DurableOfferId (license), SkuId (usage, one-time)', from: {
    license: 'l.durable_offer_id', licenseTax: 'l.durable_offer_id', usage: 'u.sku_id', oneTime: 'o.sku_id', oneTimeTax: 'o.sku_id' } },
  { name: 'SkuMeter', description: 'Usage MeterName', from: { usage: 'u.meter_name' } },
  { name: 'SubAccountId', description: 'CustomerId (the customer tenant)', from: { all: 'x.customer_id' } },
  { name: 'SubAccountName', description: 'CustomerName', from: { all: 'x.customer_name' } },
  { name: 'SubAccountType', description: '"Customer tenant"', from: { all: `'Customer tenant'` } },
  { name: 'Tags', description: 'Usage Tags (JSON)', from: { usage: 'u.tags' } },
  // Extension columns (FOCUS: custom columns are prefixed x_).
  { name: 'x_CustomerDomainName', type: 'VARCHAR', description: 'Customer domain name', from: {
    license: 'l.domain_name', licenseTax: 'l.domain_name', usage: 'u.customer_domain_name', oneTime: 'o.customer_domain_name', oneTimeTax: 'o.customer_domain_name' } },
  { name: 'x_CustomerCountry', type: 'VARCHAR', description: 'Customer country (usage and one-time files)', from: { usage: 'u.customer_country', oneTime: 'o.customer_country', oneTimeTax: 'o.customer_country' } },
  { name: 'x_PartnerMpnId', type: 'VARCHAR', description: 'MpnId: the CSP partner location of the line', from: { all: 'x.mpn_id' } },
  { name: 'x_ResellerMpnId', type: 'VARCHAR', description: 'ResellerMpnId (license, one-time) or Tier2MpnId (usage): the indirect reseller of record; the partner\'s own MPN ID = sold directly, -1 = removed', from: {
    license: 'l.reseller_mpn_id', licenseTax: 'l.reseller_mpn_id', usage: 'u.tier2_mpn_id', oneTime: 'o.reseller_mpn_id', oneTimeTax: 'o.reseller_mpn_id' } },
  { name: 'x_SubscriptionId', type: 'VARCHAR', description: 'SyndicationPartnerSubscriptionNumber (license: the Partner Center subscription id), SubscriptionId (usage, one-time)', from: {
    license: 'l.syndication_partner_subscription_number', licenseTax: 'l.syndication_partner_subscription_number', usage: 'u.subscription_id', oneTime: 'o.subscription_id', oneTimeTax: 'o.subscription_id' } },
  { name: 'x_OrderId', type: 'VARCHAR', description: 'OrderId (license, one-time)', from: { license: 'l.order_id', licenseTax: 'l.order_id', oneTime: 'o.order_id', oneTimeTax: 'o.order_id' } },
  { name: 'x_ChargeType', type: 'VARCHAR', description: 'ChargeType as in the file', from: {
    license: 'l.charge_type', licenseTax: 'l.charge_type', usage: 'u.charge_type', oneTime: 'o.charge_type', oneTimeTax: 'o.charge_type' } },
  { name: 'x_EffectiveUnitPrice', type: 'DECIMAL(18,6)', description: 'EffectiveUnitPrice (usage, one-time): the price after partner earned credit and discounts', from: { usage: 'u.effective_unit_price', oneTime: 'o.effective_unit_price' } },
  { name: 'x_PartnerEarnedCreditPercentage', type: 'DECIMAL(18,6)', description: 'PartnerEarnedCreditPercentage (usage): 0 or 15', from: { usage: 'u.partner_earned_credit_percentage' } },
  { name: 'x_PCToBCExchangeRate', type: 'DECIMAL(18,6)', description: 'PCToBCExchangeRate (usage, one-time)', from: { usage: 'u.pc_to_bc_exchange_rate', oneTime: 'o.pc_to_bc_exchange_rate' } },
  { name: 'x_TotalOtherDiscount', type: 'DECIMAL(18,6)', description: 'TotalOtherDiscount (license): ListCost - BilledCost of the line', from: { license: 'l.total_other_discount' } },
  { name: 'x_SourceFile', type: 'VARCHAR', description: 'license-based, daily-rated usage or one-time: the reconciliation file of the line', from: {
    license: `'license-based'`, licenseTax: `'license-based'`, usage: `'daily-rated usage'`, oneTime: `'one-time'`, oneTimeTax: `'one-time'` } },
];

const SPEC = new Map(FOCUS_1_2_COLUMNS.map((c) => [c.id, c]));

function typeOf(column: FocusOutputColumn): string {
  if (column.type) return column.type;
  const spec = SPEC.get(column.name);
  if (!spec) throw new Error(`FOCUS column ${column.name} is not in the FOCUS 1.2 list; extension columns start with x_ and carry a type`);
  return DUCKDB_TYPE_OF_FOCUS[spec.type];
}

export const FOCUS_COLUMNS: readonly ColumnSpec[] = FOCUS_OUTPUT.map((c) => ({ name: c.name, type: typeOf(c), description: c.description }));

const ALIAS: Record<Source, string> = { license: 'l', licenseTax: 'l', usage: 'u', oneTime: 'o', oneTimeTax: 'o' };

/** The day a line's charge falls on, for lines whose invoice has no row in `invoices`. */
const CHARGE_DAY: Record<'l' | 'u' | 'o', string> = { l: 'l.charge_start_date', u: 'u.usage_date', o: 'coalesce(o.charge_start_date, o.order_date)' };

/**
 * The billing period of a line: its invoice's (`i`, joined by invoice number), else the calendar
 * month of its charge. Plain expressions over the join, not a LATERAL subquery: DuckDB decorrelates
 * a LATERAL by materializing the outer rows, 4 GB for 6M usage lines.
 */
const periodStart = (line: 'l' | 'u' | 'o') => `coalesce(i.billing_period_start, date_trunc('month', ${CHARGE_DAY[line]}))::TIMESTAMP`;
const periodEnd = (line: 'l' | 'u' | 'o') => `(coalesce(i.billing_period_end, last_day(${CHARGE_DAY[line]})) + 1)::TIMESTAMP`;

/** The SELECT list of one source; `x.` in the shared (`all`) expressions is the source's line table. */
function select(source: Source): Sql {
  const line = ALIAS[source] as 'l' | 'u' | 'o';
  const list = FOCUS_OUTPUT.map((c) => {
    const shared = c.from.all?.replaceAll('x.', `${line}.`).replace('PERIOD_START', periodStart(line)).replace('PERIOD_END', periodEnd(line));
    return `CAST(${c.from[source] ?? shared ?? 'NULL'} AS ${typeOf(c)}) AS ${c.name}`;
  });
  return sql.raw(list.join(',\n  '));
}

/** The product family of a product (one-time lines; license lines use PRODUCT_BY_OFFER): one row per key, so a join never repeats a line. */
const FAMILY_BY_PRODUCT = `(SELECT partner_id, product_id, any_value(product_family) AS product_family FROM products GROUP BY partner_id, product_id)`;

/** The line's invoice row (at most one per number), for its billing period. */
const invoiceOf = (line: string) => sql.raw(`LEFT JOIN invoices i ON i.partner_id = ${line}.partner_id AND i.invoice_number = ${line}.invoice_number`);

export const focus: Dataset = {
  name: 'focus',
  title: 'FOCUS 1.2 cost and usage',
  description:
    'Billing and usage from the reconciliation files as a FinOps FOCUS 1.2 cost-and-usage dataset (license-based, daily-rated usage and one-time lines, plus Tax rows), with customer, reseller and partner earned credit as x_ extension columns. The timeframe selects invoices by billing period.',
  timeframe: { kind: 'monthly', ranges: [...ANY_RANGE] },
  permissions: ['exportBilling', 'seeRevenue'],
  contains: ['billing', 'revenue'],
  // The column is per line table: focusQuery maps the filter onto l/u/o.mpn_id.
  filters: { locationMpnIds: 'mpn_id' },
  columns: FOCUS_COLUMNS,
  unordered: true,
  query: (ctx) => focusQuery(ctx),
};

function focusQuery(ctx: DatasetContext): Sql {
  const { from, until } = monthBounds(ctx.range);
  const where = (line: 'l' | 'u' | 'o') =>
    sql`${scope(ctx.caller, line, `${line}.mpn_id`)} AND ${sql.raw(periodStart(line))} >= ${from} AND ${sql.raw(periodStart(line))} < ${until}
      AND ${filterConditions(ctx.filters, { locationMpnIds: `${line}.mpn_id` })}`;
  const license = (source: Source, extra: string) => sql`
    SELECT ${select(source)}
    FROM billing_license_lines l
    JOIN partners p ON p.partner_id = l.partner_id
    LEFT JOIN ${sql.raw(PRODUCT_BY_OFFER)} pr ON pr.partner_id = l.partner_id AND pr.offer_id = l.offer_id
    ${invoiceOf('l')}
    WHERE ${where('l')} AND ${sql.raw(extra)}`;
  const oneTime = (source: Source, extra: string) => sql`
    SELECT ${select(source)}
    FROM billing_onetime_lines o
    JOIN partners p ON p.partner_id = o.partner_id
    LEFT JOIN ${sql.raw(FAMILY_BY_PRODUCT)} opr ON opr.partner_id = o.partner_id AND opr.product_id = o.product_id
    ${invoiceOf('o')}
    WHERE ${where('o')} AND ${sql.raw(extra)}`;
  const usage = sql`
    SELECT ${select('usage')}
    FROM billing_usage_lines u
    JOIN partners p ON p.partner_id = u.partner_id
    ${invoiceOf('u')}
    WHERE ${where('u')}`;
  return sql`${license('license', 'TRUE')}
  UNION ALL ${license('licenseTax', 'coalesce(l.tax, 0) <> 0')}
  UNION ALL ${usage}
  UNION ALL ${oneTime('oneTime', 'TRUE')}
  UNION ALL ${oneTime('oneTimeTax', 'coalesce(o.tax_total, 0) <> 0')}`;
}
