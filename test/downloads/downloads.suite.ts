import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer } from '../../gateway/server';
import { gql, testAuth, token } from '../gateway/harness';
import { startInsightsEnv, type InsightsEnv } from '../insights/env';
import { GENERATE, generateAndWait, httpGet, waitForReport } from './support';

/**
 * Report downloads over real HTTP on a warehouse loaded with generated demo data: generateReport
 * queues a job that the in-process queue writes with the export engine; generatedReports lists
 * it; GET /downloads/<id> streams the file. Roles, locations, the 14-day expiry (PI_TODAY moved
 * forward), the sweep and crash recovery at start.
 */
let env: InsightsEnv;
let partner: string;
let otherPartner: string;
let exec: string;
let viewer: string;
let locations: string[];
const LIST = `query($status: [GeneratedReportStatus!]) { generatedReports(first: 50, status: $status) {
  totalCount edges { node { id report status requestedAt locationMpnIds downloadUrl } } } }`;

const url = () => env.server.graphqlUrl;
const get = (path: string, bearer: string) => httpGet(env.server.url, path, { authorization: `Bearer ${bearer}` });

beforeAll(async () => {
  env = await startInsightsEnv();
  [partner, otherPartner] = env.summary.partners.map((p) => p.id);
  exec = await token(partner, ['Executive report viewer']);
  viewer = await token(partner, ['Report viewer']);
  locations = (await env.warehouse.all<{ mpn: string }>(`SELECT mpn_id AS mpn FROM locations WHERE partner_id = $1 ORDER BY 1`, [partner])).map((r) => r.mpn);
}, 180_000);
afterAll(async () => {
  delete process.env.PI_TODAY;
  await env.close();
});

describe('reportTypes', () => {
  it('lists the datasets with timeframes, contents, columns and whether the caller may generate them', async () => {
    const q = `{ reportTypes { name title timeframes contains requiredRoles canGenerate columns { name type } } }`;
    const asViewer = (await gql(url(), viewer, q)).body.data.reportTypes;
    const byName = Object.fromEntries(asViewer.map((t: any) => [t.name, t]));
    // Listed to a Report viewer (an appropriate role of the hub), but "Only those users who are executive report viewers can download reports".
    expect(byName['partner-profile']).toMatchObject({ title: 'Partner profile', timeframes: [], canGenerate: false, requiredRoles: ['Global admin', 'Executive report viewer'] });
    expect(byName['customer-details']).toMatchObject({
      title: 'Customer details',
      timeframes: ['LAST_3_MONTHS', 'LAST_6_MONTHS', 'LAST_12_MONTHS', 'LIFETIME'],
      contains: ['revenue'],
      requiredRoles: ['Global admin', 'Executive report viewer'],
      canGenerate: false,
    });
    expect(byName['customer-details'].columns).toContainEqual({ name: 'AcrUsd', type: 'DECIMAL(18,6)' });
    const asExec = (await gql(url(), exec, q)).body.data.reportTypes;
    expect(asExec.find((t: any) => t.name === 'customer-details').canGenerate).toBe(true);
  });
});

