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

export interface WriteFileOptions {
  onProgress?: ExportProgress;
  /** Interrupts the export's DuckDB statement when it aborts (its reason is thrown). */
  signal?: AbortSignal;
}

export async function writeFile(
  db: Warehouse,
  query: Sql,
  dataset: Pick<Dataset, 'name' | 'columns' | 'unordered'>,
  format: ExportFormat,
  file: string,
  options: WriteFileOptions = {},
): Promise<Written> {
  const rows =
    format === 'xlsx'
      ? await writeXlsx(db, query, dataset, file, options)
      : await copyTo(db, query, format, file, dataset.unordered === true, options);
  return { rows, bytes: (await stat(file)).size };
}

async function copyTo(db: Warehouse, query: Sql, format: Exclude<ExportFormat, 'xlsx'>, file: string, unordered: boolean, options: WriteFileOptions): Promise<number> {
  const { onProgress, signal } = options;
  const { text, params } = query.toQuery();
  const progress = onProgress && ((p: { rowsProcessed: number; percentage: number }) => onProgress(p.rowsProcessed, p.percentage));
  const [result] = await db.runLong<{ Count: string | number }>(copyStatement(text, file, format), params, progress, { unordered, signal });
  return Number(result?.Count ?? 0);
}

/** Excel's limit; a larger result needs CSV, TSV or Parquet. */
export const XLSX_MAX_ROWS = 1_048_575;

/**
 * The workbook: one sheet named after the dataset (xlsxSheetName), the header row frozen, and the
 * rows as an Excel table (header filter buttons, banded rows) named after the dataset too
 * (xlsxTableName). exceljs's streaming writer has no tables (only its in-memory Workbook does), so
 * the table is added to the stream here (addStreamedTable): its part, the sheet's relationship to it
 * and its content type; should exceljs's writer ever lack what that needs, the sheet gets an
 * autoFilter on the same range instead (the same filter buttons, no table).
 */
