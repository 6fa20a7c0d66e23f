import { P1, P1_CUSTOMERS, customerId, gql, startTestEnv, token, type TestEnv } from '../gateway/harness';

/** The customer list over real HTTP through the gateway: paging, filters, ordering, relations. */
let env: TestEnv;
let admin: string;
beforeAll(async () => {
  env = await startTestEnv();
  admin = await token(P1, ['Global admin']);
});
afterAll(() => env.close());

const PAGE = `query Page($first: Int, $after: String, $last: Int, $before: String, $filter: CustomerFilter, $orderBy: CustomerOrder) {
  customers(first: $first, after: $after, last: $last, before: $before, filter: $filter, orderBy: $orderBy) {
    totalCount
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
    edges { cursor node { id companyName country segment createdDate } }
  }
}`;

async function page(variables: Record<string, unknown>, bearer = admin) {
  const r = await gql(env.server.graphqlUrl, bearer, PAGE, variables);
  return r;
}

function allNamesSorted(): string[] {
  const names = Array.from({ length: P1_CUSTOMERS }, (_, i) => ['Northwind Traders', 'Adventure Works', 'Wide World Importers'][i] ?? `Customer ${String(i).padStart(3, '0')}`);
  return names.sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0));
}

describe('customers pagination', () => {
  it('pages forward with first/after to the end, with totalCount on every page', async () => {
    const names: string[] = [];
    let after: string | null = null;
    let pages = 0;
    for (;;) {
      const r = await page({ first: 40, after });
      expect(r.status).toBe(200);
      expect(r.body.errors).toBeUndefined();
      const c = r.body.data.customers;
      expect(c.totalCount).toBe(P1_CUSTOMERS);
      expect(c.pageInfo.hasPreviousPage).toBe(pages > 0);
      names.push(...c.edges.map((e: any) => e.node.companyName));
      pages++;
      expect(c.pageInfo.endCursor).toBe(c.edges[c.edges.length - 1].cursor);
      after = c.pageInfo.endCursor;
      if (!c.pageInfo.hasNextPage) {
        expect(c.edges).toHaveLength(P1_CUSTOMERS - 40 * 3);
        break;
      }
    }
    expect(pages).toBe(4);
    expect(names).toEqual(allNamesSorted());

    const beyond = await page({ first: 10, after });
    expect(beyond.body.data.customers.edges).toHaveLength(0);
    expect(beyond.body.data.customers.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true, startCursor: null, endCursor: null });
    expect(beyond.body.data.customers.totalCount).toBe(P1_CUSTOMERS);
  });

  it('pages backward with last/before from the end to the start', async () => {
    const names: string[] = [];
    let before: string | null = null;
    for (let i = 0; i < 10; i++) {
      const r = await page({ last: 60, before });
      expect(r.body.errors).toBeUndefined();
      const c = r.body.data.customers;
      names.unshift(...c.edges.map((e: any) => e.node.companyName));
      if (i === 0) expect(c.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: true });
      if (!c.pageInfo.hasPreviousPage) break;
      before = c.pageInfo.startCursor;
    }
    expect(names).toEqual(allNamesSorted());
  });

  it('takes first with before and last with after as windows of the same order', async () => {
    const firstPage = (await page({ first: 10 })).body.data.customers;
    const middle = (await page({ last: 3, before: firstPage.edges[8].cursor })).body.data.customers;
    expect(middle.edges.map((e: any) => e.node.id)).toEqual(firstPage.edges.slice(5, 8).map((e: any) => e.node.id));
    expect(middle.pageInfo).toMatchObject({ hasPreviousPage: true, hasNextPage: true });
    const beforeOnly = (await page({ before: firstPage.edges[8].cursor })).body.data.customers;
    expect(beforeOnly.edges.map((e: any) => e.node.id)).toEqual(firstPage.edges.slice(0, 8).map((e: any) => e.node.id));
    const window = (await page({ first: 2, after: firstPage.edges[1].cursor, before: firstPage.edges[4].cursor })).body.data.customers;
    expect(window.edges.map((e: any) => e.node.id)).toEqual(firstPage.edges.slice(2, 4).map((e: any) => e.node.id));
  });

  it('returns 20 customers when neither first nor last is given', async () => {
    const r = await page({});
    expect(r.body.data.customers.edges).toHaveLength(20);
  });

  it('rejects a page larger than PI_MAX_PAGE_SIZE with BAD_USER_INPUT naming the limit', async () => {
    const r = await page({ first: 101 });
    expect(r.body.data.customers).toBeNull();
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0].message).toMatch(/101 is more than the maximum page size of 100 \(PI_MAX_PAGE_SIZE\)/);
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first', maxPageSize: 100 });

    const last = await page({ last: 500 });
    expect(last.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'last' });
    const negative = await page({ first: -1 });
    expect(negative.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect((await page({ first: 100 })).body.data.customers.edges).toHaveLength(100);
  });

  it('rejects a cursor that is not one, or belongs to another filter', async () => {
    const garbage = await page({ first: 5, after: 'not-a-cursor' });
    expect(garbage.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    const indian = (await page({ first: 5, filter: { country: 'IN' } })).body.data.customers;
    const reused = await page({ first: 5, after: indian.pageInfo.endCursor });
    expect(reused.body.errors![0].message).toMatch(/different query/);
  });
});

