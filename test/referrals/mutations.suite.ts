import { P1, P2, gql, token, type TestEnv } from '../gateway/harness';
import { storedReferral, referralFixtureForSuite } from './fixture';

/**
 * The referral workflow over real HTTP: each mutation's happy path (response and stored row,
 * timestamps = PI_TODAY), each typed error, and the stored row left unchanged by a failure.
 */
let env: TestEnv;
let manager: string;
const NOW = '2024-06-15T10:30:00Z';
referralFixtureForSuite(async (started) => {
  env = started;
  manager = await token(P1, ['Referrals admin']);
});

const FIELDS = `id status engagementName dealValue { amount currency } dealValueUsd { amount currency } purchaseTimeFrame crmId notes
  declineReason acceptedAt declinedAt wonAt lostAt expiresAt contacts { side firstName lastName email phone }`;

const ACCEPT = `mutation($id: ID!, $input: AcceptReferralInput!) { acceptReferral(id: $id, input: $input) { ${FIELDS} } }`;
const DECLINE = `mutation($id: ID!, $input: DeclineReferralInput!) { declineReferral(id: $id, input: $input) { ${FIELDS} } }`;
const WON = `mutation($id: ID!) { markReferralWon(id: $id) { ${FIELDS} } }`;
const LOST = `mutation($id: ID!) { markReferralLost(id: $id) { ${FIELDS} } }`;
const EDIT = `mutation($id: ID!, $input: EditReferralInput!) { editReferral(id: $id, input: $input) { ${FIELDS} } }`;
const ADD_CONTACT = `mutation($id: ID!, $input: ReferralContactInput!) { addReferralContact(id: $id, input: $input) { id contacts { side email phone } } }`;
const REGISTER = `mutation($input: RegisterDealInput!) { registerDeal(input: $input) {
  id status companyName country city stateProvince solution contractType deployedOn deploymentTenant contractStartDate contractEndDate
  contractSignedDate registeredAt totalContractValue { amount currency } solutionValue { amount currency }
  contact { firstName lastName phone email } referral { id status dealRegistration { id } }
} }`;

const gqlAs = (bearer: string, query: string, variables?: Record<string, unknown>) => gql(env.server.graphqlUrl, bearer, query, variables);

function expectError(r: any, code: string, extensions: Record<string, unknown> = {}) {
  expect(r.body.errors).toHaveLength(1);
  expect(r.body.errors[0].extensions).toMatchObject({ code, ...extensions });
  return r.body.errors[0];
}

const acceptInput = {
  engagementName: 'Northwind VM migration',
  estimatedDealValue: { amount: '25000.50', currency: 'USD' },
  purchaseTimeFrame: '1-3 months',
  notes: 'Needs a landing zone first',
  crmId: 'CRM-7',
  contacts: [{ firstName: 'Pat', lastName: 'Partner', email: 'pat@contoso-partner.com', phone: '+1 425 555 0199' }],
};

