import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { badUserInput } from '../../core/errors';
import { Requires } from '../../schema/common/permissions';
import { InsightsDateRange } from '../../schema/insights/report';
import { TrainingIndividual, TrainingsFiltersInput, TrainingsReport, TrainingType } from '../../schema/insights/trainings';
import { runTrainingsReport, trainingIndividuals, type TrainingsReportResult } from '../../warehouse/insights/trainings';
import type { DateRangeInput } from '../../warehouse/insights/compile';
import type { RequestContext } from '../common/context';

const INDIVIDUALS_MAX = 1000;
const SEARCH_MAX = 200;

/** The Trainings dashboard (warehouse/insights/trainings.ts): 2 SQL statements, 1 more for the individuals. */
@Resolver(() => TrainingsReport)
export class TrainingsReportResolver {
  @Requires('readTrainings')
  @Query(() => TrainingsReport, {
    nullable: true,
    description: 'Trainings dashboard: individuals with certifications, assessments, exams and their counts over the range, month by month, and the individuals\' performance',
  })
  async trainingsReport(
    @Arg('range', () => InsightsDateRange, { nullable: true }) range: InsightsDateRange | null,
    @Arg('filters', () => TrainingsFiltersInput, { nullable: true }) filters: TrainingsFiltersInput | null,
    @Ctx() ctx: RequestContext,
  ): Promise<TrainingsReport> {
    const r = await runTrainingsReport(ctx.warehouse, ctx.caller, { range: range as DateRangeInput | null, filters });
    return r as unknown as TrainingsReport;
  }

  @Requires('readTrainingIndividuals')
  @FieldResolver(() => [TrainingIndividual], {
    nullable: true,
    description: 'Individuals\' performance (Executive report viewers): each individual with trainings in the range, most trainings first',
  })
  individuals(
    @Root() report: TrainingsReport,
    @Arg('type', () => TrainingType, { nullable: true, description: 'By: certifications, assessments or exams (default all three)' }) type: TrainingType | null,
    @Arg('search', () => String, { nullable: true, description: 'Part of the individual\'s name' }) search: string | null,
    @Arg('first', () => Int, { defaultValue: 100, description: `How many individuals (1 to ${INDIVIDUALS_MAX})` }) first: number,
    @Ctx() ctx: RequestContext,
  ) {
    if (!Number.isInteger(first) || first < 1 || first > INDIVIDUALS_MAX) throw badUserInput(`first must be between 1 and ${INDIVIDUALS_MAX} (got ${first})`, 'first');
    if (search && search.length > SEARCH_MAX) throw badUserInput(`search is at most ${SEARCH_MAX} characters`, 'search');
    return trainingIndividuals(ctx.warehouse, ctx.caller, report as unknown as TrainingsReportResult, { type, search, first });
  }
}
