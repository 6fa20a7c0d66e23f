import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '../../warehouse/db';

/** A temporary directory removed by the returned cleanup. */
export function tempDir(prefix = 'pi-etl-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CsvOptions {
  delimiter?: string;
  bom?: boolean;
  crlf?: boolean;
}

/** Writes a CSV file: header and rows joined as given (values are written verbatim, quote them yourself). */
export function writeCsv(dir: string, name: string, headers: readonly string[], rows: readonly (readonly string[])[], opts: CsvOptions = {}): string {
  const d = opts.delimiter ?? ',';
  const nl = opts.crlf ? '\r\n' : '\n';
  const text = [headers.join(d), ...rows.map((r) => r.join(d))].join(nl) + nl;
  const path = join(dir, name);
  writeFileSync(path, (opts.bom ? '\uFEFF' : '') + text, 'utf8');
  return path;
}

/** Rows as objects keyed by header, turned into arrays in the header's order ('' for a missing key). */
export function rowsFor(headers: readonly string[], objects: readonly Record<string, string>[]): string[][] {
  return objects.map((o) => headers.map((h) => o[h] ?? ''));
}

export const PARTNER = '3f2b4c1d-6a7e-4f80-9b1c-2d3e4f5a6b7c';

/** License-based reconciliation file columns (the real headers), a subset with every required one. */
export const LICENSE_HEADERS = [
  'PartnerId',
  'CustomerId',
  'CustomerName',
  'MpnId',
  'ResellerMpnId',
  'OrderId',
  'SubscriptionId',
  'SyndicationPartnerSubscriptionNumber',
  'OfferId',
  'OfferName',
  'ChargeStartDate',
  'ChargeEndDate',
  'ChargeType',
  'UnitPrice',
  'Quantity',
  'Amount',
  'TotalOtherDiscount',
  'Subtotal',
  'Tax',
  'TotalForCustomer',
  'Currency',
  'InvoiceNumber',
] as const;

/** One license-based line; overrides replace any column. */
export function licenseLine(n: number, overrides: Record<string, string> = {}): Record<string, string> {
  const qty = 1 + (n % 5);
  const amount = (20 * qty).toFixed(2);
  return {
    PartnerId: PARTNER,
    CustomerId: `c${n}-0000-4000-8000-000000000000`,
    CustomerName: `Customer ${n}`,
    MpnId: '4512345',
    ResellerMpnId: '5100001',
    OrderId: `o${n}`,
    SubscriptionId: `s${n}`,
    SyndicationPartnerSubscriptionNumber: `syn${n}`,
    OfferId: 'OFFER-E3',
    OfferName: 'Office 365 E3',
    ChargeStartDate: '1/1/2024',
    ChargeEndDate: '1/31/2024',
    ChargeType: 'Cycle fee',
    UnitPrice: '20.000000',
    Quantity: String(qty),
    Amount: amount,
    TotalOtherDiscount: '0',
    Subtotal: amount,
    Tax: '0.00',
    TotalForCustomer: amount,
    Currency: 'USD',
    InvoiceNumber: 'G000000001',
    ...overrides,
  };
}

export function writeLicenseFile(dir: string, name: string, lines: Record<string, string>[], opts: CsvOptions & { headers?: readonly string[] } = {}): string {
  const headers = opts.headers ?? LICENSE_HEADERS;
  return writeCsv(dir, name, headers, rowsFor(headers, lines), opts);
}

/** Daily-rated usage columns: every required one and a few more, in the order real files have them. */
export const USAGE_HEADERS = [
  'PartnerId',
  'CustomerId',
  'MpnId',
  'Tier2MpnId',
  'InvoiceNumber',
  'SubscriptionId',
  'ChargeStartDate',
  'ChargeEndDate',
  'UsageDate',
  'MeterCategory',
  'ChargeType',
  'UnitPrice',
  'Quantity',
  'BillingPreTaxTotal',
  'BillingCurrency',
] as const;

export function usageLine(n: number, overrides: Record<string, string> = {}): Record<string, string> {
  return {
    PartnerId: PARTNER,
    CustomerId: `cust-${n % 3}`,
    MpnId: '4512345',
    Tier2MpnId: '5100001',
    InvoiceNumber: 'G000000100',
    SubscriptionId: `sub-${n % 3}`,
    ChargeStartDate: '1/1/2024',
    ChargeEndDate: '1/31/2024',
    UsageDate: `1/${1 + (n % 28)}/2024`,
    MeterCategory: 'Virtual Machines',
    ChargeType: 'New',
    UnitPrice: '0.096000',
    Quantity: '24.000000',
    BillingPreTaxTotal: '2.30',
    BillingCurrency: 'USD',
    ...overrides,
  };
}

export function writeUsageFile(dir: string, name: string, lines: Record<string, string>[], opts: CsvOptions & { headers?: readonly string[] } = {}): string {
  const headers = opts.headers ?? USAGE_HEADERS;
  return writeCsv(dir, name, headers, rowsFor(headers, lines), opts);
}

export function openMemory(): Promise<Warehouse> {
  return Warehouse.open(':memory:');
}

/** Rows in every table fed by files: what "the warehouse is unchanged" compares. */
export async function dataCounts(db: Warehouse): Promise<Record<string, number>> {
  const tables = (
    await db.all<{ table_name: string }>(
      `SELECT table_name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT temporary
         AND table_name NOT IN ('etl_loads', 'etl_quarantine', 'schema_migrations') ORDER BY table_name`,
    )
  ).map((t) => t.table_name);
  const out: Record<string, number> = {};
  for (const t of tables) out[t] = Number((await db.one<{ n: string }>(`SELECT count(*) AS n FROM "${t}"`))!.n);
  return out;
}

export async function count(db: Warehouse, sql: string): Promise<number> {
  const row = await db.one<Record<string, unknown>>(sql);
  return Number(Object.values(row ?? {})[0] ?? 0);
}

/**
 * A fresh in-memory warehouse and temp directory for each test of the enclosing describe block:
 * `const ws = etlWorkspace();` then `ws.db`, `ws.dir` inside the tests.
 */
export function etlWorkspace(): { db: Warehouse; dir: string } {
  const ws = {} as { db: Warehouse; dir: string };
  let cleanup: () => void = () => undefined;
  beforeEach(async () => {
    ws.db = await openMemory();
    ({ dir: ws.dir, cleanup } = tempDir());
  });
  afterEach(() => {
    ws.db.close();
    cleanup();
  });
  return ws;
}
