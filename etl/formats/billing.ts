import { LICENSE_CHARGE_TYPES, ONE_TIME_CHARGE_TYPES, USAGE_CHARGE_TYPES } from '../../core/vocabulary';
import type { ColumnSpec, FileFormat } from './types';

/** A column: the header, the warehouse column it lands in, and what else the format says of it. */
const col = (header: string, column: string, extra: Partial<ColumnSpec> = {}): ColumnSpec => ({ header, column, ...extra });

/** License-based reconciliation file: reference line 10081, every column with its sample values. */
export const licenseReconFormat: FileFormat = {
  name: 'license-recon',
  table: 'billing_license_lines',
  description: 'License-based reconciliation file (Office 365, Dynamics 365 and other seat-based offers)',
  source: 'Partner Center documentation: "Understand the fields in Partner Center license-based reconciliation files"',
  dateStyle: 'us',
  invoiceFromFileName: true,
  amountRule: 'license',
  replaceBy: ['invoice_number'],
  columns: [
    col('InvoiceNumber', 'invoice_number', { aliases: ['Invoice Number'] }),
    col('PartnerId', 'partner_id', { required: true, notEmpty: true }),
    col('CustomerId', 'customer_id', { required: true, notEmpty: true }),
    col('CustomerName', 'customer_name'),
    col('MpnId', 'mpn_id', { required: true }),
    col('ResellerMpnId', 'reseller_mpn_id', { aliases: ['Tier2MpnId'] }),
    col('OrderId', 'order_id'),
    col('SubscriptionId', 'subscription_id'),
    col('SyndicationPartnerSubscriptionNumber', 'syndication_partner_subscription_number', { required: true, notEmpty: true }),
    col('OfferId', 'offer_id'),
    col('DurableOfferId', 'durable_offer_id'),
    col('OfferName', 'offer_name', { required: true }),
    col('SubscriptionStartDate', 'subscription_start_date'),
    col('SubscriptionEndDate', 'subscription_end_date'),
    col('ChargeStartDate', 'charge_start_date', { required: true, notEmpty: true }),
    col('ChargeEndDate', 'charge_end_date', { required: true, notEmpty: true }),
    col('ChargeType', 'charge_type', { required: true, notEmpty: true, allowed: LICENSE_CHARGE_TYPES }),
    col('UnitPrice', 'unit_price', { required: true, notEmpty: true }),
    col('Quantity', 'quantity', { required: true, notEmpty: true }),
    col('Amount', 'amount', { required: true, notEmpty: true }),
    col('TotalOtherDiscount', 'total_other_discount'),
    col('Subtotal', 'subtotal', { required: true, notEmpty: true }),
    col('Tax', 'tax', { required: true }),
    col('TotalForCustomer', 'total_for_customer', { required: true }),
    col('Currency', 'currency', { required: true, notEmpty: true }),
    col('DomainName', 'domain_name'),
    col('SubscriptionName', 'subscription_name'),
    col('SubscriptionDescription', 'subscription_description'),
    col('BillingCycleType', 'billing_cycle_type'),
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
  amountRule: 'daily-usage',
  replaceBy: ['invoice_number'],
  columns: [
    col('PartnerId', 'partner_id', { required: true, notEmpty: true }),
    col('PartnerName', 'partner_name'),
    col('CustomerId', 'customer_id', { required: true, notEmpty: true }),
    col('CustomerName', 'customer_name'),
    col('CustomerDomainName', 'customer_domain_name'),
    col('CustomerCountry', 'customer_country'),
    col('MpnId', 'mpn_id', { required: true }),
    col('Tier2MpnId', 'tier2_mpn_id', { aliases: ['ResellerMpnId'] }),
    col('InvoiceNumber', 'invoice_number', { required: true, notEmpty: true }),
    col('ProductId', 'product_id'),
    col('SkuId', 'sku_id', { aliases: ['Skuld'] }),
    col('AvailabilityId', 'availability_id'),
    col('SkuName', 'sku_name'),
    col('ProductName', 'product_name'),
    col('PublisherName', 'publisher_name'),
    col('PublisherId', 'publisher_id'),
    col('SubscriptionDescription', 'subscription_description'),
    col('SubscriptionId', 'subscription_id', { required: true, notEmpty: true }),
    col('ChargeStartDate', 'charge_start_date'),
    col('ChargeEndDate', 'charge_end_date'),
    col('UsageDate', 'usage_date', { required: true, notEmpty: true }),
    col('MeterType', 'meter_type'),
    col('MeterCategory', 'meter_category', { required: true }),
    col('MeterId', 'meter_id'),
    col('MeterSubCategory', 'meter_sub_category'),
    col('MeterName', 'meter_name'),
    col('MeterRegion', 'meter_region'),
    col('Unit', 'unit'),
    col('ResourceLocation', 'resource_location'),
    col('ConsumedService', 'consumed_service'),
    col('ResourceGroup', 'resource_group'),
    col('ResourceURI', 'resource_uri'),
    col('ChargeType', 'charge_type', { required: true, notEmpty: true, allowed: USAGE_CHARGE_TYPES }),
    col('UnitPrice', 'unit_price', { required: true, notEmpty: true }),
    col('Quantity', 'quantity', { quantity: true, required: true, notEmpty: true }),
    col('UnitType', 'unit_type'),
    col('BillingPreTaxTotal', 'billing_pre_tax_total', { required: true, notEmpty: true }),
    col('BillingCurrency', 'billing_currency', { required: true, notEmpty: true }),
    col('PricingPreTaxTotal', 'pricing_pre_tax_total'),
    col('PricingCurrency', 'pricing_currency'),
    col('ServiceInfo1', 'service_info1'),
    col('ServiceInfo2', 'service_info2'),
    col('Tags', 'tags'),
    col('AdditionalInfo', 'additional_info'),
    col('EffectiveUnitPrice', 'effective_unit_price'),
    col('PCToBCExchangeRate', 'pc_to_bc_exchange_rate', { quantity: true }),
    col('PCToBCExchangeRateDate', 'pc_to_bc_exchange_rate_date'),
    col('EntitlementId', 'entitlement_id'),
    col('EntitlementDescription', 'entitlement_description'),
    col('PartnerEarnedCreditPercentage', 'partner_earned_credit_percentage', { quantity: true }),
    col('CreditPercentage', 'credit_percentage', { quantity: true }),
    col('CreditType', 'credit_type'),
    col('BenefitOrderId', 'benefit_order_id'),
    col('BenefitId', 'benefit_id'),
    col('BenefitType', 'benefit_type'),
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
    '(seat-based, usage, prorated seats), a line that follows none quarantined',
  dateStyle: 'us',
  invoiceFromFileName: true,
  amountRule: 'new-commerce',
  replaceBy: ['invoice_number'],
  columns: [
    col('PartnerId', 'partner_id', { required: true, notEmpty: true }),
    col('CustomerId', 'customer_id', { required: true, notEmpty: true }),
    col('CustomerName', 'customer_name'),
    col('CustomerDomainName', 'customer_domain_name'),
    col('CustomerCountry', 'customer_country'),
    col('InvoiceNumber', 'invoice_number', { required: true, notEmpty: true }),
    col('MpnId', 'mpn_id', { required: true }),
    col('ResellerMpnId', 'reseller_mpn_id', { aliases: ['Tier2MpnId'] }),
    col('OrderId', 'order_id'),
    col('OrderDate', 'order_date'),
    col('ProductId', 'product_id', { required: true }),
    col('SkuId', 'sku_id'),
    col('AvailabilityId', 'availability_id'),
    col('SkuName', 'sku_name'),
    col('ProductName', 'product_name'),
    col('ChargeType', 'charge_type', { required: true, notEmpty: true, allowed: ONE_TIME_CHARGE_TYPES }),
    col('UnitPrice', 'unit_price', { required: true, notEmpty: true }),
    col('Quantity', 'quantity', { quantity: true, required: true, notEmpty: true }),
    col('Subtotal', 'subtotal', { required: true, notEmpty: true }),
    col('TaxTotal', 'tax_total', { required: true }),
    col('Total', 'total', { required: true }),
    col('Currency', 'currency', { required: true, notEmpty: true }),
    col('PriceAdjustmentDescription', 'price_adjustment_description'),
    col('PublisherName', 'publisher_name'),
    col('PublisherId', 'publisher_id'),
    col('SubscriptionDescription', 'subscription_description'),
    col('SubscriptionId', 'subscription_id', { required: true, notEmpty: true }),
    col('ChargeStartDate', 'charge_start_date', { required: true, notEmpty: true }),
    col('ChargeEndDate', 'charge_end_date', { required: true, notEmpty: true }),
    col('TermAndBillingCycle', 'term_and_billing_cycle'),
    col('EffectiveUnitPrice', 'effective_unit_price'),
    col('UnitType', 'unit_type'),
    col('AlternateId', 'alternate_id'),
    col('BillableQuantity', 'billable_quantity', { quantity: true }),
    col('BillingFrequency', 'billing_frequency'),
    col('PricingCurrency', 'pricing_currency'),
    col('PCToBCExchangeRate', 'pc_to_bc_exchange_rate', { quantity: true }),
    col('PCToBCExchangeRateDate', 'pc_to_bc_exchange_rate_date'),
    col('MeterDescription', 'meter_description'),
    col('ReservationOrderId', 'reservation_order_id'),
    col('CreditReasonCode', 'credit_reason_code'),
    col('SubscriptionStartDate', 'subscription_start_date'),
    col('SubscriptionEndDate', 'subscription_end_date'),
    col('ReferenceId', 'reference_id'),
    col('ProductQualifiers', 'product_qualifiers'),
    col('PromotionId', 'promotion_id'),
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
    col('InvoiceNumber', 'invoice_number', { required: true, notEmpty: true, aliases: ['Invoice no'] }),
    col('PartnerId', 'partner_id', { required: true, notEmpty: true }),
    col('InvoiceDate', 'invoice_date', { required: true, notEmpty: true }),
    col('BillingPeriodStart', 'billing_period_start', { required: true, notEmpty: true }),
    col('BillingPeriodEnd', 'billing_period_end', { required: true, notEmpty: true }),
    col('InvoiceType', 'invoice_type', { required: true, notEmpty: true, allowed: ['Recurring', 'OneTime'] }),
    col('Currency', 'currency', { required: true, notEmpty: true }),
    col('LicenseBasedCharges', 'license_based_charges', { required: true }),
    col('UsageBasedCharges', 'usage_based_charges', { required: true }),
    col('OneTimeCharges', 'one_time_charges'),
    col('Discounts', 'discounts'),
    col('Credits', 'credits'),
    col('Subtotal', 'subtotal', { required: true, notEmpty: true }),
    col('Tax', 'tax', { required: true }),
    col('OtherCredits', 'other_credits'),
    col('TotalCurrentCharges', 'total_current_charges', { required: true, notEmpty: true }),
    col('PaymentTermsDays', 'payment_terms_days'),
    col('PaymentDueDate', 'payment_due_date'),
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
    col('PartnerId', 'partner_id', { required: true, notEmpty: true }),
    col('RateDate', 'rate_date', { required: true, notEmpty: true }),
    col('FromCurrency', 'from_currency', { required: true, notEmpty: true }),
    col('ToCurrency', 'to_currency', { required: true, notEmpty: true }),
    col('Rate', 'rate', { quantity: true, required: true, notEmpty: true }),
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
    // The API writes the percentage as a rate (0.15): stored as the files write it, 15.
    PartnerEarnedCreditPercentage: {
      aliases: ['rateOfPartnerEarnedCredit'],
      values: { '0.15': '15', '0.150000': '15', '0.0': '0', '0.000000': '0' },
      valuesSource: 'billing-facts.md: rateOfPartnerEarnedCredit is a rate (0 or 0.15) where the files write the percentage (0 or 15)',
    },
    CreditPercentage: { aliases: ['rateOfCredit'] },
  },
  'unitOfMeasure, rateOfPartnerEarnedCredit and rateOfCredit (Graph) are Unit, PartnerEarnedCreditPercentage and CreditPercentage; rateOfPartnerEarnedCredit 0.15 is stored as the percentage 15; tier2MpnId -1 (none) is stored as NULL',
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
