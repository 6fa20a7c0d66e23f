import { FOCUS_1_2_COLUMNS } from '../../warehouse/exports';
import { DUCKDB_TYPE_OF_FOCUS, FOCUS_SERVICE_CATEGORIES } from '../../warehouse/exports/focus-spec';
import { startExportsEnv, type ExportsEnv } from './env';
import { canonicalDecimal, parquetSchema, saveBody } from './read-back';

/**
 * The FOCUS export against the FOCUS 1.2 column list: every Mandatory column present with its
 * type, no nulls where FOCUS allows none, documented values only, custom columns prefixed x_; and
 * BilledCost summing, per invoice and exactly, to the invoice totals the billing subgraph computes.
 */
let env: ExportsEnv;
let file: string;
let billing: string;
beforeAll(async () => {
  env = await startExportsEnv();
  billing = await env.token(env.partners[0], ['Billing admin']);
  const response = await env.download('focus.parquet?range=lifetime', billing);
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('application/vnd.apache.parquet');
  file = await saveBody(response, env.dir, 'focus.parquet');
}, 180_000);
afterAll(() => env?.close());

const source = () => `read_parquet('${file}')`;

test('every FOCUS 1.2 Mandatory column is present with its FOCUS type', async () => {
  const schema = await parquetSchema(env.warehouse, file);
  const mandatory = FOCUS_1_2_COLUMNS.filter((c) => c.level === 'Mandatory');
  expect(mandatory).toHaveLength(21);
  for (const column of mandatory) expect([column.id, schema[column.id]]).toEqual([column.id, DUCKDB_TYPE_OF_FOCUS[column.type]]);
});

test('every other column is a FOCUS 1.2 column with its type, or an x_ extension column', async () => {
  const schema = await parquetSchema(env.warehouse, file);
  const spec = new Map(FOCUS_1_2_COLUMNS.map((c) => [c.id, c]));
  for (const [name, type] of Object.entries(schema)) {
    if (name.startsWith('x_')) continue;
    expect([name, spec.has(name)]).toEqual([name, true]);
    expect([name, type]).toEqual([name, DUCKDB_TYPE_OF_FOCUS[spec.get(name)!.type]]);
  }
  expect(Object.keys(schema).filter((n) => n.startsWith('x_'))).toEqual(
    expect.arrayContaining(['x_ResellerMpnId', 'x_PartnerEarnedCreditPercentage', 'x_CustomerDomainName']),
  );
});

test('columns FOCUS does not allow to be null have no nulls; values are FOCUS values', async () => {
  const schema = await parquetSchema(env.warehouse, file);
  const notNull = FOCUS_1_2_COLUMNS.filter((c) => !c.allowsNulls && c.id in schema).map((c) => c.id);
  expect(notNull).toEqual(expect.arrayContaining(['BilledCost', 'BillingAccountId', 'BillingCurrency', 'ChargeCategory', 'ServiceName']));
  const counts = await env.warehouse.all<Record<string, string>>(
    `SELECT count(*)::VARCHAR AS total, ${notNull.map((c) => `count(*) FILTER (WHERE "${c}" IS NULL)::VARCHAR AS "${c}"`).join(', ')} FROM ${source()}`,
  );
  const { total, ...nulls } = counts[0];
  expect(Number(total)).toBeGreaterThan(1000);
  expect(Object.values(nulls).every((n) => n === '0')).toBe(true);

  const values = async (column: string) =>
    (await env.warehouse.all<{ v: string }>(`SELECT DISTINCT "${column}" AS v FROM ${source()} ORDER BY 1`)).map((r) => r.v);
  expect(await values('ChargeCategory')).toEqual(expect.arrayContaining(['Purchase', 'Usage', 'Tax']));
  for (const v of await values('ChargeCategory')) expect(['Usage', 'Purchase', 'Credit', 'Tax', 'Adjustment']).toContain(v);
  for (const v of await values('ChargeFrequency')) expect(['One-Time', 'Recurring', 'Usage-Based']).toContain(v);
  for (const v of await values('ServiceCategory')) expect(FOCUS_SERVICE_CATEGORIES).toContain(v);
  // PricingQuantity MUST be null for Tax and MUST NOT be null for Usage and Purchase.
  const [q] = await env.warehouse.all<{ tax: string; priced: string }>(
    `SELECT count(*) FILTER (WHERE ChargeCategory = 'Tax' AND PricingQuantity IS NOT NULL)::VARCHAR AS tax,
            count(*) FILTER (WHERE ChargeCategory IN ('Usage', 'Purchase') AND PricingQuantity IS NULL)::VARCHAR AS priced FROM ${source()}`,
  );
  expect(q).toEqual({ tax: '0', priced: '0' });
  // Periods: end after start, billing periods whole days in UTC.
  const [p] = await env.warehouse.all<{ bad: string }>(
    `SELECT count(*) FILTER (WHERE ChargePeriodEnd <= ChargePeriodStart OR BillingPeriodEnd <= BillingPeriodStart)::VARCHAR AS bad FROM ${source()}`,
  );
  expect(p.bad).toBe('0');
});

