import { dirname, join, resolve } from 'node:path';
import type { PartnerRole } from '../../core/vocabulary';
import type { LoadResult } from '../../etl/load';
import type { Warehouse } from '../../warehouse/db';
import { defineCommand } from '../command';
import { wholeNumber } from '../options';
import { BatchProgress, elapsed, LiveLine } from '../progress';
import { findOwner, RefusedError, warehousePath } from '../remote';

interface StartFlags {
  demo: boolean;
  demoCustomers?: number;
  demoMonths?: number;
  demoUsageRows?: number;
}

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

/** A partner of the warehouse and its demo tokens, one a DEMO_ROLES entry (the first: Global admin, which the commands to try use). */
export interface DemoPartner {
  id: string;
  name: string;
  type: string;
  tokens: { label: string; token: string }[];
}

const say = (text: string) => process.stdout.write(`${text}\n`);

/** A value as a POSIX shell word: as it is when it needs no quoting, else in single quotes. */
function quote(value: string): string {
  return /^[\w@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * `partner-insights start`: the embedded default. Opens (or creates) the warehouse; when it holds
 * nothing yet, writes the demo data set as Partner Center files and loads them through the ETL,
 * exactly as a partner's own files would go, with progress by file and rows on stderr; then serves
 * the GraphQL gateway and prints where it is, bearer tokens and three commands to try.
 */
export const startCommand = defineCommand('start', (command) => {
  command
    .summary('create the warehouse, load the demo data when it is empty, serve GraphQL on PI_PORT')
    .description(
      'Open (or create) the warehouse (PI_DB); when it holds nothing yet, write the demo data set as Partner Center files ' +
        '(PI_DEMO_DIR, PI_DEMO_SEED) and load them through the ETL, with progress on stderr (one line on a terminal, a line ' +
        'every 5 s otherwise); then serve the GraphQL gateway on PI_PORT until SIGTERM/SIGINT and print its URLs, demo tokens ' +
        'and commands to try. Logs: human lines on a terminal, JSON lines otherwise (PI_LOG_FORMAT=json|pretty).',
    )
    .usage('[--no-demo] [--demo-customers <n>] [--demo-months <n>] [--demo-usage-rows <n>]')
    .option('--no-demo', 'do not load the demo data into an empty warehouse')
    .option('--demo-customers <n>', 'a smaller or larger demo: customers a partner (default: the generator\'s, 300)', wholeNumber('--demo-customers'))
    .option('--demo-months <n>', 'months of demo history (default: the generator\'s, 15)', wholeNumber('--demo-months'))
    .option('--demo-usage-rows <n>', 'daily usage rows of the demo over all files (default: what its Azure estates produce)', wholeNumber('--demo-usage-rows'));
  return async (options: StartFlags) => {
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
      if (options.demo && (await warehouseIsEmpty(db))) await loadDemo(db, options);
      else say(`Using the warehouse at ${db.path}`);
      say('Starting the GraphQL gateway...');
      const server = await startServer({ warehouse: db });
      const partners = await demoPartners(db);
      printReady(server, partners, process.uptime());
      await closeOnSignal(server);
    } finally {
      db.close();
    }
  };
});

/** Writes the demo data set beside the warehouse and loads it through the ETL, with progress. */
async function loadDemo(db: Warehouse, options: StartFlags): Promise<void> {
  const { generateDemoData } = await import('../../etl/generate');
  const { formatReasons, formatSummary, formatTotals, listInputFiles, loadFiles } = await import('../../etl/load');
  const { today } = await import('../../warehouse/clock');
  const tty = Boolean(process.stderr.isTTY);
  const out = demoDir(db);
  // The demo history ends yesterday, so that the referral inbox, renewals and trials are
  // current for whoever starts it (`generate` alone keeps its fixed, documented default).
  const asOf = new Date(Date.parse(`${today()}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  say(`Empty warehouse at ${db.path}: writing the demo data set (history to ${asOf}) to ${out}`);

  let step = 'starting';
  const writeStarted = Date.now();
  const writing = new LiveLine((ms) => `Writing the demo data set: ${step}, ${elapsed(ms)}`, { tty });
  let summary: Awaited<ReturnType<typeof generateDemoData>>;
  try {
    summary = await generateDemoData({
      out,
      seed: Number(process.env.PI_DEMO_SEED ?? 7),
      asOf,
      customers: options.demoCustomers,
      months: options.demoMonths,
      usageRows: options.demoUsageRows,
      log: (message) => {
        step = message;
        writing.update();
      },
    });
  } finally {
    writing.stop();
  }
  const generatedRows = Object.values(summary.rowsByFormat).reduce((n, rows) => n + rows, 0);
  say(`Wrote ${summary.files.length.toLocaleString('en-US')} files (${generatedRows.toLocaleString('en-US')} rows) in ${elapsed(Date.now() - writeStarted)}`);

  const files = await listInputFiles([out]);
  say(
    `Loading ${files.length.toLocaleString('en-US')} files through the ETL, one transaction each; the Insights cubes and PCI rollups are rebuilt once at the end` +
      (tty ? '' : ' (progress every 5 s on stderr)'),
  );
  const loadStarted = Date.now();
  const progress = new BatchProgress('Loading the demo', files.length, out, { tty });
  progress.show();
  let results: LoadResult[];
  try {
    results = await loadFiles(db, files, {
      onProgress: (p) => progress.file(p),
      onResult: (r) => {
        progress.done(r.rowsLoaded);
        // A notice or a refusal is worth a line of its own; the loaded files are the progress line's.
        if (r.status === 'rejected' || r.notice || r.rowsQuarantined > 0) {
          progress.clear();
          if (r.notice) say(`${r.fileName}: ${r.notice}`);
          say(formatSummary(r));
          for (const line of formatReasons(r)) say(`  ${line}`);
        }
        if (progress.filesDone === files.length && files.length > 1) progress.step('rebuilding the Insights cubes and PCI rollups');
      },
    });
  } finally {
    progress.stop();
  }
  say(`Loaded through the ETL in ${elapsed(Date.now() - loadStarted)}: ${formatTotals(results)}`);
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length) throw new Error(`${failed.length} demo file(s) were rejected; see the messages above`);
  const { setDemoBudgets } = await import('../../etl/generate/demo-budgets');
  const { now } = await import('../../warehouse/clock');
  const budgets = await setDemoBudgets(db, now());
  say(`Set monthly Azure spending budgets for ${budgets.budgets} customers (${budgets.alerts} at 80% or more of theirs this month: budgetAlerts)`);
}

/** The warehouse's partners with a Global admin token each (for the commands to try). */
async function demoPartners(db: Warehouse): Promise<DemoPartner[]> {
  const rows = await db.all<{ partner_id: string; name: string; partner_type: string; first_location: string }>(
    `SELECT p.partner_id, p.name, p.partner_type, min(l.mpn_id) AS first_location
     FROM partners p LEFT JOIN locations l USING (partner_id)
     GROUP BY ALL ORDER BY p.name`,
  );
  const { loadAuthConfig, mintToken } = await import('../../gateway/auth');
  const auth = loadAuthConfig();
  const partners: DemoPartner[] = [];
  for (const p of rows) {
    const tokens: DemoPartner['tokens'] = [];
    for (const demo of DEMO_ROLES) {
      const locations = demo.firstLocationOnly && p.first_location ? [p.first_location] : undefined;
      const token = await mintToken(auth, { partner: p.partner_id, roles: demo.roles, locations, sub: 'demo' }, '30d');
      tokens.push({ label: `${demo.label}${locations ? ` (${locations[0]})` : ''}`, token });
    }
    partners.push({ id: p.partner_id, name: p.name, type: p.partner_type, tokens });
  }
  return partners;
}

/** The GraphQL query of the first command to try: the partner and its first customers. */
const TRY_QUERY = '{ partner { name } customers(first: 3) { totalCount edges { node { companyName } } } }';

/**
 * The closing block, once the server listens: where the IDE and the landing page are, the demo
 * tokens, and three commands that answer with data (each one line, ready to paste; `PI_DB=...` in
 * front of the CLI's when the warehouse is not the default one, so that they find this server).
 */
export function readyBlock(
  server: { url: string; graphqlUrl: string },
  partners: readonly DemoPartner[],
  seconds: number,
  env: NodeJS.ProcessEnv = process.env,
): string {
  const lines: string[] = ['', `GraphQL ready at ${server.graphqlUrl} in ${seconds.toFixed(1)} s`];
  lines.push(`  GraphQL IDE:   ${server.graphqlUrl}   (open it in a browser; paste a token below into its bar)`);
  lines.push(`  Landing page:  ${server.url}/`);
  if (!partners.length) {
    lines.push('', 'The warehouse holds no partner yet: load Partner Center files with `npx partner-insights load <file|dir>`.');
    return `${lines.join('\n')}\n`;
  }
  lines.push('', 'Bearer tokens (valid 30 days; send one as "Authorization: Bearer <token>"):');
  for (const p of partners) {
    lines.push('', `${p.name} (${p.type}, partner ${p.id})`);
    for (const t of p.tokens) lines.push(`  ${t.label}:`, `    ${t.token}`);
  }
  const first = partners[0];
  const cli = `${env.PI_DB ? `PI_DB=${quote(resolve(env.PI_DB))} ` : ''}npx partner-insights`;
  const body = JSON.stringify({ query: TRY_QUERY });
  lines.push(
    '',
    'Try (each answers with data on the demo):',
    `  1. GraphQL as ${first.name}'s Global admin: the partner and its first customers`,
    `    curl -s ${server.graphqlUrl} -H 'authorization: Bearer ${first.tokens[0].token}' -H 'content-type: application/json' -d '${body}'`,
    '  2. What the warehouse holds: rows per table, the loads, quarantined rows',
    `    ${cli} status`,
    `  3. A Download reports report for BI tools: ${first.name}'s customers as CSV, written to ./customer-details.csv`,
    `    ${cli} export customer-details --partner ${quote(first.id)} --out customer-details.csv`,
    '',
    'Stop with Ctrl+C.',
  );
  return `${lines.join('\n')}\n`;
}

function printReady(server: { url: string; graphqlUrl: string }, partners: readonly DemoPartner[], seconds: number): void {
  process.stdout.write(readyBlock(server, partners, seconds));
}
