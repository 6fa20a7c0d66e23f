import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneratedSummary } from '../../etl/generate';
import { startServer, type RunningServer } from '../../gateway/server';
import { checkBudgetAlerts } from '../../warehouse/billing/budget-alerts';
import { now } from '../../warehouse/clock';
import { Warehouse } from '../../warehouse/db';
import { warehouseEvents, type WarehouseEvent } from '../../warehouse/events';
import { gql, testAuth, token } from '../gateway/harness';
import { cents, fromCents, monthKey, parseCsv, readCsv, type Rec } from '../insights/model';
import { copyTemplate, demoData } from '../support/data-sets';
import { finishedLoadJob, uploadAndStartLoad } from '../support/ingest';
import { connect, record, settle } from '../live/support';

/**
 * Customer budgets (reference lines 10967-11040) over real HTTP on the ETL-loaded demo warehouse:
 * set, change and remove by role; the month's spending against the usage files the generator
 * wrote; alerts at 80 % and 100 % listed, published once (after a budget is set and after a load
 * brings usage), never across partners; bad input; the executive report. "Today" is the demo's
 * as-of day, so the month is the demo's last month of usage.
 */
type BudgetAlertEvent = Extract<WarehouseEvent, { type: 'budgetAlert' }>;

let dir: string;
let warehouse: Warehouse;
let server: RunningServer;
let summary: GeneratedSummary;
let files: string;
let month: string;
const events: BudgetAlertEvent[] = [];
let stopListening: () => void;
const previousToday = process.env.PI_TODAY;

/** Per partner, per customer: the month's BillingPreTaxTotal (cents) and the billing currency, from the generated usage files. */
const spending = new Map<string, Map<string, { cents: bigint; currency: string }>>();
/** The month's usage lines of each customer (to load more of them). */
const linesOf = new Map<string, Rec[]>();

const MANAGE = ['Global admin', 'Billing admin', 'Admin agent'];

beforeAll(async () => {
  ({ summary, files } = await demoData());
  month = summary.asOf.slice(0, 7);
  process.env.PI_TODAY = `${summary.asOf}T12:00:00Z`;
  for (const f of summary.files.filter((x) => x.format === 'daily-usage-recon')) {
    for (const line of readCsv(join(files, f.path))) {
      if (monthKey(line.UsageDate) !== month) continue;
      const byCustomer = spending.get(line.PartnerId) ?? new Map();
      spending.set(line.PartnerId, byCustomer);
      const s = byCustomer.get(line.CustomerId) ?? { cents: 0n, currency: line.BillingCurrency };
      expect(s.currency).toBe(line.BillingCurrency); // one billing currency per customer
      s.cents += cents(line.BillingPreTaxTotal);
      byCustomer.set(line.CustomerId, s);
      linesOf.set(line.CustomerId, [...(linesOf.get(line.CustomerId) ?? []), line]);
    }
  }
  dir = mkdtempSync(join(tmpdir(), 'pi-budgets-'));
  warehouse = await Warehouse.open(await copyTemplate('demo-full', join(dir, 'warehouse.duckdb')));
  stopListening = warehouseEvents(warehouse).subscribe((e) => {
    if (e.type === 'budgetAlert') events.push(e);
  });
  server = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth: testAuth });
}, 300_000);

afterAll(async () => {
  stopListening?.();
  await server?.close();
  warehouse?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (previousToday === undefined) delete process.env.PI_TODAY;
  else process.env.PI_TODAY = previousToday;
});

const partner = (i: number) => summary.partners[i].id;
/** The partner's customers with usage this month, most spent first. */
const spenders = (p: string) => [...spending.get(p)!.entries()].filter(([, s]) => s.cents > 0n).sort((a, b) => (a[1].cents === b[1].cents ? a[0].localeCompare(b[0]) : a[1].cents > b[1].cents ? -1 : 1));
/** `spent ÷ ratio` rounded down to the cent, as a decimal string. */
const budgetFor = (spent: bigint, ratioPercent: bigint) => fromCents((spent * 100n) / ratioPercent);

