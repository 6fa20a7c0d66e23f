import { openWarehouse } from '../../warehouse/open';
import type { Command } from '../command';
import { Warehouse } from '../../warehouse/db';
import { warehouseStatus } from '../../etl/load';

const USAGE = 'status [--json] [--limit <n>]';

/**
 * `partner-insights status`: rows per warehouse table, loads by status and the last loads, and the
 * quarantined rows (file, line, column, value, reason). `--json` prints
 * `{ tables, loads: { total, byStatus, last }, quarantined, quarantine }`.
 */
export const statusCommand: Command = {
  name: 'status',
  usage: USAGE,
  summary: 'show rows per table, recent loads and quarantined rows',
  async run(args) {
    let json = false;
    let limit = 20;
    for (let i = 0; i < args.length; i++) {
      const a = args[i];
      if (a === '--json') json = true;
      else if (a === '--limit' || a.startsWith('--limit=')) {
        const v = Number(a.includes('=') ? a.slice(8) : args[++i]);
        if (!Number.isInteger(v) || v < 0) {
          process.stderr.write(`partner-insights status: --limit needs a whole number\nusage: partner-insights ${USAGE}\n`);
          return 2;
        }
        limit = v;
      } else {
        process.stderr.write(`partner-insights status: unknown argument ${a}\nusage: partner-insights ${USAGE}\n`);
        return 2;
      }
    }
    const db = await openWarehouse();
    try {
      const s = await warehouseStatus(db, { limit });
      if (json) {
        process.stdout.write(`${JSON.stringify({ path: db.path, ...s }, null, 2)}\n`);
        return 0;
      }
      const out: string[] = [`Warehouse ${db.path}`, '', 'Tables (rows):'];
      const width = Math.max(0, ...Object.keys(s.tables).map((t) => t.length));
      for (const [t, rows] of Object.entries(s.tables)) out.push(`  ${t.padEnd(width)}  ${rows.toLocaleString('en-US').padStart(12)}`);
      const statuses = Object.entries(s.loads.byStatus).map(([k, v]) => `${v} ${k}`);
      out.push('', `Loads: ${s.loads.total}${statuses.length ? ` (${statuses.join(', ')})` : ''}`);
      for (const l of s.loads.last) {
        const rows = l.status === 'loaded' || l.status === 'superseded' ? `${l.rows_loaded} rows, ${l.rows_quarantined} quarantined, ${l.rows_replaced} replaced` : l.message ?? '';
        out.push(`  #${l.load_id} ${l.finished_at ?? l.started_at} ${l.status.padEnd(10)} ${l.file_name} (${l.file_format ?? '?'}): ${rows}`);
      }
      out.push('', `Quarantined rows: ${s.quarantined}${s.quarantined > s.quarantine.length ? ` (latest ${s.quarantine.length} shown; --limit)` : ''}`);
      for (const q of s.quarantine) {
        const where = [q.line_number !== null ? `line ${q.line_number}` : undefined, q.column_name ?? undefined].filter(Boolean).join(', ');
        out.push(`  ${q.file_name}${where ? ` ${where}` : ''}${q.value !== null ? ` value '${q.value}'` : ''}: ${q.reason}`);
      }
      process.stdout.write(`${out.join('\n')}\n`);
      return 0;
    } finally {
      db.close();
    }
  },
};
