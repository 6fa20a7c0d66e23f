import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SignJWT } from 'jose';
import { AuthError, authenticate, devSecretPath, loadAuthConfig, mintToken } from '../../gateway/auth';
import { P1, gql, metricValue, startTestEnv, token, type TestEnv } from './harness';

/** Bearer tokens, open operational routes and metrics, over real HTTP. */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

async function raw(path: string, init: RequestInit = {}) {
  const response = await fetch(`${env.server.url}${path}`, init);
  return { status: response.status, headers: response.headers, text: await response.text() };
}

describe('401 for requests without a valid token', () => {
  const query = JSON.stringify({ query: '{ partner { id } }' });
  const post = (authorization?: string) =>
    raw('/graphql', { method: 'POST', headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) }, body: query });

  it('without a token', async () => {
    const r = await post();
    expect(r.status).toBe(401);
    expect(r.headers.get('content-type')).toMatch(/^application\/json/);
    expect(r.headers.get('www-authenticate')).toMatch(/^Bearer error="invalid_token"/);
    expect(JSON.parse(r.text)).toEqual({ error: 'unauthorized', message: expect.stringMatching(/missing bearer token/) });
  });

  it('with a header that is not Bearer', async () => {
    const r = await post('Basic dXNlcjpwYXNz');
    expect(r.status).toBe(401);
    expect(JSON.parse(r.text).message).toMatch(/must be "Bearer <token>"/);
  });

  it('with a token signed with another key', async () => {
    const other = loadAuthConfig({ PI_JWT_SECRET: 'some-other-secret' });
    const forged = await mintToken(other, { partner: P1, roles: ['Global admin'] });
    const r = await post(`Bearer ${forged}`);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.text).message).toMatch(/signature is invalid/);
  });

  it('with an expired token', async () => {
    const expired = await token(P1, ['Global admin'], { expiresIn: -60 });
    const r = await post(`Bearer ${expired}`);
    expect(r.status).toBe(401);
    expect(JSON.parse(r.text).message).toMatch(/^token expired at \d{4}-/);
  });

  it('with garbage, an unknown role or no partner claim', async () => {
    expect(JSON.parse((await post('Bearer not.a.jwt')).text).message).toMatch(/not a valid JWT/);
    const secret = new TextEncoder().encode('test-secret-for-partner-insights');
    const sign = (claims: Record<string, unknown>) =>
      new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setExpirationTime('1h').sign(secret);
    const badRole = await post(`Bearer ${await sign({ partner: P1, roles: ['Global Admin'] })}`);
    expect(badRole.status).toBe(401);
    expect(JSON.parse(badRole.text).message).toMatch(/unknown role\(s\) "Global Admin"; roles are: Global admin, /);
    const noPartner = await post(`Bearer ${await sign({ roles: ['Global admin'] })}`);
    expect(JSON.parse(noPartner.text).message).toMatch(/no "partner" claim/);
    const emptyLocations = await post(`Bearer ${await sign({ partner: P1, roles: ['Report viewer'], locations: [] })}`);
    expect(JSON.parse(emptyLocations.text).message).toMatch(/"locations" must be a non-empty array/);
    const noExpiry = await new SignJWT({ partner: P1, roles: [] }).setProtectedHeader({ alg: 'HS256' }).sign(secret);
    expect((await post(`Bearer ${noExpiry}`)).status).toBe(401);
  });

  it('and 200 with a valid one', async () => {
    const r = await gql(env.server.graphqlUrl, await token(P1, ['Report viewer']), '{ partner { id } }');
    expect(r.status).toBe(200);
    expect(r.body.data.partner.id).toBe(P1);
  });
});

