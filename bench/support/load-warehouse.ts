import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { generateDemoData } from '../../etl/generate';
import { loadFiles } from '../../etl/load';
import { openWarehouse } from '../../warehouse/open';
import type { Warehouse } from '../../warehouse/db';

/**
 * The warehouse of `npm run bench:load`: the data set `npm start` loads into an empty warehouse
 * (cli/commands/start.ts): the demo generator's defaults (300 customers per partner, two partners,
 * ~0.5M usage rows, reconciliation files included), every file loaded through the ETL. Unlike
 * start, the history ends on the generator's fixed day, so that every run reads the same data.
 * bench/support/demo-warehouse.ts leaves out usage and reconciliation files, which the Azure usage
 * pages and the invoice list read.
 */
export interface LoadWarehouse {
  warehouse: Warehouse;
  /** Seconds spent generating and loading; undefined when reused. */
  builtSeconds?: number;
}

/** Opens `path`, or builds it first (in a scratch file renamed into place, so a partial build is never reused). */
export async function openOrBuildLoadWarehouse(path: string, seed: number, log: (message: string) => void): Promise<LoadWarehouse> {
  if (existsSync(path)) return { warehouse: await openWarehouse(path) };
  const started = Date.now();
  mkdirSync(dirname(path), { recursive: true });
  const scratch = mkdtempSync(join(dirname(path), '.building-'));
  try {
    const files = join(scratch, 'files');
    log(`generating the demo data set (seed ${seed}, the generator's defaults) into ${files}`);
    await generateDemoData({ out: files, seed });
    log('loading every file through the ETL (as npm start does)');
    const partial = join(scratch, 'warehouse.duckdb');
    const warehouse = await openWarehouse(partial);
    try {
      const rejected = (await loadFiles(warehouse, [files])).filter((r) => r.status === 'rejected');
      if (rejected.length) throw new Error(`the ETL rejected ${rejected.map((r) => `${r.fileName}: ${r.message}`).join('; ')}`);
      await warehouse.run('CHECKPOINT');
    } finally {
      warehouse.close();
    }
    renameSync(partial, path);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { warehouse: await openWarehouse(path), builtSeconds: (Date.now() - started) / 1000 };
}
