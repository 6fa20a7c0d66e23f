/**
 * Tests that run the compiled code in child processes: a load killed with SIGKILL mid-way leaves the
 * warehouse as it was, and the CLI (`load`, `status --json`) end to end.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { loadFiles } from '../../etl/load';
import { sha256File } from '../../etl/load/hash';
import { Warehouse } from '../../warehouse/db';
import { PARTNER, USAGE_HEADERS, count, licenseLine, tempDir, usageLine, writeLicenseFile, writeUsageFile } from './helpers';

const ROOT = resolve(__dirname, '../..');
const DIST_LOAD = join(ROOT, 'dist/etl/load/index.js');
const DIST_CLI = join(ROOT, 'dist/cli/main.js');

/** Writes a daily-usage file of n rows with DuckDB (COPY ... FROM range(n)), columns as USAGE_HEADERS. */
async function writeBigUsageFile(path: string, rows: number): Promise<void> {
  const instance = await DuckDBInstance.create(':memory:', { threads: '2' });
  const c = await instance.connect();
  try {
    const values: Record<(typeof USAGE_HEADERS)[number], string> = {
      PartnerId: `'${PARTNER}'`,
      CustomerId: `'cust-' || (i % 500)`,
      MpnId: `'4512345'`,
      Tier2MpnId: `CASE WHEN i % 7 = 0 THEN '-1' ELSE '5100001' END`,
      InvoiceNumber: `'G000000777'`,
      SubscriptionId: `'sub-' || (i % 500)`,
      ChargeStartDate: `'1/1/2024'`,
      ChargeEndDate: `'1/31/2024'`,
      UsageDate: `'1/' || (1 + i % 31) || '/2024'`,
      MeterCategory: `'Virtual Machines'`,
      ChargeType: `'New'`,
      UnitPrice: `'0.096000'`,
      Quantity: `CAST((i % 1000) / 10 AS DECIMAL(18,6))`,
      BillingPreTaxTotal: `CAST(floor((i % 1000) * 0.96) / 100 AS DECIMAL(18,2))`,
      BillingCurrency: `'USD'`,
    };
    const select = USAGE_HEADERS.map((h) => `${values[h]} AS "${h}"`).join(', ');
    await c.run(`COPY (SELECT ${select} FROM range(${rows}) t(i)) TO '${path}' (HEADER, DELIMITER ',')`);
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** The build that exists: bin/partner-insights rebuilds dist/ only when a source is newer than its last build. */
function build(): void {
  // Runs even when another part of the project has a type error (tsc still emits); what matters here is dist/.
  spawnSync(join(ROOT, 'bin/partner-insights'), [], { cwd: ROOT, env: { ...process.env, PI_BUILD_ONLY: '1' }, stdio: 'ignore', timeout: 240_000 });
  if (!existsSync(DIST_LOAD) || !existsSync(DIST_CLI)) throw new Error('build did not produce dist/etl/load and dist/cli');
}

describe('ETL in a child process', () => {
  let dir: string;
  let cleanup: () => void;
  beforeAll(() => {
    build();
    ({ dir, cleanup } = tempDir('pi-etl-proc-'));
  }, 300_000);
  afterAll(() => cleanup());

  it('leaves the warehouse as before the file when the load is killed mid-way (SIGKILL), and loads it next time', async () => {
    const dbPath = join(dir, 'kill.duckdb');
    const big = join(dir, 'G000000777_usage.csv');
    const rows = 300_000;
    await writeBigUsageFile(big, rows);

    // A warehouse with something in it already.
    let db = await Warehouse.open(dbPath);
    const [small] = await loadFiles(db, [writeUsageFile(dir, 'G000000100_usage.csv', [usageLine(1), usageLine(2)])]);
    expect(small.status).toBe('loaded');
    const loadsBefore = await db.all(`SELECT * FROM etl_loads ORDER BY load_id`);
    db.close();

    const script = `
      const { Warehouse } = require(${JSON.stringify(join(ROOT, 'dist/warehouse/db.js'))});
      const { loadFiles } = require(${JSON.stringify(DIST_LOAD)});
      (async () => {
        const db = await Warehouse.open(process.env.PI_DB);
        await loadFiles(db, [process.argv[1]], { onProgress: (p) => process.stdout.write(p.phase + ' ' + (p.fraction ?? 0) + '\\n') });
        process.stdout.write('finished\\n');
        db.close();
      })();`;
    const child = spawn(process.execPath, ['-e', script, big], { env: { ...process.env, PI_DB: dbPath }, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (err += d));
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((res) => child.on('exit', (code, signal) => res({ code, signal })));
    // Kill once DuckDB is well into the insert.
    const started = Date.now();
    while (!/reading 0\.[1-9]/.test(out)) {
      if (child.exitCode !== null || Date.now() - started > 120_000) throw new Error(`load did not get going: ${out.slice(-300)} ${err}`);
      await new Promise((r) => setTimeout(r, 25));
    }
    child.kill('SIGKILL');
    const { signal } = await exited;
    expect(signal).toBe('SIGKILL');
    expect(out).not.toContain('finished');

    db = await Warehouse.open(dbPath);
    try {
      expect(await count(db, `SELECT count(*) FROM billing_usage_lines`)).toBe(2);
      expect(await count(db, `SELECT count(*) FROM billing_usage_lines WHERE invoice_number = 'G000000777'`)).toBe(0);
      expect(await db.all(`SELECT * FROM etl_loads ORDER BY load_id`)).toEqual(loadsBefore);
      expect(await count(db, `SELECT count(*) FROM etl_quarantine`)).toBe(0);

      const hash = await sha256File(big);
      expect(await count(db, `SELECT count(*) FROM etl_loads WHERE content_hash = '${hash}' AND status = 'loaded'`)).toBe(0);
      const [again] = await loadFiles(db, [big]);
      expect(again.status).toBe('loaded');
      expect(again.rowsLoaded).toBe(rows);
      expect(await count(db, `SELECT count(*) FROM billing_usage_lines WHERE invoice_number = 'G000000777'`)).toBe(rows);
      expect(await count(db, `SELECT count(*) FROM billing_usage_lines WHERE tier2_mpn_id = '-1'`)).toBe(Math.ceil(rows / 7));
    } finally {
      db.close();
    }
  }, 300_000);

  it('CLI: load prints a summary per file and exits 1 on a rejected file; status --json reports tables, loads and quarantine', () => {
    const dbPath = join(dir, 'cli.duckdb');
    const env = { ...process.env, PI_DB: dbPath };
    const lines = Array.from({ length: 30 }, (_, i) => licenseLine(i, { InvoiceNumber: 'G000000555' }));
    lines[4] = licenseLine(4, { InvoiceNumber: 'G000000555', UnitPrice: 'twenty' });
    const good = writeLicenseFile(dir, 'G000000555_License.csv', lines);
    const bad = writeUsageFile(dir, 'G000000556_usage.csv', [usageLine(0), usageLine(1, { UsageDate: 'yesterday' })]);

    const load = spawnSync(process.execPath, [DIST_CLI, 'load', good, bad, '--max-bad-share', '0.1'], { env, encoding: 'utf8' });
    expect(load.status).toBe(1);
    const out = load.stdout.split('\n');
    expect(out[0]).toMatch(/^G000000555_License\.csv: license-recon -> billing_license_lines: 29 rows loaded, 1 quarantined, 0 replaced, 0 skipped \(\d+\.\d s/);
    expect(out[1]).toBe("  line 6, UnitPrice: invalid amount (expected a decimal number like 1234.56): 'twenty'");
    expect(out[2]).toMatch(/^G000000556_usage\.csv: REJECTED \(daily-usage-recon\): 1 of 2 rows are bad \(50%\), over the limit of 10%/);
    expect(out[3]).toBe("  line 3, UsageDate: invalid date (expected M/D/YYYY): 'yesterday'");

    const again = spawnSync(process.execPath, [DIST_CLI, 'load', good], { env, encoding: 'utf8' });
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^G000000555_License\.csv: skipped, already loaded \(load \d+ on /);

    const status = spawnSync(process.execPath, [DIST_CLI, 'status', '--json', '--limit', '5'], { env, encoding: 'utf8' });
    expect(status.status).toBe(0);
    const s = JSON.parse(status.stdout);
    expect(s.tables.billing_license_lines).toBe(29);
    expect(s.tables.billing_usage_lines).toBe(0);
    expect(s.loads.byStatus).toEqual({ loaded: 1, rejected: 1 });
    expect(s.quarantined).toBe(2);
    expect(s.quarantine).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ file_name: 'G000000556_usage.csv', line_number: 3, column_name: 'UsageDate', value: 'yesterday' }),
        expect.objectContaining({ file_name: 'G000000555_License.csv', line_number: 6, column_name: 'UnitPrice', value: 'twenty' }),
      ]),
    );

    const text = spawnSync(process.execPath, [DIST_CLI, 'status'], { env, encoding: 'utf8' });
    expect(text.status).toBe(0);
    expect(text.stdout).toMatch(/billing_license_lines\s+29/);
    expect(text.stdout).toMatch(/Loads: 2 \(1 loaded, 1 rejected\)/);
    expect(text.stdout).toContain("G000000555_License.csv line 6, UnitPrice value 'twenty'");

    const usage = spawnSync(process.execPath, [DIST_CLI, 'load', '--max-bad-share', '2', good], { env, encoding: 'utf8' });
    expect(usage.status).toBe(2);
  }, 120_000);
});
