import { Arg, Ctx, FieldResolver, Int, Query, Resolver } from 'type-graphql';
import { badUserInput } from '../../core/errors';
import { Requires } from '../../schema/common/permissions';
import { BenefitsReport, CompetenciesReport, CompetencyHistoryEntry } from '../../schema/insights/programs';
import { benefitsReport } from '../../warehouse/insights/benefits';
import { competenciesReport, competencyHistory } from '../../warehouse/insights/competencies';
import type { RequestContext } from '../common/context';

const HISTORY_DEFAULT = 100;
const HISTORY_MAX = 1_000;
const MONTHS_DEFAULT = 12;
const EXPIRING_DEFAULT_DAYS = 90;
const MONTHS_MAX = 60;
const EXPIRING_MAX_DAYS = 366;

/** The argument, or its default when given as null; BAD_USER_INPUT naming it and its bounds when out of them. */
function wholeNumber(value: number | null, fallback: number, argument: string, min: number, max: number): number {
  if (value === null || value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min || value > max) throw badUserInput(`${argument} must be a whole number from ${min} to ${max}, not ${value}`, argument, { min, max });
  return value;
}

/**
 * The Competencies and Benefits reports (reference lines 16663 and 16751), company-wide data
 * (warehouse/insights/competencies.ts, benefits.ts). Roles: readProgramReports, the pages' appropriate roles.
 */
@Resolver(() => CompetenciesReport)
export class ProgramReportsResolver {
  @Requires('readProgramReports')
  @Query(() => CompetenciesReport, { nullable: true, description: 'The Competencies report: summary by stage (Started, Qualified, Active, At risk) and level with names, the competencies at risk, the history. One SQL statement, and one for the history' })
  competenciesReport(@Ctx() ctx: RequestContext) {
    return competenciesReport(ctx.warehouse, ctx.caller);
  }

  @FieldResolver(() => [CompetencyHistoryEntry], { description: 'The Competency history table: every attainment, renewal and loss, latest first' })
  history(
    @Arg('first', () => Int, { defaultValue: HISTORY_DEFAULT, description: `How many rows, latest first (1 to ${HISTORY_MAX})` }) first: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return competencyHistory(ctx.warehouse, ctx.caller, wholeNumber(first, HISTORY_DEFAULT, 'first', 1, HISTORY_MAX));
  }

  @Requires('readProgramReports')
  @Query(() => BenefitsReport, { nullable: true, description: 'The Benefits report: each benefit granted with its use (granted, used, remaining, use %), by category, monthly series, those expiring soon. One SQL statement' })
  benefitsReport(
    @Arg('months', () => Int, { defaultValue: MONTHS_DEFAULT, description: `Months of the series, counted back from the latest month with data (1 to ${MONTHS_MAX})` }) months: number | null,
    @Arg('expiringWithinDays', () => Int, { defaultValue: EXPIRING_DEFAULT_DAYS, description: `expiringSoon: benefits expiring from today to this many days after (0 to ${EXPIRING_MAX_DAYS})` }) expiringWithinDays: number | null,
    @Ctx() ctx: RequestContext,
  ) {
    return benefitsReport(
      ctx.warehouse,
      ctx.caller,
      wholeNumber(months, MONTHS_DEFAULT, 'months', 1, MONTHS_MAX),
      ctx.today,
      wholeNumber(expiringWithinDays, EXPIRING_DEFAULT_DAYS, 'expiringWithinDays', 0, EXPIRING_MAX_DAYS),
    );
  }
}
