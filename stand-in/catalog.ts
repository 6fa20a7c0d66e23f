/**
 * What the stand-in's customers buy: a few legacy license-based offers, new-commerce seat products,
 * the Azure plan and the Azure meters its daily-rated usage is drawn from. Prices are list prices
 * in the partner's currency (USD by default), in cents (seats) or millionths (meters), so that every
 * amount the stand-in writes is computed in integers and sums exactly.
 */
import { guidOf } from './random';

/** A legacy license-based offer (objectType LicenseBasedLineItem; billed on provider Office). */
export interface LegacyOffer {
  offerId: string;
  durableOfferId: string;
  offerName: string;
  /** Per seat per month, cents. */
  priceCents: number;
}

const legacy = (offerName: string, priceCents: number): LegacyOffer => ({
  offerId: guidOf(`legacy-offer:${offerName}`).toUpperCase(),
  durableOfferId: guidOf(`durable-offer:${offerName}`).toUpperCase(),
  offerName,
  priceCents,
});

export const LEGACY_OFFERS: readonly LegacyOffer[] = [
  legacy('Office 365 E3', 2000),
  legacy('Office 365 E1', 800),
  legacy('Exchange Online (Plan 1)', 400),
  legacy('Office 365 Business Premium', 1250),
  legacy('Enterprise Mobility + Security E3', 875),
];

/** A new-commerce seat product (objectType OneTimeInvoiceLineItem; billed on provider OneTime). */
export interface NceProduct {
  productId: string;
  skuId: string;
  availabilityId: string;
  productName: string;
  skuName: string;
  /** Per seat per month, cents. */
  priceCents: number;
  publisherName: string;
}

const nce = (productId: string, skuId: string, name: string, priceCents: number): NceProduct => ({
  productId,
  skuId,
  availabilityId: `CFQ7TTC0${guidOf(`availability:${productId}`).replace(/[^0-9a-f]/g, '').slice(0, 4).toUpperCase()}`,
  productName: name,
  skuName: name,
  priceCents,
  publisherName: 'Microsoft Corporation',
});

export const NCE_PRODUCTS: readonly NceProduct[] = [
  nce('CFQ7TTC0LH18', '0001', 'Microsoft 365 Business Basic', 600),
  nce('CFQ7TTC0LDPB', '0001', 'Microsoft 365 Business Standard', 1250),
  nce('CFQ7TTC0LCHC', '0002', 'Microsoft 365 Business Premium', 2200),
  nce('CFQ7TTC0LFLX', '0001', 'Office 365 E3', 2300),
  nce('CFQ7TTC0LFLZ', '0001', 'Microsoft 365 E3', 3600),
  nce('CFQ7TTC0LH2H', '0001', 'Dynamics 365 Sales Enterprise', 10500),
  nce('CFQ7TTC0L3PB', '0001', 'Power BI Pro', 1000),
];

/** The Azure plan: the subscription daily-rated usage is billed on. */
export const AZURE_PLAN = {
  productId: 'DZH318Z0BPS6',
  skuId: '0001',
  offerName: 'Azure plan',
};

/** An Azure meter of the daily-rated usage lines. */
export interface Meter {
  meterCategory: string;
  meterSubCategory: string;
  meterName: string;
  meterType: string;
  unit: string;
  unitType: string;
  /** Per unit, millionths of the currency. */
  priceMicros: number;
  consumedService: string;
  resourceType: string;
  prefix: string;
  productId: string;
  skuId: string;
  productName: string;
  skuName: string;
  meterRegion: string;
  resourceLocation: string;
  /** Quantity per day in hundredths, inclusive range. */
  quantity: [number, number];
  /** Derived from the meter's names. */
  meterId: string;
}

const meter = (m: Omit<Meter, 'meterRegion' | 'resourceLocation' | 'meterId'> & Partial<Pick<Meter, 'meterRegion' | 'resourceLocation'>>): Meter => ({
  meterRegion: 'US East',
  resourceLocation: 'eastus',
  meterId: guidOf(`meter:${m.meterName}:${m.meterSubCategory}`),
  ...m,
});

