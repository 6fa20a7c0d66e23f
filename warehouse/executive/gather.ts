import type { Caller } from '../../core/caller';
import { DomainError, ErrorCode, badUserInput } from '../../core/errors';
import { assertPermission } from '../../core/permissions';
import type { SqlRunner } from '../../core/sql';
import { now } from '../clock';
import { dataMonths, type MetricRequest, type MonthRange } from '../insights/compile';
import type { Dimension } from '../insights/facts';
import { runMetrics, type SeriesResult } from '../insights/run';
import { kpiFigure, metric, ym } from './figures';
import { parseReportMonth, reportMonths } from './month';
import { notableChanges } from './notable';
import { GEOGRAPHY_RANKINGS, PRODUCT_RANKINGS, splitRanking, topCustomerRankings, type RankingSpec } from './rankings';
import { budgetAlertSection, pciSection, referralSection, reportAudience } from './sections';
import type { ExecutiveReport } from './types';
import { Withheld } from './withheld';

export { changePercent } from './figures';
export { RANKING_SIZE } from './rankings';

/**
 * Gathers the executive report of one month from the insights engine: every number is an insights
 * metric (warehouse/insights/metrics), run through runMetrics in one statement over the 13 months
 * ending with the report month, plus referral insights (funnel), PCI scores and the metric-by-
 * customer rankings. What the caller may see follows the metrics' own permissions; what is left
 * out is listed in `withheld` with the roles that would show it.
 */
export const HEADLINE_METRICS = ['customers', 'subscriptions', 'licenses', 'azureConsumedRevenue'] as const;
export const MOVEMENT_METRICS = ['customersAdded', 'customersChurned', 'subscriptionsAdded', 'subscriptionsChurned'] as const;
export const REFERRAL_METRICS = ['referrals', 'referralsWon', 'referralDealVolume'] as const;

export async function gatherExecutiveReport(db: SqlRunner, caller: Caller, monthInput: string): Promise<ExecutiveReport> {
  assertPermission(caller, 'readReports', 'The executive report');
  const { month, data } = await checkReportMonth(db, caller, monthInput);
  const months = reportMonths(month);
  const withheld = new Withheld(caller);
  const metrics = await runReportMetrics(db, caller, { from: months.trendFrom, to: month, asOf: data.asOf }, withheld);
  const figure = (name: string) => kpiFigure(metric(name), metrics.totalOf(name)!, months, data.firstMonth);
  const rankings = metrics.rankings.map((r) => ({ chart: r.spec.chart, ranking: splitRanking(r.spec, r.total, r.groups, months) }));
  const inGroup = (specs: RankingSpec[]) => rankings.filter((r) => specs.some((s) => s.chart === r.chart)).map((r) => r.ranking);
  const topCustomers = await topCustomerRankings(db, caller, months, withheld, metrics.totalOf);
  const referrals = metrics.referralsShown ? await referralSection(db, caller, metrics.referralNames.map(figure)) : null;
  const pci = await pciSection(db, caller, month, withheld);
  const budgetAlerts = await budgetAlertSection(db, caller, month, withheld);
  const who = await reportAudience(db, caller);
  const report: ExecutiveReport = {
    partner: who.partner,
    month: ym(month),
    previousMonth: ym(months.previousMonth),
    previousYear: ym(months.previousYear),
    dataFrom: ym(data.firstMonth),
    dataTo: ym(data.asOf),
    generatedAt: now().toISOString(),
    audience: who.audience,
    headline: metrics.headlineNames.map(figure),
    movements: MOVEMENT_METRICS.map(figure),
    topProducts: inGroup(PRODUCT_RANKINGS),
    topCustomers,
    geography: inGroup(GEOGRAPHY_RANKINGS),
    referrals,
    pci,
    budgetAlerts,
    notableChanges: [],
    withheld: withheld.items,
  };
  report.notableChanges = notableChanges(report);
  return report;
}

/** The report month ('YYYY-MM-01') and the months with data; BAD_USER_INPUT for a month without data. */
async function checkReportMonth(db: SqlRunner, caller: Caller, monthInput: string): Promise<{ month: string; data: { asOf: string; firstMonth: string } }> {
  const month = parseReportMonth(monthInput);
  // A partner the warehouse does not know is said as such, not as a month without data.
  const [known] = await db.all(`SELECT 1 AS known FROM partners WHERE partner_id = $1`, [caller.partnerId]);
  if (!known) {
    throw new DomainError(ErrorCode.NOT_FOUND, `partner ${caller.partnerId} is not in the warehouse: load its Partner Center files (its partner profile first), or use a token of a partner it holds`, {
      typename: 'Partner',
      id: caller.partnerId,
    });
  }
  const data = await dataMonths(db, caller);
  if (month > data.asOf || month < data.firstMonth) {
    throw badUserInput(`there is no data for ${ym(month)}: the warehouse has data from ${ym(data.firstMonth)} to ${ym(data.asOf)}`, 'month', {
      from: ym(data.firstMonth),
      to: ym(data.asOf),
    });
  }
  return { month, data };
}

/** The report's metrics as runMetrics gave them. */
interface ReportMetrics {
  /** The total of a metric the report ran (undefined for one it did not). */
  totalOf: (name: string) => SeriesResult | undefined;
  headlineNames: string[];
  /** The product and geography rankings the caller may see: each metric's total and split. */
  rankings: { spec: RankingSpec; total: SeriesResult; groups: SeriesResult[] }[];
  referralsShown: boolean;
  referralNames: string[];
}

/**
 * Every metric of the report the caller may see in one statement (totals and splits over the 13
 * months); what the caller may not see is recorded in withheld.
 */
async function runReportMetrics(db: SqlRunner, caller: Caller, range: MonthRange, withheld: Withheld): Promise<ReportMetrics> {
  const requests: MetricRequest[] = [];
  const totals = new Map<string, number>();
  const total = (name: string) => {
    if (!totals.has(name)) totals.set(name, requests.push({ metric: metric(name), range }) - 1);
    return totals.get(name)!;
  };
  const split = (name: string, splitBy: Dimension) => requests.push({ metric: metric(name), range, splitBy }) - 1;

  const headlineNames = HEADLINE_METRICS.filter((n) => withheld.shows(n, 'Azure consumed revenue (ACR)'));
  headlineNames.forEach(total);
  MOVEMENT_METRICS.forEach(total);
  const rankingSlots = [...PRODUCT_RANKINGS, ...GEOGRAPHY_RANKINGS]
    .filter((r) => withheld.shows(r.metric, 'Azure consumed revenue (ACR)'))
    .map((spec) => ({ spec, total: total(spec.metric), index: split(spec.metric, spec.splitBy) }));
  const referralsShown = withheld.shows('referrals', 'Referrals and won deal volume');
  const referralNames = referralsShown ? REFERRAL_METRICS.filter((n) => withheld.shows(n, 'Won deal volume of referrals')) : [];
  referralNames.forEach(total);
  const results = await runMetrics(db, caller, requests);

  const totalOf = (name: string) => {
    const index = totals.get(name);
    return index === undefined ? undefined : results[index][0];
  };
  const rankings = rankingSlots.map((s) => ({ spec: s.spec, total: results[s.total][0], groups: results[s.index] }));
  return { totalOf, headlineNames, rankings, referralsShown, referralNames };
}
