import { openWarehouse } from '../../warehouse/open';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { formatByName } from '../../etl/formats';
import { generateDemoData } from '../../etl/generate';
import { afterLoad, loadFiles, type LoadResult } from '../../etl/load';
import { Warehouse } from '../../warehouse/db';
import { up as insightsRollupsDdl } from '../../warehouse/migrations/002_insights_rollups';
import { ddl as insightsCubesDdl } from '../../warehouse/migrations/004_insights_cubes';
import { rebuildDerivedRollups } from '../../warehouse/insights/rollups';

/**
 * The warehouse of `npm run bench:insights`: the demo data set at scale (etl/generate) loaded by the
 * ETL (etl/load, whose afterLoad hook keeps the Insights rollups current), like a user fills one.
 *
 * Reused when the file already holds the target scale; otherwise the files are generated into
 * `filesDir`, loaded into a fresh warehouse beside the target (renamed into place once complete, so
 * an interrupted build is never reused) and deleted.
 */
export interface InsightsWarehouseTarget {
  /** The warehouse file. */
  db: string;
  /** Where the Partner Center files are generated (deleted after the load). */
  filesDir: string;
  /** Customers per partner (two partners). */
  customers: number;
  /** Daily-rated usage rows over all reconciliation files. */
  usageRows: number;
  /** The scale the benchmark is meant to run at. */
  minUsageRows: number;
  minSubscriptions: number;
  /** Free disk needed before generating (bytes). */
  minFreeBytes: number;
  seed: number;
  /** Rebuild the Insights rollups of a reused warehouse even when their schema looks current. */
  rebuildRollups?: boolean;
  log: (message: string) => void;
}

export interface InsightsWarehouseScale {
  usageRows: number;
  subscriptions: number;
  customers: number;
  partners: number;
  rollupUsageRows: number;
  subscriptionMonths: number;
}

export interface OpenedInsightsWarehouse {
  warehouse: Warehouse;
  scale: InsightsWarehouseScale;
  built: boolean;
  generateSeconds?: number;
  loadSeconds?: number;
  meetsTarget: boolean;
  /** Seconds spent rebuilding the rollups of a reused warehouse (their schema had changed), if that happened. */
  rollupRebuildSeconds?: number;
}

const int = (n: number) => Math.round(n).toLocaleString('en-US');

export async function warehouseScale(w: Warehouse): Promise<InsightsWarehouseScale> {
  const [row] = await w.all<{ u: number; s: number; c: number; p: number; r: number; m: number }>(
    `SELECT (SELECT count(*) FROM billing_usage_lines)::BIGINT::DOUBLE AS u,
            (SELECT count(*) FROM subscriptions)::DOUBLE AS s,
            (SELECT count(*) FROM customers)::DOUBLE AS c,
            (SELECT count(*) FROM partners)::DOUBLE AS p,
            (SELECT count(*) FROM insights_usage_monthly)::DOUBLE AS r,
            (SELECT count(*) FROM insights_subscription_months)::DOUBLE AS m`,
  );
  return {
    usageRows: Number(row.u),
    subscriptions: Number(row.s),
    customers: Number(row.c),
    partners: Number(row.p),
    rollupUsageRows: Number(row.r),
    subscriptionMonths: Number(row.m),
  };
}

function freeBytes(path: string): number {
  const s = statfsSync(path);
  return s.bavail * s.bsize;
}

function df(path: string): string {
  try {
    return execFileSync('df', ['-h', path], { encoding: 'utf8' }).trim().split('\n').pop() ?? '';
  } catch {
    return '';
  }
}

function meets(scale: InsightsWarehouseScale, t: InsightsWarehouseTarget): boolean {
  return scale.usageRows >= t.minUsageRows && scale.subscriptions >= t.minSubscriptions;
}

