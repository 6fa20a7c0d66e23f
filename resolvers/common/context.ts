import type { Logger } from 'pino';
import type { Caller } from '../../core/caller';
import type { Warehouse } from '../../warehouse/db';


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
