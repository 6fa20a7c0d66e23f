import 'reflect-metadata';
import { ArgsType, Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, ConnectionArgs, SortDirection } from '../common/connection';
import { CountryCodeScalar, DateScalar, DateTimeScalar } from '../common/scalars';
import { ReferralContactSide, ReferralDirection, ReferralSource, ReferralStatus, ReferralType } from './enums';

/**
 * A referral (Partner Center Referrals > Engagements; reference lines 8087-8140). Entity keyed by
 * the referral id. Relations and guarded fields (customer, location, dealValue, dealValueUsd,
 * contacts, dealRegistration) are field resolvers in resolvers/referrals/referral.resolver.ts.
 *
 * Personal data: the customer is a company (its name and country are business data, like
 * Customer.companyName); the people on a referral (contacts) are personal data.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A referral (sales lead): New in the inbox, Active once accepted, then archived' })
export class Referral {
  @Field(() => ID, { description: 'Referral id' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'Engagement name, given when accepting' })
  engagementName!: string | null;

  @Field(() => ReferralDirection)
  direction!: ReferralDirection;

  @Field(() => ReferralSource)
  source!: ReferralSource;

  @Field(() => ReferralType)
  type!: ReferralType;

  @Field(() => String, { nullable: true, description: 'The partner solution the referral is about' })
  solution!: string | null;

  @Field(() => ReferralStatus, { description: 'Status as of today: a New referral unanswered for more than 14 days is Expired' })
  status!: ReferralStatus;

  @Field(() => String, { description: 'The customer’s company name' })
  customerName!: string;

  @Field(() => CountryCodeScalar, { nullable: true })
  customerCountry!: string | null;

  @Field(() => String, { nullable: true, description: 'Estimated purchase time frame (or date)' })
  purchaseTimeFrame!: string | null;

  @Field(() => String, { nullable: true, description: 'The partner’s CRM ID, for their reference only' })
  crmId!: string | null;

  @Field(() => String, { nullable: true })
  notes!: string | null;

  @Field(() => String, { nullable: true, description: 'Why it was declined' })
  declineReason!: string | null;

  @Field(() => DateTimeScalar, { description: 'Received (New)' })
  createdAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  acceptedAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  declinedAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  wonAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  lostAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it expired: 14 days after createdAt' })
  expiredAt!: string | null;

  @Field(() => DateTimeScalar, {
    nullable: true,
    description: 'For a New referral: when it expires unless accepted or declined (createdAt + 14 days); otherwise null',
  })
  expiresAt!: string | null;

  /** Location MPN ID (resolved to `location`). */
  mpnId!: string | null;
  /** Microsoft ID of the customer, when known (resolved to `customer`). */
  customerId!: string | null;
  /** Deal value (DECIMAL string) and its currency (resolved to `dealValue`). */
  dealValueAmount!: string | null;
  currency!: string | null;
  /** Deal value in USD (resolved to `dealValueUsd`). */
  dealValueUsdAmount!: string | null;
}

@ObjectType()
export class ReferralConnection extends Connection(Referral) {}

@ObjectType({ description: 'A person on a referral: a customer contact or someone of the partner’s company' })
export class ReferralContact {
  @Field(() => ReferralContactSide)
  side!: ReferralContactSide;

  @Field(() => String, { nullable: true })
  firstName!: string | null;

  @Field(() => String, { nullable: true })
  lastName!: string | null;

  @Field(() => String)
  email!: string;

  @Field(() => String, { nullable: true })
  phone!: string | null;
}

@InputType({ description: 'Referral filters (the referral insights filters plus the list’s own)' })
export class ReferralFilter {
  @Field(() => [ReferralStatus], { nullable: true, description: 'Any of these statuses (as of today), e.g. [WON, LOST, DECLINED, EXPIRED] for the archive' })
  status?: ReferralStatus[] | null;

  @Field(() => ReferralDirection, { nullable: true })
  direction?: ReferralDirection | null;

  @Field(() => ReferralSource, { nullable: true })
  source?: ReferralSource | null;

  @Field(() => ReferralType, { nullable: true })
  type?: ReferralType | null;

  @Field(() => String, { nullable: true, description: 'Exactly this solution' })
  solution?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Created on or after this day (UTC)' })
  createdFrom?: Date | null;

  @Field(() => DateScalar, { nullable: true, description: 'Created on or before this day (UTC)' })
  createdTo?: Date | null;

  @Field(() => ID, { nullable: true, description: 'Referrals of this customer (Microsoft ID)' })
  customerId?: string | null;

  @Field(() => CountryCodeScalar, { nullable: true })
  customerCountry?: string | null;

  @Field(() => String, { nullable: true, description: 'Referrals of this location' })
  mpnId?: string | null;

  @Field(() => String, { nullable: true, description: 'Engagement name, customer name or CRM ID contains this (case-insensitive), or the referral id' })
  search?: string | null;
}

export enum ReferralOrderField {
  CREATED_AT = 'CREATED_AT',
  CUSTOMER_NAME = 'CUSTOMER_NAME',
  ENGAGEMENT_NAME = 'ENGAGEMENT_NAME',
  STATUS = 'STATUS',
  DEAL_VALUE_USD = 'DEAL_VALUE_USD',
}
registerEnumType(ReferralOrderField, { name: 'ReferralOrderField', description: 'DEAL_VALUE_USD needs the roles of Referral.dealValueUsd' });

@InputType()
export class ReferralOrder {
  @Field(() => ReferralOrderField, { defaultValue: ReferralOrderField.CREATED_AT })
  field!: ReferralOrderField;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC })
  direction!: SortDirection;
}

@ArgsType()
export class ReferralsArgs extends ConnectionArgs {
  @Field(() => ReferralFilter, { nullable: true })
  filter?: ReferralFilter | null;

  @Field(() => ReferralOrder, { nullable: true, description: 'Default: newest first' })
  orderBy?: ReferralOrder | null;
}
