import type { Caller } from '../../core/caller';
import { inCallerLocations, scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';

/** An indirect reseller of an indirect provider. */
export interface ResellerRow {
  mpnId: string;
  name: string | null;
  country: string | null;
  status: string | null;
  relationshipStartDate: string | null;
}

const RESELLER_COLUMNS = sql`r.reseller_mpn_id AS "mpnId", r.name, r.country, r.status, r.relationship_start_date AS "relationshipStartDate"`;

/**
 * Resellers belong to no location; a location-scoped caller sees the resellers of the customers
 * of their locations.
 */
export function resellerScope(caller: Caller): Sql {
  return sql`${scope(caller, 'r', null)} AND ${inCallerLocations(
    caller,
    (mpnIds) => sql`EXISTS (SELECT 1 FROM customers x WHERE x.partner_id = r.partner_id
      AND x.reseller_mpn_id = r.reseller_mpn_id AND x.mpn_id IN ${mpnIds})`,
  )}`;
}

export function resellerListQuery(
  caller: Caller,
  filter: { search?: string | null; status?: string | null } = {},
): { select: Sql; from: Sql; orderBy: Sql } {
  const search = filter.search?.trim().toLowerCase();
  const where = sql.and([
    resellerScope(caller),
    search ? sql`contains(lower(r.name), ${search}) OR r.reseller_mpn_id = ${search}` : null,
    filter.status ? sql`r.status = ${filter.status}` : null,
  ]);
  return { select: RESELLER_COLUMNS, from: sql`resellers r WHERE ${where}`, orderBy: sql`lower(r.name), r.reseller_mpn_id` };
}

export function resellersByMpnIds(db: SqlRunner, caller: Caller, mpnIds: readonly string[]): Promise<ResellerRow[]> {
  return query<ResellerRow & Record<string, unknown>>(
    db,
    sql`SELECT ${RESELLER_COLUMNS} FROM resellers r WHERE ${resellerScope(caller)} AND r.reseller_mpn_id IN ${sql.list(mpnIds)}`,
  );
}
