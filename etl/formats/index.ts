import type { FileFormat } from './types';
import { normaliseHeader } from './types';
import { dailyUsageReconFormat, fxRateFormat, invoiceFormat, licenseReconFormat, oneTimeReconFormat } from './billing';
import { attributionFormat, customerActivityFormat, customerFormat, locationFormat, partnerProfileFormat, resellerFormat, userFormat } from './accounts';
import { licenseUsageFormat, monthlyActiveUsersFormat, productFormat, subscriptionEventFormat, subscriptionFormat } from './subscriptions';
import { dealRegistrationFormat, referralContactFormat, referralFormat } from './referrals';
import { certificationFormat } from './skills';

export * from './types';

/**
 * Every file format the ETL accepts, in load order: reference data before the facts that point at it.
 * Detection tries them in this order and picks the one whose required headers are all present
 * with the most matching headers overall.
 */
export const FILE_FORMATS: readonly FileFormat[] = [
  partnerProfileFormat,
  locationFormat,
  userFormat,
  resellerFormat,
  customerFormat,
  attributionFormat,
  customerActivityFormat,
  productFormat,
  subscriptionFormat,
  subscriptionEventFormat,
  licenseUsageFormat,
  monthlyActiveUsersFormat,
  referralFormat,
  referralContactFormat,
  dealRegistrationFormat,
  certificationFormat,
  invoiceFormat,
  fxRateFormat,
  licenseReconFormat,
  dailyUsageReconFormat,
  oneTimeReconFormat,
];

export function formatByName(name: string): FileFormat | undefined {
  return FILE_FORMATS.find((f) => f.name === name);
}

/** All the headers a column answers to, normalised. */
export function headerKeys(format: FileFormat): Map<string, string> {
  const keys = new Map<string, string>();
  for (const c of format.columns) {
    for (const h of [c.header, ...(c.aliases ?? [])]) keys.set(normaliseHeader(h), c.column);
  }
  return keys;
}
