/**
 * `npm run bench:sync`: what a first `partner-insights sync` of a large partner costs (time, and the
 * peak memory of the process that syncs), what a second sync with nothing new costs, against loading
 * the same line items from files without the sync's orchestration, measured in the same run.
 *
 * 1. The stand-in (stand-in/) serving its BENCH_SYNC_SIZE data set (default `large`: 2,000
 *    customers, 6,000 subscriptions, 25 indirect resellers, 400 referrals, 12 invoices, ~991,000
 *    line items) in a child process (`node dist/stand-in/main.js --size large --port 0`, its
 *    settings read from its stdout), so that its memory is not counted in the sync's. Its own page
 *    size, 2 "running" answers per export operation with Retry-After 1 s, 25,000 lines per blob.
 * 2. The first sync: ./data/bench-sync.duckdb (BENCH_SYNC_DB; removed first, so a new empty
 *    warehouse) in a child process of its own (bench/support/sync-worker.ts): openWarehouse, an
 *    IngestionQueue, a SyncService whose source is the real client (ApiHttp, PartnerCenterClient,
 *    ReferralsClient, GraphBillingExports: what etl/sync/source.ts builds, requests also counted by
 *    kind) except for its sleep, which waits min(ms, BENCH_SYNC_SLEEP_CAP_MS = 50) ms: Retry-After
 *    and export polls (at least 1 s each) would otherwise be slept for real. The waits asked for are
 *    printed. `syncs.request(...)` then `syncs.finished(id)`: the sync time (warehouse opening and
 *    migrations are timed apart). Printed: the sync record (units, rows, requests, bytes), the time
 *    per phase and in load jobs, and the worker's peak memory: process.resourceUsage().maxRSS at
 *    the end, and the maxima of process.memoryUsage().rss / heapUsed sampled every
 *    BENCH_SYNC_SAMPLE_MS (100) ms.
 * 3. The second sync: the same warehouse, the same stand-in (nothing new), a new worker process.
 *    Its record must show unitsDone 0 and rowsLoaded 0, and its requests no export, blob or line
 *    items request (counted by the worker's client, the stand-in being another process).
 * 4. The baseline, in a worker process of its own against a freshly started stand-in (so that
 *    neither run finds the other's blobs in the stand-in's blob cache): every invoice's line items
 *    downloaded with the same client classes, as etl/sync/run.ts fetches them (invoice list with
 *    amendments, planInvoice, GraphBillingExports.billedExport + downloadBlobs concatenated into
 *    one file per invoice and kind, or PartnerCenterClient.invoiceLineItemPages as JSON lines), one
 *    after the other, into ./data/bench-sync-files/ (BENCH_SYNC_FILES_DIR), then
 *    loadFiles(warehouse, [dir]) into another empty warehouse ./data/bench-sync-files.duckdb
 *    (BENCH_SYNC_FILES_DB); the downloaded files are removed after. Baseline time = download + load.
 *    It loads no reference data (profile, customers, subscriptions, referrals, invoice list) and
 *    writes no sync or job records: that, and one load job per unit instead of one batch, is the
 *    orchestration the ratio prices.
 * 5. Prints the figures, then last `sync_vs_files_ratio=<first sync s / baseline s>`.
 *
 * Not part of `npm test`. DuckDB threads PI_DB_THREADS (default 2) in each worker. The machine is
 * shared: the load average is printed before and after each step, and sampled every 5 s during it;
 * each worker's CPU time (user + system, DuckDB's threads included) over its measured span is
 * printed with a CPU ratio, less sensitive than wall time to the other users of the machine. A
 * worker running longer than BENCH_SYNC_TIMEOUT_SECONDS (1500) is killed and the figures it
 * reported so far are printed. The workers' progress lines (each unit, each file) are printed as
 * they come; BENCH_SYNC_VERBOSE=0 keeps only phases and invoices.
 */
import { fork } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { envNumber } from './support/env';
import { StandInProcess } from './support/sync-standin';
import type { FileTransactions, FilesFigures, LineCounts, MemoryFigures, SyncFigures, WorkerCommand, WorkerMessage } from './support/sync-worker';

