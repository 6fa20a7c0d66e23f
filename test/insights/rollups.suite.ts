import { readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { loadFile } from '../../etl/load';
import { gql, token } from '../gateway/harness';
import { startInsightsEnv, type InsightsEnv } from './env';
import { PartnerModel, cents, fromCents, monthKey, parseCsv, readCsv, usageFilesOf } from './model';

/**
 * The rollups stay right when a corrected file replaces earlier rows: a daily-usage recon file for
 * the same invoice (lines changed and dropped) and a subscriptions export with changed statuses.
 * Expectations: the JavaScript model over the files as they now stand.
 */
let env: InsightsEnv;
beforeAll(async () => {
  delete process.env.PI_TODAY;
  env = await startInsightsEnv({ ownFiles: true });
}, 120_000);
afterAll(async () => env?.close());

function writeCsv(path: string, rows: Record<string, string>[], header: string[]) {
  const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  writeFileSync(path, [header.join(','), ...rows.map((r) => header.map((h) => q(r[h] ?? '')).join(','))].join('\n') + '\n');
}

async function acrByMonth(partnerId: string): Promise<Record<string, string>> {
  const rows = await env.warehouse.all<{ m: string; acr: string }>(
    `SELECT strftime(month, '%Y-%m') AS m, sum(acr_usd)::DECIMAL(18,2)::VARCHAR AS acr FROM insights_usage_monthly WHERE partner_id = $1 GROUP BY 1 ORDER BY 1`,
    [partnerId],
  );
  return Object.fromEntries(rows.map((r) => [r.m, r.acr]));
}

function expectedAcrByMonth(files: string[], partnerId: string): Record<string, string> {
  const out = new Map<string, bigint>();
  for (const l of files.flatMap((f) => readCsv(f)).filter((l) => l.PartnerId === partnerId)) {
    const m = monthKey(l.UsageDate);
    out.set(m, (out.get(m) ?? 0n) + cents(l.PricingPreTaxTotal));
  }
  return Object.fromEntries([...out.entries()].sort().map(([m, c]) => [m, fromCents(c)]));
}

it('starts equal to the usage files', async () => {
  for (const p of env.summary.partners) {
    expect(await acrByMonth(p.id)).toEqual(expectedAcrByMonth(usageFilesOf(env.partnerDir(p.id)), p.id));
  }
});

it('a corrected usage file for the same invoice replaces its rollup rows (and only those)', async () => {
  const p = env.summary.partners[0];
  const dir = env.partnerDir(p.id);
  const files = usageFilesOf(dir);
  // The invoice with the most lines.
  const sizes = files.map((f) => ({ f, rows: readCsv(f) })).sort((a, b) => b.rows.length - a.rows.length);
  const { f: original, rows } = sizes[0];
  const header = readFileSync(original, 'utf8').split(/\r?\n/)[0].split(',');
  const corrected = rows
    .filter((_, i) => i % 3 !== 0)
    .map((r, i) => (i % 2 === 0 ? { ...r, PricingPreTaxTotal: fromCents(cents(r.PricingPreTaxTotal) + 1234n), BillingPreTaxTotal: r.BillingPreTaxTotal } : r));
  const correctedPath = join(env.dir, `corrected-${basename(original)}`);
  writeCsv(correctedPath, corrected, header);
  const result = await loadFile(env.warehouse, correctedPath);
  expect(result.status).toBe('loaded');
  expect(result.rowsReplaced).toBe(rows.length);

  const nowFiles = [...files.filter((f) => f !== original), correctedPath];
  expect(await acrByMonth(p.id)).toEqual(expectedAcrByMonth(nowFiles, p.id));
  // The other partner is untouched.
  const other = env.summary.partners[1];
  expect(await acrByMonth(other.id)).toEqual(expectedAcrByMonth(usageFilesOf(env.partnerDir(other.id)), other.id));

  // And the API reads the corrected rollup.
  const model = new PartnerModel(p.id, dir, nowFiles);
  const res = await gql(env.server.graphqlUrl, await token(p.id, ['Executive report viewer']), `{ azureUsageReport(range: { kind: LIFETIME }) { azureConsumedRevenue { value series { month value } } } }`);
  expect(res.body.errors).toBeUndefined();
  const series = res.body.data.azureUsageReport.azureConsumedRevenue.series as { month: string; value: string }[];
  for (const point of series) expect(point.value).toBe(model.monthly('azureConsumedRevenue', point.month, {}, null));
});

it('a corrected subscriptions export rebuilds the partner\'s subscription months', async () => {
  const p = env.summary.partners[1];
  const dir = env.partnerDir(p.id);
  const path = join(dir, 'subscriptions.csv');
  const text = readFileSync(path, 'utf8');
  const header = text.split(/\r?\n/)[0].split(',');
  const subs = parseCsv(text);
  let changed = 0;
  const corrected = subs.map((s) => {
    if (s.Status === 'Active' && changed < 3) {
      changed++;
      return { ...s, Status: 'Disabled' };
    }
    return s;
  });
  expect(changed).toBe(3);
  // The corrected export replaces the original (same directory layout, so the model reads it too).
  writeCsv(path, corrected, header);
  const result = await loadFile(env.warehouse, path);
  expect(result.status).toBe('loaded');

  const model = new PartnerModel(p.id, dir, usageFilesOf(dir));
  const rows = await env.warehouse.all<{ subscription_id: string; m: string; state: string; is_new: boolean; churned: boolean }>(
    `SELECT subscription_id, strftime(month, '%Y-%m') AS m, state, is_new, churned FROM insights_subscription_months WHERE partner_id = $1`,
    [p.id],
  );
  const actual = rows.map((r) => `${r.subscription_id}|${r.m}|${r.state}|${r.is_new}|${r.churned}`).sort();
  const expected = model.subMonths.map((r) => `${r.subscriptionId}|${r.month}|${r.state}|${r.isNew}|${r.churned}`).sort();
  expect(actual).toEqual(expected);
  const res = await gql(env.server.graphqlUrl, await token(p.id, ['Report viewer']), `{ subscriptionsReport { breakdowns { metric dimension items { key value } } } }`);
  const states = res.body.data.subscriptionsReport.breakdowns.find((b: any) => b.dimension === 'STATE');
  const disabled = states.items.find((i: any) => i.key === 'Disabled');
  expect(Number(disabled.value)).toBeGreaterThanOrEqual(3);
  expect(disabled.value).toBe(model.monthly('subscriptions', model.lastMonth, {}, null, (r: any) => r.state, 'Disabled'));
  // Suspended and Expired are not in the documented distribution: they count under Others.
  expect(states.items.map((i: any) => i.key).every((k: string) => ['Active', 'Disabled', 'Deprovisioned', 'Open', 'InGracePeriod', 'Closed', 'Others'].includes(k))).toBe(true);
});

it('converts usage priced in another currency to USD with the partner\'s fx rate (tolerance 0.01 USD per month)', async () => {
  const { writeDailyUsageCsv } = await import('../../etl/generate/usage');
  const partnerId = 'fxfxfxfx-0000-4000-8000-000000000001';
  const path = join(env.dir, 'G999_DailyRatedUsage.csv');
  const written = await writeDailyUsageCsv({
    path,
    rows: 500,
    seed: 3,
    invoiceNumber: 'G999000001',
    partnerId,
    pricingCurrency: 'EUR',
    billingCurrency: 'EUR',
    periodStart: '2026-09-01',
    periodEnd: '2026-09-30',
  });
  // 1 USD = 0.8 EUR from 2026-01-01, so USD = EUR / 0.8.
  await env.warehouse.run(`INSERT INTO fx_rates (partner_id, rate_date, from_currency, to_currency, rate) VALUES ($1, DATE '2026-01-01', 'USD', 'EUR', 0.8)`, [partnerId]);
  const result = await loadFile(env.warehouse, path);
  expect(result.status).toBe('loaded');
  const [row] = await env.warehouse.all<{ acr: string }>(`SELECT sum(acr_usd)::VARCHAR AS acr FROM insights_usage_monthly WHERE partner_id = $1`, [partnerId]);
  const expectedCents = (cents(written.pricingPreTaxTotal!) * 10n) / 8n;
  expect(Math.abs(Number(cents(Number(row.acr).toFixed(2)) - expectedCents))).toBeLessThanOrEqual(1);
});
