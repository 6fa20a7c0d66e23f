import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import type { Warehouse } from '../../warehouse/db';
import type { ExportFormat } from '../../warehouse/exports';

/**
 * Independent readers for exported files: DuckDB's own CSV and Parquet readers (not the writer's
 * code path) and exceljs's workbook reader. Rows come back as objects keyed by the header.
 */
export type FileRow = Record<string, unknown>;

/** Saves a response body to `dir` and returns the path. */
export async function saveBody(response: Response, dir: string, name: string): Promise<string> {
  const file = join(dir, name);
  writeFileSync(file, Buffer.from(await response.arrayBuffer()));
  return file;
}

/** Reads a CSV/TSV/Parquet file with DuckDB, every column as text (so decimals are compared exactly). */
export async function readWithDuckDb(db: Warehouse, file: string, format: Exclude<ExportFormat, 'xlsx'>): Promise<FileRow[]> {
  const source =
    format === 'parquet'
      ? `read_parquet('${file}')`
      : `read_csv('${file}', delim='${format === 'tsv' ? '\t' : ','}', header=true, all_varchar=true, quote='"')`;
  const columns = await db.all<{ column_name: string }>(`DESCRIBE SELECT * FROM ${source}`);
  const list = columns.map((c) => `CAST("${c.column_name}" AS VARCHAR) AS "${c.column_name}"`).join(', ');
  return db.all(`SELECT ${list} FROM ${source}`);
}

/** Column name -> DuckDB type of a Parquet file, as the Parquet reader sees it. */
export async function parquetSchema(db: Warehouse, file: string): Promise<Record<string, string>> {
  const rows = await db.all<{ column_name: string; column_type: string }>(`DESCRIBE SELECT * FROM read_parquet('${file}')`);
  return Object.fromEntries(rows.map((r) => [r.column_name, r.column_type]));
}

/** Reads the first sheet of an XLSX file with exceljs; the first row is the header. */
export async function readXlsx(file: string): Promise<FileRow[]> {
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  const sheet = workbook.worksheets[0];
  const header = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: FileRow[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const values = (row.values as unknown[]).slice(1);
    rows.push(Object.fromEntries(header.map((h, i) => [h, values[i] ?? null])));
  });
  return rows;
}

/** "12.3400" -> "12.34", "5.000000" -> "5", "-0.50" -> "-0.5": a decimal string in canonical form. */
export function canonicalDecimal(value: unknown): string {
  const text = String(value).trim();
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw new Error(`not a decimal: ${text}`);
  const [int, frac = ''] = text.split('.');
  const f = frac.replace(/0+$/, '');
  const i = int.replace(/^(-?)0+(?=\d)/, '$1');
  const out = f ? `${i}.${f}` : i;
  return out === '-0' ? '0' : out;
}
