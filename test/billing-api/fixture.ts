import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneratedSummary } from '../../etl/generate';
import { loadFiles, type LoadResult } from '../../etl/load';
import { startServer, type RunningServer } from '../../gateway/server';
import { Warehouse } from '../../warehouse/db';
import { testAuth } from '../gateway/harness';
import { copyTemplate, demoData } from '../support/data-sets';

/**
 * Billing tests over REAL data: the demo generator's Partner Center files (reconciliation files
 * included) loaded by the ETL into a temporary DuckDB file, and the composed gateway on a random
 * port. `reload` writes an altered copy of a file and loads it through the ETL (same invoice number:
 * it replaces the invoice's earlier rows). The data set is the shared `demo` one, loaded once per
 * run (test/support/data-sets.ts, `demo-full` template): each env opens its own copy of the
 * warehouse; `out` is the shared files directory (read-only: `load` writes its files in `dir`).
 */
export interface BillingEnv {
  dir: string;
  out: string;
  summary: GeneratedSummary;
  warehouse: Warehouse;
  server: RunningServer;
  /** Path of a generated reconciliation file: `${slug}/recon/${invoice}_License.csv`. */
  reconFile(invoiceNumber: string, kind: 'License' | 'OneTime' | 'DailyRatedUsage'): string | undefined;
  /** Writes `csv` as `${invoiceNumber}_${kind}.csv` in a fresh directory and loads it with the ETL. */
  load(invoiceNumber: string, kind: 'License' | 'OneTime' | 'DailyRatedUsage', csv: string): Promise<LoadResult>;
  close(): Promise<void>;
}

export async function startBillingEnv(): Promise<BillingEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'pi-billing-'));
  const { files: out, summary } = await demoData();
  const warehouse = await Warehouse.open(await copyTemplate('demo-full', join(dir, 'warehouse.duckdb')));
  const server = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth: testAuth });
  let n = 0;
  return {
    dir,
    out,
    summary,
    warehouse,
    server,
    reconFile(invoiceNumber, kind) {
      for (const p of summary.partners) {
        const path = join(out, p.slug, 'recon', `${invoiceNumber}_${kind}.csv`);
        if (readdirSync(join(out, p.slug, 'recon')).includes(`${invoiceNumber}_${kind}.csv`)) return path;
      }
      return undefined;
    },
    async load(invoiceNumber, kind, csv) {
      const target = join(dir, `altered-${++n}`);
      mkdirSync(target);
      const path = join(target, `${invoiceNumber}_${kind}.csv`);
      writeFileSync(path, csv);
      const [result] = await loadFiles(warehouse, [path]);
      return result;
    },
    async close() {
      await server.close();
      warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** RFC 4180 CSV: header + rows as objects (quoted fields, doubled quotes, CRLF or LF). */
export function parseCsv(text: string): { header: string[]; rows: Record<string, string>[] } {
  const records: string[][] = [];
  let field = '';
  let record: string[] = [];
  let quoted = false;
  const src = text.replace(/^\uFEFF/, '');
  for (let i = 0; i < src.length; i++) {
    const ch = src[i];
    if (quoted) {
      if (ch === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      record.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && src[i + 1] === '\n') i++;
      record.push(field);
      records.push(record);
      record = [];
      field = '';
    } else field += ch;
  }
  if (field !== '' || record.length) {
    record.push(field);
    records.push(record);
  }
  const [header, ...body] = records.filter((r) => !(r.length === 1 && r[0] === ''));
  return { header, rows: body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? '']))) };
}

export function writeCsv(header: string[], rows: Record<string, string>[]): string {
  const q = (v: string) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  return [header.map(q).join(','), ...rows.map((r) => header.map((h) => q(r[h] ?? '')).join(','))].join('\r\n') + '\r\n';
}

export function readCsv(path: string): { header: string[]; rows: Record<string, string>[] } {
  return parseCsv(readFileSync(path, 'utf8'));
}

/** Exact cents (well, millionths) from a decimal string, for sums independent of SQL. */
export function micros(text: string): bigint {
  const t = text.trim();
  if (t === '') return 0n;
  const match = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(t);
  if (!match) throw new Error(`not a decimal: ${text}`);
  const v = BigInt(match[2] || '0') * 1_000_000n + BigInt((match[3] ?? '').padEnd(6, '0').slice(0, 6));
  return match[1] === '-' ? -v : v;
}

export function fromMicros(v: bigint): string {
  const neg = v < 0n;
  const a = neg ? -v : v;
  let frac = (a % 1_000_000n).toString().padStart(6, '0');
  while (frac.length > 2 && frac.endsWith('0')) frac = frac.slice(0, -1);
  return `${neg ? '-' : ''}${a / 1_000_000n}.${frac}`;
}

/** M/D/YYYY (as the files write dates) to YYYY-MM-DD. */
export function isoFromFile(date: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})/.exec(date);
  if (!m) return date;
  return `${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}`;
}

export { copyFileSync };

export type Csv = Record<string, string>[];

const sumOf = (rows: Csv, column: string) => rows.reduce((s, r) => s + micros(r[column] ?? ''), 0n);

/** An invoice's charges from its reconciliation lines (the three CSV files' rows), summed here with bigint, not SQL. */
export function chargesOfLines(license: Csv, usage: Csv, oneTime: Csv) {
  const tax = sumOf(license, 'Tax') + sumOf(oneTime, 'TaxTotal');
  const subtotal = sumOf(license, 'Subtotal') + sumOf(usage, 'BillingPreTaxTotal') + sumOf(oneTime, 'Subtotal');
  return {
    licenseBased: fromMicros(sumOf(license, 'Subtotal')),
    usageBased: fromMicros(sumOf(usage, 'BillingPreTaxTotal')),
    oneTime: fromMicros(sumOf(oneTime, 'Subtotal')),
    tax: fromMicros(tax),
    licenseTax: fromMicros(sumOf(license, 'Tax')),
    oneTimeTax: fromMicros(sumOf(oneTime, 'TaxTotal')),
    subtotal: fromMicros(subtotal),
    total: fromMicros(subtotal + tax),
    licenseLines: license.length,
    usageLines: usage.length,
    oneTimeLines: oneTime.length,
  };
}
