import { randomUUID } from 'node:crypto';
import type { ApiHttp } from './http';
import { PARTNER_CENTER_SCOPE } from './settings';

/**
 * The Partner Center REST API (api.partnercenter.microsoft.com, paths under /v1): the partner's
 * customers, their subscriptions and usage spending budgets, indirect resellers, invoices and their
 * line items, and the partner's own profiles. Collections are async generators of pages, each
 * fetched only when the caller asks for it, so a caller writing pages to files holds one page at a time:
 *
 *   const pc = new PartnerCenterClient(http, settings.apiUrl);
 *   for await (const customers of pc.customers()) { ... }              // arrays of Customer
 *   for await (const page of pc.invoiceLineItemPages(id, 'onetime', 'billinglineitems')) write(page);
 *
 * Paging follows the documented `links.next` of a collection: its `uri` is relative to the API host
 * (with or without the /v1 prefix: Microsoft's .NET SDK adds /v1 when missing, and so does this),
 * and its `headers` ([{ key, value }], e.g. MS-ContinuationToken) go with the next request.
 * Every call carries fresh MS-RequestId and MS-CorrelationId GUIDs ("Partner Center REST headers");
 * ApiHttp keeps them across the retries of that call, as the docs ask for idempotency.
 *
 * Typed fields are the ones the sync reads, as documented; everything else passes through as is.
 */

/** `links.next` and friends ("Partner Center REST API resources": ResourceLinks / Link). */
export interface PartnerCenterLink {
  uri: string;
  method?: string;
  headers?: { key: string; value: string }[];
}

/** A Partner Center collection page ("Get a list of customers" response). */
export interface PartnerCenterCollection<T> {
  totalCount?: number;
  items: T[];
  links?: { self?: PartnerCenterLink; next?: PartnerCenterLink; [name: string]: PartnerCenterLink | undefined };
  attributes?: { objectType?: string; [name: string]: unknown };
  /** Some collections (one-time line items) also return the token in the body. */
  continuationToken?: string;
  [field: string]: unknown;
}

/** "Customer resources": Customer. */
export interface Customer {
  id: string;
  companyProfile?: { tenantId?: string; domain?: string; companyName?: string; [field: string]: unknown };
  relationshipToPartner?: string;
  [field: string]: unknown;
}

/** "Subscription resources": Subscription. */
export interface Subscription {
  id: string;
  offerId?: string;
  offerName?: string;
  friendlyName?: string;
  quantity?: number;
  status?: string;
  billingType?: string;
  creationDate?: string;
  effectiveStartDate?: string;
  commitmentEndDate?: string;
  autoRenewEnabled?: boolean;
  isTrial?: boolean;
  /** MPN id of the indirect reseller of record, when there is one. */
  partnerId?: string;
  [field: string]: unknown;
}

/** "Relationships resources": PartnerRelationship (an indirect reseller, seen from the provider). */
export interface PartnerRelationship {
  id: string;
  name?: string;
  relationshipType?: string;
  state?: string;
  mpnId?: string;
  location?: string;
  [field: string]: unknown;
}

/** "Invoice resources": InvoiceDetail. */
export interface InvoiceDetail {
  /** "billing_line_items", "usage_line_items" … */
  invoiceLineItemType: string;
  /** "office", "azure", "one_time" … */
  billingProvider: string;
  [field: string]: unknown;
}

/** "Invoice resources": Invoice. */
export interface Invoice {
  id: string;
  invoiceDate?: string;
  billingPeriodStartDate?: string;
  billingPeriodEndDate?: string;
  totalCharges?: number;
  currencyCode?: string;
  invoiceType?: string;
  documentType?: string;
  amendsOf?: string;
  invoiceDetails?: InvoiceDetail[];
  amendments?: Invoice[];
  [field: string]: unknown;
}

/** "Get Partner network profile": MpnProfile. */
export interface MpnProfile {
  mpnId?: string;
  organizationName?: string;
  profileType?: string;
  [field: string]: unknown;
}

/** "Get the legal business profile": LegalBusinessProfile. */
export interface LegalBusinessProfile {
  companyName?: string;
  address?: { country?: string; [field: string]: unknown };
  [field: string]: unknown;
}

