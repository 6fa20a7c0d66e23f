/**
 * Partner Center Referrals API (https://api.partner.microsoft.com/v1.0/engagements, here
 * `${origin}/referrals/v1.0/engagements`).
 */
import type { StandInDataSet } from './data-set';
import { param, send, sendError, type Ctx, type Tokens } from './http';

export interface ReferralsState {
  dataSet: StandInDataSet;
  pageSize?: number;
  tokens: Tokens;
  origin(): string;
}

/** Referrals per page when $top is not given (assumed: the documentation names no default). */
const DEFAULT_PAGE = 100;

export function referrals(ctx: Ctx, state: ReferralsState, path: string): boolean {
  if (ctx.method !== 'GET') return false;
  if (path === '/v1.0/engagements/referrals') return list(ctx, state), true;
  const m = /^\/v1\.0\/engagements\/referrals\/([^/]+)$/.exec(path);
  if (m) return one(ctx, state, m[1]), true;
  return false;
}

/**
 * GET /v1.0/engagements/referrals[?$top=N] then GET of '@nextLink'.
 * Follows "Get the list of leads and opportunities" (learn.microsoft.com/partner-center/developer/get-a-list-of-referrals)
 * and "Referral resources": an OData collection { value: [Referral], '@nextLink'?: absolute URL }
 * of referrals { id, engagementId, organizationId, organizationName, name, externalReferenceId,
 * createdDateTime, updatedDateTime, expirationDateTime, acceptedDateTime, status (New | Active |
 * Closed), substatus, statusReason, type (Independent | Shared), qualification, direction,
 * customerProfile { name, address, size, team, ids }, consent, details { notes, dealValue, currency,
 * closingDateTime, requirements { industries, solutions, products, services } }, team, eTag },
 * ordered by createdDateTime descending. The next link carries an opaque $skipToken (assumed form).
 * $filter and $select are not implemented (ignored).
 */
function list(ctx: Ctx, state: ReferralsState): void {
  const topRaw = param(ctx, '$top');
  const top = topRaw === undefined ? DEFAULT_PAGE : Number(topRaw);
  if (!Number.isInteger(top) || top <= 0) return sendError(ctx, 400, "The query parameter '$top' must be a positive integer.", { code: 'BadRequest' });
  const size = Math.min(top, state.pageSize ?? Infinity);
  let offset = 0;
  const skip = param(ctx, '$skipToken');
  if (skip !== undefined) {
    const token = state.tokens.decode<{ r: string; o: number }>(skip);
    if (!token || token.r !== 'referrals') return sendError(ctx, 400, 'The $skipToken is not valid.', { code: 'BadRequest' });
    offset = token.o;
  }
  const all = [...state.dataSet.referrals].sort((a, b) => String(b.createdDateTime).localeCompare(String(a.createdDateTime)) || String(a.id).localeCompare(String(b.id)));
  const value = all.slice(offset, offset + size);
  const body: Record<string, unknown> = { value };
  if (offset + size < all.length) {
    const next = new URL(`${state.origin()}/referrals/v1.0/engagements/referrals`);
    next.searchParams.set('$top', String(top));
    next.searchParams.set('$skipToken', state.tokens.encode({ r: 'referrals', o: offset + size }));
    body['@nextLink'] = next.toString();
  }
  send(ctx, 200, body);
}

/** GET /v1.0/engagements/referrals/{id}. Follows "Get a referral by ID". */
function one(ctx: Ctx, state: ReferralsState, id: string): void {
  const r = state.dataSet.referrals.find((x) => String(x.id).toLowerCase() === id.toLowerCase());
  if (!r) return sendError(ctx, 404, `Referral ${id} was not found.`, { code: 'NotFound' });
  send(ctx, 200, r);
}
