import { randomUUID } from 'node:crypto';
import { connect } from 'node:net';
import { existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startServer, type RunningServer } from '../../gateway/server';
import { Warehouse } from '../../warehouse/db';
import { testAuth, token } from '../gateway/harness';
import { copyTemplate, demoData } from '../support/data-sets';
import { until } from '../support/wait';

/**
 * Export and download routes bounded like GraphQL requests (issue 15): real HTTP against a real
 * server on an ETL-loaded warehouse whose usage lines are multiplied (3,000 x 1,000 lines), so that a
 * line-level export keeps DuckDB busy for seconds. What DuckDB does is seen from outside the
 * export's code: the file descriptors the process holds on the export's temporary file (DuckDB
 * opens the COPY's target when it starts and closes it when the statement ends) and the CPU time
 * the process spends (DuckDB's worker threads are in it).
 */
const IDLE_MS = 2500;
const SETTINGS = { PI_QUERY_TIMEOUT_MS: String(IDLE_MS), PI_DB_THREADS: '1' };
const saved = Object.fromEntries(Object.keys(SETTINGS).map((k) => [k, process.env[k]]));
const COPIES = 1000;

let dir: string;
let warehouse: Warehouse;
let server: RunningServer;
let partner: string;
let billing: string;

beforeAll(async () => {
  Object.assign(process.env, SETTINGS);
  dir = mkdtempSync(join(tmpdir(), 'pi-export-bounds-'));
  const { summary } = await demoData();
  partner = summary.partners[0].id;
  warehouse = await Warehouse.open(await copyTemplate('demo-full', join(dir, 'warehouse.duckdb')));
  // Each line of the partner COPIES times, quantities varied (so the Parquet writer has work).
  await warehouse.run(
    `INSERT INTO billing_usage_lines SELECT b.* REPLACE (b.quantity + t.i AS quantity, b.billing_pre_tax_total + t.i AS billing_pre_tax_total)
     FROM billing_usage_lines b, range(1, ${COPIES}) t(i) WHERE b.partner_id = $1`,
    [partner],
  );
  server = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth: testAuth });
  billing = await token(partner, ['Billing admin']);
}, 300_000);

