import { execFileSync } from 'node:child_process';
import { constants, createHash, createPublicKey, verify, X509Certificate } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { DomainError } from '../../core/errors';
import {
  ApiHttp,
  CorruptBlobError,
  createTokenSource,
  ExportFailedError,
  GRAPH_SCOPE,
  GraphBillingExports,
  PARTNER_CENTER_SCOPE,
  PartnerCenterApiError,
  PartnerCenterClient,
  partnerCenterSettingsFromEnv,
  ReferralsClient,
  TokenRequestError,
  type PartnerCenterSettings,
  type RequestEvent,
} from '../../etl/sync/client';

/**
 * The sync's HTTP client layer against a small local node:http server (real HTTP, real fetch, real
 * openid-client): tokens, paging, retries, timeouts, Graph exports and blob downloads. Waits go
 * through an injected sleep that only records what was asked, so the suite takes well under 5 s.
 */

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}
type Handler = (req: Seen, res: ServerResponse) => void;

const TENANT = '5b0c1d2e-3f40-4a5b-8c6d-7e8f9a0b1c2d';
const CLIENT_ID = '11111111-2222-3333-4444-555555555555';
const SECRET = 'Sup3r~Secret.Value';
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

let server: Server;
let base: string;
let routes: Map<string, Handler>;
let seen: Seen[];
let tokenRequests: URLSearchParams[];
let hanging: ServerResponse[];

function route(method: string, path: string, handler: Handler): void {
  routes.set(`${method} ${path}`, handler);
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  res.end(typeof body === 'string' ? body : JSON.stringify(body));
}

function requestsTo(path: string): Seen[] {
  return seen.filter((r) => r.url.split('?')[0] === path);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: Seen = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(request);
      const path = request.url.split('?')[0];
      if (request.method === 'POST' && path === `/login/${TENANT}/oauth2/v2.0/token`) {
        const form = new URLSearchParams(request.body);
        tokenRequests.push(form);
        return json(res, 200, { token_type: 'Bearer', expires_in: 3600, access_token: `token-${tokenRequests.length}` });
      }
      const handler = routes.get(`${request.method} ${path}`);
      if (!handler) return json(res, 404, { error: `no route ${request.method} ${path}` });
      handler(request, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  routes = new Map();
  seen = [];
  tokenRequests = [];
  hanging = [];
});

afterEach(() => {
  for (const res of hanging) res.destroy();
});

function settings(overrides: Partial<PartnerCenterSettings> = {}): PartnerCenterSettings {
  return {
    tenantId: TENANT,
    clientId: CLIENT_ID,
    clientSecret: SECRET,
    loginUrl: `${base}/login`,
    apiUrl: `${base}/pc`,
    referralsUrl: `${base}/ref`,
    graphUrl: `${base}/graph/v1.0`,
    requestTimeoutMs: 2000,
    maxRetries: 3,
    ...overrides,
  };
}

/** An ApiHttp with a real token source and a recording sleep. */
function client(overrides: Partial<PartnerCenterSettings> = {}) {
  const s = settings(overrides);
  const sleeps: number[] = [];
  const events: RequestEvent[] = [];
  const sleep = async (ms: number) => void sleeps.push(ms);
  const http = new ApiHttp({ settings: s, tokens: createTokenSource(s, { sleep }), sleep, random: () => 0, onRequest: (e) => events.push(e) });
  return { s, http, sleeps, events };
}

async function collect<T>(pages: AsyncGenerator<T[]>): Promise<T[][]> {
  const out: T[][] = [];
  for await (const page of pages) out.push(page);
  return out;
}

