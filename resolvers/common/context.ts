import type { Logger } from 'pino';
import type { PartnerRole } from '../../etl/formats/accounts';
import type { Warehouse } from '../../warehouse/db';

/** Who is calling, from their verified token (gateway/auth.ts). */
export interface Caller {
  /** The tenant: the partner global account id. Every query is scoped to it. */
  partnerId: string;
  /** Roles exactly as the Partner Center documentation names them (PARTNER_ROLES). */
  roles: PartnerRole[];
  /** Location MPN IDs the caller is limited to, or null for the entire organization. */
  locations: string[] | null;
  /** The token's subject (user id), for logs. */
  subject?: string;
}

/**
 * The GraphQL context of one request in one subgraph. Each subgraph builds its own from the
 * request's Authorization header (in-process and remote alike), so tenant scoping never depends on
 * anything but the verified token.
 */
export interface RequestContext {
  caller: Caller;
  warehouse: Warehouse;
  /** Per-request DataLoaders, created on first use (resolvers/common/loaders.ts). */
  loaders: Map<unknown, unknown>;
  requestId: string;
  log?: Logger;
}

export function createRequestContext(options: {
  caller: Caller;
  warehouse: Warehouse;
  requestId: string;
  log?: Logger;
}): RequestContext {
  return { ...options, loaders: new Map() };
}
