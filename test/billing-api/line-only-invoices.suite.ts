import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneratedSummary } from '../../etl/generate';
import { loadFiles } from '../../etl/load';
import { startServer, type RunningServer } from '../../gateway/server';
import { Warehouse } from '../../warehouse/db';
import { gql, testAuth, token } from '../gateway/harness';
import { copyTemplate, demoData } from '../support/data-sets';
import { chargesOfLines, fromMicros, isoFromFile, micros, readCsv, writeCsv, type Csv } from './fixture';

/**
 * An invoice is its lines: the demo generator's files are loaded by the ETL WITHOUT the summary rows
 * (invoices.csv) of two invoices, a recurring one (license-based and daily-rated usage files) and a
 * one-time one. Over real HTTP through the composed gateway, both are listed and answered, with
 * charges equal to the sums of their CSV files (BigInt here, not SQL), consistency and reconciliation
 * present and every summary figure null; currency, type, billing period and invoice date come from
 * the lines. Loading the summaries afterwards brings the printed figures and doubles nothing.
 * Scoping: another partner and a location without lines on the invoice do not see it.
 */
type Kind = 'License' | 'OneTime' | 'DailyRatedUsage';

let dir: string;
let out: string;
let summary: GeneratedSummary;
let warehouse: Warehouse;
let server: RunningServer;
let partner: GeneratedSummary['partners'][number];
let other: GeneratedSummary['partners'][number];
let invoiceHeader: string[];
let withheld: Csv;
let recurring: string;
let oneTime: string;

const rowsOf = (n: string, kind: Kind): Csv => {
  const path = join(out, partner.slug, 'recon', `${n}_${kind}.csv`);
  return existsSync(path) ? readCsv(path).rows : [];
};
const allRows = (n: string) => [...rowsOf(n, 'License'), ...rowsOf(n, 'DailyRatedUsage'), ...rowsOf(n, 'OneTime')];
const sum = (rows: Csv, column: string) => rows.reduce((s, r) => s + micros(r[column] ?? ''), 0n);
const maxOf = (values: string[]) => values.filter(Boolean).sort().pop() ?? null;

/** The invoice's charges from its CSV files, summed here. */
function expectedCharges(n: string, only?: (r: Record<string, string>) => boolean) {
  const keep = (rows: Csv) => (only ? rows.filter(only) : rows);
  return chargesOfLines(keep(rowsOf(n, 'License')), keep(rowsOf(n, 'DailyRatedUsage')), keep(rowsOf(n, 'OneTime')));
}

/** What the lines say of the invoice's identity (see warehouse/billing/invoices.ts). */
function expectedIdentity(n: string) {
  const license = rowsOf(n, 'License');
  const usage = rowsOf(n, 'DailyRatedUsage');
  const one = rowsOf(n, 'OneTime');
  const invoiceDate = maxOf([
    ...usage.map((r) => isoFromFile(r.ChargeEndDate || r.UsageDate)),
    ...license.map((r) => isoFromFile(r.ChargeStartDate)),
    ...one.map((r) => isoFromFile(r.ChargeStartDate)),
  ]);
  const cycleEnd = maxOf(usage.map((r) => isoFromFile(r.ChargeEndDate)));
  const cycle = usage.find((r) => r.ChargeEndDate && isoFromFile(r.ChargeEndDate) === cycleEnd);
  const currencies = new Set([...license.map((r) => r.Currency), ...usage.map((r) => r.BillingCurrency), ...one.map((r) => r.Currency)]);
  expect(currencies.size).toBe(1);
  expect(invoiceDate).not.toBeNull();
  return {
    invoiceDate: invoiceDate!,
    billingPeriodStart: cycle ? isoFromFile(cycle.ChargeStartDate) : null,
    billingPeriodEnd: cycleEnd,
    type: license.length + usage.length > 0 ? 'RECURRING' : 'ONE_TIME',
    currency: [...currencies][0],
  };
}

const FIELDS = `invoiceNumber invoiceDate billingPeriodStart billingPeriodEnd type currency paymentTermsDays paymentDueDate
  summary { licenseBased { amount } usageBased { amount } oneTime { amount } tax { amount } total { amount currency } }
  charges { licenseBased { amount currency } usageBased { amount } oneTime { amount } subtotal { amount } tax { amount } licenseTax { amount }
            oneTimeTax { amount } total { amount } licenseLines usageLines oneTimeLines }
  consistency { consistent components { component invoice { amount } reconFiles { amount } matches } }
  byReseller { resellerMpnId lines total { amount } }`;
const INVOICES = `query($first: Int, $after: String, $filter: InvoiceFilter) {
  invoices(first: $first, after: $after, filter: $filter) { totalCount pageInfo { hasNextPage endCursor } edges { node { ${FIELDS} } } } }`;
