import { parse } from 'graphql';
import { addDays } from '../../core/dates';
import {
  CustomerDetailDocument,
  CustomersPageDocument,
  PartnerWithLocationsDocument,
  ResellersPageDocument,
  type CustomersPageQuery,
} from '../../generated/graphql';
import type { GraphQLResponse } from '../../bench/support/graphql-client';
import { count, startE2eEnv, type E2eEnv } from './env';

/**
 * The accounts example operations (operations/accounts.graphql) end to end: demo files -> ETL ->
 * DuckDB file -> composed gateway over HTTP, typed documents, answers checked against SQL on the
 * same warehouse.
 */
let env: E2eEnv;
let partnerId: string;
let otherPartnerId: string;
let admin: string;
beforeAll(async () => {
  env = await startE2eEnv({ customers: 40 });
  [partnerId, otherPartnerId] = env.partners.map((p) => p.id);
  admin = await env.token(partnerId, ['Global admin']);
});
afterAll(() => env?.close());

type CustomerNode = NonNullable<CustomersPageQuery['customers']>['edges'][number]['node'];

/** Every customer of the list, page by page (first/after). */
async function allCustomers(bearer: string, variables: { filter?: Record<string, unknown>; orderBy?: any } = {}) {
  const nodes: CustomerNode[] = [];
  let after: string | null = null;
  let totalCount = -1;
  for (let page = 0; page < 100; page++) {
    const r: GraphQLResponse<CustomersPageQuery> = await env.send(bearer, CustomersPageDocument, { first: 15, after, ...variables });
    expect(r.errors).toBeUndefined();
    const c = r.data!.customers!;
    totalCount = c.totalCount;
    nodes.push(...c.edges.map((e) => e.node));
    if (!c.pageInfo.hasNextPage) break;
    after = c.pageInfo.endCursor;
  }
  return { nodes, totalCount };
}

describe('PartnerWithLocations', () => {
  it('returns the caller’s partner and its locations, headquarters first, as loaded', async () => {
    const r = await env.send(admin, PartnerWithLocationsDocument);
    expect(r.status).toBe(200);
    expect(r.errors).toBeUndefined();
    const [partner] = await env.sql(`SELECT name, global_mpn_id, partner_type, country FROM partners WHERE partner_id = $1`, [partnerId]);
    expect(r.data!.partner).toMatchObject({
      id: partnerId,
      name: partner.name,
      globalMpnId: partner.global_mpn_id,
      partnerType: partner.partner_type,
      country: partner.country,
    });
    const locations = await env.sql(
      `SELECT mpn_id AS "mpnId", name, country, market, is_headquarters AS "isHeadquarters" FROM locations WHERE partner_id = $1
       ORDER BY is_headquarters DESC NULLS LAST, mpn_id`,
      [partnerId],
    );
    expect(locations.length).toBeGreaterThan(1);
    expect(r.data!.partner!.locations).toEqual(locations.map((l) => ({ ...l, market: String(l.market).toUpperCase() })));
    expect(r.data!.partner!.locations[0].isHeadquarters).toBe(true);
  });
});