describe('acceptReferral', () => {
  it('moves a New referral to Active with the engagement details, contacts and acceptedAt = now', async () => {
    const r = await gqlAs(manager, ACCEPT, { id: 'r-new-1', input: acceptInput });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.acceptReferral).toEqual({
      id: 'r-new-1', status: 'ACTIVE', engagementName: 'Northwind VM migration',
      dealValue: { amount: '25000.500000', currency: 'USD' }, dealValueUsd: { amount: '25000.500000', currency: 'USD' },
      purchaseTimeFrame: '1-3 months', crmId: 'CRM-7', notes: 'Needs a landing zone first', declineReason: null,
      acceptedAt: '2024-06-15T10:30:00.000Z', declinedAt: null, wonAt: null, lostAt: null, expiresAt: null,
      contacts: [{ side: 'PARTNER', firstName: 'Pat', lastName: 'Partner', email: 'pat@contoso-partner.com', phone: '+1 425 555 0199' }],
    });
    expect(await storedReferral(env.warehouse, P1, 'r-new-1')).toMatchObject({
      status: 'Active', engagement_name: 'Northwind VM migration', deal_value: '25000.500000', currency: 'USD', deal_value_usd: '25000.500000',
      purchase_time_frame: '1-3 months', crm_id: 'CRM-7', notes: 'Needs a landing zone first', accepted_at: NOW, declined_at: null,
    });
  });

  it('converts a value in another currency with the latest rate on or before today', async () => {
    const r = await gqlAs(manager, ACCEPT, {
      id: 'r-new-2',
      input: { engagementName: 'AW pilot', estimatedDealValue: { amount: '1000', currency: 'EUR' }, purchaseTimeFrame: 'Q3 2024' },
    });
    expect(r.body.errors).toBeUndefined();
    // 1.10 (2024-06-10), not 1.08 (older) nor 1.20 (2024-06-20, after today)
    expect(r.body.data.acceptReferral).toMatchObject({
      dealValue: { amount: '1000.000000', currency: 'EUR' }, dealValueUsd: { amount: '1100.000000', currency: 'USD' }, notes: null,
    });
    expect(await storedReferral(env.warehouse, P1, 'r-new-2')).toMatchObject({ status: 'Active', deal_value_usd: '1100.000000', currency: 'EUR' });
  });

  it('rejects a currency with no rate to USD (another partner’s rates do not count), leaving the referral New', async () => {
    const r = await gqlAs(manager, ACCEPT, {
      id: 'r-new-3',
      input: { engagementName: 'x', estimatedDealValue: { amount: '10', currency: 'GBP' }, purchaseTimeFrame: 'soon' },
    });
    expect(r.body.data.acceptReferral).toBeNull();
    const error = expectError(r, 'BAD_USER_INPUT', { argument: 'input.estimatedDealValue.currency', currency: 'GBP' });
    expect(error.message).toMatch(/no exchange rate from GBP to USD dated on or before 2024-06-15/);
    expect(await storedReferral(env.warehouse, P1, 'r-new-3')).toMatchObject({ status: 'New', engagement_name: null, accepted_at: null });
  });

  it('converts with a USD -> currency rate (the direction Partner Center and the demo data write) by dividing', async () => {
    // A New referral of its own (a copy of r-new-3), removed afterwards so the other tests see the fixture.
    await env.warehouse.run(`INSERT INTO referrals SELECT * REPLACE ('r-aud' AS referral_id) FROM referrals WHERE referral_id = 'r-new-3'`);
    try {
      const r = await gqlAs(manager, ACCEPT, {
        id: 'r-aud',
        input: { engagementName: 'AU pilot', estimatedDealValue: { amount: '160', currency: 'AUD' }, purchaseTimeFrame: 'Q3 2024' },
      });
      expect(r.body.errors).toBeUndefined();
      expect(r.body.data.acceptReferral).toMatchObject({ dealValueUsd: { amount: '100.000000', currency: 'USD' } });
    } finally {
      await env.warehouse.run(`DELETE FROM referrals WHERE referral_id = 'r-aud'`);
    }
  });

  it('refuses a Declined referral: INVALID_STATE with the current and allowed states', async () => {
    const before = await storedReferral(env.warehouse, P1, 'r-declined');
    const r = await gqlAs(manager, ACCEPT, { id: 'r-declined', input: acceptInput });
    expect(r.body.data.acceptReferral).toBeNull();
    const error = expectError(r, 'INVALID_STATE', { action: 'accept', currentState: 'Declined', allowedStates: ['New'] });
    expect(error.message).toBe('cannot accept referral in state "Declined"; allowed from: "New"');
    expect(await storedReferral(env.warehouse, P1, 'r-declined')).toEqual(before);
  });

  it('refuses a referral that expired unanswered (stored New, created more than 14 days ago)', async () => {
    const r = await gqlAs(manager, ACCEPT, { id: 'r-expired', input: acceptInput });
    expectError(r, 'INVALID_STATE', { currentState: 'Expired', allowedStates: ['New'] });
    expect(await storedReferral(env.warehouse, P1, 'r-expired')).toMatchObject({ status: 'New', accepted_at: null });
  });

  it('validates the input: amount, empty names, contact emails', async () => {
    const badAmount = await gqlAs(manager, ACCEPT, { id: 'r-new-3', input: { ...acceptInput, estimatedDealValue: { amount: '-5', currency: 'USD' } } });
    expectError(badAmount, 'BAD_USER_INPUT', { argument: 'input.estimatedDealValue.amount' });
    const blank = await gqlAs(manager, ACCEPT, { id: 'r-new-3', input: { ...acceptInput, engagementName: '  ' } });
    expectError(blank, 'BAD_USER_INPUT', { argument: 'input.engagementName' });
    const badEmail = await gqlAs(manager, ACCEPT, { id: 'r-new-3', input: { ...acceptInput, contacts: [{ firstName: 'A', lastName: 'B', email: 'not-an-email' }] } });
    expectError(badEmail, 'BAD_USER_INPUT', { argument: 'input.contacts.0.email' });
    expect(await storedReferral(env.warehouse, P1, 'r-new-3')).toMatchObject({ status: 'New' });
  });
});

