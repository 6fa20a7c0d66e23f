import { badUserInput } from '../../core/errors';
import type { DateRangeInput, DateRangeKind, InsightsFilters } from '../insights/compile';
import { DIMENSIONS, type Dimension } from '../insights/facts';
import type { Dataset, FilterName } from './dataset';
import { EXPORT_FORMATS, type ExportFormat } from './types';

/**
 * Export requests from text (URL query strings and CLI flags) and their validation against a
 * dataset. Every error names what is allowed, as BAD_USER_INPUT (HTTP 400).
 */
const RANGE_ALIASES: Record<string, DateRangeKind> = {
  '3m': 'LAST_3_MONTHS',
  '6m': 'LAST_6_MONTHS',
  '12m': 'LAST_12_MONTHS',
  lifetime: 'LIFETIME',
  last_3_months: 'LAST_3_MONTHS',
  last_6_months: 'LAST_6_MONTHS',
  last_12_months: 'LAST_12_MONTHS',
};

export const RANGE_SYNTAX = '3m, 6m, 12m, lifetime or YYYY-MM..YYYY-MM';

/** "3m" | "6m" | "12m" | "lifetime" | "LAST_3_MONTHS" ... | "2026-01..2026-06" (CUSTOM). */
export function parseRange(text: string | null | undefined): DateRangeInput | null {
  if (text === null || text === undefined || text.trim() === '') return null;
  const value = text.trim();
  const kind = RANGE_ALIASES[value.toLowerCase()];
  if (kind) return { kind };
  const custom = /^(\d{4}-\d{2})\.\.(\d{4}-\d{2})$/.exec(value);
  if (custom) return { kind: 'CUSTOM', from: custom[1], to: custom[2] };
  throw badUserInput(`range "${value}" is not one of ${RANGE_SYNTAX}`, 'range');
}

export function parseFormat(text: string | null | undefined): ExportFormat {
  const value = (text ?? '').trim().toLowerCase();
  if ((EXPORT_FORMATS as readonly string[]).includes(value)) return value as ExportFormat;
  throw badUserInput(`unknown format "${text ?? ''}"; formats: ${EXPORT_FORMATS.join(', ')}`, 'format');
}

/** Filter parameter names (URL and CLI), each a comma-separated list of values. */
export const FILTER_PARAMS: readonly FilterName[] = ['productFamilies', 'customerCountries', 'attributionTypes', 'locationMpnIds', 'salesChannels', 'segments'];

/** Reads the filters from query parameters (`customerCountries=US,DE`); other parameters are ignored here. */
export function parseFilters(params: URLSearchParams): InsightsFilters {
  const filters: InsightsFilters = {};
  for (const name of FILTER_PARAMS) {
    const values = params.getAll(name).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
    if (values.length) filters[name] = values;
  }
  return filters;
}

export function parseSplitBy(text: string | null | undefined): Dimension | null {
  if (!text) return null;
  if ((DIMENSIONS as readonly string[]).includes(text)) return text as Dimension;
  throw badUserInput(`unknown splitBy "${text}"; dimensions: ${DIMENSIONS.join(', ')}`, 'splitBy');
}

/** Checks range, filters and split against what the dataset takes. */
export function checkRequestFor(dataset: Dataset, range: DateRangeInput | null | undefined, filters: InsightsFilters, splitBy: Dimension | null): void {
  if (dataset.timeframe.kind === 'none') {
    if (range) throw badUserInput(`${dataset.name} is a snapshot and takes no range; leave it out`, 'range');
  } else if (range?.kind && !dataset.timeframe.ranges.includes(range.kind)) {
    throw badUserInput(`${dataset.name} takes the ranges ${dataset.timeframe.ranges.join(', ')}, not ${range.kind}`, 'range');
  }
  for (const [name, values] of Object.entries(filters)) {
    if (values && values.length && !(name in dataset.filters)) {
      const allowed = Object.keys(dataset.filters);
      throw badUserInput(`${dataset.name} cannot be filtered by ${name}; ${allowed.length ? `it takes ${allowed.join(', ')}` : 'it takes no filters'}`, name);
    }
  }
  if (splitBy && !dataset.splittable) throw badUserInput(`${dataset.name} cannot be split; only insights.* datasets take splitBy`, 'splitBy');
}
