import type { Caller } from '../../core/caller';
import { hasPermission } from '../../core/permissions';
import { query, sql, type Sql, type SqlRunner } from '../../core/sql';
import { NODE_SOURCES } from './sources';

/** An object found by its id: its GraphQL type and id, what the gateway needs to fetch its fields. */
export interface NodeRow {
  typename: string;
  id: string;
}

/**
 * The statement that finds ids among every Node type the caller's roles may read: one UNION ALL,
 * each part scoped to the caller (NODE_SOURCES). `ids` null: every id the caller may see (the
 * collision check of the tests). Null when the caller may read no type at all.
 */
export function nodeLookup(caller: Caller, ids: readonly string[] | null): Sql | null {
  const parts = NODE_SOURCES.filter((s) => s.permission === null || hasPermission(caller, s.permission))
    .map((s) => s.select(caller, ids))
    .filter((part): part is Sql => part !== null);
  if (!parts.length) return null;
  return sql`SELECT DISTINCT n.typename, n.id FROM (${sql.join(parts, ' UNION ALL ')}) n ORDER BY n.id, n.typename`;
}

/** The objects with these ids the caller may see, one row per (type, id): ONE statement. */
export async function nodesByIds(db: SqlRunner, caller: Caller, ids: readonly string[]): Promise<NodeRow[]> {
  const statement = ids.length ? nodeLookup(caller, ids) : null;
  return statement ? query<NodeRow & Record<string, unknown>>(db, statement) : [];
}
