import { join } from 'node:path';
import { mintToken } from '../../gateway/auth';
import { startServer } from '../../gateway/server';
import type { PartnerRole } from '../../core/vocabulary';
import { gql, testAuth, token } from '../gateway/harness';
import { startInsightsEnv, type InsightsEnv } from '../insights/env';
import { readCsv } from '../insights/model';
import { finishedLoadJob, uploadAndStartLoad } from '../support/ingest';

/**
 * Reseller relationship requests ("Create a relationship request", reference lines 6210-6240;
 * multi-partner support, 18013-18045) over real HTTP on the ETL-loaded demo, "today" fixed at the
 * demo's as-of date: the documented URL (invType=ResellerRelationship&partnerId=...&msspId=0&DAP=true)
 * and email text built from the generated partner profile and users files, the indirect reseller
 * option, bad input, the roles, the status read from data loaded afterwards (a customer appearing
 * with the domain; a DAP attribution from the request day on), location scope and tenant isolation.
 */
let env: InsightsEnv;
const saved = { today: process.env.PI_TODAY, portal: process.env.PI_ADMIN_PORTAL_URL };
beforeAll(async () => {
  env = await startInsightsEnv();
  process.env.PI_TODAY = env.summary.asOf;
  delete process.env.PI_ADMIN_PORTAL_URL;
}, 180_000);
afterAll(async () => {
  await env?.close();
  for (const [name, value] of [['PI_TODAY', saved.today], ['PI_ADMIN_PORTAL_URL', saved.portal]] as const) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
});

const ALLOWED = ['Global admin', 'User admin', 'Admin agent', 'Sales agent'];

const REQUEST = `mutation($input: RequestResellerRelationshipInput!) { requestResellerRelationship(input: $input) {
  id url emailText delegatedAdmin indirectResellerMpnId customerDomain status requestedBy requestedAt
  customer { id companyName } indirectReseller { mpnId name } } }`;
const LIST = `query($status: RelationshipRequestStatus) { relationshipRequests(first: 100, status: $status) { totalCount
  edges { node { id status customerDomain customer { id } delegatedAdmin requestedBy } } } }`;

const direct = () => env.summary.partners.find((p) => p.type === 'Direct bill partner')!;
const indirect = () => env.summary.partners.find((p) => p.type === 'Indirect provider')!;
const file = (partnerId: string, name: string) => readCsv(join(env.partnerDir(partnerId), name));
const profile = (partnerId: string) => file(partnerId, 'partner-profile.csv')[0];
/** A user of the partner's users file with one of the roles, and a token for that user (subject = its user id). */
async function userWith(partnerId: string, role: PartnerRole) {
  const user = file(partnerId, 'users.csv').find((u) => u.Roles.split('|').includes(role) && !u.LocationMpnIds)!;
  return { user, bearer: await mintToken(testAuth, { partner: partnerId, roles: [role], sub: user.UserId }) };
}
const documentedUrl = (base: string, partnerId: string, mssp: string, dap: boolean, invType = 'ResellerRelationship') =>
  `${base}?invType=${invType}&partnerId=${partnerId}&msspId=${mssp}&DAP=${dap}#/BillingAccounts/partner-invitation`;

async function request(bearer: string, input: Record<string, unknown>) {
  return gql(env.server.graphqlUrl, bearer, REQUEST, { input });
}

async function load(partnerId: string, name: string, text: string): Promise<void> {
  const auth = { authorization: `Bearer ${await token(partnerId, ['Global admin'])}` };
  const job = await finishedLoadJob(env.server.url, auth, await uploadAndStartLoad(env.server.url, auth, name, Buffer.from(text)), 100);
  expect(job.state).toBe('SUCCEEDED');
}

it('a request for a customer not yet yours: the documented URL and email text, from the partner profile and the requesting user', async () => {
  const partner = direct();
  const { user, bearer } = await userWith(partner.id, 'Global admin');
  const res = await request(bearer, { customerDomain: 'Northwind-Traders.onmicrosoft.com', contactPhone: '+1 425 555 0100' });
  expect(res.body.errors).toBeUndefined();
  const got = res.body.data.requestResellerRelationship;
  const url = documentedUrl('https://admin.microsoft.com/Adminportal/Home', partner.id, '0', true);
  const name = profile(partner.id).PartnerName;
  expect(got).toMatchObject({
    url,
    delegatedAdmin: true,
    indirectResellerMpnId: null,
    indirectReseller: null,
    customerDomain: 'northwind-traders.onmicrosoft.com',
    customer: null,
    status: 'PENDING',
    requestedBy: user.UserId,
    requestedAt: new Date(`${env.summary.asOf}T00:00:00Z`).toISOString(),
  });
  expect(got.emailText).toBe(
    `${user.DisplayName} of ${name} would like to be your Microsoft Cloud Solution Provider for your Microsoft Cloud account.\n\n` +
      `Click the following link to accept this invitation and authorize ${name} to be your Microsoft Cloud Solution Provider.\n\n` +
      `${url}\n\n` +
      `Additional partner information:\n${user.Email}\n+1 425 555 0100\n`,
  );
  const listed = await gql(env.server.graphqlUrl, bearer, LIST, {});
  expect(listed.body.data.relationshipRequests.edges.map((e: any) => e.node)).toContainEqual(
    expect.objectContaining({ id: got.id, status: 'PENDING', customerDomain: 'northwind-traders.onmicrosoft.com', customer: null }),
  );
});

