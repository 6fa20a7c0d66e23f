import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FILE_FORMATS, formatByName, normaliseHeader, type ColumnSpec, type FileFormat } from '../../etl/formats';
import type { GeneratedSummary } from '../../etl/generate';
import { tableColumnTypes } from '../../etl/load/columns';
import { Warehouse } from '../../warehouse/db';
import { csv, Duck, generateInto, q, removeDir } from './support';

/** How a value of a column must parse, as the loader will read it (as its warehouse column's type). */
function parseCheck(column: ColumnSpec, sqlType: string, format: FileFormat): string | undefined {
  const c = q(column.header);
  switch (sqlType.startsWith('DECIMAL') ? 'DECIMAL' : sqlType) {
    case 'DATE':
      return format.dateStyle === 'us' ? `try_strptime(${c}, '%m/%d/%Y')` : `try_strptime(${c}, '%Y-%m-%d')`;
    case 'TIMESTAMP':
      return format.dateStyle === 'us' ? `try_strptime(${c}, '%m/%d/%Y %H:%M:%S')` : `try_strptime(${c}, '%Y-%m-%d %H:%M:%S')`;
    case 'DECIMAL':
      return `CASE WHEN regexp_full_match(${c}, '-?[0-9]+(\\.[0-9]{1,6})?') THEN 1 END`;
    case 'INTEGER':
    case 'BIGINT':
      return `try_cast(${c} AS BIGINT)`;
    case 'BOOLEAN':
      return `CASE WHEN ${c} IN ('true', 'false') THEN 1 END`;
    default:
      return undefined;
  }
}

describe('demo files follow the file formats', () => {
  let dir: string;
  let summary: GeneratedSummary;
  let duck: Duck;
  let warehouse: Warehouse;
  beforeAll(async () => {
    ({ dir, summary } = await generateInto('formats', { seed: 3, customers: 60, usageRows: 30_000 }));
    duck = await Duck.open();
    warehouse = await Warehouse.open(':memory:');
  });
  afterAll(async () => {
    duck?.close();
    await warehouse?.close();
    removeDir(dir);
  });

  it('writes every format at least once, and the manifest lists every file with its format and row count', async () => {
    const formats = new Set(summary.files.map((f) => f.format));
    expect([...FILE_FORMATS.map((f) => f.name)].filter((n) => !formats.has(n))).toEqual([]);
    const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8')) as GeneratedSummary;
    expect(manifest.files).toEqual(summary.files);
    for (const f of summary.files.filter((x) => x.format !== 'daily-usage-recon')) {
      const text = readFileSync(join(dir, f.path), 'utf8');
      const { n } = await duck.one<{ n: string }>(`SELECT count(*) AS n FROM ${csv(join(dir, f.path))}`);
      expect({ path: f.path, rows: Number(n) }).toEqual({ path: f.path, rows: f.rows });
      expect(text.endsWith('\n')).toBe(true);
    }
  });

  it('writes the header of each format exactly: every column, named as the format names it, in its order', () => {
    const problems: string[] = [];
    for (const f of summary.files) {
      const format = formatByName(f.format)!;
      const firstLine = readFileSync(join(dir, f.path), 'utf8').split('\n', 1)[0];
      const headers = firstLine.split(',').map((h) => h.replace(/^"|"$/g, ''));
      const expected = format.columns.map((c) => c.header);
      if (JSON.stringify(headers) !== JSON.stringify(expected)) problems.push(`${f.path}: ${firstLine}`);
      const required = format.columns.filter((c) => c.required).map((c) => normaliseHeader(c.header));
      const missing = required.filter((r) => !headers.map(normaliseHeader).includes(r));
      if (missing.length) problems.push(`${f.path}: missing required ${missing.join(', ')}`);
    }
    expect(problems).toEqual([]);
  });

  it('fills every value so that the loader can type it: dates per dateStyle, decimals with a dot, allowed values, no empty required values', async () => {
    const problems: string[] = [];
    for (const format of FILE_FORMATS) {
      const paths = summary.files.filter((f) => f.format === format.name).map((f) => join(dir, f.path));
      if (paths.length === 0) continue;
      const checks: string[] = [];
      const types = await tableColumnTypes(warehouse, format.table);
      for (const column of format.columns) {
        const c = q(column.header);
        const sqlType = types.get(column.column)!;
        const parse = parseCheck(column, sqlType, format);
        if (parse) checks.push(`count(*) FILTER (WHERE ${c} IS NOT NULL AND ${parse} IS NULL) AS ${q(`${column.header}: does not parse as ${sqlType}`)}`);
        if (column.notEmpty) checks.push(`count(*) FILTER (WHERE ${c} IS NULL) AS ${q(`${column.header}: empty`)}`);
        if (column.allowed) {
          const allowed = column.allowed.map((a) => `'${a.toLowerCase().replace(/'/g, "''")}'`).join(', ');
          checks.push(`count(*) FILTER (WHERE ${c} IS NOT NULL AND lower(${c}) NOT IN (${allowed})) AS ${q(`${column.header}: not allowed`)}`);
        }
      }
      const counts = await duck.one<Record<string, string>>(`SELECT ${checks.join(', ')} FROM ${csv(paths)}`);
      for (const [check, n] of Object.entries(counts)) if (Number(n) > 0) problems.push(`${format.name} ${check}: ${n} rows`);
    }
    expect(problems).toEqual([]);
  });

  it('writes the reconciliation files in the en-US style the documentation shows (M/D/YYYY) and names them after the invoice', () => {
    const license = summary.files.find((f) => f.format === 'license-recon')!;
    expect(license.path).toMatch(/\/recon\/G\d{9}_License\.csv$/);
    expect(license.path).toContain(license.invoiceNumber!);
    const line = readFileSync(join(dir, license.path), 'utf8').split('\n')[1];
    expect(line).toMatch(/,\d{1,2}\/\d{1,2}\/\d{4},/);
    expect(line.startsWith(`${license.invoiceNumber},`)).toBe(true);
  });
});
