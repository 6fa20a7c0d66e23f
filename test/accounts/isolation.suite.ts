import { PERMISSIONS } from '../../core/permissions';
import { startServer, type RunningServer } from '../../gateway/server';
import { P1, P2, customerId, gql, startTestEnv, testAuth, token, type TestEnv } from '../gateway/harness';

/** Tenant isolation, location scoping and field permissions, over real HTTP. */
let env: TestEnv;
let accountsAlone: RunningServer;
beforeAll(async () => {
  env = await startTestEnv();
  accountsAlone = await startServer({ warehouse: env.warehouse, subgraph: 'accounts', port: 0, host: '127.0.0.1', auth: testAuth });
});
afterAll(async () => {
  await accountsAlone.close();
  await env.close();
});

describe('tenant isolation', () => {
  it('shows each partner only its own customers, resellers and locations', async () => {
    const p2 = await token(P2, ['Global admin']);
    const r = await gql(env.server.graphqlUrl, p2, `{
      partner { id locations { mpnId } users { id } }
      customers(first: 100) { totalCount edges { node { id companyName } } }
      search: customers(filter: { search: "northwind" }) { edges { node { companyName } } }
      resellers { edges { node { mpnId name } } }
      reseller(mpnId: "5001") { name customers { totalCount } }
    }`);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.partner).toEqual({ id: P2, locations: [{ mpnId: '2001' }], users: [{ id: 'u-9' }] });
    expect(r.body.data.customers.totalCount).toBe(3);
    expect(r.body.data.customers.edges.every((e: any) => e.node.id.startsWith(P2.slice(0, 8)))).toBe(true);
    expect(r.body.data.search.edges).toEqual([{ node: { companyName: 'Northwind Traders GmbH' } }]);
    expect(r.body.data.resellers.edges).toEqual([{ node: { mpnId: '5001', name: 'Alpha Reseller Europe' } }]);
    expect(r.body.data.reseller).toEqual({ name: 'Alpha Reseller Europe', customers: { totalCount: 1 } });
  });

  it('answers NOT_FOUND for another partner’s customer id, as for one that does not exist', async () => {
    const p2 = await token(P2, ['Global admin']);
    const r = await gql(env.server.graphqlUrl, p2, `query($id: ID!) { customer(id: $id) { id companyName } }`, { id: customerId(P1, 0) });
    expect(r.body.data.customer).toBeNull();
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('resolves _entities references to another partner’s entities as null (subgraph served alone)', async () => {
    const p2 = await token(P2, ['Global admin']);
    const r = await gql(accountsAlone.graphqlUrl, p2, `query($reps: [_Any!]!) {
      _entities(representations: $reps) {
        ... on Customer { id companyName }
        ... on Reseller { mpnId name }
        ... on Location { mpnId name }
      }
    }`, {
      reps: [
        { __typename: 'Customer', id: customerId(P1, 0) },
        { __typename: 'Customer', id: customerId(P2, 0) },
        { __typename: 'Reseller', mpnId: '5002' },
        { __typename: 'Reseller', mpnId: '5001' },
        { __typename: 'Location', mpnId: '1001' },
        { __typename: 'Location', mpnId: '2001' },
      ],
    });
    expect(r.status).toBe(200);
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data._entities).toEqual([
      null,
      { id: customerId(P2, 0), companyName: 'Northwind Traders GmbH' },
      null,
      { mpnId: '5001', name: 'Alpha Reseller Europe' },
      null,
      { mpnId: '2001', name: 'Fabrikam Berlin' },
    ]);
  });

  it('requires a valid token at a subgraph served alone too', async () => {
    const r = await gql(accountsAlone.graphqlUrl, null, `{ _service { sdl } }`);
    expect(r.status).toBe(401);
  });

  it('rejects a cursor issued to another partner', async () => {
    const p1 = await token(P1, ['Global admin']);
    const p2 = await token(P2, ['Global admin']);
    const query = `query($after: String) { customers(first: 1, after: $after) { edges { node { id } } pageInfo { endCursor } } }`;
    const p1Page = await gql(env.server.graphqlUrl, p1, query);
    const cursor = p1Page.body.data.customers.pageInfo.endCursor;
    const r = await gql(env.server.graphqlUrl, p2, query, { after: cursor });
    expect(r.body.data.customers).toBeNull();
    expect(r.body.errors![0].message).toMatch(/issued to another partner/);
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'after' });
  });
});

