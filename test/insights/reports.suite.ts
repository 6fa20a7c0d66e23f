import { gql, token } from '../gateway/harness';
import { statementCounter } from '../../warehouse/db';
import { insightsEnvForSuite, type InsightsEnv } from './env';
import { cents, fromCents, months, nextMonth, type Filters, type PartnerModel } from './model';

/**
 * Every KPI of the Overview, Customers, Subscriptions, Licenses and Azure usage reports, over HTTP
 * through the gateway, against expectations computed independently in test/insights/model.ts from
 * the generator's CSV files. Counts compare exactly; USD compares exactly as 2-decimal strings
 * (BigInt cents on the model's side); growth % within 0.01.
 */
let env: InsightsEnv;
insightsEnvForSuite((started) => (env = started), 120_000);

const KPI = `name title definition unit value growthPercent series { month value }`;
const BREAKDOWN = `breakdowns { name metric dimension items { key value percentOfTotal series { month value } } }`;
const QUERIES: Record<string, { field: string; kpis: [string, 'last' | 'sum'][]; filters: boolean }> = {
  overview: {
    field: 'overviewReport',
    filters: false,
    kpis: [['customers', 'last'], ['azureConsumedRevenue', 'sum'], ['subscriptions', 'last'], ['activeSubscriptions', 'last'], ['licensesDeployed', 'last']],
  },
  customers: {
    field: 'customersReport',
    filters: true,
    kpis: [['customers', 'last'], ['activeCustomers', 'last'], ['customersAdded', 'sum'], ['customersChurned', 'sum']],
  },
  subscriptions: {
    field: 'subscriptionsReport',
    filters: true,
    kpis: [['subscriptions', 'last'], ['activeSubscriptions', 'last'], ['subscriptionsAdded', 'sum'], ['subscriptionsChurned', 'sum']],
  },
  licenses: { field: 'licensesReport', filters: true, kpis: [['licenses', 'last'], ['licensesDeployed', 'last'], ['activeLicenses', 'last'], ['licensesAdded', 'sum']] },
  azureUsage: {
    field: 'azureUsageReport',
    filters: true,
    kpis: [['azureSubscriptions', 'last'], ['activeAzureSubscriptions', 'last'], ['azureConsumedRevenue', 'sum']],
  },
};

function documentOf(report: string): string {
  const q = QUERIES[report];
  const extra = report === 'customers' || report === 'subscriptions' ? 'addsChurns { month new existing churned }' : '';
  const revenue = report === 'azureUsage' ? `revenueBreakdowns { name metric dimension items { key value series { month value changePercent } } }` : '';
  return `query($range: InsightsDateRange${q.filters ? ', $filters: InsightsFilters' : ''}) {
    r: ${q.field}(range: $range${q.filters ? ', filters: $filters' : ''}) {
      range { from to asOf }
      ${q.kpis.map(([k]) => `${k} { ${KPI} }`).join('\n')}
      ${BREAKDOWN} ${extra} ${revenue}
    }
  }`;
}

interface Case {
  label: string;
  range: { kind: string; from?: string; to?: string };
  filters: Filters;
}

const enumName = (dim: string) => dim.replace(/([A-Z])/g, '_$1').toUpperCase();

function rangeMonths(model: PartnerModel, range: Case['range']): string[] {
  const asOf = model.lastMonth;
  if (range.kind === 'CUSTOM') return months(range.from!, range.to!);
  const n = { LAST_3_MONTHS: 3, LAST_6_MONTHS: 6, LAST_12_MONTHS: 12 }[range.kind]!;
  return months(nextMonth(asOf, -(n - 1)), asOf);
}

