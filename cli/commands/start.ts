import { dirname, join, resolve } from 'node:path';
import type { PartnerRole } from '../../core/vocabulary';
import type { Warehouse } from '../../warehouse/db';
import { defineCommand } from '../command';
import { findOwner, RefusedError, warehousePath } from '../remote';

/** Demo files go next to the warehouse file, so a fresh clone keeps everything under ./data. */
function demoDir(db: Warehouse): string {
  if (process.env.PI_DEMO_DIR) return process.env.PI_DEMO_DIR;
  return db.path === ':memory:' ? join(process.cwd(), 'data', 'demo') : join(dirname(resolve(db.path)), 'demo');
}

async function warehouseIsEmpty(db: Warehouse): Promise<boolean> {
  const row = await db.one<{ n: string }>(`SELECT count(*) AS n FROM etl_loads WHERE status = 'loaded'`);
  return Number(row?.n ?? 0) === 0;
}

/** Roles a newcomer wants to try: full access, billing, no revenue, and one location only. */
const DEMO_ROLES: { label: string; roles: PartnerRole[]; firstLocationOnly?: boolean }[] = [
  { label: 'Global admin', roles: ['Global admin'] },
  { label: 'Executive report viewer', roles: ['Executive report viewer'] },
  { label: 'Report viewer (no revenue, no personal data)', roles: ['Report viewer'] },
  { label: 'Admin agent, first location only', roles: ['Admin agent'], firstLocationOnly: true },
];

async function printDemoTokens(db: Warehouse): Promise<void> {
  const partners = await db.all<{ partner_id: string; name: string; partner_type: string; first_location: string }>(
    `SELECT p.partner_id, p.name, p.partner_type, min(l.mpn_id) AS first_location
     FROM partners p LEFT JOIN locations l USING (partner_id)
     GROUP BY ALL ORDER BY p.name`,
  );
  const { loadAuthConfig, mintToken } = await import('../../gateway/auth');
  const auth = loadAuthConfig();
  for (const p of partners) {
    process.stdout.write(`\n${p.name} (${p.partner_type}, partner ${p.partner_id})\n`);
    for (const demo of DEMO_ROLES) {
      const locations = demo.firstLocationOnly && p.first_location ? [p.first_location] : undefined;
      const token = await mintToken(auth, { partner: p.partner_id, roles: demo.roles, locations, sub: 'demo' }, '30d');
      process.stdout.write(`  ${demo.label}${locations ? ` (${locations[0]})` : ''}:\n    ${token}\n`);
    }
  }
}

/**
 * `partner-insights start`: the embedded default. Opens (or creates) the warehouse; when it holds
 * nothing yet, writes the demo data set as Partner Center files and loads them through the ETL,
 * exactly as a partner's own files would go; then serves the GraphQL gateway and prints tokens.
 */
export const startCommand = defineCommand('start', (command) => {
  command
    .summary('create the warehouse, load the demo data when it is empty, serve GraphQL on PI_PORT')
    .description(
      'Open (or create) the warehouse (PI_DB); when it holds nothing yet, write the demo data set as Partner Center files ' +
        '(PI_DEMO_DIR, PI_DEMO_SEED) and load them through the ETL; then print demo tokens and serve the GraphQL gateway ' +
        'on PI_PORT until SIGTERM/SIGINT.',
    )
    .option('--no-demo', 'do not load the demo data into an empty warehouse');
  return async (options: { demo: boolean }) => {
    const started = Date.now();
    const owner = await findOwner();
    if (owner) {
      throw new RefusedError(
        `the warehouse ${warehousePath()} is served already, by process ${owner.pid} at ${owner.url}; use it (${owner.url}/graphql), or stop it (kill ${owner.pid}) first`,
      );
    }
    const { openWarehouse } = await import('../../warehouse/open');
    const { closeOnSignal, startServer } = await import('../../gateway/server');
    const db = await openWarehouse();
    try {
      if (options.demo && (await warehouseIsEmpty(db))) {
        const { generateDemoData } = await import('../../etl/generate');
        const { formatTotals, loadFiles } = await import('../../etl/load');
        const { today } = await import('../../warehouse/clock');
        const out = demoDir(db);
        // The demo history ends yesterday, so that the referral inbox, renewals and trials are
        // current for whoever starts it (`generate` alone keeps its fixed, documented default).
        const asOf = new Date(Date.parse(`${today()}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
        process.stdout.write(`Empty warehouse at ${db.path}: writing the demo data set (history to ${asOf}) to ${out}\n`);
        await generateDemoData({ out, seed: Number(process.env.PI_DEMO_SEED ?? 7), asOf });
        const results = await loadFiles(db, [out], {});
        process.stdout.write(`Loaded through the ETL: ${formatTotals(results)}\n`);
        const failed = results.filter((r) => r.status === 'rejected');
        if (failed.length) throw new Error(`${failed.length} demo file(s) were rejected; see the messages above`);
      } else {
        process.stdout.write(`Using the warehouse at ${db.path}\n`);
      }
      await printDemoTokens(db);
      const server = await startServer({ warehouse: db });
      process.stdout.write(
        `\nGraphQL ready at ${server.graphqlUrl} in ${((Date.now() - started) / 1000).toFixed(1)} s` +
          ` (send a token above as "Authorization: Bearer <token>")\n`,
      );
      await closeOnSignal(server);
    } finally {
      db.close();
    }
  };
});