export const METERS: readonly Meter[] = [
  meter({
    meterCategory: 'Virtual Machines',
    meterSubCategory: 'Dv3/DSv3 Series',
    meterName: 'D2 v3/D2s v3',
    meterType: '1 Compute Hour',
    unit: '1 Hour',
    unitType: '1 Hour',
    priceMicros: 96_000,
    consumedService: 'Microsoft.Compute',
    resourceType: 'Microsoft.Compute/virtualMachines',
    prefix: 'vm',
    productId: 'DZH318Z0BQPS',
    skuId: '00TJ',
    productName: 'Virtual Machines Dv3 Series',
    skuName: 'D2 v3',
    quantity: [100, 2400],
  }),
  meter({
    meterCategory: 'Virtual Machines',
    meterSubCategory: 'Dv3/DSv3 Series Windows',
    meterName: 'D4 v3/D4s v3',
    meterType: '1 Compute Hour',
    unit: '1 Hour',
    unitType: '1 Hour',
    priceMicros: 376_000,
    consumedService: 'Microsoft.Compute',
    resourceType: 'Microsoft.Compute/virtualMachines',
    prefix: 'vmw',
    productId: 'DZH318Z0BQ4L',
    skuId: '0047',
    productName: 'Virtual Machines Dv3 Series Windows',
    skuName: 'D4 v3',
    meterRegion: 'EU West',
    resourceLocation: 'westeurope',
    quantity: [2400, 2400],
  }),
  meter({
    meterCategory: 'Storage',
    meterSubCategory: 'Tiered Block Blob',
    meterName: 'Hot LRS Data Stored',
    meterType: '1 GB/Month',
    unit: '1 GB/Month',
    unitType: '1 GB/Month',
    priceMicros: 18_400,
    consumedService: 'Microsoft.Storage',
    resourceType: 'Microsoft.Storage/storageAccounts',
    prefix: 'st',
    productId: 'DZH318Z0BNZ5',
    skuId: '006G',
    productName: 'Blob Storage',
    skuName: 'Hot LRS',
    quantity: [10, 90_000],
  }),
  meter({
    meterCategory: 'Bandwidth',
    meterSubCategory: 'Rtn Preference: MGN',
    meterName: 'Standard Data Transfer Out',
    meterType: '1 GB',
    unit: '1 GB',
    unitType: '1 GB',
    priceMicros: 87_000,
    consumedService: 'Microsoft.Network',
    resourceType: 'Microsoft.Network/publicIPAddresses',
    prefix: 'pip',
    productId: 'DZH318Z0BNVX',
    skuId: '002B',
    productName: 'Bandwidth',
    skuName: 'Standard',
    quantity: [1, 20_000],
  }),
  meter({
    meterCategory: 'SQL Database',
    meterSubCategory: 'General Purpose - Compute Gen5',
    meterName: 'vCore',
    meterType: '1 Hour',
    unit: '1 Hour',
    unitType: '1 Hour',
    priceMicros: 252_600,
    consumedService: 'Microsoft.Sql',
    resourceType: 'Microsoft.Sql/servers',
    prefix: 'sql',
    productId: 'DZH318Z0BQ3Z',
    skuId: '0031',
    productName: 'SQL Database Single/Elastic Pool General Purpose - Compute Gen5',
    skuName: 'vCore',
    quantity: [2400, 4800],
  }),
  meter({
    meterCategory: 'Azure App Service',
    meterSubCategory: 'Basic Plan',
    meterName: 'B1',
    meterType: '1 Hour',
    unit: '1 Hour',
    unitType: '1 Hour',
    priceMicros: 75_000,
    consumedService: 'Microsoft.Web',
    resourceType: 'Microsoft.Web/serverfarms',
    prefix: 'plan',
    productId: 'DZH318Z0BPJP',
    skuId: '0016',
    productName: 'Azure App Service Basic Plan',
    skuName: 'B1',
    quantity: [2400, 2400],
  }),
  meter({
    meterCategory: 'Key Vault',
    meterSubCategory: '',
    meterName: 'Operations',
    meterType: '10K',
    unit: '10K',
    unitType: '10K',
    priceMicros: 30_000,
    consumedService: 'Microsoft.KeyVault',
    resourceType: 'Microsoft.KeyVault/vaults',
    prefix: 'kv',
    productId: 'DZH318Z0BPVW',
    skuId: '0001',
    productName: 'Key Vault',
    skuName: 'Standard',
    quantity: [1, 900],
  }),
  meter({
    meterCategory: 'Log Analytics',
    meterSubCategory: '',
    meterName: 'Pay-as-you-go Data Ingestion',
    meterType: '1 GB',
    unit: '1 GB',
    unitType: '1 GB',
    priceMicros: 2_760_000,
    consumedService: 'Microsoft.OperationalInsights',
    resourceType: 'Microsoft.OperationalInsights/workspaces',
    prefix: 'log',
    productId: 'DZH318Z0BQ5Q',
    skuId: '0007',
    productName: 'Log Analytics',
    skuName: 'Pay-as-you-go',
    quantity: [5, 1_500],
  }),
];

