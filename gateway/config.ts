/**
 * Server settings from the environment, with their documented defaults:
 *
 *   PI_PORT            4000      HTTP port (0 = any free port)
 *   PI_HOST            0.0.0.0   interface to listen on
 *   PI_MAX_DEPTH       12        deepest GraphQL selection accepted
 *   PI_MAX_COST        50000     largest static query cost accepted (fields x page sizes)
 *   PI_MAX_PAGE_SIZE   100       largest first/last (schema/common/connection.ts)
 *   PI_SUBGRAPH_URLS   (none)    "accounts=http://host:4001/graphql,..." subgraphs called over HTTP
 *   PI_LOG_LEVEL       info      pino level (silent under NODE_ENV=test unless set)
 *   PI_JWT_SECRET / PI_JWT_PUBLIC_KEY / PI_JWT_ISSUER / PI_JWT_AUDIENCE: see gateway/auth.ts
 *   PI_REQUIRE_MFA     off       a token for an admin role (core/permissions.ts MFA_ROLES) must show
 *                                multi-factor authentication: "mfa" in its "amr" claim (gateway/auth.ts)
 *   PI_CORS_ORIGINS    (none)    browser origins allowed cross-origin, comma-separated, or "*" (corsOrigins)
 *   PI_WS_MAX_CONNECTIONS    1000  websocket connections (subscriptions) a server takes (gateway/live-socket.ts)
 *   PI_WS_MAX_SUBSCRIPTIONS  20    subscriptions at once on one websocket connection
 *   PI_WS_INIT_TIMEOUT_MS    5000  time a websocket connection has to send connection_init (its token)
 *   NODE_ENV=development         stack traces and internal error messages in responses
 */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return n;
}

/** A yes/no setting: 1, true, yes, on / 0, false, no, off (any case); unset or empty: the fallback. */
export function envFlag(name: string, fallback: boolean, env: NodeJS.ProcessEnv = process.env): boolean {
  const raw = env[name]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw)) return true;
  if (['0', 'false', 'no', 'off'].includes(raw)) return false;
  throw new Error(`${name} must be 1 or 0 (true/false, yes/no, on/off), got "${env[name]}"`);
}

/**
 * PI_REQUIRE_MFA (off by default): admin roles need multi-factor authentication, as the partner
 * security requirements mandate (reference line 18591: Partner Center checks "for the presence of the
 * MFA claim"; line 18713: "the presence of the MFA value in the Authentication Method Reference (AMR)
 * claim").
 */
export function requireMfa(env: NodeJS.ProcessEnv = process.env): boolean {
  return envFlag('PI_REQUIRE_MFA', false, env);
}

export function defaultPort(): number {
  return envInt('PI_PORT', 4000);
}

export function defaultHost(): string {
  return process.env.PI_HOST || '0.0.0.0';
}

/** "accounts=http://a:4001/graphql,subscriptions=http://b:4002/graphql" -> { accounts: ..., subscriptions: ... } */
export function parseSubgraphUrls(value: string | undefined = process.env.PI_SUBGRAPH_URLS): Record<string, string> {
  const urls: Record<string, string> = {};
  for (const entry of (value ?? '').split(',').map((s) => s.trim()).filter(Boolean)) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq).trim();
    const url = entry.slice(eq + 1).trim();
    if (eq <= 0 || !/^https?:\/\//.test(url)) {
      throw new Error(`PI_SUBGRAPH_URLS: expected name=http(s)://url, got "${entry}"`);
    }
    urls[name] = url;
  }
  return urls;
}

export function isDevelopment(): boolean {
  return process.env.NODE_ENV === 'development';
}

/**
 * PI_CORS_ORIGINS: the browser origins allowed to call the server cross-origin, comma-separated
 * ("https://app.example.com,http://localhost:5173"), or "*" alone for any origin (then without
 * credentials). Unset or empty: none, no CORS headers at all. Each origin is scheme://host[:port],
 * no path, as the browser sends it in Origin (host lowercased, default port left out: the URL's
 * origin); a trailing slash is dropped. Anything else stops the start with the reason.
 */
export function corsOrigins(env: NodeJS.ProcessEnv = process.env): string[] | '*' {
  const entries = (env.PI_CORS_ORIGINS ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  if (entries.includes('*')) {
    if (entries.length > 1) throw new Error(`PI_CORS_ORIGINS: "*" (any origin) stands alone, got "${env.PI_CORS_ORIGINS}"`);
    return '*';
  }
  return [
    ...new Set(
      entries.map((entry) => {
        let url: URL | null = null;
        try {
          url = new URL(entry);
        } catch {
          // reported below
        }
        if (!url || !/^https?:$/.test(url.protocol) || url.pathname !== '/' || url.search || url.hash || url.username || /[^/]\/./.test(entry.slice(entry.indexOf('//') + 2))) {
          throw new Error(`PI_CORS_ORIGINS: expected origins such as https://app.example.com (scheme://host[:port], no path), got "${entry}"`);
        }
        return url.origin;
      }),
    ),
  ];
}
