/**
 * A server killed (SIGKILL) in the middle of a load loses nothing: the file's transaction never
 * commits, so the warehouse holds exactly what it held before; the next start marks the job FAILED
 * saying it was interrupted; loading the file again then loads it whole. A real server process over
 * real HTTP, on a copy of the shared demo warehouse.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadAuthConfig, mintToken } from '../../gateway/auth';
import { Warehouse } from '../../warehouse/db';
import { liveOwner, type WarehouseOwner } from '../../warehouse/owner';
import { tempDir } from '../etl/helpers';
import { copyTemplate, demoData } from '../support/data-sets';
import { stopChild } from '../support/child';
import { finishedLoadJob, loadJob, uploadAndStartLoad } from '../support/ingest';

const ROOT = resolve(__dirname, '../..');
const DIST_CLI = join(ROOT, 'dist/cli/main.js');
const JWT_SECRET = 'kill-test-secret';
const auth = loadAuthConfig({ PI_JWT_SECRET: JWT_SECRET });
/** The invoice number of the big usage file: no earlier line has it. */
const INVOICE = 'G990000001';
/** Copies of one demo usage file's lines: enough rows that the load is still reading when it is killed. */
const ROWS = 100_000;

let dir: string;
let cleanup: () => void;
let dbPath: string;
let partner: string;
let usageFile: string;
let server: ChildProcess | undefined;
let output = '';

function build(): void {
  spawnSync(join(ROOT, 'bin/partner-insights'), [], { cwd: ROOT, env: { ...process.env, PI_BUILD_ONLY: '1' }, stdio: 'ignore', timeout: 280_000 });
  if (!existsSync(DIST_CLI)) throw new Error('build did not produce dist/cli');
}

async function startServer(): Promise<WarehouseOwner> {
  output = '';
  server = spawn(process.execPath, [DIST_CLI, 'start', '--no-demo'], {
    cwd: dir,
    env: { ...process.env, PI_DB: dbPath, PI_JWT_SECRET: JWT_SECRET, PI_LOG_LEVEL: 'warn', PI_PORT: '0', PI_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => (output += d));
  server.stderr!.on('data', (d) => (output += d));
  const deadline = Date.now() + 120_000;
  for (;;) {
    const owner = liveOwner(dbPath);
    if (owner && owner.pid === server.pid) return owner;
    if (Date.now() > deadline || server.exitCode !== null) throw new Error(`the server did not start:\n${output}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const stop = (signal: NodeJS.Signals) => stopChild(server, signal);

/** The big file: the header and lines of one demo usage file, repeated, all on one new invoice. */
function writeUsageFile(files: string): string {
  const recon = join(files, readdirSync(files).find((d) => existsSync(join(files, d, 'recon')))!, 'recon');
  const source = join(recon, readdirSync(recon).find((f) => f.endsWith('_DailyRatedUsage.csv'))!);
  const [header, ...lines] = readFileSync(source, 'utf8').trim().split('\n');
  const invoiceAt = header.split(',').indexOf('InvoiceNumber');
  const partnerAt = header.split(',').indexOf('PartnerId');
  expect(invoiceAt).toBeGreaterThanOrEqual(0);
  const body = lines.map((l) => {
    const cells = l.split(',');
    cells[invoiceAt] = INVOICE;
    return cells.join(',');
  });
  partner = lines[0].split(',')[partnerAt];
  const out: string[] = [header];
  for (let i = 0; out.length <= ROWS; i++) out.push(body[i % body.length]);
  const path = join(dir, `${INVOICE}_DailyRatedUsage.csv`);
  writeFileSync(path, `${out.join('\n')}\n`);
  return path;
}

async function counts(): Promise<{ lines: number; loads: number }> {
  const db = await Warehouse.open(dbPath);
  try {
    const [row] = await db.all<{ lines: string; loads: string }>(
      `SELECT (SELECT count(*) FROM billing_usage_lines)::VARCHAR AS lines, (SELECT count(*) FROM etl_loads WHERE status = 'loaded')::VARCHAR AS loads`,
    );
    return { lines: Number(row.lines), loads: Number(row.loads) };
  } finally {
    db.close();
  }
}

const uploadAndStart = (owner: WarehouseOwner, headers: Record<string, string>) =>
  uploadAndStartLoad(owner.url, headers, `${INVOICE}_DailyRatedUsage.csv`, readFileSync(usageFile));
const job = (owner: WarehouseOwner, headers: Record<string, string>, id: string) => loadJob(owner.url, headers, id);

beforeAll(async () => {
  build();
  ({ dir, cleanup } = tempDir('pi-kill-'));
  dbPath = await copyTemplate('demo-insights', join(dir, 'warehouse.duckdb'));
  usageFile = writeUsageFile((await demoData()).files);
}, 400_000);

afterAll(async () => {
  await stop('SIGTERM');
  cleanup?.();
}, 60_000);

it('SIGKILL mid-load: the warehouse is as before, the job is FAILED as interrupted, and the file then loads whole', async () => {
  const before = await counts();
  const headers = { authorization: `Bearer ${await mintToken(auth, { partner, roles: ['Billing admin'] }, '1h')}` };

  let owner = await startServer();
  const id = await uploadAndStart(owner, headers);
  // Kill it while the loader reads the file (the job is RUNNING and its file not yet done).
  const deadline = Date.now() + 60_000;
  for (;;) {
    const running = await job(owner, headers, id);
    if (running.state === 'RUNNING' && running.progress?.phase === 'reading') break;
    expect(['QUEUED', 'RUNNING']).toContain(running.state);
    if (Date.now() > deadline) throw new Error(`the load never started reading: ${JSON.stringify(running)}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  await stop('SIGKILL');

  // Nothing of the file committed.
  expect(await counts()).toEqual(before);

  owner = await startServer();
  const interrupted = await job(owner, headers, id);
  expect(interrupted.state).toBe('FAILED');
  expect(interrupted.error).toMatch(/^interrupted: the server stopped while this load was running/);
  expect(interrupted.files[0]).toMatchObject({ name: `${INVOICE}_DailyRatedUsage.csv`, status: 'PENDING' });

  // Loaded again: whole, once.
  const again = await uploadAndStart(owner, headers);
  const done = await finishedLoadJob(owner.url, headers, again);
  expect(done).toMatchObject({ state: 'SUCCEEDED', rowsLoaded: ROWS });
  await stop('SIGTERM');
  expect(await counts()).toEqual({ lines: before.lines + ROWS, loads: before.loads + 1 });
}, 300_000);
