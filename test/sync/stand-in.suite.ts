import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import { loadFile } from '../../etl/load';
import { generateDataSet, graphRecord, lineTotalCents, restItem, startStandIn, type Json, type StandIn, type StandInDataSet } from '../../stand-in';
import { count, openMemory, tempDir } from '../etl/helpers';

/**
 * The stand-in for Microsoft's partner APIs (stand-in/), over real HTTP with fetch: the Entra token
 * flow, Partner Center paging, the Referrals API's @nextLink, Graph's asynchronous billing exports
 * and their blobs, injected faults, and the product's own loader reading what it serves.
 */

type Env = Record<string, string>;

const PC = 'https://api.partnercenter.microsoft.com/.default';
const GRAPH = 'https://graph.microsoft.com/.default';
const REFERRALS = 'https://api.partner.microsoft.com/.default';

async function requestToken(env: Env, scope: string, overrides: Record<string, string> = {}): Promise<Response> {
  const form = { grant_type: 'client_credentials', client_id: env.PI_PC_CLIENT_ID, client_secret: env.PI_PC_CLIENT_SECRET, scope, ...overrides };
  return fetch(`${env.PI_PC_LOGIN_URL}/${overrides.tenant ?? env.PI_PC_TENANT_ID}/oauth2/v2.0/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(Object.entries(form).filter(([k, v]) => k !== 'tenant' && v !== '')),
  });
}

async function token(env: Env, scope: string): Promise<string> {
  const r = await requestToken(env, scope);
  expect(r.status).toBe(200);
  return ((await r.json()) as { access_token: string }).access_token;
}

async function getJson(url: string, bearer: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Json; headers: Headers }> {
  const r = await fetch(url, { headers: { Authorization: `Bearer ${bearer}`, Accept: 'application/json', ...headers } });
  const text = await r.text();
  return { status: r.status, body: text ? (JSON.parse(text) as Json) : {}, headers: r.headers };
}

/** Every item of a Partner Center seek-based collection, following links.next with its headers. */
async function allPages(env: Env, bearer: string, first: string): Promise<{ items: Json[]; pages: number }> {
  const items: Json[] = [];
  let pages = 0;
  let url: string | undefined = `${env.PI_PC_API_URL}${first}`;
  let headers: Record<string, string> = {};
  while (url) {
    const page = await getJson(url, bearer, headers);
    expect(page.status).toBe(200);
    expect(page.body.attributes).toEqual({ objectType: 'Collection' });
    const pageItems = page.body.items as Json[];
    expect(page.body.totalCount).toBe(pageItems.length);
    items.push(...pageItems);
    pages++;
    const next = (page.body.links as { next?: { uri: string; method: string; headers: { key: string; value: string }[] } }).next;
    url = next ? `${env.PI_PC_API_URL}${next.uri}` : undefined;
    headers = Object.fromEntries((next?.headers ?? []).map((h) => [h.key, h.value]));
  }
  return { items, pages };
}

interface ExportResult {
  operation: Json;
  polls: Json[];
  retryAfter: (string | null)[];
  location: string;
}

async function runExport(env: Env, bearer: string, path: string, body: unknown): Promise<ExportResult> {
  const post = await fetch(`${env.PI_GRAPH_URL}/reports/partners/billing/${path}/export`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(post.status).toBe(202);
  expect(await post.text()).toBe('');
  const location = post.headers.get('location')!;
  expect(location).toMatch(new RegExp(`^${env.PI_GRAPH_URL.replace(/[.]/g, '\\.')}/reports/partners/billing/operations/[0-9a-f-]{36}$`));
  const polls: Json[] = [];
  const retryAfter: (string | null)[] = [];
  for (;;) {
    const r = await getJson(location, bearer);
    expect(r.status).toBe(200);
    polls.push(r.body);
    retryAfter.push(r.headers.get('retry-after'));
    if (r.body.status !== 'running' && r.body.status !== 'notStarted') return { operation: r.body, polls, retryAfter, location };
    expect(polls.length).toBeLessThan(10);
  }
}

/** The gunzipped JSON lines of every blob of a manifest. */
async function readBlobs(manifest: Json): Promise<{ records: Json[]; gz: Buffer[] }> {
  const gz: Buffer[] = [];
  for (const blob of manifest.blobs as { name: string }[]) {
    const r = await fetch(`${String(manifest.rootDirectory)}/${blob.name}?${String(manifest.sasToken)}`);
    expect(r.status).toBe(200);
    gz.push(Buffer.from(await r.arrayBuffer()));
  }
  const text = gz.map((b) => gunzipSync(b).toString('utf8')).join('');
  return { records: text.split('\n').filter(Boolean).map((l) => JSON.parse(l) as Json), gz };
}

const cents = (v: unknown) => Math.round(Number(v) * 100);

describe('stand-in: Microsoft partner APIs over HTTP', () => {
  const dataSet = generateDataSet('small');
  let standIn: StandIn;
  let env: Env;

  beforeAll(async () => {
    standIn = await startStandIn({ dataSet, clientSecret: 'stand-in-secret', pageSize: 5, operationPolls: 2, retryAfterSeconds: 0, linesPerBlob: 30 });
    env = standIn.settingsEnv();
  });
  afterAll(() => standIn.close());
  afterEach(() => standIn.clearFaults());

  it('generates the small preset deterministically, invoice totals the exact sum of their lines', () => {
    expect([dataSet.customers.length, dataSet.subscriptions.length, dataSet.resellers.length, dataSet.referrals.length, dataSet.invoices.length]).toEqual([12, 36, 2, 8, 3]);
    expect(dataSet.lineCount()).toBeGreaterThan(200);
    expect(dataSet.lineCount()).toBeLessThan(600);
    const again = generateDataSet('small');
    expect(JSON.stringify(again.allLines())).toBe(JSON.stringify(dataSet.allLines()));
    expect(JSON.stringify(again.customers)).toBe(JSON.stringify(dataSet.customers));
    const customerIds = new Set(dataSet.customers.map((c) => c.id));
    for (const inv of dataSet.invoices) {
      const lines = inv.lineItems;
      expect(lines.reduce((s, l) => s + lineTotalCents(l), 0)).toBe(cents(inv.totalCharges));
      for (const l of lines) {
        expect(l.raw.partnerId).toBe(dataSet.partner.tenantId);
        expect(customerIds.has(l.raw.customerId)).toBe(true);
        if (l.kind !== 'license') expect(l.raw.invoiceNumber).toBe(inv.id);
        const total = l.kind === 'license' ? l.raw.totalForCustomer : l.kind === 'onetime' ? l.raw.total : l.raw.billingPreTaxTotal;
        expect(String(total)).toMatch(/^-?\d+(\.\d{1,2})?$/);
      }
      expect(new Set(lines.map((l) => l.kind))).toEqual(new Set(['license', 'onetime', 'usage']));
    }
    expect(dataSet.invoices.map((i) => i.legacy)).toEqual([true, false, false]);
  });

  it('issues Entra tokens by scope, refuses wrong tenant, client and secret with AADSTS errors, and the APIs answer 401 without a token of their audience', async () => {
    const ok = await requestToken(env, PC);
    expect(ok.status).toBe(200);
    const issued = (await ok.json()) as Record<string, unknown>;
    expect(issued).toEqual({ token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: expect.any(String) });

    const wrong = async (overrides: Record<string, string>) => {
      const r = await requestToken(env, PC, overrides);
      const body = (await r.json()) as { error: string; error_description: string; error_codes: number[] };
      return [r.status, body.error, /^AADSTS\d+:/.exec(body.error_description)?.[0], body.error_codes];
    };
    expect(await wrong({ client_secret: 'nope' })).toEqual([401, 'invalid_client', 'AADSTS7000215:', [7000215]]);
    expect(await wrong({ client_id: '11111111-2222-3333-4444-555555555555' })).toEqual([400, 'unauthorized_client', 'AADSTS700016:', [700016]]);
    expect(await wrong({ tenant: 'contoso.onmicrosoft.com' })).toEqual([400, 'invalid_request', 'AADSTS90002:', [90002]]);
    expect(await wrong({ scope: 'https://api.partnercenter.microsoft.com/user_impersonation' })).toEqual([400, 'invalid_scope', 'AADSTS1002012:', [1002012]]);

    const pcToken = issued.access_token as string;
    const graphToken = await token(env, GRAPH);
    expect((await getJson(`${env.PI_PC_API_URL}/v1/profiles/mpn`, pcToken)).body).toMatchObject({ mpnId: dataSet.partner.mpnId, partnerName: dataSet.partner.name, profileType: 'MpnProfile' });
    const none = await fetch(`${env.PI_PC_API_URL}/v1/customers?size=5`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toMatch(/^Bearer/);
    expect((await getJson(`${env.PI_PC_API_URL}/v1/customers`, graphToken)).status).toBe(401);
    const graph401 = await getJson(`${env.PI_GRAPH_URL}/reports/partners/billing/operations/x`, pcToken);
    expect([graph401.status, (graph401.body.error as Json).code]).toEqual([401, 'InvalidAuthenticationToken']);
    expect((await getJson(`${env.PI_PC_REFERRALS_URL}/v1.0/engagements/referrals`, 'forged')).status).toBe(401);

    // An expired token is refused; a new one works.
    standIn.expireTokens();
    expect((await getJson(`${env.PI_PC_API_URL}/v1/profiles/mpn`, pcToken)).status).toBe(401);
    expect((await getJson(`${env.PI_PC_API_URL}/v1/profiles/mpn`, await token(env, PC))).status).toBe(200);
  });

  it('pages customers with MS-ContinuationToken, visiting each once; serves subscriptions, indirect resellers and profiles', async () => {
    const pc = await token(env, PC);
    const { items, pages } = await allPages(env, pc, '/v1/customers?size=40');
    expect(pages).toBe(3); // the server caps a page at pageSize 5
    expect(items.map((c) => c.id)).toEqual(dataSet.customers.map((c) => c.id));
    expect(new Set(items.map((c) => c.id)).size).toBe(12);
    expect(items[0]).toMatchObject({ companyProfile: { tenantId: items[0].id, domain: expect.stringMatching(/\.onmicrosoft\.com$/) }, relationshipToPartner: 'reseller', attributes: { objectType: 'Customer' } });
    expect((items[0].billingProfile as Json).defaultAddress).toMatchObject({ country: expect.stringMatching(/^[A-Z]{2}$/) });

    // A continuation token is only good for its own collection.
    const first = await getJson(`${env.PI_PC_API_URL}/v1/customers?size=5`, pc);
    const forged = await getJson(`${env.PI_PC_API_URL}/v1/customers?size=5&seekOperation=Next`, pc, { 'MS-ContinuationToken': `${String(first.body.continuationToken)}x` });
    expect(forged.status).toBe(400);
    expect(forged.body).toMatchObject({ code: expect.any(String), description: expect.any(String) });

    const subs = await getJson(`${env.PI_PC_API_URL}/v1/customers/${String(items[1].id)}/subscriptions`, pc);
    expect(subs.body.totalCount).toBe(3);
    expect((subs.body.items as Json[])[0]).toMatchObject({
      id: expect.any(String),
      offerId: expect.any(String),
      offerName: expect.any(String),
      friendlyName: expect.any(String),
      quantity: expect.any(Number),
      status: expect.stringMatching(/^(active|suspended|deleted)$/),
      billingType: expect.stringMatching(/^(license|usage)$/),
      billingCycle: 'monthly',
      isTrial: expect.any(Boolean),
      autoRenewEnabled: expect.any(Boolean),
      attributes: { etag: expect.any(String), objectType: 'Subscription' },
    });
    const indirect = (subs.body.items as Json[]).map((s) => s.partnerId);
    expect(indirect.every((p) => dataSet.resellers.some((r) => r.mpnId === p))).toBe(true);

    const resellers = await getJson(`${env.PI_PC_API_URL}/v1/relationships?relationship_type=IsIndirectCloudSolutionProviderOf`, pc);
    expect((resellers.body.items as Json[]).map((r) => [r.relationshipType, r.state])).toEqual([
      ['is_indirect_cloud_solution_provider_of', 'Active'],
      ['is_indirect_cloud_solution_provider_of', 'Active'],
    ]);
    expect((await getJson(`${env.PI_PC_API_URL}/v1/profiles/legalbusiness`, pc)).body).toMatchObject({ companyName: dataSet.partner.name, address: { country: 'US' } });
  });

  it('pages referrals with an absolute @nextLink', async () => {
    const bearer = await token(env, REFERRALS);
    const seen: Json[] = [];
    let url: string | undefined = `${env.PI_PC_REFERRALS_URL}/v1.0/engagements/referrals?$top=3`;
    let pages = 0;
    while (url) {
      const page = await getJson(url, bearer);
      expect(page.status).toBe(200);
      seen.push(...(page.body.value as Json[]));
      url = page.body['@nextLink'] as string | undefined;
      if (url) expect(url.startsWith(`${env.PI_PC_REFERRALS_URL}/v1.0/engagements/referrals?`)).toBe(true);
      pages++;
    }
    expect(pages).toBe(3);
    expect(seen.map((r) => r.id).sort()).toEqual(dataSet.referrals.map((r) => r.id).sort());
    expect(seen[0]).toMatchObject({
      engagementId: expect.any(String),
      status: expect.stringMatching(/^(New|Active|Closed)$/),
      customerProfile: { name: expect.any(String), address: { country: expect.any(String) } },
      details: { dealValue: expect.any(Number), currency: 'USD', requirements: { solutions: [{ name: expect.any(String) }] } },
    });
  });

  it('serves invoices and REST line items: Office by offset, OneTime by continuation for invoices before the Graph export, a 400 after', async () => {
    const pc = await token(env, PC);
    const list = await getJson(`${env.PI_PC_API_URL}/v1/invoices`, pc);
    expect((list.body.items as Json[]).map((i) => [i.id, i.totalCharges, i.documentType])).toEqual(dataSet.invoices.map((i) => [i.id, i.totalCharges, 'invoice']));
    expect((list.body.items as Json[])[0]).toMatchObject({ invoiceDate: expect.any(String), billingPeriodStartDate: expect.any(String), billingPeriodEndDate: expect.any(String), currencyCode: 'USD', currencySymbol: '$', invoiceType: 'OneTime' });
    const [old, recent] = dataSet.invoices;

    const license = await allPages(env, pc, `/v1/invoices/${recent.id}/lineitems?provider=Office&invoicelineitemtype=BillingLineItems&size=2000`);
    expect(license.items).toEqual(recent.linesOf('license').map(restItem));
    expect(license.pages).toBe(Math.ceil(recent.count('license') / 5));
    expect(license.items.every((i) => (i.attributes as Json).objectType === 'LicenseBasedLineItem')).toBe(true);

    const onetime = await allPages(env, pc, `/v1/invoices/${old.id}/lineitems?provider=OneTime&invoicelineitemtype=BillingLineItems&size=2000`);
    expect(onetime.items).toEqual(old.linesOf('onetime').map(restItem));
    expect(onetime.items.every((i) => (i.attributes as Json).objectType === 'OneTimeInvoiceLineItem' && i.chargeType !== 'New')).toBe(true);
    const usage = await allPages(env, pc, `/v1/invoices/${old.id}/lineitems?provider=OneTime&invoicelineitemtype=UsageLineItems&size=2000`);
    expect(usage.items.length).toBe(old.count('usage'));
    expect(usage.items[0]).toMatchObject({ attributes: { objectType: 'DailyRatedUsageLineItem' }, unitOfMeasure: expect.any(String), invoiceNumber: old.id });

    const later = await getJson(`${env.PI_PC_API_URL}/v1/invoices/${recent.id}/lineitems?provider=OneTime&invoicelineitemtype=BillingLineItems`, pc);
    expect(later.status).toBe(400);
    expect(String(later.body.description)).toMatch(/Microsoft Graph/);
  });

  it('exports billed usage and reconciliation through Graph: 202, Location, Retry-After, a manifest, blobs of the invoice lines summing to its totalCharges', async () => {
    const graph = await token(env, GRAPH);
    const pc = await token(env, PC);
    const inv = dataSet.invoices[1];

    const usage = await runExport(env, graph, 'usage/billed', { invoiceId: inv.id, attributeSet: 'full' });
    expect(usage.polls.map((p) => [p['@odata.type'], p.status])).toEqual([
      ['#microsoft.graph.partners.billing.runningOperation', 'notStarted'],
      ['#microsoft.graph.partners.billing.runningOperation', 'running'],
      ['#microsoft.graph.partners.billing.exportSuccessOperation', 'succeeded'],
    ]);
    expect(usage.retryAfter).toEqual(['0', '0', null]);
    const manifest = usage.operation.resourceLocation as Json;
    expect(manifest).toMatchObject({ schemaVersion: expect.any(String), dataFormat: 'compressedJSONLines', partnerTenantId: dataSet.partner.tenantId, eTag: expect.any(String), createdDateTime: expect.any(String) });
    expect(manifest.blobCount).toBe(Math.ceil(inv.count('usage') / 30));
    expect((manifest.blobs as Json[]).length).toBe(manifest.blobCount);
    // The manifest is also a resource of its own, at the operation's navigation link.
    const linked = await getJson(String(usage.operation['resourceLocation@odata.navigationLink']), graph);
    expect(linked.body).toMatchObject({ id: manifest.id, rootDirectory: manifest.rootDirectory, sasToken: manifest.sasToken });
    const usageBlobs = await readBlobs(manifest);
    expect(usageBlobs.records).toEqual(inv.linesOf('usage').map((l) => graphRecord(l)));

    const recon = await runExport(env, graph, 'reconciliation/billed', { invoiceId: inv.id, attributeSet: 'full' });
    const reconBlobs = await readBlobs(recon.operation.resourceLocation as Json);
    expect(reconBlobs.records).toEqual(inv.linesOf('onetime').map((l) => graphRecord(l)));

    // The invoice's total: license lines (REST, provider Office) + reconciliation Total + usage BillingPreTaxTotal.
    const license = await allPages(env, pc, `/v1/invoices/${inv.id}/lineitems?provider=Office&invoicelineitemtype=BillingLineItems`);
    const sum =
      license.items.reduce((s, i) => s + cents(i.totalForCustomer), 0) +
      reconBlobs.records.reduce((s, r) => s + cents(r.Total), 0) +
      usageBlobs.records.reduce((s, r) => s + cents(r.BillingPreTaxTotal), 0);
    expect(sum).toBe(cents(inv.totalCharges));

    // The SAS token is required.
    const blob = (manifest.blobs as { name: string }[])[0].name;
    const bare = await fetch(`${String(manifest.rootDirectory)}/${blob}`);
    expect(bare.status).toBe(403);
    expect(await bare.text()).toMatch(/<Code>AuthenticationFailed<\/Code>/);

    // basic: the attributes the attributeSet page marks Basic.
    const basic = await runExport(env, graph, 'usage/billed', { invoiceId: inv.id, attributeSet: 'basic' });
    const basicRecords = (await readBlobs(basic.operation.resourceLocation as Json)).records;
    expect(Object.keys(basicRecords[0])).toContain('BillingPreTaxTotal');
    expect(Object.keys(basicRecords[0])).not.toContain('MeterCategory');

    // An invoice before the Graph export: a failed operation, as documented ("No data available").
    const old = await runExport(env, graph, 'usage/billed', { invoiceId: dataSet.invoices[0].id });
    expect(old.operation).toMatchObject({ '@odata.type': '#microsoft.graph.partners.billing.failedOperation', status: 'failed', error: { code: '5000', message: expect.stringMatching(/^No data available/) } });

    // Unbilled usage of the current month.
    const unbilled = await runExport(env, graph, 'usage/unbilled', { currencyCode: 'USD', billingPeriod: 'current', attributeSet: 'full' });
    const unbilledRecords = (await readBlobs(unbilled.operation.resourceLocation as Json)).records;
    expect(unbilledRecords.length).toBe(dataSet.unbilled().count);
    expect(unbilledRecords.every((r) => r.InvoiceNumber === '' && String(r.UsageDate).startsWith(dataSet.currentMonth))).toBe(true);

    const missing = await fetch(`${env.PI_GRAPH_URL}/reports/partners/billing/usage/billed/export`, { method: 'POST', headers: { Authorization: `Bearer ${graph}`, 'Content-Type': 'application/json' }, body: '{}' });
    expect(missing.status).toBe(400);
    expect(((await missing.json()) as { error: Json }).error.code).toBe('BadRequest');
  });

  it('fires each fault the given number of times', async () => {
    const pc = await token(env, PC);
    const graph = await token(env, GRAPH);
    const from = standIn.requests.length;

    standIn.addFault({ match: /^GET \/pc\/v1\/customers$/, status: 429, times: 2, retryAfterSeconds: 3 });
    const answers = [];
    for (let i = 0; i < 3; i++) {
      const r = await getJson(`${env.PI_PC_API_URL}/v1/customers?size=5`, pc);
      answers.push([r.status, r.headers.get('retry-after')]);
    }
    expect(answers).toEqual([
      [429, '3'],
      [429, '3'],
      [200, null],
    ]);
    expect(standIn.requests.slice(from).filter((q) => q.path === '/pc/v1/customers').map((q) => q.status)).toEqual([429, 429, 200]);

    standIn.addFault({ match: /^POST \/graph\/v1\.0\/reports\/partners\/billing\/usage\/billed\/export$/, status: 503, times: 1 });
    const busy = await fetch(`${env.PI_GRAPH_URL}/reports/partners/billing/usage/billed/export`, { method: 'POST', headers: { Authorization: `Bearer ${graph}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ invoiceId: 'G1' }) });
    expect(busy.status).toBe(503);
    expect(((await busy.json()) as { error: Json }).error.code).toBe('ServiceNotAvailable');

    const inv = dataSet.invoices[2];
    standIn.addFault({ operationFailsFor: inv.id, times: 1 });
    const failed = await runExport(env, graph, 'reconciliation/billed', { invoiceId: inv.id });
    expect(failed.operation).toMatchObject({ status: 'failed', error: { code: '5001', message: expect.stringContaining(inv.id) } });
    const retried = await runExport(env, graph, 'reconciliation/billed', { invoiceId: inv.id });
    expect(retried.operation.status).toBe('succeeded');

    standIn.addFault({ corruptBlobFor: inv.id, times: 1 });
    const manifest = retried.operation.resourceLocation as Json;
    const url = `${String(manifest.rootDirectory)}/${(manifest.blobs as { name: string }[])[0].name}?${String(manifest.sasToken)}`;
    const broken = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(() => gunzipSync(broken)).toThrow();
    const whole = Buffer.from(await (await fetch(url)).arrayBuffer());
    expect(gunzipSync(whole).toString('utf8').split('\n').filter(Boolean).length).toBe(Math.min(30, inv.count('onetime')));

    standIn.addFault({ delay: /^GET \/pc\/v1\/profiles\/mpn$/, ms: 300, times: 1 });
    let started = Date.now();
    await getJson(`${env.PI_PC_API_URL}/v1/profiles/mpn`, pc);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    started = Date.now();
    await getJson(`${env.PI_PC_API_URL}/v1/profiles/mpn`, pc);
    expect(Date.now() - started).toBeLessThan(290);
    expect(standIn.faults()).toEqual([]);
  });

  it("serves blobs and REST pages the product's loader loads whole, to the cent, without quarantine", async () => {
    const graph = await token(env, GRAPH);
    const pc = await token(env, PC);
    const db = await openMemory();
    const { dir, cleanup } = tempDir('pi-stand-in-');
    try {
      const inv = dataSet.invoices[1];
      // Graph blobs of one export are one file per invoice and kind (blobs concatenated): the
      // loader replaces an invoice's rows by invoice number, so blob by blob would keep only the last.
      const usage = (await readBlobs((await runExport(env, graph, 'usage/billed', { invoiceId: inv.id })).operation.resourceLocation as Json)).records;
      const recon = (await readBlobs((await runExport(env, graph, 'reconciliation/billed', { invoiceId: inv.id })).operation.resourceLocation as Json)).records;
      const jsonl = (records: Json[]) => gzipSync(records.map((r) => JSON.stringify(r)).join('\n') + '\n');
      writeFileSync(join(dir, `billed_usage_${inv.id}.json.gz`), jsonl(usage));
      writeFileSync(join(dir, `billed_reconciliation_${inv.id}.json.gz`), jsonl(recon));
      // REST pages as fetched, one per line: license-based items carry no invoiceNumber, the file name does.
      const pages = async (first: string) => {
        const out: Json[] = [];
        let url: string | undefined = `${env.PI_PC_API_URL}${first}`;
        let headers: Record<string, string> = {};
        while (url) {
          const page = await getJson(url, pc, headers);
          out.push(page.body);
          const next = (page.body.links as { next?: { uri: string; headers: { key: string; value: string }[] } }).next;
          url = next ? `${env.PI_PC_API_URL}${next.uri}` : undefined;
          headers = Object.fromEntries((next?.headers ?? []).map((h) => [h.key, h.value]));
        }
        return out.map((p) => JSON.stringify(p)).join('\n');
      };
      writeFileSync(join(dir, `${inv.id}_license_lineitems.json`), await pages(`/v1/invoices/${inv.id}/lineitems?provider=Office&invoicelineitemtype=BillingLineItems`));
      const old = dataSet.invoices[0];
      writeFileSync(join(dir, `${old.id}_onetime_lineitems.json`), await pages(`/v1/invoices/${old.id}/lineitems?provider=OneTime&invoicelineitemtype=BillingLineItems`));
      writeFileSync(join(dir, `${old.id}_usage_lineitems.json`), await pages(`/v1/invoices/${old.id}/lineitems?provider=OneTime&invoicelineitemtype=UsageLineItems`));

      const results = [];
      const names = [`billed_usage_${inv.id}.json.gz`, `billed_reconciliation_${inv.id}.json.gz`, `${inv.id}_license_lineitems.json`, `${old.id}_onetime_lineitems.json`, `${old.id}_usage_lineitems.json`];
      for (const name of names) {
        results.push(await loadFile(db, join(dir, name)));
      }
      expect(results.map((r) => [r.status, r.format, r.rowsLoaded, r.rowsQuarantined])).toEqual([
        ['loaded', 'daily-usage-recon-json', inv.count('usage'), 0],
        ['loaded', 'onetime-recon-json', inv.count('onetime'), 0],
        ['loaded', 'license-recon-json', inv.count('license'), 0],
        ['loaded', 'onetime-recon-json', old.count('onetime'), 0],
        ['loaded', 'daily-usage-recon-json', old.count('usage'), 0],
      ]);
      // New-commerce amounts follow the documented rounding rule.
      expect(results[1].amountCheck).toMatchObject({ checked: inv.count('onetime'), differences: 0 });
      expect(results[3].amountCheck).toMatchObject({ differences: 0 });
      expect(await count(db, 'SELECT count(*) FROM etl_quarantine')).toBe(0);
      const stored = await db.one<{ t: string }>(
        `SELECT CAST((SELECT sum(total_for_customer) FROM billing_license_lines WHERE invoice_number = '${inv.id}')
                   + (SELECT sum(total) FROM billing_onetime_lines WHERE invoice_number = '${inv.id}')
                   + (SELECT sum(billing_pre_tax_total) FROM billing_usage_lines WHERE invoice_number = '${inv.id}') AS VARCHAR) AS t`,
      );
      expect(cents(stored!.t)).toBe(cents(inv.totalCharges));
      // Charge types of the REST API (Purchase, Refund) are stored as the file's (New, Cancel).
      const types = (await db.all<{ c: string }>(`SELECT DISTINCT charge_type AS c FROM billing_onetime_lines WHERE invoice_number = '${old.id}' ORDER BY 1`)).map((r) => r.c);
      expect(types).not.toContain('Purchase');
      expect(types).toContain('New');
    } finally {
      db.close();
      cleanup();
    }
  });
});