async function writeXlsx(db: Warehouse, query: Sql, dataset: Pick<Dataset, 'name' | 'columns'>, file: string, options: WriteFileOptions): Promise<number> {
  const { onProgress, signal } = options;
  const { columns } = dataset;
  // Loaded by the first xlsx export, not with the server: exceljs and its zip and CSV libraries were
  // a fifth of the time a process took to load the gateway (~0.5 s a test suite).
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({ filename: file, useStyles: true, useSharedStrings: false });
  const sheet = workbook.addWorksheet(xlsxSheetName(dataset.name), { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = columns.map((c) => ({ header: c.name, key: c.name, width: Math.max(12, Math.min(40, c.name.length + 4)), style: styleOf(c.type) }));
  const convert = columns.map((c) => converterFor(c.type));
  const { text, params } = query.toQuery();
  let rows = 0;
  try {
    for await (const chunk of db.chunks(text, params, { signal })) {
      if (rows + chunk.rows.length > XLSX_MAX_ROWS) {
        throw badUserInput(`the result has more than ${XLSX_MAX_ROWS.toLocaleString('en-US')} rows, more than an Excel sheet holds; export it as csv, tsv or parquet, or narrow the range or filters`, 'format');
      }
      for (let r = 0; r < chunk.rows.length; r++) {
        sheet.addRow(chunk.rows[r].map((v, i) => convert[i](v))).commit();
        // Writing rows is synchronous work: the other requests (and this one's client leaving) get
        // the event loop every XLSX_ROWS_PER_TURN rows, not only between DuckDB's 2,048-row chunks.
        if (r % XLSX_ROWS_PER_TURN === XLSX_ROWS_PER_TURN - 1) {
          await new Promise((resolve) => setImmediate(resolve));
          signal?.throwIfAborted();
        }
      }
      rows += chunk.rows.length;
      onProgress?.(rows);
      await drained(workbook, signal);
      signal?.throwIfAborted();
    }
    const range = `A1:${columnLetter(columns.length)}${Math.max(rows + 1, 2)}`;
    if (!addStreamedTable(workbook, sheet, xlsxTableName(dataset.name), columns, range)) sheet.autoFilter = range;
    sheet.commit();
  } catch (err) {
    // Stopped or failed: the zip is abandoned and the file closed at once (the engine removes it);
    // committing would first write out all the rows still buffered.
    await discard(workbook);
    throw err;
  }
  await workbook.commit();
  return rows;
}

/** Rows an XLSX export writes before it lets the event loop turn (about 10-20 ms of work). */
const XLSX_ROWS_PER_TURN = 256;

/** Abandons a streamed workbook: its zip stops and its file stream is closed (exceljs's own members). */
async function discard(workbook: object): Promise<void> {
  const { zip, stream } = workbook as { zip?: { abort?: () => void }; stream?: NodeJS.WritableStream & { destroy?: () => void; closed?: boolean } };
  zip?.abort?.();
  if (!stream?.destroy || stream.closed) return;
  await new Promise<void>((resolve) => {
    stream.once('close', () => resolve());
    stream.destroy!();
  });
}

/**
 * A sheet name from a dataset name: Excel's rules (at most 31 characters; none of : \ / ? * [ ];
 * not starting or ending with an apostrophe; not "History", which Excel reserves).
 */
export function xlsxSheetName(name: string): string {
  let sheet = name.replace(/[:\\/?*[\]]/g, '_').replace(/^'+|'+$/g, '').slice(0, 31).replace(/'+$/, '');
  if (sheet.trim() === '') sheet = 'data';
  return sheet.toLowerCase() === 'history' ? 'History_' : sheet;
}

/**
 * A table name from a dataset name: letters, digits, underscores and periods, starting with a
 * letter or underscore, never a cell reference (A1, R1C1) nor R or C alone; at most 255 characters.
 */
export function xlsxTableName(name: string): string {
  let table = name.replace(/[^A-Za-z0-9_.]/g, '_').slice(0, 255);
  if (!/^[A-Za-z_]/.test(table)) table = `_${table}`.slice(0, 255);
  if (/^[A-Za-z]{1,3}\d+$/.test(table) || /^[RC]\d*$/i.test(table) || /^R\d*C\d*$/i.test(table)) table = `_${table}`;
  return table;
}

/** 1 -> A, 26 -> Z, 27 -> AA. */
export function columnLetter(n: number): string {
  let letters = '';
  for (let i = n; i > 0; i = Math.floor((i - 1) / 26)) letters = String.fromCharCode(65 + ((i - 1) % 26)) + letters;
  return letters;
}

const TABLE_PART = 'xl/tables/table1.xml';
const TABLE_CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml';
const TABLE_RELATIONSHIP = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships/table';

/** exceljs's streaming writer, as far as a streamed table needs it (its own, undocumented members). */
interface StreamingInternals {
  zip?: { append(data: string, options: { name: string }): unknown };
  addContentTypes?: () => Promise<void>;
}
interface SheetInternals {
  _sheetRelsWriter?: { addRelationship(rel: { Type: string; Target: string }): string };
  _writeCloseWorksheet?: () => void;
  _write?: (text: string) => void;
}

/**
 * Adds the sheet's rows as an Excel table to a streamed workbook, before the sheet is committed:
 * the table part (xl/tables/table1.xml: its range, the header's column names, a filter on every
 * column, a built-in style), the sheet's relationship to it and its <tableParts> element (the last
 * in a worksheet, written just before </worksheet>), and its content type in [Content_Types].xml.
 * False, having changed nothing, when the writer lacks one of the members it uses.
 */
function addStreamedTable(workbook: object, sheet: object, name: string, columns: readonly ColumnSpec[], range: string): boolean {
  const book = workbook as StreamingInternals;
  const ws = sheet as SheetInternals;
  const relationships = ws._sheetRelsWriter;
  const closeWorksheet = ws._writeCloseWorksheet;
  const write = ws._write;
  const addContentTypes = book.addContentTypes;
  if (!book.zip || !addContentTypes || !relationships?.addRelationship || !closeWorksheet || !write) return false;
  const zip = book.zip;
  const rId = relationships.addRelationship({ Type: TABLE_RELATIONSHIP, Target: `../tables/${TABLE_PART.split('/').pop()}` });
  ws._writeCloseWorksheet = () => {
    write.call(sheet, `<tableParts count="1"><tablePart r:id="${rId}"/></tableParts>`);
    closeWorksheet.call(sheet);
  };
  zip.append(tableXml(name, columns, range), { name: TABLE_PART });
  book.addContentTypes = () => {
    const append = zip.append;
    zip.append = (data, options) => {
      zip.append = append;
      const xml = options.name === '[Content_Types].xml' ? data.replace('</Types>', `<Override PartName="/${TABLE_PART}" ContentType="${TABLE_CONTENT_TYPE}"/></Types>`) : data;
      return append.call(zip, xml, options);
    };
    return addContentTypes.call(workbook);
  };
  return true;
}

function tableXml(name: string, columns: readonly ColumnSpec[], range: string): string {
  const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n' +
    `<table xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" id="1" name="${escape(name)}" displayName="${escape(name)}" ref="${range}" totalsRowShown="0">` +
    `<autoFilter ref="${range}"/>` +
    `<tableColumns count="${columns.length}">${columns.map((c, i) => `<tableColumn id="${i + 1}" name="${escape(c.name)}"/>`).join('')}</tableColumns>` +
    '<tableStyleInfo name="TableStyleMedium2" showFirstColumn="0" showLastColumn="0" showRowStripes="1" showColumnStripes="0"/>' +
    '</table>'
  );
}

/**
 * Lets the zip stream catch up: committed rows are handed to the zip (deflate runs off the main
 * thread) and on to the file; waiting while the file stream is backed up keeps the rows in flight
 * to a few megabytes instead of letting a fast query outrun the disk.
 */
async function drained(workbook: ExcelJS.stream.xlsx.WorkbookWriter, signal?: AbortSignal): Promise<void> {
  const out = (workbook as unknown as { stream?: NodeJS.WritableStream & { writableNeedDrain?: boolean } }).stream;
  if (!out?.writableNeedDrain) return void (await new Promise((resolve) => setImmediate(resolve)));
  // Or until the export is stopped: a backed-up disk must not keep it running.
  await new Promise<void>((resolve) => {
    const done = () => {
      out.off('drain', done);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    out.once('drain', done);
    signal?.addEventListener('abort', done, { once: true });
  });
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
