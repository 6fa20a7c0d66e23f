import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, buildSchema, parse, print, type DocumentNode, type OperationDefinitionNode } from 'graphql';
import { COST_CAPS, ROOT_FIELD_COSTS } from '../../core/costs';
import { operationLimitError } from '../../gateway/limits';
import { P1, gql, metricValue, startTestEnv, token, type TestEnv } from './harness';

/**
 * Root field costs (core/costs.ts): an aliased expensive field costs again, at most
 * COST_CAPS.maxExpensiveFields run in one operation, refused with HTTP 400 before any SQL runs.
 */
let env: TestEnv;
let admin: string;
beforeAll(async () => {
  env = await startTestEnv();
  admin = await token(P1, ['Global admin']);
});
afterAll(() => env.close());

const aliased = (n: number, field: string) => `{ ${Array.from({ length: n }, (_, i) => `f${i}: ${field}`).join(' ')} }`;

/** The request's answer, how long it took and how many SQL statements ran meanwhile. */
async function send(bearer: string, query: string) {
  const statements = await metricValue(env.server.url, 'pi_sql_statements_total');
  const started = Date.now();
  const response = await gql(env.server.graphqlUrl, bearer, query);
  const ms = Date.now() - started;
  return { ...response, ms, statements: (await metricValue(env.server.url, 'pi_sql_statements_total')) - statements };
}

describe('the findings: aliased expensive root fields are refused at once, naming the cost, the cap and the fields', () => {
  // Before: 119 s, 163 s, no answer in 180 s, 15 s (the last as a Report viewer).
  it.each([
    ['overviewReport', 1000, ['Global admin'], 'overviewReport { customers { value } }'],
    ['partnerContributionIndicators', 1000, ['Global admin'], 'partnerContributionIndicators { asOf }'],
    ['reconciliation', 1000, ['Global admin'], 'reconciliation(invoiceNumber: "INV-1") { status }'],
    ['partnerContributionIndicators', 200, ['Report viewer'], 'partnerContributionIndicators { asOf }'],
  ] as const)('%s aliased %i times, as %j', async (name, n, roles, field) => {
    const r = await send(await token(P1, [...roles]), aliased(n, field));
    expect(r.status).toBe(400);
    expect(r.body.data).toBeUndefined();
    const [error] = r.body.errors!;
    const cost = error.extensions!.cost;
    expect(error.extensions).toEqual({
      code: 'QUERY_TOO_COSTLY',
      cost,
      maxCost: 50000,
      expensiveFields: n,
      maxExpensiveFields: COST_CAPS.maxExpensiveFields,
      fields: { [name]: n },
    });
    expect(cost).toBeGreaterThan(n * ROOT_FIELD_COSTS[`Query.${name}`].cost);
    expect(error.message).toBe(
      `query has ${n} expensive root fields (${name} ×${n}) and costs ${cost}; at most ${COST_CAPS.maxExpensiveFields} expensive root fields ` +
        'may run in one operation (an alias runs its field again) and the maximum cost is 50000 (PI_MAX_COST): send them in separate requests',
    );
    expect(r.statements).toBe(0);
    expect(r.ms).toBeLessThan(5000);
  });
});