describe('concurrent mutations', () => {
  it('accepts a referral once when four accepts race; the others get INVALID_STATE naming Active', async () => {
    await env.warehouse.run(`INSERT INTO referrals (partner_id, referral_id, mpn_id, direction, source, referral_type, customer_name, status, created_at)
      VALUES ('${P1}', 'r-race', '1001', 'Incoming', 'Direct', 'Independent', 'Race Corp', 'New', TIMESTAMP '2024-06-14 09:00:00')`);
    const names = ['a', 'b', 'c', 'd'];
    const results = await Promise.all(
      names.map((name) => gqlAs(manager, ACCEPT, { id: 'r-race', input: { ...acceptInput, engagementName: `race ${name}`, contacts: [] } })),
    );
    const winners = results.filter((r) => r.body.data?.acceptReferral);
    expect(winners).toHaveLength(1);
    for (const r of results.filter((x) => !x.body.data?.acceptReferral)) {
      expectError(r, 'INVALID_STATE', { currentState: 'Active', allowedStates: ['New'] });
    }
    const stored = await storedReferral(env.warehouse, P1, 'r-race');
    expect(stored).toMatchObject({ status: 'Active', engagement_name: winners[0].body.data.acceptReferral.engagementName, accepted_at: NOW });
  });
});

describe('declineReferral', () => {
  it('archives a New referral as Declined with the reason, notes and declinedAt = now', async () => {
    const r = await gqlAs(manager, DECLINE, { id: 'r-new-3', input: { reason: 'Outside our region', notes: 'Refer to a partner in EMEA' } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.declineReferral).toMatchObject({
      status: 'DECLINED', declineReason: 'Outside our region', notes: 'Refer to a partner in EMEA', declinedAt: '2024-06-15T10:30:00.000Z', acceptedAt: null, expiresAt: null,
    });
    expect(await storedReferral(env.warehouse, P1, 'r-new-3')).toMatchObject({
      status: 'Declined', decline_reason: 'Outside our region', notes: 'Refer to a partner in EMEA', declined_at: NOW,
    });
  });

  it('refuses an Active one and needs a reason', async () => {
    expectError(await gqlAs(manager, DECLINE, { id: 'r-active', input: { reason: 'x' } }), 'INVALID_STATE', { currentState: 'Active', allowedStates: ['New'] });
    expectError(await gqlAs(manager, DECLINE, { id: 'r-new-3', input: { reason: '' } }), 'BAD_USER_INPUT', { argument: 'input.reason' });
  });
});

describe('markReferralWon / markReferralLost', () => {
  it('refuses to mark a New referral won', async () => {
    const r = await gqlAs(manager, WON, { id: 'r-boundary' });
    expect(r.body.data.markReferralWon).toBeNull();
    expectError(r, 'INVALID_STATE', { action: 'mark as won', currentState: 'New', allowedStates: ['Active'] });
    expect(await storedReferral(env.warehouse, P1, 'r-boundary')).toMatchObject({ status: 'New', won_at: null });
  });

  it('marks an Active referral Won with wonAt = now', async () => {
    const r = await gqlAs(manager, WON, { id: 'r-active' });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.markReferralWon).toMatchObject({ status: 'WON', wonAt: '2024-06-15T10:30:00.000Z', acceptedAt: '2024-05-02T10:00:00.000Z', lostAt: null });
    expect(await storedReferral(env.warehouse, P1, 'r-active')).toMatchObject({ status: 'Won', won_at: NOW, lost_at: null });
    expectError(await gqlAs(manager, WON, { id: 'r-active' }), 'INVALID_STATE', { currentState: 'Won', allowedStates: ['Active'] });
  });

  it('marks an Active referral Lost with lostAt = now; a Lost one cannot be won', async () => {
    const r = await gqlAs(manager, LOST, { id: 'r-active-in' });
    expect(r.body.data.markReferralLost).toMatchObject({ status: 'LOST', lostAt: '2024-06-15T10:30:00.000Z', wonAt: null });
    expect(await storedReferral(env.warehouse, P1, 'r-active-in')).toMatchObject({ status: 'Lost', lost_at: NOW });
    expectError(await gqlAs(manager, WON, { id: 'r-active-in' }), 'INVALID_STATE', { currentState: 'Lost', allowedStates: ['Active'] });
  });
});

