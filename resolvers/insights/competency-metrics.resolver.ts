import { Arg, Ctx, FieldResolver, Float, Resolver, Root } from 'type-graphql';
import { forbidden } from '../../core/errors';
import { hasPermission, rolesFor } from '../../core/permissions';
import { CompetencyMetric, CompetencyMetricAnalysis, CompetencyMetricPeriod } from '../../schema/insights/competency-metrics';
import { CompetenciesReport } from '../../schema/insights/programs';
import { competencyMetricAnalysis } from '../../warehouse/insights/competency-metrics';
import type { RequestContext } from '../common/context';

/**
 * The Competencies report's Competency metric analysis (reference lines 16714-16727;
 * warehouse/insights/competency-metrics.ts): a field of competenciesReport, so it has the report's
 * roles (readProgramReports) and refuses location-scoped callers as the report does.
 */
@Resolver(() => CompetenciesReport)
export class CompetencyMetricAnalysisResolver {
  @FieldResolver(() => CompetencyMetricAnalysis, {
    description:
      'Competency metric analysis: each competency\'s performance metrics over the period against the Silver and Gold thresholds, met or not and the gap. ' +
      'Learning and certification metrics are not supported; Cloud Business Applications is not analysed at the Active stage (reference line 16727). Three SQL statements',
  })
  metricAnalysis(
    @Arg('period', () => CompetencyMetricPeriod, { defaultValue: CompetencyMetricPeriod.TTM, description: 'TTM (default) or ANNIVERSARY_YEAR' }) period: CompetencyMetricPeriod,
    @Ctx() ctx: RequestContext,
  ) {
    return competencyMetricAnalysis(ctx.warehouse, ctx.caller, period, ctx.today);
  }
}

/** Money in the analysis (Azure consumed revenue): null with FORBIDDEN for roles without seeRevenue (Report viewer, Account admin). */
@Resolver(() => CompetencyMetric)
export class CompetencyMetricResolver {
  private static guard(metric: CompetencyMetric, ctx: RequestContext, field: string): void {
    if (metric.unit === 'USD' && !hasPermission(ctx.caller, 'seeRevenue')) {
      throw forbidden(`CompetencyMetric.${field} (${metric.name})`, rolesFor('seeRevenue'), 'seeRevenue');
    }
  }

  @FieldResolver(() => String, { nullable: true })
  value(@Root() metric: CompetencyMetric, @Ctx() ctx: RequestContext): string | null {
    CompetencyMetricResolver.guard(metric, ctx, 'value');
    return metric.value;
  }

  @FieldResolver(() => String, { nullable: true })
  gap(@Root() metric: CompetencyMetric, @Ctx() ctx: RequestContext): string | null {
    CompetencyMetricResolver.guard(metric, ctx, 'gap');
    return metric.gap;
  }

  @FieldResolver(() => Float, { nullable: true })
  percentOfThreshold(@Root() metric: CompetencyMetric, @Ctx() ctx: RequestContext): number | null {
    CompetencyMetricResolver.guard(metric, ctx, 'percentOfThreshold');
    return metric.percentOfThreshold;
  }
}
