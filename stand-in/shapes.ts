/**
 * A line item (data-set.ts: keyed by the reconciliation file's columns in camelCase) as each API
 * writes it.
 *
 * Partner Center REST, GET /v1/invoices/{id}/lineitems ("Get invoice line items", "Get invoice
 * billed commercial consumption line items"): camelCase names, `attributes.objectType`,
 * `invoiceLineItemType`, `billingProvider`; numbers as JSON numbers. As the documentation's
 * examples show:
 *   LicenseBasedLineItem     no invoiceNumber (the invoice is the one asked for); mpnId and tier2MpnId numbers, -1: none
 *   OneTimeInvoiceLineItem   totalForCustomer (the file's Total); charge type Purchase for New and Refund for Cancel
 *                            (billing-facts.md: "In API results the charge type Purchase means New and Refund means Cancel")
 *   DailyRatedUsageLineItem  unitOfMeasure (Unit), resellerMpnId (Tier2MpnId), rateOfPartnerEarnedCredit and
 *                            rateOfCredit as rates (0.15), not percentages
 *
 * Microsoft Graph's partner billing exports (blobs of JSON lines): the attribute names of the
 * "attributeSet enum type" page for usage (PascalCase as listed there: `PCToBCExchangeRate`,
 * `ResourceURI`, `BenefitOrderID`, ...; `basic` keeps the attributes marked Basic), and the
 * reconciliation file's columns for billed reconciliation (billing-facts.md, "New-commerce invoice
 * reconciliation file"). No objectType: a blob holds one kind of line.
 */
import type { Json, LineItem } from './data-set';

const SPECIAL_NAMES: Record<string, string> = {
  pcToBCExchangeRate: 'PCToBCExchangeRate',
  pcToBCExchangeRateDate: 'PCToBCExchangeRateDate',
  resourceUri: 'ResourceURI',
  benefitOrderId: 'BenefitOrderID',
  benefitId: 'BenefitID',
};
const NAMES = new Map<string, string>();

/** The Graph spelling of a camelCase column name. */
export function graphName(key: string): string {
  let name = NAMES.get(key);
  if (name === undefined) {
    name = SPECIAL_NAMES[key] ?? key[0].toUpperCase() + key.slice(1);
    NAMES.set(key, name);
  }
  return name;
}

/** Usage attributes of Graph's exports ("attributeSet enum type"): every one is in `full`; these are in `basic` too. */
export const GRAPH_USAGE_ATTRIBUTES: Record<string, 'full' | 'basic'> = {
  AdditionalInfo: 'basic',
  AvailabilityId: 'full',
  BenefitID: 'full',
  BenefitOrderID: 'basic',
  BenefitType: 'basic',
  BillingCurrency: 'basic',
  BillingPreTaxTotal: 'basic',
  ChargeEndDate: 'basic',
  ChargeStartDate: 'basic',
  ChargeType: 'basic',
  ConsumedService: 'full',
  CreditPercentage: 'basic',
  CreditType: 'basic',
  CustomerCountry: 'full',
  CustomerDomainName: 'full',
  CustomerId: 'basic',
  CustomerName: 'basic',
  EffectiveUnitPrice: 'basic',
  EntitlementDescription: 'full',
  EntitlementId: 'basic',
  InvoiceNumber: 'basic',
  MeterCategory: 'full',
  MeterId: 'full',
  MeterName: 'full',
  MeterRegion: 'full',
  MeterSubCategory: 'full',
  MeterType: 'full',
  MpnId: 'full',
  PartnerEarnedCreditPercentage: 'full',
  PartnerId: 'basic',
  PartnerName: 'basic',
  PCToBCExchangeRate: 'basic',
  PricingCurrency: 'basic',
  PricingPreTaxTotal: 'basic',
  ProductId: 'basic',
  ProductName: 'full',
  PublisherId: 'full',
  PublisherName: 'basic',
  Quantity: 'basic',
  ResourceGroup: 'full',
  ResourceLocation: 'full',
  ResourceURI: 'basic',
  ServiceInfo1: 'full',
  ServiceInfo2: 'full',
  SkuId: 'basic',
  SkuName: 'basic',
  SubscriptionDescription: 'full',
  SubscriptionId: 'basic',
  Tags: 'full',
  Tier2MpnId: 'full',
  Unit: 'full',
  UnitPrice: 'basic',
  UnitType: 'basic',
  UsageDate: 'basic',
};

