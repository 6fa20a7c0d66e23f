import { join } from 'node:path';
import type { FileFormat } from '../formats';
import { customerListFormat, partnerProfileFormat, resellerFormat } from '../formats/accounts';
import { invoicesApiFormat, subscriptionsApiFormat } from '../formats/partner-center-api';
import { referralFormat } from '../formats/referrals';
import { CsvFileWriter, type CsvRow } from '../generate/csv';
import type { Customer, Invoice, LegalBusinessProfile, MpnProfile, PartnerRelationship, Referral, Subscription } from './client';

/**
 * What the sync fetches from the Partner Center API, written as files of the product's formats so
 * that it is loaded by the same ETL as a file a user loads (etl/load: detection skipped, the format
 * is named; checks, quarantine, replace and rollups as for any file). Each function maps one API
 * resource to one row; values are put into the product's vocabulary here, so the formats stay
 * those of the files.
 */

/** Writes rows of a format to `dir/name` and returns the path. */
export async function writeCsv(dir: string, name: string, format: FileFormat, rows: Iterable<CsvRow>): Promise<string> {
  const path = join(dir, name);
  const writer = new CsvFileWriter(path, format);
  await writer.writeAll(rows);
  await writer.close();
  return path;
}

/** The partner: "Get partner profile" (legal business) and "Get an MPN profile". */
export function partnerProfileRow(partnerId: string, legal: LegalBusinessProfile, mpn: MpnProfile, hasIndirectResellers: boolean): CsvRow {
  return {
    PartnerId: partnerId,
    PartnerName: legal.companyName || mpn.organizationName || partnerId,
    GlobalMpnId: mpn.mpnId ?? '',
    // The API has no partner type: a partner with indirect resellers is an indirect provider.
    PartnerType: hasIndirectResellers ? 'Indirect provider' : 'Direct bill partner',
    Country: legal.address?.country ?? null,
  };
}

/** A customer as the customer list export has it: Microsoft ID, company name, primary domain, relationship. */
export function customerRow(customer: Customer): CsvRow {
  return {
    'Microsoft ID': customer.companyProfile?.tenantId || customer.id,
    'Company name': customer.companyProfile?.companyName ?? '',
    'Primary domain name': customer.companyProfile?.domain ?? '',
    // The API writes the relationship in camel case ("reseller"); the export shows "Cloud Reseller".
    Relationship: RELATIONSHIPS[(customer.relationshipToPartner ?? '').toLowerCase()] ?? customer.relationshipToPartner ?? '',
  };
}

const RELATIONSHIPS: Record<string, string> = { reseller: 'Cloud Reseller', advisor: 'Advisor', none: '' };

/** Subscription statuses of the API (lower case) in the product's vocabulary; "deleted" is a deprovisioned subscription. */
const SUBSCRIPTION_STATUS: Record<string, string> = {
  active: 'Active',
  suspended: 'Suspended',
  deleted: 'Deprovisioned',
  expired: 'Expired',
  disabled: 'Disabled',
  // Being provisioned: it bills from its start date, as an active one.
  pending: 'Active',
};
const BILLING_TYPE: Record<string, string | null> = { license: 'License', usage: 'Usage', onetime: 'OneTime', none: null };
const BILLING_CYCLE: Record<string, string | null> = { monthly: 'Monthly', annual: 'Annual', none: 'None', onetime: 'None', unknown: null };

/** The API's enum spellings compared: lower case, without spaces and underscores ("one_time", "OneTime"). */
const lower = (v: string | undefined | null) => (v ?? '').toLowerCase().replace(/[\s_]/g, '');

export function subscriptionRow(customerId: string, s: Subscription): CsvRow {
  return {
    SubscriptionId: s.id,
    CustomerId: customerId,
    FriendlyName: s.friendlyName ?? s.offerName ?? '',
    OfferId: s.offerId ?? null,
    Quantity: s.quantity ?? null,
    Status: SUBSCRIPTION_STATUS[lower(s.status)] ?? s.status ?? null,
    // For an indirect provider the subscription's partnerId is the reseller's MPN ID.
    ResellerMpnId: s.partnerId || null,
    BillingType: BILLING_TYPE[lower(s.billingType)] ?? s.billingType ?? null,
    BillingFrequency: BILLING_CYCLE[lower(s.billingCycle as string | undefined)] ?? (s.billingCycle as string | undefined) ?? null,
    CreatedDate: dateOf(s.creationDate),
    TermStartDate: dateOf(s.effectiveStartDate),
    TermEndDate: dateOf(s.commitmentEndDate),
    AutoRenew: s.autoRenewEnabled ?? null,
    IsTrial: s.isTrial ?? null,
  };
}

