import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBConnection, DuckDBInstance, JsonDuckDBValueConverter, type DuckDBValue, type Json } from '@duckdb/node-api';
import { applyMigrations } from './migrations';
import { interruptOnAbort, ReadPool, type ReadBounds } from './read-pool';
import type { Row, SqlParams, SqlRunner } from '../core/sql';

export type { ReadBounds } from './read-pool';

/** Default warehouse file; PI_DB overrides it (":memory:" for tests). */
export const DEFAULT_DB_PATH = './data/partner-insights.duckdb';


/** DuckDB's estimate of a running statement's progress (percentage -1 when unknown). */
export interface QueryProgress {
  percentage: number;
  rowsProcessed: number;
  totalRows: number;
}

/** Counts statements sent to DuckDB, so that /metrics and tests can see how many a request cost. */
export const statementCounter = { total: 0 };

class ConnectionRunner implements SqlRunner {
  constructor(protected readonly connection: DuckDBConnection) {}

  async run(sql: string, params?: SqlParams): Promise<void> {
    statementCounter.total++;
    await this.connection.run(sql, params);
  }

  async all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    statementCounter.total++;
    const reader = await this.connection.runAndReadAll(sql, params);
    return reader.getRowObjectsJson() as T[];
  }
}

/** What every handle on one warehouse shares (Warehouse.bound makes handles). */
interface Engine {
  instance: DuckDBInstance;
  pool: ReadPool;
  /**
   * Statements running with `unordered` (runLong). DuckDB's preserve_insertion_order is a global
   * setting: it is off while at least one of them runs and reset when the last one ends. Off, a
   * COPY of millions of rows writes in whatever order its threads finish instead of buffering rows
   * to keep the table's order (3.7 GB against 0.8 GB resident for 6M usage lines to Parquet);
   * statements with ORDER BY keep their order either way.
   */
  unorderedStatements: number;
  closed: boolean;
}

/**
 * The embedded DuckDB warehouse. One instance per process (DuckDB takes one read-write process per
 * file). Reads go to a small pool of connections (PI_DB_READERS, default 3; warehouse/read-pool.ts);
 * each transaction gets a connection of its own so that its uncommitted rows are invisible to
 * concurrent readers.
 *
 * A request reads through a handle bound to it (`bound`): its reads stop when its client goes or
 * its time is up, and take their turns as its caller's (PI_MAX_CALLER_CONCURRENCY).
 */
export class Warehouse implements SqlRunner {
  /** The warehouse without bounds: the key of per-warehouse services (report queue, syncs), which outlive requests. */
  readonly root: Warehouse;

  private constructor(
    readonly path: string,
    private readonly engine: Engine,
    private readonly bounds: ReadBounds = {},
    root?: Warehouse,
  ) {
    this.root = root ?? this;
  }

