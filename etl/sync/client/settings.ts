import { DomainError, ErrorCode } from '../../../core/errors';

/**
 * Settings of the Partner Center client layer, all from environment variables (README,
 * "Configuration"): the Entra app that signs in (tenant, client id, and a secret or a certificate)
 * and the hosts it calls. The URLs can point at a stand-in server (tests, demos); `http:` URLs are
 * then allowed for the login host too (token.ts).
 *
 *   const settings = partnerCenterSettingsFromEnv();   // throws a DomainError naming every bad setting
 */
export interface PartnerCenterSettings {
  /** The partner's Entra tenant: a GUID or a verified domain (contoso.onmicrosoft.com). */
  tenantId: string;
  /** The Entra application (client) id, a GUID. */
  clientId: string;
  /** Client secret; exactly one of clientSecret and certificatePath is set. */
  clientSecret?: string;
  /** PEM file holding the certificate's private key and the certificate. */
  certificatePath?: string;
  /** Entra login host, without a trailing slash. */
  loginUrl: string;
  /** Partner Center REST API host (paths start with /v1). */
  apiUrl: string;
  /** Partner Center Referrals API host (paths start with /v1.0). */
  referralsUrl: string;
  /** Microsoft Graph base, including the version segment (…/v1.0). */
  graphUrl: string;
  /** Longest a single HTTP request may take (for a blob download: longest without receiving a byte). */
  requestTimeoutMs: number;
  /** Retries after the first attempt on throttling, server errors, network errors and timeouts. */
  maxRetries: number;
}

/** Token scopes (client credentials grant: the resource's `/.default`). */
export const PARTNER_CENTER_SCOPE = 'https://api.partnercenter.microsoft.com/.default';
export const GRAPH_SCOPE = 'https://graph.microsoft.com/.default';
export const REFERRALS_SCOPE = 'https://api.partner.microsoft.com/.default';

export interface SettingHelp {
  name: string;
  /** The default, or undefined for a setting without one. */
  default?: string;
  meaning: string;
}

const DEFAULTS = {
  loginUrl: 'https://login.microsoftonline.com',
  apiUrl: 'https://api.partnercenter.microsoft.com',
  referralsUrl: 'https://api.partner.microsoft.com',
  graphUrl: 'https://graph.microsoft.com/v1.0',
  requestTimeoutMs: 120_000,
  maxRetries: 5,
} as const;

const TIMEOUT_RANGE = { min: 1_000, max: 3_600_000 };
const RETRIES_RANGE = { min: 0, max: 20 };

/** What the CLI help and the README print, in this order. */
export const SETTINGS_HELP: readonly SettingHelp[] = [
  { name: 'PI_PC_TENANT_ID', meaning: "the partner's Entra tenant ID (Directory ID, a GUID): the partner synced; required" },
  { name: 'PI_PC_CLIENT_ID', meaning: 'the Entra application (client) id (GUID); required' },
  { name: 'PI_PC_CLIENT_SECRET', meaning: "the application's client secret; this or PI_PC_CLIENT_CERTIFICATE" },
  {
    name: 'PI_PC_CLIENT_CERTIFICATE',
    meaning: 'path of a PEM file with the private key and the certificate registered on the application; this or PI_PC_CLIENT_SECRET',
  },
  { name: 'PI_PC_LOGIN_URL', default: DEFAULTS.loginUrl, meaning: 'Entra login host' },
  { name: 'PI_PC_API_URL', default: DEFAULTS.apiUrl, meaning: 'Partner Center REST API host' },
  { name: 'PI_PC_REFERRALS_URL', default: DEFAULTS.referralsUrl, meaning: 'Partner Center Referrals API host' },
  { name: 'PI_GRAPH_URL', default: DEFAULTS.graphUrl, meaning: 'Microsoft Graph base URL (partner billing exports)' },
  {
    name: 'PI_PC_REQUEST_TIMEOUT_MS',
    default: String(DEFAULTS.requestTimeoutMs),
    meaning: `longest one HTTP request may take, ${TIMEOUT_RANGE.min}-${TIMEOUT_RANGE.max} ms (a blob download: longest without data)`,
  },
  {
    name: 'PI_PC_MAX_RETRIES',
    default: String(DEFAULTS.maxRetries),
    meaning: `retries of a request on 429, 5xx, network errors and timeouts, ${RETRIES_RANGE.min}-${RETRIES_RANGE.max}`,
  },
];

