import type { PartnerRole } from '../../core/vocabulary';
import { query, sql } from '../../core/sql';
import { statementCounter } from '../../warehouse/db';
import { createJob } from '../../warehouse/ingestion/jobs';
import { nodeLookup } from '../../warehouse/nodes/lookup';
import { NODE_SOURCES } from '../../warehouse/nodes/sources';
import { createSyncRun } from '../../warehouse/sync/runs';
import { generateAndWait } from '../downloads/support';
import { startExportsEnv, type ExportsEnv } from '../exports/env';
import { gql } from '../gateway/harness';

/**
 * Relay's node(id:) and nodes(ids:) over the demo data set (the `demo-full` template: every file
 * loaded by the ETL) and a real server: each Node type is found by its own id with the same fields
 * as its own query, and what the caller may not see is null, never its type.
 */
const ALL_ROLES: PartnerRole[] = ['Global admin', 'Billing admin', 'Executive report viewer', 'Referrals admin'];

let env: ExportsEnv;
let partner: string;
let other: string;
let admin: string;
/** One id of each Node type, of `partner`. */
const ids: Record<string, string> = {};

beforeAll(async () => {
  env = await startExportsEnv();
  [partner, other] = env.partners;
  admin = await env.token(partner, ALL_ROLES);
  const one = async (statement: ReturnType<typeof sql>) => (await query<{ id: string }>(env.warehouse, statement))[0].id;
  ids.Partner = partner;
  ids.Customer = await one(sql`SELECT customer_id AS id FROM customers WHERE partner_id = ${partner} ORDER BY 1 LIMIT 1`);
  ids.CustomerSubscription = await one(sql`SELECT subscription_id AS id FROM subscriptions WHERE partner_id = ${partner} AND billing_type = 'License' ORDER BY 1 LIMIT 1`);
  ids.Product = await one(sql`SELECT offer_id AS id FROM products WHERE partner_id = ${partner} ORDER BY 1 LIMIT 1`);
  ids.Referral = await one(sql`SELECT referral_id AS id FROM referrals WHERE partner_id = ${partner} ORDER BY 1 LIMIT 1`);
  ids.DealRegistration = await one(sql`SELECT registration_id AS id FROM deal_registrations WHERE partner_id = ${partner} ORDER BY 1 LIMIT 1`);
  ids.Invoice = await one(sql`SELECT invoice_number AS id FROM billing_license_lines WHERE partner_id = ${partner} ORDER BY 1 LIMIT 1`);
  ids.InvoiceReconciliation = `${ids.Invoice}/reconciliation`;
  ids.LoadJob = await createJob(env.warehouse, { partnerId: partner, requestedBy: 'node-test', files: [{ name: 'customers.csv', path: '/nowhere/customers.csv', sizeBytes: 1 }] }, new Date());
  ids.SyncRun = await createSyncRun(env.warehouse, { partnerId: partner, requestedBy: 'node-test', trigger: 'graphql' }, new Date());
  ids.GeneratedReport = (await generateAndWait(env.server.graphqlUrl, admin, { report: 'partner-profile' })).id;
  const key = await gql(env.server.graphqlUrl, admin, `mutation { createApiKey(input: { name: "node test", role: "Report viewer", expiresInDays: 30 }) { apiKey { id } } }`);
  ids.ApiKey = key.body.data.createApiKey.apiKey.id;
}, 180_000);
afterAll(() => env?.close());

/** The type's own query and the fields compared, for each Node type. */
const OWN_QUERY: Record<string, { query: string; fields: string }> = {
  Partner: { query: 'partner', fields: 'id name globalMpnId partnerType country locations { mpnId }' },
  Customer: { query: 'customer(id: $id)', fields: 'id companyName domain country segment location { mpnId } subscriptions(first: 2) { totalCount }' },
  CustomerSubscription: { query: 'subscription(id: $id)', fields: 'id friendlyName status quantity unitPrice { amount currency } product { name } customer { companyName }' },
  Product: { query: 'product(id: $id)', fields: 'id name skuName productFamily listPrice { amount currency }' },
  Referral: { query: 'referral(id: $id)', fields: 'id customerName status dealValue { amount } location { mpnId }' },
  DealRegistration: { query: 'dealRegistration(id: $id)', fields: 'id companyName status solution totalContractValue { amount }' },
  Invoice: { query: 'invoice(number: $id)', fields: 'id invoiceNumber invoiceDate currency charges { total { amount } licenseLines }' },
  InvoiceReconciliation: { query: 'reconciliation(invoiceNumber: $number)', fields: 'id invoiceNumber status expectedLines billedLines difference { amount }' },
  LoadJob: { query: 'load(id: $id)', fields: 'id state requestedBy fileCount files { name status }' },
  SyncRun: { query: 'sync(id: $id)', fields: 'id state trigger requestedBy' },
  GeneratedReport: { query: 'generatedReport(id: $id)', fields: 'id report title status rows fileName' },
  ApiKey: { query: 'apiKeys(first: 100)', fields: 'id name role status keyPrefix' },
};

