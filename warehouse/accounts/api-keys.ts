import { createHash, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { BOUNDS } from '../../core/bounds';
import { PARTNER_ROLES, type PartnerRole } from '../../core/vocabulary';
import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import { now, sqlTimestamp } from '../clock';
import type { SqlRunner } from '../../core/sql';

/**
 * API keys: a partner admin creates one for a single role (optionally limited to locations) with a
 * required expiry; it authorises the export and report download routes (gateway/http.ts,
 * `acceptsApiKey`), never /graphql. The key is `pik_<id>_<secret>`: the id finds the row, the
 * secret is compared by sha256 in constant time. Only the hash is stored; the key is returned once.
 */
export const API_KEY_PREFIX = 'pik_';
const KEY_FORMAT = /^pik_([0-9a-f]{32})_([A-Za-z0-9_-]{43})$/;

/** Longest lifetime of a key (core/bounds.ts: apiKeyLifetimeDays). */
export const MAX_API_KEY_DAYS = BOUNDS.apiKeyLifetimeDays.max;

/**
 * Which roles a creator's role may put on a key: what that role may assign to a user in Partner
 * Center. Global admin "View, create, and manage partner users" (any role); Account admin "Assign
 * roles for users in tenant to non AAD roles" (reference line 7579: MPN partner admin, Business
 * profile admin, Referrals admin, Incentives admin and user) and "the Global admin or the Account
 * admin will be able to assign users to" the Insights roles (line 16216).
 */
export const GRANTABLE_ROLES: Partial<Record<PartnerRole, readonly PartnerRole[]>> = {
  'Global admin': PARTNER_ROLES,
  'Account admin': [
    'MPN partner admin',
    'Business profile admin',
    'Referrals admin',
    'Incentives admin',
    'Incentives user',
    'Executive report viewer',
    'Report viewer',
  ],
};

/** The roles a caller may put on a key (union over their roles). */
export function grantableRoles(caller: Caller): PartnerRole[] {
  const roles = new Set(caller.roles.flatMap((r) => GRANTABLE_ROLES[r] ?? []));
  return PARTNER_ROLES.filter((r) => roles.has(r));
}

export type ApiKeyStatus = 'ACTIVE' | 'EXPIRED' | 'REVOKED';

export interface ApiKeyRow {
  id: string;
  name: string;
  role: PartnerRole;
  locationMpnIds: string[] | null;
  keyPrefix: string;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
  lastUsedAt: string | null;
  status: ApiKeyStatus;
}

const iso = (column: string) => sql.raw(`strftime(${column}, '%Y-%m-%dT%H:%M:%SZ')`);

/** The columns of an ApiKey, status evaluated at `at` (PI_TODAY in tests). Never the hash. */
export function apiKeySelect(at: Date): Sql {
  const t = sqlTimestamp(at);
  return sql`k.key_id AS id, k.name, k.role, k.locations AS "locationMpnIds", ${API_KEY_PREFIX} || left(k.key_id, 8) AS "keyPrefix",
    k.created_by AS "createdBy", ${iso('k.created_at')} AS "createdAt", ${iso('k.expires_at')} AS "expiresAt",
    ${iso('k.revoked_at')} AS "revokedAt", ${iso('k.last_used_at')} AS "lastUsedAt",
    CASE WHEN k.revoked_at IS NOT NULL THEN 'REVOKED' WHEN k.expires_at <= CAST(${t} AS TIMESTAMP) THEN 'EXPIRED' ELSE 'ACTIVE' END AS status`;
}

/**
 * The keys a caller sees: their partner's; a location-scoped admin sees only keys limited to
 * locations within theirs (an entire-organization key is beyond their scope).
 */
export function apiKeysFrom(caller: Caller): Sql {
  const within = caller.locations === null ? sql.raw('TRUE') : sql`k.locations IS NOT NULL AND list_has_all(${listLiteral(caller.locations)}, k.locations)`;
  return sql`api_keys k WHERE ${scope(caller, 'k', null)} AND ${within}`;
}

/** A VARCHAR[] literal of parameters: ['a', 'b']. */
export function listLiteral(values: readonly string[]): Sql {
  return sql`[${sql.join(values.map((v) => sql`${v}`), ', ')}]::VARCHAR[]`;
}

export async function apiKeyById(db: SqlRunner, caller: Caller, id: string): Promise<ApiKeyRow | undefined> {
  const [row] = await query<ApiKeyRow & Record<string, unknown>>(db, sql`SELECT ${apiKeySelect(now())} FROM ${apiKeysFrom(caller)} AND k.key_id = ${id}`);
  return row;
}

export interface NewApiKey {
  name: string;
  role: PartnerRole;
  locations: string[] | null;
  expiresAt: Date;
}

/** Inserts a key and returns its row and the key text (the only time it exists outside the caller's hands). */
export async function insertApiKey(db: SqlRunner, caller: Caller, key: NewApiKey): Promise<{ row: ApiKeyRow; key: string }> {
  const id = randomUUID().replace(/-/g, '');
  const secret = randomBytes(32).toString('base64url');
  const locations = key.locations ? listLiteral(key.locations) : sql.raw('NULL');
  await query(db, sql`INSERT INTO api_keys (key_id, partner_id, name, role, locations, secret_sha256, created_by, created_at, expires_at)
    VALUES (${id}, ${caller.partnerId}, ${key.name}, ${key.role}, ${locations}, ${sha256(secret)}, ${caller.subject ?? null},
            CAST(${sqlTimestamp(now())} AS TIMESTAMP), CAST(${sqlTimestamp(key.expiresAt)} AS TIMESTAMP))`);
  const row = await apiKeyById(db, { ...caller, locations: null }, id);
  return { row: row!, key: `${API_KEY_PREFIX}${id}_${secret}` };
}

export async function markRevoked(db: SqlRunner, caller: Caller, id: string): Promise<void> {
  await query(db, sql`UPDATE api_keys SET revoked_at = CAST(${sqlTimestamp(now())} AS TIMESTAMP), revoked_by = ${caller.subject ?? null}
    WHERE partner_id = ${caller.partnerId} AND key_id = ${id} AND revoked_at IS NULL`);
}

/** Whether a bearer token is an API key (rather than a JWT): by its prefix. */
export function isApiKey(token: string): boolean {
  return token.startsWith(API_KEY_PREFIX);
}

/** An API key that does not authorise: the message says why (and when it expired or was revoked). */
export class ApiKeyRejected extends Error {}

/**
 * Resolves an API key to the caller it stands for: its partner, its one role, its locations.
 * Unknown, malformed and wrong-secret keys get the same message (nothing to learn from probing);
 * only the holder of the right secret learns that a key expired or was revoked, and when.
 */
export async function verifyApiKey(db: SqlRunner, key: string): Promise<Caller> {
  const m = KEY_FORMAT.exec(key);
  const invalid = new ApiKeyRejected('API key is not valid (unknown, mistyped or truncated); ask a partner admin for a key, or send a bearer token');
  if (!m) throw invalid;
  const [, id, secret] = m;
  const [row] = await db.all<{ partnerId: string; role: PartnerRole; locations: string[] | null; hash: string; expired: boolean; expiresAt: string; revokedAt: string | null; recentlyUsed: boolean }>(
    `SELECT partner_id AS "partnerId", role, locations, secret_sha256 AS hash, strftime(expires_at, '%Y-%m-%dT%H:%M:%SZ') AS "expiresAt",
            expires_at <= CAST($2 AS TIMESTAMP) AS expired, strftime(revoked_at, '%Y-%m-%dT%H:%M:%SZ') AS "revokedAt",
            coalesce(last_used_at > CAST($2 AS TIMESTAMP) - INTERVAL 1 MINUTE, false) AS "recentlyUsed"
     FROM api_keys WHERE key_id = $1`,
    [id, sqlTimestamp(now())],
  );
  // Compare even when the id is unknown, so that the time taken does not tell.
  const expected = Buffer.from(row?.hash ?? sha256(''), 'hex');
  const matches = timingSafeEqual(expected, Buffer.from(sha256(secret), 'hex')) && row !== undefined;
  if (!matches) throw invalid;
  const label = `API key ${API_KEY_PREFIX}${id.slice(0, 8)}`;
  if (row.revokedAt) throw new ApiKeyRejected(`${label} was revoked at ${row.revokedAt}; ask a partner admin for a new key`);
  if (row.expired) throw new ApiKeyRejected(`${label} expired at ${row.expiresAt}; ask a partner admin for a new key`);
  if (!row.recentlyUsed) {
    // Best effort and at most once a minute per key: a failed bookkeeping write must not refuse the request.
    await db.run('UPDATE api_keys SET last_used_at = CAST($2 AS TIMESTAMP) WHERE key_id = $1', [id, sqlTimestamp(now())]).catch(() => undefined);
  }
  return { partnerId: row.partnerId, roles: [row.role], locations: row.locations, subject: `api-key:${id}` };
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}
