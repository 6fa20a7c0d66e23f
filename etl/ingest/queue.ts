import { mkdir, mkdtemp, rm, stat, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { badUserInput, DomainError, ErrorCode } from '../../core/errors';
import { now as clockNow } from '../../warehouse/clock';
import type { Warehouse } from '../../warehouse/db';
import {
  createJob,
  failInterruptedJobs,
  finishJob,
  jobStateFor,
  markJobRunning,
  recordFileResult,
  type FileOutcome,
  type FileStatus,
  type JobState,
} from '../../warehouse/ingestion/jobs';
import { loadFiles, type LoadOptions, type LoadResult } from '../load';

/**
 * The ingestion queue of the serving process: loads are jobs (warehouse/ingestion/jobs.ts, table
 * ingestion_jobs), run strictly one at a time in the order they were enqueued (a promise chain),
 * each through loadFiles (etl/load: one transaction per file on a connection of its own, so GraphQL
 * reads go on answering from the last committed snapshot while a job runs). Each file's result is
 * recorded as soon as the file ends, so `load(id)` shows a job's progress.
 *
 *   const queue = ingestionQueue(warehouse);   // one per warehouse and process
 *   await queue.start();                       // at server start: fails jobs a stopped server left
 *   const id = await queue.enqueue({ partnerId, requestedBy, files: [{ path, name }], options: { deleteFiles: true } });
 *   queue.onChange((event) => ...);            // queued, running, progress, file, finished
 *   await queue.close();                       // at shutdown: no new jobs, waiting ones FAILED, waits for the running one
 *
 * Files. `path` is what is read; `name` (default: the path's base name) is the file's name as the
 * requester knows it (an upload's file name). The loader takes the name from the path it reads (it
 * is stored in etl_loads.file_name and an invoice number is read from it), so when the two differ
 * the queue reads the file through a symbolic link named `name` in a temporary directory of the job,
 * removed when the job ends. With `options.deleteFiles` the queue deletes the files given once the
 * job has ended, however it ended (loaded, rejected, failed, or cancelled at close): for temporary
 * files such as uploads, which the queue then owns. Without it (the default) the files are never
 * touched: a CLI pointing at a user's own files keeps them.
 *
 * A crash or kill mid-job loses nothing committed and keeps nothing half-loaded (a file's
 * transaction rolls back); the job stays RUNNING in the table until the next start(), which marks it
 * FAILED with the reason (failInterruptedJobs). Jobs are not resumed: their files may be temporary.
 */
export interface IngestFile {
  /** The file to read. */
  path: string;
  /** The file's name (no directories); default the base name of path. */
  name?: string;
}

/** The loader's options a job passes on: partnerId makes the load refuse another partner's rows (etl/load phases/partner.ts). */
export interface IngestOptions extends Pick<LoadOptions, 'maxBadShare' | 'format' | 'partnerId' | 'customerId' | 'invoiceNumber'> {
  /** Delete the given files once the job has ended, however it ended (temporary uploads). Default false. */
  deleteFiles?: boolean;
}

export interface IngestRequest {
  /** The requester's partner: the job is theirs (listed and read only by their partner). */
  partnerId: string;
  /** The requester's subject (user id or API key), for the record. */
  requestedBy: string | null;
  /** At least one file, loaded in this order. */
  files: readonly IngestFile[];
  options?: IngestOptions;
}

/** What subscribers hear (onChange). Every event names the job's partner, to filter by tenant. */
export type IngestionEvent =
  | { type: 'queued'; jobId: string; partnerId: string }
  | { type: 'running'; jobId: string; partnerId: string }
  | { type: 'progress'; jobId: string; partnerId: string; position: number; phase: string; fraction?: number }
  | { type: 'file'; jobId: string; partnerId: string; position: number; status: Exclude<FileStatus, 'pending'> }
  | { type: 'finished'; jobId: string; partnerId: string; state: JobState; error: string | null };

/** The logging the queue does (a pino Logger fits). */
export interface IngestLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface IngestionQueueOptions {
  log?: IngestLog;
  /** The clock for the jobs' timestamps; default warehouse/clock.ts now (PI_TODAY). */
  now?: () => Date;
}

interface QueuedJob {
  id: string;
  partnerId: string;
  files: { path: string; name: string; sizeBytes: number }[];
  options: IngestOptions;
}

export class IngestionQueue {
  /** The chain every job runs on, one after the other; it never rejects. */
  private tail: Promise<void> = Promise.resolve();
  /** The chain jobs are recorded on (so their order is the call order); it never rejects. */
  private creating: Promise<void> = Promise.resolve();
  /** Jobs created and not started yet, in order. */
  private readonly waiting = new Map<string, QueuedJob>();
  /** Every job this queue created (start() leaves them alone). */
  private readonly own = new Set<string>();
  private readonly listeners = new Set<(event: IngestionEvent) => void>();
  private current: string | null = null;
  private closed = false;
  private started: Promise<string[]> | null = null;
  private readonly log?: IngestLog;
  private readonly now: () => Date;

  constructor(
    private readonly warehouse: Warehouse,
    options: IngestionQueueOptions = {},
  ) {
    this.log = options.log;
    this.now = options.now ?? (() => clockNow());
  }

  /**
   * Marks FAILED the jobs a stopped server left QUEUED or RUNNING (failInterruptedJobs); call it at
   * server start. Runs once per queue; returns the ids of the jobs marked.
   */
  start(): Promise<string[]> {
    // After the jobs being recorded now, so that they count as this queue's own.
    return (this.started ??= this.creating.then(() => failInterruptedJobs(this.warehouse, this.now(), [...this.own])).then((ids) => {
      if (ids.length) this.log?.warn({ jobs: ids }, 'load jobs interrupted by a stopped server marked FAILED');
      return ids;
    }));
  }

  /**
   * Queues a load and returns its job id as soon as the job is recorded (QUEUED), before anything
   * is loaded. BAD_USER_INPUT for no files, a bad name or a path that is not a readable file;
   * INVALID_STATE once the queue is closed.
   */
  async enqueue(request: IngestRequest): Promise<string> {
    this.assertOpen();
    // Jobs are recorded (job_seq, the listing order) and run in the order enqueue was called: both
    // chains are joined now, before anything is awaited.
    const created: Promise<QueuedJob> = this.creating.then(() => this.create(request));
    this.creating = created.then(
      () => undefined,
      () => undefined,
    );
    this.tail = this.tail.then(async () => {
      const job = await created.catch(() => null);
      if (job) await this.run(job);
    });
    return (await created).id;
  }

  /**
   * Queues a load and waits for it to end: how it ended (SUCCEEDED or FAILED, with the error). For
   * callers that load one unit after another (etl/sync). Errors as enqueue.
   */
  async load(request: IngestRequest): Promise<{ jobId: string; state: JobState; error: string | null }> {
    // Listening before the job exists: no end can be missed.
    const ended = new Map<string, { state: JobState; error: string | null }>();
    let wake: (() => void) | null = null;
    const off = this.onChange((event) => {
      if (event.type !== 'finished') return;
      ended.set(event.jobId, { state: event.state, error: event.error });
      wake?.();
    });
    try {
      const jobId = await this.enqueue(request);
      while (!ended.has(jobId)) await new Promise<void>((resolve) => (wake = resolve));
      return { jobId, ...ended.get(jobId)! };
    } finally {
      off();
    }
  }

  /** Subscribes to the queue's events; returns the unsubscribe function. A throwing listener is ignored. */
  onChange(listener: (event: IngestionEvent) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** How many onChange listeners there are (tests check that ended subscriptions left none behind). */
  listenerCount(): number {
    return this.listeners.size;
  }

  /** Resolves when no job is running or waiting. */
  async idle(): Promise<void> {
    for (;;) {
      const tail = this.tail;
      await tail;
      if (tail === this.tail) return;
    }
  }

  /**
   * Graceful shutdown: takes no more jobs (enqueue fails with INVALID_STATE), ends the jobs still
   * waiting as FAILED (none of their files loaded), and waits for the running one. With timeoutMs it
   * returns after that long even if the job still runs (killed with the process, it is marked FAILED
   * at the next start).
   */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.closed = true;
    for (const job of [...this.waiting.values()]) await this.cancel(job);
    if (options.timeoutMs === undefined) return this.idle();
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([this.idle(), new Promise((r) => (timer = setTimeout(r, options.timeoutMs)))]);
    clearTimeout(timer);
  }

  /** The id of the job running now, if any. */
  get runningJob(): string | null {
    return this.current;
  }

  /** Ids of the jobs waiting, in the order they will run. */
  get waitingJobs(): string[] {
    return [...this.waiting.keys()];
  }

  /** Closed (the server is shutting down): no job is taken any more. Work beside the queue (a sync's budgets) stops too. */
  get isClosed(): boolean {
    return this.closed;
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new DomainError(ErrorCode.INVALID_STATE, 'the ingestion queue is closed (the server is shutting down); send the files again once it is back', {
        action: 'enqueue',
        currentState: 'CLOSED',
        allowedStates: ['OPEN'],
      });
    }
  }

  private async create(request: IngestRequest): Promise<QueuedJob> {
    if (!request.partnerId) throw badUserInput('a load job needs the partner it is for', 'partnerId');
    if (!request.files.length) throw badUserInput('a load job needs at least one file', 'files');
    const files = await Promise.all(request.files.map((file, i) => checkFile(file, i)));
    const id = await createJob(this.warehouse, { partnerId: request.partnerId, requestedBy: request.requestedBy, files }, this.now());
    this.own.add(id);
    const job: QueuedJob = { id, partnerId: request.partnerId, files, options: request.options ?? {} };
    this.waiting.set(id, job);
    this.emit({ type: 'queued', jobId: id, partnerId: job.partnerId });
    this.log?.info({ job: id, partner: job.partnerId, files: files.length }, 'load job queued');
    // Closed while the job was being recorded: it will not run.
    if (this.closed) await this.cancel(job);
    return job;
  }

  private async cancel(job: QueuedJob): Promise<void> {
    if (!this.waiting.delete(job.id)) return;
    const error = 'cancelled: the server stopped before this load started; none of its files were loaded; load them again';
    try {
      await finishJob(this.warehouse, job.id, { state: 'FAILED', error }, this.now());
      this.emit({ type: 'finished', jobId: job.id, partnerId: job.partnerId, state: 'FAILED', error });
    } catch (err) {
      this.log?.error({ err, job: job.id }, 'could not record a cancelled load job (it is failed at the next start)');
    } finally {
      await this.removeFiles(job);
    }
  }

  private async run(job: QueuedJob): Promise<void> {
    if (!this.waiting.delete(job.id)) return; // cancelled by close()
    this.current = job.id;
    const started = Date.now();
    const statuses: FileStatus[] = job.files.map(() => 'pending');
    let staging: string | null = null;
    try {
      await markJobRunning(this.warehouse, job.id, this.now());
      this.emit({ type: 'running', jobId: job.id, partnerId: job.partnerId });
      const paths = await this.pathsToRead(job, (dir) => (staging = dir));
      const positionOf = new Map(paths.map((p, i) => [resolve(p), i]));

      let recording: Promise<void> = Promise.resolve();
      let recordError: unknown = null;
      const record = (position: number, outcome: FileOutcome) => {
        if (statuses[position] !== 'pending') return;
        statuses[position] = outcome.status;
        recording = recording
          .then(() => recordFileResult(this.warehouse, job.id, position, outcome, this.now()))
          .then(() => this.emit({ type: 'file', jobId: job.id, partnerId: job.partnerId, position, status: outcome.status }))
          .catch((err) => void (recordError ??= err));
      };
      let next = 0;
      const onResult = (result: LoadResult) => {
        const position = positionOf.get(result.path) ?? next;
        next = position + 1;
        record(position, outcomeOf(result));
      };

      let error: string | null = null;
      try {
        const results = await loadFiles(this.warehouse, paths, {
          maxBadShare: job.options.maxBadShare,
          format: job.options.format,
          partnerId: job.options.partnerId,
          customerId: job.options.customerId,
          invoiceNumber: job.options.invoiceNumber,
          onResult,
          onProgress: (p) => {
            const position = positionOf.get(p.path);
            if (position !== undefined) this.emit({ type: 'progress', jobId: job.id, partnerId: job.partnerId, position, phase: p.phase, fraction: p.fraction });
          },
        });
        // The results returned are the authority: any not reported through onResult are recorded now.
        next = 0;
        for (const result of results) onResult(result);
      } catch (err) {
        error = messageOf(err);
        // The file being loaded when the load stopped: its transaction rolled back.
        const position = statuses.indexOf('pending');
        if (position >= 0) record(position, { status: 'failed', message: `not loaded: the load stopped on an error: ${error}` });
      }
      await recording;
      if (recordError) throw recordError;

      const outcome = jobStateFor(job.files.map((f, i) => ({ name: f.name, status: statuses[i] })), error);
      await finishJob(this.warehouse, job.id, outcome, this.now());
      this.emit({ type: 'finished', jobId: job.id, partnerId: job.partnerId, state: outcome.state, error: outcome.error });
      this.log?.info({ job: job.id, partner: job.partnerId, state: outcome.state, ms: Date.now() - started }, 'load job finished');
    } catch (err) {
      // The bookkeeping failed (the warehouse closed under the job, ...): record it if still possible.
      const error = `the load job stopped on an error: ${messageOf(err)}`;
      this.log?.error({ err, job: job.id }, 'load job failed');
      await finishJob(this.warehouse, job.id, { state: 'FAILED', error }, this.now()).then(
        () => this.emit({ type: 'finished', jobId: job.id, partnerId: job.partnerId, state: 'FAILED', error }),
        (e) => this.log?.error({ err: e, job: job.id }, 'could not record a failed load job (it is failed at the next start)'),
      );
    } finally {
      if (staging) await rm(staging, { recursive: true, force: true }).catch(() => undefined);
      await this.removeFiles(job);
      this.current = null;
    }
  }

  /**
   * The paths to give loadFiles, one per file in order: the file itself when its base name is its
   * name (and no other file of the job has the same path), else a symbolic link named after the
   * file in a temporary directory of the job (reported through `staged` so it is removed).
   */
  private async pathsToRead(job: QueuedJob, staged: (dir: string) => void): Promise<string[]> {
    const seen = new Set<string>();
    let dir: string | null = null;
    const paths: string[] = [];
    for (const [position, file] of job.files.entries()) {
      const path = resolve(file.path);
      if (basename(path) === file.name && !seen.has(path)) {
        seen.add(path);
        paths.push(path);
        continue;
      }
      if (!dir) {
        dir = await mkdtemp(join(tmpdir(), 'pi-ingest-'));
        staged(dir);
      }
      const link = join(dir, String(position), file.name);
      await mkdir(join(dir, String(position)));
      await symlink(path, link);
      paths.push(link);
    }
    return paths;
  }

  private async removeFiles(job: QueuedJob): Promise<void> {
    if (!job.options.deleteFiles) return;
    for (const file of job.files) await rm(file.path, { force: true }).catch((err) => this.log?.warn({ err, path: file.path }, 'could not delete a loaded file'));
  }

  private emit(event: IngestionEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log?.warn({ err }, 'an ingestion listener threw');
      }
    }
  }
}

