/**
 * One owner of the warehouse file, and the CLI goes through it: a real server process
 * (`partner-insights start --no-demo`, compiled) on a small demo warehouse writes the owner
 * file; `load`, `status`, `export` and `report executive` run while it serves, through its routes
 * (real HTTP), and no DuckDB lock error ever reaches their output. The ingestion routes' roles and
 * tenant rules over HTTP, the owner secret, `serve --subgraph` refused beside the owner, the lock
 * message of a warehouse held by another process, and the owner file module itself.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadAuthConfig, mintToken } from '../../gateway/auth';
import type { PartnerRole } from '../../core/vocabulary';
import { Warehouse } from '../../warehouse/db';
import { isProcessAlive, liveOwner, lockConflictOf, ownerFilePath, readOwnerFile, removeOwnerFile, writeOwnerFile, type WarehouseOwner } from '../../warehouse/owner';
import { generateDemoData } from '../../etl/generate';
import { loadFiles } from '../../etl/load';
import { tempDir } from '../etl/helpers';
import { stopChild } from '../support/child';

const ROOT = resolve(__dirname, '../..');
const DIST_CLI = join(ROOT, 'dist/cli/main.js');
const JWT_SECRET = 'owner-test-secret';
const auth = loadAuthConfig({ PI_JWT_SECRET: JWT_SECRET });
const LOCK_WORDS = /Could not set lock/i;

interface Ran {
  code: number | null;
  stdout: string;
  stderr: string;
}

let dir: string;
let cleanup: () => void;
let dbPath: string;
let env: NodeJS.ProcessEnv;
let server: ChildProcess;
let serverOutput = '';
let owner: WarehouseOwner;
let partnerA: string;
let partnerB: string;
let month: string;
let customersHeader: string;
let customerRowA: string;

/** The build that exists: bin/partner-insights rebuilds dist/ only when a source is newer than its last build. */
function build(): void {
  spawnSync(join(ROOT, 'bin/partner-insights'), [], { cwd: ROOT, env: { ...process.env, PI_BUILD_ONLY: '1' }, stdio: 'ignore', timeout: 280_000 });
  if (!existsSync(DIST_CLI)) throw new Error('build did not produce dist/cli');
}

/** `partner-insights ...args` in a child process (compiled), with the suite's PI_DB unless `extraEnv` says otherwise. */
function cli(args: string[], extraEnv: NodeJS.ProcessEnv = {}, timeoutMs = 120_000): Promise<Ran> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [DIST_CLI, ...args], { cwd: dir, env: { ...env, ...extraEnv }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code) => {
      clearTimeout(timer);
      // DuckDB's raw lock error never reaches a user, whatever the command.
      if (LOCK_WORDS.test(`${stdout}${stderr}`)) fail(new Error(`partner-insights ${args.join(' ')} printed DuckDB's lock error:\n${stdout}${stderr}`));
      else done({ code, stdout, stderr });
    });
  });
}

const token = (partner: string, roles: PartnerRole[]) => mintToken(auth, { partner, roles }, '1h');

async function gql(bearer: string, query: string): Promise<any> {
  const response = await fetch(`${owner.url}/graphql`, {
    method: 'POST',
    headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
    body: JSON.stringify({ query }),
  });
  return response.json();
}

/** A customers file of one row: the demo row of partner A with a new id, name and partner. */
function customersFile(name: string, id: string, companyName: string, partner = partnerA): string {
  const cells = customerRowA.split(',');
  cells[0] = partner;
  cells[1] = id;
  cells[2] = companyName;
  const path = join(dir, 'files', name);
  writeFileSync(path, `${customersHeader}\n${cells.join(',')}\n`);
  return path;
}

