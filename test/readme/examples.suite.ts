import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, type OperationDefinitionNode } from 'graphql';
import { startExportsEnv, type ExportsEnv } from '../exports/env';
import { demoData } from '../support/data-sets';
import { finishedLoadJob, uploadAndStartLoad } from '../support/ingest';
import { readmeOperations } from '../support/readme';

/**
 * Every example operation of the README runs against the demo data set (loaded through the ETL)
 * and returns data, in the README's order, as a newcomer would paste them: a query that answers
 * nothing reads as broken. Mutations with a placeholder id ("…") are examples of shape only (they
 * are validated against the schema by test/codegen/readme.suite.ts); the others run, so that the
 * lists they feed (generated reports, API keys) have something to show. Subscriptions run over a
 * websocket in test/live/subscriptions.suite.ts.
 */
const NOT_HERE: Record<string, string> = {
  startSync: 'needs a Partner Center tenant (PI_PC_*): test/sync runs it against the stand-in',
  syncs: 'lists syncs: none without a Partner Center tenant (test/sync)',
  budgetAlerts: "lists this month's alerts: the test demo's usage ends 2026-10-31 and it sets no budget (test/billing/budgets.suite.ts lists them)",
};

let env: ExportsEnv;
let bearer: string;
let partner: string;
beforeAll(async () => {
  env = await startExportsEnv();
  partner = env.partners[0];
  bearer = await env.token(partner, ['Global admin', 'Billing admin', 'Executive report viewer', 'Referrals admin', 'MPN partner admin']);
  // `loads` lists the loads the server ran: one demo file through its ingestion API, as `partner-insights load` does beside a server.
  const slug = env.summary.partners.find((p) => p.id === partner)!.slug;
  const auth = { authorization: `Bearer ${bearer}` };
  const id = await uploadAndStartLoad(env.server.url, auth, 'customers.csv', readFileSync(join((await demoData()).files, slug, 'customers.csv')));
  expect((await finishedLoadJob(env.server.url, auth, id, 100)).state).toBe('SUCCEEDED');
}, 180_000);
afterAll(() => env?.close());

/**
 * Whether a root field's answer holds data: not null; a connection with an edge; anything else with
 * a value somewhere (a reconciliation that matches has no differences, and says so).
 */
function holdsData(value: unknown): boolean {
  if (value === null || value === undefined) return false;
  const edges = (value as { edges?: unknown[] }).edges;
  if (Array.isArray(edges)) return edges.length > 0;
  if (Array.isArray(value)) return value.length > 0;
  if (typeof value !== 'object') return true;
  return Object.values(value).some(holdsData);
}

/** The partner's customer with the most activity in the year the README's example asks for. */
async function customerWithActivity(): Promise<string> {
  const [row] = await env.warehouse.all<{ id: string }>(
    `SELECT customer_id AS id FROM customer_activity WHERE partner_id = $1 AND year(occurred_at) = 2026 GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1`,
    [partner],
  );
  return row.id;
}

/** Values for the examples' variables, taken from the demo. */
async function variablesFor(op: OperationDefinitionNode): Promise<Record<string, unknown>> {
  const vars: Record<string, unknown> = {};
  for (const v of op.variableDefinitions ?? []) {
    const name = v.variable.name.value;
    if (name === 'id' && rootFields(op)[0] === 'customer') vars.id = await customerWithActivity();
    else if (name === 'id') vars.id = (await env.graphql(bearer, `{ subscriptions(first: 1, filter: { status: ACTIVE }) { edges { node { id } } } }`)).subscriptions.edges[0].node.id;
    else if (name === 'n') vars.n = (await env.graphql(bearer, `{ invoices(first: 1) { edges { node { invoiceNumber } } } }`)).invoices.edges[0].node.invoiceNumber;
    else if (v.type.kind === 'NonNullType') throw new Error(`README example ${op.name?.value}: no value for its required variable $${name}`);
  }
  return vars;
}

const rootFields = (op: OperationDefinitionNode) => op.selectionSet.selections.map((s) => (s.kind === 'Field' ? s.name.value : s.kind));

test('every README example query returns data on the demo, every runnable mutation succeeds', async () => {
  const operations = readmeOperations();
  expect(operations.length).toBeGreaterThan(15);
  const empty: string[] = [];
  let ran = 0;
  for (const text of operations) {
    const op = parse(text).definitions[0] as OperationDefinitionNode;
    const fields = rootFields(op);
    if (fields.some((f) => NOT_HERE[f])) continue;
    if (op.operation === 'mutation' && text.includes('…')) continue;
    // Subscriptions are not served over HTTP: test/live/subscriptions.suite.ts runs them over a websocket.
    if (op.operation === 'subscription') continue;
    const data = await env.graphql(bearer, text, await variablesFor(op));
    ran++;
    for (const field of fields) if (!holdsData(data[field])) empty.push(`${fields.join(', ')}: ${text.slice(0, 100).replace(/\s+/g, ' ')}`);
  }
  expect(empty).toEqual([]);
  expect(ran).toBeGreaterThan(15);
}, 180_000);

test('the examples it leaves out say why', () => {
  const readme = readFileSync(`${__dirname}/../../README.md`, 'utf8');
  for (const field of Object.keys(NOT_HERE)) expect(readme).toContain(field);
});
