import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Caller } from '../../core/caller';
import { IngestionQueue, type IngestionEvent } from '../../etl/ingest/queue';
import { Warehouse } from '../../warehouse/db';
import { failInterruptedJobs, jobById, listJobs } from '../../warehouse/ingestion/jobs';
import { licenseLine, tempDir, usageLine, writeCsv, writeLicenseFile, writeUsageFile } from '../etl/helpers';

/**
 * The ingestion queue on a real DuckDB file: jobs run one at a time in order through loadFiles,
 * each file's result and the totals recorded, the state rules (a rejected file fails the job), the
 * file names, deleteFiles, close(), and failInterruptedJobs after a simulated crash.
 */
const PARTNER_A = 'aaaaaaaa-aaaa-4aaa-8aaa-aaaaaaaaaaaa';
const caller: Caller = { partnerId: PARTNER_A, roles: ['Global admin'], locations: null };

let dir: string;
let cleanup: () => void;
let db: Warehouse;
let queue: IngestionQueue;
let events: IngestionEvent[];

beforeEach(async () => {
  ({ dir, cleanup } = tempDir('pi-ingest-test-'));
  db = await Warehouse.open(join(dir, 'warehouse.duckdb'));
  queue = new IngestionQueue(db);
  events = [];
  queue.onChange((e) => events.push(e));
});
afterEach(async () => {
  await queue.close();
  db.close();
  cleanup();
});

const licenses = (name: string, n: number, invoice = 'G000000001') =>
  writeLicenseFile(dir, name, Array.from({ length: n }, (_, i) => licenseLine(i, { InvoiceNumber: invoice })));
const usage = (name: string, n: number, invoice = 'G000000100') =>
  writeUsageFile(dir, name, Array.from({ length: n }, (_, i) => usageLine(i, { InvoiceNumber: invoice })));

