import { randomUUID } from 'node:crypto';
import type { ApiHttp } from './http';
import { REFERRALS_SCOPE } from './settings';

/**
 * The Partner Center Referrals API (api.partner.microsoft.com/v1.0): leads and co-sell
 * opportunities ("referrals"), incoming and outgoing.
 *
 *   const referrals = new ReferralsClient(http, settings.referralsUrl);
 *   for await (const page of referrals.referrals()) { ... }   // arrays of Referral
 *
 * Authentication: Microsoft documents this API with App+User credentials only ("Referrals API
 * authentication"; "Get a list of referrals": "This scenario supports authentication with App+User
 * credentials", users in the Referral Admin or Referral User role). The sync asks for an app-only
 * token (client credentials, scope api.partner.microsoft.com/.default); Microsoft may refuse it
 * with 401/403, which surfaces as a PartnerCenterApiError naming the call.
 *
 * Deal registrations: Microsoft documents no API for them. "Register deals you won in Partner
 * Center" describes the Partner Center UI (Referrals workspace, Co-sell opportunities tab), and
 * "Bulk operations for Azure IP co-sell deal registrations" a CSV download and upload there; the
 * Referrals API lists create, update, get and list of referrals only ("Referrals API
 * introduction"). So this module exports nothing for deal registrations.
 */

/** "Referral resources": CustomerProfile. */
export interface ReferralCustomerProfile {
  name?: string;
  address?: { country?: string; city?: string; state?: string; postalCode?: string; [field: string]: unknown };
  size?: string;
  [field: string]: unknown;
}

/** "Referral resources": ReferralDetails. */
export interface ReferralDetails {
  dealValue?: number;
  currency?: string;
  closingDateTime?: string;
  notes?: string;
  [field: string]: unknown;
}

/** "Referral resources": Referral. */
export interface Referral {
  id: string;
  engagementId?: string;
  name?: string;
  organizationId?: string;
  organizationName?: string;
  externalReferenceId?: string;
  /** ReferralType: "Independent", "Shared". */
  type?: string;
  /** ReferralQualification: "Direct", "MarketingQualified", "SalesQualified", … */
  qualification?: string;
  /** ReferralStatus: "New", "Active", "Closed". */
  status?: string;
  /** ReferralSubstatus: "Pending", "Received", "Accepted", "Won", "Lost", "Declined", "Expired". */
  substatus?: string;
  statusReason?: string;
  /** "Incoming" or "Outgoing" (filterable: "Get a list of referrals"). */
  direction?: string;
  createdDateTime?: string;
  updatedDateTime?: string;
  expirationDateTime?: string;
  acceptedDateTime?: string;
  customerProfile?: ReferralCustomerProfile;
  details?: ReferralDetails;
  /** ReferralTarget (who the referral is addressed to); its fields are passed through untyped. */
  target?: Record<string, unknown>;
  team?: Record<string, unknown>[];
  inviteContext?: Record<string, unknown>;
  eTag?: string;
  [field: string]: unknown;
}

/** A page of "Get a list of referrals": OData `value` and `@odata.nextLink`. */
interface ReferralPage {
  value?: Referral[];
  /** The 2018 shape of the same API, still accepted. */
  items?: Referral[];
  '@odata.nextLink'?: string;
  '@nextLink'?: string;
  [field: string]: unknown;
}

export interface ReferralQuery {
  /** OData $filter, e.g. "direction eq 'Incoming'". */
  filter?: string;
  /** OData $orderby, e.g. 'updatedDateTime desc'. */
  orderby?: string;
  /** OData $top: page size. */
  top?: number;
}

export interface ReferralsClientOptions {
  /** Stop after this many pages (a guard against a server that never ends). Default 100 000. */
  maxPages?: number;
}

export class ReferralsClient {
  private readonly base: URL;
  private readonly maxPages: number;

  constructor(
    private readonly http: ApiHttp,
    /** settings.referralsUrl, without a trailing slash. */
    private readonly referralsUrl: string,
    options: ReferralsClientOptions = {},
  ) {
    this.base = new URL(referralsUrl);
    this.maxPages = options.maxPages ?? 100_000;
  }

  /**
   * "Get a list of referrals" (Get the list of leads and opportunities):
   * GET /v1.0/engagements/referrals with optional $filter, $orderby, $top; next pages by the
   * absolute `@odata.nextLink` (also read as `@nextLink`).
   */
  async *referrals(query: ReferralQuery = {}): AsyncGenerator<Referral[]> {
    const params = new URLSearchParams();
    if (query.filter) params.set('$filter', query.filter);
    if (query.orderby) params.set('$orderby', query.orderby);
    if (query.top !== undefined) params.set('$top', String(query.top));
    const search = params.toString();
    let url = `${this.referralsUrl}/v1.0/engagements/referrals${search ? `?${search}` : ''}`;
    const seen = new Set<string>([url]);
    for (let page = 1; ; page++) {
      const { body } = await this.http.json<ReferralPage>('GET', url, {
        scope: REFERRALS_SCOPE,
        headers: { 'MS-CorrelationId': randomUUID(), 'MS-RequestId': randomUUID() },
      });
      const items = body?.value ?? body?.items;
      if (!Array.isArray(items)) throw new Error(`the Referrals API returned no "value" array (page ${page})`);
      yield items;
      const next = body['@odata.nextLink'] ?? body['@nextLink'];
      if (!next) return;
      url = this.sameHost(next);
      if (seen.has(url)) throw new Error(`the Referrals API repeated a next link (page ${page}); stopping`);
      seen.add(url);
      if (page >= this.maxPages) throw new Error(`the Referrals API returned more than ${this.maxPages} pages; stopping`);
    }
  }

  /**
   * The next link, only on the Referrals host (it gets the bearer token), with the configured
   * scheme: Microsoft's documented example of @odata.nextLink is an http:// URL.
   */
  private sameHost(link: string): string {
    const target = new URL(link, `${this.referralsUrl}/`);
    if (target.host !== this.base.host) throw new Error(`Referrals API next link to another host (${target.host}) refused`);
    target.protocol = this.base.protocol;
    return target.toString();
  }
}
