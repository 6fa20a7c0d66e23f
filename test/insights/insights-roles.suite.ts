import { PARTNER_ROLES, type PartnerRole } from '../../core/vocabulary';
import { REPORT_DATASETS } from '../../warehouse/exports';
import { gql, token } from '../gateway/harness';
import { insightsEnvForSuite, type InsightsEnv } from './env';
import { months, nextMonth } from './model';

/**
 * Who may open which Insights report and who may download reports, over HTTP on the ETL-loaded demo
 * warehouse. The expected roles are written here from the reference (not read from
 * core/permissions.ts), and the numbers a newly admitted role gets are computed from the files
 * (test/insights/model.ts).
 */
const INSIGHTS_DASHBOARD: PartnerRole[] = [
  // "Partner Center Insights", Appropriate roles (reference line 16062)
  'Global admin',
  'Account admin',
  'Executive report viewer',
  'Report viewer',
  // "View customer data analytics" (line 7579)
  'MPN partner admin',
];
const PRODUCT_REPORTS: PartnerRole[] = [
  // Product Subscriptions / Licenses / Azure Usage, Appropriate roles (lines 16346, 16449, 16520)
  'Global admin',
  'Admin agent',
  'Report viewer',
  'Executive report viewer',
  // the same pages' note: "such as Global Admin, Account Admin, Report Viewer or Executive Report Viewer"
  'Account admin',
  // sees these metrics on the Overview
  'MPN partner admin',
];
// "Only those users who are executive report viewers can download reports" (line 16896); Global admin: "full privileges".
const DOWNLOAD: PartnerRole[] = ['Global admin', 'Executive report viewer'];

const REPORTS = {
  overviewReport: { kpi: 'subscriptions', roles: INSIGHTS_DASHBOARD, filters: false },
  customersReport: { kpi: 'customers', roles: INSIGHTS_DASHBOARD, filters: true },
  subscriptionsReport: { kpi: 'subscriptions', roles: PRODUCT_REPORTS, filters: true },
  licensesReport: { kpi: 'licenses', roles: PRODUCT_REPORTS, filters: true },
  azureUsageReport: { kpi: 'azureSubscriptions', roles: PRODUCT_REPORTS, filters: true },
} as const;

let env: InsightsEnv;
insightsEnvForSuite((started) => (env = started));

const sorted = (roles: readonly string[]) => [...roles].sort();

describe('Insights reports by role', () => {
  it.each(Object.entries(REPORTS))('%s: the documented roles get it, with the numbers of the files; the others FORBIDDEN naming them', async (field, spec) => {
    const partner = env.summary.partners[0];
    const model = env.models.get(partner.id)!;
    const range = months(nextMonth(model.lastMonth, -11), model.lastMonth);
    const expected = model.kpi(spec.kpi, range, {}, null, 'last');
    for (const role of PARTNER_ROLES) {
      const res = await gql(env.server.graphqlUrl, await token(partner.id, [role]), `{ r: ${field} { ${spec.kpi} { value series { month value } } } }`);
      if ((spec.roles as readonly string[]).includes(role)) {
        expect({ role, errors: res.body.errors }).toEqual({ role, errors: undefined });
        expect({ role, value: res.body.data.r[spec.kpi].value }).toEqual({ role, value: expected.value });
        expect(res.body.data.r[spec.kpi].series).toEqual(expected.series);
      } else {
        expect({ role, data: res.body.data?.r ?? null }).toEqual({ role, data: null });
        const ext = res.body.errors?.[0].extensions;
        expect({ role, code: ext?.code }).toEqual({ role, code: 'FORBIDDEN' });
        expect(sorted(ext?.requiredRoles)).toEqual(sorted(spec.roles));
      }
    }
  });

  it('Admin agent sees ACR on the Azure usage report (billing role), equal to the usage files; Account admin does not (no revenue role)', async () => {
    const partner = env.summary.partners[0];
    const model = env.models.get(partner.id)!;
    const range = months(nextMonth(model.lastMonth, -11), model.lastMonth);
    const q = `{ azureUsageReport { azureConsumedRevenue { value } } }`;
    const agent = await gql(env.server.graphqlUrl, await token(partner.id, ['Admin agent']), q);
    expect(agent.body.errors).toBeUndefined();
    expect(agent.body.data.azureUsageReport.azureConsumedRevenue.value).toBe(model.kpi('azureConsumedRevenue', range, {}, null, 'sum').value);
    const account = await gql(env.server.graphqlUrl, await token(partner.id, ['Account admin']), q);
    expect(account.body.data.azureUsageReport.azureConsumedRevenue).toBeNull();
    expect(account.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: expect.arrayContaining(['Executive report viewer']) });
  });

  it('metric(name:) follows the report: Admin agent reads subscriptionsAdded, not customers', async () => {
    const partner = env.summary.partners[0];
    const model = env.models.get(partner.id)!;
    const range = months(nextMonth(model.lastMonth, -11), model.lastMonth);
    const bearer = await token(partner.id, ['Admin agent']);
    const added = await gql(env.server.graphqlUrl, bearer, `{ metric(name: "subscriptionsAdded") { value } }`);
    expect(added.body.errors).toBeUndefined();
    expect(added.body.data.metric.value).toBe(model.kpi('subscriptionsAdded', range, {}, null, 'sum').value);
    const customers = await gql(env.server.graphqlUrl, bearer, `{ metric(name: "customers") { value } }`);
    expect(customers.body.data.metric).toBeNull();
    expect(sorted(customers.body.errors?.[0].extensions?.requiredRoles)).toEqual(sorted(INSIGHTS_DASHBOARD));
  });
});

