/**
 * `npm run bench:gateway`: what the federated gateway costs over the accounts subgraph served alone.
 *
 * 1. Warehouse: ./data/bench-gateway.duckdb (BENCH_DB), reused when present; otherwise the demo
 *    generator writes BENCH_CUSTOMERS (2,500) customers per partner (two partners, 5,000 in all)
 *    and the ETL loads them (bench/support/demo-warehouse.ts; ~15 s once).
 * 2. Two servers in this process on the same warehouse: the composed gateway (every subgraph in
 *    process) and the accounts subgraph alone (`startServer({ subgraph: 'accounts' })`).
 * 3. The same fixed mix of accounts operations (the typed documents of operations/accounts.graphql)
 *    against each: BENCH_CONCURRENCY (16) requests in flight over keep-alive connections from a
 *    worker thread, BENCH_WARMUP_SECONDS (3) of warm-up each, then BENCH_SECONDS (10) each measured,
 *    in BENCH_ROUNDS (4) alternating rounds (gateway, direct, gateway, ...) to even out drift.
 * 4. Prints requests/s, p50 and p99 latency, errors and the process CPU time per request (servers,
 *    DuckDB and the client together: less sensitive than requests/s to other load on the machine)
 *    for both, and last `gateway_vs_direct_ratio=<gateway rps / direct rps>`.
 *
 * Not part of `npm test`. Logs at warn (PI_LOG_LEVEL) and Apollo's usage telemetry off
 * (APOLLO_TELEMETRY_DISABLED) unless set otherwise.
 */
import { randomBytes } from 'node:crypto';
import { join, resolve } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { Worker } from 'node:worker_threads';
import { CustomerDetailDocument, CustomersPageDocument, PartnerWithLocationsDocument } from '../generated/graphql';
import { loadAuthConfig, mintToken } from '../gateway/auth';
import { createLogger } from '../gateway/logger';
import { startServer, type RunningServer } from '../gateway/server';
import type { Warehouse } from '../warehouse/db';
import { demoPartners, openOrBuildDemoWarehouse } from './support/demo-warehouse';
import { requestBody } from './support/graphql-client';
import type { LoadJob, LoadResult } from './support/load-worker';
import { envNumber } from './support/env';

const SETTINGS = {
  db: resolve(process.env.BENCH_DB || './data/bench-gateway.duckdb'),
  customers: envNumber('BENCH_CUSTOMERS', 2500),
  concurrency: envNumber('BENCH_CONCURRENCY', 16),
  warmupSeconds: envNumber('BENCH_WARMUP_SECONDS', 3),
  seconds: envNumber('BENCH_SECONDS', 10),
  rounds: Math.max(1, Math.round(envNumber('BENCH_ROUNDS', 4))),
};

interface Operation {
  name: string;
  body: string;
}

/**
 * The fixed mix, 100 requests cycled in this order: 40 customer details (40 customers), 30
 * filtered customer pages (country, segment, search), 15 customer pages newest first (50 rows with
 * nested location and reseller), 15 partner-with-locations. All answered by the accounts subgraph alone.
 */
async function operationMix(warehouse: Warehouse, partnerId: string): Promise<Operation[]> {
  const ids = await warehouse.all<{ id: string }>(
    `SELECT customer_id AS id FROM customers WHERE partner_id = $1 ORDER BY hash(customer_id) LIMIT 40`,
    [partnerId],
  );
  const countries = await warehouse.all<{ country: string }>(
    `SELECT country FROM customers WHERE partner_id = $1 AND country IS NOT NULL GROUP BY country ORDER BY count(*) DESC, country LIMIT 5`,
    [partnerId],
  );
  const detail = ids.map((r) => ({ name: 'CustomerDetail', body: requestBody(CustomerDetailDocument, { id: r.id, activityFirst: 10 }) }));
  const filters = [
    ...countries.map((c) => ({ country: c.country })),
    { segment: 'EDUCATION' as const },
    { segment: 'COMMERCIAL' as const },
    { search: 'tech' },
    { search: 'group' },
    { country: countries[0].country, segment: 'COMMERCIAL' as const },
  ];
  const filtered = Array.from({ length: 30 }, (_, i) => ({
    name: 'CustomersPage(filter)',
    body: requestBody(CustomersPageDocument, { first: 20, filter: filters[i % filters.length], orderBy: { field: 'NAME', direction: 'ASC' } }),
  }));
  const newest = { name: 'CustomersPage(newest, 50)', body: requestBody(CustomersPageDocument, { first: 50, orderBy: { field: 'CREATED_DATE', direction: 'DESC' } }) };
  const partner = { name: 'PartnerWithLocations', body: requestBody(PartnerWithLocationsDocument) };
  // Interleave so that every stretch of the cycle has the same mix.
  const mix: Operation[] = [];
  for (let i = 0; i < 5; i++) {
    mix.push(...detail.slice(i * 8, i * 8 + 8), ...filtered.slice(i * 6, i * 6 + 6), newest, newest, newest, partner, partner, partner);
  }
  return mix;
}

