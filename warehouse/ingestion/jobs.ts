import { randomUUID } from 'node:crypto';
import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { isoTimestamp, query, sql, type Sql, type SqlRunner } from '../../core/sql';
import type { Warehouse } from '../db';

/**
 * Ingestion jobs (migration 9): the loads run by the ingestion queue of the serving process
 * (etl/ingest/queue.ts). This module is their SQL: create, mark running, record a file's result,
 * finish, read one or a page, and fail the jobs a stopped server left QUEUED or RUNNING.
 *
 * State rules (jobStateFor):
 *   QUEUED     created, waiting for the job before it
 *   RUNNING    its files are being loaded, one transaction per file, in order
 *   SUCCEEDED  every file loaded (rows under the bad-row threshold may be quarantined) or was skipped
 *              as already loaded
 *   FAILED     a file was rejected (the job's other files still load and stay loaded), the job
 *              stopped on an error, or the server stopped before it finished (failInterruptedJobs);
 *              `error` says which
 *
 * Jobs belong to a partner (the requester's) and to no location: loading is organisation-wide (a
 * file holds the rows of every location), so a location-scoped caller who may load data sees all
 * of their partner's jobs. Times are passed in by the caller (warehouse/clock.ts: PI_TODAY moves
 * them in tests).
 */
export const JOB_STATES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export type JobState = (typeof JOB_STATES)[number];

export const FILE_STATUSES = ['pending', 'loaded', 'skipped', 'rejected', 'failed'] as const;
export type FileStatus = (typeof FILE_STATUSES)[number];

/** A file as queued: the name it is known by, the path the loader reads, its size. */
export interface NewJobFile {
  name: string;
  path: string;
  sizeBytes: number | null;
}

export interface NewJob {
  partnerId: string;
  requestedBy: string | null;
  files: readonly NewJobFile[];
}

/** What a file's load came to (etl/load LoadResult, without depending on etl). */
export interface FileOutcome {
  status: Exclude<FileStatus, 'pending'>;
  format?: string | null;
  sizeBytes?: number | null;
  rowsLoaded?: number;
  rowsQuarantined?: number;
  rowsReplaced?: number;
  message?: string | null;
  loadId?: number | null;
  /** The loader's whole result (rows skipped, timings, quarantine samples...), kept as JSON for the CLI. */
  result?: unknown;
}

export type LoadJobFileRow = {
  position: number;
  name: string;
  sizeBytes: number | null;
  format: string | null;
  status: Uppercase<FileStatus>;
  rowsLoaded: number;
  rowsQuarantined: number;
  rowsReplaced: number;
  message: string | null;
  loadId: number | null;
  finishedAt: string | null;
  /** The loader's whole result as recorded (FileOutcome.result), null until the file is done. */
  result: unknown;
};

