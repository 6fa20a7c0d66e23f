import type { SyncProgress } from '../../etl/sync/run';
import type { SyncRunRow, SyncUnitRow } from '../../warehouse/sync/runs';
import { defineCommand, type ActionResult } from '../command';
import { EXIT } from '../exit-codes';
import { findOwner, OwnerClient } from '../remote';

/** A sync with its units, as GET /ingest/syncs/<id> answers (gateway/sync-routes.ts). */
type SyncView = SyncRunRow & { units: SyncUnitRow[] };

const REGISTRATION = `
Register the application once (Microsoft Entra admin center, as a Global admin of the partner tenant):
  1. App registrations > New registration: a single-tenant application. Its Application (client) ID
     is PI_PC_CLIENT_ID; the Directory (tenant) ID, the partner's tenant, is PI_PC_TENANT_ID.
  2. Certificates & secrets: a client secret (PI_PC_CLIENT_SECRET), or upload a certificate and give
     its PEM file with the private key (PI_PC_CLIENT_CERTIFICATE).
  3. API permissions, each with admin consent:
     - Microsoft Partner Center (Partner Center API): user_impersonation; then in Partner Center,
       Account settings > App management, add the application as a Web app (app-only access).
     - Microsoft Graph, application permission PartnerBilling.Read.All (billed and unbilled
       reconciliation and usage exports).
     - Referrals: the Partner Center Referrals API (api.partner.microsoft.com) for the application.
  The sync reads only: customers, subscriptions, indirect resellers, referrals, invoices and their
  line items, and customers' Azure spending budgets. The only write to Partner Center is a
  customer's budget, when a user sets it (setCustomerBudget) on a server that syncs the partner.
  The secret is never logged.`;

/**
 * `partner-insights sync`: pulls the partner's customers, subscriptions, resellers, referrals,
 * invoices, line items and customers' Azure spending budgets from Partner Center and Microsoft Graph into the warehouse (etl/sync).
 * While a server owns the warehouse, the server runs it (POST /ingest/syncs) and this follows its
 * progress; otherwise it runs here. Exits 1 when a unit failed (it is fetched again next time).
 */
export const syncCommand = defineCommand('sync', (command) => {
  command
    .summary('pull customers, subscriptions, referrals, invoices, line items and budgets from Partner Center')
    .description(
      'Pull the partner’s data from the Partner Center API and Microsoft Graph into the warehouse (PI_DB), through the same loader as files. ' +
        'A second sync fetches no invoice it already holds and changes nothing; a unit that fails (an export that failed, a blob that does not ' +
        'decompress) is reported with the invoice number and fetched again by the next sync. While a server owns the warehouse the server runs ' +
        'the sync and this follows it. Exits 1 when a unit failed.',
    )
    .option('--json', 'print the sync with its units as JSON at the end')
    .option('--progress', 'print each unit on stderr as it ends (default: on)')
    .option('--no-progress', 'no progress')
    .addHelpText('after', () => {
      // Only for --help: the client's module is not loaded otherwise.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { SETTINGS_HELP } = require('../../etl/sync/client/settings') as typeof import('../../etl/sync/client/settings');
      const all = [...SETTINGS_HELP, { name: 'PI_SYNC_INTERVAL', meaning: 'the server syncs by itself this often: "30m", "6h", "1d"', default: 'off' }];
      const width = Math.max(...all.map((s) => s.name.length));
      const settings = all.map((s) => `  ${s.name.padEnd(width)}  ${s.meaning}${s.default !== undefined ? ` (default ${s.default})` : ''}`);
      return `\nSettings (environment):\n${settings.join('\n')}\n${REGISTRATION}`;
    });
  return async (options: { json?: boolean; progress?: boolean }) => {
    const showProgress = options.progress ?? true;
    const owner = await findOwner();
    const run = owner ? await syncThroughOwner(new OwnerClient(owner), owner.url, showProgress) : await syncHere(showProgress);
    printEnd(run, Boolean(options.json));
    return run.state === 'SUCCEEDED' ? EXIT.OK : EXIT.FAILURE;
  };
});

/** No server owns the warehouse: open it and sync here, through a queue of this process. */
async function syncHere(showProgress: boolean): Promise<SyncView> {
  const { openWarehouse } = await import('../../warehouse/open');
  const { ingestionQueue } = await import('../../etl/ingest/queue');
  const { SyncService } = await import('../../etl/sync/service');
  const { syncRunWithUnits } = await import('../../warehouse/sync/runs');
  const db = await openWarehouse();
  try {
    const queue = ingestionQueue(db);
    await queue.start();
    const syncs = new SyncService(db, queue);
    await syncs.start();
    if (showProgress) syncs.onProgress(printProgress());
    const { id } = await syncs.request({ requestedBy: process.env.USER ?? null, trigger: 'cli' });
    await syncs.finished(id);
    await queue.close();
    return (await syncRunWithUnits(db, id))!;
  } finally {
    db.close();
  }
}

const POLL_MS = 500;

/** A server owns the warehouse: it runs the sync; print its units as they end. */
async function syncThroughOwner(client: OwnerClient, url: string, showProgress: boolean): Promise<SyncView> {
  process.stderr.write(`partner-insights sync: the warehouse is served at ${url}: the server runs the sync\n`);
  let run = await client.json<SyncView>('POST', '/ingest/syncs');
  let printed = 0;
  for (;;) {
    for (; printed < run.units.length; printed++) if (showProgress) process.stderr.write(`${unitLine(run.units[printed])}\n`);
    if (run.state === 'SUCCEEDED' || run.state === 'FAILED') return run;
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    run = await client.json<SyncView>('GET', `/ingest/syncs/${encodeURIComponent(run.id)}`);
  }
}

/** Progress on stderr: each phase once, each unit as it ends. */
function printProgress(): (p: SyncProgress) => void {
  let phase = '';
  return (p) => {
    if (p.unit) process.stderr.write(`${unitLine({ ...p.unit, key: p.unit.key, rowsLoaded: p.unit.rowsLoaded ?? 0, message: p.unit.message ?? null })}\n`);
    else if (p.phase !== phase) process.stderr.write(`${p.phase}... (${p.requests} requests, ${(p.bytesDownloaded / 1e6).toFixed(1)} MB)\n`);
    phase = p.phase;
  };
}

function unitLine(u: Pick<SyncUnitRow, 'kind' | 'key' | 'state' | 'rowsLoaded' | 'message'>): string {
  const rows = u.state === 'LOADED' ? `: ${u.rowsLoaded} rows` : '';
  return `  ${u.kind} ${u.key} ${u.state}${rows}${u.message ? ` (${u.message})` : ''}`;
}

function printEnd(run: SyncView, json: boolean): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(run, null, 2)}\n`);
    return;
  }
  const took = run.startedAt && run.finishedAt ? ` in ${((Date.parse(run.finishedAt) - Date.parse(run.startedAt)) / 1000).toFixed(1)} s` : '';
  process.stdout.write(
    `sync ${run.id} ${run.state}${took}: ${run.unitsDone} unit(s) loaded, ${run.unitsSkipped} unchanged, ${run.unitsFailed} failed; ` +
      `${run.rowsLoaded} rows; ${run.requests} requests, ${(run.bytesDownloaded / 1e6).toFixed(1)} MB downloaded\n`,
  );
  if (run.error) process.stdout.write(`  ${run.error}\n`);
}
