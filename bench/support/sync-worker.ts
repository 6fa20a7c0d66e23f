/**
 * The child process of bench/sync.ts: one measured run in a process of its own, so that its peak
 * memory is its own (the stand-in serving it is another process, the bench a third). Forked with
 * the stand-in's PI_PC_* / PI_GRAPH_URL environment and PI_DB_THREADS; the command is argv[2] (JSON):
 *
 *   { mode: 'sync', db }                a sync (SyncService over the ingestion queue, as the CLI's
 *                                       `partner-insights sync` runs one) into the warehouse `db`;
 *   { mode: 'files', db, dir, scratch } the baseline: every invoice's line items downloaded with the
 *                                       same client classes as the sync, one file per invoice and
 *                                       source in `dir` (as etl/sync/run.ts makes them), then
 *                                       loadFiles(db, [dir]).
 *
 * The clients are the real ones (ApiHttp, PartnerCenterClient, ReferralsClient, GraphBillingExports
 * over one token source: what etl/sync/source.ts partnerCenterSource builds), with two bench knobs:
 * `sleep` waits min(ms, BENCH_SYNC_SLEEP_CAP_MS) (default 50: the stand-in's Retry-After of 1 s per
 * export poll would otherwise be slept for real), and every request is counted by kind (onRequest).
 *
 * Memory: process.memoryUsage() sampled every BENCH_SYNC_SAMPLE_MS (100) for the rss and heapUsed
 * maxima, and process.resourceUsage().maxRSS (the kernel's high-water mark) once the run ended.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { IngestionQueue } from '../../etl/ingest/queue';
import { loadFiles, type LoadResult } from '../../etl/load';
import {
  ApiHttp,
  createTokenSource,
  ExportFailedError,
  GraphBillingExports,
  PartnerCenterClient,
  partnerCenterSettingsFromEnv,
  ReferralsClient,
  type Invoice,
  type PartnerCenterSettings,
} from '../../etl/sync/client';
import { lineItemFileName, planInvoice, type RestSource } from '../../etl/sync/invoices';
import { SyncService } from '../../etl/sync/service';
import type { SyncSource } from '../../etl/sync/source';
import type { Warehouse } from '../../warehouse/db';
import { openWarehouse } from '../../warehouse/open';
import { syncRunWithUnits, type SyncRunRow, type SyncUnitRow } from '../../warehouse/sync/runs';
import { envNumber } from './env';

export type WorkerCommand = { mode: 'sync'; db: string } | { mode: 'files'; db: string; dir: string; scratch: string };

export interface MemoryFigures {
  /** process.resourceUsage().maxRSS at the end, kB. */
  maxRssKb: number;
  /** Largest sampled process.memoryUsage().rss / heapUsed, bytes. */
  sampledRssMax: number;
  sampledHeapUsedMax: number;
  samples: number;
  /** rss when the worker started (modules loaded, nothing opened), bytes. */
  startRss: number;
}

export interface LineCounts {
  license: number;
  onetime: number;
  usage: number;
}

export type FileTransactions = Awaited<ReturnType<typeof fileTransactions>>;

export interface SleepFigures {
  /** Waits the client asked for (Retry-After, backoff, export polls). */
  count: number;
  /** What they asked for in all, ms. */
  askedMs: number;
  /** What was slept (each capped), ms. */
  sleptMs: number;
}

export interface SyncFigures {
  mode: 'sync';
  openMs: number;
  /** syncs.request to syncs.finished. */
  syncMs: number;
  /** CPU time of the worker over syncMs (user + system, all threads). */
  cpuMs: number;
  run: SyncRunRow;
  /** Units by "kind STATE". */
  units: Record<string, number>;
  failedUnits: Pick<SyncUnitRow, 'kind' | 'key' | 'message'>[];
  /** Seconds spent in each phase (phase changes as the sync reports them). */
  phases: Record<string, number>;
  /** Load jobs of the ingestion queue: count, and the time they ran (running -> finished). */
  jobs: number;
  jobsMs: number;
  longestJobMs: number;
  requestsByKind: Record<string, number>;
  sleeps: SleepFigures;
  lines: LineCounts;
  transactions: FileTransactions;
  memory: MemoryFigures;
}

