import { addMonths, monthEnd, monthStart } from '../../../core/dates';
import type { Caller } from '../../../core/caller';
import { today } from '../../clock';
import type { SqlRunner } from '../../../core/sql';
import { dataMonths } from '../compile';
import { indicatorsFor, loadPciFacts, type PciFacts } from './indicators';
import { defaultBaseline, furthestFromThreshold, marketOfLocations, roundPoints } from './rules';
import { locationMarkets, type MonthSpec } from './sql';
import { PCI_PATHS, type PciIndicatorKey, type PciMarketKey, type PciPathKey, type PciUnitKey } from './thresholds';

export * from './thresholds';
export * from './rules';

/**
 * Partner contribution indicators: for each path (Customer Engagement, Finance and Operations) the
 * seven indicators' values, thresholds and points in the as-of month, the total score (0-100), the
 * score of each of the last 12 months, and the indicators furthest from their thresholds.
 * Used by GraphQL (resolvers/insights/pci.resolver.ts) and the executive report.
 */
export interface PciOptions {
  /**
   * YYYY-MM-DD; its month is the scored month. Default: the Insights reports' as-of month
   * (defaultPciDay), so that PCI and the reports count from the same month.
   */
  asOf?: string | null;
  /** Overrides the market derived from the locations (marketOfLocations). */
  market?: PciMarketKey | null;
  /** Overrides the functional consultant growth baseline snapshot (default: defaultBaseline(month)). */
  baseline?: string | null;
}

export interface PciIndicatorResult {
  key: PciIndicatorKey;
  name: string;
  /** USD for net new revenue, a count, or a ratio (0.25 = 25%); null when it cannot be computed. */
  value: number | null;
  /** The exact value as text: DECIMAL USD with two decimals for net new revenue. */
  valueText: string | null;
  unit: PciUnitKey;
  /** The value earning all points; null when the partner is not eligible (growth indicators). */
  threshold: number | null;
  points: number;
  maxPoints: number;
  note: string | null;
}

export interface PciPathResult {
  path: PciPathKey;
  /** Sum of the indicators' points, 0-100, two decimals. */
  score: number;
  indicators: PciIndicatorResult[];
  /** The last 12 months, oldest first; the last one is the as-of month. */
  history: { month: string; score: number }[];
  /** Indicators short of their maximum points, most points to gain first. */
  furthestFromThreshold: { key: PciIndicatorKey; name: string; pointsToGain: number }[];
}

export interface PciResult {
  asOf: string;
  /** First day of the scored month. */
  month: string;
  market: PciMarketKey;
  /** How the market was chosen. */
  marketSource: 'argument' | 'locations';
  /** Functional consultant growth baseline snapshot of the scored month. */
  baseline: string;
  paths: PciPathResult[];
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** Months `from` .. asOf's month (n months), each evaluated on its last day or on asOf. */
export function monthSpecs(asOf: string, count: number): MonthSpec[] {
  const last = monthStart(asOf);
  const out: MonthSpec[] = [];
  for (let i = count - 1; i >= 0; i--) {
    const m = addMonths(last, -i);
    out.push({ m, d: i === 0 ? asOf : monthEnd(m) });
  }
  return out;
}

function checkDay(name: string, value: string): void {
  if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) throw new Error(`${name} must be YYYY-MM-DD, not ${JSON.stringify(value)}`);
}

/**
 * The day PCI is scored on when no date is given: the same as-of month as the Insights reports
 * (compile.ts dataMonths: PI_TODAY's month when set, else the partner's latest month with data,
 * else the current month), evaluated on today when today falls in that month, else on its last day.
 * Data that ends before today (a warehouse loaded last quarter, a demo data set) is scored on its
 * last month, as the reports show it, not on an empty current month. One statement.
 */
export async function defaultPciDay(db: SqlRunner, caller: Caller): Promise<string> {
  const { asOf } = await dataMonths(db, caller);
  const day = today();
  return monthStart(day) === asOf ? day : monthEnd(asOf);
}

export async function pciScores(db: SqlRunner, caller: Caller, options: PciOptions = {}): Promise<PciResult> {
  const asOf = options.asOf ?? (await defaultPciDay(db, caller));
  checkDay('asOf', asOf);
  if (options.baseline) checkDay('baseline', options.baseline);
  const market = options.market ?? marketOfLocations(await locationMarkets(db, caller));
  const history = monthSpecs(asOf, 12);
  // 24 months: every history month needs the 12 before it (MAU growth, net customer adds' prior month).
  const all = monthSpecs(asOf, 24);
  const baselineOf = (m: MonthSpec) => options.baseline ?? defaultBaseline(m.d);
  const facts = await loadPciFacts(db, caller, all, history, market, baselineOf);
  const current = history[history.length - 1];
  const paths = PCI_PATHS.map((path) => pathResult(facts, path, history, current));
  return { asOf, month: current.m, market, marketSource: options.market ? 'argument' : 'locations', baseline: baselineOf(current), paths };
}

/** A path's score and indicators in the current month, its scores over the history months and what is furthest from its threshold. */
function pathResult(facts: PciFacts, path: PciPathKey, history: readonly MonthSpec[], current: MonthSpec): PciPathResult {
  const score = (indicators: PciIndicatorResult[]) => roundPoints(indicators.reduce((s, i) => s + i.points, 0));
  const indicators = indicatorsFor(facts, path, current);
  return {
    path,
    score: score(indicators),
    indicators,
    history: history.map((h) => ({ month: h.m, score: h === current ? score(indicators) : score(indicatorsFor(facts, path, h)) })),
    furthestFromThreshold: furthestFromThreshold(indicators).map((i) => ({ key: i.key, name: i.name, pointsToGain: roundPoints(i.maxPoints - i.points) })),
  };
}
