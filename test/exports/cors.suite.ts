import { corsOrigins } from '../../gateway/config';
import { startTestEnv, token, P1, type TestEnv } from '../gateway/harness';

/**
 * CORS (PI_CORS_ORIGINS, gateway/plugins/common.ts corsPlugin with @fastify/cors) over real HTTP:
 * none by default; listed origins with credentials; "*" without; preflights answered before
 * authentication; the headers on exports (which write their own response) and on a 401.
 */
const APP = 'https://app.example.com';

async function withOrigins<T>(value: string | undefined, fn: (env: TestEnv) => Promise<T>): Promise<T> {
  const saved = process.env.PI_CORS_ORIGINS;
  if (value === undefined) delete process.env.PI_CORS_ORIGINS;
  else process.env.PI_CORS_ORIGINS = value;
  let env: TestEnv | undefined;
  try {
    env = await startTestEnv();
    return await fn(env);
  } finally {
    await env?.close();
    if (saved === undefined) delete process.env.PI_CORS_ORIGINS;
    else process.env.PI_CORS_ORIGINS = saved;
  }
}

const preflight = (url: string, origin: string, method = 'GET', headers = 'authorization') =>
  fetch(url, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, 'access-control-request-headers': headers } });

const corsHeaders = (response: Response) =>
  Object.fromEntries([...response.headers.entries()].filter(([name]) => name.startsWith('access-control-')));

test('PI_CORS_ORIGINS: origins as the browser sends them, "*" alone, anything else refused with the reason', () => {
  expect(corsOrigins({})).toEqual([]);
  expect(corsOrigins({ PI_CORS_ORIGINS: ' ' })).toEqual([]);
  expect(corsOrigins({ PI_CORS_ORIGINS: 'https://App.Example.com/, http://localhost:5173,https://app.example.com:443' })).toEqual([APP, 'http://localhost:5173']);
  expect(corsOrigins({ PI_CORS_ORIGINS: '*' })).toBe('*');
  expect(() => corsOrigins({ PI_CORS_ORIGINS: `*,${APP}` })).toThrow('PI_CORS_ORIGINS: "*" (any origin) stands alone');
  for (const bad of ['app.example.com', 'ftp://app.example.com', 'https://app.example.com/path', 'https://app.example.com?x=1', 'https://user@app.example.com']) {
    expect(() => corsOrigins({ PI_CORS_ORIGINS: bad })).toThrow(`PI_CORS_ORIGINS: expected origins such as https://app.example.com (scheme://host[:port], no path), got "${bad}"`);
  }
});

test('unset: no CORS header anywhere, and OPTIONS is not a route', async () => {
  await withOrigins(undefined, async (env) => {
    const bearer = await token(P1, ['Global admin']);
    const response = await fetch(`${env.server.url}/exports/partner-profile.csv`, { headers: { origin: APP, authorization: `Bearer ${bearer}` } });
    expect(response.status).toBe(200);
    await response.arrayBuffer();
    expect(corsHeaders(response)).toEqual({});
    expect(response.headers.get('vary')).toBe('authorization, x-api-key');
    const options = await preflight(`${env.server.url}/exports/partner-profile.csv`, APP);
    expect(options.status).toBe(405);
    expect(corsHeaders(options)).toEqual({});
  });
});

