import { ArgsType, Field, Float, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, ConnectionArgs } from '../common/connection';
import { DateScalar, DateTimeScalar, NonNegativeIntScalar } from '../common/scalars';

/**
 * Multi-partner support (reference lines 18013-18045) and reseller relationship requests (lines
 * 6210-6240, 11366-11390). Rows: warehouse/accounts/partner-relationships.ts and
 * warehouse/accounts/relationship-requests.ts; resolvers: resolvers/accounts/partner-relationships.resolver.ts.
 */
export enum OtherPartnerRelationshipType {
  RESELLER = 'Reseller',
  INDIRECT_RESELLER = 'Indirect reseller',
  INDIRECT_PROVIDER = 'Indirect provider',
  ADVISOR = 'Advisor',
}
registerEnumType(OtherPartnerRelationshipType, {
  name: 'OtherPartnerRelationshipType',
  description: 'How another partner works with a customer (multi-partner support)',
  valuesConfig: {
    RESELLER: { description: 'Another CSP partner sells it services (direct bill)' },
    INDIRECT_RESELLER: { description: 'An indirect reseller of another indirect provider sells it services' },
    INDIRECT_PROVIDER: { description: 'Another indirect provider (distributor) serves it' },
    ADVISOR: { description: 'Another partner advises it without selling' },
  },
});

export enum RelationshipRequestStatus {
  PENDING = 'PENDING',
  ACCEPTED = 'ACCEPTED',
}
registerEnumType(RelationshipRequestStatus, {
  name: 'RelationshipRequestStatus',
  description: 'Whether the customer has accepted a reseller relationship request, as the data shows it',
  valuesConfig: {
    PENDING: { description: 'Not accepted yet, as far as the data shows' },
    ACCEPTED: {
      description:
        'Accepted: a customer not yet yours now appears in your customer list with that primary domain; for a customer of yours, a DAP attribution from the request day on (when delegated admin was asked) and the indirect reseller selected (when one was)',
    },
  },
});

@ObjectType({ description: 'A relationship a customer has with another partner. Partner Center shows a partner no other partner: the name and MPN ID are there only when known' })
export class CustomerPartnerRelationship {
  @Field(() => OtherPartnerRelationshipType)
  relationshipType!: OtherPartnerRelationshipType;

  @Field(() => String, { nullable: true, description: 'The product family the other partner serves (e.g. Azure), when known' })
  workload!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Whether the other partner holds delegated admin privileges in the customer tenant; null: not known' })
  delegatedAdmin!: boolean | null;

  @Field(() => Boolean, { description: 'Whether the other partner is known by name' })
  named!: boolean;

  @Field(() => String, { nullable: true, description: 'The other partner’s name; null: not disclosed' })
  partnerName!: string | null;

  @Field(() => String, { nullable: true, description: 'The other partner’s MPN ID; null: not disclosed' })
  partnerMpnId!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'When that relationship started, when known' })
  since!: string | null;
}

@ObjectType({ description: 'Multi-partner customers by how the other partner works with them' })
export class MultiPartnerByType {
  @Field(() => OtherPartnerRelationshipType)
  relationshipType!: OtherPartnerRelationshipType;

  @Field(() => NonNegativeIntScalar, { description: 'Customers with at least one such relationship' })
  customers!: number;

  @Field(() => NonNegativeIntScalar)
  relationships!: number;
}

@ObjectType({ description: 'Multi-partner customers by the workload the other partner serves' })
export class MultiPartnerByWorkload {
  @Field(() => String, { nullable: true, description: 'Product family; null: not known' })
  workload!: string | null;

  @Field(() => NonNegativeIntScalar, { description: 'Customers with at least one other partner serving it' })
  customers!: number;

  @Field(() => NonNegativeIntScalar)
  relationships!: number;
}

@ObjectType({ description: 'Multi-partner support: how many of your customers also work with other partners, and how' })
export class MultiPartnerSummary {
  @Field(() => NonNegativeIntScalar, { description: 'Customers you see that pass the filter' })
  customers!: number;

