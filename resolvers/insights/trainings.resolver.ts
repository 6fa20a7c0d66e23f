import { Arg, Ctx, FieldResolver, Int, Query, Resolver, Root } from 'type-graphql';
import { boundedText } from '../../core/bounds';
import { Requires } from '../../schema/common/permissions';
import { InsightsDateRange } from '../../schema/insights/report';
import { TrainingIndividual, TrainingsFiltersInput, TrainingsReport, TrainingType } from '../../schema/insights/trainings';
import { runTrainingsReport, trainingIndividuals, type TrainingsReportResult } from '../../warehouse/insights/trainings';
import type { DateRangeInput } from '../../warehouse/insights/compile';
import { LIST_DEFAULT, LIST_MAX } from '../../warehouse/insights/lists';
import type { RequestContext } from '../common/context';
import { listSize } from './list-size';

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
    @Arg('first', () => Int, { defaultValue: LIST_DEFAULT, description: `How many individuals (1 to ${LIST_MAX})` }) first: number,
    @Ctx() ctx: RequestContext,
  ) {
    if (search) boundedText(search, 'searchText', 'search');
    return trainingIndividuals(ctx.warehouse, ctx.caller, report as unknown as TrainingsReportResult, { type, search, first: listSize(first) });
  }
}
