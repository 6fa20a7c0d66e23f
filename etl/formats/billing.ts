import { LICENSE_CHARGE_TYPES, ONE_TIME_CHARGE_TYPES, USAGE_CHARGE_TYPES } from '../../core/vocabulary';
import type { ColumnSpec, FileFormat } from './types';

const money = (header: string, column: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  header,
  column,
  type: 'MONEY',
  ...extra,
});
const text = (header: string, column: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({
  header,
  column,
  type: 'VARCHAR',
  ...extra,
});

/** License-based reconciliation file: reference line 10081, every column with its sample values. */
export const licenseReconFormat: FileFormat = {
  name: 'license-recon',
  table: 'billing_license_lines',
  description: 'License-based reconciliation file (Office 365, Dynamics 365 and other seat-based offers)',
  source: 'Partner Center documentation: "Understand the fields in Partner Center license-based reconciliation files"',
  dateStyle: 'us',
  invoiceFromFileName: true,
  replaceBy: ['invoice_number'],
  columns: [
    text('InvoiceNumber', 'invoice_number', { aliases: ['Invoice Number'] }),
    text('PartnerId', 'partner_id', { required: true, notEmpty: true }),
    text('CustomerId', 'customer_id', { required: true, notEmpty: true }),
    text('CustomerName', 'customer_name'),
    text('MpnId', 'mpn_id', { required: true }),
    text('ResellerMpnId', 'reseller_mpn_id', { aliases: ['Tier2MpnId'] }),
    text('OrderId', 'order_id'),
    text('SubscriptionId', 'subscription_id'),
    text('SyndicationPartnerSubscriptionNumber', 'syndication_partner_subscription_number', { required: true, notEmpty: true }),
    text('OfferId', 'offer_id'),
    text('DurableOfferId', 'durable_offer_id'),
    text('OfferName', 'offer_name', { required: true }),
    { header: 'SubscriptionStartDate', column: 'subscription_start_date', type: 'DATE' },
    { header: 'SubscriptionEndDate', column: 'subscription_end_date', type: 'DATE' },
    { header: 'ChargeStartDate', column: 'charge_start_date', type: 'DATE', required: true, notEmpty: true },
    { header: 'ChargeEndDate', column: 'charge_end_date', type: 'DATE', required: true, notEmpty: true },
    text('ChargeType', 'charge_type', { required: true, notEmpty: true, allowed: LICENSE_CHARGE_TYPES }),
    money('UnitPrice', 'unit_price', { required: true, notEmpty: true }),
    { header: 'Quantity', column: 'quantity', type: 'INTEGER', required: true, notEmpty: true },
    money('Amount', 'amount', { required: true, notEmpty: true }),
    money('TotalOtherDiscount', 'total_other_discount'),
    money('Subtotal', 'subtotal', { required: true, notEmpty: true }),
    money('Tax', 'tax', { required: true }),
    money('TotalForCustomer', 'total_for_customer', { required: true }),
    text('Currency', 'currency', { required: true, notEmpty: true }),
    text('DomainName', 'domain_name'),
    text('SubscriptionName', 'subscription_name'),
    text('SubscriptionDescription', 'subscription_description'),
    text('BillingCycleType', 'billing_cycle_type'),
  ],
};

/** Daily-rated usage reconciliation file: reference line 9997 plus the newer columns in billing-facts.md. */
export const dailyUsageReconFormat: FileFormat = {
  name: 'daily-usage-recon',
  table: 'billing_usage_lines',
  description: 'Daily-rated usage reconciliation file (Azure plan and other metered usage, one row per meter per day)',
  source: 'Partner Center documentation: "Learn how to read daily-rated usage reconciliation files" and billing-facts.md',
  dateStyle: 'us',
  invoiceFromFileName: true,
  replaceBy: ['invoice_number'],
  columns: [
    text('PartnerId', 'partner_id', { required: true, notEmpty: true }),
    text('PartnerName', 'partner_name'),
    text('CustomerId', 'customer_id', { required: true, notEmpty: true }),
    text('CustomerName', 'customer_name'),
    text('CustomerDomainName', 'customer_domain_name'),
    text('CustomerCountry', 'customer_country'),
    text('MpnId', 'mpn_id', { required: true }),
    text('Tier2MpnId', 'tier2_mpn_id', { aliases: ['ResellerMpnId'] }),
    text('InvoiceNumber', 'invoice_number', { required: true, notEmpty: true }),
    text('ProductId', 'product_id'),
    text('SkuId', 'sku_id', { aliases: ['Skuld'] }),
    text('AvailabilityId', 'availability_id'),
    text('SkuName', 'sku_name'),
    text('ProductName', 'product_name'),
    text('PublisherName', 'publisher_name'),
    text('PublisherId', 'publisher_id'),
    text('SubscriptionDescription', 'subscription_description'),
    text('SubscriptionId', 'subscription_id', { required: true, notEmpty: true }),
    { header: 'ChargeStartDate', column: 'charge_start_date', type: 'DATE' },
    { header: 'ChargeEndDate', column: 'charge_end_date', type: 'DATE' },
    { header: 'UsageDate', column: 'usage_date', type: 'DATE', required: true, notEmpty: true },
    text('MeterType', 'meter_type'),
    text('MeterCategory', 'meter_category', { required: true }),
    text('MeterId', 'meter_id'),
    text('MeterSubCategory', 'meter_sub_category'),
    text('MeterName', 'meter_name'),
    text('MeterRegion', 'meter_region'),
    text('Unit', 'unit'),
    text('ResourceLocation', 'resource_location'),
    text('ConsumedService', 'consumed_service'),
    text('ResourceGroup', 'resource_group'),
    text('ResourceURI', 'resource_uri'),
    text('ChargeType', 'charge_type', { required: true, notEmpty: true, allowed: USAGE_CHARGE_TYPES }),
    money('UnitPrice', 'unit_price', { required: true, notEmpty: true }),
    { header: 'Quantity', column: 'quantity', type: 'QUANTITY', required: true, notEmpty: true },
    text('UnitType', 'unit_type'),
    money('BillingPreTaxTotal', 'billing_pre_tax_total', { required: true, notEmpty: true }),
    text('BillingCurrency', 'billing_currency', { required: true, notEmpty: true }),
    money('PricingPreTaxTotal', 'pricing_pre_tax_total'),
    text('PricingCurrency', 'pricing_currency'),
    text('ServiceInfo1', 'service_info1'),
    text('ServiceInfo2', 'service_info2'),
    text('Tags', 'tags'),
    text('AdditionalInfo', 'additional_info'),
    money('EffectiveUnitPrice', 'effective_unit_price'),
    { header: 'PCToBCExchangeRate', column: 'pc_to_bc_exchange_rate', type: 'QUANTITY' },
    { header: 'PCToBCExchangeRateDate', column: 'pc_to_bc_exchange_rate_date', type: 'DATE' },
    text('EntitlementId', 'entitlement_id'),
    text('EntitlementDescription', 'entitlement_description'),
    { header: 'PartnerEarnedCreditPercentage', column: 'partner_earned_credit_percentage', type: 'QUANTITY' },
    { header: 'CreditPercentage', column: 'credit_percentage', type: 'QUANTITY' },
    text('CreditType', 'credit_type'),
    text('BenefitOrderId', 'benefit_order_id'),
    text('BenefitId', 'benefit_id'),
    text('BenefitType', 'benefit_type'),
  ],
};

/**
 * New-commerce one-time and recurring reconciliation file (billing-facts.md): every documented
 * column. PriceAdjustmentDescription is kept as the JSON array text it is. Charge types: the allowed
 * list of core/vocabulary.ts, which also accepts the API's Purchase and Refund as written.
 */
export const oneTimeReconFormat: FileFormat = {
  name: 'onetime-recon',
  table: 'billing_onetime_lines',
  description: 'One-time and recurring (new commerce) invoice reconciliation file: Azure RI, Marketplace, Azure plan, SaaS',
  source:
    'billing-facts.md, "New-commerce invoice reconciliation file", every column; Subtotal checked against the documented rounding rules ' +
    '(seat-based and usage), a difference reported in the load result, never rejected',
  dateStyle: 'us',
  invoiceFromFileName: true,
  amountCheck: 'new-commerce',
  replaceBy: ['invoice_number'],
  columns: [
    text('PartnerId', 'partner_id', { required: true, notEmpty: true }),
    text('CustomerId', 'customer_id', { required: true, notEmpty: true }),
    text('CustomerName', 'customer_name'),
    text('CustomerDomainName', 'customer_domain_name'),
    text('CustomerCountry', 'customer_country'),
    text('InvoiceNumber', 'invoice_number', { required: true, notEmpty: true }),
    text('MpnId', 'mpn_id', { required: true }),
    text('ResellerMpnId', 'reseller_mpn_id', { aliases: ['Tier2MpnId'] }),
    text('OrderId', 'order_id'),
    { header: 'OrderDate', column: 'order_date', type: 'DATE' },
    text('ProductId', 'product_id', { required: true }),
    text('SkuId', 'sku_id'),
    text('AvailabilityId', 'availability_id'),
    text('SkuName', 'sku_name'),
    text('ProductName', 'product_name'),
    text('ChargeType', 'charge_type', { required: true, notEmpty: true, allowed: ONE_TIME_CHARGE_TYPES }),
    money('UnitPrice', 'unit_price', { required: true, notEmpty: true }),
    { header: 'Quantity', column: 'quantity', type: 'QUANTITY', required: true, notEmpty: true },
    money('Subtotal', 'subtotal', { required: true, notEmpty: true }),
    money('TaxTotal', 'tax_total', { required: true }),
    money('Total', 'total', { required: true }),
    text('Currency', 'currency', { required: true, notEmpty: true }),
    text('PriceAdjustmentDescription', 'price_adjustment_description'),
    text('PublisherName', 'publisher_name'),
    text('PublisherId', 'publisher_id'),
    text('SubscriptionDescription', 'subscription_description'),
    text('SubscriptionId', 'subscription_id', { required: true, notEmpty: true }),
    { header: 'ChargeStartDate', column: 'charge_start_date', type: 'DATE', required: true, notEmpty: true },
    { header: 'ChargeEndDate', column: 'charge_end_date', type: 'DATE', required: true, notEmpty: true },
    text('TermAndBillingCycle', 'term_and_billing_cycle'),
    money('EffectiveUnitPrice', 'effective_unit_price'),
    text('UnitType', 'unit_type'),
    text('AlternateId', 'alternate_id'),
    { header: 'BillableQuantity', column: 'billable_quantity', type: 'QUANTITY' },
    text('BillingFrequency', 'billing_frequency'),
    text('PricingCurrency', 'pricing_currency'),
    { header: 'PCToBCExchangeRate', column: 'pc_to_bc_exchange_rate', type: 'QUANTITY' },
    { header: 'PCToBCExchangeRateDate', column: 'pc_to_bc_exchange_rate_date', type: 'DATE' },
    text('MeterDescription', 'meter_description'),
    text('ReservationOrderId', 'reservation_order_id'),
    text('CreditReasonCode', 'credit_reason_code'),
    { header: 'SubscriptionStartDate', column: 'subscription_start_date', type: 'DATE' },
    { header: 'SubscriptionEndDate', column: 'subscription_end_date', type: 'DATE' },
    text('ReferenceId', 'reference_id'),
    text('ProductQualifiers', 'product_qualifiers'),
    text('PromotionId', 'promotion_id'),
  ],
};

/**
 * Invoice summary. Partner Center gives invoices as PDF; the fields are those of the invoice
 * (reference line 10465). This CSV carries them, one row per invoice, so invoices can be loaded
 * and reconciled: license-based charges = sum of Subtotal of the license file, usage-based charges
 * = sum of the usage file's pre-tax totals, tax = sum of Tax and TaxAmount.
 */
export const invoiceFormat: FileFormat = {
  name: 'invoices',
  table: 'invoices',
  description: 'Invoice summaries, one row per invoice (fields of the Partner Center invoice PDF)',
  source: 'defined here from "Partner Center billing invoices - learn how to read the billing and one-time charge fields"',
  dateStyle: 'iso',
  replaceBy: ['invoice_number'],
  columns: [
    text('InvoiceNumber', 'invoice_number', { required: true, notEmpty: true, aliases: ['Invoice no'] }),
    text('PartnerId', 'partner_id', { required: true, notEmpty: true }),
    { header: 'InvoiceDate', column: 'invoice_date', type: 'DATE', required: true, notEmpty: true },
    { header: 'BillingPeriodStart', column: 'billing_period_start', type: 'DATE', required: true, notEmpty: true },
    { header: 'BillingPeriodEnd', column: 'billing_period_end', type: 'DATE', required: true, notEmpty: true },
    text('InvoiceType', 'invoice_type', { required: true, notEmpty: true, allowed: ['Recurring', 'OneTime'] }),
    text('Currency', 'currency', { required: true, notEmpty: true }),
    money('LicenseBasedCharges', 'license_based_charges', { required: true }),
    money('UsageBasedCharges', 'usage_based_charges', { required: true }),
    money('OneTimeCharges', 'one_time_charges'),
    money('Discounts', 'discounts'),
    money('Credits', 'credits'),
    money('Subtotal', 'subtotal', { required: true, notEmpty: true }),
    money('Tax', 'tax', { required: true }),
    money('OtherCredits', 'other_credits'),
    money('TotalCurrentCharges', 'total_current_charges', { required: true, notEmpty: true }),
    { header: 'PaymentTermsDays', column: 'payment_terms_days', type: 'INTEGER' },
    { header: 'PaymentDueDate', column: 'payment_due_date', type: 'DATE' },
  ],
};

/** Exchange rates from pricing to billing currency, one row per day and pair. */
export const fxRateFormat: FileFormat = {
  name: 'fx-rates',
  table: 'fx_rates',
  description: 'Exchange rates (pricing currency to billing currency) by day',
  source: 'defined here; the rate is the PCToBCExchangeRate of the reconciliation files',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'rate_date', 'from_currency', 'to_currency'],
  columns: [
    text('PartnerId', 'partner_id', { required: true, notEmpty: true }),
    { header: 'RateDate', column: 'rate_date', type: 'DATE', required: true, notEmpty: true },
    text('FromCurrency', 'from_currency', { required: true, notEmpty: true }),
    text('ToCurrency', 'to_currency', { required: true, notEmpty: true }),
    { header: 'Rate', column: 'rate', type: 'QUANTITY', required: true, notEmpty: true },
  ],
};

