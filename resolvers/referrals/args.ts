import { assertPermission } from '../../core/permissions';
import type { ReferralFilter, ReferralsArgs } from '../../schema/referrals/referral';
import type { DealFilterValues } from '../../warehouse/referrals/deals';
import type { Direction, ReferralFilterValues, ReferralOrderField } from '../../warehouse/referrals/referrals';
import { day } from '../../warehouse/referrals/validate';
import type { DealRegistrationFilter } from '../../schema/referrals/deal-registration';
import type { Caller } from '../../core/caller';

/** GraphQL filter -> warehouse filter values (days as "YYYY-MM-DD"), stable for cursor fingerprints. */
export function referralFilterValues(filter: ReferralFilter | null | undefined): ReferralFilterValues {
  if (!filter) return {};
  return {
    status: filter.status ?? null,
    direction: filter.direction ?? null,
    source: filter.source ?? null,
    type: filter.type ?? null,
    solution: filter.solution ?? null,
    createdFrom: filter.createdFrom ? day(filter.createdFrom, 'filter.createdFrom') : null,
    createdTo: filter.createdTo ? day(filter.createdTo, 'filter.createdTo') : null,
    customerId: filter.customerId ?? null,
    customerCountry: filter.customerCountry ? filter.customerCountry.toUpperCase() : null,
    mpnId: filter.mpnId ?? null,
    search: filter.search ?? null,
  };
}

export function referralOrderOf(args: ReferralsArgs): { field: ReferralOrderField; direction: Direction } {
  return { field: args.orderBy?.field ?? 'CREATED_AT', direction: args.orderBy?.direction ?? 'DESC' };
}

/**
 * Ordering by deal value would reveal it: it needs the roles that see it. Imperative on purpose:
 * it depends on an argument (orderBy), not on the field, so @Requires cannot say it; the list
 * itself stays @Requires('readReferrals').
 */
export function assertOrderAllowed(caller: Caller, order: { field: ReferralOrderField }, what: string): void {
  if (order.field === 'DEAL_VALUE_USD') assertPermission(caller, 'seeDealValue', `${what} ordered by DEAL_VALUE_USD`);
}

export function dealFilterValues(filter: DealRegistrationFilter | null | undefined): DealFilterValues {
  if (!filter) return {};
  return { status: filter.status ?? null, referralId: filter.referralId ?? null, solution: filter.solution ?? null, search: filter.search ?? null };
}
