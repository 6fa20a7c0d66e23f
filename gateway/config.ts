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
 *   NODE_ENV=development         stack traces and internal error messages in responses
 */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got "${raw}"`);
  return n;
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
