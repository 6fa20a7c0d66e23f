import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFile } from '../../etl/load';
import { gql, token } from '../gateway/harness';
import { startInsightsEnv, type InsightsEnv } from './env';
import { PartnerModel, months, parseCsv, readCsv, usageFilesOf, type SubMonth } from './model';

/**
 * Subscriptions added (reference line 16381): "New subscriptions with Active or Renewed state are
 * counted as Subscriptions added". The demo data gets new subscriptions that were renewed in their
 * first month and then suspended in it (end-of-month state Suspended, a Renew event in the month),
 * through the ETL (a corrected subscription history file). The expected counts are computed here from
 * the files (test/insights/model.ts, plain JavaScript), and the months touched are checked to differ
 * from the old rule (new and Active only), so that the test fails on it.
 */
let env: InsightsEnv;
const previousToday = process.env.PI_TODAY;
beforeAll(async () => {
  delete process.env.PI_TODAY;
  env = await startInsightsEnv({ ownFiles: true });
}, 180_000);
afterAll(async () => {
  await env?.close();
  if (previousToday !== undefined) process.env.PI_TODAY = previousToday;
});

/** Documented: created in the month, and Active at its end or renewed in it. */
const documented = (r: SubMonth) => r.isNew && (r.state === 'Active' || r.renewed);
/** What the metric counted before: created in the month and Active at its end. */
const activeOnly = (r: SubMonth) => r.isNew && r.state === 'Active';
const countIn = (model: PartnerModel, month: string, keep: (r: SubMonth) => boolean, extra: (r: SubMonth) => boolean = () => true) =>
  new Set(model.subMonths.filter((r) => r.month === month && keep(r) && extra(r)).map((r) => r.subscriptionId)).size;

function writeCsv(path: string, rows: Record<string, string>[], header: string[]) {
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  writeFileSync(path, [header.join(','), ...rows.map((r) => header.map((h) => q(r[h] ?? '')).join(','))].join('\n') + '\n');
}

const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);

it('counts new subscriptions renewed in their first month though not Active at its end, by the rollups and by the fact rows alike', async () => {
  const partner = env.summary.partners[0];
  const dir = env.partnerDir(partner.id);
  const before = env.models.get(partner.id)!;

  // New license subscriptions of an earlier month, Active at its end, with no other event that month
  // but their purchase, created early enough for a renewal and a suspension in the same month.
  const subs = new Map(readCsv(join(dir, 'subscriptions.csv')).map((s) => [s['Subscription ID'], s]));
  const eventsPath = join(dir, 'subscription-events.csv');
  const text = readFileSync(eventsPath, 'utf8');
  const header = text.split(/\r?\n/)[0].split(',');
  const events = parseCsv(text);
  const eventMonths = new Set(events.filter((e) => e.EventType !== 'Purchase').map((e) => `${e.SubscriptionId}|${e.EventDate.slice(0, 7)}`));
  const picked: { id: string; created: string; month: string; family: string }[] = [];
  const monthsUsed = new Set<string>();
  for (const r of before.subMonths) {
    const s = subs.get(r.subscriptionId)!;
    const created = s.CreatedDate.slice(0, 10);
    if (!activeOnly(r) || r.isTrial || r.month >= before.lastMonth || Number(created.slice(8, 10)) > 25) continue;
    if (eventMonths.has(`${r.subscriptionId}|${r.month}`) || monthsUsed.has(r.month)) continue;
    picked.push({ id: r.subscriptionId, created, month: r.month, family: r.productFamily });
    monthsUsed.add(r.month);
    if (picked.length === 3) break;
  }
  expect(picked).toHaveLength(3);

  const added = picked.flatMap((p, i) => [
    { PartnerId: partner.id, EventId: `issue16-renew-${i}`, SubscriptionId: p.id, EventDate: addDays(p.created, 1), EventType: 'Renew', Detail: 'Renewed', Actor: 'System' },
    { PartnerId: partner.id, EventId: `issue16-suspend-${i}`, SubscriptionId: p.id, EventDate: addDays(p.created, 2), EventType: 'Suspend', Detail: 'Suspended', Actor: 'Partner' },
  ]);
  writeCsv(eventsPath, [...events, ...added], header);
  const loaded = await loadFile(env.warehouse, eventsPath);
  expect([loaded.status, loaded.rowsQuarantined]).toEqual(['loaded', 0]);

  const model = new PartnerModel(partner.id, dir, usageFilesOf(dir));
  // The picked subscriptions end their first month Suspended, renewed in it: the documented rule counts
  // them, the old one did not.
  for (const p of picked) {
    const row = model.subMonths.find((r) => r.subscriptionId === p.id && r.month === p.month)!;
    expect([row.isNew, row.state, row.renewed]).toEqual([true, 'Suspended', true]);
    expect(countIn(model, p.month, documented)).toBe(countIn(model, p.month, activeOnly) + 1);
  }

  const bearer = await token(partner.id, ['Executive report viewer']);
  const lifetime = months(model.subMonths.map((r) => r.month).sort()[0], model.lastMonth);
  const doc = `query($range: InsightsDateRange, $filters: InsightsFilters, $splitBy: InsightsDimension) {
    metric(name: "subscriptionsAdded", range: $range, filters: $filters, splitBy: $splitBy) {
      value series { month value } groups { key value series { month value } }
    }
    subscriptionsReport(range: $range) { subscriptionsAdded { value series { month value } } addsChurns { month new } }
  }`;
  const res = await gql(env.server.graphqlUrl, bearer, doc, { range: { kind: 'LIFETIME' } });
  expect(res.body.errors).toBeUndefined();
  const expectedSeries = lifetime.map((m) => ({ month: m, value: String(countIn(model, m, documented)) }));
  expect(res.body.data.metric.series).toEqual(expectedSeries);
  expect(res.body.data.metric.value).toBe(String(expectedSeries.reduce((a, x) => a + Number(x.value), 0)));
  expect(res.body.data.subscriptionsReport.subscriptionsAdded.series).toEqual(expectedSeries);
  expect(res.body.data.subscriptionsReport.addsChurns.map((x: any) => ({ month: x.month, value: x.new }))).toEqual(expectedSeries);
  // The model's own metric agrees (reports.suite.ts compares every KPI with it).
  for (const m of lifetime) expect(model.monthly('subscriptionsAdded', m, {}, null)).toBe(String(countIn(model, m, documented)));

  // Split by product family (read from the subscription cube) ...
  const split = await gql(env.server.graphqlUrl, bearer, doc, { range: { kind: 'LIFETIME' }, splitBy: 'PRODUCT_FAMILY' });
  expect(split.body.errors).toBeUndefined();
  for (const family of new Set(picked.map((p) => p.family))) {
    const group = split.body.data.metric.groups.find((g: any) => g.key === family);
    expect(group.series).toEqual(lifetime.map((m) => ({ month: m, value: String(countIn(model, m, documented, (r) => r.productFamily === family)) })));
  }
  // ... and with an attribution filter, which the cubes cannot answer (the fact rows).
  const types = [...new Set([...model.attributions.values()].flatMap((s) => [...s]))].sort();
  const filtered = await gql(env.server.graphqlUrl, bearer, doc, { range: { kind: 'LIFETIME' }, filters: { attributionTypes: types } });
  expect(filtered.body.errors).toBeUndefined();
  const attributed = (r: SubMonth) => [...(model.attributions.get(r.customerId) ?? [])].some((t) => types.includes(t));
  expect(filtered.body.data.metric.series).toEqual(lifetime.map((m) => ({ month: m, value: String(countIn(model, m, documented, attributed)) })));
}, 180_000);

