import { defineSubgraph } from '../common/subgraph';
import { SubscriptionsCustomerResolver, SubscriptionsResellerResolver } from './customer.resolver';
import { productByOfferId, subscriptionById } from './loaders';
import { SubscriptionMutationResolver } from './mutation.resolver';
import { ProductResolver } from './product.resolver';
import { SubscriptionResolver } from './subscription.resolver';

/**
 * The subscriptions subgraph: the price list (Product), customer subscriptions (Subscription) with
 * their history, license usage and expected charges, and the lifecycle mutations. Entities:
 * Subscription (id), Product (id = offer id); it adds `subscriptions` to Customer and Reseller and
 * returns Location references. Registered in gateway/subgraphs.ts.
 *
 * References to Subscription and Product load through the per-request DataLoaders (one statement
 * per `_entities` call); another partner's or another location's subscription resolves to null.
 * Customer and Reseller references are taken as they come: the `subscriptions` added to them are
 * scoped to the caller, so a foreign reference has no subscriptions.
 */
export const subscriptionsSubgraph = defineSubgraph({
  name: 'subscriptions',
  resolvers: [SubscriptionResolver, SubscriptionMutationResolver, ProductResolver, SubscriptionsCustomerResolver, SubscriptionsResellerResolver],
  referenceResolvers: {
    CustomerSubscription: { requires: 'readSubscriptions', resolve: (ref: { id: string }, ctx) => subscriptionById(ctx).load(ref.id) },
    Product: { requires: 'readSubscriptions', resolve: (ref: { id: string }, ctx) => productByOfferId(ctx).load(ref.id) },
    Customer: (ref: { id: string }) => ({ id: ref.id }),
    Reseller: (ref: { mpnId: string }) => ({ mpnId: ref.mpnId }),
    Location: (ref: { mpnId: string }) => ({ mpnId: ref.mpnId }),
  },
});
