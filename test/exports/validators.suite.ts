import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { Caller } from '../../core/caller';
import { Warehouse } from '../../warehouse/db';
import { DATASETS, parseInstant, type Dataset } from '../../warehouse/exports';
import { MUTABLE_TABLES } from '../../warehouse/exports/validators';

/**
 * What the export validators (warehouse/exports/validators.ts) rely on, checked against the code:
 * every table a dataset's SQL names is in its declared `reads`; every table an export reads that is
 * written outside the loader is in MUTABLE_TABLES; and the instants from/to take.
 */
const ROOT = join(__dirname, '..', '..');
let db: Warehouse;
let names: string[];
let views: Map<string, string>;

beforeAll(async () => {
  db = await Warehouse.open(':memory:');
  names = (await db.all<{ name: string }>(`SELECT table_name AS name FROM duckdb_tables() WHERE NOT internal`)).map((r) => r.name);
  views = new Map(
    (await db.all<{ name: string; sql: string }>(`SELECT view_name AS name, sql FROM duckdb_views() WHERE NOT internal`)).map((r) => [r.name, r.sql]),
  );
});
afterAll(() => db?.close());

const caller: Caller = { partnerId: 'p', roles: ['Global admin'], locations: ['1'] };
const RANGE = { from: '2026-01-01', to: '2026-06-01', asOf: '2026-06-01' };

/** The tables a statement names, views expanded to the tables they name. */
function tablesOf(text: string, seen = new Set<string>()): Set<string> {
  const found = new Set<string>();
  for (const name of [...names, ...views.keys()]) {
    if (!new RegExp(`\\b(FROM|JOIN)\\s+${name}\\b`, 'i').test(text) || seen.has(name)) continue;
    seen.add(name);
    if (views.has(name)) for (const t of tablesOf(views.get(name)!, seen)) found.add(t);
    else found.add(name);
  }
  return found;
}

async function sqlOf(dataset: Dataset): Promise<string> {
  const query = await dataset.query({ caller, range: dataset.timeframe.kind === 'none' ? null : RANGE, filters: {}, splitBy: null, db });
  return query.toQuery().text;
}

test.each(DATASETS.filter((d) => d.reads).map((d) => [d.name, d] as const))('%s declares every table its SQL reads', async (_name, dataset) => {
  const read = tablesOf(await sqlOf(dataset));
  expect(read.size).toBeGreaterThan(0);
  expect([...read].filter((t) => !dataset.reads!.includes(t))).toEqual([]);
});

test('every table an export reads that is written outside the loader is in MUTABLE_TABLES', async () => {
  // What exports read: the declared tables, and the SQL of those that declare none (PCI computes its rows: every mutable table counts for it).
  const read = new Set<string>();
  for (const dataset of DATASETS) {
    if (dataset.reads) dataset.reads.forEach((t) => read.add(t));
    else if (dataset.name !== 'pci-details') tablesOf(await sqlOf(dataset)).forEach((t) => read.add(t));
  }
  expect(read.size).toBeGreaterThan(10);
  // Writers outside the loader: the product's code but etl/ (loads, which etl_loads records), the migrations
  // and the Insights rollups (rebuilt by loads).
  const written = new Map<string, string>();
  for (const file of sources(ROOT)) {
    const path = relative(ROOT, file);
    if (/^(etl|test|bench|stand-in|node_modules|dist)\//.test(path) || /^warehouse\/(migrations|insights)\//.test(path)) continue;
    for (const m of readFileSync(file, 'utf8').matchAll(/\b(?:UPDATE|INSERT INTO|DELETE FROM)\s+([a-z_]+)/g)) written.set(m[1], path);
  }
  expect(written.get('subscriptions')).toBeDefined();
  const missing = [...written].filter(([table]) => read.has(table) && !MUTABLE_TABLES.includes(table));
  expect(missing).toEqual([]);
});

test('from/to: days, datetimes with Z, an offset or no zone, to UTC instants; nothing else', () => {
  expect(parseInstant('2026-09-01', 'from')).toBe('2026-09-01 00:00:00.000000');
  expect(parseInstant('2026-09-01T00:00:00Z', 'from')).toBe('2026-09-01 00:00:00.000000');
  expect(parseInstant('2026-09-01T02:30:00+02:00', 'from')).toBe('2026-09-01 00:30:00.000000');
  expect(parseInstant('2026-09-01T02:30:00 0200', 'from')).toBe('2026-09-01 00:30:00.000000');
  expect(parseInstant('2026-08-31T22:00:00-02:00', 'to')).toBe('2026-09-01 00:00:00.000000');
  expect(parseInstant('2026-09-01T12:34', 'to')).toBe('2026-09-01 12:34:00.000000');
  expect(parseInstant('2026-09-01T12:34:56.1234567', 'to')).toBe('2026-09-01 12:34:56.123456');
  expect(parseInstant('2024-02-29', 'to')).toBe('2024-02-29 00:00:00.000000');
  for (const bad of ['2026-09', '2025-02-29', '2026-09-01T24:00:00Z', '2026-09-01T12:60', '2026-09-01T12:00:00+25:00', '2026/09/01', '', '2026-09-01Z']) {
    expect(() => parseInstant(bad, 'from')).toThrow(/^from ".*" is not a day YYYY-MM-DD or a datetime/);
  }
});

function sources(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    if (name.startsWith('.') || name === 'node_modules' || name === 'dist' || name === 'data') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sources(path));
    else if (name.endsWith('.ts')) out.push(path);
  }
  return out;
}
