import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFile, loadFiles } from '../../etl/load';
import { printable } from '../../etl/load/text';
import { demoFullLoadResults } from '../support/data-sets';
import { count, dataCounts, etlWorkspace, LICENSE_HEADERS, licenseLine, rowsFor, usageLine, USAGE_HEADERS, writeCsv, writeLicenseFile, writeUsageFile } from './helpers';

type Q = { line_number: string; column_name: string | null; value: string | null; reason: string };

/** 40 license lines, with the given overrides at positions (index 0 = line 2 of the file). */
const licenseLines = (bad: Record<number, Record<string, string>>) => Array.from({ length: 40 }, (_, i) => licenseLine(i, bad[i] ?? {}));

describe('ETL: files checked before they load', () => {
  const ws = etlWorkspace();
  const quarantine = (loadId?: number) =>
    ws.db.all<Q>(`SELECT line_number, column_name, value, reason FROM etl_quarantine WHERE load_id = ${loadId} ORDER BY line_number, column_name, reason`);

  it('rejects a header with a column twice (after normalisation), naming both spellings and positions; nothing loads', async () => {
    const headers = [...LICENSE_HEADERS, 'quantity', 'AMOUNT'];
    const line = licenseLine(1, { UnitPrice: '5.88', Quantity: '24', Amount: '141.12', Subtotal: '141.12', TotalForCustomer: '141.12' });
    const rows = rowsFor(LICENSE_HEADERS, [line]).map((r) => [...r, '1', '2.00']);
    const r = await loadFile(ws.db, writeCsv(ws.dir, 'G000000001_License.csv', headers, rows));
    expect(r.status).toBe('rejected');
    const q = LICENSE_HEADERS.indexOf('Quantity') + 1;
    const a = LICENSE_HEADERS.indexOf('Amount') + 1;
    expect(r.message).toBe(
      `duplicate columns in the header: 'Quantity' (column ${q}) and 'quantity' (column 23); 'Amount' (column ${a}) and 'AMOUNT' (column 24) ` +
        `name the same column once case, spaces, '_' and '-' are ignored; allowed: each column once`,
    );
    expect(await count(ws.db, `SELECT count(*) FROM billing_license_lines`)).toBe(0);
    // Spaces, '_' and '-' too: "Unit Price" and "unit_price" are UnitPrice.
    const spaced = await loadFile(ws.db, writeCsv(ws.dir, 'G000000002_License.csv', [...LICENSE_HEADERS, 'unit_price'], rowsFor(LICENSE_HEADERS, [line]).map((r) => [...r, '9'])));
    expect(spaced.message).toMatch(/^duplicate column in the header: 'UnitPrice' \(column \d+\) and 'unit_price' \(column 23\)/);
  });

  it('quarantines a charge with a negative quantity or amount and a credit with a positive amount; Cycle instance prorate takes either sign', async () => {
    const r = await loadFiles(ws.db, [
      writeLicenseFile(
        ws.dir,
        'G000000001_License.csv',
        licenseLines({
          3: { Quantity: '-5', Amount: '100.00', Subtotal: '100.00', TotalForCustomer: '100.00' },
          4: { ChargeType: 'Cancel fee', UnitPrice: '20', Quantity: '2', Amount: '40.00' },
          5: { ChargeType: 'Cancel fee', UnitPrice: '-20', Quantity: '2', Amount: '-40.00' },
          6: { ChargeType: 'Cycle instance prorate', UnitPrice: '-20', Quantity: '2', Amount: '-40.00' },
        }),
      ),
    ], { maxBadShare: 0.1 });
    expect([r[0].status, r[0].rowsLoaded, r[0].rowsQuarantined]).toEqual(['loaded', 38, 2]);
    expect((await quarantine(r[0].loadId)).map((x) => [x.line_number, x.column_name, x.value, x.reason])).toEqual([
      ['5', 'Quantity', '-5', 'a Cycle fee line is a charge: Quantity -5; allowed: 0 or more'],
      ['6', 'Amount', '40.000000', 'a Cancel fee line is a credit: Amount 40; allowed: 0 or less'],
    ]);
  });

  it('checks a license line for its sign only: legacy license-based amounts have no documented rounding, reconciliation explains them', async () => {
    const r = await loadFile(
      ws.db,
      writeLicenseFile(
        ws.dir,
        'G000000001_License.csv',
        licenseLines({
          1: { UnitPrice: '15.62', Quantity: '2', Amount: '31.25' },
          2: { UnitPrice: '5.88', Quantity: '24', Amount: '2.00' },
          3: { ChargeType: 'Cycle fee', UnitPrice: '5.88', Quantity: '2', Amount: '-11.76' },
        }),
      ),
    );
    expect([r.status, r.rowsLoaded, r.rowsQuarantined]).toEqual(['loaded', 39, 1]);
    expect(r.amountCheck).toBeUndefined();
    expect((await quarantine(r.loadId)).map((q) => [q.line_number, q.column_name, q.reason])).toEqual([
      ['5', 'Amount', 'a Cycle fee line is a charge: Amount -11.76; allowed: 0 or more'],
    ]);
  });

  it('rejects the file past the bad-row share when amounts are wrong, like any bad row', async () => {
    const headers = [...USAGE_HEADERS, 'EffectiveUnitPrice', 'PCToBCExchangeRate'];
    const line = (n: number, total: string) =>
      usageLine(n, { UnitPrice: '0.09135', EffectiveUnitPrice: '0.077647', Quantity: '16.94952', PCToBCExchangeRate: '0.906464', BillingPreTaxTotal: total });
    const lines = Array.from({ length: 40 }, (_, i) => line(i, i % 10 === 0 ? '1.00' : '1.19'));
    const r = await loadFile(ws.db, writeUsageFile(ws.dir, 'G000000100_DailyRatedUsage.csv', lines, { headers }), { maxBadShare: 0.05 });
    expect(r.status).toBe('rejected');
    expect(r.message).toMatch(/^4 of 40 rows are bad \(10%\), over the limit of 5%.*First problems: line 2, BillingPreTaxTotal: BillingPreTaxTotal 1 is not EffectiveUnitPrice/);
    expect(await dataCounts(ws.db)).toMatchObject({ billing_usage_lines: 0 });
    expect(await count(ws.db, `SELECT count(*) FROM etl_quarantine WHERE load_id = ${r.loadId}`)).toBe(4);
  });

  it('checks a daily-rated usage line against floor(EffectiveUnitPrice × Quantity × PCToBCExchangeRate, 2)', async () => {
    const headers = [...USAGE_HEADERS, 'EffectiveUnitPrice', 'PCToBCExchangeRate'];
    // 0.077647 × 16.94952 × 0.906464 = 1.19298...: 1.19 (a demo line).
    const line = (n: number, total: string) =>
      usageLine(n, { UnitPrice: '0.09135', EffectiveUnitPrice: '0.077647', Quantity: '16.94952', PCToBCExchangeRate: '0.906464', BillingPreTaxTotal: total });
    const lines = [...Array.from({ length: 30 }, (_, i) => line(i, '1.19')), line(30, '1.20'), line(31, '0')];
    const r = await loadFile(ws.db, writeUsageFile(ws.dir, 'G000000100_DailyRatedUsage.csv', lines, { headers }), { maxBadShare: 0.1 });
    expect([r.status, r.rowsLoaded, r.rowsQuarantined]).toEqual(['loaded', 30, 2]);
    const q = await quarantine(r.loadId);
    expect(q.map((x) => [x.line_number, x.column_name, x.value])).toEqual([
      ['32', 'BillingPreTaxTotal', '1.200000'],
      ['33', 'BillingPreTaxTotal', '0.000000'],
    ]);
    expect(q[0].reason).toBe(
      'BillingPreTaxTotal 1.2 is not EffectiveUnitPrice × Quantity × PCToBCExchangeRate rounded down to the cent (0.077647 × 16.94952 × 0.906464); ' +
        'allowed: 1.19 or 1.18 (rounded down after the quantity)',
    );
  });

  it('quarantines text over its column\'s bound (a 1 MB company name, a four-letter currency), naming column and bound', async () => {
    const r = await loadFile(
      ws.db,
      writeLicenseFile(ws.dir, 'G000000001_License.csv', licenseLines({ 2: { CustomerName: 'A'.repeat(1 << 20) }, 7: { Currency: 'USDX' } }), {}),
      { maxBadShare: 0.1 },
    );
    expect([r.status, r.rowsLoaded, r.rowsQuarantined]).toEqual(['loaded', 38, 2]);
    const q = await quarantine(r.loadId);
    expect(q).toEqual([
      { line_number: '4', column_name: 'CustomerName', value: `${'A'.repeat(79)}…`, reason: 'CustomerName is 1048576 characters long; allowed: at most 4,096 (text)' },
      { line_number: '9', column_name: 'Currency', value: 'USDX', reason: 'Currency is 4 characters long; allowed: at most 3 (an ISO 4217 currency code)' },
    ]);
    expect(await count(ws.db, `SELECT max(length(customer_name)) FROM billing_license_lines`)).toBeLessThan(20);
  });

  it('never echoes binary: a file with NUL bytes is refused without them, control bytes elsewhere are escaped and cut', async () => {
    const binary = Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(600, 0x07), Buffer.from('\n')]);
    writeFileSync(join(ws.dir, 'report.csv'), Buffer.concat([binary, Buffer.from([0, 1, 2])]));
    const r = await loadFile(ws.db, join(ws.dir, 'report.csv'));
    expect(r.status).toBe('rejected');
    expect(r.message).toBe('not a text file: byte 606 is a NUL (binary data, such as an .xlsx or .zip); allowed: CSV or TSV text in UTF-8, UTF-16 LE or Windows-1252');

    writeFileSync(join(ws.dir, 'junk.csv'), Buffer.concat([Buffer.from('PK\x03\x04'), Buffer.alloc(500, 0x1b), Buffer.from('\nx\n')]));
    const junk = await loadFile(ws.db, join(ws.dir, 'junk.csv'));
    expect(junk.status).toBe('rejected');
    expect(junk.message).toBe(`no known file format has these columns (PK\\x03\\x04${'\\x1B'.repeat(17)}…); see \`partner-insights formats\``);
    expect(printable('a\tb\u0085\uFFFDc')).toBe('a\\x09b\\x85\\uFFFDc');
  });

  it('escapes a binary value in a quarantine reason', async () => {
    const r = await loadFile(ws.db, writeLicenseFile(ws.dir, 'G000000001_License.csv', licenseLines({ 4: { ChargeType: 'Cycle\u0001fee\u001b[2J' } })));
    const q = await quarantine(r.loadId);
    expect(q.map((x) => [x.value, x.reason.slice(0, 41)])).toEqual([['Cycle\\x01fee\\x1B[2J', "unknown charge type 'Cycle\\x01fee\\x1B[2J'"]]);
  });

  it('names line and column of a quoted value not closed, and what is allowed', async () => {
    const lines = licenseLines({});
    lines[30].CustomerName = '"Contoso" Retail';
    lines[39].CustomerName = '"Fabrikam';
    const r = await loadFile(ws.db, writeLicenseFile(ws.dir, 'G000000001_License.csv', lines), { maxBadShare: 0.1 });
    expect(r.status).toBe('loaded');
    const q = await quarantine(r.loadId);
    const reason =
      'a quoted value in column CustomerName is not closed before the next comma or the line end; ' +
      'allowed: a quoted value ends with a quote right before the next comma or the line end, and a quote inside a value is doubled ("")';
    expect(q.map((x) => [x.line_number, x.column_name, x.reason])).toEqual([
      ['32', 'CustomerName', reason],
      ['41', 'CustomerName', reason],
    ]);
  });

  it('loads the demo data set with no quarantined row (its lines follow the documented rules)', async () => {
    // The ETL's results for the demo files, loaded into the shared template (test/support/data-sets.ts).
    const results = await demoFullLoadResults();
    const bad = results.filter((r) => r.status !== 'loaded' || r.rowsQuarantined > 0).map((r) => [r.fileName, r.status, r.message, r.reasons]);
    expect(bad).toEqual([]);
    const checked = results.filter((r) => r.amountCheck).map((r) => r.amountCheck!.differences);
    expect(checked.length).toBeGreaterThan(50);
    expect(checked.every((d) => d === 0)).toBe(true);
  }, 600_000);
});
