import { loadFiles } from '../../etl/load';
import { count, dataCounts, licenseLine, etlWorkspace, usageLine, writeLicenseFile, writeUsageFile } from './helpers';

type Q = {
  line_number: string;
  column_name: string | null;
  value: string | null;
  reason: string;
};

describe('ETL: bad rows go to quarantine', () => {
  const ws = etlWorkspace();

  const quarantine = (loadId?: number) =>
    ws.db.all<Q>(`SELECT line_number, column_name, value, reason FROM etl_quarantine WHERE load_id = ${loadId} ORDER BY line_number, column_name`);

  /** 40 good lines with bad ones at the given positions (index 0 = line 2 of the file). */
  function lines(bad: Record<number, Record<string, string>>): Record<string, string>[] {
    return Array.from({ length: 40 }, (_, i) => licenseLine(i, bad[i] ?? {}));
  }

  it('quarantines a bad date with its line, column, value and reason; loads the rest', async () => {
    const [r] = await loadFiles(ws.db, [writeLicenseFile(ws.dir, 'G000000001_License.csv', lines({ 5: { ChargeStartDate: '2/30/2024' } }))]);
    expect(r.status).toBe('loaded');
    expect(r.rowsLoaded).toBe(39);
    expect(r.rowsQuarantined).toBe(1);
    expect(await quarantine(r.loadId)).toEqual([
      { line_number: '7', column_name: 'ChargeStartDate', value: '2/30/2024', reason: "invalid date (expected M/D/YYYY): '2/30/2024'" },
    ]);
    expect(await count(ws.db, `SELECT count(*) FROM billing_license_lines WHERE customer_id = 'c5-0000-4000-8000-000000000000'`)).toBe(0);
    const raw = await ws.db.one<{ raw_line: string; partner_id: string; file_name: string }>(`SELECT raw_line, partner_id, file_name FROM etl_quarantine`);
    expect(raw?.raw_line).toContain('2/30/2024');
    expect(raw?.partner_id).toBe(licenseLine(0).PartnerId);
    expect(raw?.file_name).toBe('G000000001_License.csv');
  });

  it('quarantines a bad amount', async () => {
    const [r] = await loadFiles(ws.db, [writeLicenseFile(ws.dir, 'G000000001_License.csv', lines({ 0: { Amount: '12.3x' } }))]);
    expect(r.rowsLoaded).toBe(39);
    const q = await quarantine(r.loadId);
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ line_number: '2', column_name: 'Amount', value: '12.3x' });
    expect(q[0].reason).toMatch(/^invalid amount/);
  });

  it('quarantines an unknown charge type, naming the allowed ones, and stores known ones in canonical spelling', async () => {
    const [r] = await loadFiles(ws.db, [
      writeLicenseFile(ws.dir, 'G000000001_License.csv', lines({ 3: { ChargeType: 'Foo fee' }, 4: { ChargeType: 'PRORATE FEES WHEN PURCHASE' }, 6: { ChargeType: ' cycle Fee ' } })),
    ]);
    expect(r.rowsLoaded).toBe(39);
    const q = await quarantine(r.loadId);
    expect(q).toHaveLength(1);
    expect(q[0]).toMatchObject({ line_number: '5', column_name: 'ChargeType', value: 'Foo fee' });
    expect(q[0].reason).toMatch(/^unknown charge type 'Foo fee'; allowed: Activation fee, Cancel fee, .*Prorate fees when purchase/);
    const types = await ws.db.all<{ charge_type: string; n: string }>(
      `SELECT charge_type, count(*) AS n FROM billing_license_lines GROUP BY charge_type ORDER BY charge_type`,
    );
    expect(types).toEqual([
      { charge_type: 'Cycle fee', n: '38' },
      { charge_type: 'Prorate fees when purchase', n: '1' },
    ]);
  });

  it('quarantines an empty customer id', async () => {
    const [r] = await loadFiles(ws.db, [writeLicenseFile(ws.dir, 'G000000001_License.csv', lines({ 9: { CustomerId: '' }, 10: { CustomerId: '   ' } }))]);
    expect(r.rowsLoaded).toBe(38);
    const q = await quarantine(r.loadId);
    expect(q.map((x) => [x.line_number, x.column_name, x.reason])).toEqual([
      ['11', 'CustomerId', 'empty CustomerId (a value is required)'],
      ['12', 'CustomerId', 'empty CustomerId (a value is required)'],
    ]);
  });

  it('numbers lines right when rows that did not parse come before rows that failed a check', async () => {
    const [r] = await loadFiles(ws.db, [
      writeLicenseFile(ws.dir, 'G000000001_License.csv', lines({ 1: { Quantity: 'two' }, 2: { Quantity: 'three' }, 7: { ChargeType: 'Bogus' }, 8: { Tax: '?' }, 20: { CustomerId: '' } })),
    ], { maxBadShare: 0.5 });
    const q = await quarantine(r.loadId);
    expect(q.map((x) => [x.line_number, x.column_name])).toEqual([
      ['3', 'Quantity'],
      ['4', 'Quantity'],
      ['9', 'ChargeType'],
      ['10', 'Tax'],
      ['22', 'CustomerId'],
    ]);
    expect(r.rowsLoaded).toBe(35);
  });

  it('rejects the whole file past the bad-row threshold: no rows land, the quarantine and the reasons are recorded', async () => {
    const [first] = await loadFiles(ws.db, [writeLicenseFile(ws.dir, 'G000000007_License.csv', lines({}))]);
    expect(first.rowsLoaded).toBe(40);
    const before = await dataCounts(ws.db);
    // The same invoice again with 3 of 40 lines bad (7.5% > 5%): it must not replace anything either.
    const path = writeLicenseFile(ws.dir, 'G000000007_License_v2.csv', lines({ 2: { ChargeStartDate: '13/45/2024' }, 11: { Amount: 'n/a' }, 30: { ChargeType: 'Nope' } }));
    const [r] = await loadFiles(ws.db, [path], { maxBadShare: 0.05 });
    expect(r.status).toBe('rejected');
    expect(r.rowsLoaded).toBe(0);
    expect(r.rowsQuarantined).toBe(3);
    expect(r.message).toMatch(/^3 of 40 rows are bad \(7\.5%\), over the limit of 5%/);
    expect(r.message).toContain("line 4, ChargeStartDate: invalid date (expected M/D/YYYY): '13/45/2024'");
    expect(r.message).toContain('line 13, Amount: invalid amount');
    expect(r.message).toContain("line 32, ChargeType: unknown charge type 'Nope'");
    expect(await dataCounts(ws.db)).toEqual(before);
    const load = await ws.db.one<{ status: string; rows_loaded: string; rows_quarantined: string }>(
      `SELECT status, rows_loaded, rows_quarantined FROM etl_loads WHERE load_id = ${r.loadId}`,
    );
    expect(load).toEqual({ status: 'rejected', rows_loaded: '0', rows_quarantined: '3' });
    expect((await quarantine(r.loadId)).map((x) => x.line_number)).toEqual(['4', '13', '32']);
    expect(await ws.db.one(`SELECT status FROM etl_loads WHERE load_id = ${first.loadId}`)).toEqual({ status: 'loaded' });

    // With a higher limit the same file loads, replacing the first one.
    const [again] = await loadFiles(ws.db, [path], { maxBadShare: 0.1 });
    expect(again.status).toBe('loaded');
    expect(again.rowsLoaded).toBe(37);
    expect(again.rowsReplaced).toBe(40);
  });

  it('reads the threshold from PI_MAX_BAD_ROW_SHARE', async () => {
    const saved = process.env.PI_MAX_BAD_ROW_SHARE;
    process.env.PI_MAX_BAD_ROW_SHARE = '0';
    try {
      const [r] = await loadFiles(ws.db, [writeUsageFile(ws.dir, 'usage.csv', [usageLine(1), usageLine(2, { Quantity: 'lots' })])]);
      expect(r.status).toBe('rejected');
      expect(r.message).toMatch(/1 of 2 rows are bad \(50%\), over the limit of 0%/);
    } finally {
      if (saved === undefined) delete process.env.PI_MAX_BAD_ROW_SHARE;
      else process.env.PI_MAX_BAD_ROW_SHARE = saved;
    }
  });

  it('quarantines rows with too many or too few fields, once per row', async () => {
    const path = writeLicenseFile(ws.dir, 'G000000001_License.csv', lines({ 3: { CustomerName: 'Contoso, Ltd' } }));
    const { appendFileSync } = await import('node:fs');
    appendFileSync(path, 'only,three,fields\n');
    const [r] = await loadFiles(ws.db, [path], { maxBadShare: 0.5 });
    expect(r.rowsLoaded).toBe(39);
    expect(await quarantine(r.loadId)).toEqual([
      { line_number: '5', column_name: null, value: null, reason: 'the row has 23 fields, the header 22 (a delimiter inside an unquoted value?)' },
      { line_number: '42', column_name: null, value: null, reason: 'the row has 3 fields, the header 22' },
    ]);
  });
});
