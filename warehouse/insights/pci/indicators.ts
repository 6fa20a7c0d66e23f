import { addMonths } from '../../../core/dates';
import type { Caller } from '../../../core/caller';
import type { SqlRunner } from '../../../core/sql';
import type { PciIndicatorResult } from './index';
import { functionalConsultantGrowthPoints, mauGrowthPoints, partialPoints } from './rules';
import {
  certificationCounts,
  customerIndicatorsByMonth,
  netNewRevenueByMonth,
  type CertificationCountRow,
  type LargeDeploymentRow,
  type MauRow,
  type MonthSpec,
  type NetCustomerAddsRow,
  type RevenueRow,
} from './sql';
import {
  INDICATORS,
  LARGE_DEPLOYMENT_MAU,
  MAU_GROWTH_MIN_BASELINE,
  THRESHOLDS,
  type PciIndicatorKey,
  type PciMarketKey,
  type PciPathKey,
} from './thresholds';

const key = (path: string, month: string) => `${path}|${month}`;
const byPathAnd = <T extends { path: string }>(rows: readonly T[], at: (r: T) => string) => new Map(rows.map((r) => [key(r.path, at(r)), r]));

/** The fact rows the scores are computed from, by path and month (certifications: by path and day). */
export interface PciFacts {
  market: PciMarketKey;
  /** The functional consultant growth baseline snapshot of a month. */
  baselineOf: (m: MonthSpec) => string;
  revenue: Map<string, RevenueRow>;
  adds: Map<string, NetCustomerAddsRow>;
  mau: Map<string, MauRow>;
  large: Map<string, LargeDeploymentRow>;
  certs: Map<string, CertificationCountRow>;
}

/**
 * Reads the facts of the history months: revenue, customer adds, monthly active users and large
 * deployments (24 months: every history month needs the 12 before it, for MAU growth and net
 * customer adds' prior month), and certification counts on the evaluation and baseline days.
 */
export async function loadPciFacts(
  db: SqlRunner,
  caller: Caller,
  all: readonly MonthSpec[],
  history: readonly MonthSpec[],
  market: PciMarketKey,
  baselineOf: (m: MonthSpec) => string,
): Promise<PciFacts> {
  const certDays = [...new Set([...history.map((h) => h.d), ...history.map(baselineOf)])].sort();
  const revenue = await netNewRevenueByMonth(db, caller, history);
  const { adds, mau, large } = await customerIndicatorsByMonth(db, caller, all, history, market);
  const certs = await certificationCounts(db, caller, certDays);
  return {
    market,
    baselineOf,
    revenue: byPathAnd(revenue, (r) => r.month),
    adds: byPathAnd(adds, (r) => r.month),
    mau: byPathAnd(mau, (r) => r.month),
    large: byPathAnd(large, (r) => r.month),
    certs: byPathAnd(certs, (r) => r.day),
  };
}

/** One path's seven indicators in one month (h), in the order of INDICATORS. */
export function indicatorsFor(facts: PciFacts, path: PciPathKey, h: MonthSpec): PciIndicatorResult[] {
  const on: Scored = { facts, path, h, t: THRESHOLDS[path][facts.market], windowStart: addMonths(h.m, -11) };
  return [
    netNewRevenue(on),
    netCustomerAdds(on),
    certifiedIndividuals(on, 'FUNCTIONAL_CONSULTANTS', 'functionalConsultants', 'functional consultant'),
    functionalConsultantGrowth(on),
    certifiedIndividuals(on, 'DEVELOPERS', 'developers', 'developer'),
    newLargeDeployments(on),
    monthlyActiveUserGrowth(on),
  ];
}

/** What an indicator is computed on: the facts, the path, the month and the path's thresholds in the market. */
interface Scored {
  facts: PciFacts;
  path: PciPathKey;
  h: MonthSpec;
  t: (typeof THRESHOLDS)[PciPathKey][PciMarketKey];
  /** First month of the trailing 12. */
  windowStart: string;
}

const def = (k: PciIndicatorKey) => INDICATORS.find((i) => i.key === k)!;

function indicator(k: PciIndicatorKey, r: Omit<PciIndicatorResult, 'key' | 'name' | 'unit' | 'maxPoints'>): PciIndicatorResult {
  return { key: k, name: def(k).name, unit: def(k).unit, maxPoints: def(k).maxPoints, ...r };
}

const pct = (r: number | null) => (r === null ? 'n/a' : `${(r * 100).toFixed(1)}%`);

/** 1. Net new revenue (USD, trailing 12 months). */
function netNewRevenue({ facts, path, h, t, windowStart }: Scored): PciIndicatorResult {
  const rev = facts.revenue.get(key(path, h.m));
  const usd = rev ? Number(rev.usd) : 0;
  return indicator('NET_NEW_REVENUE', {
    value: usd,
    valueText: rev?.usd ?? '0.00',
    threshold: t.NET_NEW_REVENUE,
    points: partialPoints(usd, t.NET_NEW_REVENUE, def('NET_NEW_REVENUE').maxPoints),
    note:
      `billings minus credits in USD, ${windowStart} to ${h.d}, ${rev?.lines ?? 0} lines` +
      (rev?.unconverted ? `; ${rev.unconverted} lines without a USD rate left out` : ''),
  });
}

