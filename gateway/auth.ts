import { randomBytes } from 'node:crypto';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SignJWT, errors as joseErrors, jwtVerify, type JWTPayload } from 'jose';
import { PARTNER_ROLES, type PartnerRole } from '../core/vocabulary';
import type { Caller } from '../core/caller';
import { MFA_ROLES } from '../core/permissions';
import { requireMfa } from './config';
import { ApiKeyRejected, isApiKey, verifyApiKey } from '../warehouse/accounts/api-keys';
import { DEFAULT_DB_PATH } from '../warehouse/db';
import { type SqlRunner } from '../core/sql';

/**
 * Bearer JWT authentication.
 *
 * Keys, first found wins:
 *   PI_JWT_PUBLIC_KEY   PEM public key (RSA -> RS256, EC P-256 -> ES256): tokens come from your identity provider
 *   PI_JWT_SECRET       shared HS256 secret
 *   (neither)           development secret: generated once into `jwt-secret` next to the warehouse
 *                       (./data/jwt-secret by default; the directory of PI_DB otherwise)
 * Optional checks: PI_JWT_ISSUER (iss), PI_JWT_AUDIENCE (aud), PI_REQUIRE_MFA (a token with an admin
 * role, core/permissions.ts MFA_ROLES, must carry "mfa" in its "amr" claim: see assertMfa).
 *
 * Claims: partner (partner id, the tenant), roles (array of Partner Center role names, exactly as
 * PARTNER_ROLES), locations (optional array of location MPN IDs: the caller sees only those
 * locations' data), sub, exp (required), amr (authentication methods, as Entra ID issues them:
 * ["pwd", "mfa"] after a multi-factor sign-in; read when PI_REQUIRE_MFA is on).
 */
export interface AuthConfig {
  algorithm: 'HS256' | 'RS256' | 'ES256';
  verifyKey: Uint8Array | KeyObject;
  /** Present for HS256 only: `partner-insights token` can mint with it. */
  signKey?: Uint8Array;
  issuer?: string;
  audience?: string;
  /** PI_REQUIRE_MFA: tokens with an admin role (MFA_ROLES) must show MFA in their "amr" claim. */
  requireMfa?: boolean;
  /** Where the key came from, for logs and errors. */
  source: string;
}

export class AuthError extends Error {
  readonly status = 401;
}

export function loadAuthConfig(env: NodeJS.ProcessEnv = process.env): AuthConfig {
  const common = { issuer: env.PI_JWT_ISSUER || undefined, audience: env.PI_JWT_AUDIENCE || undefined, requireMfa: requireMfa(env) };
  if (env.PI_JWT_PUBLIC_KEY) {
    const key = createPublicKey(env.PI_JWT_PUBLIC_KEY.replace(/\\n/g, '\n'));
    const algorithm = key.asymmetricKeyType === 'rsa' ? 'RS256' : key.asymmetricKeyType === 'ec' ? 'ES256' : null;
    if (!algorithm) throw new Error(`PI_JWT_PUBLIC_KEY: unsupported key type ${key.asymmetricKeyType}; use RSA (RS256) or EC P-256 (ES256)`);
    return { ...common, algorithm, verifyKey: key, source: 'PI_JWT_PUBLIC_KEY' };
  }
  if (env.PI_JWT_SECRET) {
    const secret = new TextEncoder().encode(env.PI_JWT_SECRET);
    return { ...common, algorithm: 'HS256', verifyKey: secret, signKey: secret, source: 'PI_JWT_SECRET' };
  }
  const file = devSecretPath(env);
  const secret = new TextEncoder().encode(readOrCreateDevSecret(file));
  return { ...common, algorithm: 'HS256', verifyKey: secret, signKey: secret, source: file };
}

/** The development secret file: `jwt-secret` beside the warehouse file. */
export function devSecretPath(env: NodeJS.ProcessEnv = process.env): string {
  const db = env.PI_DB && env.PI_DB !== ':memory:' ? env.PI_DB : DEFAULT_DB_PATH;
  return join(dirname(db), 'jwt-secret');
}