describe('CustomersPage', () => {
  it('pages through every customer of the partner: totalCount and ids equal SQL, names in order', async () => {
    const { nodes, totalCount } = await allCustomers(admin);
    const rows = await env.sql<{ id: string; name: string }>(
      `SELECT customer_id AS id, company_name AS name FROM customers WHERE partner_id = $1 ORDER BY lower(company_name), customer_id`,
      [partnerId],
    );
    expect(rows.length).toBe(40);
    expect(totalCount).toBe(rows.length);
    expect(nodes.map((n) => [n.id, n.companyName])).toEqual(rows.map((r) => [r.id, r.name]));
  });

  it('resolves each customer’s location and reseller to the loaded rows', async () => {
    const { nodes } = await allCustomers(admin);
    const rows = await env.sql<{ id: string; mpn: string | null; location: string | null; reseller: string | null; resellerName: string | null }>(
      `SELECT c.customer_id AS id, c.mpn_id AS mpn, l.name AS location, c.reseller_mpn_id AS reseller, r.name AS "resellerName"
       FROM customers c
       LEFT JOIN locations l ON l.partner_id = c.partner_id AND l.mpn_id = c.mpn_id
       LEFT JOIN resellers r ON r.partner_id = c.partner_id AND r.reseller_mpn_id = c.reseller_mpn_id
       WHERE c.partner_id = $1`,
      [partnerId],
    );
    const byId = new Map(rows.map((r) => [r.id, r]));
    for (const node of nodes) {
      const row = byId.get(node.id)!;
      expect(node.location).toEqual(row.mpn ? expect.objectContaining({ mpnId: row.mpn, name: row.location }) : null);
      expect(node.reseller).toEqual(row.reseller && row.resellerName ? expect.objectContaining({ mpnId: row.reseller, name: row.resellerName }) : null);
    }
    expect(nodes.some((n) => n.location)).toBe(true);
  });

  it('filters by country and segment and searches names, with counts equal to SQL', async () => {
    const [top] = await env.sql<{ country: string; n: number }>(
      `SELECT country, count(*)::INTEGER AS n FROM customers WHERE partner_id = $1 GROUP BY country ORDER BY n DESC, country LIMIT 1`,
      [partnerId],
    );
    const byCountry = await allCustomers(admin, { filter: { country: top.country } });
    expect(byCountry.totalCount).toBe(top.n);
    expect(byCountry.nodes.every((n) => n.country === top.country)).toBe(true);

    const [segment] = await env.sql<{ segment: string; n: number }>(
      `SELECT segment, count(*)::INTEGER AS n FROM customers WHERE partner_id = $1 AND segment IS NOT NULL GROUP BY segment ORDER BY n DESC, segment LIMIT 1`,
      [partnerId],
    );
    const bySegment = await env.send(admin, CustomersPageDocument, { first: 1, filter: { segment: segment.segment.toUpperCase() as any } });
    expect(bySegment.data!.customers!.totalCount).toBe(segment.n);

    const [sample] = await env.sql<{ name: string }>(`SELECT company_name AS name FROM customers WHERE partner_id = $1 ORDER BY customer_id LIMIT 1`, [partnerId]);
    const word = sample.name.split(/\s+/)[0].toLowerCase();
    const expected = await count(
      env,
      `SELECT count(*) FROM customers WHERE partner_id = $1 AND (contains(lower(company_name), $2) OR contains(lower(coalesce(domain, '')), $2))`,
      [partnerId, word],
    );
    const search = await env.send(admin, CustomersPageDocument, { first: 100, filter: { search: word.toUpperCase() } });
    expect(search.data!.customers!.totalCount).toBe(expected);
    expect(search.data!.customers!.edges.map((e) => e.node.companyName)).toContain(sample.name);
  });

  it('orders by created date, newest first', async () => {
    const r = await env.send(admin, CustomersPageDocument, { first: 5, orderBy: { field: 'CREATED_DATE', direction: 'DESC' } });
    const rows = await env.sql<{ id: string }>(
      `SELECT customer_id AS id FROM customers WHERE partner_id = $1 ORDER BY created_date DESC NULLS LAST, lower(company_name) DESC, customer_id DESC LIMIT 5`,
      [partnerId],
    );
    expect(r.data!.customers!.edges.map((e) => e.node.id)).toEqual(rows.map((x) => x.id));
  });

  it('limits a location-scoped caller to the customers of their locations', async () => {
    const [loc] = await env.sql<{ mpn: string; n: number }>(
      `SELECT mpn_id AS mpn, count(*)::INTEGER AS n FROM customers WHERE partner_id = $1 GROUP BY mpn_id ORDER BY n DESC, mpn_id LIMIT 1`,
      [partnerId],
    );
    const scoped = await env.token(partnerId, ['Admin agent'], { locations: [loc.mpn] });
    const { nodes, totalCount } = await allCustomers(scoped);
    expect(totalCount).toBe(loc.n);
    expect(totalCount).toBeLessThan(40);
    expect(nodes.every((n) => n.location?.mpnId === loc.mpn)).toBe(true);
  });
});

