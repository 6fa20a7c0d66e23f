import type { FileFormat } from './types';
import { normaliseHeader } from './types';
import {
  dailyUsageReconFormat,
  dailyUsageReconJsonFormat,
  fxRateFormat,
  invoiceFormat,
  licenseReconFormat,
  licenseReconJsonFormat,
  oneTimeReconFormat,
  oneTimeReconJsonFormat,
} from './billing';
import { attributionFormat, customerActivityFormat, customerFormat, customerListFormat, locationFormat, partnerProfileFormat, resellerFormat, userFormat } from './accounts';
import {
  customerSubscriptionsFormat,
  licenseUsageFormat,
  monthlyActiveUsersFormat,
  productFormat,
  subscriptionEventFormat,
  subscriptionFormat,
} from './subscriptions';
import { invoicesApiFormat, subscriptionsApiFormat } from './partner-center-api';
import { dealRegistrationFormat, referralContactFormat, referralFormat } from './referrals';
import { certificationFormat } from './skills';
import { businessProfileMetricsFormat } from './business-profile';
import { benefitFormat, competencyFormat, competencyHistoryFormat } from './programs';
import { customerPartnerRelationshipFormat } from './partner-relationships';

export * from './types';
export { lengthBound, LENGTH_BOUNDS, TEXT_MAX_LENGTH, type LengthBound } from './lengths';

/**
 * The product's file formats, in load order: reference data before the facts that point at it. The
 * demo generator writes every one of them (test/generate/formats.suite.ts).
 */
export const FILE_FORMATS: readonly FileFormat[] = [
  partnerProfileFormat,
  locationFormat,
  userFormat,
  resellerFormat,
  customerFormat,
  attributionFormat,
  customerPartnerRelationshipFormat,
  customerActivityFormat,
  productFormat,
  subscriptionFormat,
  subscriptionEventFormat,
  licenseUsageFormat,
  monthlyActiveUsersFormat,
  referralFormat,
  referralContactFormat,
  dealRegistrationFormat,
  businessProfileMetricsFormat,
  certificationFormat,
  competencyFormat,
  competencyHistoryFormat,
  benefitFormat,
  invoiceFormat,
  fxRateFormat,
  licenseReconFormat,
  dailyUsageReconFormat,
  oneTimeReconFormat,
];

/**
 * Files as Partner Center and Microsoft Graph write them that carry the same data with other
 * columns: the customer list and subscriptions exports (fewer columns, partner and customer from the
 * load), the reconciliation line items as JSON, and the Partner Center API's subscriptions and
 * invoices as `partner-insights sync` writes them. The demo generator does not write them.
 */
export const EXPORT_FORMATS: readonly FileFormat[] = [
  customerListFormat,
  customerSubscriptionsFormat,
  subscriptionsApiFormat,
  invoicesApiFormat,
  licenseReconJsonFormat,
  dailyUsageReconJsonFormat,
  oneTimeReconJsonFormat,
];

/**
 * Every format the loader accepts, in load order: each export format right after the format whose
 * rows it loads (loadsAs). Detection tries them in this order and picks the one whose required
 * headers are all present with the most matching headers overall (CSV files among the CSV formats,
 * JSON files among the JSON ones). `partner-insights formats` should list these.
 */
export const ACCEPTED_FORMATS: readonly FileFormat[] = FILE_FORMATS.flatMap((f) => [f, ...EXPORT_FORMATS.filter((e) => e.loadsAs === f.name)]);

export function formatByName(name: string): FileFormat | undefined {
  return ACCEPTED_FORMATS.find((f) => f.name === name);
}

/** All the headers a column answers to, normalised. */
export function headerKeys(format: FileFormat): Map<string, string> {
  const keys = new Map<string, string>();
  for (const c of format.columns) {
    for (const h of [c.header, ...(c.aliases ?? [])]) keys.set(normaliseHeader(h), c.column);
  }
  return keys;
}
