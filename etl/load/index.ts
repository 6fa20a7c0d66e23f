import { open, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { ACCEPTED_FORMATS as FILE_FORMATS } from '../formats';
import type { Warehouse } from '../../warehouse/db';
import { rebuildStaleRollups } from '../../warehouse/insights/stale-rollups';
import { detectFormat, isJsonPath, readHead } from './detect';
import { loadFile, type LoadOptions, type LoadResult, type QuarantineSample } from './load-file';

export { afterLoad } from './hooks';
export { loadFile, checkShare, maxBadShareFromEnv, DEFAULT_MAX_BAD_ROW_SHARE } from './load-file';
export type { LoadOptions, LoadProgress, LoadResult, QuarantineSample } from './load-file';
export { detectFormat, matchFormat, readHead, invoiceNumberFromFileName, FileRejection } from './detect';
export { warehouseStatus } from './status';
export type { WarehouseStatus } from './status';

/** Files a directory gives: CSV and TSV files, and JSON line items (.json, .jsonl, .ndjson, plain or gzip). */
const LOADABLE = /\.(csv|tsv|json|jsonl|ndjson|json\.gz|jsonl\.gz|ndjson\.gz)$/i;

async function walk(dir: string, out: string[]): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(dir, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile() && LOADABLE.test(e.name) && (!/\.json$/i.test(e.name) || (await looksLikeLineItems(p)))) out.push(p);
  }
}

/**
 * A plain .json file in a directory is loaded only when it looks like line items (a chargeType
 * attribute, which every kind of line item has, in its first 64 kB): other JSON (a manifest,
 * settings) is not data. Files named on the command line are always loaded.
 */
async function looksLikeLineItems(path: string): Promise<boolean> {
  const handle = await open(path, 'r');
  try {
    const buf = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    return /"chargetype"\s*:/i.test(buf.subarray(0, bytesRead).toString('utf8'));
  } finally {
    await handle.close();
  }
}

/**
 * Position of a file's format in FILE_FORMATS (reference data first); unknown files go last. JSON
 * files hold billing line items: they rank with the first JSON format, after every CSV format but
 * the reconciliation files they come with.
 */
async function formatRank(path: string, forced?: string): Promise<number> {
  if (isJsonPath(path)) return FILE_FORMATS.findIndex((f) => f.fileType === 'json');
  try {
    const match = detectFormat((await readHead(path)).headers, forced);
    return FILE_FORMATS.indexOf(match.format);
  } catch {
    return FILE_FORMATS.length;
  }
}

/**
 * The files to load for the given arguments: files as given, in the order given; a directory gives
 * every .csv, .tsv and JSON (.json, .jsonl, plain or .gz) file under it, ordered by format as FILE_FORMATS lists them (reference data
 * before the facts that refer to it), then by path.
 */
export async function listInputFiles(paths: readonly string[], forced?: string): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const abs = resolve(p);
    const s = await stat(abs).catch((err: NodeJS.ErrnoException) => {
      throw new Error(err.code === 'ENOENT' ? `${p}: no such file or directory` : `${p}: ${err.message}`);
    });
    if (s.isDirectory()) {
      const found: string[] = [];
      await walk(abs, found);
      const ranked = await Promise.all(found.map(async (f) => ({ f, rank: await formatRank(f, forced) })));
      ranked.sort((a, b) => a.rank - b.rank || (a.f < b.f ? -1 : a.f > b.f ? 1 : 0));
      files.push(...ranked.map((r) => r.f));
    } else files.push(abs);
  }
  return [...new Set(files)];
}

/**
 * Loads files and directories into the warehouse, one file per transaction, in order. A file that
 * is rejected does not stop the others. Used by `partner-insights load` and `start`.
 *
 * More than one file is a batch: each file refreshes only the per-row rollups and marks its
 * partners' cubes and PCI rollups stale (in its own transaction), and the batch ends, however it
 * ends, with one transaction rebuilding the stale partners (warehouse/insights/stale-rollups.ts says
 * why). One file rebuilds them inside its own transaction.
 */
export async function loadFiles(db: Warehouse, paths: readonly string[], options: LoadOptions = {}): Promise<LoadResult[]> {
  const files = await listInputFiles(paths, options.format);
  const results: LoadResult[] = [];
  if (files.length <= 1) {
    for (const file of files) results.push(await loadFile(db, file, options));
    return results;
  }
  try {
    for (const file of files) results.push(await loadFile(db, file, { ...options, batch: true }));
  } finally {
    await rebuildStaleRollups(db);
  }
  return results;
}

const int = (n: number) => n.toLocaleString('en-US');

/** One line per file: format, rows loaded, quarantined, replaced, skipped, seconds. */
export function formatSummary(r: LoadResult): string {
  const secs = `${r.seconds.toFixed(1)} s`;
  if (r.status === 'skipped') return `${r.fileName}: skipped, ${r.message} (${secs})`;
  if (r.status === 'rejected') {
    return `${r.fileName}: REJECTED${r.format ? ` (${r.format})` : ''}: ${r.message.split(' First problems:')[0]} (${secs})`;
  }
  return (
    `${r.fileName}: ${r.format} -> ${r.table}: ${int(r.rowsLoaded)} rows loaded, ${int(r.rowsQuarantined)} quarantined, ` +
    `${int(r.rowsReplaced)} replaced, ${int(r.rowsSkipped)} skipped (${secs}${r.seconds > 0 ? `, ${int(Math.round(r.rowsLoaded / r.seconds))} rows/s` : ''})`
  );
}

/** One line for a whole run: "298 files: 298 loaded (438,210 rows), 0 skipped, 0 rejected; 0 rows quarantined (26.1 s)". */
export function formatTotals(results: readonly LoadResult[]): string {
  const count = (status: LoadResult['status']) => results.filter((r) => r.status === status).length;
  const rows = results.reduce((n, r) => n + r.rowsLoaded, 0);
  const quarantined = results.reduce((n, r) => n + r.rowsQuarantined, 0);
  const seconds = results.reduce((n, r) => n + r.seconds, 0);
  return (
    `${int(results.length)} file(s): ${int(count('loaded'))} loaded (${int(rows)} rows), ` +
    `${int(count('skipped'))} skipped as already loaded, ${int(count('rejected'))} rejected; ` +
    `${int(quarantined)} rows quarantined (${seconds.toFixed(1)} s)`
  );
}

/** "line 7, UsageDate: invalid date ..." for the first quarantine reasons of a result. */
export function formatReasons(r: LoadResult): string[] {
  return r.reasons.map((s: QuarantineSample) => {
    const where = [s.line !== null ? `line ${s.line}` : undefined, s.column ?? undefined].filter(Boolean).join(', ');
    return `${where ? `${where}: ` : ''}${s.reason}`;
  });
}
