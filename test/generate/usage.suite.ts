import { createHash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { writeDailyUsageCsv } from '../../etl/generate';
import { dailyUsageReconFormat } from '../../etl/formats/billing';
import { csv, Duck, removeDir, tempDir } from './support';

const sha = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('writeDailyUsageCsv', () => {
  let dir: string;
  let duck: Duck;
  beforeAll(async () => {
    dir = tempDir('usage');
    duck = await Duck.open();
  });
  afterAll(() => {
    duck?.close();
    removeDir(dir);
  });

  const base = { seed: 42, invoiceNumber: 'G000000042', partnerId: '8ddd0364-2b4a-4c51-9f59-46b58d356b4e', partnerName: 'Contoso Cloud Solutions Inc.' };

  it('is deterministic for a seed and writes the format header', async () => {
    const a = join(dir, 'a.csv');
    const b = join(dir, 'b.csv');
    const c = join(dir, 'c.csv');
    const ra = await writeDailyUsageCsv({ ...base, path: a, rows: 5_000 });
    await writeDailyUsageCsv({ ...base, path: b, rows: 5_000 });
    await writeDailyUsageCsv({ ...base, seed: 43, path: c, rows: 5_000 });
    expect(sha(a)).toEqual(sha(b));
    expect(sha(a)).not.toEqual(sha(c));
    expect(readFileSync(a, 'utf8').split('\n', 1)[0]).toEqual(dailyUsageReconFormat.columns.map((col) => col.header).join(','));
    const totals = await duck.one<{ n: string; total: string }>(`SELECT count(*) AS n, sum(BillingPreTaxTotal::DECIMAL(18,2))::VARCHAR AS total FROM ${csv(a)}`);
    expect(totals).toEqual({ n: '5000', total: ra.billingPreTaxTotal });
  });

  it('converts from the pricing to the billing currency with the documented floor rule', async () => {
    const path = join(dir, 'eur.csv');
    const result = await writeDailyUsageCsv({ ...base, path, rows: 20_000, billingCurrency: 'EUR', pricingCurrency: 'USD', exchangeRate: '0.912345', periodStart: '2026-02-01' });
    const r = await duck.one<Record<string, string>>(`
      SELECT count(*) AS n,
        count(*) FILTER (WHERE BillingPreTaxTotal::DECIMAL(18,6) <> floor(EffectiveUnitPrice::DECIMAL(18,6) * Quantity::DECIMAL(18,6) * PCToBCExchangeRate::DECIMAL(18,6) * 100) / 100) AS bad,
        count(*) FILTER (WHERE BillingCurrency <> 'EUR' OR PricingCurrency <> 'USD' OR PCToBCExchangeRate <> '0.912345') AS bad_currency,
        count(*) FILTER (WHERE strptime(UsageDate, '%m/%d/%Y')::DATE NOT BETWEEN DATE '2026-02-01' AND DATE '2026-02-28') AS bad_date,
        sum(BillingPreTaxTotal::DECIMAL(18,2))::VARCHAR AS total
      FROM ${csv(path)}`);
    expect(r).toEqual({ n: '20000', bad: '0', bad_currency: '0', bad_date: '0', total: result.billingPreTaxTotal });
  });

  it('writes large files in parts, one per thread, joined in order: still deterministic, every row once', async () => {
    const a = join(dir, 'p1.csv');
    const b = join(dir, 'p2.csv');
    await writeDailyUsageCsv({ ...base, path: a, rows: 300_001, threads: 2 });
    await writeDailyUsageCsv({ ...base, path: b, rows: 300_001, threads: 2 });
    expect(sha(a)).toEqual(sha(b));
    const r = await duck.one<Record<string, string>>(`
      SELECT count(*) AS n, count(DISTINCT (SubscriptionId, ResourceURI, UsageDate)) AS distinct_rows,
        count(*) FILTER (WHERE PartnerId = 'PartnerId') AS repeated_headers
      FROM ${csv(a)}`);
    expect(r).toEqual({ n: '300001', distinct_rows: '300001', repeated_headers: '0' });
    removeDir(a);
    removeDir(b);
  }, 120_000);

  it('streams 2,000,000 rows to disk with bounded memory', async () => {
    const path = join(dir, 'big.csv');
    const before = process.memoryUsage().rss;
    let peak = before;
    const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 20);
    try {
      const result = await writeDailyUsageCsv({ ...base, path, rows: 2_000_000 });
      expect(result.rows).toBe(2_000_000);
    } finally {
      clearInterval(timer);
    }
    peak = Math.max(peak, process.memoryUsage().rss);
    // The file is about 1.4 GB; the process grows by a small fraction of it.
    expect(statSync(path).size).toBeGreaterThan(1e9);
    expect((peak - before) / 1e6).toBeLessThan(400);
    const r = await duck.one<{ n: string; bad: string }>(`
      SELECT count(*) AS n,
        count(*) FILTER (WHERE BillingPreTaxTotal::DECIMAL(18,6) <> floor(EffectiveUnitPrice::DECIMAL(18,6) * Quantity::DECIMAL(18,6) * PCToBCExchangeRate::DECIMAL(18,6) * 100) / 100) AS bad
      FROM read_csv('${path}', header = true, all_varchar = true)`);
    expect(r).toEqual({ n: '2000000', bad: '0' });
    removeDir(path);
  }, 240_000);
});