/** Opens `t.db` when it holds the target scale; otherwise generates and loads a new one. */
export async function openOrBuildInsightsWarehouse(t: InsightsWarehouseTarget): Promise<OpenedInsightsWarehouse> {
  if (existsSync(t.db)) {
    const w = await openWarehouse(t.db);
    let scale: InsightsWarehouseScale | undefined;
    try {
      scale = await warehouseScale(w);
    } catch (err) {
      t.log(`${t.db} cannot be read as an insights warehouse (${(err as Error).message}); rebuilding`);
    }
    if (scale && meets(scale, t)) {
      const why = t.rebuildRollups ? 'asked for (BENCH_REBUILD_ROLLUPS=1)' : await staleRollups(w);
      if (!why) return { warehouse: w, scale, built: false, meetsTarget: true };
      t.log(`rebuilding the Insights rollups of ${t.db}: ${why}`);
      const seconds = await rebuildRollups(w, t.log);
      return { warehouse: w, scale: await warehouseScale(w), built: false, meetsTarget: true, rollupRebuildSeconds: seconds };
    }
    w.close();
    if (scale) {
      t.log(
        `${t.db} holds ${int(scale.usageRows)} usage rows and ${int(scale.subscriptions)} subscriptions, ` +
          `below the target (${int(t.minUsageRows)} / ${int(t.minSubscriptions)}); rebuilding`,
      );
    }
  }
  return build(t);
}

const ROLLUP_TABLES = `table_name LIKE 'insights\\_%' ESCAPE '\\'`;

async function rollupColumns(w: Warehouse): Promise<string[]> {
  const rows = await w.all<{ c: string }>(
    `SELECT table_name || '.' || column_name || ' ' || data_type AS c FROM information_schema.columns
     WHERE table_schema = 'main' AND ${ROLLUP_TABLES} ORDER BY table_name, ordinal_position`,
  );
  return rows.map((r) => r.c);
}

/**
 * Why the rollups of a reused warehouse must be rebuilt, or null: their tables differ from what the
 * current migration creates (the rollup migration is still being edited in place while unshipped,
 * so a warehouse built earlier can hold an older shape).
 */
async function staleRollups(w: Warehouse): Promise<string | null> {
  const fresh = await openWarehouse(':memory:');
  try {
    const [want, have] = [await rollupColumns(fresh), await rollupColumns(w)];
    if (want.join() === have.join()) return null;
    const missing = want.filter((c) => !have.includes(c));
    const extra = have.filter((c) => !want.includes(c));
    return (
      `their tables differ from the current migration` +
      (missing.length ? `; missing ${missing.join(', ')}` : '') +
      (extra.length ? `; no longer wanted ${extra.join(', ')}` : '') +
      (!missing.length && !extra.length ? '; columns in another order' : '')
    );
  } finally {
    fresh.close();
  }
}

/**
 * Drops the rollup tables, recreates them with the current migration's DDL and replays the ETL's
 * afterLoad hook over the loads that are still current, oldest first: what loading the same files
 * again would leave, without reading them again. One transaction.
 */
async function rebuildRollups(w: Warehouse, log: (m: string) => void): Promise<number> {
  const t0 = Date.now();
  const loads = await w.all<{ load_id: number; file_format: string }>(
    `SELECT load_id::DOUBLE AS load_id, file_format FROM etl_loads WHERE status = 'loaded' AND file_format IS NOT NULL ORDER BY load_id`,
  );
  await w.transaction(async (tx) => {
    const tables = await tx.all<{ t: string }>(`SELECT table_name AS t FROM information_schema.tables WHERE table_schema = 'main' AND ${ROLLUP_TABLES}`);
    for (const { t } of tables) await tx.run(`DROP TABLE ${t}`);
    await tx.run(insightsRollupsDdl);
    await tx.run(insightsCubesDdl);
    let done = 0;
    let last = Date.now();
    // The per-row rollups load by load; the cubes and PCI rollups once at the end (each load would rebuild them).
    for (const l of loads) {
      const format = formatByName(l.file_format);
      if (!format) continue;
      await afterLoad(tx, format, Number(l.load_id), { cubes: false });
      done++;
      if (Date.now() - last > 10_000) {
        last = Date.now();
        log(`  [rollups ${((Date.now() - t0) / 1000).toFixed(0)} s] ${done}/${loads.length} loads replayed`);
      }
    }
    const partners = await tx.all<{ partner_id: string }>(`SELECT partner_id FROM partners ORDER BY 1`);
    for (const p of partners) {
      await rebuildDerivedRollups(tx, [p.partner_id]);
      log(`  [rollups ${((Date.now() - t0) / 1000).toFixed(0)} s] cubes and PCI rollups of partner ${p.partner_id} rebuilt`);
    }
  });
  await w.run('CHECKPOINT');
  const seconds = (Date.now() - t0) / 1000;
  log(`rollups rebuilt from ${loads.length} loads in ${seconds.toFixed(1)} s`);
  return seconds;
}

