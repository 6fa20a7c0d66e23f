/**
 * `partner-insights sync` killed (SIGKILL) in the middle loses nothing: what its units committed
 * stays, the unit that was running leaves nothing half-loaded, and the next sync marks the killed
 * one FAILED and completes. Real CLI processes over real HTTP against the stand-in (stand-in/).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { generateDataSet, startStandIn, type StandIn } from '../../stand-in';
import { Warehouse } from '../../warehouse/db';
import { tempDir } from '../etl/helpers';
import { expectedLines, warehouseLines } from './lines';

const ROOT = resolve(__dirname, '../..');
const DIST_CLI = join(ROOT, 'dist/cli/main.js');

let standIn: StandIn;
let dir: string;
let cleanup: () => void;
let dbPath: string;

beforeAll(async () => {
  spawnSync(join(ROOT, 'bin/partner-insights'), [], { cwd: ROOT, env: { ...process.env, PI_BUILD_ONLY: '1' }, stdio: 'ignore', timeout: 280_000 });
  if (!existsSync(DIST_CLI)) throw new Error('build did not produce dist/cli');
  standIn = await startStandIn({ dataSet: generateDataSet('small'), operationPolls: 0 });
  ({ dir, cleanup } = tempDir('pi-sync-kill-'));
  dbPath = join(dir, 'warehouse.duckdb');
}, 300_000);
afterAll(async () => {
  await standIn?.close();
  cleanup?.();
});

it('a sync killed mid-way loses nothing, and the next sync completes', async () => {
  // Every blob answers slowly: the sync is killed while it fetches and loads invoices.
  standIn.addFault({ delay: /^GET \/blobs\//, ms: 1500 });
  const child = spawn(process.execPath, [DIST_CLI, 'sync', '--no-progress'], {
    cwd: dir,
    env: { ...process.env, ...standIn.settingsEnv(), PI_DB: dbPath, PI_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<NodeJS.Signals | number | null>((r) => child.on('exit', (code, signal) => r(signal ?? code)));
  // Killed once the second invoice's blobs are asked for: the first invoice's unit is loading or loaded.
  const deadline = Date.now() + 120_000;
  const invoicesAsked = () => new Set(standIn.requests.filter((r) => r.path.startsWith('/blobs/')).map((r) => r.path.match(/InvoiceId=([^/]+)/)?.[1])).size;
  while (invoicesAsked() < 2) {
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`the sync did not reach the invoices: ${output}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  child.kill('SIGKILL');
  expect(await exited).toBe('SIGKILL');
  standIn.clearFaults();

  const db = await Warehouse.open(dbPath);
  try {
    // Units that committed stay: the customers were loaded before the invoices.
    const partner = standIn.dataSet.partner.tenantId;
    expect(Number((await db.all<{ n: bigint }>('SELECT count(*) AS n FROM customers WHERE partner_id = $1', [partner]))[0].n)).toBe(standIn.dataSet.customers.length);
    // Nothing half-loaded: an invoice's lines of a kind (one file, one transaction) are all there or not at all.
    const expected = expectedLines(standIn.dataSet);
    const held = await warehouseLines(db);
    expect(Object.keys(held).length).toBeLessThan(Object.keys(expected).length);
    for (const [key, lines] of Object.entries(held)) expect([key, lines]).toEqual([key, expected[key]]);
    const [killed] = await db.all<{ state: string }>('SELECT state FROM sync_runs');
    expect(killed.state).toBe('RUNNING');
  } finally {
    db.close();
  }

  // The next sync, by the CLI as a user runs it, to the end (spawned, not spawnSync: the stand-in answers from this process).
  const next = await new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const cli = spawn(process.execPath, [DIST_CLI, 'sync', '--json', '--no-progress'], {
      cwd: dir,
      env: { ...process.env, ...standIn.settingsEnv(), PI_DB: dbPath, PI_LOG_LEVEL: 'warn' },
    });
    let stdout = '';
    let stderr = '';
    cli.stdout.on('data', (d) => (stdout += d));
    cli.stderr.on('data', (d) => (stderr += d));
    cli.on('close', (status) => resolve({ status, stdout, stderr }));
  });
  expect(next.stderr).toBe('');
  expect(next.status).toBe(0);
  const run = JSON.parse(next.stdout) as { state: string; error: string | null; units: { kind: string; state: string }[] };
  expect(run).toMatchObject({ state: 'SUCCEEDED', error: null });
  expect(run.units.some((u) => u.kind === 'invoice' && u.state === 'LOADED')).toBe(true);

  const after = await Warehouse.open(dbPath);
  try {
    expect(await warehouseLines(after)).toEqual(expectedLines(standIn.dataSet));
    const runs = await after.all<{ state: string; error: string | null }>('SELECT state, error FROM sync_runs ORDER BY sync_seq');
    expect(runs.map((r) => r.state)).toEqual(['FAILED', 'SUCCEEDED']);
    expect(runs[0].error).toMatch(/interrupted/);
  } finally {
    after.close();
  }
}, 300_000);
