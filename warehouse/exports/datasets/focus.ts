import { scope } from '../../../core/scope';
import { sql, type Sql } from '../../../core/sql';
import { ANY_RANGE, type ColumnSpec, type Dataset, type DatasetContext } from '../dataset';
import { filterConditions, monthBounds } from '../filters';
import { DUCKDB_TYPE_OF_FOCUS, FOCUS_1_2_COLUMNS, type FocusService } from '../focus-spec';

/**
 * The partner's CSP billing as a FOCUS 1.2 cost-and-usage dataset: one row per line of the three
 * reconciliation files (license-based, daily-rated usage, one-time and recurring), plus one Tax row
 * per license and one-time line with tax, plus the amortization of each purchase. BilledCost sums
 * to each invoice's total as the billing subgraph computes it (warehouse/billing/invoices.ts):
 * license Subtotal + usage BillingPreTaxTotal + one-time Subtotal + license Tax + one-time TaxTotal.
 * The README lists every column's mapping.
 *
 * License-based and one-time charges are paid in advance for their charge period. FOCUS gives such
 * a purchase EffectiveCost 0 and spreads its cost over what it covers, so each purchase gets one
 * amortization row per calendar month of its charge period (ChargeCategory Usage, BilledCost 0,
 * EffectiveCost the month's share by day), on the purchase's invoice. Per invoice, EffectiveCost
 * then sums to BilledCost.
 *
 * Each output column is declared once with its expression per source (`NULL` where a source has
 * nothing for it); the statement is a UNION ALL of the seven sources.
 */
type Purchase = 'license' | 'oneTime';
type Source = Purchase | 'licenseTax' | 'licenseAmortized' | 'usage' | 'oneTimeTax' | 'oneTimeAmortized';
type Line = 'l' | 'u' | 'o';

/** The line table alias each source reads. */
const LINE: Record<Source, Line> = {
  license: 'l', licenseTax: 'l', licenseAmortized: 'l', usage: 'u', oneTime: 'o', oneTimeTax: 'o', oneTimeAmortized: 'o',
};

/** An amortization source repeats its purchase's expression for every column it does not set itself. */
const AMORTIZES: Partial<Record<Source, Purchase>> = { licenseAmortized: 'license', oneTimeAmortized: 'oneTime' };

interface FocusOutputColumn {
  name: string;
  description: string;
  /** Extension columns carry their own DuckDB type; FOCUS columns take it from the spec. */
  type?: string;
  /** Expression per source; a source missing here gives NULL. `all` applies to every source. */
  from: Partial<Record<Source | 'all', string>>;
}

/** The same expression, written for each line table, for every source. */
function perLine(expression: (line: Line) => string): Partial<Record<Source, string>> {
  return { license: expression('l'), licenseTax: expression('l'), usage: expression('u'), oneTime: expression('o'), oneTimeTax: expression('o') };
}

const quote = (text: string) => `'${text.replaceAll("'", "''")}'`;

const USAGE_DISCOUNTS = `('activation discount', 'cycle discount', 'renew discount', 'cancel discount')`;
const OFFSET = `'offset a line item'`;

/** "Offset a line item" refunds a line: a Credit. Every other license or one-time line is a Purchase. */
const isCredit = (line: 'l' | 'o') => `coalesce(lower(${line}.charge_type) = ${OFFSET}, false)`;

// ---- Services ----------------------------------------------------------------------------------

/**
 * Azure meter categories (the usage ServiceName) to FOCUS ServiceCategory and ServiceSubcategory,
 * after the FOCUS working group's sample Azure mapping; a meter category not listed is Other.
 * Keyed by the ServiceName itself, so each service has exactly one category and one subcategory.
 */