const INVOICE = `query($n: ID!) { invoice(number: $n) { ${FIELDS}
  reconciliation { invoiceNumber status billedLines expectedLines matchedLines billedTotal { amount currency } expectedTotal { amount } differences { kind } } } }`;

const amounts = (charges: any) =>
  Object.fromEntries(Object.entries(charges).map(([k, v]) => [k, v && typeof v === 'object' ? (v as any).amount : v]));

async function listAll(bearer: string, filter?: Record<string, unknown>, first = 100): Promise<{ totalCount: number; nodes: any[] }> {
  const nodes: any[] = [];
  let after: string | null = null;
  let totalCount = 0;
  for (;;) {
    const r: any = await gql(server.graphqlUrl, bearer, INVOICES, { first, after, filter });
    expect(r.body.errors).toBeUndefined();
    totalCount = r.body.data.invoices.totalCount;
    nodes.push(...r.body.data.invoices.edges.map((e: any) => e.node));
    if (!r.body.data.invoices.pageInfo.hasNextPage) break;
    after = r.body.data.invoices.pageInfo.endCursor;
  }
  return { totalCount, nodes };
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pi-line-only-'));
  ({ files: out, summary } = await demoData());
  partner = summary.partners.find((x) => x.slug === 'fabrikam') ?? summary.partners[1];
  other = summary.partners.find((x) => x.id !== partner.id)!;
  // A recurring invoice with license and usage lines of at least two locations (not all of them), and a one-time invoice.
  const mpns = (n: string) => new Set(allRows(n).map((r) => r.MpnId));
  recurring = partner.invoices.find(
    (i) =>
      i.type === 'Recurring' &&
      rowsOf(i.invoiceNumber, 'License').length > 0 &&
      rowsOf(i.invoiceNumber, 'DailyRatedUsage').length > 0 &&
      mpns(i.invoiceNumber).size >= 2 &&
      partner.locations.some((l) => !mpns(i.invoiceNumber).has(l.mpnId)),
  )!.invoiceNumber;
  oneTime = partner.invoices.find((i) => i.type === 'OneTime' && rowsOf(i.invoiceNumber, 'OneTime').length > 0)!.invoiceNumber;
  // The two summaries of the partner's invoices.csv, withheld: the shared warehouse (every demo file
  // loaded by the ETL, test/support/data-sets.ts) without their rows is the warehouse of an
  // invoices.csv that came without them.
  const csv = readCsv(join(out, partner.slug, 'invoices.csv'));
  invoiceHeader = csv.header;
  withheld = csv.rows.filter((r) => r.InvoiceNumber === recurring || r.InvoiceNumber === oneTime);
  expect(withheld).toHaveLength(2);
  warehouse = await Warehouse.open(await copyTemplate('demo-full', join(dir, 'warehouse.duckdb')));
  await warehouse.run(`DELETE FROM invoices WHERE partner_id = $1 AND invoice_number IN ($2, $3)`, [partner.id, recurring, oneTime]);
  server = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth: testAuth });
}, 180_000);

