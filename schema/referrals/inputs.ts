import 'reflect-metadata';
import { Field, ID, InputType } from 'type-graphql';
import { BOUNDS } from '../../core/bounds';
import { CountryCodeScalar, CurrencyScalar, DateScalar } from '../common/scalars';
import { DealContractType, DealDeployedOn, DealDeploymentTenant } from './enums';

/** Inputs of the referral mutations. What the schema cannot check, warehouse/referrals/validate.ts does (bounds: core/bounds.ts). */

@InputType({ description: 'An amount of money: exact decimal string and ISO 4217 currency' })
export class DealValueInput {
  @Field(() => String, {
    description: `Non-negative decimal, e.g. "25000" or "1234.50" (at most 12 digits before the point, 6 after); a referral's estimated value at most ${BOUNDS.dealValueUsd.max} USD`,
  })
  amount!: string;

  @Field(() => CurrencyScalar, { description: 'Non-USD values are converted with the partner’s fx_rates (latest rate on or before today)' })
  currency!: string;
}

@InputType({ description: 'A person: first and last name, email, phone' })
export class ReferralContactInput {
  @Field(() => String)
  firstName!: string;

  @Field(() => String)
  lastName!: string;

  @Field(() => String)
  email!: string;

  @Field(() => String, { nullable: true })
  phone?: string | null;
}

@InputType({ description: 'Accept a New referral: it becomes Active' })
export class AcceptReferralInput {
  @Field(() => String)
  engagementName!: string;

  @Field(() => DealValueInput)
  estimatedDealValue!: DealValueInput;

  @Field(() => String, { description: 'Estimated purchase time frame, e.g. "1-3 months" or a date' })
  purchaseTimeFrame!: string;

  @Field(() => String, { nullable: true, description: 'What the customer is looking for' })
  notes?: string | null;

  @Field(() => String, { nullable: true, description: 'Your CRM ID, for your reference only' })
  crmId?: string | null;

  @Field(() => [ReferralContactInput], { nullable: true, description: `Additional contacts from your company (at most ${BOUNDS.referralContacts.max})` })
  contacts?: ReferralContactInput[] | null;
}

@InputType({ description: 'Decline a New referral: it is archived as Declined' })
export class DeclineReferralInput {
  @Field(() => String)
  reason!: string;

  @Field(() => String, { nullable: true })
  notes?: string | null;
}

@InputType({ description: 'Edit engagement of an Active referral. Omitted fields stay; an empty notes or crmId clears it' })
export class EditReferralInput {
  @Field(() => String, { nullable: true })
  engagementName?: string | null;

  @Field(() => DealValueInput, { nullable: true })
  estimatedDealValue?: DealValueInput | null;

  @Field(() => String, { nullable: true, description: 'Estimated purchase time frame or date' })
  purchaseTimeFrame?: string | null;

  @Field(() => String, { nullable: true })
  notes?: string | null;

  @Field(() => String, { nullable: true })
  crmId?: string | null;
}

@InputType({ description: 'Registration contact: someone of your organization Microsoft can ask for details' })
export class DealRegistrationContactInput {
  @Field(() => String)
  firstName!: string;

  @Field(() => String)
  lastName!: string;

  @Field(() => String)
  phone!: string;

  @Field(() => String)
  email!: string;
}

@InputType({ description: 'Register a won deal (the New deal page); it goes to In progress for Microsoft’s review' })
export class RegisterDealInput {
  @Field(() => ID, { nullable: true, description: 'The Won referral the deal came from; omit for a deal not from a referral' })
  referralId?: string | null;

  @Field(() => String)
  companyName!: string;

  @Field(() => CountryCodeScalar)
  country!: string;

  @Field(() => String)
  city!: string;

  @Field(() => String)
  stateProvince!: string;

  @Field(() => String)
  solution!: string;

  @Field(() => DealContractType)
  contractType!: DealContractType;

  @Field(() => DealValueInput, { description: 'All software and service fees, not hardware' })
  totalContractValue!: DealValueInput;

  @Field(() => DealValueInput, { description: 'Value of the cloud solution: part of the contract, so at most totalContractValue, in its currency' })
  solutionValue!: DealValueInput;

  @Field(() => DealDeployedOn)
  deployedOn!: DealDeployedOn;

  @Field(() => DealDeploymentTenant)
  deploymentTenant!: DealDeploymentTenant;

  @Field(() => DateScalar)
  contractStartDate!: Date;

  @Field(() => DateScalar, { nullable: true, description: 'Omit for a perpetual contract' })
  contractEndDate?: Date | null;

  @Field(() => DateScalar)
  contractSignedDate!: Date;

  @Field(() => DealRegistrationContactInput)
  contact!: DealRegistrationContactInput;
}