interface Problem {
  setting: string;
  problem: string;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An environment variable's value; empty and blank count as unset. */
function read(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value ? value : undefined;
}

function baseUrl(env: NodeJS.ProcessEnv, name: string, fallback: string, problems: Problem[]): string {
  const value = read(env, name) ?? fallback;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    problems.push({ setting: name, problem: `${JSON.stringify(value)} is not a URL; allowed: an http(s) URL such as ${fallback}` });
    return value;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    problems.push({ setting: name, problem: `${JSON.stringify(value)} is not an http(s) URL; allowed: an http(s) URL such as ${fallback}` });
  } else if (url.search || url.hash || url.username || url.password) {
    problems.push({ setting: name, problem: 'must not carry a query, a fragment or credentials; allowed: a scheme, host and optional path' });
  }
  return value.replace(/\/+$/, '');
}

function integer(
  env: NodeJS.ProcessEnv,
  name: string,
  fallback: number,
  range: { min: number; max: number },
  unit: string,
  problems: Problem[],
): number {
  const value = read(env, name);
  if (value === undefined) return fallback;
  const parsed = /^\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < range.min || parsed > range.max) {
    problems.push({ setting: name, problem: `${JSON.stringify(value)} is not allowed; allowed: a whole number of ${unit} from ${range.min} to ${range.max}` });
    return fallback;
  }
  return parsed;
}

/**
 * The settings from the environment, with the defaults of SETTINGS_HELP. Every missing or invalid
 * setting is reported at once (a DomainError BAD_USER_INPUT whose message names each, and whose
 * details.problems lists { setting, problem }). The secret's value never appears in a message.
 */
export function partnerCenterSettingsFromEnv(env: NodeJS.ProcessEnv = process.env): PartnerCenterSettings {
  const problems: Problem[] = [];

  const tenantId = read(env, 'PI_PC_TENANT_ID');
  // The tenant ID is also the warehouse's partner id, the PartnerId of every reconciliation line: a GUID, not a domain.
  if (!tenantId) problems.push({ setting: 'PI_PC_TENANT_ID', problem: "missing; allowed: the partner's Entra tenant ID (Directory ID), a GUID" });
  else if (!GUID.test(tenantId)) {
    problems.push({ setting: 'PI_PC_TENANT_ID', problem: `${JSON.stringify(tenantId)} is not allowed; allowed: the tenant ID as a GUID (the partner id of its reconciliation lines), not a domain` });
  }

  const clientId = read(env, 'PI_PC_CLIENT_ID');
  if (!clientId) problems.push({ setting: 'PI_PC_CLIENT_ID', problem: 'missing; allowed: the Entra application (client) id, a GUID' });
  else if (!GUID.test(clientId)) problems.push({ setting: 'PI_PC_CLIENT_ID', problem: `${JSON.stringify(clientId)} is not allowed; allowed: a GUID` });

  const clientSecret = read(env, 'PI_PC_CLIENT_SECRET');
  const certificatePath = read(env, 'PI_PC_CLIENT_CERTIFICATE');
  if (!clientSecret && !certificatePath) {
    problems.push({
      setting: 'PI_PC_CLIENT_SECRET or PI_PC_CLIENT_CERTIFICATE',
      problem: "missing; allowed: the application's client secret, or the path of a PEM file with its private key and certificate",
    });
  } else if (clientSecret && certificatePath) {
    problems.push({ setting: 'PI_PC_CLIENT_SECRET and PI_PC_CLIENT_CERTIFICATE', problem: 'both set; allowed: exactly one of them' });
  }

  const settings: PartnerCenterSettings = {
    tenantId: tenantId ?? '',
    clientId: clientId ?? '',
    ...(clientSecret ? { clientSecret } : {}),
    ...(certificatePath ? { certificatePath } : {}),
    loginUrl: baseUrl(env, 'PI_PC_LOGIN_URL', DEFAULTS.loginUrl, problems),
    apiUrl: baseUrl(env, 'PI_PC_API_URL', DEFAULTS.apiUrl, problems),
    referralsUrl: baseUrl(env, 'PI_PC_REFERRALS_URL', DEFAULTS.referralsUrl, problems),
    graphUrl: baseUrl(env, 'PI_GRAPH_URL', DEFAULTS.graphUrl, problems),
    requestTimeoutMs: integer(env, 'PI_PC_REQUEST_TIMEOUT_MS', DEFAULTS.requestTimeoutMs, TIMEOUT_RANGE, 'milliseconds', problems),
    maxRetries: integer(env, 'PI_PC_MAX_RETRIES', DEFAULTS.maxRetries, RETRIES_RANGE, 'retries', problems),
  };

  if (problems.length > 0) {
    throw new DomainError(
      ErrorCode.BAD_USER_INPUT,
      `Partner Center settings are not usable: ${problems.map((p) => `${p.setting}: ${p.problem}`).join('; ')}`,
      { problems, missing: problems.filter((p) => p.problem.startsWith('missing')).map((p) => p.setting) },
    );
  }
  return settings;
}
