/**
 * `npm run bench:export`: at least 10 million daily usage lines exported through the product, and
 * the same queries written by a bare DuckDB `COPY`, in the same run.
 *
 * 1. Warehouse: ./data/bench-export.duckdb (BENCH_EXPORT_DB), built on the first run by generating
 *    the demo data set with 10,100,000 usage rows and loading it with the ETL, reused afterwards
 *    (bench/support/export-warehouse.ts). Never ./data/bench-insights.duckdb: bench:insights owns it.
 * 2. The product: the gateway's HTTP server on that warehouse; for each partner, a Global admin
 *    token, GET /exports/usage-lines.<format>?range=lifetime over HTTP (the route writes the file
 *    with the export engine, then streams it; the client, curl in its own process, reads every byte
 *    into /dev/null). The partners together hold every usage line, so each format moves all 10.1M
 *    rows. The resident memory of this process is sampled every 50 ms while the exports run.
 * 3. The baseline: the same statements (the export engine's own SQL and parameters for each
 *    partner) run as `COPY (…) TO file` on a bare DuckDB connection of the same database, with the
 *    same setting the product uses for line-level exports (preserve_insertion_order = false).
 * 4. Prints per format the product and raw seconds and rows/s, the peak resident memory of the
 *    process (server and DuckDB) during the product exports and over the whole run, and last
 *    `export_vs_raw_ratio=<raw seconds / product seconds>` over both formats. Target: ≥ 0.8, < 1 GB.
 *
 * After one untimed warm-up COPY, each format runs BENCH_ROUNDS (3) rounds; in each, every partner's
 * export and raw COPY run back to back, alternating which goes first; each figure is the best round.
 * BENCH_EXPORT_DATASET (usage-lines; focus), BENCH_EXPORT_FORMATS (parquet,csv), BENCH_CLIENT
 * (curl; node: node:http in this process).
 */
import { openWarehouse } from '../warehouse/open';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { execFile, execFileSync } from 'node:child_process';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadAuthConfig, mintToken } from '../gateway/auth';
import { createLogger } from '../gateway/logger';
import { startServer } from '../gateway/server';
import { Warehouse } from '../warehouse/db';
import { copyStatement, findDataset, resolveExportRange, type ExportFormat } from '../warehouse/exports';
import { openOrBuildExportWarehouse } from './support/export-warehouse';

const FORMATS = (process.env.BENCH_EXPORT_FORMATS || 'parquet,csv').split(',') as Exclude<ExportFormat, 'xlsx'>[];
/** usage-lines (default: the lines as loaded) or focus (the same lines as FOCUS, plus license, one-time and tax rows). */
const DATASET = process.env.BENCH_EXPORT_DATASET || 'usage-lines';
const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS || 3));
const MB = 1024 * 1024;
const int = (n: number) => Math.round(n).toLocaleString('en-US');
const peakRssMb = () => process.resourceUsage().maxRSS / 1024;
const CLIENT = process.env.BENCH_CLIENT === 'node' || !hasCurl() ? 'node' : 'curl';

function hasCurl(): boolean {
  try {
    execFileSync('curl', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface Partner {
  id: string;
  lines: number;
}

/**
 * GET the export and read the whole body into /dev/null, as a BI tool downloading it would: with
 * curl in its own process (a client's HTTP stack is native code outside the server), else with
 * node:http in this process (BENCH_CLIENT=node).
 */
function download(url: string, bearer: string): Promise<{ bytes: number; rows: number; exportMs: number }> {
  if (CLIENT === 'curl') {
    return new Promise((resolve, reject) => {
      execFile(
        'curl',
        ['-s', '-o', '/dev/null', '-H', `authorization: Bearer ${bearer}`, '-w', '%{http_code} %{size_download} %header{x-export-rows} %header{server-timing}', url],
        { maxBuffer: 1 << 20 },
        (err, stdout) => {
          if (err) return reject(err);
          const [status, bytes, rows, timing] = stdout.trim().split(' ');
          if (status !== '200') return reject(new Error(`${url}: HTTP ${status}`));
          resolve({ bytes: Number(bytes), rows: Number(rows), exportMs: exportMsOf(timing) });
        },
      );
    });
  }
  return new Promise((resolve, reject) => {
    const req = get(url, { headers: { authorization: `Bearer ${bearer}` } }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.length));
      res.on('error', reject);
      res.on('end', () => {
        if (res.statusCode !== 200) reject(new Error(`${url}: HTTP ${res.statusCode}`));
        else resolve({ bytes, rows: Number(res.headers['x-export-rows']), exportMs: exportMsOf(String(res.headers['server-timing'])) });
      });
    });
    req.on('error', reject);
  });
}

