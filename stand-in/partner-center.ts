/**
 * Partner Center REST API (https://api.partnercenter.microsoft.com, here `${origin}/pc`): the
 * resources the sync reads. Every answer is the documented JSON: camelCase names, a collection is
 * { totalCount, items, links, attributes: { objectType: 'Collection' } }, each resource carries
 * `attributes.objectType`. A page's totalCount is the number of items on that page, as in the
 * documentation's paged examples. Relative `links.*.uri` are relative to the API root (PI_PC_API_URL).
 */
import type { StandInDataSet, StandInInvoice, LineKind } from './data-set';
import { header, param, send, sendError, type Ctx, type Tokens } from './http';
import { restItem } from './shapes';

export interface PartnerCenterState {
  dataSet: StandInDataSet;
  /** The most items a page holds, whatever `size` asks. */
  pageSize?: number;
  tokens: Tokens;
}

/** Line items per page at most ("size: the maximum number of items to return. Default size is 2000"). */
const MAX_LINE_ITEMS = 2000;

type Link = { uri: string; method: 'GET'; headers: { key: string; value: string }[] };

const link = (uri: string, headers: { key: string; value: string }[] = []): Link => ({ uri, method: 'GET', headers });

function collection(items: unknown[], links: Record<string, Link> = {}, extra: Record<string, unknown> = {}) {
  return { ...extra, totalCount: items.length, items, links, attributes: { objectType: 'Collection' } };
}

function pageSize(ctx: Ctx, state: PartnerCenterState, fallback: number, max = Infinity): number | undefined {
  const raw = param(ctx, 'size');
  const asked = raw === undefined ? fallback : Number(raw);
  if (!Number.isInteger(asked) || asked <= 0) return undefined;
  return Math.min(asked, max, state.pageSize ?? Infinity);
}

/** Routes a request under /pc; false when no route matches. */
export function partnerCenter(ctx: Ctx, state: PartnerCenterState, path: string): boolean {
  let m: RegExpExecArray | null;
  if ((m = /^\/v1\/customers\/([^/]+)\/usagebudget$/i.exec(path))) return usageBudget(ctx, state, m[1]), true;
  if (ctx.method !== 'GET') return false;
  if (path === '/v1/customers') return customers(ctx, state), true;
  if ((m = /^\/v1\/customers\/([^/]+)$/.exec(path))) return customer(ctx, state, m[1]), true;
  if ((m = /^\/v1\/customers\/([^/]+)\/subscriptions$/.exec(path))) return subscriptions(ctx, state, m[1]), true;
  if ((m = /^\/v1\/customers\/([^/]+)\/subscriptions\/([^/]+)$/.exec(path))) return subscription(ctx, state, m[1], m[2]), true;
  if (path === '/v1/relationships') return relationships(ctx, state), true;
  if (path === '/v1/profiles/mpn') return send(ctx, 200, state.dataSet.mpnProfile()), true;
  if (path === '/v1/profiles/legalbusiness') return send(ctx, 200, state.dataSet.legalBusinessProfile()), true;
  if (path === '/v1/invoices') return invoices(ctx, state), true;
  if ((m = /^\/v1\/invoices\/([^/]+)$/.exec(path))) return invoice(ctx, state, m[1]), true;
  if ((m = /^\/v1\/invoices\/([^/]+)\/lineitems$/.exec(path))) return lineItems(ctx, state, m[1], param(ctx, 'provider'), param(ctx, 'invoicelineitemtype')), true;
  if ((m = /^\/v1\/invoices\/([^/]+)\/lineitems\/([^/]+)\/([^/]+)$/.exec(path))) return lineItems(ctx, state, m[1], m[2], m[3]), true;
  return false;
}

/**
 * GET /v1/customers?size={size}, then GET /v1/customers?size={size}&seekOperation=Next with the
 * MS-ContinuationToken header.
 * Follows "Get a list of customers" (learn.microsoft.com/partner-center/developer/get-a-list-of-customers):
 * a collection of Customer resources (id, companyProfile { tenantId, domain, companyName },
 * relationshipToPartner, attributes.objectType Customer). The documented example has one page; the
 * next page is given as the seek-based collections of "Get invoice line items" give it:
 * continuationToken, and links.next { uri, method: 'GET', headers: [{ key: 'MS-ContinuationToken', value }] }.
 * The stand-in adds each customer's billingProfile (Customer resource, "Customer resources").
 */
