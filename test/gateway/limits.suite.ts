import { buildSchema, parse, type OperationDefinitionNode } from 'graphql';
import { measureOperation } from '../../gateway/limits';
import { P1, gql, startTestEnv, token, type TestEnv } from './harness';

/** Depth and cost limits: clear errors, HTTP 400, before any SQL runs. */
let env: TestEnv;
let bearer: string;
beforeAll(async () => {
  env = await startTestEnv();
  bearer = await token(P1, ['Global admin']);
});
afterAll(() => env.close());

// customers(1) edges(2) node(3) reseller(4) customers(5) edges(6) node(7) reseller(8) customers(9) edges(10) node(11) <leaf>(12)
const nested = (leaf: string) =>
  `{ customers(first: 2) { edges { node { reseller { customers(first: 2) { edges { node { reseller { customers(first: 2) { edges { node { ${leaf} } } } } } } } } } } } }`;

it('accepts a query exactly PI_MAX_DEPTH (12) deep', async () => {
  const r = await gql(env.server.graphqlUrl, bearer, nested('id'));
  expect(r.status).toBe(200);
  expect(r.body.errors).toBeUndefined();
});

it('rejects a query deeper than PI_MAX_DEPTH with QUERY_TOO_DEEP', async () => {
  const r = await gql(env.server.graphqlUrl, bearer, nested('location { mpnId }'));
  expect(r.status).toBe(400);
  expect(r.body.data).toBeUndefined();
  expect(r.body.errors).toEqual([
    {
      message: 'query is 13 levels deep; the maximum is 12 (PI_MAX_DEPTH): select fewer nested fields',
      extensions: { code: 'QUERY_TOO_DEEP', depth: 13, maxDepth: 12 },
    },
  ]);
});

it('counts fragments toward depth', async () => {
  const r = await gql(env.server.graphqlUrl, bearer,
    `query { ...Deep } fragment Deep on Query { ${nested('location { mpnId }').slice(1, -1)} }`);
  expect(r.body.errors![0].extensions!.code).toBe('QUERY_TOO_DEEP');
});

it('rejects a query whose static cost is over PI_MAX_COST with QUERY_TOO_COSTLY, also with variables', async () => {
  const query = `query($n: Int!) { resellers(first: $n) { edges { node { customers(first: $n) { edges { node { id companyName attributions { type } } } } } } } }`;
  const r = await gql(env.server.graphqlUrl, bearer, query, { n: 100 });
  expect(r.status).toBe(400);
  expect(r.body.errors![0].extensions).toEqual({ code: 'QUERY_TOO_COSTLY', cost: expect.any(Number), maxCost: 50000 });
  expect(r.body.errors![0].extensions!.cost).toBeGreaterThan(50000);
  expect(r.body.errors![0].message).toMatch(/^query cost \d+ is over the maximum of 50000 \(PI_MAX_COST\); .*smaller pages/);
  const small = await gql(env.server.graphqlUrl, bearer, query, { n: 10 });
  expect(small.status).toBe(200);
  expect(small.body.errors).toBeUndefined();
});

describe('measureOperation', () => {
  const schema = buildSchema(`
    type Query { customers(first: Int, last: Int): CustomerConnection tags: [String!]! }
    type CustomerConnection { edges: [CustomerEdge!]! totalCount: Int! }
    type CustomerEdge { cursor: String! node: Customer! }
    type Customer { id: ID! friends: [Customer!]! }
  `);
  const measure = (query: string, variables = {}) => {
    const document = parse(query);
    return measureOperation(schema, document, document.definitions[0] as OperationDefinitionNode, variables);
  };

  it('multiplies by page sizes, the default page size and assumed list sizes', () => {
    // customers 1 + totalCount 1 + edges 1 + node 10 + id 10
    expect(measure('{ customers(first: 10) { totalCount edges { node { id } } } }')).toEqual({ depth: 4, cost: 23 });
    // without first/last a connection holds 20 items
    expect(measure('{ customers { edges { node { id } } } }').cost).toBe(1 + 1 + 20 * 2);
    // a plain list counts as 10 items
    expect(measure('query($n: Int) { customers(last: $n) { edges { node { friends { id } } } } }', { n: 5 }).cost).toBe(1 + 1 + 5 * 2 + 5 * 10);
    expect(measure('{ __schema { types { name fields { name type { ofType { ofType { name } } } } } } tags }')).toEqual({ depth: 1, cost: 1 });
  });
});
