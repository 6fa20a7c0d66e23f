import { join } from 'node:path';
import { ingestionQueue, type IngestionEvent, type IngestionQueue } from '../../etl/ingest/queue';
import { gql, P1, P2, startTestEnv, token, type TestEnv } from '../gateway/harness';
import { licenseLine, usageLine, writeCsv, writeLicenseFile, writeUsageFile } from '../etl/helpers';

/**
 * `loads` and `load(id)` over real HTTP (startServer, real DuckDB file): the jobs of the caller's
 * partner only (another partner's id is NOT_FOUND), for Global admin and Billing admin only, and a
 * read sent while a job is loading is answered from the committed snapshot without waiting for it.
 */
let env: TestEnv;
let queue: IngestionQueue;
let admin: string;
let billing: string;
let viewer: string;
let otherAdmin: string;

const JOB = `fragment Job on LoadJob { id state requestedBy fileCount rowsLoaded rowsQuarantined error createdAt startedAt finishedAt
  files { position name sizeBytes format status rowsLoaded rowsQuarantined rowsReplaced message loadId finishedAt } }`;
const LOAD = `query($id: ID!) { load(id: $id) { ...Job } } ${JOB}`;
const LOADS = `query($first: Int, $after: String) { loads(first: $first, after: $after) {
  totalCount pageInfo { hasNextPage endCursor } edges { cursor node { ...Job } } } } ${JOB}`;

const url = () => env.server.graphqlUrl;
const file = (name: string) => join(env.dir, name);

beforeAll(async () => {
  env = await startTestEnv();
  queue = ingestionQueue(env.warehouse);
  await queue.start();
  admin = await token(P1, ['Global admin']);
  billing = await token(P1, ['Billing admin']);
  viewer = await token(P1, ['Report viewer']);
  otherAdmin = await token(P2, ['Global admin']);
});
afterAll(async () => {
  await queue.close();
  await env.close();
});

describe('loads and load(id)', () => {
  let good: string;
  let rejected: string;
  beforeAll(async () => {
    const license = writeLicenseFile(env.dir, 'G000000001_license.csv', [0, 1, 2].map((i) => licenseLine(i)));
    good = await queue.enqueue({ partnerId: P1, requestedBy: 'u-1', files: [{ path: license }] });
    const notes = writeCsv(env.dir, 'notes.csv', ['Foo'], [['1']]);
    rejected = await queue.enqueue({ partnerId: P1, requestedBy: 'u-1', files: [{ path: notes }] });
    await queue.idle();
  });

  it('load(id): the job with its files and totals', async () => {
    const { body } = await gql(url(), admin, LOAD, { id: good });
    expect(body.errors).toBeUndefined();
    expect(body.data.load).toMatchObject({ id: good, state: 'SUCCEEDED', requestedBy: 'u-1', fileCount: 1, rowsLoaded: 3, rowsQuarantined: 0, error: null });
    expect(body.data.load.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/);
    expect(body.data.load.files).toEqual([
      expect.objectContaining({ position: 0, name: 'G000000001_license.csv', format: 'license-recon', status: 'LOADED', rowsLoaded: 3, loadId: expect.any(Number) }),
    ]);
    const failed = (await gql(url(), billing, LOAD, { id: rejected })).body.data.load;
    expect(failed).toMatchObject({ state: 'FAILED', error: '1 of 1 file(s) rejected: notes.csv', files: [expect.objectContaining({ status: 'REJECTED' })] });
  });

  it('loads: newest first, paged with cursors', async () => {
    const page1 = (await gql(url(), admin, LOADS, { first: 1 })).body.data.loads;
    expect(page1.totalCount).toBeGreaterThanOrEqual(2);
    expect(page1.edges.map((e: any) => e.node.id)).toEqual([rejected]);
    expect(page1.pageInfo.hasNextPage).toBe(true);
    const page2 = (await gql(url(), admin, LOADS, { first: 1, after: page1.pageInfo.endCursor })).body.data.loads;
    expect(page2.edges.map((e: any) => e.node.id)).toEqual([good]);
    expect(page2.edges[0].node.files[0].status).toBe('LOADED');
  });

  it('another partner’s job is NOT_FOUND and not listed', async () => {
    const { body } = await gql(url(), otherAdmin, LOAD, { id: good });
    expect(body.data?.load ?? null).toBeNull();
    expect(body.errors?.[0]).toMatchObject({ path: ['load'], extensions: { code: 'NOT_FOUND' } });
    const unknown = (await gql(url(), admin, LOAD, { id: 'no-such-job' })).body;
    expect(unknown.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(body.errors?.[0].message).toBe(unknown.errors?.[0].message.replace('no-such-job', good));
    const list = (await gql(url(), otherAdmin, LOADS, { first: 10 })).body.data.loads;
    expect(list).toMatchObject({ totalCount: 0, edges: [] });
  });

  it('needs Global admin or Billing admin: a Report viewer gets FORBIDDEN naming them', async () => {
    for (const query of [LOADS, LOAD]) {
      const { body } = await gql(url(), viewer, query, { id: good, first: 5 });
      expect(body.data?.loads ?? body.data?.load ?? null).toBeNull();
      expect(body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['Global admin', 'Billing admin'] });
      expect(body.errors?.[0].message).toMatch(/needs one of these roles: Global admin, Billing admin/);
    }
  });
});

