import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { Requires } from '../../schema/common/permissions';
import { ReferralInsights, ReferralInsightsFiltersInput, ReferralInsightsRangeKind } from '../../schema/insights/referral-insights';
import { runReferralInsights } from '../../warehouse/insights/referral-insights';
import type { RequestContext } from '../common/context';

/**
 * Referral insights (warehouse/insights/referral-insights.ts): 3 SQL statements (4 for LIFETIME).
 * Deal values are null + FORBIDDEN for roles without seeDealValue (the summary's deal volume is left
 * out of the SQL for them).
 */
@Resolver()
export class ReferralInsightsResolver {
  @Requires('readReferrals')
  @Query(() => ReferralInsights, {
    nullable: true,
    description: 'Referral insights: summary (date range only), performance by solution, funnel, average progression time, pending referrals, location, status, trend',
  })
  async referralInsights(
    @Arg('range', () => ReferralInsightsRangeKind, { defaultValue: ReferralInsightsRangeKind.LAST_3_MONTHS }) range: ReferralInsightsRangeKind,
    @Arg('filters', () => ReferralInsightsFiltersInput, { nullable: true }) filters: ReferralInsightsFiltersInput | null,
    @Ctx() ctx: RequestContext,
  ): Promise<ReferralInsights> {
    const r = await runReferralInsights(ctx.warehouse, ctx.caller, { range, filters, now: ctx.now });
    return r as unknown as ReferralInsights;
  }
}
