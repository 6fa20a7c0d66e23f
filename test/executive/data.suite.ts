import { readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportCommand } from '../../cli/commands/report';
import { rolesFor } from '../../core/permissions';
import { gatherExecutiveReport } from '../../warehouse/executive';
import { formatChange } from '../../warehouse/executive/format';
import { metricByCustomer } from '../../warehouse/executive/metric-by-customer';
import { addMonths } from '../../core/dates';
import { findMetric } from '../../warehouse/insights/metrics';
import { gql } from '../gateway/harness';
import { startExecutiveEnv, type ExecutiveEnv } from './env';
import { externalReferences } from './self-contained';

/**
 * The executive report over real HTTP on an ETL-loaded demo warehouse: its numbers against the
 * same insights metrics, referral insights and PCI asked through GraphQL with the same token, and
 * the role rules (Executive report viewer, Report viewer, MPN partner admin, a location-scoped
 * viewer, a role without reports), the month errors and the CLI.
 */
let env: ExecutiveEnv;
let partnerId: string;
let month: string;
let execToken: string;
let execPage: string;
const previousToday = process.env.PI_TODAY;

beforeAll(async () => {
  delete process.env.PI_TODAY;
  env = await startExecutiveEnv();
  partnerId = env.partners[0].id;
  month = env.month;
  execToken = await env.token(partnerId, ['Executive report viewer']);
  const r = await env.fetchReport(execToken, `?month=${month}`);
  expect(r.status).toBe(200);
  execPage = r.text;
}, 300_000);
afterAll(async () => {
  await env?.close();
  if (previousToday !== undefined) process.env.PI_TODAY = previousToday;
});

interface Tile {
  value: string;
  vsPreviousMonth: string;
  vsPreviousYear: string;
}

/** The KPI tiles of a page: data-value and the two comparison texts. */
function tiles(page: string): Map<string, Tile> {
  const out = new Map<string, Tile>();
  for (const m of page.matchAll(/<div class="tile" data-kpi="(\w+)" data-value="([^"]*)">([\s\S]*?)\n<\/div>/g)) {
    const cmp = [...m[3].matchAll(/<span class="(?:up|down|flat)">([^<]*)<\/span>/g)].map((c) => c[1]);
    out.set(m[1], { value: m[2], vsPreviousMonth: cmp[0], vsPreviousYear: cmp[1] });
  }
  return out;
}
const charts = (page: string) => [...page.matchAll(/<svg[^>]*data-chart="([^"]+)"/g)].map((m) => m[1]);
const chartDesc = (page: string, name: string) => new RegExp(`data-chart="${name}"[^>]*><title[^>]*>[^<]*</title><desc[^>]*>([^<]*)</desc>`).exec(page)?.[1];
const unescape = (s: string) => s.replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const REPORT_METRICS = ['customers', 'subscriptions', 'licenses', 'azureConsumedRevenue', 'customersAdded', 'customersChurned', 'subscriptionsAdded', 'subscriptionsChurned', 'referrals', 'referralsWon', 'referralDealVolume'];

async function metricsByGraphql(bearer: string, names: string[]): Promise<Record<string, { month: string; value: string }[]>> {
  const range = { kind: 'CUSTOM', from: addMonths(`${month}-01`, -12).slice(0, 7), to: month };
  const query = `query($range: InsightsDateRange) { ${names.map((n) => `${n}: metric(name: "${n}", range: $range) { series { month value } }`).join(' ')} }`;
  const r = await gql(env.server.graphqlUrl, bearer, query, { range });
  expect(r.body.errors).toBeUndefined();
  return Object.fromEntries(names.map((n) => [n, r.body.data[n].series]));
}

const expectedChange = (value: string, base: string | undefined) =>
  formatChange(base === undefined || Number(base) === 0 ? null : Math.round(((Number(value) - Number(base)) / Number(base)) * 1000) / 10);

