/**
 * The FinOps Open Cost and Usage Specification (FOCUS) 1.2 cost-and-usage columns, as data: column
 * id, FOCUS data type, feature level and whether it allows nulls. Source: the specification's
 * column pages (github.com/FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, specification/columns/*.md,
 * "Content Constraints": Feature level, Allows nulls, Data type) for version 1.2 — 57 columns, 21 of
 * them Mandatory. The FOCUS export (datasets/focus.ts) is checked against this list by
 * test/exports/focus.test.ts. Custom columns are prefixed `x_`, as the specification requires.
 */
export type FocusDataType = 'Decimal' | 'String' | 'Date/Time' | 'JSON';
export type FocusFeatureLevel = 'Mandatory' | 'Recommended' | 'Conditional';

export interface FocusColumn {
  id: string;
  type: FocusDataType;
  level: FocusFeatureLevel;
  allowsNulls: boolean;
}

const c = (id: string, type: FocusDataType, level: FocusFeatureLevel, allowsNulls: boolean): FocusColumn => ({ id, type, level, allowsNulls });

export const FOCUS_VERSION = '1.2';

export const FOCUS_1_2_COLUMNS: readonly FocusColumn[] = [
  c('AvailabilityZone', 'String', 'Recommended', true),
  c('BilledCost', 'Decimal', 'Mandatory', false),
  c('BillingAccountId', 'String', 'Mandatory', false),
  c('BillingAccountName', 'String', 'Mandatory', true),
  c('BillingAccountType', 'String', 'Conditional', false),
  c('BillingCurrency', 'String', 'Mandatory', false),
  c('BillingPeriodEnd', 'Date/Time', 'Mandatory', false),
  c('BillingPeriodStart', 'Date/Time', 'Mandatory', false),
  c('CapacityReservationId', 'String', 'Conditional', true),
  c('CapacityReservationStatus', 'String', 'Conditional', true),
  c('ChargeCategory', 'String', 'Mandatory', false),
  c('ChargeClass', 'String', 'Mandatory', true),
  c('ChargeDescription', 'String', 'Mandatory', true),
  c('ChargeFrequency', 'String', 'Recommended', false),
  c('ChargePeriodEnd', 'Date/Time', 'Mandatory', false),
  c('ChargePeriodStart', 'Date/Time', 'Mandatory', false),
  c('CommitmentDiscountCategory', 'String', 'Conditional', true),
  c('CommitmentDiscountId', 'String', 'Conditional', true),
  c('CommitmentDiscountName', 'String', 'Conditional', true),
  c('CommitmentDiscountQuantity', 'Decimal', 'Conditional', true),
  c('CommitmentDiscountStatus', 'String', 'Conditional', true),
  c('CommitmentDiscountType', 'String', 'Conditional', true),
  c('CommitmentDiscountUnit', 'String', 'Conditional', true),
  c('ConsumedQuantity', 'Decimal', 'Conditional', true),
  c('ConsumedUnit', 'String', 'Conditional', true),
  c('ContractedCost', 'Decimal', 'Mandatory', false),
  c('ContractedUnitPrice', 'Decimal', 'Conditional', true),
  c('EffectiveCost', 'Decimal', 'Mandatory', false),
  c('InvoiceId', 'String', 'Recommended', true),
  c('InvoiceIssuerName', 'String', 'Mandatory', false),
  c('ListCost', 'Decimal', 'Mandatory', false),
  c('ListUnitPrice', 'Decimal', 'Conditional', true),
  c('PricingCategory', 'String', 'Conditional', true),
  c('PricingCurrency', 'String', 'Conditional', true),
  c('PricingCurrencyContractedUnitPrice', 'Decimal', 'Conditional', true),
  c('PricingCurrencyEffectiveCost', 'Decimal', 'Conditional', true),
  c('PricingCurrencyListUnitPrice', 'Decimal', 'Conditional', true),
  c('PricingQuantity', 'Decimal', 'Mandatory', true),
  c('PricingUnit', 'String', 'Mandatory', true),
  c('ProviderName', 'String', 'Mandatory', false),
  c('PublisherName', 'String', 'Mandatory', false),
  c('RegionId', 'String', 'Conditional', true),
  c('RegionName', 'String', 'Conditional', true),
  c('ResourceId', 'String', 'Conditional', true),
  c('ResourceName', 'String', 'Conditional', true),
  c('ResourceType', 'String', 'Conditional', true),
  c('ServiceCategory', 'String', 'Mandatory', false),
  c('ServiceName', 'String', 'Mandatory', false),
  c('ServiceSubcategory', 'String', 'Recommended', false),
  c('SkuId', 'String', 'Conditional', true),
  c('SkuMeter', 'String', 'Conditional', true),
  c('SkuPriceDetails', 'JSON', 'Conditional', true),
  c('SkuPriceId', 'String', 'Conditional', true),
  c('SubAccountId', 'String', 'Conditional', true),
  c('SubAccountName', 'String', 'Conditional', true),
  c('SubAccountType', 'String', 'Conditional', true),
  c('Tags', 'JSON', 'Conditional', true),
];

/** How a FOCUS data type is stored in the export: money and quantities exact, times in UTC. */
export const DUCKDB_TYPE_OF_FOCUS: Record<FocusDataType, string> = {
  Decimal: 'DECIMAL(18,6)',
  String: 'VARCHAR',
  'Date/Time': 'TIMESTAMP',
  JSON: 'VARCHAR',
};

/** The FOCUS 1.2 ServiceCategory values. */
export const FOCUS_SERVICE_CATEGORIES = [
  'AI and Machine Learning', 'Analytics', 'Business Applications', 'Compute', 'Databases', 'Developer Tools', 'Multicloud',
  'Identity', 'Integration', 'Internet of Things', 'Management and Governance', 'Media', 'Migration', 'Mobile', 'Networking',
  'Security', 'Storage', 'Web', 'Other',
] as const;