describe('customers filters and ordering', () => {
  const ids = (r: any) => r.body.data.customers.edges.map((e: any) => e.node);

  it('searches company name or domain, case-insensitively, within the partner only', async () => {
    const byName = await page({ first: 10, filter: { search: 'NORTHWIND' } });
    expect(ids(byName).map((c: any) => c.companyName)).toEqual(['Northwind Traders']);
    const byDomain = await page({ first: 10, filter: { search: 'adventureWorks.Example' } });
    expect(ids(byDomain).map((c: any) => c.companyName)).toEqual(['Adventure Works']);
    const none = await page({ first: 10, filter: { search: 'tailspin' } });
    expect(none.body.data.customers.totalCount).toBe(0);
  });

  it('filters by country, segment, reseller and location, combined with AND', async () => {
    const inCountry = await page({ first: 100, filter: { country: 'IN' } });
    expect(inCountry.body.data.customers.totalCount).toBe(50);
    expect(ids(inCountry).every((c: any) => c.country === 'IN')).toBe(true);
    expect((await page({ first: 1, filter: { segment: 'EDUCATION' } })).body.data.customers.totalCount).toBe(38);
    expect((await page({ first: 1, filter: { resellerMpnId: '5001' } })).body.data.customers.totalCount).toBe(30);
    expect((await page({ first: 1, filter: { mpnId: '1003' } })).body.data.customers.totalCount).toBe(50);
    // i % 3 == 2 (CA) and i % 5 == 0 (5001): i = 5, 20, 35, ... -> 10 customers
    expect((await page({ first: 1, filter: { country: 'CA', resellerMpnId: '5001' } })).body.data.customers.totalCount).toBe(10);
  });

  it('rejects a country that is not an ISO code', async () => {
    const r = await page({ first: 1, filter: { country: 'Narnia' } });
    expect(r.body.data.customers).toBeNull();
    expect(r.body.errors![0].message).toMatch(/not a valid country code: Narnia/);
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
  });

  it('orders by name, country and created date in both directions', async () => {
    const desc = ids(await page({ first: 3, orderBy: { field: 'NAME', direction: 'DESC' } }));
    expect(desc.map((c: any) => c.companyName)).toEqual(allNamesSorted().reverse().slice(0, 3));
    const byCountry = ids(await page({ first: 100, orderBy: { field: 'COUNTRY' } }));
    expect(byCountry.slice(0, 50).every((c: any) => c.country === 'CA')).toBe(true);
    expect(byCountry[50].country).toBe('IN');
    const newest = ids(await page({ first: 2, orderBy: { field: 'CREATED_DATE', direction: 'DESC' } }));
    expect(newest.map((c: any) => c.id)).toEqual([customerId(P1, 149), customerId(P1, 148)]);
    expect(newest[0].createdDate).toBe('2023-05-30');
  });
});

