import { join } from 'node:path';
import { loadFiles } from '../../etl/load';
import { listInputFiles } from '../../etl/load';
import {
  LICENSE_HEADERS,
  PARTNER,
  count,
  dataCounts,
  licenseLine,
  rowsFor,
  etlWorkspace, writeCsv,
  writeLicenseFile,
} from './helpers';

describe('ETL: formats and columns', () => {
  const ws = etlWorkspace();

  it('rejects a file missing a required column, naming the column and the format, and changes no data', async () => {
    await loadFiles(ws.db, [writeLicenseFile(ws.dir, 'G000000009_License.csv', [licenseLine(1)])]);
    const before = await dataCounts(ws.db);
    const headers = LICENSE_HEADERS.filter((h) => h !== 'ChargeType');
    const path = writeLicenseFile(ws.dir, 'G000000010_License.csv', [licenseLine(1), licenseLine(2)], { headers });
    const [r] = await loadFiles(ws.db, [path]);
    expect(r.status).toBe('rejected');
    expect(r.message).toMatch(/missing required column ChargeType/);
    expect(r.message).toMatch(/'license-recon'/);
    expect(await dataCounts(ws.db)).toEqual(before);
    const load = await ws.db.one<{ status: string; message: string }>(`SELECT status, message FROM etl_loads WHERE load_id = ${r.loadId}`);
    expect(load?.status).toBe('rejected');
    expect(load?.message).toContain('ChargeType');
  });

  it('rejects a file that matches no format, naming the closest one and what it lacks', async () => {
    const path = writeCsv(ws.dir, 'odd.csv', ['PartnerId', 'CustomerId', 'UsageDate', 'Foo'], [[PARTNER, 'c1', '1/1/2024', 'x']]);
    const [r] = await loadFiles(ws.db, [path]);
    expect(r.status).toBe('rejected');
    expect(r.message).toMatch(/missing required columns? .+ for format '[a-z-]+'/);
  });

  it('checks a forced format (--format) instead of detecting one', async () => {
    const path = writeLicenseFile(ws.dir, 'G000000011_License.csv', [licenseLine(1)]);
    const [r] = await loadFiles(ws.db, [path], { format: 'daily-usage-recon' });
    expect(r.status).toBe('rejected');
    expect(r.message).toMatch(/^missing required columns .*UsageDate.* for format 'daily-usage-recon'/);
    const [ok] = await loadFiles(ws.db, [path], { format: 'license-recon' });
    expect(ok.status).toBe('loaded');
    await expect(loadFiles(ws.db, [join(ws.dir, 'nope.csv')])).rejects.toThrow(/nope\.csv: no such file or directory/);
  });

  it('ignores unknown extra columns and matches columns by name in any order', async () => {
    const shuffled = ['Some New Column', ...[...LICENSE_HEADERS].reverse(), 'AnotherOne'];
    const lines = [licenseLine(1, { Amount: '100.00', Subtotal: '100.00' }), licenseLine(2, { Amount: '40.50', Subtotal: '40.50' })];
    const rows = rowsFor(shuffled, lines.map((l) => ({ ...l, 'Some New Column': 'whatever, really', AnotherOne: '12' })));
    const path = writeCsv(ws.dir, 'G000000002_License.csv', shuffled, rows.map((r) => r.map((v) => (v.includes(',') ? `"${v}"` : v))));
    const [r] = await loadFiles(ws.db, [path]);
    expect(r.status).toBe('loaded');
    expect(r.format).toBe('license-recon');
    expect(r.rowsLoaded).toBe(2);
    expect(r.rowsQuarantined).toBe(0);
    const rowsOut = await ws.db.all<{ customer_id: string; amount: string; charge_start_date: string; partner_id: string }>(
      `SELECT customer_id, amount, charge_start_date, partner_id FROM billing_license_lines ORDER BY customer_id`,
    );
    expect(rowsOut).toEqual([
      { customer_id: lines[0].CustomerId, amount: '100.000000', charge_start_date: '2024-01-01', partner_id: PARTNER },
      { customer_id: lines[1].CustomerId, amount: '40.500000', charge_start_date: '2024-01-01', partner_id: PARTNER },
    ]);
  });

  it('takes the invoice number of a license file without InvoiceNumber from its file name', async () => {
    const headers = LICENSE_HEADERS.filter((h) => h !== 'InvoiceNumber');
    const [r] = await loadFiles(ws.db, [writeLicenseFile(ws.dir, 'G012345678_License.csv', [licenseLine(1), licenseLine(2)], { headers })]);
    expect(r.status).toBe('loaded');
    expect(await ws.db.all(`SELECT DISTINCT invoice_number FROM billing_license_lines`)).toEqual([{ invoice_number: 'G012345678' }]);

    const [bad] = await loadFiles(ws.db, [writeLicenseFile(ws.dir, 'license-january.csv', [licenseLine(3)], { headers })]);
    expect(bad.status).toBe('rejected');
    expect(bad.message).toMatch(/InvoiceNumber column or a file name that starts with the invoice number/);
    expect(await count(ws.db, `SELECT count(*) FROM billing_license_lines`)).toBe(2);
  });

  it('loads Partner Center reseller MPN IDs as they are: the partner\'s own MPN ID and -1', async () => {
    const lines = [
      licenseLine(1, { ResellerMpnId: '4512345' }), // sold directly: the partner's MPN ID twice
      licenseLine(2, { ResellerMpnId: '-1' }), // reseller removed
      licenseLine(3, { ResellerMpnId: '' }), // none given
    ];
    const [r] = await loadFiles(ws.db, [writeLicenseFile(ws.dir, 'G000000003_License.csv', lines)]);
    expect(r.rowsLoaded).toBe(3);
    expect(r.rowsQuarantined).toBe(0);
    const got = await ws.db.all<{ reseller_mpn_id: string | null }>(`SELECT reseller_mpn_id FROM billing_license_lines ORDER BY customer_id`);
    expect(got.map((g) => g.reseller_mpn_id)).toEqual(['4512345', '-1', null]);
  });

  it('orders a directory by format (reference data first), then by name, and loads every file in it', async () => {
    writeLicenseFile(ws.dir, 'G000000004_License.csv', [licenseLine(1)]);
    writeCsv(join(ws.dir), 'b-customers.csv', ['PartnerId', 'Microsoft ID', 'Company name', 'Primary domain name', 'Relationship', 'Country', 'Segment', 'MpnId'], [
      [PARTNER, 'c1', 'Contoso', 'contoso.com', 'Reseller', 'US', 'Commercial', '4512345'],
    ]);
    writeCsv(ws.dir, 'a-profile.csv', ['PartnerId', 'PartnerName', 'GlobalMpnId', 'PartnerType'], [[PARTNER, 'Fabrikam', '4500000', 'Indirect provider']]);
    writeCsv(ws.dir, 'notes.txt', ['x'], [['y']]);
    const files = await listInputFiles([ws.dir]);
    expect(files.map((f) => f.slice(ws.dir.length + 1))).toEqual(['a-profile.csv', 'b-customers.csv', 'G000000004_License.csv']);
    const results = await loadFiles(ws.db, [ws.dir]);
    expect(results.map((r) => [r.format, r.status, r.rowsLoaded])).toEqual([
      ['partner-profile', 'loaded', 1],
      ['customers', 'loaded', 1],
      ['license-recon', 'loaded', 1],
    ]);
    expect(await ws.db.all(`SELECT partner_type FROM partners`)).toEqual([{ partner_type: 'Indirect provider' }]);
  });

  it('reads each column as the warehouse types it: the migrations declare column types, the formats do not', async () => {
    // As a later migration could: payment terms written as text ("Net 30") instead of a number of days.
    await ws.db.run(`ALTER TABLE invoices ALTER payment_terms_days SET DATA TYPE VARCHAR`);
    const headers = ['InvoiceNumber', 'PartnerId', 'InvoiceDate', 'BillingPeriodStart', 'BillingPeriodEnd', 'InvoiceType', 'Currency'];
    const amounts = ['LicenseBasedCharges', 'UsageBasedCharges', 'Subtotal', 'Tax', 'TotalCurrentCharges'];
    const row = ['G000000011', PARTNER, '2024-01-05', '2023-12-01', '2023-12-31', 'Recurring', 'USD', '10.00', '0.00', '10.00', '1.00', '11.00', 'Net 30'];
    const [r] = await loadFiles(ws.db, [writeCsv(ws.dir, 'invoices.csv', [...headers, ...amounts, 'PaymentTermsDays'], [row])]);
    expect([r.format, r.status, r.rowsLoaded, r.rowsQuarantined]).toEqual(['invoices', 'loaded', 1, 0]);
    expect(await ws.db.all(`SELECT payment_terms_days FROM invoices`)).toEqual([{ payment_terms_days: 'Net 30' }]);
  });
});