test('listed origins: preflight 204 before authentication; the origin and credentials on exports, GraphQL and a 401; others get nothing', async () => {
  await withOrigins(`${APP},http://localhost:5173`, async (env) => {
    const url = `${env.server.url}/exports/partner-profile.csv`;
    const options = await preflight(url, APP, 'GET', 'authorization,if-none-match');
    expect(options.status).toBe(204);
    expect(corsHeaders(options)).toMatchObject({
      'access-control-allow-origin': APP,
      'access-control-allow-credentials': 'true',
      'access-control-allow-methods': 'GET, HEAD, POST',
      'access-control-max-age': '600',
    });
    expect(options.headers.get('access-control-allow-headers')).toContain('authorization');
    expect(options.headers.get('access-control-allow-headers')).toContain('if-none-match');
    expect(options.headers.get('vary')).toMatch(/Origin/);

    const bearer = await token(P1, ['Global admin']);
    // An export writes its own response: the headers the hooks set go along, with its own.
    const exported = await fetch(url, { headers: { origin: APP, authorization: `Bearer ${bearer}` } });
    expect(exported.status).toBe(200);
    await exported.arrayBuffer();
    expect(exported.headers.get('access-control-allow-origin')).toBe(APP);
    expect(exported.headers.get('access-control-allow-credentials')).toBe('true');
    expect(exported.headers.get('access-control-expose-headers')).toMatch(/etag.*x-export-rows|x-export-rows.*etag/);
    expect(exported.headers.get('access-control-expose-headers')).toContain('content-disposition');
    expect(exported.headers.get('vary')).toBe('Origin, authorization, x-api-key');
    expect(exported.headers.get('etag')).toMatch(/^W\//);
    const notModified = await fetch(url, { headers: { origin: APP, authorization: `Bearer ${bearer}`, 'if-none-match': exported.headers.get('etag')! } });
    expect(notModified.status).toBe(304);
    expect(notModified.headers.get('access-control-allow-origin')).toBe(APP);
    expect(notModified.headers.get('vary')).toBe('Origin, authorization, x-api-key');

    const graphql = await fetch(env.server.graphqlUrl, {
      method: 'POST',
      headers: { origin: 'http://localhost:5173', authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
      body: JSON.stringify({ query: '{ partner { name } }' }),
    });
    expect(graphql.status).toBe(200);
    expect(graphql.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');

    // A page can read why it was refused.
    const unauthorized = await fetch(url, { headers: { origin: APP } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe(APP);
    expect(unauthorized.headers.get('access-control-expose-headers')).toContain('www-authenticate');

    // Another origin, or no Origin: no CORS header; its preflight is not answered as one.
    const other = await fetch(url, { headers: { origin: 'https://evil.example', authorization: `Bearer ${bearer}` } });
    await other.arrayBuffer();
    expect(other.headers.get('access-control-allow-origin')).toBeNull();
    expect(other.headers.get('access-control-allow-credentials')).toBeNull();
    const sameOrigin = await fetch(url, { headers: { authorization: `Bearer ${bearer}` } });
    await sameOrigin.arrayBuffer();
    expect(sameOrigin.headers.get('access-control-allow-origin')).toBeNull();
    const otherPreflight = await preflight(url, 'https://evil.example');
    expect(otherPreflight.status).toBe(405);
    expect(otherPreflight.headers.get('access-control-allow-origin')).toBeNull();
    // Not a preflight (no Access-Control-Request-Method): refused.
    const bare = await fetch(url, { method: 'OPTIONS', headers: { origin: APP } });
    expect(bare.status).toBe(400);
  });
});

test('"*": any origin, never with credentials', async () => {
  await withOrigins('*', async (env) => {
    const url = `${env.server.url}/exports/partner-profile.csv`;
    const options = await preflight(url, 'https://anywhere.example');
    expect(options.status).toBe(204);
    expect(options.headers.get('access-control-allow-origin')).toBe('*');
    expect(options.headers.get('access-control-allow-credentials')).toBeNull();
    const bearer = await token(P1, ['Global admin']);
    const exported = await fetch(url, { headers: { origin: 'https://anywhere.example', authorization: `Bearer ${bearer}` } });
    expect(exported.status).toBe(200);
    await exported.arrayBuffer();
    expect(exported.headers.get('access-control-allow-origin')).toBe('*');
    expect(exported.headers.get('access-control-allow-credentials')).toBeNull();
    const unauthorized = await fetch(url, { headers: { origin: 'https://anywhere.example' } });
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.headers.get('access-control-allow-origin')).toBe('*');
    expect(unauthorized.headers.get('access-control-allow-credentials')).toBeNull();
  });
});
