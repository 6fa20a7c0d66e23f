import { apiKeyById } from '../../warehouse/accounts/api-keys';
import { callerPartner } from '../../warehouse/accounts/partner';
import { defineSubgraph } from '../common/subgraph';
import { ApiKeyResolver } from './api-key.resolver';
import { CustomerResolver } from './customer.resolver';
import { CustomerPartnerRelationshipsResolver, RelationshipRequestResolver } from './partner-relationships.resolver';
import { customerById, locationByMpnId, resellerByMpnId } from './loaders';
import { LocationResolver, PartnerResolver } from './partner.resolver';
import { ResellerResolver } from './reseller.resolver';

/**
 * The accounts subgraph: the partner, its locations and users, customers, resellers, and the API
 * keys partner admins create for the export routes (api-key.resolver.ts). Entities:
 * Customer (id), Reseller (mpnId), Location (mpnId); Partner and ApiKey (id), for node(id:).
 * Registered in gateway/subgraphs.ts.
 *
 * Reference resolvers load through the per-request DataLoaders (one SQL statement per `_entities`
 * call). What the caller may not see (another partner's or another location's entity) resolves to
 * null, exactly like an id that does not exist; a caller without the role gets FORBIDDEN.
 */
export const accountsSubgraph = defineSubgraph({
  name: 'accounts',
  resolvers: [PartnerResolver, LocationResolver, CustomerResolver, ResellerResolver, ApiKeyResolver, CustomerPartnerRelationshipsResolver, RelationshipRequestResolver],
  referenceResolvers: {
    Customer: { requires: 'readCustomers', resolve: (ref: { id: string }, ctx) => customerById(ctx).load(ref.id) },
    Reseller: { requires: 'readCustomers', resolve: (ref: { mpnId: string }, ctx) => resellerByMpnId(ctx).load(ref.mpnId) },
    Location: { requires: 'readPartner', resolve: (ref: { mpnId: string }, ctx) => locationByMpnId(ctx).load(ref.mpnId) },
    // The caller's own partner only: another partner's id is null.
    Partner: {
      requires: 'readPartner',
      resolve: async (ref: { id: string }, ctx) => {
        const partner = await callerPartner(ctx.warehouse, ctx.caller);
        return partner?.id === ref.id ? partner : null;
      },
    },
    ApiKey: { requires: 'manageApiKeys', resolve: async (ref: { id: string }, ctx) => (await apiKeyById(ctx.warehouse, ctx.caller, ref.id)) ?? null },
  },
});