const SETTINGS = {
  size: process.env.BENCH_SYNC_SIZE || 'large',
  db: resolve(process.env.BENCH_SYNC_DB || './data/bench-sync.duckdb'),
  filesDb: resolve(process.env.BENCH_SYNC_FILES_DB || './data/bench-sync-files.duckdb'),
  filesDir: resolve(process.env.BENCH_SYNC_FILES_DIR || './data/bench-sync-files'),
  threads: process.env.PI_DB_THREADS || '2',
  sleepCapMs: envNumber('BENCH_SYNC_SLEEP_CAP_MS', 50),
  timeoutSeconds: envNumber('BENCH_SYNC_TIMEOUT_SECONDS', 1500),
  /** Print each progress line of the workers (0: phases and invoices only). */
  verbose: process.env.BENCH_SYNC_VERBOSE !== '0',
};

const int = (n: number) => (Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : 'n/a');
const secs = (ms: number) => (Number.isFinite(ms) ? (ms / 1000).toFixed(2) : 'n/a');
const mb = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 1024 / 1024).toFixed(0) : 'n/a');
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');

class WorkerTimeout extends Error {
  constructor(
    readonly label: string,
    readonly lastLines: string[],
    readonly elapsedMs: number,
    readonly peakRss: number,
  ) {
    super(`${label}: still running after ${SETTINGS.timeoutSeconds} s: killed`);
  }
}

