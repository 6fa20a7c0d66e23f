import { findMetric, type MetricDefinition } from '../insights/metrics';
import type { SeriesResult } from '../insights/run';
import type { ReportMonths } from './month';
import type { Comparison, KpiFigure, RankedItem } from './types';

/** YYYY-MM of a month's first day. */
export const ym = (month: string) => month.slice(0, 7);

/** The insights metric of the name (the report names only metrics that exist). */
export function metric(name: string): MetricDefinition {
  const m = findMetric(name);
  if (!m) throw new Error(`executive report: unknown insights metric ${name}`);
  return m;
}

/** % change, 1 decimal; null when the base is unknown or 0. */
export function changePercent(value: string, base: string | null): number | null {
  if (base === null || Number(base) === 0) return null;
  return Math.round(((Number(value) - Number(base)) / Number(base)) * 1000) / 10;
}

export function valueAt(series: SeriesResult['series'], month: string): string | null {
  return series.find((p) => p.month === ym(month))?.value ?? null;
}

function comparison(series: SeriesResult['series'], months: ReportMonths, against: string, firstMonth: string): Comparison {
  const value = against < firstMonth ? null : valueAt(series, against) ?? '0';
  return { value, changePercent: changePercent(valueAt(series, months.month) ?? '0', value) };
}

/** A KPI of the report month: its value, the changes against the previous month and year, and its series. */
export function kpiFigure(def: MetricDefinition, total: SeriesResult, months: ReportMonths, firstMonth: string): KpiFigure {
  return {
    name: def.name,
    title: def.title,
    definition: def.definition,
    unit: def.unit === 'USD' ? 'USD' : 'count',
    value: valueAt(total.series, months.month) ?? '0',
    vsPreviousMonth: comparison(total.series, months, months.previousMonth, firstMonth),
    vsPreviousYear: comparison(total.series, months, months.previousYear, firstMonth),
    series: total.series.map((p) => ({ month: p.month, value: p.value })),
  };
}

/** Largest value first, then by key. */
export function byValueDesc(a: RankedItem, b: RankedItem): number {
  return Number(b.value) - Number(a.value) || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0);
}
