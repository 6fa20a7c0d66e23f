import { DEFAULT_AS_OF } from '../../etl/generate';
import {
  ChangeSubscriptionQuantityDocument,
  CustomerSubscriptionsDocument,
  ReactivateSubscriptionDocument,
  SubscriptionsPageDocument,
  SuspendSubscriptionDocument,
} from '../../generated/graphql';
import { count, startE2eEnv, type E2eEnv } from './env';

/**
 * The subscriptions example operations (operations/subscriptions.graphql) end to end over the
 * composed gateway, on the demo data loaded by the ETL; "today" is the demo data's last day.
 */
let env: E2eEnv;
let partnerId: string;
let admin: string;
const savedToday = process.env.PI_TODAY;

beforeAll(async () => {
  process.env.PI_TODAY = DEFAULT_AS_OF;
  env = await startE2eEnv({ customers: 40 });
  partnerId = env.partners[0].id;
  admin = await env.token(partnerId, ['Global admin']);
});
afterAll(async () => {
  if (savedToday === undefined) delete process.env.PI_TODAY;
  else process.env.PI_TODAY = savedToday;
  await env?.close();
});

describe('SubscriptionsPage', () => {
  it('filters by status and billing type with counts equal to SQL', async () => {
    const r = await env.send(admin, SubscriptionsPageDocument, { first: 100, filter: { status: 'ACTIVE', billingType: 'LICENSE' } });
    expect(r.errors).toBeUndefined();
    const expected = await count(
      env,
      `SELECT count(*) FROM subscriptions WHERE partner_id = $1 AND status = 'Active' AND billing_type = 'License'`,
      [partnerId],
    );
    expect(expected).toBeGreaterThan(0);
    expect(r.data!.subscriptions!.totalCount).toBe(expected);
    expect(r.data!.subscriptions!.edges.every((e) => e.node.status === 'ACTIVE' && e.node.billingType === 'LICENSE')).toBe(true);
    const all = await env.send(admin, SubscriptionsPageDocument, { first: 1 });
    expect(all.data!.subscriptions!.totalCount).toBe(await count(env, `SELECT count(*) FROM subscriptions WHERE partner_id = $1`, [partnerId]));
  });

  it('resolves each subscription’s customer through the accounts subgraph', async () => {
    const r = await env.send(admin, SubscriptionsPageDocument, { first: 50 });
    expect(r.errors).toBeUndefined();
    const rows = await env.sql<{ id: string; customer: string }>(
      `SELECT s.subscription_id AS id, c.company_name AS customer FROM subscriptions s
       JOIN customers c ON c.partner_id = s.partner_id AND c.customer_id = s.customer_id WHERE s.partner_id = $1`,
      [partnerId],
    );
    const byId = new Map(rows.map((x) => [x.id, x.customer]));
    const nodes = r.data!.subscriptions!.edges.map((e) => e.node);
    expect(nodes.length).toBe(50);
    for (const node of nodes) expect(node.customer.companyName).toBe(byId.get(node.id));
  });
});

describe('CustomerSubscriptions', () => {
  it('nests a customer’s subscriptions under the customer, as many as SQL counts', async () => {
    const [c] = await env.sql<{ id: string; name: string; n: number }>(
      `SELECT s.customer_id AS id, any_value(c.company_name) AS name, count(*)::INTEGER AS n FROM subscriptions s
       JOIN customers c ON c.partner_id = s.partner_id AND c.customer_id = s.customer_id
       WHERE s.partner_id = $1 GROUP BY s.customer_id ORDER BY n DESC, s.customer_id LIMIT 1`,
      [partnerId],
    );
    const r = await env.send(admin, CustomerSubscriptionsDocument, { id: c.id, first: 100 });
    expect(r.errors).toBeUndefined();
    expect(r.data!.customer).toMatchObject({ id: c.id, companyName: c.name });
    expect(r.data!.customer!.subscriptions!.totalCount).toBe(c.n);
    const ids = await env.sql<{ id: string }>(`SELECT subscription_id AS id FROM subscriptions WHERE partner_id = $1 AND customer_id = $2`, [partnerId, c.id]);
    expect(r.data!.customer!.subscriptions!.edges.map((e) => e.node.id).sort()).toEqual(ids.map((x) => x.id).sort());
  });
});

describe('suspend, reactivate, change quantity', () => {
  let id: string;
  let quantity: number;
  beforeAll(async () => {
    const [s] = await env.sql<{ id: string; quantity: number }>(
      `SELECT subscription_id AS id, quantity FROM subscriptions
       WHERE partner_id = $1 AND status = 'Active' AND billing_type = 'License' AND NOT is_trial ORDER BY subscription_id LIMIT 1`,
      [partnerId],
    );
    ({ id, quantity } = s);
  });
  const stored = async () =>
    (await env.sql<{ status: string; quantity: number; suspended: string | null }>(
      `SELECT status, quantity, suspended_date::VARCHAR AS suspended FROM subscriptions WHERE partner_id = $1 AND subscription_id = $2`,
      [partnerId, id],
    ))[0];

  it('suspends an Active subscription today, and reactivates it', async () => {
    const suspended = await env.send(admin, SuspendSubscriptionDocument, { id });
    expect(suspended.errors).toBeUndefined();
    expect(suspended.data!.suspendSubscription).toMatchObject({ id, status: 'SUSPENDED', suspendedDate: DEFAULT_AS_OF });
    expect(suspended.data!.suspendSubscription!.suspensionExpiryDate! > DEFAULT_AS_OF).toBe(true);
    expect(await stored()).toMatchObject({ status: 'Suspended', suspended: DEFAULT_AS_OF });

    const twice = await env.send(admin, SuspendSubscriptionDocument, { id });
    expect(twice.errors?.[0].extensions?.code).toBe('INVALID_STATE');

    const reactivated = await env.send(admin, ReactivateSubscriptionDocument, { id });
    expect(reactivated.errors).toBeUndefined();
    expect(reactivated.data!.reactivateSubscription).toMatchObject({ id, status: 'ACTIVE' });
    expect((await stored()).status).toBe('Active');
  });

  it('changes the number of licenses', async () => {
    const r = await env.send(admin, ChangeSubscriptionQuantityDocument, { id, quantity: quantity + 3 });
    expect(r.errors).toBeUndefined();
    expect(r.data!.changeSubscriptionQuantity).toMatchObject({ id, status: 'ACTIVE', quantity: quantity + 3 });
    expect((await stored()).quantity).toBe(quantity + 3);
  });

  it('refuses a role that may not manage subscriptions (FORBIDDEN), changing nothing', async () => {
    const viewer = await env.token(partnerId, ['Report viewer']);
    const r = await env.send(viewer, SuspendSubscriptionDocument, { id });
    expect(r.data?.suspendSubscription ?? null).toBeNull();
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect((await stored()).status).toBe('Active');
  });
});
