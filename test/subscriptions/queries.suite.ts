import { startServer, type RunningServer } from '../../gateway/server';
import { P1, P2, customerId, gql, startTestEnv, testAuth, token, type TestEnv } from '../gateway/harness';
import { OFFERS, TODAY, insertSubscriptionFixture } from './fixture';

/** The subscriptions subgraph's queries over real HTTP: lists, filters, pages, relations, roles, scoping. */
let env: TestEnv;
let alone: RunningServer;
const previousToday = process.env.PI_TODAY;
beforeAll(async () => {
  process.env.PI_TODAY = TODAY;
  env = await startTestEnv();
  await insertSubscriptionFixture(env.warehouse);
  alone = await startServer({ warehouse: env.warehouse, subgraph: 'subscriptions', port: 0, host: '127.0.0.1', auth: testAuth });
});
afterAll(async () => {
  await alone.close();
  await env.close();
  if (previousToday === undefined) delete process.env.PI_TODAY;
  else process.env.PI_TODAY = previousToday;
});

const admin = () => token(P1, ['Global admin']);
const ids = (connection: any): string[] => connection.edges.map((e: any) => e.node.id);

async function count(sql: string): Promise<number> {
  const [row] = await env.warehouse.all<{ n: string }>(sql);
  return Number(row.n);
}

