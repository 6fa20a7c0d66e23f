import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneratedSummary } from '../../etl/generate';
import { startServer, type RunningServer } from '../../gateway/server';
import { Warehouse } from '../../warehouse/db';
import { testAuth } from '../gateway/harness';
import { copyDemoFiles, copyTemplate, demoData } from '../support/data-sets';
import { PartnerModel, usageFilesOf } from './model';

/**
 * A small generated data set (12 customers per partner, default 15 months, ~3,000 usage rows)
 * loaded through the ETL into a temporary DuckDB file (all files but the license-based and
 * one-time recon files, which Insights does not read) and served over real HTTP.
 *
 * The files and the loaded warehouse are built once per run (test/support/data-sets.ts, `demo`
 * set, `demo-insights` template): each env opens its own copy of the warehouse. `out` is the shared
 * files directory, read-only; `ownFiles` gives the suite its own copy (for a suite that rewrites one).
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

export async function startInsightsEnv(options: { ownFiles?: boolean } = {}): Promise<InsightsEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'pi-insights-'));
  const shared = await demoData();
  const summary = shared.summary;
  const out = options.ownFiles ? await copyDemoFiles(join(dir, 'files')) : shared.files;
  const warehouse = await Warehouse.open(await copyTemplate('demo-insights', join(dir, 'warehouse.duckdb')));
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

/** Unsets PI_TODAY while the suite runs (its dates then follow the data, as on a real warehouse) and restores it after. */
export function unsetTodayForSuite(): void {
  const previous = process.env.PI_TODAY;
  beforeAll(() => {
    delete process.env.PI_TODAY;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.PI_TODAY;
    else process.env.PI_TODAY = previous;
  });
}

/**
 * The suite's InsightsEnv, started before its tests and closed after, with PI_TODAY unset while the
 * suite runs (unsetTodayForSuite): `onStarted` receives it. For suites whose expectations follow
 * the data's own as-of month.
 */
export function insightsEnvForSuite(onStarted: (env: InsightsEnv) => void, timeoutMs = 180_000): void {
  let env: InsightsEnv | undefined;
  unsetTodayForSuite();
  beforeAll(async () => {
    env = await startInsightsEnv();
    onStarted(env);
  }, timeoutMs);
  afterAll(async () => env?.close());
}

/**
 * The suite's InsightsEnv, started before its tests and closed after, with PI_TODAY at the data's
 * as-of day while the suite runs (restored after): `onStarted` receives it. For suites whose
 * expectations count back from the data's end, as the reports do with PI_TODAY set.
 */
export function insightsEnvAtAsOfForSuite(onStarted: (env: InsightsEnv) => void): void {
  const previous = process.env.PI_TODAY;
  let env: InsightsEnv | undefined;
  beforeAll(async () => {
    env = await startInsightsEnv();
    onStarted(env);
    process.env.PI_TODAY = env.summary.asOf;
  }, 180_000);
  afterAll(async () => {
    await env?.close();
    if (previous === undefined) delete process.env.PI_TODAY;
    else process.env.PI_TODAY = previous;
  });
}
