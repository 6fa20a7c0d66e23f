import { gql, token } from '../gateway/harness';
import { insightsEnvForSuite, type InsightsEnv } from './env';
import { monthKey, months, nextMonth, readCsv } from './model';
import { join } from 'node:path';

/**
 * Reseller analytics (reference 17144-17176) over real HTTP on the ETL-loaded demo: total and new
 * resellers, resellers by market, and new reseller details, each recomputed from the generated
 * files (resellers, customers, subscriptions) by test/insights/model.ts or here. The totals and new
 * counts over every filter and range combination are in reports.suite.ts.
 */
let env: InsightsEnv;
insightsEnvForSuite((started) => (env = started));

const DOC = `query($range: InsightsDateRange) {
  analyticsReport(name: RESELLER_ANALYTICS, range: $range) {
    range { from to }
    kpis { name value }
    breakdowns { metric dimension items { key value } }
    newResellerDetails { mpnId name country relationshipStartDate subscriptions licenses }
  }
}`;

const indirect = () => env.summary.partners.filter((p) => p.resellerMpnIds.length > 0);

it('resellers by market: the active resellers at the end of the range by country', async () => {
  let compared = 0;
  for (const partner of indirect()) {
    const model = env.models.get(partner.id)!;
    const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Admin agent']), DOC, { range: { kind: 'LAST_12_MONTHS' } });
    expect(res.body.errors).toBeUndefined();
    const market = res.body.data.analyticsReport.breakdowns.find((b: any) => b.metric === 'totalResellers' && b.dimension === 'COUNTRY');
    const expected = new Map<string, number>();
    for (const r of model.resellersIn(model.lastMonth, {}, null)) if (r.status === 'Active') expected.set(r.country || 'Unknown', (expected.get(r.country || 'Unknown') ?? 0) + 1);
    const got = new Map<string, number>(market.items.map((i: any) => [i.key, Number(i.value)]));
    for (const [k, v] of got) if (v === 0) got.delete(k);
    expect(got).toEqual(expected);
    compared += expected.size;
  }
  expect(compared).toBeGreaterThan(1);
});

it('new reseller details: the resellers that started in the range, with the subscriptions and licenses they sold', async () => {
  let listed = 0;
  for (const partner of indirect()) {
    const model = env.models.get(partner.id)!;
    const subs = readCsv(join(env.partnerDir(partner.id), 'subscriptions.csv'));
    for (const range of [{ kind: 'LAST_12_MONTHS' }, { kind: 'CUSTOM', from: nextMonth(model.lastMonth, -30), to: nextMonth(model.lastMonth, -13) }]) {
      const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Admin agent']), DOC, { range });
      expect(res.body.errors).toBeUndefined();
      const report = res.body.data.analyticsReport;
      const inRange = months(report.range.from.slice(0, 7), report.range.to.slice(0, 7));
      const expected = model.resellerRows
        .filter((r) => r.start && inRange.includes(monthKey(r.start)))
        .map((r) => {
          const sold = subs.filter((s) => s.Reseller === r.mpnId);
          const licenses = sold.filter((s) => s.BillingType === 'License' && s.IsTrial !== 'true').reduce((a, s) => a + Number(s.Quantity || 0), 0);
          return { mpnId: r.mpnId, name: r.name, country: r.country, relationshipStartDate: r.start, subscriptions: sold.length, licenses };
        })
        .sort((a, b) => b.relationshipStartDate.localeCompare(a.relationshipStartDate) || a.mpnId.localeCompare(b.mpnId));
      expect(report.newResellerDetails).toEqual(expected);
      // The "New resellers" KPI counts the same resellers.
      expect(report.kpis.find((k: any) => k.name === 'newResellers').value).toBe(String(expected.length));
      listed += expected.length;
    }
  }
  // The demo has a reseller that joined within the last year.
  expect(listed).toBeGreaterThan(0);
});

it('a location-scoped caller sees the resellers of its locations\' customers only', async () => {
  const partner = indirect()[0];
  const model = env.models.get(partner.id)!;
  const withLocation = model.resellerRows.filter((r) => r.locations.length > 0);
  const location = withLocation[0].locations[0];
  const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Admin agent'], { locations: [location] }), DOC, { range: { kind: 'LAST_12_MONTHS' } });
  expect(res.body.errors).toBeUndefined();
  const total = Number(res.body.data.analyticsReport.kpis.find((k: any) => k.name === 'totalResellers').value);
  const expected = model.resellersIn(model.lastMonth, {}, [location]).filter((r) => r.status === 'Active').length;
  expect(total).toBe(expected);
  for (const r of res.body.data.analyticsReport.newResellerDetails) expect(model.resellerRows.find((x) => x.mpnId === r.mpnId)!.locations).toContain(location);
});
