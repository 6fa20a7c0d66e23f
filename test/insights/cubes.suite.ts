import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Caller } from '../../core/caller';
import { query } from '../../core/sql';
import { loadFile } from '../../etl/load';
import { compileMetrics, dataMonths, resolveRange, type InsightsFilters, type MetricRequest } from '../../warehouse/insights/compile';
import { CUBE_TABLES } from '../../warehouse/insights/cubes';
import { DIMENSIONS, type Dimension } from '../../warehouse/insights/facts';
import { METRICS } from '../../warehouse/insights/metrics';
import { startInsightsEnv, type InsightsEnv } from './env';
import { readCsv } from './model';

/**
 * The rollups (cubes and customer counts, warehouse/insights/cubes.ts) give exactly what the same
 * metrics give over the fact rows, for every metric that reads them, every split and the page
 * filters, for a whole-organization caller and a one-location caller; and a load of a dimension
 * file (customers) refreshes them. Both sides run on the real warehouse loaded through the ETL.
 */
let env: InsightsEnv;
beforeAll(async () => {
  delete process.env.PI_TODAY;
  env = await startInsightsEnv();
}, 120_000);
afterAll(async () => env?.close());

type Row = { req: number; dim: string; month: string; value: string; range_value: string; growth: number | null; change: number | null };

/**
 * Both sides of the requests, 50 requests a statement: planning a statement of ~300 requests took
 * longer than planning six of 50 (the 287 requests of a case: ~40 % of the time).
 */
async function both(caller: Caller, requests: MetricRequest[]): Promise<{ rollup: Row[]; fact: Row[] }> {
  const rollup: Row[] = [];
  const fact: Row[] = [];
  for (let i = 0; i < requests.length; i += 50) {
    const chunk = requests.slice(i, i + 50);
    // compileMetrics numbers its rows by the request's index in the chunk: renumbered as in the whole list.
    const renumber = (rows: Row[]) => rows.map((r) => ({ ...r, req: Number(r.req) + i }));
    rollup.push(...renumber(await query<Row & Record<string, unknown>>(env.warehouse, compileMetrics(caller, chunk))));
    fact.push(...renumber(await query<Row & Record<string, unknown>>(env.warehouse, compileMetrics(caller, chunk, { rollups: false }))));
  }
  return { rollup, fact };
}

/**
 * The same rows in the same order, compared as JSON text (both sides come from the same columns, so
 * their keys are in the same order); only a difference goes through toEqual, for its diff: a deep
 * toEqual of ~40,000 rows was a good part of the suite's time.
 */
function expectSameRows(rollup: Row[], fact: Row[]): void {
  if (JSON.stringify(rollup) !== JSON.stringify(fact)) expect(rollup).toEqual(fact);
}

async function firstValue(partnerId: string, sqlText: string): Promise<string> {
  const [row] = await env.warehouse.all<{ v: string }>(sqlText, [partnerId]);
  return row.v;
}