const SERVICE_BY_METER_CATEGORY: Record<string, FocusService> = {
  'Virtual Machines': { category: 'Compute', subcategory: 'Virtual Machines' },
  'Azure Kubernetes Service': { category: 'Compute', subcategory: 'Containers' },
  'Azure App Service': { category: 'Web', subcategory: 'Application Platforms' },
  // A storage account holds blobs, files, queues and tables: the platform, not one kind of storage.
  Storage: { category: 'Storage', subcategory: 'Storage Platforms' },
  Backup: { category: 'Storage', subcategory: 'Backup Storage' },
  'SQL Database': { category: 'Databases', subcategory: 'Relational Databases' },
  'Azure Cosmos DB': { category: 'Databases', subcategory: 'NoSQL Databases' },
  // Data transfer in and out of Azure regions.
  Bandwidth: { category: 'Networking', subcategory: 'Network Connectivity' },
  'Virtual Network': { category: 'Networking', subcategory: 'Network Infrastructure' },
  'Load Balancer': { category: 'Networking', subcategory: 'Application Networking' },
  'Azure Monitor': { category: 'Management and Governance', subcategory: 'Observability' },
  'Key Vault': { category: 'Security', subcategory: 'Secret Management' },
};

/** Product families (license-based and one-time lines) to FOCUS ServiceCategory and ServiceSubcategory; anything else is Other. */
const SERVICE_BY_PRODUCT_FAMILY: Record<string, FocusService> = {
  'Office 365': { category: 'Business Applications', subcategory: 'Productivity and Collaboration' },
  'Microsoft 365': { category: 'Business Applications', subcategory: 'Productivity and Collaboration' },
  'Dynamics 365 Customer Engagement': { category: 'Business Applications', subcategory: 'Other (Business Applications)' },
  'Dynamics 365 Finance and Operations': { category: 'Business Applications', subcategory: 'Other (Business Applications)' },
  'Enterprise Mobility + Security': { category: 'Security', subcategory: 'Other (Security)' },
  'Power BI': { category: 'Analytics', subcategory: 'Business Intelligence' },
  // Reservations and savings plans: which resource they cover is only in the product name.
  Azure: { category: 'Compute', subcategory: 'Other (Compute)' },
};

const OTHER_SERVICE: FocusService = { category: 'Other', subcategory: 'Other (Other)' };

/** What names a line's service (ServiceName), and the key its category is looked up by. */
const SERVICE_OF: Record<Line, { name: string; key: string; map: Record<string, FocusService> }> = {
  l: { name: 'l.offer_name', key: 'pr.product_family', map: SERVICE_BY_PRODUCT_FAMILY },
  u: { name: 'u.meter_category', key: 'u.meter_category', map: SERVICE_BY_METER_CATEGORY },
  o: { name: 'o.product_name', key: 'opr.product_family', map: SERVICE_BY_PRODUCT_FAMILY },
};

/** The line's ServiceCategory or ServiceSubcategory. A line without a service name is Other, like every "Unknown" service. */
function serviceOf(line: Line, field: keyof FocusService): string {
  const { name, key, map } = SERVICE_OF[line];
  const cases = Object.entries(map).map(([value, service]) => `WHEN ${quote(value)} THEN ${quote(service[field])}`);
  return `CASE WHEN ${name} IS NULL THEN ${quote(OTHER_SERVICE[field])} ELSE CASE ${key} ${cases.join(' ')} ELSE ${quote(OTHER_SERVICE[field])} END END`;
}

// ---- Units -------------------------------------------------------------------------------------

/**
 * A Microsoft unit ("10K Operations", "100 Hours", "1 Hour", "1/Month", "1 GB/Month") in FOCUS's
 * Unit Format, its block size kept so quantities and unit prices stay as in the file: "10000
 * Operations", "100 Hours", "Hours", "Units/Month", "GB/Month". A block of a rate ("100/Hour") has
 * no FOCUS form and is kept as written. An SQL expression over `unit`.
 */
export function focusUnitSql(unit: string): string {
  const parts = `regexp_extract(trim(${unit}), '^(([0-9]+)([KMB]?)(?:\\s+|$|(/)))?(.*)$', ['block', 'digits', 'scale', 'slash', 'name'])`;
  const scale = `CASE p.scale WHEN 'K' THEN 1000 WHEN 'M' THEN 1000000 WHEN 'B' THEN 1000000000 ELSE 1 END`;
  const size = `CASE WHEN p.digits = '' THEN 1 ELSE CAST(p.digits AS HUGEINT) * ${scale} END`;
  // "10K" counts units, "/Month" is units per month; a lone time unit is plural ("1 Hour" -> "Hours").
  const named = `CASE WHEN p.name = '' OR p.slash = '/' THEN 'Units' || p.slash || p.name ELSE p.name END`;
  const plural = `regexp_replace(${named}, '^(Year|Month|Day|Hour|Minute|Second)$', '\\1s')`;
  return `(SELECT CASE WHEN size = 1 THEN plural WHEN plural LIKE '%/%' THEN trim(${unit}) ELSE size || ' ' || plural END
    FROM (SELECT ${size} AS size, ${plural} AS plural FROM (SELECT ${parts} AS p)))`;
}

