import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { badUserInput, forbidden } from '../../core/errors';
import {
  GenerateReportInput,
  GeneratedReport,
  GeneratedReportConnection,
  GeneratedReportsArgs,
  ReportFiltersInput,
  ReportTimeframe,
  ReportType,
} from '../../schema/exports/report';
import type { Dataset } from '../../warehouse/exports/dataset';
import { insertReport, reportById, reportSelect, reportsFrom, statusAt, type ReportTimeframeKind } from '../../warehouse/exports/downloads';
import { allDatasets, datasetNamed, exportDenied, exportableBy, rolesFor } from '../../warehouse/exports/downloads-engine';
import { reportQueue } from '../../warehouse/exports/downloads-queue';
import type { InsightsFilters } from '../../warehouse/insights/compile';
import type { RequestContext } from '../common/context';
import { paginate } from '../common/connection';
import { sql } from '../../core/sql';
import { boundedFilterValues } from '../../core/bounds';

const TIMEFRAMES = Object.values(ReportTimeframe) as string[];

/**
 * Report downloads: generateReport queues a job (warehouse/exports/downloads-queue.ts runs it in the
 * background with the export engine), generatedReports lists them, reportTypes the datasets. Who
 * may generate and download a report is the dataset's own rule (the export engine's
 * assertCanExport): revenue and personal data need the roles that see them.
 */
@Resolver(() => GeneratedReport)
export class GeneratedReportResolver {
  @Query(() => [ReportType], { description: 'The reports that can be generated, with their timeframes, contents, columns and who may generate them' })
  reportTypes(@Ctx() ctx: RequestContext): ReportType[] {
    return allDatasets().map((d) => ({
      name: d.name,
      title: d.title,
      description: d.description,
      timeframes: timeframesOf(d) as ReportTimeframe[],
      contains: [...d.contains],
      filters: Object.keys(d.filters),
      requiredRoles: rolesFor(d),
      canGenerate: exportDenied(ctx.caller, d) === null,
      columns: d.columns.map((c) => ({ ...c })),
    }));
  }

  @Query(() => GeneratedReportConnection, {
    description: 'Generated reports of the caller’s partner, newest first: those of reports the caller may download; a location-scoped caller sees those of their locations',
  })
  async generatedReports(@Args(() => GeneratedReportsArgs) args: GeneratedReportsArgs, @Ctx() ctx: RequestContext): Promise<GeneratedReportConnection> {
    const at = ctx.now;
    const status = args.status?.length ? sql`${statusAt(at)} IN ${sql.list(args.status)}` : sql.raw('TRUE');
    return paginate(ctx, {
      name: 'generatedReports',
      fingerprint: { status: args.status ?? null },
      args,
      select: reportSelect(at),
      from: sql`${reportsFrom(ctx.caller, exportableBy(ctx.caller))} AND ${status}`,
      orderBy: sql`r.requested_at DESC, r.report_id DESC`,
    }) as Promise<GeneratedReportConnection>;
  }

  @Query(() => GeneratedReport, { nullable: true, description: 'One generated report (null when unknown or not the caller’s to see)' })
  async generatedReport(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<GeneratedReport | null> {
    return ((await reportById(ctx.warehouse, ctx.caller, id, exportableBy(ctx.caller))) as GeneratedReport | undefined) ?? null;
  }

  @Mutation(() => GeneratedReport, {
    description: 'Request a report: it is generated in the background (status QUEUED, then RUNNING, READY or FAILED) and downloadable for 14 days from downloadUrl',
  })
  async generateReport(@Arg('input', () => GenerateReportInput) input: GenerateReportInput, @Ctx() ctx: RequestContext): Promise<GeneratedReport> {
    const { caller } = ctx;
    const dataset = datasetNamed(input.report);
    if (!dataset) {
      throw badUserInput(`unknown report "${input.report}"; reports: ${allDatasets().map((d) => d.name).join(', ')}`, 'input.report');
    }
    if (exportDenied(caller, dataset)) {
      const contains = dataset.contains.length ? ` (it contains ${dataset.contains.join(', ')})` : '';
      throw forbidden(`Mutation.generateReport of "${dataset.title}"${contains}`, rolesFor(dataset));
    }
    const id = await insertReport(ctx.warehouse, caller, {
      dataset: dataset.name,
      title: dataset.title,
      timeframe: timeframeFor(dataset, input.timeframe ?? null),
      format: input.format.toLowerCase() as Lowercase<typeof input.format>,
      filters: filtersFor(dataset, input.filters ?? null),
    });
    reportQueue(ctx.warehouse.root).kick();
    return (await reportById(ctx.warehouse, caller, id, [dataset.name])) as GeneratedReport;
  }
}

function timeframesOf(dataset: Dataset): string[] {
  return dataset.timeframe.kind === 'none' ? [] : dataset.timeframe.ranges.filter((r) => TIMEFRAMES.includes(r));
}

/** The timeframe stored: null for a snapshot, else the requested one (default LAST_12_MONTHS) if the dataset takes it. */
function timeframeFor(dataset: Dataset, requested: ReportTimeframe | null): ReportTimeframeKind | null {
  const allowed = timeframesOf(dataset);
  if (!allowed.length) return null;
  const timeframe = requested ?? ReportTimeframe.LAST_12_MONTHS;
  if (!allowed.includes(timeframe)) {
    throw badUserInput(`"${dataset.name}" takes the timeframes ${allowed.join(', ')}; got ${timeframe}`, 'input.timeframe');
  }
  return timeframe;
}

/** Only filters the dataset takes; empty lists are dropped. */
function filtersFor(dataset: Dataset, filters: ReportFiltersInput | null): InsightsFilters | null {
  const given = Object.entries({ ...filters }).filter(([, v]) => v && v.length) as [keyof InsightsFilters, string[]][];
  const takes = Object.keys(dataset.filters);
  const unknown = given.filter(([k]) => !takes.includes(k)).map(([k]) => k);
  if (unknown.length) {
    throw badUserInput(
      `"${dataset.name}" does not take the filter(s) ${unknown.join(', ')}; it takes: ${takes.join(', ') || 'none'}`,
      `input.filters.${unknown[0]}`,
    );
  }
  for (const [name, values] of given) boundedFilterValues(values, `input.filters.${name}`);
  return given.length ? Object.fromEntries(given) : null;
}
