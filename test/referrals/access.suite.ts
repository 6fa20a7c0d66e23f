import { startServer, type RunningServer } from '../../gateway/server';
import { PERMISSIONS } from '../../core/permissions';
import { P1, P2, customerId, gql, startTestEnv, testAuth, token, type TestEnv } from '../gateway/harness';
import { insertReferralFixture, storedReferral, useToday } from './fixture';

/** Who may read and change referrals: roles, location-scoped users, tenant isolation (query, _entities, cursors). */
let env: TestEnv;
let subgraph: RunningServer;
useToday();
beforeAll(async () => {
  env = await startTestEnv();
  await insertReferralFixture(env.warehouse);
  // The referrals subgraph served alone, to call _entities as the gateway would.
  subgraph = await startServer({ warehouse: env.warehouse, port: 0, host: '127.0.0.1', auth: testAuth, subgraph: 'referrals' });
});
afterAll(async () => {
  await subgraph.close();
  await env.close();
});

const gqlAs = (bearer: string, query: string, variables?: Record<string, unknown>) => gql(env.server.graphqlUrl, bearer, query, variables);
const ACCEPT = `mutation($id: ID!) {
  acceptReferral(id: $id, input: { engagementName: "E", estimatedDealValue: { amount: "1", currency: "USD" }, purchaseTimeFrame: "soon" }) { id status }
}`;

