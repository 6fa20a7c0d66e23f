import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Caller } from '../../core/caller';
import { badUserInput } from '../../core/errors';
import { PARTNER_ROLES, type PartnerRole } from '../../core/vocabulary';
import { AuthError, authenticateRequest, type ApiKeyVerifier, type AuthConfig } from '../auth';
import { verifyReportLink } from '../signed-links';
import { requestUrl, sharedPlugin } from './common';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * With auth: the local operator (the CLI beside the warehouse file) is accepted with the owner
     * secret (`x-pi-owner-secret`, warehouse/owner.ts), acting for the partner, roles and locations
     * of `x-pi-partner`, `x-pi-roles`, `x-pi-locations`.
     */
    acceptsOperator?: boolean;
    /** With auth: a signed report link (`?sig=`, gateway/signed-links.ts) stands for the token that issued it. */
    acceptsReportLink?: boolean;
  }
  interface FastifyRequest {
    /** Authenticated with the owner secret: the local operator (see acceptsOperator). */
    operator: boolean;
  }
}

/** The operator headers the CLI sends (cli/remote.ts). */
export const OPERATOR_HEADERS = {
  secret: 'x-pi-owner-secret',
  partner: 'x-pi-partner',
  /** Comma-separated role names (Partner Center's names contain no commas). */
  roles: 'x-pi-roles',
  /** Comma-separated location MPN IDs. */
  locations: 'x-pi-locations',
} as const;

/**
 * The partner of an operator who named none (`partner-insights load` without --partner): the
 * warehouse's operator, not a tenant. Jobs it starts are recorded under this id and read back by
 * the operator only; no tenant's rows carry it.
 */
export const OPERATOR_PARTNER = '(operator)';

/**
 * Authentication of routes with `config.auth`: a bearer JWT, an API key where the route has
 * `config.acceptsApiKey`, the owner secret where it has `config.acceptsOperator`, or a signed
 * report link (`?sig=`) where it has `config.acceptsReportLink`. Runs before
 * the body is read; an AuthError becomes the 401 of the error handler (plugins/errors.ts).
 * `operatorSecret` is the secret of the owner file this server wrote (none: the header gets 401).
 * PI_REQUIRE_MFA is checked on the bearer token (gateway/auth.ts assertMfa, for every route and in
 * every subgraph, which verify the token themselves): a token for an admin role without "mfa" in its
 * "amr" claim gets 401 saying so. API keys (created by a signed-in user, for one role, on the export
 * and download routes only) and the local operator's owner secret are no sign-in and carry no amr.
 */
export const authenticate = sharedPlugin<{ auth: AuthConfig; apiKeys?: ApiKeyVerifier; operatorSecret?: () => string | null }>(
  'authenticate',
  async (app, { auth, apiKeys, operatorSecret }) => {
    app.decorateRequest('operator', false);
    app.addHook('onRequest', async (request) => {
      const { config } = request.routeOptions;
      if (!config.auth) return;
      const { authorization } = request.headers;
      const apiKey = request.headers['x-api-key'];
      const { sig, month } = request.query as { sig?: unknown; month?: string };
      if (config.acceptsReportLink && typeof sig === 'string' && !authorization && apiKey === undefined) {
        request.caller = verifyReportLink(auth, sig, month);
        return;
      }
      if (request.headers[OPERATOR_HEADERS.secret] !== undefined) {
        if (authorization || apiKey !== undefined) throw new AuthError(`send either ${OPERATOR_HEADERS.secret} or a token/API key, not both`);
        request.caller = authenticateOperator(request, config.acceptsOperator === true, operatorSecret?.() ?? null);
        request.operator = true;
        return;
      }
      const { caller, viaApiKey } = await authenticateRequest(
        auth,
        { authorization, apiKey: Array.isArray(apiKey) ? apiKey.join(',') : apiKey },
        { path: requestUrl(request).pathname, acceptsApiKey: config.acceptsApiKey === true, apiKeys },
      );
      request.caller = caller;
      // A key is never forwarded: it is not a token the subgraphs could verify.
      if (!viaApiKey) request.authorization = authorization ?? null;
    });
  },
);

/** The operator's caller, once the secret matches (compared in constant time). */
function authenticateOperator(request: FastifyRequest, accepted: boolean, secret: string | null): Caller {
  const path = requestUrl(request).pathname;
  if (!accepted) {
    throw new AuthError(`${path} does not accept ${OPERATOR_HEADERS.secret}: it is for the ingestion, status, export and executive report routes; send a bearer token (JWT)`);
  }
  if (!secret) throw new AuthError(`this server wrote no owner file: ${OPERATOR_HEADERS.secret} is not accepted; send a bearer token (JWT)`);
  if (!sameSecret(header(request, OPERATOR_HEADERS.secret) ?? '', secret)) {
    throw new AuthError(`${OPERATOR_HEADERS.secret} does not match this server's owner file (a server restarted since it was read?)`);
  }
  const partner = header(request, OPERATOR_HEADERS.partner)?.trim();
  const roles = list(header(request, OPERATOR_HEADERS.roles));
  const unknown = roles.filter((r) => !(PARTNER_ROLES as readonly string[]).includes(r));
  if (unknown.length) {
    throw badUserInput(`${OPERATOR_HEADERS.roles}: unknown role(s) ${unknown.map((r) => `"${r}"`).join(', ')}; roles are: ${PARTNER_ROLES.join(', ')}`, OPERATOR_HEADERS.roles);
  }
  const locations = [...new Set(list(header(request, OPERATOR_HEADERS.locations)))];
  return {
    partnerId: partner || OPERATOR_PARTNER,
    roles: [...new Set(roles)] as PartnerRole[],
    locations: locations.length ? locations : null,
    subject: 'operator',
  };
}

function header(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function list(value: string | undefined): string[] {
  return (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
}

/** Constant-time comparison (of the digests, so that lengths do not leak either). */
function sameSecret(given: string, expected: string): boolean {
  const digest = (text: string) => createHash('sha256').update(text, 'utf8').digest();
  return timingSafeEqual(digest(given), digest(expected)) && given.length === expected.length;
}