afterAll(async () => {
  await server?.close();
  warehouse?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('an invoice known only from its reconciliation lines', () => {
  it('has no summary row in the warehouse, but lines', async () => {
    const [s] = await warehouse.all<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM invoices WHERE invoice_number IN ($1, $2)`,
      [recurring, oneTime],
    );
    expect(Number(s.n)).toBe(0);
    expect(expectedCharges(recurring).licenseLines).toBeGreaterThan(0);
    expect(expectedCharges(recurring).usageLines).toBeGreaterThan(0);
    expect(expectedCharges(oneTime).oneTimeLines).toBeGreaterThan(0);
  });

  it('is listed by invoices, in date order, with charges summed from its files and every summary figure null', async () => {
    const bearer = await token(partner.id, ['Billing admin']);
    const { totalCount, nodes } = await listAll(bearer);
    expect(totalCount).toBe(partner.invoices.length);
    expect(nodes.map((n) => n.invoiceNumber).sort()).toEqual(partner.invoices.map((i) => i.invoiceNumber).sort());
    const dates = nodes.map((n) => n.invoiceDate);
    expect([...dates].sort().reverse()).toEqual(dates);

    for (const n of [recurring, oneTime]) {
      const node = nodes.find((x) => x.invoiceNumber === n)!;
      const generated = partner.invoices.find((i) => i.invoiceNumber === n)!;
      const identity = expectedIdentity(n);
      expect(node).toMatchObject({ ...identity, paymentTermsDays: null, paymentDueDate: null, summary: null });
      expect(node.currency).toBe(generated.currency);
      expect(node.type).toBe(generated.type === 'OneTime' ? 'ONE_TIME' : 'RECURRING');
      // The lines' latest date is on or before the printed invoice date, within its month.
      expect(node.invoiceDate <= generated.invoiceDate).toBe(true);
      expect(node.invoiceDate > String(new Date(Date.parse(generated.invoiceDate) - 32 * 86_400_000).toISOString().slice(0, 10))).toBe(true);
      expect(amounts(node.charges)).toMatchObject(expectedCharges(n));
      expect(node.charges.total.amount).toBe(generated.total);
      expect(node.charges.licenseBased.currency).toBe(generated.currency);
      // Consistency is there, with nothing printed to compare: every component unmatched, invoice null.
      expect(node.consistency.consistent).toBe(false);
      expect(node.consistency.components).toHaveLength(8);
      for (const c of node.consistency.components) expect(c).toMatchObject({ invoice: null, matches: false });
      expect(node.consistency.components.find((c: any) => c.component === 'TOTAL').reconFiles.amount).toBe(generated.total);
      expect(node.byReseller.reduce((s: number, x: any) => s + x.lines, 0)).toBe(allRows(n).length);
    }
    expect(nodes.find((x) => x.invoiceNumber === recurring).billingPeriodStart).not.toBeNull();
    expect(nodes.find((x) => x.invoiceNumber === oneTime)).toMatchObject({ billingPeriodStart: null, billingPeriodEnd: null });
  });

  it('pages without overlap or gap', async () => {
    const bearer = await token(partner.id, ['Global admin']);
    const all = await listAll(bearer, undefined, 100);
    const paged = await listAll(bearer, undefined, 7);
    expect(paged.nodes.map((n) => n.invoiceNumber)).toEqual(all.nodes.map((n) => n.invoiceNumber));
    expect(new Set(paged.nodes.map((n) => n.invoiceNumber)).size).toBe(partner.invoices.length);
  });

  it('is answered by invoice(number), with its reconciliation', async () => {
    const r = await gql(server.graphqlUrl, await token(partner.id, ['Billing admin']), INVOICE, { n: recurring });
    expect(r.body.errors).toBeUndefined();
    const inv = r.body.data.invoice;
    expect(inv).toMatchObject({ invoiceNumber: recurring, ...expectedIdentity(recurring), summary: null, paymentDueDate: null });
    expect(amounts(inv.charges)).toMatchObject(expectedCharges(recurring));
    const license = rowsOf(recurring, 'License');
    // The billing rules find the invoice's lines on the billing date on or after the lines' latest date: all matched.
    expect(inv.reconciliation).toEqual({
      invoiceNumber: recurring,
      status: 'MATCHED',
      billedLines: license.length,
      expectedLines: license.length,
      matchedLines: license.length,
      billedTotal: { amount: fromMicros(sum(license, 'Amount')), currency: inv.currency },
      expectedTotal: { amount: fromMicros(sum(license, 'Amount')) },
      differences: [],
    });
    const o = await gql(server.graphqlUrl, await token(partner.id, ['Admin agent']), INVOICE, { n: oneTime });
    expect(o.body.errors).toBeUndefined();
    expect(o.body.data.invoice).toMatchObject({ invoiceNumber: oneTime, type: 'ONE_TIME', summary: null });
    expect(amounts(o.body.data.invoice.charges)).toMatchObject(expectedCharges(oneTime));
    expect(o.body.data.invoice.reconciliation).toMatchObject({ status: 'MATCHED', billedLines: 0, expectedLines: 0 });
  });

  it('is filtered by date, type and currency like any invoice', async () => {
    const bearer = await token(partner.id, ['Billing admin']);
    const r = expectedIdentity(recurring);
    const o = expectedIdentity(oneTime);
    const numbers = async (filter: Record<string, unknown>) => (await listAll(bearer, filter)).nodes.map((n) => n.invoiceNumber);

    const sameDay = await listAll(bearer, { from: r.invoiceDate, to: r.invoiceDate });
    expect(sameDay.nodes.map((n) => n.invoiceNumber)).toContain(recurring);
    for (const n of sameDay.nodes) expect(n.invoiceDate).toBe(r.invoiceDate);
    expect(await numbers({ from: r.invoiceDate, to: r.invoiceDate, type: 'ONE_TIME' })).not.toContain(recurring);
    expect(await numbers({ to: r.invoiceDate, type: 'RECURRING', currency: r.currency.toLowerCase() })).toContain(recurring);
    expect(await numbers({ type: 'RECURRING', currency: r.currency === 'ZZZ' ? 'YYY' : 'ZZZ' })).toEqual([]);
    const afterIt = await numbers({ from: addDay(r.invoiceDate) });
    expect(afterIt).not.toContain(recurring);

    const oneTimes = await numbers({ type: 'ONE_TIME', from: o.invoiceDate, to: o.invoiceDate });
    expect(oneTimes).toContain(oneTime);
    expect(await numbers({ type: 'ONE_TIME' })).toEqual(
      expect.arrayContaining([oneTime, ...partner.invoices.filter((i) => i.type === 'OneTime').map((i) => i.invoiceNumber)]),
    );
    expect(await numbers({ type: 'ONE_TIME' })).toHaveLength(partner.invoices.filter((i) => i.type === 'OneTime').length);
  });

  it("is not seen by another partner, nor by a location without lines on it; a location with lines sees its own lines' charges", async () => {
    const outsider = await token(other.id, ['Global admin']);
    const list = await listAll(outsider);
    expect(list.nodes.map((n) => n.invoiceNumber)).not.toContain(recurring);
    expect(list.totalCount).toBe(other.invoices.length);
    const nf = await gql(server.graphqlUrl, outsider, INVOICE, { n: recurring });
    expect(nf.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(nf.body.data?.invoice ?? null).toBeNull();

    const mpns = new Set(allRows(recurring).map((r) => r.MpnId));
    const away = partner.locations.map((l) => l.mpnId).find((m) => !mpns.has(m))!;
    const awayBearer = await token(partner.id, ['Billing admin'], { locations: [away] });
    expect((await listAll(awayBearer)).nodes.map((n) => n.invoiceNumber)).not.toContain(recurring);
    const hidden = await gql(server.graphqlUrl, awayBearer, INVOICE, { n: recurring });
    expect(hidden.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const rec = await gql(server.graphqlUrl, awayBearer, `query($n: ID!) { reconciliation(invoiceNumber: $n) { status } }`, { n: recurring });
    expect(rec.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');

    const here = [...mpns].find((m) => partner.locations.some((l) => l.mpnId === m))!;
    const hereBearer = await token(partner.id, ['Billing admin'], { locations: [here] });
    const seen = (await listAll(hereBearer)).nodes.find((n) => n.invoiceNumber === recurring);
    expect(seen).toBeDefined();
    expect(seen).toMatchObject({ ...expectedIdentity(recurring), summary: null, consistency: null });
    const own = expectedCharges(recurring, (row) => row.MpnId === here);
    expect(amounts(seen.charges)).toMatchObject(own);
    expect(own.licenseLines + own.usageLines).toBeLessThan(allRows(recurring).length);
  });

  it('takes the printed figures when its summary is loaded, and nothing doubles', async () => {
    const bearer = await token(partner.id, ['Billing admin']);
    const before = await gql(server.graphqlUrl, bearer, INVOICE, { n: recurring });
    const target = join(dir, 'summaries');
    mkdirSync(target);
    writeFileSync(join(target, 'invoices.csv'), writeCsv(invoiceHeader, withheld));
    const [result] = await loadFiles(warehouse, [join(target, 'invoices.csv')]);
    expect(result.status).toBe('loaded');

    const { totalCount, nodes } = await listAll(bearer, undefined, 9);
    expect(totalCount).toBe(partner.invoices.length);
    expect(nodes).toHaveLength(partner.invoices.length);
    expect(new Set(nodes.map((n) => n.invoiceNumber)).size).toBe(partner.invoices.length);
    for (const row of withheld) {
      const node = nodes.find((n) => n.invoiceNumber === row.InvoiceNumber)!;
      const generated = partner.invoices.find((i) => i.invoiceNumber === row.InvoiceNumber)!;
      expect(node).toMatchObject({
        invoiceDate: row.InvoiceDate,
        billingPeriodStart: row.BillingPeriodStart,
        billingPeriodEnd: row.BillingPeriodEnd,
        type: row.InvoiceType === 'OneTime' ? 'ONE_TIME' : 'RECURRING',
        currency: row.Currency,
        paymentTermsDays: Number(row.PaymentTermsDays),
        paymentDueDate: row.PaymentDueDate,
      });
      expect(node.summary.total).toEqual({ amount: generated.total, currency: row.Currency });
      expect(node.summary.licenseBased.amount).toBe(fromMicros(micros(row.LicenseBasedCharges)));
      expect(amounts(node.charges)).toMatchObject(expectedCharges(row.InvoiceNumber));
      expect(node.consistency.consistent).toBe(true);
    }
    const after = await gql(server.graphqlUrl, bearer, INVOICE, { n: recurring });
    expect(after.body.errors).toBeUndefined();
    expect(after.body.data.invoice.charges).toEqual(before.body.data.invoice.charges);
    expect(after.body.data.invoice.reconciliation).toEqual(before.body.data.invoice.reconciliation);
    const [count] = await warehouse.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM invoices WHERE invoice_number = $1`, [recurring]);
    expect(Number(count.n)).toBe(1);
  });
});

function addDay(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
}
