import { join } from 'node:path';
import { IngestionQueue } from '../../etl/ingest/queue';
import { partnerCenterSettingsFromEnv } from '../../etl/sync/client';
import { SyncService, syncIntervalFromEnv } from '../../etl/sync/service';
import { partnerCenterSource } from '../../etl/sync/source';
import { Warehouse } from '../../warehouse/db';
import { syncRunWithUnits, type SyncRunRow } from '../../warehouse/sync/runs';
import { generateDataSet, startStandIn, type StandIn } from '../../stand-in';
import { tempDir } from '../etl/helpers';
import { expectedLines, warehouseLines } from './lines';

/**
 * `partner-insights sync` end to end, in process: the sync (etl/sync) over real HTTP against the
 * local stand-in of Entra ID, Partner Center, the Referrals API and Graph's billing exports
 * (stand-in/), loading through the ingestion queue into a DuckDB file. One warehouse for the
 * suite: each test builds on what the earlier ones synced, as a partner's syncs do.
 */
let standIn: StandIn;
let dir: string;
let cleanup: () => void;
let db: Warehouse;
let queue: IngestionQueue;
let syncs: SyncService;
/** How long the stand-in asked the client to wait (Retry-After, backoff): recorded, not slept. */
const waits: number[] = [];

beforeAll(async () => {
  standIn = await startStandIn({ dataSet: generateDataSet('small') });
  ({ dir, cleanup } = tempDir('pi-sync-test-'));
  db = await Warehouse.open(join(dir, 'warehouse.duckdb'));
  queue = new IngestionQueue(db);
  await queue.start();
  const settings = partnerCenterSettingsFromEnv(standIn.settingsEnv());
  const sleep = async (ms: number) => void waits.push(ms);
  syncs = new SyncService(db, queue, { settings: () => settings, source: (s) => partnerCenterSource(s, { sleep }) });
  await syncs.start();
});
afterAll(async () => {
  await syncs?.close();
  await queue?.close();
  db?.close();
  await standIn?.close();
  cleanup?.();
});

async function sync(): Promise<SyncRunRow & { units: { kind: string; key: string; state: string; message: string | null }[] }> {
  const { id } = await syncs.request({ requestedBy: 'test', trigger: 'cli' });
  await syncs.finished(id);
  return (await syncRunWithUnits(db, id))!;
}

const count = async (sqlText: string, params: string[] = []) => Number((await db.all<{ n: bigint }>(sqlText, params))[0].n);

const blobRequests = () => standIn.requests.filter((r) => r.path.startsWith('/blobs/')).length;

