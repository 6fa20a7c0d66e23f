import { startServer, type RunningServer } from '../../gateway/server';
import { SUBGRAPHS } from '../../gateway/subgraphs';
import { statementCounter } from '../../warehouse/db';
import { P1, customerId, gql, startTestEnv, testAuth, token, type TestEnv } from '../gateway/harness';
import { TODAY, insertSubscriptionFixture } from './fixture';

/**
 * The subscriptions subgraph served alone over HTTP behind a gateway (as with PI_SUBGRAPH_URLS):
 * the token is forwarded and verified by the subgraph, Customer.subscriptions stays batched, typed
 * errors survive, and mutations work.
 */
let env: TestEnv;
let subscriptions: RunningServer;
let gateway: RunningServer;
const previousToday = process.env.PI_TODAY;
beforeAll(async () => {
  process.env.PI_TODAY = TODAY;
  env = await startTestEnv({ subgraph: 'accounts' });
  await insertSubscriptionFixture(env.warehouse);
  subscriptions = await startServer({ warehouse: env.warehouse, subgraph: 'subscriptions', port: 0, host: '127.0.0.1', auth: testAuth });
  gateway = await startServer({
    port: 0,
    host: '127.0.0.1',
    auth: testAuth,
    subgraphs: SUBGRAPHS.filter((s) => s.name === 'accounts' || s.name === 'subscriptions'),
    subgraphUrls: { accounts: env.server.graphqlUrl, subscriptions: subscriptions.graphqlUrl },
  });
});
afterAll(async () => {
  await gateway.close();
  await subscriptions.close();
  await env.close();
  if (previousToday === undefined) delete process.env.PI_TODAY;
  else process.env.PI_TODAY = previousToday;
});

it('joins customers and their subscriptions across subgraphs over HTTP with the same few statements', async () => {
  const bearer = await token(P1, ['Global admin']);
  const q = `query($n: Int!) { customers(first: $n) { edges { node { id subscriptions(first: 20) { totalCount edges { node { product { name } } } } reseller { name } } } } }`;
  const counts: number[] = [];
  for (const n of [10, 100]) {
    const before = statementCounter.total;
    const r = await gql(gateway.graphqlUrl, bearer, q, { n });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.customers.edges).toHaveLength(n);
    counts.push(statementCounter.total - before);
  }
  expect(counts).toEqual([4, 4]);
});

it('keeps typed errors and scoping through the gateway, and runs mutations', async () => {
  const viewer = await token(P1, ['Report viewer'], { locations: ['1002'] });
  const r = await gql(gateway.graphqlUrl, viewer, `{ subscription(id: "sub-monthly") { id } subscriptions { totalCount } }`);
  expect(r.body.errors![0].extensions).toMatchObject({ code: 'NOT_FOUND' });
  expect(r.body.data.subscriptions.totalCount).toBeGreaterThan(0);
  const denied = await gql(gateway.graphqlUrl, viewer, `mutation { suspendSubscription(id: "sub-in") { id } }`);
  expect(denied.body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: expect.arrayContaining(['Admin agent']) });

  const agent = await token(P1, ['Admin agent']);
  const done = await gql(gateway.graphqlUrl, agent, `mutation { suspendSubscription(id: "sub-monthly") { status customer { id companyName } } }`);
  expect(done.body.errors).toBeUndefined();
  expect(done.body.data.suspendSubscription).toEqual({ status: 'SUSPENDED', customer: { id: customerId(P1, 0), companyName: 'Northwind Traders' } });
});
