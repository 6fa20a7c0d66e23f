import { rm } from 'node:fs/promises';
import type { Caller } from '../../core/caller';
import { badUserInput, forbidden } from '../../core/errors';
import { hasPermission, rolesFor } from '../../core/permissions';
import type { Warehouse } from '../db';
import type { SqlRunner } from '../../core/sql';
import { assertCompanyWide } from '../insights/company-wide';
import { dataMonths, resolveRange, type InsightsFilters } from '../insights/compile';
import type { Dimension } from '../insights/facts';
import { isLineLevel, type Dataset } from './dataset';
import { focus } from './datasets/focus';
import { INSIGHTS_DATASETS } from './datasets/insights';
import {
  azureUsage,
  customerDetails,
  dynamics365LicenseUsage,
  enterpriseMobilityLicenseUsage,
  office365LicenseUsage,
  partnerProfile,
  powerBiLicenseUsage,
  referrals,
  subscriptionDetails,
  trainings,
} from './datasets/partner-center';
import { microsoftLearn } from './datasets/microsoft-learn';
import { competenciesSummaryAndHistory } from './datasets/competencies';
import { competenciesPerformanceDetails } from './datasets/competency-performance';
import { customerPartnerRelationships } from './datasets/partner-relationships';
import { pciDetails } from './datasets/pci';
import { usageLines } from './datasets/usage-lines';
import { checkRequestFor, parseFormat, rangeAliases } from './request';
import type { ExportFormat, ExportProgress, ExportRequest, ExportResult } from './types';
import type { ExportRange } from './filters';
import { CONTENT_TYPES, writeFile } from './writers';

export * from './types';
export type { ColumnSpec, Dataset, DatasetContext, Timeframe } from './dataset';
export { isLineLevel } from './dataset';
export type { ExactBounds, ExportRange } from './filters';
export { INSTANT_SYNTAX, parseFilters, parseFormat, parseInstant, parsePeriod, parseRange, parseSplitBy, RANGE_SYNTAX } from './request';
export { CONTENT_TYPES, copyStatement } from './writers';
export { FOCUS_1_2_COLUMNS, FOCUS_VERSION } from './focus-spec';

/**
 * The export engine: every dataset a partner can take to a BI tool, and exportToFile, which writes
 * one for a caller (the HTTP route /exports/<dataset>.<format>, the CLI `export` command and the
 * report downloads all call it).
 */
export const REPORT_DATASETS: readonly Dataset[] = [
  partnerProfile,
  customerDetails,
  subscriptionDetails,
  azureUsage,
  office365LicenseUsage,
  enterpriseMobilityLicenseUsage,
  dynamics365LicenseUsage,
  powerBiLicenseUsage,
  trainings,
  microsoftLearn,
  competenciesSummaryAndHistory,
  competenciesPerformanceDetails,
  referrals,
  pciDetails,
];

export const DATASETS: readonly Dataset[] = [...REPORT_DATASETS, customerPartnerRelationships, usageLines, focus, ...INSIGHTS_DATASETS];

const BY_NAME = new Map(DATASETS.map((d) => [d.name, d]));
if (BY_NAME.size !== DATASETS.length) throw new Error('duplicate export dataset names');

/** The dataset of that name, or BAD_USER_INPUT listing the names. */
export function findDataset(name: string): Dataset {
  const dataset = BY_NAME.get(name);
  if (!dataset) throw badUserInput(`unknown dataset "${name}"; datasets: ${DATASETS.map((d) => d.name).join(', ')}`, 'dataset');
  return dataset;
}

/** The roles that hold every permission the dataset needs. */
export function rolesAllowedToExport(dataset: Dataset): string[] {
  const [first, ...rest] = dataset.permissions;
  return rolesFor(first).filter((role) => rest.every((p) => (rolesFor(p) as readonly string[]).includes(role)));
}

/** FORBIDDEN naming the roles that may export the dataset, unless the caller holds every permission it needs. */
export function assertCanExport(caller: Caller, dataset: Dataset): void {
  const missing = dataset.permissions.find((p) => !hasPermission(caller, p));
  if (missing) {
    const contains = dataset.contains.length ? ` (it contains ${dataset.contains.join(' and ')})` : '';
    throw forbidden(`exporting ${dataset.name}${contains}`, rolesAllowedToExport(dataset), missing);
  }
  if (dataset.companyWide) assertCompanyWide(caller, `exporting ${dataset.name}`);
}

/**
 * The range a request covers: the months (monthly datasets; LAST_12_MONTHS by default), and for a
 * line-level request with from/to its exact bounds too (the months then span them: the first month
 * of data or of `from`, to the as-of month or the month of `to`); null for snapshots.
 */
export async function resolveExportRange(db: SqlRunner, caller: Caller, dataset: Dataset, request: ExportRequest): Promise<ExportRange | null> {
  if (dataset.timeframe.kind === 'none') return null;
  const months = await dataMonths(db, caller);
  const { period } = request;
  if (period && (period.from !== null || period.to !== null)) {
    const monthOf = (instant: string) => `${instant.slice(0, 7)}-01`;
    // `to` is exclusive: its month is the last one only if it is past that month's first instant.
    const lastMonth = period.to === null ? months.asOf : monthOf(new Date(Date.parse(`${period.to.replace(' ', 'T').slice(0, 23)}Z`) - 1).toISOString());
    return {
      from: period.from === null ? months.firstMonth : monthOf(period.from),
      to: lastMonth,
      asOf: months.asOf,
      exact: { from: period.from, until: period.to },
    };
  }
  return resolveRange(request.range ?? { kind: 'LAST_12_MONTHS' }, months.asOf, months.firstMonth);
}