describe('legitimate operations', () => {
  const operationsDir = join(__dirname, '..', '..', 'operations');

  it('runs a report page (OverviewReport of operations/insights.graphql) as a Report viewer', async () => {
    const insights = parse(readFileSync(join(operationsDir, 'insights.graphql'), 'utf8'));
    const overview = insights.definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION || (d.kind === Kind.OPERATION_DEFINITION && d.name?.value === 'OverviewReport'));
    const viewer = await token(P1, ['Report viewer']);
    const r = await gql(env.server.graphqlUrl, viewer, print({ ...insights, definitions: overview }), { range: { kind: 'LAST_6_MONTHS' } });
    expect(r.status).toBe(200);
    expect(r.body.data.overviewReport.customers.name).toBe('customers');
  });

  const reportPages = 'overviewReport { customers { value } } customersReport { customers { value } } subscriptionsReport { subscriptions { value } } ' +
    'licensesReport { licenses { value } } azureUsageReport { azureConsumedRevenue { value } }';

  it(`runs the five report pages in one operation (the cap: ${COST_CAPS.maxExpensiveFields}) and refuses a sixth expensive field`, async () => {
    const five = await send(admin, `{ ${reportPages} }`);
    expect(five.status).toBe(200);
    expect(five.body.errors).toBeUndefined();
    expect(Object.keys(five.body.data)).toHaveLength(5);

    const six = await send(admin, `{ ${reportPages} pci: partnerContributionIndicators { asOf } }`);
    expect(six.status).toBe(400);
    expect(six.statements).toBe(0);
    expect(six.body.errors![0].extensions).toMatchObject({
      code: 'QUERY_TOO_COSTLY',
      expensiveFields: 6,
      maxExpensiveFields: 5,
      fields: { overviewReport: 1, customersReport: 1, subscriptionsReport: 1, licensesReport: 1, azureUsageReport: 1, partnerContributionIndicators: 1 },
    });
  });

  it('counts each aliased page of a connection with the cost of its SQL', async () => {
    const r = await send(admin, aliased(1000, 'customers(first: 1) { totalCount }'));
    expect(r.status).toBe(400);
    expect(r.statements).toBe(0);
    // 1000 × (customers 50 + its own field 1 + totalCount 1)
    expect(r.body.errors![0].extensions).toEqual({ code: 'QUERY_TOO_COSTLY', cost: 52000, maxCost: 50000 });
    expect(r.body.errors![0].message).toMatch(/^query cost 52000 is over the maximum of 50000 \(PI_MAX_COST\); .*\(customers ×1000 at 50\)/);
    const fewer = await gql(env.server.graphqlUrl, admin, aliased(100, 'customers(first: 1) { totalCount }'));
    expect(fewer.body.errors).toBeUndefined();
  });

  it('counts a page size given as a variable default', async () => {
    const query = `query($n: Int = 100) { resellers(first: $n) { edges { node { customers(first: $n) { edges { node { id companyName attributions { type } } } } } } } }`;
    const r = await gql(env.server.graphqlUrl, admin, query);
    expect(r.status).toBe(400);
    expect(r.body.errors![0].extensions!.code).toBe('QUERY_TOO_COSTLY');
  });

  describe('the README examples and operations/*.graphql stay under the limits', () => {
    const root = join(__dirname, '..', '..');
    const schema = buildSchema(readFileSync(join(root, 'schema.graphql'), 'utf8'));
    const readmeBlocks = [...readFileSync(join(root, 'README.md'), 'utf8').matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
    const files = readdirSync(operationsDir).filter((f) => f.endsWith('.graphql')).map((f) => readFileSync(join(operationsDir, f), 'utf8'));
    const operations = [...readmeBlocks, ...files].map((text) => parse(text)).flatMap((document: DocumentNode) =>
      document.definitions
        .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
        .map((operation) => [operation.name?.value ?? print(operation).replace(/\s+/g, ' ').slice(0, 70), document, operation] as const),
    );

    it('finds them', () => expect(operations.length).toBeGreaterThan(40));

    it.each(operations)('%s', (_name, document, operation) => {
      expect(operationLimitError(schema, document, operation, {}, { maxDepth: 12, maxCost: 50000 })?.message).toBeUndefined();
    });
  });
});

describe('the cost table', () => {
  it('has an entry with a reason for every root field of the API, and none for fields that are gone', async () => {
    const r = await gql(env.server.graphqlUrl, admin, '{ __schema { queryType { fields { name } } mutationType { fields { name } } } }');
    const { queryType, mutationType } = r.body.data.__schema;
    const served = [
      ...queryType.fields.map((f: { name: string }) => `Query.${f.name}`),
      ...mutationType.fields.map((f: { name: string }) => `Mutation.${f.name}`),
    ];
    const subgraphOnly = ['Query._entities', 'Query._service'];
    expect(Object.keys(ROOT_FIELD_COSTS).sort()).toEqual([...served, ...subgraphOnly].sort());
    for (const entry of Object.values(ROOT_FIELD_COSTS)) expect(entry.why).toMatch(/\w+ \w+/);
  });
});
