import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { startExportsEnv, type ExportsEnv } from './env';
import { canonicalDecimal, readWithDuckDb, readXlsx, saveBody, type FileRow } from './read-back';
import { until } from '../support/wait';

/**
 * /exports/<dataset>.<format> over real HTTP: every format read back by an independent reader
 * (DuckDB for CSV, TSV, Parquet; exceljs for XLSX) and compared with the same data queried through
 * GraphQL on the same server; headers; errors (400 naming what is allowed, 403 naming the roles,
 * 401); tenant and location scoping.
 */
let env: ExportsEnv;
let admin: string;
beforeAll(async () => {
  env = await startExportsEnv();
  admin = await env.token(env.partners[0], ['Executive report viewer']);
}, 180_000);
afterAll(() => env?.close());

const FORMATS = ['tsv', 'csv', 'parquet', 'xlsx'] as const;

async function download(path: string, bearer: string, name: string): Promise<{ response: Response; rows: FileRow[] }> {
  const response = await env.download(path, bearer);
  expect(response.status).toBe(200);
  const format = path.split('?')[0].split('.').pop() as (typeof FORMATS)[number];
  const file = await saveBody(response, env.dir, name);
  const rows = format === 'xlsx' ? await readXlsx(file) : await readWithDuckDb(env.warehouse, file, format);
  return { response, rows };
}

/** A month cell as YYYY-MM: text "2026-01-01" from DuckDB, a Date from exceljs. */
const monthOf = (v: unknown) => (v instanceof Date ? v.toISOString() : String(v)).slice(0, 7);

const ACR_QUERY = `query($splitBy: InsightsDimension) { metric(name: "azureConsumedRevenue", range: { kind: LIFETIME }, splitBy: $splitBy) {
  value series { month value } groups { key series { month value } } } }`;

describe.each(FORMATS)('%s', (format) => {
  test('insights.azureConsumedRevenue split by meter category equals GraphQL metric(), month by month, exactly', async () => {
    const { response, rows } = await download(`insights.azureConsumedRevenue.${format}?range=lifetime&splitBy=meterCategory`, admin, `acr.${format}`);
    expect(response.headers.get('content-disposition')).toMatch(new RegExp(`^attachment; filename="insights\\.azureConsumedRevenue_by-meterCategory_\\d{4}-\\d{2}_\\d{4}-\\d{2}\\.${format}"$`));
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(0);
    const data = await env.graphql(admin, ACR_QUERY, { splitBy: 'METER_CATEGORY' });
    const expected = new Map<string, string>();
    for (const g of data.metric.groups) for (const p of g.series) expected.set(`${g.key}|${p.month}`, canonicalDecimal(p.value));
    expect(expected.size).toBeGreaterThan(10);
    const got = new Map<string, string>();
    for (const r of rows) {
      // Excel holds numbers as doubles: the cell is the double nearest the decimal.
      const value = format === 'xlsx' ? canonicalDecimal((r.Value as number).toFixed(2)) : canonicalDecimal(r.Value);
      got.set(`${r.SplitValue}|${monthOf(r.Month)}`, value);
      expect(r.Metric).toBe('azureConsumedRevenue');
      expect(r.SplitBy).toBe('meterCategory');
    }
    expect(got).toEqual(expected);
  });

  test('customer-details holds exactly the customers GraphQL lists, with their names', async () => {
    const { rows } = await download(`customer-details.${format}?range=3m`, admin, `customers.${format}`);
    const data = await env.graphql(admin, `{ customers(first: 100) { totalCount edges { node { id companyName } } } }`);
    const expected = new Map<string, string>(data.customers.edges.map((e: any) => [e.node.id, e.node.companyName]));
    const got = new Map(rows.map((r) => [String(r.CustomerId), String(r.CustomerName)]));
    expect(got).toEqual(expected);
    expect(new Set(rows.map((r) => monthOf(r.Month))).size).toBe(3);
  });
});

test('subscription-details: the last month lists every subscription GraphQL lists, with its quantity', async () => {
  const { rows } = await download('subscription-details.parquet?range=3m', admin, 'subs.parquet');
  const last = rows.map((r) => monthOf(r.Month)).sort().pop();
  const lastRows = rows.filter((r) => monthOf(r.Month) === last);
  const ids: Record<string, number> = {};
  let after: string | null = null;
  for (;;) {
    const data: any = await env.graphql(admin, `query($after: String) { subscriptions(first: 100, after: $after) {
      pageInfo { hasNextPage endCursor } edges { node { id quantity } } } }`, { after });
    for (const e of data.subscriptions.edges) ids[e.node.id] = e.node.quantity;
    if (!data.subscriptions.pageInfo.hasNextPage) break;
    after = data.subscriptions.pageInfo.endCursor;
  }
  expect(Object.fromEntries(lastRows.map((r) => [String(r.SubscriptionId), Number(r.Quantity)]))).toEqual(ids);
});

