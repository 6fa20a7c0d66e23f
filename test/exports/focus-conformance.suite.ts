import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Warehouse } from '../../warehouse/db';
import { exportToFile } from '../../warehouse/exports';
import { focusUnitSql } from '../../warehouse/exports/datasets/focus';
import { FOCUS_SERVICE_SUBCATEGORIES, FOCUS_UNIT_FORMAT } from '../../warehouse/exports/focus-spec';
import { copyTemplate, demoData } from '../support/data-sets';

/**
 * The FOCUS 1.2 rules the FinOps Foundation's validator (focus_validator 2.0.1, FOCUS 1.2 rule
 * model) once found broken in the FOCUS export, each restated in SQL over the export of the
 * ETL-loaded demo warehouse, so they cannot come back without Python in CI:
 * ServiceSubcategory-C-003-M/C-004-M, ServiceName-C-008-C, PricingUnit-C-003-O, EffectiveCost-C-005-C,
 * InvoiceId-C-003-C (what C-004-C means: null exactly when a charge has no invoice), and SkuId-C-004-C.
 * focus-validator.suite.ts runs the validator itself on the export, where it is installed.
 */
let dir: string;
let warehouse: Warehouse;
let partners: string[];
let files: string[];
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pi-focus-conformance-'));
  partners = (await demoData()).summary.partners.map((p) => p.id);
  warehouse = await Warehouse.open(await copyTemplate('demo-full', join(dir, 'warehouse.duckdb')));
  files = [];
  for (const partnerId of partners) {
    const file = join(dir, `focus-${partnerId}.parquet`);
    const caller = { partnerId, roles: ['Billing admin' as const], locations: null };
    await exportToFile(warehouse, caller, { dataset: 'focus', format: 'parquet', range: { kind: 'LIFETIME' } }, file);
    files.push(file);
  }
}, 180_000);
afterAll(() => {
  warehouse?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Every demo partner's FOCUS export. */
const focus = () => `read_parquet([${files.map((f) => `'${f}'`).join(', ')}])`;

async function all<T extends Record<string, unknown>>(text: string, params: string[] = []): Promise<T[]> {
  return warehouse.all<T>(text, params);
}

/** The number of rows a condition holds for (a count is text: BIGINT). */
async function rowsWhere(condition: string, params: string[] = []): Promise<number> {
  const [{ n }] = await all<{ n: string }>(`SELECT count(*)::VARCHAR AS n FROM ${focus()} WHERE ${condition}`, params);
  return Number(n);
}

test('the export has every kind of row these rules are about', async () => {
  const kinds = await all<{ kind: string }>(`SELECT DISTINCT x_SourceFile || ' ' || ChargeCategory AS kind FROM ${focus()} ORDER BY 1`);
  expect(kinds.map((k) => k.kind)).toEqual(
    expect.arrayContaining(['daily-rated usage Usage', 'license-based Purchase', 'license-based Usage', 'license-based Tax', 'one-time Purchase', 'one-time Usage']),
  );
});

describe('ServiceSubcategory-C-003-M, C-004-M: one of the FOCUS 1.2 values, under its own ServiceCategory', () => {
  test('every (ServiceCategory, ServiceSubcategory) pair is a FOCUS 1.2 pair', async () => {
    const pairs = await all<{ category: string; subcategory: string }>(
      `SELECT DISTINCT ServiceCategory AS category, ServiceSubcategory AS subcategory FROM ${focus()} ORDER BY 1, 2`,
    );
    expect(pairs.length).toBeGreaterThan(5);
    const allowed = FOCUS_SERVICE_SUBCATEGORIES as Record<string, readonly string[]>;
    for (const { category, subcategory } of pairs) expect([category, subcategory, allowed[category]?.includes(subcategory)]).toEqual([category, subcategory, true]);
  });

  test('license lines take their service from their offer\'s product family (the DurableOfferId is the catalog\'s offer id)', async () => {
    // Microsoft 365 and Office 365 are productivity suites: FOCUS's "Productivity and Collaboration".
    const productivity = `SkuId IN (SELECT offer_id FROM products WHERE product_family IN ('Microsoft 365', 'Office 365'))`;
    expect(await rowsWhere(`x_SourceFile = 'license-based' AND ${productivity}`)).toBeGreaterThan(0);
    expect(await rowsWhere(`x_SourceFile = 'license-based' AND ${productivity} AND ServiceSubcategory <> 'Productivity and Collaboration'`)).toBe(0);
    expect(await rowsWhere(`x_SourceFile = 'license-based' AND SkuId IN (SELECT offer_id FROM products) AND ServiceCategory = 'Other'`)).toBe(0);
  });
});

test('ServiceName-C-008-C: each ServiceName has one ServiceSubcategory (and one ServiceCategory)', async () => {
  const services = await all<{ name: string; subcategories: string; categories: string }>(
    `SELECT ServiceName AS name, count(DISTINCT ServiceSubcategory)::VARCHAR AS subcategories, count(DISTINCT ServiceCategory)::VARCHAR AS categories
     FROM ${focus()} GROUP BY ServiceName ORDER BY 1`,
  );
  expect(services.length).toBeGreaterThan(10);
  for (const s of services) expect(s).toEqual({ name: s.name, subcategories: '1', categories: '1' });
});

describe('PricingUnit-C-003-O: units in the FOCUS Unit Format', () => {
  test('every PricingUnit is in the format', async () => {
    expect(await rowsWhere(`PricingUnit IS NOT NULL`)).toBeGreaterThan(1000);
    const bad = await all<{ unit: string }>(`SELECT DISTINCT PricingUnit AS unit FROM ${focus()} WHERE NOT regexp_full_match(PricingUnit, $1)`, [FOCUS_UNIT_FORMAT]);
    expect(bad).toEqual([]);
  });

  test('every ConsumedUnit is too, but for a block of a rate ("100/Hour"), which the format cannot say', async () => {
    const bad = await all<{ unit: string }>(
      `SELECT DISTINCT ConsumedUnit AS unit FROM ${focus()} WHERE NOT regexp_full_match(ConsumedUnit, $1) AND NOT regexp_full_match(ConsumedUnit, '[0-9]+/[A-Za-z]+')`,
      [FOCUS_UNIT_FORMAT],
    );
    expect(bad).toEqual([]);
  });

  test('Microsoft units keep their block size: quantities and unit prices stay as in the file', async () => {
    const cases: [string, string][] = [
      ['10K Operations', '10000 Operations'], ['100 Hours', '100 Hours'], ['1 Hour', 'Hours'], ['Hours', 'Hours'], ['10K', '10000 Units'],
      ['1M', '1000000 Units'], ['1/Month', 'Units/Month'], ['1/Day', 'Units/Day'], ['1 GB/Month', 'GB/Month'], ['1 GB', 'GB'],
      ['GB/Month', 'GB/Month'], ['Licenses', 'Licenses'], [' 1 Day ', 'Days'], ['100/Hour', '100/Hour'],
    ];
    const values = cases.map((_, i) => `($${i + 1})`).join(', ');
    const rows = await all<{ unit: string; focus: string; ok: boolean }>(
      `SELECT unit, ${focusUnitSql('unit')} AS focus, regexp_full_match(${focusUnitSql('unit')}, $${cases.length + 1}) AS ok
       FROM (VALUES ${values}) v(unit)`,
      [...cases.map(([unit]) => unit), FOCUS_UNIT_FORMAT],
    );
    expect(rows.map((r) => [r.unit, r.focus])).toEqual(cases);
    expect(rows.filter((r) => !r.ok).map((r) => r.unit)).toEqual(['100/Hour']);
  });
});

describe('EffectiveCost-C-005-C: a purchase paid in advance has EffectiveCost 0, its cost amortized over what it covers', () => {
  test('no Purchase row has an EffectiveCost', async () => {
    expect(await rowsWhere(`ChargeCategory = 'Purchase'`)).toBeGreaterThan(100);
    expect(await rowsWhere(`ChargeCategory = 'Purchase' AND EffectiveCost <> 0`)).toBe(0);
  });

  test('per invoice, EffectiveCost sums to BilledCost exactly: the amortization loses and adds nothing', async () => {
    const invoices = await all<{ invoice: string; billed: string; effective: string }>(
      `SELECT InvoiceId AS invoice, sum(BilledCost)::VARCHAR AS billed, sum(EffectiveCost)::VARCHAR AS effective FROM ${focus()} GROUP BY 1 ORDER BY 1`,
    );
    expect(invoices.length).toBeGreaterThan(10);
    for (const i of invoices) expect(i).toEqual({ ...i, effective: i.billed });
  });

  test('amortization rows: billed nothing, one calendar month at most each, inside their purchase\'s charge period', async () => {
    const amortized = `x_SourceFile IN ('license-based', 'one-time') AND ChargeCategory = 'Usage'`;
    expect(await rowsWhere(amortized)).toBeGreaterThan(await rowsWhere(`ChargeCategory = 'Purchase'`));
    expect(await rowsWhere(`${amortized} AND BilledCost <> 0`)).toBe(0);
    expect(await rowsWhere(`${amortized} AND (ChargePeriodEnd <= ChargePeriodStart OR ChargePeriodEnd > date_trunc('month', ChargePeriodStart) + INTERVAL 1 MONTH)`)).toBe(0);
    // Each purchase's months tile its charge period: their days add up to the purchase's days.
    const [days] = await all<{ purchased: string; amortized: string }>(
      `SELECT sum(date_diff('day', ChargePeriodStart, ChargePeriodEnd)) FILTER (WHERE ChargeCategory = 'Purchase' AND BilledCost <> 0)::VARCHAR AS purchased,
              sum(date_diff('day', ChargePeriodStart, ChargePeriodEnd)) FILTER (WHERE ${amortized})::VARCHAR AS amortized
       FROM ${focus()}`,
    );
    expect(days.amortized).toBe(days.purchased);
  });

  test('a purchase covering a year is spread over its months, by day', async () => {
    // One purchase a year long, alone on its invoice for its subscription and charge type, and its amortization rows.
    const [year] = await all<{ months: string; first: string; total: string; billed: string }>(
      `WITH purchases AS (
         SELECT InvoiceId, x_SubscriptionId, x_ChargeType, ChargePeriodStart, ChargePeriodEnd, BilledCost,
                count(*) OVER (PARTITION BY InvoiceId, x_SubscriptionId, x_ChargeType) AS alike
         FROM ${focus()} WHERE ChargeCategory = 'Purchase'),
       purchase AS (
         SELECT * FROM purchases WHERE alike = 1 AND BilledCost > 0 AND date_diff('day', ChargePeriodStart, ChargePeriodEnd) >= 365
         ORDER BY InvoiceId, x_SubscriptionId LIMIT 1)
       SELECT count(*)::VARCHAR AS months, arg_min(a.EffectiveCost, a.ChargePeriodStart)::VARCHAR AS first,
              sum(a.EffectiveCost)::VARCHAR AS total, any_value(p.BilledCost)::VARCHAR AS billed
       FROM purchase p JOIN ${focus()} a ON a.ChargeCategory = 'Usage'
         AND a.InvoiceId = p.InvoiceId AND a.x_SubscriptionId = p.x_SubscriptionId AND a.x_ChargeType = p.x_ChargeType`,
    );
    expect(Number(year.months)).toBeGreaterThanOrEqual(12);
    expect(year.total).toBe(year.billed);
    expect(Number(year.first)).toBeLessThan(Number(year.billed) / 6);
  });
});

test('InvoiceId (C-003-C, what C-004-C and C-005-C say): null exactly for charges on no invoice; every line here is on one', async () => {
  // The validator checks C-004-C ("null when not invoiced") on every row, its condition dropped, so
  // any invoiced row fails it. The rule itself: every line of the files is on an invoice, so no row lacks one.
  const [lines] = await all<{ unbilled: string }>(
    `SELECT (SELECT count(*) FROM billing_license_lines WHERE invoice_number IS NULL) + (SELECT count(*) FROM billing_usage_lines WHERE invoice_number IS NULL)
       + (SELECT count(*) FROM billing_onetime_lines WHERE invoice_number IS NULL) AS unbilled`,
  );
  expect(Number(lines.unbilled)).toBe(0);
  expect(await rowsWhere('InvoiceId IS NULL')).toBe(0);
  const [invoices] = await all<{ exported: string; billed: string }>(
    `SELECT (SELECT count(DISTINCT InvoiceId) FROM ${focus()})::VARCHAR AS exported,
       (SELECT count(DISTINCT invoice_number) FROM (SELECT invoice_number FROM billing_license_lines UNION ALL SELECT invoice_number FROM billing_usage_lines
          UNION ALL SELECT invoice_number FROM billing_onetime_lines))::VARCHAR AS billed`,
  );
  expect(Number(invoices.exported)).toBeGreaterThan(10);
  expect(invoices.exported).toBe(invoices.billed);
});

test('SkuId-C-004-C: Tax rows carry no SkuId', async () => {
  expect(await rowsWhere(`ChargeCategory = 'Tax'`)).toBeGreaterThan(0);
  expect(await rowsWhere(`ChargeCategory = 'Tax' AND SkuId IS NOT NULL`)).toBe(0);
});