function customers(ctx: Ctx, state: PartnerCenterState): void {
  const size = pageSize(ctx, state, 100);
  if (size === undefined) return sendError(ctx, 400, "The 'size' parameter must be a positive integer.", { code: '400' });
  let offset = 0;
  if (/^next$/i.test(param(ctx, 'seekOperation') ?? '')) {
    const token = state.tokens.decode<{ r: string; o: number }>(header(ctx, 'ms-continuationtoken'));
    if (!token || token.r !== 'customers') return sendError(ctx, 400, 'The continuation token is missing or not valid for this collection.', { code: '2001' });
    offset = token.o;
  }
  const all = state.dataSet.customers;
  const items = all.slice(offset, offset + size);
  const links: Record<string, Link> = { self: link(`/v1/customers?size=${size}`) };
  let extra = {};
  if (offset + size < all.length) {
    const value = state.tokens.encode({ r: 'customers', o: offset + size });
    links.next = link(`/v1/customers?size=${size}&seekOperation=Next`, [{ key: 'MS-ContinuationToken', value }]);
    extra = { continuationToken: value };
  }
  send(ctx, 200, collection(items, links, extra));
}

/** GET /v1/customers/{customer-tenant-id}. Follows "Get a customer by ID". */
function customer(ctx: Ctx, state: PartnerCenterState, id: string): void {
  const c = state.dataSet.customer(id);
  if (!c) return sendError(ctx, 404, `Customer ${id} was not found.`, { code: '600008' });
  send(ctx, 200, c);
}

/**
 * GET /v1/customers/{customer-tenant-id}/subscriptions.
 * Follows "Get all of a customer's subscriptions" (get-all-of-a-customer-s-subscriptions): a
 * collection of Subscription resources ("Subscription resources": id, offerId, offerName,
 * friendlyName, quantity, unitType, creationDate, effectiveStartDate, commitmentEndDate, status,
 * autoRenewEnabled, billingType, billingCycle, termDuration, isTrial, partnerId (the reseller of
 * record's MPN ID), orderId, links, attributes { etag, objectType }), not paged.
 */
function subscriptions(ctx: Ctx, state: PartnerCenterState, customerId: string): void {
  if (!state.dataSet.customer(customerId)) return sendError(ctx, 404, `Customer ${customerId} was not found.`, { code: '600008' });
  send(ctx, 200, collection(state.dataSet.subscriptionsOf(customerId).map((s) => s.resource)));
}

/** GET /v1/customers/{customer-tenant-id}/subscriptions/{id-for-subscription}. Follows "Get a subscription by ID". */
function subscription(ctx: Ctx, state: PartnerCenterState, customerId: string, id: string): void {
  const s = state.dataSet.subscriptionsOf(customerId).find((x) => String(x.resource.id).toLowerCase() === id.toLowerCase());
  if (!s) return sendError(ctx, 404, `Subscription ${id} was not found.`, { code: '800002' });
  send(ctx, 200, s.resource);
}

/**
 * GET and PATCH /v1/customers/{customer-tenant-id}/usagebudget.
 * Follows "Get a customer's usage spending budget" and "Update a customer's usage spending budget"
 * (get-a-customer-s-usage-spending-budget, update-a-customer-s-usage-spending-budget): the
 * SpendingBudget resource { amount, attributes: { objectType: 'SpendingBudget' } }; PATCH takes the
 * full resource (the documented request writes `Amount` and `Attributes`: names are read without
 * regard to case) and answers the updated budget. 404 (code 600008) for a customer the partner does
 * not have. Assumed (the documentation is silent): a customer without a budget answers 200 with
 * `amount: null`; PATCH with `amount: null` removes the budget; an amount that is not a number of at
 * least 0 is a 400.
 */