describe('numbers: the report against GraphQL', () => {
  test('headline, movement and referral tiles: the month, and growth against the previous month and year', async () => {
    const series = await metricsByGraphql(execToken, REPORT_METRICS);
    const shown = tiles(execPage);
    expect([...shown.keys()].sort()).toEqual([...REPORT_METRICS].sort());
    const at = (name: string, m: string) => series[name].find((p) => p.month === m)?.value;
    const prev = addMonths(`${month}-01`, -1).slice(0, 7);
    const year = addMonths(`${month}-01`, -12).slice(0, 7);
    for (const name of REPORT_METRICS) {
      const value = at(name, month)!;
      expect({ name, ...shown.get(name) }).toEqual({
        name,
        value,
        vsPreviousMonth: expectedChange(value, at(name, prev)),
        vsPreviousYear: expectedChange(value, at(name, year)),
      });
    }
    // Something to compare: the demo partner has customers, subscriptions, licenses and ACR that month.
    for (const name of ['customers', 'subscriptions', 'licenses', 'azureConsumedRevenue']) expect(Number(shown.get(name)!.value)).toBeGreaterThan(0);
  });

  test('products and geography: the metric split through GraphQL, the report month', async () => {
    const report = await gatherExecutiveReport(env.warehouse, env.caller(partnerId, ['Executive report viewer']), month);
    const cases: [string, string, string][] = [
      ['top-products', 'subscriptions', 'PRODUCT_FAMILY'],
      ['top-skus', 'licenses', 'SKU'],
      ['geography-customers', 'customers', 'COUNTRY'],
      ['geography-acr', 'azureConsumedRevenue', 'COUNTRY'],
    ];
    for (const [chart, metric, splitBy] of cases) {
      const r = await gql(env.server.graphqlUrl, execToken, `query($range: InsightsDateRange, $split: InsightsDimension) {
        metric(name: "${metric}", range: $range, splitBy: $split) { groups { key value } } }`, { range: { kind: 'CUSTOM', from: month, to: month }, split: splitBy });
      expect(r.body.errors).toBeUndefined();
      const expected = (r.body.data.metric.groups as { key: string; value: string }[])
        .filter((g) => Number(g.value) > 0)
        .sort((a, b) => Number(b.value) - Number(a.value) || (a.key < b.key ? -1 : 1))
        .slice(0, 8);
      const ranking = [...report.topProducts, ...report.geography].find((x) => x.chart === chart)!;
      expect(ranking.items.map((i) => [i.key, i.value])).toEqual(expected.map((g) => [g.key, g.value]));
      expect(ranking.items.length).toBeGreaterThan(0);
      // A split, not the total under another name.
      expect(ranking.items.map((i) => i.key)).not.toContain('All');
      // ... and the chart on the page says the same.
      const desc = unescape(chartDesc(execPage, chart)!);
      for (const item of ranking.items) expect(desc).toContain(item.label);
    }
  });

  test('top customers decompose the KPI: per-customer values sum to the metric', async () => {
    const series = await metricsByGraphql(execToken, ['licenses', 'azureConsumedRevenue']);
    const caller = env.caller(partnerId, ['Executive report viewer']);
    for (const name of ['licenses', 'azureConsumedRevenue']) {
      const rows = await metricByCustomer(env.warehouse, caller, findMetric(name)!, [`${month}-01`]);
      const cents = rows.reduce((s, r) => s + BigInt(Math.round(Number(r.value) * 100)), 0n);
      const total = series[name].find((p) => p.month === month)!.value;
      expect(cents).toBe(BigInt(Math.round(Number(total) * 100)));
    }
    const report = await gatherExecutiveReport(env.warehouse, caller, month);
    const top = report.topCustomers.find((r) => r.chart === 'top-customers-licenses')!;
    expect(top.items.length).toBeGreaterThan(0);
    expect(top.items.map((i) => Number(i.value))).toEqual([...top.items.map((i) => Number(i.value))].sort((a, b) => b - a));
  });

  test('PCI scores and the referral funnel equal GraphQL', async () => {
    const [y, m] = month.split('-').map(Number);
    const lastDay = new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
    const r = await gql(env.server.graphqlUrl, execToken, `query($asOf: Date) {
      partnerContributionIndicators(asOf: $asOf) { paths { path score } }
      referralInsights(range: LAST_12_MONTHS) { funnel { new accepted won } } }`, { asOf: lastDay });
    expect(r.body.errors).toBeUndefined();
    for (const p of r.body.data.partnerContributionIndicators.paths) {
      expect(execPage).toMatch(new RegExp(`data-pci-path="${p.path}">\\s*<h3>[^<]*</h3>\\s*<div class="score" data-score="${p.score.toFixed(2)}"`));
    }
    const f = r.body.data.referralInsights.funnel;
    expect(chartDesc(execPage, 'referral-funnel')).toBe(`New: ${f.new}, Accepted: ${f.accepted}, Won: ${f.won}`);
  });

  test('the first month with data: growth is n/a, not a number; the month before it is refused', async () => {
    const { dataFrom } = await gatherExecutiveReport(env.warehouse, env.caller(partnerId, ['Executive report viewer']), month);
    const r = await env.fetchReport(execToken, `?month=${dataFrom}`);
    expect(r.status).toBe(200);
    const shown = [...tiles(r.text).values()];
    expect(shown.length).toBeGreaterThan(0);
    for (const t of shown) expect([t.vsPreviousMonth, t.vsPreviousYear]).toEqual(['n/a', 'n/a']);
    const before = await env.fetchReport(execToken, `?month=${addMonths(`${dataFrom}-01`, -1).slice(0, 7)}`);
    expect(before.status).toBe(400);
    expect(JSON.parse(before.text)).toMatchObject({ from: dataFrom });
  });
});

