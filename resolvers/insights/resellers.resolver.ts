import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { InsightsNewReseller } from '../../schema/insights/resellers';
import { InsightsAnalyticsReport } from '../../schema/insights/report';
import { LIST_DEFAULT, LIST_MAX } from '../../warehouse/insights/lists';
import { newResellerDetails } from '../../warehouse/insights/resellers';
import type { RequestContext } from '../common/context';
import { listSize } from './list-size';

/** The reseller analytics page's "New reseller details" (reference 17172). */
@Resolver(() => InsightsAnalyticsReport)
export class NewResellersResolver {
  @FieldResolver(() => [InsightsNewReseller], { description: 'New reseller details: the indirect resellers whose relationship started in the range, newest first, with what they sold' })
  newResellerDetails(
    @Root() report: InsightsAnalyticsReport,
    @Arg('first', () => Int, { defaultValue: LIST_DEFAULT, description: `How many items, in the list's order (1 to ${LIST_MAX})` }) first: number,
    @Ctx() ctx: RequestContext,
  ) {
    return newResellerDetails(ctx.warehouse, ctx.caller, report.range, listSize(first));
  }
}
