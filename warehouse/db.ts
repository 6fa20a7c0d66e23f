import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBConnection, DuckDBInstance, JsonDuckDBValueConverter, type DuckDBValue, type Json } from '@duckdb/node-api';
import { applyMigrations } from './migrations';
import type { Row, SqlParams, SqlRunner } from '../core/sql';

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

/**
 * The embedded DuckDB warehouse. One instance per process (DuckDB takes one read-write process per
 * file). Reads go to a small pool of connections (PI_DB_READERS, default 3); each transaction gets a
 * connection of its own so that its uncommitted rows are invisible to concurrent readers.
 */
export class Warehouse extends ConnectionRunner {
  private constructor(
    readonly path: string,
    private readonly instance: DuckDBInstance,
    connection: DuckDBConnection,
  ) {
    super(connection);
  }

  static async open(path: string = process.env.PI_DB || DEFAULT_DB_PATH): Promise<Warehouse> {
    if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    const instance = await DuckDBInstance.create(path, { threads: String(process.env.PI_DB_THREADS || 2) });
    const warehouse = new Warehouse(path, instance, await instance.connect());
    await applyMigrations(warehouse);
    return warehouse;
  }

  /**
   * Read connections: the first is the one `run` writes on; more are opened on demand, up to
   * PI_DB_READERS. A DuckDB connection runs one statement at a time, so on one connection the
   * statements of a GraphQL request's sibling fields (an analytics page's five lists) queue behind
   * each other; on several they run side by side (measured on the benchmark warehouse: five list
   * statements 88 ms one after the other, 69 ms on three connections).
   */
  private readonly readers: Reader[] = [{ ready: Promise.resolve(this.connection), connection: this.connection, running: 0 }];
  private readonly maxReaders = readerLimit();

  override async all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    const reader = this.pickReader();
    try {
      const connection = await reader.ready;
      statementCounter.total++;
      const result = await connection.runAndReadAll(sql, params);
      return result.getRowObjectsJson() as T[];
    } finally {
      this.done(reader);
    }
  }

  /** Writes (outside transactions) go to the first connection, counted like reads so close() waits for them. */
  override async run(sql: string, params?: SqlParams): Promise<void> {
    const writer = this.claim(this.readers[0]);
    try {
      await super.run(sql, params);
    } finally {
      this.done(writer);
    }
  }

  /** Counts a statement on `reader` (refused once the warehouse is closed); done() uncounts it. */
  private claim(reader: Reader): Reader {
    if (this.closed) throw new Error('the warehouse is closed');
    reader.running++;
    return reader;
  }

  private done(reader: Reader): void {
    // A statement still running at close() keeps its connection open until it ends: closing a
    // connection under a running statement hangs or fails inside DuckDB (bad_weak_ptr). Statements
    // can outlive their request: GraphQL answers once a field error ends it while siblings still
    // run, and analyticsReport starts its KPI statement even when no KPI is asked for.
    if (--reader.running === 0 && this.closed) reader.connection?.closeSync();
  }

  /** How many read connections are open (tests). */
  get readConnections(): number {
    return this.readers.length;
  }

  /**
   * The least busy read connection, or a new one when all are busy and the pool may grow; counted
   * as running before anything is awaited, so that statements started together spread out.
   */
  private pickReader(): Reader {
    if (this.closed) return this.claim(this.readers[0]); // throws "the warehouse is closed", opening nothing
    let reader = this.readers.reduce((a, b) => (b.running < a.running ? b : a));
    if (reader.running > 0 && this.readers.length < this.maxReaders) {
      const opened: Reader = { ready: this.instance.connect(), connection: null, running: 0 };
      // A connection that could not be opened leaves the pool (its statement fails with the error).
      opened.ready.then((c) => (opened.connection = c), () => this.readers.splice(this.readers.indexOf(opened), 1));
      this.readers.push(opened);
      reader = opened;
    }
    return this.claim(reader);
  }

  /** A fresh connection on the same database, for work that must not share the read connection. */
  async connect(): Promise<SqlRunner & { close(): void }> {
    const connection = await this.instance.connect();
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
   * strings). Stop early with `break`: the connection is closed either way.
   */
  async *chunks(sql: string, params?: SqlParams): AsyncGenerator<{ columns: string[]; rows: Json[][] }> {
    const connection = await this.instance.connect();
    try {
      statementCounter.total++;
      const result = await connection.stream(sql, params);
      const columns = result.columnNames();
      for (;;) {
        const chunk = await result.fetchChunk();
        if (!chunk || chunk.rowCount === 0) return;
        const values = chunk.convertColumns(JsonDuckDBValueConverter);
        const rows: Json[][] = new Array(chunk.rowCount);
        for (let r = 0; r < chunk.rowCount; r++) rows[r] = values.map((column) => column[r] as Json);
        yield { columns, rows };
      }
    } finally {
      connection.closeSync();
    }
  }

  /**
   * Runs one long statement (an export's COPY) on a connection of its own, so that it never holds
   * the shared read connection, and reports DuckDB's progress estimate about twice a second while
   * it runs. Returns its rows (COPY answers one row with the count written). `unordered`: the
   * statement's rows may come in any order (see unorderedStatements).
   */
  async runLong<T extends Row = Row>(
    sql: string,
    params?: SqlParams,
    onProgress?: (progress: QueryProgress) => void,
    options: { unordered?: boolean } = {},
  ): Promise<T[]> {
    const connection = await this.instance.connect();
    if (options.unordered && this.unorderedStatements++ === 0) await connection.run('SET preserve_insertion_order = false');
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
      const reader = await connection.runAndReadAll(sql, params);
      return reader.getRowObjectsJson() as T[];
    } finally {
      if (timer) clearInterval(timer);
      if (options.unordered && --this.unorderedStatements === 0) await connection.run('RESET preserve_insertion_order').catch(() => undefined);
      connection.closeSync();
    }
  }

  /**
   * Statements running with `unordered` (runLong). DuckDB's preserve_insertion_order is a global
   * setting: it is off while at least one of them runs and reset when the last one ends. Off, a
   * COPY of millions of rows writes in whatever order its threads finish instead of buffering rows
   * to keep the table's order (3.7 GB against 0.8 GB resident for 6M usage lines to Parquet);
   * statements with ORDER BY keep their order either way.
   */
  private unorderedStatements = 0;

  async one<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  private closed = false;

  /** Closes the warehouse; connections still running a statement close when it ends (see done). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const reader of this.readers) if (reader.running === 0) reader.connection?.closeSync();
    this.instance.closeSync();
  }
}

interface Reader {
  ready: Promise<DuckDBConnection>;
  /** Set once `ready` resolves (close() needs it synchronously). */
  connection: DuckDBConnection | null;
  /** Statements sent to it and not yet answered. */
  running: number;
}

function readerLimit(): number {
  const raw = process.env.PI_DB_READERS;
  const n = raw === undefined || raw === '' ? 3 : Number(raw);
  if (!Number.isInteger(n) || n < 1) throw new Error(`PI_DB_READERS must be a whole number of at least 1, got "${raw}"`);
  return n;
}
