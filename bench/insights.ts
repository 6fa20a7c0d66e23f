/**
 * `npm run bench:insights`: latency of every Insights page at scale, through the gateway over HTTP
 * and as direct calls / raw SQL on DuckDB in the same run.
 *
 * 1. Warehouse: ./data/bench-insights.duckdb (BENCH_INSIGHTS_DB), reused when it holds at least
 *    BENCH_MIN_USAGE_ROWS (10,000,000) billing_usage_lines and BENCH_MIN_SUBSCRIPTIONS (100,000)
 *    subscriptions; otherwise the demo generator writes BENCH_CUSTOMERS (21,500) customers per partner
 *    (~2.4 subscriptions each, two partners: ~103k subscriptions) and BENCH_USAGE_ROWS (10,100,000)
 *    daily-rated usage rows into ./data/bench-insights-files (~770 bytes a usage row: needs 20 GB
 *    free), the ETL loads them (progress printed) and the files are deleted
 *    (bench/support/insights-warehouse.ts). A reused warehouse whose Insights rollup tables differ
 *    from the current migrations (or with BENCH_REBUILD_ROLLUPS=1) gets its rollups rebuilt by
 *    replaying the ETL's afterLoad hook over its loads, then its cubes and PCI rollups once per partner
 *    (warehouse/insights/cubes.ts, pci/rollups.ts). A warehouse below the target is benchmarked all the same
 *    when BENCH_ALLOW_SMALL=1, and the output says that the scale target was not met.
 * 2. The gateway (`startServer`, every subgraph in process) on that warehouse. For the partner with
 *    the most customers, an Executive report viewer token (sees revenue): each page query (overview,
 *    customers, subscriptions, licenses, Azure usage, partner contribution indicators, referral
 *    insights), range LAST_12_MONTHS, without filters and (pages that take filters) with one product
 *    family + one customer country; the three CSP analytics pages (subscription and license, Azure
 *    usage, indirect reseller) with their lists, as Global admin (their role); plus the customers
 *    page for a Report viewer scoped to one location. Per page:
 *    BENCH_WARMUP (3) unrecorded requests, then BENCH_REQUESTS (30) sequential requests from a worker
 *    thread over keep-alive HTTP, then the same number BENCH_CONCURRENCY (2) in flight; SQL statements
 *    per request from /metrics (pi_sql_statements_total) before and after. Each of these runs (and
 *    each direct/raw run below) stops early after BENCH_PAGE_SECONDS (30) once it has
 *    BENCH_MIN_REQUESTS (10), so that a slow page cannot stall the run; n= says how many were timed.
 * 3. In the same process, after the HTTP runs: each page's warehouse function (runReport /
 *    pciScores, what the resolvers call) timed directly, with the statements it sends recorded; then
 *    those exact statements timed as raw SQL on DuckDB (the sum per page, and the slowest statement).
 * 4. Prints per page p50, p95, max for each of the three, and last `insights_p95_ms=<worst page p95
 *    through the gateway, sequential>`. Target: every page's p95 under 150 ms on 2 cores.
 *
 * Not part of `npm test`. Logs at warn (PI_LOG_LEVEL), Apollo telemetry off, DuckDB threads
 * PI_DB_THREADS (default 2).
 */
import { randomBytes } from 'node:crypto';
import { cpus, loadavg } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import type { DuckDBValue } from '@duckdb/node-api';
import {
  AnalyticsReportDocument,
  AzureUsageReportDocument,
  CustomersReportDocument,
  LicensesReportDocument,
  type InsightsAnalyticsReportName,
  OverviewReportDocument,
  ReferralInsightsDocument,
  SubscriptionsReportDocument,
} from '../generated/graphql';
import { loadAuthConfig, mintToken, type AuthConfig } from '../gateway/auth';
import { createLogger } from '../gateway/logger';
import { startServer, type RunningServer } from '../gateway/server';
import type { Caller } from '../core/caller';
import { statementCounter, type Warehouse } from '../warehouse/db';
import { type Row, type SqlParams, type SqlRunner } from '../core/sql';
import type { ReportName } from '../warehouse/insights/metrics';
import { pciScores } from '../warehouse/insights/pci';
import { runReport } from '../warehouse/insights/reports';
import { runReferralInsights } from '../warehouse/insights/referral-insights';
import { runMetric } from '../warehouse/insights/run';
import { demoPartners } from './support/demo-warehouse';
import type { PageJob, PageResult } from './support/insights-client';
import { openOrBuildInsightsWarehouse, type OpenedInsightsWarehouse } from './support/insights-warehouse';
import { requestBody } from './support/graphql-client';
import { envNumber } from './support/env';
import { PCI_QUERY } from './support/pci-query';