describe('rollups equal the facts', () => {
  const rollupMetrics = METRICS.filter((m) => m.rollupMeasure);

  it('covers the report metrics', () => {
    for (const name of ['customers', 'activeCustomers', 'customersAdded', 'subscriptions', 'activeSubscriptions', 'licenses', 'licensesAdded', 'azureConsumedRevenue']) {
      expect(rollupMetrics.map((m) => m.name)).toContain(name);
    }
  });

  it('holds rows for both partners after the loads', async () => {
    for (const table of CUBE_TABLES) {
      for (const p of env.summary.partners) {
        expect(Number(await firstValue(p.id, `SELECT count(*)::VARCHAR AS v FROM ${table} WHERE partner_id = $1`))).toBeGreaterThan(0);
      }
    }
  });

  it('every metric, unsplit and by every dimension, with the page filters, whole organization and one location', async () => {
    let compared = 0;
    for (const p of env.summary.partners) {
      const family = await firstValue(p.id, `SELECT product_family AS v FROM insights_subscription_cube WHERE partner_id = $1 AND product_family <> 'Azure' GROUP BY 1 ORDER BY sum(subscriptions) DESC LIMIT 1`);
      const country = await firstValue(p.id, `SELECT country AS v FROM customers WHERE partner_id = $1 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
      const segment = await firstValue(p.id, `SELECT segment AS v FROM customers WHERE partner_id = $1 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
      const location = await firstValue(p.id, `SELECT mpn_id AS v FROM subscriptions WHERE partner_id = $1 AND mpn_id IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`);
      const filterSets: (InsightsFilters | null)[] = [
        null,
        { productFamilies: [family] },
        { productFamilies: ['Azure'] },
        { locationMpnIds: [location] },
        { customerCountries: [country], segments: [segment] },
        { productFamilies: [family], customerCountries: [country] },
        { attributionTypes: ['CSP'] },
        { salesChannels: ['Direct'] },
      ];
      const org: Caller = { partnerId: p.id, roles: ['Executive report viewer'] as Caller['roles'], locations: null };
      const oneLocation: Caller = { ...org, locations: [location] };
      // Each case is one statement per side; the fact side is slow, so the combinations are chosen:
      // every filter set for the first partner's organization, the customer-count variants for one
      // location, a relative range for the second partner.
      const cases: [Caller, 'LIFETIME' | 'LAST_6_MONTHS', (InsightsFilters | null)[]][] =
        p === env.summary.partners[0]
          ? [
              [org, 'LIFETIME', filterSets],
              [oneLocation, 'LIFETIME', [null, { productFamilies: [family] }, { customerCountries: [country], segments: [segment] }]],
            ]
          : [[org, 'LAST_6_MONTHS', [null, { productFamilies: [family], customerCountries: [country] }]]];
      for (const [caller, kind, filtersList] of cases) {
        const months = await dataMonths(env.warehouse, caller);
        const range = resolveRange({ kind }, months.asOf, months.firstMonth);
        for (const filters of filtersList) {
          const requests: MetricRequest[] = [];
          for (const metric of rollupMetrics) {
            for (const splitBy of [null, ...DIMENSIONS.filter((d: Dimension) => metric.dimensions.includes(d))]) requests.push({ metric, range, filters, splitBy });
          }
          const { rollup, fact } = await both(caller, requests);
          expect(rollup.length).toBeGreaterThan(0);
          expectSameRows(rollup, fact);
          compared += rollup.length;
        }
      }
    }
    expect(compared).toBeGreaterThan(10_000);
    // About 140 s alone on 2 cores, 300 s beside another suite on a busy machine: room for both.
  }, 600_000);

  it('a customers file that moves a customer to another country refreshes the rollups (the country breakdown follows)', async () => {
    const p = env.summary.partners[0];
    const caller: Caller = { partnerId: p.id, roles: ['Executive report viewer'] as Caller['roles'], locations: null };
    const customersFile = join(env.partnerDir(p.id), 'customers.csv');
    const rows = readCsv(customersFile);
    expect(rows.length).toBeGreaterThan(0);
    const header = Object.keys(rows[0]);
    const countryColumn = header.find((h) => h === 'Country') ?? header.find((h) => /country/i.test(h))!;
    const moved = rows.map((r, i) => (i % 2 === 0 ? { ...r, [countryColumn]: 'ZZ' } : r));
    const corrected = join(env.dir, 'customers-moved.csv');
    const q = (v: string) => (/[",\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
    writeFileSync(corrected, [header.join(','), ...moved.map((r) => header.map((h) => q(r[h] ?? '')).join(','))].join('\n') + '\n');
    const result = await loadFile(env.warehouse, corrected);
    expect(result.status).toBe('loaded');
    const months = await dataMonths(env.warehouse, caller);
    const range = resolveRange({ kind: 'LIFETIME' }, months.asOf, months.firstMonth);
    const metric = METRICS.find((m) => m.name === 'customers')!;
    const subs = METRICS.find((m) => m.name === 'subscriptions')!;
    const requests: MetricRequest[] = [
      { metric, range, splitBy: 'country' },
      { metric: subs, range, splitBy: 'country' },
    ];
    const { rollup, fact } = await both(caller, requests);
    expect(rollup.some((r) => r.dim === 'ZZ' && r.value !== '0')).toBe(true);
    expectSameRows(rollup, fact);
  }, 120_000);
});
