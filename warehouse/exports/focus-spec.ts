/**
 * The FinOps Open Cost and Usage Specification (FOCUS) 1.2 cost-and-usage columns, as data: column
 * id, FOCUS data type, feature level and whether it allows nulls. Source: the specification's
 * column pages (github.com/FinOps-Open-Cost-and-Usage-Spec/FOCUS_Spec, specification/columns/*.md,
 * "Content Constraints": Feature level, Allows nulls, Data type) for version 1.2 — 57 columns, 21 of
 * them Mandatory. The FOCUS export (datasets/focus.ts) is checked against this list by
 * test/exports/focus.suite.ts. Custom columns are prefixed `x_`, as the specification requires.
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

/**
 * The FOCUS 1.2 ServiceSubcategory values, under their one parent ServiceCategory (specification,
 * columns/servicesubcategory.md, "Allowed values"). A subcategory MUST be one of these and belong to
 * the row's ServiceCategory.
 */
export const FOCUS_SERVICE_SUBCATEGORIES = {
  'AI and Machine Learning': ['AI Platforms', 'Bots', 'Generative AI', 'Machine Learning', 'Natural Language Processing', 'Other (AI and Machine Learning)'],
  Analytics: ['Analytics Platforms', 'Business Intelligence', 'Data Processing', 'Search', 'Streaming Analytics', 'Other (Analytics)'],
  'Business Applications': ['Productivity and Collaboration', 'Other (Business Applications)'],
  Compute: ['Containers', 'End User Computing', 'Quantum Compute', 'Serverless Compute', 'Virtual Machines', 'Other (Compute)'],
  Databases: ['Caching', 'Data Warehouses', 'Ledger Databases', 'NoSQL Databases', 'Relational Databases', 'Time Series Databases', 'Other (Databases)'],
  'Developer Tools': [
    'Developer Platforms', 'Continuous Integration and Deployment', 'Development Environments', 'Source Code Management', 'Quality Assurance',
    'Other (Developer Tools)',
  ],
  Multicloud: ['Multicloud Integration', 'Other (Multicloud)'],
  Identity: ['Identity and Access Management', 'Other (Identity)'],
  Integration: ['API Management', 'Messaging', 'Workflow Orchestration', 'Other (Integration)'],
  'Internet of Things': ['IoT Analytics', 'IoT Platforms', 'Other (Internet of Things)'],
  'Management and Governance': [
    'Architecture', 'Compliance', 'Cost Management', 'Data Governance', 'Disaster Recovery', 'Endpoint Management', 'Observability', 'Support',
    'Other (Management and Governance)',
  ],
  Media: ['Content Creation', 'Gaming', 'Media Streaming', 'Mixed Reality', 'Other (Media)'],
  Migration: ['Data Migration', 'Resource Migration', 'Other (Migration)'],
  Mobile: ['Other (Mobile)'],
  Networking: [
    'Application Networking', 'Content Delivery', 'Network Connectivity', 'Network Infrastructure', 'Network Routing', 'Network Security',
    'Other (Networking)',
  ],
  Security: ['Secret Management', 'Security Posture Management', 'Threat Detection and Response', 'Other (Security)'],
  Storage: ['Backup Storage', 'Block Storage', 'File Storage', 'Object Storage', 'Storage Platforms', 'Other (Storage)'],
  Web: ['Application Platforms', 'Other (Web)'],
  Other: ['Other (Other)'],
} as const;

export type FocusServiceCategory = keyof typeof FOCUS_SERVICE_SUBCATEGORIES;

/** A ServiceCategory with one of its own subcategories: a pair FOCUS allows (checked when compiling). */
export type FocusService = {
  [C in FocusServiceCategory]: { category: C; subcategory: (typeof FOCUS_SERVICE_SUBCATEGORIES)[C][number] };
}[FocusServiceCategory];

/** The FOCUS 1.2 ServiceCategory values. */
export const FOCUS_SERVICE_CATEGORIES = Object.keys(FOCUS_SERVICE_SUBCATEGORIES) as readonly FocusServiceCategory[];

/**
 * FOCUS 1.2 Unit Format (specification, attributes/unit_format.md), as a full-match regular
 * expression for PricingUnit and ConsumedUnit: a unit name (count units are any words; data sizes
 * and time units are words too), `<unit>-<plural time unit>` ("GB-Hours"), `<unit>/<singular time
 * unit>` ("GB/Month"), `<quantity> <unit>` ("1000 Requests") or `<unit>/<interval> <plural time
 * unit>` ("Requests/3 Months"). "10K Operations" or "1 GB/Month" are not in the format.
 */
const UNIT_NAME = '[A-Za-z][A-Za-z0-9]*( [A-Za-z][A-Za-z0-9]*)*';
const TIME_SINGULAR = '(Year|Month|Day|Hour|Minute|Second)';
const TIME_PLURAL = '(Years|Months|Days|Hours|Minutes|Seconds)';
export const FOCUS_UNIT_FORMAT = [
  UNIT_NAME,
  `${UNIT_NAME}-${TIME_PLURAL}`,
  `${UNIT_NAME}/${TIME_SINGULAR}`,
  `[0-9]+ ${UNIT_NAME}`,
  `${UNIT_NAME}/[0-9]+ ${TIME_PLURAL}`,
].map((form) => `(${form})`).join('|');
