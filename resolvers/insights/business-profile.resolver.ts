import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { Requires } from '../../schema/common/permissions';
import { BusinessProfileInsights, BusinessProfileRangeKind } from '../../schema/insights/business-profile';
import { runBusinessProfileInsights } from '../../warehouse/referrals/business-profile';
import type { RequestContext } from '../common/context';

/** Business profile insights (warehouse/referrals/business-profile.ts): 2 SQL statements. */
@Resolver()
export class BusinessProfileInsightsResolver {
  @Requires('readBusinessProfileInsights')
  @Query(() => BusinessProfileInsights, {
    nullable: true,
    description: 'Business profile insights: search results, page views, contact clicks and referrals generated, over 30 days (default), 3 or 6 months',
  })
  async businessProfileInsights(
    @Arg('range', () => BusinessProfileRangeKind, { defaultValue: BusinessProfileRangeKind.LAST_30_DAYS }) range: BusinessProfileRangeKind,
    @Ctx() ctx: RequestContext,
  ): Promise<BusinessProfileInsights> {
    const r = await runBusinessProfileInsights(ctx.warehouse, ctx.caller, { range, today: ctx.now.toISOString().slice(0, 10) });
    return r as unknown as BusinessProfileInsights;
  }
}