function readOrCreateDevSecret(file: string): string {
  if (existsSync(file)) return readFileSync(file, 'utf8').trim();
  mkdirSync(dirname(file), { recursive: true });
  const secret = randomBytes(32).toString('hex');
  try {
    writeFileSync(file, `${secret}\n`, { mode: 0o600, flag: 'wx' });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return readFileSync(file, 'utf8').trim();
    throw err;
  }
  chmodSync(file, 0o600);
  return secret;
}

/** Verifies `Authorization: Bearer <jwt>` and returns the caller, or throws AuthError with a clear message. */
export async function authenticate(config: AuthConfig, authorization: string | undefined | null): Promise<Caller> {
  if (!authorization) {
    throw new AuthError('missing bearer token: send "Authorization: Bearer <token>" (mint a development token with `partner-insights token`)');
  }
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) throw new AuthError('Authorization header must be "Bearer <token>"');
  let payload: JWTPayload;
  try {
    ({ payload } = await jwtVerify(match[1], config.verifyKey, {
      algorithms: [config.algorithm],
      issuer: config.issuer,
      audience: config.audience,
      requiredClaims: ['exp'],
    }));
  } catch (err) {
    throw new AuthError(describeJwtError(err));
  }
  const caller = callerFromClaims(payload);
  if (config.requireMfa) assertMfa(caller, payload);
  return caller;
}

/**
 * PI_REQUIRE_MFA: a token with an admin role (MFA_ROLES) must show multi-factor authentication the way
 * Partner Center checks it, "the presence of the MFA value in the Authentication Method Reference
 * (AMR) claim" (reference line 18713): an "amr" array containing "mfa", as Entra ID issues it. Else
 * 401 naming the role, the claim and how to get a token that has it. Tokens of the other roles pass.
 */
export function assertMfa(caller: Caller, payload: JWTPayload): void {
  const admin = caller.roles.filter((r) => MFA_ROLES.includes(r));
  if (!admin.length) return;
  const amr = (payload as Record<string, unknown>).amr;
  if (Array.isArray(amr) && amr.includes('mfa')) return;
  const found = amr === undefined ? 'has no "amr" claim' : `has "amr": ${JSON.stringify(amr)}, without "mfa"`;
  throw new AuthError(
    `multi-factor authentication required: this server requires it for admin roles (PI_REQUIRE_MFA) and the token for ` +
      `${admin.map((r) => `"${r}"`).join(', ')} ${found}; sign in with multi-factor authentication (Entra ID then issues ` +
      `"amr": ["pwd", "mfa"]) and send the new token (development tokens: \`partner-insights token\` includes it unless --no-mfa)`,
  );
}

function describeJwtError(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) {
    const exp = typeof err.payload.exp === 'number' ? ` at ${new Date(err.payload.exp * 1000).toISOString()}` : '';
    return `token expired${exp}; get a new one`;
  }
  if (err instanceof joseErrors.JWSSignatureVerificationFailed) return 'token signature is invalid (signed with another key?)';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return 'token algorithm is not accepted by this server';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `token claim "${err.claim}" is invalid: ${err.reason}`;
  if (err instanceof joseErrors.JWSInvalid || err instanceof joseErrors.JWTInvalid) return 'token is not a valid JWT';
  return `token rejected: ${(err as Error).message}`;
}

/** Validates the product's claims: partner, roles, optional locations. */
export function callerFromClaims(payload: JWTPayload): Caller {
  const { partner, roles, locations, sub } = payload as JWTPayload & Record<string, unknown>;
  if (typeof partner !== 'string' || partner === '') throw new AuthError('token has no "partner" claim (the partner id)');
  if (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string')) {
    throw new AuthError('token claim "roles" must be an array of Partner Center role names');
  }
  const unknown = roles.filter((r) => !(PARTNER_ROLES as readonly string[]).includes(r));
  if (unknown.length) {
    throw new AuthError(`token has unknown role(s) ${unknown.map((r) => `"${r}"`).join(', ')}; roles are: ${PARTNER_ROLES.join(', ')}`);
  }
  let scoped: string[] | null = null;
  if (locations !== undefined && locations !== null) {
    if (!Array.isArray(locations) || locations.length === 0 || locations.some((l) => typeof l !== 'string' || l === '')) {
      throw new AuthError('token claim "locations" must be a non-empty array of location MPN IDs (omit it for the entire organization)');
    }
    scoped = [...new Set(locations as string[])];
  }
  return { partnerId: partner, roles: roles as PartnerRole[], locations: scoped, subject: typeof sub === 'string' ? sub : undefined };
}