describe('generate and download', () => {
  let report: any;
  beforeAll(async () => {
    report = await generateAndWait(url(), exec, { report: 'customer-details', timeframe: 'LAST_3_MONTHS' });
  });

  it('generates in the background: QUEUED at once, then READY with rows, bytes, generation time and a 14-day expiry', async () => {
    const r = await gql(url(), exec, GENERATE, { input: { report: 'partner-profile' } });
    expect(r.body.data.generateReport).toMatchObject({ report: 'partner-profile', title: 'Partner profile', timeframe: null, format: 'TSV', downloadUrl: null });
    expect(['QUEUED', 'RUNNING']).toContain(r.body.data.generateReport.status);
    expect(report).toMatchObject({ report: 'customer-details', title: 'Customer details', timeframe: 'LAST_3_MONTHS', format: 'TSV', status: 'READY', error: null });
    expect(report.rows).toBeGreaterThan(0);
    expect(report.bytes).toBeGreaterThan(0);
    expect(Date.parse(report.expiresAt) - Date.parse(report.generatedAt)).toBe(14 * 86_400_000);
    expect(report.downloadUrl).toBe(`/downloads/${report.id}`);
    expect(report.fileName).toMatch(/^customer-details_\d{4}-\d{2}_\d{4}-\d{2}\.tsv$/);
    await waitForReport(url(), exec, r.body.data.generateReport.id);
  });

  it('streams the file with its content type and name; the file lives in exports/ beside the warehouse', async () => {
    const r = await get(report.downloadUrl, exec);
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/tab-separated-values/);
    expect(r.headers.get('content-disposition')).toBe(`attachment; filename="${report.fileName}"`);
    expect(r.bytes.length).toBe(report.bytes);
    const lines = r.text.trimEnd().split('\n');
    expect(lines[0].split('\t')).toEqual(expect.arrayContaining(['Month', 'CustomerId', 'AcrUsd']));
    expect(lines.length - 1).toBe(report.rows);
    const file = join(env.dir, 'exports', partner, `${report.id}.tsv`);
    expect(readFileSync(file)).toEqual(r.bytes);
  });

  it('writes CSV, Parquet and Excel too', async () => {
    for (const [format, type, magic] of [
      ['CSV', /^text\/csv/, 'PartnerId,'],
      ['PARQUET', /parquet/, 'PAR1'],
      ['XLSX', /spreadsheetml/, 'PK'],
    ] as const) {
      const done = await generateAndWait(url(), exec, { report: 'partner-profile', format });
      const r = await get(done.downloadUrl, exec);
      expect(r.status).toBe(200);
      expect(r.headers.get('content-type')).toMatch(type);
      expect(r.bytes.subarray(0, magic.length).toString('latin1')).toBe(magic);
    }
  });

  it('lists the partner’s reports newest first; statuses filter', async () => {
    const all = (await gql(url(), exec, LIST)).body.data.generatedReports;
    const times = all.edges.map((e: any) => e.node.requestedAt);
    expect(times).toEqual([...times].sort().reverse());
    expect(all.edges.map((e: any) => e.node.id)).toContain(report.id);
    const ready = (await gql(url(), exec, LIST, { status: ['READY'] })).body.data.generatedReports;
    expect(ready.edges.every((e: any) => e.node.status === 'READY')).toBe(true);
  });

  it('403 for a Report viewer: the report contains revenue; and the viewer cannot generate it or see it listed', async () => {
    const r = await get(report.downloadUrl, viewer);
    expect(r.status).toBe(403);
    expect(JSON.parse(r.text)).toMatchObject({ requiredRoles: ['Global admin', 'Executive report viewer'], message: expect.stringMatching(/contains revenue/) });
    const gen = await gql(url(), viewer, GENERATE, { input: { report: 'customer-details' } });
    expect(gen.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['Global admin', 'Executive report viewer'] });
    expect(gen.body.errors![0].message).toMatch(/"Customer details" \(it contains revenue\) needs one of these roles/);
    const listed = (await gql(url(), viewer, LIST)).body.data.generatedReports.edges.map((e: any) => e.node.id);
    expect(listed).not.toContain(report.id);
  });

  it('404 for an unknown id and for another partner', async () => {
    expect((await get('/downloads/00000000-0000-4000-8000-000000000000', exec)).status).toBe(404);
    expect((await get('/downloads/..%2F..%2Fetc%2Fpasswd', exec)).status).toBe(404);
    const other = await token(otherPartner, ['Global admin']);
    expect((await get(report.downloadUrl, other)).status).toBe(404);
    expect((await gql(url(), other, LIST)).body.data.generatedReports.edges.map((e: any) => e.node.id)).not.toContain(report.id);
  });
});

describe('location scope', () => {
  it('a location-scoped viewer sees and downloads the reports of their locations, not the organization’s', async () => {
    const scoped = await token(partner, ['Executive report viewer'], { locations: [locations[0]] });
    const own = await generateAndWait(url(), scoped, { report: 'customer-details', timeframe: 'LIFETIME', format: 'CSV' });
    const orgWide = await generateAndWait(url(), exec, { report: 'partner-profile', format: 'CSV' });
    expect((await gql(url(), scoped, `query($id: ID!) { generatedReport(id: $id) { locationMpnIds } }`, { id: own.id })).body.data.generatedReport).toEqual({ locationMpnIds: [locations[0]] });
    const listed = (await gql(url(), scoped, LIST)).body.data.generatedReports.edges.map((e: any) => e.node.id);
    expect(listed).toContain(own.id);
    expect(listed).not.toContain(orgWide.id);
    expect((await get(orgWide.downloadUrl, scoped)).status).toBe(404);
    expect((await get(own.downloadUrl, scoped)).status).toBe(200);
    // the organization sees every location's reports
    expect((await get(own.downloadUrl, exec)).status).toBe(200);
    const customers = await env.warehouse.all<{ n: number }>(`SELECT count(DISTINCT customer_id)::INT AS n FROM customers WHERE partner_id = $1 AND mpn_id <> $2`, [partner, locations[0]]);
    const ids = (await get(own.downloadUrl, scoped)).text.split('\n').slice(1).filter(Boolean);
    const others = await env.warehouse.all<{ id: string }>(`SELECT customer_id AS id FROM customers WHERE partner_id = $1 AND mpn_id <> $2`, [partner, locations[0]]);
    expect(customers[0].n).toBeGreaterThan(0);
    for (const { id } of others) expect(ids.some((line) => line.includes(id))).toBe(false);
  });
});