/** A file as given, checked: a plain name and a regular file, with its size. */
async function checkFile(file: IngestFile, index: number): Promise<{ path: string; name: string; sizeBytes: number }> {
  const name = file.name ?? basename(file.path);
  if (!name || name === '.' || name === '..' || /[/\\\0]/.test(name) || name.length > 255) {
    throw badUserInput(`files[${index}]: "${name}" is not a file name (no directories, at most 255 characters)`, `files[${index}].name`);
  }
  const info = await stat(file.path).catch(() => null);
  if (!info || !info.isFile()) throw badUserInput(`files[${index}]: ${file.path} is not a readable file`, `files[${index}].path`);
  return { path: resolve(file.path), name, sizeBytes: info.size };
}

function outcomeOf(result: LoadResult): FileOutcome {
  return {
    status: result.status,
    format: result.format ?? null,
    sizeBytes: result.sizeBytes,
    rowsLoaded: result.rowsLoaded,
    rowsQuarantined: result.rowsQuarantined,
    rowsReplaced: result.rowsReplaced,
    message: result.notice ? `${result.message} (${result.notice})` : result.message,
    loadId: result.loadId ?? null,
    // The path is the queue's (an upload's temporary file): the result names the file as given.
    result: { ...result, path: result.fileName },
  };
}

function messageOf(err: unknown): string {
  return (err as Error)?.message || String(err);
}

const queues = new WeakMap<Warehouse, IngestionQueue>();

/** The warehouse's ingestion queue (one per warehouse and process: DuckDB has one writer), created on first use. */
export function ingestionQueue(warehouse: Warehouse, options?: IngestionQueueOptions): IngestionQueue {
  let queue = queues.get(warehouse);
  if (!queue) {
    queue = new IngestionQueue(warehouse, options);
    queues.set(warehouse, queue);
  }
  return queue;
}
