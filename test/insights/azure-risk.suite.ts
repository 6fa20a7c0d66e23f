import { gql, token } from '../gateway/harness';
import { insightsEnvForSuite, type InsightsEnv } from './env';
import { months, nextMonth, type PartnerModel } from './model';

/**
 * Azure subscriptions at risk (reference 17097), over real HTTP on the ETL-loaded demo. The model's
 * signals are recomputed here from the generated files (test/insights/model.ts: subscription states
 * by month from the subscription and event files, usage from the daily-rated usage files), with the
 * weights the API states in azureRiskModel; the API's list must be exactly the subscriptions scoring
 * at least the threshold, with their signals.
 */
let env: InsightsEnv;
insightsEnvForSuite((started) => (env = started));

const DOC = `query($range: InsightsDateRange, $minScore: Int) {
  analyticsReport(name: AZURE_USAGE_ANALYTICS, range: $range) {
    range { from to asOf }
    azureRiskModel { threshold lookbackMonths signals { name weight description } }
    azureSubscriptionsAtRisk(first: 1000, minScore: $minScore) { subscriptionId customerId score usageChangePercent signals { name weight } }
  }
}`;

interface Expected {
  subscriptionId: string;
  score: number;
  signals: string[];
  usageChangePercent: number | null;
}

/** The model's list, from the files: the Azure subscriptions held at the end of `month` and their signals. */
function expectedAtRisk(model: PartnerModel, month: string, weights: Map<string, number>, minScore: number, lookback: number): Expected[] {
  const window = months(nextMonth(month, -lookback), month);
  const before = window.slice(0, -1);
  const acr = (id: string, ms: string[]) => model.usage.filter((u) => u.subscriptionId === id && ms.includes(u.month)).reduce((a, u) => a + Number(u.acrCents), 0) / 100;
  const used = (id: string, ms: string[]) => model.usage.some((u) => u.subscriptionId === id && ms.includes(u.month));
  const azureMonths = model.subMonths.filter((r) => r.productFamily === 'Azure');
  const out: Expected[] = [];
  for (const r of azureMonths.filter((x) => x.month === month && x.state !== 'Deprovisioned' && x.state !== 'Expired')) {
    const id = r.subscriptionId;
    const [now, prior] = [acr(id, [month]), acr(id, before)];
    const [usedNow, usedBefore] = [used(id, [month]), used(id, before)];
    const siblingChurn = azureMonths.some((x) => x.customerId === r.customerId && x.subscriptionId !== id && x.churned && window.includes(x.month));
    const signals = [
      r.state === 'Suspended' && 'SUSPENDED',
      !usedNow && usedBefore && 'USAGE_STOPPED',
      usedNow && prior > 0 && now < prior / lookback / 2 && 'USAGE_DECLINED',
      !usedNow && !usedBefore && 'NO_USAGE',
      siblingChurn && 'CUSTOMER_CHURNING',
    ].filter((s): s is string => !!s);
    const score = signals.reduce((a, s) => a + weights.get(s)!, 0);
    const average = prior / lookback;
    if (score >= minScore) out.push({ subscriptionId: id, score, signals, usageChangePercent: prior > 0 ? ((now - average) * 100) / average : null });
  }
  return out.sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId));
}

