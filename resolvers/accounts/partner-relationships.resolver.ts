import { Arg, Args, Ctx, FieldResolver, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Customer, CustomerFilter } from '../../schema/accounts/customer';
import {
  CustomerPartnerRelationship,
  MultiPartnerSummary,
  OtherPartnerRelationshipType,
  RelationshipRequestsArgs,
  RequestResellerRelationshipInput,
  ResellerRelationshipRequest,
  ResellerRelationshipRequestConnection,
} from '../../schema/accounts/partner-relationships';
import { Reseller } from '../../schema/accounts/reseller';
import { Requires } from '../../schema/common/permissions';
import { multiPartnerSummary } from '../../warehouse/accounts/partner-relationships';
import { createRelationshipRequest, relationshipRequestListQuery } from '../../warehouse/accounts/relationship-requests';
import { paginate } from '../common/connection';
import type { RequestContext } from '../common/context';
import { customerById, partnerRelationshipsByCustomerId, resellerByMpnId } from './loaders';

const ROLES = 'Global admin, User admin, Admin agent, Sales agent';

/**
 * Multi-partner support (reference lines 18013-18045): a customer's other partners, the customer
 * list's figures, and reseller relationship requests (lines 6210-6240) with their status. Roles:
 * readPartnerRelationships and requestRelationships (core/permissions.ts). SQL in
 * warehouse/accounts/partner-relationships.ts and warehouse/accounts/relationship-requests.ts.
 */
@Resolver(() => Customer)
export class CustomerPartnerRelationshipsResolver {
  @Requires('readPartnerRelationships')
  @FieldResolver(() => [CustomerPartnerRelationship], {
    nullable: true,
    description: `The customer's relationships with other partners (multi-partner support); [] when none is known. ${ROLES}`,
  })
  async otherPartners(@Root() customer: Customer, @Ctx() ctx: RequestContext): Promise<CustomerPartnerRelationship[]> {
    const rows = await partnerRelationshipsByCustomerId(ctx).load(customer.id);
    return rows.map((r) => ({
      relationshipType: r.relationshipType as OtherPartnerRelationshipType,
      workload: r.workload,
      delegatedAdmin: r.delegatedAdmin,
      named: r.otherPartnerName !== null,
      partnerName: r.otherPartnerName,
      partnerMpnId: r.otherPartnerMpnId,
      since: r.since,
    }));
  }

  @Requires('readPartnerRelationships')
  @FieldResolver(() => Boolean, { nullable: true, description: `Whether the customer also works with another partner. ${ROLES}` })
  async multiPartner(@Root() customer: Customer, @Ctx() ctx: RequestContext): Promise<boolean> {
    return (await partnerRelationshipsByCustomerId(ctx).load(customer.id)).length > 0;
  }
}

@Resolver(() => ResellerRelationshipRequest)
export class RelationshipRequestResolver {
  @Requires('readPartnerRelationships')
  @Query(() => MultiPartnerSummary, {
    nullable: true,
    description: `Multi-partner support: how many of your customers (those passing the filter) also work with other partners, by relationship type and workload. ${ROLES}`,
  })
  async multiPartnerSummary(
    @Arg('filter', () => CustomerFilter, { nullable: true }) filter: CustomerFilter | null,
    @Ctx() ctx: RequestContext,
  ): Promise<MultiPartnerSummary> {
    const r = await multiPartnerSummary(ctx.warehouse, ctx.caller, filter ?? {});
    return {
      ...r,
      byRelationshipType: r.byRelationshipType.map((b) => ({ relationshipType: b.key as OtherPartnerRelationshipType, customers: b.customers, relationships: b.relationships })),
      byWorkload: r.byWorkload.map((b) => ({ workload: b.key, customers: b.customers, relationships: b.relationships })),
    };
  }

  @Requires('requestRelationships')
  @Query(() => ResellerRelationshipRequestConnection, {
    nullable: true,
    description: `Reseller relationship requests made, newest first, with their status; a location-scoped caller sees those for its locations' customers and its own. ${ROLES}`,
  })
  async relationshipRequests(@Args(() => RelationshipRequestsArgs) { status, ...args }: RelationshipRequestsArgs, @Ctx() ctx: RequestContext): Promise<ResellerRelationshipRequestConnection> {
    return paginate(ctx, {
      name: 'relationshipRequests',
      fingerprint: status ?? '',
      args,
      ...relationshipRequestListQuery(ctx.caller, status ?? null),
    }) as Promise<ResellerRelationshipRequestConnection>;
  }

  @Requires('requestRelationships')
  @Mutation(() => ResellerRelationshipRequest, {
    nullable: true,
    description:
      'Request a reseller relationship ("Create a relationship request", reference line 6217): the email text and parameterized link to send to the customer, recorded so that its acceptance shows in relationshipRequests. ' +
      `For a customer of yours (customerId) or one not yet yours (customerDomain), e.g. a customer already working with another partner. ${ROLES}`,
  })
  async requestResellerRelationship(
    @Arg('input', () => RequestResellerRelationshipInput) input: RequestResellerRelationshipInput,
    @Ctx() ctx: RequestContext,
  ): Promise<ResellerRelationshipRequest> {
    return (await createRelationshipRequest(ctx.warehouse, ctx.caller, ctx.now, input)) as ResellerRelationshipRequest;
  }

  @FieldResolver(() => Customer, { nullable: true, description: 'The customer of yours it is for; null for a customer not yet yours' })
  async customer(@Root() request: ResellerRelationshipRequest, @Ctx() ctx: RequestContext): Promise<Customer | null> {
    return request.customerId ? ((await customerById(ctx).load(request.customerId)) as Customer | null) : null;
  }

  @FieldResolver(() => Reseller, { nullable: true, description: 'The indirect reseller selected, if any' })
  async indirectReseller(@Root() request: ResellerRelationshipRequest, @Ctx() ctx: RequestContext): Promise<Reseller | null> {
    return request.indirectResellerMpnId ? ((await resellerByMpnId(ctx).load(request.indirectResellerMpnId)) as Reseller | null) : null;
  }
}