describe('while a job loads', () => {
  it('answers reads at once from the committed snapshot, showing the job’s progress', async () => {
    const small = writeLicenseFile(env.dir, 'G000000005_license.csv', [0, 1].map((i) => licenseLine(i, { InvoiceNumber: 'G000000005' })));
    const big = writeUsageFile(env.dir, 'G000000200_usage.csv', Array.from({ length: 50_000 }, (_, i) => usageLine(i, { InvoiceNumber: 'G000000200' })));
    const before = Number((await env.warehouse.one<{ n: string }>('SELECT count(*) AS n FROM billing_usage_lines'))!.n);

    // Once the first (small) file is recorded the second (50,000 rows, seconds) is loading.
    let id = '';
    const firstFileDone = new Promise<void>((resolve) => {
      const off = queue.onChange((e: IngestionEvent) => {
        if (e.jobId === id && e.type === 'file' && e.position === 0) {
          off();
          resolve();
        }
      });
    });
    id = await queue.enqueue({ partnerId: P1, requestedBy: 'u-1', files: [{ path: small }, { path: big }] });
    await firstFileDone;

    const sent = Date.now();
    const [progress, customers] = await Promise.all([
      gql(url(), admin, LOAD, { id }),
      gql(url(), admin, `{ customers(first: 1) { totalCount } }`),
    ]);
    const answeredIn = Date.now() - sent;
    // Answered while the job still ran: the read did not wait for the load.
    expect(queue.runningJob).toBe(id);
    expect(progress.body.errors).toBeUndefined();
    expect(progress.body.data.load).toMatchObject({ state: 'RUNNING', rowsLoaded: 2, finishedAt: null });
    expect(progress.body.data.load.files.map((f: any) => f.status)).toEqual(['LOADED', 'PENDING']);
    expect(customers.body.data.customers.totalCount).toBe(150);
    // The load's uncommitted rows are invisible to readers (DuckDB MVCC).
    expect(Number((await env.warehouse.one<{ n: string }>('SELECT count(*) AS n FROM billing_usage_lines'))!.n)).toBe(before);

    await queue.idle();
    const done = (await gql(url(), admin, LOAD, { id })).body.data.load;
    expect(done).toMatchObject({ state: 'SUCCEEDED', rowsLoaded: 50_002 });
    expect(done.files.map((f: any) => f.status)).toEqual(['LOADED', 'LOADED']);
    expect(answeredIn).toBeLessThan(5_000);
  });
});