describe('states', () => {
  it('409 while not READY, naming the state; a failed job says why', async () => {
    await env.warehouse.run(
      `INSERT INTO generated_reports (report_id, partner_id, dataset, title, timeframe, format, status, requester_roles, requested_at)
       VALUES ('held-report', $1, 'partner-profile', 'Partner profile', NULL, 'tsv', 'QUEUED', ['Executive report viewer'], now()::TIMESTAMP)`,
      [partner],
    );
    const r = await get('/downloads/held-report', exec);
    expect(r.status).toBe(409);
    expect(JSON.parse(r.text)).toMatchObject({ status: 'QUEUED', allowedStates: ['READY'], message: expect.stringMatching(/is QUEUED; it can be downloaded when READY/) });
    // The queue now runs it (it runs whatever is QUEUED when kicked).
    await gql(url(), exec, GENERATE, { input: { report: 'partner-profile' } });
    expect((await waitForReport(url(), exec, 'held-report')).status).toBe('READY');

    await env.warehouse.run(
      `INSERT INTO generated_reports (report_id, partner_id, dataset, title, timeframe, format, status, requester_roles, requested_at)
       VALUES ('bad-filter', $1, 'partner-profile', 'Partner profile', NULL, 'tsv', 'QUEUED', ['Executive report viewer'], now()::TIMESTAMP)`,
      [partner],
    );
    // A job the engine refuses (a filter the dataset does not take, e.g. stored by an older version) ends FAILED with the reason.
    await env.warehouse.run(`UPDATE generated_reports SET filters = '{"segments":["Commercial"]}' WHERE report_id = 'bad-filter'`);
    await gql(url(), exec, GENERATE, { input: { report: 'partner-profile' } });
    const failed = await waitForReport(url(), exec, 'bad-filter');
    expect(failed.status).toBe('FAILED');
    expect(failed.error).toMatch(/cannot be filtered by segments/);
    const r409 = await get('/downloads/bad-filter', exec);
    expect(r409.status).toBe(409);
    expect(JSON.parse(r409.text).message).toMatch(/is FAILED.*cannot be filtered by segments/);
  });

  it('checks the request: unknown report, a filter the report does not take', async () => {
    const err = async (input: Record<string, unknown>) => (await gql(url(), exec, GENERATE, { input })).body.errors![0];
    expect(await err({ report: 'nope' })).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'input.report' }, message: expect.stringMatching(/unknown report "nope"; reports: .*customer-details/) });
    expect((await err({ report: 'customer-details', filters: { productFamilies: ['Azure'] } })).message).toMatch(/does not take the filter\(s\) productFamilies; it takes: /);
  });

  it('after 14 days: EXPIRED at once (410), then the sweep removes the file; on start, RUNNING jobs of a crash become FAILED', async () => {
    const done = await generateAndWait(url(), exec, { report: 'partner-profile' });
    const file = join(env.dir, 'exports', partner, `${done.id}.tsv`);
    expect(existsSync(file)).toBe(true);
    await env.warehouse.run(
      `INSERT INTO generated_reports (report_id, partner_id, dataset, title, timeframe, format, status, requester_roles, requested_at, started_at)
       VALUES ('crashed', $1, 'partner-profile', 'Partner profile', NULL, 'tsv', 'RUNNING', ['Executive report viewer'], now()::TIMESTAMP, TIMESTAMP '2026-01-02 03:04:05')`,
      [partner],
    );

    process.env.PI_TODAY = new Date(Date.parse(done.expiresAt) + 1000).toISOString().slice(0, 19) + 'Z';
    const gone = await get(done.downloadUrl, exec);
    expect(gone.status).toBe(410);
    expect(JSON.parse(gone.text).message).toBe(`report ${done.id} expired at ${done.expiresAt.replace('.000Z', 'Z')}: files are kept 14 days; generate it again`);
    expect((await waitForReport(url(), exec, done.id)).status).toBe('EXPIRED');
    expect(existsSync(file)).toBe(true); // not swept yet

    // A (re)start: the sweep runs, and the job a crash left RUNNING is marked FAILED.
    const restarted = await startServer({ warehouse: env.warehouse, port: 0, host: '127.0.0.1', auth: testAuth });
    try {
      expect(existsSync(file)).toBe(false);
      const [row] = await env.warehouse.all<{ status: string; file_path: string | null }>(`SELECT status, file_path FROM generated_reports WHERE report_id = $1`, [done.id]);
      expect(row).toEqual({ status: 'EXPIRED', file_path: null });
      const crashed = await waitForReport(`${restarted.url}/graphql`, exec, 'crashed');
      expect(crashed).toMatchObject({ status: 'FAILED', error: 'interrupted: the server stopped while this report was being generated (started 2026-01-02T03:04:05Z); generate it again' });
      expect((await get(done.downloadUrl, exec)).status).toBe(410);
    } finally {
      await restarted.close();
      delete process.env.PI_TODAY;
    }
    // The first server still runs its queue after the second one stopped.
    expect((await generateAndWait(url(), exec, { report: 'partner-profile' })).status).toBe('READY');
  });
});