export const COUNTRIES = ['US', 'US', 'US', 'US', 'DE', 'GB', 'FR', 'NL', 'CA', 'AU'] as const;

/** Sales tax or VAT the stand-in charges a customer of the country (as a share of the subtotal). */
export const TAX_RATE: Record<string, number> = { US: 0, DE: 0.19, GB: 0.2, FR: 0.2, NL: 0.21, CA: 0.05, AU: 0.1 };

export const CITIES: Record<string, { city: string; state: string; postalCode: string }> = {
  US: { city: 'Redmond', state: 'WA', postalCode: '98052' },
  DE: { city: 'München', state: 'BY', postalCode: '80335' },
  GB: { city: 'Reading', state: '', postalCode: 'RG6 1WG' },
  FR: { city: 'Issy-les-Moulineaux', state: '', postalCode: '92130' },
  NL: { city: 'Amsterdam', state: '', postalCode: '1017 CE' },
  CA: { city: 'Toronto', state: 'ON', postalCode: 'M5V 3L9' },
  AU: { city: 'Sydney', state: 'NSW', postalCode: '2000' },
};

const FIRST = ['Contoso', 'Fabrikam', 'Northwind', 'Adventure', 'Litware', 'Tailspin', 'Wingtip', 'Proseware', 'Lucerne', 'Alpine', 'Coho', 'Woodgrove', 'Margie', 'Trey', 'Humongous', 'Blue Yonder', 'Fourth Coffee', 'Graphic', 'Relecloud', 'Bellows'];
const SECOND = ['Traders', 'Works', 'Industries', 'Ltd', 'Consulting', 'Health', 'Energy', 'Logistics', 'Foods', 'Partners', 'Labs', 'Retail', 'Design', 'Bank', 'Travel'];

/** A company name for customer n (unique: a number is added once the combinations run out). */
export function companyName(n: number): string {
  const base = `${FIRST[n % FIRST.length]} ${SECOND[Math.floor(n / FIRST.length) % SECOND.length]}`;
  const round = Math.floor(n / (FIRST.length * SECOND.length));
  return round ? `${base} ${round + 1}` : base;
}

export const SOLUTIONS = [
  'Azure Migration',
  'Modern Work',
  'Security',
  'Data & AI',
  'Dynamics 365 Sales',
  'Infrastructure (Azure)',
] as const;

export const INDUSTRIES = ['Manufacturing', 'Retail', 'Financial Services', 'Healthcare', 'Education', 'Government'] as const;

export const PERSON_FIRST = ['Gena', 'Ravi', 'Ana', 'Lukas', 'Mei', 'Tom', 'Sofia', 'Omar', 'Ines', 'Kai'];
export const PERSON_LAST = ['Soto', 'Patel', 'Garcia', 'Müller', 'Chen', 'Smith', 'Rossi', 'Haddad', 'Dubois', 'Berg'];