it('without delegated admin privileges: DAP=false and the email says so; the admin portal comes from PI_ADMIN_PORTAL_URL', async () => {
  const partner = direct();
  process.env.PI_ADMIN_PORTAL_URL = 'https://portal.officeppe.com/Adminportal/Home/';
  try {
    const res = await request(await token(partner.id, ['Sales agent']), { customerDomain: 'litware.com', delegatedAdmin: false, contactEmail: 'help@contoso.example' });
    expect(res.body.errors).toBeUndefined();
    const got = res.body.data.requestResellerRelationship;
    expect(got.url).toBe(documentedUrl('https://portal.officeppe.com/Adminportal/Home', partner.id, '0', false));
    expect(got.delegatedAdmin).toBe(false);
    // No user of the partner behind this token's subject: the partner invites, with the contact given.
    expect(got.emailText.startsWith(`${profile(partner.id).PartnerName} would like to be your Microsoft Cloud Solution Provider`)).toBe(true);
    expect(got.emailText).toContain('\n\nThis request does not include delegated administration privileges for Azure Active Directory and Office 365.\n\n');
    expect(got.emailText.endsWith('Additional partner information:\nhelp@contoso.example\n')).toBe(true);
  } finally {
    delete process.env.PI_ADMIN_PORTAL_URL;
  }
});

it('a PI_ADMIN_PORTAL_URL that is not an http(s) URL without query stops the server from starting, saying what is allowed', async () => {
  process.env.PI_ADMIN_PORTAL_URL = 'https://admin.example/Home?tenant=1';
  try {
    await expect(startServer({ warehouse: env.warehouse, port: 0 })).rejects.toThrow(
      'PI_ADMIN_PORTAL_URL must be an http(s) URL without a query, a fragment or credentials, such as https://admin.microsoft.com/Adminportal/Home; got "https://admin.example/Home?tenant=1"',
    );
  } finally {
    delete process.env.PI_ADMIN_PORTAL_URL;
  }
});

it('an indirect provider may select one of its active indirect resellers; others are refused naming what is allowed', async () => {
  const partner = indirect();
  const resellers = file(partner.id, 'resellers.csv');
  const active = resellers.filter((r) => r.Status === 'Active');
  const bearer = await token(partner.id, ['Admin agent']);
  const res = await request(bearer, { customerDomain: 'adatum.example', indirectResellerMpnId: active[0].ResellerMpnId });
  expect(res.body.errors).toBeUndefined();
  const got = res.body.data.requestResellerRelationship;
  expect(got.url).toBe(documentedUrl('https://admin.microsoft.com/Adminportal/Home', partner.id, active[0].ResellerMpnId, true, 'IndirectResellerRelationship'));
  expect(got.indirectReseller).toEqual({ mpnId: active[0].ResellerMpnId, name: active[0].ResellerName });
  expect(got.emailText).toContain(`Your indirect reseller will be ${active[0].ResellerName} (MPN ID ${active[0].ResellerMpnId}).`);

  const inactive = resellers.find((r) => r.Status !== 'Active');
  for (const mpnId of [inactive?.ResellerMpnId ?? '0000000', '0000000']) {
    const refused = await request(bearer, { customerDomain: 'adatum.example', indirectResellerMpnId: mpnId });
    expect(refused.body.data.requestResellerRelationship).toBeNull();
    expect(refused.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'indirectResellerMpnId' });
    expect(refused.body.errors?.[0].message).toBe(
      `indirectResellerMpnId ${mpnId} is not an active indirect reseller of yours; allowed: ${active.map((r) => r.ResellerMpnId).sort().join(', ')}`,
    );
  }
  const directRefused = await request(await token(direct().id, ['Global admin']), { customerDomain: 'adatum.example', indirectResellerMpnId: active[0].ResellerMpnId });
  expect(directRefused.body.errors?.[0].message).toMatch(/only an indirect provider selects an indirect reseller, and this partner is a Direct bill partner/);
});

