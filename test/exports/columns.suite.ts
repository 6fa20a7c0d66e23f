import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { DATASETS, exportToFile, resolveExportRange } from '../../warehouse/exports';
import type { Dataset } from '../../warehouse/exports';
import { startExportsEnv, type ExportsEnv } from './env';

/**
 * The column contract: for every dataset, the columns its query actually returns (DuckDB DESCRIBE)
 * equal the declared ones, name for name, type for type, in order. A BI model built on the README's
 * column lists depends on this.
 */
let env: ExportsEnv;
beforeAll(async () => {
  env = await startExportsEnv();
}, 180_000);
afterAll(() => env?.close());

const ALL_ROLES = ['Global admin'] as const;

async function describe_(dataset: Dataset, splitBy: string | null = null): Promise<{ name: string; type: string }[]> {
  const caller = env.caller(env.partners[0], [...ALL_ROLES]);
  const range = await resolveExportRange(env.warehouse, caller, dataset, { dataset: dataset.name, format: 'csv', range: { kind: 'LIFETIME' } });
  const query = await dataset.query({ caller, range, filters: {}, splitBy: splitBy as never, db: env.warehouse });
  const { text, params } = query.toQuery();
  const rows = await env.warehouse.all<{ column_name: string; column_type: string }>(`DESCRIBE ${text}`, params);
  return rows.map((r) => ({ name: r.column_name, type: r.column_type }));
}

test('there is a dataset for every Download reports report the issue lists, FOCUS, usage lines and every Insights metric', () => {
  const names = DATASETS.map((d) => d.name);
  for (const name of [
    'partner-profile', 'customer-details', 'subscription-details', 'azure-usage', 'office365-license-usage',
    'enterprise-mobility-license-usage', 'dynamics365-license-usage', 'power-bi-license-usage', 'trainings', 'microsoft-learn', 'referrals',
    'pci-details', 'usage-lines', 'focus', 'insights.customers', 'insights.azureConsumedRevenue',
  ]) {
    expect(names).toContain(name);
  }
});

test.each(DATASETS.map((d) => [d.name, d] as const))('%s: the query returns exactly the declared columns and types', async (_name, dataset) => {
  expect(await describe_(dataset)).toEqual(dataset.columns.map((c) => ({ name: c.name, type: c.type })));
});

test('an Insights dataset split by a dimension keeps the same columns', async () => {
  const dataset = DATASETS.find((d) => d.name === 'insights.subscriptions')!;
  expect(await describe_(dataset, 'productFamily')).toEqual(dataset.columns.map((c) => ({ name: c.name, type: c.type })));
});

test('every dataset exports, and every report has rows for at least one demo partner', async () => {
  const emptyFor = env.partners.map(() => new Set<string>());
  for (const [i, partner] of env.partners.entries()) {
    const caller = env.caller(partner, ['Global admin']);
    for (const dataset of DATASETS) {
      const file = join(env.dir, `${dataset.name}.parquet`);
      const range = dataset.timeframe.kind === 'none' ? null : ({ kind: 'LIFETIME' } as const);
      const result = await exportToFile(env.warehouse, caller, { dataset: dataset.name, format: 'parquet', range }, file);
      const [{ n }] = await env.warehouse.all<{ n: string }>(`SELECT count(*)::VARCHAR AS n FROM read_parquet('${file}')`);
      expect(Number(n)).toBe(result.rows);
      if (result.rows === 0) emptyFor[i].add(dataset.name);
      rmSync(file);
    }
  }
  const emptyForAll = [...emptyFor[0]].filter((name) => emptyFor.every((set) => set.has(name)));
  // An Insights metric may be zero-row only when its fact is empty, a license usage report only when
  // the small demo set sold none of its product (checked); every other report has data.
  const [{ ems }] = await env.warehouse.all<{ ems: string }>(
    `SELECT count(*)::VARCHAR AS ems FROM license_usage WHERE product_family = 'Enterprise Mobility + Security'`,
  );
  const allowed = ems === '0' ? ['enterprise-mobility-license-usage'] : [];
  expect(emptyForAll.filter((n) => !n.startsWith('insights.') && !allowed.includes(n))).toEqual([]);
}, 180_000);