/**
 * "Get a customer's usage spending budget": SpendingBudget, the customer's monthly Azure spending
 * budget, in the customer's billing currency (the API gives no currency: Partner Center's budgets
 * page shows it in the customer's local currency).
 */
export interface SpendingBudget {
  amount?: number | null;
  attributes?: { objectType?: string; [name: string]: unknown };
  [field: string]: unknown;
}

export interface PartnerCenterClientOptions {
  /** Stop a collection after this many pages (a guard against a server that never ends). Default 100 000. */
  maxPages?: number;
}

export class PartnerCenterClient {
  private readonly base: URL;
  private readonly maxPages: number;

  constructor(
    private readonly http: ApiHttp,
    /** settings.apiUrl, without a trailing slash. */
    private readonly apiUrl: string,
    options: PartnerCenterClientOptions = {},
  ) {
    this.base = new URL(apiUrl);
    this.maxPages = options.maxPages ?? 100_000;
  }

  /**
   * "Get a list of customers": GET /v1/customers?size={size}. Next pages: links.next.uri with its
   * MS-ContinuationToken header (seekOperation=Next).
   */
  async *customers(size = 500): AsyncGenerator<Customer[]> {
    for await (const page of this.collection<Customer>(`/v1/customers?size=${size}`)) yield page.items;
  }

  /** "Get a customer's subscriptions": GET /v1/customers/{customer-tenant-id}/subscriptions (links.next when present). */
  async *subscriptions(customerId: string): AsyncGenerator<Subscription[]> {
    for await (const page of this.collection<Subscription>(`/v1/customers/${encodeURIComponent(customerId)}/subscriptions`)) yield page.items;
  }

  /** "Retrieve a list of indirect resellers": GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf. */
  async *indirectResellers(): AsyncGenerator<PartnerRelationship[]> {
    for await (const page of this.collection<PartnerRelationship>('/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf')) yield page.items;
  }

  /** "Get a collection of invoices": GET /v1/invoices (links.next, offset based, when present). */
  async *invoices(): AsyncGenerator<Invoice[]> {
    for await (const page of this.collection<Invoice>('/v1/invoices')) yield page.items;
  }

  /**
   * "Get invoice line items": each raw page ({ totalCount, items, links, attributes }) as the API
   * returns it, for the caller to store as is. Provider and type come from the invoice's
   * invoiceDetails ("one_time" / "billing_line_items") or the query spelling ("onetime" /
   * "billinglineitems"); both work.
   *  - new commerce and everything with provider onetime:
   *    GET /v1/invoices/{id}/lineitems?provider=onetime&invoicelineitemtype={type}&size={size},
   *    next pages by links.next (seekOperation=Next with the MS-ContinuationToken header);
   *  - legacy office and azure providers (documented with path segments):
   *    GET /v1/invoices/{id}/lineitems/{Office|Azure}/{BillingLineItems|UsageLineItems}?size={size}&offset=0,
   *    next pages by links.next (offset based).
   */
  async *invoiceLineItemPages(invoiceId: string, provider: string, lineItemType: string, size = 2000): AsyncGenerator<PartnerCenterCollection<Record<string, unknown>>> {
    const id = encodeURIComponent(invoiceId);
    const providerKey = provider.replace(/_/g, '').toLowerCase();
    const typeKey = lineItemType.replace(/_/g, '').toLowerCase();
    const legacy = LEGACY_PROVIDERS[providerKey];
    const path = legacy
      ? `/v1/invoices/${id}/lineitems/${legacy}/${LEGACY_TYPES[typeKey] ?? encodeURIComponent(lineItemType)}?size=${size}&offset=0`
      : `/v1/invoices/${id}/lineitems?provider=${encodeURIComponent(providerKey)}&invoicelineitemtype=${encodeURIComponent(typeKey)}&size=${size}`;
    yield* this.collection<Record<string, unknown>>(path);
  }

  /**
   * "Get a customer's usage spending budget": GET /v1/customers/{customer-tenant-id}/usagebudget.
   * null when the customer has no budget: a 404, or an amount that is null or absent.
   */
  async usageBudget(customerId: string): Promise<SpendingBudget | null> {
    const url = this.url(`/v1/customers/${encodeURIComponent(customerId)}/usagebudget`);
    const { status, body } = await this.http.json<SpendingBudget | undefined>('GET', url, { scope: PARTNER_CENTER_SCOPE, headers: requestHeaders(), accept: [200, 404] });
    if (status === 404 || !body || body.amount === null || body.amount === undefined) return null;
    return body;
  }

