import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoData, type GeneratedSummary } from '../../etl/generate';
import { listInputFiles, loadFiles } from '../../etl/load';
import { startServer, type RunningServer } from '../../gateway/server';
import { Warehouse } from '../../warehouse/db';
import { testAuth } from '../gateway/harness';
import { PartnerModel, usageFilesOf } from './model';

/**
 * A small generated data set (12 customers per partner, default 15 months, ~3,000 usage rows)
 * loaded through the ETL into a temporary DuckDB file (all files but the license-based and
 * one-time recon files, which Insights does not read) and served over real HTTP.
 */
export interface InsightsEnv {
  dir: string;
  out: string;
  summary: GeneratedSummary;
  warehouse: Warehouse;
  server: RunningServer;
  models: Map<string, PartnerModel>;
  partnerDir(partnerId: string): string;
  close(): Promise<void>;
}

export async function startInsightsEnv(): Promise<InsightsEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'pi-insights-'));
  const out = join(dir, 'files');
  const summary = await generateDemoData({ out, seed: 7, customers: 12, usageRows: 3000 });
  const files = (await listInputFiles([out])).filter((f) => !/_(License|OneTime)\.csv$/.test(f));
  const warehouse = await Warehouse.open(join(dir, 'warehouse.duckdb'));
  const results = await loadFiles(warehouse, files);
  const bad = results.filter((r) => r.status !== 'loaded');
  if (bad.length) throw new Error(`not loaded: ${bad.map((r) => `${r.fileName}: ${r.message}`).join('; ')}`);
  const server = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth: testAuth });
  const partnerDir = (id: string) => join(out, summary.partners.find((p) => p.id === id)!.slug);
  const models = new Map(summary.partners.map((p) => [p.id, new PartnerModel(p.id, partnerDir(p.id), usageFilesOf(partnerDir(p.id)))]));
  return {
    dir,
    out,
    summary,
    warehouse,
    server,
    models,
    partnerDir,
    async close() {
      await server.close();
      warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
