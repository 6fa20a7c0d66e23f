import type { FileFormat } from '../formats';
import type { SqlRunner } from '../../warehouse/db';

/**
 * Runs inside a file's load transaction once its rows are in, replaced rows are gone and bad rows
 * are quarantined, just before the etl_loads row is written: whatever it does commits or rolls back
 * with the file. Rollups (issue 4) will hang here; for now it does nothing.
 */
export async function afterLoad(tx: SqlRunner, format: FileFormat, loadId: number): Promise<void> {
  void tx;
  void format;
  void loadId;
}
