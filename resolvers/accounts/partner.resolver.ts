import { Arg, Ctx, FieldResolver, Query, Resolver } from 'type-graphql';
import { Location } from '../../schema/accounts/location';
import { Partner, PartnerUser, SecurityRequirements } from '../../schema/accounts/partner';
import { Requires } from '../../schema/common/permissions';
import { callerPartner, locations, users } from '../../warehouse/accounts/partner';
import type { RequestContext } from '../common/context';
import { locationByMpnId } from './loaders';

@Resolver(() => Partner)
export class PartnerResolver {
  @Requires('readPartner')
  @Query(() => Partner, { nullable: true, description: 'The caller’s partner global account' })
  async partner(@Ctx() ctx: RequestContext): Promise<Partner | null> {
    return callerPartner(ctx.warehouse, ctx.caller);
  }

  @FieldResolver(() => [Location], { description: 'Locations the caller may see, headquarters first' })
  async locations(@Ctx() ctx: RequestContext): Promise<Location[]> {
    return (await locations(ctx.warehouse, ctx.caller)) as Location[];
  }

  @Requires('readUsers')
  @FieldResolver(() => [PartnerUser], { nullable: true, description: 'Partner users and their roles' })
  async users(@Ctx() ctx: RequestContext): Promise<PartnerUser[]> {
    return users(ctx.warehouse, ctx.caller);
  }

  @Requires('readUsers')
  @FieldResolver(() => SecurityRequirements, { nullable: true, description: 'Partner security requirements (MFA for every user account): the status of the users the caller sees' })
  async securityRequirements(@Ctx() ctx: RequestContext): Promise<SecurityRequirements> {
    // A partner's users are tens or hundreds: counted from the one list.
    const all = await users(ctx.warehouse, ctx.caller);
    const registered = all.filter((u) => u.mfaRegistered === true).length;
    const without = all.filter((u) => u.mfaRegistered === false);
    return {
      users: all.length,
      mfaRegistered: registered,
      mfaNotRegistered: without.length,
      mfaUnknown: all.length - registered - without.length,
      compliant: all.length > 0 && registered === all.length,
      usersWithoutMfa: without,
    };
  }
}

@Resolver(() => Location)
export class LocationResolver {
  @Requires('readPartner')
  @Query(() => [Location], { nullable: true, description: 'The partner’s locations the caller may see' })
  async locations(@Ctx() ctx: RequestContext): Promise<Location[]> {
    return (await locations(ctx.warehouse, ctx.caller)) as Location[];
  }

  @Requires('readPartner')
  @Query(() => Location, { nullable: true, description: 'A location by MPN ID' })
  async location(@Arg('mpnId', () => String) mpnId: string, @Ctx() ctx: RequestContext): Promise<Location | null> {
    return (await locationByMpnId(ctx).load(mpnId)) as Location | null;
  }
}
