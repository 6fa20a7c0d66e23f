import type { Warehouse } from '../../../warehouse/db';
import type { LoadRun } from './run';

/**
 * Starts hashing the file and says whether the same bytes are already loaded: the skip message, or
 * undefined. Only a loaded file of the same size can hold the same bytes: when there is one, the
 * hash is awaited here (with progress); when there is none, it goes on while DuckDB reads the file
 * and is awaited before the etl_loads row is written.
 */
export async function alreadyLoaded(db: Warehouse, run: LoadRun): Promise<string | undefined> {
  const sameSize = await db.one(`SELECT load_id FROM etl_loads WHERE size_bytes = $1 AND status = 'loaded' LIMIT 1`, [run.size]);
  run.startHashing(Boolean(sameSize));
  if (!sameSize) return undefined;
  const hash = await run.contentHash();
  const earlier = await db.one<{ load_id: string; finished_at: string | null }>(
    `SELECT load_id, strftime(finished_at, '%Y-%m-%d %H:%M:%S') AS finished_at FROM etl_loads
     WHERE content_hash = $1 AND status = 'loaded' ORDER BY load_id LIMIT 1`,
    [hash],
  );
  return earlier ? `already loaded (load ${earlier.load_id} on ${earlier.finished_at} UTC)` : undefined;
}
