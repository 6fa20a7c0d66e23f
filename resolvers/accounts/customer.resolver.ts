import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import {
  Attribution,
  Customer,
  CustomerActivityArgs,
  CustomerActivityConnection,
  CustomerConnection,
  CustomersArgs,
} from '../../schema/accounts/customer';
import { Location } from '../../schema/accounts/location';
import { Reseller } from '../../schema/accounts/reseller';
import { isoDate } from '../../core/dates';
import { notFound } from '../../core/errors';
import { assertPermission } from '../../core/permissions';
import { Requires } from '../../schema/common/permissions';
import { activityListQuery } from '../../warehouse/accounts/activity';
import { customerListQuery } from '../../warehouse/accounts/customers';
import { paginate } from '../common/connection';
import type { RequestContext } from '../common/context';
import { attributionsByCustomerId, customerById, locationByMpnId, resellerByMpnId } from './loaders';

@Resolver(() => Customer)
export class CustomerResolver {
  @Requires('readCustomers')
  @Query(() => CustomerConnection, { nullable: true, description: 'The customer list: search, filter, order, page' })
  async customers(@Args(() => CustomersArgs) args: CustomersArgs, @Ctx() ctx: RequestContext): Promise<CustomerConnection> {
    const order = { field: args.orderBy?.field ?? 'NAME', direction: args.orderBy?.direction ?? 'ASC' } as const;
    const filter = args.filter ?? {};
    // Filtering on other partners reads the multi-partner data: its roles too.
    if (filter.multiPartner != null || filter.otherPartnerType != null) {
      assertPermission(ctx.caller, 'readPartnerRelationships', `customers(filter: { ${filter.multiPartner != null ? 'multiPartner' : 'otherPartnerType'} })`);
    }
    return paginate(ctx, {
      name: 'customers',
      fingerprint: { filter, order },
      args,
      ...customerListQuery(ctx.caller, filter, order),
    }) as Promise<CustomerConnection>;
  }

  @Requires('readCustomers')
  @Query(() => Customer, { nullable: true, description: 'A customer by Microsoft ID' })
  async customer(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Customer> {
    const customer = await customerById(ctx).load(id);
    if (!customer) throw notFound('Customer', id);
    return customer as Customer;
  }

  @FieldResolver(() => Location, { nullable: true, description: 'The location (MPN ID) the customer belongs to' })
  async location(@Root() customer: Customer, @Ctx() ctx: RequestContext): Promise<Location | null> {
    return customer.mpnId ? ((await locationByMpnId(ctx).load(customer.mpnId)) as Location | null) : null;
  }

  @FieldResolver(() => Reseller, { nullable: true, description: 'The indirect reseller, if any' })
  async reseller(@Root() customer: Customer, @Ctx() ctx: RequestContext): Promise<Reseller | null> {
    return customer.resellerMpnId ? ((await resellerByMpnId(ctx).load(customer.resellerMpnId)) as Reseller | null) : null;
  }

  @FieldResolver(() => [Attribution], { description: 'Partner-of-record attributions (CSP, DPOR, DAP, PAL, CPOR)' })
  async attributions(@Root() customer: Customer, @Ctx() ctx: RequestContext): Promise<Attribution[]> {
    return (await attributionsByCustomerId(ctx).load(customer.id)) as Attribution[];
  }

  @Requires('readActivityLog')
  @FieldResolver(() => CustomerActivityConnection, { nullable: true, description: 'Activity log, newest first, of the period from/to when given' })
  async activityLog(
    @Root() customer: Customer,
    @Args(() => CustomerActivityArgs) { from, to, ...args }: CustomerActivityArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<CustomerActivityConnection> {
    const period = { from: isoDate(from), to: isoDate(to) };
    return paginate(ctx, {
      name: 'Customer.activityLog',
      // A cursor is for its customer and period.
      fingerprint: `${customer.id}|${period.from ?? ''}|${period.to ?? ''}`,
      args,
      ...activityListQuery(ctx.caller, customer.id, period),
    }) as Promise<CustomerActivityConnection>;
  }
}
