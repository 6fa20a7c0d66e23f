import { createRequestContext, type RequestContext } from '../resolvers/common/context';
import { type Caller } from '../core/caller';
import type { ReadBounds, Warehouse } from '../warehouse/db';
import { authenticate, type AuthConfig } from './auth';
import type { Logger } from './logger';

/** Context of a request at the gateway: what it forwards to every subgraph. */
export interface GatewayContext {
  /** The request's Authorization header, forwarded to subgraphs, which verify it themselves. */
  authorization: string;
  requestId: string;
  /** Verified at the gateway, for logs and the HTTP 401; subgraphs do not trust it. */
  caller: Caller;
  /** Bounds of the request's warehouse reads (gateway/plugins/request-bounds.ts), for its in-process subgraph contexts. */
  bounds?: ReadBounds | null;
  /** In-process subgraph contexts of this request, one per subgraph (so DataLoaders span its fetches). */
  subgraphContexts: Map<string, Promise<RequestContext>>;
}

/**
 * The context of a request inside a subgraph, built from the Authorization header alone: the same
 * function serves a subgraph in-process (behind the gateway) and over HTTP (served alone), so
 * tenant isolation is enforced in every subgraph whatever calls it.
 */
export async function subgraphContext(options: {
  auth: AuthConfig;
  warehouse: Warehouse;
  authorization: string | undefined;
  requestId: string;
  log?: Logger;
  bounds?: ReadBounds | null;
}): Promise<RequestContext> {
  const caller = await authenticate(options.auth, options.authorization);
  return createRequestContext({
    caller,
    warehouse: options.warehouse,
    requestId: options.requestId,
    bounds: options.bounds,
    log: options.log?.child({ requestId: options.requestId, partner: caller.partnerId }),
  });
}