const nodeOf = (body: any) => body.data?.node;

describe('node(id:)', () => {
  it('finds every Node type by its id with the fields its own query gives', async () => {
    expect(Object.keys(OWN_QUERY).sort()).toEqual(NODE_SOURCES.map((s) => s.typename).sort());
    for (const [typename, own] of Object.entries(OWN_QUERY)) {
      const id = ids[typename];
      const byNumber = own.query.includes('$number');
      const r = await gql(
        env.server.graphqlUrl,
        admin,
        `query($id: ID!${byNumber ? ', $number: ID!' : ''}) { own: ${own.query} { ${typename === 'ApiKey' ? 'edges { node { ...F } }' : '...F'} } node(id: $id) { __typename ...F } }
         fragment F on ${typename} { ${own.fields} }`,
        byNumber ? { id, number: ids.Invoice } : { id },
      );
      expect({ typename, errors: r.body.errors }).toEqual({ typename, errors: undefined });
      const expected = typename === 'ApiKey' ? r.body.data.own.edges.find((e: any) => e.node.id === id).node : r.body.data.own;
      expect({ typename, node: nodeOf(r.body) }).toEqual({ typename, node: { __typename: typename, ...expected } });
      expect(nodeOf(r.body).id).toBe(id);
    }
  });

  it('finds a one-subscription reconciliation by its id, as reconciliation(invoiceNumber:, subscriptionId:) gives it', async () => {
    const [line] = await query<{ sub: string }>(
      env.warehouse,
      sql`SELECT syndication_partner_subscription_number AS sub FROM billing_license_lines WHERE partner_id = ${partner} AND invoice_number = ${ids.Invoice} ORDER BY 1 LIMIT 1`,
    );
    const r = await gql(
      env.server.graphqlUrl,
      admin,
      `query($n: ID!, $s: ID!, $id: ID!) { own: reconciliation(invoiceNumber: $n, subscriptionId: $s) { ...F } node(id: $id) { ...F } }
       fragment F on InvoiceReconciliation { id status subscriptions { subscriptionId status } }`,
      { n: ids.Invoice, s: line.sub, id: `${ids.Invoice}/reconciliation/${line.sub}` },
    );
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.own.id).toBe(`${ids.Invoice}/reconciliation/${line.sub}`);
    expect(r.body.data.node).toEqual(r.body.data.own);
  });

  it('looks an id up with one SQL statement when only the id is asked', async () => {
    const before = statementCounter.total;
    const r = await gql(env.server.graphqlUrl, admin, `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, {
      ids: [ids.Customer, ids.Invoice, ids.LoadJob, ids.Partner],
    });
    expect(statementCounter.total - before).toBe(1);
    expect(r.body.data.nodes.map((n: any) => n.__typename)).toEqual(['Customer', 'Invoice', 'LoadJob', 'Partner']);
  });

  it('is null for an id that is nobody’s, and for another partner’s id (never its type)', async () => {
    const [foreign] = await query<{ id: string }>(env.warehouse, sql`SELECT customer_id AS id FROM customers WHERE partner_id = ${other} LIMIT 1`);
    const otherAdmin = await env.token(other, ALL_ROLES);
    const mine = await gql(env.server.graphqlUrl, otherAdmin, `query($id: ID!) { node(id: $id) { __typename id } }`, { id: foreign.id });
    expect(nodeOf(mine.body)).toEqual({ __typename: 'Customer', id: foreign.id });
    for (const id of [foreign.id, other, 'no-such-id', ids.Invoice.toLowerCase()]) {
      const r = await gql(env.server.graphqlUrl, admin, `query($id: ID!) { node(id: $id) { __typename id } }`, { id });
      expect({ id, body: r.body }).toEqual({ id, body: { data: { node: null } } });
    }
    // Nor for another partner's caller asking ours.
    const r = await gql(env.server.graphqlUrl, otherAdmin, `query($id: ID!) { node(id: $id) { id } }`, { id: ids.Invoice });
    expect(r.body).toEqual({ data: { node: null } });
  });

  it('is null for a referral of another location than the caller’s, and found for one of theirs', async () => {
    const [referral] = await query<{ id: string; mpn: string; elsewhere: string }>(
      env.warehouse,
      sql`SELECT r.referral_id AS id, r.mpn_id AS mpn, (SELECT min(l.mpn_id) FROM locations l WHERE l.partner_id = r.partner_id AND l.mpn_id <> r.mpn_id) AS elsewhere
          FROM referrals r WHERE r.partner_id = ${partner} AND r.mpn_id IS NOT NULL ORDER BY 1 LIMIT 1`,
    );
    expect(referral.elsewhere).toBeTruthy();
    const ask = async (locations: string[]) =>
      (await gql(env.server.graphqlUrl, await env.token(partner, ['Referrals admin'], locations), `query($id: ID!) { node(id: $id) { __typename id } }`, { id: referral.id })).body;
    expect(await ask([referral.elsewhere])).toEqual({ data: { node: null } });
    expect(await ask([referral.mpn])).toEqual({ data: { node: { __typename: 'Referral', id: referral.id } } });
  });

  it('finds an invoice for a location-scoped caller only with lines of their location, as invoice(number:) does', async () => {
    const [pair] = await query<{ number: string; mpn: string; without: string }>(
      env.warehouse,
      sql`WITH lines AS (SELECT invoice_number, mpn_id FROM billing_license_lines WHERE partner_id = ${partner}
            UNION SELECT invoice_number, mpn_id FROM billing_usage_lines WHERE partner_id = ${partner}
            UNION SELECT invoice_number, mpn_id FROM billing_onetime_lines WHERE partner_id = ${partner})
          SELECT l.invoice_number AS number, min(l.mpn_id) AS mpn, min(x.mpn_id) AS without
          FROM lines l JOIN locations x ON x.partner_id = ${partner}
            AND x.mpn_id NOT IN (SELECT mpn_id FROM lines WHERE invoice_number = l.invoice_number AND mpn_id IS NOT NULL)
          WHERE l.mpn_id IS NOT NULL GROUP BY 1 ORDER BY 1 LIMIT 1`,
    );
    expect(pair).toBeDefined();
    const ask = async (location: string) => {
      const bearer = await env.token(partner, ['Billing admin'], [location]);
      const r = await gql(env.server.graphqlUrl, bearer, `query($id: ID!) { node(id: $id) { __typename id } own: invoice(number: $id) { id } }`, { id: pair.number });
      return { node: r.body.data?.node ?? null, own: r.body.data?.own ?? null };
    };
    expect(await ask(pair.mpn)).toEqual({ node: { __typename: 'Invoice', id: pair.number }, own: { id: pair.number } });
    expect(await ask(pair.without)).toEqual({ node: null, own: null });
  });

  it('is null for a type the caller’s roles may not read, and found for the types they may', async () => {
    const viewer = await env.token(partner, ['Report viewer']);
    const r = await gql(env.server.graphqlUrl, viewer, `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, {
      ids: [ids.Invoice, ids.InvoiceReconciliation, ids.LoadJob, ids.SyncRun, ids.ApiKey, ids.GeneratedReport, ids.Customer, ids.Partner],
    });
    expect(r.body).toEqual({
      data: { nodes: [null, null, null, null, null, null, { __typename: 'Customer', id: ids.Customer }, { __typename: 'Partner', id: ids.Partner }] },
    });
    // A sales agent reads referrals and customers, not billing: the invoice is null, not FORBIDDEN.
    const agent = await env.token(partner, ['Sales agent']);
    const s = await gql(env.server.graphqlUrl, agent, `query($id: ID!) { node(id: $id) { id } }`, { id: ids.Invoice });
    expect(s.body).toEqual({ data: { node: null } });
  });
});