describe('editReferral', () => {
  it('edits an Active referral: given fields change, omitted ones stay, an empty crmId clears', async () => {
    const r = await gqlAs(manager, EDIT, {
      id: 'r-active-eur',
      input: { engagementName: 'Tailwind rollout, phase 2', estimatedDealValue: { amount: '6000', currency: 'EUR' }, crmId: '', notes: 'Bigger scope' },
    });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.editReferral).toMatchObject({
      status: 'ACTIVE', engagementName: 'Tailwind rollout, phase 2', purchaseTimeFrame: '3-6 months', crmId: null, notes: 'Bigger scope',
      dealValue: { amount: '6000.000000', currency: 'EUR' }, dealValueUsd: { amount: '6600.000000', currency: 'USD' },
    });
    expect(await storedReferral(env.warehouse, P1, 'r-active-eur')).toMatchObject({
      status: 'Active', engagement_name: 'Tailwind rollout, phase 2', purchase_time_frame: '3-6 months', deal_value: '6000.000000',
      deal_value_usd: '6600.000000', crm_id: null, notes: 'Bigger scope',
    });
    const dollars = await gqlAs(manager, EDIT, { id: 'r-active-eur', input: { estimatedDealValue: { amount: '7000', currency: 'USD' }, purchaseTimeFrame: 'By December' } });
    expect(dollars.body.data.editReferral).toMatchObject({
      engagementName: 'Tailwind rollout, phase 2', purchaseTimeFrame: 'By December',
      dealValue: { amount: '7000.000000', currency: 'USD' }, dealValueUsd: { amount: '7000.000000', currency: 'USD' },
    });
  });

  it('refuses to edit a Won referral, and an edit with nothing to change', async () => {
    const before = await storedReferral(env.warehouse, P1, 'r-won');
    const r = await gqlAs(manager, EDIT, { id: 'r-won', input: { engagementName: 'Renamed' } });
    expect(r.body.data.editReferral).toBeNull();
    expectError(r, 'INVALID_STATE', { action: 'edit', currentState: 'Won', allowedStates: ['Active'] });
    expect(await storedReferral(env.warehouse, P1, 'r-won')).toEqual(before);
    expectError(await gqlAs(manager, EDIT, { id: 'r-active-eur', input: {} }), 'BAD_USER_INPUT', { argument: 'input' });
  });
});

