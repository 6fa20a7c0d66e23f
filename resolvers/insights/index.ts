import { defineSubgraph } from '../common/subgraph';
import { InsightsAnalyticsListsResolver } from './analytics.resolver';
import { AzureRiskResolver } from './azure-risk.resolver';
import { NewResellersResolver } from './resellers.resolver';
import { PciResolver } from './pci.resolver';
import { ProgramReportsResolver } from './programs.resolver';
import { CompetencyMetricAnalysisResolver, CompetencyMetricResolver } from './competency-metrics.resolver';
import { ReferralInsightsResolver } from './referral-insights.resolver';
import { TrainingsReportResolver } from './trainings.resolver';
import { BusinessProfileInsightsResolver } from './business-profile.resolver';
import { InsightsReportResolver } from './report.resolver';

/**
 * The insights subgraph: the Partner Center Insights reports (overview, customers, subscriptions,
 * licenses, Azure usage), the generic `metric(name, range, filters, splitBy)` and
 * `metricDefinitions`, all read from the metric definitions of warehouse/insights/metrics, and the
 * partner contribution indicators (warehouse/insights/pci). No entities. Registered in gateway/subgraphs.ts.
 */
export const insightsSubgraph = defineSubgraph({
  name: 'insights',
  resolvers: [
    InsightsReportResolver,
    InsightsAnalyticsListsResolver,
    AzureRiskResolver,
    NewResellersResolver,
    PciResolver,
    ReferralInsightsResolver,
    ProgramReportsResolver,
    CompetencyMetricAnalysisResolver,
    CompetencyMetricResolver,
    TrainingsReportResolver,
    BusinessProfileInsightsResolver,
  ],
});
