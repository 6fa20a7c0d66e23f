import type { SqlRunner } from '../../../core/sql';
import { ident } from '../sql';
import type { PreparedLoad } from './mapping';

export interface Replacement {
  /** Rows of earlier loads deleted. */
  rowsReplaced: number;
  /** Earlier loads none of whose rows remain. */
  superseded: number[];
}

/**
 * A corrected file replaces an earlier one: rows of other loads with the same replaceBy keys as the
 * new rows (an invoice, an entity, a month) are deleted, and a load none of whose rows remain
 * becomes 'superseded'.
 */
export async function replaceEarlierLoads(tx: SqlRunner, load: PreparedLoad, fileName: string): Promise<Replacement> {
  const { format, table, loadId } = load;
  if (!format.replaceBy.length) return { rowsReplaced: 0, superseded: [] };
  const on = format.replaceBy.map((k) => `n.${ident(k)} = t.${ident(k)}`).join(' AND ');
  const keys = format.replaceBy.map(ident).join(', ');
  const replaced = `FROM ${table} t WHERE (t.load_id IS NULL OR t.load_id <> ${loadId})
          AND EXISTS (SELECT 1 FROM (SELECT DISTINCT ${keys} FROM ${table} WHERE load_id = ${loadId}) n WHERE ${on})`;
  const byLoad = await tx.all<{ load_id: string | null; n: string }>(`SELECT t.load_id, count(*) AS n ${replaced} GROUP BY t.load_id`);
  const rowsReplaced = byLoad.reduce((acc, r) => acc + Number(r.n), 0);
  if (!(rowsReplaced > 0)) return { rowsReplaced, superseded: [] };
  await tx.run(`DELETE ${replaced}`);
  const touched = byLoad.filter((r) => r.load_id !== null).map((r) => Number(r.load_id));
  return { rowsReplaced, superseded: await markSuperseded(tx, load, touched, fileName) };
}

/** Marks the touched loads that have no row left in the table as superseded by this one; returns them. */
async function markSuperseded(tx: SqlRunner, load: PreparedLoad, touched: number[], fileName: string): Promise<number[]> {
  if (!touched.length) return [];
  const left = new Set(
    (await tx.all<{ load_id: string }>(`SELECT DISTINCT load_id FROM ${load.table} WHERE load_id IN (${touched.join(', ')})`)).map((r) => Number(r.load_id)),
  );
  const superseded = touched.filter((id) => !left.has(id));
  if (superseded.length) {
    await tx.run(
      `UPDATE etl_loads SET status = 'superseded', message = $1 WHERE load_id IN (${superseded.join(', ')}) AND status = 'loaded'`,
      [`all rows replaced by load ${load.loadId} (${fileName})`],
    );
  }
  return superseded;
}