function usageBudget(ctx: Ctx, state: PartnerCenterState, customerId: string): void {
  if (ctx.method !== 'GET' && ctx.method !== 'PATCH') return sendError(ctx, 405, `The method ${ctx.method} is not allowed on a customer's usage budget: use GET or PATCH.`, { code: '405' });
  const current = state.dataSet.usageBudget(customerId);
  if (current === undefined) return sendError(ctx, 404, `Customer ${customerId} was not found.`, { code: '600008' });
  if (ctx.method === 'PATCH') {
    let body: unknown;
    try {
      body = JSON.parse(ctx.body || 'null');
    } catch {
      return sendError(ctx, 400, 'The request body is not valid JSON: send the SpendingBudget resource, { "amount": 100, "attributes": { "objectType": "SpendingBudget" } }.', { code: '400' });
    }
    const fields = body && typeof body === 'object' ? Object.fromEntries(Object.entries(body).map(([k, v]) => [k.toLowerCase(), v])) : undefined;
    if (!fields || !('amount' in fields)) return sendError(ctx, 400, "The SpendingBudget's 'amount' is required.", { code: '400' });
    const amount = fields.amount;
    if (amount !== null && (typeof amount !== 'number' || !Number.isFinite(amount) || amount < 0)) {
      return sendError(ctx, 400, `The SpendingBudget's 'amount' must be a number of at least 0, got ${JSON.stringify(amount)}.`, { code: '400' });
    }
    state.dataSet.setUsageBudget(customerId, amount as number | null);
  }
  send(ctx, 200, { amount: state.dataSet.usageBudget(customerId) ?? null, attributes: { objectType: 'SpendingBudget' } });
}

/**
 * GET /v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf.
 * Follows "Retrieve a list of indirect resellers" (retrieve-a-list-of-indirect-resellers): a
 * collection of PartnerRelationship resources { id, name, relationshipType:
 * 'is_indirect_cloud_solution_provider_of', state, mpnId, location }. IsIndirectResellerOf (the
 * partner seen as a reseller) is an empty collection.
 */
function relationships(ctx: Ctx, state: PartnerCenterState): void {
  const type = param(ctx, 'relationship_type');
  if (!type) return sendError(ctx, 400, "The 'relationship_type' parameter is required.", { code: '400' });
  if (/^IsIndirectCloudSolutionProviderOf$/i.test(type)) return send(ctx, 200, collection(state.dataSet.resellers));
  if (/^IsIndirectResellerOf$/i.test(type)) return send(ctx, 200, collection([]));
  sendError(ctx, 400, `Unknown relationship_type '${type}'.`, { code: '400' });
}

/**
 * GET /v1/invoices[?size={size}&offset={offset}].
 * Follows "Get a collection of invoices" (get-a-collection-of-invoices) and "Invoice resources":
 * Invoice { id, invoiceDate, billingPeriodStartDate, billingPeriodEndDate, totalCharges, paidAmount,
 * currencyCode, currencySymbol, pdfDownloadLink, invoiceDetails [{ invoiceLineItemType,
 * billingProvider, links }], amendments?, documentType, amendsOf?, invoiceType }. Adjustment notes
 * are listed in their invoice's `amendments` (as in the documented example), not on their own.
 */
function invoices(ctx: Ctx, state: PartnerCenterState): void {
  const all = state.dataSet.invoices;
  const size = pageSize(ctx, state, all.length || 1);
  if (size === undefined) return sendError(ctx, 400, "The 'size' parameter must be a positive integer.", { code: '400' });
  const offset = Math.max(0, Number(param(ctx, 'offset') ?? 0) || 0);
  const items = all.slice(offset, offset + size).map((inv) => inv.resource);
  const links: Record<string, Link> = { self: link(`/v1/invoices?size=${size}&offset=${offset}`) };
  if (offset + size < all.length) links.next = link(`/v1/invoices?size=${size}&offset=${offset + size}`);
  send(ctx, 200, collection(items, links));
}

/** GET /v1/invoices/{invoice-id}. Follows "Get an invoice by ID"; adjustment notes are found by their ID too. */
function invoice(ctx: Ctx, state: PartnerCenterState, id: string): void {
  const inv = state.dataSet.invoice(id);
  if (!inv) return sendError(ctx, 404, `Invoice ${id} was not found.`, { code: '2000' });
  send(ctx, 200, inv.resource);
}

