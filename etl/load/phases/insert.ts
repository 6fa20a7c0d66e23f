import type { DuckDBConnection } from '@duckdb/node-api';
import type { SqlRunner } from '../../../core/sql';
import { stageJson } from '../json';
import { aliases, type PreparedLoad } from './mapping';
import type { LoadRun } from './run';

/**
 * One pass: DuckDB parses and types every row into the table; rows with values that do not parse
 * are kept out and listed in pi_reject_errors (line, column, csv_line, error). Returns the rows inserted.
 * JSON line items are first staged as text by DuckDB (json.ts), which lists the values that do not cast.
 */
export async function insertRows(tx: SqlRunner, run: LoadRun, load: PreparedLoad): Promise<number> {
  const stopWatching = await watchReading(tx, run);
  try {
    run.progress('reading', 0);
    const { file } = load;
    if (file.json) await stageJson(tx, run.path, file.json, file.match, file.plan);
    const selects = [...aliases(load.mapping), `${load.loadId}`];
    const rows = await tx.all<{ Count: string }>(
      `INSERT INTO ${load.table} (${load.targetColumns.join(', ')})
       SELECT ${selects.join(', ')} FROM ${load.read({ store_rejects: true, rejects_table: 'pi_reject_errors', rejects_scan: 'pi_reject_scans' })}`,
    );
    return Number(rows[0]?.Count ?? 0);
  } finally {
    stopWatching();
  }
}

/** Reports DuckDB's query progress as 'reading' every 250 ms when someone listens; returns the stop. */
async function watchReading(tx: SqlRunner, run: LoadRun): Promise<() => void> {
  const connection = connectionOf(tx);
  if (!connection || !run.options.onProgress) return () => undefined;
  await tx.run(`SET enable_progress_bar = true`);
  await tx.run(`SET enable_progress_bar_print = false`);
  const timer = setInterval(() => {
    const p = connection.progress;
    if (p && p.percentage >= 0) run.progress('reading', Math.min(1, p.percentage / 100));
  }, 250);
  return () => clearInterval(timer);
}

/** The DuckDB connection under a transaction runner, for its query progress; undefined if not reachable. */
function connectionOf(runner: SqlRunner): DuckDBConnection | undefined {
  const connection = (runner as unknown as { connection?: DuckDBConnection }).connection;
  return connection && typeof connection === 'object' && 'progress' in connection ? connection : undefined;
}