/** What a JSON variant changes in a column of the CSV format: more names, value spellings. */
interface JsonColumnChange {
  aliases?: readonly string[];
  values?: Readonly<Record<string, string | null>>;
  valuesSource?: string;
}

/**
 * The same line items as JSON: one object per line (Microsoft Graph's billed and unbilled usage and
 * reconciliation exports, gzip JSON lines) or the Partner Center REST API's pages
 * `{ totalCount, items: [...], links }`, plain or gzip. Attribute names match the CSV headers
 * case-insensitively (the API's camelCase `customerId` is `CustomerId`); dates are ISO
 * (`2017-05-12T00:00:00`); numbers are JSON numbers (`mpnId` too).
 */
function jsonVariant(
  base: FileFormat,
  name: string,
  objectTypes: readonly string[],
  changes: Record<string, JsonColumnChange>,
  note: string,
): FileFormat {
  return {
    ...base,
    name,
    description: `${base.description}, as JSON line items (API pages or JSON lines, plain or gzip)`,
    source: `Partner Center API invoice line items (attributes.objectType ${objectTypes.join(', ')}) and Microsoft Graph reconciliation exports, columns of \`${base.name}\` matched case-insensitively (billing-facts.md, "The same data from the Partner Center API"); ${note}`,
    dateStyle: 'iso',
    fileType: 'json',
    objectTypes,
    loadsAs: base.name,
    columns: base.columns.map((c) => {
      const change = changes[c.header];
      if (!change) return c;
      return {
        ...c,
        aliases: [...(c.aliases ?? []), ...(change.aliases ?? [])],
        ...(change.values ? { values: change.values, valuesSource: change.valuesSource } : {}),
      };
    }),
  };
}

