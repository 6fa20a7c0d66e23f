/**
 * `npm run bench:load`: the gateway under a dashboard load, against the same requests one at a
 * time in the same run (the machine is shared: only a ratio within one run means something).
 *
 * 1. Warehouse: ./data/bench-load.duckdb (BENCH_LOAD_DB), reused when present; otherwise the data
 *    set `npm start` loads (demo generator defaults with seed BENCH_SEED (7): two partners, 300
 *    customers each, usage and reconciliation files) through the ETL (bench/support/load-warehouse.ts).
 * 2. The server: the gateway (every subgraph, as `npm start` serves it) in a child process
 *    (bench/support/load-server.ts), so that its memory is its own: RSS sampled every 250 ms from
 *    /proc/<pid>/status, and the kernel's peak (VmHWM) at the end.
 * 3. The dashboards (bench/support/load-mix.ts): for each partner, tokens of Global admin, Executive
 *    report viewer, Report viewer, Billing admin and an Admin agent limited to one location, each
 *    sending every request its role may see in full (none answered FORBIDDEN by design): customers
 *    page with nested subscriptions, the Insights report pages, PCI, referral insights, the CSP
 *    analytics pages, the referral inbox, the invoice list.
 * 4. One at a time: one warm-up pass over every request of every dashboard (not recorded), then
 *    BENCH_SINGLE_ROUNDS (5) passes, strictly sequential, over one keep-alive connection.
 * 5. Under load: BENCH_CLIENTS (50) clients for BENCH_SECONDS (60), client c playing dashboard
 *    c mod 10 (roles x partners) in a loop with a token of its own (the server bounds each token's
 *    concurrent statements, PI_MAX_CALLER_CONCURRENCY), one request at a time, no think time, one
 *    keep-alive connection each (bench/support/load-clients.ts). Requests in flight at the end are
 *    waited for and counted (the phase's time includes them). A request gets BENCH_TIMEOUT_SECONDS
 *    (120) to answer, only so that a hung server cannot hang the bench (the server stops its own
 *    requests after PI_QUERY_TIMEOUT_MS, 30 s by default: a GraphQL error).
 * 6. Prints per request type and overall: p50/p95/p99 of both phases (clean answers; errors counted
 *    apart), req/s, errors (non-200, GraphQL errors or timeouts) grouped by type and failure, the
 *    server's CPU time per request in each phase (more work per request under load, or waiting for a
 *    CPU on a busy machine), its peak memory, per-client p99 and clean answers (min/median/max: no
 *    client starved), os.loadavg() at start and end; last `load_errors=<errors of both phases>` and
 *    `load_p99_vs_single_p50=<overall p99 under load / overall p50 one at a time>`.
 *    Targets: 0 errors, the ratio at most 60, peak memory under 1.5 GB.
 *
 * Not part of `npm test`. Logs at warn (PI_LOG_LEVEL), Apollo telemetry off, DuckDB threads
 * PI_DB_THREADS (default 2) in the server.
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { resolve } from 'node:path';
import { loadAuthConfig } from '../gateway/auth';
import type { Warehouse } from '../warehouse/db';
import { envNumber } from './support/env';
import { runConcurrent, runOneAtATime, type ClientRun, type ErrorSample } from './support/load-clients';
import { buildDashboards, clientTokens, requestTypes, type Dashboard } from './support/load-mix';
import { processCpuSeconds, processMemory, RssSampler } from './support/load-proc';
import { LoadServer } from './support/load-server';
import { latencyByType, perClient, type Latency } from './support/load-stats';
import { openOrBuildLoadWarehouse } from './support/load-warehouse';

const SETTINGS = {
  db: resolve(process.env.BENCH_LOAD_DB || './data/bench-load.duckdb'),
  seed: envNumber('BENCH_SEED', 7),
  rounds: Math.max(1, Math.round(envNumber('BENCH_SINGLE_ROUNDS', 5))),
  clients: Math.max(1, Math.round(envNumber('BENCH_CLIENTS', 50))),
  seconds: envNumber('BENCH_SECONDS', 60),
  timeoutMs: envNumber('BENCH_TIMEOUT_SECONDS', 120) * 1000,
  ratioTarget: envNumber('BENCH_RATIO_TARGET', 60),
  memoryTargetGb: envNumber('BENCH_MEMORY_TARGET_GB', 1.5),
};

const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
const mb = (bytes: number) => (Number.isFinite(bytes) && bytes > 0 ? `${Math.round(bytes / 2 ** 20)} MB` : 'n/a');
const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
const pad = (s: string | number, n: number) => String(s).padEnd(n);
const padL = (s: string | number, n: number) => String(s).padStart(n);

async function describeWarehouse(warehouse: Warehouse): Promise<string> {
  const count = async (table: string) => (await warehouse.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM ${table}`))[0].n.toLocaleString('en-US');
  const tables = ['partners', 'customers', 'subscriptions', 'billing_usage_lines', 'invoices', 'referrals'];
  const counts = await Promise.all(tables.map(async (t) => `${await count(t)} ${t}`));
  return counts.join(', ');
}

function describeDashboards(dashboards: Dashboard[]): string {
  return dashboards.map((d) => `${d.label}: ${d.requests.length}`).join('; ');
}

/** The figures table: one row per request type, one at a time beside under load. */
function printTable(single: Map<string, Latency>, loaded: Map<string, Latency>, clients: number): void {
  console.log(
    `${pad('request type (ms)', 27)}| ${pad('one at a time: n', 17)}${pad('p50', 8)}${pad('p95', 8)}${pad('p99', 8)}` +
      `| ${pad(`${clients} clients: n`, 15)}${pad('errors', 8)}${pad('p50', 8)}${pad('p95', 8)}${pad('p99', 8)}max`,
  );
  for (const [type, s] of single) {
    const l = loaded.get(type);
    console.log(
      `${pad(type, 27)}| ${pad(s.n, 17)}${pad(ms(s.p50), 8)}${pad(ms(s.p95), 8)}${pad(ms(s.p99), 8)}` +
        `| ${l ? `${pad(l.n, 15)}${pad(l.errors, 8)}${pad(ms(l.p50), 8)}${pad(ms(l.p95), 8)}${pad(ms(l.p99), 8)}${ms(l.max)}` : '-'}`,
    );
  }
}