/** Page filters, as both the GraphQL variables and runReport take them. */
interface InsightsFilters {
  productFamilies: string[];
  customerCountries: string[];
}

const SETTINGS = {
  db: resolve(process.env.BENCH_INSIGHTS_DB || './data/bench-insights.duckdb'),
  filesDir: resolve(process.env.BENCH_INSIGHTS_FILES || './data/bench-insights-files'),
  customers: envNumber('BENCH_CUSTOMERS', 21_500),
  usageRows: envNumber('BENCH_USAGE_ROWS', 10_100_000),
  minUsageRows: envNumber('BENCH_MIN_USAGE_ROWS', 10_000_000),
  minSubscriptions: envNumber('BENCH_MIN_SUBSCRIPTIONS', 100_000),
  minFreeGb: envNumber('BENCH_MIN_FREE_GB', 20),
  allowSmall: process.env.BENCH_ALLOW_SMALL === '1',
  seed: envNumber('BENCH_SEED', 7),
  warmup: Math.round(envNumber('BENCH_WARMUP', 3)),
  requests: Math.max(1, Math.round(envNumber('BENCH_REQUESTS', 30))),
  concurrency: Math.round(envNumber('BENCH_CONCURRENCY', 2)),
  targetMs: envNumber('BENCH_TARGET_MS', 150),
  /** Time budget per page and per kind of run (gateway sequential, concurrent, direct, raw); at least minRequests each. */
  pageSeconds: envNumber('BENCH_PAGE_SECONDS', 30),
  minRequests: Math.max(1, Math.round(envNumber('BENCH_MIN_REQUESTS', 10))),
};

const int = (n: number) => Math.round(n).toLocaleString('en-US');
const ms = (n: number) => (Number.isFinite(n) ? n.toFixed(1) : 'n/a');
const load = () => loadavg().map((l) => l.toFixed(1)).join(' ');

function percentile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

interface Stats {
  p50: number;
  p95: number;
  max: number;
}

function stats(values: readonly number[]): Stats {
  return { p50: percentile(values, 50), p95: percentile(values, 95), max: values.length ? Math.max(...values) : NaN };
}

/** One page of the Insights UI as the benchmark runs it. */
interface Page {
  label: string;
  /** Counted in insights_p95_ms (false for extras that are not a page). */
  isPage: boolean;
  caller: Caller;
  bearer: string;
  body: string;
  /** The GraphQL field that must come back non-null. */
  field: string;
  /** What the resolver calls, on the given runner. */
  direct: (db: SqlRunner) => Promise<unknown>;
}

interface PageFigures {
  page: Page;
  gateway?: Stats & { statements: number; bytes: number; n: number };
  concurrent?: Stats & { rps: number; n: number };
  skipped?: string;
  errors: string[];
  direct?: Stats & { statements: number; n: number };
  raw?: Stats & { n: number; slowest: { ms: number; text: string; usageLines: boolean } };
}

class PageClient {
  private readonly worker = new Worker(join(__dirname, 'support', 'insights-client.js'));

  run(job: PageJob): Promise<PageResult> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.worker.once('error', onError);
      this.worker.once('message', (m: { ok: true; result: PageResult } | { ok: false; error: string }) => {
        this.worker.off('error', onError);
        if (m.ok) resolve(m.result);
        else reject(new Error(m.error));
      });
      this.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    this.worker.postMessage('close');
    await new Promise((resolve) => this.worker.once('exit', resolve));
  }
}

