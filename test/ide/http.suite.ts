import { gunzipSync } from 'node:zlib';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { parse, validate, buildSchema } from 'graphql';
import { readFileSync } from 'node:fs';
import { IDE_EXAMPLES, loadIdeExamples } from '../../gateway/ide/examples';
import { prefersHtml } from '../../gateway/ide-route';
import { startServer } from '../../gateway/server';
import { P1, gql, startTestEnv, testAuth, token, type TestEnv } from '../gateway/harness';

/**
 * The IDE and the landing page over HTTP (the browser test is browser.suite.ts): GET /graphql from a
 * browser is the IDE page without a token, with every file it loads served here; API clients' GETs
 * and POSTs reach Apollo exactly as before (401 without a token, CSRF prevention); GET / is a page
 * for browsers and JSON for the rest.
 */
const BROWSER_ACCEPT = 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,image/apng,*/*;q=0.8';

let env: TestEnv;
let base: string;
beforeAll(async () => {
  env = await startTestEnv();
  base = env.server.url;
});
afterAll(async () => env?.close());

interface Raw {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** A request with exactly these headers (fetch adds Accept and Accept-Encoding of its own). */
function raw(path: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Raw> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, { method: options.method ?? 'GET', headers: options.headers ?? {} }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

async function idePage(): Promise<string> {
  const page = await raw('/graphql', { headers: { accept: BROWSER_ACCEPT } });
  expect(page.status).toBe(200);
  return page.body.toString('utf8');
}

/** The URLs the page loads: scripts and stylesheets. */
function assetUrls(html: string): string[] {
  return [...html.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"/g)].map((m) => m[1]).filter((u) => !u.startsWith('data:'));
}

test('Accept negotiation is Apollo landing page\'s: browsers get HTML, API clients and */* JSON', () => {
  expect(prefersHtml(BROWSER_ACCEPT)).toBe(true);
  expect(prefersHtml('text/html')).toBe(true);
  expect(prefersHtml(undefined)).toBe(false);
  expect(prefersHtml('*/*')).toBe(false);
  expect(prefersHtml('application/json')).toBe(false);
  expect(prefersHtml('application/json, text/html')).toBe(false);
  expect(prefersHtml('application/graphql-response+json, application/json;q=0.9')).toBe(false);
  expect(prefersHtml('text/html;q=0.5, application/json')).toBe(false);
});

test('GET /graphql from a browser: the IDE page, without a token, loading only files of this server', async () => {
  const page = await raw('/graphql', { headers: { accept: BROWSER_ACCEPT } });
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(page.headers['cache-control']).toBe('no-cache');
  expect(page.headers.vary).toBe('Accept');
  expect(page.headers['content-security-policy']).toContain("script-src 'self'");
  expect(page.headers['content-security-policy']).toContain("connect-src 'self'");
  const html = page.body.toString('utf8');
  expect(html).toContain('id="pi-token"');
  // No URL with a scheme or protocol-relative anywhere in the markup: nothing but this server.
  expect(html.match(/(?:src|href)="(?:[a-z]+:|\/\/)(?!,)/gi) ?? []).toEqual([]);
  expect(html).not.toMatch(/https?:\/\//);
  const urls = assetUrls(html);
  expect(urls).toHaveLength(6);
  expect(urls).toEqual(
    expect.arrayContaining([
      expect.stringMatching(/^\/ide\/graphiql-3\.\d+\.\d+\/graphiql\.min\.css$/),
      expect.stringMatching(/^\/ide\/graphiql-3\.\d+\.\d+\/graphiql\.min\.js$/),
      expect.stringMatching(/^\/ide\/pi-[0-9a-f]{12}\/ide\.css$/),
      expect.stringMatching(/^\/ide\/pi-[0-9a-f]{12}\/ide\.js$/),
      expect.stringMatching(/^\/ide\/react-18\.\d+\.\d+\/react\.production\.min\.js$/),
      expect.stringMatching(/^\/ide\/react-dom-18\.\d+\.\d+\/react-dom\.production\.min\.js$/),
    ]),
  );
  // With a token and a query in the URL it is still the page (Apollo's landing page was too).
  const bearer = await token(P1, ['Global admin']);
  const withToken = await raw('/graphql?query=%7B__typename%7D', { headers: { accept: BROWSER_ACCEPT, authorization: `Bearer ${bearer}` } });
  expect(withToken.status).toBe(200);
  expect(withToken.headers['content-type']).toBe('text/html; charset=utf-8');
});

test('the IDE\'s files: content types, a year of caching, gzip when accepted, HEAD; unknown names 404', async () => {
  const urls = assetUrls(await idePage());
  for (const url of urls) {
    const plain = await raw(url);
    expect({ url, status: plain.status }).toEqual({ url, status: 200 });
    expect(plain.headers['content-type']).toBe(url.endsWith('.css') ? 'text/css; charset=utf-8' : 'text/javascript; charset=utf-8');
    expect(plain.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(plain.headers['x-content-type-options']).toBe('nosniff');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(Number(plain.headers['content-length'])).toBe(plain.body.length);
    expect(plain.body.length).toBeGreaterThan(1000);
    const gzipped = await raw(url, { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(gzipped.headers['content-encoding']).toBe('gzip');
    expect(gzipped.body.length).toBeLessThan(plain.body.length);
    expect(gunzipSync(gzipped.body).equals(plain.body)).toBe(true);
    const head = await raw(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers['content-length']).toBe(plain.headers['content-length']);
    expect(head.body.length).toBe(0);
  }
  const graphiql = (await raw(urls.find((u) => u.endsWith('graphiql.min.js'))!)).body.toString('utf8');
  expect(graphiql).toContain('window.GraphiQL');
  const missing = await raw('/ide/graphiql-0.0.0/graphiql.min.js');
  expect(missing.status).toBe(404);
  expect(JSON.parse(missing.body.toString())).toEqual({ error: 'no route for /ide/graphiql-0.0.0/graphiql.min.js' });
});

test('API clients: POST and GET /graphql without a token are 401 as before; with one they work; CSRF prevention holds', async () => {
  const post = await gql(env.server.graphqlUrl, null, '{ __typename }');
  expect(post.status).toBe(401);
  for (const accept of [undefined, '*/*', 'application/json']) {
    const get = await raw('/graphql?query=%7B__typename%7D', { headers: accept ? { accept } : {} });
    expect({ accept, status: get.status }).toEqual({ accept, status: 401 });
    expect(get.headers['content-type']).toMatch(/^application\/json/);
  }
  const bearer = await token(P1, ['Global admin']);
  const ok = await gql(env.server.graphqlUrl, bearer, '{ partner { name } }');
  expect(ok).toEqual({ status: 200, body: { data: { partner: { name: 'Contoso Cloud Partner' } } } });
  // A GET without a preflight-forcing header is refused by Apollo's CSRF prevention, as before.
  const csrf = await raw('/graphql?query=%7B__typename%7D', { headers: { authorization: `Bearer ${bearer}` } });
  expect(csrf.status).toBe(400);
  expect(csrf.body.toString()).toMatch(/Cross-Site Request Forgery/);
  const get = await raw('/graphql?query=%7B__typename%7D', { headers: { authorization: `Bearer ${bearer}`, 'apollo-require-preflight': 'true' } });
  expect(get.status).toBe(200);
  expect(JSON.parse(get.body.toString())).toEqual({ data: { __typename: 'Query' } });
  // A text/plain POST (what a form could send) is refused too.
  const plain = await raw('/graphql', { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'text/plain' }, body: '{"query":"{__typename}"}' });
  expect(plain.status).toBe(400);
  // Another method: 405 naming GET and POST once each.
  const put = await raw('/graphql', { method: 'PUT' });
  expect(put.status).toBe(405);
  expect(put.headers.allow).toBe('GET, POST');
});

test('GET /: a page for browsers (no external file), JSON for the rest; /healthz unchanged', async () => {
  const page = await raw('/', { headers: { accept: BROWSER_ACCEPT } });
  expect(page.status).toBe(200);
  expect(page.headers['content-type']).toBe('text/html; charset=utf-8');
  expect(page.headers['content-security-policy']).toMatch(/^default-src 'none'/);
  const html = page.body.toString('utf8');
  for (const href of ['/graphql', '/exports', '/reports/executive', '/healthz']) expect(html).toContain(`href="${href}"`);
  expect(html).toContain('README.md');
  expect(html).toContain('warehouse.duckdb');
  expect(html).not.toMatch(/https?:\/\//);
  expect(html).not.toMatch(/<script\b/);
  const json = await raw('/');
  expect(json.status).toBe(200);
  expect(json.headers['content-type']).toMatch(/^application\/json/);
  const index = JSON.parse(json.body.toString());
  expect(index).toMatchObject({ name: 'partner-insights', graphql: '/graphql', mode: 'gateway', warehouse: 'warehouse.duckdb' });
  expect(index.links.map((l: { href: string }) => l.href)).toEqual(['/graphql', '/exports', '/reports/executive', '/healthz']);
  const health = await raw('/healthz', { headers: { accept: BROWSER_ACCEPT } });
  expect({ status: health.status, body: health.body.toString() }).toEqual({ status: 200, body: '{"status":"ok"}' });
});

test('the example operations come from operations/ and are valid against the API schema', () => {
  const root = join(__dirname, '..', '..');
  const examples = loadIdeExamples(join(root, 'operations'));
  expect(examples.map((e) => e.name)).toEqual(IDE_EXAMPLES.map((e) => e.operation));
  const schema = buildSchema(readFileSync(join(root, 'schema.graphql'), 'utf8'));
  for (const example of examples) {
    const source = readFileSync(join(root, example.file), 'utf8');
    // The operation's text as written in its file.
    expect(source).toContain(example.query.split('\n\n')[0].split('\n').filter((l) => !l.startsWith('#')).join('\n'));
    expect(example.description.length).toBeGreaterThan(10);
    expect(validate(schema, parse(example.query))).toEqual([]);
  }
  expect(examples.find((e) => e.name === 'OverviewReport')!.query).toContain('fragment InsightsKpiFields on InsightsKpi');
});

test('one subgraph served alone: the IDE too, and a landing page without the product routes', async () => {
  const server = await startServer({ warehouse: env.warehouse, subgraph: 'accounts', port: 0, host: '127.0.0.1', auth: testAuth, ownerFile: false });
  try {
    const page = await fetch(server.graphqlUrl, { headers: { accept: BROWSER_ACCEPT } });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('id="pi-token"');
    const index = (await (await fetch(`${server.url}/`)).json()) as { mode: string; links: { href: string }[] };
    expect(index).toMatchObject({ mode: 'subgraph accounts' });
    expect(index.links.map((l: { href: string }) => l.href)).toEqual(['/graphql', '/healthz']);
    expect((await gql(server.graphqlUrl, null, '{ __typename }')).status).toBe(401);
  } finally {
    await server.close();
  }
});
