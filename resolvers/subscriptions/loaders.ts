import type { SubscriptionsArgs } from '../../schema/subscriptions/subscription';
import type { ConnectionArgs } from '../../schema/common/connection';
import { scope } from '../../core/scope';
import { sql } from '../../core/sql';
import { productsByOfferIds, type ProductRow } from '../../warehouse/subscriptions/products';
import {
  DEFAULT_SUBSCRIPTION_ORDER,
  EVENT_COLUMNS,
  EVENT_ORDER,
  SUBSCRIPTION_COLUMNS,
  eventScope,
  expectedChargesBySubscriptionIds,
  latestLicenseUsage,
  partnerBillingDay,
  subscriptionConditions,
  subscriptionOrder,
  subscriptionsByIds,
  type ExpectedChargeRow,
  type LicenseUsageRow,
  type SubscriptionEventRow,
  type SubscriptionOrderValues,
  type SubscriptionRow,
} from '../../warehouse/subscriptions/subscriptions';
import { byKey, defineLoader, groupByKey } from '../common/loaders';
import { defineNestedConnection } from '../common/nested-connection';

/** Per-request loaders of the subscriptions subgraph: one SQL statement per batch, scoped to the caller. */

export const subscriptionById = defineLoader<string, SubscriptionRow | null>(async (ctx, ids) =>
  byKey(ids, await subscriptionsByIds(ctx.warehouse, ctx.caller, ids), (row) => row.id),
);

export const productByOfferId = defineLoader<string, ProductRow | null>(async (ctx, offerIds) =>
  byKey(offerIds, await productsByOfferIds(ctx.warehouse, ctx.caller, offerIds), (row) => row.id),
);

export const licenseUsageBySubscriptionId = defineLoader<string, LicenseUsageRow | null>(async (ctx, ids) =>
  byKey(ids, await latestLicenseUsage(ctx.warehouse, ctx.caller, ids), (row) => row.subscriptionId),
);

export const expectedChargesBySubscriptionId = defineLoader<string, ExpectedChargeRow[]>(async (ctx, ids) =>
  groupByKey(ids, await expectedChargesBySubscriptionIds(ctx.warehouse, ctx.caller, ids), (row) => row.subscriptionId),
);

/** The partner's billing day (null before its first invoice): one statement per request, only when asked. */
export const billingDayOfPartner = defineLoader<'partner', number | null>(async (ctx, keys) => {
  const day = await partnerBillingDay(ctx.warehouse, ctx.caller);
  return keys.map(() => day);
});

export function orderOf(args: SubscriptionsArgs): SubscriptionOrderValues {
  return {
    field: args.orderBy?.field ?? DEFAULT_SUBSCRIPTION_ORDER.field,
    direction: args.orderBy?.direction ?? DEFAULT_SUBSCRIPTION_ORDER.direction,
  };
}

/** Filter and order of a subscriptions connection: what its cursors are bound to. */
export function subscriptionFingerprint(args: SubscriptionsArgs): unknown {
  return { filter: { ...(args.filter ?? {}) }, order: orderOf(args) };
}

/** `Customer.subscriptions`: a page per customer, all customers of the request in one statement. */
export const subscriptionsOfCustomer = defineNestedConnection<SubscriptionsArgs, SubscriptionRow & Record<string, unknown>>({
  name: 'Customer.subscriptions',
  fingerprint: subscriptionFingerprint,
  query: (ctx, args) => ({
    parentKey: sql`s.customer_id`,
    select: SUBSCRIPTION_COLUMNS,
    from: sql`subscriptions s`,
    where: sql`${scope(ctx.caller, 's', 's.mpn_id')} AND ${subscriptionConditions(args.filter ?? {})}`,
    orderBy: subscriptionOrder(orderOf(args)),
  }),
});

/** `Reseller.subscriptions`: a page per reseller of record, all resellers of the request in one statement. */
export const subscriptionsOfReseller = defineNestedConnection<SubscriptionsArgs, SubscriptionRow & Record<string, unknown>>({
  name: 'Reseller.subscriptions',
  fingerprint: subscriptionFingerprint,
  query: (ctx, args) => ({
    parentKey: sql`s.reseller_mpn_id`,
    select: SUBSCRIPTION_COLUMNS,
    from: sql`subscriptions s`,
    where: sql`${scope(ctx.caller, 's', 's.mpn_id')} AND ${subscriptionConditions(args.filter ?? {})}`,
    orderBy: subscriptionOrder(orderOf(args)),
  }),
});

/** `Subscription.events`: the history, oldest first, a page per subscription in one statement. */
export const eventsOfSubscription = defineNestedConnection<ConnectionArgs, SubscriptionEventRow & Record<string, unknown>>({
  name: 'Subscription.events',
  query: (ctx) => ({
    parentKey: sql`e.subscription_id`,
    select: EVENT_COLUMNS,
    from: sql`subscription_events e`,
    where: eventScope(ctx.caller),
    orderBy: EVENT_ORDER,
  }),
});
