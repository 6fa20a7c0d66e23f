import { BOUNDS } from '../../core/bounds';
import { P1, customerId, gql, token, type TestEnv } from '../gateway/harness';
import { OFFERS, subscriptionFixtureForSuite } from '../subscriptions/fixture';

/**
 * Seats and the other subscription inputs within core/bounds.ts, over real HTTP on a real DuckDB:
 * each refusal is BAD_USER_INPUT naming the argument and the bound, and leaves the warehouse as it
 * was; the bound itself is accepted. The finding: changeSubscriptionQuantity took 2,147,483,647
 * seats and wrote expected charges of 223,681,896,671.52.
 */
let env: TestEnv;
subscriptionFixtureForSuite((started) => (env = started));

const asAdmin = async (query: string, variables?: Record<string, unknown>) => gql(env.server.graphqlUrl, await token(P1, ['Admin agent']), query, variables);
const CHANGE = `mutation($id: ID!, $q: Int!) { changeSubscriptionQuantity(id: $id, quantity: $q) { id quantity } }`;
const CREATE = `mutation($input: CreateSubscriptionInput!) { createSubscription(input: $input) { id quantity friendlyName } }`;
const INT_MAX = 2_147_483_647;

function boundError(r: { body: { errors?: any[] } }, argument: string, bound: string) {
  expect(r.body.errors).toHaveLength(1);
  const [error] = r.body.errors!;
  expect(error.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument, bound, max: BOUNDS[bound as keyof typeof BOUNDS].max });
  return error;
}

async function stored(id: string): Promise<{ quantity: number; charges: string; maxQuantity: number | null; subscriptions: number }> {
  const [row] = await env.warehouse.all<any>(
    `SELECT s.quantity,
            (SELECT CAST(coalesce(sum(amount), 0) AS DECIMAL(18,2))::VARCHAR FROM expected_charges e WHERE e.partner_id = s.partner_id AND e.subscription_id = s.subscription_id) AS charges,
            (SELECT max(quantity) FROM expected_charges e WHERE e.partner_id = s.partner_id AND e.subscription_id = s.subscription_id) AS "maxQuantity",
            (SELECT count(*)::INTEGER FROM subscriptions WHERE partner_id = s.partner_id) AS subscriptions
     FROM subscriptions s WHERE s.partner_id = $1 AND s.subscription_id = $2`,
    [P1, id],
  );
  return row;
}

describe('changeSubscriptionQuantity', () => {
  it('refuses 2,147,483,647 seats, naming the argument and the bound; nothing is written', async () => {
    const before = await stored('sub-annual');
    const error = boundError(await asAdmin(CHANGE, { id: 'sub-annual', q: INT_MAX }), 'quantity', 'seatsPerSubscription');
    expect(error.message).toBe(`quantity must be 1 to 100,000, got ${INT_MAX} (a whole number of licenses)`);
    expect(error.extensions).toMatchObject({ min: 1, unit: 'licenses' });
    expect(await stored('sub-annual')).toEqual(before);
  });

  it('takes the bound itself (100,000 seats of Office 365 E3) and refuses one more', async () => {
    const ok = await asAdmin(CHANGE, { id: 'sub-annual', q: BOUNDS.seatsPerSubscription.max });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.changeSubscriptionQuantity).toEqual({ id: 'sub-annual', quantity: 100_000 });
    boundError(await asAdmin(CHANGE, { id: 'sub-annual', q: 100_001 }), 'quantity', 'seatsPerSubscription');
    expect((await stored('sub-annual')).quantity).toBe(100_000);
  });

  it('caps a Microsoft 365 business offer at 300 seats (reference lines 7967, 1503)', async () => {
    const error = boundError(await asAdmin(CHANGE, { id: 'sub-monthly', q: 301 }), 'quantity', 'smallBusinessSeats');
    expect(error.message).toMatch(/^quantity must be 1 to 300, got 301/);
    expect((await stored('sub-monthly')).quantity).toBe(2);
    const ok = await asAdmin(CHANGE, { id: 'sub-monthly', q: 300 });
    expect(ok.body.data.changeSubscriptionQuantity).toEqual({ id: 'sub-monthly', quantity: 300 });
  });

  it('still refuses fewer than 1 seat, now naming the bound', async () => {
    boundError(await asAdmin(CHANGE, { id: 'sub-in', q: 0 }), 'quantity', 'seatsPerSubscription');
  });
});

describe('createSubscription', () => {
  const input = { customerId: customerId(P1, 9), offerId: OFFERS.o365e3, quantity: 1, billingFrequency: 'MONTHLY' };

  it('refuses more seats than the bound, and more than 300 of a business offer; nothing is created', async () => {
    const before = (await stored('sub-annual')).subscriptions;
    boundError(await asAdmin(CREATE, { input: { ...input, quantity: INT_MAX } }), 'input.quantity', 'seatsPerSubscription');
    boundError(await asAdmin(CREATE, { input: { ...input, offerId: OFFERS.m365bb, quantity: 301 } }), 'input.quantity', 'smallBusinessSeats');
    expect((await stored('sub-annual')).subscriptions).toBe(before);
  });

  it('refuses a friendly name longer than its bound and keeps one of exactly that length', async () => {
    const long = 'n'.repeat(BOUNDS.friendlyName.max + 1);
    const error = boundError(await asAdmin(CREATE, { input: { ...input, friendlyName: long } }), 'input.friendlyName', 'friendlyName');
    expect(error.message).toBe('input.friendlyName must be at most 200 characters, got 201');
    const ok = await asAdmin(CREATE, { input: { ...input, quantity: 300, friendlyName: long.slice(1) } });
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.createSubscription).toMatchObject({ quantity: 300, friendlyName: long.slice(1) });
  });
});

describe('list filters', () => {
  it('refuse a search text longer than its bound (subscriptions, products)', async () => {
    const search = 'x'.repeat(BOUNDS.searchText.max + 1);
    boundError(await asAdmin(`query($s: String) { subscriptions(first: 1, filter: { search: $s }) { totalCount } }`, { s: search }), 'filter.search', 'searchText');
    boundError(await asAdmin(`query($s: String) { products(first: 1, filter: { search: $s }) { totalCount } }`, { s: search }), 'filter.search', 'searchText');
    const ok = await asAdmin(`query($s: String) { subscriptions(first: 1, filter: { search: $s }) { totalCount } }`, { s: search.slice(1) });
    expect(ok.body.errors).toBeUndefined();
  });
});