it('bad input is refused with a clear error naming the argument', async () => {
  const partner = direct();
  const bearer = await token(partner.id, ['Global admin']);
  const customer = file(partner.id, 'customers.csv')[0]['Microsoft ID'];
  const cases: [Record<string, unknown>, string, RegExp][] = [
    [{}, 'customerId', /give customerId \(a customer of yours\) or customerDomain/],
    [{ customerId: customer, customerDomain: 'x.com' }, 'customerDomain', /not both/],
    [{ customerDomain: 'not a domain' }, 'customerDomain', /customerDomain "not a domain" is not a domain name; allowed: a primary domain name/],
    [{ customerDomain: 'ok.com', contactEmail: 'nobody' }, 'contactEmail', /contactEmail "nobody" is not an email address/],
    [{ customerDomain: 'ok.com', contactPhone: 'call me' }, 'contactPhone', /contactPhone "call me" is not a phone number/],
  ];
  for (const [input, argument, message] of cases) {
    const res = await request(bearer, input);
    expect(res.body.data.requestResellerRelationship).toBeNull();
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(res.body.errors?.[0].message).toMatch(message);
  }
  // An existing customer, asking for nothing it lacks (no delegated admin, no reseller).
  const nothing = await request(bearer, { customerId: customer, delegatedAdmin: false });
  expect(nothing.body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', argument: 'delegatedAdmin' } });
  expect(nothing.body.errors?.[0].message).toMatch(/already has a reseller relationship with you/);
});

it('roles: Global admin, User admin, Admin agent and Sales agent request and list; others get FORBIDDEN naming them', async () => {
  const partner = direct();
  for (const role of ALLOWED) {
    const res = await request(await token(partner.id, [role as PartnerRole]), { customerDomain: `by-${role.replace(/ /g, '-').toLowerCase()}.example` });
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.requestResellerRelationship.status).toBe('PENDING');
  }
  for (const role of ['Report viewer', 'Executive report viewer', 'Billing admin', 'Helpdesk agent', 'Referrals admin'] as const) {
    const bearer = await token(partner.id, [role]);
    const res = await request(bearer, { customerDomain: 'denied.example' });
    expect(res.body.data?.requestResellerRelationship ?? null).toBeNull();
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ALLOWED });
    expect(res.body.errors?.[0].message).toBe(`Mutation.requestResellerRelationship needs one of these roles: ${ALLOWED.join(', ')}`);
    const list = await gql(env.server.graphqlUrl, bearer, LIST, {});
    expect(list.body.data.relationshipRequests).toBeNull();
    expect(list.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ALLOWED });
  }
  const denied = await gql(env.server.graphqlUrl, await token(partner.id, ['Global admin']), LIST, {});
  expect(denied.body.data.relationshipRequests.edges.map((e: any) => e.node.customerDomain)).not.toContain('denied.example');
});

it('status: ACCEPTED once the data shows it (the customer appears with the domain; a DAP attribution from the request day on), PENDING until then', async () => {
  const partner = direct();
  const bearer = await token(partner.id, ['Global admin']);
  const customers = file(partner.id, 'customers.csv');
  const withDap = new Set(file(partner.id, 'attributions.csv').filter((a) => a.AttributionType === 'DAP').map((a) => a.CustomerId));
  const noDap = customers.find((c) => !withDap.has(c['Microsoft ID']))!;
  expect(noDap).toBeDefined();

  const forNew = (await request(bearer, { customerDomain: 'fourthcoffee.example' })).body.data.requestResellerRelationship;
  const forExisting = (await request(bearer, { customerId: noDap['Microsoft ID'] })).body.data.requestResellerRelationship;
  expect(forExisting).toMatchObject({ status: 'PENDING', customerDomain: null, customer: { id: noDap['Microsoft ID'], companyName: noDap['Company name'] } });
  // A domain already in the customer list stands for that customer.
  const byDomain = (await request(bearer, { customerDomain: noDap['Primary domain name'].toUpperCase() })).body.data.requestResellerRelationship;
  expect(byDomain).toMatchObject({ customerDomain: null, customer: { id: noDap['Microsoft ID'] }, status: 'PENDING' });

  const pendingIds = async () => (await gql(env.server.graphqlUrl, bearer, LIST, { status: 'PENDING' })).body.data.relationshipRequests.edges.map((e: any) => e.node.id);
  const acceptedIds = async () => (await gql(env.server.graphqlUrl, bearer, LIST, { status: 'ACCEPTED' })).body.data.relationshipRequests.edges.map((e: any) => e.node.id);
  expect(await pendingIds()).toEqual(expect.arrayContaining([forNew.id, forExisting.id, byDomain.id]));
  expect(await acceptedIds()).toEqual([]);

  // The new customer accepts: it appears in the customer list (a customers file loaded afterwards).
  const newId = '7e3a9c1b-2d4f-4a6b-8c0d-1e2f3a4b5c6d';
  await load(partner.id, 'customers-new.csv',
    'PartnerId,Microsoft ID,Company name,Primary domain name,Relationship,Country,Segment,MpnId,ResellerMpnId,CreatedDate\n' +
      `${partner.id},${newId},Fourth Coffee,FourthCoffee.example,Reseller,US,Commercial,${noDap.MpnId},,${env.summary.asOf}\n`);
  expect(await acceptedIds()).toEqual([forNew.id]);

  // The existing customer grants delegated admin: a DAP attribution starting on the request day.
  await load(partner.id, 'attributions-dap.csv',
    'PartnerId,CustomerId,AttributionType,MpnId,Workload,SubscriptionId,Incentive,StartDate,EndDate\n' +
      `${partner.id},${noDap['Microsoft ID']},DAP,${noDap.MpnId},All,,,${env.summary.asOf},\n`);
  expect((await acceptedIds()).sort()).toEqual([forNew.id, forExisting.id, byDomain.id].sort());
  expect(await pendingIds()).not.toEqual(expect.arrayContaining([forNew.id]));
});

