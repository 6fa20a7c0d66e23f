import type { Logger } from 'pino';
import type { Caller } from '../../core/caller';
import { isoDay, now as clockNow } from '../../warehouse/clock';
import type { ReadBounds, Warehouse } from '../../warehouse/db';


/**
 * The GraphQL context of one request in one subgraph. Each subgraph builds its own from the
 * request's Authorization header (in-process and remote alike), so tenant scoping never depends on
 * anything but the verified token.
 */
export interface RequestContext {
  caller: Caller;
  /**
   * The warehouse, bound to the request when it has bounds (Warehouse.bound): every read of the
   * request (resolvers, DataLoaders, paginate) stops with it and takes its caller's turns. Services
   * that outlive the request (report queue, syncs) key on `warehouse.root`.
   */
  warehouse: Warehouse;
  /**
   * "Now" of the request (warehouse/clock.ts: PI_TODAY or the system clock), read once: every date
   * rule of one response (referral expiry, subscription windows and event dates, expected charges,
   * API key expiry, PCI as-of) applies at the same instant. Resolvers pass it to the warehouse.
   */
  readonly now: Date;
  /** `now` as its UTC calendar day, "2024-03-20". */
  readonly today: string;
  /** Per-request DataLoaders, created on first use (resolvers/common/loaders.ts). */
  loaders: Map<unknown, unknown>;
  requestId: string;
  log?: Logger;
}

export function createRequestContext(options: {
  caller: Caller;
  warehouse: Warehouse;
  /** When to stop the request's reads and whose turns they take (gateway/plugins/request-bounds.ts); none: unbounded. */
  bounds?: ReadBounds | null;
  requestId: string;
  log?: Logger;
  /** Fixes the request's "now"; default: warehouse/clock.ts now(), read once for the request. */
  now?: Date;
}): RequestContext {
  const { now: fixed, bounds, warehouse, ...rest } = options;
  // Read on first use, then kept: a request that applies no date rule does not read the clock, so
  // a malformed PI_TODAY fails the fields that need the date (as documented), not every request.
  let at: Date | undefined = fixed;
  const requestNow = (): Date => (at ??= clockNow());
  return {
    ...rest,
    warehouse: bounds ? warehouse.bound(bounds) : warehouse,
    loaders: new Map(),
    get now() {
      return requestNow();
    },
    get today() {
      return isoDay(requestNow());
    },
  };
}