/**
 * The caller's Microsoft units, each with its FOCUS unit: a CTE computed once per distinct unit,
 * then joined, because the regular expressions cost seconds per million lines.
 */
function focusUnits(ctx: DatasetContext): Sql {
  const own = (alias: string) => scope(ctx.caller, alias, null);
  return sql`focus_units AS (
    SELECT unit, ${sql.raw(focusUnitSql('unit'))} AS focus_unit FROM (
      SELECT unit_type AS unit FROM billing_usage_lines u WHERE ${own('u')}
      UNION SELECT unit FROM billing_usage_lines u WHERE ${own('u')}
      UNION SELECT unit_type FROM billing_onetime_lines o WHERE ${own('o')}) units
    WHERE unit IS NOT NULL)`;
}

const unitJoin = (alias: string, unit: string) => `LEFT JOIN focus_units ${alias} ON ${alias}.unit = ${unit}`;

// ---- Amortization ------------------------------------------------------------------------------

/** A purchase's charge period: first day, and the day after the last (exclusive, at least a day later). */
const CHARGE_START: Record<'l' | 'o', string> = { l: 'l.charge_start_date', o: 'coalesce(o.charge_start_date, o.order_date)' };
const CHARGE_END: Record<'l' | 'o', string> = { l: 'l.charge_end_date + 1', o: 'coalesce(o.charge_end_date, o.order_date) + 1' };

/**
 * The calendar months of a purchase's charge period, one row each (`s`): the slice's first day, its
 * end (exclusive), and the period's days. A LATERAL is affordable here: license and one-time lines
 * are few next to usage lines.
 */
function monthSlices(line: 'l' | 'o'): string {
  const start = CHARGE_START[line];
  const end = `greatest(${CHARGE_END[line]}, ${start} + 1)`;
  return `CROSS JOIN LATERAL (
      SELECT ${start} AS charge_start, greatest(${start}, m::DATE) AS slice_start, least(${end}, (m + INTERVAL 1 MONTH)::DATE) AS slice_end,
             ${end} - ${start} AS days
      FROM generate_series(date_trunc('month', ${start}), ${end} - 1, INTERVAL 1 MONTH) g(m)) s`;
}

/**
 * The slice's share of an amount, by day: the difference of two points of the running total,
 * each rounded to the micro-unit the same way, so a purchase's slices add up to it exactly.
 */
function amortizedShare(amount: string): string {
  const upTo = (day: string) => `((CAST(${amount} * 1000000 AS HUGEINT) * (${day} - s.charge_start)) // s.days)`;
  return `(${upTo('s.slice_end')} - ${upTo('s.slice_start')}) * 0.000001`;
}

// ---- Columns -----------------------------------------------------------------------------------

const LICENSE_TAX_ROW = { licenseTax: 'l.tax', oneTimeTax: 'o.tax_total' } as const;

/** License Amount (UnitPrice × Quantity); usage UnitPrice × Quantity × PCToBCExchangeRate; one-time Subtotal. */
const LIST_COST = { license: 'l.amount', usage: 'u.unit_price * u.quantity * coalesce(u.pc_to_bc_exchange_rate, 1)', oneTime: 'o.subtotal' } as const;

const DESCRIPTION: Record<Purchase, string> = {
  license: `l.charge_type || ': ' || coalesce(l.offer_name, '')`,
  oneTime: `o.charge_type || ': ' || coalesce(o.product_name, '')`,
};

