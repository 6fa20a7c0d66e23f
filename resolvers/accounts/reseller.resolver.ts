import { Arg, Args, Ctx, FieldResolver, Query, Resolver, Root } from 'type-graphql';
import { CustomerConnection } from '../../schema/accounts/customer';
import { Reseller, ResellerConnection, ResellersArgs } from '../../schema/accounts/reseller';
import { ConnectionArgs } from '../../schema/common/connection';
import { notFound } from '../../core/errors';
import { Requires } from '../../schema/common/permissions';
import { customerListQuery } from '../../warehouse/accounts/customers';
import { resellerListQuery } from '../../warehouse/accounts/resellers';
import { paginate } from '../common/connection';
import type { RequestContext } from '../common/context';
import { resellerByMpnId } from './loaders';

@Resolver(() => Reseller)
export class ResellerResolver {
  @Requires('readCustomers')
  @Query(() => ResellerConnection, { nullable: true, description: 'Indirect resellers' })
  async resellers(@Args(() => ResellersArgs) args: ResellersArgs, @Ctx() ctx: RequestContext): Promise<ResellerConnection> {
    const filter = args.filter ?? {};
    return paginate(ctx, {
      name: 'resellers',
      fingerprint: filter,
      args,
      ...resellerListQuery(ctx.caller, filter),
    }) as Promise<ResellerConnection>;
  }

  @Requires('readCustomers')
  @Query(() => Reseller, { nullable: true, description: 'An indirect reseller by MPN ID' })
  async reseller(@Arg('mpnId', () => String) mpnId: string, @Ctx() ctx: RequestContext): Promise<Reseller> {
    const reseller = await resellerByMpnId(ctx).load(mpnId);
    if (!reseller) throw notFound('Reseller', mpnId);
    return reseller as Reseller;
  }

  @FieldResolver(() => CustomerConnection, { description: 'Customers of this reseller, by name' })
  async customers(
    @Root() reseller: Reseller,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<CustomerConnection> {
    return paginate(ctx, {
      name: 'Reseller.customers',
      fingerprint: reseller.mpnId,
      args,
      ...customerListQuery(ctx.caller, { resellerMpnId: reseller.mpnId }),
    }) as Promise<CustomerConnection>;
  }
}