async function sqlStatements(server: RunningServer): Promise<number> {
  const text = await (await fetch(`${server.url}/metrics`)).text();
  const m = /^pi_sql_statements_total(?:\{[^}]*\})?\s+([0-9.e+]+)/m.exec(text);
  return m ? Number(m[1]) : NaN;
}

/** Sends a request once; returns null when the page answers without errors, else why not. */
async function probe(server: RunningServer, page: Page): Promise<string | null> {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${page.bearer}` },
    body: page.body,
  });
  const body = (await response.json()) as { data?: Record<string, unknown> | null; errors?: { message: string }[] };
  if (response.status !== 200 || body.errors?.length || !body.data?.[page.field]) {
    return `HTTP ${response.status}: ${JSON.stringify(body.errors ?? body).slice(0, 300)}`;
  }
  return null;
}

interface Statement {
  text: string;
  params?: SqlParams;
}

/** A SqlRunner that records what it is sent and passes it on. */
function recording(db: SqlRunner, into: Statement[]): SqlRunner {
  return {
    run(text: string, params?: SqlParams) {
      into.push({ text, params });
      return db.run(text, params);
    },
    all<T extends Row = Row>(text: string, params?: SqlParams) {
      into.push({ text, params });
      return db.all<T>(text, params);
    },
  };
}

interface Budget {
  warmup: number;
  requests: number;
  minRequests: number;
  seconds: number;
}

/** Whether another iteration fits: fewer than `requests` done, and within the time budget or under minRequests. */
function more(b: Budget, done: number, started: number): boolean {
  return done < b.requests && (done < b.minRequests || b.seconds <= 0 || performance.now() - started < b.seconds * 1000);
}

async function timeDirect(warehouse: Warehouse, page: Page, b: Budget): Promise<{ stats: Stats & { statements: number; n: number }; statements: Statement[] }> {
  for (let i = 0; i < b.warmup; i++) await page.direct(warehouse);
  const times: number[] = [];
  const before = statementCounter.total;
  const started = performance.now();
  while (more(b, times.length, started)) {
    const t0 = performance.now();
    await page.direct(warehouse);
    times.push(performance.now() - t0);
  }
  const statements = (statementCounter.total - before) / times.length;
  const captured: Statement[] = [];
  await page.direct(recording(warehouse, captured));
  return { stats: { ...stats(times), statements, n: times.length }, statements: captured };
}

async function timeRaw(warehouse: Warehouse, statements: Statement[], b: Budget): Promise<Stats & { n: number; slowest: { ms: number; text: string; usageLines: boolean } }> {
  const exec = (s: Statement) => warehouse.all(s.text, s.params as DuckDBValue[] | undefined);
  for (let i = 0; i < b.warmup; i++) for (const s of statements) await exec(s);
  const totals: number[] = [];
  const per: number[][] = statements.map(() => []);
  const started = performance.now();
  while (more(b, totals.length, started)) {
    let total = 0;
    for (const [j, s] of statements.entries()) {
      const t0 = performance.now();
      await exec(s);
      const t = performance.now() - t0;
      per[j].push(t);
      total += t;
    }
    totals.push(total);
  }
  const medians = per.map((p) => percentile(p, 50));
  const worst = medians.reduce((w, m, i) => (m > medians[w] ? i : w), 0);
  const text = statements[worst]?.text ?? '';
  return {
    ...stats(totals),
    n: totals.length,
    slowest: { ms: medians[worst] ?? NaN, text: text.replace(/\s+/g, ' ').trim(), usageLines: /billing_usage_lines/i.test(text) },
  };
}

async function pickFilters(warehouse: Warehouse, caller: Caller): Promise<{ family: string; country: string; location: string }> {
  const families = await runMetric(warehouse, caller, { name: 'subscriptions', splitBy: 'productFamily' });
  const countries = await runMetric(warehouse, caller, { name: 'customers', splitBy: 'country' });
  const top = (groups: { key: string; value: string }[]) => [...groups].sort((a, b) => Number(b.value) - Number(a.value))[0]?.key;
  const [loc] = await warehouse.all<{ mpn_id: string }>(
    `SELECT mpn_id FROM customers WHERE partner_id = $1 AND mpn_id IS NOT NULL GROUP BY mpn_id ORDER BY count(*) DESC, mpn_id LIMIT 1`,
    [caller.partnerId],
  );
  const family = top(families.groups.filter((g) => g.key !== 'Azure'));
  const country = top(countries.groups);
  if (!family || !country || !loc) throw new Error('the warehouse has no product family, customer country or location to filter on');
  return { family, country, location: loc.mpn_id };
}

async function buildPages(warehouse: Warehouse, auth: AuthConfig, partnerId: string): Promise<{ pages: Page[]; described: string }> {
  const exec: Caller = { partnerId, roles: ['Executive report viewer'] as Caller['roles'], locations: null };
  const { family, country, location } = await pickFilters(warehouse, exec);
  const viewer: Caller = { partnerId, roles: ['Report viewer'] as Caller['roles'], locations: [location] };
  const execBearer = await mintToken(auth, { partner: partnerId, roles: exec.roles }, '4h');
  const viewerBearer = await mintToken(auth, { partner: partnerId, roles: viewer.roles, locations: [location] }, '4h');
  const admin: Caller = { partnerId, roles: ['Global admin'] as Caller['roles'], locations: null };
  const adminBearer = await mintToken(auth, { partner: partnerId, roles: admin.roles }, '4h');
  const range = { kind: 'LAST_12_MONTHS' as const };
  const filtered: InsightsFilters = { productFamilies: [family], customerCountries: [country] };
  const azureFiltered: InsightsFilters = { productFamilies: ['Azure'], customerCountries: [country] };

  const reports: { label: string; report: ReportName; field: string; body: (filters: InsightsFilters | null) => string; filters: InsightsFilters | null }[] = [
    { label: 'overview', report: 'overview', field: 'overviewReport', body: () => requestBody(OverviewReportDocument, { range }), filters: null },
    { label: 'customers', report: 'customers', field: 'customersReport', body: (f) => requestBody(CustomersReportDocument, { range, filters: f }), filters: filtered },
    { label: 'subscriptions', report: 'subscriptions', field: 'subscriptionsReport', body: (f) => requestBody(SubscriptionsReportDocument, { range, filters: f }), filters: filtered },
    { label: 'licenses', report: 'licenses', field: 'licensesReport', body: (f) => requestBody(LicensesReportDocument, { range, filters: f }), filters: filtered },
    { label: 'azureUsage', report: 'azureUsage', field: 'azureUsageReport', body: (f) => requestBody(AzureUsageReportDocument, { range, filters: f }), filters: azureFiltered },
  ];
  const pages: Page[] = [];
  for (const r of reports) {
    pages.push({
      label: r.label,
      isPage: true,
      caller: exec,
      bearer: execBearer,
      body: r.body(null),
      field: r.field,
      direct: (db) => runReport(db, exec, r.report, { range, filters: null }),
    });
    // The overview page takes no filters.
    if (r.report !== 'overview' && r.filters) {
      const f = r.filters;
      pages.push({
        label: `${r.label}+filters`,
        isPage: true,
        caller: exec,
        bearer: execBearer,
        body: r.body(f),
        field: r.field,
        direct: (db) => runReport(db, exec, r.report, { range, filters: f }),
      });
    }
  }
  pages.push({
    label: 'pci',
    isPage: true,
    caller: exec,
    bearer: execBearer,
    body: JSON.stringify({ query: PCI_QUERY, operationName: 'PartnerContributionIndicators', variables: {} }),
    field: 'partnerContributionIndicators',
    direct: (db) => pciScores(db, exec, {}),
  });
  pages.push({
    label: 'referralInsights',
    isPage: true,
    caller: exec,
    bearer: execBearer,
    body: requestBody(ReferralInsightsDocument, { range: 'LAST_12_MONTHS', filters: null }),
    field: 'referralInsights',
    direct: (db) => runReferralInsights(db, exec, { range: 'LAST_12_MONTHS', filters: null }),
  });
  // The CSP analytics pages are for Global admin, User admin, Admin agent and Sales agent (readAnalytics).
  // Through the gateway they include their lists (renewals, trials, top customers, budgets); `direct`
  // times the report function only.
  const analytics: { label: string; name: InsightsAnalyticsReportName; report: ReportName }[] = [
    { label: 'subscriptionAnalytics', name: 'SUBSCRIPTION_ANALYTICS', report: 'subscriptionAnalytics' },
    { label: 'azureUsageAnalytics', name: 'AZURE_USAGE_ANALYTICS', report: 'azureUsageAnalytics' },
    { label: 'resellerAnalytics', name: 'RESELLER_ANALYTICS', report: 'resellerAnalytics' },
  ];
  for (const a of analytics) {
    pages.push({
      label: a.label,
      isPage: true,
      caller: admin,
      bearer: adminBearer,
      body: requestBody(AnalyticsReportDocument, { name: a.name, range, filters: null }),
      field: 'analyticsReport',
      direct: (db) => runReport(db, admin, a.report, { range, filters: null }),
    });
  }
  pages.push({
    label: 'customers(viewer@loc)',
    isPage: true,
    caller: viewer,
    bearer: viewerBearer,
    body: requestBody(CustomersReportDocument, { range, filters: null }),
    field: 'customersReport',
    direct: (db) => runReport(db, viewer, 'customers', { range, filters: null }),
  });
  const described =
    `Executive report viewer of partner ${partnerId}, range LAST_12_MONTHS; +filters = productFamilies [${family}] + customerCountries [${country}] ` +
    `(Azure usage: [Azure] + [${country}]); viewer@loc = Report viewer scoped to location ${location}, no filters`;
  return { pages, described };
}

function pad(s: string, n: number): string {
  return s.length >= n ? s : s + ' '.repeat(n - s.length);
}

async function main(): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  process.env.PI_LOG_LEVEL ??= 'warn';
  const s = SETTINGS;
  const t0 = Date.now();
  console.log(`machine: ${cpus().length} cpus, load average ${load()}; duckdb threads ${process.env.PI_DB_THREADS || 2}; node ${process.version}`);

  const opened: OpenedInsightsWarehouse = await openOrBuildInsightsWarehouse({
    db: s.db,
    filesDir: s.filesDir,
    customers: s.customers,
    usageRows: s.usageRows,
    minUsageRows: s.minUsageRows,
    minSubscriptions: s.minSubscriptions,
    minFreeBytes: s.minFreeGb * 1e9,
    seed: s.seed,
    rebuildRollups: process.env.BENCH_REBUILD_ROLLUPS === '1',
    log: (m) => console.log(`  ${m}`),
  });
  const { warehouse, scale } = opened;
  const client = new PageClient();
  let server: RunningServer | undefined;
  try {
    console.log(
      `warehouse ${s.db} (${opened.built ? `generated in ${ms(opened.generateSeconds ?? NaN)} s, loaded in ${ms(opened.loadSeconds ?? NaN)} s` : 'reused'}` +
        `${opened.rollupRebuildSeconds !== undefined ? `, rollups rebuilt in ${ms(opened.rollupRebuildSeconds)} s` : ''}): ` +
        `${int(scale.usageRows)} billing_usage_lines, ${int(scale.subscriptions)} subscriptions, ${int(scale.customers)} customers, ` +
        `${scale.partners} partners; rollups: ${int(scale.rollupUsageRows)} insights_usage_monthly, ${int(scale.subscriptionMonths)} insights_subscription_months`,
    );
    if (!opened.meetsTarget) {
      const msg = `SCALE TARGET NOT MET: need >= ${int(s.minUsageRows)} usage rows and >= ${int(s.minSubscriptions)} subscriptions`;
      if (!s.allowSmall) throw new Error(`${msg} (set BENCH_ALLOW_SMALL=1 to benchmark it anyway)`);
      console.log(`${msg}; benchmarking the smaller warehouse anyway (BENCH_ALLOW_SMALL=1)`);
    }

    const [partner] = await demoPartners(warehouse);
    if (!partner) throw new Error(`${s.db} has no partners; delete it to rebuild`);
    const auth = loadAuthConfig({ PI_JWT_SECRET: randomBytes(32).toString('hex') });
    const { pages, described } = await buildPages(warehouse, auth, partner.id);
    console.log(`partner ${partner.name}: ${int(partner.customers)} customers. ${described}`);

    server = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth, logger: createLogger() });
    console.log(
      `gateway ${server.graphqlUrl}: per page ${s.warmup} warm-up, ${s.requests} sequential requests` +
        (s.concurrency > 1 ? `, then ${s.requests} with ${s.concurrency} in flight` : '') +
        ` (client in a worker thread, keep-alive)`,
    );

    const figures: PageFigures[] = pages.map((page) => ({ page, errors: [] }));
    for (const f of figures) {
      const why = await probe(server, f.page);
      if (why) {
        f.skipped = why;
        console.log(`  ${pad(f.page.label, 24)} NOT MEASURED through the gateway: ${why}`);
        continue;
      }
      const job = { url: server.graphqlUrl, bearer: f.page.bearer, body: f.page.body, maxSeconds: s.pageSeconds, minRequests: s.minRequests };
      await client.run({ ...job, warmup: s.warmup, requests: 0, concurrency: 1 });
      const before = await sqlStatements(server);
      const seq = await client.run({ ...job, warmup: 0, requests: s.requests, concurrency: 1 });
      const after = await sqlStatements(server);
      f.gateway = { ...stats(seq.latencies), statements: (after - before) / seq.latencies.length, bytes: seq.responseBytes, n: seq.latencies.length };
      f.errors.push(...seq.errorSamples);
      if (s.concurrency > 1) {
        const conc = await client.run({ ...job, warmup: 0, requests: s.requests, concurrency: s.concurrency });
        f.concurrent = { ...stats(conc.latencies), rps: conc.latencies.length / (conc.elapsedMs / 1000), n: conc.latencies.length };
        f.errors.push(...conc.errorSamples);
      }
      console.log(
        `  ${pad(f.page.label, 24)} gateway n=${f.gateway.n} p50=${ms(f.gateway.p50)} p95=${ms(f.gateway.p95)} max=${ms(f.gateway.max)} ms, ` +
          `${f.gateway.statements.toFixed(1)} SQL/request, ${int(f.gateway.bytes / 1024)} KB` +
          (f.concurrent ? `; x${s.concurrency} n=${f.concurrent.n}: p50=${ms(f.concurrent.p50)} p95=${ms(f.concurrent.p95)} ms, ${f.concurrent.rps.toFixed(1)} req/s` : '') +
          (seq.errors ? `; ${seq.errors} ERRORS` : '') +
          ` (load ${load()})`,
      );
    }

    console.log(`direct: the warehouse function of each page (runReport / pciScores) in this process, ${s.warmup} warm-up, ${s.requests} calls; then its statements as raw SQL`);
    for (const f of figures) {
      try {
        const budget: Budget = { warmup: s.warmup, requests: s.requests, minRequests: s.minRequests, seconds: s.pageSeconds };
        const d = await timeDirect(warehouse, f.page, budget);
        f.direct = d.stats;
        f.raw = await timeRaw(warehouse, d.statements, budget);
        console.log(
          `  ${pad(f.page.label, 24)} direct n=${f.direct.n} p50=${ms(f.direct.p50)} p95=${ms(f.direct.p95)} ms, ${f.direct.statements.toFixed(1)} SQL; ` +
            `raw SQL n=${f.raw.n} p50=${ms(f.raw.p50)} p95=${ms(f.raw.p95)} ms; slowest statement ${ms(f.raw.slowest.ms)} ms` +
            (f.raw.slowest.usageLines ? ' (SCANS billing_usage_lines)' : ''),
        );
      } catch (err) {
        f.errors.push(`direct: ${(err as Error).message}`);
        console.log(`  ${pad(f.page.label, 24)} direct call FAILED: ${(err as Error).message.slice(0, 300)}`);
      }
    }

    console.log('');
    console.log(
      `${pad('page (ms)', 24)} | ${pad('gateway p50', 16)}${pad('p95', 8)}max     | SQL/req | ${pad(`x${s.concurrency} p95`, 8)} | ` +
        `${pad('direct p50', 16)}p95     | ${pad('raw SQL p50', 16)}p95     | < ${s.targetMs} ms`,
    );
    const measured = figures.filter((f) => f.gateway && f.page.isPage);
    for (const f of figures) {
      const g = f.gateway;
      const row = [
        pad(f.page.label, 24),
        g ? `${pad(ms(g.p50), 8)}${pad(ms(g.p95), 8)}${pad(ms(g.max), 8)}` : pad('not served', 24),
        pad(g ? g.statements.toFixed(1) : '-', 7),
        pad(f.concurrent ? ms(f.concurrent.p95) : '-', 8),
        f.direct ? `${pad(ms(f.direct.p50), 8)}${pad(ms(f.direct.p95), 8)}` : pad('-', 16),
        f.raw ? `${pad(ms(f.raw.p50), 8)}${pad(ms(f.raw.p95), 8)}` : pad('-', 16),
        g ? (g.p95 < s.targetMs ? 'ok' : 'MISS') : 'n/a',
      ];
      console.log(row.join(' | '));
    }
    for (const f of figures) {
      if (f.raw) {
        const text = f.raw.slowest.text;
        const ctes = new Set([...text.matchAll(/\b([a-z_][a-z0-9_]*)\s+AS\s+(?:MATERIALIZED\s+)?\(/gi)].map((m) => m[1].toLowerCase()));
        const reads = [...text.matchAll(/\b(?:FROM|JOIN)\s+([a-z_][a-z0-9_]*)/gi)].map((m) => m[1].toLowerCase()).filter((t) => !ctes.has(t));
        const counts = new Map<string, number>();
        for (const t of reads) counts.set(t, (counts.get(t) ?? 0) + 1);
        const tables = [...counts].sort((a, b) => a[0].localeCompare(b[0])).map(([t, n]) => (n > 1 ? `${t} x${n}` : t));
        console.log(
          `slowest statement of ${f.page.label}: ${ms(f.raw.slowest.ms)} ms p50, ${int(text.length)} chars, ` +
            `${(text.match(/ AS req,/g) ?? []).length || 1} metric request(s) in it; table reads ${tables.join(', ')}` +
            (f.raw.slowest.usageLines ? ' (SCANS billing_usage_lines, not a rollup)' : ''),
        );
      }
      for (const e of f.errors.slice(0, 2)) console.log(`error on ${f.page.label}: ${e}`);
    }
    const notServed = figures.filter((f) => f.skipped).map((f) => f.page.label);
    if (notServed.length) console.log(`NOT MEASURED through the gateway (not in its schema or failing): ${notServed.join(', ')}; insights_p95_ms covers the other pages only`);
    if (!opened.meetsTarget) console.log('SCALE TARGET NOT MET: these figures are for a smaller warehouse than the acceptance target');
    const worst = measured.reduce<PageFigures | undefined>((w, f) => (!w || f.gateway!.p95 > w.gateway!.p95 ? f : w), undefined);
    const misses = measured.filter((f) => f.gateway!.p95 >= s.targetMs).map((f) => f.page.label);
    console.log(
      `pages over ${s.targetMs} ms p95: ${misses.length ? misses.join(', ') : 'none'}; worst ${worst ? `${worst.page.label} ${ms(worst.gateway!.p95)} ms` : 'n/a'}; ` +
        `total bench time ${((Date.now() - t0) / 1000).toFixed(0)} s`,
    );
    console.log(`insights_p95_ms=${worst ? worst.gateway!.p95.toFixed(1) : 'NaN'}`);
  } finally {
    await client.close();
    if (server) await server.close();
    warehouse.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