/** `export;dur=1234` (the route's Server-Timing: writing the file, before the transfer) -> 1234. */
function exportMsOf(header: string | undefined): number {
  return Number(/export;dur=(\d+)/.exec(header ?? '')?.[1] ?? NaN);
}

/** The largest resident set seen while `fn` runs, sampled every 50 ms (MB). */
async function peakRssDuring<T>(fn: () => Promise<T>): Promise<{ result: T; peakMb: number }> {
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
  try {
    const result = await fn();
    return { result, peakMb: Math.max(peak, process.memoryUsage().rss) / MB };
  } finally {
    clearInterval(timer);
  }
}

/** The export engine's own statement for one partner, run as a bare `COPY` on a connection of its own. */
async function rawCopy(warehouse: Warehouse, partner: Partner, format: Exclude<ExportFormat, 'xlsx'>, dir: string): Promise<{ bytes: number; rows: number }> {
  const dataset = findDataset(DATASET);
  const caller = { partnerId: partner.id, roles: ['Global admin' as const], locations: null };
  const range = await resolveExportRange(warehouse, caller, dataset, { dataset: dataset.name, format, range: { kind: 'LIFETIME' } });
  const { text, params } = (await dataset.query({ caller, range, filters: {}, splitBy: null, db: warehouse })).toQuery();
  const file = join(dir, `raw-${partner.id}.${format}`);
  const connection = await warehouse.connect();
  try {
    // The same statement environment as the product's line-level exports (Warehouse.runLong unordered).
    await connection.run('SET preserve_insertion_order = false');
    const [result] = await connection.all<{ Count: string }>(copyStatement(text, file, format), params);
    return { rows: Number(result.Count), bytes: statSync(file).size };
  } finally {
    await connection.run('RESET preserve_insertion_order');
    connection.close();
    rmSync(file, { force: true });
  }
}

