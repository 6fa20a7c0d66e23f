import { join } from 'node:path';
import { ingestionQueue } from '../../etl/ingest/queue';
import { partnerCenterSettingsFromEnv, type PartnerCenterSettings } from '../../etl/sync/client';
import type { SyncProgress } from '../../etl/sync/run';
import { registerSyncService, SyncService } from '../../etl/sync/service';
import { partnerCenterSource } from '../../etl/sync/source';
import { budgetAmount } from '../../etl/sync/usage-budgets';
import { startServer, type RunningServer } from '../../gateway/server';
import { generateDataSet, lineTotalCents, startStandIn, type StandIn } from '../../stand-in';
import { setCustomerBudget } from '../../warehouse/billing/budgets';
import { Warehouse } from '../../warehouse/db';
import { warehouseEvents, type WarehouseEvent } from '../../warehouse/events';
import { syncRunWithUnits } from '../../warehouse/sync/runs';
import { tempDir } from '../etl/helpers';
import { gql, testAuth, token } from '../gateway/harness';

/**
 * Customers' Azure spending budgets read from Partner Center by the sync ("Get a customer's usage
 * spending budget", GET /v1/customers/{id}/usagebudget) and written back by setCustomerBudget
 * ("Update a customer's usage spending budget", PATCH), over real HTTP against the stand-in, into a
 * DuckDB file a server (startServer) answers GraphQL on. "Today" (PI_TODAY) is a day of the stand-in's
 * latest invoiced month, so the budgets' month has billed usage to compare with. Expectations are
 * computed from the stand-in's data set (its budgets, its usage lines), never from the warehouse.
 * One warehouse for the suite: each test builds on the syncs before it.
 */
type BudgetAlertEvent = Extract<WarehouseEvent, { type: 'budgetAlert' }>;

let standIn: StandIn;
let dir: string;
let cleanup: () => void;
let db: Warehouse;
let server: RunningServer;
let syncs: SyncService;
let settings: PartnerCenterSettings;
let partner: string;
let month: string;
let admin: string;
/** How long the client was asked to wait between attempts (Retry-After, backoff): recorded, not slept. */
const waits: number[] = [];
const progress: SyncProgress[] = [];
const alertEvents: BudgetAlertEvent[] = [];
let stopListening: () => void;
const saved: Record<string, string | undefined> = {};

function setEnv(values: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(values)) {
    if (!(k in saved)) saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

beforeAll(async () => {
  // Pages of 5 customers: 12 customers make 3 pages, so 3 budget units.
  standIn = await startStandIn({ dataSet: generateDataSet('small'), pageSize: 5, operationPolls: 0, retryAfterSeconds: 0 });
  partner = standIn.dataSet.partner.tenantId;
  month = standIn.dataSet.invoices[standIn.dataSet.invoices.length - 1].month;
  setEnv({ ...standIn.settingsEnv(), PI_TODAY: `${month}-20T12:00:00Z` });
  settings = partnerCenterSettingsFromEnv(standIn.settingsEnv());
  ({ dir, cleanup } = tempDir('pi-usage-budgets-'));
  db = await Warehouse.open(join(dir, 'warehouse.duckdb'));
  server = await startServer({ warehouse: db, port: 0, host: '127.0.0.1', auth: testAuth });
  // The server's queue; a sync service whose waits are recorded, registered as the warehouse's (GraphQL's write-back uses it).
  const sleep = async (ms: number) => void waits.push(ms);
  syncs = registerSyncService(db, new SyncService(db, ingestionQueue(db), { settings: () => settings, source: (s) => partnerCenterSource(s, { sleep }) }));
  syncs.onProgress((p) => progress.push(p));
  stopListening = warehouseEvents(db).subscribe((e) => {
    if (e.type === 'budgetAlert') alertEvents.push(e);
  });
  admin = await token(partner, ['Global admin']);
});

afterAll(async () => {
  stopListening?.();
  await syncs?.close();
  await server?.close();
  db?.close();
  await standIn?.close();
  cleanup?.();
  setEnv(saved);
});

type Run = NonNullable<Awaited<ReturnType<typeof syncRunWithUnits>>>;

async function sync(): Promise<Run> {
  const { id } = await syncs.request({ requestedBy: 'test', trigger: 'cli' });
  await syncs.finished(id);
  return (await syncRunWithUnits(db, id))!;
}

const budgetUnits = (run: Run) => run.units.filter((u) => u.kind === 'budgets');
const customerIds = () => standIn.dataSet.customers.map((c) => String(c.id));
const cents = (amount: number) => Math.round(amount * 100);
const decimal = (c: number) => `${Math.trunc(c / 100)}.${String(c % 100).padStart(2, '0')}`;

/** Each customer's spending in the month: the usage lines the stand-in billed with a usage date in it, in cents. */
function spentCents(): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of standIn.dataSet.allLines()) {
    if (line.kind !== 'usage' || !String(line.raw.usageDate).startsWith(month)) continue;
    const id = String(line.raw.customerId);
    out.set(id, (out.get(id) ?? 0) + lineTotalCents(line));
  }
  return out;
}