afterAll(async () => {
  await server?.close();
  warehouse?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

/** The export temporary directories (pi-export-*) that exist now. */
const exportDirs = () => new Set(readdirSync(tmpdir()).filter((n) => /^pi-export-(?!bounds)/.test(n)));

/** File descriptors of this process open on an export's temporary file (deleted or not). */
function openExportFiles(): string[] {
  const open: string[] = [];
  for (const fd of readdirSync('/proc/self/fd')) {
    try {
      const target = readlinkSync(`/proc/self/fd/${fd}`);
      if (/\/pi-export-(?!bounds)[^/]+\/export\./.test(target)) open.push(target);
    } catch {
      // closed in between
    }
  }
  return open;
}

/** Share of one core this process used over `ms`. */
async function cpuOver(ms: number): Promise<number> {
  const start = process.cpuUsage();
  const began = performance.now();
  await new Promise((resolve) => setTimeout(resolve, ms));
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000 / (performance.now() - began);
}

/**
 * The lowest share of one core this process used over a `windowMs` window, looking for one under
 * `below` for up to `withinMs`: a GC pause or jest's own work may take one window, a DuckDB thread
 * still at work takes them all.
 */
async function quietWithin(withinMs: number, windowMs: number, below: number): Promise<number> {
  const started = Date.now();
  let lowest = Infinity;
  while (lowest >= below && Date.now() - started < withinMs) lowest = Math.min(lowest, await cpuOver(windowMs));
  return lowest;
}

describe.each(['parquet', 'xlsx'] as const)('%s', (format) => {
  test('a client that leaves while the export is being written: its DuckDB work is gone within a second', async () => {
    const before = exportDirs();
    const client = new AbortController();
    const request = fetch(`${server.url}/exports/usage-lines.${format}?range=lifetime`, {
      headers: { authorization: `Bearer ${billing}` },
      signal: client.signal,
    }).catch((err: Error) => err.name);
    // DuckDB writing (Parquet: the COPY holds its target open; XLSX: exceljs's file stream and DuckDB's stream).
    await until(() => openExportFiles().length > 0, 20_000, 'the export to start writing');
    const busy = await cpuOver(500);
    expect(openExportFiles().length).toBeGreaterThan(0); // still writing: the whole export takes far longer
    client.abort();
    expect(await request).toBe('AbortError');
    const closedIn = await until(() => openExportFiles().length === 0, 1000, `the export file to be closed: ${openExportFiles()}`);
    expect(closedIn).toBeLessThan(1000);
    // Busy: at least a fifth of a core (one DuckDB thread, on a shared machine); gone: a small fraction of that.
    expect(busy).toBeGreaterThan(0.2);
    const quiet = Math.min(0.15, busy / 3);
    expect(await quietWithin(1000, 250, quiet)).toBeLessThan(quiet);
    await until(() => [...exportDirs()].every((n) => before.has(n)), 1000, 'the temporary directory to be removed');
    // The server goes on.
    const next = await fetch(`${server.url}/exports/partner-profile.csv`, { headers: { authorization: `Bearer ${await token(partner, ['Global admin'])}` } });
    expect(next.status).toBe(200);
    await next.arrayBuffer();
  }, 60_000);
});

test('HEAD answers at once what a GET takes seconds to write', async () => {
  const started = performance.now();
  const head = await fetch(`${server.url}/exports/usage-lines.parquet?range=lifetime`, { method: 'HEAD', headers: { authorization: `Bearer ${billing}` } });
  const headMs = performance.now() - started;
  expect(head.status).toBe(200);
  expect(head.headers.get('etag')).toMatch(/^W\//);
  expect(headMs).toBeLessThan(1000);
  expect(openExportFiles()).toEqual([]);
});

/**
 * A GET from a client that reads the first bytes of the answer and then nothing (a raw socket,
 * paused: fetch would go on reading into its own buffers). `readRest` resumes reading and resolves
 * with the body bytes received before the connection closed (all of them unless the server cut it),
 * or as soon as all of them are in.
 */
async function stalledGet(path: string, bearer: string): Promise<{ head: string; length: number; readRest(): Promise<number> }> {
  const { hostname, port } = new URL(server.url);
  const socket = connect(Number(port), '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(`GET ${path} HTTP/1.1\r\nhost: ${hostname}\r\nauthorization: Bearer ${bearer}\r\n\r\n`);
  const first: Buffer = await new Promise((resolve) => socket.once('data', resolve));
  socket.pause();
  const text = first.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const head = text.slice(0, end);
  let received = first.length - end - 4;
  const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? NaN);
  // Resolves at the connection's end, or once the whole body is in (a kept-alive connection stays open).
  const done = new Promise<number>((resolve) => {
    socket.on('close', () => resolve(received));
    socket.on('data', () => received >= length && resolve(received));
  });
  return {
    head,
    length,
    readRest() {
      socket.on('data', (data: Buffer) => (received += data.length));
      socket.resume();
      return done.finally(() => socket.destroy());
    },
  };
}

test('a client that stops reading the file is cut after PI_QUERY_TIMEOUT_MS without taking any of it', async () => {
  // About 60,000 lines as CSV (some 40 MB): more than the socket buffers hold.
  const days = await warehouse.all<{ d: string; n: string }>(
    `SELECT strftime(usage_date, '%Y-%m-%d') AS d, count(*)::VARCHAR AS n FROM billing_usage_lines WHERE partner_id = $1 GROUP BY 1 ORDER BY 1`,
    [partner],
  );
  let rows = 0;
  let last = 0;
  while (rows < 60_000 && last < days.length - 1) rows += Number(days[last++].n);
  const before = exportDirs();
  const stalled = await stalledGet(`/exports/usage-lines.csv?from=${days[0].d}&to=${days[last].d}`, billing);
  const started = Date.now();
  expect(stalled.head).toMatch(/^HTTP\/1.1 200 OK/);
  expect(stalled.length).toBeGreaterThan(20_000_000);
  // The server's side: the transfer ends (its temporary file removed) one to two periods of
  // PI_QUERY_TIMEOUT_MS after the client stopped (Node's socket timeout: no write completed for a period).
  await until(() => [...exportDirs()].every((n) => before.has(n)), 2 * IDLE_MS + 2000, 'the stalled transfer to be cut');
  expect(Date.now() - started).toBeGreaterThanOrEqual(IDLE_MS - 200);
  // The client's side: what was in the socket buffers, then the end, short of the length.
  expect(await stalled.readRest()).toBeLessThan(stalled.length);
}, 60_000);

test('downloads: a client that stops reading a generated report is cut after PI_QUERY_TIMEOUT_MS too', async () => {
  const id = randomUUID();
  const file = join(dir, `${id}.csv`);
  const size = 48 * 1024 * 1024;
  writeFileSync(file, Buffer.alloc(size, 'a'));
  await warehouse.run(
    `INSERT INTO generated_reports (report_id, partner_id, dataset, title, timeframe, format, status, requester_roles, requested_at, generated_at, expires_at, file_path, file_name, content_type, row_count, byte_count)
     VALUES ($1, $2, 'usage-lines', 'Daily-rated usage lines', 'LIFETIME', 'csv', 'READY', ['Billing admin'], now(), now(), now() + INTERVAL 14 DAY, $3, 'big.csv', 'text/csv', 1, $4)`,
    [id, partner, file, size],
  );
  const stalled = await stalledGet(`/downloads/${id}`, billing);
  expect(stalled.head).toMatch(/^HTTP\/1.1 200 OK/);
  expect(stalled.length).toBe(size);
  await new Promise((resolve) => setTimeout(resolve, 2 * IDLE_MS + 1000));
  expect(await stalled.readRest()).toBeLessThan(size);
  expect(existsSync(file)).toBe(true);
  // A client that reads gets it whole; one that pauses less than the limit too.
  const whole = await stalledGet(`/downloads/${id}`, billing);
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS / 2));
  expect(await whole.readRest()).toBe(size);
}, 60_000);