/** An indirect reseller: a relationship of type IsIndirectCloudSolutionProviderOf. */
export function resellerRow(partnerId: string, r: PartnerRelationship): CsvRow {
  return {
    PartnerId: partnerId,
    ResellerMpnId: r.mpnId || r.id,
    ResellerName: r.name ?? '',
    Country: r.location ?? null,
    Status: r.state && /active/i.test(r.state) ? 'Active' : r.state ? 'Terminated' : null,
    RelationshipStartDate: null,
  };
}

/** The referral's qualification as the product's referral source (Referrals API ReferralQualification). */
const SOURCES: Record<string, string> = {
  direct: 'Direct',
  salesqualified: 'Sales qualified',
  marketingqualified: 'Marketing qualified',
  eventbased: 'Marketing qualified',
  marketplacelead: 'Marketing qualified',
  none: 'Unqualified',
};

/** A referral: status New and Active as they are, Closed by its substatus (Won, Lost, Declined, Expired). */
export function referralRow(partnerId: string, mpnId: string, r: Referral): CsvRow {
  const status = referralStatus(r);
  const closedAt = (status === 'Expired' ? (r.expirationDateTime ?? r.updatedDateTime) : r.updatedDateTime) ?? null;
  const currency = r.details?.currency ?? null;
  const dealValue = r.details?.dealValue ?? null;
  return {
    PartnerId: partnerId,
    ReferralId: r.id,
    MpnId: mpnId,
    EngagementName: r.name ?? null,
    Direction: /outgoing/i.test(r.direction ?? '') ? 'Outgoing' : 'Incoming',
    Source: SOURCES[(r.qualification ?? 'none').toLowerCase()] ?? 'Unqualified',
    Type: /shared/i.test(r.type ?? '') ? 'Co-sell' : 'Independent',
    Solution: solutionOf(r),
    CustomerId: null,
    CustomerName: r.customerProfile?.name ?? '',
    CustomerCountry: r.customerProfile?.address?.country ?? '',
    Status: status,
    DealValue: dealValue,
    Currency: currency,
    DealValueUsd: currency && currency.toUpperCase() === 'USD' ? dealValue : null,
    Notes: r.details?.notes ?? null,
    DeclineReason: status === 'Declined' ? (r.statusReason ?? null) : null,
    CreatedDateTime: r.createdDateTime ?? null,
    AcceptedDateTime: r.acceptedDateTime ?? (status === 'Active' ? (r.updatedDateTime ?? null) : null),
    DeclinedDateTime: status === 'Declined' ? closedAt : null,
    WonDateTime: status === 'Won' ? closedAt : null,
    LostDateTime: status === 'Lost' ? closedAt : null,
    ExpiredDateTime: status === 'Expired' ? closedAt : null,
  };
}

/** The first solution the referral's requirements name ("Referral resources": ReferralRequirements.solutions). */
function solutionOf(r: Referral): string {
  const solutions = (r.details?.requirements as { solutions?: { name?: string }[] } | undefined)?.solutions;
  return solutions?.[0]?.name ?? '';
}

function referralStatus(r: Referral): string {
  if (/^new$/i.test(r.status ?? '')) return 'New';
  if (/^active$/i.test(r.status ?? '')) return 'Active';
  const sub = (r.substatus ?? '').toLowerCase();
  return { won: 'Won', declined: 'Declined', expired: 'Expired' }[sub] ?? 'Lost';
}

/** An invoice as the API lists it. */
export function invoiceRow(invoice: Invoice): CsvRow {
  return {
    InvoiceNumber: invoice.id,
    InvoiceDate: dateOf(invoice.invoiceDate),
    BillingPeriodStart: dateOf(invoice.billingPeriodStartDate),
    BillingPeriodEnd: dateOf(invoice.billingPeriodEndDate),
    InvoiceType: /one\s*time/i.test(invoice.invoiceType ?? '') ? 'OneTime' : 'Recurring',
    Currency: invoice.currencyCode ?? null,
    TotalCharges: invoice.totalCharges ?? null,
  };
}

/** The date part of an API date-time ("2017-05-12T00:00:00", "2026-11-01T00:00:00Z"). */
function dateOf(value: string | null | undefined): string | null {
  return value ? value.slice(0, 10) : null;
}

export const SYNC_FORMATS = {
  partner: partnerProfileFormat,
  customers: customerListFormat,
  subscriptions: subscriptionsApiFormat,
  resellers: resellerFormat,
  referrals: referralFormat,
  invoices: invoicesApiFormat,
} as const;