describe('addReferralContact', () => {
  it('adds a person to an Active referral; rejects a bad email and a duplicate', async () => {
    const bad = await gqlAs(manager, ADD_CONTACT, { id: 'r-active-eur', input: { firstName: 'Kim', lastName: 'Lee', email: 'kim at contoso' } });
    expect(bad.body.data.addReferralContact).toBeNull();
    const error = expectError(bad, 'BAD_USER_INPUT', { argument: 'input.email' });
    expect(error.message).toBe('input.email is not an email address: "kim at contoso"');

    const r = await gqlAs(manager, ADD_CONTACT, { id: 'r-active-eur', input: { firstName: 'Kim', lastName: 'Lee', email: 'kim@contoso-partner.com', phone: '+1 (425) 555-0123' } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.addReferralContact.contacts).toEqual([{ side: 'PARTNER', email: 'kim@contoso-partner.com', phone: '+1 (425) 555-0123' }]);
    const rows = await env.warehouse.all(`SELECT partner_id, side, first_name, last_name, email FROM referral_contacts WHERE referral_id = 'r-active-eur'`);
    expect(rows).toEqual([{ partner_id: P1, side: 'Partner', first_name: 'Kim', last_name: 'Lee', email: 'kim@contoso-partner.com' }]);

    const dup = await gqlAs(manager, ADD_CONTACT, { id: 'r-active-eur', input: { firstName: 'K', lastName: 'L', email: 'KIM@contoso-partner.com' } });
    expectError(dup, 'BAD_USER_INPUT', { argument: 'input.email' });
    const badPhone = await gqlAs(manager, ADD_CONTACT, { id: 'r-active-eur', input: { firstName: 'K', lastName: 'L', email: 'k@x.com', phone: 'call me' } });
    expectError(badPhone, 'BAD_USER_INPUT', { argument: 'input.phone' });
    expectError(await gqlAs(manager, ADD_CONTACT, { id: 'r-lost', input: { firstName: 'K', lastName: 'L', email: 'k@x.com' } }), 'INVALID_STATE', {
      currentState: 'Lost', allowedStates: ['Active'],
    });
  });
});

describe('registerDeal', () => {
  const deal = {
    companyName: 'Contoso Pharma', country: 'IN', city: 'Bangalore', stateProvince: 'Karnataka', solution: 'Contoso Cloud Migration',
    contractType: 'NEW', totalContractValue: { amount: '7000', currency: 'USD' }, solutionValue: { amount: '5000', currency: 'USD' },
    deployedOn: 'AZURE', deploymentTenant: 'CUSTOMER_TENANT', contractStartDate: '2024-07-01', contractSignedDate: '2024-06-14',
    contact: { firstName: 'Sam', lastName: 'Seller', phone: '+1 425 555 0101', email: 'sam@contoso-partner.com' },
  };

  it('registers a deal from a Won referral: In progress, registeredAt = now, perpetual without an end date', async () => {
    const r = await gqlAs(manager, REGISTER, { input: { ...deal, referralId: 'r-won-2' } });
    expect(r.body.errors).toBeUndefined();
    const d = r.body.data.registerDeal;
    expect(d).toEqual({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/), status: 'IN_PROGRESS', companyName: 'Contoso Pharma', country: 'IN', city: 'Bangalore',
      stateProvince: 'Karnataka', solution: 'Contoso Cloud Migration', contractType: 'NEW', deployedOn: 'AZURE', deploymentTenant: 'CUSTOMER_TENANT',
      contractStartDate: '2024-07-01', contractEndDate: null, contractSignedDate: '2024-06-14', registeredAt: '2024-06-15T10:30:00.000Z',
      totalContractValue: { amount: '7000.000000', currency: 'USD' }, solutionValue: { amount: '5000.000000', currency: 'USD' },
      contact: { firstName: 'Sam', lastName: 'Seller', phone: '+1 425 555 0101', email: 'sam@contoso-partner.com' },
      referral: { id: 'r-won-2', status: 'WON', dealRegistration: { id: d.id } },
    });
    const stored = await env.warehouse.one(
      `SELECT partner_id, referral_id, status, strftime(registered_at, '%Y-%m-%dT%H:%M:%SZ') AS registered_at, total_contract_value, contract_end_date
       FROM deal_registrations WHERE registration_id = $1`, [d.id]);
    expect(stored).toEqual({ partner_id: P1, referral_id: 'r-won-2', status: 'In progress', registered_at: NOW, total_contract_value: '7000.000000', contract_end_date: null });
  });

  it('completes the Incomplete registration of a referral instead of adding a second one', async () => {
    const r = await gqlAs(manager, REGISTER, { input: { ...deal, companyName: 'Northwind Traders', country: 'US', city: 'Redmond', stateProvince: 'WA', referralId: 'r-won', contractEndDate: '2025-06-30' } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.registerDeal).toMatchObject({ id: 'dr-incomplete', status: 'IN_PROGRESS', contractEndDate: '2025-06-30', city: 'Redmond' });
    const rows = await env.warehouse.all(`SELECT registration_id, status FROM deal_registrations WHERE referral_id = 'r-won'`);
    expect(rows).toEqual([{ registration_id: 'dr-incomplete', status: 'In progress' }]);
  });

  it('refuses a referral that is not Won, and one whose deal is already registered', async () => {
    const active = await gqlAs(manager, REGISTER, { input: { ...deal, referralId: 'r-active-eur' } });
    expect(active.body.data.registerDeal).toBeNull();
    expectError(active, 'INVALID_STATE', { action: 'register a deal for', currentState: 'Active', allowedStates: ['Won'] });
    const registered = await gqlAs(manager, REGISTER, { input: { ...deal, referralId: 'r-won-3' } });
    expectError(registered, 'INVALID_STATE', { action: 'register', currentState: 'In progress', allowedStates: ['Incomplete', 'Update required'] });
    expect(await env.warehouse.all(`SELECT count(*)::INTEGER AS n FROM deal_registrations WHERE referral_id IN ('r-active-eur', 'r-won-3')`)).toEqual([{ n: 1 }]);
    expectError(await gqlAs(manager, REGISTER, { input: { ...deal, referralId: 'nope' } }), 'NOT_FOUND', { typename: 'Referral' });
  });

  it('registers a deal not from a referral', async () => {
    const r = await gqlAs(manager, REGISTER, { input: { ...deal, companyName: 'Fresh Deal Ltd', contractType: 'RENEWAL', deployedOn: 'OTHER', deploymentTenant: 'PARTNER_TENANT' } });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.registerDeal).toMatchObject({ status: 'IN_PROGRESS', companyName: 'Fresh Deal Ltd', contractType: 'RENEWAL', deployedOn: 'OTHER', deploymentTenant: 'PARTNER_TENANT', referral: null });
  });

  it('validates currencies, dates and the contact', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ solutionValue: { amount: '5', currency: 'EUR' } }, 'input.solutionValue.currency'],
      [{ contractEndDate: '2024-06-30' }, 'input.contractEndDate'],
      [{ contractSignedDate: '2024-06-16' }, 'input.contractSignedDate'],
      [{ contact: { ...deal.contact, email: 'sam@' } }, 'input.contact.email'],
      [{ totalContractValue: { amount: '1.2345678', currency: 'USD' } }, 'input.totalContractValue.amount'],
    ];
    for (const [change, argument] of cases) {
      expectError(await gqlAs(manager, REGISTER, { input: { ...deal, ...change } }), 'BAD_USER_INPUT', { argument });
    }
  });
});

