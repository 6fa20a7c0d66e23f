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

/** What `from` and `to` take, for the 400 of a value that is neither. */
export const INSTANT_SYNTAX =
  'a day YYYY-MM-DD or a datetime YYYY-MM-DDTHH:MM[:SS[.fff]] with Z, an offset (+02:00, written %2B02:00 in a URL) or no zone (UTC)';

const INSTANT = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+\- ]\d{2}:?\d{2})?)?$/i;

/**
 * A day or a datetime (`from`/`to` of a line-level export) as the UTC instant DuckDB compares
 * with, "YYYY-MM-DD HH:MM:SS.ffffff". A day is its midnight UTC; a datetime without a zone is UTC;
 * an offset is applied (a "+" a URL decoded to a space is read as "+"); fractions beyond
 * microseconds are cut. BAD_USER_INPUT naming the accepted forms otherwise, and for a date or time
 * that does not exist (2026-02-30, 24:00).
 */
export function parseInstant(text: string, name: 'from' | 'to'): string {
  const value = text.trim();
  const m = INSTANT.exec(value);
  const fail = () => badUserInput(`${name} "${value}" is not ${INSTANT_SYNTAX}; whole months: range=YYYY-MM..YYYY-MM`, name);
  if (!m) throw fail();
  const [, y, mo, d, h = '00', mi = '00', s = '00', fraction = '', zone = 'Z'] = m;
  const micros = (fraction + '000000').slice(0, 6);
  const local = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const check = new Date(local);
  if (
    check.getUTCFullYear() !== Number(y) || check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d) ||
    check.getUTCHours() !== Number(h) || check.getUTCMinutes() !== Number(mi) || check.getUTCSeconds() !== Number(s)
  ) {
    throw fail();
  }
  let offsetMinutes = 0;
  if (zone.toUpperCase() !== 'Z') {
    const z = /^([+\- ])(\d{2}):?(\d{2})$/.exec(zone)!;
    if (Number(z[2]) > 23 || Number(z[3]) > 59) throw fail();
    offsetMinutes = (z[1] === '-' ? -1 : 1) * (Number(z[2]) * 60 + Number(z[3]));
  }
  const utc = new Date(local - offsetMinutes * 60_000).toISOString();
  return `${utc.slice(0, 10)} ${utc.slice(11, 19)}.${micros}`;
}

/** The period of `from`/`to` query parameters (null when neither is given). */
export function parsePeriod(from: string | null | undefined, to: string | null | undefined): { from: string | null; to: string | null } | null {
  const given = (v: string | null | undefined) => v !== null && v !== undefined && v.trim() !== '';
  if (!given(from) && !given(to)) return null;
  return { from: given(from) ? parseInstant(from!, 'from') : null, to: given(to) ? parseInstant(to!, 'to') : null };
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

/** Checks range, filters and split against what the dataset takes (from/to: checkPeriodFor, warehouse/exports/index.ts). */
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

/** Range kinds as the URL writes them: LAST_3_MONTHS -> 3m, CUSTOM -> YYYY-MM..YYYY-MM. */
export function rangeAliases(kinds: readonly DateRangeKind[]): string {
  const alias: Record<DateRangeKind, string> = { LAST_3_MONTHS: '3m', LAST_6_MONTHS: '6m', LAST_12_MONTHS: '12m', LIFETIME: 'lifetime', CUSTOM: 'YYYY-MM..YYYY-MM' };
  return kinds.map((k) => alias[k]).join(', ');
}
