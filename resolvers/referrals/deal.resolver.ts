import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { notFound } from '../../core/errors';
import { Money, money } from '../../schema/common/money';
import { Requires } from '../../schema/common/permissions';
import {
  DealRegistration,
  DealRegistrationConnection,
  DealRegistrationContact,
  DealRegistrationsArgs,
} from '../../schema/referrals/deal-registration';
import { RegisterDealInput } from '../../schema/referrals/inputs';
import { Referral } from '../../schema/referrals/referral';
import { dealListQuery, dealsByIds } from '../../warehouse/referrals/deals';
import { registerDeal } from '../../warehouse/referrals/mutations';
import { paginate } from '../common/connection';
import type { RequestContext } from '../common/context';
import { dealFilterValues } from './args';
import { referralById } from './loaders';

@Resolver(() => DealRegistration)
export class DealRegistrationResolver {
  @Requires('readReferrals')
  @Query(() => DealRegistrationConnection, {
    nullable: true,
    description: 'Deal registrations (Action required, In progress, Closed): not yet registered first, then newest',
  })
  async dealRegistrations(@Args(() => DealRegistrationsArgs) args: DealRegistrationsArgs, @Ctx() ctx: RequestContext): Promise<DealRegistrationConnection> {
    const filter = dealFilterValues(args.filter);
    return paginate(ctx, { name: 'dealRegistrations', fingerprint: filter, args, ...dealListQuery(ctx.caller, filter) }) as Promise<DealRegistrationConnection>;
  }

  @Requires('readReferrals')
  @Query(() => DealRegistration, { nullable: true, description: 'A deal registration by id' })
  async dealRegistration(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<DealRegistration> {
    const [row] = await dealsByIds(ctx.warehouse, ctx.caller, [id]);
    if (!row) throw notFound('DealRegistration', id);
    return row as unknown as DealRegistration;
  }

  @FieldResolver(() => Referral, { nullable: true, description: 'The referral the deal came from, if any' })
  async referral(@Root() deal: DealRegistration, @Ctx() ctx: RequestContext): Promise<Referral | null> {
    return deal.referralId ? ((await referralById(ctx).load(deal.referralId)) as unknown as Referral | null) : null;
  }

  @Requires('seeDealValue')
  @FieldResolver(() => Money, { nullable: true, description: 'All software and service fees, not hardware' })
  totalContractValue(@Root() deal: DealRegistration): Money | null {
    return money(deal.totalContractValueAmount, deal.currency);
  }

  @Requires('seeDealValue')
  @FieldResolver(() => Money, { nullable: true, description: 'Value of the cloud solution used for the deal' })
  solutionValue(@Root() deal: DealRegistration): Money | null {
    return money(deal.solutionValueAmount, deal.currency);
  }

  @Requires('seePersonalData')
  @FieldResolver(() => DealRegistrationContact, { nullable: true, description: 'Registration contact. Personal data' })
  contact(@Root() deal: DealRegistration): DealRegistrationContact | null {
    const c = { firstName: deal.contactFirstName, lastName: deal.contactLastName, phone: deal.contactPhone, email: deal.contactEmail };
    return Object.values(c).some((v) => v != null) ? c : null;
  }

  @Requires('manageReferrals')
  @Mutation(() => DealRegistration, {
    nullable: true,
    description: 'Register a won deal (from a Won referral, or not from a referral): it goes to In progress',
  })
  async registerDeal(@Arg('input', () => RegisterDealInput) input: RegisterDealInput, @Ctx() ctx: RequestContext): Promise<DealRegistration> {
    return (await registerDeal(ctx.warehouse, ctx.caller, ctx.now, input)) as unknown as DealRegistration;
  }
}