describe('keys', () => {
  it('verifies RS256 and ES256 tokens with PI_JWT_PUBLIC_KEY', async () => {
    for (const [type, alg] of [['rsa', 'RS256'], ['ec', 'ES256']] as const) {
      const { privateKey, publicKey } =
        type === 'rsa' ? generateKeyPairSync('rsa', { modulusLength: 2048 }) : generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const config = loadAuthConfig({ PI_JWT_PUBLIC_KEY: publicKey.export({ type: 'spki', format: 'pem' }) as string });
      expect(config.algorithm).toBe(alg);
      const jwt = await new SignJWT({ partner: P1, roles: ['Executive report viewer'], locations: ['1001'] })
        .setProtectedHeader({ alg })
        .setExpirationTime('5m')
        .sign(privateKey);
      expect(await authenticate(config, `Bearer ${jwt}`)).toEqual({
        partnerId: P1, roles: ['Executive report viewer'], locations: ['1001'], subject: undefined,
      });
      const hs = await mintToken(loadAuthConfig({ PI_JWT_SECRET: 'x' }), { partner: P1, roles: [] });
      await expect(authenticate(config, `Bearer ${hs}`)).rejects.toThrow(AuthError);
      await expect(mintToken(config, { partner: P1, roles: [] })).rejects.toThrow(/cannot mint/);
    }
  });

  it('generates the development secret once, next to the warehouse, readable by its owner only', () => {
    const dir = mkdtempSync(join(tmpdir(), 'pi-secret-'));
    try {
      const env = { PI_DB: join(dir, 'db', 'pi.duckdb') };
      expect(devSecretPath(env)).toBe(join(dir, 'db', 'jwt-secret'));
      const first = loadAuthConfig(env);
      const secret = readFileSync(devSecretPath(env), 'utf8');
      expect(secret.trim()).toMatch(/^[0-9a-f]{64}$/);
      expect(statSync(devSecretPath(env)).mode & 0o777).toBe(0o600);
      const second = loadAuthConfig(env);
      expect(Buffer.from(second.verifyKey as Uint8Array).equals(Buffer.from(first.verifyKey as Uint8Array))).toBe(true);
      expect(second.source).toBe(devSecretPath(env));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('operational routes', () => {
  it('serves /healthz and /readyz without a token', async () => {
    expect(await raw('/healthz')).toMatchObject({ status: 200, text: '{"status":"ok"}' });
    expect(await raw('/readyz')).toMatchObject({ status: 200, text: '{"status":"ready"}' });
  });

  it('answers 404 for unknown paths and 405 for wrong methods', async () => {
    expect((await raw('/nope')).status).toBe(404);
    const r = await raw('/healthz', { method: 'POST' });
    expect(r.status).toBe(405);
    expect(r.headers.get('allow')).toBe('GET, HEAD');
  });

  it('exposes Prometheus metrics: HTTP requests, GraphQL latency and errors, SQL statements', async () => {
    const bearer = await token(P1, ['Global admin']);
    await gql(env.server.graphqlUrl, bearer, '{ customers(first: 1) { totalCount } }');
    await gql(env.server.graphqlUrl, bearer, '{ customer(id: "missing") { id } }');
    await raw('/graphql', { method: 'POST' });
    const r = await raw('/metrics');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(r.text).toMatch(/^pi_http_requests_total\{route="graphql",method="POST",status="200"\} [1-9]/m);
    expect(r.text).toMatch(/^pi_http_requests_total\{route="graphql",method="POST",status="401"\} [1-9]/m);
    expect(r.text).toMatch(/^pi_graphql_request_duration_seconds_count\{operation="query"\} [1-9]/m);
    expect(r.text).toMatch(/^pi_graphql_errors_total\{code="NOT_FOUND"\} [1-9]/m);
    expect(await metricValue(env.server.url, 'pi_sql_statements_total')).toBeGreaterThan(0);
  });

  it('returns the request id it was given, or a new one', async () => {
    expect((await raw('/healthz', { headers: { 'x-request-id': 'abc-123' } })).headers.get('x-request-id')).toBe('abc-123');
    expect((await raw('/healthz')).headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });
});
