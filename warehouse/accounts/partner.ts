import type { Caller } from '../../core/caller';
import { inCallerLocations, scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';

/** The partner global account (PGA): the tenant itself. */
export interface PartnerRow {
  id: string;
  name: string | null;
  globalMpnId: string | null;
  partnerType: string | null;
  country: string | null;
}

/** A partner location account (PLA): one MPN ID each. */
export interface LocationRow {
  mpnId: string;
  name: string | null;
  country: string | null;
  market: string | null;
  isHeadquarters: boolean | null;
}

export interface UserRow {
  id: string;
  email: string | null;
  displayName: string | null;
  roles: string[];
  /** Location MPN IDs of a location-scoped user; null for the entire organization. */
  locationMpnIds: string[] | null;
  /** Registered for multi-factor authentication; null when the data does not say. */
  mfaRegistered: boolean | null;
}

/** The caller's own partner row (the partners table is not location-bound). */
export async function callerPartner(db: SqlRunner, caller: Caller): Promise<PartnerRow | null> {
  const [row] = await query<PartnerRow & Record<string, unknown>>(
    db,
    sql`SELECT p.partner_id AS id, p.name, p.global_mpn_id AS "globalMpnId", p.partner_type AS "partnerType", p.country
        FROM partners p WHERE ${scope(caller, 'p', null)} LIMIT 1`,
  );
  return row ?? null;
}

const LOCATION_COLUMNS = sql`l.mpn_id AS "mpnId", l.name, l.country, l.market, l.is_headquarters AS "isHeadquarters"`;

/** The locations the caller may see, headquarters first. */
export function locations(db: SqlRunner, caller: Caller): Promise<LocationRow[]> {
  return query<LocationRow & Record<string, unknown>>(
    db,
    sql`SELECT ${LOCATION_COLUMNS} FROM locations l
        WHERE ${scope(caller, 'l', 'l.mpn_id')}
        ORDER BY l.is_headquarters DESC NULLS LAST, l.mpn_id`,
  );
}

export function locationsByMpnIds(db: SqlRunner, caller: Caller, mpnIds: readonly string[]): Promise<LocationRow[]> {
  return query<LocationRow & Record<string, unknown>>(
    db,
    sql`SELECT ${LOCATION_COLUMNS} FROM locations l
        WHERE ${scope(caller, 'l', 'l.mpn_id')} AND l.mpn_id IN ${sql.list(mpnIds)}`,
  );
}

/**
 * Partner users with their roles. Users are not rows of a location; a location-scoped caller sees
 * the users assigned to at least one of their locations.
 */
export async function users(db: SqlRunner, caller: Caller): Promise<UserRow[]> {
  const rows = await query<{ id: string; email: string | null; displayName: string | null; roles: string | null; locations: string | null; mfaRegistered: boolean | null }>(
    db,
    sql`SELECT u.user_id AS id, u.email, u.display_name AS "displayName", u.roles, u.location_mpn_ids AS locations, u.mfa_registered AS "mfaRegistered"
        FROM users u WHERE ${visibleUsers(caller)}
        ORDER BY u.display_name, u.user_id`,
  );
  return rows.map((r) => ({
    id: r.id,
    email: r.email,
    displayName: r.displayName,
    roles: splitList(r.roles) ?? [],
    locationMpnIds: splitList(r.locations),
    mfaRegistered: r.mfaRegistered,
  }));
}

/** Users the caller sees: the partner's; a location-scoped caller, the users of its locations. */
function visibleUsers(caller: Caller): Sql {
  return sql`${scope(caller, 'u', null)} AND ${inCallerLocations(
    caller,
    (mpnIds) => sql`EXISTS (SELECT 1 FROM (SELECT trim(unnest(string_split(u.location_mpn_ids, '|'))) AS m) WHERE m IN ${mpnIds})`,
  )}`;
}

/** "a|b|c" -> ["a", "b", "c"]; empty -> null. */
function splitList(value: string | null): string[] | null {
  const items = (value ?? '').split('|').map((s) => s.trim()).filter(Boolean);
  return items.length ? items : null;
}
