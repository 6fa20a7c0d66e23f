/** Small helpers for building the loader's SQL text. Values that come from files never go in unquoted. */

/** A SQL string literal. */
export function lit(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A quoted SQL identifier. */
export function ident(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `read_csv` named parameters as SQL text: strings quoted, booleans and numbers as they are. */
export function namedParams(params: Record<string, string | number | boolean | undefined>): string {
  return Object.entries(params)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? lit(v) : String(v)}`)
    .join(', ');
}

/** A DuckDB STRUCT literal of column names to types, for read_csv's `columns`. */
export function columnsParam(columns: readonly { name: string; type: string }[]): string {
  return `{${columns.map((c) => `${lit(c.name)}: ${lit(c.type)}`).join(', ')}}`;
}