export const FOCUS_OUTPUT: readonly FocusOutputColumn[] = [
  { name: 'BilledCost', description: 'License Subtotal, usage BillingPreTaxTotal, one-time Subtotal; Tax rows: license Tax, one-time TaxTotal; amortization rows: 0', from: {
    license: 'l.subtotal', ...LICENSE_TAX_ROW, usage: 'u.billing_pre_tax_total', oneTime: 'o.subtotal', licenseAmortized: '0', oneTimeAmortized: '0' } },
  { name: 'BillingAccountId', description: 'Partner global account id (PartnerId)', from: { all: 'x.partner_id' } },
  { name: 'BillingAccountName', description: 'Partner name', from: { all: 'p.name' } },
  { name: 'BillingAccountType', description: '"Partner global account"', from: { all: `'Partner global account'` } },
  { name: 'BillingCurrency', description: 'Currency (license, one-time) or BillingCurrency (usage)', from: { license: 'l.currency', licenseTax: 'l.currency', usage: 'u.billing_currency', oneTime: 'o.currency', oneTimeTax: 'o.currency' } },
  { name: 'BillingPeriodEnd', description: 'Invoice billing period end + 1 day (exclusive); without an invoice row, the end of the charge\'s month', from: { all: 'PERIOD_END' } },
  { name: 'BillingPeriodStart', description: 'Invoice billing period start; without an invoice row, the first day of the charge\'s month', from: { all: 'PERIOD_START' } },
  { name: 'ChargeCategory', description: 'Purchase (license, one-time), Usage (daily-rated; amortization rows), Credit ("Offset a line item" and usage discounts), Tax', from: {
    license: `CASE WHEN ${isCredit('l')} THEN 'Credit' ELSE 'Purchase' END`, licenseTax: `'Tax'`,
    usage: `CASE WHEN lower(u.charge_type) = ${OFFSET} OR lower(u.charge_type) IN ${USAGE_DISCOUNTS} THEN 'Credit' ELSE 'Usage' END`,
    oneTime: `CASE WHEN ${isCredit('o')} THEN 'Credit' ELSE 'Purchase' END`, oneTimeTax: `'Tax'`,
    licenseAmortized: `'Usage'`, oneTimeAmortized: `'Usage'` } },
  { name: 'ChargeClass', description: 'Always null: the files do not mark corrections of earlier periods', from: {} },
  { name: 'ChargeDescription', description: 'ChargeType and the offer, meter or product name; amortization rows: "Amortized " and the purchase\'s', from: {
    license: DESCRIPTION.license, licenseTax: `'Tax: ' || coalesce(l.offer_name, '')`,
    usage: `u.charge_type || ': ' || coalesce(u.meter_category, '') || ' ' || coalesce(u.meter_name, '')`,
    oneTime: DESCRIPTION.oneTime, oneTimeTax: `'Tax: ' || coalesce(o.product_name, '')`,
    licenseAmortized: `'Amortized ' || ${DESCRIPTION.license}`, oneTimeAmortized: `'Amortized ' || ${DESCRIPTION.oneTime}` } },
  { name: 'ChargeFrequency', description: 'Recurring (license-based), Usage-Based (daily-rated; amortization rows), One-Time (one-time file)', from: {
    license: `'Recurring'`, licenseTax: `'Recurring'`, usage: `'Usage-Based'`, oneTime: `'One-Time'`, oneTimeTax: `'One-Time'`,
    licenseAmortized: `'Usage-Based'`, oneTimeAmortized: `'Usage-Based'` } },
  { name: 'ChargePeriodEnd', description: 'ChargeEndDate + 1 day (exclusive); usage: UsageDate + 1 day; amortization rows: the end of the month\'s slice', from: {
    license: CHARGE_END.l, licenseTax: CHARGE_END.l, usage: 'u.usage_date + 1', oneTime: CHARGE_END.o, oneTimeTax: CHARGE_END.o,
    licenseAmortized: 's.slice_end', oneTimeAmortized: 's.slice_end' } },
  { name: 'ChargePeriodStart', description: 'ChargeStartDate; usage: UsageDate; amortization rows: the start of the month\'s slice', from: {
    license: CHARGE_START.l, licenseTax: CHARGE_START.l, usage: 'u.usage_date', oneTime: CHARGE_START.o, oneTimeTax: CHARGE_START.o,
    licenseAmortized: 's.slice_start', oneTimeAmortized: 's.slice_start' } },
  { name: 'ConsumedQuantity', description: 'Usage Quantity; amortization rows: the purchased quantity', from: {
    usage: 'u.quantity', licenseAmortized: 'l.quantity', oneTimeAmortized: 'coalesce(o.billable_quantity, o.quantity)' } },
  { name: 'ConsumedUnit', description: 'Usage Unit in FOCUS unit format; amortization rows: the purchase\'s PricingUnit', from: {
    usage: 'cu.focus_unit', licenseAmortized: `'Licenses'`, oneTimeAmortized: `coalesce(ou.focus_unit, 'Units')` } },
  { name: 'ContractedCost', description: 'Same as ListCost: CSP prices are the price list\'s, before partner earned credit and discounts', from: {
    ...LIST_COST, ...LICENSE_TAX_ROW, licenseAmortized: amortizedShare(LIST_COST.license), oneTimeAmortized: amortizedShare(LIST_COST.oneTime) } },
  { name: 'ContractedUnitPrice', description: 'UnitPrice (license, one-time); usage UnitPrice × PCToBCExchangeRate', from: {
    license: 'l.unit_price', usage: 'u.unit_price * coalesce(u.pc_to_bc_exchange_rate, 1)', oneTime: 'o.unit_price' } },
  { name: 'EffectiveCost', description: 'Usage BillingPreTaxTotal; Credit and Tax rows: their BilledCost; purchases: 0, their cost is on their amortization rows (a month\'s share of the Subtotal, by day)', from: {
    license: `CASE WHEN ${isCredit('l')} THEN l.subtotal ELSE 0 END`, ...LICENSE_TAX_ROW, usage: 'u.billing_pre_tax_total',
    oneTime: `CASE WHEN ${isCredit('o')} THEN o.subtotal ELSE 0 END`,
    licenseAmortized: amortizedShare('l.subtotal'), oneTimeAmortized: amortizedShare('o.subtotal') } },
  { name: 'InvoiceId', description: 'InvoiceNumber', from: { all: 'x.invoice_number' } },
  { name: 'InvoiceIssuerName', description: '"Microsoft": Microsoft invoices the CSP partner', from: { all: `'Microsoft'` } },
  { name: 'ListCost', description: 'License Amount (UnitPrice × Quantity); usage UnitPrice × Quantity × PCToBCExchangeRate; one-time Subtotal; Tax rows: the tax; amortization rows: the month\'s share', from: {
    ...LIST_COST, ...LICENSE_TAX_ROW, licenseAmortized: amortizedShare(LIST_COST.license), oneTimeAmortized: amortizedShare(LIST_COST.oneTime) } },
  { name: 'ListUnitPrice', description: 'UnitPrice (license, one-time); usage UnitPrice × PCToBCExchangeRate', from: {
    license: 'l.unit_price', usage: 'u.unit_price * coalesce(u.pc_to_bc_exchange_rate, 1)', oneTime: 'o.unit_price' } },
  { name: 'PricingCategory', description: '"Standard" (price list) for every priced line', from: { license: `'Standard'`, usage: `'Standard'`, oneTime: `'Standard'` } },
  { name: 'PricingCurrency', description: 'Usage PricingCurrency; one-time PricingCurrency', from: { usage: 'u.pricing_currency', oneTime: 'o.pricing_currency' } },
  { name: 'PricingCurrencyEffectiveCost', description: 'Usage PricingPreTaxTotal', from: { usage: 'u.pricing_pre_tax_total' } },
  { name: 'PricingCurrencyListUnitPrice', description: 'Usage UnitPrice (pricing currency)', from: { usage: 'u.unit_price' } },
  { name: 'PricingQuantity', description: 'Quantity (license, usage), BillableQuantity or Quantity (one-time); null on Tax rows', from: {
    license: 'l.quantity', usage: 'u.quantity', oneTime: 'coalesce(o.billable_quantity, o.quantity)' } },
  { name: 'PricingUnit', description: '"Licenses" (license-based), usage and one-time UnitType in FOCUS unit format ("10K Operations" -> "10000 Operations"); null on Tax rows', from: {
    license: `'Licenses'`, usage: 'pu.focus_unit', oneTime: `coalesce(ou.focus_unit, 'Units')` } },
  { name: 'ProviderName', description: '"Microsoft"', from: { all: `'Microsoft'` } },
  { name: 'PublisherName', description: 'PublisherName of the line, else "Microsoft"', from: {
    license: `'Microsoft'`, licenseTax: `'Microsoft'`, usage: `coalesce(nullif(u.publisher_name, ''), 'Microsoft')`,
    oneTime: `coalesce(nullif(o.publisher_name, ''), 'Microsoft')`, oneTimeTax: `coalesce(nullif(o.publisher_name, ''), 'Microsoft')` } },
  { name: 'RegionName', description: 'Usage ResourceLocation', from: { usage: 'u.resource_location' } },
  { name: 'ResourceId', description: 'Usage ResourceURI', from: { usage: 'u.resource_uri' } },
  { name: 'ResourceType', description: 'Usage ConsumedService', from: { usage: 'u.consumed_service' } },
  { name: 'ServiceCategory', description: 'From the meter category (usage) or the product family (license, one-time); see the README table', from: perLine((line) => serviceOf(line, 'category')) },
  { name: 'ServiceName', description: 'OfferName (license), MeterCategory (usage), ProductName (one-time)', from: perLine((line) => `coalesce(${SERVICE_OF[line].name}, 'Unknown')`) },
  { name: 'ServiceSubcategory', description: 'FOCUS subcategory of the service, from the meter category (usage) or the product family (license, one-time); see the README table', from: perLine((line) => serviceOf(line, 'subcategory')) },
  { name: 'SkuId', description: 'DurableOfferId (license), SkuId (usage, one-time); null on Tax rows', from: { license: 'l.durable_offer_id', usage: 'u.sku_id', oneTime: 'o.sku_id' } },
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
  { name: 'x_MeterSubCategory', type: 'VARCHAR', description: 'Usage MeterSubCategory: the Azure service type, which can affect the rate', from: { usage: 'u.meter_sub_category' } },
];