/** The customers the warehouse can hold a budget for: those with billed usage (their billing currency). */
function withUsage(): Set<string> {
  return new Set(standIn.dataSet.allLines().filter((l) => l.kind === 'usage').map((l) => String(l.raw.customerId)));
}

/** What the stand-in holds: customer -> amount in cents, for customers with a budget and a billing currency here. */
function expectedBudgets(): Record<string, number> {
  const usage = withUsage();
  const out: Record<string, number> = {};
  for (const id of customerIds()) {
    const amount = standIn.dataSet.usageBudget(id);
    if (amount && usage.has(id)) out[id] = cents(amount);
  }
  return out;
}

async function warehouseBudgets(): Promise<Record<string, number>> {
  const rows = await db.all<{ customer_id: string; amount: string; currency: string; in_partner_center: boolean }>(
    'SELECT customer_id, amount::VARCHAR AS amount, currency, in_partner_center FROM customer_budgets WHERE partner_id = $1 ORDER BY 1',
    [partner],
  );
  for (const r of rows) expect(r.currency).toBe(standIn.dataSet.partner.currency);
  return Object.fromEntries(rows.map((r) => [r.customer_id, cents(Number(r.amount))]));
}

/** The alerts the budgets reach in the month: `customer/threshold`, spending ≥ threshold % of the budget. */
function expectedAlerts(budgets: Record<string, number>): string[] {
  const spent = spentCents();
  const out: string[] = [];
  for (const [id, budget] of Object.entries(budgets)) {
    for (const t of [80, 100]) if ((spent.get(id) ?? 0) * 100 >= budget * t) out.push(`${id}/${t}`);
  }
  return out.sort();
}

const BUDGET = `query($id: ID!) { customer(id: $id) { id budget { month amount { amount currency } spent { amount currency } percentUsed state setBy inPartnerCenter } } }`;
const ALERTS = `query($month: String) { budgetAlerts(month: $month) { customerId threshold budget { amount currency } spent { amount } } }`;
const SET = `mutation($id: ID!, $amount: String!) { setCustomerBudget(customerId: $id, amount: $amount) { id budget { amount { amount currency } inPartnerCenter setBy } } }`;
const REMOVE = `mutation($id: ID!) { removeCustomerBudget(customerId: $id) { id budget { amount { amount } } } }`;

async function alertsListed(): Promise<string[]> {
  const { body } = await gql(server.graphqlUrl, admin, ALERTS, { month });
  expect(body.errors).toBeUndefined();
  return body.data.budgetAlerts.map((a: { customerId: string; threshold: number }) => `${a.customerId}/${a.threshold}`).sort();
}

