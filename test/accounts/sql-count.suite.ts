import { startTestEnv, statementsOf, type TestEnv } from '../gateway/harness';

/** DataLoaders: a nested page costs the same few SQL statements whatever its size. */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

const NESTED = `query($n: Int!) { customers(first: $n) { edges { node { id reseller { name } location { country } attributions { type } } } } }`;

async function statementsFor(n: number): Promise<number> {
  const { statements, body } = await statementsOf(env, NESTED, { n });
  expect(body.data.customers.edges).toHaveLength(n);
  return statements;
}

it('runs the same small number of statements for 10 and for 100 customers', async () => {
  const ten = await statementsFor(10);
  const hundred = await statementsFor(100);
  // the page, then one batch each for resellers, locations and attributions
  expect(ten).toBe(4);
  expect(hundred).toBe(ten);
});