const SPEC = new Map(FOCUS_1_2_COLUMNS.map((c) => [c.id, c]));

function typeOf(column: FocusOutputColumn): string {
  if (column.type) return column.type;
  const spec = SPEC.get(column.name);
  if (!spec) throw new Error(`FOCUS column ${column.name} is not in the FOCUS 1.2 list; extension columns start with x_ and carry a type`);
  return DUCKDB_TYPE_OF_FOCUS[spec.type];
}

export const FOCUS_COLUMNS: readonly ColumnSpec[] = FOCUS_OUTPUT.map((c) => ({ name: c.name, type: typeOf(c), description: c.description }));

/** The day a line's charge falls on, for lines whose invoice has no row in `invoices`. */
const CHARGE_DAY: Record<Line, string> = { l: CHARGE_START.l, u: 'u.usage_date', o: CHARGE_START.o };

/**
 * The billing period of a line: its invoice's (`i`, joined by invoice number), else the calendar
 * month of its charge. Plain expressions over the join, not a LATERAL subquery: DuckDB decorrelates
 * a LATERAL by materializing the outer rows, 4 GB for 6M usage lines.
 */
const periodStart = (line: Line) => `coalesce(i.billing_period_start, date_trunc('month', ${CHARGE_DAY[line]}))::TIMESTAMP`;
const periodEnd = (line: Line) => `(coalesce(i.billing_period_end, last_day(${CHARGE_DAY[line]})) + 1)::TIMESTAMP`;

