import { gql, token } from '../gateway/harness';
import { today } from '../../warehouse/clock';
import { insightsEnvForSuite, type InsightsEnv } from './env';

/**
 * One as-of rule for the Insights reports and PCI: without a date, both count from the reports' as-of
 * month, PI_TODAY's month when set, else the latest month with data ("counted back from the latest
 * month with data"). The demo data ends before today (its history ends on the generator's as-of day),
 * so the calendar's today and the data's last month differ. Expectations: the last month of the
 * files (test/insights/model.ts, the subscription, event and license telemetry files), over HTTP.
 */
let env: InsightsEnv;
insightsEnvForSuite((started) => (env = started));

const PCI = `query($asOf: Date) { partnerContributionIndicators(asOf: $asOf) {
  asOf baseline market
  paths { path score indicators { key value points } history { month score } }
} }`;
const REPORT = `{ overviewReport { range { from to asOf } } }`;

/** The last day of a 'YYYY-MM' month. */
const lastDay = (month: string) => {
  const [y, m] = month.split('-').map(Number);
  return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
};

it('without PI_TODAY: PCI without a date is scored on the last month with data, like the reports, not on today', async () => {
  for (const partner of env.summary.partners) {
    const lastMonth = env.models.get(partner.id)!.lastMonth; // 'YYYY-MM', from the files
    // The data ends before today (the demo's history ends on a fixed day in the past).
    expect(`${lastMonth}-31` < today()).toBe(true);
    const bearer = await token(partner.id, ['Executive report viewer']);

    const report = await gql(env.server.graphqlUrl, bearer, REPORT);
    expect(report.body.errors).toBeUndefined();
    expect(report.body.data.overviewReport.range.asOf).toBe(`${lastMonth}-01`);

    const byDefault = await gql(env.server.graphqlUrl, bearer, PCI);
    expect(byDefault.body.errors).toBeUndefined();
    const pci = byDefault.body.data.partnerContributionIndicators;
    expect(pci.asOf).toBe(lastDay(lastMonth));
    for (const p of pci.paths) expect(p.history[11].month).toBe(`${lastMonth}-01`);

    // The same as asking for that day explicitly; not what today would give.
    const explicit = await gql(env.server.graphqlUrl, bearer, PCI, { asOf: lastDay(lastMonth) });
    expect(explicit.body.data.partnerContributionIndicators).toEqual(pci);
    const onToday = await gql(env.server.graphqlUrl, bearer, PCI, { asOf: today() });
    expect(onToday.body.data.partnerContributionIndicators.asOf).toBe(today());
    expect(onToday.body.data.partnerContributionIndicators.paths[0].history[11].month).not.toBe(`${lastMonth}-01`);
  }
});

it('with PI_TODAY: both use its month, PCI on that very day', async () => {
  const partner = env.summary.partners[0];
  const lastMonth = env.models.get(partner.id)!.lastMonth;
  // A day three months before the data's last month.
  const [y, m] = lastMonth.split('-').map(Number);
  const fixed = new Date(Date.UTC(y, m - 4, 17)).toISOString().slice(0, 10);
  process.env.PI_TODAY = fixed;
  try {
    const bearer = await token(partner.id, ['Executive report viewer']);
    const report = await gql(env.server.graphqlUrl, bearer, REPORT);
    expect(report.body.data.overviewReport.range.asOf).toBe(`${fixed.slice(0, 7)}-01`);
    const pci = await gql(env.server.graphqlUrl, bearer, PCI);
    expect(pci.body.errors).toBeUndefined();
    expect(pci.body.data.partnerContributionIndicators.asOf).toBe(fixed);
    expect(pci.body.data.partnerContributionIndicators.paths[0].history[11].month).toBe(`${fixed.slice(0, 7)}-01`);
  } finally {
    delete process.env.PI_TODAY;
  }
});