export interface FilesFigures {
  mode: 'files';
  openMs: number;
  /** Listing, exports, blob downloads and REST pages into `dir`. */
  downloadMs: number;
  /** loadFiles(db, [dir]). */
  loadMs: number;
  /** CPU time of the worker over download + load (user + system, all threads). */
  cpuMs: number;
  files: number;
  bytes: number;
  requests: number;
  requestsByKind: Record<string, number>;
  sleeps: SleepFigures;
  /** loadFiles' results: by status, rows loaded, the rejected ones' messages. */
  loaded: number;
  skipped: number;
  rejected: string[];
  rowsLoaded: number;
  rowsQuarantined: number;
  lines: LineCounts;
  transactions: FileTransactions;
  memory: MemoryFigures;
}

export type WorkerMessage =
  | { type: 'progress'; elapsedMs: number; rss: number; line: string }
  | { type: 'result'; figures: SyncFigures | FilesFigures }
  | { type: 'error'; message: string };

const started = performance.now();
const startRss = process.memoryUsage().rss;
let sampledRssMax = startRss;
let sampledHeapUsedMax = 0;
let samples = 0;
const sampleMemory = () => {
  const m = process.memoryUsage();
  sampledRssMax = Math.max(sampledRssMax, m.rss);
  sampledHeapUsedMax = Math.max(sampledHeapUsedMax, m.heapUsed);
  samples++;
};
sampleMemory();
setInterval(sampleMemory, Math.max(10, envNumber('BENCH_SYNC_SAMPLE_MS', 100))).unref();

function memory(): MemoryFigures {
  sampleMemory();
  return { maxRssKb: process.resourceUsage().maxRSS, sampledRssMax, sampledHeapUsedMax, samples, startRss };
}

/** CPU time of this process (JavaScript and DuckDB's threads), user + system, ms. */
const cpuMs = () => {
  const u = process.resourceUsage();
  return (u.userCPUTime + u.systemCPUTime) / 1000;
};

const send = (m: WorkerMessage) => new Promise<void>((resolve) => (process.send ? process.send(m, undefined, {}, () => resolve()) : resolve()));
const progress = (line: string) => void send({ type: 'progress', elapsedMs: performance.now() - started, rss: process.memoryUsage().rss, line });

/** A bench sleep: the wait asked for is recorded, and at most `cap` ms of it slept. */
function cappedSleep(cap: number): { sleep: (ms: number) => Promise<void>; figures: SleepFigures } {
  const figures: SleepFigures = { count: 0, askedMs: 0, sleptMs: 0 };
  const sleep = (ms: number) => {
    const slept = Math.max(0, Math.min(ms, cap));
    figures.count++;
    figures.askedMs += ms;
    figures.sleptMs += slept;
    return new Promise<void>((resolve) => setTimeout(resolve, slept));
  };
  return { sleep, figures };
}