describe('stand-in: a data set changed between two syncs', () => {
  let dataSet: StandInDataSet;
  let standIn: StandIn;
  let env: Env;

  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });

  beforeAll(async () => {
    dataSet = generateDataSet('small', { seed: 7 });
    const clientCertificate = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    standIn = await startStandIn({ dataSet, operationPolls: 0, linesPerBlob: 1000, clientCertificate });
    env = standIn.settingsEnv();
  });
  afterAll(() => standIn.close());

  it('accepts a client assertion signed with the registered certificate, and refuses others', async () => {
    const assertion = (key: KeyObject, claims: Record<string, unknown> = {}) => {
      const now = Math.floor(Date.now() / 1000);
      const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
      const body = `${part({ alg: 'RS256', typ: 'JWT' })}.${part({
        aud: `${env.PI_PC_LOGIN_URL}/${env.PI_PC_TENANT_ID}/oauth2/v2.0/token`,
        iss: env.PI_PC_CLIENT_ID,
        sub: env.PI_PC_CLIENT_ID,
        jti: randomUUID(),
        nbf: now,
        exp: now + 600,
        ...claims,
      })}`;
      return `${body}.${sign('sha256', Buffer.from(body), key).toString('base64url')}`;
    };
    const withAssertion = async (value: string) => {
      const r = await requestToken(env, GRAPH, { client_secret: '', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: value });
      const body = (await r.json()) as { access_token?: string; error_codes?: number[] };
      return [r.status, body.access_token ? 'token' : body.error_codes?.[0]];
    };
    expect(await withAssertion(assertion(keys.privateKey))).toEqual([200, 'token']);
    expect(await withAssertion(assertion(generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey))).toEqual([401, 700027]);
    expect(await withAssertion(assertion(keys.privateKey, { iss: 'someone-else' }))).toEqual([401, 700021]);
    expect(await withAssertion(assertion(keys.privateKey, { exp: Math.floor(Date.now() / 1000) - 3600 }))).toEqual([401, 700024]);
  });

  it('corrects an invoice (new eTag, new lines, new total), amends one, and bills a new month', async () => {
    const graph = await token(env, GRAPH);
    const pc = await token(env, PC);
    const inv = dataSet.invoices[2];
    const before = await runExport(env, graph, 'usage/billed', { invoiceId: inv.id });
    expect(before.polls.length).toBe(1);
    const beforeManifest = before.operation.resourceLocation as Json;
    const beforeTotal = inv.totalCharges;

    dataSet.correctInvoice(inv.id);
    expect(inv.revision).toBe(1);
    expect(inv.totalCharges).not.toBe(beforeTotal);
    expect(inv.lineItems.reduce((s, l) => s + lineTotalCents(l), 0)).toBe(cents(inv.totalCharges));
    const after = await runExport(env, graph, 'usage/billed', { invoiceId: inv.id });
    const afterManifest = after.operation.resourceLocation as Json;
    expect(afterManifest.eTag).not.toBe(beforeManifest.eTag);
    expect(String(afterManifest.rootDirectory)).toMatch(/InvoiceVersion=1\//);
    expect((await readBlobs(afterManifest)).records).toEqual(inv.linesOf('usage').map((l) => graphRecord(l)));
    // The first export's blobs still hold the data of their version.
    expect((await readBlobs(beforeManifest)).records.length).toBe(inv.count('usage'));
    expect((await getJson(`${env.PI_PC_API_URL}/v1/invoices/${inv.id}`, pc)).body.totalCharges).toBe(inv.totalCharges);

    const note = dataSet.amendInvoice(dataSet.invoices[1].id);
    const listed = ((await getJson(`${env.PI_PC_API_URL}/v1/invoices`, pc)).body.items as Json[]).find((i) => i.id === dataSet.invoices[1].id)!;
    expect(listed.amendments).toEqual([expect.objectContaining({ id: note.id, amendsOf: dataSet.invoices[1].id, documentType: 'adjustment_note', totalCharges: note.totalCharges })]);
    expect(note.totalCharges).toBeLessThan(0);
    const credits = await runExport(env, graph, 'reconciliation/billed', { invoiceId: note.id });
    expect((await readBlobs(credits.operation.resourceLocation as Json)).records.map((r) => r.ChargeType)).toEqual(['Cancel', 'Cancel']);

    const month = dataSet.currentMonth;
    const added = dataSet.addInvoice();
    expect(added.month).toBe(month);
    expect(dataSet.currentMonth > month).toBe(true);
    const ids = ((await getJson(`${env.PI_PC_API_URL}/v1/invoices`, pc)).body.items as Json[]).map((i) => i.id);
    expect(ids).toEqual(dataSet.invoices.map((i) => i.id));
    expect(ids).toHaveLength(4);
    const newUsage = await runExport(env, graph, 'usage/billed', { invoiceId: added.id });
    expect((await readBlobs(newUsage.operation.resourceLocation as Json)).records.length).toBe(added.count('usage'));
  });
});