describe('another partner’s referral', () => {
  it('is NOT_FOUND to every mutation, and stays unchanged', async () => {
    const before = await storedReferral(env.warehouse, P2, 'r-p2-new');
    const beforeActive = await storedReferral(env.warehouse, P2, 'r-p2-active');
    const attempts: [string, Record<string, unknown>][] = [
      [ACCEPT, { id: 'r-p2-new', input: acceptInput }],
      [DECLINE, { id: 'r-p2-new', input: { reason: 'x' } }],
      [WON, { id: 'r-p2-active' }],
      [LOST, { id: 'r-p2-active' }],
      [EDIT, { id: 'r-p2-active', input: { engagementName: 'hijacked' } }],
      [ADD_CONTACT, { id: 'r-p2-active', input: { firstName: 'E', lastName: 'Vil', email: 'evil@contoso-partner.com' } }],
    ];
    for (const [mutation, variables] of attempts) {
      const r = await gqlAs(manager, mutation, variables);
      expectError(r, 'NOT_FOUND', { typename: 'Referral', id: variables.id });
    }
    expectError(await gqlAs(manager, REGISTER, { input: { ...registerInput(), referralId: 'r-p2-active' } }), 'NOT_FOUND');
    expect(await storedReferral(env.warehouse, P2, 'r-p2-new')).toEqual(before);
    expect(await storedReferral(env.warehouse, P2, 'r-p2-active')).toEqual(beforeActive);
    expect(await env.warehouse.all(`SELECT count(*)::INTEGER AS n FROM referral_contacts WHERE partner_id = '${P2}'`)).toEqual([{ n: 1 }]);
  });

  it('is managed by its own partner', async () => {
    const p2 = await token(P2, ['Global admin']);
    const r = await gqlAs(p2, DECLINE, { id: 'r-p2-new', input: { reason: 'Busy' } });
    expect(r.body.data.declineReferral).toMatchObject({ status: 'DECLINED' });
  });
});

function registerInput() {
  return {
    companyName: 'X', country: 'DE', city: 'Berlin', stateProvince: 'Berlin', solution: 'S', contractType: 'NEW',
    totalContractValue: { amount: '1', currency: 'EUR' }, solutionValue: { amount: '1', currency: 'EUR' }, deployedOn: 'AZURE',
    deploymentTenant: 'CUSTOMER_TENANT', contractStartDate: '2024-07-01', contractSignedDate: '2024-06-01',
    contact: { firstName: 'A', lastName: 'B', phone: '+49 1', email: 'a@b.de' },
  };
}
