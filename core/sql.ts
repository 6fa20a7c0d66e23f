import type { DuckDBValue } from '@duckdb/node-api';

export type SqlParams = DuckDBValue[] | Record<string, DuckDBValue>;
/** A result row with JSON-safe values: DECIMAL and BIGINT as strings, dates as ISO strings. */
export type Row = Record<string, unknown>;

/** Something SQL can be sent to: the warehouse itself or a transaction on it (warehouse/db.ts). */
export interface SqlRunner {
  run(sql: string, params?: SqlParams): Promise<void>;
  all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]>;
}

/**
 * SQL as a tagged template: interpolated values become parameters ($1, $2, ...), interpolated `Sql`
 * fragments are spliced in. Identifiers and keywords never come from users: pass them with
 * `sql.raw` from constants only.
 *
 *   const where = sql`c.country = ${country}`;
 *   await query(db, sql`SELECT * FROM customers c WHERE ${scope(caller, 'c', 'c.mpn_id')} AND ${where}`);
 */
export class Sql {
  constructor(
    readonly parts: readonly string[],
    readonly values: readonly DuckDBValue[],
  ) {}

  /** The statement text with $n placeholders and its parameters. */
  toQuery(): { text: string; params: DuckDBValue[] } {
    let text = this.parts[0];
    for (let i = 0; i < this.values.length; i++) text += `$${i + 1}${this.parts[i + 1]}`;
    return { text, params: [...this.values] };
  }
}

export type SqlValue = DuckDBValue | Sql;

export function sql(strings: TemplateStringsArray, ...values: SqlValue[]): Sql {
  const parts: string[] = [strings[0]];
  const params: DuckDBValue[] = [];
  values.forEach((value, i) => {
    if (value instanceof Sql) {
      parts[parts.length - 1] += value.parts[0];
      for (let j = 0; j < value.values.length; j++) {
        params.push(value.values[j]);
        parts.push(value.parts[j + 1]);
      }
      parts[parts.length - 1] += strings[i + 1];
    } else {
      params.push(value === undefined ? null : value);
      parts.push(strings[i + 1]);
    }
  });
  return new Sql(parts, params);
}

/** Trusted SQL text (identifiers, keywords) from constants. Never user input. */
sql.raw = (text: string): Sql => new Sql([text], []);

/** Fragments joined by a separator: sql.join(conditions, ' AND '). */
sql.join = (fragments: readonly Sql[], separator: string): Sql => {
  if (fragments.length === 0) return sql.raw('');
  return fragments.slice(1).reduce((acc, f) => sql`${acc}${sql.raw(separator)}${f}`, fragments[0]);
};

/** `(v1, v2, ...)` for IN; an empty list gives `(NULL)`, which matches nothing. */
sql.list = (values: readonly DuckDBValue[]): Sql =>
  values.length === 0 ? sql.raw('(NULL)') : sql`(${sql.join(values.map((v) => sql`${v}`), ', ')})`;

/** Conditions joined by AND; TRUE when there are none. */
sql.and = (conditions: readonly (Sql | null | undefined | false)[]): Sql => {
  const present = conditions.filter((c): c is Sql => c instanceof Sql);
  return present.length ? sql.join(present.map((c) => sql`(${c})`), ' AND ') : sql.raw('TRUE');
};

/** Runs a query and returns its JSON-safe rows (DECIMAL/BIGINT as strings, dates as ISO strings). */
export function query<T extends Row = Row>(db: SqlRunner, statement: Sql): Promise<T[]> {
  const { text, params } = statement.toQuery();
  return db.all<T>(text, params);
}

/** SQL expression that renders a TIMESTAMP column as an RFC 3339 UTC string (GraphQL's DateTime). */
export function isoTimestamp(column: string): string {
  return `strftime(${column}, '%Y-%m-%dT%H:%M:%SZ')`;
}