describe('CustomerDetail', () => {
  it('returns a customer with its attributions and activity log as loaded, newest activity first', async () => {
    const [c] = await env.sql<{ id: string; name: string; attributions: number; activity: number }>(
      `SELECT c.customer_id AS id, c.company_name AS name,
              (SELECT count(*) FROM attributions a WHERE a.partner_id = c.partner_id AND a.customer_id = c.customer_id)::INTEGER AS attributions,
              (SELECT count(*) FROM customer_activity x WHERE x.partner_id = c.partner_id AND x.customer_id = c.customer_id)::INTEGER AS activity
       FROM customers c WHERE c.partner_id = $1 ORDER BY attributions DESC, activity DESC, c.customer_id LIMIT 1`,
      [partnerId],
    );
    expect(c.attributions).toBeGreaterThan(0);
    expect(c.activity).toBeGreaterThan(0);
    const r = await env.send(admin, CustomerDetailDocument, { id: c.id, activityFirst: 3 });
    expect(r.errors).toBeUndefined();
    const customer = r.data!.customer!;
    expect(customer).toMatchObject({ id: c.id, companyName: c.name });
    expect(customer.attributions).toHaveLength(c.attributions);
    const types = await env.sql<{ t: string }>(
      `SELECT attribution_type AS t FROM attributions WHERE partner_id = $1 AND customer_id = $2 ORDER BY start_date, attribution_type, workload`,
      [partnerId, c.id],
    );
    expect(customer.attributions.map((a) => a.type)).toEqual(types.map((t) => t.t));
    expect(customer.activityLog!.totalCount).toBe(c.activity);
    const newest = await env.sql<{ at: string; action: string }>(
      `SELECT strftime(occurred_at, '%Y-%m-%dT%H:%M:%SZ') AS at, action FROM customer_activity
       WHERE partner_id = $1 AND customer_id = $2 ORDER BY occurred_at DESC, action LIMIT 3`,
      [partnerId, c.id],
    );
    // DateTime is RFC 3339 (the server prints milliseconds): compare instants.
    expect(customer.activityLog!.edges.map((e) => [Date.parse(e.node.occurredAt), e.node.action])).toEqual(newest.map((n) => [Date.parse(n.at), n.action]));
  });

  it('takes the activity log of a period, From and To as in Partner Center (days, both included); From after To is refused', async () => {
    const [c] = await env.sql<{ id: string; first: string; last: string }>(
      `SELECT customer_id AS id, strftime(min(occurred_at), '%Y-%m-%d') AS first, strftime(max(occurred_at), '%Y-%m-%d') AS last
       FROM customer_activity WHERE partner_id = $1 GROUP BY 1 HAVING count(DISTINCT occurred_at::DATE) >= 3 ORDER BY count(*) DESC, 1 LIMIT 1`,
      [partnerId],
    );
    expect(c).toBeDefined();
    // A period that leaves out the first and the last day of the customer's log.
    const [from, to] = [addDays(c.first, 1), addDays(c.last, -1)];
    const [{ n }] = await env.sql<{ n: number }>(
      `SELECT count(*)::INTEGER AS n FROM customer_activity WHERE partner_id = $1 AND customer_id = $2 AND occurred_at::DATE BETWEEN $3::DATE AND $4::DATE`,
      [partnerId, c.id, from, to],
    );
    const document = parse(`query($id: ID!, $from: Date, $to: Date) { customer(id: $id) { activityLog(from: $from, to: $to, first: 100) { totalCount edges { node { occurredAt } } } } }`);
    const r = await env.send<any, any>(admin, document, { id: c.id, from, to });
    expect(r.errors).toBeUndefined();
    const log = r.data.customer.activityLog;
    expect(log.totalCount).toBe(n);
    for (const e of log.edges) expect(e.node.occurredAt.slice(0, 10) >= from && e.node.occurredAt.slice(0, 10) <= to).toBe(true);
    const reversed = await env.send<any, any>(admin, document, { id: c.id, from: to, to: from });
    expect(reversed.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT' }, message: `the activity period runs from ${to} to ${from}: from must not be after to` });
  });

  it('does not show another partner’s customer (NOT_FOUND, as for an unknown id)', async () => {
    const [theirs] = await env.sql<{ id: string }>(`SELECT customer_id AS id FROM customers WHERE partner_id = $1 LIMIT 1`, [otherPartnerId]);
    const r = await env.send(admin, CustomerDetailDocument, { id: theirs.id });
    expect(r.data?.customer ?? null).toBeNull();
    expect(r.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  });

  it('gives a Report viewer the customer but not the activity log (FORBIDDEN with the roles that may)', async () => {
    const [c] = await env.sql<{ id: string }>(`SELECT customer_id AS id FROM customers WHERE partner_id = $1 ORDER BY customer_id LIMIT 1`, [partnerId]);
    const viewer = await env.token(partnerId, ['Report viewer']);
    const r = await env.send(viewer, CustomerDetailDocument, { id: c.id });
    expect(r.data!.customer!.id).toBe(c.id);
    expect(r.data!.customer!.activityLog).toBeNull();
    expect(r.errors).toHaveLength(1);
    expect(r.errors![0]).toMatchObject({ path: ['customer', 'activityLog'], extensions: { code: 'FORBIDDEN' } });
  });
});

describe('ResellersPage', () => {
  it('lists the partner’s resellers with their customer counts equal to SQL', async () => {
    const rows = await env.sql<{ mpn: string; name: string; customers: number }>(
      `SELECT r.reseller_mpn_id AS mpn, r.name,
              (SELECT count(*) FROM customers c WHERE c.partner_id = r.partner_id AND c.reseller_mpn_id = r.reseller_mpn_id)::INTEGER AS customers
       FROM resellers r WHERE r.partner_id = $1`,
      [partnerId],
    );
    const r = await env.send(admin, ResellersPageDocument, { first: 100 });
    expect(r.errors).toBeUndefined();
    expect(r.data!.resellers!.totalCount).toBe(rows.length);
    const got = r.data!.resellers!.edges.map((e) => [e.node.mpnId, e.node.name, e.node.customers.totalCount]);
    expect(got.sort()).toEqual(rows.map((x) => [x.mpn, x.name, x.customers]).sort());
  });
});

describe('the accounts subgraph served alone', () => {
  it('answers the same operations with the same data as the gateway', async () => {
    const [c] = await env.sql<{ id: string }>(`SELECT customer_id AS id FROM customers WHERE partner_id = $1 ORDER BY customer_id LIMIT 1`, [partnerId]);
    const pairs = [
      [PartnerWithLocationsDocument, {}],
      [CustomersPageDocument, { first: 25, filter: { search: 'a' }, orderBy: { field: 'COUNTRY', direction: 'ASC' } }],
      [CustomerDetailDocument, { id: c.id }],
      [ResellersPageDocument, { first: 10 }],
    ] as const;
    for (const [document, variables] of pairs) {
      const viaGateway = await env.send(admin, document as any, variables);
      const direct = await env.send(admin, document as any, variables, env.accounts.graphqlUrl);
      expect(viaGateway.errors).toBeUndefined();
      expect(direct).toEqual(viaGateway);
    }
  });
});