const SET = `mutation($id: ID!, $amount: String!, $currency: String) { setCustomerBudget(customerId: $id, amount: $amount, currency: $currency) {
  id budget { month amount { amount currency } spent { amount currency } percentUsed state setAt } } }`;
const REMOVE = `mutation($id: ID!) { removeCustomerBudget(customerId: $id) { id budget { amount { amount } } } }`;
const BUDGET = `query($id: ID!, $month: String) { customer(id: $id) { id budget(month: $month) { month amount { amount currency } spent { amount currency } percentUsed state } } }`;
const ALERTS = `query($month: String) { budgetAlerts(month: $month) { customerId companyName month threshold spent { amount currency } budget { amount currency } alertedAt customer { id companyName } } }`;

async function as(p: string, roles: string[], query: string, variables?: Record<string, unknown>, locations?: string[]) {
  return gql(server.graphqlUrl, await token(p, roles as never, { locations }), query, variables);
}

async function waitForEvents(count: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (events.length < count && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
}

describe('set, change, remove', () => {
  test('the roles the reference names set, change and remove; the budget carries the month, the spending and the state', async () => {
    const p = partner(0);
    const [customerId, s] = spenders(p)[0];
    const amount = budgetFor(s.cents, 20n); // 20 % used: no alert
    const set = await as(p, ['Billing admin'], SET, { id: customerId, amount });
    expect(set.body.errors).toBeUndefined();
    expect(set.body.data.setCustomerBudget.budget).toEqual({
      month,
      amount: { amount, currency: s.currency },
      spent: { amount: fromCents(s.cents), currency: s.currency },
      percentUsed: Math.round((Number(s.cents) / Number(cents(amount))) * 10000) / 100,
      state: 'OK',
      setAt: `${summary.asOf}T12:00:00.000Z`,
    });
    const changed = await as(p, ['Admin agent'], SET, { id: customerId, amount: '999999.99', currency: s.currency.toLowerCase() });
    expect(changed.body.errors).toBeUndefined();
    expect(changed.body.data.setCustomerBudget.budget.amount).toEqual({ amount: '999999.99', currency: s.currency });
    const read = await as(p, ['Global admin'], BUDGET, { id: customerId });
    expect(read.body.data.customer.budget.amount.amount).toBe('999999.99');
    const removed = await as(p, ['Global admin'], REMOVE, { id: customerId });
    expect(removed.body.errors).toBeUndefined();
    expect(removed.body.data.removeCustomerBudget).toEqual({ id: customerId, budget: null });
    // Removing what is not there: NOT_FOUND.
    const again = await as(p, ['Billing admin'], REMOVE, { id: customerId });
    expect(again.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    // The month before the budget was set has no budget: a budget covers the month it is set in and after.
    const before = await as(p, ['Global admin'], BUDGET, { id: customerId, month: '2026-09' });
    expect(before.body.data.customer.budget).toBeNull();
  });

  test('other roles are refused, naming the roles; nothing is written', async () => {
    const p = partner(0);
    const [customerId] = spenders(p)[1];
    for (const role of ['Sales agent', 'Helpdesk agent', 'Executive report viewer', 'Report viewer', 'Referrals admin']) {
      const r = await as(p, [role], SET, { id: customerId, amount: '100' });
      expect({ role, data: r.body.data?.setCustomerBudget ?? null }).toEqual({ role, data: null });
      expect(r.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: MANAGE });
      const alerts = await as(p, [role], ALERTS, { month });
      expect(alerts.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: MANAGE });
    }
    const read = await as(p, ['Global admin'], BUDGET, { id: customerId });
    expect(read.body.data.customer.budget).toBeNull();
  });
});