function casesFor(model: PartnerModel): Case[] {
  const countries = [...new Set(model.subMonths.map((r) => r.country))].sort();
  return [
    { label: 'no filters, last 12 months', range: { kind: 'LAST_12_MONTHS' }, filters: {} },
    {
      label: 'markets + segment, last 6 months',
      range: { kind: 'LAST_6_MONTHS' },
      filters: { customerCountries: countries.slice(0, 3), segments: ['Commercial', 'Government'] },
    },
    {
      label: 'products + sales channel + attribution, custom range',
      range: { kind: 'CUSTOM', from: '2025-10', to: '2026-07' },
      filters: { productFamilies: ['Azure', 'Microsoft 365', 'Office 365'], salesChannels: ['Direct', 'Indirect reseller'], attributionTypes: ['CSP', 'DAP'] },
    },
    {
      label: 'indirect channel only, last 3 months',
      range: { kind: 'LAST_3_MONTHS' },
      filters: { salesChannels: ['Indirect reseller'] },
    },
  ];
}

function expectKpi(actual: any, expected: ReturnType<PartnerModel['kpi']>, what: string) {
  expect({ what, series: actual.series }).toEqual({ what, series: expected.series });
  expect({ what, value: actual.value }).toEqual({ what, value: expected.value });
  if (expected.growth === null) expect({ what, growth: actual.growthPercent }).toEqual({ what, growth: null });
  else expect(Math.abs(actual.growthPercent - expected.growth)).toBeLessThanOrEqual(0.011);
}

describe.each(['overview', 'customers', 'subscriptions', 'licenses', 'azureUsage'])('%s report', (report) => {
  it('matches the independent model for every KPI, both partners, four filter/range combinations', async () => {
    for (const partner of env.summary.partners) {
      const model = env.models.get(partner.id)!;
      const bearer = await token(partner.id, ['Executive report viewer']);
      for (const c of casesFor(model)) {
        const filters = QUERIES[report].filters ? c.filters : {};
        const variables: Record<string, unknown> = { range: c.range };
        if (QUERIES[report].filters) variables.filters = c.filters;
        const before = statementCounter.total;
        const res = await gql(env.server.graphqlUrl, bearer, documentOf(report), variables);
        expect(res.body.errors).toBeUndefined();
        // The months of data, then every KPI and breakdown in one statement.
        expect(statementCounter.total - before).toBe(2);
        const r = res.body.data.r;
        const range = rangeMonths(model, c.range);
        for (const [name, how] of QUERIES[report].kpis) {
          expectKpi(r[name], model.kpi(name, range, filters, null, how), `${partner.slug} ${report}.${name} (${c.label})`);
        }
        if (report === 'customers' || report === 'subscriptions') {
          const prefix = report === 'customers' ? 'customers' : 'subscriptions';
          expect(r.addsChurns).toEqual(
            range.map((m) => ({
              month: m,
              new: model.monthly(`${prefix}Added`, m, filters, null),
              existing: model.monthly(`${prefix}Existing`, m, filters, null),
              churned: model.monthly(`${prefix}Churned`, m, filters, null),
            })),
          );
        }
      }
    }
  });
});

