import {
  ASSOCIATION_RULES,
  DOCUMENTED_BASELINE_DATE,
  FUNCTIONAL_CONSULTANT_GROWTH_TIERS,
  type CreditGroup,
  type ExamRule,
  type PciMarketKey,
} from './thresholds';

/**
 * The PCI point and association rules as pure functions (no SQL). The SQL in sql.ts implements the
 * same association rule from the same data (ASSOCIATION_RULES); tests check both.
 */

/** Points are shown with two decimals, rounded half up (the documented example: 150,000 / 300,000 × 10 = 5.00). */
export function roundPoints(points: number): number {
  return Math.round((points + Number.EPSILON) * 100) / 100;
}

/**
 * Partial points (all indicators but functional consultant growth): max × min(1, value / threshold),
 * never below 0 (negative net revenue, net customer losses or shrinking usage earn nothing), rounded
 * to two decimals. A missing value earns 0.
 */
export function partialPoints(value: number | null, threshold: number, maxPoints: number): number {
  if (value === null || !Number.isFinite(value) || threshold <= 0) return 0;
  return roundPoints(maxPoints * Math.min(1, Math.max(0, value / threshold)));
}

/** Growth as a ratio: (current - baseline) / baseline; null when the baseline is 0 (undefined growth). */
export function growth(current: number, baseline: number): number | null {
  if (!(baseline > 0)) return null;
  return (current - baseline) / baseline;
}

/**
 * Table 3: the growth a baseline of functional consultants needs for all 15 points, or null when the
 * baseline is below the eligibility minimum (15 developed, 5 developing).
 */
export function functionalConsultantGrowthTarget(baseline: number, market: PciMarketKey): number | null {
  for (const tier of FUNCTIONAL_CONSULTANT_GROWTH_TIERS) {
    const { min, max } = tier.baseline[market];
    if (baseline >= min && (max === null || baseline <= max)) return tier.growth;
  }
  return null;
}

/**
 * Functional consultant growth: all or nothing. Eligible only with the Table 3 minimum baseline;
 * the growth on top of the baseline must meet or exceed the tier's target.
 */
export function functionalConsultantGrowthPoints(
  baseline: number,
  current: number,
  market: PciMarketKey,
  maxPoints = 15,
): { growth: number | null; target: number | null; eligible: boolean; points: number } {
  const target = functionalConsultantGrowthTarget(baseline, market);
  const g = growth(current, baseline);
  if (target === null || g === null) return { growth: g, target, eligible: false, points: 0 };
  // Compare in whole consultants to keep 0.35 etc. exact: growth >= target <=> current - baseline >= target × baseline.
  const met = (current - baseline) * 100 >= Math.round(target * 100) * baseline;
  return { growth: g, target, eligible: true, points: met ? maxPoints : 0 };
}

/**
 * Monthly active user growth: partial points on growth against the 25% target, eligible only with the
 * documented MAU baseline 12 months ago (250/150 CE, 100/50 F&O).
 */
export function mauGrowthPoints(
  baseline: number,
  current: number,
  minBaseline: number,
  target: number,
  maxPoints = 25,
): { growth: number | null; eligible: boolean; points: number } {
  const g = growth(current, baseline);
  if (baseline < minBaseline || g === null) return { growth: g, eligible: false, points: 0 };
  return { growth: g, eligible: true, points: partialPoints(g, target, maxPoints) };
}

/** One attribution row of a subscription, active on the day in question. */
export interface AttributionFact {
  type: string;
  incentive?: string | null;
  mpnId: string;
}

/**
 * Which partners (MPN IDs) get credit for a subscription in each metric group, given the attributions
 * active on it that day (the customer-to-partner association rules, ASSOCIATION_RULES):
 * CSP always earns both groups; a DPOR earns both unless a CPOR on the same subscription holds that
 * group (CPOR via OSA holds PERFORMANCE: net new revenue and net customer adds; via OSU holds USAGE:
 * new large deployments and MAU growth); DAP, PAL and a CPOR without incentive earn nothing.
 */