/** A column's expression for a source: its own, else (amortization) its purchase's, else the shared one, else NULL. */
function expressionFor(column: FocusOutputColumn, source: Source): string {
  const line = LINE[source];
  const purchase = AMORTIZES[source];
  const own = column.from[source] ?? (purchase && column.from[purchase]);
  const shared = column.from.all?.replaceAll('x.', `${line}.`).replace('PERIOD_START', periodStart(line)).replace('PERIOD_END', periodEnd(line));
  return own ?? shared ?? 'NULL';
}

/** The SELECT list of one source; `x.` in the shared (`all`) expressions is the source's line table. */
function select(source: Source): Sql {
  return sql.raw(FOCUS_OUTPUT.map((c) => `CAST(${expressionFor(c, source)} AS ${typeOf(c)}) AS ${c.name}`).join(',\n  '));
}

/** The product family of a license line's offer, by its DurableOfferId: the license file's OfferId is not the price list's offer id, its DurableOfferId is. */
const FAMILY_BY_OFFER = `(SELECT partner_id, offer_id, any_value(product_family) AS product_family FROM products GROUP BY partner_id, offer_id)`;

/** The product family of a product (one-time lines): one row per key, so a join never repeats a line. */
const FAMILY_BY_PRODUCT = `(SELECT partner_id, product_id, any_value(product_family) AS product_family FROM products GROUP BY partner_id, product_id)`;

