import { rm } from 'node:fs/promises';
import type { Caller } from '../../core/caller';
import { badUserInput, forbidden } from '../../core/errors';
import { hasPermission, rolesFor } from '../../core/permissions';
import type { Warehouse } from '../db';
import { dataMonths, resolveRange, type MonthRange } from '../insights/compile';
import type { Dataset } from './dataset';
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
import { pciDetails } from './datasets/pci';
import { usageLines } from './datasets/usage-lines';
import { checkRequestFor, parseFormat } from './request';
import type { ExportProgress, ExportRequest, ExportResult } from './types';
import { CONTENT_TYPES, writeFile } from './writers';

export * from './types';
export type { ColumnSpec, Dataset, DatasetContext, Timeframe } from './dataset';
export { parseFilters, parseFormat, parseRange, parseSplitBy, RANGE_SYNTAX } from './request';
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
  referrals,
  pciDetails,
];

export const DATASETS: readonly Dataset[] = [...REPORT_DATASETS, usageLines, focus, ...INSIGHTS_DATASETS];

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
}

/** The months a request covers (monthly datasets; LAST_12_MONTHS by default), null for snapshots. */
export async function resolveExportRange(db: Warehouse, caller: Caller, dataset: Dataset, request: ExportRequest): Promise<MonthRange | null> {
  if (dataset.timeframe.kind === 'none') return null;
  const months = await dataMonths(db, caller);
  return resolveRange(request.range ?? { kind: 'LAST_12_MONTHS' }, months.asOf, months.firstMonth);
}

/** "customer-details_2025-11_2026-10.tsv", "partner-profile.csv", "insights.customers_by-country_....xlsx". */
export function exportFileName(dataset: Dataset, request: ExportRequest, range: MonthRange | null): string {
  const split = request.splitBy ? `_by-${request.splitBy}` : '';
  const months = range ? `_${range.from.slice(0, 7)}_${range.to.slice(0, 7)}` : '';
  return `${dataset.name}${split}${months}.${request.format}`;
}

/**
 * Writes one dataset for a caller to `file`: checks the request (dataset, format, range, filters:
 * BAD_USER_INPUT naming what is allowed) and the caller's roles (FORBIDDEN naming the roles), builds
 * the dataset's SQL scoped to the caller's partner and locations and writes it (DuckDB COPY for
 * CSV, TSV and Parquet, a streamed workbook for XLSX). A failed export leaves no file behind.
 */
export async function exportToFile(
  db: Warehouse,
  caller: Caller,
  request: ExportRequest,
  file: string,
  onProgress?: ExportProgress,
): Promise<ExportResult> {
  const dataset = findDataset(request.dataset);
  const format = parseFormat(request.format);
  assertCanExport(caller, dataset);
  const filters = request.filters ?? {};
  checkRequestFor(dataset, request.range, filters, request.splitBy ?? null);
  const range = await resolveExportRange(db, caller, dataset, request);
  const query = await dataset.query({ caller, range, filters, splitBy: request.splitBy ?? null, db });
  try {
    const { rows, bytes } = await writeFile(db, query, dataset, format, file, onProgress);
    return { file, fileName: exportFileName(dataset, { ...request, format }, range), contentType: CONTENT_TYPES[format], rows, bytes };
  } catch (err) {
    await rm(file, { force: true });
    throw err;
  }
}
