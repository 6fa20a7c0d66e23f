import { addMonths, monthEnd, monthStart } from '../../../core/dates';
import type { Caller } from '../../../core/caller';
import { today } from '../../clock';
import type { SqlRunner } from '../../../core/sql';
import {
  defaultBaseline,
  functionalConsultantGrowthPoints,
  furthestFromThreshold,
  marketOfLocations,
  mauGrowthPoints,
  partialPoints,
  roundPoints,
} from './rules';
import { certificationCounts, customerIndicatorsByMonth, locationMarkets, netNewRevenueByMonth, type MonthSpec } from './sql';
import {
  INDICATORS,
  LARGE_DEPLOYMENT_MAU,
  MAU_GROWTH_MIN_BASELINE,
  PCI_PATHS,
  THRESHOLDS,
  type PciIndicatorKey,
  type PciMarketKey,
  type PciPathKey,
  type PciUnitKey,
} from './thresholds';

export * from './thresholds';
export * from './rules';

/**
 * Partner contribution indicators: for each path (Customer Engagement, Finance and Operations) the
 * seven indicators' values, thresholds and points in the as-of month, the total score (0-100), the
 * score of each of the last 12 months, and the indicators furthest from their thresholds.
 * Used by GraphQL (resolvers/insights/pci.resolver.ts) and the executive report.
 */