describe('breakdowns', () => {
  const dims: Record<string, (r: any) => string> = {
    country: (r) => r.country,
    // The documented state distribution: Active, Disabled, Deprovisioned, Open, InGracePeriod, Closed, Others.
    state: (r) => (['Active', 'Disabled', 'Deprovisioned', 'Open', 'InGracePeriod', 'Closed'].includes(r.state) ? r.state : 'Others'),
    productFamily: (r) => r.productFamily,
    location: (r) => r.mpnId,
    salesChannel: (r) => r.salesChannel,
    meterCategory: (r) => r.meterCategory,
    segment: (r) => r.segment,
    sku: (r) => r.sku,
  };
  it.each([
    ['customers', 'customers', 'country'],
    ['customers', 'customers', 'location'],
    ['customers', 'customers', 'productFamily'],
    ['subscriptions', 'subscriptions', 'state'],
    ['subscriptions', 'subscriptions', 'salesChannel'],
    ['subscriptions', 'subscriptions', 'sku'],
    ['licenses', 'licenses', 'productFamily'],
    ['licenses', 'licenses', 'segment'],
    ['overview', 'licensesDeployed', 'country'],
  ])('%s report: %s by %s', async (report, metric, dim) => {
    for (const partner of env.summary.partners) {
      const model = env.models.get(partner.id)!;
      const bearer = await token(partner.id, ['Report viewer']);
      const res = await gql(env.server.graphqlUrl, bearer, documentOf(report), { range: { kind: 'LAST_6_MONTHS' } });
      // A Report viewer gets every breakdown; only the overview's ACR KPI is forbidden.
      expect((res.body.errors ?? []).filter((e) => e.path?.[1] !== 'azureConsumedRevenue')).toEqual([]);
      const b = res.body.data.r.breakdowns.find((x: any) => x.metric === metric && x.dimension === enumName(dim));
      expect(b).toBeDefined();
      const range = rangeMonths(model, { kind: 'LAST_6_MONTHS' });
      const keys = new Set<string>();
      for (const row of metric.startsWith('licenses') ? model.licMonths : model.subMonths) if (range.includes(row.month)) keys.add(dims[dim](row));
      const how = 'last' as const;
      const expected = [...keys]
        .map((k) => ({ key: k, ...model.kpi(metric, range, {}, null, how, dims[dim], k) }))
        .filter((e) => e.series.some((p) => p.value !== '0'));
      const actual = b.items.filter((i: any) => i.series.some((p: any) => p.value !== '0'));
      expect(actual.map((i: any) => [i.key, i.value, i.series]).sort()).toEqual(expected.map((e) => [e.key, e.value, e.series]).sort());
    }
  });

  it('Azure utilization: ACR by meter category per month, with the change vs the previous month', async () => {
    for (const partner of env.summary.partners) {
      const model = env.models.get(partner.id)!;
      const bearer = await token(partner.id, ['Executive report viewer']);
      const res = await gql(env.server.graphqlUrl, bearer, documentOf('azureUsage'), { range: { kind: 'LAST_12_MONTHS' } });
      expect(res.body.errors).toBeUndefined();
      const b = res.body.data.r.revenueBreakdowns.find((x: any) => x.dimension === 'METER_CATEGORY');
      const range = rangeMonths(model, { kind: 'LAST_12_MONTHS' });
      const cats = [...new Set(model.usage.filter((u) => range.includes(u.month)).map((u) => u.meterCategory))].sort();
      expect(b.items.map((i: any) => i.key).sort()).toEqual(cats);
      for (const item of b.items) {
        const e = model.kpi('azureConsumedRevenue', range, {}, null, 'sum', dims.meterCategory, item.key);
        expect(item.value).toBe(e.value);
        expect(item.series.map((p: any) => ({ month: p.month, value: p.value }))).toEqual(e.series);
        item.series.forEach((p: any, i: number) => {
          const prev = i === 0 ? 0 : Number(item.series[i - 1].value);
          if (i === 0 || prev === 0) expect(p.changePercent).toBeNull();
          else expect(Math.abs(p.changePercent - ((Number(p.value) - prev) * 100) / prev)).toBeLessThan(0.01);
        });
      }
    }
  });
});

