import { statementCounter } from '../../warehouse/db';
import { P1, gql, statementsOf, token, type TestEnv } from '../gateway/harness';
import { generatedCount, subscriptionFixtureForSuite } from './fixture';

/**
 * Batched nested connections: customers(first: n) with each customer's subscriptions (a page of a
 * one-to-many connection), their products and the customer's reseller cost the same few SQL
 * statements for n = 10 and n = 100: one per level, never one per customer.
 */
let env: TestEnv;
subscriptionFixtureForSuite((started) => (env = started));

const NESTED = `query($n: Int!) {
  customers(first: $n) {
    edges { node {
      id
      subscriptions(first: 20) { totalCount edges { node { id product { name } } } }
      reseller { name }
    } }
  }
}`;

async function statementsFor(n: number): Promise<{ statements: number; body: any }> {
  const counted = await statementsOf(env, NESTED, { n });
  expect(counted.body.data.customers.edges).toHaveLength(n);
  return counted;
}

it('runs the same small number of statements for 10 and for 100 customers', async () => {
  const ten = await statementsFor(10);
  const hundred = await statementsFor(100);
  // customers page; resellers batch (accounts); the subscriptions of all customers; their products
  expect(ten.statements).toBe(4);
  expect(hundred.statements).toBe(ten.statements);

  // and the pages are right: every customer has its own subscriptions, with its own totalCount
  const nodes = hundred.body.data.customers.edges.map((e: any) => e.node);
  const withSubs = nodes.filter((n: any) => n.subscriptions.totalCount > 0);
  expect(withSubs.length).toBe(100);
  for (const node of nodes) {
    const ids = node.subscriptions.edges.map((e: any) => e.node.id);
    expect(ids.length).toBe(node.subscriptions.totalCount);
    expect(ids.every((id: string) => id.startsWith('gen-') || id.startsWith('sub-'))).toBe(true);
    expect(node.subscriptions.edges.every((e: any) => typeof e.node.product.name === 'string')).toBe(true);
  }
  const generated = nodes.reduce((n: number, node: any) => n + node.subscriptions.edges.filter((e: any) => e.node.id.startsWith('gen-')).length, 0);
  const indexes = nodes.map((node: any) => Number(node.subscriptions.edges.find((e: any) => e.node.id.startsWith('gen-')).node.id.split('-')[1]));
  expect(generated).toBe(generatedCount(indexes));
});

it('keeps the count fixed with a small nested page size too, and with events nested one level deeper', async () => {
  const bearer = await token(P1, ['Global admin']);
  const query = `query($n: Int!) { customers(first: $n) { edges { node { subscriptions(first: 1) { edges { node { id events(first: 5) { totalCount edges { node { type } } } } } } } } } }`;
  const counts: number[] = [];
  for (const n of [10, 100]) {
    const before = statementCounter.total;
    const r = await gql(env.server.graphqlUrl, bearer, query, { n });
    expect(r.body.errors).toBeUndefined();
    counts.push(statementCounter.total - before);
  }
  // customers page; subscriptions of all customers; events of all those subscriptions
  expect(counts).toEqual([3, 3]);
});
