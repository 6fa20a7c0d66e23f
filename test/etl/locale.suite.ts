import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFiles } from '../../etl/load';
import { LICENSE_HEADERS, PARTNER, USAGE_HEADERS, dataCounts, licenseLine, rowsFor, etlWorkspace, usageLine, writeCsv, writeUsageFile } from './helpers';

describe('ETL: files saved in other locales or re-saved by Excel ("Fix formatting issues")', () => {
  const ws = etlWorkspace();

  const usage = () =>
    ws.db.all<{ usage_date: string; unit_price: string; quantity: string; billing_pre_tax_total: string; customer_id: string }>(
      `SELECT customer_id, usage_date, unit_price, quantity, billing_pre_tax_total FROM billing_usage_lines ORDER BY usage_date, customer_id`,
    );

  it('reads a semicolon-delimited file with decimal commas right and says what it detected', async () => {
    const path = writeUsageFile(
      ws.dir,
      'usage-de.csv',
      [
        usageLine(0, { UnitPrice: '0,096', Quantity: '24', BillingPreTaxTotal: '2,30', UsageDate: '1/2/2024' }),
        usageLine(1, { UnitPrice: '4,00', Quantity: '1234,5', BillingPreTaxTotal: '4938,00', UsageDate: '1/3/2024' }),
      ],
      { delimiter: ';' },
    );
    const [r] = await loadFiles(ws.db, [path]);
    expect(r.status).toBe('loaded');
    expect(r.rowsQuarantined).toBe(0);
    expect(r.notice).toMatch(/^detected semicolon-delimited file, decimal commas .*\(saved in a non en-US locale\); read with delimiter ';' and decimal separator ','/);
    expect(await usage()).toEqual([
      { customer_id: 'cust-0', usage_date: '2024-01-02', unit_price: '0.096000', quantity: '24.000000', billing_pre_tax_total: '2.300000' },
      { customer_id: 'cust-1', usage_date: '2024-01-03', unit_price: '4.000000', quantity: '1234.500000', billing_pre_tax_total: '4938.000000' },
    ]);
    const load = await ws.db.one<{ detected: string; message: string }>(`SELECT detected, message FROM etl_loads WHERE load_id = ${r.loadId}`);
    expect(load?.detected).toContain("delimiter=';'");
    expect(load?.detected).toContain("decimal=','");
    expect(load?.message).toBe(r.notice);
  });

  it("reads '1.234,56' (dot thousands, decimal comma) as 1234.56", async () => {
    const path = writeUsageFile(ws.dir, 'usage-de2.csv', [usageLine(0, { BillingPreTaxTotal: '1.234,56', UnitPrice: '0,5', Quantity: '2469,12' }),
      usageLine(1, { BillingPreTaxTotal: '7,25', UnitPrice: '0,25', Quantity: '29' }),], {
      delimiter: ';',
    });
    const [r] = await loadFiles(ws.db, [path]);
    expect(r.rowsLoaded).toBe(2);
    expect(r.notice).toMatch(/'\.' thousands separators/);
    expect((await usage()).map((u) => u.billing_pre_tax_total).sort()).toEqual(['1234.560000', '7.250000']);
  });

  it("reads en-US thousands separators ('1,234.56', quoted) in a comma file", async () => {
    const path = writeUsageFile(ws.dir, 'usage-us.csv', [usageLine(0, { BillingPreTaxTotal: '"1,234.56"' }), usageLine(1, { BillingPreTaxTotal: '7.25' })]);
    const [r] = await loadFiles(ws.db, [path]);
    expect(r.rowsLoaded).toBe(2);
    expect((await usage()).map((u) => u.billing_pre_tax_total).sort()).toEqual(['1234.560000', '7.250000']);
  });

  it('reads day-first dates (a first part over 12) as D/M/YYYY and says so', async () => {
    const path = writeUsageFile(ws.dir, 'usage-gb.csv', [
      usageLine(0, { UsageDate: '13/01/2024', ChargeStartDate: '01/01/2024', ChargeEndDate: '31/01/2024' }),
      usageLine(1, { UsageDate: '02/01/2024', ChargeStartDate: '01/01/2024', ChargeEndDate: '31/01/2024' }),
    ]);
    const [r] = await loadFiles(ws.db, [path]);
    expect(r.status).toBe('loaded');
    expect(r.rowsQuarantined).toBe(0);
    expect(r.notice).toMatch(/^detected day-first dates \(\w+ '(13|31)\/01\/2024'\).*; read with dates as D\/M\/YYYY$/);
    expect((await usage()).map((u) => u.usage_date)).toEqual(['2024-01-02', '2024-01-13']);
    expect(await ws.db.all(`SELECT DISTINCT charge_end_date FROM billing_usage_lines`)).toEqual([{ charge_end_date: '2024-01-31' }]);
  });

  it('loads a UTF-8 file with a BOM and CRLF line ends, values intact', async () => {
    const path = writeUsageFile(ws.dir, 'usage-bom.csv', [usageLine(0), usageLine(1, { BillingCurrency: 'EUR' })], { bom: true, crlf: true });
    const [r] = await loadFiles(ws.db, [path]);
    expect(r.status).toBe('loaded');
    expect(r.rowsLoaded).toBe(2);
    expect(r.detected).toMatch(/bom/);
    expect(r.detected).toMatch(/crlf/);
    const rows = await ws.db.all<{ partner_id: string; billing_currency: string }>(
      `SELECT partner_id, billing_currency FROM billing_usage_lines ORDER BY billing_currency`,
    );
    expect(rows).toEqual([
      { partner_id: PARTNER, billing_currency: 'EUR' },
      { partner_id: PARTNER, billing_currency: 'USD' },
    ]);
  });

  it('reads dates Excel wrote with a time of day ("1/5/2024 0:00") and ignores the empty rows it leaves', async () => {
    const headers = USAGE_HEADERS;
    const rows = rowsFor(headers, [usageLine(0, { UsageDate: '1/5/2024 0:00' }), usageLine(1, { UsageDate: '1/16/2024 0:00' })]);
    const path = writeCsv(ws.dir, 'usage-excel.csv', headers, [...rows, headers.map(() => '')], { crlf: true });
    const [r] = await loadFiles(ws.db, [path]);
    expect(r.rowsLoaded).toBe(2);
    expect(r.rowsSkipped).toBe(1);
    expect(r.rowsQuarantined).toBe(0);
    expect((await usage()).map((u) => u.usage_date)).toEqual(['2024-01-05', '2024-01-16']);
  });

  it('rejects an Excel re-save that turned identifiers into scientific notation, saying so', async () => {
    const before = await dataCounts(ws.db);
    const path = writeUsageFile(ws.dir, 'usage-sci.csv', [usageLine(0, { SubscriptionId: '1.23457E+11' }), usageLine(1)]);
    const [r] = await loadFiles(ws.db, [path]);
    expect(r.status).toBe('rejected');
    expect(r.message).toMatch(/detected an Excel re-save: SubscriptionId holds '1\.23457E\+11' \(scientific notation\)/);
    expect(await dataCounts(ws.db)).toEqual(before);
  });

  it('loads hex identifiers that merely look like exponents (8e8919509086), which Excel never writes', async () => {
    const path = writeUsageFile(ws.dir, 'usage-hex.csv', [usageLine(0, { SubscriptionId: '8e8919509086' }), usageLine(1, { SubscriptionId: '1e5' })]);
    const [r] = await loadFiles(ws.db, [path]);
    expect(r.status).toBe('loaded');
    expect(r.rowsLoaded).toBe(2);
    expect((await ws.db.all(`SELECT subscription_id FROM billing_usage_lines ORDER BY 1`)).map((x) => x.subscription_id)).toEqual(['1e5', '8e8919509086']);
  });

  it('reads a Windows-1252 (Excel "CSV") file', async () => {
    const headers = LICENSE_HEADERS;
    const rows = rowsFor(headers, [licenseLine(1, { CustomerName: 'Müller Bäckerei GmbH' }), licenseLine(2)]);
    const text = [headers.join(','), ...rows.map((x) => x.join(','))].join('\r\n') + '\r\n';
    const path = join(ws.dir, 'G000000005_License.csv');
    writeFileSync(path, Buffer.from(text, 'latin1'));
    const [r] = await loadFiles(ws.db, [path]);
    expect(r.status).toBe('loaded');
    expect(r.detected).toMatch(/encoding=latin-1/);
    expect(await ws.db.one(`SELECT customer_name FROM billing_license_lines WHERE customer_name LIKE 'M%'`)).toEqual({ customer_name: 'Müller Bäckerei GmbH' });
  });

  it('reads a tab-separated file', async () => {
    const path = writeUsageFile(ws.dir, 'usage.tsv', [usageLine(0), usageLine(1)], { delimiter: '\t' });
    const [r] = await loadFiles(ws.db, [path]);
    expect(r.rowsLoaded).toBe(2);
    expect(r.notice).toBeUndefined();
  });
});
