import type { SqlRunner } from '../../core/sql';
import type { ColumnSpec } from '../formats';
import type { FormatMatch } from './detect';

/**
 * Column types come from the warehouse: the migrations declare them once (warehouse/migrations) and a
 * format only names the column a header lands in. The loader reads a table's types when it plans a
 * read, so a file is read as whatever the warehouse it loads into holds.
 */

/** A format column with the DuckDB type of its warehouse column (information_schema: VARCHAR, DECIMAL(18,6), DATE...). */
export interface TypedColumn extends ColumnSpec {
  sqlType: string;
}

/** Money and quantities: DECIMAL in the warehouse, never floating point. */
export const isDecimal = (c: TypedColumn | undefined): boolean => Boolean(c?.sqlType.startsWith('DECIMAL'));

/** A format match whose file columns carry their warehouse types. */
export interface TypedMatch extends FormatMatch {
  fileColumns: (TypedColumn | undefined)[];
}

/** Per warehouse (a schema only changes through migrations, at open), per table: column name to type. */
const cache = new WeakMap<SqlRunner, Map<string, Promise<ReadonlyMap<string, string>>>>();

/** The columns of a warehouse table and their DuckDB types, read once per warehouse and table. */
export function tableColumnTypes(db: SqlRunner, table: string): Promise<ReadonlyMap<string, string>> {
  const tables = cache.get(db) ?? new Map<string, Promise<ReadonlyMap<string, string>>>();
  cache.set(db, tables);
  let types = tables.get(table);
  if (!types) {
    types = readColumnTypes(db, table);
    tables.set(table, types);
    types.catch(() => tables.delete(table));
  }
  return types;
}

async function readColumnTypes(db: SqlRunner, table: string): Promise<ReadonlyMap<string, string>> {
  const rows = await db.all<{ column_name: string; data_type: string }>(
    `SELECT column_name, data_type FROM information_schema.columns
     WHERE table_catalog = current_database() AND table_schema = 'main' AND table_name = $1`,
    [table],
  );
  return new Map(rows.map((r) => [r.column_name, r.data_type]));
}

/** The match with each matched file column's warehouse type; a column the table lacks is a programming error. */
export async function typeColumns(db: SqlRunner, match: FormatMatch): Promise<TypedMatch> {
  const { format } = match;
  const types = await tableColumnTypes(db, format.table);
  const fileColumns = match.fileColumns.map((spec) => {
    if (!spec) return undefined;
    const sqlType = types.get(spec.column);
    if (!sqlType) throw new Error(`format ${format.name}: the warehouse has no column ${format.table}.${spec.column}`);
    return { ...spec, sqlType };
  });
  return { ...match, fileColumns };
}
