import { BOUNDS } from '../../core/bounds';
import { P1, gql, token, type TestEnv } from '../gateway/harness';
import { storedReferral, referralFixtureForSuite } from '../referrals/fixture';

/**
 * Money, text and list bounds of the referral and deal registration mutations (core/bounds.ts),
 * over real HTTP: each refusal is BAD_USER_INPUT naming the argument and the bound, and leaves
 * the referral as it was; values at the bound are accepted. Fixture rate: EUR -> USD 1.10.
 */
let env: TestEnv;
let manager: string;
referralFixtureForSuite(async (started) => {
  env = started;
  manager = await token(P1, ['Referrals admin']);
});

const ACCEPT = `mutation($id: ID!, $input: AcceptReferralInput!) { acceptReferral(id: $id, input: $input) { id status dealValueUsd { amount } } }`;
const EDIT = `mutation($id: ID!, $input: EditReferralInput!) { editReferral(id: $id, input: $input) { id dealValueUsd { amount } } }`;
const REGISTER = `mutation($input: RegisterDealInput!) { registerDeal(input: $input) { id status solutionValue { amount } } }`;
const gqlAs = (query: string, variables?: Record<string, unknown>) => gql(env.server.graphqlUrl, manager, query, variables);

function boundError(r: { body: { errors?: any[] } }, extensions: Record<string, unknown>) {
  expect(r.body.errors).toHaveLength(1);
  expect(r.body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', ...extensions });
  return r.body.errors![0];
}

const accept = (amount: string, currency = 'USD', extra: Record<string, unknown> = {}) => ({
  engagementName: 'Bounded', estimatedDealValue: { amount, currency }, purchaseTimeFrame: 'Q3', ...extra,
});
const contact = (i: number) => ({ firstName: 'Pat', lastName: `Partner ${i}`, email: `pat${i}@contoso-partner.com` });

describe('estimated deal value', () => {
  it('refuses more than 1,000,000,000 USD, exactly compared, and leaves the referral New', async () => {
    const error = boundError(await gqlAs(ACCEPT, { id: 'r-new-1', input: accept('1000000000.000001') }), {
      argument: 'input.estimatedDealValue.amount', bound: 'dealValueUsd', max: BOUNDS.dealValueUsd.max, unit: 'USD',
    });
    expect(error.message).toBe('input.estimatedDealValue.amount must be at most 1,000,000,000 USD, got 1000000000.000001 USD');
    expect((await storedReferral(env.warehouse, P1, 'r-new-1'))!.status).toBe('New');
  });

  it('bounds the USD value of another currency: 950,000,000 EUR is 1,045,000,000 USD', async () => {
    const error = boundError(await gqlAs(ACCEPT, { id: 'r-new-1', input: accept('950000000', 'EUR') }), { argument: 'input.estimatedDealValue.amount', bound: 'dealValueUsd' });
    expect(error.message).toMatch(/got 950000000 EUR \(1045000000\.0+ USD\)$/);
    const edit = await gqlAs(EDIT, { id: 'r-active-eur', input: { estimatedDealValue: { amount: '950000000', currency: 'EUR' } } });
    boundError(edit, { argument: 'input.estimatedDealValue.amount', bound: 'dealValueUsd' });
    expect((await storedReferral(env.warehouse, P1, 'r-active-eur'))!.deal_value).toBe('5000.000000');
  });

  it('takes exactly the bound', async () => {
    const r = await gqlAs(ACCEPT, { id: 'r-new-1', input: accept('1000000000') });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.acceptReferral).toEqual({ id: 'r-new-1', status: 'ACTIVE', dealValueUsd: { amount: '1000000000.000000' } });
  });
});

describe('texts and lists', () => {
  it('refuses more additional contacts than the bound, before anything is written', async () => {
    const contacts = Array.from({ length: BOUNDS.referralContacts.max + 1 }, (_, i) => contact(i));
    const error = boundError(await gqlAs(ACCEPT, { id: 'r-new-3', input: accept('10', 'USD', { contacts }) }), {
      argument: 'input.contacts', bound: 'referralContacts', max: 20, unit: 'contacts',
    });
    expect(error.message).toBe('input.contacts must have at most 20 contacts, got 21');
    expect((await storedReferral(env.warehouse, P1, 'r-new-3'))!.status).toBe('New');
  });

  it('bounds a person’s name at 50 characters (reference line 11742) and notes at 4,000', async () => {
    const longName = { ...contact(1), firstName: 'P'.repeat(BOUNDS.personName.max + 1) };
    boundError(await gqlAs(ACCEPT, { id: 'r-new-3', input: accept('10', 'USD', { contacts: [longName] }) }), {
      argument: 'input.contacts.0.firstName', bound: 'personName', max: 50,
    });
    const notes = 'n'.repeat(BOUNDS.notes.max + 1);
    const error = boundError(await gqlAs(ACCEPT, { id: 'r-new-3', input: accept('10', 'USD', { notes }) }), { argument: 'input.notes', bound: 'notes' });
    expect(error.message).toBe('input.notes must be at most 4,000 characters, got 4,001');
    const ok = await gqlAs(ACCEPT, { id: 'r-new-3', input: accept('10', 'USD', { notes: notes.slice(1), contacts: [{ ...longName, firstName: longName.firstName.slice(1) }] }) });
    expect(ok.body.errors).toBeUndefined();
  });

  it('refuses a search text longer than its bound in the referral and deal lists', async () => {
    const s = 'x'.repeat(BOUNDS.searchText.max + 1);
    boundError(await gqlAs(`query($s: String) { referrals(first: 1, filter: { search: $s }) { totalCount } }`, { s }), { argument: 'filter.search', bound: 'searchText' });
    boundError(await gqlAs(`query($s: String) { dealRegistrations(first: 1, filter: { search: $s }) { totalCount } }`, { s }), { argument: 'filter.search', bound: 'searchText' });
  });
});

describe('registerDeal', () => {
  const deal = {
    referralId: 'r-won-2', companyName: 'Contoso Pharma', country: 'IN', city: 'Bangalore', stateProvince: 'Karnataka', solution: 'Contoso Cloud Migration',
    contractType: 'NEW', totalContractValue: { amount: '7000', currency: 'USD' }, solutionValue: { amount: '7000.000001', currency: 'USD' },
    deployedOn: 'AZURE', deploymentTenant: 'CUSTOMER_TENANT', contractStartDate: '2024-07-01', contractSignedDate: '2024-06-14',
    contact: { firstName: 'Sam', lastName: 'Seller', phone: '+1 425 555 0101', email: 'sam@contoso-partner.com' },
  };

  it('refuses a solution value above the total contract value (the solution is part of the contract); takes it equal', async () => {
    const error = boundError(await gqlAs(REGISTER, { input: deal }), { argument: 'input.solutionValue.amount', max: '7000' });
    expect(error.message).toMatch(/input\.solutionValue\.amount 7000\.000001 must be at most 7000, the totalContractValue/);
    const [{ n }] = await env.warehouse.all<{ n: number }>(`SELECT count(*)::INTEGER AS n FROM deal_registrations WHERE referral_id = 'r-won-2'`);
    expect(n).toBe(0);
    const ok = await gqlAs(REGISTER, { input: { ...deal, solutionValue: { amount: '7000', currency: 'USD' } } });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.registerDeal).toMatchObject({ status: 'IN_PROGRESS', solutionValue: { amount: '7000.000000' } });
  });
});
