/**
 * Microsoft Entra ID's token endpoint, client credentials grant, and the bearer tokens it issues.
 * Tokens are opaque random strings bound to the audience of the requested scope; each API route
 * accepts only tokens of its own audience.
 */
import { X509Certificate, createPublicKey, constants, randomBytes, verify, type KeyObject } from 'node:crypto';
import { header, send, sendEntraError, type Ctx } from './http';

/** The audiences of the APIs the stand-in serves (scope `<audience>/.default`). */
export const AUDIENCES = {
  partnerCenter: 'https://api.partnercenter.microsoft.com',
  graph: 'https://graph.microsoft.com',
  referrals: 'https://api.partner.microsoft.com',
} as const;

export type Audience = (typeof AUDIENCES)[keyof typeof AUDIENCES];

interface Issued {
  audience: Audience;
  clientId: string;
  expiresAt: number;
}

export interface EntraConfig {
  tenantId: string;
  clientId: string;
  clientSecret: string;
  /** PEM certificate or public key: client assertions must be signed by it. Without it, a well-formed assertion is accepted unsigned-checked. */
  clientCertificate?: string;
  tokenLifetimeSeconds: number;
  origin: () => string;
}

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export class Entra {
  private readonly tokens = new Map<string, Issued>();
  private readonly certificateKey?: KeyObject;

  constructor(private readonly config: EntraConfig) {
    if (config.clientCertificate) {
      this.certificateKey = config.clientCertificate.includes('CERTIFICATE')
        ? new X509Certificate(config.clientCertificate).publicKey
        : createPublicKey(config.clientCertificate);
    }
  }

  /** Every issued token becomes expired (a test of a client's renewal on 401). */
  expireAll(): void {
    for (const t of this.tokens.values()) t.expiresAt = 0;
  }

  /** Why a request's bearer token is not good for an audience, or undefined when it is. */
  check(ctx: Ctx, audience: Audience): string | undefined {
    const auth = header(ctx, 'authorization');
    if (!auth) return 'Access token is empty.';
    const m = /^Bearer\s+(\S+)$/i.exec(auth);
    if (!m) return 'Authorization header is not a Bearer token.';
    const issued = this.tokens.get(m[1]);
    if (!issued) return 'Invalid JWT token. The token is malformed or was not issued by this tenant.';
    if (issued.expiresAt <= Date.now()) return 'Lifetime validation failed, the token is expired.';
    if (issued.audience !== audience) return `Invalid audience. The token's audience is ${issued.audience}, this API accepts ${audience}.`;
    return undefined;
  }

  /**
   * POST /login/{tenant}/oauth2/v2.0/token
   * Follows "Microsoft identity platform and the OAuth 2.0 client credentials flow"
   * (learn.microsoft.com/entra/identity-platform/v2-oauth2-client-creds-grant-flow): a form body with
   * grant_type=client_credentials, client_id, scope=<resource>/.default and client_secret (in the
   * body or as HTTP Basic) or client_assertion + client_assertion_type; the answer
   * { token_type: 'Bearer', expires_in, ext_expires_in, access_token }. Errors are Entra's JSON with
   * the AADSTS codes its troubleshooting pages list: 90002 unknown tenant, 700016 unknown
   * application, 7000215 wrong secret, 7000218 no credential, 1002012 / 500011 bad scope,
   * 700021 / 700023 / 700024 / 700027 bad client assertion.
   */
  token(ctx: Ctx, tenant: string): void {
    const form = new URLSearchParams(ctx.body);
    const basic = /^Basic\s+(\S+)$/i.exec(header(ctx, 'authorization') ?? '');
    let basicId: string | undefined;
    let basicSecret: string | undefined;
    if (basic) {
      const [id, secret] = Buffer.from(basic[1], 'base64').toString('utf8').split(':');
      basicId = decodeURIComponent(id ?? '');
      basicSecret = decodeURIComponent(secret ?? '');
    }
    const grant = form.get('grant_type');
    const clientId = form.get('client_id') ?? basicId;
    const secret = form.get('client_secret') ?? basicSecret;
    const assertion = form.get('client_assertion');
    const scope = form.get('scope');
    if (!grant) return sendEntraError(ctx, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'grant_type'.");
    if (grant !== 'client_credentials') {
      return sendEntraError(ctx, 400, 'unsupported_grant_type', 70003, `The app requested an unsupported grant type '${grant}'.`);
    }
    if (tenant.toLowerCase() !== this.config.tenantId.toLowerCase()) {
      return sendEntraError(ctx, 400, 'invalid_request', 90002, `Tenant '${tenant}' not found. Check to make sure you have the correct tenant ID and are signing into the correct cloud.`);
    }
    if (!clientId) return sendEntraError(ctx, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'client_id'.");
    if (clientId.toLowerCase() !== this.config.clientId.toLowerCase()) {
      return sendEntraError(
        ctx,
        400,
        'unauthorized_client',
        700016,
        `Application with identifier '${clientId}' was not found in the directory '${tenant}'. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`,
      );
    }
    if (!scope) return sendEntraError(ctx, 400, 'invalid_request', 900144, "The request body must contain the following parameter: 'scope'.");
    const scopes = scope.split(/\s+/).filter(Boolean);
    if (scopes.length !== 1 || !/\/\.default$/i.test(scopes[0])) {
      return sendEntraError(ctx, 400, 'invalid_scope', 1002012, `The provided value for scope ${scope} is not valid. Client credential flows must have a scope value with /.default suffixed to the resource identifier (application ID URI).`);
    }
    const resource = scopes[0].replace(/\/\.default$/i, '').replace(/\/$/, '').toLowerCase();
    const audience = Object.values(AUDIENCES).find((a) => a === resource);
    if (!audience) {
      return sendEntraError(ctx, 400, 'invalid_resource', 500011, `The resource principal named ${resource} was not found in the tenant named ${tenant}. This can happen if the application has not been installed by the administrator of the tenant or consented to by any user in the tenant.`);
    }
    if (assertion) {
      const problem = this.checkAssertion(form.get('client_assertion_type'), assertion, clientId, tenant);
      if (problem) return sendEntraError(ctx, 401, 'invalid_client', problem[0], problem[1]);
    } else if (!secret) {
      return sendEntraError(ctx, 401, 'invalid_client', 7000218, "The request body must contain the following parameter: 'client_assertion' or 'client_secret'.");
    } else if (secret !== this.config.clientSecret) {
      return sendEntraError(
        ctx,
        401,
        'invalid_client',
        7000215,
        `Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${clientId}'.`,
      );
    }
    const accessToken = randomBytes(48).toString('base64url');
    const lifetime = this.config.tokenLifetimeSeconds;
    this.tokens.set(accessToken, { audience, clientId, expiresAt: Date.now() + lifetime * 1000 });
    send(ctx, 200, { token_type: 'Bearer', expires_in: lifetime, ext_expires_in: lifetime, access_token: accessToken }, { 'Cache-Control': 'no-store, no-cache', Pragma: 'no-cache' });
  }

  /** A client assertion's problem as [AADSTS code, message], or undefined when it is good. */
  private checkAssertion(type: string | null, assertion: string, clientId: string, tenant: string): [number, string] | undefined {
    if (type !== ASSERTION_TYPE) return [700020, `Client assertion type '${type ?? ''}' is not supported; use '${ASSERTION_TYPE}'.`];
    const parts = assertion.split('.');
    if (parts.length !== 3) return [700020, 'Client assertion is not a valid JWT.'];
    let head: { alg?: string };
    let claims: { iss?: string; sub?: string; aud?: string | string[]; exp?: number; nbf?: number };
    try {
      head = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
    } catch {
      return [700020, 'Client assertion is not a valid JWT.'];
    }
    if (claims.iss !== clientId || claims.sub !== clientId) return [700021, "Client assertion application identifier doesn't match 'client_id' parameter."];
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const accepted = [
      `https://login.microsoftonline.com/${tenant}/oauth2/v2.0/token`,
      `https://login.microsoftonline.com/${tenant}/v2.0`,
      `${this.config.origin()}/login/${tenant}/oauth2/v2.0/token`,
    ].map((a) => a.toLowerCase());
    if (!audiences.some((a) => a && accepted.includes(a.toLowerCase()))) return [700023, 'Client assertion audience claim does not match Realm issuer.'];
    const now = Date.now() / 1000;
    if (!claims.exp || claims.exp < now - 300 || (claims.nbf && claims.nbf > now + 300)) return [700024, 'Client assertion is not within its valid time range.'];
    if (this.certificateKey) {
      const alg = head.alg ?? '';
      const data = Buffer.from(`${parts[0]}.${parts[1]}`);
      const signature = Buffer.from(parts[2], 'base64url');
      const ok =
        alg === 'RS256'
          ? verify('sha256', data, this.certificateKey, signature)
          : alg === 'PS256'
            ? verify('sha256', data, { key: this.certificateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature)
            : false;
      if (!ok) return [700027, 'Client assertion contains an invalid signature.'];
    }
    return undefined;
  }
}
