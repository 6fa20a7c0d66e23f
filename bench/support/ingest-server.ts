import { performance } from 'node:perf_hooks';
import { DuckDBConnection } from '@duckdb/node-api';
import { loadAuthConfig } from '../../gateway/auth';
import { createLogger } from '../../gateway/logger';
import { startServer, type RunningServer } from '../../gateway/server';
import { loadFiles, type LoadResult } from '../../etl/load';
import { openWarehouse } from '../../warehouse/open';
import type { Warehouse } from '../../warehouse/db';

/**
 * The server of `npm run bench:ingest`, in a process of its own (forked with an IPC channel), as a
 * user runs it: the gateway (every subgraph in process, with the product routes, among them the
 * ingestion routes when the build has them) on the warehouse file given as argv[2], JWTs verified
 * with PI_JWT_SECRET. Messages:
 *
 *   -> { type: 'ready', url }                       once listening
 *   <- { type: 'load', path }                       fallback when the server has no ingestion route:
 *   -> { type: 'loaded', results, ms }                loadFiles([path]) on the server's warehouse,
 *                                                     the same call the ingestion queue makes
 *   <- { type: 'close' }                            stop the server, close the warehouse, exit
 */
export type ServerMessage = { type: 'ready'; url: string } | { type: 'loaded'; results: LoadResult[]; ms: number } | { type: 'error'; message: string };
export type ServerCommand = { type: 'load'; path: string } | { type: 'close' };

/**
 * BENCH_INGEST_TRACE=<ms>: prints (stderr) every write statement of the process that took at least
 * that long (the load's: INSERT, DELETE, UPDATE, COPY, COMMIT, read_csv...), to see where a load's
 * time goes while the readers run. Reads (SELECT ... without read_csv) are left out.
 */
function traceWrites(minMs: number): void {
  const proto = DuckDBConnection.prototype as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  for (const name of ['run', 'runAndReadAll']) {
    const original = proto[name];
    proto[name] = async function (this: unknown, ...args: unknown[]) {
      const t0 = performance.now();
      try {
        return await original.apply(this, args);
      } finally {
        const ms = performance.now() - t0;
        const text = String(args[0]).replace(/\s+/g, ' ').trim();
        const write = /^(INSERT|DELETE|UPDATE|COPY|COMMIT|CHECKPOINT|CREATE|DROP)\b/i.test(text) || /read_csv/i.test(text) || /billing_usage_lines/i.test(text);
        if (ms >= minMs && write && name === 'run') process.stderr.write(`[trace] ${ms.toFixed(0).padStart(6)} ms ${text.slice(0, 110)}\n`);
        if (ms >= minMs && write && name === 'runAndReadAll') process.stderr.write(`[trace] ${ms.toFixed(0).padStart(6)} ms (read) ${text.slice(0, 103)}\n`);
      }
    };
  }
}

async function main(): Promise<void> {
  const trace = Number(process.env.BENCH_INGEST_TRACE || 0);
  if (trace > 0) traceWrites(trace);
  const path = process.argv[2];
  if (!path) throw new Error('usage: ingest-server <warehouse.duckdb>');
  const send = (m: ServerMessage) => process.send?.(m);
  const warehouse: Warehouse = await openWarehouse(path);
  let server: RunningServer | undefined;
  try {
    // The owner file, as `partner-insights start` writes it: the bench loads as the CLI does, its local operator.
    server = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth: loadAuthConfig(process.env), logger: createLogger(), ownerFile: true });
  } catch (err) {
    warehouse.close();
    throw err;
  }
  const running = server;
  process.on('message', async (m: ServerCommand) => {
    try {
      if (m.type === 'load') {
        const t0 = Date.now();
        const results = await loadFiles(warehouse, [m.path]);
        send({ type: 'loaded', results, ms: Date.now() - t0 });
      } else if (m.type === 'close') {
        await running.close();
        warehouse.close();
        process.exit(0);
      }
    } catch (err) {
      send({ type: 'error', message: String((err as Error).stack ?? err) });
    }
  });
  send({ type: 'ready', url: running.url });
}

main().catch((err) => {
  process.send?.({ type: 'error', message: String((err as Error).stack ?? err) });
  console.error(err);
  process.exit(1);
});
