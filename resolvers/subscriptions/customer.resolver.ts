import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Requires } from '../../schema/common/permissions';
import { SubscriptionConnection, SubscriptionsArgs, SubscriptionsCustomer, SubscriptionsReseller } from '../../schema/subscriptions/subscription';
import type { RequestContext } from '../common/context';
import { subscriptionsOfCustomer, subscriptionsOfReseller } from './loaders';

/**
 * `Customer.subscriptions` and `Reseller.subscriptions`: nested connections batched across every
 * customer (reseller) of the request, one SQL statement per page whatever the number of parents
 * (resolvers/common/nested-connection.ts).
 */
@Resolver(() => SubscriptionsCustomer)
export class SubscriptionsCustomerResolver {
  @Requires('readSubscriptions')
  @FieldResolver(() => SubscriptionConnection, { nullable: true, description: 'The customer’s subscriptions (added by the subscriptions subgraph)' })
  async subscriptions(
    @Root() customer: SubscriptionsCustomer,
    @Args(() => SubscriptionsArgs) args: SubscriptionsArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<SubscriptionConnection> {
    return (await subscriptionsOfCustomer(ctx, customer.id, args)) as SubscriptionConnection;
  }
}

@Resolver(() => SubscriptionsReseller)
export class SubscriptionsResellerResolver {
  @Requires('readSubscriptions')
  @FieldResolver(() => SubscriptionConnection, {
    nullable: true,
    description: 'Subscriptions with this reseller of record, of the caller’s locations (added by the subscriptions subgraph)',
  })
  async subscriptions(
    @Root() reseller: SubscriptionsReseller,
    @Args(() => SubscriptionsArgs) args: SubscriptionsArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<SubscriptionConnection> {
    return (await subscriptionsOfReseller(ctx, reseller.mpnId, args)) as SubscriptionConnection;
  }
}
