import type { SqlRunner } from '../../core/sql';
import type { Warehouse } from '../db';
import { rebuildDerivedRollups } from './rollups';

/**
 * Batch loads and their stale derived rollups (etl_stale_rollups, migration 8).
 *
 * Why: a file's load rebuilds its partners' cubes and PCI rollups inside its own transaction, which
 * is right for one file but rebuilds the same partner hundreds of times when a directory is loaded
 * (first `start`: 25.7 s -> 57.9 s of ETL). So a multi-file load refreshes only the per-row rollups
 * per file and marks the file's partners here in that same transaction (the mark commits or rolls
 * back with the rows); the batch ends with one rebuildStaleRollups. A crash mid-batch leaves the
 * marks, and Warehouse.open calls rebuildStaleRollups before anything reads the reports.
 */

/** Marks `partnerIds` as having stale cubes and PCI rollups, inside the caller's (the load's) transaction. */
export async function markRollupsStale(tx: SqlRunner, partnerIds: readonly string[]): Promise<void> {
  if (partnerIds.length === 0) return;
  const values = partnerIds.map((_, i) => `($${i + 1})`).join(', ');
  await tx.run(
    `INSERT INTO etl_stale_rollups (partner_id)
     SELECT DISTINCT p FROM (VALUES ${values}) v(p) WHERE p NOT IN (SELECT partner_id FROM etl_stale_rollups)`,
    [...partnerIds],
  );
}

/** The partners marked stale, in order. */
export async function staleRollupPartners(db: SqlRunner): Promise<string[]> {
  const rows = await db.all<{ partner_id: string }>(`SELECT DISTINCT partner_id FROM etl_stale_rollups ORDER BY 1`);
  return rows.map((r) => r.partner_id);
}

/**
 * Rebuilds the cubes and PCI rollups of every partner marked stale and clears their marks, in one
 * transaction. Returns the partners rebuilt (none: one cheap query, no transaction).
 */
export async function rebuildStaleRollups(db: Warehouse): Promise<string[]> {
  if ((await staleRollupPartners(db)).length === 0) return [];
  return db.transaction(async (tx) => {
    const partners = await staleRollupPartners(tx);
    if (partners.length === 0) return partners;
    await rebuildDerivedRollups(tx, partners);
    await tx.run(`DELETE FROM etl_stale_rollups WHERE partner_id IN (${partners.map((_, i) => `$${i + 1}`).join(', ')})`, partners);
    return partners;
  });
}