  @Field(() => NonNegativeIntScalar, { description: 'Of those, customers that also work with at least one other partner' })
  multiPartnerCustomers!: number;

  @Field(() => Float, { nullable: true, description: 'multiPartnerCustomers / customers, in percent with one decimal; null without customers' })
  percentOfCustomers!: number | null;

  @Field(() => NonNegativeIntScalar, { description: 'Their relationships with other partners' })
  relationships!: number;

  @Field(() => NonNegativeIntScalar, { description: 'Relationships whose other partner is known by name' })
  namedRelationships!: number;

  @Field(() => NonNegativeIntScalar, { description: 'Customers at least one of whose other partners holds delegated admin privileges' })
  customersWithOtherDelegatedAdmin!: number;

  @Field(() => [MultiPartnerByType], { description: 'Most customers first' })
  byRelationshipType!: MultiPartnerByType[];

  @Field(() => [MultiPartnerByWorkload], { description: 'Most customers first' })
  byWorkload!: MultiPartnerByWorkload[];
}

@InputType({ description: 'A reseller relationship request ("Create a relationship request"): for a customer of yours, or for one not yet yours' })
export class RequestResellerRelationshipInput {
  @Field(() => ID, { nullable: true, description: 'A customer of yours (Microsoft ID): to get delegated admin privileges back, or to add an indirect reseller' })
  customerId?: string | null;

  @Field(() => String, {
    nullable: true,
    description: 'The primary domain of a customer not yet yours, e.g. one already working with another partner (multi-partner): the request is accepted once it appears in your customer list',
  })
  customerDomain?: string | null;

  @Field(() => String, { nullable: true, description: '"Select an indirect reseller": the MPN ID of an active indirect reseller of yours (indirect providers); none by default' })
  indirectResellerMpnId?: string | null;

  @Field(() => Boolean, { defaultValue: true, description: 'Include delegated administration privileges for Azure Active Directory and Office 365 (DAP=true)' })
  delegatedAdmin!: boolean;

  @Field(() => String, { nullable: true, description: 'Additional partner information: contact email; default: your user’s email' })
  contactEmail?: string | null;

  @Field(() => String, { nullable: true, description: 'Additional partner information: contact phone' })
  contactPhone?: string | null;
}

@ObjectType({ description: 'A reseller relationship request: the email text and link to send the customer, and whether it was accepted' })
export class ResellerRelationshipRequest {
  @Field(() => ID)
  id!: string;

  @Field(() => String, {
    description:
      'The parameterized URL the customer opens to accept: <admin portal>?invType=ResellerRelationship&partnerId=<your tenant id>&msspId=0&DAP=true#/BillingAccounts/partner-invitation (PI_ADMIN_PORTAL_URL)',
  })
  url!: string;

  @Field(() => String, { description: 'The email text to send (edit it if needed, keeping the link)' })
  emailText!: string;

  @Field(() => Boolean, { description: 'Delegated administration privileges included' })
  delegatedAdmin!: boolean;

  @Field(() => String, { nullable: true, description: 'The indirect reseller selected, if any' })
  indirectResellerMpnId!: string | null;

  @Field(() => String, { nullable: true, description: 'For a customer not yet yours: its primary domain' })
  customerDomain!: string | null;

  @Field(() => RelationshipRequestStatus)
  status!: RelationshipRequestStatus;

  @Field(() => String, { nullable: true, description: 'Subject (user id) of who requested it' })
  requestedBy!: string | null;

  @Field(() => DateTimeScalar)
  requestedAt!: string;

  /** For a customer of the partner (resolved to `customer`). */
  customerId!: string | null;
}

@ObjectType()
export class ResellerRelationshipRequestConnection extends Connection(ResellerRelationshipRequest) {}

@ArgsType()
export class RelationshipRequestsArgs extends ConnectionArgs {
  @Field(() => RelationshipRequestStatus, { nullable: true, description: 'Only requests in this status' })
  status?: RelationshipRequestStatus | null;
}