  static async open(path: string = process.env.PI_DB || DEFAULT_DB_PATH): Promise<Warehouse> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const connections = readerLimit();
    const limits = { connections, perCaller: callerConcurrencyLimit(connections) };
    const instance = await DuckDBInstance.create(path, { threads: String(process.env.PI_DB_THREADS || 2) });
    const pool = new ReadPool(() => instance.connect(), await instance.connect(), limits);
    const warehouse = new Warehouse(path, { instance, pool, unorderedStatements: 0, closed: false });
    await applyMigrations(warehouse);
    return warehouse;
  }

  /** This warehouse with its reads bounded (one request's: see ReadBounds); writes, transactions and streams are not. */
  bound(bounds: ReadBounds): Warehouse {
    return new Warehouse(this.path, this.engine, bounds, this.root);
  }

  /**
   * A read, on a connection of the pool. A DuckDB connection runs one statement at a time, so on one
   * connection the statements of a GraphQL request's sibling fields (an analytics page's five lists)
   * queue behind each other; on several they run side by side (measured on the benchmark
   * warehouse: five list statements 88 ms one after the other, 69 ms on three connections).
   */
  async all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    return this.engine.pool.use(this.bounds, async (connection) => {
      statementCounter.total++;
      const result = await connection.runAndReadAll(sql, params);
      return result.getRowObjectsJson() as T[];
    });
  }

  /** Writes (outside transactions) go to the first connection, one at a time, and are never interrupted. */
  async run(sql: string, params?: SqlParams): Promise<void> {
    await this.engine.pool.use({}, async (connection) => {
      statementCounter.total++;
      await connection.run(sql, params);
    }, true);
  }

  async one<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  /** How many read connections are open (tests). */
  get readConnections(): number {
    return this.engine.pool.size;
  }

  /** Pool statements running in DuckDB now and waiting for a connection (tests, metrics). */
  get statements(): { running: number; waiting: number } {
    return this.engine.pool.statements;
  }

  /** A fresh connection on the same database, for work that must not share the read connection. */
  async connect(): Promise<SqlRunner & { close(): void }> {
    const connection = await this.engine.instance.connect();
    const runner = new ConnectionRunner(connection);
    return Object.assign(runner, { close: () => connection.closeSync() });
  }

  /** Runs fn in one transaction on its own connection: all of it commits, or none of it. */
  async transaction<T>(fn: (tx: SqlRunner) => Promise<T>): Promise<T> {
    const tx = await this.connect();
    try {
      await tx.run('BEGIN TRANSACTION');
      try {
        const result = await fn(tx);
        await tx.run('COMMIT');
        return result;
      } catch (err) {
        await tx.run('ROLLBACK').catch(() => undefined);
        throw err;
      }
    } finally {
      tx.close();
    }
  }

  /**
   * A query's result chunk by chunk (DuckDB's vectors, about 2,048 rows each), on a connection of its
   * own, so that a long result never sits whole in JavaScript memory and never holds the shared read
   * connection. Values are JSON-safe as in `all` (DECIMAL and BIGINT as strings, dates as ISO
   * strings). Stop early with `break`: the connection is closed either way. `signal`: when it aborts,
   * the statement is interrupted and the signal's reason thrown (an export whose client went away).
   */
  async *chunks(sql: string, params?: SqlParams, options: { signal?: AbortSignal } = {}): AsyncGenerator<{ columns: string[]; rows: Json[][] }> {
    const { signal } = options;
    signal?.throwIfAborted();
    const connection = await this.engine.instance.connect();
    const stopListening = interruptOnAbort(connection, signal);
    try {
      statementCounter.total++;
      const result = await connection.stream(sql, params).catch((err) => Promise.reject(signal?.aborted ? signal.reason : err));
      const columns = result.columnNames();
      for (;;) {
        signal?.throwIfAborted();
        const chunk = await result.fetchChunk().catch((err) => Promise.reject(signal?.aborted ? signal.reason : err));
        if (!chunk || chunk.rowCount === 0) return;
        const values = chunk.convertColumns(JsonDuckDBValueConverter);
        const rows: Json[][] = new Array(chunk.rowCount);
        for (let r = 0; r < chunk.rowCount; r++) rows[r] = values.map((column) => column[r] as Json);
        yield { columns, rows };
      }
    } finally {
      stopListening();
      connection.closeSync();
    }
  }

  /**
   * Runs one long statement (an export's COPY) on a connection of its own, so that it never holds
   * the shared read connection, and reports DuckDB's progress estimate about twice a second while
   * it runs. Returns its rows (COPY answers one row with the count written). `unordered`: the
   * statement's rows may come in any order (see Engine.unorderedStatements). `signal`: when it
   * aborts, the statement is interrupted and the signal's reason thrown (an export whose client went away).
   */
  async runLong<T extends Row = Row>(
    sql: string,
    params?: SqlParams,
    onProgress?: (progress: QueryProgress) => void,
    options: { unordered?: boolean; signal?: AbortSignal } = {},
  ): Promise<T[]> {
    const { signal } = options;
    signal?.throwIfAborted();
    const connection = await this.engine.instance.connect();
    if (options.unordered && this.engine.unorderedStatements++ === 0) await connection.run('SET preserve_insertion_order = false');
    const stopListening = interruptOnAbort(connection, signal);
    const timer = onProgress
      ? setInterval(() => {
          const p = connection.progress;
          if (p.percentage >= 0) onProgress({ percentage: p.percentage, rowsProcessed: Number(p.rows_processed), totalRows: Number(p.total_rows_to_process) });
        }, 500)
      : undefined;
    try {
      // Progress is only tracked with the progress bar on; printing it stays off.
      if (onProgress) await connection.run('SET enable_progress_bar = true; SET enable_progress_bar_print = false');
      statementCounter.total++;
      signal?.throwIfAborted();
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJson() as T[];
    } catch (err) {
      throw signal?.aborted ? signal.reason : err;
    } finally {
      stopListening();
      if (timer) clearInterval(timer);
      if (options.unordered && --this.engine.unorderedStatements === 0) await connection.run('RESET preserve_insertion_order').catch(() => undefined);
      connection.closeSync();
    }
  }

  /** Closes the warehouse (every handle on it); connections still running a statement close when it ends. */
  close(): void {
    if (this.engine.closed) return;
    this.engine.closed = true;
    this.engine.pool.close();
    this.engine.instance.closeSync();
  }
}

function readerLimit(): number {
  const raw = process.env.PI_DB_READERS;
  const n = raw === undefined || raw === '' ? 3 : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`PI_DB_READERS must be a whole number of at least 1, got "${raw}"`);
  return n;
}

/** PI_MAX_CALLER_CONCURRENCY: default one less than the pool, so that another caller always finds a connection; 0: no limit. */
function callerConcurrencyLimit(connections: number): number {
  const raw = process.env.PI_MAX_CALLER_CONCURRENCY;
  const n = raw === undefined || raw === '' ? Math.max(1, connections - 1) : Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`PI_MAX_CALLER_CONCURRENCY must be a whole number (0: no limit), got "${raw}"`);
  return n;
}