export type AttributeSet = 'full' | 'basic';

/** A line as one JSON line of a Graph export blob. */
export function graphRecord(line: LineItem, attributeSet: AttributeSet = 'full'): Json {
  const out: Json = {};
  const raw = line.raw;
  const usage = line.kind === 'usage';
  for (const key in raw) {
    const name = graphName(key);
    if (usage) {
      const set = GRAPH_USAGE_ATTRIBUTES[name];
      if (!set || (attributeSet === 'basic' && set !== 'basic')) continue;
    }
    out[name] = raw[key];
  }
  return out;
}

/** A line as an item of a Partner Center REST line-items page. */
export function restItem(line: LineItem): Json {
  const r = line.raw;
  if (line.kind === 'license') {
    return { ...r, invoiceLineItemType: 'billing_line_items', billingProvider: 'office', attributes: { objectType: 'LicenseBasedLineItem' } };
  }
  const direct = String(r.resellerMpnId ?? r.tier2MpnId) === String(r.mpnId);
  if (line.kind === 'onetime') {
    const out: Json = {};
    for (const [key, value] of Object.entries(r)) {
      if (key === 'total') out.totalForCustomer = value;
      else if (key === 'chargeType') out.chargeType = value === 'New' ? 'Purchase' : value === 'Cancel' ? 'Refund' : value;
      else if (key === 'resellerMpnId') out.resellerMpnId = direct ? -1 : Number(value);
      else out[key] = value;
    }
    return { ...out, invoiceLineItemType: 'billing_line_items', billingProvider: 'one_time', attributes: { objectType: 'OneTimeInvoiceLineItem' } };
  }
  return {
    partnerId: r.partnerId,
    partnerName: r.partnerName,
    customerId: r.customerId,
    customerName: r.customerName,
    customerDomainName: r.customerDomainName,
    invoiceNumber: r.invoiceNumber,
    productId: r.productId,
    skuId: r.skuId,
    availabilityId: r.availabilityId,
    skuName: r.skuName,
    productName: r.productName,
    publisherName: r.publisherName,
    publisherId: r.publisherId,
    subscriptionId: r.subscriptionId,
    subscriptionDescription: r.subscriptionDescription,
    chargeStartDate: r.chargeStartDate,
    chargeEndDate: r.chargeEndDate,
    usageDate: r.usageDate,
    meterType: r.meterType,
    meterCategory: r.meterCategory,
    meterId: r.meterId,
    meterSubCategory: r.meterSubCategory,
    meterName: r.meterName,
    meterRegion: r.meterRegion,
    unitOfMeasure: r.unit,
    resourceLocation: r.resourceLocation,
    consumedService: r.consumedService,
    resourceGroup: r.resourceGroup,
    resourceUri: r.resourceUri,
    tags: r.tags,
    additionalInfo: r.additionalInfo,
    serviceInfo1: r.serviceInfo1,
    serviceInfo2: r.serviceInfo2,
    customerCountry: r.customerCountry,
    mpnId: r.mpnId,
    resellerMpnId: direct ? -1 : r.tier2MpnId,
    chargeType: r.chargeType,
    unitPrice: r.unitPrice,
    quantity: r.quantity,
    unitType: r.unitType,
    billingPreTaxTotal: r.billingPreTaxTotal,
    billingCurrency: r.billingCurrency,
    pricingPreTaxTotal: r.pricingPreTaxTotal,
    pricingCurrency: r.pricingCurrency,
    entitlementId: r.entitlementId,
    entitlementDescription: r.entitlementDescription,
    pcToBCExchangeRate: r.pcToBCExchangeRate,
    pcToBCExchangeRateDate: r.pcToBCExchangeRateDate,
    effectiveUnitPrice: r.effectiveUnitPrice,
    rateOfPartnerEarnedCredit: Number(r.partnerEarnedCreditPercentage) / 100,
    rateOfCredit: Number(r.creditPercentage) / 100,
    creditType: r.creditType,
    invoiceLineItemType: 'usage_line_items',
    billingProvider: 'marketplace',
    attributes: { objectType: 'DailyRatedUsageLineItem' },
  };
}