/** 2. Net customer adds (sum of the 12 months' adds minus losses). */
function netCustomerAdds({ facts, path, h, t, windowStart }: Scored): PciIndicatorResult {
  let added = 0;
  let lost = 0;
  for (let i = 11; i >= 0; i--) {
    const r = facts.adds.get(key(path, addMonths(h.m, -i)));
    added += r?.adds ?? 0;
    lost += r?.losses ?? 0;
  }
  return indicator('NET_CUSTOMER_ADDS', {
    value: added - lost,
    valueText: String(added - lost),
    threshold: t.NET_CUSTOMER_ADDS,
    points: partialPoints(added - lost, t.NET_CUSTOMER_ADDS, def('NET_CUSTOMER_ADDS').maxPoints),
    note: `${added} customers added, ${lost} lost, ${windowStart} to ${h.d}`,
  });
}

/** 3 and 5. Functional consultants and developers: individuals certified on the evaluation day (a snapshot). */
function certifiedIndividuals(
  { facts, path, h, t }: Scored,
  k: 'FUNCTIONAL_CONSULTANTS' | 'DEVELOPERS',
  count: 'functionalConsultants' | 'developers',
  certification: string,
): PciIndicatorResult {
  const n = facts.certs.get(key(path, h.d))?.[count] ?? 0;
  return indicator(k, {
    value: n,
    valueText: String(n),
    threshold: t[k],
    points: partialPoints(n, t[k], def(k).maxPoints),
    note: `individuals with an active ${certification} associate certification on ${h.d}`,
  });
}

/** 4. Functional consultant growth (all or nothing, Table 3). */
function functionalConsultantGrowth({ facts, path, h }: Scored): PciIndicatorResult {
  const { market } = facts;
  const fc = facts.certs.get(key(path, h.d))?.functionalConsultants ?? 0;
  const baseline = facts.baselineOf(h);
  const base = facts.certs.get(key(path, baseline))?.functionalConsultants ?? 0;
  const g = functionalConsultantGrowthPoints(base, fc, market, def('FUNCTIONAL_CONSULTANT_GROWTH').maxPoints);
  return indicator('FUNCTIONAL_CONSULTANT_GROWTH', {
    value: g.growth,
    valueText: g.growth === null ? null : g.growth.toFixed(4),
    threshold: g.target,
    points: g.points,
    note: g.eligible
      ? `${fc} now vs ${base} at the ${baseline} baseline (${pct(g.growth)}); ${pct(g.target)} needed for all points, no partial points`
      : `not eligible: ${base} functional consultants at the ${baseline} baseline, ${market.toLowerCase()} market partners need at least ${market === 'Developed' ? 15 : 5}`,
  });
}

/** 6. New large deployments. */
function newLargeDeployments({ facts, path, h, t }: Scored): PciIndicatorResult {
  const mauT = LARGE_DEPLOYMENT_MAU[path][facts.market];
  const baseMonth = addMonths(h.m, -11);
  const hasBaseData = (facts.mau.get(key(path, baseMonth))?.mauRows ?? 0) > 0;
  const tenants = facts.large.get(key(path, h.m))?.tenants ?? 0;
  return indicator('NEW_LARGE_DEPLOYMENTS', {
    value: hasBaseData ? tenants : null,
    valueText: hasBaseData ? String(tenants) : null,
    threshold: t.NEW_LARGE_DEPLOYMENTS,
    points: hasBaseData ? partialPoints(tenants, t.NEW_LARGE_DEPLOYMENTS, def('NEW_LARGE_DEPLOYMENTS').maxPoints) : 0,
    note: hasBaseData
      ? `tenants below ${mauT} monthly active users in ${baseMonth.slice(0, 7)} that reached ${mauT} by ${h.m.slice(0, 7)}`
      : `no monthly active users on file for ${baseMonth.slice(0, 7)}, the baseline month`,
  });
}

/** 7. Monthly active user growth (current month vs 12 months ago). */
function monthlyActiveUserGrowth({ facts, path, h, t }: Scored): PciIndicatorResult {
  const prevMonth = addMonths(h.m, -12);
  const cur = facts.mau.get(key(path, h.m))?.creditedUsers ?? 0;
  const prev = facts.mau.get(key(path, prevMonth))?.creditedUsers ?? 0;
  const minBase = MAU_GROWTH_MIN_BASELINE[path][facts.market];
  const mg = mauGrowthPoints(prev, cur, minBase, t.MONTHLY_ACTIVE_USER_GROWTH, def('MONTHLY_ACTIVE_USER_GROWTH').maxPoints);
  return indicator('MONTHLY_ACTIVE_USER_GROWTH', {
    value: mg.growth,
    valueText: mg.growth === null ? null : mg.growth.toFixed(4),
    threshold: mg.eligible ? t.MONTHLY_ACTIVE_USER_GROWTH : null,
    points: mg.points,
    note: mg.eligible
      ? `${cur} monthly active users in ${h.m.slice(0, 7)} vs ${prev} in ${prevMonth.slice(0, 7)}`
      : `not eligible: ${prev} monthly active users in ${prevMonth.slice(0, 7)}, at least ${minBase} needed`,
  });
}