describe('the first sync', () => {
  let run: Run;
  beforeAll(async () => {
    progress.length = 0;
    run = await sync();
  });

  it('reads every synced customer’s budget, one unit per page of customers, counted like the other units', () => {
    expect(run.error).toBeNull();
    expect(run.state).toBe('SUCCEEDED');
    const units = budgetUnits(run);
    expect(units.map((u) => u.key)).toEqual(['customers page 1', 'customers page 2', 'customers page 3']);
    const expected = Object.keys(expectedBudgets()).length;
    expect(expected).toBeGreaterThan(3);
    expect(units.reduce((n, u) => n + Number(u.rowsLoaded), 0)).toBe(expected);
    expect(units.every((u) => u.state === 'LOADED' || u.state === 'SKIPPED')).toBe(true);
    // Customers without a budget there (null) are not an error: the unit says how many.
    const none = customerIds().filter((id) => standIn.dataSet.usageBudget(id) === null).length;
    expect(none).toBeGreaterThan(0);
    expect(units.map((u) => Number(/(\d+) customer\(s\) without one/.exec(u.message ?? '')?.[1] ?? 0)).reduce((a, b) => a + b, 0)).toBe(none);
    // One GET per customer, through the sync's client (its token, its headers).
    const gets = standIn.requests.filter((r) => r.method === 'GET' && /\/usagebudget$/.test(r.path));
    expect(gets.map((r) => r.path.split('/')[4]).sort()).toEqual(customerIds().sort());
    expect(gets.every((r) => r.status === 200)).toBe(true);
  });

  it('the budgets land in the customers’ budgets, in their billing currency, as Partner Center’s', async () => {
    expect(await warehouseBudgets()).toEqual(expectedBudgets());
    const flags = await db.all<{ n: bigint }>('SELECT count(*) AS n FROM customer_budgets WHERE partner_id = $1 AND NOT in_partner_center', [partner]);
    expect(Number(flags[0].n)).toBe(0);
  });

  it('GraphQL shows them with the month’s spending; a customer without one has none', async () => {
    const spent = spentCents();
    const budgets = expectedBudgets();
    for (const id of customerIds()) {
      const { body } = await gql(server.graphqlUrl, admin, BUDGET, { id });
      expect(body.errors).toBeUndefined();
      const budget = body.data.customer.budget;
      if (!(id in budgets)) {
        expect({ id, budget }).toEqual({ id, budget: null });
        continue;
      }
      const s = spent.get(id) ?? 0;
      const percent = Math.round((s / budgets[id]) * 10000) / 100;
      expect(budget).toEqual({
        month,
        amount: { amount: decimal(budgets[id]), currency: standIn.dataSet.partner.currency },
        spent: { amount: decimal(s), currency: standIn.dataSet.partner.currency },
        percentUsed: percent,
        state: percent >= 100 ? 'AT_100_PERCENT' : percent >= 80 ? 'AT_80_PERCENT' : 'OK',
        setBy: `Partner Center (sync ${run.id})`,
        inPartnerCenter: true,
      });
    }
  });

  it('alerts follow the synced budgets: listed and published once', async () => {
    const expected = expectedAlerts(expectedBudgets());
    expect(expected.length).toBeGreaterThan(0);
    expect(await alertsListed()).toEqual(expected);
    expect(alertEvents.map((e) => `${e.customerId}/${e.threshold}`).sort()).toEqual(expected);
  });

  it('sends one ‘done’ progress event, the last, with the outcome; the budgets phase comes before it', () => {
    const mine = progress.filter((p) => p.syncId === run.id);
    const done = mine.filter((p) => p.phase === 'done');
    expect(done).toHaveLength(1);
    expect(done[0]).toBe(mine[mine.length - 1]);
    expect(done[0].outcome).toEqual({ state: 'SUCCEEDED', error: null });
    expect([...new Set(mine.map((p) => p.phase))]).toEqual(['profile', 'customers', 'subscriptions', 'referrals', 'invoices', 'budgets', 'done']);
    expect(mine.filter((p) => p.phase === 'budgets' && p.unit?.kind === 'budgets')).toHaveLength(3);
  });
});

