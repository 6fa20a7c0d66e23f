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
 * A set is built in stages (STAGES), each usable once its marker file is written: the global setup
 * starts the builds and returns, so suites start at once and a suite waits only for the stage it
 * reads (the demo files are there in seconds, the `full` template last). Run without the global
 * setup (another config), a worker builds what it needs itself, once, under a lock in the same
 * directory layout.
 */
export const DEMO = { seed: 7, customers: 12, usageRows: 3000 } as const;
export const E2E = { seed: 7, customers: 40 } as const;

export type DataSetName = 'demo' | 'e2e';
export type Template = 'demo-insights' | 'demo-full' | 'e2e';

/** What a set's build makes, in order. */
const STAGES = { demo: ['files', 'insights', 'full'], e2e: ['warehouse'] } as const;
type Stage<N extends DataSetName = DataSetName> = (typeof STAGES)[N][number];
const lastStage = <N extends DataSetName>(name: N): Stage<N> => STAGES[name][STAGES[name].length - 1];

const ENV = 'PI_TEST_DATA';

/** The global setup's builds (settled when all are done, failed or not), for the global teardown. */
export const BUILDS = 'piTestDataBuilds';
export type TestDataGlobals = typeof globalThis & { [BUILDS]?: Promise<void> };

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
/** Written once the stage's files are complete. */
const stageMarker = (dir: string, stage: Stage) => join(dir, `${stage}.ready`);
const markStage = (dir: string, stage: Stage) => writeFileSync(stageMarker(dir, stage), new Date().toISOString());

/** Each template: its set, the stage that makes it, and its file. */
const TEMPLATES: Record<Template, { set: DataSetName; stage: Stage; file: string }> = {
  'demo-insights': { set: 'demo', stage: 'insights', file: 'insights.duckdb' },
  'demo-full': { set: 'demo', stage: 'full', file: 'full.duckdb' },
  e2e: { set: 'e2e', stage: 'warehouse', file: 'warehouse.duckdb' },
};

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
  markStage(dir, 'files');
  const all = await listInputFiles([files]);
  const recon = all.filter((f) => LICENSE_OR_ONETIME.test(f));
  const rest = all.filter((f) => !LICENSE_OR_ONETIME.test(f));
  const scratch = join(dir, 'building.duckdb');
  // Insights: every file but the license-based and one-time recon files (each must load).
  const results: LoadResult[] = [];
  let warehouse = await Warehouse.open(scratch);
  try {
    results.push(...(await loadFiles(warehouse, rest)));
    checkLoaded('demo (insights)', results, false);
  } finally {
    await checkpointAndClose(warehouse);
  }
  copyFileSync(scratch, join(dir, 'insights.duckdb'));
  markStage(dir, 'insights');
  // Full: the same, and the license-based and one-time recon files (none rejected).
  warehouse = await Warehouse.open(scratch);
  try {
    const reconResults = await loadFiles(warehouse, recon);
    checkLoaded('demo (full)', reconResults, true);
    results.push(...reconResults);
  } finally {
    await checkpointAndClose(warehouse);
  }
  writeFileSync(join(dir, 'loads.json'), JSON.stringify(results));
  renameSync(scratch, join(dir, 'full.duckdb'));
  markStage(dir, 'full');
}

async function buildE2e(dir: string): Promise<void> {
  const scratch = join(dir, 'building.duckdb');
  await checkpointAndClose(await buildDemoWarehouse(scratch, E2E));
  renameSync(scratch, join(dir, 'warehouse.duckdb'));
  markStage(dir, 'warehouse');
}

/**
 * Makes `stage` of a data set available in `root` (by default the whole set): builds the set unless
 * it is there or another caller builds it, in which case it waits for the stage's marker (or for
 * the lock to go, when that build failed). The lock is taken before the first await, so the global
 * setup can start a build without awaiting it: the suites then wait here, in their own processes.
 */
export async function buildDataSet<N extends DataSetName>(root: string, name: N, stage: Stage<N> = lastStage(name)): Promise<void> {
  const dir = setDir(root, name);
  if (existsSync(stageMarker(dir, stage))) return;
  const lock = `${dir}.lock`;
  try {
    mkdirSync(root, { recursive: true });
    mkdirSync(lock);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    // Another caller builds it: wait for the stage (or for the lock to go, when its build failed).
    const deadline = Date.now() + 10 * 60_000;
    while (!existsSync(stageMarker(dir, stage))) {
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
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw err;
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

async function ready<N extends DataSetName>(name: N, stage: Stage<N>): Promise<string> {
  const root = dataRoot();
  await buildDataSet(root, name, stage);
  return root;
}

/** The demo data set's files (shared: do not write into them; see copyDemoFiles) and its summary. */
export async function demoData(): Promise<{ files: string; summary: GeneratedSummary }> {
  const root = await ready('demo', 'files');
  const dir = setDir(root, 'demo');
  return { files: join(dir, 'files'), summary: JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as GeneratedSummary };
}

/** A private copy of the demo files at `dest` (for a suite that rewrites some of them). */
export async function copyDemoFiles(dest: string): Promise<string> {
  const { files } = await demoData();
  cpSync(files, dest, { recursive: true });
  return dest;
}

/**
 * What the ETL reported for each file it loaded into the `demo-full` template (the Insights files,
 * then the license-based and one-time reconciliation files: two batches of loadFiles): suites that
 * check how the demo files load read this instead of loading them again.
 */
export async function demoFullLoadResults(): Promise<LoadResult[]> {
  const root = await ready('demo', 'full');
  return JSON.parse(readFileSync(join(setDir(root, 'demo'), 'loads.json'), 'utf8')) as LoadResult[];
}

/** Copies a template warehouse to `path` (a new file, the suite's own) and returns `path`. */
export async function copyTemplate(template: Template, path: string): Promise<string> {
  const { set, stage, file } = TEMPLATES[template];
  const root = await ready(set, stage);
  if (existsSync(path)) throw new Error(`${path} exists already`);
  copyFileSync(join(setDir(root, set), file), path);
  return path;
}
