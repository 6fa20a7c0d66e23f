import {
  AnalyticsReportDocument,
  AzureUsageReportDocument,
  CustomersReportDocument,
  InvoicesDocument,
  LicensesReportDocument,
  OverviewReportDocument,
  ReferralInsightsDocument,
  SubscriptionsReportDocument,
} from '../../generated/graphql';
import { mintToken, type AuthConfig, type TokenClaims } from '../../gateway/auth';
import type { Caller } from '../../core/caller';
import { hasPermission, type Permission } from '../../core/permissions';
import type { PartnerRole } from '../../core/vocabulary';
import type { Warehouse } from '../../warehouse/db';
import { demoPartners } from './demo-warehouse';
import { requestBody } from './graphql-client';
import { PCI_QUERY } from './pci-query';

/**
 * The dashboards of `npm run bench:load`: for each partner of the warehouse and each role below, a
 * token and the requests its dashboard sends, i.e. every request type whose permissions the role
 * has (core/permissions.ts), so that no request is answered FORBIDDEN by design.
 */
export interface DashboardRequest {
  /** The request type, e.g. "overviewReport": figures are per type. */
  type: string;
  body: string;
}

export interface Dashboard {
  /** e.g. "Report viewer / Contoso". */
  label: string;
  claims: TokenClaims;
  /** A token of these claims, for the one-at-a-time passes. */
  bearer: string;
  requests: DashboardRequest[];
}

/** The roles, each with a token of its own per partner; one is limited to a location. */
const ROLES: { label: string; roles: PartnerRole[]; scopedToLocation: boolean }[] = [
  { label: 'Global admin', roles: ['Global admin'], scopedToLocation: false },
  { label: 'Executive report viewer', roles: ['Executive report viewer'], scopedToLocation: false },
  { label: 'Report viewer', roles: ['Report viewer'], scopedToLocation: false },
  { label: 'Billing admin', roles: ['Billing admin'], scopedToLocation: false },
  { label: 'Admin agent@location', roles: ['Admin agent'], scopedToLocation: true },
];

/** The customers page with each customer's subscriptions nested (accounts, then subscriptions subgraph). */
const CUSTOMERS_WITH_SUBSCRIPTIONS = `query CustomersWithSubscriptions($first: Int!, $subscriptionsFirst: Int!) {
  customers(first: $first, orderBy: { field: NAME, direction: ASC }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id companyName country segment
        location { mpnId name }
        subscriptions(first: $subscriptionsFirst) {
          totalCount
          edges { node { id friendlyName status quantity termEndDate autoRenew product { name productFamily } } }
        }
      }
    }
  }
}`;

/** The referral inbox (new and active referrals, newest first); deal values only for roles that may see them. */
const REFERRAL_INBOX = `query ReferralInbox($first: Int!, $withDealValue: Boolean!) {
  referrals(first: $first, filter: { status: [NEW, ACTIVE] }) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges {
      node {
        id engagementName direction source type solution status customerName customerCountry createdAt expiresAt
        dealValueUsd @include(if: $withDealValue) { amount currency }
        customer { id companyName }
        location { mpnId name }
      }
    }
  }
}`;

const inline = (query: string, operationName: string, variables: Record<string, unknown>) => JSON.stringify({ query, operationName, variables });

interface RequestType {
  type: string;
  needs: Permission[];
  body: (caller: Caller) => string;
}

const range = { kind: 'LAST_12_MONTHS' as const };

