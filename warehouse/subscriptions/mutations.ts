/**
 * The writes of the subscription mutations (the use cases: ./create.ts, ./change.ts). Each function
 * takes the transaction runner of the use case (`warehouse.transaction(async (tx) => ...)`) and the
 * caller, and scopes every statement with scope(): a row of another partner or another location is
 * never touched.
 */
import type { SubscriptionEventType } from '../../core/vocabulary';
import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';
import { execute } from './charges';

/** The columns a mutation may change, by field. Column names are constants, never input. */
const UPDATABLE = {
  quantity: 'quantity',
  status: 'status',
  suspendedDate: 'suspended_date',
  canceledDate: 'canceled_date',
  autoRenew: 'auto_renew',
  resellerMpnId: 'reseller_mpn_id',
} as const;
const DATE_FIELDS = new Set(['suspendedDate', 'canceledDate']);

export type SubscriptionChanges = Partial<{
  quantity: number;
  status: string;
  suspendedDate: string | null;
  canceledDate: string | null;
  autoRenew: boolean;
  resellerMpnId: string | null;
}>;

export async function updateSubscription(tx: SqlRunner, caller: Caller, id: string, changes: SubscriptionChanges): Promise<void> {
  const sets: Sql[] = [];
  for (const [field, column] of Object.entries(UPDATABLE) as [keyof SubscriptionChanges, string][]) {
    if (!(field in changes)) continue;
    const value = changes[field] ?? null;
    sets.push(DATE_FIELDS.has(field) ? sql`${sql.raw(column)} = CAST(${value} AS DATE)` : sql`${sql.raw(column)} = ${value}`);
  }
  if (!sets.length) return;
  await execute(
    tx,
    sql`UPDATE subscriptions AS s SET ${sql.join(sets, ', ')}
        WHERE ${scope(caller, 's', 's.mpn_id')} AND s.subscription_id = ${id}`,
  );
}

export interface NewEvent {
  eventId: string;
  subscriptionId: string;
  date: string;
  type: SubscriptionEventType;
  quantityBefore?: number | null;
  quantityAfter?: number | null;
  detail?: string | null;
  actor?: string | null;
}

export async function insertEvent(tx: SqlRunner, caller: Caller, e: NewEvent): Promise<void> {
  await execute(
    tx,
    sql`INSERT INTO subscription_events (partner_id, event_id, subscription_id, event_date, event_type, quantity_before, quantity_after, detail, actor)
        VALUES (${caller.partnerId}, ${e.eventId}, ${e.subscriptionId}, CAST(${e.date} AS DATE), ${e.type},
                ${e.quantityBefore ?? null}, ${e.quantityAfter ?? null}, ${e.detail ?? null}, ${e.actor ?? null})`,
  );
}

export interface NewSubscription {
  id: string;
  friendlyName: string;
  quantity: number;
  status: 'Active';
  resellerMpnId: string | null;
  customerId: string;
  mpnId: string | null;
  offerId: string;
  billingType: string;
  billingFrequency: string;
  unitPrice: string | null;
  currency: string | null;
  createdDate: string;
  termStartDate: string | null;
  termEndDate: string | null;
  autoRenew: boolean;
  isTrial: boolean;
  trialStartDate: string | null;
  trialEndDate: string | null;
}

export async function insertSubscription(tx: SqlRunner, caller: Caller, s: NewSubscription): Promise<void> {
  await execute(
    tx,
    sql`INSERT INTO subscriptions (partner_id, subscription_id, friendly_name, quantity, status, reseller_mpn_id, customer_id, mpn_id,
          offer_id, billing_type, billing_frequency, unit_price, currency, created_date, term_start_date, term_end_date, auto_renew,
          is_trial, trial_start_date, trial_end_date)
        VALUES (${caller.partnerId}, ${s.id}, ${s.friendlyName}, ${s.quantity}, ${s.status}, ${s.resellerMpnId}, ${s.customerId}, ${s.mpnId},
          ${s.offerId}, ${s.billingType}, ${s.billingFrequency}, CAST(${s.unitPrice} AS DECIMAL(18,6)), ${s.currency},
          CAST(${s.createdDate} AS DATE), CAST(${s.termStartDate} AS DATE), CAST(${s.termEndDate} AS DATE), ${s.autoRenew},
          ${s.isTrial}, CAST(${s.trialStartDate} AS DATE), CAST(${s.trialEndDate} AS DATE))`,
  );
}

export interface CustomerFacts {
  id: string;
  mpnId: string | null;
  resellerMpnId: string | null;
}

/** The customer a new subscription is for, if the caller may see it (partner and locations). */
export async function customerForSale(db: SqlRunner, caller: Caller, customerId: string): Promise<CustomerFacts | null> {
  const [row] = await query<CustomerFacts & Record<string, unknown>>(
    db,
    sql`SELECT c.customer_id AS id, c.mpn_id AS "mpnId", c.reseller_mpn_id AS "resellerMpnId"
        FROM customers c WHERE ${scope(caller, 'c', 'c.mpn_id')} AND c.customer_id = ${customerId} LIMIT 1`,
  );
  return row ?? null;
}

/**
 * Whether the partner has this reseller. Resellers belong to no location; for a location-scoped
 * caller any reseller of the partner may be set (the reseller of record is a partner-level
 * relationship), but the subscription itself must be in their locations.
 */
export async function resellerExists(db: SqlRunner, caller: Caller, mpnId: string): Promise<{ status: string | null } | null> {
  const [row] = await query<{ status: string | null }>(
    db,
    sql`SELECT r.status FROM resellers r WHERE ${scope(caller, 'r', null)} AND r.reseller_mpn_id = ${mpnId} LIMIT 1`,
  );
  return row ?? null;
}

/**
 * The customer's subscriptions to the same product (any offer of its product id: the paid offer
 * and its trial). Trials: "Each customer is entitled to one free trial for each available offer ...
 * if the customer already owns the offer, they can't use a free trial for that offer" (line 14634).
 * Read across the partner's locations: it only decides whether a trial may be created.
 */
export async function subscriptionsToProduct(
  db: SqlRunner,
  caller: Caller,
  customerId: string,
  productId: string,
): Promise<{ id: string; offerId: string; isTrial: boolean | null; status: string }[]> {
  return query(
    db,
    sql`SELECT s.subscription_id AS id, s.offer_id AS "offerId", s.is_trial AS "isTrial", s.status
        FROM subscriptions s JOIN products p ON p.partner_id = s.partner_id AND p.offer_id = s.offer_id
        WHERE ${scope(caller, 's', null)} AND s.customer_id = ${customerId} AND p.product_id = ${productId}`,
  );
}
