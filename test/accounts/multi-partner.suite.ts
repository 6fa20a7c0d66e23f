import { join } from 'node:path';
import { gql, token } from '../gateway/harness';
import { readWithDuckDb, saveBody } from '../exports/read-back';
import { startInsightsEnv, type InsightsEnv } from '../insights/env';
import { readCsv, type Rec } from '../insights/model';
import { finishedLoadJob, uploadAndStartLoad } from '../support/ingest';

/** POST /ingest/uploads then /ingest/loads with load options (the bad-row share a test file may have). */
async function uploadAndLoad(headers: Record<string, string>, name: string, body: string, options: Record<string, unknown>): Promise<any> {
  const uploaded = await fetch(`${env.server.url}/ingest/uploads?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { ...headers, 'content-type': 'text/csv' }, body });
  expect(uploaded.status).toBe(201);
  const { uploadId } = (await uploaded.json()) as { uploadId: string };
  const started = await fetch(`${env.server.url}/ingest/loads`, {
    method: 'POST',
    headers: { ...headers, 'content-type': 'application/json' },
    body: JSON.stringify({ uploads: [uploadId], options }),
  });
  expect(started.status).toBe(202);
  return finishedLoadJob(env.server.url, headers, ((await started.json()) as { id: string }).id, 100);
}

/**
 * Multi-partner support (reference lines 18013-18045) over real HTTP on the ETL-loaded demo: each
 * customer's relationships with other partners (Customer.otherPartners, multiPartner), the customer
 * list's multiPartner and otherPartnerType filters, multiPartnerSummary and the
 * customer-partner-relationships download, all recomputed here from the generated
 * customer-partner-relationships.csv and customers.csv; the roles of the multi-partner page; location
 * scope; tenant isolation; a bad file's quarantine naming file, line and column.
 */
let env: InsightsEnv;
beforeAll(async () => {
  env = await startInsightsEnv();
}, 180_000);
afterAll(() => env?.close());

const ALLOWED = ['Global admin', 'User admin', 'Admin agent', 'Sales agent'];

interface Rel {
  customerId: string;
  relationshipType: string;
  workload: string | null;
  delegatedAdmin: boolean | null;
  named: boolean;
  partnerName: string | null;
  partnerMpnId: string | null;
  since: string | null;
}

const enumOf = (type: string) => type.toUpperCase().replace(/ /g, '_');
const orNull = (v: string | undefined) => (v ? v : null);
const cmp = (a: string | null, b: string | null) => (a === b ? 0 : a === null ? 1 : b === null ? -1 : a < b ? -1 : 1);

/** The partner's files: its customers (by id) and their relationships with other partners, as the API shows them. */
function filesOf(partnerId: string) {
  const dir = env.partnerDir(partnerId);
  const customers = new Map(readCsv(join(dir, 'customers.csv')).map((c) => [c['Microsoft ID'], c]));
  const rels: Rel[] = readCsv(join(dir, 'customer-partner-relationships.csv'))
    .filter((r: Rec) => r.PartnerId === partnerId && customers.has(r.CustomerId))
    .map((r) => ({
      customerId: r.CustomerId,
      relationshipType: enumOf(r.RelationshipType),
      workload: orNull(r.Workload),
      delegatedAdmin: r.DelegatedAdmin === '' ? null : r.DelegatedAdmin === 'true',
      named: r.OtherPartnerName !== '',
      partnerName: orNull(r.OtherPartnerName),
      partnerMpnId: orNull(r.OtherPartnerMpnId),
      since: orNull(r.Since),
    }))
    .sort((a, b) => cmp(a.customerId, b.customerId) || cmp(a.relationshipType, b.relationshipType) || cmp(a.workload, b.workload) || cmp(a.partnerName, b.partnerName) || cmp(a.since, b.since));
  const byCustomer = new Map<string, Omit<Rel, 'customerId'>[]>();
  for (const { customerId, ...r } of rels) byCustomer.set(customerId, [...(byCustomer.get(customerId) ?? []), r]);
  return { customers, rels, byCustomer };
}

/** The summary a partner's files give, over the customers `keep` lets through. */
function expectedSummary(partnerId: string, keep: (c: Rec) => boolean = () => true) {
  const { customers, rels } = filesOf(partnerId);
  const kept = new Set([...customers.values()].filter(keep).map((c) => c['Microsoft ID']));
  const mine = rels.filter((r) => kept.has(r.customerId));
  const multi = new Set(mine.map((r) => r.customerId));
  const breakdown = <K extends string | null>(keyOf: (r: Rel) => K) => {
    const groups = new Map<K, Rel[]>();
    for (const r of mine) groups.set(keyOf(r), [...(groups.get(keyOf(r)) ?? []), r]);
    return [...groups].map(([key, list]) => ({ key, customers: new Set(list.map((r) => r.customerId)).size, relationships: list.length }))
      .sort((a, b) => b.customers - a.customers || b.relationships - a.relationships || cmp(a.key, b.key));
  };
  return {
    customers: kept.size,
    multiPartnerCustomers: multi.size,
    percentOfCustomers: kept.size ? Math.round((multi.size * 1000) / kept.size) / 10 : null,
    relationships: mine.length,
    namedRelationships: mine.filter((r) => r.named).length,
    customersWithOtherDelegatedAdmin: new Set(mine.filter((r) => r.delegatedAdmin === true).map((r) => r.customerId)).size,
    byRelationshipType: breakdown((r) => r.relationshipType).map(({ key, ...rest }) => ({ relationshipType: key, ...rest })),
    byWorkload: breakdown((r) => r.workload).map(({ key, ...rest }) => ({ workload: key, ...rest })),
  };
}

const SUMMARY = `query($filter: CustomerFilter) { multiPartnerSummary(filter: $filter) {
  customers multiPartnerCustomers percentOfCustomers relationships namedRelationships customersWithOtherDelegatedAdmin
  byRelationshipType { relationshipType customers relationships } byWorkload { workload customers relationships } } }`;
const CUSTOMERS = `query($filter: CustomerFilter) { customers(first: 100, filter: $filter) { totalCount edges { node { id multiPartner
  otherPartners { relationshipType workload delegatedAdmin named partnerName partnerMpnId since } } } } }`;

it('the demo writes multi-partner customers for 15-25 % of each partner\'s customers (at least one), some named, some not', () => {
  for (const partner of env.summary.partners) {
    const { customers, rels, byCustomer } = filesOf(partner.id);
    expect(byCustomer.size).toBeGreaterThanOrEqual(1);
    expect(byCustomer.size).toBeLessThanOrEqual(Math.max(1, Math.ceil(customers.size * 0.25)));
    expect(rels.length).toBeGreaterThanOrEqual(byCustomer.size);
  }
  const all = env.summary.partners.flatMap((p) => filesOf(p.id).rels);
  expect(all.some((r) => r.named)).toBe(true);
  expect(all.some((r) => !r.named && r.partnerMpnId === null)).toBe(true);
});

it('each customer\'s otherPartners and multiPartner equal the generated file; the multiPartner and otherPartnerType filters pick them', async () => {
  for (const partner of env.summary.partners) {
    const { customers, byCustomer } = filesOf(partner.id);
    const bearer = await token(partner.id, ['Sales agent']);
    const all = await gql(env.server.graphqlUrl, bearer, CUSTOMERS, {});
    expect(all.body.errors).toBeUndefined();
    expect(all.body.data.customers.totalCount).toBe(customers.size);
    for (const { node } of all.body.data.customers.edges) {
      expect(node.otherPartners).toEqual(byCustomer.get(node.id) ?? []);
      expect(node.multiPartner).toBe(byCustomer.has(node.id));
    }
    const multi = await gql(env.server.graphqlUrl, bearer, CUSTOMERS, { filter: { multiPartner: true } });
    expect(multi.body.errors).toBeUndefined();
    expect(multi.body.data.customers.edges.map((e: any) => e.node.id).sort()).toEqual([...byCustomer.keys()].sort());
    const none = await gql(env.server.graphqlUrl, bearer, CUSTOMERS, { filter: { multiPartner: false } });
    expect(none.body.data.customers.totalCount).toBe(customers.size - byCustomer.size);
    for (const type of ['RESELLER', 'ADVISOR', 'INDIRECT_RESELLER', 'INDIRECT_PROVIDER']) {
      const want = [...byCustomer].filter(([, list]) => list.some((r) => r.relationshipType === type)).map(([id]) => id).sort();
      const got = await gql(env.server.graphqlUrl, bearer, CUSTOMERS, { filter: { otherPartnerType: type } });
      expect(got.body.data.customers.edges.map((e: any) => e.node.id).sort()).toEqual(want);
    }
  }
});

it('multiPartnerSummary: counts, percent and breakdowns equal the files, for the whole list and a filtered one', async () => {
  for (const partner of env.summary.partners) {
    const bearer = await token(partner.id, ['User admin']);
    const res = await gql(env.server.graphqlUrl, bearer, SUMMARY, {});
    expect(res.body.errors).toBeUndefined();
    const want = expectedSummary(partner.id);
    expect(res.body.data.multiPartnerSummary).toEqual(want);
    expect(want.percentOfCustomers).toBeGreaterThan(0);
    const country = [...filesOf(partner.id).customers.values()][0].Country;
    const filtered = await gql(env.server.graphqlUrl, bearer, SUMMARY, { filter: { country } });
    expect(filtered.body.data.multiPartnerSummary).toEqual(expectedSummary(partner.id, (c) => c.Country === country));
  }
});

it('a location-scoped caller sees its locations\' customers\' other partners only', async () => {
  const partner = env.summary.partners.find((p) => p.locations.length > 1)!;
  const { customers, byCustomer } = filesOf(partner.id);
  const one = customers.get([...byCustomer.keys()][0])!.MpnId;
  const bearer = await token(partner.id, ['Sales agent'], { locations: [one] });
  const summary = await gql(env.server.graphqlUrl, bearer, SUMMARY, {});
  expect(summary.body.errors).toBeUndefined();
  expect(summary.body.data.multiPartnerSummary).toEqual(expectedSummary(partner.id, (c) => c.MpnId === one));
  const list = await gql(env.server.graphqlUrl, bearer, CUSTOMERS, { filter: { multiPartner: true } });
  const want = [...byCustomer.keys()].filter((id) => customers.get(id)!.MpnId === one).sort();
  expect(list.body.data.customers.edges.map((e: any) => e.node.id).sort()).toEqual(want);
});

it('roles: the multi-partner roles read it; others get FORBIDDEN naming them, on the summary, the fields and the filter', async () => {
  const partner = env.summary.partners[0];
  for (const role of ALLOWED) {
    const res = await gql(env.server.graphqlUrl, await token(partner.id, [role as any]), SUMMARY, {});
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.multiPartnerSummary.multiPartnerCustomers).toBeGreaterThan(0);
  }
  const someone = [...filesOf(partner.id).byCustomer.keys()][0];
  for (const role of ['Report viewer', 'Executive report viewer', 'Billing admin', 'Helpdesk agent', 'MPN partner admin'] as const) {
    const bearer = await token(partner.id, [role]);
    const summary = await gql(env.server.graphqlUrl, bearer, SUMMARY, {});
    expect(summary.body.data.multiPartnerSummary).toBeNull();
    expect(summary.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ALLOWED });
    expect(summary.body.errors?.[0].message).toBe(`Query.multiPartnerSummary needs one of these roles: ${ALLOWED.join(', ')}`);
    // These roles read customers, but not their other partners: the fields are null with FORBIDDEN.
    const field = await gql(env.server.graphqlUrl, bearer, `query($id: ID!) { customer(id: $id) { id companyName multiPartner otherPartners { relationshipType } } }`, { id: someone });
    expect(field.body.data.customer.id).toBe(someone);
    expect(field.body.data.customer.otherPartners).toBeNull();
    expect(field.body.data.customer.multiPartner).toBeNull();
    expect(field.body.errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN', 'FORBIDDEN']);
    expect(field.body.errors?.map((e) => e.message).sort()).toEqual([
      `Customer.multiPartner needs one of these roles: ${ALLOWED.join(', ')}`,
      `Customer.otherPartners needs one of these roles: ${ALLOWED.join(', ')}`,
    ]);
    const filter = await gql(env.server.graphqlUrl, bearer, `{ customers(filter: { multiPartner: true }) { totalCount } }`);
    expect(filter.body.data.customers).toBeNull();
    expect(filter.body.errors?.[0].message).toBe(`customers(filter: { multiPartner }) needs one of these roles: ${ALLOWED.join(', ')}`);
  }
});

it('tenant isolation: each partner sees its own customers\' other partners only; another partner\'s customer is NOT_FOUND', async () => {
  const [a, b] = env.summary.partners;
  const fa = filesOf(a.id);
  const fb = filesOf(b.id);
  const bBearer = await token(b.id, ['Global admin']);
  const bSummary = await gql(env.server.graphqlUrl, bBearer, SUMMARY, {});
  expect(bSummary.body.data.multiPartnerSummary).toEqual(expectedSummary(b.id));
  const bList = await gql(env.server.graphqlUrl, bBearer, CUSTOMERS, { filter: { multiPartner: true } });
  const seen = bList.body.data.customers.edges.map((e: any) => e.node.id);
  expect(seen.filter((id: string) => fa.byCustomer.has(id))).toEqual([]);
  expect(seen.sort()).toEqual([...fb.byCustomer.keys()].sort());
  const aCustomer = [...fa.byCustomer.keys()][0];
  const probe = await gql(env.server.graphqlUrl, bBearer, `query($id: ID!) { customer(id: $id) { otherPartners { relationshipType } } }`, { id: aCustomer });
  expect(probe.body.data.customer).toBeNull();
  expect(probe.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  const nobody = await gql(env.server.graphqlUrl, await token('99999999-9999-4999-8999-999999999999', ['Global admin']), SUMMARY, {});
  expect(nobody.body.data.multiPartnerSummary).toMatchObject({ customers: 0, multiPartnerCustomers: 0, percentOfCustomers: null, byRelationshipType: [] });
});

it('the customer-partner-relationships download holds the same rows, for the same roles, scoped to the partner', async () => {
  const partner = env.summary.partners[0];
  const { customers, rels } = filesOf(partner.id);
  const bearer = await token(partner.id, ['Sales agent']);
  const response = await fetch(`${env.server.url}/exports/customer-partner-relationships.csv`, { headers: { authorization: `Bearer ${bearer}` } });
  expect(response.status).toBe(200);
  const rows = await readWithDuckDb(env.warehouse, await saveBody(response, env.dir, 'multi-partner.csv'), 'csv');
  const key = (id: unknown, type: unknown, workload: unknown, name: unknown, since: unknown) => [id, type, workload ?? '', name ?? '', since ?? ''].join('|');
  expect(rows.map((r) => key(r.CustomerId, enumOf(String(r.RelationshipType)), r.Workload, r.OtherPartnerName, r.Since)).sort()).toEqual(
    rels.map((r) => key(r.customerId, r.relationshipType, r.workload, r.partnerName, r.since)).sort(),
  );
  for (const r of rows) {
    const c = customers.get(String(r.CustomerId))!;
    expect([r.CustomerName, r.CustomerDomain, r.LocationMpnId]).toEqual([c['Company name'], c['Primary domain name'], c.MpnId]);
  }
  const refused = await fetch(`${env.server.url}/exports/customer-partner-relationships.csv`, { headers: { authorization: `Bearer ${await token(partner.id, ['Report viewer'])}` } });
  expect(refused.status).toBe(403);
  const other = env.summary.partners[1];
  const otherRows = await fetch(`${env.server.url}/exports/customer-partner-relationships.csv`, { headers: { authorization: `Bearer ${await token(other.id, ['Global admin'])}` } });
  const theirs = await readWithDuckDb(env.warehouse, await saveBody(otherRows, env.dir, 'multi-partner-b.csv'), 'csv');
  expect(theirs.filter((r) => customers.has(String(r.CustomerId)))).toEqual([]);
  expect(theirs.length).toBe(filesOf(other.id).rels.length);
});

describe('loading a customer-partner-relationships file over HTTP', () => {
  const HEADER = 'PartnerId,CustomerId,RelationshipType,Workload,DelegatedAdmin,OtherPartnerName,OtherPartnerMpnId,Since';

  it('a bad value is quarantined naming the file, line, column and what is allowed; the good rows load', async () => {
    const partner = env.summary.partners[0];
    const { customers } = filesOf(partner.id);
    const [c1, c2, c3] = [...customers.keys()];
    const text = [
      HEADER,
      `${partner.id},${c1},Reseller,Azure,true,Adatum Consulting,1234567,2025-02-01`,
      `${partner.id},${c2},Distributor,Azure,false,,,`,
      `${partner.id},${c3},Advisor,Office 365,,,,2025-13-40`,
      `${partner.id},${c3},Reseller,Power BI,yes,,,`,
    ].join('\n') + '\n';
    const auth = { authorization: `Bearer ${await token(partner.id, ['Global admin'])}` };
    // Past the default bad-row share (5 %) the whole file is refused, naming the lines; nothing of it lands.
    const refused = (await uploadAndLoad(auth, 'other-partners.csv', text, {})).files[0];
    expect(refused).toMatchObject({ name: 'other-partners.csv', status: 'REJECTED', rowsLoaded: 0 });
    expect(refused.result.reasons.map((r: any) => [r.line, r.column])).toEqual([[3, 'RelationshipType'], [4, 'Since']]);
    expect(refused.message).toContain("line 3, RelationshipType: unknown relationship type 'Distributor'; allowed: Reseller, Indirect reseller, Indirect provider, Advisor");
    expect((await gql(env.server.graphqlUrl, auth.authorization.slice(7), SUMMARY, {})).body.data.multiPartnerSummary).toEqual(expectedSummary(partner.id));
    // Allowed a larger share, the good rows load and the bad ones are quarantined.
    const job = await uploadAndLoad(auth, 'other-partners.csv', text, { maxBadShare: 0.6 });
    const file = job.files[0];
    expect(file).toMatchObject({ name: 'other-partners.csv', format: 'customer-partner-relationships' });
    expect(file.result.rowsLoaded).toBe(2);
    expect(file.result.rowsQuarantined).toBe(2);
    const reasons = file.result.reasons.map((r: any) => ({ line: r.line, column: r.column, value: r.value, reason: r.reason }));
    expect(reasons).toEqual([
      expect.objectContaining({ line: 3, column: 'RelationshipType', value: 'Distributor' }),
      expect.objectContaining({ line: 4, column: 'Since', value: '2025-13-40' }),
    ]);
    expect(reasons[0].reason).toMatch(/Distributor.*allowed: Reseller, Indirect reseller, Indirect provider, Advisor/);
    expect(reasons[1].reason).toMatch(/invalid date/);

    // The file replaced the partner's rows (a snapshot): what the API shows now is the two good rows.
    const res = await gql(env.server.graphqlUrl, auth.authorization.slice(7), SUMMARY, {});
    expect(res.body.data.multiPartnerSummary).toMatchObject({ multiPartnerCustomers: 2, relationships: 2, namedRelationships: 1, customersWithOtherDelegatedAdmin: 2 });
  });

  it('a row naming another partner\'s customer shows to neither partner', async () => {
    const [a, b] = env.summary.partners;
    const bCustomer = [...filesOf(b.id).byCustomer.keys()][0];
    const aCustomer = [...filesOf(a.id).customers.keys()][0];
    const text = `${HEADER}\n${a.id},${bCustomer},Reseller,Azure,true,Spy Partner,,\n${a.id},${aCustomer},Advisor,,,,,\n`;
    const aBearer = await token(a.id, ['Global admin']);
    const auth = { authorization: `Bearer ${aBearer}` };
    const job = await finishedLoadJob(env.server.url, auth, await uploadAndStartLoad(env.server.url, auth, 'cross.csv', Buffer.from(text)), 100);
    expect(job.files[0].result.rowsLoaded).toBe(2);
    const aSummary = await gql(env.server.graphqlUrl, aBearer, SUMMARY, {});
    expect(aSummary.body.data.multiPartnerSummary).toMatchObject({ multiPartnerCustomers: 1, relationships: 1, namedRelationships: 0 });
    const bBearer = await token(b.id, ['Global admin']);
    const bView = await gql(env.server.graphqlUrl, bBearer, `query($id: ID!) { customer(id: $id) { otherPartners { partnerName } } }`, { id: bCustomer });
    expect(bView.body.data.customer.otherPartners.map((r: any) => r.partnerName)).not.toContain('Spy Partner');
    expect((await gql(env.server.graphqlUrl, bBearer, SUMMARY, {})).body.data.multiPartnerSummary).toEqual(expectedSummary(b.id));
  });
});
