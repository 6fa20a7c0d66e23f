import type { FileFormat } from '../formats';
import type { SqlRunner } from '../../core/sql';
import { refreshInsightsRollups, type RefreshOptions } from '../../warehouse/insights/rollups';

/**
 * Runs inside a file's load transaction once its rows are in, replaced rows are gone and bad rows
 * are quarantined, just before the etl_loads row is written: whatever it does commits or rolls back
 * with the file. It keeps the Insights rollups current (warehouse/insights/rollups.ts: which formats
 * refresh which rollup, and how). Returns the partners whose derived rollups (cubes, PCI) the load
 * changes: rebuilt here, or with `cubes: false` left to the caller (a batch marks them stale).
 */
export async function afterLoad(tx: SqlRunner, format: FileFormat, loadId: number, options?: RefreshOptions): Promise<string[]> {
  // A format that loads the rows of another (a JSON variant, a partial export) refreshes as that one.
  return refreshInsightsRollups(tx, { name: format.loadsAs ?? format.name, table: format.table }, loadId, options);
}
