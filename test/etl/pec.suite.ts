import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFile } from '../../etl/load';
import { PARTNER, USAGE_HEADERS, count, etlWorkspace, usageLine, writeUsageFile } from './helpers';

/**
 * Partner earned credit: "Earned credit will be either 0 or 15 percent" (reference line 10075, the
 * daily-rated usage file's PartnerEarnedCreditPercentage; PEC, line 13579). A line with another
 * percentage is quarantined with the reason, the others load. The expectations are counted here from
 * the lines written, not read from the loader.
 */
type Q = { line_number: string; column_name: string | null; value: string | null; reason: string };

const DOCUMENTED = new Set([0, 15]);

describe('ETL: partner earned credit is 0 or 15 percent', () => {
  const ws = etlWorkspace();
  const quarantine = (loadId?: number) =>
    ws.db.all<Q>(`SELECT line_number, column_name, value, reason FROM etl_quarantine WHERE load_id = ${loadId} ORDER BY CAST(line_number AS INTEGER)`);

  it('quarantines a daily-rated usage line whose PartnerEarnedCreditPercentage is neither 0 nor 15; 0, 15, 15.0 and empty load', async () => {
    const pec = (i: number) => ['15', '0', '15.0', '', '15', '0'][i % 6];
    const bad: Record<number, string> = { 7: '10', 20: '20', 33: '0.15', 38: '-15' };
    const lines = Array.from({ length: 40 }, (_, i) => usageLine(i, { PartnerEarnedCreditPercentage: bad[i] ?? pec(i) }));
    const r = await loadFile(ws.db, writeUsageFile(ws.dir, 'G000000100_DailyRatedUsage.csv', lines, { headers: [...USAGE_HEADERS, 'PartnerEarnedCreditPercentage'] }), {
      maxBadShare: 0.2,
    });

    // Independently: the lines (file line = index + 2) whose value is stated and is not 0 or 15.
    const expected = lines
      .map((l, i) => ({ line: String(i + 2), value: l.PartnerEarnedCreditPercentage }))
      .filter((x) => x.value !== '' && !DOCUMENTED.has(Number(x.value)));
    expect(expected.map((x) => x.value)).toEqual(['10', '20', '0.15', '-15']);
    expect([r.status, r.rowsLoaded, r.rowsQuarantined]).toEqual(['loaded', lines.length - expected.length, expected.length]);

    const q = await quarantine(r.loadId);
    expect(q.map((x) => [x.line_number, x.column_name, Number(x.value)])).toEqual(expected.map((x) => [x.line, 'PartnerEarnedCreditPercentage', Number(x.value)]));
    expect(q[0].reason).toBe(
      'PartnerEarnedCreditPercentage 10 is not a documented partner earned credit ("Earned credit will be either 0 or 15 percent"); allowed: 0 or 15',
    );
    // What loaded holds only the documented percentages (or none stated).
    expect(await count(ws.db, `SELECT count(*) FROM billing_usage_lines WHERE partner_earned_credit_percentage NOT IN (0, 15)`)).toBe(0);
    expect(await count(ws.db, `SELECT count(*) FROM billing_usage_lines WHERE partner_earned_credit_percentage IS NULL`)).toBe(
      lines.filter((l) => l.PartnerEarnedCreditPercentage === '').length,
    );
  });

  it('rejects the file past the bad-row share when too many lines have another percentage', async () => {
    const lines = Array.from({ length: 20 }, (_, i) => usageLine(i, { PartnerEarnedCreditPercentage: i % 4 === 0 ? '12' : '15' }));
    const r = await loadFile(ws.db, writeUsageFile(ws.dir, 'G000000101_DailyRatedUsage.csv', lines, { headers: [...USAGE_HEADERS, 'PartnerEarnedCreditPercentage'] }), {
      maxBadShare: 0.05,
    });
    expect(r.status).toBe('rejected');
    expect(r.message).toMatch(/^5 of 20 rows are bad \(25%\).*PartnerEarnedCreditPercentage 12 is not a documented partner earned credit/s);
    expect(await count(ws.db, `SELECT count(*) FROM billing_usage_lines`)).toBe(0);
  });

  it('reads the API\'s rateOfPartnerEarnedCredit as a rate: 0 and 0.15 load, 0.1 is quarantined', async () => {
    const item = (n: number, rate: number) => {
      const total = Number((0.096 * 24 + n / 100).toFixed(2));
      return {
        partnerId: PARTNER,
        customerId: `cust-${n % 3}`,
        customerName: `Customer ${n % 3}`,
        mpnId: 4512345,
        resellerMpnId: -1,
        invoiceNumber: 'G000200002',
        subscriptionId: `sub-${n % 3}`,
        chargeStartDate: '2024-01-01T00:00:00',
        chargeEndDate: '2024-01-31T00:00:00',
        usageDate: `2024-01-${String(1 + (n % 28)).padStart(2, '0')}T00:00:00`,
        meterCategory: 'Virtual Machines',
        unitOfMeasure: '1 Hour',
        chargeType: 'new',
        unitPrice: 0.096,
        quantity: 24,
        billingPreTaxTotal: total,
        billingCurrency: 'USD',
        pricingPreTaxTotal: total,
        pricingCurrency: 'USD',
        effectiveUnitPrice: Math.ceil((total / 24) * 1e6) / 1e6,
        pcToBCExchangeRate: 1,
        rateOfPartnerEarnedCredit: rate,
        rateOfCredit: rate,
        attributes: { objectType: 'DailyRatedUsageLineItem' },
      };
    };
    const rates = Array.from({ length: 30 }, (_, n) => (n === 11 ? 0.1 : n % 2 ? 0.15 : 0));
    const page = { totalCount: rates.length, items: rates.map((rate, n) => item(n, rate)), links: {}, attributes: { objectType: 'Collection' } };
    const path = join(ws.dir, 'G000200002-usage-lineitems.json');
    writeFileSync(path, JSON.stringify(page, null, 2));
    const r = await loadFile(ws.db, path, { maxBadShare: 0.1 });
    const bad = rates.filter((x) => x !== 0 && x !== 0.15).length;
    expect([r.status, r.format, r.rowsLoaded, r.rowsQuarantined]).toEqual(['loaded', 'daily-usage-recon-json', rates.length - bad, bad]);
    const q = await quarantine(r.loadId);
    expect(q.map((x) => [x.column_name, Number(x.value)])).toEqual([['rateOfPartnerEarnedCredit', 0.1]]);
    expect(q[0].reason).toMatch(/^rateOfPartnerEarnedCredit 0\.1 is not a documented partner earned credit .*; allowed: 0 or 0\.15 \(a rate\)$/);
    // Stored as the files write it: the percentage, 0 or 15.
    const stored = await ws.db.all<{ pec: string; n: string }>(
      `SELECT CAST(partner_earned_credit_percentage AS DOUBLE)::VARCHAR AS pec, count(*)::VARCHAR AS n FROM billing_usage_lines WHERE load_id = ${r.loadId} GROUP BY 1 ORDER BY 1`,
    );
    expect(stored).toEqual([
      { pec: '0.0', n: String(rates.filter((x) => x === 0).length) },
      { pec: '15.0', n: String(rates.filter((x) => x === 0.15).length) },
    ]);
  });
});
