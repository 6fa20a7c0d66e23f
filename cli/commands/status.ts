import type { WarehouseStatus } from '../../etl/load';
import { defineCommand } from '../command';
import { EXIT } from '../exit-codes';
import { wholeNumber } from '../options';
import { findOwner, OwnerClient } from '../remote';

/**
 * `partner-insights status`: rows per warehouse table, loads by status and the last loads, and the
 * quarantined rows (file, line, column, value, reason). `--json` prints
 * `{ path, tables, loads: { total, byStatus, last }, quarantined, quarantine }`. While a server owns
 * the warehouse, its GET /ingest/status answers the same.
 */
export const statusCommand = defineCommand('status', (command) => {
  command
    .summary('show rows per table, recent loads and quarantined rows')
    .description('Show the warehouse (PI_DB): rows per table, loads by status and the last loads, and the quarantined rows (file, line, column, value, reason).')
    .option('--json', 'print { path, tables, loads: { total, byStatus, last }, quarantined, quarantine } as JSON')
    .option('--limit <n>', 'how many of the last loads and quarantined rows to show', wholeNumber('--limit'), 20);
  return async (options: { json?: boolean; limit: number }) => {
    const { json, limit } = options;
    const owner = await findOwner();
    if (owner) {
      // A server owns the warehouse: its status route answers what a status here would print.
      const status = await new OwnerClient(owner).json<StatusJson>('GET', `/ingest/status?limit=${limit}`);
      printStatus(status, json);
      return EXIT.OK;
    }
    const { openWarehouse } = await import('../../warehouse/open');
    const { warehouseStatus } = await import('../../etl/load');
    const db = await openWarehouse();
    try {
      printStatus({ path: db.path, ...(await warehouseStatus(db, { limit })) }, json);
      return EXIT.OK;
    } finally {
      db.close();
    }
  };
});

type StatusJson = WarehouseStatus & { path: string };

/** `status` output: the JSON as is, or the tables, loads and quarantined rows as text. */
function printStatus(s: StatusJson, json: boolean | undefined): void {
  if (json) {
    process.stdout.write(`${JSON.stringify(s, null, 2)}\n`);
    return;
  }
  const out: string[] = [`Warehouse ${s.path}`, '', 'Tables (rows):'];
  const width = Math.max(0, ...Object.keys(s.tables).map((t) => t.length));
  for (const [t, rows] of Object.entries(s.tables)) out.push(`  ${t.padEnd(width)}  ${rows.toLocaleString('en-US').padStart(12)}`);
  const statuses = Object.entries(s.loads.byStatus).map(([k, v]) => `${v} ${k}`);
  out.push('', `Loads: ${s.loads.total}${statuses.length ? ` (${statuses.join(', ')})` : ''}`);
  for (const l of s.loads.last) {
    const rows = l.status === 'loaded' || l.status === 'superseded' ? `${l.rows_loaded} rows, ${l.rows_quarantined} quarantined, ${l.rows_replaced} replaced` : l.message ?? '';
    out.push(`  #${l.load_id} ${l.finished_at ?? l.started_at} ${l.status.padEnd(10)} ${l.file_name} (${l.file_format ?? '?'}): ${rows}`);
  }
  out.push('', `Load jobs of the server (latest ${s.jobs.length}):`);
  for (const j of s.jobs) {
    const what = j.state === 'FAILED' ? j.error ?? '' : `${j.file_count} file(s), ${j.rows_loaded} rows, ${j.rows_quarantined} quarantined`;
    out.push(`  ${j.job_id} ${j.finished_at ?? j.created_at} ${j.state.padEnd(9)} partner ${j.partner_id}: ${what}`);
  }
  out.push('', `Quarantined rows: ${s.quarantined}${s.quarantined > s.quarantine.length ? ` (latest ${s.quarantine.length} shown; --limit)` : ''}`);
  for (const q of s.quarantine) {
    const where = [q.line_number !== null ? `line ${q.line_number}` : undefined, q.column_name ?? undefined].filter(Boolean).join(', ');
    out.push(`  ${q.file_name}${where ? ` ${where}` : ''}${q.value !== null ? ` value '${q.value}'` : ''}: ${q.reason}`);
  }
  process.stdout.write(`${out.join('\n')}\n`);
}