async function main(): Promise<void> {
  process.env.PI_LOG_LEVEL ||= 'warn';
  const log = (m: string) => console.log(m);
  const opened = await openOrBuildExportWarehouse(log);
  // Reopened, so that what building or refreshing it held is not counted against the exports.
  opened.warehouse.close();
  global.gc?.();
  const warehouse = await openWarehouse(resolve(process.env.BENCH_EXPORT_DB || './data/bench-export.duckdb'));
  log(`warehouse: ${int(opened.scale.usageRows)} usage lines, ${int(opened.scale.customers)} customers, ${opened.built ? 'built now' : 'reused'}; dataset ${DATASET}`);
  const partners = (
    await warehouse.all<{ id: string; lines: string }>(`SELECT partner_id AS id, count(*)::VARCHAR AS lines FROM billing_usage_lines GROUP BY 1 ORDER BY 2 DESC`)
  ).map((r) => ({ id: r.id, lines: Number(r.lines) }));
  const total = partners.reduce((s, p) => s + p.lines, 0);
  if (total < 10_000_000) log(`WARNING: ${int(total)} usage lines, below the 10,000,000 the benchmark is meant for`);

  const auth = loadAuthConfig({ PI_JWT_SECRET: randomBytes(16).toString('hex') });
  const server = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth, logger: createLogger() });
  const tokens = await Promise.all(partners.map((p) => mintToken(auth, { partner: p.id, roles: ['Global admin'] }, '2h')));
  const dir = mkdtempSync(join(tmpdir(), 'pi-bench-export-'));
  const results: { format: string; product: number; productExport: number; raw: number; rows: number; bytes: number }[] = [];
  let exportPeakMb = 0;
  try {
    // Warm-up, untimed: the first scan of the lines reads them from disk into DuckDB's cache; every
    // timed run after it, product or raw, starts from the same warm state.
    log('  warm-up: one raw COPY of every partner to parquet (untimed)');
    for (const p of partners) await rawCopy(warehouse, p, 'parquet', dir);
    for (const format of FORMATS) {
      let product = Infinity;
      let productExport = Infinity;
      let raw = Infinity;
      let rows = 0;
      let bytes = 0;
      for (let round = 1; round <= ROUNDS; round++) {
        const sums = { product: 0, exportMs: 0, raw: 0, rows: 0, bytes: 0 };
        for (const [i, p] of partners.entries()) {
          const timeProduct = async () => {
            global.gc?.();
            const t0 = performance.now();
            const { result, peakMb } = await peakRssDuring(() => download(`${server.url}/exports/${DATASET}.${format}?range=lifetime`, tokens[i]));
            sums.product += (performance.now() - t0) / 1000;
            sums.exportMs += result.exportMs;
            sums.bytes += result.bytes;
            exportPeakMb = Math.max(exportPeakMb, peakMb);
            return result.rows;
          };
          const timeRaw = async () => {
            global.gc?.();
            const t0 = performance.now();
            const r = await rawCopy(warehouse, p, format, dir);
            sums.raw += (performance.now() - t0) / 1000;
            return r.rows;
          };
          // Interleaved per partner, alternating which goes first, so that both see the same load
          // on a shared machine and neither always runs on the other's warm cache.
          let productRows: number;
          let rawRows: number;
          if ((round + i) % 2 === 1) {
            productRows = await timeProduct();
            rawRows = await timeRaw();
          } else {
            rawRows = await timeRaw();
            productRows = await timeProduct();
          }
          if (productRows !== rawRows) throw new Error(`partner ${p.id}: the product exported ${productRows} rows, the raw COPY ${rawRows}`);
          if (DATASET === 'usage-lines' && productRows !== p.lines) throw new Error(`partner ${p.id}: exported ${productRows} rows, the warehouse holds ${p.lines}`);
          sums.rows += productRows;
        }
        product = Math.min(product, sums.product);
        productExport = Math.min(productExport, sums.exportMs / 1000);
        raw = Math.min(raw, sums.raw);
        rows = sums.rows;
        bytes = sums.bytes;
        log(
          `  ${format} round ${round}: product ${sums.product.toFixed(1)} s (writing the files ${(sums.exportMs / 1000).toFixed(1)} s, the rest HTTP transfer), ` +
            `raw COPY ${sums.raw.toFixed(1)} s, ${int(sums.rows)} rows, ${int(sums.bytes / MB)} MB, resident peak so far ${int(exportPeakMb)} MB`,
        );
      }
      results.push({ format, product, productExport, raw, rows, bytes });
    }
  } finally {
    await server.close();
    warehouse.close();
    rmSync(dir, { recursive: true, force: true });
  }

  for (const r of results) {
    log(
      `${r.format}: ${int(r.rows)} rows (${int(r.bytes / MB)} MB) — product (HTTP /exports) ${r.product.toFixed(1)} s = ${int(r.rows / r.product)} rows/s ` +
        `(writing ${r.productExport.toFixed(1)} s + transfer); ` +
        `raw DuckDB COPY ${r.raw.toFixed(1)} s = ${int(r.rows / r.raw)} rows/s; ratio ${(r.raw / r.product).toFixed(3)}`,
    );
  }
  log(`client: ${CLIENT}; peak resident memory during the product exports ${int(exportPeakMb)} MB (target < 1,024), whole run (process maxRSS, includes the raw COPYs) ${int(peakRssMb())} MB`);
  log(`export_peak_rss_mb=${Math.round(exportPeakMb)}`);
  const rawTotal = results.reduce((s, r) => s + r.raw, 0);
  const productTotal = results.reduce((s, r) => s + r.product, 0);
  log(`export_vs_raw_ratio=${(rawTotal / productTotal).toFixed(3)}`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
