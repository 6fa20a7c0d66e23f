import { copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildDemoWarehouse } from '../../bench/support/demo-warehouse';
import { generateDemoData, type GeneratedSummary } from '../../etl/generate';
import { listInputFiles, loadFiles, type LoadResult } from '../../etl/load';
import { Warehouse } from '../../warehouse/db';

/**
 * The generated data sets the suites share, built ONCE per Jest run by test/support/global-setup.ts
 * into a temporary directory (PI_TEST_DATA), and used by the suites through the functions below:
 *
 * - `demo`: the demo generator's files (seed 7, 12 customers per partner, 3,000 usage rows), kept
 *   as files (tests compute their expectations from them), and loaded by the ETL into two template
 *   warehouses: `insights` (every file but the license-based and one-time reconciliation files,
 *   which Insights does not read) and `full` (every file: the same warehouse with those two kinds
 *   loaded on top).
 * - `e2e`: bench/support/demo-warehouse's warehouse (seed 7, 40 customers per partner, no usage
 *   rows, no reconciliation files); the files are not kept.
 *
 * Templates are checkpointed and closed: a suite copies the .duckdb file (copyTemplate) and opens
 * its copy, so a suite that writes changes only its own warehouse. The shared files are read-only
 * by convention: a suite that rewrites one copies the tree first (copyDemoFiles).
 *
 * Run without the global setup (another config), a worker builds what it needs itself, once,
 * under a lock in the same directory layout.
 */
export const DEMO = { seed: 7, customers: 12, usageRows: 3000 } as const;
export const E2E = { seed: 7, customers: 40 } as const;

export type DataSetName = 'demo' | 'e2e';
export type Template = 'demo-insights' | 'demo-full' | 'e2e';

const ENV = 'PI_TEST_DATA';

/** License-based and one-time reconciliation files: not in the Insights template. */
export const LICENSE_OR_ONETIME = /_(License|OneTime)\.csv$/;

let ownRoot: string | undefined;

/** The directory holding the data sets (PI_TEST_DATA, set by the global setup). */
export function dataRoot(): string {
  const root = process.env[ENV];
  if (root) return root;
  if (!ownRoot) {
    // No global setup ran: this process keeps its own directory, removed when it exits.
    ownRoot = mkdtempSync(join(tmpdir(), 'pi-test-data-'));
    const dir = ownRoot;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return ownRoot;
}

const setDir = (root: string, name: DataSetName) => join(root, name);
const readyFile = (root: string, name: DataSetName) => join(setDir(root, name), 'READY');

function templatePath(root: string, template: Template): string {
  switch (template) {
    case 'demo-insights':
      return join(setDir(root, 'demo'), 'insights.duckdb');
    case 'demo-full':
      return join(setDir(root, 'demo'), 'full.duckdb');
    case 'e2e':
      return join(setDir(root, 'e2e'), 'warehouse.duckdb');
  }
}

function checkLoaded(what: string, results: LoadResult[], allowSkipped: boolean): void {
  const bad = results.filter((r) => (allowSkipped ? r.status === 'rejected' : r.status !== 'loaded'));
  if (bad.length) throw new Error(`${what}: not loaded: ${bad.map((r) => `${r.fileName}: ${r.status} ${r.message}`).join('; ')}`);
}

async function checkpointAndClose(warehouse: Warehouse): Promise<void> {
  try {
    await warehouse.run('CHECKPOINT');
  } finally {
    warehouse.close();
  }
}

async function buildDemo(dir: string): Promise<void> {
  const files = join(dir, 'files');
  const summary = await generateDemoData({ out: files, ...DEMO });
  writeFileSync(join(dir, 'summary.json'), JSON.stringify(summary));
  const all = await listInputFiles([files]);
  const recon = all.filter((f) => LICENSE_OR_ONETIME.test(f));
  const rest = all.filter((f) => !LICENSE_OR_ONETIME.test(f));
  const scratch = join(dir, 'building.duckdb');
  // Insights: every file but the license-based and one-time recon files (each must load).
  let warehouse = await Warehouse.open(scratch);
  try {
    checkLoaded('demo (insights)', await loadFiles(warehouse, rest), false);
  } finally {
    await checkpointAndClose(warehouse);
  }
  copyFileSync(scratch, join(dir, 'insights.duckdb'));
  // Full: the same, and the license-based and one-time recon files (none rejected).
  warehouse = await Warehouse.open(scratch);
  try {
    checkLoaded('demo (full)', await loadFiles(warehouse, recon), true);
  } finally {
    await checkpointAndClose(warehouse);
  }
  renameSync(scratch, join(dir, 'full.duckdb'));
}

async function buildE2e(dir: string): Promise<void> {
  const scratch = join(dir, 'building.duckdb');
  await checkpointAndClose(await buildDemoWarehouse(scratch, E2E));
  renameSync(scratch, join(dir, 'warehouse.duckdb'));
}

/**
 * Builds a data set into `root` unless it is there; concurrent callers (workers without the global
 * setup) wait for the first one. The global setup calls this for every set before the workers start.
 */
export async function buildDataSet(root: string, name: DataSetName): Promise<void> {
  const dir = setDir(root, name);
  if (existsSync(readyFile(root, name))) return;
  const lock = `${dir}.lock`;
  try {
    mkdirSync(root, { recursive: true });
    mkdirSync(lock);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another process builds it: wait for READY (or for the lock to go, when its build failed).
    const deadline = Date.now() + 10 * 60_000;
    while (!existsSync(readyFile(root, name))) {
      if (!existsSync(lock)) throw new Error(`building the ${name} test data set failed in another process`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for the ${name} test data set (${lock})`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    return;
  }
  try {
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    if (name === 'demo') await buildDemo(dir);
    else await buildE2e(dir);
    writeFileSync(readyFile(root, name), new Date().toISOString());
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function ready(name: DataSetName): Promise<string> {
  const root = dataRoot();
  await buildDataSet(root, name);
  return root;
}

/** The demo data set's files (shared: do not write into them; see copyDemoFiles) and its summary. */
export async function demoData(): Promise<{ files: string; summary: GeneratedSummary }> {
  const root = await ready('demo');
  const dir = setDir(root, 'demo');
  return { files: join(dir, 'files'), summary: JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as GeneratedSummary };
}

/** A private copy of the demo files at `dest` (for a suite that rewrites some of them). */
export async function copyDemoFiles(dest: string): Promise<string> {
  const { files } = await demoData();
  cpSync(files, dest, { recursive: true });
  return dest;
}

/** Copies a template warehouse to `path` (a new file, the suite's own) and returns `path`. */
export async function copyTemplate(template: Template, path: string): Promise<string> {
  const root = await ready(template === 'e2e' ? 'e2e' : 'demo');
  if (existsSync(path)) throw new Error(`${path} exists already`);
  copyFileSync(templatePath(root, template), path);
  return path;
}