describe('a first sync', () => {
  let run: Awaited<ReturnType<typeof sync>>;
  beforeAll(async () => {
    run = await sync();
  });

  it('succeeds, unit by unit', () => {
    expect(run.error).toBeNull();
    expect(run.state).toBe('SUCCEEDED');
    expect(run.unitsFailed).toBe(0);
    expect(run.units.map((u) => u.kind)).toEqual(expect.arrayContaining(['profile', 'customers', 'subscriptions', 'referrals', 'invoices', 'invoice']));
    expect(run.rowsLoaded).toBeGreaterThan(0);
    expect(run.requests).toBeGreaterThan(0);
  });

  it('loads the partner, its customers, subscriptions, resellers and referrals', async () => {
    const ds = standIn.dataSet;
    const partner = ds.partner.tenantId;
    expect(await count('SELECT count(*) AS n FROM partners WHERE partner_id = $1', [partner])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM customers WHERE partner_id = $1', [partner])).toBe(ds.customers.length);
    expect(await count('SELECT count(*) AS n FROM subscriptions WHERE partner_id = $1', [partner])).toBe(ds.subscriptions.length);
    expect(await count('SELECT count(*) AS n FROM resellers WHERE partner_id = $1', [partner])).toBe(ds.resellers.length);
    expect(await count('SELECT count(*) AS n FROM referrals WHERE partner_id = $1', [partner])).toBe(ds.referrals.length);
    const names = await db.all<{ company_name: string }>('SELECT company_name FROM customers WHERE customer_id = $1', [
      String((ds.customers[0].companyProfile as { tenantId: string }).tenantId),
    ]);
    expect(names).toEqual([{ company_name: (ds.customers[0].companyProfile as { companyName: string }).companyName }]);
  });

  it('loads every invoice and its line items, counts and sums to the cent', async () => {
    expect(await count('SELECT count(*) AS n FROM invoices')).toBe(standIn.dataSet.invoices.length);
    const expected = expectedLines(standIn.dataSet);
    expect(Object.keys(expected).length).toBeGreaterThan(3);
    expect(await warehouseLines(db)).toEqual(expected);
    const totals = await db.all<{ invoice_number: string; total: string }>('SELECT invoice_number, CAST(total_current_charges AS VARCHAR) AS total FROM invoices ORDER BY 1');
    expect(totals.map((t) => [t.invoice_number, Number(t.total)])).toEqual(
      standIn.dataSet.invoices.map((i) => [i.id, i.resource.totalCharges]).sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
  });

  it('reads old invoices from the REST line items and new ones from Graph’s exports', () => {
    const legacy = standIn.dataSet.invoices.filter((i) => i.legacy).map((i) => i.id);
    const graph = standIn.dataSet.invoices.filter((i) => !i.legacy).map((i) => i.id);
    expect(legacy.length).toBeGreaterThan(0);
    const restQueries = standIn.requests.filter((r) => /\/lineitems$/.test(r.path)).map((r) => `${r.path.split('/')[4]}/${r.query.provider}`.toLowerCase());
    for (const id of legacy) expect(restQueries).toContain(`${id}/onetime`.toLowerCase());
    const exportPosts = standIn.requests.filter((r) => r.method === 'POST' && /billed\/export$/.test(r.path));
    expect(exportPosts.length).toBeGreaterThanOrEqual(graph.length);
    expect(blobRequests()).toBeGreaterThan(0);
  });
});

describe('the schedule (PI_SYNC_INTERVAL)', () => {
  it('reads durations of at least a minute, or off', () => {
    expect(syncIntervalFromEnv({})).toBeNull();
    expect(syncIntervalFromEnv({ PI_SYNC_INTERVAL: 'off' })).toBeNull();
    expect(syncIntervalFromEnv({ PI_SYNC_INTERVAL: '30m' })).toBe(1_800_000);
    expect(syncIntervalFromEnv({ PI_SYNC_INTERVAL: '6h' })).toBe(21_600_000);
    expect(syncIntervalFromEnv({ PI_SYNC_INTERVAL: '90' })).toBe(5_400_000);
    expect(() => syncIntervalFromEnv({ PI_SYNC_INTERVAL: '10s' })).toThrow(/PI_SYNC_INTERVAL must be a duration of at least a minute/);
  });

  it('starts a sync by itself every interval', async () => {
    const started = new Promise<string>((resolve) => {
      const off = syncs.onProgress((p) => {
        off();
        resolve(p.syncId);
      });
    });
    syncs.schedule(50);
    const id = await started;
    const run = await syncs.finished(id);
    syncs.schedule(3_600_000);
    expect(run).toMatchObject({ trigger: 'schedule', requestedBy: null, state: 'SUCCEEDED' });
  });
});

describe('a second sync with nothing new', () => {
  it('fetches no blob and no line item again, and changes nothing', async () => {
    const before = await warehouseLines(db);
    const loads = await count("SELECT count(*) AS n FROM etl_loads WHERE status = 'loaded'");
    const requestsBefore = standIn.requests.length;
    const run = await sync();
    expect(run.state).toBe('SUCCEEDED');
    expect(run.unitsDone).toBe(0);
    expect(run.rowsLoaded).toBe(0);
    const fetched = standIn.requests.slice(requestsBefore);
    expect(fetched.filter((r) => r.path.startsWith('/blobs/') || /export$|\/lineitems$/.test(r.path))).toEqual([]);
    expect(await count("SELECT count(*) AS n FROM etl_loads WHERE status = 'loaded'")).toBe(loads);
    expect(await warehouseLines(db)).toEqual(before);
  });
});

describe('the real world', () => {
  it('retries a 429 (honouring Retry-After) and a 500', async () => {
    standIn.dataSet.addInvoice();
    standIn.addFault({ match: /^GET \/pc\/v1\/customers$/, status: 429, times: 1, retryAfterSeconds: 7 });
    standIn.addFault({ match: /^GET \/pc\/v1\/invoices$/, status: 500, times: 1 });
    waits.length = 0;
    const run = await sync();
    expect(run.error).toBeNull();
    expect(run.state).toBe('SUCCEEDED');
    expect(standIn.faults()).toEqual([]);
    expect(waits).toContain(7000);
    expect(standIn.requests.filter((r) => r.status === 429 || r.status === 500).length).toBeGreaterThanOrEqual(2);
    expect(await warehouseLines(db)).toEqual(expectedLines(standIn.dataSet));
  });

  it('reports a failed export with the invoice id, keeps what loaded, and the next sync recovers it', async () => {
    const invoice = standIn.dataSet.addInvoice();
    standIn.addFault({ operationFailsFor: invoice.id, times: 1 });
    const failed = await sync();
    expect(failed.state).toBe('FAILED');
    expect(failed.error).toContain(invoice.id);
    expect(failed.units.find((u) => u.kind === 'invoice' && u.key === invoice.id)).toMatchObject({ state: 'FAILED' });
    // The invoice list loaded; its lines did not.
    expect(await count('SELECT count(*) AS n FROM invoices WHERE invoice_number = $1', [invoice.id])).toBe(1);
    expect(await count('SELECT count(*) AS n FROM billing_usage_lines WHERE invoice_number = $1', [invoice.id])).toBe(0);

    const recovered = await sync();
    expect(recovered.state).toBe('SUCCEEDED');
    expect(recovered.units.filter((u) => u.kind === 'invoice').map((u) => u.key)).toEqual([invoice.id]);
    expect(await warehouseLines(db)).toEqual(expectedLines(standIn.dataSet));
  });

  it('a blob that does not decompress fails its invoice only, and is fetched again next time', async () => {
    const invoice = standIn.dataSet.addInvoice();
    standIn.addFault({ corruptBlobFor: invoice.id, times: 1 });
    const failed = await sync();
    expect(failed.state).toBe('FAILED');
    expect(failed.error).toContain(invoice.id);
    expect(failed.error).not.toMatch(/sig=/);
    const recovered = await sync();
    expect(recovered.state).toBe('SUCCEEDED');
    expect(await warehouseLines(db)).toEqual(expectedLines(standIn.dataSet));
  });

  it('a phase that keeps failing is reported, and the phases after it still sync', async () => {
    const invoice = standIn.dataSet.addInvoice();
    standIn.addFault({ match: /^GET \/referrals\//, status: 503, times: 50 });
    const run = await sync();
    standIn.clearFaults();
    expect(run.state).toBe('FAILED');
    expect(run.units.find((u) => u.kind === 'referrals')).toMatchObject({ state: 'FAILED', message: expect.stringContaining('503') });
    expect(run.units.find((u) => u.kind === 'invoice')).toMatchObject({ key: invoice.id, state: 'LOADED' });
    expect(await warehouseLines(db)).toEqual(expectedLines(standIn.dataSet));
  });

  it('a corrected invoice replaces the lines loaded before, as a corrected file does', async () => {
    const invoice = standIn.dataSet.invoices[standIn.dataSet.invoices.length - 1];
    standIn.dataSet.correctInvoice(invoice.id);
    const run = await sync();
    expect(run.state).toBe('SUCCEEDED');
    expect(run.units.filter((u) => u.kind === 'invoice').map((u) => u.key)).toEqual([invoice.id]);
    expect(await warehouseLines(db)).toEqual(expectedLines(standIn.dataSet));
  });
});
