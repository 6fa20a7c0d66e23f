import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadFiles } from '../../etl/load';
import { PARTNER, count, licenseLine, etlWorkspace, usageLine, writeCsv, writeLicenseFile, writeUsageFile } from './helpers';

describe('ETL: duplicates and corrected files', () => {
  const ws = etlWorkspace();

  it('skips a file whose bytes were already loaded, and says when', async () => {
    const path = writeUsageFile(ws.dir, 'G000000100_usage.csv', [usageLine(0), usageLine(1), usageLine(2)]);
    const [first] = await loadFiles(ws.db, [path]);
    expect(first.status).toBe('loaded');
    const copy = join(ws.dir, 'copy-of-usage.csv');
    copyFileSync(path, copy);
    const [again, copied] = await loadFiles(ws.db, [path, copy]);
    expect(again.status).toBe('skipped');
    expect(again.message).toMatch(new RegExp(`^already loaded \\(load ${first.loadId} on \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC\\)$`));
    expect(copied.status).toBe('skipped');
    expect(await count(ws.db, `SELECT count(*) FROM billing_usage_lines`)).toBe(3);
    expect(await count(ws.db, `SELECT count(*) FROM etl_loads`)).toBe(1);
  });

  it('replaces the rows of an earlier file for the same invoice: totals are the new file only', async () => {
    const v1 = [1, 2, 3, 4].map((n) => licenseLine(n, { Amount: '100.00', Subtotal: '100.00', InvoiceNumber: 'G000000042' }));
    const other = [licenseLine(9, { Amount: '5.00', Subtotal: '5.00', InvoiceNumber: 'G000000041' })];
    const [r1] = await loadFiles(ws.db, [writeLicenseFile(ws.dir, 'G000000042_License.csv', v1)]);
    const [r0] = await loadFiles(ws.db, [writeLicenseFile(ws.dir, 'G000000041_License.csv', other)]);
    // The corrected file: three lines, corrected amounts.
    const v2 = [1, 2, 3].map((n) => licenseLine(n, { Amount: '90.10', Subtotal: '90.10', InvoiceNumber: 'G000000042' }));
    const [r2] = await loadFiles(ws.db, [writeLicenseFile(ws.dir, 'G000000042_License_corrected.csv', v2)]);
    expect(r2.status).toBe('loaded');
    expect(r2.rowsLoaded).toBe(3);
    expect(r2.rowsReplaced).toBe(4);
    expect(r2.supersededLoads).toEqual([r1.loadId]);
    expect(
      await ws.db.all(`SELECT invoice_number, count(*) AS n, sum(amount) AS total FROM billing_license_lines GROUP BY ALL ORDER BY invoice_number`),
    ).toEqual([
      { invoice_number: 'G000000041', n: '1', total: '5.000000' },
      { invoice_number: 'G000000042', n: '3', total: '270.300000' },
    ]);
    const loads = await ws.db.all<{ load_id: string; status: string; rows_replaced: string; message: string }>(
      `SELECT load_id, status, rows_replaced, message FROM etl_loads ORDER BY load_id`,
    );
    expect(loads.map((l) => [Number(l.load_id), l.status, l.rows_replaced])).toEqual([
      [r1.loadId, 'superseded', '0'],
      [r0.loadId, 'loaded', '0'],
      [r2.loadId, 'loaded', '4'],
    ]);
    expect(loads[0].message).toContain(`replaced by load ${r2.loadId}`);
  });

  it('keeps an earlier load "loaded" while some of its rows remain', async () => {
    const customers = (ids: string[], name: string) =>
      writeCsv(ws.dir, name, ['PartnerId', 'Microsoft ID', 'Company name', 'Primary domain name', 'Relationship', 'Country', 'Segment', 'MpnId'],
        ids.map((id) => [PARTNER, id, `Company ${id}`, `${id}.com`, 'Reseller', 'US', 'Commercial', '4512345']));
    const [a] = await loadFiles(ws.db, [customers(['c1', 'c2', 'c3'], 'customers-1.csv')]);
    const [b] = await loadFiles(ws.db, [customers(['c3', 'c4'], 'customers-2.csv')]);
    expect(b.rowsReplaced).toBe(1);
    expect(b.supersededLoads).toEqual([]);
    expect(await ws.db.one(`SELECT status FROM etl_loads WHERE load_id = ${a.loadId}`)).toEqual({ status: 'loaded' });
    expect(await count(ws.db, `SELECT count(*) FROM customers`)).toBe(4);
    expect(await ws.db.all(`SELECT customer_id, load_id FROM customers WHERE customer_id = 'c3'`)).toEqual([{ customer_id: 'c3', load_id: String(b.loadId) }]);
  });

  it('records partner ids and counts on the etl_loads row', async () => {
    const [r] = await loadFiles(ws.db, [writeUsageFile(ws.dir, 'u.csv', [usageLine(0), usageLine(1, { PartnerId: 'another-partner' })])]);
    const load = await ws.db.one<{ partner_ids: string[]; rows_loaded: string; file_format: string; status: string }>(
      `SELECT partner_ids, rows_loaded, file_format, status FROM etl_loads WHERE load_id = ${r.loadId}`,
    );
    expect(load).toEqual({ partner_ids: ['3f2b4c1d-6a7e-4f80-9b1c-2d3e4f5a6b7c', 'another-partner'], rows_loaded: '2', file_format: 'daily-usage-recon', status: 'loaded' });
  });
});
