import type { Caller } from '../../core/caller';
import type { Sql } from '../../core/sql';
import type { Permission } from '../../core/permissions';
import type { SqlRunner } from '../../core/sql';
import type { DateRangeKind, InsightsFilters, MonthRange } from '../insights/compile';
import type { Dimension } from '../insights/facts';

/**
 * One exportable dataset, declared as data: what it is, who may export it, its timeframe, its
 * columns (the contract a BI model is built on: names and DuckDB types never change within a
 * release line; test/exports checks the query's actual output against this declaration) and the
 * SQL that produces it, scoped to the caller.
 */
export interface ColumnSpec {
  /** Column name in the file, exactly. */
  name: string;
  /** DuckDB type of the column, as DESCRIBE prints it (e.g. "DECIMAL(18,6)", "DATE", "VARCHAR"). */
  type: string;
  description: string;
}

export type Timeframe =
  /** No date range: a snapshot (the documented "no aggregation or lookback"). */
  | { kind: 'none' }
  /** Rows by month over a date range; `ranges` lists the allowed range kinds (default LAST_12_MONTHS). */
  | { kind: 'monthly'; ranges: readonly DateRangeKind[] };

/** What a dataset holds that not every reporting role may see (schema/common/permissions.ts). */
export type SensitiveData = 'revenue' | 'personal data' | 'billing';

export type FilterName = keyof InsightsFilters;

export interface DatasetContext {
  caller: Caller;
  /** The resolved months (monthly datasets), null for snapshots. */
  range: MonthRange | null;
  filters: InsightsFilters;
  splitBy: Dimension | null;
  /** For datasets computed in part outside SQL (PCI): the warehouse to read. */
  db: SqlRunner;
}

export interface Dataset {
  /** URL and CLI name, e.g. "customer-details". */
  name: string;
  /** As Partner Center's Download reports names it, e.g. "Customer details". */
  title: string;
  description: string;
  timeframe: Timeframe;
  /** Every permission needed, all of them: a base permission plus one per kind of sensitive data. */
  permissions: readonly Permission[];
  contains: readonly SensitiveData[];
  /**
   * Rows that belong to the company, not to a location (competencies): a location-scoped caller may
   * not export it (warehouse/insights/company-wide.ts), whatever its roles.
   */
  companyWide?: boolean;
  /** Page filters the dataset takes, with the SQL column each one filters on (constants). */
  filters: Partial<Record<FilterName, string>>;
  /** Whether ?splitBy applies (Insights datasets). */
  splittable?: boolean;
  columns: readonly ColumnSpec[];
  /**
   * Line-level datasets (millions of rows, no ORDER BY): written in no particular order, which keeps
   * DuckDB's memory bounded (Warehouse.runLong `unordered`). Every other dataset is sorted.
   */
  unordered?: boolean;
  /** Insights datasets: the dimensions ?splitBy takes (the metric's). */
  dimensions?: readonly Dimension[];
  /**
   * The warehouse tables (and views) the rows come from, for the export's validators (ETag,
   * Last-Modified: warehouse/exports/validators.ts). Undeclared: every table that changes outside
   * the loader is taken to feed it. test/exports/validators.suite.ts checks that the tables the
   * query names are declared.
   */
  reads?: readonly string[];
  /**
   * How the rows change with the passage of time alone (no write to the warehouse), for the
   * validators: `day`, with today's date (UTC, PI_TODAY); or a statement answering one row
   * `{ "key", "at" }` (quoted: reserved words) that changes (key) whenever time changes the rows, and the latest instant it did
   * (at). Undeclared: the rows depend on the data only (the resolved range is part of the request).
   */
  asOf?: 'day' | ((caller: Caller, now: Date) => Sql);
  /** The SELECT giving exactly `columns`, scoped to the caller. */
  query(ctx: DatasetContext): Sql | Promise<Sql>;
}

/**
 * Line-level datasets (the unordered ones: usage lines, FOCUS) take day and datetime bounds,
 * `from`/`to`, besides the month ranges: what Power BI's incremental refresh binds (RangeStart,
 * RangeEnd).
 */
export function isLineLevel(dataset: Pick<Dataset, 'unordered'>): boolean {
  return dataset.unordered === true;
}

/** Shorthand for column lists: [name, type, description]. */
export function columns(list: readonly (readonly [string, string, string])[]): ColumnSpec[] {
  return list.map(([name, type, description]) => ({ name, type, description }));
}

/** The documented report timeframes: 3, 6, 12 months and lifetime. Every monthly dataset defaults to LAST_12_MONTHS. */
export const REPORT_RANGES: readonly DateRangeKind[] = ['LAST_3_MONTHS', 'LAST_6_MONTHS', 'LAST_12_MONTHS', 'LIFETIME'];
/** Line-level and Insights datasets also take any month range (CUSTOM). */
export const ANY_RANGE: readonly DateRangeKind[] = ['LAST_3_MONTHS', 'LAST_6_MONTHS', 'LAST_12_MONTHS', 'LIFETIME', 'CUSTOM'];
