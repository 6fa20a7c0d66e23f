import { defineSubgraph } from '../common/subgraph';
import { ReferralsCustomerResolver } from './customer.resolver';
import { DealRegistrationResolver } from './deal.resolver';
import { dealById, referralById } from './loaders';
import { ReferralResolver } from './referral.resolver';

/**
 * The referrals subgraph: referrals (inbox, accept/decline, won/lost, edit, contacts, the 14-day
 * expiry) and deal registrations. Entities: Referral (id), DealRegistration (id). Extends Customer
 * with `referrals`; returns Customer and Location references for accounts to resolve. Registered
 * in gateway/subgraphs.ts.
 *
 * A Referral reference the caller may not see (another partner's, another location's) resolves to
 * null like a missing id; a caller without a referrals role gets FORBIDDEN.
 */
export const referralsSubgraph = defineSubgraph({
  name: 'referrals',
  resolvers: [ReferralResolver, DealRegistrationResolver, ReferralsCustomerResolver],
  referenceResolvers: {
    Referral: { requires: 'readReferrals', resolve: (ref: { id: string }, ctx) => referralById(ctx).load(ref.id) },
    DealRegistration: { requires: 'readReferrals', resolve: (ref: { id: string }, ctx) => dealById(ctx).load(ref.id) },
    // Customer.referrals is scoped by the caller in its own query: any id yields only the caller's referrals.
    Customer: (ref: { id: string }) => ref,
  },
});