/**
 * "customer-details_2025-11_2026-10.tsv", "partner-profile.csv", "insights.customers_by-country_....xlsx";
 * from/to: "usage-lines_2026-09-01_2026-10-01.csv" (days at midnight), "..._2026-09-01T120000Z_...",
 * "start" and "end" for an open side.
 */
export function exportFileName(dataset: Dataset, request: Pick<ExportRequest, 'splitBy' | 'format'>, range: ExportRange | null): string {
  const split = request.splitBy ? `_by-${request.splitBy}` : '';
  const instant = (value: string | null, open: string) =>
    value === null ? open : value.endsWith(' 00:00:00.000000') ? value.slice(0, 10) : `${value.slice(0, 10)}T${value.slice(11, 19).replaceAll(':', '')}Z`;
  const months = !range ? '' : range.exact ? `_${instant(range.exact.from, 'start')}_${instant(range.exact.until, 'end')}` : `_${range.from.slice(0, 7)}_${range.to.slice(0, 7)}`;
  return `${dataset.name}${split}${months}.${request.format}`;
}

/** The line-level datasets, which take from/to (isLineLevel). */
export const LINE_LEVEL_DATASETS: readonly string[] = DATASETS.filter(isLineLevel).map((d) => d.name);

/** from/to: line-level datasets only, not with range, from before to. BAD_USER_INPUT naming what is allowed. */
export function checkPeriodFor(dataset: Dataset, request: Pick<ExportRequest, 'range' | 'period'>): void {
  const { period, range } = request;
  if (!period || (period.from === null && period.to === null)) return;
  if (!isLineLevel(dataset)) {
    const instead = dataset.timeframe.kind === 'none' ? 'it is a snapshot and takes no timeframe' : `use range (${rangeAliases(dataset.timeframe.ranges)})`;
    throw badUserInput(
      `${dataset.name} takes no from/to: day and datetime bounds are for the line-level datasets (${LINE_LEVEL_DATASETS.join(', ')}); ${instead}`,
      period.from !== null ? 'from' : 'to',
    );
  }
  if (range) throw badUserInput('use either range or from/to, not both', 'range');
  if (period.from !== null && period.to !== null && period.from >= period.to) {
    throw badUserInput(`from (${period.from} UTC) must be before to (${period.to} UTC): to is exclusive, the first instant left out`, 'to');
  }
}

/**
 * An export request checked and resolved, before anything is written: what the HTTP route needs to
 * answer HEAD and conditional requests (warehouse/exports/validators.ts) without running the export.
 */
export interface PreparedExport {
  dataset: Dataset;
  format: ExportFormat;
  filters: InsightsFilters;
  splitBy: Dimension | null;
  range: ExportRange | null;
  fileName: string;
  contentType: string;
}

/**
 * Checks a request for a caller: dataset, format, range or from/to, filters (BAD_USER_INPUT naming
 * what is allowed) and the caller's roles (FORBIDDEN naming the roles), and resolves its range (one
 * small read). Nothing is written.
 */
export async function prepareExport(db: SqlRunner, caller: Caller, request: ExportRequest): Promise<PreparedExport> {
  const dataset = findDataset(request.dataset);
  const format = parseFormat(request.format);
  assertCanExport(caller, dataset);
  const filters = request.filters ?? {};
  const splitBy = request.splitBy ?? null;
  checkPeriodFor(dataset, request);
  checkRequestFor(dataset, request.range, filters, splitBy);
  const range = await resolveExportRange(db, caller, dataset, request);
  return { dataset, format, filters, splitBy, range, fileName: exportFileName(dataset, { splitBy, format }, range), contentType: CONTENT_TYPES[format] };
}

export interface WriteOptions {
  onProgress?: ExportProgress;
  /** Stops the export's DuckDB work (interrupted) when it aborts, throwing its reason: a client that went away. */
  signal?: AbortSignal;
}

/**
 * Writes a prepared export to `file`: builds the dataset's SQL scoped to the caller's partner and
 * locations and writes it (DuckDB COPY for CSV, TSV and Parquet, a streamed workbook for XLSX). A
 * failed or stopped export leaves no file behind.
 */
export async function writeExport(db: Warehouse, caller: Caller, prepared: PreparedExport, file: string, options: WriteOptions = {}): Promise<ExportResult> {
  const { dataset, format, range, filters, splitBy } = prepared;
  try {
    options.signal?.throwIfAborted();
    const query = await dataset.query({ caller, range, filters, splitBy, db });
    const { rows, bytes } = await writeFile(db, query, dataset, format, file, options);
    return { file, fileName: prepared.fileName, contentType: prepared.contentType, rows, bytes };
  } catch (err) {
    await rm(file, { force: true });
    throw err;
  }
}

/**
 * Writes one dataset for a caller to `file`: prepareExport, then writeExport. The CLI and the
 * report downloads call it; the HTTP route calls the two itself (validators in between).
 */
export async function exportToFile(
  db: Warehouse,
  caller: Caller,
  request: ExportRequest,
  file: string,
  onProgress?: ExportProgress,
  signal?: AbortSignal,
): Promise<ExportResult> {
  const prepared = await prepareExport(db, caller, request);
  return writeExport(db, caller, prepared, file, { onProgress, signal });
}
