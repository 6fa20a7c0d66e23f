import 'reflect-metadata';
import { ArgsType, Directive, Field, ID, InputType, ObjectType } from 'type-graphql';
import { Connection, ConnectionArgs } from '../common/connection';
import { CountryCodeScalar, DateScalar, DateTimeScalar } from '../common/scalars';
import { DealContractType, DealDeployedOn, DealDeploymentTenant, DealRegistrationStatus } from './enums';

/**
 * A deal registration (Referrals > Deal registrations; reference lines 9049-9103): the fields of the
 * New deal page. Money, the referral and the registration contact (personal data) are field
 * resolvers in resolvers/referrals/deal.resolver.ts. Entity by id (node(id:)).
 */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A deal registration: a won deal registered with Microsoft for review' })
export class DealRegistration {
  @Field(() => ID, { description: 'Registration id' })
  id!: string;

  @Field(() => DealRegistrationStatus)
  status!: DealRegistrationStatus;

  @Field(() => String, { description: 'Customer company name' })
  companyName!: string;

  @Field(() => CountryCodeScalar, { nullable: true, description: 'Customer country/region' })
  country!: string | null;

  @Field(() => String, { nullable: true })
  city!: string | null;

  @Field(() => String, { nullable: true })
  stateProvince!: string | null;

  @Field(() => String, { description: 'The solution used for the deal' })
  solution!: string;

  @Field(() => DealContractType)
  contractType!: DealContractType;

  @Field(() => DealDeployedOn, { nullable: true })
  deployedOn!: DealDeployedOn | null;

  @Field(() => DealDeploymentTenant, { nullable: true, description: 'Where the solution will be deployed' })
  deploymentTenant!: DealDeploymentTenant | null;

  @Field(() => DateScalar)
  contractStartDate!: string;

  @Field(() => DateScalar, { nullable: true, description: 'Null for a perpetual contract' })
  contractEndDate!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'When the final contract was signed by the partner and the customer' })
  contractSignedDate!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When it was registered (moved to In progress); null while Incomplete' })
  registeredAt!: string | null;

  /** Referral it came from, if any (resolved to `referral`). */
  referralId!: string | null;
  totalContractValueAmount!: string;
  solutionValueAmount!: string | null;
  currency!: string;
  contactFirstName!: string | null;
  contactLastName!: string | null;
  contactPhone!: string | null;
  contactEmail!: string | null;
}

@ObjectType()
export class DealRegistrationConnection extends Connection(DealRegistration) {}

@ObjectType({ description: 'The person of the partner’s organization Microsoft contacts about a registration' })
export class DealRegistrationContact {
  @Field(() => String, { nullable: true })
  firstName!: string | null;

  @Field(() => String, { nullable: true })
  lastName!: string | null;

  @Field(() => String, { nullable: true })
  phone!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;
}

@InputType()
export class DealRegistrationFilter {
  @Field(() => [DealRegistrationStatus], {
    nullable: true,
    description: 'Any of these: [INCOMPLETE, UPDATE_REQUIRED] is Action required, [IN_PROGRESS] In progress, [APPROVED, DECLINED] Closed',
  })
  status?: DealRegistrationStatus[] | null;

  @Field(() => ID, { nullable: true })
  referralId?: string | null;

  @Field(() => String, { nullable: true })
  solution?: string | null;

  @Field(() => String, { nullable: true, description: 'Company name contains this (case-insensitive), or the registration id' })
  search?: string | null;
}

@ArgsType()
export class DealRegistrationsArgs extends ConnectionArgs {
  @Field(() => DealRegistrationFilter, { nullable: true })
  filter?: DealRegistrationFilter | null;
}
