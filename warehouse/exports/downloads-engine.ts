import type { Caller } from '../../core/caller';
import type { Warehouse } from '../db';
import type { Dataset } from './dataset';
import type { Job } from './downloads';
import { DATASETS, assertCanExport, exportToFile, findDataset, rolesAllowedToExport } from './index';
import type { ExportResult } from './types';

/**
 * What report downloads need from the export engine (warehouse/exports/index.ts), in one place:
 * the datasets, who may export them, and writing one to a file.
 */
export function allDatasets(): readonly Dataset[] {
  return DATASETS;
}

export function datasetNamed(name: string): Dataset | undefined {
  return DATASETS.some((d) => d.name === name) ? findDataset(name) : undefined;
}

/** Why the caller may not export the dataset (the engine's own error), or null when they may. */
export function exportDenied(caller: Caller, dataset: Dataset): Error | null {
  try {
    assertCanExport(caller, dataset);
    return null;
  } catch (err) {
    return err as Error;
  }
}

/** Names of the datasets the caller may export. */
export function exportableBy(caller: Caller): string[] {
  return DATASETS.filter((d) => exportDenied(caller, d) === null).map((d) => d.name);
}

/** The roles any one of which may export the dataset on its own. */
export function rolesFor(dataset: Dataset): string[] {
  return rolesAllowedToExport(dataset);
}

/** Writes a job's dataset to `file`, as its requester (their roles and locations). */
export function runExport(warehouse: Warehouse, job: Job, file: string): Promise<ExportResult> {
  return exportToFile(
    warehouse,
    job.caller,
    { dataset: job.dataset, format: job.format, range: job.timeframe ? { kind: job.timeframe } : null, filters: job.filters },
    file,
  );
}
