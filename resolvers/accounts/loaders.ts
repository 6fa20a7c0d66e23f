import { attributionsByCustomerIds, type AttributionRow } from '../../warehouse/accounts/activity';
import { customersByIds, type CustomerRow } from '../../warehouse/accounts/customers';
import { locationsByMpnIds, type LocationRow } from '../../warehouse/accounts/partner';
import { partnerRelationshipsByCustomerIds, type PartnerRelationshipRow } from '../../warehouse/accounts/partner-relationships';
import { resellersByMpnIds, type ResellerRow } from '../../warehouse/accounts/resellers';
import { byKey, defineLoader, groupByKey } from '../common/loaders';

/** Per-request loaders of the accounts subgraph: one SQL statement per batch, scoped to the caller. */

export const customerById = defineLoader<string, CustomerRow | null>(async (ctx, ids) =>
  byKey(ids, await customersByIds(ctx.warehouse, ctx.caller, ids), (row) => row.id),
);

export const locationByMpnId = defineLoader<string, LocationRow | null>(async (ctx, mpnIds) =>
  byKey(mpnIds, await locationsByMpnIds(ctx.warehouse, ctx.caller, mpnIds), (row) => row.mpnId),
);

export const resellerByMpnId = defineLoader<string, ResellerRow | null>(async (ctx, mpnIds) =>
  byKey(mpnIds, await resellersByMpnIds(ctx.warehouse, ctx.caller, mpnIds), (row) => row.mpnId),
);

export const attributionsByCustomerId = defineLoader<string, AttributionRow[]>(async (ctx, ids) =>
  groupByKey(ids, await attributionsByCustomerIds(ctx.warehouse, ctx.caller, ids), (row) => row.customerId),
);

/** A customer's relationships with other partners (multi-partner), scoped through the customer list. */
export const partnerRelationshipsByCustomerId = defineLoader<string, PartnerRelationshipRow[]>(async (ctx, ids) =>
  groupByKey(ids, await partnerRelationshipsByCustomerIds(ctx.warehouse, ctx.caller, ids), (row) => row.customerId),
);
