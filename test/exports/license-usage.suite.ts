import { join } from 'node:path';
import { readCsv } from '../insights/model';
import { demoData } from '../support/data-sets';
import { startExportsEnv, type ExportsEnv } from './env';
import { readWithDuckDb, saveBody } from './read-back';

/**
 * The "<product> - License usage" downloads (reference line 16910: "active entitlements, qualified
 * entitlements and so on"), read back with DuckDB and recomputed from the generated files with the
 * reference's terms (line 15316): an entitlement is a license a user is entitled to use (assigned);
 * active means used in the last 28 calendar days; deployment % = assigned / sold; usage % = active
 * entitlements / total entitlements. Qualified entitlements are those of paid (not trial) subscriptions.
 */
let env: ExportsEnv;
beforeAll(async () => {
  env = await startExportsEnv();
}, 180_000);
afterAll(() => env?.close());

const pct = (a: number, b: number) => (b > 0 ? Math.round((a * 10000) / b) / 100 : null);

test('office365-license-usage: active entitlements are the users active in 28 days, not the licenses sold; qualified, deployment and usage as documented', async () => {
  const partner = env.summary.partners[0];
  const bearer = await env.token(partner.id, ['Executive report viewer']);
  const response = await env.download('office365-license-usage.csv?range=lifetime', bearer);
  expect(response.status).toBe(200);
  const rows = await readWithDuckDb(env.warehouse, await saveBody(response, env.dir, 'o365.csv'), 'csv');

  const dir = join((await demoData()).files, partner.slug);
  const trial = new Set(readCsv(join(dir, 'subscriptions.csv')).filter((s) => s.IsTrial === 'true').map((s) => s['Subscription ID']));
  const expected = new Map<string, Record<string, unknown>>();
  for (const l of readCsv(join(dir, 'license-usage.csv'))) {
    if (!['Office 365', 'Microsoft 365'].includes(l.ProductFamily)) continue;
    const [sold, assigned, active] = [Number(l.LicensesPurchased), Number(l.LicensesAssigned), Number(l.ActiveUsers28Days)];
    expected.set(`${l.Month.slice(0, 7)}|${l.SubscriptionId}|${l.SkuName}`, {
      ActiveEntitlements: active,
      AssignedLicenses: assigned,
      LicensesPurchased: sold,
      QualifiedEntitlements: trial.has(l.SubscriptionId) ? 0 : assigned,
      DeploymentPercent: pct(assigned, sold),
      UsagePercent: pct(active, assigned),
    });
  }
  const got = new Map<string, Record<string, unknown>>();
  for (const r of rows) {
    got.set(`${String(r.Month).slice(0, 7)}|${r.SubscriptionId}|${r.SkuName}`, {
      ActiveEntitlements: Number(r.ActiveEntitlements),
      AssignedLicenses: Number(r.AssignedLicenses),
      LicensesPurchased: Number(r.LicensesPurchased),
      QualifiedEntitlements: Number(r.QualifiedEntitlements),
      DeploymentPercent: r.DeploymentPercent === null || r.DeploymentPercent === '' ? null : Number(r.DeploymentPercent),
      UsagePercent: r.UsagePercent === null || r.UsagePercent === '' ? null : Number(r.UsagePercent),
    });
  }
  expect(got.size).toBeGreaterThan(100);
  expect(got).toEqual(expected);
  // The fix is visible in the data: active entitlements differ from the licenses sold on most rows.
  expect([...got.values()].filter((r) => r.ActiveEntitlements !== r.LicensesPurchased).length).toBeGreaterThan(got.size / 2);
});
