import { REFERRAL_RESPONSE_DAYS, REFERRAL_STATUSES } from '../../core/vocabulary';
import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import { hasPermission } from '../../core/permissions';
import { isoTimestamp } from '../../core/sql';
import { now as clockNow } from '../clock';
import type { SqlRunner } from '../../core/sql';
import { effectiveReferrals } from '../referrals/referrals';
import { addMonths } from '../../core/dates';
import type { MetricRequest, MonthRange } from './compile';
import { findMetric } from './metrics';
import { REPORTS } from './reports';
import { runMetrics, percentOf, type MonthValue } from './run';

/**
 * Referral insights (Partner Center "Get referral insights", reference lines 9103-9174).
 *
 * Range: 3M (the page default), 6M, 1Y or Lifetime. "Now" is warehouse/clock (PI_TODAY); its month
 * is the current, in-progress month. N months = the N full months before the current month plus the
 * current month to date, so with now = June 15 and 3M the range is March..June, and the % change is
 * May (the last full month) vs March (the first full month), as the documentation's example says.
 * Lifetime starts at the month of the caller's first referral. A referral belongs to the month it
 * was created in (a cohort: "won" = created in the range and Won now).
 *
 * Summary: only the date range applies (the page filters do not), via the metrics of the
 * `referrals` report (metrics/referrals.ts, the `referral` fact). Everything else honours the page
 * filters (markets = customer countries, directions, sources, types, solutions) and reads
 * effectiveReferrals(now), so New referrals older than 14 days are Expired exactly as the referrals
 * API reports them. Every statement is scoped with scope(caller, 'r', 'r.mpn_id').
 *
 * SQL statements: 3 (the summary metrics, every section in one UNION ALL BY NAME, the pending
 * list), plus 1 for LIFETIME (the first month with referrals).
 */
export type ReferralRangeKind = 'LAST_3_MONTHS' | 'LAST_6_MONTHS' | 'LAST_12_MONTHS' | 'LIFETIME';

export interface ReferralInsightsFilters {
  /** Customer countries (the referral's CustomerCountry). */
  markets?: readonly string[] | null;
  /** Incoming | Outgoing */
  directions?: readonly string[] | null;
  /** Direct | Marketing qualified | Sales qualified | Unqualified */
  sources?: readonly string[] | null;
  /** Independent | Co-sell */
  types?: readonly string[] | null;
  solutions?: readonly string[] | null;
}

export interface ReferralRange extends MonthRange {
  kind: ReferralRangeKind;
  /** 'YYYY-MM'; null when the range has no full month (Lifetime starting this month). */
  firstFullMonth: string | null;
  lastFullMonth: string | null;
  /** The instant the range and the expiry rule are evaluated at (ISO). */
  now: string;
}

const MONTHS_BACK = { LAST_3_MONTHS: 3, LAST_6_MONTHS: 6, LAST_12_MONTHS: 12 } as const;

/** The months of a range as of `now`; `firstMonth` ('YYYY-MM-01') is the first month with referrals (Lifetime). */
export function referralRange(kind: ReferralRangeKind, now: Date, firstMonth: string | null): ReferralRange {
  const current = `${now.toISOString().slice(0, 7)}-01`;
  const from = kind === 'LIFETIME' ? (firstMonth && firstMonth < current ? firstMonth : current) : addMonths(current, -MONTHS_BACK[kind]);
  const lastFull = addMonths(current, -1);
  const hasFull = from <= lastFull;
  return {
    kind,
    from,
    to: current,
    asOf: current,
    firstFullMonth: hasFull ? from.slice(0, 7) : null,
    lastFullMonth: hasFull ? lastFull.slice(0, 7) : null,
    now: now.toISOString(),
  };
}