describe('settings', () => {
  it('reads the environment, with defaults and trailing slashes trimmed', () => {
    const s = partnerCenterSettingsFromEnv({
      PI_PC_TENANT_ID: TENANT,
      PI_PC_CLIENT_ID: CLIENT_ID,
      PI_PC_CLIENT_SECRET: SECRET,
      PI_PC_API_URL: 'http://localhost:7000/pc//',
    });
    expect(s).toMatchObject({
      loginUrl: 'https://login.microsoftonline.com',
      apiUrl: 'http://localhost:7000/pc',
      referralsUrl: 'https://api.partner.microsoft.com',
      graphUrl: 'https://graph.microsoft.com/v1.0',
      requestTimeoutMs: 120000,
      maxRetries: 5,
      clientSecret: SECRET,
    });
  });

  it('names every missing or invalid setting at once, never the secret', () => {
    let error: unknown;
    try {
      partnerCenterSettingsFromEnv({ PI_PC_CLIENT_ID: 'not-a-guid', PI_PC_REQUEST_TIMEOUT_MS: '5s', PI_GRAPH_URL: 'ftp://x' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(DomainError);
    const message = (error as DomainError).message;
    for (const name of ['PI_PC_TENANT_ID', 'PI_PC_CLIENT_ID', 'PI_PC_CLIENT_SECRET or PI_PC_CLIENT_CERTIFICATE', 'PI_PC_REQUEST_TIMEOUT_MS', 'PI_GRAPH_URL']) {
      expect(message).toContain(name);
    }
    expect(message).toContain('allowed:');
    expect((error as DomainError).code).toBe('BAD_USER_INPUT');

    expect(() =>
      partnerCenterSettingsFromEnv({ PI_PC_TENANT_ID: TENANT, PI_PC_CLIENT_ID: CLIENT_ID, PI_PC_CLIENT_SECRET: SECRET, PI_PC_CLIENT_CERTIFICATE: '/x.pem' }),
    ).toThrow(/both set/);
    // The tenant ID is the warehouse's partner id: a domain would match no reconciliation line.
    expect(() => partnerCenterSettingsFromEnv({ PI_PC_TENANT_ID: 'contoso.onmicrosoft.com', PI_PC_CLIENT_ID: CLIENT_ID, PI_PC_CLIENT_SECRET: SECRET })).toThrow(
      /PI_PC_TENANT_ID: "contoso.onmicrosoft.com" is not allowed; allowed: the tenant ID as a GUID/,
    );
    try {
      partnerCenterSettingsFromEnv({ PI_PC_TENANT_ID: TENANT, PI_PC_CLIENT_ID: CLIENT_ID, PI_PC_CLIENT_SECRET: SECRET, PI_PC_MAX_RETRIES: '99' });
    } catch (e) {
      expect((e as Error).message).toContain('PI_PC_MAX_RETRIES');
      expect((e as Error).message).not.toContain(SECRET);
    }
  });
});

describe('tokens', () => {
  it('fetches a token once per scope, shares concurrent requests and refreshes 5 minutes before expiry', async () => {
    let clock = 1_000_000;
    const tokens = createTokenSource(settings(), { now: () => clock });
    const first = await Promise.all([tokens.token(PARTNER_CENTER_SCOPE), tokens.token(PARTNER_CENTER_SCOPE), tokens.token(PARTNER_CENTER_SCOPE)]);
    expect(new Set(first)).toEqual(new Set(['token-1']));
    expect(await tokens.token(PARTNER_CENTER_SCOPE)).toBe('token-1');
    expect(tokenRequests).toHaveLength(1);
    expect(Object.fromEntries(tokenRequests[0])).toEqual({
      grant_type: 'client_credentials',
      scope: PARTNER_CENTER_SCOPE,
      client_id: CLIENT_ID,
      client_secret: SECRET,
    });

    expect(await tokens.token(GRAPH_SCOPE)).toBe('token-2');
    expect(tokenRequests).toHaveLength(2);

    clock += 54 * 60_000; // 54 min of a 60 min token: still good
    expect(await tokens.token(PARTNER_CENTER_SCOPE)).toBe('token-1');
    clock += 2 * 60_000; // 56 min: inside the 5 min margin
    expect(await tokens.token(PARTNER_CENTER_SCOPE)).toBe('token-3');
    expect(tokenRequests).toHaveLength(3);
  });

  const openssl = (() => {
    try {
      execFileSync('openssl', ['version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();

  (openssl ? it : it.skip)('signs a client assertion with the certificate (PS256, x5t#S256, aud = token endpoint)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pc-cert-'));
    try {
      const key = join(dir, 'key.pem');
      const cert = join(dir, 'cert.pem');
      execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-subj', '/CN=partner-insights-test', '-days', '1'], { stdio: 'ignore' });
      const pemPath = join(dir, 'app.pem');
      require('node:fs').writeFileSync(pemPath, readFileSync(key, 'utf8') + readFileSync(cert, 'utf8'));

      const s = settings({ clientSecret: undefined, certificatePath: pemPath });
      const tokens = createTokenSource(s);
      expect(await tokens.token(GRAPH_SCOPE)).toBe('token-1');

      const form = tokenRequests[0];
      expect(form.get('client_secret')).toBeNull();
      expect(form.get('client_id')).toBe(CLIENT_ID);
      expect(form.get('client_assertion_type')).toBe('urn:ietf:params:oauth:client-assertion-type:jwt-bearer');
      const [h, p, sig] = form.get('client_assertion')!.split('.');
      const header = JSON.parse(Buffer.from(h, 'base64url').toString());
      const payload = JSON.parse(Buffer.from(p, 'base64url').toString());
      const x509 = new X509Certificate(readFileSync(cert));
      expect(header).toMatchObject({ alg: 'PS256', typ: 'JWT', 'x5t#S256': createHash('sha256').update(x509.raw).digest('base64url') });
      expect(payload).toMatchObject({ aud: `${base}/login/${TENANT}/oauth2/v2.0/token`, iss: CLIENT_ID, sub: CLIENT_ID });
      expect(payload.exp).toBeGreaterThan(payload.iat);
      const valid = verify('sha256', Buffer.from(`${h}.${p}`), { key: createPublicKey(x509.publicKey.export({ type: 'spki', format: 'pem' })), padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, Buffer.from(sig, 'base64url'));
      expect(valid).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('retries a throttled token request, and reports a refused client without the secret', async () => {
    let calls = 0;
    route('POST', '/login/fabrikam.onmicrosoft.com/oauth2/v2.0/token', (_req, res) => {
      calls++;
      if (calls === 1) return json(res, 503, { error: 'temporarily_unavailable' });
      json(res, 401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.\r\nTrace ID: 1f2e' });
    });
    const sleeps: number[] = [];
    const tokens = createTokenSource(settings({ tenantId: 'fabrikam.onmicrosoft.com' }), { sleep: async (ms) => void sleeps.push(ms) });
    const error = await tokens.token(PARTNER_CENTER_SCOPE).catch((e) => e);
    expect(error).toBeInstanceOf(TokenRequestError);
    expect(error.status).toBe(401);
    expect(error.message).toContain('invalid_client: AADSTS7000215: Invalid client secret provided.');
    expect(error.message).toContain('after 2 attempts');
    expect(error.message).not.toContain(SECRET);
    expect(JSON.stringify(error)).not.toContain(SECRET);
    expect(calls).toBe(2);
    expect(sleeps).toEqual([1000]);
  });

  it('rejects a certificate file that is not one, naming the setting', () => {
    expect(() => createTokenSource(settings({ clientSecret: undefined, certificatePath: '/nonexistent/app.pem' }))).toThrow(/PI_PC_CLIENT_CERTIFICATE.*cannot read/);
  });
});

describe('Partner Center REST', () => {
  it('pages customers with the continuation token of links.next, sending the documented headers', async () => {
    route('GET', '/pc/v1/customers', (req, res) => {
      const token = req.headers['ms-continuationtoken'];
      if (!token) {
        // Partner Center answers with a UTF-8 byte order mark.
        return json(res, 200, '\uFEFF' + JSON.stringify({
          totalCount: 2,
          items: [{ id: 'c1', companyProfile: { companyName: 'Contoso', domain: 'contoso.com', tenantId: 't1' }, relationshipToPartner: 'reseller' }, { id: 'c2' }],
          links: { next: { uri: '/v1/customers?size=500&seekOperation=Next', method: 'GET', headers: [{ key: 'MS-ContinuationToken', value: 'tok-A' }] } },
        }));
      }
      if (token === 'tok-A') {
        return json(res, 200, {
          totalCount: 1,
          items: [{ id: 'c3' }],
          // Without the /v1 prefix, as some documented links are.
          links: { next: { uri: '/customers?size=500&seekOperation=Next', method: 'GET', headers: [{ key: 'MS-ContinuationToken', value: 'tok-B' }] } },
        });
      }
      if (token === 'tok-B') return json(res, 200, { totalCount: 1, items: [{ id: 'c4' }], links: {} });
      json(res, 400, { error: 'bad token' });
    });
    const { http, s } = client();
    const pages = await collect(new PartnerCenterClient(http, s.apiUrl).customers());

    expect(pages.map((p) => p.map((c) => c.id))).toEqual([['c1', 'c2'], ['c3'], ['c4']]);
    expect(pages[0][0].companyProfile?.companyName).toBe('Contoso');
    const calls = requestsTo('/pc/v1/customers');
    expect(calls.map((c) => c.url)).toEqual(['/pc/v1/customers?size=500', '/pc/v1/customers?size=500&seekOperation=Next', '/pc/v1/customers?size=500&seekOperation=Next']);
    expect(calls.map((c) => c.headers['ms-continuationtoken'])).toEqual([undefined, 'tok-A', 'tok-B']);
    for (const call of calls) {
      expect(call.headers.authorization).toBe('Bearer token-1');
      expect(call.headers.accept).toBe('application/json');
      expect(call.headers['ms-requestid']).toMatch(GUID);
      expect(call.headers['ms-correlationid']).toMatch(GUID);
    }
    expect(new Set(calls.map((c) => c.headers['ms-requestid'])).size).toBe(3);
    expect(tokenRequests).toHaveLength(1);
  });

  it('yields raw invoice line item pages (query syntax, continuation by links.next)', async () => {
    route('GET', '/pc/v1/invoices/G016907411/lineitems', (req, res) => {
      if (!req.headers['ms-continuationtoken']) {
        return json(res, 200, {
          totalCount: 1,
          items: [{ invoiceNumber: 'G016907411', productId: 'CFQ7TTC0LH18' }],
          links: { next: { uri: '/invoices/G016907411/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&size=2000&seekOperation=Next', headers: [{ key: 'MS-ContinuationToken', value: 'x' }] } },
          attributes: { objectType: 'Collection' },
        });
      }
      json(res, 200, { totalCount: 1, items: [{ invoiceNumber: 'G016907411', productId: 'DZH318Z0BQ3Q' }], links: {}, attributes: { objectType: 'Collection' } });
    });
    const { http, s } = client();
    const pages = [];
    for await (const page of new PartnerCenterClient(http, s.apiUrl).invoiceLineItemPages('G016907411', 'one_time', 'billing_line_items')) pages.push(page);
    expect(pages).toHaveLength(2);
    expect(pages[0]).toMatchObject({ totalCount: 1, attributes: { objectType: 'Collection' }, items: [{ productId: 'CFQ7TTC0LH18' }] });
    expect(requestsTo('/pc/v1/invoices/G016907411/lineitems')[0].url).toBe('/pc/v1/invoices/G016907411/lineitems?provider=onetime&invoicelineitemtype=billinglineitems&size=2000');
  });
});

describe('Referrals API', () => {
  it('follows @odata.nextLink until there is none', async () => {
    route('GET', '/ref/v1.0/engagements/referrals', (req, res) => {
      const url = new URL(req.url, base);
      if (!url.searchParams.get('$skiptoken')) {
        expect(url.searchParams.get('$filter')).toBe("direction eq 'Incoming'");
        return json(res, 200, {
          '@odata.count': 3,
          value: [
            { id: 'r1', direction: 'Incoming', customerProfile: { name: 'Fabrikam', address: { country: 'US' } }, details: { dealValue: 10000, currency: 'USD' } },
            { id: 'r2', direction: 'Incoming' },
          ],
          '@odata.nextLink': `${base}/ref/v1.0/engagements/referrals?$skiptoken=k181`,
        });
      }
      json(res, 200, { value: [{ id: 'r3', direction: 'Incoming' }] });
    });
    const { http, s } = client();
    const pages = await collect(new ReferralsClient(http, s.referralsUrl).referrals({ filter: "direction eq 'Incoming'" }));
    expect(pages.map((p) => p.map((r) => r.id))).toEqual([['r1', 'r2'], ['r3']]);
    expect(pages[0][0].details?.dealValue).toBe(10000);
    expect(pages[0][0].customerProfile?.address?.country).toBe('US');
    expect(requestsTo('/ref/v1.0/engagements/referrals').every((r) => r.headers.authorization === 'Bearer token-1')).toBe(true);
    expect(Object.fromEntries(tokenRequests[0]).scope).toBe('https://api.partner.microsoft.com/.default');
  });

  it('refuses a next link to another host (it would get the token)', async () => {
    route('GET', '/ref/v1.0/engagements/referrals', (_req, res) => json(res, 200, { value: [], '@odata.nextLink': 'https://evil.example/steal' }));
    const { http, s } = client();
    await expect(collect(new ReferralsClient(http, s.referralsUrl).referrals())).rejects.toThrow(/another host \(evil\.example\) refused/);
  });
});

describe('retries', () => {
  it('waits what Retry-After asks on 429, then succeeds', async () => {
    let calls = 0;
    route('GET', '/pc/v1/profiles/mpn', (_req, res) => {
      calls++;
      if (calls === 1) return json(res, 429, { statusCode: 429, message: 'Rate limit is exceeded. Try again in 7 seconds.' }, { 'Retry-After': '7' });
      json(res, 200, { mpnId: '4391507', profileType: 'MpnProfile' });
    });
    const { http, s, sleeps, events } = client();
    const profile = await new PartnerCenterClient(http, s.apiUrl).mpnProfile();
    expect(profile.mpnId).toBe('4391507');
    expect(sleeps).toEqual([7000]);
    expect(events.map((e) => [e.status, e.attempt])).toEqual([[429, 1], [200, 2]]);
  });

  it('backs off exponentially on 500 twice, keeping the MS-RequestId of the call', async () => {
    let calls = 0;
    route('GET', '/pc/v1/profiles/legalbusiness', (_req, res) => {
      calls++;
      if (calls <= 2) return json(res, 500, { code: 'InternalError' });
      json(res, 200, { companyName: 'Lucerne Publishing', address: { country: 'US' } });
    });
    const { http, s, sleeps } = client();
    expect((await new PartnerCenterClient(http, s.apiUrl).legalBusinessProfile()).companyName).toBe('Lucerne Publishing');
    // random() = 0: half of 1 s, then half of 2 s.
    expect(sleeps).toEqual([500, 1000]);
    const ids = requestsTo('/pc/v1/profiles/legalbusiness').map((r) => r.headers['ms-requestid']);
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(1);
  });

  it('gives up after maxRetries with a PartnerCenterApiError that names the call, not the secrets', async () => {
    route('GET', '/pc/v1/invoices', (_req, res) =>
      json(res, 503, `{"message":"upstream unavailable","echo":"Bearer token-1"}`, { 'MS-CorrelationId': 'corr-123', 'MS-RequestId': 'req-456' }),
    );
    const { http, s, sleeps } = client();
    const error = await collect(new PartnerCenterClient(http, s.apiUrl).invoices()).catch((e) => e);
    expect(error).toBeInstanceOf(PartnerCenterApiError);
    expect(error).toMatchObject({ status: 503, attempts: 4, method: 'GET', url: `${base}/pc/v1/invoices`, kind: 'status' });
    expect(error.requestIds).toEqual({ 'MS-CorrelationId': 'corr-123', 'MS-RequestId': 'req-456' });
    expect(error.message).toContain('HTTP 503 after 4 attempts');
    expect(error.message).toContain('upstream unavailable');
    expect(error.message).not.toContain('token-1');
    expect(error.message).not.toContain(SECRET);
    expect(sleeps).toHaveLength(3);
  });

  it('retries a request that times out, then fails with a timeout', async () => {
    route('GET', '/pc/v1/profiles/mpn', (_req, res) => void hanging.push(res));
    const { http, s, events } = client({ requestTimeoutMs: 150, maxRetries: 1 });
    const started = Date.now();
    const error = await new PartnerCenterClient(http, s.apiUrl).mpnProfile().catch((e) => e);
    expect(error).toBeInstanceOf(PartnerCenterApiError);
    expect(error).toMatchObject({ kind: 'timeout', attempts: 2, status: undefined });
    expect(error.message).toContain('timeout');
    expect(requestsTo('/pc/v1/profiles/mpn')).toHaveLength(2);
    expect(events.map((e) => e.error)).toEqual(['timeout', 'timeout']);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});

describe('Graph billing exports', () => {
  const jsonl = (rows: object[]) => gzipSync(rows.map((r) => JSON.stringify(r)).join('\n') + '\n');
  const SAS = 'skoid=0c41&sv=2021-08-06&se=2030-01-01T00%3A00%3A00Z&sr=d&sp=rl&sig=TOPSECRETSIG%3D';

  function blobRoutes(blobs: Record<string, Buffer>) {
    for (const [name, content] of Object.entries(blobs)) {
      route('GET', `/blob/billed/${name}`, (req, res) => {
        if (req.headers.authorization || !req.url.includes('sig=TOPSECRETSIG')) return json(res, 403, { error: 'AuthenticationFailed' });
        res.writeHead(200, { 'Content-Type': 'application/octet-stream' });
        res.end(content);
      });
    }
  }

  function manifest(names: string[]) {
    return { id: 'm1', schemaVersion: '2', dataFormat: 'compressedJSONLines', partnerTenantId: 'p1', rootDirectory: `${base}/blob/billed`, sasToken: SAS, blobCount: names.length, blobs: names.map((name) => ({ name, partitionValue: 'default' })) };
  }

  it('exports, polls with Retry-After until succeeded, and downloads the gzip blobs', async () => {
    route('POST', '/graph/v1.0/reports/partners/billing/usage/billed/export', (req, res) => {
      expect(JSON.parse(req.body)).toEqual({ invoiceId: 'G016907411', attributeSet: 'full' });
      res.writeHead(202, { Location: `${base}/graph/v1.0/reports/partners/billing/operations/op-1` });
      res.end();
    });
    let polls = 0;
    route('GET', '/graph/v1.0/reports/partners/billing/operations/op-1', (_req, res) => {
      polls++;
      if (polls === 1) return json(res, 200, { id: 'op-1', status: 'running' }, { 'Retry-After': '7' });
      if (polls === 2) return json(res, 200, { id: 'op-1', status: 'running' }, { 'Retry-After': '3' });
      json(res, 200, { '@odata.type': '#microsoft.graph.partners.billing.exportSuccessOperation', id: 'op-1', status: 'succeeded', resourceLocation: manifest(['part-00000.json.gz', 'part-00001.json.gz']) });
    });
    blobRoutes({ 'part-00000.json.gz': jsonl([{ InvoiceId: 'G016907411', n: 1 }]), 'part-00001.json.gz': jsonl([{ InvoiceId: 'G016907411', n: 2 }, { n: 3 }]) });

    const { http, s, sleeps } = client();
    const exports = new GraphBillingExports(http, s.graphUrl);
    const result = await exports.billedExport('usage', 'G016907411');
    expect(sleeps).toEqual([7000, 3000]);
    expect(result.blobs).toHaveLength(2);

    const dir = await mkdtemp(join(tmpdir(), 'pc-blobs-'));
    try {
      const paths = await exports.downloadBlobs(result, dir);
      expect(paths).toEqual([join(dir, 'part-00000.jsonl.gz'), join(dir, 'part-00001.jsonl.gz')]);
      expect(gunzipSync(readFileSync(paths[1])).toString().trim().split('\n').map((l) => JSON.parse(l).n)).toEqual([2, 3]);
      expect((await readdir(dir)).sort()).toEqual(['part-00000.jsonl.gz', 'part-00001.jsonl.gz']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
    expect(Object.fromEntries(tokenRequests[0]).scope).toBe(GRAPH_SCOPE);
  });

  it('reads the manifest from its link (unbilled usage export)', async () => {
    route('POST', '/graph/v1.0/reports/partners/billing/usage/unbilled/export', (req, res) => {
      expect(JSON.parse(req.body)).toEqual({ currencyCode: 'USD', billingPeriod: 'current', attributeSet: 'full' });
      res.writeHead(202, { Location: `${base}/graph/v1.0/reports/partners/billing/operations/op-2`, 'Retry-After': '5' });
      res.end();
    });
    route('GET', '/graph/v1.0/reports/partners/billing/operations/op-2', (_req, res) =>
      json(res, 200, { id: 'op-2', status: 'succeeded', 'resourceLocation@odata.navigationLink': `${base}/graph/v1.0/reports/partners/billing/manifests/m-2` }),
    );
    route('GET', '/graph/v1.0/reports/partners/billing/manifests/m-2', (_req, res) => json(res, 200, manifest(['a.json.gz'])));
    const { http, s, sleeps } = client();
    const result = await new GraphBillingExports(http, s.graphUrl).unbilledUsageExport('USD');
    expect(result.blobs.map((b) => b.name)).toEqual(['a.json.gz']);
    expect(sleeps).toEqual([5000]);
  });

  it('throws ExportFailedError naming the invoice when the operation fails', async () => {
    route('POST', '/graph/v1.0/reports/partners/billing/reconciliation/billed/export', (_req, res) => {
      res.writeHead(202, { Location: `${base}/graph/v1.0/reports/partners/billing/operations/op-3` });
      res.end();
    });
    route('GET', '/graph/v1.0/reports/partners/billing/operations/op-3', (_req, res) =>
      json(res, 200, { '@odata.type': '#microsoft.graph.partners.billing.failedOperation', id: 'op-3', status: 'failed', error: { code: '5000', message: 'No data available' } }),
    );
    const { http, s } = client();
    const error = await new GraphBillingExports(http, s.graphUrl).billedExport('reconciliation', 'G000024135').catch((e) => e);
    expect(error).toBeInstanceOf(ExportFailedError);
    expect(error.invoiceId).toBe('G000024135');
    expect(error.message).toContain('G000024135');
    expect(error.message).toContain('5000 No data available');
  });

  it('stops polling after maxWaitMs', async () => {
    route('POST', '/graph/v1.0/reports/partners/billing/usage/billed/export', (_req, res) => {
      res.writeHead(202, { Location: `${base}/graph/v1.0/reports/partners/billing/operations/op-4` });
      res.end();
    });
    route('GET', '/graph/v1.0/reports/partners/billing/operations/op-4', (_req, res) => json(res, 200, { status: 'running' }, { 'Retry-After': '4' }));
    const { http, s, sleeps } = client();
    const error = await new GraphBillingExports(http, s.graphUrl, { maxWaitMs: 10_000 }).billedExport('usage', 'G1').catch((e) => e);
    expect(error).toBeInstanceOf(ExportFailedError);
    expect(error.timedOut).toBe(true);
    expect(sleeps).toEqual([4000, 4000, 2000]);
  });

  it('rejects a blob that is not gzip, naming it without the SAS query and leaving no file', async () => {
    blobRoutes({ 'bad.json.gz': Buffer.from('{"this":"is plain json"}\n'.repeat(100)) });
    const { http } = client();
    const dir = await mkdtemp(join(tmpdir(), 'pc-bad-'));
    try {
      const error = await new GraphBillingExports(http, `${base}/graph/v1.0`).downloadBlobs(manifest(['bad.json.gz']) as never, dir).catch((e) => e);
      expect(error).toBeInstanceOf(CorruptBlobError);
      expect(error.message).toContain(`${base}/blob/billed/bad.json.gz`);
      expect(error.message).not.toMatch(/sig|skoid|TOPSECRET|\?/);
      expect(await readdir(dir)).toEqual([]);
      expect(existsSync(join(dir, 'bad.jsonl.gz'))).toBe(false);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('reports a blob download failure without the SAS query', async () => {
    const { http } = client({ maxRetries: 0 });
    const dir = await mkdtemp(join(tmpdir(), 'pc-missing-'));
    try {
      const error = await http.download(`${base}/blob/billed/missing.json.gz?${SAS}`, join(dir, 'missing.jsonl.gz')).catch((e) => e);
      expect(error).toBeInstanceOf(PartnerCenterApiError);
      expect(error.status).toBe(404);
      expect(error.url).toBe(`${base}/blob/billed/missing.json.gz`);
      expect(error.message).not.toContain('TOPSECRET');
      expect(requestsTo('/blob/billed/missing.json.gz')[0].headers.authorization).toBeUndefined();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