/**
 * GET /v1/invoices/{invoice-id}/lineitems?provider={Office|OneTime|Azure}&invoicelineitemtype={BillingLineItems|UsageLineItems}&size={size}
 * (also the older path form /lineitems/{provider}/{type}).
 * Follows "Get invoice line items" (get-invoiceline-items) and "Get invoice billed commercial
 * consumption line items" (get-invoice-billed-consumption-lineitems):
 * - provider=Office, BillingLineItems: LicenseBasedLineItem items, paged with size and a 0-based
 *   offset; links.next.uri carries the next offset.
 * - provider=OneTime, BillingLineItems (OneTimeInvoiceLineItem) and UsageLineItems
 *   (DailyRatedUsageLineItem): seek-based pages: the first page, then links.next.uri (…&seekOperation=Next)
 *   with the MS-ContinuationToken header of links.next.headers; the page also has continuationToken.
 *   Only for invoices before the Graph export's first month: the documentation sends later billing
 *   periods to the v2 (Graph) APIs; here they answer 400 saying so (assumed; the documentation gives
 *   dates, not the error).
 * - provider=Azure: an empty collection (no MS-AZR-0145P subscriptions).
 * size is at most 2000 (the documented default and maximum).
 */
function lineItems(ctx: Ctx, state: PartnerCenterState, id: string, provider: string | undefined, type: string | undefined): void {
  const inv = state.dataSet.invoice(id);
  if (!inv) return sendError(ctx, 404, `Invoice ${id} was not found.`, { code: '2000' });
  const p = (provider ?? '').toLowerCase().replace(/_/g, '');
  const t = (type ?? '').toLowerCase().replace(/_/g, '');
  if (!p || !t) return sendError(ctx, 400, "The 'provider' and 'invoicelineitemtype' parameters are required.", { code: '400' });
  const size = pageSize(ctx, state, MAX_LINE_ITEMS, MAX_LINE_ITEMS);
  if (size === undefined) return sendError(ctx, 400, "The 'size' parameter must be a positive integer.", { code: '400' });
  const base = `/v1/invoices/${inv.id}/lineitems?provider=${provider}&invoicelineitemtype=${type}`;
  if (p === 'azure') return send(ctx, 200, collection([], { self: link(`${base}&size=${size}`) }));
  if (p === 'office') {
    if (t !== 'billinglineitems') return send(ctx, 200, collection([], { self: link(`${base}&size=${size}`) }));
    const offset = Math.max(0, Number(param(ctx, 'offset') ?? 0) || 0);
    const items = [...inv.iterate('license', offset, offset + size)].map(restItem);
    const links: Record<string, Link> = { self: link(`${base}&size=${size}&offset=${offset}`) };
    if (offset + size < inv.count('license')) links.next = link(`${base}&size=${size}&offset=${offset + size}`);
    return send(ctx, 200, collection(items, links));
  }
  if (p !== 'onetime') return sendError(ctx, 400, `Unknown billing provider '${provider}'.`, { code: '400' });
  const kind: LineKind | undefined = t === 'billinglineitems' ? 'onetime' : t === 'usagelineitems' ? 'usage' : undefined;
  if (!kind) return sendError(ctx, 400, `Unknown invoice line item type '${type}'.`, { code: '400' });
  if (!inv.legacy) return sendError(ctx, 400, graphOnly(inv, state.dataSet), { code: '2000' });
  let offset = 0;
  if (/^next$/i.test(param(ctx, 'seekOperation') ?? '')) {
    const token = state.tokens.decode<{ r: string; o: number }>(header(ctx, 'ms-continuationtoken'));
    if (!token || token.r !== `lineitems:${inv.id}:${kind}`) return sendError(ctx, 400, 'The continuation token is missing or not valid for these line items.', { code: '2001' });
    offset = token.o;
  }
  const items = [...inv.iterate(kind, offset, offset + size)].map(restItem);
  const links: Record<string, Link> = { self: link(`${base}&size=${size}`) };
  let extra = {};
  if (offset + size < inv.count(kind)) {
    const value = state.tokens.encode({ r: `lineitems:${inv.id}:${kind}`, o: offset + size });
    links.next = link(`${base}&size=${size}&seekOperation=Next`, [{ key: 'MS-ContinuationToken', value }]);
    extra = { continuationToken: value };
  }
  send(ctx, 200, collection(items, links, extra));
}

function graphOnly(inv: StandInInvoice, ds: StandInDataSet): string {
  const first = ds.invoices.find((i) => !i.legacy)?.month ?? inv.month;
  return (
    `Invoice ${inv.id} (billing period ${inv.month}): new-commerce and daily-rated usage line items of billing periods from ${first} on ` +
    'are only available through the Microsoft Graph partner billing API (billed invoice reconciliation and billed usage API v2).'
  );
}