describe('errors', () => {
  test('unknown dataset: 400 listing the dataset names', async () => {
    const response = await env.download('customer-detail.csv', admin);
    expect(response.status).toBe(400);
    const body = (await response.json()) as any;
    expect(body.message).toMatch(/unknown dataset "customer-detail"; datasets: partner-profile, customer-details, .*focus/);
  });

  test('a path that is not valid percent-encoding: 400, not a server error', async () => {
    const response = await env.download('customer-details%E0%A4%A.csv', admin);
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).message).toMatch(/not valid percent-encoding/);
  });

  test('unknown format: 400 listing the formats', async () => {
    const response = await env.download('customer-details.json', admin);
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).message).toBe('unknown format "json"; formats: tsv, csv, parquet, xlsx');
  });

  test('bad range: 400 saying the allowed values', async () => {
    let response = await env.download('customer-details.csv?range=2y', admin);
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).message).toBe('range "2y" is not one of 3m, 6m, 12m, lifetime or YYYY-MM..YYYY-MM');
    response = await env.download('customer-details.csv?range=2026-01..2026-03', admin);
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).message).toMatch(/customer-details takes the ranges LAST_3_MONTHS, LAST_6_MONTHS, LAST_12_MONTHS, LIFETIME, not CUSTOM/);
    response = await env.download('partner-profile.csv?range=3m', admin);
    expect(response.status).toBe(400);
  });

  test('a filter the dataset does not take: 400 naming the ones it takes', async () => {
    const response = await env.download('azure-usage.csv?productFamilies=Azure', admin);
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).message).toBe('azure-usage cannot be filtered by productFamilies; it takes customerCountries, locationMpnIds');
  });

  test('no token: 401', async () => {
    expect((await env.download('partner-profile.csv', null)).status).toBe(401);
  });

  test('a Report viewer may not download reports, with or without revenue (403 naming the roles): only executive report viewers can', async () => {
    const viewer = await env.token(env.partners[0], ['Report viewer']);
    // "Only those users who are executive report viewers can download reports" (reference line 16896).
    const license = await env.download('office365-license-usage.csv', viewer);
    expect(license.status).toBe(403);
    expect(((await license.json()) as any).requiredRoles).toEqual(['Global admin', 'Executive report viewer']);
    const exec = await env.token(env.partners[0], ['Executive report viewer']);
    const allowed = await env.download('office365-license-usage.csv', exec);
    expect(allowed.status).toBe(200);
    await allowed.arrayBuffer();
    let response = await env.download('customer-details.csv', viewer);
    expect(response.status).toBe(403);
    let body = (await response.json()) as any;
    expect(body.message).toBe('exporting customer-details (it contains revenue) needs one of these roles: Global admin, Executive report viewer');
    expect(body.requiredRoles).toEqual(['Global admin', 'Executive report viewer']);
    response = await env.download('trainings.csv', viewer);
    expect(response.status).toBe(403);
    body = (await response.json()) as any;
    expect(body.requiredRoles).toEqual(['Global admin', 'Executive report viewer']);
  });

  test('a Sales agent may not download reports; a Billing admin may export FOCUS but not the Insights reports', async () => {
    const agent = await env.token(env.partners[0], ['Sales agent']);
    expect((await env.download('partner-profile.csv', agent)).status).toBe(403);
    const billing = await env.token(env.partners[0], ['Billing admin']);
    const focus = await env.download('focus.csv', billing);
    expect(focus.status).toBe(200);
    await focus.arrayBuffer();
    expect((await env.download('customer-details.csv', billing)).status).toBe(403);
    expect((await env.download('focus.csv', admin)).status).toBe(403);
  });

  test('no temporary export file is left behind, after a download or an error', async () => {
    const exportDirs = () => new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('pi-export-')));
    const before = exportDirs();
    const ok = await env.download('partner-profile.csv', admin);
    expect(ok.status).toBe(200);
    await ok.arrayBuffer();
    const denied = await env.download('customer-details.csv', await env.token(env.partners[0], ['Report viewer']));
    expect(denied.status).toBe(403);
    await denied.arrayBuffer();
    // The server deletes the directory once the response has ended.
    await until(() => [...exportDirs()].every((n) => before.has(n)), 2000, 'the temporary directories to be removed');
  });

  test('a client that goes away mid-download: the server carries on, the temporary file is deleted', async () => {
    const exportDirs = () => new Set(readdirSync(tmpdir()).filter((n) => n.startsWith('pi-export-')));
    const before = exportDirs();
    const billing = await env.token(env.partners[0], ['Billing admin']);
    const controller = new AbortController();
    const response = await fetch(`${env.server.url}/exports/usage-lines.csv?range=lifetime`, {
      headers: { authorization: `Bearer ${billing}` },
      signal: controller.signal,
    });
    expect(response.status).toBe(200);
    expect(Number(response.headers.get('content-length'))).toBeGreaterThan(100_000);
    controller.abort();
    await until(() => [...exportDirs()].every((n) => before.has(n)), 2000, 'the temporary directory to be removed');
    const next = await env.download('partner-profile.csv', admin);
    expect(next.status).toBe(200);
    await next.arrayBuffer();
  });
});

describe('scope', () => {
  test('another partner\'s token gets only that partner\'s rows', async () => {
    const other = await env.token(env.partners[1], ['Executive report viewer']);
    const { rows } = await download('partner-profile.csv', other, 'other-profile.csv');
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.PartnerId))).toEqual(new Set([env.partners[1]]));
  });

  test('a location-scoped caller gets only its location\'s rows', async () => {
    const locations = env.summary.partners[0].locations.map((l) => l.mpnId);
    const scoped = await env.token(env.partners[0], ['Executive report viewer'], [locations[0]]);
    const { rows } = await download('customer-details.csv?range=3m', scoped, 'scoped.csv');
    const all = (await download('customer-details.csv?range=3m', admin, 'all.csv')).rows;
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(all.length);
    expect(new Set(rows.map((r) => r.LocationMpnId))).toEqual(new Set([locations[0]]));
  });

  test('filters narrow the rows', async () => {
    const { rows: all } = await download('customer-details.csv?range=3m', admin, 'f-all.csv');
    const country = String(all[0].CustomerCountry);
    const { rows } = await download(`customer-details.csv?range=3m&customerCountries=${country}`, admin, 'f-one.csv');
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => r.CustomerCountry === country)).toBe(true);
    expect(rows.length).toBe(all.filter((r) => r.CustomerCountry === country).length);
  });
});
