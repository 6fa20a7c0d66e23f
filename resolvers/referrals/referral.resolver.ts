import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { notFound } from '../../core/errors';
import { Money, money } from '../../schema/common/money';
import { Requires } from '../../schema/common/permissions';
import { DealRegistration } from '../../schema/referrals/deal-registration';
import { ReferralsCustomer, ReferralsLocation } from '../../schema/referrals/entities';
import {
  AcceptReferralInput,
  DeclineReferralInput,
  EditReferralInput,
  ReferralContactInput,
} from '../../schema/referrals/inputs';
import { Referral, ReferralConnection, ReferralContact, ReferralsArgs } from '../../schema/referrals/referral';
import {
  acceptReferral,
  addReferralContact,
  declineReferral,
  editReferral,
  markReferralLost,
  markReferralWon,
} from '../../warehouse/referrals/mutations';
import { referralListQuery, type ReferralRow } from '../../warehouse/referrals/referrals';
import { paginate } from '../common/connection';
import type { RequestContext } from '../common/context';
import { assertOrderAllowed, referralFilterValues, referralOrderOf } from './args';
import { contactsByReferralId, dealByReferralId, referralById } from './loaders';

@Resolver(() => Referral)
export class ReferralResolver {
  @Requires('readReferrals')
  @Query(() => ReferralConnection, { nullable: true, description: 'Referrals (inbox, active, archived): filter, order, page' })
  async referrals(@Args(() => ReferralsArgs) args: ReferralsArgs, @Ctx() ctx: RequestContext): Promise<ReferralConnection> {
    const filter = referralFilterValues(args.filter);
    const order = referralOrderOf(args);
    assertOrderAllowed(ctx.caller, order, 'Query.referrals');
    return paginate(ctx, {
      name: 'referrals',
      fingerprint: { filter, order },
      args,
      ...referralListQuery(ctx.caller, ctx.now, filter, order),
    }) as Promise<ReferralConnection>;
  }

  @Requires('readReferrals')
  @Query(() => Referral, { nullable: true, description: 'A referral by id' })
  async referral(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Referral> {
    const referral = await referralById(ctx).load(id);
    if (!referral) throw notFound('Referral', id);
    return referral as Referral;
  }

  @FieldResolver(() => ReferralsCustomer, { nullable: true, description: 'The customer, when the referral names a Microsoft ID' })
  customer(@Root() referral: Referral): ReferralsCustomer | null {
    return referral.customerId ? { id: referral.customerId } : null;
  }

  @FieldResolver(() => ReferralsLocation, { nullable: true, description: 'The location (MPN ID) that received the referral' })
  location(@Root() referral: Referral): ReferralsLocation | null {
    return referral.mpnId ? { mpnId: referral.mpnId } : null;
  }

  @Requires('seeDealValue')
  @FieldResolver(() => Money, { nullable: true, description: 'Estimated deal value, in the currency it was given in' })
  dealValue(@Root() referral: Referral): Money | null {
    return money(referral.dealValueAmount, referral.currency);
  }

  @Requires('seeDealValue')
  @FieldResolver(() => Money, { nullable: true, description: 'Estimated deal value in USD (converted with the partner’s fx_rates when given in another currency)' })
  dealValueUsd(@Root() referral: Referral): Money | null {
    return money(referral.dealValueUsdAmount, 'USD');
  }

  @Requires('seePersonalData')
  @FieldResolver(() => [ReferralContact], { nullable: true, description: 'People on the referral. Personal data' })
  async contacts(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<ReferralContact[]> {
    return (await contactsByReferralId(ctx).load(referral.id)) as ReferralContact[];
  }

  @FieldResolver(() => DealRegistration, { nullable: true, description: 'The deal registration of this (won) referral, if any' })
  async dealRegistration(@Root() referral: Referral, @Ctx() ctx: RequestContext): Promise<DealRegistration | null> {
    return (await dealByReferralId(ctx).load(referral.id)) as DealRegistration | null;
  }

  // Mutations: one warehouse transaction each (warehouse/referrals/mutations.ts).

  @Requires('manageReferrals')
  @Mutation(() => Referral, { nullable: true, description: 'Accept a New referral: it becomes Active' })
  async acceptReferral(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => AcceptReferralInput) input: AcceptReferralInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Referral> {
    return node(await acceptReferral(ctx.warehouse, ctx.caller, ctx.now, id, input));
  }

  @Requires('manageReferrals')
  @Mutation(() => Referral, { nullable: true, description: 'Decline a New referral: it is archived as Declined' })
  async declineReferral(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => DeclineReferralInput) input: DeclineReferralInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Referral> {
    return node(await declineReferral(ctx.warehouse, ctx.caller, ctx.now, id, input));
  }

  @Requires('manageReferrals')
  @Mutation(() => Referral, { nullable: true, description: 'Report an Active referral as Won' })
  async markReferralWon(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Referral> {
    return node(await markReferralWon(ctx.warehouse, ctx.caller, ctx.now, id));
  }

  @Requires('manageReferrals')
  @Mutation(() => Referral, { nullable: true, description: 'Report an Active referral as Lost' })
  async markReferralLost(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Referral> {
    return node(await markReferralLost(ctx.warehouse, ctx.caller, ctx.now, id));
  }

  @Requires('manageReferrals')
  @Mutation(() => Referral, { nullable: true, description: 'Edit engagement of an Active referral' })
  async editReferral(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => EditReferralInput) input: EditReferralInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Referral> {
    return node(await editReferral(ctx.warehouse, ctx.caller, ctx.now, id, input));
  }

  @Requires('manageReferrals')
  @Mutation(() => Referral, { nullable: true, description: 'Add a person of your company working on an Active referral' })
  async addReferralContact(
    @Arg('id', () => ID) id: string,
    @Arg('input', () => ReferralContactInput) input: ReferralContactInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Referral> {
    return node(await addReferralContact(ctx.warehouse, ctx.caller, ctx.now, id, input));
  }
}

function node(row: ReferralRow): Referral {
  return row as unknown as Referral;
}