/** Sends every distinct request once to both servers: no errors, and the same data from both. */
async function checkMix(mix: Operation[], gateway: RunningServer, direct: RunningServer, bearer: string): Promise<void> {
  const distinct = [...new Map(mix.map((op) => [op.body, op])).values()];
  for (const op of distinct) {
    const answers = await Promise.all(
      [gateway, direct].map(async (server) => {
        const response = await fetch(server.graphqlUrl, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${bearer}` },
          body: op.body,
        });
        return { status: response.status, body: (await response.json()) as { data?: unknown; errors?: unknown[] } };
      }),
    );
    for (const a of answers) {
      if (a.status !== 200 || a.body.errors) throw new Error(`${op.name} failed: ${JSON.stringify(a.body).slice(0, 500)}`);
    }
    if (!isDeepStrictEqual(answers[0].body, answers[1].body)) throw new Error(`${op.name}: the gateway and the subgraph answer differently`);
  }
}

class LoadClient {
  private readonly worker = new Worker(join(__dirname, 'support', 'load-worker.js'));

  run(job: LoadJob): Promise<LoadResult> {
    return new Promise((resolve, reject) => {
      const onError = (err: Error) => reject(err);
      this.worker.once('error', onError);
      this.worker.once('message', (result: LoadResult) => {
        this.worker.off('error', onError);
        resolve(result);
      });
      this.worker.postMessage(job);
    });
  }

  async close(): Promise<void> {
    this.worker.postMessage('close');
    await new Promise((resolve) => this.worker.once('exit', resolve));
  }
}

interface Totals {
  /** CPU time of the whole process (servers, DuckDB, and the client thread) while loading this target, ms. */
  cpuMs: number;
  requests: number;
  errors: number;
  elapsedMs: number;
  latencies: number[];
  errorSamples: string[];
}

function add(into: Totals, r: LoadResult): void {
  into.requests += r.requests;
  into.errors += r.errors;
  into.elapsedMs += r.elapsedMs;
  for (const l of r.latencies) into.latencies.push(l);
  into.errorSamples.push(...r.errorSamples);
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

function summary(t: Totals): { rps: number; p50: number; p99: number; cpuMsPerRequest: number } {
  const sorted = Array.from(Float64Array.from(t.latencies).sort());
  return {
    rps: t.requests / (t.elapsedMs / 1000),
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    cpuMsPerRequest: t.cpuMs / Math.max(1, t.requests),
  };
}

async function main(): Promise<void> {
  process.env.APOLLO_TELEMETRY_DISABLED ??= 'true';
  process.env.PI_LOG_LEVEL ??= 'warn';
  const s = SETTINGS;

  const opened = await openOrBuildDemoWarehouse(s.db, { customers: s.customers, log: (m) => console.log(`  ${m}`) });
  const { warehouse } = opened;
  const servers: RunningServer[] = [];
  const client = new LoadClient();
  try {
    const [partner] = await demoPartners(warehouse);
    if (!partner) throw new Error(`${s.db} has no partners; delete it to rebuild`);
    console.log(
      `warehouse ${s.db} (${opened.built ? `generated and loaded in ${opened.seconds.toFixed(1)} s` : 'reused'}): ` +
        `partner ${partner.name}, ${partner.customers} customers`,
    );

    const auth = loadAuthConfig({ PI_JWT_SECRET: randomBytes(32).toString('hex') });
    const bearer = await mintToken(auth, { partner: partner.id, roles: ['Global admin'] }, '2h');
    const logger = createLogger();
    const common = { warehouse, port: 0, host: '127.0.0.1', auth, logger } as const;
    const gateway = await startServer(common);
    servers.push(gateway);
    const direct = await startServer({ ...common, subgraph: 'accounts' });
    servers.push(direct);

    const mix = await operationMix(warehouse, partner.id);
    await checkMix(mix, gateway, direct, bearer);
    const kinds = [...new Set(mix.map((m) => m.name))].map((n) => `${n} ${mix.filter((m) => m.name === n).length}%`).join(', ');
    console.log(`mix: ${kinds}; ${s.concurrency} in flight, keep-alive; warm-up ${s.warmupSeconds} s, then ${s.seconds} s per target in ${s.rounds} rounds`);

    const bodies = mix.map((m) => m.body);
    const targets = [
      { label: 'gateway', what: 'composed supergraph, subgraphs in process', server: gateway },
      { label: 'direct ', what: 'accounts subgraph served alone', server: direct },
    ];
    for (const t of targets) {
      await client.run({ url: t.server.graphqlUrl, bearer, bodies, concurrency: s.concurrency, seconds: s.warmupSeconds });
    }
    const totals = targets.map((): Totals => ({ cpuMs: 0, requests: 0, errors: 0, elapsedMs: 0, latencies: [], errorSamples: [] }));
    for (let round = 0; round < s.rounds; round++) {
      for (const [i, t] of targets.entries()) {
        const cpu = process.cpuUsage();
        add(totals[i], await client.run({ url: t.server.graphqlUrl, bearer, bodies, concurrency: s.concurrency, seconds: s.seconds / s.rounds }));
        const used = process.cpuUsage(cpu);
        totals[i].cpuMs += (used.user + used.system) / 1000;
      }
    }

    const results = totals.map(summary);
    for (const [i, t] of targets.entries()) {
      const r = results[i];
      console.log(
        `${t.label} requests/s=${r.rps.toFixed(1)} p50_ms=${r.p50.toFixed(2)} p99_ms=${r.p99.toFixed(2)} errors=${totals[i].errors} ` +
          `requests=${totals[i].requests} cpu_ms_per_request=${r.cpuMsPerRequest.toFixed(2)} (${t.what})`,
      );
      for (const sample of totals[i].errorSamples.slice(0, 3)) console.log(`  error: ${sample}`);
    }
    console.log(`gateway_vs_direct_ratio=${(results[0].rps / results[1].rps).toFixed(3)}`);
  } finally {
    await client.close();
    for (const server of servers) await server.close();
    warehouse.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
