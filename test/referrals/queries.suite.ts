import { PERMISSIONS } from '../../core/permissions';
import { statementCounter } from '../../warehouse/db';
import { P1, customerId, gql, token, type TestEnv } from '../gateway/harness';
import { P1_REFERRALS, referralFixtureForSuite } from './fixture';

/** The referrals and dealRegistrations queries over real HTTP through the gateway: fields, filters, order, paging. */
let env: TestEnv;
let admin: string;
referralFixtureForSuite(async (started) => {
  env = started;
  admin = await token(P1, ['Global admin']);
});

const LIST = `query($first: Int, $after: String, $last: Int, $before: String, $filter: ReferralFilter, $orderBy: ReferralOrder) {
  referrals(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id status } }
  }
}`;

async function list(variables: Record<string, unknown>, bearer = admin) {
  return gql(env.server.graphqlUrl, bearer, LIST, variables);
}
async function ids(variables: Record<string, unknown>, bearer = admin): Promise<string[]> {
  const r = await list({ first: 100, ...variables }, bearer);
  expect(r.body.errors).toBeUndefined();
  return r.body.data.referrals.edges.map((e: any) => e.node.id);
}

const NEWEST_FIRST = [
  'r-new-3', 'r-new-1', 'r-new-2', 'r-boundary', 'r-expired', 'r-active-in', 'r-active-eur', 'r-active',
  'r-declined', 'r-won-2', 'r-won', 'r-won-3', 'r-lost', 'r-old-expired',
];

