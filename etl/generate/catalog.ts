import type { CsvRow } from './csv';
import type { Partner } from './model';
import { stableGuid } from './random';
import { priceFromNumber } from './money';

export type ProductFamily =
  | 'Office 365'
  | 'Microsoft 365'
  | 'Dynamics 365 Customer Engagement'
  | 'Dynamics 365 Finance and Operations'
  | 'Azure'
  | 'Enterprise Mobility + Security'
  | 'Power BI'
  | 'Marketplace';

/** One sellable offer of the price list. Prices are list prices in USD; other currencies derive from them. */
export interface CatalogItem {
  key: string;
  productId: string;
  skuId: string;
  productName: string;
  skuName: string;
  offerName: string;
  family: ProductFamily;
  billingType: 'License' | 'Usage' | 'OneTime';
  /** License: per seat per month. OneTime: per unit per term (reserved instances) or per month (SaaS). */
  usdPrice: number;
  publisher: string;
  /** Key of the 30-day trial offer, when the product has one. */
  trialKey?: string;
  isTrial?: boolean;
  /** Workload name used in license telemetry and monthly active users. */
  workload: string;
  /** Reserved instances: term in months, paid up front. */
  termMonths?: number;
  /** SaaS sold per seat and billed monthly on the one-time/recurring file. */
  saas?: boolean;
}

const item = (
  key: string,
  productId: string,
  productName: string,
  family: ProductFamily,
  usdPrice: number,
  extra: Partial<CatalogItem> = {},
): CatalogItem => ({
  key,
  productId,
  skuId: '0001',
  productName,
  skuName: productName,
  offerName: productName,
  family,
  billingType: 'License',
  usdPrice,
  publisher: 'Microsoft Corporation',
  workload: family,
  ...extra,
});

/** The price list: Microsoft 365, Dynamics 365, Azure, EMS, Power BI and a few Marketplace items. */
export const CATALOG: readonly CatalogItem[] = [
  item('O365E1', 'CFQ7TTC0LF8Q', 'Office 365 E1', 'Office 365', 10.0, { trialKey: 'O365E1T' }),
  item('O365E3', 'CFQ7TTC0LFLX', 'Office 365 E3', 'Office 365', 23.0, { trialKey: 'O365E3T' }),
  item('O365E5', 'CFQ7TTC0LF8R', 'Office 365 E5', 'Office 365', 38.0),
  item('M365BB', 'CFQ7TTC0LH18', 'Microsoft 365 Business Basic', 'Microsoft 365', 6.0, { trialKey: 'M365BBT' }),
  item('M365BS', 'CFQ7TTC0LDPB', 'Microsoft 365 Business Standard', 'Microsoft 365', 12.5, { trialKey: 'M365BST' }),
  item('M365BP', 'CFQ7TTC0LCHC', 'Microsoft 365 Business Premium', 'Microsoft 365', 22.0, { trialKey: 'M365BPT' }),
  item('M365E3', 'CFQ7TTC0LFLZ', 'Microsoft 365 E3', 'Microsoft 365', 36.0, { trialKey: 'M365E3T' }),
  item('M365E5', 'CFQ7TTC0LFLQ', 'Microsoft 365 E5', 'Microsoft 365', 57.0),
  item('D365SALES', 'CFQ7TTC0LH2H', 'Dynamics 365 Sales Enterprise', 'Dynamics 365 Customer Engagement', 105.0, {
    trialKey: 'D365SALEST',
    workload: 'Dynamics 365 Customer Engagement',
  }),
  item('D365SALESPRO', 'CFQ7TTC0LH3N', 'Dynamics 365 Sales Professional', 'Dynamics 365 Customer Engagement', 65.0),
  item('D365CS', 'CFQ7TTC0LH3F', 'Dynamics 365 Customer Service Enterprise', 'Dynamics 365 Customer Engagement', 105.0),
  item('D365FS', 'CFQ7TTC0LHQG', 'Dynamics 365 Field Service', 'Dynamics 365 Customer Engagement', 105.0),
  item('D365FIN', 'CFQ7TTC0LH1W', 'Dynamics 365 Finance', 'Dynamics 365 Finance and Operations', 210.0),
  item('D365SCM', 'CFQ7TTC0LH1G', 'Dynamics 365 Supply Chain Management', 'Dynamics 365 Finance and Operations', 210.0),
  item('EMSE3', 'CFQ7TTC0LFK5', 'Enterprise Mobility + Security E3', 'Enterprise Mobility + Security', 10.6, { trialKey: 'EMSE3T' }),
  item('EMSE5', 'CFQ7TTC0LFK6', 'Enterprise Mobility + Security E5', 'Enterprise Mobility + Security', 16.4),
  item('PBIPRO', 'CFQ7TTC0L3PB', 'Power BI Pro', 'Power BI', 14.0, { trialKey: 'PBIPROT' }),
  item('PBIPPU', 'CFQ7TTC0HL8W', 'Power BI Premium Per User', 'Power BI', 24.0),
  item('AZUREPLAN', 'DZH318Z0BPS6', 'Azure plan', 'Azure', 0, { billingType: 'Usage', workload: 'Azure' }),
  item('RI-D4SV5-1Y', 'DZH318Z0BQ4H', 'Reserved VM Instance, Standard_D4s_v5, US East, 1 Year', 'Azure', 1226.4, {
    billingType: 'OneTime',
    skuId: '0013',
    skuName: 'Standard_D4s_v5 US East 1 Year',
    workload: 'Azure',
    termMonths: 12,
  }),
  item('RI-E8SV5-3Y', 'DZH318Z0BQ4J', 'Reserved VM Instance, Standard_E8s_v5, EU West, 3 Years', 'Azure', 6841.2, {
    billingType: 'OneTime',
    skuId: '002C',
    skuName: 'Standard_E8s_v5 EU West 3 Years',
    workload: 'Azure',
    termMonths: 36,
  }),
  item('SAAS-BACKUP', 'DZH318Z0BNZ5', 'Adatum Secure Backup for Microsoft 365', 'Marketplace', 3.0, {
    billingType: 'OneTime',
    publisher: 'Adatum Corporation',
    workload: 'Marketplace',
    saas: true,
  }),
  item('SAAS-PPM', 'DZH318Z0BNZ7', 'Litware Project Portfolio', 'Marketplace', 12.0, {
    billingType: 'OneTime',
    publisher: 'Litware Inc.',
    workload: 'Marketplace',
    saas: true,
  }),
];