describe('roles and locations', () => {
  const ACR = `{ overviewReport { customers { value } azureConsumedRevenue { value } }
                 azureUsageReport { azureConsumedRevenue { value } revenueBreakdowns { name } }
                 metric(name: "azureConsumedRevenue") { value } }`;

  it('Report viewer: ACR null with FORBIDDEN naming the roles; other KPIs present', async () => {
    const p = env.summary.partners[0];
    const res = await gql(env.server.graphqlUrl, await token(p.id, ['Report viewer']), ACR);
    expect(res.body.data.overviewReport.customers.value).toBeDefined();
    expect(res.body.data.overviewReport.azureConsumedRevenue).toBeNull();
    expect(res.body.data.azureUsageReport.azureConsumedRevenue).toBeNull();
    expect(res.body.data.azureUsageReport.revenueBreakdowns).toBeNull();
    expect(res.body.data.metric).toBeNull();
    const errors = res.body.errors ?? [];
    expect(errors.map((e) => e.path?.join('.')).sort()).toEqual(
      ['azureUsageReport.azureConsumedRevenue', 'azureUsageReport.revenueBreakdowns', 'metric', 'overviewReport.azureConsumedRevenue'].sort(),
    );
    for (const e of errors) {
      expect(e.extensions?.code).toBe('FORBIDDEN');
      expect(e.extensions?.requiredRoles).toContain('Executive report viewer');
      expect(e.extensions?.requiredRoles).not.toContain('Report viewer');
    }
  });

  it('Executive report viewer: ACR present and equal to the model', async () => {
    const p = env.summary.partners[0];
    const model = env.models.get(p.id)!;
    const res = await gql(env.server.graphqlUrl, await token(p.id, ['Executive report viewer']), ACR);
    expect(res.body.errors).toBeUndefined();
    const expected = model.kpi('azureConsumedRevenue', rangeMonths(model, { kind: 'LAST_12_MONTHS' }), {}, null, 'sum').value;
    expect(res.body.data.overviewReport.azureConsumedRevenue.value).toBe(expected);
    expect(res.body.data.azureUsageReport.azureConsumedRevenue.value).toBe(expected);
    expect(res.body.data.metric.value).toBe(expected);
    expect(Number(expected)).toBeGreaterThan(0);
  });

  it('a roleless-for-reports caller (Sales agent) gets FORBIDDEN for the reports', async () => {
    const p = env.summary.partners[0];
    const res = await gql(env.server.graphqlUrl, await token(p.id, ['Sales agent']), `{ customersReport { customers { value } } }`);
    expect(res.body.data.customersReport).toBeNull();
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('a location-scoped viewer sees only its locations', async () => {
    for (const partner of env.summary.partners) {
      const model = env.models.get(partner.id)!;
      const locations = [partner.locations[0].mpnId, partner.locations[partner.locations.length - 1].mpnId];
      const bearer = await token(partner.id, ['Executive report viewer'], { locations });
      const range = rangeMonths(model, { kind: 'LAST_12_MONTHS' });
      for (const report of ['overview', 'customers', 'subscriptions', 'licenses', 'azureUsage']) {
        const res = await gql(env.server.graphqlUrl, bearer, documentOf(report), { range: { kind: 'LAST_12_MONTHS' } });
        expect(res.body.errors).toBeUndefined();
        for (const [name, how] of QUERIES[report].kpis) {
          expectKpi(res.body.data.r[name], model.kpi(name, range, {}, locations, how), `${partner.slug} ${report}.${name} at ${locations}`);
        }
        for (const b of res.body.data.r.breakdowns.filter((x: any) => x.dimension === 'LOCATION')) {
          for (const item of b.items) expect(locations).toContain(item.key);
        }
      }
      const whole = await gql(env.server.graphqlUrl, await token(partner.id, ['Executive report viewer']), `{ subscriptionsReport { subscriptions { value } } }`);
      const scoped = await gql(env.server.graphqlUrl, bearer, `{ subscriptionsReport { subscriptions { value } } }`);
      expect(Number(scoped.body.data.subscriptionsReport.subscriptions.value)).toBeLessThan(Number(whole.body.data.subscriptionsReport.subscriptions.value));
    }
  });

  it('a partner never sees another partner\'s data', async () => {
    const [a, b] = env.summary.partners;
    const res = await gql(env.server.graphqlUrl, await token(a.id, ['Executive report viewer']), `{ metric(name: "subscriptions", range: { kind: LIFETIME }) { value } }`);
    const model = env.models.get(a.id)!;
    expect(res.body.data.metric.value).toBe(model.monthly('subscriptions', model.lastMonth, {}, null));
    expect(b.id).not.toBe(a.id);
  });
});

describe('metric()', () => {
  it('reads the same definitions, split by a dimension, with shares of the total', async () => {
    const p = env.summary.partners[1];
    const model = env.models.get(p.id)!;
    const res = await gql(
      env.server.graphqlUrl,
      await token(p.id, ['Report viewer']),
      `{ metric(name: "subscriptionsChurned", range: { kind: CUSTOM, from: "2025-09", to: "2026-10" }, splitBy: PRODUCT_FAMILY) {
           name definition unit value growthPercent series { month value } groups { key value percentOfTotal } }
         metricDefinitions { name permissions roles dimensions } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const m = res.body.data.metric;
    const range = months('2025-09', '2026-10');
    expect(m.value).toBe(model.kpi('subscriptionsChurned', range, {}, null, 'sum').value);
    const sum = m.groups.reduce((a: number, g: any) => a + Number(g.value), 0);
    expect(sum).toBe(Number(m.value));
    const defs = res.body.data.metricDefinitions;
    expect(defs.find((d: any) => d.name === 'azureConsumedRevenue')).toMatchObject({ permissions: ['readProductReports', 'seeRevenue'] });
    expect(defs.find((d: any) => d.name === 'azureConsumedRevenue').roles).not.toContain('Report viewer');
  });

  it('rejects an unknown metric and a dimension the metric cannot be split by', async () => {
    const p = env.summary.partners[0];
    const bearer = await token(p.id, ['Global admin']);
    const unknown = await gql(env.server.graphqlUrl, bearer, `{ metric(name: "nope") { value } }`);
    expect(unknown.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    const bad = await gql(env.server.graphqlUrl, bearer, `{ metric(name: "licenses", splitBy: METER_CATEGORY) { value } }`);
    expect(bad.body.errors?.[0].message).toMatch(/cannot be split by meterCategory/);
  });
});

describe('CSP analytics pages (analyticsReport)', () => {
  const ANALYTICS: Record<string, [string, 'last' | 'sum' | 'distinct'][]> = {
    SUBSCRIPTION_ANALYTICS: [
      ['subscriptionsSold', 'sum'],
      ['licensesSold', 'sum'],
      ['activeStatusSubscriptions', 'last'],
      ['suspendedSubscriptions', 'last'],
      ['newSubscriptionsExcludingTrials', 'sum'],
      ['deprovisionedSubscriptions', 'sum'],
      ['trialConversions', 'sum'],
      ['renewedSubscriptions', 'sum'],
    ],
    AZURE_USAGE_ANALYTICS: [
      ['azureSubscriptionsSold', 'sum'],
      ['azureCustomersWithUsage', 'distinct'],
      ['azureCustomersWithoutUsage', 'distinct'],
      ['azureActiveSubscriptions', 'last'],
      ['azureDeprovisionedSubscriptions', 'sum'],
      ['azureRenewedSubscriptions', 'sum'],
      ['azureCustomersAdded', 'sum'],
    ],
    RESELLER_ANALYTICS: [
      ['totalResellers', 'last'],
      ['newResellers', 'sum'],
      ['activeResellers', 'last'],
      ['transactingResellers', 'distinct'],
      ['subscriptionsSold', 'sum'],
      ['deprovisionedSubscriptions', 'sum'],
    ],
  };
  const DOC = `query($name: InsightsAnalyticsReportName!, $range: InsightsDateRange, $filters: InsightsFilters) {
    analyticsReport(name: $name, range: $range, filters: $filters) {
      name kpis { name value growthPercent series { month value } }
      breakdowns { metric dimension items { key value } }
    }
  }`;

  it.each(Object.keys(ANALYTICS))('%s matches the model, every KPI, four filter/range combinations, for a Sales agent', async (name) => {
    // Every KPI is non-zero in at least one case, so no comparison passes on zeros alone.
    const seen = new Set<string>();
    for (const partner of env.summary.partners) {
      const model = env.models.get(partner.id)!;
      const bearer = await token(partner.id, ['Sales agent']);
      for (const c of casesFor(model)) {
        const before = statementCounter.total;
        const res = await gql(env.server.graphqlUrl, bearer, DOC, { name, range: c.range, filters: c.filters });
        expect(res.body.errors).toBeUndefined();
        expect(statementCounter.total - before).toBe(2);
        const kpis = res.body.data.analyticsReport.kpis;
        const range = rangeMonths(model, c.range);
        expect(kpis.map((k: any) => k.name)).toEqual(ANALYTICS[name].map(([k]) => k));
        for (const [metric, how] of ANALYTICS[name]) {
          const kpi = kpis.find((k: any) => k.name === metric);
          expectKpi(kpi, model.kpi(metric, range, c.filters, null, how), `${partner.slug} ${name}.${metric} (${c.label})`);
          if (kpi.value !== '0') seen.add(metric);
        }
      }
    }
    // The demo's Azure subscriptions never renew (an Azure plan has no term): subscriptions-added.suite.ts
    // loads a renewal of one and checks azureRenewedSubscriptions on it.
    const neverInDemo = new Set(['azureRenewedSubscriptions']);
    expect([...seen].sort()).toEqual(ANALYTICS[name].map(([k]) => k).filter((k) => !neverInDemo.has(k)).sort());
  });

  it('top resellers by subscriptions sold', async () => {
    const partner = env.summary.partners.find((p) => p.resellerMpnIds.length > 0)!;
    const model = env.models.get(partner.id)!;
    const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Admin agent']), DOC, { name: 'RESELLER_ANALYTICS', range: { kind: 'LIFETIME' } });
    expect(res.body.errors).toBeUndefined();
    const b = res.body.data.analyticsReport.breakdowns.find((x: any) => x.dimension === 'RESELLER');
    const range = months(model.subMonths.map((r) => r.month).sort()[0], model.lastMonth);
    const expected = new Map<string, number>();
    for (const r of model.subMonths) if (r.isNew && range.includes(r.month)) expected.set(r.reseller ?? 'Unknown', (expected.get(r.reseller ?? 'Unknown') ?? 0) + 1);
    const actual = new Map<string, number>(b.items.filter((i: any) => i.value !== '0').map((i: any) => [i.key, Number(i.value)]));
    expect(actual).toEqual(expected);
    expect([...expected.keys()].some((k) => k !== 'Unknown')).toBe(true);
  });

  it('Report viewer is not an analytics role: FORBIDDEN naming the roles', async () => {
    const p = env.summary.partners[0];
    const res = await gql(env.server.graphqlUrl, await token(p.id, ['Report viewer']), `{ analyticsReport(name: SUBSCRIPTION_ANALYTICS) { name } }`);
    expect(res.body.data.analyticsReport).toBeNull();
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(res.body.errors?.[0].extensions?.requiredRoles).toEqual(['Global admin', 'User admin', 'Admin agent', 'Sales agent']);
  });
});

describe('CSP analytics lists', () => {
  const LISTS = `query($range: InsightsDateRange) {
    analyticsReport(name: AZURE_USAGE_ANALYTICS, range: $range) {
      range { from to asOf }
      renewingIn30Days { subscriptionId date }
      trialsEndingIn30Days { subscriptionId date }
      azureSubscriptionsWithoutUsage { subscriptionId }
      topAzureCustomers { customerId acrUsd }
      spendingAgainstBudget { subscriptionId budgetAmount currency spent spentUsd percentUsed }
    }
  }`;
  const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86400000).toISOString().slice(0, 10);
  const lastDay = (month: string) => {
    const [y, m] = month.split('-').map(Number);
    return new Date(Date.UTC(y, m, 0)).toISOString().slice(0, 10);
  };

  it('match the model (Global admin), each list one statement', async () => {
    const sizes: number[] = [0, 0, 0, 0, 0];
    let nonUsdCompared = 0;
    for (const partner of env.summary.partners) {
      const model = env.models.get(partner.id)!;
      const before = statementCounter.total;
      const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Global admin']), LISTS, { range: { kind: 'LAST_6_MONTHS' } });
      expect(res.body.errors).toBeUndefined();
      expect(statementCounter.total - before).toBe(2 + 5);
      const r = res.body.data.analyticsReport;
      ['renewingIn30Days', 'trialsEndingIn30Days', 'azureSubscriptionsWithoutUsage', 'topAzureCustomers', 'spendingAgainstBudget'].forEach((k, i) => (sizes[i] += r[k].length));
      const range = rangeMonths(model, { kind: 'LAST_6_MONTHS' });
      const asOf = lastDay(model.lastMonth);
      const within = (d: string) => d >= asOf && d <= addDays(asOf, 30);
      const subs = model.subscriptions;
      expect(r.renewingIn30Days.map((x: any) => x.subscriptionId).sort()).toEqual(
        subs.filter((s) => s.Status === 'Active' && s.AutoRenew === 'true' && s.TermEndDate && within(s.TermEndDate)).map((s) => s['Subscription ID']).sort(),
      );
      expect(r.trialsEndingIn30Days.map((x: any) => x.subscriptionId).sort()).toEqual(
        subs.filter((s) => s.Status === 'Active' && s.IsTrial === 'true' && s.TrialEndDate && within(s.TrialEndDate)).map((s) => s['Subscription ID']).sort(),
      );
      const withUsage = new Set(model.usage.filter((u) => range.includes(u.month)).map((u) => u.subscriptionId));
      const held = model.subMonths.filter((m) => m.month === range[range.length - 1] && m.productFamily === 'Azure' && m.state !== 'Deprovisioned' && m.state !== 'Expired');
      expect(r.azureSubscriptionsWithoutUsage.map((x: any) => x.subscriptionId).sort()).toEqual(held.filter((m) => !withUsage.has(m.subscriptionId)).map((m) => m.subscriptionId).sort());

      const byCustomer = new Map<string, bigint>();
      for (const u of model.usage) if (range.includes(u.month)) byCustomer.set(u.customerId, (byCustomer.get(u.customerId) ?? 0n) + u.acrCents);
      const top = [...byCustomer.entries()].sort((a, b) => (a[1] === b[1] ? a[0].localeCompare(b[0]) : a[1] > b[1] ? -1 : 1)).slice(0, 5);
      expect(r.topAzureCustomers).toEqual(top.map(([customerId, c]) => ({ customerId, acrUsd: fromCents(c) })));

      const last = range[range.length - 1];
      const budgets = subs.filter((s) => s.BudgetAmount);
      expect(r.spendingAgainstBudget).toHaveLength(budgets.length);
      for (const s of budgets) {
        const item = r.spendingAgainstBudget.find((x: any) => x.subscriptionId === s['Subscription ID']);
        const lines = model.usage.filter((u) => u.month === last && u.subscriptionId === s['Subscription ID']);
        const usd = lines.reduce((a, u) => a + u.acrCents, 0n);
        // Compared in the budget's currency (the subscription's): never USD against another currency.
        const spent = lines.filter((u) => u.billingCurrency === s.Currency).reduce((a, u) => a + u.billingCents, 0n);
        expect(item.spentUsd).toBe(fromCents(usd));
        expect(item.currency).toBe(s.Currency);
        expect(item.spent).toBe(fromCents(spent));
        expect(item.budgetAmount).toBe(fromCents(cents(s.BudgetAmount)));
        expect(Math.abs(item.percentUsed - (Number(spent) / Number(cents(s.BudgetAmount))) * 100)).toBeLessThan(0.01);
        if (s.Currency !== 'USD' && spent > 0n) nonUsdCompared++;
      }
    }
    // Every list has rows in the generated data (renewing, trials ending, without usage, top customers, budgets).
    for (const n of sizes) expect(n).toBeGreaterThan(0);
    // A budget in another currency than USD was compared in that currency (the case the USD ACR got wrong).
    expect(nonUsdCompared).toBeGreaterThan(0);
  });

  it('suspended (trials left out) and active subscription lists match the files, one statement each, location-scoped too', async () => {
    const STATUS_LISTS = `{ analyticsReport(name: SUBSCRIPTION_ANALYTICS) {
      suspendedSubscriptions(first: 1000) { subscriptionId customerId date } activeSubscriptions(first: 1000) { subscriptionId mpnId date } } }`;
    let suspended = 0;
    for (const partner of env.summary.partners) {
      const subs = env.models.get(partner.id)!.subscriptions;
      const ids = (rows: typeof subs) => rows.map((x) => x['Subscription ID']).sort();
      const before = statementCounter.total;
      const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Sales agent']), STATUS_LISTS);
      expect(res.body.errors).toBeUndefined();
      expect(statementCounter.total - before).toBe(2 + 2);
      const r = res.body.data.analyticsReport;
      expect(r.suspendedSubscriptions.map((x: any) => x.subscriptionId).sort()).toEqual(ids(subs.filter((x) => x.Status === 'Suspended' && x.IsTrial !== 'true')));
      expect(r.activeSubscriptions.map((x: any) => x.subscriptionId).sort()).toEqual(ids(subs.filter((x) => x.Status === 'Active')));
      suspended += r.suspendedSubscriptions.length;
      // One location: its subscriptions only.
      const location = r.activeSubscriptions.find((x: any) => x.mpnId)!.mpnId;
      const local = await gql(env.server.graphqlUrl, await token(partner.id, ['Sales agent'], { locations: [location] }), STATUS_LISTS);
      expect(local.body.data.analyticsReport.activeSubscriptions.map((x: any) => x.subscriptionId).sort()).toEqual(
        ids(subs.filter((x) => x.Status === 'Active' && x.MpnId === location)),
      );
    }
    expect(suspended).toBeGreaterThan(0);
  });

  it('revenue lists are null + FORBIDDEN for a Sales agent; the others are there', async () => {
    const p = env.summary.partners[0];
    const res = await gql(env.server.graphqlUrl, await token(p.id, ['Sales agent']), LISTS, {});
    expect(res.body.data.analyticsReport.topAzureCustomers).toBeNull();
    expect(res.body.data.analyticsReport.spendingAgainstBudget).toBeNull();
    expect(Array.isArray(res.body.data.analyticsReport.renewingIn30Days)).toBe(true);
    expect(res.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
  });

  it('lists return the first `first` items in their order (default 100, 1 to 1000)', async () => {
    const p = env.summary.partners[0];
    const bearer = await token(p.id, ['Global admin']);
    const LIMITED = `query($first: Int) { analyticsReport(name: AZURE_USAGE_ANALYTICS, range: { kind: LAST_6_MONTHS }) {
      renewingIn30Days(first: $first) { subscriptionId } spendingAgainstBudget(first: $first) { subscriptionId } } }`;
    const all = (await gql(env.server.graphqlUrl, bearer, LIMITED, { first: 1000 })).body.data.analyticsReport;
    const two = (await gql(env.server.graphqlUrl, bearer, LIMITED, { first: 2 })).body.data.analyticsReport;
    expect(all.spendingAgainstBudget.length).toBeGreaterThan(2);
    expect(two.spendingAgainstBudget).toEqual(all.spendingAgainstBudget.slice(0, 2));
    expect(two.renewingIn30Days).toEqual(all.renewingIn30Days.slice(0, 2));
    const bad = await gql(env.server.graphqlUrl, bearer, LIMITED, { first: 0 });
    expect(bad.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(bad.body.errors?.[0].message).toBe('first must be between 1 and 1000 (got 0)');
  });
});
