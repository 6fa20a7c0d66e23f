import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { AzureRiskModel, InsightsAzureRiskItem } from '../../schema/insights/azure-risk';
import { InsightsAnalyticsReport } from '../../schema/insights/report';
import { azureSubscriptionsAtRisk, LOOKBACK_MONTHS, RISK_SIGNALS, RISK_THRESHOLD } from '../../warehouse/insights/azure-risk';
import { LIST_DEFAULT, LIST_MAX } from '../../warehouse/insights/lists';
import type { RequestContext } from '../common/context';
import { listSize, wholeNumberBetween } from './list-size';

/** Azure subscriptions at risk (reference 17097) on the analytics pages, and the model that scores them. */
@Resolver(() => InsightsAnalyticsReport)
export class AzureRiskResolver {
  @FieldResolver(() => [InsightsAzureRiskItem], {
    description: "Azure subscriptions at risk: the predicted churn risk of the Azure subscriptions held at the end of the range, by score (see azureRiskModel)",
  })
  azureSubscriptionsAtRisk(
    @Root() report: InsightsAnalyticsReport,
    @Arg('first', () => Int, { defaultValue: LIST_DEFAULT, description: `How many items, in the list's order (1 to ${LIST_MAX})` }) first: number,
    @Arg('minScore', () => Int, { defaultValue: RISK_THRESHOLD, description: `List from this score (0 to 100; default the model's threshold, ${RISK_THRESHOLD}): 0 lists every Azure subscription held, with its signals` })
    minScore: number,
    @Ctx() ctx: RequestContext,
  ) {
    return azureSubscriptionsAtRisk(ctx.warehouse, ctx.caller, report.range, { limit: listSize(first), minScore: wholeNumberBetween(minScore, 'minScore', 0, 100) });
  }

  @FieldResolver(() => AzureRiskModel, { description: 'How azureSubscriptionsAtRisk scores: every signal with its weight, the threshold and the months compared' })
  azureRiskModel(): AzureRiskModel {
    return { signals: [...RISK_SIGNALS] as AzureRiskModel['signals'], threshold: RISK_THRESHOLD, lookbackMonths: LOOKBACK_MONTHS };
  }
}