/** The 30-day trial offers (free, 25 licenses) of the products that have one. */
export const TRIAL_OFFERS: readonly CatalogItem[] = CATALOG.filter((c) => c.trialKey).map((c) => ({
  ...c,
  key: c.trialKey!,
  offerName: `${c.offerName} Trial`,
  skuName: `${c.skuName} Trial`,
  skuId: '0002',
  usdPrice: 0,
  isTrial: true,
  trialKey: undefined,
}));

const BY_KEY = new Map([...CATALOG, ...TRIAL_OFFERS].map((c) => [c.key, c]));

export function catalogItem(key: string): CatalogItem {
  const found = BY_KEY.get(key);
  if (!found) throw new Error(`no catalog item ${key}`);
  return found;
}

/** Offer ids are stable across seeds and partners, like the price list's durable offer ids. */
export function offerId(item: CatalogItem): string {
  return stableGuid(`offer:${item.key}`).toUpperCase();
}

export const CURRENCIES = ['USD', 'EUR', 'GBP', 'AUD'] as const;
export type Currency = (typeof CURRENCIES)[number];

/** Regional price lists are set in local currency; these factors reproduce their level. */
const PRICE_LIST_FACTOR: Record<Currency, number> = { USD: 1, EUR: 0.98, GBP: 0.83, AUD: 1.55 };

/** List price of an item in a currency, as a decimal string. */
export function listPrice(item: CatalogItem, currency: Currency): string {
  return priceFromNumber(item.usdPrice * PRICE_LIST_FACTOR[currency]);
}

/** The billing currency of customers in a country (the CSP market's currency). */
export function currencyOfCountry(country: string): Currency {
  if (country === 'GB') return 'GBP';
  if (['DE', 'FR', 'NL', 'ES', 'IT', 'BE', 'IE'].includes(country)) return 'EUR';
  if (country === 'AU') return 'AUD';
  return 'USD';
}

/** The price list currency of each demo partner. */
const HOME_CURRENCY: Record<string, Currency> = { contoso: 'USD', fabrikam: 'EUR' };

/** The partner's price list (products.csv): every offer and trial offer in the partner's currency. */
export function productRows(partner: Partner): CsvRow[] {
  const currency = HOME_CURRENCY[partner.slug] ?? 'USD';
  return [...CATALOG, ...TRIAL_OFFERS].map((item) => ({
    PartnerId: partner.id,
    OfferId: offerId(item),
    ProductId: item.productId,
    SkuId: item.skuId,
    ProductName: item.productName,
    SkuName: item.skuName,
    OfferName: item.offerName,
    ProductFamily: item.family,
    BillingType: item.billingType,
    UnitPrice: listPrice(item, currency),
    Currency: currency,
    PublisherName: item.publisher,
    IsTrialOffer: item.isTrial === true,
  }));
}