describe('location-scoped callers', () => {
  it('see only the customers, locations, attributions, resellers and users of their locations', async () => {
    const bangalore = await token(P1, ['Sales agent', 'Report viewer'], { locations: ['1002'] });
    const r = await gql(env.server.graphqlUrl, bangalore, `query($us: ID!, $in: ID!) {
      partner { locations { mpnId } users { id email } }
      locations { mpnId }
      customers(first: 100) { totalCount edges { node { country location { mpnId } } } }
      us: customer(id: $us) { id }
      india: customer(id: $in) { companyName attributions { type mpnId } }
      resellers { edges { node { mpnId } } }
    }`, { us: customerId(P1, 0), in: customerId(P1, 1) });
    expect(r.body.data.partner).toEqual({ locations: [{ mpnId: '1002' }], users: [{ id: 'u-3', email: 'chandra@contoso-partner.com' }] });
    expect(r.body.data.locations).toEqual([{ mpnId: '1002' }]);
    expect(r.body.data.customers.totalCount).toBe(50);
    expect(r.body.data.customers.edges.every((e: any) => e.node.country === 'IN' && e.node.location.mpnId === '1002')).toBe(true);
    expect(r.body.data.us).toBeNull();
    expect(r.body.errors).toEqual([expect.objectContaining({ path: ['us'], extensions: expect.objectContaining({ code: 'NOT_FOUND' }) })]);
    expect(r.body.data.india).toEqual({ companyName: 'Adventure Works', attributions: [{ type: 'CSP', mpnId: '1002' }] });
    // Gamma Reseller (5003) has no customers, so no location's caller sees it.
    expect(r.body.data.resellers.edges.map((e: any) => e.node.mpnId)).toEqual(['5001', '5002']);
  });

  it('cannot filter their way into another location', async () => {
    const bangalore = await token(P1, ['Sales agent'], { locations: ['1002'] });
    const r = await gql(env.server.graphqlUrl, bangalore, `{ customers(filter: { mpnId: "1001" }) { totalCount } }`);
    expect(r.body.data.customers.totalCount).toBe(0);
  });
});

describe('field permissions', () => {
  it('gives a Report viewer null and FORBIDDEN naming the roles for personal data', async () => {
    const viewer = await token(P1, ['Report viewer']);
    const r = await gql(env.server.graphqlUrl, viewer, `{ partner { users { id roles email displayName } } }`);
    const users = r.body.data.partner.users;
    expect(users).toHaveLength(3);
    expect(users.every((u: any) => u.email === null && u.displayName === null && u.roles.length > 0)).toBe(true);
    const forbidden = r.body.errors!.filter((e) => e.extensions?.code === 'FORBIDDEN');
    expect(forbidden).toHaveLength(6);
    const email = forbidden.find((e) => e.path!.join('.') === 'partner.users.0.email')!;
    expect(email.extensions!.requiredRoles).toEqual([...PERMISSIONS.seePersonalData.roles]);
    expect(email.extensions!.permission).toBe('seePersonalData');
    expect(email.message).toBe(`PartnerUser.email needs one of these roles: ${PERMISSIONS.seePersonalData.roles.join(', ')}`);
    expect(email.message).toContain('Executive report viewer');
  });

  it('lets an Executive report viewer see personal data and activity logs', async () => {
    const exec = await token(P1, ['Executive report viewer']);
    const r = await gql(env.server.graphqlUrl, exec, `query($id: ID!) {
      partner { users { email } }
      customer(id: $id) { activityLog(first: 1) { edges { node { partnerUser } } } }
    }`, { id: customerId(P1, 0) });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.customer.activityLog.edges[0].node.partnerUser).toBe('bob@contoso-partner.com');
  });

  it('hides the activity log from a Report viewer and its partner user from a Billing admin', async () => {
    const viewer = await token(P1, ['Report viewer']);
    const id = customerId(P1, 0);
    const q = `query($id: ID!) { customer(id: $id) { companyName activityLog(first: 1) { edges { node { action partnerUser } } } } }`;
    const r = await gql(env.server.graphqlUrl, viewer, q, { id });
    expect(r.body.data.customer).toEqual({ companyName: 'Northwind Traders', activityLog: null });
    expect(r.body.errors![0]).toMatchObject({
      path: ['customer', 'activityLog'],
      extensions: { code: 'FORBIDDEN', requiredRoles: [...PERMISSIONS.readActivityLog.roles] },
    });
    const billing = await gql(env.server.graphqlUrl, await token(P1, ['Billing admin']), q, { id });
    expect(billing.body.data.customer.activityLog.edges[0].node).toEqual({ action: 'Changed quantity', partnerUser: null });
    expect(billing.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'seePersonalData' });
  });

  it('denies the customer list to a role without customer access, naming the roles that have it', async () => {
    const referrals = await token(P1, ['Referrals admin']);
    const r = await gql(env.server.graphqlUrl, referrals, `{ partner { name } customers { totalCount } }`);
    expect(r.body.data).toEqual({ partner: { name: 'Contoso Cloud Partner' }, customers: null });
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: [...PERMISSIONS.readCustomers.roles] });
    expect(r.body.errors![0].message).toMatch(/^Query\.customers needs one of these roles: Global admin, Admin agent/);
  });
});