export type LoadJobRow = {
  id: string;
  state: JobState;
  requestedBy: string | null;
  fileCount: number;
  rowsLoaded: number;
  rowsQuarantined: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export type LoadJobWithFiles = LoadJobRow & { files: LoadJobFileRow[] };

/**
 * The state a job ends in: SUCCEEDED when no error stopped it and every file loaded or was skipped;
 * FAILED otherwise, with the error (the one given, else which files were rejected or not loaded).
 */
export type JobOutcome = { state: Extract<JobState, 'SUCCEEDED' | 'FAILED'>; error: string | null };

export function jobStateFor(files: readonly { name: string; status: FileStatus }[], error: string | null): JobOutcome {
  if (error) return { state: 'FAILED', error };
  const rejected = files.filter((f) => f.status === 'rejected');
  const notLoaded = files.filter((f) => f.status === 'pending' || f.status === 'failed');
  if (!rejected.length && !notLoaded.length) return { state: 'SUCCEEDED', error: null };
  const parts = [];
  if (rejected.length) parts.push(`${rejected.length} of ${files.length} file(s) rejected: ${rejected.map((f) => f.name).join(', ')}`);
  if (notLoaded.length) parts.push(`${notLoaded.length} of ${files.length} file(s) not loaded: ${notLoaded.map((f) => f.name).join(', ')}`);
  return { state: 'FAILED', error: parts.join('; ') };
}

/** A Date as a DuckDB TIMESTAMP value with milliseconds (UTC). */
const ts = (at: Date) => at.toISOString().replace('T', ' ').replace('Z', '');

/** Creates a QUEUED job and its pending files in one transaction; returns the job id. */
export async function createJob(db: Warehouse, job: NewJob, at: Date): Promise<string> {
  const id = randomUUID();
  await db.transaction(async (tx) => {
    await run(tx, sql`INSERT INTO ingestion_jobs (job_id, partner_id, requested_by, state, file_count, created_at)
      VALUES (${id}, ${job.partnerId}, ${job.requestedBy}, 'QUEUED', ${job.files.length}, CAST(${ts(at)} AS TIMESTAMP))`);
    for (const [position, file] of job.files.entries()) {
      await run(tx, sql`INSERT INTO ingestion_job_files (job_id, partner_id, position, file_name, file_path, size_bytes, status)
        VALUES (${id}, ${job.partnerId}, ${position}, ${file.name}, ${file.path}, ${file.sizeBytes}, 'pending')`);
    }
  });
  return id;
}

export async function markJobRunning(db: SqlRunner, jobId: string, at: Date): Promise<void> {
  await run(db, sql`UPDATE ingestion_jobs SET state = 'RUNNING', started_at = CAST(${ts(at)} AS TIMESTAMP) WHERE job_id = ${jobId}`);
}

/** Records a file's result and adds its rows to the job's totals, in one transaction. */
export async function recordFileResult(db: Warehouse, jobId: string, position: number, outcome: FileOutcome, at: Date): Promise<void> {
  const loaded = outcome.rowsLoaded ?? 0;
  const quarantined = outcome.rowsQuarantined ?? 0;
  await db.transaction(async (tx) => {
    await run(tx, sql`UPDATE ingestion_job_files SET status = ${outcome.status}, format = ${outcome.format ?? null},
        size_bytes = coalesce(${outcome.sizeBytes ?? null}, size_bytes), rows_loaded = ${loaded}, rows_quarantined = ${quarantined},
        rows_replaced = ${outcome.rowsReplaced ?? 0}, message = ${outcome.message ?? null}, load_id = ${outcome.loadId ?? null},
        result_json = ${outcome.result === undefined ? null : JSON.stringify(outcome.result)},
        finished_at = CAST(${ts(at)} AS TIMESTAMP)
      WHERE job_id = ${jobId} AND position = ${position}`);
    await run(tx, sql`UPDATE ingestion_jobs SET rows_loaded = (SELECT coalesce(sum(rows_loaded), 0) FROM ingestion_job_files WHERE job_id = ${jobId}),
        rows_quarantined = (SELECT coalesce(sum(rows_quarantined), 0) FROM ingestion_job_files WHERE job_id = ${jobId})
      WHERE job_id = ${jobId}`);
  });
}

/** Ends a job in the given state (see jobStateFor) with its error. */
export async function finishJob(db: SqlRunner, jobId: string, outcome: JobOutcome, at: Date): Promise<void> {
  await run(db, sql`UPDATE ingestion_jobs SET state = ${outcome.state}, error = ${outcome.error}, finished_at = CAST(${ts(at)} AS TIMESTAMP)
    WHERE job_id = ${jobId}`);
}

/**
 * Marks FAILED every job a stopped server left QUEUED or RUNNING (a crash, a kill, a shutdown that
 * did not wait): called when the server starts, before its queue takes jobs (IngestionQueue.start).
 * Nothing of a file whose transaction had not committed is in the warehouse; files that did commit
 * are skipped as already loaded when loaded again. `except`: jobs of the live queue, left alone.
 * Returns the ids of the jobs marked.
 */
export async function failInterruptedJobs(db: SqlRunner, at: Date, except: readonly string[] = []): Promise<string[]> {
  const jobs = await query<{ id: string; state: JobState; startedAt: string | null }>(
    db,
    sql`SELECT job_id AS id, state, ${sql.raw(isoTimestamp('started_at'))} AS "startedAt" FROM ingestion_jobs
      WHERE state IN ('QUEUED', 'RUNNING') AND ${except.length ? sql`job_id NOT IN ${sql.list([...except])}` : sql.raw('TRUE')}
      ORDER BY job_seq`,
  );
  for (const job of jobs) {
    const error =
      job.state === 'RUNNING'
        ? `interrupted: the server stopped while this load was running (started ${job.startedAt}); its files that had not committed were not loaded; load them again (files that did commit are skipped as already loaded)`
        : 'interrupted: the server stopped before this load started; none of its files were loaded; load them again';
    await finishJob(db, job.id, { state: 'FAILED', error }, at);
  }
  return jobs.map((j) => j.id);
}

/** What a job loaded, whoever's (for the process that ran it): rows, and how many files were skipped as already loaded. */
export async function jobTotals(db: SqlRunner, jobId: string): Promise<{ rowsLoaded: number; files: number; skipped: number }> {
  const [totals] = await query<{ rowsLoaded: number; files: number; skipped: number }>(
    db,
    sql`SELECT CAST(coalesce(sum(rows_loaded), 0) AS DOUBLE) AS "rowsLoaded", CAST(count(*) AS INTEGER) AS files,
        CAST(count(*) FILTER (WHERE status = 'skipped') AS INTEGER) AS skipped
      FROM ingestion_job_files WHERE job_id = ${jobId}`,
  );
  return totals;
}

/** The select list of a job as its GraphQL node (LoadJob), over alias j. */
export const jobSelect: Sql = sql.raw(`j.job_id AS id, j.state, j.requested_by AS "requestedBy", j.file_count AS "fileCount",
  CAST(j.rows_loaded AS DOUBLE) AS "rowsLoaded", CAST(j.rows_quarantined AS DOUBLE) AS "rowsQuarantined", j.error,
  ${isoTimestamp('j.created_at')} AS "createdAt", ${isoTimestamp('j.started_at')} AS "startedAt", ${isoTimestamp('j.finished_at')} AS "finishedAt"`);

/** Newest first: job_seq is the order jobs were created in (a total order, even when the clock is fixed). */
export const jobOrder: Sql = sql.raw('j.job_seq DESC');

/**
 * FROM and WHERE of the caller's jobs: their partner's (scope with no location column: jobs belong
 * to no location, see the module comment).
 */
export function jobsFrom(caller: Caller): Sql {
  return sql`ingestion_jobs j WHERE ${scope(caller, 'j', null)}`;
}

/** One job of the caller's partner with its files, or undefined (unknown, or another partner's). */
export async function jobById(db: SqlRunner, caller: Caller, jobId: string): Promise<LoadJobWithFiles | undefined> {
  const [job] = await query<LoadJobRow>(db, sql`SELECT ${jobSelect} FROM ${jobsFrom(caller)} AND j.job_id = ${jobId}`);
  if (!job) return undefined;
  const files = await filesOfJobs(db, caller, [jobId]);
  return { ...job, files: files.get(jobId) ?? [] };
}

/**
 * A page of the caller's jobs, newest first, with their files: `first` (default 20) after the job
 * `after` (an id from an earlier page). For callers outside GraphQL (the CLI); GraphQL pages with
 * Relay cursors over jobSelect / jobsFrom / jobOrder.
 */
export async function listJobs(db: SqlRunner, caller: Caller, page: { first?: number; after?: string | null } = {}): Promise<LoadJobWithFiles[]> {
  const first = page.first ?? 20;
  const after = page.after
    ? sql`AND j.job_seq < (SELECT a.job_seq FROM ingestion_jobs a WHERE ${scope(caller, 'a', null)} AND a.job_id = ${page.after})`
    : sql.raw('');
  const jobs = await query<LoadJobRow>(db, sql`SELECT ${jobSelect} FROM ${jobsFrom(caller)} ${after} ORDER BY ${jobOrder} LIMIT ${first}`);
  const files = await filesOfJobs(db, caller, jobs.map((j) => j.id));
  return jobs.map((j) => ({ ...j, files: files.get(j.id) ?? [] }));
}

/** The files of the given jobs (of the caller's partner), by job id, in load order: one statement. */
export async function filesOfJobs(db: SqlRunner, caller: Caller, jobIds: readonly string[]): Promise<Map<string, LoadJobFileRow[]>> {
  const byJob = new Map<string, LoadJobFileRow[]>();
  if (!jobIds.length) return byJob;
  const rows = await query<Omit<LoadJobFileRow, 'result'> & { jobId: string; resultJson: string | null }>(
    db,
    sql`SELECT f.job_id AS "jobId", f.position, f.file_name AS name, CAST(f.size_bytes AS DOUBLE) AS "sizeBytes", f.format,
        upper(f.status) AS status, CAST(f.rows_loaded AS DOUBLE) AS "rowsLoaded", CAST(f.rows_quarantined AS DOUBLE) AS "rowsQuarantined",
        CAST(f.rows_replaced AS DOUBLE) AS "rowsReplaced", f.message, CAST(f.load_id AS DOUBLE) AS "loadId",
        f.result_json AS "resultJson", ${sql.raw(isoTimestamp('f.finished_at'))} AS "finishedAt"
      FROM ingestion_job_files f WHERE ${scope(caller, 'f', null)} AND f.job_id IN ${sql.list([...jobIds])}
      ORDER BY f.job_id, f.position`,
  );
  for (const { jobId, resultJson, ...file } of rows) {
    let list = byJob.get(jobId);
    if (!list) byJob.set(jobId, (list = []));
    list.push({ ...file, result: resultJson ? JSON.parse(resultJson) : null });
  }
  return byJob;
}

function run(db: SqlRunner, statement: Sql): Promise<void> {
  const { text, params } = statement.toQuery();
  return db.run(text, params);
}
