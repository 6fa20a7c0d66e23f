import { openWarehouse } from '../../warehouse/open';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { listInputFiles, loadFile, loadFiles } from '../../etl/load';
import { Warehouse } from '../../warehouse/db';
import { CUBE_TABLES } from '../../warehouse/insights/cubes';
import { PCI_ROLLUP_TABLES } from '../../warehouse/insights/pci/rollups';
import { rebuildDerivedRollups } from '../../warehouse/insights/rollups';
import { copyTemplate, demoData, demoFullLoadResults } from '../support/data-sets';
import { licenseLine, writeLicenseFile } from './helpers';

/**
 * Batch loads (loadFiles with more than one file, warehouse/insights/stale-rollups.ts): each file
 * refreshes only the per-row rollups and marks its partners stale; the batch ends with one rebuild
 * of the cubes and PCI rollups. What is left must be exactly what a fresh rebuild gives, also after
 * a rejected file, an error mid-batch, or a process that died mid-batch (Warehouse.open rebuilds).
 */
const DERIVED = [...CUBE_TABLES, ...PCI_ROLLUP_TABLES];

let root: string;
/**
 * One partner's files of the shared demo data set (test/support/data-sets.ts): read here, never
 * written (tests that change files copy them). Half the demo's files: each test loads them whole.
 */
let files: string;
beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'pi-batch-rollups-'));
  const demo = await demoData();
  files = join(demo.files, demo.summary.partners[0].slug);
}, 120_000);
afterAll(() => rmSync(root, { recursive: true, force: true }));

let dbDir: string;
let db: Warehouse | undefined;
beforeEach(() => {
  dbDir = mkdtempSync(join(root, 'db-'));
});
afterEach(() => {
  db?.close();
  db = undefined;
});

const dbPath = () => join(dbDir, 'warehouse.duckdb');
const rows = async (w: Warehouse, sql: string) => Number((await w.one<{ n: string }>(`SELECT count(*)::VARCHAR AS n FROM (${sql})`))!.n);
const staleMarks = (w: Warehouse) => rows(w, 'SELECT * FROM etl_stale_rollups');

/**
 * Rows per derived rollup table, and per table the rows that differ from a fresh rebuildDerivedRollups
 * of every partner (EXCEPT ALL both ways over the full contents).
 */
async function compareWithFreshRebuild(w: Warehouse): Promise<{ counts: Record<string, number>; differences: Record<string, string> }> {
  const counts: Record<string, number> = {};
  for (const t of DERIVED) {
    await w.run(`CREATE OR REPLACE TEMP TABLE was_${t} AS SELECT * FROM ${t}`);
    counts[t] = await rows(w, `SELECT * FROM ${t}`);
  }
  const partners = (await w.all<{ partner_id: string }>(`SELECT partner_id FROM partners UNION SELECT partner_id FROM subscriptions ORDER BY 1`)).map(
    (p) => p.partner_id,
  );
  expect(partners.length).toBeGreaterThan(0);
  await w.transaction((tx) => rebuildDerivedRollups(tx, partners));
  const differences: Record<string, string> = {};
  for (const t of DERIVED) {
    const missing = await rows(w, `SELECT * FROM ${t} EXCEPT ALL SELECT * FROM was_${t}`);
    const extra = await rows(w, `SELECT * FROM was_${t} EXCEPT ALL SELECT * FROM ${t}`);
    differences[t] = `${missing} missing, ${extra} extra`;
  }
  return { counts, differences };
}

function expectFresh(result: { counts: Record<string, number>; differences: Record<string, string> }): void {
  expect(result.differences).toEqual(Object.fromEntries(DERIVED.map((t) => [t, '0 missing, 0 extra'])));
  for (const t of ['insights_subscription_cube', 'insights_usage_cube', 'insights_customer_counts']) expect(result.counts[t]).toBeGreaterThan(0);
}

describe('batch loads rebuild the derived rollups once, at the end', () => {
  it('leaves every cube and PCI rollup equal to a fresh rebuild, and no stale marks', async () => {
    // The demo-full template is the whole demo data set loaded by loadFiles (two batches): its
    // results, and the warehouse they left.
    db = await openWarehouse(await copyTemplate('demo-full', dbPath()));
    const results = await demoFullLoadResults();
    expect(results.length).toBeGreaterThan(10);
    expect(results.filter((r) => r.status !== 'loaded').map((r) => `${r.fileName}: ${r.message}`)).toEqual([]);
    expect(await staleMarks(db)).toBe(0);
    expectFresh(await compareWithFreshRebuild(db));
  }, 180_000);

  it('a process that died mid-batch: the next open rebuilds the stale partners and clears their marks', async () => {
    db = await openWarehouse(dbPath());
    // What a batch has committed when the process dies before its end: every file's per-file
    // step (rows, per-row rollups, stale marks), and no final rebuild.
    for (const file of await listInputFiles([files])) expect((await loadFile(db, file, { batch: true })).status).toBe('loaded');
    expect(await staleMarks(db)).toBeGreaterThan(0);
    expect(await rows(db, 'SELECT * FROM insights_subscription_cube')).toBe(0);
    expect(await rows(db, 'SELECT * FROM insights_subscription_months')).toBeGreaterThan(0);
    db.close();

    db = await openWarehouse(dbPath());
    expect(await staleMarks(db)).toBe(0);
    expectFresh(await compareWithFreshRebuild(db));
  }, 180_000);

  it('a rejected file in the middle of a batch: the files before and after it load and the rollups are rebuilt', async () => {
    const dir = join(dbDir, 'files');
    cpSync(files, dir, { recursive: true });
    // A license-based reconciliation file (ordered after the subscriptions, before the usage files)
    // whose amounts are all bad: rejected whole.
    const bad = writeLicenseFile(dir, 'G999999999_License.csv', Array.from({ length: 20 }, (_, i) => licenseLine(i, { Amount: 'lots' })));
    db = await openWarehouse(dbPath());
    const results = await loadFiles(db, [dir]);
    const at = results.findIndex((r) => r.path === bad);
    expect(results[at].status).toBe('rejected');
    expect(at).toBeGreaterThan(0);
    expect(at).toBeLessThan(results.length - 1);
    expect(results.filter((r) => r.status === 'loaded').length).toBe(results.length - 1);
    expect(results.slice(at + 1).some((r) => r.format === 'daily-usage-recon')).toBe(true);
    expect(await staleMarks(db)).toBe(0);
    expectFresh(await compareWithFreshRebuild(db));
  }, 180_000);

  it('an error mid-batch (a file gone before its turn) still rebuilds the rollups of the files that loaded', async () => {
    const dir = join(dbDir, 'files');
    cpSync(files, dir, { recursive: true });
    const list = await listInputFiles([dir]);
    const usage = list.findIndex((f) => /_DailyRatedUsage\.csv$/.test(f));
    expect(usage).toBeGreaterThan(0);
    db = await openWarehouse(dbPath());
    const results: string[] = [];
    await expect(
      loadFiles(db, [dir], {
        onResult: (r) => {
          results.push(r.status);
          if (r.path === list[usage]) rmSync(list[usage + 1]);
        },
      }),
    ).rejects.toThrow(/ENOENT/);
    expect(results.length).toBe(usage + 1);
    expect(results.every((s) => s === 'loaded')).toBe(true);
    expect(await rows(db, 'SELECT * FROM billing_usage_lines')).toBeGreaterThan(0);
    expect(await staleMarks(db)).toBe(0);
    expectFresh(await compareWithFreshRebuild(db));
  }, 180_000);
});