it('lists exactly the Azure subscriptions the stated model scores at risk, with their signals, for every partner and every month as the range end', async () => {
  const seen = new Set<string>();
  let items = 0;
  for (const partner of env.summary.partners) {
    const model = env.models.get(partner.id)!;
    // The last 8 months as the range's end (the signals differ from month to month), at the
    // model's threshold and with every score (minScore 0).
    const ends = months(nextMonth(model.lastMonth, -7), model.lastMonth);
    for (const [range, minScore] of ends.flatMap((to) => [0, undefined].map((min) => [{ kind: 'CUSTOM', from: to, to }, min] as const))) {
      const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Global admin']), DOC, { range, minScore });
      expect(res.body.errors).toBeUndefined();
      const report = res.body.data.analyticsReport;
      const { threshold, lookbackMonths, signals } = report.azureRiskModel;
      const weights = new Map<string, number>(signals.map((s: { name: string; weight: number }) => [s.name, s.weight]));
      const got = report.azureSubscriptionsAtRisk;
      // Highest score first; every item's score is the sum of its signals' weights.
      for (let i = 1; i < got.length; i++) expect(got[i - 1].score).toBeGreaterThanOrEqual(got[i].score);
      for (const item of got) expect(item.score).toBe(item.signals.reduce((a: number, s: { weight: number }) => a + s.weight, 0));
      const expected = expectedAtRisk(model, report.range.to.slice(0, 7), weights, minScore ?? threshold, lookbackMonths);
      const actual = [...got].sort((a, b) => a.subscriptionId.localeCompare(b.subscriptionId));
      expect(actual.map((x) => ({ id: x.subscriptionId, score: x.score, signals: x.signals.map((s: { name: string }) => s.name).sort() }))).toEqual(
        expected.map((x) => ({ id: x.subscriptionId, score: x.score, signals: [...x.signals].sort() })),
      );
      actual.forEach((x, i) => {
        if (expected[i].usageChangePercent === null) expect(x.usageChangePercent).toBeNull();
        else expect(Math.abs(x.usageChangePercent - expected[i].usageChangePercent!)).toBeLessThan(0.01);
      });
      if (minScore === undefined) items += got.length;
      for (const x of got) for (const s of x.signals) seen.add(s.name);
    }
  }
  // The demo shows subscriptions at risk, and signals of more than one kind.
  expect(items).toBeGreaterThan(0);
  expect(seen.size).toBeGreaterThan(1);
});

it('a one-location caller sees only its location\'s subscriptions at risk', async () => {
  const partner = env.summary.partners[0];
  const all = await gql(env.server.graphqlUrl, await token(partner.id, ['Global admin']), DOC, {});
  const items = all.body.data.analyticsReport.azureSubscriptionsAtRisk as { subscriptionId: string }[];
  const model = env.models.get(partner.id)!;
  const locationOf = new Map(model.subscriptions.map((s) => [s['Subscription ID'], s.MpnId]));
  const location = locationOf.get(items[0].subscriptionId)!;
  const scoped = await gql(env.server.graphqlUrl, await token(partner.id, ['Global admin'], { locations: [location] }), DOC, {});
  const mine = (scoped.body.data.analyticsReport.azureSubscriptionsAtRisk as { subscriptionId: string }[]).map((x) => x.subscriptionId);
  expect(mine.length).toBeGreaterThan(0);
  expect(mine.every((id) => locationOf.get(id) === location)).toBe(true);
  expect(mine.sort()).toEqual(items.map((x) => x.subscriptionId).filter((id) => locationOf.get(id) === location).sort());
});

it('a minScore outside 0 to 100 is refused, naming the argument and what is allowed', async () => {
  const partner = env.summary.partners[0];
  const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Global admin']), DOC, { minScore: 101 });
  expect(res.body.errors![0].extensions?.code).toBe('BAD_USER_INPUT');
  expect(res.body.errors![0].message).toContain('minScore must be between 0 and 100 (got 101)');
});

describe('Customer count: new Azure customers (azureCustomersAdded)', () => {
  const METRIC = `query($name: String!, $filters: InsightsFilters) { metric(name: $name, range: { kind: LAST_12_MONTHS }, filters: $filters) { value series { month value } } }`;
  const ask = async (name: string, filters?: object) => {
    const res = await gql(env.server.graphqlUrl, await token(env.summary.partners[0].id, ['Global admin']), METRIC, { name, filters });
    expect(res.body.errors).toBeUndefined();
    return res.body.data.metric;
  };

  it('is customersAdded over Azure subscriptions; a product filter narrows it and never widens it', async () => {
    const azure = await ask('azureCustomersAdded');
    expect(Number(azure.value)).toBeGreaterThan(0);
    expect(azure).toEqual(await ask('customersAdded', { productFamilies: ['Azure'] }));
    expect(await ask('azureCustomersAdded', { productFamilies: ['Azure', 'Office 365'] })).toEqual(azure);
    const none = await ask('azureCustomersAdded', { productFamilies: ['Office 365'] });
    expect(none.value).toBe('0');
    expect(none.series.every((p: { value: string }) => p.value === '0')).toBe(true);
    // Other filters still apply on top.
    const country = (await ask('customersAdded', { productFamilies: ['Azure'], customerCountries: ['US'] })).value;
    expect((await ask('azureCustomersAdded', { customerCountries: ['US'] })).value).toBe(country);
  });
});
