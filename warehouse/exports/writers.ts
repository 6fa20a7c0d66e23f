import { stat } from 'node:fs/promises';
import type ExcelJS from 'exceljs';
import type { Json } from '@duckdb/node-api';
import type { Sql } from '../../core/sql';
import { badUserInput } from '../../core/errors';
import type { Warehouse } from '../db';
import type { ColumnSpec, Dataset } from './dataset';
import type { ExportFormat, ExportProgress } from './types';

/**
 * The file writers. CSV, TSV and Parquet are written by DuckDB itself (`COPY (query) TO file`), so
 * no row passes through JavaScript; XLSX is streamed chunk by chunk from a DuckDB streaming result
 * into exceljs's streaming WorkbookWriter, which flushes each committed row to the zip stream.
 */
export const CONTENT_TYPES: Record<ExportFormat, string> = {
  tsv: 'text/tab-separated-values; charset=utf-8',
  csv: 'text/csv; charset=utf-8',
  parquet: 'application/vnd.apache.parquet',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/**
 * COPY options per format: a header row, RFC 4180 quoting, ISO dates; Parquet with zstd in row
 * groups of 30,720 rows (DuckDB buffers a row group per thread: with its default of 122,880, 6M
 * usage lines took 830 MB resident, with 30,720 550 MB, and the COPY was not slower).
 */
const COPY_OPTIONS: Record<Exclude<ExportFormat, 'xlsx'>, string> = {
  csv: `FORMAT csv, HEADER true, DELIMITER ','`,
  tsv: `FORMAT csv, HEADER true, DELIMITER '\t'`,
  parquet: `FORMAT parquet, COMPRESSION zstd, ROW_GROUP_SIZE 30720`,
};

/** `COPY (query) TO 'file' (options)`: the statement the product runs and the benchmark's bare baseline. */
export function copyStatement(queryText: string, file: string, format: Exclude<ExportFormat, 'xlsx'>): string {
  return `COPY (${queryText}) TO '${file.replace(/'/g, "''")}' (${COPY_OPTIONS[format]})`;
}

export interface Written {
  rows: number;
  bytes: number;
}

export async function writeFile(
  db: Warehouse,
  query: Sql,
  dataset: Pick<Dataset, 'columns' | 'unordered'>,
  format: ExportFormat,
  file: string,
  onProgress?: ExportProgress,
): Promise<Written> {
  const rows =
    format === 'xlsx'
      ? await writeXlsx(db, query, dataset.columns, file, onProgress)
      : await copyTo(db, query, format, file, dataset.unordered === true, onProgress);
  return { rows, bytes: (await stat(file)).size };
}

async function copyTo(
  db: Warehouse,
  query: Sql,
  format: Exclude<ExportFormat, 'xlsx'>,
  file: string,
  unordered: boolean,
  onProgress?: ExportProgress,
): Promise<number> {
  const { text, params } = query.toQuery();
  const progress = onProgress && ((p: { rowsProcessed: number; percentage: number }) => onProgress(p.rowsProcessed, p.percentage));
  const [result] = await db.runLong<{ Count: string | number }>(copyStatement(text, file, format), params, progress, { unordered });
  return Number(result?.Count ?? 0);
}

/** Excel's limit; a larger result needs CSV, TSV or Parquet. */
export const XLSX_MAX_ROWS = 1_048_575;

async function writeXlsx(db: Warehouse, query: Sql, columns: readonly ColumnSpec[], file: string, onProgress?: ExportProgress): Promise<number> {
  // Loaded by the first xlsx export, not with the server: exceljs and its zip and CSV libraries were
  // a fifth of the time a process took to load the gateway (~0.5 s a test suite).
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet('data', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.name, key: c.name, width: Math.max(12, Math.min(40, c.name.length + 4)), style: styleOf(c.type) }));
  const convert = columns.map((c) => converterFor(c.type));
  const { text, params } = query.toQuery();
  let rows = 0;
  for await (const chunk of db.chunks(text, params)) {
    if (rows + chunk.rows.length > XLSX_MAX_ROWS) {
      throw badUserInput(`the result has more than ${XLSX_MAX_ROWS.toLocaleString('en-US')} rows, more than an Excel sheet holds; export it as csv, tsv or parquet, or narrow the range or filters`, 'format');
    }
    for (const values of chunk.rows) sheet.addRow(values.map((v, i) => convert[i](v))).commit();
    rows += chunk.rows.length;
    onProgress?.(rows);
    await drained(workbook);
  }
  sheet.commit();
  await workbook.commit();
  return rows;
}

/**
 * Lets the zip stream catch up: committed rows are handed to the zip (deflate runs off the main
 * thread) and on to the file; waiting while the file stream is backed up keeps the rows in flight
 * to a few megabytes instead of letting a fast query outrun the disk.
 */
async function drained(workbook: ExcelJS.stream.xlsx.WorkbookWriter): Promise<void> {
  const out = (workbook as unknown as { stream?: NodeJS.WritableStream & { writableNeedDrain?: boolean } }).stream;
  if (out?.writableNeedDrain) await new Promise((resolve) => out.once('drain', resolve));
  else await new Promise((resolve) => setImmediate(resolve));
}

type Cell = string | number | boolean | Date | null;

/**
 * DuckDB values (JSON-safe: DECIMAL and BIGINT as strings) to Excel cells. Excel numbers are
 * doubles: DECIMAL amounts become numbers (exact to 15 significant digits, what Excel can hold);
 * dates and timestamps become Excel dates (UTC).
 */
function converterFor(type: string): (value: Json) => Cell {
  if (/^(DECIMAL|DOUBLE|FLOAT|REAL|BIGINT|INTEGER|SMALLINT|TINYINT|HUGEINT|UBIGINT|UINTEGER)/.test(type)) {
    return (v) => (v === null ? null : Number(v));
  }
  if (type === 'DATE') return (v) => (v === null ? null : new Date(`${String(v)}T00:00:00Z`));
  if (type.startsWith('TIMESTAMP')) return (v) => (v === null ? null : new Date(`${String(v).replace(' ', 'T')}${/Z|[+-]\d\d(:?\d\d)?$/.test(String(v)) ? '' : 'Z'}`));
  if (type === 'BOOLEAN') return (v) => (v === null ? null : Boolean(v));
  return (v) => (v === null ? null : typeof v === 'string' ? v : JSON.stringify(v));
}

function styleOf(type: string): Partial<ExcelJS.Style> {
  if (type === 'DATE') return { numFmt: 'yyyy-mm-dd' };
  if (type.startsWith('TIMESTAMP')) return { numFmt: 'yyyy-mm-dd hh:mm:ss' };
  const decimal = /^DECIMAL\(\d+,(\d+)\)$/.exec(type);
  if (decimal) return { numFmt: Number(decimal[1]) > 0 ? `0.${'0'.repeat(Math.min(2, Number(decimal[1])))}${'#'.repeat(Math.max(0, Number(decimal[1]) - 2))}` : '0' };
  return {};
}
