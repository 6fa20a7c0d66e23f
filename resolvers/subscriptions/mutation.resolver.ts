import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { Requires } from '../../schema/common/permissions';
import { CreateSubscriptionInput, Subscription } from '../../schema/subscriptions/subscription';
import {
  cancelSubscription,
  changeSubscriptionQuantity,
  reactivateSubscription,
  setSubscriptionAutoRenew,
  setSubscriptionResellerMpnId,
  suspendSubscription,
} from '../../warehouse/subscriptions/change';
import { createSubscription } from '../../warehouse/subscriptions/create';
import type { SubscriptionRow } from '../../warehouse/subscriptions/subscriptions';
import type { RequestContext } from '../common/context';

/**
 * The subscription lifecycle mutations of "Create, suspend, or cancel customer subscriptions"
 * (reference line 14458). The rules live in the warehouse: warehouse/subscriptions/create.ts
 * (createSubscription) and warehouse/subscriptions/change.ts (the others), one transaction each,
 * dated the request's today (ctx.today: PI_TODAY or the UTC date). Here every mutation:
 *   - needs manageSubscriptions (the page's "Appropriate roles": Admin agent, Billing admin,
 *     Global admin, Helpdesk agent, Sales agent); others get null and FORBIDDEN naming the roles;
 *   - calls its use case and returns the updated subscription, after dropping this request's
 *     loaders (they may hold the subscription as it was).
 */

@Resolver(() => Subscription)
export class SubscriptionMutationResolver {
  @Requires('manageSubscriptions')
  @Mutation(() => Subscription, { nullable: true, description: 'Buy a subscription for a customer (or start a 30-day free trial)' })
  async createSubscription(
    @Arg('input', () => CreateSubscriptionInput) input: CreateSubscriptionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Subscription> {
    return changed(ctx, await createSubscription(ctx.warehouse, ctx.caller, input, ctx.today));
  }

  @Requires('manageSubscriptions')
  @Mutation(() => Subscription, { nullable: true, description: 'Change the number of licenses (Active subscriptions; not trials)' })
  async changeSubscriptionQuantity(
    @Arg('id', () => ID) id: string,
    @Arg('quantity', () => Int) quantity: number,
    @Ctx() ctx: RequestContext,
  ): Promise<Subscription> {
    return changed(ctx, await changeSubscriptionQuantity(ctx.warehouse, ctx.caller, { id, quantity }, ctx.today));
  }

  @Requires('manageSubscriptions')
  @Mutation(() => Subscription, { nullable: true, description: 'Suspend (Active -> Suspended): users lose access; reactivate within 90 days (up to 120) or the data is deleted' })
  async suspendSubscription(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Subscription> {
    return changed(ctx, await suspendSubscription(ctx.warehouse, ctx.caller, { id }, ctx.today));
  }

  @Requires('manageSubscriptions')
  @Mutation(() => Subscription, { nullable: true, description: 'Reactivate a suspended subscription (Suspended -> Active) before its suspension expires' })
  async reactivateSubscription(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Subscription> {
    return changed(ctx, await reactivateSubscription(ctx.warehouse, ctx.caller, { id }, ctx.today));
  }

  @Requires('manageSubscriptions')
  @Mutation(() => Subscription, {
    nullable: true,
    description:
      'Cancel: license-based any time in the term (credit 100% in month 1, prorated after); ISV SaaS within 24 hours (monthly) or 14 days (annual) of the order, full credit; usage-based de-provisioned, no refund',
  })
  async cancelSubscription(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Subscription> {
    return changed(ctx, await cancelSubscription(ctx.warehouse, ctx.caller, { id }, ctx.today));
  }

  @Requires('manageSubscriptions')
  @Mutation(() => Subscription, { nullable: true, description: 'Turn automatic renewal at the end of the term on or off (Active subscriptions)' })
  async setSubscriptionAutoRenew(
    @Arg('id', () => ID) id: string,
    @Arg('autoRenew', () => Boolean) autoRenew: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<Subscription> {
    return changed(ctx, await setSubscriptionAutoRenew(ctx.warehouse, ctx.caller, { id, autoRenew }, ctx.today));
  }

  @Requires('manageSubscriptions')
  @Mutation(() => Subscription, {
    nullable: true,
    description: 'Set the reseller of record (an indirect reseller of the partner); null or "-1" removes it, stored as -1 as Partner Center does',
  })
  async setSubscriptionResellerMpnId(
    @Arg('id', () => ID) id: string,
    @Arg('resellerMpnId', () => String, { nullable: true }) resellerMpnId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Subscription> {
    return changed(ctx, await setSubscriptionResellerMpnId(ctx.warehouse, ctx.caller, { id, resellerMpnId }, ctx.today));
  }
}

/** The subscription as the mutation left it; this request's loaders may hold it as it was. */
function changed(ctx: RequestContext, row: SubscriptionRow): Subscription {
  ctx.loaders.clear();
  return row as Subscription;
}