  /**
   * "Update a customer's usage spending budget": PATCH /v1/customers/{customer-tenant-id}/usagebudget
   * with the SpendingBudget resource; returns the budget as Partner Center answers it. Setting an
   * amount is idempotent, so the HTTP core's retries are safe (one MS-RequestId across them).
   */
  async updateUsageBudget(customerId: string, amount: number): Promise<SpendingBudget> {
    const url = this.url(`/v1/customers/${encodeURIComponent(customerId)}/usagebudget`);
    const { body } = await this.http.json<SpendingBudget>('PATCH', url, {
      scope: PARTNER_CENTER_SCOPE,
      headers: requestHeaders(),
      body: { amount, attributes: { objectType: 'SpendingBudget' } },
    });
    return body ?? { amount };
  }

  /** "Get Partner network profile": GET /v1/profiles/mpn. */
  async mpnProfile(): Promise<MpnProfile> {
    return (await this.get<MpnProfile>(this.url('/v1/profiles/mpn'))).body;
  }

  /** "Get the legal business profile": GET /v1/profiles/legalbusiness. */
  async legalBusinessProfile(): Promise<LegalBusinessProfile> {
    return (await this.get<LegalBusinessProfile>(this.url('/v1/profiles/legalbusiness'))).body;
  }

  private get<T>(url: string, headers: Record<string, string> = {}) {
    return this.http.json<T>('GET', url, { scope: PARTNER_CENTER_SCOPE, headers: requestHeaders(headers) });
  }

  /** Pages of a collection, following links.next (uri + headers) until there is none. */
  private async *collection<T>(path: string): AsyncGenerator<PartnerCenterCollection<T>> {
    let url = this.url(path);
    let headers: Record<string, string> = {};
    const seen = new Set<string>();
    for (let page = 1; ; page++) {
      const { body } = await this.get<PartnerCenterCollection<T>>(url, headers);
      if (!body || !Array.isArray(body.items)) throw new Error(`Partner Center returned no "items" array for GET ${url.split('?')[0]} (page ${page})`);
      yield body;
      const next = body.links?.next;
      if (!next?.uri) return;
      url = this.url(next.uri);
      headers = Object.fromEntries((next.headers ?? []).filter((h) => h?.key).map((h) => [h.key, String(h.value)]));
      // A next link identical to one already followed would loop forever.
      const key = `${url}\n${JSON.stringify(headers)}`;
      if (seen.has(key)) throw new Error(`Partner Center repeated a next link for ${url.split('?')[0]} (page ${page}); stopping`);
      seen.add(key);
      if (page >= this.maxPages) throw new Error(`Partner Center collection ${path.split('?')[0]} has more than ${this.maxPages} pages; stopping`);
    }
  }

  /**
   * An absolute URL for a path or a link's uri. Absolute links must stay on the API host (they get
   * the bearer token); relative ones are resolved against apiUrl, with /v1 added when missing.
   */
  private url(uri: string): string {
    if (/^https?:\/\//i.test(uri)) {
      const target = new URL(uri);
      if (target.host !== this.base.host) throw new Error(`Partner Center link to another host (${target.host}) refused`);
      target.protocol = this.base.protocol;
      return target.toString();
    }
    const path = uri.startsWith('/') ? uri : `/${uri}`;
    return `${this.apiUrl}${/^\/v1(\/|\?|$)/i.test(path) ? path : `/v1${path}`}`;
  }
}

/** The headers of every call ("Partner Center REST headers"): fresh request and correlation ids. */
function requestHeaders(extra: Record<string, string> = {}): Record<string, string> {
  return { 'MS-RequestId': randomUUID(), 'MS-CorrelationId': randomUUID(), 'MS-PartnerCenter-Application': 'partner-insights', ...extra };
}

/** Path spellings of the legacy providers and line item types ("Get invoice line items"). */
const LEGACY_PROVIDERS: Record<string, string | undefined> = { office: 'Office', azure: 'Azure' };
const LEGACY_TYPES: Record<string, string | undefined> = { billinglineitems: 'BillingLineItems', usagelineitems: 'UsageLineItems' };
