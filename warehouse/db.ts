import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DuckDBConnection, DuckDBInstance, type DuckDBValue } from '@duckdb/node-api';
import { applyMigrations } from './migrations';

/** Default warehouse file; PI_DB overrides it (":memory:" for tests). */
export const DEFAULT_DB_PATH = './data/partner-insights.duckdb';

export type SqlParams = DuckDBValue[] | Record<string, DuckDBValue>;
/** A result row with JSON-safe values: DECIMAL and BIGINT as strings, dates as ISO strings. */
export type Row = Record<string, unknown>;

/** Something SQL can be sent to: the warehouse itself or a transaction on it. */
export interface SqlRunner {
  run(sql: string, params?: SqlParams): Promise<void>;
  all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]>;
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
 * file). Reads share one connection; each transaction gets a connection of its own so that its
 * uncommitted rows are invisible to concurrent readers.
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

  async one<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T | undefined> {
    return (await this.all<T>(sql, params))[0];
  }

  close(): void {
    this.connection.closeSync();
    this.instance.closeSync();
  }
}