/** Errors grouped by request type and failure: each distinct one once, with its count and the dashboards it hit. */
function printErrors(label: string, errors: ErrorSample[]): void {
  const groups = new Map<string, { n: number; dashboards: Set<string> }>();
  for (const e of errors) {
    const key = `${e.type}: ${e.what.replace(/\s+/g, ' ')}`;
    const g = groups.get(key) ?? { n: 0, dashboards: new Set<string>() };
    g.n++;
    g.dashboards.add(e.dashboard);
    groups.set(key, g);
  }
  const shown = [...groups].sort((a, b) => b[1].n - a[1].n).slice(0, 10);
  for (const [key, g] of shown) console.log(`  ${label} error x${g.n} (${g.dashboards.size} dashboards): ${key}`);
  if (groups.size > shown.length) console.log(`  ${label}: ${groups.size - shown.length} more distinct errors`);
}

/** A phase's throughput, latency and the server's CPU time per request (between two readings of it). */
function phase(run: ClientRun, all: Latency, cpuFrom: number | null, cpuTo: number | null): string {
  const seconds = run.elapsedMs / 1000;
  const cpu = cpuFrom !== null && cpuTo !== null ? cpuTo - cpuFrom : NaN;
  return (
    `${(run.samples.length / seconds).toFixed(1)} req/s, p50=${ms(all.p50)} p95=${ms(all.p95)} p99=${ms(all.p99)} ms, ` +
    `${run.samples.length} requests in ${seconds.toFixed(1)} s, ${run.errors.length} errors; ` +
    `server CPU ${ms((cpu * 1000) / run.samples.length)} ms/request, ${((cpu / seconds) * 100).toFixed(0)}% of a core`
  );
}

