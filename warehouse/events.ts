import { EventEmitter } from 'node:events';
import type { Warehouse } from './db';

/**
 * What changed in a warehouse, told to whoever listens in the same process (the GraphQL
 * subscriptions of the gateway, resolvers/live). The process that owns the warehouse is the one
 * that writes it (DESIGN: one owner), so every change passes here.
 *
 * Events say what changed and whose it is, not the whole object: a listener that wants more reads
 * the warehouse (scoped to its caller) by the ids given. Every event names its partner, and
 * location-bound ones their location, so that a listener can keep to its caller's tenant.
 *
 *   warehouseEvents(warehouse).publish({ type: 'referralChanged', partnerId, ... });
 *   const stop = warehouseEvents(warehouse).subscribe((event) => ...);
 *
 * Loads, syncs and generated reports have listeners of their own (etl/ingest/queue.ts onChange,
 * etl/sync/service.ts, warehouse/exports/downloads-queue.ts); this bus carries the rest.
 */
export type WarehouseEvent =
  | {
      type: 'referralChanged';
      partnerId: string;
      /** The location the referral is assigned to (its MPN ID), or null for the organization. */
      locationMpnId: string | null;
      referralId: string;
      /** 'created': a new referral in the inbox (loaded, synced or created); 'updated': its status or substatus changed. */
      change: 'created' | 'updated';
      status: string;
      substatus: string | null;
      at: string;
    }
  | {
      type: 'budgetAlert';
      partnerId: string;
      customerId: string;
      /** The budget's month, YYYY-MM. */
      month: string;
      /** The threshold crossed, in percent of the budget (80 or 100). */
      threshold: number;
      /** Spending and budget in the budget's currency, as DECIMAL strings. */
      spent: string;
      budget: string;
      currency: string;
      at: string;
    };

export type WarehouseEventType = WarehouseEvent['type'];

export class WarehouseEvents {
  private readonly emitter = new EventEmitter();

  constructor() {
    // One listener per open GraphQL subscription: their number is bounded by the connection limits, not by this.
    this.emitter.setMaxListeners(0);
  }

  publish(event: WarehouseEvent): void {
    this.emitter.emit('event', event);
  }

  /** Calls `listener` with every event from now on; returns the function that stops it. */
  subscribe(listener: (event: WarehouseEvent) => void): () => void {
    this.emitter.on('event', listener);
    return () => this.emitter.off('event', listener);
  }

  /** How many listeners there are now (tests check that a closed subscription left none behind). */
  listenerCount(): number {
    return this.emitter.listenerCount('event');
  }
}

const buses = new WeakMap<Warehouse, WarehouseEvents>();

/** The event bus of a warehouse (shared by every bounded handle on it: keyed by its root). */
export function warehouseEvents(warehouse: Warehouse): WarehouseEvents {
  let bus = buses.get(warehouse.root);
  if (!bus) buses.set(warehouse.root, (bus = new WarehouseEvents()));
  return bus;
}