export interface TokenClaims {
  partner: string;
  roles: PartnerRole[];
  locations?: string[];
  sub?: string;
  /**
   * Authentication methods ("amr"). Default DEV_MFA_AMR: a development token stands for a user who
   * signed in as the partner security requirements ask, with MFA, so it works under PI_REQUIRE_MFA;
   * null leaves the claim out.
   */
  amr?: string[] | null;
}

/** The "amr" of a development token: a password and multi-factor sign-in, as Entra ID writes it. */
export const DEV_MFA_AMR = ['pwd', 'mfa'] as const;

/** Mints a token with the HS256 key (development and tests). expiresIn: "12h", "30m", "7d" or seconds. */
export async function mintToken(config: AuthConfig, claims: TokenClaims, expiresIn: string | number = '12h'): Promise<string> {
  if (!config.signKey) {
    throw new Error(`cannot mint tokens with ${config.source}: minting needs PI_JWT_SECRET or the development secret`);
  }
  const amr = claims.amr === undefined ? [...DEV_MFA_AMR] : claims.amr;
  let jwt = new SignJWT({
    partner: claims.partner,
    roles: claims.roles,
    ...(claims.locations ? { locations: claims.locations } : {}),
    ...(amr ? { amr } : {}),
  })
    .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
    .setIssuedAt()
    .setSubject(claims.sub ?? `dev:${claims.partner}`)
    .setExpirationTime(typeof expiresIn === 'number' ? Math.floor(Date.now() / 1000) + expiresIn : expiresIn);
  if (config.issuer) jwt = jwt.setIssuer(config.issuer);
  if (config.audience) jwt = jwt.setAudience(config.audience);
  return jwt.sign(config.signKey);
}

/** Resolves an API key to its caller or throws AuthError saying why not (gateway/http.ts calls it). */
export type ApiKeyVerifier = (key: string) => Promise<Caller>;

/** The verifier over the warehouse's api_keys table (warehouse/accounts/api-keys.ts). */
export function apiKeyVerifier(db: SqlRunner): ApiKeyVerifier {
  return async (key) => {
    try {
      return await verifyApiKey(db, key);
    } catch (err) {
      throw err instanceof ApiKeyRejected ? new AuthError(err.message) : err;
    }
  };
}

export interface RequestCredentials {
  authorization?: string;
  /** The X-API-Key header. */
  apiKey?: string;
}

/**
 * Authenticates a request from its headers: a bearer JWT, or, where the route accepts them, an API
 * key (`X-API-Key: <key>` or `Authorization: Bearer pik_...`). An API key elsewhere (/graphql) is
 * refused with a message saying where keys work. Returns the caller and whether a key was used.
 */
export async function authenticateRequest(
  config: AuthConfig,
  credentials: RequestCredentials,
  options: { path: string; acceptsApiKey: boolean; apiKeys?: ApiKeyVerifier },
): Promise<{ caller: Caller; viaApiKey: boolean }> {
  const { authorization, apiKey } = credentials;
  const bearer = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  const key = apiKey !== undefined ? apiKey.trim() : bearer !== undefined && isApiKey(bearer) ? bearer : undefined;
  if (key === undefined) return { caller: await authenticate(config, authorization), viaApiKey: false };
  if (apiKey !== undefined && authorization) throw new AuthError('send either "X-API-Key: <key>" or "Authorization: Bearer <token>", not both');
  if (!options.acceptsApiKey) {
    throw new AuthError(`${options.path} does not accept API keys: they are for the export and report download routes (/exports/..., /downloads/...) only; send a bearer token (JWT)`);
  }
  if (!options.apiKeys) throw new AuthError('API keys are not available on this server (it has no warehouse); send a bearer token (JWT)');
  return { caller: await options.apiKeys(key), viaApiKey: true };
}