describe('subscriptions query', () => {
  it('lists the partner’s subscriptions newest first with totalCount', async () => {
    const r = await gql(env.server.graphqlUrl, await admin(), `{ subscriptions(first: 4) { totalCount edges { node { id createdDate } } pageInfo { hasNextPage hasPreviousPage } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.subscriptions.totalCount).toBe(await count(`SELECT count(*) AS n FROM subscriptions WHERE partner_id = '${P1}'`));
    expect(r.body.data.subscriptions.edges.map((e: any) => e.node)).toEqual([
      { id: 'sub-saas-today', createdDate: TODAY },
      { id: 'sub-saas-year', createdDate: '2024-05-01' },
      { id: 'sub-saas-old', createdDate: '2024-05-01' },
      { id: 'sub-monthly', createdDate: '2024-04-15' },
    ]);
    expect(r.body.data.subscriptions.pageInfo).toEqual({ hasNextPage: true, hasPreviousPage: false });
  });

  it.each([
    ['status', `{ status: SUSPENDED }`, `status = 'Suspended'`],
    ['productFamily', `{ productFamily: MARKETPLACE }`, `offer_id = '${OFFERS.saas}'`],
    ['billingType', `{ billingType: USAGE }`, `billing_type = 'Usage'`],
    ['customerId', `{ customerId: "${customerId(P1, 0)}" }`, `customer_id = '${customerId(P1, 0)}'`],
    ['resellerMpnId', `{ resellerMpnId: "5002" }`, `reseller_mpn_id = '5002'`],
    ['createdFrom/createdTo', `{ createdFrom: "2024-05-01", createdTo: "2024-05-09" }`, `created_date BETWEEN DATE '2024-05-01' AND DATE '2024-05-09'`],
    ['termEndFrom/termEndTo', `{ termEndFrom: "2025-04-01", termEndTo: "2025-04-30" }`, `term_end_date BETWEEN DATE '2025-04-01' AND DATE '2025-04-30'`],
    ['search (friendly name)', `{ search: "SALES TEAM" }`, `friendly_name = 'Basic for sales team'`],
    ['search (product name)', `{ search: "adatum" }`, `offer_id = '${OFFERS.saas}'`],
    ['search (id)', `{ search: "sub-azure" }`, `subscription_id = 'sub-azure'`],
    ['several', `{ status: ACTIVE, billingType: LICENSE, customerId: "${customerId(P1, 0)}" }`, `status = 'Active' AND billing_type = 'License' AND customer_id = '${customerId(P1, 0)}'`],
  ])('filters by %s', async (_name, filter, where) => {
    const r = await gql(env.server.graphqlUrl, await admin(), `{ subscriptions(first: 100, filter: ${filter}) { totalCount edges { node { id } } } }`);
    expect(r.body.errors).toBeUndefined();
    const expected = (await env.warehouse.all<{ id: string }>(`SELECT subscription_id AS id FROM subscriptions WHERE partner_id = '${P1}' AND ${where}`)).map((x) => x.id);
    expect(expected.length).toBeGreaterThan(0);
    expect(r.body.data.subscriptions.totalCount).toBe(expected.length);
    expect(ids(r.body.data.subscriptions).sort()).toEqual(expected.slice(0, 100).sort());
  });

  it('orders by another field, ties broken by id', async () => {
    const r = await gql(env.server.graphqlUrl, await admin(), `{ subscriptions(first: 4, orderBy: { field: QUANTITY, direction: ASC }) { edges { node { id quantity } } } }`);
    expect(r.body.data.subscriptions.edges.map((e: any) => e.node)).toEqual([
      { id: 'sub-azure', quantity: 1 },
      { id: 'sub-canceled', quantity: 1 },
      { id: 'sub-expired', quantity: 1 },
      { id: 'sub-ri', quantity: 1 },
    ]);
  });

  it('pages forward and backward with cursors, without overlap', async () => {
    const bearer = await admin();
    const q = `query($after: String, $before: String, $first: Int, $last: Int) {
      subscriptions(first: $first, after: $after, last: $last, before: $before, filter: { billingType: ONE_TIME }) {
        totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;
    const p1 = (await gql(env.server.graphqlUrl, bearer, q, { first: 2 })).body.data.subscriptions;
    expect(p1.totalCount).toBe(4);
    expect(ids(p1)).toEqual(['sub-saas-today', 'sub-saas-year']);
    expect(p1.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const p2 = (await gql(env.server.graphqlUrl, bearer, q, { first: 2, after: p1.pageInfo.endCursor })).body.data.subscriptions;
    expect(ids(p2)).toEqual(['sub-saas-old', 'sub-ri']);
    expect(p2.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const empty = (await gql(env.server.graphqlUrl, bearer, q, { first: 2, after: p2.pageInfo.endCursor })).body.data.subscriptions;
    expect(empty).toMatchObject({ totalCount: 4, edges: [], pageInfo: { hasNextPage: false, hasPreviousPage: true } });
    const back = (await gql(env.server.graphqlUrl, bearer, q, { last: 2, before: p2.pageInfo.endCursor })).body.data.subscriptions;
    expect(ids(back)).toEqual(['sub-saas-year', 'sub-saas-old']);
    const last = (await gql(env.server.graphqlUrl, bearer, q, { last: 1 })).body.data.subscriptions;
    expect(ids(last)).toEqual(['sub-ri']);
  });

  it('rejects a page size above the maximum, a bad cursor and a cursor of another filter', async () => {
    const bearer = await admin();
    const big = await gql(env.server.graphqlUrl, bearer, `{ subscriptions(first: 101) { totalCount } }`);
    expect(big.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first', maxPageSize: 100 });
    const bad = await gql(env.server.graphqlUrl, bearer, `{ subscriptions(after: "nope") { totalCount } }`);
    expect(bad.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    const page = await gql(env.server.graphqlUrl, bearer, `{ subscriptions(first: 1) { pageInfo { endCursor } } }`);
    const other = await gql(env.server.graphqlUrl, bearer, `query($a: String) { subscriptions(after: $a, filter: { status: ACTIVE }) { totalCount } }`, {
      a: page.body.data.subscriptions.pageInfo.endCursor,
    });
    expect(other.body.errors![0]).toMatchObject({ message: expect.stringContaining('different query'), extensions: { code: 'BAD_USER_INPUT' } });
  });
});

describe('subscription query', () => {
  it('returns a subscription with its relations, derived dates, usage and history', async () => {
    const r = await gql(env.server.graphqlUrl, await admin(), `{
      subscription(id: "sub-annual") {
        id friendlyName status quantity billingType billingFrequency unitPrice { amount currency }
        createdDate termStartDate termEndDate anniversaryDate autoRenew isTrial trialStartDate suspendedDate suspensionExpiryDate canceledDate
        product { id productId skuId name offerName productFamily billingType publisherName isTrialOffer listPrice { amount currency } }
        customer { id companyName }
        reseller { mpnId }
        location { mpnId name }
        licenseUsage { month licensesPurchased licensesAssigned activeUsers28Days deploymentPercent usagePercent }
        events { totalCount edges { node { id date type quantityBefore quantityAfter actor } } }
      }
      monthly: subscription(id: "sub-monthly") { anniversaryDate reseller { mpnId name } licenseUsage { month } }
      removed: subscription(id: "sub-in") { reseller { mpnId } }
    }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.subscription).toEqual({
      id: 'sub-annual',
      friendlyName: 'E3 headquarters',
      status: 'ACTIVE',
      quantity: 10,
      billingType: 'LICENSE',
      billingFrequency: 'ANNUAL',
      unitPrice: { amount: '23.000000', currency: 'USD' },
      createdDate: '2024-02-20',
      termStartDate: '2024-02-20',
      termEndDate: '2025-02-19',
      anniversaryDate: '2025-02-20',
      autoRenew: true,
      isTrial: false,
      trialStartDate: null,
      suspendedDate: null,
      suspensionExpiryDate: null,
      canceledDate: null,
      product: {
        id: OFFERS.o365e3,
        productId: 'CFQ7TTC0LFLX',
        skuId: '0001',
        name: 'Office 365 E3',
        offerName: 'Office 365 E3',
        productFamily: 'OFFICE_365',
        billingType: 'LICENSE',
        publisherName: 'Microsoft Corporation',
        isTrialOffer: false,
        listPrice: { amount: '23.000000', currency: 'USD' },
      },
      customer: { id: customerId(P1, 0), companyName: 'Northwind Traders' },
      // sold directly: the reseller MPN ID is the location's own MPN ID
      reseller: null,
      location: { mpnId: '1001', name: 'Contoso Redmond' },
      // the latest month: 8 of 10 assigned, 6 of the 8 active in the last 28 days
      licenseUsage: { month: '2024-04-01', licensesPurchased: 10, licensesAssigned: 8, activeUsers28Days: 6, deploymentPercent: 80, usagePercent: 75 },
      events: {
        totalCount: 1,
        edges: [{ node: { id: 'ev-annual-1', date: '2024-02-20', type: 'PURCHASE', quantityBefore: 0, quantityAfter: 10, actor: 'alice@contoso-partner.com' } }],
      },
    });
    expect(r.body.data.monthly).toEqual({ anniversaryDate: '2024-05-15', reseller: { mpnId: '5001', name: 'Alpha Reseller' }, licenseUsage: null });
    // a removed reseller MPN ID ("-1") is no reseller
    expect(r.body.data.removed).toEqual({ reseller: null });
  });

  it('shows when a suspended subscription expires', async () => {
    const r = await gql(env.server.graphqlUrl, await admin(), `{ a: subscription(id: "sub-suspended") { status suspendedDate suspensionExpiryDate } b: subscription(id: "sub-expired") { suspensionExpiryDate } }`);
    expect(r.body.data.a).toEqual({ status: 'SUSPENDED', suspendedDate: '2024-04-01', suspensionExpiryDate: '2024-06-30' });
    expect(r.body.data.b).toEqual({ suspensionExpiryDate: '2024-02-29' });
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const r = await gql(env.server.graphqlUrl, await admin(), `{ subscription(id: "nope") { id } }`);
    expect(r.body.data.subscription).toBeNull();
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', typename: 'CustomerSubscription', id: 'nope' });
  });

  it('pages a subscription’s history', async () => {
    const r = await gql(env.server.graphqlUrl, await admin(), `{ subscription(id: "sub-in") { events(first: 1) { totalCount edges { node { type } } pageInfo { hasNextPage endCursor } } } }`);
    const events = r.body.data.subscription.events;
    expect(events).toMatchObject({ totalCount: 2, edges: [{ node: { type: 'PURCHASE' } }], pageInfo: { hasNextPage: true } });
    const next = await gql(env.server.graphqlUrl, await admin(), `query($a: String) { subscription(id: "sub-in") { events(first: 1, after: $a) { edges { node { type quantityAfter } } pageInfo { hasNextPage hasPreviousPage } } } }`, {
      a: events.pageInfo.endCursor,
    });
    expect(next.body.data.subscription.events).toEqual({
      edges: [{ node: { type: 'QUANTITY_CHANGE', quantityAfter: 3 } }],
      pageInfo: { hasNextPage: false, hasPreviousPage: true },
    });
  });
});

describe('products query', () => {
  it('lists the price list with filters', async () => {
    const bearer = await admin();
    const r = await gql(env.server.graphqlUrl, bearer, `{
      all: products(first: 100) { totalCount edges { node { id name productFamily } } }
      trials: products(filter: { isTrialOffer: true }) { edges { node { id isTrialOffer } } }
      azure: products(filter: { productFamily: AZURE, billingType: USAGE }) { edges { node { id billingType listPrice { amount currency } } } }
      search: products(filter: { search: "premium" }) { edges { node { id } } }
      one: product(id: "${OFFERS.saas}") { name publisherName billingType productFamily }
    }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.all.totalCount).toBe(8);
    expect(r.body.data.all.edges[0].node).toEqual({ id: OFFERS.azure, name: 'Azure plan', productFamily: 'AZURE' });
    expect(ids(r.body.data.trials).sort()).toEqual([OFFERS.m365bpTrial, OFFERS.o365e3Trial]);
    expect(r.body.data.azure.edges).toEqual([{ node: { id: OFFERS.azure, billingType: 'USAGE', listPrice: { amount: '0.000000', currency: 'USD' } } }]);
    expect(ids(r.body.data.search)).toEqual([OFFERS.m365bpTrial]);
    expect(r.body.data.one).toEqual({ name: 'Adatum Secure Backup for Microsoft 365', publisherName: 'Adatum Corporation', billingType: 'ONE_TIME', productFamily: 'MARKETPLACE' });
  });

  it('shows a list price to a Report viewer (price list, not revenue)', async () => {
    const r = await gql(env.server.graphqlUrl, await token(P1, ['Report viewer']), `{ product(id: "${OFFERS.m365bb}") { listPrice { amount } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.product.listPrice).toEqual({ amount: '4.000000' });
  });
});

describe('Customer.subscriptions and Reseller.subscriptions', () => {
  it('pages one customer’s subscriptions with a filter, forward and backward', async () => {
    const bearer = await admin();
    const q = `query($id: ID!, $first: Int, $after: String, $last: Int, $before: String) {
      customer(id: $id) { companyName subscriptions(first: $first, after: $after, last: $last, before: $before, filter: { billingType: LICENSE }) {
        totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } } }`;
    const c0 = customerId(P1, 0);
    const p1 = (await gql(env.server.graphqlUrl, bearer, q, { id: c0, first: 3 })).body.data.customer;
    expect(p1.companyName).toBe('Northwind Traders');
    expect(p1.subscriptions.totalCount).toBe(4);
    expect(ids(p1.subscriptions)).toEqual(['sub-monthly', 'sub-annual', 'gen-0-b']);
    expect(p1.subscriptions.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: false });
    const p2 = (await gql(env.server.graphqlUrl, bearer, q, { id: c0, first: 3, after: p1.subscriptions.pageInfo.endCursor })).body.data.customer;
    expect(ids(p2.subscriptions)).toEqual(['gen-0-a']);
    expect(p2.subscriptions.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
    const back = (await gql(env.server.graphqlUrl, bearer, q, { id: c0, last: 2, before: p2.subscriptions.pageInfo.startCursor })).body.data.customer;
    expect(ids(back.subscriptions)).toEqual(['sub-annual', 'gen-0-b']);
    expect(back.subscriptions.pageInfo).toMatchObject({ hasNextPage: true, hasPreviousPage: true });
    const tail = (await gql(env.server.graphqlUrl, bearer, q, { id: c0, last: 1 })).body.data.customer;
    expect(ids(tail.subscriptions)).toEqual(['gen-0-a']);
    // an empty page still knows the total
    const empty = (await gql(env.server.graphqlUrl, bearer, q, { id: c0, first: 0 })).body.data.customer;
    expect(empty.subscriptions).toMatchObject({ totalCount: 4, edges: [], pageInfo: { hasNextPage: true } });
  });

  it('rejects a cursor of one customer’s subscriptions on another customer', async () => {
    const bearer = await admin();
    const first = await gql(env.server.graphqlUrl, bearer, `query($id: ID!) { customer(id: $id) { subscriptions(first: 1) { pageInfo { endCursor } } } }`, { id: customerId(P1, 0) });
    const cursor = first.body.data.customer.subscriptions.pageInfo.endCursor;
    const r = await gql(env.server.graphqlUrl, bearer, `query($id: ID!, $a: String) { customer(id: $id) { subscriptions(first: 1, after: $a) { totalCount } } }`, {
      id: customerId(P1, 3),
      a: cursor,
    });
    expect(r.body.data.customer.subscriptions).toBeNull();
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('lists a reseller’s subscriptions', async () => {
    const r = await gql(env.server.graphqlUrl, await admin(), `{ reseller(mpnId: "5002") { name subscriptions(first: 2) { totalCount edges { node { id reseller { mpnId } } } } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.reseller.subscriptions.totalCount).toBe(await count(`SELECT count(*) AS n FROM subscriptions WHERE partner_id = '${P1}' AND reseller_mpn_id = '5002'`));
    expect(r.body.data.reseller.subscriptions.edges.every((e: any) => e.node.reseller.mpnId === '5002')).toBe(true);
  });
});

describe('roles', () => {
  it('gives a Report viewer subscriptions without unit price, charges or personal data, each with FORBIDDEN naming the roles', async () => {
    const r = await gql(env.server.graphqlUrl, await token(P1, ['Report viewer']), `{
      subscription(id: "sub-monthly") { id quantity unitPrice { amount } expectedCharges { amount { amount } } events { edges { node { type actor } } } }
    }`);
    expect(r.body.data.subscription).toEqual({ id: 'sub-monthly', quantity: 2, unitPrice: null, expectedCharges: null, events: { edges: [{ node: { type: 'PURCHASE', actor: null } }] } });
    const byPath = Object.fromEntries(r.body.errors!.map((e) => [e.path!.join('.'), e.extensions]));
    expect(byPath['subscription.unitPrice']).toMatchObject({
      code: 'FORBIDDEN',
      permission: 'seeRevenue',
      requiredRoles: ['Global admin', 'Billing admin', 'Admin agent', 'Executive report viewer'],
    });
    expect(byPath['subscription.expectedCharges']).toMatchObject({ code: 'FORBIDDEN', permission: 'seeBilling' });
    expect(byPath['subscription.events.edges.0.node.actor']).toMatchObject({ code: 'FORBIDDEN', permission: 'seePersonalData' });
  });

  it('shows revenue to an Executive report viewer', async () => {
    const r = await gql(env.server.graphqlUrl, await token(P1, ['Executive report viewer']), `{ subscription(id: "sub-monthly") { unitPrice { amount } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.subscription.unitPrice).toEqual({ amount: '4.000000' });
  });

  it('denies subscriptions to a role that does not read them', async () => {
    const r = await gql(env.server.graphqlUrl, await token(P1, ['Referrals admin']), `{ subscriptions { totalCount } products { totalCount } }`);
    expect(r.body.data).toEqual({ subscriptions: null, products: null });
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: expect.arrayContaining(['Helpdesk agent', 'Report viewer']) });
  });
});

describe('location scope', () => {
  it('limits a location-scoped user to the subscriptions of their locations', async () => {
    const bearer = await token(P1, ['Sales agent'], { locations: ['1002'] });
    const r = await gql(env.server.graphqlUrl, bearer, `{
      subscriptions(first: 100) { totalCount edges { node { location { mpnId } } } }
      mine: subscription(id: "sub-in") { id }
      other: subscription(id: "sub-monthly") { id }
      reseller(mpnId: "5002") { subscriptions { totalCount } }
    }`);
    expect(r.body.data.subscriptions.totalCount).toBe(await count(`SELECT count(*) AS n FROM subscriptions WHERE partner_id = '${P1}' AND mpn_id = '1002'`));
    expect(r.body.data.subscriptions.edges.every((e: any) => e.node.location.mpnId === '1002')).toBe(true);
    expect(r.body.data.mine).toEqual({ id: 'sub-in' });
    expect(r.body.data.other).toBeNull();
    expect(r.body.errors!.find((e) => e.path![0] === 'other')!.extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect(r.body.data.reseller.subscriptions.totalCount).toBe(
      await count(`SELECT count(*) AS n FROM subscriptions WHERE partner_id = '${P1}' AND mpn_id = '1002' AND reseller_mpn_id = '5002'`),
    );
  });
});

describe('tenant isolation', () => {
  it('shows each partner only its own subscriptions and products', async () => {
    const p2 = await token(P2, ['Global admin']);
    const r = await gql(env.server.graphqlUrl, p2, `{
      subscriptions { totalCount edges { node { id unitPrice { amount currency } product { offerName listPrice { amount currency } } customer { companyName } reseller { name } licenseUsage { usagePercent } } } }
      products { totalCount edges { node { id offerName } } }
      p1: subscription(id: "sub-monthly") { id }
    }`);
    expect(r.body.data.subscriptions).toEqual({
      totalCount: 1,
      edges: [{ node: {
        id: 'sub-p2',
        unitPrice: { amount: '3.900000', currency: 'EUR' },
        // the same offer id as P1's: P2's own price list entry
        product: { offerName: 'Microsoft 365 Business Basic (EU)', listPrice: { amount: '3.900000', currency: 'EUR' } },
        customer: { companyName: 'Northwind Traders GmbH' },
        reseller: { name: 'Alpha Reseller Europe' },
        licenseUsage: { usagePercent: 100 },
      } }],
    });
    expect(r.body.data.products).toEqual({ totalCount: 1, edges: [{ node: { id: OFFERS.m365bb, offerName: 'Microsoft 365 Business Basic (EU)' } }] });
    expect(r.body.data.p1).toBeNull();
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('resolves _entities of another partner to null and gives its customers no subscriptions (subgraph served alone)', async () => {
    const p2 = await token(P2, ['Global admin']);
    const r = await gql(alone.graphqlUrl, p2, `query($reps: [_Any!]!) {
      _entities(representations: $reps) {
        ... on CustomerSubscription { id quantity }
        ... on Product { id offerName }
        ... on Customer { id subscriptions { totalCount } }
        ... on Reseller { mpnId subscriptions { totalCount } }
      }
    }`, {
      reps: [
        { __typename: 'CustomerSubscription', id: 'sub-monthly' },
        { __typename: 'CustomerSubscription', id: 'sub-p2' },
        { __typename: 'Product', id: OFFERS.saas },
        { __typename: 'Customer', id: customerId(P1, 0) },
        { __typename: 'Customer', id: customerId(P2, 0) },
        { __typename: 'Reseller', mpnId: '5002' },
        { __typename: 'Reseller', mpnId: '5001' },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data._entities).toEqual([
      null,
      { id: 'sub-p2', quantity: 7 },
      null,
      { id: customerId(P1, 0), subscriptions: { totalCount: 0 } },
      { id: customerId(P2, 0), subscriptions: { totalCount: 1 } },
      { mpnId: '5002', subscriptions: { totalCount: 0 } },
      { mpnId: '5001', subscriptions: { totalCount: 1 } },
    ]);
  });

  it('rejects a cursor issued to another partner', async () => {
    const p1Page = await gql(env.server.graphqlUrl, await admin(), `{ subscriptions(first: 1) { pageInfo { endCursor } } }`);
    const r = await gql(env.server.graphqlUrl, await token(P2, ['Global admin']), `query($a: String) { subscriptions(after: $a) { totalCount } }`, {
      a: p1Page.body.data.subscriptions.pageInfo.endCursor,
    });
    expect(r.body.data.subscriptions).toBeNull();
    expect(r.body.errors![0]).toMatchObject({ message: expect.stringContaining('another partner'), extensions: { code: 'BAD_USER_INPUT', argument: 'after' } });
  });

  it('requires a valid token at the subgraph served alone', async () => {
    expect((await gql(alone.graphqlUrl, null, `{ subscriptions { totalCount } }`)).status).toBe(401);
  });
});
