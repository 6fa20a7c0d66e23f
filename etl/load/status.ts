import type { SqlRunner } from '../../core/sql';
import { ident } from './sql';

export interface LoadRow {
  load_id: number;
  file_name: string;
  file_format: string | null;
  status: string;
  rows_loaded: number;
  rows_quarantined: number;
  rows_replaced: number;
  detected: string | null;
  message: string | null;
  started_at: string;
  finished_at: string | null;
}

export interface QuarantineRow {
  load_id: number;
  file_name: string;
  line_number: number | null;
  column_name: string | null;
  value: string | null;
  reason: string;
}

/** A load job of the server's ingestion queue (etl/ingest/queue.ts), every partner's. */
export interface JobRow {
  job_id: string;
  partner_id: string;
  state: string;
  file_count: number;
  rows_loaded: number;
  rows_quarantined: number;
  error: string | null;
  created_at: string;
  finished_at: string | null;
}

export interface WarehouseStatus {
  /** Rows per warehouse table. */
  tables: Record<string, number>;
  loads: { total: number; byStatus: Record<string, number>; last: LoadRow[] };
  /** The latest load jobs of a server's ingestion queue, newest first, at most `limit`. */
  jobs: JobRow[];
  /** Quarantined rows in all. */
  quarantined: number;
  /** The latest quarantined rows (newest load first, then by line), at most `limit`. */
  quarantine: QuarantineRow[];
}

const n = (v: unknown) => (v === null || v === undefined ? 0 : Number(v));

/** What the warehouse holds and what the loader did, for `partner-insights status`. */
export async function warehouseStatus(db: SqlRunner, options: { limit?: number } = {}): Promise<WarehouseStatus> {
  const limit = Math.max(0, Math.floor(options.limit ?? 20));
  const names = (
    await db.all<{ table_name: string }>(
      `SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND database_name = current_database() AND NOT temporary ORDER BY table_name`,
    )
  ).map((t) => t.table_name);
  const tables: Record<string, number> = {};
  if (names.length) {
    const counts = await db.all<{ t: string; rows: string }>(
      names.map((t) => `SELECT ${`'${t.replace(/'/g, "''")}'`} AS t, count(*) AS rows FROM ${ident(t)}`).join(' UNION ALL '),
    );
    for (const t of names) tables[t] = 0;
    for (const c of counts) tables[c.t] = n(c.rows);
  }
  const byStatus: Record<string, number> = {};
  let total = 0;
  for (const r of await db.all<{ status: string; n: string }>(`SELECT status, count(*) AS n FROM etl_loads GROUP BY status ORDER BY status`)) {
    byStatus[r.status] = n(r.n);
    total += n(r.n);
  }
  const last = (
    await db.all<Record<string, unknown>>(
      `SELECT load_id, file_name, file_format, status, rows_loaded, rows_quarantined, rows_replaced, detected, message,
              strftime(started_at, '%Y-%m-%d %H:%M:%S') AS started_at, strftime(finished_at, '%Y-%m-%d %H:%M:%S') AS finished_at
       FROM etl_loads ORDER BY load_id DESC LIMIT ${limit}`,
    )
  ).map(
    (r): LoadRow => ({
      load_id: n(r.load_id),
      file_name: String(r.file_name),
      file_format: (r.file_format as string | null) ?? null,
      status: String(r.status),
      rows_loaded: n(r.rows_loaded),
      rows_quarantined: n(r.rows_quarantined),
      rows_replaced: n(r.rows_replaced),
      detected: (r.detected as string | null) ?? null,
      message: (r.message as string | null) ?? null,
      started_at: String(r.started_at),
      finished_at: (r.finished_at as string | null) ?? null,
    }),
  );
  const quarantined = n((await db.all<{ n: string }>(`SELECT count(*) AS n FROM etl_quarantine`))[0]?.n);
  const quarantine = (
    await db.all<Record<string, unknown>>(
      `SELECT load_id, file_name, line_number, column_name, value, reason FROM etl_quarantine
       ORDER BY load_id DESC, line_number NULLS LAST, column_name LIMIT ${limit}`,
    )
  ).map(
    (r): QuarantineRow => ({
      load_id: n(r.load_id),
      file_name: String(r.file_name),
      line_number: r.line_number === null ? null : n(r.line_number),
      column_name: (r.column_name as string | null) ?? null,
      value: (r.value as string | null) ?? null,
      reason: String(r.reason),
    }),
  );
  const jobs = (
    await db.all<Record<string, unknown>>(
      `SELECT job_id, partner_id, state, file_count, rows_loaded, rows_quarantined, error,
              strftime(created_at, '%Y-%m-%d %H:%M:%S') AS created_at, strftime(finished_at, '%Y-%m-%d %H:%M:%S') AS finished_at
       FROM ingestion_jobs ORDER BY job_seq DESC LIMIT ${limit}`,
    )
  ).map(
    (r): JobRow => ({
      job_id: String(r.job_id),
      partner_id: String(r.partner_id),
      state: String(r.state),
      file_count: n(r.file_count),
      rows_loaded: n(r.rows_loaded),
      rows_quarantined: n(r.rows_quarantined),
      error: (r.error as string | null) ?? null,
      created_at: String(r.created_at),
      finished_at: (r.finished_at as string | null) ?? null,
    }),
  );
  return { tables, loads: { total, byStatus, last }, jobs, quarantined, quarantine };
}
