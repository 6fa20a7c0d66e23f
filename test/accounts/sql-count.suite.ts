import { statementCounter } from '../../warehouse/db';
import { P1, gql, metricValue, startTestEnv, token, type TestEnv } from '../gateway/harness';

/** DataLoaders: a nested page costs the same few SQL statements whatever its size. */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const NESTED = `query($n: Int!) { customers(first: $n) { edges { node { id reseller { name } location { country } attributions { type } } } } }`;

async function statementsFor(n: number): Promise<number> {
  const bearer = await token(P1, ['Global admin']);
  const before = await metricValue(env.server.url, 'pi_sql_statements_total');
  const counterBefore = statementCounter.total;
  const r = await gql(env.server.graphqlUrl, bearer, NESTED, { n });
  expect(r.body.errors).toBeUndefined();
  expect(r.body.data.customers.edges).toHaveLength(n);
  const after = await metricValue(env.server.url, 'pi_sql_statements_total');
  expect(after - before).toBe(statementCounter.total - counterBefore);
  return after - before;
}

it('runs the same small number of statements for 10 and for 100 customers', async () => {
  const ten = await statementsFor(10);
  const hundred = await statementsFor(100);
  // the page, then one batch each for resellers, locations and attributions
  expect(ten).toBe(4);
  expect(hundred).toBe(ten);
});
