import { Sql, sql } from './sql';
import type { Caller } from './caller';

/**
 * Tenant and location scoping: every SQL statement a resolver sends goes through `scope`.
 *
 *   scope(caller, 'c', 'c.mpn_id')
 *     -> c.partner_id = $partner AND c.mpn_id IN ($mpn1, $mpn2)   (location-scoped caller)
 *     -> c.partner_id = $partner                                   (entire organization)
 *
 * `locationColumn` is the column holding the row's location MPN ID. Pass null only for a table that
 * belongs to no location (the partner itself, users, resellers), and say in a comment how
 * location-scoped callers are limited there (see inCallerLocations).
 */
export function scope(caller: Caller, alias: string, locationColumn: string | null): Sql {
  const partner = sql`${sql.raw(alias)}.partner_id = ${caller.partnerId}`;
  if (locationColumn === null || caller.locations === null) return partner;
  return sql`${partner} AND ${sql.raw(locationColumn)} IN ${sql.list(caller.locations)}`;
}

/**
 * A condition limiting rows to the caller's locations, or TRUE for an entire-organization caller.
 * Takes a column, or a function building the condition from the list of MPN IDs, for tables linked
 * to locations only through another table:
 *
 *   inCallerLocations(caller, (mpnIds) => sql`EXISTS (SELECT 1 FROM customers x
 *     WHERE x.partner_id = r.partner_id AND x.reseller_mpn_id = r.reseller_mpn_id AND x.mpn_id IN ${mpnIds})`)
 */
export function inCallerLocations(caller: Caller, column: string | ((mpnIds: Sql) => Sql)): Sql {
  if (caller.locations === null) return sql.raw('TRUE');
  const ids = sql.list(caller.locations);
  return typeof column === 'string' ? sql`${sql.raw(column)} IN ${ids}` : column(ids);
}
