import { Arg, Ctx, Query, Resolver } from 'type-graphql';
import { Requires } from '../../schema/common/permissions';
import { rolesFor } from '../../core/permissions';
import {
  AzureUsageReport,
  CustomersReport,
  InsightsAnalyticsReport,
  InsightsAnalyticsReportName,
  InsightsDateRange,
  InsightsDimension,
  InsightsFiltersInput,
  InsightsMetricDefinition,
  InsightsMetricResult,
  LicensesReport,
  OverviewReport,
  SubscriptionsReport,
} from '../../schema/insights/report';
import { METRICS, type ReportName } from '../../warehouse/insights/metrics';
import { REPORTS, reportRange, runReport, runReportInRange } from '../../warehouse/insights/reports';
import { runMetric } from '../../warehouse/insights/run';
import type { RequestContext } from '../common/context';

/**
 * The Insights reports: Overview and Customers need readReports (the Insights dashboard's appropriate
 * roles), the product reports (subscriptions, licenses, Azure usage) readProductReports (their pages'
 * appropriate roles, which add Admin agent). Each report query (and analyticsReport) costs two SQL statements (the data months, then every
 * KPI and breakdown the caller may see in one statement); revenue fields are null + FORBIDDEN for
 * roles without seeRevenue and are left out of the SQL for them.
 */
async function report(ctx: RequestContext, name: ReportName, range?: InsightsDateRange | null, filters?: InsightsFiltersInput | null) {
  const r = await runReport(ctx.warehouse, ctx.caller, name, { range, filters });
  return { range: r.range, breakdowns: r.breakdowns, revenueBreakdowns: r.revenueBreakdowns, addsChurns: r.addsChurns ?? [], ...r.kpis };
}

@Resolver()
export class InsightsReportResolver {
  @Requires('readReports')
  @Query(() => OverviewReport, { nullable: true, description: 'Insights Overview: customers, ACR, subscriptions, active subscriptions, licenses deployed; geographical spread' })
  async overviewReport(
    @Arg('range', () => InsightsDateRange, { nullable: true }) range: InsightsDateRange | null,
    @Ctx() ctx: RequestContext,
  ): Promise<OverviewReport> {
    return (await report(ctx, 'overview', range, null)) as unknown as OverviewReport;
  }

  @Requires('readReports')
  @Query(() => CustomersReport, { nullable: true, description: 'Insights Customers dashboard' })
  async customersReport(
    @Arg('range', () => InsightsDateRange, { nullable: true }) range: InsightsDateRange | null,
    @Arg('filters', () => InsightsFiltersInput, { nullable: true }) filters: InsightsFiltersInput | null,
    @Ctx() ctx: RequestContext,
  ): Promise<CustomersReport> {
    return (await report(ctx, 'customers', range, filters)) as unknown as CustomersReport;
  }

  @Requires('readProductReports')
  @Query(() => SubscriptionsReport, { nullable: true, description: 'Insights Product subscriptions report' })
  async subscriptionsReport(
    @Arg('range', () => InsightsDateRange, { nullable: true }) range: InsightsDateRange | null,
    @Arg('filters', () => InsightsFiltersInput, { nullable: true }) filters: InsightsFiltersInput | null,
    @Ctx() ctx: RequestContext,
  ): Promise<SubscriptionsReport> {
    return (await report(ctx, 'subscriptions', range, filters)) as unknown as SubscriptionsReport;
  }

  @Requires('readProductReports')
  @Query(() => LicensesReport, { nullable: true, description: 'Insights Product licenses report' })
  async licensesReport(
    @Arg('range', () => InsightsDateRange, { nullable: true }) range: InsightsDateRange | null,
    @Arg('filters', () => InsightsFiltersInput, { nullable: true }) filters: InsightsFiltersInput | null,
    @Ctx() ctx: RequestContext,
  ): Promise<LicensesReport> {
    return (await report(ctx, 'licenses', range, filters)) as unknown as LicensesReport;
  }