describe('nodes(ids:)', () => {
  it('answers in the order of the ids, null for an unknown id, with the fields of each type', async () => {
    const order = [ids.Invoice, 'unknown-id', ids.Customer, ids.CustomerSubscription, ids.Customer];
    const r = await gql(
      env.server.graphqlUrl,
      admin,
      `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id ... on Customer { companyName } ... on Invoice { invoiceNumber } ... on CustomerSubscription { status } } }`,
      { ids: order },
    );
    expect(r.body.errors).toBeUndefined();
    const nodes = r.body.data.nodes;
    expect(nodes.map((n: any) => n?.id ?? null)).toEqual([ids.Invoice, null, ids.Customer, ids.CustomerSubscription, ids.Customer]);
    expect(nodes.map((n: any) => n?.__typename ?? null)).toEqual(['Invoice', null, 'Customer', 'CustomerSubscription', 'Customer']);
    expect(nodes[0].invoiceNumber).toBe(ids.Invoice);
    expect(typeof nodes[2].companyName).toBe('string');
    expect(typeof nodes[3].status).toBe('string');
  });

  it('takes at most 100 ids: 101 is BAD_USER_INPUT naming the bound', async () => {
    const many = (n: number) => Array.from({ length: n }, (_, i) => (i === 0 ? ids.Customer : `missing-${i}`));
    const ok = await gql(env.server.graphqlUrl, admin, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: many(100) });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.nodes).toHaveLength(100);
    expect(ok.body.data.nodes[0]).toEqual({ id: ids.Customer });
    const tooMany = await gql(env.server.graphqlUrl, admin, `query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: many(101) });
    expect(tooMany.body.data).toBeNull();
    expect(tooMany.body.errors).toHaveLength(1);
    expect(tooMany.body.errors![0].message).toBe('ids must have at most 100 ids, got 101');
    expect(tooMany.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', bound: 'nodeIds', max: 100 });
  });
});

describe('the API schema', () => {
  it('says which types implement Node (introspection)', async () => {
    const r = await gql(
      env.server.graphqlUrl,
      admin,
      `{ customer: __type(name: "Customer") { interfaces { name } } node: __type(name: "Node") { kind fields { name } possibleTypes { name } }
         query: __type(name: "Query") { fields { name args { name type { kind ofType { kind ofType { kind ofType { name } } } } } type { kind name ofType { name } } } } }`,
    );
    expect(r.body.data.customer.interfaces).toEqual([{ name: 'Node' }]);
    expect(r.body.data.node.kind).toBe('INTERFACE');
    expect(r.body.data.node.fields).toEqual([{ name: 'id' }]);
    expect(r.body.data.node.possibleTypes.map((t: any) => t.name).sort()).toEqual(Object.keys(OWN_QUERY).sort());
    const fields = Object.fromEntries(r.body.data.query.fields.map((f: any) => [f.name, f]));
    expect(fields.node.type).toEqual({ kind: 'INTERFACE', name: 'Node', ofType: null });
    expect(fields.nodes.type).toEqual({ kind: 'NON_NULL', name: null, ofType: { name: null } });
    expect(fields.nodes.args[0].type).toEqual({ kind: 'NON_NULL', ofType: { kind: 'LIST', ofType: { kind: 'NON_NULL', ofType: { name: 'ID' } } } });
  });
});

describe('ids shared by two types', () => {
  it('do not occur in the demo data: no id of a partner names two types', async () => {
    for (const partnerId of env.partners) {
      const statement = nodeLookup(env.caller(partnerId, ['Global admin']), null)!;
      const shared = await query(env.warehouse, sql`SELECT n.id, list(n.typename ORDER BY n.typename) AS types FROM (${statement}) n GROUP BY n.id HAVING count(*) > 1`);
      expect({ partnerId, shared }).toEqual({ partnerId, shared: [] });
    }
    // The check sees every type: the lookup of all ids covers each Node type of `partner` (created above if the demo has none).
    const all = await query<{ typename: string }>(env.warehouse, sql`SELECT DISTINCT n.typename FROM (${nodeLookup(env.caller(partner, ['Global admin']), null)!}) n`);
    expect(all.map((r) => r.typename).sort()).toEqual(Object.keys(OWN_QUERY).sort());
  });

  it('answer an error naming the types, never one of the objects', async () => {
    // A customer whose id is a subscription's id (no file of the demo does this).
    const shared = ids.CustomerSubscription;
    await env.warehouse.run(
      `INSERT INTO customers (partner_id, customer_id, company_name, country, mpn_id)
       SELECT partner_id, $1, 'Shared Id Ltd', 'US', mpn_id FROM subscriptions WHERE partner_id = $2 AND subscription_id = $1`,
      [shared, partner],
    );
    const r = await gql(env.server.graphqlUrl, admin, `query($id: ID!) { node(id: $id) { __typename id } }`, { id: shared });
    expect(r.body.data).toEqual({ node: null });
    expect(r.body.errors).toHaveLength(1);
    expect(r.body.errors![0].message).toContain('Customer, CustomerSubscription');
    expect(r.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', typenames: ['Customer', 'CustomerSubscription'] });
    // In nodes(ids:), that id alone fails: the others are answered.
    const list = await gql(env.server.graphqlUrl, admin, `query($ids: [ID!]!) { nodes(ids: $ids) { __typename id } }`, { ids: [ids.Customer, shared] });
    expect(list.body.data).toEqual({ nodes: [{ __typename: 'Customer', id: ids.Customer }, null] });
    expect(list.body.errors).toHaveLength(1);
    expect(list.body.errors![0].path).toEqual(['nodes', 1]);
    expect(list.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', typenames: ['Customer', 'CustomerSubscription'] });
  });
});