test('BilledCost sums to every invoice total of the billing GraphQL API, exactly', async () => {
  const data = await env.graphql(billing, `{ invoices(first: 100) { totalCount edges { node { invoiceNumber charges { total { amount currency } } } } } }`);
  expect(data.invoices.totalCount).toBeLessThanOrEqual(100);
  const expected = Object.fromEntries(
    data.invoices.edges.map((e: any) => [e.node.invoiceNumber, `${canonicalDecimal(e.node.charges.total.amount)} ${e.node.charges.total.currency}`]),
  );
  expect(Object.keys(expected).length).toBeGreaterThan(5);
  const sums = await env.warehouse.all<{ invoice: string; billed: string; currency: string }>(
    `SELECT InvoiceId AS invoice, sum(BilledCost)::VARCHAR AS billed, any_value(BillingCurrency) AS currency FROM ${source()} GROUP BY InvoiceId`,
  );
  const got = Object.fromEntries(sums.map((r) => [r.invoice, `${canonicalDecimal(r.billed)} ${r.currency}`]));
  expect(got).toEqual(expected);
});

test('BilledCost sums to the invoices table\'s totals as loaded (subtotal + tax), exactly', async () => {
  const rows = await env.warehouse.all<{ invoice: string; billed: string; loaded: string }>(
    `SELECT i.invoice_number AS invoice, f.billed::VARCHAR AS billed, (i.subtotal + i.tax)::VARCHAR AS loaded
     FROM invoices i JOIN (SELECT InvoiceId, sum(BilledCost) AS billed FROM ${source()} GROUP BY InvoiceId) f ON f.InvoiceId = i.invoice_number
     WHERE i.partner_id = $1`,
    [env.partners[0]],
  );
  expect(rows.length).toBeGreaterThan(5);
  for (const r of rows) expect([r.invoice, canonicalDecimal(r.billed)]).toEqual([r.invoice, canonicalDecimal(r.loaded)]);
});

test('the CSV and TSV FOCUS files carry the same BilledCost per invoice as the Parquet one', async () => {
  const parquet = await env.warehouse.all<{ i: string; b: string }>(`SELECT InvoiceId AS i, sum(BilledCost)::VARCHAR AS b FROM ${source()} GROUP BY 1 ORDER BY 1`);
  for (const format of ['csv', 'tsv'] as const) {
    const response = await env.download(`focus.${format}?range=lifetime`, billing);
    expect(response.status).toBe(200);
    const path = await saveBody(response, env.dir, `focus.${format}`);
    const rows = await env.warehouse.all<{ i: string; b: string }>(
      `SELECT InvoiceId AS i, sum(BilledCost::DECIMAL(18,6))::VARCHAR AS b
       FROM read_csv('${path}', delim='${format === 'tsv' ? '\t' : ','}', header=true, all_varchar=true) GROUP BY 1 ORDER BY 1`,
    );
    expect(rows).toEqual(parquet);
  }
});
