import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { exportCommand } from '../../cli/commands/export';
import { Warehouse } from '../../warehouse/db';
import { copyTemplate, demoData } from '../support/data-sets';

/**
 * `partner-insights export`: writes the file named by --out (format from --format, else the
 * extension), `--format focus` writes the FOCUS dataset as Parquet or CSV/TSV by extension, and
 * bad input exits 2 with a message saying what is allowed. On its own copy of the shared demo
 * warehouse (PI_DB; test/support/data-sets.ts), since the command opens the warehouse itself.
 */
let dir: string;
let partner: string;
let out: string[];
let err: string[];
const savedDb = process.env.PI_DB;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pi-export-cli-'));
  const { summary } = await demoData();
  partner = summary.partners[0].id;
  process.env.PI_DB = await copyTemplate('demo-full', join(dir, 'warehouse.duckdb'));
}, 120_000);
afterAll(() => {
  process.env.PI_DB = savedDb;
  if (savedDb === undefined) delete process.env.PI_DB;
  rmSync(dir, { recursive: true, force: true });
});

beforeEach(() => {
  out = [];
  err = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
});
afterEach(() => jest.restoreAllMocks());

async function count(file: string, reader: string): Promise<number> {
  const db = await Warehouse.open(':memory:');
  try {
    const [{ n }] = await db.all<{ n: string }>(`SELECT count(*)::VARCHAR AS n FROM ${reader}('${file}')`);
    return Number(n);
  } finally {
    db.close();
  }
}

test('writes the dataset in the format of --format, and says what it wrote', async () => {
  const file = join(dir, 'customers.out');
  expect(await exportCommand.run(['customer-details', '--format', 'csv', '--out', file, '--partner', partner, '--range', '3m'])).toBe(0);
  expect(readFileSync(file, 'utf8').split('\n')[0]).toMatch(/^Month,CustomerId,CustomerName,/);
  expect(out.join('')).toMatch(/^wrote .*customers\.out: customer-details as csv, \d+ rows, [\d,]+ bytes in [\d.]+ s \(suggested name customer-details_\d{4}-\d{2}_\d{4}-\d{2}\.csv\)\n$/);
  expect(existsSync(`${file}.partial`)).toBe(false);
});

test('--from/--to bound a line-level export by day or datetime (from included, to not), as /exports does', async () => {
  const db = await Warehouse.open(process.env.PI_DB!);
  let expected: number;
  try {
    const [{ n }] = await db.all<{ n: string }>(
      `SELECT count(*)::VARCHAR AS n FROM billing_usage_lines WHERE partner_id = $1 AND usage_date >= DATE '2026-09-01' AND usage_date < DATE '2026-10-01'`,
      [partner],
    );
    expected = Number(n);
  } finally {
    db.close();
  }
  expect(expected).toBeGreaterThan(0);
  const file = join(dir, 'september.csv');
  expect(await exportCommand.run(['usage-lines', '--out', file, '--partner', partner, '--role', 'Billing admin', '--from', '2026-09-01', '--to', '2026-10-01T00:00:00Z'])).toBe(0);
  expect(await count(file, 'read_csv')).toBe(expected);
  expect(out.join('')).toContain('(suggested name usage-lines_2026-09-01_2026-10-01.csv)');
  expect(await exportCommand.run(['usage-lines', '--out', file, '--partner', partner, '--role', 'Billing admin', '--from', '2026-09'])).toBe(2);
  expect(err.join('')).toContain('from "2026-09" is not a day YYYY-MM-DD or a datetime');
});

test('the format follows the --out extension when --format is left out; xlsx is a real workbook', async () => {
  const file = join(dir, 'profile.xlsx');
  expect(await exportCommand.run(['partner-profile', '--out', file, '--partner', partner])).toBe(0);
  const workbook = new ExcelJS.Workbook();
  await workbook.xlsx.readFile(file);
  expect(workbook.worksheets[0].getRow(1).values).toEqual([undefined, 'PartnerId', 'PartnerName', 'GlobalMpnId', 'PartnerType', 'PartnerCountry', 'LocationMpnId', 'LocationName', 'LocationCountry', 'Market', 'IsHeadquarters']);
  expect(workbook.worksheets[0].getRow(2).getCell(1).value).toBe(partner);
});

test('--format focus writes the FOCUS dataset: Parquet, or CSV when --out ends in .csv', async () => {
  const parquet = join(dir, 'costs.parquet');
  expect(await exportCommand.run(['--format', 'focus', '--out', parquet, '--partner', partner, '--range', 'lifetime', '--role', 'Billing admin'])).toBe(0);
  const rows = await count(parquet, 'read_parquet');
  expect(rows).toBeGreaterThan(10);
  const csv = join(dir, 'costs.csv');
  expect(await exportCommand.run(['--format', 'focus', '--out', csv, '--partner', partner, '--range', 'lifetime', '--role', 'Billing admin'])).toBe(0);
  expect(readFileSync(csv, 'utf8').slice(0, 40)).toMatch(/^BilledCost,BillingAccountId,/);
  expect(await count(csv, 'read_csv')).toBe(rows);
});

test('bad input exits 2 saying what is allowed; a role without access exits 2 naming the roles', async () => {
  const file = join(dir, 'x.csv');
  expect(await exportCommand.run(['nope', '--out', file, '--partner', partner])).toBe(2);
  expect(err.join('')).toMatch(/unknown dataset "nope"; datasets: partner-profile, /);
  err = [];
  expect(await exportCommand.run(['partner-profile', '--format', 'json', '--out', file, '--partner', partner])).toBe(2);
  expect(err.join('')).toMatch(/unknown format "json"; formats: tsv, csv, parquet, xlsx, focus/);
  err = [];
  expect(await exportCommand.run(['customer-details', '--out', file, '--partner', partner, '--range', '5m'])).toBe(2);
  expect(err.join('')).toMatch(/range "5m" is not one of 3m, 6m, 12m, lifetime or YYYY-MM\.\.YYYY-MM/);
  err = [];
  expect(await exportCommand.run(['customer-details', '--out', file, '--partner', partner, '--role', 'Report viewer'])).toBe(2);
  expect(err.join('')).toMatch(/exporting customer-details \(it contains revenue\) needs one of these roles: Global admin, Executive report viewer/);
  expect(existsSync(file)).toBe(false);
  expect(existsSync(`${file}.partial`)).toBe(false);
});
