import { openWarehouse } from '../../warehouse/open';
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { generateDemoData } from '../../etl/generate';
import { listInputFiles, loadFiles } from '../../etl/load';
import { Warehouse } from '../../warehouse/db';

/**
 * A warehouse filled the way a user fills one: the demo generator writes Partner Center files
 * (etl/generate) and the ETL loads them (etl/load). Used by the end-to-end tests and
 * bench/gateway.ts.
 *
 * Loaded: every file of each partner's directory (accounts, catalog, subscriptions, telemetry,
 * referrals, certifications, invoices, fx rates). Not loaded: the per-invoice reconciliation files
 * under recon/ (billing only, and most of the generation and load time); usage rows are not
 * generated (usageRows: 0).
 */
export interface DemoWarehouseOptions {
  /** Customers per partner (the demo data set has two partners). */
  customers: number;
  seed?: number;
  log?: (message: string) => void;
}

export interface DemoPartner {
  id: string;
  name: string;
  customers: number;
}

/** The partners of a warehouse, most customers first (then by name). */
export async function demoPartners(warehouse: Warehouse): Promise<DemoPartner[]> {
  return warehouse.all<DemoPartner & Record<string, unknown>>(
    `SELECT p.partner_id AS id, p.name, (SELECT count(*) FROM customers c WHERE c.partner_id = p.partner_id)::INTEGER AS customers
     FROM partners p ORDER BY customers DESC, p.name`,
  );
}

/**
 * Generates the demo files into a temporary directory and loads them into `path` (which must not
 * exist yet). Throws if the ETL rejects any file.
 */
export async function buildDemoWarehouse(path: string, options: DemoWarehouseOptions): Promise<Warehouse> {
  if (existsSync(path)) throw new Error(`${path} exists already`);
  const log = options.log ?? (() => undefined);
  const out = mkdtempSync(join(tmpdir(), 'pi-demo-files-'));
  try {
    log(`generating demo data (seed ${options.seed ?? 7}, ${options.customers} customers per partner) into ${out}`);
    await generateDemoData({ out, seed: options.seed ?? 7, customers: options.customers, usageRows: 0 });
    const files = (await listInputFiles([out])).filter((f) => !/[\\/]recon[\\/]/.test(f));
    log(`loading ${files.length} files with the ETL`);
    const warehouse = await openWarehouse(path);
    try {
      const results = await loadFiles(warehouse, files);
      const rejected = results.filter((r) => r.status === 'rejected');
      if (rejected.length) throw new Error(`the ETL rejected ${rejected.map((r) => `${r.fileName}: ${r.message}`).join('; ')}`);
      return warehouse;
    } catch (err) {
      warehouse.close();
      throw err;
    }
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/**
 * Opens the warehouse at `path` if it exists; otherwise builds it (into a temporary file renamed
 * into place once complete, so an interrupted build is never reused).
 */
export async function openOrBuildDemoWarehouse(
  path: string,
  options: DemoWarehouseOptions,
): Promise<{ warehouse: Warehouse; built: boolean; seconds: number }> {
  const started = Date.now();
  if (existsSync(path)) return { warehouse: await openWarehouse(path), built: false, seconds: (Date.now() - started) / 1000 };
  // Built beside the target (same file system, so the rename is atomic).
  mkdirSync(dirname(path), { recursive: true });
  const scratch = mkdtempSync(join(dirname(path), '.building-'));
  const partial = join(scratch, 'warehouse.duckdb');
  try {
    const warehouse = await buildDemoWarehouse(partial, options);
    await warehouse.run('CHECKPOINT');
    warehouse.close();
    renameSync(partial, path);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return { warehouse: await openWarehouse(path), built: true, seconds: (Date.now() - started) / 1000 };
}

