import { Arg, Args, Ctx, ID, Mutation, Query, Resolver } from 'type-graphql';
import { PARTNER_ROLES, type PartnerRole } from '../../core/vocabulary';
import { ApiKey, ApiKeyConnection, ApiKeysArgs, CreateApiKeyInput, CreatedApiKey } from '../../schema/accounts/api-key';
import { boundedCount, boundedList, boundedText } from '../../core/bounds';
import { badUserInput, forbidden, invalidState, notFound } from '../../core/errors';
import { rolesFor } from '../../core/permissions';
import { Requires } from '../../schema/common/permissions';
import { locations } from '../../warehouse/accounts/partner';
import {
  MAX_API_KEY_DAYS,
  apiKeyById,
  apiKeySelect,
  apiKeysFrom,
  grantableRoles,
  insertApiKey,
  markRevoked,
} from '../../warehouse/accounts/api-keys';
import { sqlTimestamp } from '../../warehouse/clock';
import type { RequestContext } from '../common/context';
import { paginate } from '../common/connection';
import { sql } from '../../core/sql';

const DAY_MS = 86_400_000;

/**
 * API keys for the export and report download routes (warehouse/accounts/api-keys.ts). Partner
 * admins (manageApiKeys: Global admin, Account admin) create, list and revoke them; a key gets one
 * role the creator may assign and at most the creator's locations.
 */
@Resolver(() => ApiKey)
export class ApiKeyResolver {
  @Requires('manageApiKeys')
  @Query(() => ApiKeyConnection, { description: 'The partner’s API keys, newest first (never their secrets). Partner admins only' })
  async apiKeys(@Args(() => ApiKeysArgs) args: ApiKeysArgs, @Ctx() ctx: RequestContext): Promise<ApiKeyConnection> {
    const at = ctx.now;
    const active = args.includeInactive ? sql.raw('TRUE') : sql`k.revoked_at IS NULL AND k.expires_at > CAST(${sqlTimestamp(at)} AS TIMESTAMP)`;
    return paginate(ctx, {
      name: 'apiKeys',
      fingerprint: { includeInactive: args.includeInactive },
      args,
      select: apiKeySelect(at),
      from: sql`${apiKeysFrom(ctx.caller)} AND ${active}`,
      orderBy: sql`k.created_at DESC, k.key_id`,
    }) as Promise<ApiKeyConnection>;
  }

  @Requires('manageApiKeys')
  @Mutation(() => CreatedApiKey, {
    description: 'Create an API key for one role (one you may assign), optionally limited to locations, expiring within 365 days. The key is returned this once',
  })
  async createApiKey(@Arg('input', () => CreateApiKeyInput) input: CreateApiKeyInput, @Ctx() ctx: RequestContext): Promise<CreatedApiKey> {
    const { caller } = ctx;
    const name = boundedText(input.name.trim(), 'apiKeyName', 'input.name');
    const role = checkRole(caller.roles, input.role, grantableRoles(caller));
    const expiresAt = expiryOf(input, ctx.now);
    const keyLocations = await checkLocations(ctx, input.locationMpnIds);
    const { row, key } = await insertApiKey(ctx.warehouse, caller, { name, role, locations: keyLocations, expiresAt });
    ctx.log?.info({ apiKey: row.keyPrefix, role, locations: keyLocations, expiresAt: row.expiresAt }, 'api key created');
    return { apiKey: row as ApiKey, key };
  }

  @Requires('manageApiKeys')
  @Mutation(() => ApiKey, { description: 'Revoke an API key: it stops working at once. Allowed while ACTIVE or EXPIRED' })
  async revokeApiKey(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<ApiKey> {
    const before = await apiKeyById(ctx.warehouse, ctx.caller, id);
    if (!before) throw notFound('ApiKey', id);
    if (before.status === 'REVOKED') throw invalidState('API key', 'revoke', before.status, ['ACTIVE', 'EXPIRED']);
    await markRevoked(ctx.warehouse, ctx.caller, id);
    ctx.log?.info({ apiKey: before.keyPrefix }, 'api key revoked');
    return (await apiKeyById(ctx.warehouse, ctx.caller, id)) as ApiKey;
  }
}

function checkRole(callerRoles: readonly PartnerRole[], role: string, grantable: readonly PartnerRole[]): PartnerRole {
  if (!(PARTNER_ROLES as readonly string[]).includes(role)) {
    throw badUserInput(`"${role}" is not a Partner Center role; roles are: ${PARTNER_ROLES.join(', ')}`, 'input.role');
  }
  if (!grantable.includes(role as PartnerRole)) {
    // The roles that could create this key: those whose grantable list holds it.
    const could = rolesFor('manageApiKeys').filter((r) => grantableRoles({ partnerId: '', roles: [r], locations: null }).includes(role as PartnerRole));
    throw forbidden(`Mutation.createApiKey with role "${role}" (your roles ${callerRoles.join(', ')} may assign: ${grantable.join(', ')})`, could, 'manageApiKeys');
  }
  return role as PartnerRole;
}

function expiryOf(input: CreateApiKeyInput, start: Date): Date {
  const { expiresAt, expiresInDays } = input;
  if ((expiresAt == null) === (expiresInDays == null)) {
    throw badUserInput(`give exactly one of expiresAt and expiresInDays (at most ${MAX_API_KEY_DAYS} days ahead)`, 'input.expiresAt');
  }
  const latest = new Date(start.getTime() + MAX_API_KEY_DAYS * DAY_MS);
  if (expiresInDays != null) {
    boundedCount(expiresInDays, 'apiKeyLifetimeDays', 'input.expiresInDays');
    return new Date(start.getTime() + expiresInDays * DAY_MS);
  }
  const at = new Date(expiresAt!);
  if (at.getTime() <= start.getTime()) throw badUserInput(`expiresAt (${at.toISOString()}) is not in the future (now is ${start.toISOString()})`, 'input.expiresAt');
  if (at.getTime() > latest.getTime()) {
    throw badUserInput(`expiresAt (${at.toISOString()}) is more than ${MAX_API_KEY_DAYS} days ahead; the latest is ${latest.toISOString()}`, 'input.expiresAt');
  }
  return new Date(Math.floor(at.getTime() / 1000) * 1000);
}

/** The key's locations: known locations of the partner, within the creator's; required for a location-scoped creator. */
async function checkLocations(ctx: RequestContext, requested: string[] | null | undefined): Promise<string[] | null> {
  const { caller } = ctx;
  if (requested == null || requested.length === 0) {
    if (caller.locations !== null) {
      throw badUserInput(`you are limited to locations ${caller.locations.join(', ')}: give locationMpnIds within them`, 'input.locationMpnIds');
    }
    return null;
  }
  const wanted = [...new Set(boundedList(requested, 'apiKeyLocations', 'input.locationMpnIds').map((l) => l.trim()))];
  const visible = new Set((await locations(ctx.warehouse, caller)).map((l) => l.mpnId));
  const outside = wanted.filter((l) => !visible.has(l));
  if (outside.length) {
    throw badUserInput(
      `unknown location MPN ID(s) ${outside.join(', ')}${caller.locations ? ' or outside your locations' : ''}; yours: ${[...visible].join(', ')}`,
      'input.locationMpnIds',
    );
  }
  return wanted.sort();
}