describe('a re-sync', () => {
  it('with nothing changed writes nothing: every budget unit is SKIPPED', async () => {
    const history = await db.all<{ n: bigint }>('SELECT count(*) AS n FROM customer_budget_history');
    const run = await sync();
    expect(run.state).toBe('SUCCEEDED');
    expect(budgetUnits(run).map((u) => u.state)).toEqual(['SKIPPED', 'SKIPPED', 'SKIPPED']);
    expect(run.unitsDone).toBe(0);
    expect(run.rowsLoaded).toBe(0);
    expect(await db.all<{ n: bigint }>('SELECT count(*) AS n FROM customer_budget_history')).toEqual(history);
  });

  it('updates a changed budget, removes one Partner Center no longer has, keeps one set in the product only; alerts follow', async () => {
    const budgets = expectedBudgets();
    const spent = spentCents();
    const usage = withUsage();
    const alerted = new Set((await alertsListed()).map((a) => a.split('/')[0]));
    // A customer with usage and no alert yet gets a budget under its spending: both thresholds reached.
    const lowered = customerIds().find((id) => usage.has(id) && (spent.get(id) ?? 0) > 100 && !alerted.has(id));
    const removed = Object.keys(budgets).find((id) => id !== lowered);
    // Not the first customer: the tests after this one give that one a budget in Partner Center.
    const local = customerIds().slice(1).find((id) => usage.has(id) && id !== lowered && id !== removed && standIn.dataSet.usageBudget(id) === null);
    expect([lowered, removed, local].every(Boolean)).toBe(true);
    const loweredTo = Math.floor((spent.get(lowered!) ?? 0) / 2) / 100;
    standIn.dataSet.setUsageBudget(lowered!, loweredTo);
    standIn.dataSet.setUsageBudget(removed!, null);
    // A budget set in the product only (as the demo sets them, or before the sync was configured).
    await setCustomerBudget(db, { partnerId: partner, roles: ['Global admin'], locations: null, subject: 'someone' }, new Date(`${month}-20T12:00:00Z`), {
      customerId: local!,
      amount: '4321.00',
    });
    alertEvents.length = 0;

    const run = await sync();
    expect(run.state).toBe('SUCCEEDED');
    expect(budgetUnits(run).reduce((n, u) => n + Number(u.rowsLoaded), 0)).toBe(2);
    expect(budgetUnits(run).map((u) => u.message).join(' ')).toMatch(/1 kept \(set in the product only, not in Partner Center\)/);
    expect(await warehouseBudgets()).toEqual({ ...expectedBudgets(), [local!]: 432100 });
    expect(await db.all('SELECT in_partner_center FROM customer_budgets WHERE customer_id = $1', [local!])).toEqual([{ in_partner_center: false }]);
    const { body } = await gql(server.graphqlUrl, admin, BUDGET, { id: removed! });
    expect(body.data.customer.budget).toBeNull();

    const expected = [`${lowered}/100`, `${lowered}/80`].sort();
    expect(alertEvents.map((e) => `${e.customerId}/${e.threshold}`).sort()).toEqual(expected);
    expect(alertEvents.every((e) => e.budget === decimal(cents(loweredTo)) && e.partnerId === partner)).toBe(true);
    expect((await alertsListed()).filter((a) => a.startsWith(`${lowered}/`))).toEqual(expected);
  });
});