/** What a request was, from its (redacted) URL: for the figures, and to check a second sync fetches no line item. */
function requestKind(method: string, url: string): string {
  const path = new URL(url).pathname;
  if (path.startsWith('/blobs/')) return 'blob';
  if (/\/billed\/export$|\/unbilled\/export$/.test(path)) return 'export POST';
  if (/\/billing\/operations\//.test(path)) return 'export poll';
  if (/\/billing\/manifests\//.test(path)) return 'manifest';
  if (/\/lineitems(\/|$)/.test(path)) return 'line items';
  if (/\/invoices(\/[^/]+)?$/.test(path)) return 'invoices';
  if (/\/subscriptions/.test(path)) return 'subscriptions';
  if (/\/customers/.test(path)) return 'customers';
  if (/\/referrals/.test(path)) return 'referrals';
  if (/\/relationships|\/profiles\//.test(path)) return 'profile';
  return `${method} other`;
}

/**
 * The sync's source as etl/sync/source.ts partnerCenterSource builds it (one ApiHttp, one token
 * source, the three clients, requests counted with retries), with requests also counted by kind.
 */
function countingSource(settings: PartnerCenterSettings, sleep: (ms: number) => Promise<void>): { source: SyncSource; byKind: Record<string, number> } {
  let requests = 0;
  const byKind: Record<string, number> = {};
  const http = new ApiHttp({
    settings,
    tokens: createTokenSource(settings),
    sleep,
    onRequest: (e) => {
      requests++;
      const kind = requestKind(e.method, e.url);
      byKind[kind] = (byKind[kind] ?? 0) + 1;
    },
  });
  return {
    source: {
      partnerCenter: new PartnerCenterClient(http, settings.apiUrl),
      referrals: new ReferralsClient(http, settings.referralsUrl),
      exports: new GraphBillingExports(http, settings.graphUrl, { sleep }),
      requests: () => requests,
    },
    byKind,
  };
}

/**
 * Time inside the loader's file transactions (etl_loads started_at -> finished_at, summed), s: line
 * item files apart from the others (reference data). The rest of a load job or of loadFiles is
 * outside them (hashing, detection, the job's records, the derived rollups rebuilt after a batch).
 */
async function fileTransactions(db: Warehouse): Promise<{ lineItemFiles: number; lineItemSeconds: number; otherFiles: number; otherSeconds: number }> {
  const rows = await db.all<{ lines: boolean; n: bigint; s: number | null }>(
    `SELECT file_format LIKE '%-json' AS lines, count(*) AS n, sum(epoch(finished_at - started_at)) AS s FROM etl_loads WHERE status <> 'rejected' GROUP BY ALL`,
  );
  const of = (lines: boolean) => rows.find((r) => r.lines === lines);
  return {
    lineItemFiles: Number(of(true)?.n ?? 0),
    lineItemSeconds: Number(of(true)?.s ?? 0),
    otherFiles: Number(of(false)?.n ?? 0),
    otherSeconds: Number(of(false)?.s ?? 0),
  };
}

async function lineCounts(db: Warehouse): Promise<LineCounts> {
  const n = async (table: string) => Number((await db.all<{ n: bigint }>(`SELECT count(*) AS n FROM ${table}`))[0].n);
  return { license: await n('billing_license_lines'), onetime: await n('billing_onetime_lines'), usage: await n('billing_usage_lines') };
}

async function runSyncMode(db: Warehouse, openMs: number): Promise<SyncFigures> {
  const settings = partnerCenterSettingsFromEnv();
  const { sleep, figures: sleeps } = cappedSleep(envNumber('BENCH_SYNC_SLEEP_CAP_MS', 50));
  const { source, byKind } = countingSource(settings, sleep);
  const queue = new IngestionQueue(db);
  await queue.start();

  // Load jobs: the time each ran (the loader), out of the sync's time.
  const running = new Map<string, number>();
  let jobs = 0;
  let jobsMs = 0;
  let longestJobMs = 0;
  queue.onChange((e) => {
    if (e.type === 'running') running.set(e.jobId, performance.now());
    else if (e.type === 'finished') {
      const from = running.get(e.jobId);
      if (from === undefined) return;
      const ms = performance.now() - from;
      jobs++;
      jobsMs += ms;
      longestJobMs = Math.max(longestJobMs, ms);
      running.delete(e.jobId);
    }
  });

  const syncs = new SyncService(db, queue, { settings: () => settings, source: () => source });
  await syncs.start();
  const phases: Record<string, number> = {};
  let phase = '';
  let phaseFrom = 0;
  syncs.onProgress((p) => {
    const now = performance.now();
    if (p.phase !== phase) {
      if (phase) phases[phase] = (phases[phase] ?? 0) + (now - phaseFrom) / 1000;
      phase = p.phase;
      phaseFrom = now;
      if (p.phase !== 'done') progress(`phase ${p.phase} (${p.requests} requests, ${(p.bytesDownloaded / 1e6).toFixed(1)} MB)`);
    }
    if (p.unit) {
      progress(`${p.unit.kind} ${p.unit.key} ${p.unit.state}${p.unit.rowsLoaded ? `: ${p.unit.rowsLoaded.toLocaleString('en-US')} rows` : ''} (${p.requests} requests, ${(p.bytesDownloaded / 1e6).toFixed(1)} MB)${p.unit.state === 'FAILED' ? ` ${p.unit.message}` : ''}`);
    }
  });

  const before = await fileTransactions(db);
  const t0 = performance.now();
  const cpu0 = cpuMs();
  const { id } = await syncs.request({ requestedBy: 'bench:sync', trigger: 'cli' });
  await syncs.finished(id);
  const syncMs = performance.now() - t0;
  const cpu = cpuMs() - cpu0;
  const mem = memory();
  const run = (await syncRunWithUnits(db, id))!;
  const units: Record<string, number> = {};
  for (const u of run.units) units[`${u.kind} ${u.state}`] = (units[`${u.kind} ${u.state}`] ?? 0) + 1;
  const failedUnits = run.units.filter((u) => u.state === 'FAILED').map((u) => ({ kind: u.kind, key: u.key, message: u.message }));
  const { units: _units, ...record } = run;
  const lines = await lineCounts(db);
  const after = await fileTransactions(db);
  // This sync's file transactions only (a second sync's warehouse holds the first's loads).
  const transactions = {
    lineItemFiles: after.lineItemFiles - before.lineItemFiles,
    lineItemSeconds: after.lineItemSeconds - before.lineItemSeconds,
    otherFiles: after.otherFiles - before.otherFiles,
    otherSeconds: after.otherSeconds - before.otherSeconds,
  };
  await syncs.close();
  await queue.close();
  return { mode: 'sync', openMs, syncMs, cpuMs: cpu, run: record, units, failedUnits, phases, jobs, jobsMs, longestJobMs, requestsByKind: byKind, sleeps, lines, transactions, memory: mem };
}

/** Graph's "no data available" (error 5000), as etl/sync/run.ts reads it: the invoice's lines are on the REST endpoint. */
function isNoData(err: unknown): boolean {
  return err instanceof ExportFailedError && !err.timedOut && (err.error?.code === '5000' || /no data available/i.test(err.error?.message ?? ''));
}

/** Gzip files concatenated: one gzip file of several members (as etl/sync/run.ts concatenates an export's blobs). */
async function concatenate(paths: readonly string[], to: string): Promise<void> {
  const out = createWriteStream(to);
  for (const path of paths) await pipeline(createReadStream(path), out, { end: false });
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/**
 * The baseline: what etl/sync/run.ts fetches for every invoice (the invoice list with amendments as
 * invoices, planInvoice's sources, Graph's export or the REST pages, blobs concatenated into one
 * file per invoice and source), as files in `dir`, one after the other as the sync does; then one
 * loadFiles(db, [dir]). No sync records, no ingestion queue, no reference data (profile,
 * customers, subscriptions, referrals, the invoice list are not written or loaded).
 */
async function runFilesMode(db: Warehouse, openMs: number, dir: string, scratch: string): Promise<FilesFigures> {
  const settings = partnerCenterSettingsFromEnv();
  const { sleep, figures: sleeps } = cappedSleep(envNumber('BENCH_SYNC_SLEEP_CAP_MS', 50));
  const { source, byKind } = countingSource(settings, sleep);
  await mkdir(dir, { recursive: true });
  await mkdir(scratch, { recursive: true });

  const restFile = async (invoiceId: string, rest: RestSource): Promise<string | null> => {
    const path = join(dir, lineItemFileName(invoiceId, rest));
    const out = createWriteStream(path);
    let items = 0;
    try {
      for await (const page of source.partnerCenter.invoiceLineItemPages(invoiceId, rest.provider, rest.lineItemType)) {
        items += page.items?.length ?? 0;
        if (!out.write(JSON.stringify(page) + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
    } finally {
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    }
    if (items) return path;
    await rm(path, { force: true });
    return null;
  };

  const t0 = performance.now();
  const cpu0 = cpuMs();
  const invoices: Invoice[] = [];
  for await (const page of source.partnerCenter.invoices()) invoices.push(...page);
  const all = invoices
    .flatMap((invoice) => [invoice, ...(invoice.amendments ?? [])])
    .sort((a, b) => (a.invoiceDate ?? '').localeCompare(b.invoiceDate ?? '') || a.id.localeCompare(b.id));
  let files = 0;
  for (const invoice of all) {
    for (const s of planInvoice(invoice).sources) {
      let path: string | null;
      let what: string;
      if (s.via === 'rest') {
        path = await restFile(invoice.id, s);
        what = `rest ${s.provider} ${s.lineItemType}`;
      } else {
        const manifest = await source.exports.billedExport(s.kind, invoice.id).catch((err) => {
          if (isNoData(err)) return null;
          throw err;
        });
        if (!manifest) {
          path = await restFile(invoice.id, s.fallback);
          what = `graph ${s.kind}: no data, rest ${s.fallback.provider} ${s.fallback.lineItemType}`;
        } else {
          const blobDir = join(scratch, `${invoice.id}-${s.kind}-blobs`);
          const blobs = await source.exports.downloadBlobs(manifest, blobDir);
          path = null;
          if (blobs.length) {
            path = join(dir, lineItemFileName(invoice.id, s));
            await concatenate(blobs, path);
          }
          await rm(blobDir, { recursive: true, force: true });
          what = `graph ${s.kind}, ${blobs.length} blobs`;
        }
      }
      if (path) {
        files++;
        progress(`downloaded ${invoice.id} ${what} (${source.requests()} requests)`);
      }
    }
  }
  const downloadMs = performance.now() - t0;
  let bytes = 0;
  for (const name of await readdir(dir)) bytes += (await stat(join(dir, name))).size;
  progress(`downloaded ${files} files, ${(bytes / 1e6).toFixed(1)} MB in ${(downloadMs / 1000).toFixed(1)} s; loading them with loadFiles`);

  const t1 = performance.now();
  const results: LoadResult[] = await loadFiles(db, [dir], {
    onResult: (r) => progress(`loaded ${r.fileName}: ${r.status}${r.status === 'loaded' ? ` ${r.rowsLoaded.toLocaleString('en-US')} rows` : ''} (${r.seconds.toFixed(1)} s)`),
  });
  const loadMs = performance.now() - t1;
  const cpu = cpuMs() - cpu0;
  const mem = memory();
  return {
    mode: 'files',
    openMs,
    downloadMs,
    loadMs,
    cpuMs: cpu,
    files,
    bytes,
    requests: source.requests(),
    requestsByKind: byKind,
    sleeps,
    loaded: results.filter((r) => r.status === 'loaded').length,
    skipped: results.filter((r) => r.status === 'skipped').length,
    rejected: results.filter((r) => r.status === 'rejected').map((r) => `${r.fileName}: ${r.message}`),
    rowsLoaded: results.reduce((n, r) => n + (r.rowsLoaded ?? 0), 0),
    rowsQuarantined: results.reduce((n, r) => n + (r.rowsQuarantined ?? 0), 0),
    lines: await lineCounts(db),
    transactions: await fileTransactions(db),
    memory: mem,
  };
}

async function main(): Promise<void> {
  const command = JSON.parse(process.argv[2] ?? '{}') as WorkerCommand;
  const t0 = performance.now();
  const db = await openWarehouse(command.db);
  const openMs = performance.now() - t0;
  try {
    const figures = command.mode === 'sync' ? await runSyncMode(db, openMs) : await runFilesMode(db, openMs, command.dir, command.scratch);
    await send({ type: 'result', figures });
  } finally {
    db.close();
  }
}

main().then(
  () => process.exit(0),
  async (err: unknown) => {
    await send({ type: 'error', message: (err as Error)?.stack ?? String(err) });
    process.exit(1);
  },
);