/** Runs one command in a new worker process; its progress lines are printed as they come. */
function runWorker<T extends SyncFigures | FilesFigures>(label: string, command: WorkerCommand, standIn: StandInProcess): Promise<{ figures: T; processMs: number; load: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of Object.keys(env)) if (/^PI_PC_|^PI_GRAPH_URL$/.test(k)) delete env[k];
  Object.assign(env, standIn.env, { PI_DB_THREADS: SETTINGS.threads, PI_LOG_LEVEL: process.env.PI_LOG_LEVEL || 'warn', BENCH_SYNC_SLEEP_CAP_MS: String(SETTINGS.sleepCapMs) });
  const started = performance.now();
  const child = fork(join(__dirname, 'support', 'sync-worker.js'), [JSON.stringify(command)], { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const last: string[] = [];
  let peakRss = 0;
  // The machine's 1-minute load average while the worker runs, every 5 s: how noisy this step was.
  const loads: number[] = [loadavg()[0]];
  const sampler = setInterval(() => loads.push(loadavg()[0]), 5000);
  const loadDuring = () => `mean ${(loads.reduce((a, b) => a + b, 0) / loads.length).toFixed(1)}, min ${Math.min(...loads).toFixed(1)}, max ${Math.max(...loads).toFixed(1)}`;
  return new Promise((resolveRun, reject) => {
    let figures: T | undefined;
    let error: string | undefined;
    const timer = setTimeout(() => {
      clearInterval(sampler);
      child.kill('SIGKILL');
      reject(new WorkerTimeout(label, last, performance.now() - started, peakRss));
    }, SETTINGS.timeoutSeconds * 1000);
    child.on('message', (m: WorkerMessage) => {
      if (m.type === 'progress') {
        peakRss = Math.max(peakRss, m.rss);
        last.push(m.line);
        if (last.length > 5) last.shift();
        if (SETTINGS.verbose || /^phase|^invoice|^downloaded \d+ files/.test(m.line)) {
          console.log(`    [${label} ${(m.elapsedMs / 1000).toFixed(1).padStart(6)} s, rss ${mb(m.rss).padStart(5)} MB] ${m.line}`);
        }
      } else if (m.type === 'result') figures = m.figures as T;
      else error = m.message;
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      clearInterval(sampler);
      const processMs = performance.now() - started;
      if (figures) resolveRun({ figures, processMs, load: loadDuring() });
      else reject(new Error(`${label}: the worker exited (${code ?? signal}) without a result${error ? `: ${error}` : ''}`));
    });
  });
}

function removeWarehouse(path: string): void {
  for (const p of [path, `${path}.wal`, `${path}.owner.json`]) rmSync(p, { force: true });
}

function memoryLine(m: MemoryFigures): string {
  return (
    `maxRSS ${mb(m.maxRssKb * 1024)} MB (process.resourceUsage at the end); sampled max rss ${mb(m.sampledRssMax)} MB, ` +
    `heapUsed ${mb(m.sampledHeapUsedMax)} MB (${int(m.samples)} samples); rss at the worker's start ${mb(m.startRss)} MB`
  );
}

const transactionsOf = (t: FileTransactions) =>
  `line item files ${t.lineItemFiles} in ${t.lineItemSeconds.toFixed(1)} s, other files ${t.otherFiles} in ${t.otherSeconds.toFixed(1)} s (etl_loads started_at -> finished_at, summed)`;
const linesOf = (l: LineCounts) => `${int(l.license + l.onetime + l.usage)} (license ${int(l.license)}, new commerce ${int(l.onetime)}, usage ${int(l.usage)})`;
const kinds = (r: Record<string, number>) =>
  Object.entries(r)
    .sort((a, b) => b[1] - a[1])
    .map(([k, v]) => `${k} ${int(v)}`)
    .join(', ');

function describeSync(label: string, f: SyncFigures, processMs: number, load: string): string[] {
  const r = f.run;
  return [
    `${label}: ${secs(f.syncMs)} s (request -> finished; warehouse open ${secs(f.openMs)} s, whole worker process ${secs(processMs)} s)`,
    `  cpu ${secs(f.cpuMs)} s (the worker's user + system over the sync, DuckDB threads included); machine load average during the step: ${load}`,
    `  record: ${r.state}${r.error ? ` (${r.error.slice(0, 400)})` : ''}; units done ${r.unitsDone}, skipped ${r.unitsSkipped}, failed ${r.unitsFailed}; ` +
      `rows loaded ${int(r.rowsLoaded)}; requests ${int(r.requests)}; bytes downloaded ${int(r.bytesDownloaded)} (${mb(r.bytesDownloaded)} MB)`,
    `  units: ${kinds(f.units) || 'none'}`,
    ...f.failedUnits.map((u) => `  FAILED unit ${u.kind} ${u.key}: ${u.message}`),
    `  phases (s): ${Object.entries(f.phases).map(([k, v]) => `${k} ${v.toFixed(2)}`).join(', ')}`,
    `  load jobs: ${f.jobs}, ${secs(f.jobsMs)} s in all (longest ${secs(f.longestJobMs)} s); the rest, ${secs(f.syncMs - f.jobsMs)} s, is fetching, files and records`,
    `  file transactions: ${transactionsOf(f.transactions)}`,
    `  requests by kind: ${kinds(f.requestsByKind) || 'none'}`,
    `  waits asked by the client: ${f.sleeps.count} (${secs(f.sleeps.askedMs)} s), slept ${secs(f.sleeps.sleptMs)} s (each capped at ${SETTINGS.sleepCapMs} ms)`,
    `  line items in the warehouse: ${linesOf(f.lines)}`,
    `  memory: ${memoryLine(f.memory)}`,
  ];
}

async function main(): Promise<void> {
  const s = SETTINGS;
  const t0 = performance.now();
  console.log(`machine: ${cpus().length} cpus, ${mb(totalmem())} MB memory, load average ${load()}; duckdb threads ${s.threads} per process; node ${process.version}`);
  for (const p of [s.db, s.filesDb]) removeWarehouse(p);
  rmSync(s.filesDir, { recursive: true, force: true });
  const scratch = `${s.filesDir}-blobs`;
  rmSync(scratch, { recursive: true, force: true });

  // 1. The stand-in.
  let standIn = await StandInProcess.start(s.size);
  console.log(`stand-in (child process ${standIn.pid}, ready in ${secs(standIn.readyMs)} s): ${standIn.comments.slice(0, 2).join(' / ')}`);

  const out: string[] = [];
  let first: { figures: SyncFigures; processMs: number; load: string } | undefined;
  let second: { figures: SyncFigures; processMs: number; load: string } | undefined;
  let files: { figures: FilesFigures; processMs: number; load: string } | undefined;
  const loads: string[] = [];
  try {
    // 2. The first sync.
    console.log(`first sync into ${s.db} (load average ${load()})`);
    loads.push(`before the first sync ${load()}`);
    first = await runWorker<SyncFigures>('sync 1', { mode: 'sync', db: s.db }, standIn);
    loads.push(`after it ${load()}`);
    // 3. The second sync, nothing new.
    console.log(`second sync, nothing new (load average ${load()})`);
    second = await runWorker<SyncFigures>('sync 2', { mode: 'sync', db: s.db }, standIn);
    loads.push(`after the second ${load()}`);
    const standInPeak = standIn.peakRss();
    await standIn.close();
    out.push(`stand-in for the syncs: peak rss ${mb(standInPeak)} MB (its own process, not counted above)`);

    // 4. The baseline, against a fresh stand-in.
    standIn = await StandInProcess.start(s.size);
    console.log(`baseline: download into ${s.filesDir}, then loadFiles into ${s.filesDb} (fresh stand-in ${standIn.pid}; load average ${load()})`);
    loads.push(`before the baseline ${load()}`);
    files = await runWorker<FilesFigures>('files', { mode: 'files', db: s.filesDb, dir: s.filesDir, scratch }, standIn);
    loads.push(`after it ${load()}`);
    // The downloaded files (~600 MB for `large`) are loaded: not kept.
    rmSync(s.filesDir, { recursive: true, force: true });
    rmSync(scratch, { recursive: true, force: true });
    out.push(`stand-in for the baseline: peak rss ${mb(standIn.peakRss())} MB`);
  } catch (err) {
    if (!(err instanceof WorkerTimeout)) throw err;
    console.log('');
    console.log(`TOO SLOW: ${err.message} after ${secs(err.elapsedMs)} s; peak rss reported ${mb(err.peakRss)} MB; last progress:`);
    for (const l of err.lastLines) console.log(`  ${l}`);
  } finally {
    await standIn.close();
  }

  // 5. Figures.
  console.log('');
  console.log(`bench:sync, data set ${s.size}, sleep capped at ${s.sleepCapMs} ms, PI_DB_THREADS ${s.threads}`);
  if (first) for (const l of describeSync('first sync (empty warehouse)', first.figures, first.processMs, first.load)) console.log(l);
  if (second) {
    for (const l of describeSync('second sync (nothing new)', second.figures, second.processMs, second.load)) console.log(l);
    const r = second.figures.run;
    const refetched = ['export POST', 'export poll', 'blob', 'line items'].reduce((n, k) => n + (second!.figures.requestsByKind[k] ?? 0), 0);
    const ok = r.state === 'SUCCEEDED' && r.unitsDone === 0 && r.rowsLoaded === 0 && refetched === 0;
    console.log(`  check: unitsDone ${r.unitsDone}, rowsLoaded ${r.rowsLoaded}, export/blob/line-item requests ${refetched}: ${ok ? 'OK (fetched no blob, loaded nothing)' : 'NOT MET'}`);
  }
  if (files) {
    const f = files.figures;
    console.log(
      `baseline (files, no orchestration): ${secs(f.downloadMs + f.loadMs)} s = download ${secs(f.downloadMs)} s + loadFiles ${secs(f.loadMs)} s ` +
        `(warehouse open ${secs(f.openMs)} s, whole worker process ${secs(files.processMs)} s)`,
    );
    console.log(`  cpu ${secs(f.cpuMs)} s (the worker's user + system over download + load); machine load average during the step: ${files.load}`);
    console.log(`  downloaded: ${f.files} files, ${int(f.bytes)} bytes (${mb(f.bytes)} MB); requests ${int(f.requests)}: ${kinds(f.requestsByKind)}`);
    console.log(`  waits asked by the client: ${f.sleeps.count} (${secs(f.sleeps.askedMs)} s), slept ${secs(f.sleeps.sleptMs)} s`);
    console.log(`  loadFiles: ${f.loaded} loaded, ${f.skipped} skipped, ${f.rejected.length} rejected; ${int(f.rowsLoaded)} rows loaded, ${int(f.rowsQuarantined)} quarantined`);
    for (const r of f.rejected) console.log(`  REJECTED ${r.slice(0, 400)}`);
    console.log(`  file transactions: ${transactionsOf(f.transactions)}`);
    console.log(`  line items in the warehouse: ${linesOf(f.lines)}`);
    console.log(`  memory: ${memoryLine(f.memory)}`);
  }
  for (const l of out) console.log(l);
  if (first && files) {
    const a = first.figures.lines;
    const b = files.figures.lines;
    const same = a.license === b.license && a.onetime === b.onetime && a.usage === b.usage;
    console.log(`same line items in both warehouses: ${same ? 'yes' : `NO (sync ${linesOf(a)}, files ${linesOf(b)})`}`);
  }
  console.log(`load average: ${loads.join('; ')}; now ${load()}; total bench time ${secs(performance.now() - t0)} s`);
  for (const p of [s.db, s.filesDb]) if (existsSync(p)) console.log(`kept: ${p}`);
  if (first && files) {
    console.log(
      `first sync ${secs(first.figures.syncMs)} s vs baseline ${secs(files.figures.downloadMs + files.figures.loadMs)} s; cpu ${secs(first.figures.cpuMs)} s vs ${secs(files.figures.cpuMs)} s, ` +
        `cpu ratio ${(first.figures.cpuMs / files.figures.cpuMs).toFixed(3)} (less sensitive to the other users of the machine than the wall-time ratio below)`,
    );
  }
  if (first && files) console.log(`sync_vs_files_ratio=${(first.figures.syncMs / (files.figures.downloadMs + files.figures.loadMs)).toFixed(3)}`);
  else {
    console.log('sync_vs_files_ratio=n/a (a step did not finish: see above)');
    process.exitCode = 1;
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