async function main(): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  process.env.PI_LOG_LEVEL ??= 'warn';
  const s = SETTINGS;
  const t0 = Date.now();
  const loadAtStart = load();
  console.log(`machine: ${cpus().length} cpus, load average at start ${loadAtStart}; duckdb threads ${process.env.PI_DB_THREADS || 2} in the server; node ${process.version}`);

  // The warehouse is closed before the server process opens it: DuckDB lets one process write a file.
  const opened = await openOrBuildLoadWarehouse(s.db, s.seed, (m) => console.log(`  ${m}`));
  const secret = randomBytes(32).toString('hex');
  const auth = loadAuthConfig({ PI_JWT_SECRET: secret });
  let dashboards: Dashboard[];
  try {
    const how = opened.builtSeconds !== undefined ? `generated and loaded in ${opened.builtSeconds.toFixed(0)} s` : 'reused';
    console.log(`warehouse ${s.db} (${how}): ${await describeWarehouse(opened.warehouse)}`);
    dashboards = await buildDashboards(opened.warehouse, auth);
  } finally {
    opened.warehouse.close();
  }
  const bearers = await clientTokens(auth, dashboards, s.clients);
  const perPass = dashboards.reduce((n, d) => n + d.requests.length, 0);
  console.log(`dashboards (requests each): ${describeDashboards(dashboards)}; ${perPass} requests per pass`);

  const server = await LoadServer.start(s.db, secret);
  const rss = new RssSampler(server.pid, 250);
  try {
    console.log(`server pid ${server.pid} at ${server.url} (child process); RSS when ready ${mb(rss.take())}`);

    const warmup = await runOneAtATime(server.graphqlUrl, dashboards, 1, s.timeoutMs);
    console.log(`warm-up: one pass, ${warmup.samples.length} requests in ${(warmup.elapsedMs / 1000).toFixed(1)} s, ${warmup.errors.length} errors`);
    printErrors('warm-up', warmup.errors);

    console.log(`one at a time: ${s.rounds} passes (load average ${load()})`);
    const cpu0 = processCpuSeconds(server.pid);
    const single = await runOneAtATime(server.graphqlUrl, dashboards, s.rounds, s.timeoutMs);
    const singleRss = rss.take();
    const cpu1 = processCpuSeconds(server.pid);

    console.log(
      `under load: ${s.clients} clients (a token each) for ${s.seconds} s, no think time, one keep-alive connection each (load average ${load()})`,
    );
    const loaded = await runConcurrent(server.graphqlUrl, dashboards, bearers, s.seconds, s.timeoutMs);
    const loadedRss = rss.take();
    const cpu2 = processCpuSeconds(server.pid);
    const memory = processMemory(server.pid);
    if (!server.alive) console.log('THE SERVER PROCESS DIED under load');

    const types = requestTypes();
    const singleBy = latencyByType(single.samples, types);
    const loadedBy = latencyByType(loaded.samples, types);
    const singleAll = singleBy.get('overall')!;
    const loadedAll = loadedBy.get('overall')!;
    const fairness = perClient(loaded.samples, s.clients);
    const peak = memory?.peakRssBytes ?? Math.max(singleRss, loadedRss);
    const errors = single.errors.length + loaded.errors.length;
    const ratio = loadedAll.p99 / singleAll.p50;

    console.log('');
    printTable(singleBy, loadedBy, s.clients);
    console.log(`one at a time: ${phase(single, singleAll, cpu0, cpu1)}`);
    console.log(`${s.clients} clients: ${phase(loaded, loadedAll, cpu1, cpu2)}`);
    console.log(
      `per client under load: p99 min=${ms(fairness.p99.min)} median=${ms(fairness.p99.median)} max=${ms(fairness.p99.max)} ms ` +
        `(worst: client ${fairness.worstClient}, ${dashboards[fairness.worstClient % dashboards.length].label}); ` +
        `clean answers min=${fairness.requests.min} median=${fairness.requests.median} max=${fairness.requests.max}; ` +
        `${fairness.starved} clients without a clean answer`,
    );
    printErrors('one-at-a-time', single.errors);
    printErrors('under-load', loaded.errors);
    console.log(
      `server memory: peak RSS ${mb(peak)} (${memory ? 'VmHWM' : 'highest sample'}); highest sampled RSS one at a time ${mb(singleRss)}, ` +
        `under load ${mb(loadedRss)}; RSS at the end ${mb(memory?.rssBytes ?? NaN)}`,
    );
    const met = (ok: boolean) => (ok ? 'met' : 'MISSED');
    console.log(
      `targets: errors 0 ${met(errors === 0)}, p99 under load / p50 one at a time <= ${s.ratioTarget} ${met(ratio <= s.ratioTarget)}, ` +
        `peak memory < ${s.memoryTargetGb} GB ${met(peak < s.memoryTargetGb * 2 ** 30)}`,
    );
    console.log(`load average at start ${loadAtStart}, at end ${load()}; total bench time ${((Date.now() - t0) / 1000).toFixed(0)} s`);
    console.log(`load_errors=${errors}`);
    console.log(`load_p99_vs_single_p50=${ratio.toFixed(2)}`);
  } finally {
    rss.stop();
    await server.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
