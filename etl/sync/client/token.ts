import { createHash, createPrivateKey, webcrypto, X509Certificate, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as oidc from 'openid-client';
import { badUserInput } from '../../../core/errors';
import type { PartnerCenterSettings } from './settings';

/**
 * App-only access tokens from Entra (OAuth 2.0 client credentials grant, through openid-client),
 * one per scope: Partner Center, Graph, Referrals. No discovery call: the token endpoint is
 * `${loginUrl}/${tenantId}/oauth2/v2.0/token`. The app proves itself with its secret
 * (client_secret_post) or with its certificate: a client assertion signed PS256 with the private
 * key, its header carrying the certificate's x5t#S256 thumbprint and `aud` the token endpoint, as
 * Entra expects ("Microsoft identity platform certificate credentials").
 *
 *   const tokens = createTokenSource(settings);
 *   const token = await tokens.token(PARTNER_CENTER_SCOPE);   // cached until 5 min before expiry
 *
 * Concurrent callers of one scope share one request. Failed requests (429, 5xx, network) are
 * retried like ApiHttp's. The secret, the key and the tokens never appear in messages or errors.
 */
export interface TokenSource {
  token(scope: string): Promise<string>;
}

export interface TokenSourceOptions {
  /** Waits between retries. Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** The clock, for the cache. Default Date.now. */
  now?: () => number;
}

/** Refresh this long before a token expires (a sync step must not start with a token about to lapse). */
const REFRESH_MARGIN_MS = 5 * 60_000;
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);

/** Paths of a token request, for errors and tests. */
export function tokenEndpoint(settings: Pick<PartnerCenterSettings, 'loginUrl' | 'tenantId'>): string {
  return `${settings.loginUrl}/${encodeURIComponent(settings.tenantId)}/oauth2/v2.0/token`;
}

interface Certificate {
  privateKey: KeyObject;
  /** base64url SHA-256 of the certificate's DER encoding. */
  thumbprint: string;
}

/** Reads the PEM file: the private key (PKCS#8 or PKCS#1, unencrypted, RSA) and the certificate that matches it. */
export function readCertificate(path: string): Certificate {
  let pem: string;
  try {
    pem = readFileSync(path, 'utf8');
  } catch (error) {
    throw badUserInput(`PI_PC_CLIENT_CERTIFICATE: cannot read ${JSON.stringify(path)} (${(error as NodeJS.ErrnoException).code ?? 'error'})`, 'PI_PC_CLIENT_CERTIFICATE');
  }
  const certificateBlock = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)?.[0];
  const keyBlock = pem.match(/-----BEGIN (RSA )?PRIVATE KEY-----[\s\S]+?-----END (RSA )?PRIVATE KEY-----/)?.[0];
  if (!certificateBlock || !keyBlock) {
    throw badUserInput(
      `PI_PC_CLIENT_CERTIFICATE: ${JSON.stringify(path)} must hold an unencrypted private key (BEGIN PRIVATE KEY or BEGIN RSA PRIVATE KEY) and a certificate (BEGIN CERTIFICATE)`,
      'PI_PC_CLIENT_CERTIFICATE',
    );
  }
  let certificate: X509Certificate;
  let privateKey: KeyObject;
  try {
    certificate = new X509Certificate(certificateBlock);
    privateKey = createPrivateKey(keyBlock);
  } catch {
    throw badUserInput(`PI_PC_CLIENT_CERTIFICATE: ${JSON.stringify(path)} holds a key or certificate that cannot be read`, 'PI_PC_CLIENT_CERTIFICATE');
  }
  if (privateKey.asymmetricKeyType !== 'rsa') {
    throw badUserInput(`PI_PC_CLIENT_CERTIFICATE: the key in ${JSON.stringify(path)} is ${privateKey.asymmetricKeyType}; Entra client assertions need an RSA key`, 'PI_PC_CLIENT_CERTIFICATE');
  }
  if (!certificate.checkPrivateKey(privateKey)) {
    throw badUserInput(`PI_PC_CLIENT_CERTIFICATE: the private key in ${JSON.stringify(path)} does not belong to its certificate`, 'PI_PC_CLIENT_CERTIFICATE');
  }
  return { privateKey, thumbprint: createHash('sha256').update(certificate.raw).digest('base64url') };
}

/** The signing key for openid-client: WebCrypto RSA-PSS/SHA-256, so the assertion is PS256. */
async function signingKey(certificate: Certificate): Promise<webcrypto.CryptoKey> {
  const der = certificate.privateKey.export({ type: 'pkcs8', format: 'der' });
  return webcrypto.subtle.importKey('pkcs8', der, { name: 'RSA-PSS', hash: 'SHA-256' }, false, ['sign']);
}