describe('customer, relations and the partner', () => {
  it('returns one customer with location, reseller, attributions and activity log (newest first)', async () => {
    const r = await gql(env.server.graphqlUrl, admin, `query($id: ID!) { customer(id: $id) {
      id companyName domain country segment relationship createdDate
      location { mpnId name country market isHeadquarters }
      reseller { mpnId name status }
      attributions { type mpnId workload subscriptionId incentive startDate endDate }
      activityLog(first: 2) { totalCount pageInfo { hasNextPage } edges { node { occurredAt action customerName partnerUser } } }
    } }`, { id: customerId(P1, 0) });
    expect(r.body.errors).toBeUndefined();
    const c = r.body.data.customer;
    expect(c).toMatchObject({
      companyName: 'Northwind Traders', domain: 'northwind.onmicrosoft.com', country: 'US', segment: 'COMMERCIAL', relationship: 'Reseller',
      location: { mpnId: '1001', name: 'Contoso Redmond', country: 'US', market: 'DEVELOPED', isHeadquarters: true },
      reseller: { mpnId: '5001', name: 'Alpha Reseller', status: 'ACTIVE' },
    });
    expect(c.attributions.map((a: any) => `${a.type}:${a.mpnId}:${a.workload}`)).toEqual(['CSP:1001:Office 365', 'DPOR:1002:Azure']);
    expect(c.activityLog.totalCount).toBe(3);
    expect(c.activityLog.pageInfo.hasNextPage).toBe(true);
    expect(c.activityLog.edges.map((e: any) => e.node)).toEqual([
      { occurredAt: '2024-01-03T11:45:00.000Z', action: 'Changed quantity', customerName: 'Northwind Traders', partnerUser: 'bob@contoso-partner.com' },
      { occurredAt: '2024-01-02T10:30:00.000Z', action: 'Purchased subscription', customerName: 'Northwind Traders', partnerUser: 'alice@contoso-partner.com' },
    ]);
  });

  it('answers NOT_FOUND for an unknown customer', async () => {
    const r = await gql(env.server.graphqlUrl, admin, `{ customer(id: "nope") { id } }`);
    expect(r.body.data.customer).toBeNull();
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', typename: 'Customer', id: 'nope' });
  });

  it('lists resellers, and a reseller’s customers', async () => {
    const r = await gql(env.server.graphqlUrl, admin, `{
      resellers(first: 10) { totalCount edges { node { mpnId name country status relationshipStartDate } } }
      reseller(mpnId: "5002") { name customers(first: 2) { totalCount edges { node { id } } } }
    }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.resellers.totalCount).toBe(3);
    expect(r.body.data.resellers.edges.map((e: any) => e.node.name)).toEqual(['Alpha Reseller', 'Beta Reseller', 'Gamma Reseller']);
    expect(r.body.data.resellers.edges[1].node).toMatchObject({ status: 'SUSPENDED', relationshipStartDate: '2022-06-15', country: 'CA' });
    expect(r.body.data.reseller.customers.totalCount).toBe(30);
    expect(r.body.data.reseller.customers.edges.map((e: any) => e.node.id)).toEqual([customerId(P1, 1), customerId(P1, 6)]);
    const filtered = await gql(env.server.graphqlUrl, admin, `{ resellers(filter: { status: SUSPENDED }) { edges { node { mpnId } } } }`);
    expect(filtered.body.data.resellers.edges).toEqual([{ node: { mpnId: '5002' } }]);
  });

  it('shows the caller’s partner with locations and users', async () => {
    const r = await gql(env.server.graphqlUrl, admin, `{
      partner { id name globalMpnId partnerType country locations { mpnId country market } users { id email displayName roles locationMpnIds } }
      locations { mpnId }
      location(mpnId: "1002") { name market }
    }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.partner).toMatchObject({ id: P1, name: 'Contoso Cloud Partner', globalMpnId: '9000001', partnerType: 'Indirect provider', country: 'US' });
    expect(r.body.data.partner.locations.map((l: any) => l.mpnId)).toEqual(['1001', '1002', '1003']);
    expect(r.body.data.partner.users).toContainEqual({
      id: 'u-3', email: 'chandra@contoso-partner.com', displayName: 'Chandra Agent', roles: ['Sales agent', 'Report viewer'], locationMpnIds: ['1002'],
    });
    expect(r.body.data.locations).toHaveLength(3);
    expect(r.body.data.location).toEqual({ name: 'Contoso Bangalore', market: 'DEVELOPING' });
  });
});