describe('referrals', () => {
  it('lists the partner’s referrals newest first, with the status as of today', async () => {
    const r = await list({ first: 100 });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.referrals.totalCount).toBe(P1_REFERRALS);
    const nodes = r.body.data.referrals.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.id)).toEqual(NEWEST_FIRST);
    const status = Object.fromEntries(nodes.map((n: any) => [n.id, n.status]));
    expect(status).toMatchObject({ 'r-new-1': 'NEW', 'r-boundary': 'NEW', 'r-expired': 'EXPIRED', 'r-old-expired': 'EXPIRED', 'r-active': 'ACTIVE', 'r-won': 'WON', 'r-lost': 'LOST', 'r-declined': 'DECLINED' });
  });

  it('returns every field of a referral, with its customer and location from accounts', async () => {
    const r = await gql(env.server.graphqlUrl, admin, `query($id: ID!) {
      referral(id: $id) {
        id engagementName direction source type solution status customerName customerCountry
        dealValue { amount currency } dealValueUsd { amount currency } purchaseTimeFrame crmId notes declineReason
        createdAt acceptedAt declinedAt wonAt lostAt expiredAt expiresAt
        customer { id companyName } location { mpnId name }
        contacts { side firstName lastName email phone }
        dealRegistration { id }
      }
    }`, { id: 'r-active' });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.referral).toEqual({
      id: 'r-active', engagementName: 'Northwind migration', direction: 'INCOMING', source: 'SALES_QUALIFIED', type: 'CO_SELL',
      solution: 'Contoso Cloud Migration', status: 'ACTIVE', customerName: 'Northwind Traders', customerCountry: 'US',
      dealValue: { amount: '10000.000000', currency: 'USD' }, dealValueUsd: { amount: '10000.000000', currency: 'USD' },
      purchaseTimeFrame: '1-3 months', crmId: 'CRM-0042', notes: null, declineReason: null,
      createdAt: '2024-05-01T09:00:00.000Z', acceptedAt: '2024-05-02T10:00:00.000Z', declinedAt: null, wonAt: null, lostAt: null,
      expiredAt: null, expiresAt: null,
      customer: { id: customerId(P1, 0), companyName: 'Northwind Traders' },
      location: { mpnId: '1001', name: 'Contoso Redmond' },
      contacts: [
        { side: 'CUSTOMER', firstName: 'Jane', lastName: 'Doe', email: 'jane@northwind.example', phone: '+1 425 555 0100' },
        { side: 'PARTNER', firstName: 'Sam', lastName: 'Seller', email: 'sam@contoso-partner.com', phone: null },
      ],
      dealRegistration: null,
    });
  });

  it('gives a New referral its expiry time and an unanswered one Expired with expiredAt = created + 14 days', async () => {
    const r = await gql(env.server.graphqlUrl, admin, `{
      fresh: referral(id: "r-new-1") { status expiresAt expiredAt customer { companyName } }
      lapsed: referral(id: "r-expired") { status expiresAt expiredAt }
      stored: referral(id: "r-old-expired") { status expiresAt expiredAt }
      noCustomer: referral(id: "r-new-3") { customer { id } dealValue { amount } }
    }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data).toEqual({
      fresh: { status: 'NEW', expiresAt: '2024-06-24T09:00:00.000Z', expiredAt: null, customer: { companyName: 'Northwind Traders' } },
      lapsed: { status: 'EXPIRED', expiresAt: null, expiredAt: '2024-06-03T08:00:00.000Z' },
      stored: { status: 'EXPIRED', expiresAt: null, expiredAt: '2024-01-15T09:00:00.000Z' },
      noCustomer: { customer: null, dealValue: null },
    });
  });

  it('answers NOT_FOUND for an unknown id', async () => {
    const r = await gql(env.server.graphqlUrl, admin, `{ referral(id: "nope") { id } }`);
    expect(r.body.data.referral).toBeNull();
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', typename: 'Referral', id: 'nope' });
  });
});

describe('referral filters and ordering', () => {
  it('filters by status (as of today), several at once', async () => {
    expect(await ids({ filter: { status: ['NEW'] } })).toEqual(['r-new-3', 'r-new-1', 'r-new-2', 'r-boundary']);
    expect(await ids({ filter: { status: 'EXPIRED' } })).toEqual(['r-expired', 'r-old-expired']);
    expect(await ids({ filter: { status: ['WON', 'LOST', 'DECLINED', 'EXPIRED'] } })).toHaveLength(7);
  });

  it('filters by direction, source, type and solution', async () => {
    expect(await ids({ filter: { direction: 'OUTGOING' } })).toEqual(['r-old-expired']);
    expect(await ids({ filter: { source: 'SALES_QUALIFIED' } })).toEqual(['r-active']);
    expect(await ids({ filter: { source: 'MARKETING_QUALIFIED' } })).toEqual(['r-active-eur']);
    expect(await ids({ filter: { type: 'CO_SELL' } })).toEqual(['r-active']);
    expect(await ids({ filter: { solution: 'Contoso Dynamics Accelerator' } })).toEqual(['r-new-2', 'r-old-expired']);
    expect(await ids({ filter: { direction: 'INCOMING', type: 'INDEPENDENT', status: ['ACTIVE'] } })).toEqual(['r-active-in', 'r-active-eur']);
  });

  it('filters by creation date, both ends inclusive', async () => {
    expect(await ids({ filter: { createdFrom: '2024-06-05', createdTo: '2024-06-10' } })).toEqual(['r-new-1', 'r-new-2']);
    expect(await ids({ filter: { createdTo: '2024-02-01' } })).toEqual(['r-lost', 'r-old-expired']);
    expect(await ids({ filter: { createdFrom: '2024-06-12' } })).toEqual(['r-new-3']);
  });

  it('filters by customer, customer country, location and search', async () => {
    expect(await ids({ filter: { customerId: customerId(P1, 0) } })).toEqual(['r-new-1', 'r-active', 'r-won']);
    expect(await ids({ filter: { customerCountry: 'IN' } })).toEqual(['r-new-2', 'r-active-in', 'r-won-2', 'r-lost']);
    expect(await ids({ filter: { mpnId: '1003' } })).toEqual(['r-boundary', 'r-active-eur', 'r-old-expired']);
    expect(await ids({ filter: { search: 'NORTHWIND' } })).toEqual(['r-new-1', 'r-active', 'r-won']);
    expect(await ids({ filter: { search: 'crm-0042' } })).toEqual(['r-active']);
    expect(await ids({ filter: { search: 'R-LOST' } })).toEqual(['r-lost']);
    expect(await ids({ filter: { search: 'tailspin' } })).toEqual([]); // P2's customer
  });

  it('orders by customer name, status and deal value in USD', async () => {
    const byName = await ids({ orderBy: { field: 'CUSTOMER_NAME', direction: 'ASC' }, filter: { status: ['ACTIVE', 'WON'] } });
    expect(byName).toEqual(['r-won-2', 'r-won-3', 'r-won', 'r-active', 'r-active-in', 'r-active-eur']);
    const byValue = await ids({ orderBy: { field: 'DEAL_VALUE_USD', direction: 'DESC' }, filter: { status: ['ACTIVE', 'WON', 'LOST'] } });
    expect(byValue).toEqual(['r-won', 'r-active', 'r-won-2', 'r-active-eur', 'r-active-in', 'r-won-3', 'r-lost']);
    const oldestFirst = await ids({ orderBy: { field: 'CREATED_AT', direction: 'ASC' } });
    expect(oldestFirst).toEqual([...NEWEST_FIRST].reverse());
  });
});

describe('referral pagination', () => {
  it('pages forward to the end and backward to the start', async () => {
    const forward: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r = await list({ first: 5, after });
      const c = r.body.data.referrals;
      expect(c.totalCount).toBe(P1_REFERRALS);
      expect(c.pageInfo.hasPreviousPage).toBe(pages > 0);
      forward.push(...c.edges.map((e: any) => e.node.id));
      pages++;
      after = c.pageInfo.endCursor;
      if (!c.pageInfo.hasNextPage) break;
    }
    expect(pages).toBe(3);
    expect(forward).toEqual(NEWEST_FIRST);

    const beyond = (await list({ first: 5, after })).body.data.referrals;
    expect(beyond.edges).toEqual([]);
    expect(beyond.pageInfo).toEqual({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });

    const backward: string[] = [];
    let before: string | null = null;
    for (;;) {
      const c: any = (await list({ last: 4, before })).body.data.referrals;
      backward.unshift(...c.edges.map((e: any) => e.node.id));
      if (!c.pageInfo.hasPreviousPage) break;
      before = c.pageInfo.startCursor;
    }
    expect(backward).toEqual(NEWEST_FIRST);
  });

  it('returns an empty page for first: 0 and a window with first + before', async () => {
    const none = (await list({ first: 0 })).body.data.referrals;
    expect(none).toMatchObject({ totalCount: P1_REFERRALS, edges: [], pageInfo: { hasNextPage: true, hasPreviousPage: false } });
    const page = (await list({ first: 6 })).body.data.referrals;
    const window = (await list({ first: 2, after: page.edges[1].cursor, before: page.edges[5].cursor })).body.data.referrals;
    expect(window.edges.map((e: any) => e.node.id)).toEqual(NEWEST_FIRST.slice(2, 4));
  });

  it('rejects oversized pages, foreign cursors and cursors of another filter with BAD_USER_INPUT', async () => {
    const big = await list({ first: 101 });
    expect(big.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first', maxPageSize: 100 });
    const garbage = await list({ first: 5, after: 'xyz' });
    expect(garbage.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    const won = (await list({ first: 1, filter: { status: ['WON'] } })).body.data.referrals;
    const reused = await list({ first: 1, after: won.pageInfo.endCursor });
    expect(reused.body.errors![0].message).toMatch(/different query/);
    const reordered = await list({ first: 1, after: (await list({ first: 1 })).body.data.referrals.pageInfo.endCursor, orderBy: { field: 'STATUS', direction: 'ASC' } });
    expect(reordered.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });
});

describe('dealRegistrations', () => {
  const DEALS = `query($filter: DealRegistrationFilter, $first: Int, $after: String) {
    dealRegistrations(filter: $filter, first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor }
      edges { node {
        id status companyName country city stateProvince solution contractType deployedOn deploymentTenant
        contractStartDate contractEndDate contractSignedDate registeredAt
        totalContractValue { amount currency } solutionValue { amount currency }
        contact { firstName lastName phone email }
        referral { id status }
      } }
    }
  }`;

  it('lists registrations not yet registered first, then newest, with every documented field', async () => {
    const r = await gql(env.server.graphqlUrl, admin, DEALS, {});
    expect(r.body.errors).toBeUndefined();
    const nodes = r.body.data.dealRegistrations.edges.map((e: any) => e.node);
    expect(nodes.map((n: any) => n.id)).toEqual(['dr-incomplete', 'dr-in-progress', 'dr-approved']);
    expect(nodes[1]).toEqual({
      id: 'dr-in-progress', status: 'IN_PROGRESS', companyName: 'Lucerne Publishing', country: 'US', city: 'Seattle', stateProvince: 'WA',
      solution: 'Contoso Cloud Migration', contractType: 'RENEWAL', deployedOn: 'AZURE', deploymentTenant: 'CUSTOMER_TENANT',
      contractStartDate: '2024-03-10', contractEndDate: '2025-03-09', contractSignedDate: '2024-03-08', registeredAt: '2024-03-12T09:00:00.000Z',
      totalContractValue: { amount: '1500.000000', currency: 'USD' }, solutionValue: { amount: '1200.000000', currency: 'USD' },
      contact: { firstName: 'Sam', lastName: 'Seller', phone: '+1 425 555 0101', email: 'sam@contoso-partner.com' },
      referral: { id: 'r-won-3', status: 'WON' },
    });
    expect(nodes[0]).toMatchObject({ status: 'INCOMPLETE', registeredAt: null, contact: null, solutionValue: null, referral: { id: 'r-won' } });
    expect(nodes[2]).toMatchObject({ status: 'APPROVED', contractEndDate: null, referral: null });
  });

  it('filters by status (Action required, In progress, Closed), referral and search, and pages', async () => {
    const of = async (variables: Record<string, unknown>) =>
      (await gql(env.server.graphqlUrl, admin, DEALS, variables)).body.data.dealRegistrations.edges.map((e: any) => e.node.id);
    expect(await of({ filter: { status: ['INCOMPLETE', 'UPDATE_REQUIRED'] } })).toEqual(['dr-incomplete']);
    expect(await of({ filter: { status: ['IN_PROGRESS'] } })).toEqual(['dr-in-progress']);
    expect(await of({ filter: { status: ['APPROVED', 'DECLINED'] } })).toEqual(['dr-approved']);
    expect(await of({ filter: { referralId: 'r-won-3' } })).toEqual(['dr-in-progress']);
    expect(await of({ filter: { search: 'coho' } })).toEqual(['dr-approved']);
    const first = (await gql(env.server.graphqlUrl, admin, DEALS, { first: 2 })).body.data.dealRegistrations;
    expect(first.pageInfo.hasNextPage).toBe(true);
    const rest = (await gql(env.server.graphqlUrl, admin, DEALS, { first: 2, after: first.pageInfo.endCursor })).body.data.dealRegistrations;
    expect(rest.edges.map((e: any) => e.node.id)).toEqual(['dr-approved']);
    expect(rest.totalCount).toBe(3);
  });

  it('links a referral to its registration and finds one by id', async () => {
    const r = await gql(env.server.graphqlUrl, admin, `{
      referral(id: "r-won-3") { dealRegistration { id status } }
      dealRegistration(id: "dr-approved") { companyName }
      missing: dealRegistration(id: "dr-p2") { companyName }
    }`);
    expect(r.body.data).toEqual({
      referral: { dealRegistration: { id: 'dr-in-progress', status: 'IN_PROGRESS' } },
      dealRegistration: { companyName: 'Coho Winery' },
      missing: null,
    });
    expect(r.body.errors).toEqual([expect.objectContaining({ path: ['missing'], extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
  });
});

describe('Customer.referrals', () => {
  const NESTED = `query($n: Int!) { customers(first: $n) { edges { node { id referrals(first: 2) { totalCount edges { node { id status dealValueUsd { amount } } } } } } } }`;

  it('adds each customer’s referrals, newest first, paged per customer', async () => {
    const r = await gql(env.server.graphqlUrl, admin, `query($id: ID!) {
      customer(id: $id) {
        companyName
        all: referrals { totalCount edges { node { id } } }
        page: referrals(first: 1) { pageInfo { hasNextPage endCursor } edges { node { id } } }
        won: referrals(filter: { status: [WON] }) { totalCount edges { node { id } } }
      }
    }`, { id: customerId(P1, 0) });
    expect(r.body.errors).toBeUndefined();
    const c = r.body.data.customer;
    expect(c.all.edges.map((e: any) => e.node.id)).toEqual(['r-new-1', 'r-active', 'r-won']);
    expect(c.won).toEqual({ totalCount: 1, edges: [{ node: { id: 'r-won' } }] });
    const next = await gql(env.server.graphqlUrl, admin, `query($id: ID!, $after: String) { customer(id: $id) { referrals(first: 5, after: $after) { edges { node { id } } } } }`, {
      id: customerId(P1, 0), after: c.page.pageInfo.endCursor,
    });
    expect(next.body.data.customer.referrals.edges.map((e: any) => e.node.id)).toEqual(['r-active', 'r-won']);
    // a cursor of one customer's referrals is not one of another customer's
    const other = await gql(env.server.graphqlUrl, admin, `query($id: ID!, $after: String) { customer(id: $id) { referrals(after: $after) { totalCount } } }`, {
      id: customerId(P1, 1), after: c.page.pageInfo.endCursor,
    });
    expect(other.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });

  it('costs the same statements for 3 customers and for 60: one batched statement for all their referrals', async () => {
    const statements = async (n: number) => {
      const before = statementCounter.total;
      const r = await gql(env.server.graphqlUrl, admin, NESTED, { n });
      expect(r.body.errors).toBeUndefined();
      return { count: statementCounter.total - before, data: r.body.data };
    };
    const few = await statements(3);
    const many = await statements(60);
    expect(many.count).toBe(few.count);
    // the customers page, then one statement for every customer's referrals
    expect(few.count).toBe(2);
    const nodes = many.data.customers.edges.map((e: any) => e.node);
    expect(nodes[0]).toEqual({ id: customerId(P1, 1), referrals: { totalCount: 1, edges: [{ node: { id: 'r-new-2', status: 'NEW', dealValueUsd: null } }] } });
    expect(nodes.filter((n: any) => n.referrals.totalCount === 0)).toHaveLength(59);
  });

  it('is FORBIDDEN, naming the roles, to a caller without a referrals role', async () => {
    const billing = await token(P1, ['Billing admin']);
    const r = await gql(env.server.graphqlUrl, billing, `query($id: ID!) { customer(id: $id) { companyName referrals { totalCount } } }`, { id: customerId(P1, 0) });
    expect(r.body.data.customer).toEqual({ companyName: 'Northwind Traders', referrals: null });
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: [...PERMISSIONS.readReferrals.roles] });
  });
});