async function configuration(settings: PartnerCenterSettings, certificate: Certificate | undefined): Promise<oidc.Configuration> {
  const endpoint = tokenEndpoint(settings);
  const server: oidc.ServerMetadata = { issuer: `${settings.loginUrl}/${encodeURIComponent(settings.tenantId)}/v2.0`, token_endpoint: endpoint };
  const auth = certificate
    ? oidc.PrivateKeyJwt(await signingKey(certificate), {
        [oidc.modifyAssertion]: (header, payload) => {
          header.typ = 'JWT';
          header['x5t#S256'] = certificate.thumbprint;
          // openid-client addresses the assertion to the issuer; Entra wants the token endpoint.
          payload.aud = endpoint;
        },
      })
    : oidc.ClientSecretPost(settings.clientSecret);
  const config = new oidc.Configuration(server, settings.clientId, undefined, auth);
  config.timeout = Math.max(1, Math.ceil(settings.requestTimeoutMs / 1000));
  if (new URL(settings.loginUrl).protocol === 'http:') oidc.allowInsecureRequests(config);
  return config;
}

/** The HTTP status of a failed token request, when there was a response. */
function statusOf(error: unknown): number | undefined {
  const e = error as { status?: unknown; cause?: { status?: unknown } };
  if (typeof e.status === 'number') return e.status;
  if (typeof e.cause?.status === 'number') return e.cause.status;
  return undefined;
}

/**
 * Worth another try: throttling and server errors, timeouts (openid-client's OAUTH_TIMEOUT) and
 * network failures (fetch's TypeError with a cause). Not a refused client (400, 401).
 */
function retryable(error: unknown): boolean {
  const status = statusOf(error);
  if (status !== undefined) return RETRYABLE_STATUSES.has(status);
  if ((error as { code?: unknown }).code === 'OAUTH_TIMEOUT') return true;
  return error instanceof TypeError && (error as { cause?: unknown }).cause !== undefined;
}

/** A message for a failed token request: Entra's error code and description, never the request. */
function failureMessage(settings: PartnerCenterSettings, scope: string, error: unknown, attempts: number): string {
  const e = error as { error?: unknown; error_description?: unknown; code?: unknown; message?: unknown; cause?: { code?: unknown } };
  const status = statusOf(error);
  const reason =
    typeof e.error === 'string'
      ? `${e.error}${typeof e.error_description === 'string' ? `: ${e.error_description.split(/\r?\n/)[0].slice(0, 300)}` : ''}`
      : typeof e.cause?.code === 'string'
        ? e.cause.code
        : typeof e.message === 'string'
          ? e.message
          : 'unknown error';
  return `could not get a token for ${scope} from ${tokenEndpoint(settings)}${status ? ` (HTTP ${status})` : ''} after ${attempts} attempt${attempts === 1 ? '' : 's'}: ${reason}`;
}

export class TokenRequestError extends Error {
  constructor(
    message: string,
    readonly scope: string,
    readonly status: number | undefined,
  ) {
    super(message);
    this.name = 'TokenRequestError';
  }
}

export function createTokenSource(settings: PartnerCenterSettings, options: TokenSourceOptions = {}): TokenSource {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  // Read (and check) the certificate now: a bad file is a setting to fix, reported before any work.
  const certificate = settings.certificatePath ? readCertificate(settings.certificatePath) : undefined;
  if (!certificate && !settings.clientSecret) throw badUserInput('PI_PC_CLIENT_SECRET or PI_PC_CLIENT_CERTIFICATE is required', 'PI_PC_CLIENT_SECRET');

  let config: Promise<oidc.Configuration> | undefined;
  const cache = new Map<string, { token: string; refreshAt: number }>();
  const pending = new Map<string, Promise<string>>();

  async function request(scope: string): Promise<string> {
    config ??= configuration(settings, certificate);
    const attempts = settings.maxRetries + 1;
    for (let n = 1; ; n++) {
      try {
        const response = await oidc.clientCredentialsGrant(await config, { scope });
        const lifetimeMs = (response.expires_in ?? 3600) * 1000;
        // A short-lived token is refreshed half-way through rather than never cached.
        const margin = Math.min(REFRESH_MARGIN_MS, lifetimeMs / 2);
        cache.set(scope, { token: response.access_token, refreshAt: now() + lifetimeMs - margin });
        return response.access_token;
      } catch (error) {
        const status = statusOf(error);
        if (retryable(error) && n < attempts) {
          await sleep(Math.min(60_000, 1000 * 2 ** (n - 1)));
          continue;
        }
        throw new TokenRequestError(failureMessage(settings, scope, error, n), scope, status);
      }
    }
  }

  return {
    token(scope: string): Promise<string> {
      const cached = cache.get(scope);
      if (cached && now() < cached.refreshAt) return Promise.resolve(cached.token);
      let inFlight = pending.get(scope);
      if (!inFlight) {
        inFlight = request(scope).finally(() => pending.delete(scope));
        pending.set(scope, inFlight);
      }
      return inFlight;
    },
  };
}