test("spending: every customer's budget shows its month's usage in its billing currency, as the generated files sum it", async () => {
  let nonUsd = 0;
  let checked = 0;
  for (const [i] of summary.partners.entries()) {
    const p = partner(i);
    for (const [customerId, s] of spenders(p)) {
      const set = await as(p, ['Global admin'], SET, { id: customerId, amount: '1000000000' });
      expect(set.body.errors).toBeUndefined();
      expect(set.body.data.setCustomerBudget.budget.spent).toEqual({ amount: fromCents(s.cents), currency: s.currency });
      if (s.currency !== 'USD') nonUsd++;
      checked++;
      expect((await as(p, ['Global admin'], REMOVE, { id: customerId })).body.errors).toBeUndefined();
    }
  }
  expect(checked).toBeGreaterThan(4);
  expect(nonUsd).toBeGreaterThan(0);
  expect(events).toEqual([]);
});

describe('alerts', () => {
  test('at 80 % and 100 %, each published once and listed for the month', async () => {
    const p = partner(0);
    const [customerId, s] = spenders(p)[2];
    const before = events.length;
    const at90 = await as(p, ['Billing admin'], SET, { id: customerId, amount: budgetFor(s.cents, 90n) });
    expect(at90.body.data.setCustomerBudget.budget.state).toBe('AT_80_PERCENT');
    expect(events.slice(before)).toEqual([
      { type: 'budgetAlert', partnerId: p, customerId, month, threshold: 80, spent: fromCents(s.cents), budget: budgetFor(s.cents, 90n), currency: s.currency, at: `${summary.asOf}T12:00:00Z` },
    ]);
    // The same budget again: nothing new.
    await as(p, ['Billing admin'], SET, { id: customerId, amount: budgetFor(s.cents, 90n) });
    expect(events.length).toBe(before + 1);
    const at125 = await as(p, ['Admin agent'], SET, { id: customerId, amount: budgetFor(s.cents, 125n) });
    expect(at125.body.data.setCustomerBudget.budget.state).toBe('AT_100_PERCENT');
    expect(events.slice(before).map((e) => [e.customerId, e.threshold, e.budget])).toEqual([
      [customerId, 80, budgetFor(s.cents, 90n)],
      [customerId, 100, budgetFor(s.cents, 125n)],
    ]);
    const listed = await as(p, ['Admin agent'], ALERTS, { month });
    expect(listed.body.errors).toBeUndefined();
    const mine = listed.body.data.budgetAlerts.filter((a: any) => a.customerId === customerId);
    expect(mine.map((a: any) => [a.threshold, a.spent.amount, a.budget.amount, a.budget.currency, a.month])).toEqual([
      [100, fromCents(s.cents), budgetFor(s.cents, 125n), s.currency, month],
      [80, fromCents(s.cents), budgetFor(s.cents, 90n), s.currency, month],
    ]);
    expect(mine[0].customer.id).toBe(customerId);
    expect(mine[0].companyName).toBe(mine[0].customer.companyName);
    // Default month: the current one; another month has none.
    expect((await as(p, ['Admin agent'], ALERTS)).body.data.budgetAlerts.length).toBe(listed.body.data.budgetAlerts.length);
    expect((await as(p, ['Admin agent'], ALERTS, { month: '2026-09' })).body.data.budgetAlerts).toEqual([]);
    // A restart checks again (gateway/server.ts): what was sent is not sent twice.
    expect(await checkBudgetAlerts(warehouse, now())).toEqual([]);
    expect(events.length).toBe(before + 2);
  });

  test('after a load brings more usage: the thresholds it crosses are published once the job ends', async () => {
    const p = partner(0);
    const [customerId, s] = spenders(p)[3];
    const set = await as(p, ['Global admin'], SET, { id: customerId, amount: budgetFor(s.cents, 50n) }); // 50 %: no alert
    expect(set.body.data.setCustomerBudget.budget.state).toBe('OK');
    const before = events.length;
    // The customer's lines of the month twice more, under a new invoice number: spending triples (150 %).
    const lines = linesOf.get(customerId)!;
    const header = Object.keys(lines[0]);
    const quote = (v: string) => `"${v.replace(/"/g, '""')}"`;
    const rows = [0, 1].flatMap((copy) => lines.map((l) => header.map((h) => quote(h === 'InvoiceNumber' ? 'G990000001' : h === 'ResourceURI' ? `${l[h]}/copy${copy}` : l[h])).join(',')));
    const csv = Buffer.from([header.map(quote).join(','), ...rows].join('\r\n') + '\r\n');
    expect(parseCsv(csv.toString()).length).toBe(lines.length * 2);
    const headers = { authorization: `Bearer ${await token(p, ['Global admin'])}` };
    const job = await finishedLoadJob(server.url, headers, await uploadAndStartLoad(server.url, headers, 'G990000001_DailyRatedUsage.csv', csv));
    expect(job.state).toBe('SUCCEEDED');
    await waitForEvents(before + 2);
    const tripled = s.cents * 3n;
    expect(events.slice(before).map((e) => [e.customerId, e.threshold, e.spent, e.currency])).toEqual([
      [customerId, 80, fromCents(tripled), s.currency],
      [customerId, 100, fromCents(tripled), s.currency],
    ]);
    const read = await as(p, ['Billing admin'], BUDGET, { id: customerId });
    expect(read.body.data.customer.budget).toMatchObject({ spent: { amount: fromCents(tripled) }, state: 'AT_100_PERCENT' });
    await new Promise((r) => setTimeout(r, 300));
    expect(events.length).toBe(before + 2);
  });

  test('reach a websocket subscriber of the partner (graphql-ws), never another partner\'s', async () => {
    // The other partner's customer: the first partner's spenders are the other tests'.
    const p = partner(1);
    const [customerId, s] = spenders(p)[0];
    const SUBSCRIBE = `subscription { budgetAlert { customerId month threshold spent { amount currency } budget { amount currency } } }`;
    const mine = connect(server.graphqlUrl, await token(p, ['Billing admin']));
    const other = connect(server.graphqlUrl, await token(partner(0), ['Global admin']));
    try {
      const received = record(mine, SUBSCRIBE);
      const elsewhere = record(other, SUBSCRIBE);
      await Promise.all([mine.connected, other.connected]);
      await settle(200);
      const set = await as(p, ['Billing admin'], SET, { id: customerId, amount: budgetFor(s.cents, 90n) });
      expect(set.body.data.setCustomerBudget.budget.state).toBe('AT_80_PERCENT');
      expect(await received.next()).toEqual({
        customerId, month, threshold: 80, spent: { amount: fromCents(s.cents), currency: s.currency }, budget: { amount: budgetFor(s.cents, 90n), currency: s.currency },
      });
      await settle();
      expect(elsewhere.events).toEqual([]);
    } finally {
      await Promise.all([mine.dispose(), other.dispose()]);
    }
  });

  test('each (customer, month, threshold) was published exactly once', () => {
    const keys = events.map((e) => `${e.partnerId}|${e.customerId}|${e.month}|${e.threshold}`);
    expect(keys.length).toBeGreaterThanOrEqual(4);
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe('isolation', () => {
  test('another partner can neither see nor set them; a location-scoped caller only its locations', async () => {
    const p = partner(0);
    const other = partner(1);
    const [customerId] = spenders(p)[2]; // alerted above
    const set = await as(other, ['Global admin'], SET, { id: customerId, amount: '100' });
    expect(set.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect((await as(other, ['Global admin'], REMOVE, { id: customerId })).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const theirs = (await as(other, ['Global admin'], ALERTS, { month })).body.data.budgetAlerts;
    expect(theirs.some((a: any) => a.customerId === customerId)).toBe(false);
    const read = await as(other, ['Global admin'], BUDGET, { id: customerId });
    expect(read.body.data.customer).toBeNull();
    // A location of the partner without the customer: not found, and not listed.
    const [{ mpn_id: own }] = await warehouse.all<{ mpn_id: string }>(`SELECT mpn_id FROM customers WHERE partner_id = $1 AND customer_id = $2`, [p, customerId]);
    const elsewhere = summary.partners[0].locations.map((l) => l.mpnId).find((m) => m !== own)!;
    expect((await as(p, ['Billing admin'], SET, { id: customerId, amount: '100' }, [elsewhere])).body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    const scoped = (await as(p, ['Billing admin'], ALERTS, { month }, [elsewhere])).body.data.budgetAlerts;
    expect(scoped.some((a: any) => a.customerId === customerId)).toBe(false);
    const local = (await as(p, ['Billing admin'], ALERTS, { month }, [own])).body.data.budgetAlerts;
    expect(local.some((a: any) => a.customerId === customerId)).toBe(true);
  });
});

describe('bad input: BAD_USER_INPUT or NOT_FOUND naming what is wrong', () => {
  test.each([
    ['-5', 'amount', 'must be a positive amount'],
    ['0', 'amount', 'must be greater than 0'],
    ['0.00', 'amount', 'must be greater than 0'],
    ['12.345', 'amount', 'at most 2 decimals'],
    ['lots', 'amount', 'must be a positive amount'],
    ['1000000000.01', 'amount', 'must be at most 1,000,000,000'],
  ])('amount %s', async (amount, argument, message) => {
    const p = partner(0);
    const [customerId] = spenders(p)[1];
    const r = await as(p, ['Global admin'], SET, { id: customerId, amount });
    expect(r.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(r.body.errors?.[0].message).toContain(message);
    expect((await as(p, ['Global admin'], BUDGET, { id: customerId })).body.data.customer.budget).toBeNull();
  });

  test('an unknown customer, another currency, a bad month', async () => {
    const p = partner(0);
    const unknown = await as(p, ['Global admin'], SET, { id: '00000000-0000-4000-8000-000000000000', amount: '100' });
    expect(unknown.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
    expect(unknown.body.errors?.[0].message).toContain('00000000-0000-4000-8000-000000000000');
    const [customerId, s] = spenders(p)[1];
    const currency = s.currency === 'USD' ? 'EUR' : 'USD';
    const wrong = await as(p, ['Global admin'], SET, { id: customerId, amount: '100', currency });
    expect(wrong.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'currency', billingCurrency: s.currency });
    expect(wrong.body.errors?.[0].message).toContain(`currency ${currency} is not the billing currency`);
    const badMonth = await as(p, ['Global admin'], ALERTS, { month: '2026-13' });
    expect(badMonth.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'month' });
  });
});

describe('executive report', () => {
  const report = async (p: string, roles: string[]) => {
    const r = await fetch(`${server.url}/reports/executive?month=${month}`, { headers: { authorization: `Bearer ${await token(p, roles as never)}` } });
    expect(r.status).toBe(200);
    return r.text();
  };

  test("shows the month's budget alerts, each customer at its highest threshold; withheld without revenue", async () => {
    const p = partner(0);
    const alerted = (await as(p, ['Global admin'], ALERTS, { month })).body.data.budgetAlerts as any[];
    expect(alerted.length).toBeGreaterThan(0);
    const page = await report(p, ['Executive report viewer']);
    const rows = [...page.matchAll(/<tr data-budget-alert="([^"]+)" data-threshold="(\d+)">/g)].map((m) => [m[1], Number(m[2])]);
    const highest = new Map<string, number>();
    for (const a of alerted) highest.set(a.customerId, Math.max(highest.get(a.customerId) ?? 0, a.threshold));
    const byId = (a: (string | number)[], b: (string | number)[]) => String(a[0]).localeCompare(String(b[0]));
    expect([...rows].sort(byId)).toEqual([...highest.entries()].sort(byId));
    expect(rows.map((r) => r[1])).toEqual([...rows.map((r) => r[1])].sort((a, b) => Number(b) - Number(a)));
    const viewer = await report(p, ['Report viewer']);
    expect(viewer).not.toContain('data-budget-alert=');
    expect(viewer).toContain('Budget alerts: not shown for your role');
    // The other partner's report has none of them.
    const other = await report(partner(1), ['Executive report viewer']);
    for (const [id] of rows) expect(other).not.toContain(id as string);
  });
});