it('tenant isolation and location scope: another partner\'s customer is NOT_FOUND and its requests are never listed; a location sees its own', async () => {
  const a = direct();
  const b = indirect();
  const aBearer = await token(a.id, ['Global admin']);
  const bCustomer = file(b.id, 'customers.csv')[0]['Microsoft ID'];
  const probe = await request(aBearer, { customerId: bCustomer });
  expect(probe.body.data.requestResellerRelationship).toBeNull();
  expect(probe.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');

  const bMade = (await request(await token(b.id, ['Sales agent']), { customerDomain: 'only-for-b.example' })).body.data.requestResellerRelationship;
  const aList = (await gql(env.server.graphqlUrl, aBearer, LIST, {})).body.data.relationshipRequests;
  expect(aList.totalCount).toBeGreaterThan(0);
  expect(aList.edges.map((e: any) => e.node.id)).not.toContain(bMade.id);
  expect(aList.edges.map((e: any) => e.node.customerDomain)).not.toContain('only-for-b.example');
  const bList = (await gql(env.server.graphqlUrl, await token(b.id, ['Global admin']), LIST, {})).body.data.relationshipRequests;
  expect(bList.edges.every((e: any) => !aList.edges.some((x: any) => x.node.id === e.node.id))).toBe(true);

  // Location scope: a Sales agent of one location requests for its location's customer and sees it; another location's agent does not.
  const partner = env.summary.partners.find((p) => p.locations.length > 1)!;
  const customers = file(partner.id, 'customers.csv');
  const here = customers[0].MpnId;
  const elsewhere = partner.locations.find((l) => l.mpnId !== here)!.mpnId;
  const hereAgent = await mintToken(testAuth, { partner: partner.id, roles: ['Sales agent'], locations: [here], sub: 'agent-here' });
  const made = await request(hereAgent, { customerId: customers[0]['Microsoft ID'], indirectResellerMpnId: null });
  expect(made.body.errors).toBeUndefined();
  const otherAgent = await mintToken(testAuth, { partner: partner.id, roles: ['Sales agent'], locations: [elsewhere], sub: 'agent-elsewhere' });
  const theirs = (await request(otherAgent, { customerDomain: 'elsewhere-prospect.example' })).body.data.requestResellerRelationship;
  const otherList = (await gql(env.server.graphqlUrl, otherAgent, LIST, {})).body.data.relationshipRequests.edges.map((e: any) => e.node.id);
  expect(otherList).toContain(theirs.id);
  expect(otherList).not.toContain(made.body.data.requestResellerRelationship.id);
  const hereList = (await gql(env.server.graphqlUrl, hereAgent, LIST, {})).body.data.relationshipRequests.edges.map((e: any) => e.node.id);
  expect(hereList).toContain(made.body.data.requestResellerRelationship.id);
  expect(hereList).not.toContain(theirs.id);
  // Another location's customer is not found for it.
  const far = customers.find((c) => c.MpnId === elsewhere);
  if (far) {
    const refused = await request(hereAgent, { customerId: far['Microsoft ID'] });
    expect(refused.body.errors?.[0].extensions?.code).toBe('NOT_FOUND');
  }
});