/** Every request type of the mix, in the order a dashboard sends them. */
const REQUEST_TYPES: RequestType[] = [
  {
    type: 'customersWithSubscriptions',
    needs: ['readCustomers', 'readSubscriptions'],
    body: () => inline(CUSTOMERS_WITH_SUBSCRIPTIONS, 'CustomersWithSubscriptions', { first: 20, subscriptionsFirst: 10 }),
  },
  { type: 'overviewReport', needs: ['readReports', 'seeRevenue'], body: () => requestBody(OverviewReportDocument, { range }) },
  { type: 'customersReport', needs: ['readReports'], body: () => requestBody(CustomersReportDocument, { range, filters: null }) },
  { type: 'subscriptionsReport', needs: ['readProductReports'], body: () => requestBody(SubscriptionsReportDocument, { range, filters: null }) },
  { type: 'licensesReport', needs: ['readProductReports'], body: () => requestBody(LicensesReportDocument, { range, filters: null }) },
  { type: 'azureUsageReport', needs: ['readProductReports', 'seeRevenue'], body: () => requestBody(AzureUsageReportDocument, { range, filters: null }) },
  { type: 'pci', needs: ['readReports', 'seeRevenue'], body: () => inline(PCI_QUERY, 'PartnerContributionIndicators', {}) },
  {
    type: 'referralInsights',
    needs: ['readReports', 'readReferrals', 'seeDealValue'],
    body: () => requestBody(ReferralInsightsDocument, { range: 'LAST_12_MONTHS', filters: null }),
  },
  {
    type: 'subscriptionAnalytics',
    needs: ['readAnalytics'],
    body: () => requestBody(AnalyticsReportDocument, { name: 'SUBSCRIPTION_ANALYTICS', range, filters: null }),
  },
  {
    type: 'azureUsageAnalytics',
    needs: ['readAnalytics'],
    body: () => requestBody(AnalyticsReportDocument, { name: 'AZURE_USAGE_ANALYTICS', range, filters: null }),
  },
  {
    type: 'resellerAnalytics',
    needs: ['readAnalytics'],
    body: () => requestBody(AnalyticsReportDocument, { name: 'RESELLER_ANALYTICS', range, filters: null }),
  },
  {
    type: 'referralInbox',
    needs: ['readReferrals'],
    body: (caller) => inline(REFERRAL_INBOX, 'ReferralInbox', { first: 20, withDealValue: hasPermission(caller, 'seeDealValue') }),
  },
  { type: 'invoices', needs: ['seeBilling'], body: () => requestBody(InvoicesDocument, { first: 20 }) },
];

/** The location with the most customers of a partner: the scope of the location-scoped role. */
async function busiestLocation(warehouse: Warehouse, partnerId: string): Promise<string> {
  const [row] = await warehouse.all<{ mpn_id: string }>(
    `SELECT mpn_id FROM customers WHERE partner_id = $1 AND mpn_id IS NOT NULL GROUP BY mpn_id ORDER BY count(*) DESC, mpn_id LIMIT 1`,
    [partnerId],
  );
  if (!row) throw new Error(`partner ${partnerId} has no customer with a location`);
  return row.mpn_id;
}

/** One dashboard per partner and role, partners interleaved (so that any 2n clients cover both partners alike). */
export async function buildDashboards(warehouse: Warehouse, auth: AuthConfig): Promise<Dashboard[]> {
  const partners = await demoPartners(warehouse);
  if (!partners.length) throw new Error('the warehouse has no partners');
  const dashboards: Dashboard[] = [];
  for (const role of ROLES) {
    for (const partner of partners) {
      const locations = role.scopedToLocation ? [await busiestLocation(warehouse, partner.id)] : null;
      const caller: Caller = { partnerId: partner.id, roles: role.roles, locations };
      const claims: TokenClaims = { partner: partner.id, roles: role.roles, ...(locations ? { locations } : {}) };
      const bearer = await mintToken(auth, claims, '4h');
      const requests = REQUEST_TYPES.filter((t) => t.needs.every((p) => hasPermission(caller, p))).map((t) => ({ type: t.type, body: t.body(caller) }));
      const label = `${role.label}${locations ? ` ${locations[0]}` : ''} / ${partner.name}`;
      dashboards.push({ label, claims, bearer, requests });
    }
  }
  return dashboards;
}

/** The request types in mix order. */
export const requestTypes = (): string[] => REQUEST_TYPES.map((t) => t.type);

/**
 * A token per client, client c with the claims of dashboard c mod n and a subject of its own: 50
 * users, not 10 tokens shared, since the server bounds each token's concurrent statements
 * (PI_MAX_CALLER_CONCURRENCY).
 */
export function clientTokens(auth: AuthConfig, dashboards: Dashboard[], clients: number): Promise<string[]> {
  return Promise.all(
    Array.from({ length: clients }, (_, c) => mintToken(auth, { ...dashboards[c % dashboards.length].claims, sub: `bench-load-client-${c}` }, '4h')),
  );
}