export function creditedPartners(attributions: readonly AttributionFact[]): Record<CreditGroup, string[]> {
  const out: Record<CreditGroup, Set<string>> = { PERFORMANCE: new Set(), USAGE: new Set() };
  const ruleOf = (a: AttributionFact) =>
    ASSOCIATION_RULES.filter((r) => r.type === a.type.toUpperCase() && (r.incentive === null || r.incentive === (a.incentive ?? '').toUpperCase()));
  const cporHolds = (group: CreditGroup) =>
    attributions.some((a) => a.type.toUpperCase() === 'CPOR' && ruleOf(a).some((r) => r.groups.includes(group)));
  for (const a of attributions) {
    for (const rule of ruleOf(a)) {
      for (const group of rule.groups) {
        if (rule.displacedByCpor && cporHolds(group)) continue;
        out[group].add(a.mpnId);
      }
    }
  }
  return { PERFORMANCE: [...out.PERFORMANCE].sort(), USAGE: [...out.USAGE].sort() };
}

/** Whether a partner with these MPN IDs gets credit for the subscription in a group. */
export function partnerCredited(attributions: readonly AttributionFact[], partnerMpnIds: readonly string[], group: CreditGroup): boolean {
  const credited = creditedPartners(attributions)[group];
  return credited.some((m) => partnerMpnIds.includes(m));
}

/**
 * The partner's market: the documentation separates partners "operating in developed markets" from
 * "those that operate exclusively in developing markets". So: Developing when the partner has
 * locations and every one of them is in a developing market; otherwise Developed (also with no
 * location on file). An explicit market argument overrides this.
 */
export function marketOfLocations(markets: readonly (string | null)[]): PciMarketKey {
  if (markets.length === 0) return 'Developed';
  return markets.every((m) => (m ?? '').trim().toLowerCase() === 'developing') ? 'Developing' : 'Developed';
}

/**
 * Default baseline snapshot for functional consultant growth. The documentation fixes October 1
 * (2020) and resets it at each annual competency renewal; the warehouse has no renewal dates, so the
 * baseline is the latest October 1 on or before the start of the trailing 12-month window
 * (the first day of the month 11 months before the as-of month). For an as-of month of 2026-10 that
 * is 2025-10-01; never earlier than the documented 2020-10-01.
 */
export function defaultBaseline(asOf: string): string {
  const [y, m] = asOf.split('-').map(Number);
  const windowStart = new Date(Date.UTC(y, m - 1 - 11, 1));
  const wy = windowStart.getUTCFullYear();
  const year = windowStart.getUTCMonth() >= 9 ? wy : wy - 1;
  const baseline = `${year}-10-01`;
  return baseline < DOCUMENTED_BASELINE_DATE ? DOCUMENTED_BASELINE_DATE : baseline;
}

/** One credential row of an individual. */
export interface CredentialFact {
  code: string;
  type?: string | null;
  name?: string | null;
  achievedDate: string;
  expiryDate?: string | null;
}

/**
 * Whether an individual holds the associate certification on `day` ("currently active"): the core
 * exam AND one of the others, each achieved on or before the day and not expired (expiry after the
 * day, or none); and when the individual has been issued the certification itself, at least one such
 * row is still unexpired (a lapsed certification no longer counts).
 */
export function holdsCertification(credentials: readonly CredentialFact[], rule: ExamRule, day: string): boolean {
  const active = (c: CredentialFact) => c.achievedDate <= day && (!c.expiryDate || c.expiryDate > day);
  const codes = new Set(credentials.filter(active).map((c) => c.code.toUpperCase()));
  if (!codes.has(rule.core) || !rule.anyOf.some((code) => codes.has(code))) return false;
  const pattern = new RegExp(rule.certificationName, 'i');
  const certs = credentials.filter((c) => (c.type ?? '').toLowerCase() === 'certification' && pattern.test(c.name ?? '') && c.achievedDate <= day);
  return certs.length === 0 || certs.some(active);
}

/** The indicators furthest from their thresholds: most points still to gain first, then lowest attainment. */
export function furthestFromThreshold<T extends { key: string; points: number; maxPoints: number }>(indicators: readonly T[]): T[] {
  return [...indicators]
    .filter((i) => i.points < i.maxPoints)
    .sort((a, b) => b.maxPoints - b.points - (a.maxPoints - a.points) || a.points / a.maxPoints - b.points / b.maxPoints || (a.key < b.key ? -1 : 1));
}
