import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import { now } from '../clock';
import type { Warehouse } from '../db';
import { claimNextJob, expiredFiles, failInterrupted, markExpired, markFailed, markReady, type Job } from './downloads';
import { runExport } from './downloads-engine';

/**
 * The report generation queue: in process, one job at a time (DuckDB parallelises the export
 * itself). Jobs live in generated_reports, so the queue survives restarts: QUEUED jobs are picked
 * up again at start, RUNNING ones (a crash mid-export) become FAILED. A sweep at start and every
 * hour removes files past their 14 days and marks them EXPIRED.
 */
export const SWEEP_INTERVAL_MS = 60 * 60 * 1000;

/** PI_EXPORT_DIR, else `exports/` beside the warehouse file (a temporary directory for :memory:). */
export function exportDir(warehousePath: string, env: NodeJS.ProcessEnv = process.env): string {
  if (env.PI_EXPORT_DIR) return resolve(env.PI_EXPORT_DIR);
  if (warehousePath === ':memory:') return mkdtempSync(join(tmpdir(), 'pi-exports-'));
  return join(dirname(resolve(warehousePath)), 'exports');
}

/**
 * A report's generation ended, told to the listeners of onFinished (the live subscriptions):
 * whose it is (partner, the requester's locations) and which dataset, so that a listener can keep
 * to who may see it (warehouse/exports/downloads.ts visible(), exportableBy).
 */
export interface ReportFinished {
  reportId: string;
  partnerId: string;
  dataset: string;
  /** The requester's locations (the report holds only theirs), or null for the organization. */
  locations: string[] | null;
  status: 'READY' | 'FAILED';
  error: string | null;
}

export class ReportQueue {
  private readonly listeners = new Set<(event: ReportFinished) => void>();
  private running: Promise<void> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  /** Servers that started the queue: it stops when the last one stops (tests run several on one warehouse). */
  private users = 0;
  readonly dir: string;

  constructor(
    private readonly warehouse: Warehouse,
    private log?: Logger,
    dir?: string,
  ) {
    this.dir = dir ?? exportDir(warehouse.path);
  }

  /** Recovers after a crash, sweeps, resumes QUEUED jobs and sweeps hourly (the timer never holds the process). */
  async start(log?: Logger): Promise<void> {
    if (log) this.log = log;
    this.users++;
    this.stopped = false;
    const failed = await failInterrupted(this.warehouse);
    if (failed) this.log?.warn({ reports: failed }, 'reports interrupted by a restart marked FAILED');
    await this.sweep();
    if (!this.timer) {
      this.timer = setInterval(() => void this.sweep().catch((err) => this.log?.error({ err }, 'report sweep failed')), SWEEP_INTERVAL_MS);
      this.timer.unref();
    }
    this.kick();
  }

  /** Runs queued jobs until none is left, unless a run is already going. */
  kick(): void {
    if (this.running || this.stopped) return;
    // A failure outside a job (the warehouse closed or unreachable) is logged, never left unhandled:
    // the jobs stay QUEUED for the next kick or start.
    this.running = this.drain()
      .catch((err) => this.log?.error({ err }, 'report queue stopped on an error'))
      .finally(() => {
        this.running = null;
      });
  }

  /** Resolves once no job is running (tests, shutdown). */
  async idle(): Promise<void> {
    while (this.running) await this.running;
  }

  /** Stops taking jobs and waits for the one running (up to timeoutMs; an unfinished one is FAILED at next start). */
  async stop(timeoutMs = 10_000): Promise<void> {
    this.users = Math.max(0, this.users - 1);
    if (this.users > 0) return;
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.running) {
      let timeout: NodeJS.Timeout | undefined;
      await Promise.race([this.running, new Promise((r) => (timeout = setTimeout(r, timeoutMs)))]);
      clearTimeout(timeout);
    }
  }

  /** Calls `listener` when a report is READY or FAILED (after it is recorded); returns the function that stops it. */
  onFinished(listener: (event: ReportFinished) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** How many onFinished listeners there are (tests check that ended subscriptions left none). */
  listenerCount(): number {
    return this.listeners.size;
  }

  /** Removes the files of reports past their 14 days and marks them EXPIRED; returns how many. */
  async sweep(): Promise<number> {
    const expired = await expiredFiles(this.warehouse, now());
    for (const { id, filePath } of expired) {
      if (filePath) rmSync(filePath, { force: true });
      await markExpired(this.warehouse, id);
    }
    if (expired.length) this.log?.info({ reports: expired.length }, 'expired report files removed');
    return expired.length;
  }

  private async drain(): Promise<void> {
    for (;;) {
      if (this.stopped) return;
      const job = await claimNextJob(this.warehouse);
      if (!job) return;
      await this.run(job);
    }
  }

  private async run(job: Job): Promise<void> {
    const started = Date.now();
    const file = this.fileFor(job);
    try {
      mkdirSync(dirname(file), { recursive: true });
      const result = await runExport(this.warehouse, job, file);
      await markReady(this.warehouse, job.id, result);
      this.emit(job, 'READY', null);
      this.log?.info({ report: job.id, dataset: job.dataset, rows: result.rows, bytes: result.bytes, ms: Date.now() - started }, 'report generated');
    } catch (err) {
      rmSync(file, { force: true });
      const message = (err as Error).message || String(err);
      this.log?.warn({ report: job.id, dataset: job.dataset, err }, 'report generation failed');
      await markFailed(this.warehouse, job.id, message).then(
        () => this.emit(job, 'FAILED', message),
        (e) => this.log?.error({ err: e }, 'could not record a failed report'),
      );
    }
  }

  private emit(job: Job, status: ReportFinished['status'], error: string | null): void {
    const event: ReportFinished = { reportId: job.id, partnerId: job.caller.partnerId, dataset: job.dataset, locations: job.caller.locations, status, error };
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (err) {
        this.log?.warn({ err }, 'a report listener threw');
      }
    }
  }

  /** <dir>/<partner>/<report id>.<format>; the partner part is hashed if it is not a plain id. */
  private fileFor(job: Job): string {
    const partner = /^[\w-]{1,64}$/.test(job.caller.partnerId) ? job.caller.partnerId : createHash('sha256').update(job.caller.partnerId).digest('hex').slice(0, 32);
    return join(this.dir, partner, `${job.id}.${job.format}`);
  }
}

const queues = new WeakMap<Warehouse, ReportQueue>();

/** The warehouse's queue (one per warehouse and process), created on first use. */
export function reportQueue(warehouse: Warehouse): ReportQueue {
  let queue = queues.get(warehouse);
  if (!queue) {
    queue = new ReportQueue(warehouse);
    queues.set(warehouse, queue);
  }
  return queue;
}
