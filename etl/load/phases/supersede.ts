import type { SqlRunner } from '../../../core/sql';
import { ident, lit } from '../sql';
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
  const prefilter = await firstKeyFilter(tx, load);
  if (prefilter === null) return { rowsReplaced: 0, superseded: [] };
  const replaced = `FROM ${table} t WHERE (t.load_id IS NULL OR t.load_id <> ${loadId}) ${prefilter}
          AND EXISTS (SELECT 1 FROM (SELECT DISTINCT ${keys} FROM ${table} WHERE load_id = ${loadId}) n WHERE ${on})`;
  const byLoad = await tx.all<{ load_id: string | null; n: string }>(`SELECT t.load_id, count(*) AS n ${replaced} GROUP BY t.load_id`);
  const rowsReplaced = byLoad.reduce((acc, r) => acc + Number(r.n), 0);
  if (!(rowsReplaced > 0)) return { rowsReplaced, superseded: [] };
  if (format.keepKnown) await keepKnownValues(tx, load);
  await tx.run(`DELETE ${replaced}`);
  const touched = byLoad.filter((r) => r.load_id !== null).map((r) => Number(r.load_id));
  return { rowsReplaced, superseded: await markSuperseded(tx, load, touched, fileName) };
}

/**
 * The new rows' values of the first replaceBy key as a constant IN list (`AND t.key IN (...)`), so
 * that DuckDB skips the row groups of a large table that cannot hold them (a day of usage replaces
 * nothing of 10 million lines, and reading their invoice numbers cost seconds beside live queries);
 * '' when the values are too many to list (the EXISTS alone decides), null when no new row has a
 * value (nothing can match: `=` never matches NULL).
 */
async function firstKeyFilter(tx: SqlRunner, load: PreparedLoad): Promise<string | null> {
  const key = ident(load.format.replaceBy[0]);
  const values = await tx.all<{ v: string }>(
    `SELECT DISTINCT CAST(${key} AS VARCHAR) AS v FROM ${load.table} WHERE load_id = ${load.loadId} AND ${key} IS NOT NULL LIMIT 1001`,
  );
  if (!values.length) return null;
  if (values.length > 1000) return '';
  // Literals, not a cast column: DuckDB casts them to the column's type and can skip row groups.
  return `AND t.${key} IN (${values.map((r) => lit(r.v)).join(', ')})`;
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

/**
 * A file that carries only part of an entity (keepKnown: Partner Center's four-column customer
 * export, five-column subscription export) does not blank what is known: before the earlier rows
 * go, each new row's NULL columns take the value of the latest earlier row with the same key.
 */
async function keepKnownValues(tx: SqlRunner, load: PreparedLoad): Promise<void> {
  const { format, table, loadId } = load;
  const keys = new Set([...format.replaceBy, 'load_id']);
  const columns = (
    await tx.all<{ column_name: string }>(
      `SELECT column_name FROM duckdb_columns() WHERE table_name = $1 AND schema_name = 'main' AND NOT internal ORDER BY column_index`,
      [format.table],
    )
  )
    .map((c) => c.column_name)
    .filter((c) => !keys.has(c));
  if (!columns.length) return;
  const on = format.replaceBy.map((k) => `n.${ident(k)} = o.${ident(k)}`).join(' AND ');
  const keyList = format.replaceBy.map(ident).join(', ');
  await tx.run(
    `UPDATE ${table} n SET ${columns.map((c) => `${ident(c)} = coalesce(n.${ident(c)}, o.${ident(c)})`).join(', ')}
     FROM (
       SELECT * FROM ${table} WHERE load_id IS DISTINCT FROM ${loadId}
       QUALIFY row_number() OVER (PARTITION BY ${keyList} ORDER BY load_id DESC NULLS LAST) = 1
     ) o
     WHERE n.load_id = ${loadId} AND ${on}`,
  );
}