describe('roles', () => {
  it('lets a Report viewer read referrals but not their values or contacts: null + FORBIDDEN naming the roles', async () => {
    const viewer = await token(P1, ['Report viewer']);
    const r = await gqlAs(viewer, `{ referral(id: "r-active") { id customerName status dealValue { amount } dealValueUsd { amount } contacts { email } } }`);
    expect(r.body.data.referral).toEqual({ id: 'r-active', customerName: 'Northwind Traders', status: 'ACTIVE', dealValue: null, dealValueUsd: null, contacts: null });
    const byPath = Object.fromEntries(r.body.errors!.map((e) => [e.path!.join('.'), e]));
    expect(Object.keys(byPath).sort()).toEqual(['referral.contacts', 'referral.dealValue', 'referral.dealValueUsd']);
    expect(byPath['referral.dealValue'].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: [...PERMISSIONS.seeDealValue.roles], permission: 'seeDealValue' });
    expect(byPath['referral.dealValue'].message).toBe('Referral.dealValue needs one of these roles: Global admin, Referrals admin, Executive report viewer');
    expect(byPath['referral.contacts'].extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'seePersonalData', requiredRoles: [...PERMISSIONS.seePersonalData.roles] });

    const deals = await gqlAs(viewer, `{ dealRegistrations(filter: { status: [IN_PROGRESS] }) { edges { node { companyName totalContractValue { amount } contact { email } } } } }`);
    expect(deals.body.data.dealRegistrations.edges).toEqual([{ node: { companyName: 'Lucerne Publishing', totalContractValue: null, contact: null } }]);
    expect(deals.body.errors!.map((e) => e.extensions!.permission).sort()).toEqual(['seeDealValue', 'seePersonalData']);
  });

  it('does not let a Report viewer order by deal value', async () => {
    const r = await gqlAs(await token(P1, ['Report viewer']), `{ referrals(orderBy: { field: DEAL_VALUE_USD }) { totalCount } }`);
    expect(r.body.data.referrals).toBeNull();
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: [...PERMISSIONS.seeDealValue.roles] });
  });

  it('refuses every mutation to readers (Report viewer, Executive report viewer, Sales agent), leaving the referral unchanged', async () => {
    const before = await storedReferral(env.warehouse, P1, 'r-new-1');
    for (const role of ['Report viewer', 'Executive report viewer', 'Sales agent'] as const) {
      const r = await gqlAs(await token(P1, [role]), ACCEPT, { id: 'r-new-1' });
      expect(r.body.data).toEqual({ acceptReferral: null });
      expect(r.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['Global admin', 'Referrals admin'], permission: 'manageReferrals' });
      expect(r.body.errors![0].message).toBe('Mutation.acceptReferral needs one of these roles: Global admin, Referrals admin');
    }
    const register = await gqlAs(await token(P1, ['Report viewer']), `mutation { registerDeal(input: {
      companyName: "X", country: "US", city: "C", stateProvince: "S", solution: "S", contractType: NEW,
      totalContractValue: { amount: "1", currency: "USD" }, solutionValue: { amount: "1", currency: "USD" }, deployedOn: AZURE,
      deploymentTenant: CUSTOMER_TENANT, contractStartDate: "2024-07-01", contractSignedDate: "2024-06-01",
      contact: { firstName: "A", lastName: "B", phone: "+1 1", email: "a@b.com" } }) { id } }`);
    expect(register.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'manageReferrals' });
    expect(await storedReferral(env.warehouse, P1, 'r-new-1')).toEqual(before);
    expect(await env.warehouse.all(`SELECT count(*)::INTEGER AS n FROM deal_registrations`)).toEqual([{ n: 4 }]);
  });

  it('shows an Executive report viewer values and contacts; a Sales agent reads referrals without values', async () => {
    const exec = await gqlAs(await token(P1, ['Executive report viewer']), `{ referral(id: "r-active") { dealValueUsd { amount } contacts { email } } }`);
    expect(exec.body.errors).toBeUndefined();
    expect(exec.body.data.referral.dealValueUsd).toEqual({ amount: '10000.000000' });
    const sales = await gqlAs(await token(P1, ['Sales agent']), `{ referrals { totalCount } referral(id: "r-active") { contacts { email } dealValue { amount } } }`);
    expect(sales.body.data).toEqual({ referrals: { totalCount: 14 }, referral: { contacts: [{ email: 'jane@northwind.example' }, { email: 'sam@contoso-partner.com' }], dealValue: null } });
    expect(sales.body.errors!.map((e) => e.extensions!.permission)).toEqual(['seeDealValue']);
  });

  it('denies referrals to roles without referral access, naming the roles that have it', async () => {
    const r = await gqlAs(await token(P1, ['Billing admin']), `{ referrals { totalCount } dealRegistrations { totalCount } referral(id: "r-active") { id } }`);
    expect(r.body.data).toEqual({ referrals: null, dealRegistrations: null, referral: null });
    expect(r.body.errors).toHaveLength(3);
    for (const e of r.body.errors!) expect(e.extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: [...PERMISSIONS.readReferrals.roles] });
  });

  it('lets a Referrals admin manage referrals (and see values and contacts)', async () => {
    const r = await gqlAs(await token(P1, ['Referrals admin']), `mutation { markReferralLost(id: "r-active-eur") { status dealValue { currency } contacts { email } } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.markReferralLost).toEqual({ status: 'LOST', dealValue: { currency: 'EUR' }, contacts: [] });
  });
});

describe('a location-scoped user (Referrals admin of 1002, Bangalore)', () => {
  let bangalore: string;
  beforeAll(async () => {
    bangalore = await token(P1, ['Referrals admin'], { locations: ['1002'] });
  });

  it('sees only the referrals of their location, and cannot filter into another', async () => {
    const r = await gqlAs(bangalore, `{ referrals { totalCount edges { node { id location { mpnId } } } } other: referrals(filter: { mpnId: "1001" }) { totalCount } }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.referrals.edges.map((e: any) => e.node.id)).toEqual(['r-new-2', 'r-active-in', 'r-won-2', 'r-lost']);
    expect(r.body.data.referrals.edges.every((e: any) => e.node.location.mpnId === '1002')).toBe(true);
    expect(r.body.data.other.totalCount).toBe(0);
  });

  it('gets NOT_FOUND for another location’s referral, to read or to change, and it stays unchanged', async () => {
    const before = await storedReferral(env.warehouse, P1, 'r-new-1');
    const read = await gqlAs(bangalore, `{ referral(id: "r-new-1") { id } }`);
    expect(read.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    const write = await gqlAs(bangalore, ACCEPT, { id: 'r-new-1' });
    expect(write.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND', typename: 'Referral', id: 'r-new-1' });
    expect(await storedReferral(env.warehouse, P1, 'r-new-1')).toEqual(before);
    const ok = await gqlAs(bangalore, ACCEPT, { id: 'r-new-2' });
    expect(ok.body.data.acceptReferral).toEqual({ id: 'r-new-2', status: 'ACTIVE' });
  });

  it('sees only deal registrations of their location’s referrals and registers deals only from them', async () => {
    const none = await gqlAs(bangalore, `{ dealRegistrations { totalCount } }`);
    expect(none.body.data.dealRegistrations.totalCount).toBe(0);
    const input = `companyName: "Contoso Pharma", country: "IN", city: "Bangalore", stateProvince: "KA", solution: "S", contractType: NEW,
      totalContractValue: { amount: "7000", currency: "USD" }, solutionValue: { amount: "7000", currency: "USD" }, deployedOn: AZURE,
      deploymentTenant: CUSTOMER_TENANT, contractStartDate: "2024-07-01", contractSignedDate: "2024-06-01",
      contact: { firstName: "A", lastName: "B", phone: "+91 80 1234", email: "a@contoso-partner.com" }`;
    const orgWide = await gqlAs(bangalore, `mutation { registerDeal(input: { ${input} }) { id } }`);
    expect(orgWide.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.referralId' });
    const otherLocation = await gqlAs(bangalore, `mutation { registerDeal(input: { referralId: "r-won", ${input} }) { id } }`);
    expect(otherLocation.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
    const ok = await gqlAs(bangalore, `mutation { registerDeal(input: { referralId: "r-won-2", ${input} }) { status referral { id } } }`);
    expect(ok.body.data.registerDeal).toEqual({ status: 'IN_PROGRESS', referral: { id: 'r-won-2' } });
    const after = await gqlAs(bangalore, `{ dealRegistrations { edges { node { referral { id } } } } }`);
    expect(after.body.data.dealRegistrations.edges).toEqual([{ node: { referral: { id: 'r-won-2' } } }]);
  });

  it('sees, through _entities, only referrals of their location', async () => {
    const r = await gql(subgraph.graphqlUrl, bangalore, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Referral { id } } }`, {
      r: [{ __typename: 'Referral', id: 'r-active' }, { __typename: 'Referral', id: 'r-lost' }],
    });
    expect(r.body.data._entities).toEqual([null, { id: 'r-lost' }]);
  });
});

describe('tenant isolation', () => {
  let p2: string;
  let p1: string;
  beforeAll(async () => {
    p2 = await token(P2, ['Global admin']);
    p1 = await token(P1, ['Global admin']);
  });

  it('lists only the caller’s own referrals and registrations, whatever the filter', async () => {
    const r = await gqlAs(p2, `{
      referrals { totalCount edges { node { id } } }
      search: referrals(filter: { search: "northwind" }) { edges { node { id customerName } } }
      byCustomer: referrals(filter: { customerId: "${customerId(P1, 0)}" }) { totalCount }
      dealRegistrations { edges { node { id } } }
      p1: referral(id: "r-active") { id }
    }`);
    expect(r.body.data.referrals).toEqual({ totalCount: 2, edges: [{ node: { id: 'r-p2-new' } }, { node: { id: 'r-p2-active' } }] });
    expect(r.body.data.search.edges).toEqual([{ node: { id: 'r-p2-active', customerName: 'Northwind Traders GmbH' } }]);
    expect(r.body.data.byCustomer.totalCount).toBe(0);
    expect(r.body.data.dealRegistrations.edges).toEqual([{ node: { id: 'dr-p2' } }]);
    expect(r.body.data.p1).toBeNull();
    expect(r.body.errors).toEqual([expect.objectContaining({ path: ['p1'], extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
  });

  it('resolves another partner’s Referral to null in _entities', async () => {
    const r = await gql(subgraph.graphqlUrl, p2, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Referral { id status customerName } } }`, {
      r: [{ __typename: 'Referral', id: 'r-active' }, { __typename: 'Referral', id: 'r-p2-active' }, { __typename: 'Referral', id: 'missing' }],
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data._entities).toEqual([null, { id: 'r-p2-active', status: 'ACTIVE', customerName: 'Northwind Traders GmbH' }, null]);
  });

  it('gives Customer.referrals of another partner’s customer no referrals in _entities', async () => {
    const r = await gql(subgraph.graphqlUrl, p1, `query($r: [_Any!]!) { _entities(representations: $r) { ... on Customer { referrals { totalCount } } } }`, {
      r: [{ __typename: 'Customer', id: customerId(P2, 0) }, { __typename: 'Customer', id: customerId(P1, 0) }],
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data._entities).toEqual([{ referrals: { totalCount: 0 } }, { referrals: { totalCount: 3 } }]);
  });

  it('rejects a cursor issued to another partner', async () => {
    const page = await gqlAs(p1, `{ referrals(first: 1) { pageInfo { endCursor } } }`);
    const cursor = page.body.data.referrals.pageInfo.endCursor;
    const r = await gqlAs(p2, `query($after: String) { referrals(first: 5, after: $after) { edges { node { id } } } }`, { after: cursor });
    expect(r.body.data.referrals).toBeNull();
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
    expect(r.body.errors![0].message).toMatch(/another partner/);
  });

  it('answers FORBIDDEN for Referral references when the caller has no referrals role', async () => {
    const r = await gql(subgraph.graphqlUrl, await token(P1, ['Billing admin']), `query($r: [_Any!]!) { _entities(representations: $r) { ... on Referral { id } } }`, {
      r: [{ __typename: 'Referral', id: 'r-active' }],
    });
    expect(r.body.data).toBeNull();
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: [...PERMISSIONS.readReferrals.roles] });
  });
});