describe('the client’s rules', () => {
  const USAGE_BUDGET = /^GET \/pc\/v1\/customers\/[^/]+\/usagebudget$/;

  it('retries a 429 (waiting what Retry-After asks) and a 500, and the budgets are right', async () => {
    const before = standIn.requests.length;
    standIn.dataSet.setUsageBudget(customerIds()[0], 2468);
    standIn.addFault({ match: USAGE_BUDGET, status: 429, times: 1, retryAfterSeconds: 3 });
    standIn.addFault({ match: USAGE_BUDGET, status: 500, times: 1 });
    waits.length = 0;
    const run = await sync();
    expect(run.error).toBeNull();
    expect(run.state).toBe('SUCCEEDED');
    expect(standIn.faults()).toEqual([]);
    const statuses = standIn.requests.slice(before).filter((r) => /\/usagebudget$/.test(r.path)).map((r) => r.status);
    expect(statuses.filter((s) => s === 429)).toHaveLength(1);
    expect(statuses.filter((s) => s === 500)).toHaveLength(1);
    expect(statuses.filter((s) => s === 200)).toHaveLength(customerIds().length);
    expect(waits).toContain(3000);
    // The 500 had no Retry-After: the first backoff step, 1 s with jitter (0.5 to 1 s).
    expect(waits.some((w) => w >= 500 && w <= 1000)).toBe(true);
    expect(await warehouseBudgets()).toMatchObject(expectedBudgets());
  });

  it('a budget call that keeps failing fails its page’s unit after the allowed attempts, applies nothing of it, and the next sync recovers', async () => {
    const target = customerIds()[0];
    standIn.dataSet.setUsageBudget(target, 1357);
    const before = await warehouseBudgets();
    const from = standIn.requests.length;
    standIn.addFault({ match: /^GET \/pc\/v1\/customers\/[^/]+\/usagebudget$/, status: 503, times: 1000 });
    const failed = await sync();
    standIn.clearFaults();
    expect(failed.state).toBe('FAILED');
    expect(budgetUnits(failed).map((u) => u.state)).toEqual(['FAILED', 'FAILED', 'FAILED']);
    expect(budgetUnits(failed)[0].message).toMatch(/usagebudget failed with HTTP 503 after 6 attempts/);
    expect(failed.error).toMatch(/budgets of customers page 1/);
    // maxRetries (5) + 1 attempts for the customer, never more.
    const attempts = standIn.requests.slice(from).filter((r) => r.path === `/pc/v1/customers/${target}/usagebudget`);
    expect(attempts).toHaveLength(settings.maxRetries + 1);
    expect(await warehouseBudgets()).toEqual(before);
    // The other phases synced as usual.
    expect(failed.units.filter((u) => u.kind !== 'budgets').every((u) => u.state !== 'FAILED')).toBe(true);

    const recovered = await sync();
    expect(recovered.state).toBe('SUCCEEDED');
    expect((await warehouseBudgets())[target]).toBe(135700);
  });

  it('a customer Partner Center does not know is a 404: no budget, not an error', async () => {
    const pc = partnerCenterSource(settings).partnerCenter;
    await expect(pc.usageBudget('00000000-0000-4000-8000-000000000000')).resolves.toBeNull();
    expect(standIn.requests[standIn.requests.length - 1]).toMatchObject({ path: '/pc/v1/customers/00000000-0000-4000-8000-000000000000/usagebudget', status: 404 });
    // The same auth as the stand-in's other routes.
    const anonymous = await fetch(`${standIn.origin}/pc/v1/customers/${customerIds()[0]}/usagebudget`);
    expect(anonymous.status).toBe(401);
  });

  it('reads amounts as decimals to the cent; null, absent and 0 are no budget', () => {
    expect(budgetAmount({ amount: 100 })).toBe('100.00');
    expect(budgetAmount({ amount: 2500.5 })).toBe('2500.50');
    expect(budgetAmount({ amount: 0.1 + 0.2 })).toBe('0.30');
    expect(budgetAmount({ amount: 99.995 })).toBe('100.00');
    expect(budgetAmount({ amount: null })).toBeNull();
    expect(budgetAmount({})).toBeNull();
    expect(budgetAmount({ amount: 0 })).toBeNull();
    expect(budgetAmount(null)).toBeNull();
    expect(budgetAmount({ amount: -5 })).toBe('-5');
  });
});

describe('setCustomerBudget writes back to Partner Center (the server syncs this partner)', () => {
  it('PATCHes the budget first and records it as Partner Center’s; the next sync keeps it', async () => {
    const id = Object.keys(expectedBudgets())[0];
    const from = standIn.requests.length;
    const { body } = await gql(server.graphqlUrl, admin, SET, { id, amount: '777.50' });
    expect(body.errors).toBeUndefined();
    expect(body.data.setCustomerBudget.budget).toEqual({ amount: { amount: '777.50', currency: standIn.dataSet.partner.currency }, inPartnerCenter: true, setBy: expect.any(String) });
    expect(standIn.requests.slice(from).filter((r) => r.method === 'PATCH').map((r) => [r.path, r.status])).toEqual([[`/pc/v1/customers/${id}/usagebudget`, 200]]);
    expect(standIn.dataSet.usageBudget(id)).toBe(777.5);
    const run = await sync();
    expect(run.state).toBe('SUCCEEDED');
    expect(budgetUnits(run).every((u) => u.state === 'SKIPPED')).toBe(true);
    expect((await warehouseBudgets())[id]).toBe(77750);
  });

  it('when Partner Center keeps failing, the mutation fails (UPSTREAM_FAILED) after the write-back’s retries and nothing changes', async () => {
    const id = Object.keys(expectedBudgets())[0];
    const before = await warehouseBudgets();
    const from = standIn.requests.length;
    standIn.addFault({ match: /^PATCH \/pc\/v1\/customers\/[^/]+\/usagebudget$/, status: 503, times: 100 });
    const { body } = await gql(server.graphqlUrl, admin, SET, { id, amount: '1.00' });
    standIn.clearFaults();
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'UPSTREAM_FAILED', service: 'Partner Center', status: 503 });
    expect(body.errors?.[0].message).toMatch(/Partner Center did not take the budget 1\.00 of customer .* HTTP 503 after 3 attempts/);
    expect(standIn.requests.slice(from).filter((r) => r.method === 'PATCH')).toHaveLength(3);
    expect(await warehouseBudgets()).toEqual(before);
    expect(standIn.dataSet.usageBudget(id)).toBe(777.5);
  });

  it('bad input is refused before anything is sent', async () => {
    const id = Object.keys(expectedBudgets())[0];
    const from = standIn.requests.length;
    const { body } = await gql(server.graphqlUrl, admin, SET, { id, amount: '-3' });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'amount' });
    expect(standIn.requests.slice(from)).toEqual([]);
  });

  it('a budget Partner Center holds cannot be removed here (its API cannot); one set in the product only can', async () => {
    const id = Object.keys(expectedBudgets())[0];
    const refused = await gql(server.graphqlUrl, admin, REMOVE, { id });
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: 'INVALID_STATE', currentState: 'IN_PARTNER_CENTER', allowedStates: ['SET_IN_PRODUCT_ONLY'] });
    expect(refused.body.errors?.[0].message).toMatch(/Remove it in Partner Center/);
    expect((await warehouseBudgets())[id]).toBe(77750);
    const [local] = (await db.all<{ customer_id: string }>('SELECT customer_id FROM customer_budgets WHERE NOT in_partner_center'));
    const removed = await gql(server.graphqlUrl, admin, REMOVE, { id: local.customer_id });
    expect(removed.body.errors).toBeUndefined();
    expect(removed.body.data.removeCustomerBudget).toEqual({ id: local.customer_id, budget: null });
  });
});