describe('roles over HTTP', () => {
  test('Executive report viewer: everything, no withheld note', () => {
    expect(charts(execPage)).toEqual(expect.arrayContaining(['trend-azureConsumedRevenue', 'geography-acr', 'top-customers-acr', 'referral-funnel', 'pci-history']));
    expect(execPage).not.toContain('not shown for your role');
    expect(execPage).toMatch(/<tr data-indicator="NET_NEW_REVENUE"><td>Net new revenue<\/td><td class="num">USD [\d,]+<\/td>/);
  });

  test('Report viewer: no ACR, deal volume or revenue, a note naming the roles instead', async () => {
    const r = await env.fetchReport(await env.token(partnerId, ['Report viewer']), `?month=${month}`);
    expect(r.status).toBe(200);
    const shown = tiles(r.text);
    expect(shown.has('azureConsumedRevenue')).toBe(false);
    expect(shown.has('referralDealVolume')).toBe(false);
    expect(shown.get('customers')).toEqual(tiles(execPage).get('customers'));
    expect(charts(r.text)).not.toEqual(expect.arrayContaining(['trend-azureConsumedRevenue']));
    for (const chart of ['trend-azureConsumedRevenue', 'geography-acr', 'top-customers-acr']) expect(charts(r.text)).not.toContain(chart);
    const revenueRoles = rolesFor('seeRevenue').slice(0, -1).join(', ') + ' or ' + rolesFor('seeRevenue').slice(-1);
    expect(r.text).toContain(`Azure consumed revenue (ACR): not shown for your role (needs ${revenueRoles})`);
    expect(r.text).toContain('not shown for your role (needs Global admin, Referrals admin or Executive report viewer)');
    expect(r.text).toContain('PCI net new revenue (USD): not shown for your role');
    expect(r.text).toMatch(/<tr data-indicator="NET_NEW_REVENUE"><td>Net new revenue<\/td><td class="num">not shown<\/td>/);
    // No ACR figure anywhere: the executive's ACR value is absent from the viewer's page.
    const acr = tiles(execPage).get('azureConsumedRevenue')!.value;
    expect(r.text).not.toContain(acr);
  });

  test('MPN partner admin: reports but not referrals', async () => {
    const r = await env.fetchReport(await env.token(partnerId, ['MPN partner admin']), `?month=${month}`);
    expect(r.status).toBe(200);
    expect(charts(r.text)).not.toContain('referral-funnel');
    expect(r.text).toContain('Referrals and won deal volume: not shown for your role (needs Global admin, Referrals admin, Sales agent, Executive report viewer or Report viewer)');
  });

  test('a location-scoped viewer sees only its locations', async () => {
    const [loc] = await env.warehouse.all<{ mpn_id: string; name: string }>(
      `SELECT c.mpn_id, any_value(l.name) AS name FROM customers c JOIN locations l ON l.partner_id = c.partner_id AND l.mpn_id = c.mpn_id
       WHERE c.partner_id = $1 GROUP BY c.mpn_id ORDER BY count(*) DESC, c.mpn_id LIMIT 1`,
      [partnerId],
    );
    const scoped = await env.token(partnerId, ['Executive report viewer'], [loc.mpn_id]);
    const r = await env.fetchReport(scoped, `?month=${month}`);
    expect(r.status).toBe(200);
    expect(unescape(r.text)).toContain(`Locations: ${loc.name} (${loc.mpn_id}`);
    const series = await metricsByGraphql(scoped, ['customers', 'subscriptions', 'licenses', 'azureConsumedRevenue']);
    const shown = tiles(r.text);
    const whole = tiles(execPage);
    let smaller = 0;
    for (const name of Object.keys(series)) {
      expect(shown.get(name)!.value).toBe(series[name].find((p) => p.month === month)!.value);
      expect(Number(shown.get(name)!.value)).toBeLessThanOrEqual(Number(whole.get(name)!.value));
      if (Number(shown.get(name)!.value) < Number(whole.get(name)!.value)) smaller++;
    }
    expect(smaller).toBeGreaterThan(0);
  });

  test('a role without reports gets 403 naming the roles', async () => {
    const r = await env.fetchReport(await env.token(partnerId, ['Sales agent', 'Billing admin']), `?month=${month}`);
    expect(r.status).toBe(403);
    const body = JSON.parse(r.text);
    expect(body.requiredRoles).toEqual([...rolesFor('readReports')]);
    expect(body.message).toContain('Global admin, Account admin, MPN partner admin, Executive report viewer, Report viewer');
  });

  test('tenant isolation: each partner gets its own report', async () => {
    const other = env.partners[1];
    const r = await env.fetchReport(await env.token(other.id, ['Executive report viewer']), `?month=${month}`);
    expect(r.status).toBe(200);
    expect(unescape(r.text)).toContain(other.name);
    expect(unescape(r.text)).not.toContain(env.partners[0].name);
  });

  test('no token: 401; bad or missing month: 400 with the format; an unknown partner: 404 naming it; a month without data: 400 with the range', async () => {
    expect((await env.fetchReport(null, `?month=${month}`)).status).toBe(401);
    for (const q of ['', '?month=2026-13', '?month=May', `?month=${month}-01`]) {
      const r = await env.fetchReport(execToken, q);
      expect({ q, status: r.status }).toEqual({ q, status: 400 });
      expect(JSON.parse(r.text)).toMatchObject({ format: 'YYYY-MM', message: expect.stringContaining('YYYY-MM') });
    }
    // A partner the warehouse does not hold: named as such (404), not as a month without data.
    const stranger = await env.fetchReport(await env.token('99999999-9999-4999-8999-999999999999', ['Executive report viewer']), `?month=${month}`);
    expect(stranger.status).toBe(404);
    expect(JSON.parse(stranger.text).message).toBe(
      'partner 99999999-9999-4999-8999-999999999999 is not in the warehouse: load its Partner Center files (its partner profile first), or use a token of a partner it holds',
    );
    const late = await env.fetchReport(execToken, '?month=2099-01');
    expect(late.status).toBe(400);
    expect(JSON.parse(late.text)).toMatchObject({ message: expect.stringContaining('no data for 2099-01'), to: expect.stringMatching(/^\d{4}-\d{2}$/) });
    const ok = await fetch(`${env.server.url}/reports/executive?month=${month}`, { headers: { authorization: `Bearer ${execToken}` } });
    expect(ok.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(ok.headers.get('content-security-policy')).toContain("default-src 'none'");
    await ok.text();
  });
});

describe('CLI', () => {
  test('report executive writes the same report as HTTP; errors exit 2 naming the fix', async () => {
    await env.release();
    const out = join(tmpdir(), `pi-executive-${process.pid}.html`);
    const previousDb = process.env.PI_DB;
    process.env.PI_DB = env.path;
    const stderr: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (stderr.push(String(chunk)), true));
    const stdout = jest.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await reportCommand.run(['executive', '--month', month, '--partner', partnerId, '--out', out])).toBe(0);
      const page = readFileSync(out, 'utf8');
      expect(page).toContain('Role: Executive report viewer');
      expect([...tiles(page)]).toEqual([...tiles(execPage)]);
      expect(externalReferences(page)).toEqual([]);
      expect(await reportCommand.run(['executive', '--month', month, '--partner', partnerId, '--role', 'Report viewer', '--out', out])).toBe(0);
      expect(tiles(readFileSync(out, 'utf8')).has('azureConsumedRevenue')).toBe(false);
      expect(await reportCommand.run(['executive', '--month', month, '--partner', partnerId, '--role', 'Sales agent', '--out', out])).toBe(2);
      expect(stderr.join('')).toContain('needs one of these roles: Global admin, Account admin, MPN partner admin, Executive report viewer, Report viewer');
      expect(await reportCommand.run(['executive', '--month', '2026/05', '--partner', partnerId, '--out', out])).toBe(2);
      expect(stderr.join('')).toContain('month must be YYYY-MM');
      expect(await reportCommand.run(['weekly'])).toBe(2);
    } finally {
      spy.mockRestore();
      stdout.mockRestore();
      if (previousDb === undefined) delete process.env.PI_DB;
      else process.env.PI_DB = previousDb;
      rmSync(out, { force: true });
    }
  });
});