/** % change, last full month vs first full month: null without full months or from 0. */
export function fullMonthChange(series: readonly MonthValue[], range: ReferralRange): number | null {
  if (!range.firstFullMonth || !range.lastFullMonth) return null;
  const first = Number(series.find((p) => p.month === range.firstFullMonth)?.value ?? 0);
  const last = Number(series.find((p) => p.month === range.lastFullMonth)?.value ?? 0);
  return first === 0 ? null : Math.round(((last - first) * 100 * 100) / first) / 100;
}

export interface ReferralKpiResult {
  name: string;
  title: string;
  definition: string;
  unit: string;
  /** Total over the range (decimal string). */
  value: string;
  /** Last full month vs first full month of the range, %. */
  changePercent: number | null;
  series: MonthValue[];
}

export interface ReferralGroupResult {
  key: string;
  referrals: number;
  won: number;
  /** Won referrals' DealValueUsd, 2 decimals. */
  dealVolumeUsd: string;
  percentOfTotal: number | null;
}

export interface ReferralSolutionResult {
  solution: string;
  referrals: number;
  won: number;
  dealVolumeUsd: string;
  /** Deal volume / deals won, 2 decimals (half up); null without won deals. */
  averageDealSizeUsd: string | null;
  /** Won / referrals × 100, 2 decimals. */
  conversionRatePercent: number | null;
}

export interface ReferralInsightsResult {
  range: ReferralRange;
  summary: {
    referrals: ReferralKpiResult;
    won: ReferralKpiResult;
    /** Absent without seeDealValue (left out of the SQL). */
    dealVolumeUsd: ReferralKpiResult | undefined;
    bySource: ReferralGroupResult[];
    byDirection: ReferralGroupResult[];
  };
  solutions: ReferralSolutionResult[];
  funnel: { new: number; accepted: number; won: number };
  progression: { newToAcceptedDays: number | null; acceptedToWonDays: number | null; acceptedToLostDays: number | null; newToDeclinedDays: number | null };
  pending: { count: number; referrals: { id: string; customerName: string; createdAt: string; expiresAt: string }[] };
  locations: ReferralGroupResult[];
  statuses: { status: string; count: number }[];
  trend: { month: string; referrals: number; won: number }[];
}

/** At most this many pending referrals are listed (count is always the full count). */
export const PENDING_LIST_LIMIT = 100;

function filterConditions(filters: ReferralInsightsFilters | null | undefined): Sql[] {
  const out: Sql[] = [];
  const add = (values: readonly string[] | null | undefined, column: string) => {
    if (values && values.length) out.push(sql`r.${sql.raw(column)} IN ${sql.list([...values])}`);
  };
  add(filters?.markets, 'customer_country');
  add(filters?.directions, 'direction');
  add(filters?.sources, 'source');
  add(filters?.types, 'referral_type');
  add(filters?.solutions, 'solution');
  return out;
}

const WON = `r.status = 'Won'`;
/** Reached Accepted: accepted, or closed Won/Lost (which implies it was accepted). */
const ACCEPTED = `(r.accepted_at IS NOT NULL OR r.status IN ('Active', 'Won', 'Lost'))`;
const VOLUME = `coalesce(sum(r.deal_value_usd) FILTER (WHERE ${WON}), 0)::DECIMAL(38, 2)::VARCHAR`;
const days = (from: string, to: string) =>
  `avg((epoch(r.${to}) - epoch(r.${from})) / 86400.0) FILTER (WHERE r.${from} IS NOT NULL AND r.${to} IS NOT NULL)`;

interface SectionRow {
  section: string;
  key: string | null;
  n: string | number | null;
  accepted: string | number | null;
  won: string | number | null;
  pending: string | number | null;
  volume: string | null;
  d1: number | null;
  d2: number | null;
  d3: number | null;
  d4: number | null;
}

function roundDays(v: number | null): number | null {
  return v === null || v === undefined ? null : Math.round(Number(v) * 100) / 100;
}