export interface PciOptions {
  /** YYYY-MM-DD; default "today" (PI_TODAY or the current UTC date). Its month is the scored month. */
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

const pct = (r: number | null) => (r === null ? 'n/a' : `${(r * 100).toFixed(1)}%`);

export async function pciScores(db: SqlRunner, caller: Caller, options: PciOptions = {}): Promise<PciResult> {
  const asOf = options.asOf ?? today();
  if (!DAY.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`))) throw new Error(`asOf must be YYYY-MM-DD, not ${JSON.stringify(asOf)}`);
  if (options.baseline && (!DAY.test(options.baseline) || Number.isNaN(Date.parse(`${options.baseline}T00:00:00Z`)))) {
    throw new Error(`baseline must be YYYY-MM-DD, not ${JSON.stringify(options.baseline)}`);
  }
  const market = options.market ?? marketOfLocations(await locationMarkets(db, caller));
  const history = monthSpecs(asOf, 12);
  // 24 months: every history month needs the 12 before it (MAU growth, net customer adds' prior month).
  const all = monthSpecs(asOf, 24);
  const baselineOf = (m: MonthSpec) => options.baseline ?? defaultBaseline(m.d);
  const certDays = [...new Set([...history.map((h) => h.d), ...history.map(baselineOf)])].sort();

  const revenue = await netNewRevenueByMonth(db, caller, history);
  const { adds, mau, large } = await customerIndicatorsByMonth(db, caller, all, history, market);
  const certs = await certificationCounts(db, caller, certDays);
  const key = (path: string, month: string) => `${path}|${month}`;
  const revenueBy = new Map(revenue.map((r) => [key(r.path, r.month), r]));
  const addsBy = new Map(adds.map((r) => [key(r.path, r.month), r]));
  const mauBy = new Map(mau.map((r) => [key(r.path, r.month), r]));
  const largeBy = new Map(large.map((r) => [key(r.path, r.month), r]));
  const certsBy = new Map(certs.map((r) => [key(r.path, r.day), r]));

  const indicatorsFor = (path: PciPathKey, h: MonthSpec): PciIndicatorResult[] => {
    const t = THRESHOLDS[path][market];
    const windowStart = addMonths(h.m, -11);
    const out: PciIndicatorResult[] = [];
    const def = (k: PciIndicatorKey) => INDICATORS.find((i) => i.key === k)!;
    const push = (k: PciIndicatorKey, r: Omit<PciIndicatorResult, 'key' | 'name' | 'unit' | 'maxPoints'>) =>
      out.push({ key: k, name: def(k).name, unit: def(k).unit, maxPoints: def(k).maxPoints, ...r });

    // 1. Net new revenue (USD, trailing 12 months).
    const rev = revenueBy.get(key(path, h.m));
    const usd = rev ? Number(rev.usd) : 0;
    push('NET_NEW_REVENUE', {
      value: usd,
      valueText: rev?.usd ?? '0.00',
      threshold: t.NET_NEW_REVENUE,
      points: partialPoints(usd, t.NET_NEW_REVENUE, def('NET_NEW_REVENUE').maxPoints),
      note:
        `billings minus credits in USD, ${windowStart} to ${h.d}, ${rev?.lines ?? 0} lines` +
        (rev?.unconverted ? `; ${rev.unconverted} lines without a USD rate left out` : ''),
    });

    // 2. Net customer adds (sum of the 12 months' adds minus losses).
    let added = 0;
    let lost = 0;
    for (let i = 11; i >= 0; i--) {
      const r = addsBy.get(key(path, addMonths(h.m, -i)));
      added += r?.adds ?? 0;
      lost += r?.losses ?? 0;
    }
    push('NET_CUSTOMER_ADDS', {
      value: added - lost,
      valueText: String(added - lost),
      threshold: t.NET_CUSTOMER_ADDS,
      points: partialPoints(added - lost, t.NET_CUSTOMER_ADDS, def('NET_CUSTOMER_ADDS').maxPoints),
      note: `${added} customers added, ${lost} lost, ${windowStart} to ${h.d}`,
    });

    // 3. Functional consultants (snapshot on the evaluation day).
    const now = certsBy.get(key(path, h.d));
    const fc = now?.functionalConsultants ?? 0;
    push('FUNCTIONAL_CONSULTANTS', {
      value: fc,
      valueText: String(fc),
      threshold: t.FUNCTIONAL_CONSULTANTS,
      points: partialPoints(fc, t.FUNCTIONAL_CONSULTANTS, def('FUNCTIONAL_CONSULTANTS').maxPoints),
      note: `individuals with an active functional consultant associate certification on ${h.d}`,
    });

    // 4. Functional consultant growth (all or nothing, Table 3).
    const baseline = baselineOf(h);
    const base = certsBy.get(key(path, baseline))?.functionalConsultants ?? 0;
    const g = functionalConsultantGrowthPoints(base, fc, market, def('FUNCTIONAL_CONSULTANT_GROWTH').maxPoints);
    push('FUNCTIONAL_CONSULTANT_GROWTH', {
      value: g.growth,
      valueText: g.growth === null ? null : g.growth.toFixed(4),
      threshold: g.target,
      points: g.points,
      note: g.eligible
        ? `${fc} now vs ${base} at the ${baseline} baseline (${pct(g.growth)}); ${pct(g.target)} needed for all points, no partial points`
        : `not eligible: ${base} functional consultants at the ${baseline} baseline, ${market.toLowerCase()} market partners need at least ${market === 'Developed' ? 15 : 5}`,
    });

    // 5. Developers.
    const dev = now?.developers ?? 0;
    push('DEVELOPERS', {
      value: dev,
      valueText: String(dev),
      threshold: t.DEVELOPERS,
      points: partialPoints(dev, t.DEVELOPERS, def('DEVELOPERS').maxPoints),
      note: `individuals with an active developer associate certification on ${h.d}`,
    });

    // 6. New large deployments.
    const mauT = LARGE_DEPLOYMENT_MAU[path][market];
    const baseMonth = addMonths(h.m, -11);
    const hasBaseData = (mauBy.get(key(path, baseMonth))?.mauRows ?? 0) > 0;
    const tenants = largeBy.get(key(path, h.m))?.tenants ?? 0;
    push('NEW_LARGE_DEPLOYMENTS', {
      value: hasBaseData ? tenants : null,
      valueText: hasBaseData ? String(tenants) : null,
      threshold: t.NEW_LARGE_DEPLOYMENTS,
      points: hasBaseData ? partialPoints(tenants, t.NEW_LARGE_DEPLOYMENTS, def('NEW_LARGE_DEPLOYMENTS').maxPoints) : 0,
      note: hasBaseData
        ? `tenants below ${mauT} monthly active users in ${baseMonth.slice(0, 7)} that reached ${mauT} by ${h.m.slice(0, 7)}`
        : `no monthly active users on file for ${baseMonth.slice(0, 7)}, the baseline month`,
    });

    // 7. Monthly active user growth (current month vs 12 months ago).
    const prevMonth = addMonths(h.m, -12);
    const cur = mauBy.get(key(path, h.m))?.creditedUsers ?? 0;
    const prev = mauBy.get(key(path, prevMonth))?.creditedUsers ?? 0;
    const minBase = MAU_GROWTH_MIN_BASELINE[path][market];
    const mg = mauGrowthPoints(prev, cur, minBase, t.MONTHLY_ACTIVE_USER_GROWTH, def('MONTHLY_ACTIVE_USER_GROWTH').maxPoints);
    push('MONTHLY_ACTIVE_USER_GROWTH', {
      value: mg.growth,
      valueText: mg.growth === null ? null : mg.growth.toFixed(4),
      threshold: mg.eligible ? t.MONTHLY_ACTIVE_USER_GROWTH : null,
      points: mg.points,
      note: mg.eligible
        ? `${cur} monthly active users in ${h.m.slice(0, 7)} vs ${prev} in ${prevMonth.slice(0, 7)}`
        : `not eligible: ${prev} monthly active users in ${prevMonth.slice(0, 7)}, at least ${minBase} needed`,
    });
    return out;
  };

  const score = (indicators: PciIndicatorResult[]) => roundPoints(indicators.reduce((s, i) => s + i.points, 0));
  const current = history[history.length - 1];
  const paths: PciPathResult[] = PCI_PATHS.map((path) => {
    const indicators = indicatorsFor(path, current);
    return {
      path,
      score: score(indicators),
      indicators,
      history: history.map((h) => ({ month: h.m, score: h === current ? score(indicators) : score(indicatorsFor(path, h)) })),
      furthestFromThreshold: furthestFromThreshold(indicators).map((i) => ({ key: i.key, name: i.name, pointsToGain: roundPoints(i.maxPoints - i.points) })),
    };
  });
  return { asOf, month: current.m, market, marketSource: options.market ? 'argument' : 'locations', baseline: baselineOf(current), paths };
}