/** The line's invoice row (at most one per number), for its billing period. */
const invoiceOf = (line: string) => sql.raw(`LEFT JOIN invoices i ON i.partner_id = ${line}.partner_id AND i.invoice_number = ${line}.invoice_number`);

export const focus: Dataset = {
  name: 'focus',
  title: 'FOCUS 1.2 cost and usage',
  description:
    'Billing and usage from the reconciliation files as a FinOps FOCUS 1.2 cost-and-usage dataset (license-based, daily-rated usage and one-time lines, Tax rows, and the monthly amortization of purchases), with customer, reseller and partner earned credit as x_ extension columns. The timeframe selects invoices by billing period.',
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
  const where = (line: Line) =>
    sql`${scope(ctx.caller, line, `${line}.mpn_id`)} AND ${sql.raw(periodStart(line))} >= ${from} AND ${sql.raw(periodStart(line))} < ${until}
      AND ${filterConditions(ctx.filters, { locationMpnIds: `${line}.mpn_id` })}`;
  const license = (source: Source, extra: string, slices = '') => sql`
    SELECT ${select(source)}
    FROM billing_license_lines l
    JOIN partners p ON p.partner_id = l.partner_id
    LEFT JOIN ${sql.raw(FAMILY_BY_OFFER)} pr ON pr.partner_id = l.partner_id AND pr.offer_id = l.durable_offer_id
    ${invoiceOf('l')}
    ${sql.raw(slices)}
    WHERE ${where('l')} AND ${sql.raw(extra)}`;
  const oneTime = (source: Source, extra: string, slices = '') => sql`
    SELECT ${select(source)}
    FROM billing_onetime_lines o
    JOIN partners p ON p.partner_id = o.partner_id
    LEFT JOIN ${sql.raw(FAMILY_BY_PRODUCT)} opr ON opr.partner_id = o.partner_id AND opr.product_id = o.product_id
    ${sql.raw(unitJoin('ou', 'o.unit_type'))}
    ${invoiceOf('o')}
    ${sql.raw(slices)}
    WHERE ${where('o')} AND ${sql.raw(extra)}`;
  const usage = sql`
    SELECT ${select('usage')}
    FROM billing_usage_lines u
    JOIN partners p ON p.partner_id = u.partner_id
    ${sql.raw(unitJoin('pu', 'u.unit_type'))}
    ${sql.raw(unitJoin('cu', 'u.unit'))}
    ${invoiceOf('u')}
    WHERE ${where('u')}`;
  // A purchase with an amount is amortized; a credit refunds what it refunds when it is billed.
  const amortized = (line: 'l' | 'o', amount: string) => `NOT ${isCredit(line)} AND coalesce(${amount}, 0) <> 0`;
  return sql`WITH ${focusUnits(ctx)}
  ${license('license', 'TRUE')}
  UNION ALL ${license('licenseTax', 'coalesce(l.tax, 0) <> 0')}
  UNION ALL ${license('licenseAmortized', amortized('l', 'l.subtotal'), monthSlices('l'))}
  UNION ALL ${usage}
  UNION ALL ${oneTime('oneTime', 'TRUE')}
  UNION ALL ${oneTime('oneTimeTax', 'coalesce(o.tax_total, 0) <> 0')}
  UNION ALL ${oneTime('oneTimeAmortized', amortized('o', 'o.subtotal'), monthSlices('o'))}`;
}
