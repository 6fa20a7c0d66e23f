import type { Caller } from '../../core/caller';
import { query } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';
import { assertPermission } from '../../core/permissions';
import { badUserInput } from '../../core/errors';
import { compileMetrics, dataMonths, resolveRange, type DateRangeInput, type InsightsFilters, type MetricRequest, type MonthRange } from './compile';
import type { Dimension } from './facts';
import { findMetric, METRICS, type MetricDefinition } from './metrics';

export interface MonthValue {
  /** 'YYYY-MM' */
  month: string;
  /** Decimal string: an integer for counts, 2 decimals for money. */
  value: string;
  /** % change vs the previous month of the range (null for the first month or from 0). */
  changePercent: number | null;
}

export interface SeriesResult {
  /** The split value ('All' when not split). */
  key: string;
  /** Range value: last month's (current counts) or the range's total (adds, churns, revenue). */
  value: string;
  /** Last month vs first month of the range, %; null when the first month is 0. */
  growthPercent: number | null;
  series: MonthValue[];
}

interface Row {
  req: number;
  dim: string;
  month: string;
  value: string;
  range_value: string;
  growth: number | null;
  change: number | null;
}

/** Runs several metric requests as ONE SQL statement; results in request order, groups by key. */
export async function runMetrics(db: SqlRunner, caller: Caller, requests: readonly MetricRequest[]): Promise<SeriesResult[][]> {
  if (requests.length === 0) return [];
  const rows = await query<Row & Record<string, unknown>>(db, compileMetrics(caller, requests));
  const out: SeriesResult[][] = requests.map(() => []);
  for (const r of rows) {
    const groups = out[Number(r.req)];
    let g = groups[groups.length - 1];
    if (!g || g.key !== r.dim) {
      g = { key: r.dim, value: r.range_value, growthPercent: r.growth, series: [] };
      groups.push(g);
    }
    g.series.push({ month: r.month, value: r.value, changePercent: r.change });
  }
  return out;
}

/** Share of a decimal string in a total, %, 2 decimals (display only; no money is summed here). */
export function percentOf(value: string, total: string): number | null {
  const t = Number(total);
  return t === 0 ? null : Math.round((Number(value) / t) * 10000) / 100;
}

export interface MetricRunRequest {
  name: string;
  range?: DateRangeInput | null;
  filters?: InsightsFilters | null;
  splitBy?: Dimension | null;
}

export interface MetricRunResult extends SeriesResult {
  definition: MetricDefinition;
  range: MonthRange;
  splitBy: Dimension | null;
  /** Per split value (empty when not split), each with its share of the total. */
  groups: (SeriesResult & { percentOfTotal: number | null })[];
}

/**
 * One metric by name, for GraphQL `metric`, exports and the executive report: checks the metric's
 * permission (FORBIDDEN naming the roles), resolves the range and runs two statements (the data
 * months, then the total and the split in one statement).
 */
export async function runMetric(db: SqlRunner, caller: Caller, request: MetricRunRequest): Promise<MetricRunResult> {
  const metric = findMetric(request.name);
  if (!metric) throw badUserInput(`unknown metric "${request.name}"; known: ${METRICS.map((m) => m.name).join(', ')}`, 'name');
  for (const permission of metric.permissions) assertPermission(caller, permission, `metric ${metric.name}`);
  const months = await dataMonths(db, caller);
  const range = resolveRange(request.range, months.asOf, months.firstMonth);
  const base = { metric, range, filters: request.filters };
  const requests: MetricRequest[] = [base];
  if (request.splitBy) requests.push({ ...base, splitBy: request.splitBy });
  const [[total], groups = []] = await runMetrics(db, caller, requests);
  return {
    ...total,
    definition: metric,
    range,
    splitBy: request.splitBy ?? null,
    groups: groups.map((g) => ({ ...g, percentOfTotal: percentOf(g.value, total.value) })),
  };
}