async function waitFor<T>(what: string, probe: () => T | null | undefined, timeoutMs = 120_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; server output:\n${serverOutput}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  build();
  ({ dir, cleanup } = tempDir('pi-owner-'));
  mkdirSync(join(dir, 'files'));
  // A small demo warehouse of its own (2 partners, 5 customers each, 3 months), loaded by the ETL.
  const files = join(dir, 'demo-files');
  await generateDemoData({ out: files, seed: 7, customers: 5, months: 3, usageRows: 200 });
  dbPath = join(dir, 'warehouse.duckdb');
  const db = await Warehouse.open(dbPath);
  try {
    const results = await loadFiles(db, [files]);
    const rejected = results.filter((r) => r.status === 'rejected' && /\.csv$/.test(r.fileName));
    if (rejected.length) throw new Error(`demo files rejected: ${rejected.map((r) => `${r.fileName}: ${r.message}`).join('; ')}`);
    const partners = await db.all<{ partner_id: string }>('SELECT partner_id FROM partners ORDER BY partner_id');
    [partnerA, partnerB] = partners.map((p) => p.partner_id);
    await db.run('CHECKPOINT');
  } finally {
    db.close();
  }
  const customers = readFileSync(
    ['contoso', 'fabrikam'].map((p) => join(files, p, 'customers.csv')).find((f) => existsSync(f) && readFileSync(f, 'utf8').includes(partnerA))!,
    'utf8',
  ).split('\n');
  customersHeader = customers[0];
  customerRowA = customers.find((line) => line.startsWith(`${partnerA},`))!;

  env = { ...process.env, PI_DB: dbPath, PI_JWT_SECRET: JWT_SECRET, PI_LOG_LEVEL: 'warn', PI_DEBUG: '', PI_DEMO_DIR: join(dir, 'demo') };
  server = spawn(process.execPath, [DIST_CLI, 'start', '--no-demo'], {
    cwd: dir,
    env: { ...env, PI_PORT: '0', PI_HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  server.stdout!.on('data', (d) => (serverOutput += d));
  server.stderr!.on('data', (d) => (serverOutput += d));
  owner = await waitFor('the owner file', () => liveOwner(dbPath));
  // The last month of the report: what it says of a month without data.
  const probe = await fetch(`${owner.url}/reports/executive?month=1990-01`, {
    headers: { 'x-pi-owner-secret': owner.secret, 'x-pi-partner': partnerA, 'x-pi-roles': 'Executive report viewer' },
  });
  month = String(((await probe.json()) as { to?: string }).to);
}, 400_000);

afterAll(async () => {
  await stopChild(server);
  cleanup?.();
}, 60_000);

describe('the owner file', () => {
  it('is written beside the warehouse once the server listens: its pid, a URL that answers, a secret; mode 0600', async () => {
    const file = ownerFilePath(dbPath)!;
    expect(file).toBe(`${dbPath}.owner.json`);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(owner).toMatchObject({ pid: server.pid, dbPath, secret: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect((await fetch(`${owner.url}/healthz`)).status).toBe(200);
  });

  it('a stale file (its process is gone) is ignored and replaced; a file is removed only by its own secret', () => {
    const other = join(dir, 'other.duckdb');
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    const deadPid = Number(dead.stdout);
    expect(isProcessAlive(deadPid)).toBe(false);
    writeFileSync(ownerFilePath(other)!, JSON.stringify({ pid: deadPid, url: 'http://127.0.0.1:1', secret: 'old', startedAt: '', dbPath: other }));
    expect(readOwnerFile(other)?.pid).toBe(deadPid);
    expect(liveOwner(other)).toBeNull();
    const mine = writeOwnerFile(other, { url: 'http://127.0.0.1:2', secret: 'new' });
    expect(liveOwner(other)).toEqual(mine);
    removeOwnerFile(other, 'not-mine');
    expect(readOwnerFile(other)).not.toBeNull();
    removeOwnerFile(other, 'new');
    expect(readOwnerFile(other)).toBeNull();
    // Another live process's file is not overwritten.
    expect(() => writeOwnerFile(dbPath, { url: 'http://x', secret: 'x' })).toThrow(/is served by process/);
    expect(ownerFilePath(':memory:')).toBeNull();
  });

  it("reads DuckDB's lock refusal: the path and the PID holding it", () => {
    const conflict = lockConflictOf(
      new Error('IO Error: Could not set lock on file "/tmp/w.duckdb": Conflicting lock is held in /usr/bin/node (PID 4242) by user me. See also https://duckdb.org/docs/connect/concurrency'),
    );
    expect(conflict).toEqual({ path: '/tmp/w.duckdb', pid: 4242, program: '/usr/bin/node' });
    expect(lockConflictOf(new Error('something else'))).toBeNull();
  });
});

describe('the CLI while the server owns the warehouse', () => {
  it('load: a new customers file loads through the server (exit 0, the summary line), and GraphQL sees the customer at once', async () => {
    const file = customersFile('customers-new.csv', '0a0a0a0a-1111-4222-8333-444444444444', 'Zebra Newco Ltd');
    const ran = await cli(['load', file, '--no-progress']);
    expect(ran.stderr).toContain(`served by process ${owner.pid}`);
    expect(ran.code).toBe(0);
    expect(ran.stdout).toMatch(/^customers-new\.csv: customers -> customers: 1 rows loaded, 0 quarantined, 0 replaced, 0 skipped \(\d+\.\d s/m);

    // Handed over by path (the server is on this machine): the job removes its link, never the file.
    expect(existsSync(file)).toBe(true);
    const body = await gql(await token(partnerA, ['Global admin']), '{ customers(first: 5, filter: { search: "Zebra Newco" }) { totalCount edges { node { id companyName } } } }');
    expect(body.errors).toBeUndefined();
    expect(body.data.customers.edges).toEqual([{ node: { id: '0a0a0a0a-1111-4222-8333-444444444444', companyName: 'Zebra Newco Ltd' } }]);

    // Again: skipped as already loaded; with a rejected file beside it, exit 1 and the totals, as offline.
    const bad = join(dir, 'files', 'notes.csv');
    writeFileSync(bad, 'Foo,Bar\n1,2\n');
    const again = await cli(['load', file, bad, '--no-progress']);
    expect(again.code).toBe(1);
    expect(again.stdout).toMatch(/^customers-new\.csv: skipped, already loaded \(load \d+ on /m);
    expect(again.stdout).toMatch(/^notes\.csv: REJECTED: no known file format has these columns \(Foo, Bar\)/m);
    expect(again.stdout).toMatch(/^2 file\(s\): 0 loaded \(0 rows\), 1 skipped as already loaded, 1 rejected; 0 rows quarantined/m);

    const json = await cli(['load', file, '--json']);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ fileName: 'customers-new.csv', status: 'skipped' })]);
  }, 120_000);

  it('status, export and report executive work at the same time as a load, with no lock error', async () => {
    const file = customersFile('customers-more.csv', '0b0b0b0b-1111-4222-8333-444444444444', 'Yak Partners Ltd');
    const [load, status, statusText, exported, report] = await Promise.all([
      cli(['load', file, '--no-progress']),
      cli(['status', '--json', '--limit', '3']),
      cli(['status']),
      cli(['export', 'customer-details', '--format', 'csv', '--out', join(dir, 'customers.csv'), '--partner', partnerA, '--no-progress']),
      cli(['report', 'executive', '--month', month, '--partner', partnerA, '--out', join(dir, 'report.html')]),
    ]);
    expect(load.code).toBe(0);
    expect(load.stdout).toContain('customers-more.csv: customers -> customers: 1 rows loaded');

    expect(status.code).toBe(0);
    const s = JSON.parse(status.stdout);
    expect(s.path).toBe(dbPath);
    expect(s.tables.customers).toBeGreaterThan(0);
    expect(s.loads.last.length).toBeLessThanOrEqual(3);
    expect(Object.keys(s).sort()).toEqual(['jobs', 'loads', 'path', 'quarantine', 'quarantined', 'tables']);
    // The server's load jobs: the CLI's earlier loads went through it.
    expect(s.jobs.length).toBeGreaterThan(0);
    expect(s.jobs.length).toBeLessThanOrEqual(3);
    expect(s.jobs[0]).toMatchObject({ job_id: expect.any(String), state: expect.stringMatching(/^(QUEUED|RUNNING|SUCCEEDED|FAILED)$/) });
    expect(statusText.code).toBe(0);
    expect(statusText.stdout).toMatch(/^Load jobs of the server \(latest \d+\):$/m);
    expect(statusText.stdout).toMatch(/^Warehouse .*warehouse\.duckdb\n\nTables \(rows\):/);

    expect(exported.code).toBe(0);
    expect(exported.stdout).toMatch(/^wrote .*customers\.csv: customer-details as csv, [\d,]+ rows, [\d,]+ bytes in /);
    expect(readFileSync(join(dir, 'customers.csv'), 'utf8')).toMatch(/^Month,CustomerId,CustomerName/);
    expect(existsSync(join(dir, 'customers.csv.partial'))).toBe(false);

    expect(report.code).toBe(0);
    expect(report.stdout).toMatch(/^wrote .*report\.html \([\d,]+ bytes\): executive report /);
    expect(readFileSync(join(dir, 'report.html'), 'utf8')).toMatch(/^<!doctype html>/i);
  }, 120_000);

  it('a refused request keeps its exit code: a Report viewer may not export billing lines (2, naming the roles)', async () => {
    const ran = await cli(['export', 'usage-lines', '--out', join(dir, 'usage.csv'), '--partner', partnerA, '--role', 'Report viewer', '--no-progress']);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toMatch(/Global admin/);
    expect(existsSync(join(dir, 'usage.csv'))).toBe(false);
  });

  it('serve --subgraph beside the owner: refused (2), naming the process, its URL and PI_SUBGRAPH_URLS', async () => {
    const ran = await cli(['serve', '--subgraph', 'accounts', '--port', '0'], {}, 30_000);
    expect(ran.code).toBe(2);
    expect(ran.stderr).toContain(`served by process ${owner.pid} at ${owner.url}`);
    expect(ran.stderr).toContain('PI_SUBGRAPH_URLS');
  });
});

describe('the ingestion routes over HTTP', () => {
  async function upload(headers: Record<string, string>, name: string, body: string): Promise<Response> {
    return fetch(`${owner.url}/ingest/uploads?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { 'content-type': 'text/csv', ...headers }, body });
  }
  const bearer = async (partner: string, roles: PartnerRole[]) => ({ authorization: `Bearer ${await token(partner, roles)}` });

  it("a file is handed over by path only by the local operator: a token's localPath is 400", async () => {
    const file = customersFile('customers-path.csv', '0e0e0e0e-1111-4222-8333-444444444444', 'Path Only Ltd');
    const response = await fetch(`${owner.url}/ingest/uploads?name=customers-path.csv&localPath=${encodeURIComponent(file)}`, {
      method: 'POST',
      headers: await bearer(partnerA, ['Global admin']),
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).message).toContain('localPath is for the local operator');
  });

  it('a Report viewer may not load: 403 naming the roles that may', async () => {
    const response = await upload(await bearer(partnerA, ['Report viewer']), 'customers.csv', 'a,b\n');
    expect(response.status).toBe(403);
    const body = (await response.json()) as any;
    expect(body).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['Global admin', 'Billing admin'] });
    expect(body.message).toMatch(/Global admin, Billing admin/);
    const loads = await fetch(`${owner.url}/ingest/loads`, {
      method: 'POST',
      headers: { ...(await bearer(partnerA, ['Report viewer'])), 'content-type': 'application/json' },
      body: JSON.stringify({ uploads: ['x'] }),
    });
    expect(loads.status).toBe(403);
  });

  it("a token loads for its own partner only; uploads and jobs of another partner are not found; the status is the operator's", async () => {
    const a = await bearer(partnerA, ['Billing admin']);
    const b = await bearer(partnerB, ['Global admin']);
    const text = readFileSync(customersFile('customers-a.csv', '0c0c0c0c-1111-4222-8333-444444444444', 'Ibex Trading Ltd'), 'utf8');
    const uploaded = await upload(a, 'customers-a.csv', text);
    expect(uploaded.status).toBe(201);
    const { uploadId, sizeBytes } = (await uploaded.json()) as any;
    expect(sizeBytes).toBe(Buffer.byteLength(text));

    const post = (headers: Record<string, string>, body: unknown) =>
      fetch(`${owner.url}/ingest/loads`, { method: 'POST', headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(body) });
    // Another partner's rows: refused by name.
    const forB = await post(a, { uploads: [uploadId], options: { partner: partnerB } });
    expect(forB.status).toBe(403);
    expect(((await forB.json()) as any).message).toContain(`not partner ${partnerB}`);
    // Partner B cannot use A's upload.
    expect((await post(b, { uploads: [uploadId] })).status).toBe(404);
    // Bad bodies are 400 with the validator's message.
    expect((await post(a, { uploads: [] })).status).toBe(400);
    expect((await post(a, { uploads: [uploadId], options: { maxBadShare: 2 } })).status).toBe(400);

    const started = await post(a, { uploads: [uploadId] });
    expect(started.status).toBe(202);
    const job = (await started.json()) as any;
    expect(started.headers.get('location')).toBe(`/ingest/loads/${job.id}`);
    expect(job).toMatchObject({ id: expect.any(String), state: expect.stringMatching(/QUEUED|RUNNING|SUCCEEDED/), files: [expect.objectContaining({ name: 'customers-a.csv' })] });
    let done = job;
    while (done.state === 'QUEUED' || done.state === 'RUNNING') {
      await new Promise((r) => setTimeout(r, 100));
      done = (await (await fetch(`${owner.url}/ingest/loads/${job.id}`, { headers: a })).json()) as any;
    }
    expect(done).toMatchObject({ state: 'SUCCEEDED', rowsLoaded: 1 });
    expect(done.files[0].result).toMatchObject({ fileName: 'customers-a.csv', status: 'loaded', format: 'customers', table: 'customers', rowsLoaded: 1 });
    // The upload is the job's now: a second job cannot take it.
    expect((await post(a, { uploads: [uploadId] })).status).toBe(404);
    // Partner B does not see partner A's job.
    expect((await fetch(`${owner.url}/ingest/loads/${job.id}`, { headers: b })).status).toBe(404);
    // The warehouse-wide status: the operator's only.
    expect((await fetch(`${owner.url}/ingest/status`, { headers: a })).status).toBe(403);
  });

  it("a file whose PartnerId column names another partner, uploaded with partner A's token, is rejected whole naming it", async () => {
    const a = await bearer(partnerA, ['Global admin']);
    const text = readFileSync(customersFile('customers-of-b.csv', '0d0d0d0d-1111-4222-8333-444444444444', 'Okapi Foreign Ltd', partnerB), 'utf8');
    const uploaded = await upload(a, 'customers-of-b.csv', text);
    expect(uploaded.status).toBe(201);
    const { uploadId } = (await uploaded.json()) as any;
    const started = await fetch(`${owner.url}/ingest/loads`, {
      method: 'POST',
      headers: { ...a, 'content-type': 'application/json' },
      body: JSON.stringify({ uploads: [uploadId] }),
    });
    expect(started.status).toBe(202);
    let job = (await started.json()) as any;
    while (job.state === 'QUEUED' || job.state === 'RUNNING') {
      await new Promise((r) => setTimeout(r, 100));
      job = (await (await fetch(`${owner.url}/ingest/loads/${job.id}`, { headers: a })).json()) as any;
    }
    expect(job).toMatchObject({ state: 'FAILED', rowsLoaded: 0 });
    expect(job.files[0].result).toMatchObject({ status: 'rejected', rowsLoaded: 0 });
    expect(job.files[0].result.message).toContain(`this load is for partner "${partnerA}"`);
    expect(job.files[0].result.message).toContain(`"${partnerB}" (1 rows)`);
    // Nothing of partner B changed: the customer is nowhere.
    const b = await gql(await token(partnerB, ['Global admin']), '{ customers(first: 5, filter: { search: "Okapi" }) { totalCount } }');
    expect(b.errors).toBeUndefined();
    expect(b.data.customers.totalCount).toBe(0);
  });

  it('the owner secret: a wrong one is 401, it is refused on /graphql, the operator roles are checked', async () => {
    const wrong = await fetch(`${owner.url}/ingest/status`, { headers: { 'x-pi-owner-secret': 'nope' } });
    expect(wrong.status).toBe(401);
    const right = await fetch(`${owner.url}/ingest/status?limit=1`, { headers: { 'x-pi-owner-secret': owner.secret } });
    expect(right.status).toBe(200);
    expect(((await right.json()) as any).path).toBe(dbPath);
    const graphql = await fetch(`${owner.url}/graphql`, {
      method: 'POST',
      headers: { 'x-pi-owner-secret': owner.secret, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ partner { name } }' }),
    });
    expect(graphql.status).toBe(401);
    const badRole = await fetch(`${owner.url}/reports/executive?month=${month}`, {
      headers: { 'x-pi-owner-secret': owner.secret, 'x-pi-partner': partnerA, 'x-pi-roles': 'Emperor' },
    });
    expect(badRole.status).toBe(400);
    expect(((await badRole.json()) as any).message).toMatch(/unknown role\(s\) "Emperor"/);
  });
});

describe('a warehouse another process holds, with no owner file', () => {
  it('status says which process holds it and what to do, never the raw DuckDB error (exit 1)', async () => {
    const held = join(dir, 'held.duckdb');
    const db = await Warehouse.open(held);
    try {
      const ran = await cli(['status'], { PI_DB: held }, 60_000);
      expect(ran.code).toBe(1);
      expect(ran.stderr).toContain(`the warehouse ${held} is open in process ${process.pid}`);
      expect(ran.stderr).toMatch(/Stop that process .* or, when it is a partner-insights server/);
    } finally {
      db.close();
    }
  });
});
