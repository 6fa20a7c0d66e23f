import {
  AnalyticsReportDocument,
  AzureUsageReportDocument,
  CustomersReportDocument,
  LicensesReportDocument,
  OverviewReportDocument,
  ReferralInsightsDocument,
  SubscriptionsReportDocument,
} from '../../generated/graphql';
import { mintToken, type AuthConfig } from '../../gateway/auth';
import type { Caller } from '../../core/caller';
import { requestBody } from './graphql-client';
import type { ReaderPage } from './ingest-readers';
import { PCI_QUERY } from './pci-query';

/**
 * The Insights pages the readers of bench/ingest.ts loop over: the same GraphQL requests as
 * bench/insights.ts (range LAST_12_MONTHS, no filters): overview, customers, subscriptions,
 * licenses, Azure usage, PCI and referral insights as an Executive report viewer, the three CSP
 * analytics pages as Global admin.
 */
export async function insightsPages(auth: AuthConfig, partnerId: string): Promise<ReaderPage[]> {
  const execRoles = ['Executive report viewer'] as Caller['roles'];
  const adminRoles = ['Global admin'] as Caller['roles'];
  const exec = await mintToken(auth, { partner: partnerId, roles: execRoles }, '4h');
  const admin = await mintToken(auth, { partner: partnerId, roles: adminRoles }, '4h');
  const range = { kind: 'LAST_12_MONTHS' as const };
  const pages: ReaderPage[] = [
    { label: 'overview', bearer: exec, body: requestBody(OverviewReportDocument, { range }) },
    { label: 'customers', bearer: exec, body: requestBody(CustomersReportDocument, { range, filters: null }) },
    { label: 'subscriptions', bearer: exec, body: requestBody(SubscriptionsReportDocument, { range, filters: null }) },
    { label: 'licenses', bearer: exec, body: requestBody(LicensesReportDocument, { range, filters: null }) },
    { label: 'azureUsage', bearer: exec, body: requestBody(AzureUsageReportDocument, { range, filters: null }) },
    { label: 'pci', bearer: exec, body: JSON.stringify({ query: PCI_QUERY, operationName: 'PartnerContributionIndicators', variables: {} }) },
    { label: 'referralInsights', bearer: exec, body: requestBody(ReferralInsightsDocument, { range: 'LAST_12_MONTHS', filters: null }) },
    { label: 'subscriptionAnalytics', bearer: admin, body: requestBody(AnalyticsReportDocument, { name: 'SUBSCRIPTION_ANALYTICS', range, filters: null }) },
    { label: 'azureUsageAnalytics', bearer: admin, body: requestBody(AnalyticsReportDocument, { name: 'AZURE_USAGE_ANALYTICS', range, filters: null }) },
    { label: 'resellerAnalytics', bearer: admin, body: requestBody(AnalyticsReportDocument, { name: 'RESELLER_ANALYTICS', range, filters: null }) },
  ];
  return pages;
}