describe('a job', () => {
  it('loads its files in order, recording each file’s result and the totals', async () => {
    const id = await queue.enqueue({
      partnerId: PARTNER_A,
      requestedBy: 'u-1',
      files: [{ path: licenses('G000000001_license.csv', 3) }, { path: usage('G000000100_usage.csv', 5) }],
    });
    expect((await jobById(db, caller, id))!.state).toMatch(/QUEUED|RUNNING/);
    await queue.idle();

    const job = (await jobById(db, caller, id))!;
    expect(job).toMatchObject({ id, state: 'SUCCEEDED', requestedBy: 'u-1', fileCount: 2, rowsLoaded: 8, rowsQuarantined: 0, error: null });
    expect(job.createdAt).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(job.startedAt).not.toBeNull();
    expect(job.finishedAt).not.toBeNull();
    expect(job.files).toEqual([
      expect.objectContaining({ position: 0, name: 'G000000001_license.csv', status: 'LOADED', format: 'license-recon', rowsLoaded: 3, loadId: expect.any(Number) }),
      expect.objectContaining({ position: 1, name: 'G000000100_usage.csv', status: 'LOADED', format: 'daily-usage-recon', rowsLoaded: 5, loadId: expect.any(Number) }),
    ]);
    const loads = await db.all<{ load_id: number; file_name: string }>('SELECT CAST(load_id AS INTEGER) AS load_id, file_name FROM etl_loads ORDER BY load_id');
    expect(loads.map((l) => l.file_name)).toEqual(['G000000001_license.csv', 'G000000100_usage.csv']);
    expect(job.files.map((f) => f.loadId)).toEqual(loads.map((l) => l.load_id));

    expect(events.map((e) => `${e.type}${'position' in e && e.type === 'file' ? e.position : ''}`).filter((t) => t !== 'progress')).toEqual([
      'queued',
      'running',
      'file0',
      'file1',
      'finished',
    ]);
    expect(events.every((e) => e.jobId === id && e.partnerId === PARTNER_A)).toBe(true);
  });

  it('fails when a file is rejected; its other files still load (a file is a transaction, a job is not)', async () => {
    const bad = writeCsv(dir, 'notes.csv', ['Foo', 'Bar'], [['1', '2']]);
    const id = await queue.enqueue({ partnerId: PARTNER_A, requestedBy: null, files: [{ path: bad }, { path: licenses('G000000001_license.csv', 4) }] });
    await queue.idle();
    const job = (await jobById(db, caller, id))!;
    expect(job.state).toBe('FAILED');
    expect(job.error).toBe('1 of 2 file(s) rejected: notes.csv');
    expect(job.rowsLoaded).toBe(4);
    expect(job.files.map((f) => [f.name, f.status])).toEqual([
      ['notes.csv', 'REJECTED'],
      ['G000000001_license.csv', 'LOADED'],
    ]);
    expect(job.files[0].message).toBeTruthy();
    expect(events.find((e) => e.type === 'finished')).toMatchObject({ state: 'FAILED', error: '1 of 2 file(s) rejected: notes.csv' });
  });

  it('succeeds with a file skipped as already loaded, and counts quarantined rows', async () => {
    const path = licenses('G000000001_license.csv', 40);
    await queue.enqueue({ partnerId: PARTNER_A, requestedBy: null, files: [{ path }] });
    const lines = Array.from({ length: 40 }, (_, i) => licenseLine(i, { InvoiceNumber: 'G000000002', ...(i === 0 ? { ChargeStartDate: 'not a date' } : {}) }));
    const withBadRow = writeLicenseFile(dir, 'G000000002_license.csv', lines);
    const again = await queue.enqueue({ partnerId: PARTNER_A, requestedBy: null, files: [{ path }, { path: withBadRow }] });
    await queue.idle();
    const job = (await jobById(db, caller, again))!;
    expect(job.state).toBe('SUCCEEDED');
    expect(job.files.map((f) => f.status)).toEqual(['SKIPPED', 'LOADED']);
    expect(job.files[0].message).toMatch(/already loaded/);
    expect(job).toMatchObject({ rowsLoaded: 39, rowsQuarantined: 1 });
  });

  it('reads a file under the name given, and with deleteFiles removes the file once done', async () => {
    const upload = licenses('upload-7f3a.tmp', 2);
    const id = await queue.enqueue({
      partnerId: PARTNER_A,
      requestedBy: 'u-1',
      files: [{ path: upload, name: 'G000000009_license.csv' }],
      options: { deleteFiles: true },
    });
    await queue.idle();
    const job = (await jobById(db, caller, id))!;
    expect(job.files[0]).toMatchObject({ name: 'G000000009_license.csv', status: 'LOADED', rowsLoaded: 2 });
    expect(await db.all('SELECT file_name FROM etl_loads')).toEqual([{ file_name: 'G000000009_license.csv' }]);
    expect(existsSync(upload)).toBe(false);
  });

  it('keeps the files without deleteFiles', async () => {
    const path = licenses('G000000001_license.csv', 2);
    await queue.enqueue({ partnerId: PARTNER_A, requestedBy: null, files: [{ path }] });
    await queue.idle();
    expect(existsSync(path)).toBe(true);
  });

  it('refuses a request without files, with a missing file or a name with directories (BAD_USER_INPUT)', async () => {
    const path = licenses('G000000001_license.csv', 2);
    await expect(queue.enqueue({ partnerId: PARTNER_A, requestedBy: null, files: [] })).rejects.toMatchObject({ code: 'BAD_USER_INPUT' });
    await expect(queue.enqueue({ partnerId: PARTNER_A, requestedBy: null, files: [{ path: join(dir, 'nope.csv') }] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { argument: 'files[0].path' },
    });
    await expect(queue.enqueue({ partnerId: PARTNER_A, requestedBy: null, files: [{ path, name: '../x.csv' }] })).rejects.toMatchObject({
      code: 'BAD_USER_INPUT',
      details: { argument: 'files[0].name' },
    });
    await queue.idle();
    expect(await listJobs(db, caller)).toEqual([]);
  });
});

describe('the queue', () => {
  it('runs jobs one at a time in the order enqueued: the second waits for the first', async () => {
    const first = queue.enqueue({ partnerId: PARTNER_A, requestedBy: null, files: [{ path: usage('G000000100_usage.csv', 20_000) }] });
    const second = queue.enqueue({ partnerId: PARTNER_A, requestedBy: null, files: [{ path: licenses('G000000001_license.csv', 3) }] });
    const [a, b] = await Promise.all([first, second]);
    expect(queue.waitingJobs).toContain(b);
    expect((await jobById(db, caller, b))!.state).toBe('QUEUED');
    await queue.idle();
    expect(queue.runningJob).toBeNull();

    const order = events.filter((e) => e.type === 'running' || e.type === 'finished').map((e) => `${e.type}:${e.jobId === a ? 'a' : 'b'}`);
    expect(order).toEqual(['running:a', 'finished:a', 'running:b', 'finished:b']);
    const [jobA, jobB] = [(await jobById(db, caller, a))!, (await jobById(db, caller, b))!];
    expect([jobA.state, jobB.state]).toEqual(['SUCCEEDED', 'SUCCEEDED']);
    expect(jobB.startedAt! >= jobA.finishedAt!).toBe(true);
    // Newest first.
    expect((await listJobs(db, caller)).map((j) => j.id)).toEqual([b, a]);
    expect((await listJobs(db, caller, { first: 1, after: b })).map((j) => j.id)).toEqual([a]);
  });

  it('close(): takes no more jobs, fails those still waiting, waits for the running one', async () => {
    const a = await queue.enqueue({ partnerId: PARTNER_A, requestedBy: null, files: [{ path: usage('G000000100_usage.csv', 20_000) }] });
    const upload = licenses('upload.tmp', 2);
    const b = await queue.enqueue({ partnerId: PARTNER_A, requestedBy: null, files: [{ path: upload, name: 'G000000001_license.csv' }], options: { deleteFiles: true } });
    await queue.close();
    expect((await jobById(db, caller, a))!.state).toBe('SUCCEEDED');
    expect((await jobById(db, caller, b))!).toMatchObject({
      state: 'FAILED',
      error: 'cancelled: the server stopped before this load started; none of its files were loaded; load them again',
      files: [expect.objectContaining({ status: 'PENDING' })],
    });
    expect(existsSync(upload)).toBe(false);
    await expect(queue.enqueue({ partnerId: PARTNER_A, requestedBy: null, files: [{ path: licenses('G000000003_license.csv', 1) }] })).rejects.toMatchObject({
      code: 'INVALID_STATE',
    });
  });

  it('other partners do not see a job', async () => {
    const id = await queue.enqueue({ partnerId: PARTNER_A, requestedBy: null, files: [{ path: licenses('G000000001_license.csv', 1) }] });
    await queue.idle();
    const other: Caller = { partnerId: 'bbbbbbbb-bbbb-4bbb-8bbb-bbbbbbbbbbbb', roles: ['Global admin'], locations: null };
    expect(await jobById(db, other, id)).toBeUndefined();
    expect(await listJobs(db, other)).toEqual([]);
  });
});

describe('after a crash', () => {
  it('start() marks the jobs a stopped server left RUNNING or QUEUED as FAILED, saying why', async () => {
    // A server died mid-load: its job rows say RUNNING and QUEUED; nothing else survives it.
    await db.run(`INSERT INTO ingestion_jobs (job_id, partner_id, requested_by, state, file_count, created_at, started_at)
      VALUES ('job-running', '${PARTNER_A}', 'u-1', 'RUNNING', 1, TIMESTAMP '2024-03-20 10:00:00', TIMESTAMP '2024-03-20 10:00:05'),
             ('job-queued', '${PARTNER_A}', 'u-1', 'QUEUED', 1, TIMESTAMP '2024-03-20 10:01:00', NULL),
             ('job-done', '${PARTNER_A}', 'u-1', 'SUCCEEDED', 1, TIMESTAMP '2024-03-20 09:00:00', TIMESTAMP '2024-03-20 09:00:01')`);
    await db.run(`INSERT INTO ingestion_job_files (job_id, partner_id, position, file_name, file_path, status)
      VALUES ('job-running', '${PARTNER_A}', 0, 'G000000001_license.csv', '/tmp/gone/G000000001_license.csv', 'pending')`);
    await queue.close();
    db.close();

    db = await Warehouse.open(join(dir, 'warehouse.duckdb'));
    queue = new IngestionQueue(db, { now: () => new Date('2024-03-20T11:00:00Z') });
    expect(await queue.start()).toEqual(['job-running', 'job-queued']);
    expect(await queue.start()).toEqual(['job-running', 'job-queued']); // once per queue

    const running = (await jobById(db, caller, 'job-running'))!;
    expect(running).toMatchObject({ state: 'FAILED', finishedAt: '2024-03-20T11:00:00Z' });
    expect(running.error).toBe(
      'interrupted: the server stopped while this load was running (started 2024-03-20T10:00:05Z); its files that had not committed were not loaded; ' +
        'load them again (files that did commit are skipped as already loaded)',
    );
    expect(running.files).toEqual([expect.objectContaining({ name: 'G000000001_license.csv', status: 'PENDING' })]);
    expect((await jobById(db, caller, 'job-queued'))!).toMatchObject({
      state: 'FAILED',
      error: 'interrupted: the server stopped before this load started; none of its files were loaded; load them again',
    });
    expect((await jobById(db, caller, 'job-done'))!).toMatchObject({ state: 'SUCCEEDED', error: null });
    expect(await failInterruptedJobs(db, new Date())).toEqual([]);
  });

  it('start() leaves the live queue’s own jobs alone', async () => {
    const id = await queue.enqueue({ partnerId: PARTNER_A, requestedBy: null, files: [{ path: usage('G000000100_usage.csv', 5_000) }] });
    expect(await queue.start()).toEqual([]);
    await queue.idle();
    expect((await jobById(db, caller, id))!.state).toBe('SUCCEEDED');
  });
});