it('Azure usage analytics counts Azure subscriptions only in its churn and retention: a renewed Azure reservation is counted, other renewals are not', async () => {
  const partner = env.summary.partners[0];
  const dir = env.partnerDir(partner.id);
  const before = new PartnerModel(partner.id, dir, usageFilesOf(dir));
  // The demo's Azure subscriptions never renew (an Azure plan has no term): one renews here, in a
  // month where it is held and has no other event.
  const eventsPath = join(dir, 'subscription-events.csv');
  const text = readFileSync(eventsPath, 'utf8');
  const header = text.split(/\r?\n/)[0].split(',');
  const events = parseCsv(text);
  const busy = new Set(events.map((e) => `${e.SubscriptionId}|${e.EventDate.slice(0, 7)}`));
  const held = before.subMonths.find((r) => r.productFamily === 'Azure' && r.state === 'Active' && !r.isNew && r.month < before.lastMonth && !busy.has(`${r.subscriptionId}|${r.month.slice(0, 7)}`))!;
  expect(held).toBeDefined();
  const renewal = { PartnerId: partner.id, EventId: 'issue16-azure-renew', SubscriptionId: held.subscriptionId, EventDate: `${held.month.slice(0, 7)}-10`, EventType: 'Renew', Detail: 'Renewed', Actor: 'System' };
  writeCsv(eventsPath, [...events, renewal], header);
  const loaded = await loadFile(env.warehouse, eventsPath);
  expect([loaded.status, loaded.rowsQuarantined]).toEqual(['loaded', 0]);

  const model = new PartnerModel(partner.id, dir, usageFilesOf(dir));
  const month = held.month.slice(0, 7);
  const res = await gql(
    env.server.graphqlUrl,
    await token(partner.id, ['Sales agent']),
    `query($range: InsightsDateRange) { analyticsReport(name: AZURE_USAGE_ANALYTICS, range: $range) { kpis { name value } } }`,
    { range: { kind: 'CUSTOM', from: month, to: month } },
  );
  expect(res.body.errors).toBeUndefined();
  const kpi = (name: string) => res.body.data.analyticsReport.kpis.find((k: any) => k.name === name)?.value;
  const renewedAzure = model.kpi('azureRenewedSubscriptions', [held.month], {}, null, 'sum').value;
  expect(Number(renewedAzure)).toBeGreaterThanOrEqual(1);
  expect(kpi('azureRenewedSubscriptions')).toBe(renewedAzure);
  expect(kpi('azureDeprovisionedSubscriptions')).toBe(model.kpi('azureDeprovisionedSubscriptions', [held.month], {}, null, 'sum').value);
  // The page no longer shows the all-product counts.
  expect(kpi('renewedSubscriptions')).toBeUndefined();
  expect(kpi('deprovisionedSubscriptions')).toBeUndefined();
}, 180_000);
