import { ArgsType, Directive, Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, ConnectionArgs, SortDirection } from '../common/connection';
import { Requires } from '../common/permissions';
import { CountryCodeScalar, DateScalar, DateTimeScalar } from '../common/scalars';
import { OtherPartnerRelationshipType } from './partner-relationships';

export enum CustomerSegment {
  COMMERCIAL = 'Commercial',
  EDUCATION = 'Education',
  GOVERNMENT = 'Government',
  NONPROFIT = 'Nonprofit',
}
registerEnumType(CustomerSegment, { name: 'CustomerSegment' });

export enum AttributionType {
  CSP = 'CSP',
  DPOR = 'DPOR',
  DAP = 'DAP',
  PAL = 'PAL',
  CPOR = 'CPOR',
}
registerEnumType(AttributionType, {
  name: 'AttributionType',
  description: 'Partner-of-record types: which partner gets credit for what',
});

/**
 * A customer of the partner (Partner Center customer list). Entity keyed by the Microsoft ID: the
 * subscriptions subgraph adds `Customer.subscriptions`, the referrals subgraph `Customer.referrals`.
 * Relations (location, reseller, attributions, activityLog) are field resolvers in
 * resolvers/accounts/customer.resolver.ts.
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A customer (Partner Center customer list)' })
export class Customer {
  @Field(() => ID, { description: 'Microsoft ID (the customer’s tenant id)' })
  id!: string;

  @Field(() => String)
  companyName!: string;

  @Field(() => String, { nullable: true, description: 'Primary domain name' })
  domain!: string | null;

  @Field(() => CountryCodeScalar, { nullable: true })
  country!: string | null;

  @Field(() => CustomerSegment, { nullable: true })
  segment!: CustomerSegment | null;

  @Field(() => String, { nullable: true, description: 'The partner’s business relationship to the customer' })
  relationship!: string | null;

  @Field(() => DateScalar, { nullable: true })
  createdDate!: string | null;

  /** Location MPN ID (resolved to `location`). */
  mpnId!: string | null;
  /** Reseller MPN ID (resolved to `reseller`). */
  resellerMpnId!: string | null;
}

@ObjectType()
export class CustomerConnection extends Connection(Customer) {}

@ObjectType({ description: 'Which partner location is credited for a customer’s workload' })
export class Attribution {
  @Field(() => AttributionType)
  type!: AttributionType;

  @Field(() => String, { nullable: true, description: 'Credited location MPN ID' })
  mpnId!: string | null;

  @Field(() => String, { nullable: true })
  workload!: string | null;

  @Field(() => String, { nullable: true })
  subscriptionId!: string | null;

  @Field(() => String, { nullable: true, description: 'OSA or OSU' })
  incentive!: string | null;

  @Field(() => DateScalar, { nullable: true })
  startDate!: string | null;

  @Field(() => DateScalar, { nullable: true })
  endDate!: string | null;
}

@ObjectType({ description: 'An entry of the customer activity log' })
export class CustomerActivity {
  @Field(() => DateTimeScalar)
  occurredAt!: string;

  @Field(() => String)
  action!: string;

  @Field(() => String, { nullable: true, description: 'Affected customer (company name)' })
  customerName!: string | null;

  @Requires('seePersonalData')
  @Field(() => String, { nullable: true, description: 'The partner user who acted. Personal data' })
  partnerUser!: string | null;
}

@ObjectType()
export class CustomerActivityConnection extends Connection(CustomerActivity) {}

/** The activity log's page and period: Partner Center's From and To fields (reference line 11545). */
@ArgsType()
export class CustomerActivityArgs extends ConnectionArgs {
  @Field(() => DateScalar, { nullable: true, description: 'Only actions on or after this day (UTC); none: from the first' })
  from?: Date | null;

  @Field(() => DateScalar, { nullable: true, description: 'Only actions on or before this day (UTC); none: to the latest' })
  to?: Date | null;
}

@InputType()
export class CustomerFilter {
  @Field(() => String, { nullable: true, description: 'Company name or domain contains this (case-insensitive)' })
  search?: string | null;

  @Field(() => CountryCodeScalar, { nullable: true })
  country?: string | null;

  @Field(() => CustomerSegment, { nullable: true })
  segment?: CustomerSegment | null;

  @Field(() => String, { nullable: true, description: 'Customers of this indirect reseller' })
  resellerMpnId?: string | null;

  @Field(() => String, { nullable: true, description: 'Customers of this location' })
  mpnId?: string | null;

  @Field(() => Boolean, {
    nullable: true,
    description: 'true: customers that also work with another partner (multi-partner); false: those with no other partner known. Global admin, User admin, Admin agent, Sales agent',
  })
  multiPartner?: boolean | null;

  @Field(() => OtherPartnerRelationshipType, { nullable: true, description: 'Customers another partner works with in this way. Global admin, User admin, Admin agent, Sales agent' })
  otherPartnerType?: OtherPartnerRelationshipType | null;
}

export enum CustomerOrderField {
  NAME = 'NAME',
  COUNTRY = 'COUNTRY',
  CREATED_DATE = 'CREATED_DATE',
}
registerEnumType(CustomerOrderField, { name: 'CustomerOrderField' });

@InputType()
export class CustomerOrder {
  @Field(() => CustomerOrderField, { defaultValue: CustomerOrderField.NAME })
  field!: CustomerOrderField;

  @Field(() => SortDirection, { defaultValue: SortDirection.ASC })
  direction!: SortDirection;
}

@ArgsType()
export class CustomersArgs extends ConnectionArgs {
  @Field(() => CustomerFilter, { nullable: true })
  filter?: CustomerFilter | null;

  @Field(() => CustomerOrder, { nullable: true })
  orderBy?: CustomerOrder | null;
}
