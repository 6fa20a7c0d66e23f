import 'reflect-metadata';
import { Directive, Field, ID, ObjectType } from 'type-graphql';

/**
 * Entities of the accounts subgraph, as the referrals subgraph sees them: keys only.
 *
 * - Customer: the referrals subgraph adds `Customer.referrals` (resolvers/referrals/customer.resolver.ts)
 *   and returns `{ id }` for `Referral.customer`.
 * - Location: returned as `{ mpnId }` for `Referral.location`; no fields are added, so it is not
 *   resolvable here (`resolvable: false`): the gateway always fetches it from accounts.
 */
@Directive('@key(fields: "id")')
@ObjectType('Customer')
export class ReferralsCustomer {
  @Field(() => ID)
  id!: string;
}

@Directive('@key(fields: "mpnId", resolvable: false)')
@ObjectType('Location')
export class ReferralsLocation {
  @Field(() => String)
  mpnId!: string;
}