  @Requires('readProductReports')
  @Query(() => AzureUsageReport, { nullable: true, description: 'Insights Product Azure usage report' })
  async azureUsageReport(
    @Arg('range', () => InsightsDateRange, { nullable: true }) range: InsightsDateRange | null,
    @Arg('filters', () => InsightsFiltersInput, { nullable: true }) filters: InsightsFiltersInput | null,
    @Ctx() ctx: RequestContext,
  ): Promise<AzureUsageReport> {
    return (await report(ctx, 'azureUsage', range, filters)) as unknown as AzureUsageReport;
  }

  @Requires('readAnalytics')
  @Query(() => InsightsAnalyticsReport, { nullable: true, description: 'A CSP analytics page (Global admin, User admin, Admin agent, Sales agent)' })
  async analyticsReport(
    @Arg('name', () => InsightsAnalyticsReportName) name: InsightsAnalyticsReportName,
    @Arg('range', () => InsightsDateRange, { nullable: true }) range: InsightsDateRange | null,
    @Arg('filters', () => InsightsFiltersInput, { nullable: true }) filters: InsightsFiltersInput | null,
    @Ctx() ctx: RequestContext,
  ): Promise<InsightsAnalyticsReport> {
    // The page's lists (child fields) need only the months: the KPI statement is started, not
    // awaited, so that it runs alongside them on the warehouse's read connections.
    const months = await reportRange(ctx.warehouse, ctx.caller, range);
    const result = runReportInRange(ctx.warehouse, ctx.caller, name, months, filters);
    result.catch(() => undefined); // a query selecting neither kpis nor breakdowns never awaits it
    return {
      name,
      range: months,
      kpis: result.then((r) => REPORTS[name].kpis.map((k) => r.kpis[k]).filter((k): k is NonNullable<typeof k> => k !== undefined)),
      breakdowns: result.then((r) => r.breakdowns),
    } as unknown as InsightsAnalyticsReport;
  }

  @Query(() => InsightsMetricResult, {
    nullable: true,
    description: 'Any Insights metric by name (see metricDefinitions), optionally split by a dimension; FORBIDDEN naming the roles when the metric needs a permission the caller lacks',
  })
  async metric(
    @Arg('name', () => String) name: string,
    @Arg('range', () => InsightsDateRange, { nullable: true }) range: InsightsDateRange | null,
    @Arg('filters', () => InsightsFiltersInput, { nullable: true }) filters: InsightsFiltersInput | null,
    @Arg('splitBy', () => InsightsDimension, { nullable: true }) splitBy: InsightsDimension | null,
    @Ctx() ctx: RequestContext,
  ): Promise<InsightsMetricResult> {
    const r = await runMetric(ctx.warehouse, ctx.caller, { name, range, filters, splitBy });
    const d = r.definition;
    return {
      name: d.name,
      title: d.title,
      definition: d.definition,
      unit: d.unit,
      value: r.value,
      growthPercent: r.growthPercent,
      series: r.series,
      range: r.range,
      splitBy: (r.splitBy as InsightsDimension | null) ?? null,
      groups: r.groups,
    };
  }

  @Query(() => [InsightsMetricDefinition], { description: 'The Insights metric definitions (names, documented definitions, units, dimensions, permissions)' })
  metricDefinitions(): InsightsMetricDefinition[] {
    return METRICS.map((m) => ({
      name: m.name,
      reports: [...m.reports],
      title: m.title,
      definition: m.definition,
      unit: m.unit,
      grain: m.grain,
      rangeValue: m.rangeValue,
      dimensions: m.dimensions.map((x) => x as InsightsDimension),
      permissions: [...m.permissions],
      roles: [...m.permissions.map((p) => rolesFor(p) as readonly string[]).reduce((a, b) => a.filter((r) => b.includes(r)))],
    }));
  }
}
