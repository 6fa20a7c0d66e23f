import { join } from 'node:path';
import { loadFiles } from '../../etl/load';
import { listInputFiles } from '../../etl/load';
import type { Warehouse } from '../../warehouse/db';
import {
  LICENSE_HEADERS,
  PARTNER,
  count,
  dataCounts,
  licenseLine,
  openMemory,
  rowsFor,
  tempDir,
  writeCsv,
  writeLicenseFile,
} from './helpers';

describe('ETL: formats and columns', () => {
  let db: Warehouse;
  let dir: string;
  let cleanup: () => void;
  beforeEach(async () => {
    db = await openMemory();
    ({ dir, cleanup } = tempDir());
  });
  afterEach(() => {
    db.close();
    cleanup();
  });

  it('rejects a file missing a required column, naming the column and the format, and changes no data', async () => {
    await loadFiles(db, [writeLicenseFile(dir, 'G000000009_License.csv', [licenseLine(1)])]);
    const before = await dataCounts(db);
    const headers = LICENSE_HEADERS.filter((h) => h !== 'ChargeType');
    const path = writeLicenseFile(dir, 'G000000010_License.csv', [licenseLine(1), licenseLine(2)], { headers });
    const [r] = await loadFiles(db, [path]);
    expect(r.status).toBe('rejected');
    expect(r.message).toMatch(/missing required column ChargeType/);
    expect(r.message).toMatch(/'license-recon'/);
    expect(await dataCounts(db)).toEqual(before);
    const load = await db.one<{ status: string; message: string }>(`SELECT status, message FROM etl_loads WHERE load_id = ${r.loadId}`);
    expect(load?.status).toBe('rejected');
    expect(load?.message).toContain('ChargeType');
  });

  it('rejects a file that matches no format, naming the closest one and what it lacks', async () => {
    const path = writeCsv(dir, 'odd.csv', ['PartnerId', 'CustomerId', 'UsageDate', 'Foo'], [[PARTNER, 'c1', '1/1/2024', 'x']]);
    const [r] = await loadFiles(db, [path]);
    expect(r.status).toBe('rejected');
    expect(r.message).toMatch(/missing required columns? .+ for format '[a-z-]+'/);
  });

  it('checks a forced format (--format) instead of detecting one', async () => {
    const path = writeLicenseFile(dir, 'G000000011_License.csv', [licenseLine(1)]);
    const [r] = await loadFiles(db, [path], { format: 'daily-usage-recon' });
    expect(r.status).toBe('rejected');
    expect(r.message).toMatch(/^missing required columns .*UsageDate.* for format 'daily-usage-recon'/);
    const [ok] = await loadFiles(db, [path], { format: 'license-recon' });
    expect(ok.status).toBe('loaded');
    await expect(loadFiles(db, [join(dir, 'nope.csv')])).rejects.toThrow(/nope\.csv: no such file or directory/);
  });

  it('ignores unknown extra columns and matches columns by name in any order', async () => {
    const shuffled = ['Some New Column', ...[...LICENSE_HEADERS].reverse(), 'AnotherOne'];
    const lines = [licenseLine(1, { Amount: '100.00', Subtotal: '100.00' }), licenseLine(2, { Amount: '40.50', Subtotal: '40.50' })];
    const rows = rowsFor(shuffled, lines.map((l) => ({ ...l, 'Some New Column': 'whatever, really', AnotherOne: '12' })));
    const path = writeCsv(dir, 'G000000002_License.csv', shuffled, rows.map((r) => r.map((v) => (v.includes(',') ? `"${v}"` : v))));
    const [r] = await loadFiles(db, [path]);
    expect(r.status).toBe('loaded');
    expect(r.format).toBe('license-recon');
    expect(r.rowsLoaded).toBe(2);
    expect(r.rowsQuarantined).toBe(0);
    const rowsOut = await db.all<{ customer_id: string; amount: string; charge_start_date: string; partner_id: string }>(
      `SELECT customer_id, amount, charge_start_date, partner_id FROM billing_license_lines ORDER BY customer_id`,
    );
    expect(rowsOut).toEqual([
      { customer_id: lines[0].CustomerId, amount: '100.000000', charge_start_date: '2024-01-01', partner_id: PARTNER },
      { customer_id: lines[1].CustomerId, amount: '40.500000', charge_start_date: '2024-01-01', partner_id: PARTNER },
    ]);
  });

  it('takes the invoice number of a license file without InvoiceNumber from its file name', async () => {
    const headers = LICENSE_HEADERS.filter((h) => h !== 'InvoiceNumber');
    const [r] = await loadFiles(db, [writeLicenseFile(dir, 'G012345678_License.csv', [licenseLine(1), licenseLine(2)], { headers })]);
    expect(r.status).toBe('loaded');
    expect(await db.all(`SELECT DISTINCT invoice_number FROM billing_license_lines`)).toEqual([{ invoice_number: 'G012345678' }]);

    const [bad] = await loadFiles(db, [writeLicenseFile(dir, 'license-january.csv', [licenseLine(3)], { headers })]);
    expect(bad.status).toBe('rejected');
    expect(bad.message).toMatch(/InvoiceNumber column or a file name that starts with the invoice number/);
    expect(await count(db, `SELECT count(*) FROM billing_license_lines`)).toBe(2);
  });

  it('loads Partner Center reseller MPN IDs as they are: the partner\'s own MPN ID and -1', async () => {
    const lines = [
      licenseLine(1, { ResellerMpnId: '4512345' }), // sold directly: the partner's MPN ID twice
      licenseLine(2, { ResellerMpnId: '-1' }), // reseller removed
      licenseLine(3, { ResellerMpnId: '' }), // none given
    ];
    const [r] = await loadFiles(db, [writeLicenseFile(dir, 'G000000003_License.csv', lines)]);
    expect(r.rowsLoaded).toBe(3);
    expect(r.rowsQuarantined).toBe(0);
    const got = await db.all<{ reseller_mpn_id: string | null }>(`SELECT reseller_mpn_id FROM billing_license_lines ORDER BY customer_id`);
    expect(got.map((g) => g.reseller_mpn_id)).toEqual(['4512345', '-1', null]);
  });

  it('orders a directory by format (reference data first), then by name, and loads every file in it', async () => {
    writeLicenseFile(dir, 'G000000004_License.csv', [licenseLine(1)]);
    writeCsv(join(dir), 'b-customers.csv', ['PartnerId', 'Microsoft ID', 'Company name', 'Primary domain name', 'Relationship', 'Country', 'Segment', 'MpnId'], [
      [PARTNER, 'c1', 'Contoso', 'contoso.com', 'Reseller', 'US', 'Commercial', '4512345'],
    ]);
    writeCsv(dir, 'a-profile.csv', ['PartnerId', 'PartnerName', 'GlobalMpnId', 'PartnerType'], [[PARTNER, 'Fabrikam', '4500000', 'Indirect provider']]);
    writeCsv(dir, 'notes.txt', ['x'], [['y']]);
    const files = await listInputFiles([dir]);
    expect(files.map((f) => f.slice(dir.length + 1))).toEqual(['a-profile.csv', 'b-customers.csv', 'G000000004_License.csv']);
    const results = await loadFiles(db, [dir]);
    expect(results.map((r) => [r.format, r.status, r.rowsLoaded])).toEqual([
      ['partner-profile', 'loaded', 1],
      ['customers', 'loaded', 1],
      ['license-recon', 'loaded', 1],
    ]);
    expect(await db.all(`SELECT partner_type FROM partners`)).toEqual([{ partner_type: 'Indirect provider' }]);
  });
});
