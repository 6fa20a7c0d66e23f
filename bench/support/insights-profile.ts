/**
 * Profiling helper for the Insights pages (not part of npm test or the benchmark): runs each page's
 * warehouse function once on a warehouse file, records its statements and prints each statement's
 * time; with PROFILE_EXPLAIN=1 also DuckDB's EXPLAIN ANALYZE of the slowest one.
 *   node -r <ts loader> bench/support/insights-profile.ts <warehouse.duckdb> [page ...]
 */
import { openWarehouse } from '../../warehouse/open';
import { performance } from 'node:perf_hooks';
import type { Caller } from '../../core/caller';
import { Warehouse } from '../../warehouse/db';
import { type Row, type SqlParams, type SqlRunner } from '../../core/sql';
import { pciScores } from '../../warehouse/insights/pci';
import { runReport } from '../../warehouse/insights/reports';
import type { ReportName } from '../../warehouse/insights/metrics';

async function main(): Promise<void> {
  const [path, ...only] = process.argv.slice(2);
  const w = await openWarehouse(path);
  const [p] = await w.all<{ partner_id: string }>(`SELECT partner_id FROM customers GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
  const [loc] = await w.all<{ mpn_id: string }>(`SELECT mpn_id FROM customers WHERE partner_id = $1 AND mpn_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`, [p.partner_id]);
  const exec: Caller = { partnerId: p.partner_id, roles: ['Executive report viewer'] as Caller['roles'], locations: null };
  const viewer: Caller = { partnerId: p.partner_id, roles: ['Report viewer'] as Caller['roles'], locations: [loc.mpn_id] };
  const range = { kind: 'LAST_12_MONTHS' as const };
  const filters = { productFamilies: [process.env.PROFILE_FAMILY ?? 'Microsoft 365'], customerCountries: [process.env.PROFILE_COUNTRY ?? 'US'] };
  const pages: [string, (db: SqlRunner) => Promise<unknown>][] = [];
  for (const r of ['overview', 'customers', 'subscriptions', 'licenses', 'azureUsage'] as ReportName[]) {
    pages.push([r, (db) => runReport(db, exec, r, { range })]);
    if (r !== 'overview') pages.push([`${r}+filters`, (db) => runReport(db, exec, r, { range, filters: r === 'azureUsage' ? { ...filters, productFamilies: ['Azure'] } : filters })]);
  }
  pages.push(['pci', (db) => pciScores(db, exec, {})]);
  pages.push(['customers(viewer@loc)', (db) => runReport(db, viewer, 'customers', { range })]);
  for (const [label, fn] of pages) {
    if (only.length && !only.includes(label)) continue;
    const stmts: { text: string; params?: SqlParams; ms: number }[] = [];
    const rec: SqlRunner = {
      async run(text: string, params?: SqlParams) {
        const t0 = performance.now();
        await w.run(text, params);
        stmts.push({ text, params, ms: performance.now() - t0 });
      },
      async all<T extends Row = Row>(text: string, params?: SqlParams) {
        const t0 = performance.now();
        const r = await w.all<T>(text, params);
        stmts.push({ text, params, ms: performance.now() - t0 });
        return r;
      },
    };
    await fn(rec);
    const runs = Number(process.env.PROFILE_RUNS ?? 5);
    const totals: { total: number; stmts: typeof stmts }[] = [];
    for (let i = 0; i < runs; i++) {
      stmts.length = 0;
      const t0 = performance.now();
      await fn(rec);
      totals.push({ total: performance.now() - t0, stmts: [...stmts] });
    }
    totals.sort((a, b) => a.total - b.total);
    const med = totals[Math.floor(totals.length / 2)];
    stmts.splice(0, stmts.length, ...med.stmts);
    console.log(`${label}: median ${med.total.toFixed(1)} ms (min ${totals[0].total.toFixed(1)}, max ${totals[totals.length - 1].total.toFixed(1)}), ${stmts.length} statements: ${stmts.map((s) => s.ms.toFixed(1)).join(', ')}`);
    if (process.env.PROFILE_EXPLAIN) {
      const slow = stmts.reduce((a, b) => (b.ms > a.ms ? b : a));
      const rows = await w.all<{ explain_value: string }>(`EXPLAIN ANALYZE ${slow.text}`, slow.params);
      console.log(rows.map((r) => Object.values(r).join('\n')).join('\n'));
    }
    if (process.env.PROFILE_SQL) {
      const slow = stmts.reduce((a, b) => (b.ms > a.ms ? b : a));
      console.log(slow.text, JSON.stringify(slow.params));
    }
  }
  w.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