describe('Download reports: only executive report viewers (and Global admin) download', () => {
  it('every report of the hub: 200 for the downloading roles, 403 naming them for the others (Report viewer, MPN partner admin included)', async () => {
    const partner = env.summary.partners[0];
    for (const role of PARTNER_ROLES) {
      const response = await fetch(`${env.server.url}/exports/partner-profile.csv`, { headers: { authorization: `Bearer ${await token(partner.id, [role])}` } });
      const body = await response.text();
      if (DOWNLOAD.includes(role)) {
        expect({ role, status: response.status }).toEqual({ role, status: 200 });
        expect(body.split('\n')[0]).toMatch(/PartnerId|Partner/);
      } else {
        expect({ role, status: response.status }).toEqual({ role, status: 403 });
        expect(sorted(JSON.parse(body).requiredRoles)).toEqual(sorted(DOWNLOAD));
      }
    }
    // A report without revenue or personal data is no exception for a Report viewer.
    const viewer = await token(partner.id, ['Report viewer']);
    const license = await fetch(`${env.server.url}/exports/office365-license-usage.csv?range=3m`, { headers: { authorization: `Bearer ${viewer}` } });
    expect(license.status).toBe(403);
    await license.arrayBuffer();
  });

  it('the hub lists the reports to a Report viewer (an appropriate role of the page), none of them to generate', async () => {
    const partner = env.summary.partners[0];
    const q = `{ reportTypes { name canGenerate requiredRoles } }`;
    const asViewer = (await gql(env.server.graphqlUrl, await token(partner.id, ['Report viewer']), q)).body.data.reportTypes as any[];
    const asExec = (await gql(env.server.graphqlUrl, await token(partner.id, ['Executive report viewer']), q)).body.data.reportTypes as any[];
    for (const d of REPORT_DATASETS) {
      expect({ name: d.name, canGenerate: asViewer.find((t) => t.name === d.name)?.canGenerate }).toEqual({ name: d.name, canGenerate: false });
      expect({ name: d.name, canGenerate: asExec.find((t) => t.name === d.name)?.canGenerate }).toEqual({ name: d.name, canGenerate: true });
      expect(asViewer.find((t) => t.name === d.name).requiredRoles).not.toContain('Report viewer');
    }
    const generate = await gql(env.server.graphqlUrl, await token(partner.id, ['Report viewer']), `mutation { generateReport(input: { report: "partner-profile" }) { report } }`);
    expect(generate.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
