import { DEFAULT_DB_PATH, Warehouse } from './db';
import { rebuildStaleRollups } from './insights/stale-rollups';

/**
 * Opens the warehouse for serving or loading: migrations (Warehouse.open), then the recovery of a
 * batch load that died before its end, which left partners with stale cubes and PCI rollups; they
 * are rebuilt before anything reads the reports (warehouse/insights/stale-rollups.ts). Kept out of
 * Warehouse.open so that db.ts depends on no domain.
 */
export async function openWarehouse(path: string = process.env.PI_DB || DEFAULT_DB_PATH): Promise<Warehouse> {
  const warehouse = await Warehouse.open(path);
  try {
    await rebuildStaleRollups(warehouse);
  } catch (error) {
    warehouse.close();
    throw error;
  }
  return warehouse;
}