async function build(t: InsightsWarehouseTarget): Promise<OpenedInsightsWarehouse> {
  mkdirSync(dirname(t.db), { recursive: true });
  mkdirSync(t.filesDir, { recursive: true });
  const free = freeBytes(t.filesDir);
  t.log(`free disk: ${(free / 1e9).toFixed(1)} GB (${df(t.filesDir)})`);
  if (free < t.minFreeBytes) {
    throw new Error(
      `not enough free disk to generate the benchmark data: ${(free / 1e9).toFixed(1)} GB free under ${t.filesDir}, ` +
        `${(t.minFreeBytes / 1e9).toFixed(0)} GB needed (usage files ~770 bytes/row for ${int(t.usageRows)} rows, plus the warehouse). ` +
        `Free some space, or set BENCH_USAGE_ROWS lower (the scale target will then not be met).`,
    );
  }
  const partial = `${t.db}.building`;
  rmSync(partial, { force: true });
  rmSync(`${partial}.wal`, { force: true });

  const g0 = Date.now();
  t.log(`generating: seed ${t.seed}, ${int(t.customers)} customers per partner, ${int(t.usageRows)} usage rows into ${t.filesDir}`);
  let last = Date.now();
  const summary = await generateDemoData({
    out: t.filesDir,
    seed: t.seed,
    customers: t.customers,
    usageRows: t.usageRows,
    log: (m) => {
      const now = Date.now();
      t.log(`  [gen ${((now - g0) / 1000).toFixed(0)} s, +${((now - last) / 1000).toFixed(0)} s] ${m}`);
      last = now;
    },
  });
  const generateSeconds = (Date.now() - g0) / 1000;
  const bytes = summary.files.reduce((s, f) => s + ((f as { bytes?: number }).bytes ?? 0), 0);
  t.log(
    `generated ${int(summary.files.length)} files in ${generateSeconds.toFixed(1)} s: ${int(summary.usageRows)} usage rows, ` +
      `${int(summary.partners.reduce((s, p) => s + p.subscriptions, 0))} subscriptions` +
      (bytes ? `, ${(bytes / 1e9).toFixed(1)} GB` : '') +
      `; ${df(t.filesDir)}`,
  );

  const l0 = Date.now();
  const warehouse = await openWarehouse(partial);
  let done = 0;
  let rows = 0;
  const rejected: LoadResult[] = [];
  try {
    let lastReport = 0;
    await loadFiles(warehouse, [t.filesDir], {
      onResult: (r) => {
        done++;
        rows += r.rowsLoaded;
        if (r.status === 'rejected') rejected.push(r);
        const now = Date.now();
        // Every file that took a while, and otherwise at most every 10 s.
        if (r.seconds >= 5 || now - lastReport >= 10_000 || r.status === 'rejected') {
          lastReport = now;
          t.log(
            `  [load ${((now - l0) / 1000).toFixed(0)} s] ${done}/${summary.files.length} files, ${int(rows)} rows; ` +
              `${r.fileName}: ${r.status} ${int(r.rowsLoaded)} rows in ${r.seconds.toFixed(1)} s`,
          );
        }
      },
    });
    // A rejected file is reported, not fatal: the scale check below says whether what loaded is
    // enough. (Seen: the ETL's Excel re-save check rejects some generated OneTime reconciliation
    // files whose AlternateId looks like scientific notation, e.g. '8e8919509086'; the Insights
    // reports do not read those lines.)
    if (rejected.length) {
      const formats = [...new Set(rejected.map((r) => r.format ?? 'unknown format'))].join(', ');
      t.log(`WARNING: the ETL rejected ${rejected.length} of ${done} file(s) (${formats}):`);
      for (const r of rejected.slice(0, 3)) t.log(`  ${r.fileName}: ${r.message.slice(0, 240)}`);
    }
    await warehouse.run('CHECKPOINT');
  } catch (err) {
    warehouse.close();
    throw err;
  }
  warehouse.close();
  const { renameSync } = await import('node:fs');
  rmSync(t.db, { force: true });
  rmSync(`${t.db}.wal`, { force: true });
  renameSync(partial, t.db);
  const loadSeconds = (Date.now() - l0) / 1000;
  t.log(`loaded ${done} files, ${int(rows)} rows in ${loadSeconds.toFixed(1)} s; deleting ${t.filesDir}`);
  rmSync(t.filesDir, { recursive: true, force: true });

  const reopened = await openWarehouse(t.db);
  const scale = await warehouseScale(reopened);
  return { warehouse: reopened, scale, built: true, generateSeconds, loadSeconds, meetsTarget: meets(scale, t) };
}
