import { unlink } from 'node:fs/promises';
import type { FileFormat } from '../../formats';
import type { SqlRunner } from '../../../core/sql';
import type { Warehouse } from '../../../warehouse/db';
import { rebuildDerivedRollups } from '../../../warehouse/insights/rollups';
import { markRollupsStale } from '../../../warehouse/insights/stale-rollups';
import { afterLoad } from '../hooks';
import { lit } from '../sql';
import { printable } from '../text';
import type { LoadResult } from '../types';
import type { PreparedLoad } from './mapping';
import { keepQuarantine } from './quarantine';
import { utcNow, type LoadRun } from './run';
import type { TooManyBadRows } from './threshold';

/** The etl_loads row of a rejected file (no rows of it are in the warehouse). */
interface RejectedLoad {
  path: string;
  fileName: string;
  format?: string;
  hash: string;
  size: number;
  detected?: string;
  message: string;
  startedAt: string;
}

async function insertRejectedLoad(tx: SqlRunner, loadId: number, r: RejectedLoad): Promise<void> {
  await tx.run(
    `INSERT INTO etl_loads (load_id, file_path, file_name, file_format, content_hash, size_bytes, status, detected, message, started_at, finished_at)
     VALUES ($1, $2, $3, $4, $5, $6, 'rejected', $7, $8, CAST($9 AS TIMESTAMP), CAST($10 AS TIMESTAMP))`,
    [loadId, r.path, r.fileName, r.format ?? null, r.hash, r.size, r.detected ?? null, r.message, r.startedAt, utcNow()],
  );
}

/** Writes the etl_loads row of a file that was refused before any of its rows were read. */
export async function recordRejected(db: Warehouse, r: RejectedLoad): Promise<number> {
  const row = await db.one<{ id: string }>(`SELECT nextval('etl_load_seq') AS id`);
  const loadId = Number(row!.id);
  await db.transaction(async (tx) => {
    await insertRejectedLoad(tx, loadId, r);
  });
  return loadId;
}

/**
 * Keeps the Insights rollups current inside the load transaction (hooks.ts); in a batch, only the
 * per-row rollups, and the partners' derived rollups are marked stale for the end of the batch.
 */
export async function refreshRollups(tx: SqlRunner, format: FileFormat, loadId: number, batch: boolean | undefined): Promise<void> {
  if (batch) await markRollupsStale(tx, await afterLoad(tx, format, loadId, { cubes: false }));
  else await afterLoad(tx, format, loadId);
}

/**
 * Partners whose customers or subscriptions of other loads the load filled (fill.ts): their cubes
 * and PCI rollups are rebuilt, or marked stale in a batch.
 */
export async function refreshFilledPartners(tx: SqlRunner, partners: readonly string[], batch: boolean | undefined): Promise<void> {
  if (!partners.length) return;
  if (batch) await markRollupsStale(tx, partners);
  else await rebuildDerivedRollups(tx, partners);
}

/** The counts of a loaded file for its etl_loads row. */
export interface LoadedCounts {
  rowsLoaded: number;
  badRows: number;
  rowsReplaced: number;
}

/** Writes the etl_loads row of a loaded file, with its counts and partner ids, in the load transaction; message: the notice, else the short description. */
export async function recordLoaded(tx: SqlRunner, run: LoadRun, load: PreparedLoad, counts: LoadedCounts, hash: string, message: string): Promise<void> {
  const { plan } = load.file;
  await tx.run(
    `INSERT INTO etl_loads (load_id, file_path, file_name, file_format, content_hash, size_bytes, status, rows_loaded,
       rows_quarantined, rows_replaced, partner_ids, detected, message, started_at, finished_at)
     SELECT $1, $2, $3, $4, $5, $6, 'loaded', $7, $8, $9,
       (SELECT list(DISTINCT partner_id ORDER BY partner_id) FROM ${load.table} WHERE load_id = $1),
       $10, $11, CAST($12 AS TIMESTAMP), CAST($13 AS TIMESTAMP)`,
    [
      load.loadId, run.path, run.fileName, load.format.name, hash, run.size, counts.rowsLoaded, counts.badRows, counts.rowsReplaced,
      plan.detected, message, run.startedAt, utcNow(),
    ],
  );
}

/**
 * After the rollback of a file with too many bad rows: its etl_loads row (rejected, saying why) and
 * its quarantine rows, from the Parquet file written before the rollback (then removed).
 */
export async function recordTooManyBad(db: Warehouse, run: LoadRun, load: PreparedLoad, err: TooManyBadRows): Promise<LoadResult> {
  const { loadId } = load;
  try {
    await db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO etl_loads (load_id, file_path, file_name, file_format, content_hash, size_bytes, status, rows_quarantined,
           detected, message, started_at, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'rejected', $7, $8, $9, CAST($10 AS TIMESTAMP), CAST($11 AS TIMESTAMP))`,
        [loadId, run.path, run.fileName, load.format.name, await run.contentHash(), run.size, err.badRows, load.file.plan.detected, err.message, run.startedAt, utcNow()],
      );
      await keepQuarantine(tx, loadId, run.fileName, `read_parquet(${lit(err.quarantineFile)})`);
    });
  } finally {
    await unlink(err.quarantineFile).catch(() => undefined);
  }
  return run.done({ status: 'rejected', loadId, rowsQuarantined: err.badRows, quarantineEntries: err.quarantined, reasons: err.reasons, message: err.message });
}

/** DuckDB refused the file as a whole (unreadable, wrong encoding...): it is recorded as rejected. */
export async function recordUnreadable(db: Warehouse, run: LoadRun, load: PreparedLoad, err: unknown): Promise<LoadResult> {
  return recordRefused(db, run, load, `could not be read: ${printable((err as Error).message.split('\n')[0], 300)}`);
}

/** A file refused once read (rolled back): its etl_loads row says why. */
export async function recordRefused(db: Warehouse, run: LoadRun, load: PreparedLoad, message: string): Promise<LoadResult> {
  const { path, fileName, size, startedAt } = run;
  await db.transaction(async (tx) => {
    const hash = await run.contentHash();
    await insertRejectedLoad(tx, load.loadId, { path, fileName, format: load.format.name, hash, size, detected: load.file.plan.detected, message, startedAt });
  });
  return run.done({ status: 'rejected', loadId: load.loadId, message });
}
