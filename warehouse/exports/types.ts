import type { DateRangeInput, InsightsFilters } from '../insights/compile';
import type { Dimension } from '../insights/facts';

/**
 * The contract between the export engine (warehouse/exports), the report downloads (exports
 * subgraph), the HTTP route /exports/<dataset>.<format> and the CLI `export` command.
 */
export type ExportFormat = 'tsv' | 'csv' | 'parquet' | 'xlsx';

export const EXPORT_FORMATS: readonly ExportFormat[] = ['tsv', 'csv', 'parquet', 'xlsx'];

export interface ExportRequest {
  /** A dataset name from DATASETS (e.g. "customer-details", "focus", "insights.customers"). */
  dataset: string;
  format: ExportFormat;
  /** Timeframe; datasets without a timeframe ignore it. Default: LAST_12_MONTHS where it applies. */
  range?: DateRangeInput | null;
  filters?: InsightsFilters | null;
  /** Insights datasets only: split each month's value by this dimension (one row per split value). */
  splitBy?: Dimension | null;
  /**
   * Line-level datasets only, instead of `range`: rows from `from` (inclusive) to `to` (exclusive),
   * each an instant as parseInstant normalises it ("2026-09-01 00:00:00.000000", UTC); either may
   * be left open. What Power BI's incremental refresh binds (RangeStart, RangeEnd).
   */
  period?: Period | null;
}

export interface Period {
  from: string | null;
  to: string | null;
}

export interface ExportResult {
  /** The file written. */
  file: string;
  /** Suggested download name, e.g. "customer-details_2025-11_2026-10.tsv". */
  fileName: string;
  contentType: string;
  rows: number;
  bytes: number;
}

/**
 * Called now and then while a long export runs: rows so far (XLSX: rows written; CSV, TSV and
 * Parquet: rows DuckDB has processed, its own estimate) and, when DuckDB knows it, the percentage done.
 */
export type ExportProgress = (rowsWritten: number, percent?: number) => void;