/** tier2MpnId -1: "none" in API results (billing-facts.md), stored as unknown (NULL). */
const NO_RESELLER = { values: { '-1': null }, valuesSource: 'billing-facts.md: the API writes tier2MpnId -1 when there is none' };

export const licenseReconJsonFormat = jsonVariant(
  licenseReconFormat,
  'license-recon-json',
  ['LicenseBasedLineItem'],
  { ResellerMpnId: NO_RESELLER },
  'tier2MpnId -1 (none) is stored as NULL',
);

export const dailyUsageReconJsonFormat = jsonVariant(
  dailyUsageReconFormat,
  'daily-usage-recon-json',
  ['DailyRatedUsageLineItem'],
  {
    Tier2MpnId: NO_RESELLER,
    Unit: { aliases: ['unitOfMeasure'] },
    PartnerEarnedCreditPercentage: { aliases: ['rateOfPartnerEarnedCredit'] },
    CreditPercentage: { aliases: ['rateOfCredit'] },
  },
  'unitOfMeasure, rateOfPartnerEarnedCredit and rateOfCredit (Graph) are Unit, PartnerEarnedCreditPercentage and CreditPercentage; tier2MpnId -1 (none) is stored as NULL',
);

export const oneTimeReconJsonFormat = jsonVariant(
  oneTimeReconFormat,
  'onetime-recon-json',
  ['OneTimeInvoiceLineItem'],
  {
    Total: { aliases: ['TotalForCustomer'] },
    ResellerMpnId: NO_RESELLER,
    ChargeType: {
      values: { Purchase: 'New', Refund: 'Cancel' },
      valuesSource: 'billing-facts.md: in API results the charge type Purchase means New and Refund means Cancel',
    },
  },
  'totalForCustomer is Total; charge type Purchase is stored as New and Refund as Cancel; tier2MpnId -1 (none) is stored as NULL',
);