describe('migration 17', () => {
  it('keeps the budgets set before it (as set in the product only) and their order, and new rows follow them', async () => {
    const { MIGRATIONS } = await import('../../warehouse/migrations');
    const { dir: mdir, cleanup: done } = tempDir('pi-migration-17-');
    try {
      const path = join(mdir, 'old.duckdb');
      // A warehouse at migration 14 with budgets in it.
      const { DuckDBInstance } = await import('@duckdb/node-api');
      const instance = await DuckDBInstance.create(path);
      const connection = await instance.connect();
      await connection.run('CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL DEFAULT current_timestamp)');
      for (const m of MIGRATIONS.filter((x) => x.version <= 14)) {
        await connection.run(m.up);
        await connection.run(`INSERT INTO schema_migrations (version, name) VALUES (${m.version}, '${m.name}')`);
      }
      await connection.run(`INSERT INTO customer_budget_history (partner_id, customer_id, amount, currency, changed_by, changed_at) VALUES
        ('p', 'c1', 100, 'USD', 'u', TIMESTAMP '2025-01-01 00:00:00'), ('p', 'c1', 150, 'USD', 'u', TIMESTAMP '2025-01-02 00:00:00'),
        ('p', 'c2', 300, 'EUR', 'u', TIMESTAMP '2025-01-03 00:00:00'), ('p', 'c2', NULL, NULL, 'u', TIMESTAMP '2025-01-04 00:00:00')`);
      connection.closeSync();
      instance.closeSync();

      const upgraded = await Warehouse.open(path);
      try {
        expect(await upgraded.all('SELECT customer_id, amount::VARCHAR AS amount, currency, in_partner_center FROM customer_budgets ORDER BY 1')).toEqual([
          { customer_id: 'c1', amount: '150.00', currency: 'USD', in_partner_center: false },
        ]);
        await upgraded.run(`INSERT INTO customer_budget_history (partner_id, customer_id, amount, currency, changed_by, changed_at, in_partner_center)
          VALUES ('p', 'c2', 400, 'EUR', 'sync', TIMESTAMP '2025-01-05 00:00:00', true)`);
        const seqs = await upgraded.all<{ change_seq: bigint; customer_id: string }>('SELECT change_seq, customer_id FROM customer_budget_history ORDER BY change_seq');
        expect(seqs.map((s) => [Number(s.change_seq), s.customer_id])).toEqual([[1, 'c1'], [2, 'c1'], [3, 'c2'], [4, 'c2'], [5, 'c2']]);
        expect(await upgraded.all('SELECT customer_id, in_partner_center FROM customer_budgets ORDER BY 1')).toEqual([
          { customer_id: 'c1', in_partner_center: false },
          { customer_id: 'c2', in_partner_center: true },
        ]);
      } finally {
        upgraded.close();
      }
    } finally {
      done();
    }
  });
});
