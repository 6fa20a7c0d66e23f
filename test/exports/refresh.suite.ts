import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { loadFile } from '../../etl/load';
import { statementCounter } from '../../warehouse/db';
import { DATASETS } from '../../warehouse/exports';
import { demoData } from '../support/data-sets';
import { startExportsEnv, type ExportsEnv } from './env';
import { readWithDuckDb, saveBody } from './read-back';

/**
 * Exports for a daily refresh, over real HTTP against an ETL-loaded warehouse: ETag and
 * Last-Modified from what feeds the dataset (304 on If-None-Match / If-Modified-Since, HEAD
 * without running the export), day and datetime from/to on the line-level datasets, the catalogue
 * (GET /exports), the query parameters' 400, and the XLSX sheet and table.
 */
let env: ExportsEnv;
let viewer: string; // Executive report viewer
let billing: string; // Billing admin
let admin: string; // Global admin (mutations)

beforeAll(async () => {
  env = await startExportsEnv();
  viewer = await env.token(env.partners[0], ['Executive report viewer']);
  billing = await env.token(env.partners[0], ['Billing admin']);
  admin = await env.token(env.partners[0], ['Global admin']);
}, 180_000);
afterAll(() => env?.close());

function get(path: string, bearer: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Response> {
  return fetch(`${env.server.url}/exports/${path}`, { method, headers: { authorization: `Bearer ${bearer}`, ...headers } });
}

/** GET, body read (so the connection is free), the validators returned. */
async function validators(path: string, bearer: string): Promise<{ etag: string; lastModified: string | null; status: number }> {
  const response = await get(path, bearer);
  await response.arrayBuffer();
  expect(response.status).toBe(200);
  return { etag: response.headers.get('etag')!, lastModified: response.headers.get('last-modified'), status: response.status };
}

/** When the partner's last load (one that wrote its rows, or whose rows nobody knows) ended. */
async function loadsFinishedAt(partner = env.partners[0]): Promise<Date> {
  const [row] = await env.warehouse.all<{ at: string }>(
    `SELECT strftime(max(coalesce(finished_at, started_at)), '%Y-%m-%dT%H:%M:%S.%gZ') AS at FROM etl_loads
     WHERE status <> 'rejected' AND (partner_ids IS NULL OR len(partner_ids) = 0 OR list_contains(partner_ids, $1))`,
    [partner],
  );
  return new Date(row.at);
}

describe('ETag and Last-Modified', () => {
  test('a GET carries a weak ETag and the last load as Last-Modified; the same request again, the same ETag', async () => {
    const first = await get('usage-lines.csv?range=lifetime', billing);
    expect(first.status).toBe(200);
    await first.arrayBuffer();
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^W\/"[\w-]{20,}"$/);
    expect(first.headers.get('cache-control')).toBe('private, no-cache');
    // usage lines are written by the loader only: the partner's last load dates them.
    const loaded = await loadsFinishedAt();
    expect(first.headers.get('last-modified')).toBe(new Date(Math.floor(loaded.getTime() / 1000) * 1000).toUTCString());
    expect((await validators('usage-lines.csv?range=lifetime', billing)).etag).toBe(etag);
  });

  test('the ETag follows the request: format, range, filters (in any order), the caller\'s locations', async () => {
    const base = (await validators('customer-details.csv?range=3m&customerCountries=US,CA', viewer)).etag;
    expect((await validators('customer-details.csv?customerCountries=CA,US&range=3m', viewer)).etag).toBe(base);
    expect((await validators('customer-details.csv?customerCountries=CA&customerCountries=US&range=3m', viewer)).etag).toBe(base);
    expect((await validators('customer-details.tsv?range=3m&customerCountries=US,CA', viewer)).etag).not.toBe(base);
    expect((await validators('customer-details.csv?range=6m&customerCountries=US,CA', viewer)).etag).not.toBe(base);
    expect((await validators('customer-details.csv?range=3m&customerCountries=US', viewer)).etag).not.toBe(base);
    const location = env.summary.partners[0].locations[0].mpnId;
    const scoped = await env.token(env.partners[0], ['Executive report viewer'], [location]);
    expect((await validators('customer-details.csv?range=3m&customerCountries=US,CA', scoped)).etag).not.toBe(base);
  });

  test('If-None-Match: 304 for the current ETag (weak or not, in a list, or *), 200 for another; nothing is written', async () => {
    const path = 'customer-details.parquet?range=12m';
    const { etag, lastModified } = await validators(path, viewer);
    for (const match of [etag, etag.replace(/^W\//, ''), `W/"other", ${etag}`, '*']) {
      const response = await get(path, viewer, { 'if-none-match': match });
      expect(response.status).toBe(304);
      expect(response.headers.get('etag')).toBe(etag);
      expect(response.headers.get('last-modified')).toBe(lastModified);
      expect(response.headers.get('x-export-rows')).toBeNull();
      expect((await response.arrayBuffer()).byteLength).toBe(0);
    }
    const other = await get(path, viewer, { 'if-none-match': 'W/"not-this-one"' });
    expect(other.status).toBe(200);
    expect(Number(other.headers.get('x-export-rows'))).toBeGreaterThan(0);
    await other.arrayBuffer();
  });

  test('If-Modified-Since: 304 at or after Last-Modified, 200 before it; ignored when If-None-Match is sent', async () => {
    const path = 'usage-lines.tsv?range=12m';
    const { lastModified } = await validators(path, billing);
    expect(lastModified).not.toBeNull();
    const at = Date.parse(lastModified!);
    expect((await get(path, billing, { 'if-modified-since': lastModified! })).status).toBe(304);
    expect((await get(path, billing, { 'if-modified-since': new Date(at + 60_000).toUTCString() })).status).toBe(304);
    const before = await get(path, billing, { 'if-modified-since': new Date(at - 1000).toUTCString() });
    expect(before.status).toBe(200);
    await before.arrayBuffer();
    const both = await get(path, billing, { 'if-modified-since': lastModified!, 'if-none-match': 'W/"stale"' });
    expect(both.status).toBe(200);
    await both.arrayBuffer();
    const garbage = await get(path, billing, { 'if-modified-since': 'yesterday' });
    expect(garbage.status).toBe(200);
    await garbage.arrayBuffer();
  });

  test('HEAD answers the headers of the GET without running the export', async () => {
    const path = 'usage-lines.csv?range=lifetime';
    const full = await get(path, billing);
    await full.arrayBuffer();
    const before = statementCounter.total;
    const head = await get(path, billing, {}, 'HEAD');
    const statements = statementCounter.total - before;
    expect(head.status).toBe(200);
    for (const name of ['etag', 'last-modified', 'content-type', 'content-disposition', 'cache-control']) {
      expect(head.headers.get(name)).toBe(full.headers.get(name));
    }
    expect(head.headers.get('x-export-rows')).toBeNull();
    // The range and the validators: two small reads, no COPY.
    expect(statements).toBeLessThanOrEqual(2);
    const beforeGet = statementCounter.total;
    await (await get(path, billing)).arrayBuffer();
    expect(statementCounter.total - beforeGet).toBe(statements + 1);
    const conditional = await get(path, billing, { 'if-none-match': full.headers.get('etag')! }, 'HEAD');
    expect(conditional.status).toBe(304);
  });

  test('a load changes the ETag and Last-Modified of the datasets; an unchanged partner keeps them', async () => {
    const trainings = await validators('trainings.csv?range=lifetime', viewer);
    const usage = await validators('usage-lines.csv?range=lifetime', billing);
    const otherViewer = await env.token(env.partners[1], ['Executive report viewer']);
    const other = await validators('trainings.csv?range=lifetime', otherViewer);
    // A corrected certifications file of the first partner (one name changed): it replaces the earlier rows.
    const { files } = await demoData();
    const file = findFile(files, (name, text) => /certification/i.test(name) && text.includes(env.partners[0]));
    const text = readFileSync(file, 'utf8');
    // Every individual renamed (IndividualName, the 4th column).
    const lines = text.split('\n').map((line, i) => (i === 0 || !line ? line : line.replace(/^([^,]*,[^,]*,[^,]*,)([^,]*)/, '$1Renamed Person')));
    const corrected = join(env.dir, 'certifications-corrected.csv');
    writeFileSync(corrected, lines.join('\n'));
    const result = await loadFile(env.warehouse, corrected);
    expect(result.status).toBe('loaded');
    await new Promise((resolve) => setTimeout(resolve, 1100));

    const after = await validators('trainings.csv?range=lifetime', viewer);
    expect(after.etag).not.toBe(trainings.etag);
    expect(Date.parse(after.lastModified!)).toBeGreaterThan(Date.parse(trainings.lastModified!));
    expect(after.lastModified).toBe(new Date(Math.floor((await loadsFinishedAt()).getTime() / 1000) * 1000).toUTCString());
    // The old validators no longer match.
    const stale = await get('trainings.csv?range=lifetime', viewer, { 'if-none-match': trainings.etag });
    expect(stale.status).toBe(200);
    expect(await stale.text()).toContain('Renamed Person');
    expect((await get('trainings.csv?range=lifetime', viewer, { 'if-modified-since': trainings.lastModified! })).status).toBe(200);
    // Every dataset of that partner follows its loads (a file fills other tables than its own).
    expect((await validators('usage-lines.csv?range=lifetime', billing)).etag).not.toBe(usage.etag);
    // The other partner's data did not change.
    expect(await validators('trainings.csv?range=lifetime', otherViewer)).toEqual(other);
  });

  test('a GraphQL mutation changes the referrals export\'s ETag and Last-Modified, not the usage lines\'', async () => {
    const referrals = await validators('referrals.csv?range=lifetime', viewer);
    const usage = await validators('usage-lines.csv?range=lifetime', billing);
    const data = await env.graphql(admin, `{ referrals(first: 5, filter: { status: [ACTIVE] }) { edges { node { id status } } } }`);
    const id = data.referrals.edges[0]?.node.id;
    expect(id).toBeDefined();
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const lost = await env.graphql(admin, `mutation($id: ID!) { markReferralLost(id: $id) { id status } }`, { id });
    expect(lost.markReferralLost.status).toBe('LOST');

    const after = await validators('referrals.csv?range=lifetime', viewer);
    expect(after.etag).not.toBe(referrals.etag);
    expect(Date.parse(after.lastModified!)).toBeGreaterThan(Date.parse(referrals.lastModified!));
    expect((await get('referrals.csv?range=lifetime', viewer, { 'if-modified-since': referrals.lastModified! })).status).toBe(200);
    // The same state again: the same validators (If-Modified-Since of the new one: 304).
    expect(await validators('referrals.csv?range=lifetime', viewer)).toEqual(after);
    expect((await get('referrals.csv?range=lifetime', viewer, { 'if-modified-since': after.lastModified! })).status).toBe(304);
    expect(await validators('usage-lines.csv?range=lifetime', billing)).toEqual(usage);
  });

  test('time alone: trainings ("Active" as of today) change ETag with the day; usage lines do not', async () => {
    const saved = process.env.PI_TODAY;
    try {
      process.env.PI_TODAY = '2026-06-01';
      const day1 = await validators('trainings.csv?range=lifetime', viewer);
      const usage1 = await validators('usage-lines.csv?range=2026-01..2026-03', billing);
      process.env.PI_TODAY = '2026-06-02';
      const day2 = await validators('trainings.csv?range=lifetime', viewer);
      expect(day2.etag).not.toBe(day1.etag);
      expect(Date.parse(day2.lastModified!)).toBeGreaterThanOrEqual(Date.parse('2026-06-02T00:00:00Z'));
      expect((await validators('usage-lines.csv?range=2026-01..2026-03', billing)).etag).toBe(usage1.etag);
    } finally {
      if (saved === undefined) delete process.env.PI_TODAY;
      else process.env.PI_TODAY = saved;
    }
  });
});

describe('from/to on line-level datasets', () => {
  /** The partner's usage days, from the warehouse. */
  async function usageDays(): Promise<string[]> {
    const rows = await env.warehouse.all<{ d: string }>(
      `SELECT DISTINCT strftime(usage_date, '%Y-%m-%d') AS d FROM billing_usage_lines WHERE partner_id = $1 ORDER BY 1`,
      [env.partners[0]],
    );
    return rows.map((r) => r.d);
  }

  async function linesBetween(from: string, until: string): Promise<number> {
    const [row] = await env.warehouse.all<{ n: string }>(
      `SELECT count(*)::VARCHAR AS n FROM billing_usage_lines WHERE partner_id = $1 AND usage_date >= $2::DATE AND usage_date < $3::DATE`,
      [env.partners[0], from, until],
    );
    return Number(row.n);
  }

  async function csvRows(path: string, name: string): Promise<{ response: Response; rows: Record<string, unknown>[] }> {
    const response = await get(path, billing);
    expect(response.status).toBe(200);
    const rows = await readWithDuckDb(env.warehouse, await saveBody(response, env.dir, name), 'csv');
    return { response, rows };
  }

  test('days: from inclusive, to exclusive; the rows are exactly the warehouse\'s lines of those days', async () => {
    const days = await usageDays();
    expect(days.length).toBeGreaterThan(10);
    const from = days[3];
    const to = days[9];
    const { response, rows } = await csvRows(`usage-lines.csv?from=${from}&to=${to}`, 'days.csv');
    expect(rows.length).toBe(await linesBetween(from, to));
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.every((r) => String(r.UsageDate) >= from && String(r.UsageDate) < to)).toBe(true);
    expect(rows.some((r) => r.UsageDate === from)).toBe(true);
    expect(rows.some((r) => r.UsageDate === to)).toBe(false);
    expect(response.headers.get('content-disposition')).toBe(`attachment; filename="usage-lines_${from}_${to}.csv"`);
  });

  test('datetimes as Power BI binds RangeStart/RangeEnd: Z, an offset, no zone, fractions; the same rows as the days', async () => {
    const days = await usageDays();
    const [from, to] = [days[2], days[8]];
    const expected = await linesBetween(from, to);
    const plusTwo = (day: string) => `${day}T02:00:00%2B02:00`;
    for (const query of [
      `from=${from}T00:00:00Z&to=${to}T00:00:00Z`,
      `from=${plusTwo(from)}&to=${plusTwo(to)}`,
      // A "+" left unencoded arrives as a space: read as the offset it was.
      `from=${from}T02:00:00+02:00&to=${to}T02:00:00+02:00`,
      `from=${from}T00:00:00.0000000&to=${to}T00:00`,
    ]) {
      const { rows } = await csvRows(`usage-lines.csv?${query}`, 'datetimes.csv');
      expect([query, rows.length]).toEqual([query, expected]);
    }
    // A time of day: the day (its midnight) is before from, so left out.
    const { rows } = await csvRows(`usage-lines.csv?from=${from}T00:00:01Z&to=${to}T00:00:00Z`, 'noon.csv');
    expect(rows.length).toBe(await linesBetween(days[3], to));
  });

  test('one side open; FOCUS selects by billing period start', async () => {
    const days = await usageDays();
    const { rows } = await csvRows(`usage-lines.csv?from=${days[days.length - 3]}`, 'open.csv');
    expect(rows.length).toBe(await linesBetween(days[days.length - 3], '9999-01-01'));
    const start = days[0].slice(0, 7) + '-01';
    const response = await get(`focus.csv?from=${start}&to=2100-01-01`, billing);
    expect(response.status).toBe(200);
    const focus = await readWithDuckDb(env.warehouse, await saveBody(response, env.dir, 'focus.csv'), 'csv');
    expect(focus.length).toBeGreaterThan(0);
    expect(focus.every((r) => String(r.BillingPeriodStart) >= start)).toBe(true);
    const all = await readWithDuckDb(env.warehouse, await saveBody(await get('focus.csv?range=lifetime', billing), env.dir, 'focus-all.csv'), 'csv');
    expect(focus.length).toBe(all.filter((r) => String(r.BillingPeriodStart) >= start).length);
  });

  test('400s naming the accepted forms', async () => {
    const message = async (path: string, bearer = billing) => {
      const response = await get(path, bearer);
      expect([path, response.status]).toEqual([path, 400]);
      return ((await response.json()) as { message: string }).message;
    };
    for (const bad of ['2026-09', '2026-13-01', '2026-02-30', '2026-09-01T25:00:00Z', 'yesterday', '01/09/2026']) {
      expect(await message(`usage-lines.csv?from=${encodeURIComponent(bad)}`)).toBe(
        `from "${bad}" is not a day YYYY-MM-DD or a datetime YYYY-MM-DDTHH:MM[:SS[.fff]] with Z, an offset (+02:00, written %2B02:00 in a URL) or no zone (UTC); whole months: range=YYYY-MM..YYYY-MM`,
      );
    }
    expect(await message('usage-lines.csv?from=2026-09-02&to=2026-09-01')).toMatch(/^from \(2026-09-02 00:00:00.000000 UTC\) must be before to \(2026-09-01 00:00:00.000000 UTC\): to is exclusive/);
    expect(await message('usage-lines.csv?from=2026-09-01&range=3m')).toBe('use either range or from/to, not both');
    expect(await message('customer-details.csv?from=2026-09-01', viewer)).toBe(
      'customer-details takes no from/to: day and datetime bounds are for the line-level datasets (usage-lines, focus); use range (3m, 6m, 12m, lifetime)',
    );
    expect(await message('partner-profile.csv?to=2026-09-01', viewer)).toMatch(/partner-profile takes no from\/to: .*; it is a snapshot and takes no timeframe/);
  });
});

describe('catalogue and parameters', () => {
  test('GET /exports lists every dataset with its columns, filters, formats and roles, and what this caller may export', async () => {
    const response = await fetch(`${env.server.url}/exports`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await response.json()) as any;
    expect(body.formats).toEqual(['tsv', 'csv', 'parquet', 'xlsx']);
    expect(body.datasets.map((d: any) => d.name)).toEqual(DATASETS.map((d) => d.name));
    for (const d of DATASETS) {
      const entry = body.datasets.find((e: any) => e.name === d.name);
      expect(entry.columns).toEqual(d.columns.map((c) => ({ name: c.name, type: c.type, description: c.description })));
      expect(entry.filters).toEqual(Object.keys(d.filters));
    }
    const byName = Object.fromEntries(body.datasets.map((d: any) => [d.name, d]));
    expect(byName['office365-license-usage'].timeframe).toEqual({ kind: 'monthly', ranges: ['3m', '6m', '12m', 'lifetime'], defaultRange: '12m', fromTo: false });
    expect(byName['usage-lines']).toMatchObject({ timeframe: { fromTo: true, ranges: ['3m', '6m', '12m', 'lifetime', 'YYYY-MM..YYYY-MM'] }, url: '/exports/usage-lines.{format}', contains: ['billing', 'revenue'] });
    expect(byName['focus'].timeframe.fromTo).toBe(true);
    expect(byName['partner-profile'].timeframe).toEqual({ kind: 'snapshot' });
    expect(byName['insights.azureConsumedRevenue'].splitBy).toContain('meterCategory');
    expect(byName['partner-profile'].splitBy).toEqual([]);
    // canExport and requiredRoles say what the export itself answers, for each kind of caller.
    for (const roles of [['Report viewer'], ['Billing admin'], ['Executive report viewer']] as const) {
      const bearer = await env.token(env.partners[0], [...roles]);
      const catalogue = (await (await fetch(`${env.server.url}/exports`, { headers: { authorization: `Bearer ${bearer}` } })).json()) as any;
      for (const name of ['partner-profile', 'office365-license-usage', 'customer-details', 'usage-lines', 'insights.customers']) {
        const entry = catalogue.datasets.find((d: any) => d.name === name);
        const response = await get(`${name}.csv`, bearer);
        const answer = response.status === 403 ? ((await response.json()) as any) : (await response.arrayBuffer(), null);
        expect([roles[0], name, entry.canExport]).toEqual([roles[0], name, response.status === 200]);
        if (answer) expect(answer.requiredRoles).toEqual(entry.requiredRoles);
      }
    }
  });

  test('GET /exports: 401 without a token, 400 for any query parameter', async () => {
    expect((await fetch(`${env.server.url}/exports`)).status).toBe(401);
    const response = await fetch(`${env.server.url}/exports?format=csv`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(response.status).toBe(400);
    expect(((await response.json()) as any).message).toBe('unknown query parameter "format"; it takes none');
  });

  test('an unknown query parameter of an export: 400 naming it and every allowed one', async () => {
    const response = await get('customer-details.csv?customerCountry=US&range=3m', viewer);
    expect(response.status).toBe(400);
    const body = (await response.json()) as any;
    expect(body.message).toBe(
      'unknown query parameter "customerCountry"; it takes: range, from, to, splitBy, productFamilies, customerCountries, attributionTypes, locationMpnIds, salesChannels, segments',
    );
    expect(body.allowedParameters).toContain('from');
  });
});

describe('xlsx', () => {
  test('the sheet is named after the dataset and the rows are an Excel table with a header filter', async () => {
    const response = await get('customer-details.xlsx?range=3m', viewer);
    expect(response.status).toBe(200);
    const rows = Number(response.headers.get('x-export-rows'));
    expect(rows).toBeGreaterThan(0);
    const file = await saveBody(response, env.dir, 'customers.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets.map((s) => s.name)).toEqual(['customer-details']);
    const sheet = workbook.worksheets[0];
    const columns = DATASETS.find((d) => d.name === 'customer-details')!.columns;
    const last = String.fromCharCode(64 + columns.length);
    const tables = (sheet as any).getTables() as any[];
    expect(tables).toHaveLength(1);
    const table = tables[0].table ?? tables[0];
    expect(table.name).toBe('customer_details');
    expect(table.tableRef ?? table.ref).toBe(`A1:${last}${rows + 1}`);
    expect(table.columns.map((c: any) => c.name)).toEqual(columns.map((c) => c.name));
    // The parts Excel needs, as written: the table part with its filter, its content type, the sheet's relationship and tableParts.
    const parts = await zipParts(file);
    expect(parts['xl/tables/table1.xml']).toContain(`<autoFilter ref="A1:${last}${rows + 1}"/>`);
    expect(parts['[Content_Types].xml']).toContain('<Override PartName="/xl/tables/table1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.table+xml"/>');
    expect(parts['xl/worksheets/_rels/sheet1.xml.rels']).toMatch(/<Relationship Id="(rId\d+)" Type="http:\/\/schemas.openxmlformats.org\/officeDocument\/2006\/relationships\/table" Target="..\/tables\/table1.xml"\/>/);
    const rId = /Id="(rId\d+)"[^>]*relationships\/table"/.exec(parts['xl/worksheets/_rels/sheet1.xml.rels'])![1];
    expect(parts['xl/worksheets/sheet1.xml']).toMatch(new RegExp(`<tableParts count="1"><tablePart r:id="${rId}"/></tableParts></worksheet>$`));
    // No sheet-level filter on top of the table's (Excel would repair the file).
    expect(parts['xl/worksheets/sheet1.xml']).not.toContain('<autoFilter');
  });

  test('a name longer than Excel\'s 31 characters is cut; an empty result is still a valid table', async () => {
    const response = await get('enterprise-mobility-license-usage.xlsx?range=3m&customerCountries=ZZ', viewer);
    expect(response.status).toBe(200);
    expect(response.headers.get('x-export-rows')).toBe('0');
    const file = await saveBody(response, env.dir, 'ems.xlsx');
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(file);
    expect(workbook.worksheets[0].name).toBe('enterprise-mobility-license-usa');
    const parts = await zipParts(file);
    // The dataset's 16 columns (A to P), the header and one empty row.
    expect(parts['xl/tables/table1.xml']).toContain('ref="A1:P2"');
    expect(parts['xl/tables/table1.xml']).toContain('name="enterprise_mobility_license_usage"');
  });
});

/** The text parts of an xlsx file (exceljs reads with jszip; the raw parts are checked here). */
async function zipParts(file: string): Promise<Record<string, string>> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const JSZip = require('jszip');
  const zip = await JSZip.loadAsync(readFileSync(file));
  const parts: Record<string, string> = {};
  for (const name of Object.keys(zip.files)) if (/\.(xml|rels)$/.test(name)) parts[name.replace(/^\//, '')] = await zip.file(name).async('string');
  return parts;
}

/** A file under `dir` (recursively) whose name and content match. */
function findFile(dir: string, match: (name: string, text: string) => boolean): string {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      try {
        return findFile(path, match);
      } catch {
        continue;
      }
    }
    if (/\.(csv|tsv)$/.test(name) && match(name, readFileSync(path, 'utf8'))) return path;
  }
  throw new Error(`no matching file under ${dir}`);
}