/** Money division to 2 decimals, half up, on cents. */
function divideMoney(total: string, count: number): string | null {
  if (count === 0) return null;
  const [i, f = ''] = total.split('.');
  const neg = i.startsWith('-');
  const c = BigInt(i.replace('-', '') || '0') * 100n + BigInt((f + '00').slice(0, 2));
  const n = BigInt(count);
  const q = (c * 2n + n) / (2n * n);
  return `${neg ? '-' : ''}${q / 100n}.${String(q % 100n).padStart(2, '0')}`;
}

export async function runReferralInsights(
  db: SqlRunner,
  caller: Caller,
  args: {
    range?: ReferralRangeKind | null;
    filters?: ReferralInsightsFilters | null;
    /** "Now" (the request's, from the resolver); default warehouse/clock now() (CLI, exports). */
    now?: Date;
  },
): Promise<ReferralInsightsResult> {
  const at = args.now ?? clockNow();
  const kind = args.range ?? 'LAST_3_MONTHS';
  let firstMonth: string | null = null;
  if (kind === 'LIFETIME') {
    const [row] = await query<{ first: string | null }>(
      db,
      sql`SELECT strftime(min(r.created_at), '%Y-%m-01') AS first FROM referrals r WHERE ${scope(caller, 'r', 'r.mpn_id')}`,
    );
    firstMonth = row?.first ?? null;
  }
  const range = referralRange(kind, at, firstMonth);
  const seeDealValue = hasPermission(caller, 'seeDealValue');

  // 1. Summary: the referrals report's KPIs, date range only (no page filters), one statement.
  const names = REPORTS.referrals.kpis.filter((n) => n !== 'referralDealVolume' || seeDealValue);
  const requests: MetricRequest[] = names.map((n) => ({ metric: findMetric(n)!, range, filters: null }));
  const results = await runMetrics(db, caller, requests);
  const kpi = (name: string): ReferralKpiResult | undefined => {
    const i = names.indexOf(name);
    if (i < 0) return undefined;
    const m = findMetric(name)!;
    const r = results[i][0];
    return { name, title: m.title, definition: m.definition, unit: m.unit, value: r.value, changePercent: fullMonthChange(r.series, range), series: r.series };
  };

  // 2. Every section in one statement.
  const inRange = sql`${scope(caller, 'r', 'r.mpn_id')} AND r.created_at >= ${range.from}::DATE AND r.created_at < ${addMonths(range.to, 1)}::DATE`;
  const filtered = sql.and(filterConditions(args.filters));
  const group = (section: string, keyExpr: string, from: 'a' | 'f') =>
    `SELECT '${section}' AS section, coalesce(nullif(${keyExpr}, ''), 'Unknown') AS key, count(*) AS n, count(*) FILTER (WHERE ${WON}) AS won, ${VOLUME} AS volume FROM ${from} r GROUP BY ALL`;
  const sections = sql`WITH a AS (SELECT * FROM ${effectiveReferrals(at)} r WHERE ${inRange}),
      f AS (SELECT * FROM a r WHERE ${filtered})
    ${sql.raw(group('source', 'r.source', 'a'))}
    UNION ALL BY NAME ${sql.raw(group('direction', 'r.direction', 'a'))}
    UNION ALL BY NAME ${sql.raw(group('solution', 'r.solution', 'f'))}
    UNION ALL BY NAME ${sql.raw(group('country', 'r.customer_country', 'f'))}
    UNION ALL BY NAME SELECT 'status' AS section, r.status AS key, count(*) AS n FROM f r GROUP BY ALL
    UNION ALL BY NAME SELECT 'trend' AS section, strftime(r.created_at, '%Y-%m') AS key, count(*) AS n, count(*) FILTER (WHERE ${sql.raw(WON)}) AS won FROM f r GROUP BY ALL
    UNION ALL BY NAME SELECT 'totals' AS section, NULL AS key, count(*) AS n, count(*) FILTER (WHERE ${sql.raw(ACCEPTED)}) AS accepted,
        count(*) FILTER (WHERE ${sql.raw(WON)}) AS won, count(*) FILTER (WHERE r.status = 'New') AS pending,
        ${sql.raw(days('created_at', 'accepted_at'))} AS d1, ${sql.raw(days('accepted_at', 'won_at'))} AS d2,
        ${sql.raw(days('accepted_at', 'lost_at'))} AS d3, ${sql.raw(days('created_at', 'declined_at'))} AS d4
      FROM f r`;
  const rows = await query<SectionRow & Record<string, unknown>>(db, sections);

  // 3. The pending list: New and not yet expired (effective status New), most urgent first.
  const pendingRows = await query<{ id: string; customerName: string; createdAt: string; expiresAt: string }>(
    db,
    sql`SELECT r.referral_id AS id, r.customer_name AS "customerName", ${sql.raw(isoTimestamp('r.created_at'))} AS "createdAt",
          ${sql.raw(isoTimestamp(`r.created_at + INTERVAL ${REFERRAL_RESPONSE_DAYS} DAY`))} AS "expiresAt"
        FROM ${effectiveReferrals(at)} r WHERE ${inRange} AND ${filtered} AND r.status = 'New'
        ORDER BY r.created_at, r.referral_id LIMIT ${PENDING_LIST_LIMIT}`,
  );

  const num = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));
  const of = (section: string) => rows.filter((r) => r.section === section);
  const groups = (section: string): ReferralGroupResult[] => {
    const items = of(section).map((r) => ({ key: r.key ?? 'Unknown', referrals: num(r.n), won: num(r.won), dealVolumeUsd: r.volume ?? '0.00', percentOfTotal: null as number | null }));
    const total = items.reduce((a, b) => a + b.referrals, 0);
    for (const it of items) it.percentOfTotal = percentOf(String(it.referrals), String(total));
    return items.sort((a, b) => b.referrals - a.referrals || a.key.localeCompare(b.key));
  };
  const money = (v: string) => Number(v);
  const solutions: ReferralSolutionResult[] = groups('solution')
    .map((g) => ({
      solution: g.key,
      referrals: g.referrals,
      won: g.won,
      dealVolumeUsd: g.dealVolumeUsd,
      averageDealSizeUsd: divideMoney(g.dealVolumeUsd, g.won),
      conversionRatePercent: percentOf(String(g.won), String(g.referrals)),
    }))
    // Top solutions by won deal volume; callers who may not see deal values get them by deals won.
    .sort((a, b) => (seeDealValue ? money(b.dealVolumeUsd) - money(a.dealVolumeUsd) : 0) || b.won - a.won || a.solution.localeCompare(b.solution));
  const totals = of('totals')[0];
  const statusCounts = new Map(of('status').map((r) => [r.key, num(r.n)]));
  const trendRows = new Map(of('trend').map((r) => [r.key, r]));
  const trend: ReferralInsightsResult['trend'] = [];
  for (let m = range.from; m <= range.to; m = addMonths(m, 1)) {
    const r = trendRows.get(m.slice(0, 7));
    trend.push({ month: m.slice(0, 7), referrals: num(r?.n), won: num(r?.won) });
  }
  return {
    range,
    summary: { referrals: kpi('referrals')!, won: kpi('referralsWon')!, dealVolumeUsd: kpi('referralDealVolume'), bySource: groups('source'), byDirection: groups('direction') },
    solutions,
    funnel: { new: num(totals?.n), accepted: num(totals?.accepted), won: num(totals?.won) },
    progression: {
      newToAcceptedDays: roundDays(totals?.d1 ?? null),
      acceptedToWonDays: roundDays(totals?.d2 ?? null),
      acceptedToLostDays: roundDays(totals?.d3 ?? null),
      newToDeclinedDays: roundDays(totals?.d4 ?? null),
    },
    pending: { count: num(totals?.pending), referrals: pendingRows },
    locations: groups('country'),
    statuses: REFERRAL_STATUSES.map((status) => ({ status, count: statusCounts.get(status) ?? 0 })),
    trend,
  };
}
