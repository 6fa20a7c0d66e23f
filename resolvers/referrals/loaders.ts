import { dealsByIds, dealsByReferralIds, type DealRegistrationRow } from '../../warehouse/referrals/deals';
import { contactsByReferralIds, referralsByIds, type ReferralContactRow, type ReferralRow } from '../../warehouse/referrals/referrals';
import { byKey, defineLoader, groupByKey } from '../common/loaders';

/** Per-request loaders of the referrals subgraph: one SQL statement per batch, scoped to the caller. */

export const referralById = defineLoader<string, ReferralRow | null>(async (ctx, ids) =>
  byKey(ids, await referralsByIds(ctx.warehouse, ctx.caller, ctx.now, ids), (row) => row.id),
);

export const contactsByReferralId = defineLoader<string, ReferralContactRow[]>(async (ctx, ids) =>
  groupByKey(ids, await contactsByReferralIds(ctx.warehouse, ctx.caller, ids), (row) => row.referralId),
);

/** The registration of a referral (the newest, or the one not registered yet). */
export const dealByReferralId = defineLoader<string, DealRegistrationRow | null>(async (ctx, ids) =>
  groupByKey(ids, await dealsByReferralIds(ctx.warehouse, ctx.caller, ids), (row) => row.referralId!).map((rows) => rows[0] ?? null),
);

/** Deal registrations by id (entity references): one statement per batch. */
export const dealById = defineLoader<string, DealRegistrationRow | null>(async (ctx, ids) =>
  byKey(ids, await dealsByIds(ctx.warehouse, ctx.caller, ids), (row) => row.id),
);
