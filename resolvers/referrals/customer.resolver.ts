import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Requires } from '../../schema/common/permissions';
import { ReferralsCustomer } from '../../schema/referrals/entities';
import { ReferralConnection, ReferralsArgs, type Referral } from '../../schema/referrals/referral';
import { referralsOfCustomersQuery, type ReferralRow } from '../../warehouse/referrals/referrals';
import type { RequestContext } from '../common/context';
import { defineNestedConnection } from '../common/nested-connection';
import { assertOrderAllowed, referralFilterValues, referralOrderOf } from './args';

/**
 * Customer.referrals: the referrals of every customer of a page in ONE statement
 * (resolvers/common/nested-connection.ts), as of the request's "now" (expiry rule).
 */
const referralsOfCustomer = defineNestedConnection<ReferralsArgs, ReferralRow & Record<string, unknown>, Referral>({
  name: 'Customer.referrals',
  fingerprint: (args) => ({ filter: referralFilterValues(args.filter), order: referralOrderOf(args) }),
  query: (ctx, args) => referralsOfCustomersQuery(ctx.caller, ctx.now, referralFilterValues(args.filter), referralOrderOf(args)),
  map: (row) => row as unknown as Referral,
});

@Resolver(() => ReferralsCustomer)
export class ReferralsCustomerResolver {
  @Requires('readReferrals')
  @FieldResolver(() => ReferralConnection, { nullable: true, description: 'Referrals of this customer, newest first (added by the referrals subgraph)' })
  async referrals(
    @Root() customer: ReferralsCustomer,
    @Args(() => ReferralsArgs) args: ReferralsArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<ReferralConnection> {
    assertOrderAllowed(ctx.caller, referralOrderOf(args), 'Customer.referrals');
    return (await referralsOfCustomer(ctx, customer.id, args)) as ReferralConnection;
  }
}
