import { Directive, Field, ID, Int, ObjectType } from 'type-graphql';
import { Requires } from '../common/permissions';
import { CountryCodeScalar } from '../common/scalars';

/** The partner global account (PGA): the caller's company, the tenant of all its data. Entity by id (node(id:)). */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'The partner global account: the caller’s company' })
export class Partner {
  @Field(() => ID, { description: 'Partner (tenant) id' })
  id!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true, description: 'The partner global account MPN ID' })
  globalMpnId!: string | null;

  @Field(() => String, { nullable: true, description: 'Direct bill partner, Indirect provider or Indirect reseller' })
  partnerType!: string | null;

  @Field(() => CountryCodeScalar, { nullable: true })
  country!: string | null;
}

/** A user of the partner in Partner Center, with roles. Name and email are personal data. */
@ObjectType({ description: 'A partner user and their Partner Center roles' })
export class PartnerUser {
  @Field(() => ID)
  id!: string;

  @Requires('seePersonalData')
  @Field(() => String, { nullable: true, description: 'Personal data' })
  email!: string | null;

  @Requires('seePersonalData')
  @Field(() => String, { nullable: true, description: 'Personal data' })
  displayName!: string | null;

  @Field(() => [String], { description: 'Role names exactly as Partner Center documents them' })
  roles!: string[];

  @Field(() => [String], { nullable: true, description: 'MPN IDs the user is limited to; null for the entire organization' })
  locationMpnIds!: string[] | null;

  @Field(() => Boolean, { nullable: true, description: 'Registered for multi-factor authentication (partner security requirements); null when the data does not say' })
  mfaRegistered!: boolean | null;
}

/**
 * The partner security requirements (reference line 18484): "enforce multi-factor authentication
 * for all user accounts in your partner tenant", over the users the caller sees.
 */
@ObjectType({ description: 'Partner security requirements: multi-factor authentication of the partner\'s user accounts' })
export class SecurityRequirements {
  @Field(() => Int, { description: 'User accounts' })
  users!: number;

  @Field(() => Int, { description: 'Registered for multi-factor authentication' })
  mfaRegistered!: number;

  @Field(() => Int, { description: 'Not registered: the accounts to act on' })
  mfaNotRegistered!: number;

  @Field(() => Int, { description: 'Accounts the data says nothing about' })
  mfaUnknown!: number;

  @Field(() => Boolean, { description: 'Every user account known to be registered (and none unknown)' })
  compliant!: boolean;

  @Field(() => [PartnerUser], { description: 'The user accounts not registered, by name' })
  usersWithoutMfa!: PartnerUser[];
}
