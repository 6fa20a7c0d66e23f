import { PERMISSIONS } from '../../core/permissions';
import { P1, P2, customerId, gql, token, type TestEnv } from '../gateway/harness';
import { OFFERS, TODAY, subscriptionFixtureForSuite } from './fixture';

/**
 * The lifecycle mutations over real HTTP, with what they write checked in SQL: the subscription
 * row, the subscription_events row and the expected_charges lines the billing rules give. TODAY is
 * 2024-05-10 (PI_TODAY); the fixture has no invoices, so the billing day is the day of month of each
 * subscription's created date.
 */
let env: TestEnv;
subscriptionFixtureForSuite((started) => (env = started));

const FIELDS = `id status quantity billingFrequency autoRenew isTrial createdDate termStartDate termEndDate trialStartDate trialEndDate
  suspendedDate canceledDate unitPrice { amount currency } reseller { mpnId } location { mpnId } customer { id }`;

const gqlAs = async (roles: Parameters<typeof token>[1], query: string, variables?: Record<string, unknown>, options: { partner?: string; locations?: string[] } = {}) =>
  gql(env.server.graphqlUrl, await token(options.partner ?? P1, roles, { locations: options.locations }), query, variables);
const asAdmin = (query: string, variables?: Record<string, unknown>) => gqlAs(['Admin agent'], query, variables);

async function row(id: string, partner = P1): Promise<Record<string, any>> {
  const [r] = await env.warehouse.all(`SELECT * FROM subscriptions WHERE partner_id = $1 AND subscription_id = $2`, [partner, id]);
  return r;
}
async function events(id: string, partner = P1): Promise<Record<string, any>[]> {
  return env.warehouse.all(
    `SELECT event_id, event_date, event_type, quantity_before, quantity_after, detail, actor FROM subscription_events
     WHERE partner_id = $1 AND subscription_id = $2 ORDER BY event_date, rowid`,
    [partner, id],
  );
}
/** expected_charges rows as [invoice, start, end, type, unit price, quantity, amount]. */
async function charges(id: string, partner = P1): Promise<[string, string, string, string, string, number, string][]> {
  const rows = await env.warehouse.all<any>(
    `SELECT invoice_date, charge_start_date, charge_end_date, charge_type, CAST(unit_price AS DECIMAL(18,2))::VARCHAR AS unit_price, quantity,
            CAST(amount AS DECIMAL(18,2))::VARCHAR AS amount, currency, source_event_id
     FROM expected_charges WHERE partner_id = $1 AND subscription_id = $2 ORDER BY rowid`,
    [partner, id],
  );
  return rows.map((r) => [r.invoice_date, r.charge_start_date, r.charge_end_date, r.charge_type, r.unit_price, r.quantity, r.amount]);
}
const errorOf = (r: { body: { errors?: any[] } }) => {
  expect(r.body.errors).toHaveLength(1);
  return r.body.errors![0];
};

describe('createSubscription', () => {
  const CREATE = `mutation($input: CreateSubscriptionInput!) { createSubscription(input: $input) { ${FIELDS} product { id } events { edges { node { type quantityAfter } } } } }`;

  it('buys a monthly subscription: row, Purchase event and a Cycle fee of 2 × 4.00 = 8.00', async () => {
    const r = await asAdmin(CREATE, { input: { customerId: customerId(P1, 0), offerId: OFFERS.m365bb, quantity: 2, billingFrequency: 'MONTHLY' } });
    expect(r.body.errors).toBeUndefined();
    const s = r.body.data.createSubscription;
    expect(s).toMatchObject({
      status: 'ACTIVE',
      quantity: 2,
      billingFrequency: 'MONTHLY',
      autoRenew: true,
      isTrial: false,
      createdDate: TODAY,
      termStartDate: TODAY,
      termEndDate: '2025-05-09',
      trialStartDate: null,
      unitPrice: { amount: '4.000000', currency: 'USD' },
      // the customer's reseller and location
      reseller: { mpnId: '5001' },
      location: { mpnId: '1001' },
      customer: { id: customerId(P1, 0) },
      product: { id: OFFERS.m365bb },
      events: { edges: [{ node: { type: 'PURCHASE', quantityAfter: 2 } }] },
    });
    expect(s.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await row(s.id)).toMatchObject({ status: 'Active', quantity: 2, mpn_id: '1001', offer_id: OFFERS.m365bb, billing_type: 'License', unit_price: '4.000000' });
    const [event] = await events(s.id);
    expect(event).toMatchObject({ event_date: TODAY, event_type: 'Purchase', quantity_before: 0, quantity_after: 2 });
    expect(event.event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await charges(s.id)).toEqual([[TODAY, TODAY, '2024-06-09', 'Cycle fee', '4.00', 2, '8.00']]);
    const [line] = await env.warehouse.all<any>(`SELECT source_event_id, customer_id, currency FROM expected_charges WHERE subscription_id = $1`, [s.id]);
    expect(line).toEqual({ source_event_id: event.event_id, customer_id: customerId(P1, 0), currency: 'USD' });
  });

  it('buys an annual subscription: 12 months charged up front', async () => {
    const r = await asAdmin(CREATE, {
      input: { customerId: customerId(P1, 0), offerId: OFFERS.m365bb, quantity: 1, billingFrequency: 'ANNUAL', autoRenew: false, resellerMpnId: '5003' },
    });
    expect(r.body.errors).toBeUndefined();
    const s = r.body.data.createSubscription;
    expect(s).toMatchObject({ billingFrequency: 'ANNUAL', autoRenew: false, reseller: { mpnId: '5003' } });
    expect(await charges(s.id)).toEqual([[TODAY, TODAY, '2025-05-09', 'Prorate fees when purchase', '48.00', 1, '48.00']]);
  });

  it('starts a 30-day free trial of 25 licenses, free, once per customer and offer', async () => {
    const input = { customerId: customerId(P1, 0), offerId: OFFERS.m365bpTrial, quantity: 25, billingFrequency: 'MONTHLY' };
    const r = await asAdmin(CREATE, { input });
    expect(r.body.errors).toBeUndefined();
    const s = r.body.data.createSubscription;
    expect(s).toMatchObject({
      isTrial: true, quantity: 25, autoRenew: false, trialStartDate: TODAY, trialEndDate: '2024-06-09', termStartDate: null, unitPrice: { amount: '0.000000' },
    });
    expect(await charges(s.id)).toEqual([]);
    const again = errorOf(await asAdmin(CREATE, { input }));
    expect(again.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.offerId', subscriptionIds: [s.id] });
    // the customer already owns Office 365 E3: no trial of it
    const owned = errorOf(await asAdmin(CREATE, { input: { ...input, offerId: OFFERS.o365e3Trial } }));
    expect(owned).toMatchObject({ message: expect.stringContaining('owns Office 365 E3'), extensions: { code: 'BAD_USER_INPUT', argument: 'input.offerId' } });
    const seats = errorOf(await asAdmin(CREATE, { input: { ...input, customerId: customerId(P1, 3), quantity: 10 } }));
    expect(seats.extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.quantity', trialLicenses: 25 });
  });

  it.each([
    ['quantity < 1', { quantity: 0 }, 'BAD_USER_INPUT', { argument: 'input.quantity' }],
    ['an unknown customer', { customerId: 'nope' }, 'NOT_FOUND', { typename: 'Customer', id: 'nope' }],
    ['another partner’s customer', { customerId: customerId(P2, 0) }, 'NOT_FOUND', { typename: 'Customer' }],
    ['an unknown offer', { offerId: 'nope' }, 'NOT_FOUND', { typename: 'Product', id: 'nope' }],
    ['a billing frequency the offer does not have', { billingFrequency: 'NONE' }, 'BAD_USER_INPUT', { argument: 'input.billingFrequency', allowed: ['Monthly', 'Annual'] }],
    ['an unknown reseller', { resellerMpnId: '9999' }, 'BAD_USER_INPUT', { argument: 'input.resellerMpnId' }],
    ['isTrial on a paid offer', { isTrial: true }, 'BAD_USER_INPUT', { argument: 'input.isTrial' }],
  ])('refuses %s', async (_name, change, code, extensions) => {
    const before = Number((await env.warehouse.all<any>(`SELECT count(*) AS n FROM subscriptions`))[0].n);
    const input = { customerId: customerId(P1, 3), offerId: OFFERS.m365bb, quantity: 1, billingFrequency: 'MONTHLY', ...change };
    const error = errorOf(await asAdmin(CREATE, { input }));
    expect(error.extensions).toMatchObject({ code, ...extensions });
    expect(Number((await env.warehouse.all<any>(`SELECT count(*) AS n FROM subscriptions`))[0].n)).toBe(before);
  });
});

describe('changeSubscriptionQuantity', () => {
  const CHANGE = `mutation($id: ID!, $q: Int!) { changeSubscriptionQuantity(id: $id, quantity: $q) { id quantity status } }`;

  it('changes the licenses: event, credit of the period and rebill split at the change (billed on the next anniversary)', async () => {
    const r = await asAdmin(CHANGE, { id: 'sub-monthly', q: 5 });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.changeSubscriptionQuantity).toEqual({ id: 'sub-monthly', quantity: 5, status: 'ACTIVE' });
    expect((await row('sub-monthly')).quantity).toBe(5);
    expect((await events('sub-monthly')).at(-1)).toMatchObject({
      event_date: TODAY, event_type: 'QuantityChange', quantity_before: 2, quantity_after: 5, detail: 'Added licenses',
    });
    // purchased 2024-04-15 (billing day 15): 2 × 4.00; the change on 5/10 is billed on the 5/15 anniversary
    expect(await charges('sub-monthly')).toEqual([
      ['2024-04-15', '2024-04-15', '2024-05-14', 'Cycle fee', '4.00', 2, '8.00'],
      ['2024-05-15', '2024-04-15', '2024-05-14', 'Cycle instance prorate', '-4.00', 2, '-8.00'],
      ['2024-05-15', '2024-04-15', '2024-05-09', 'Cycle instance prorate', '3.33', 2, '6.67'],
      ['2024-05-15', '2024-05-10', '2024-05-14', 'Cycle instance prorate', '0.67', 5, '3.33'],
      ['2024-05-15', '2024-05-15', '2024-06-14', 'Cycle instance prorate', '4.00', 5, '20.00'],
    ]);
  });

  it('changes nothing when the quantity is the same', async () => {
    const before = (await events('sub-monthly')).length;
    const r = await asAdmin(CHANGE, { id: 'sub-monthly', q: 5 });
    expect(r.body.data.changeSubscriptionQuantity.quantity).toBe(5);
    expect((await events('sub-monthly')).length).toBe(before);
  });

  it('refuses quantity < 1, a suspended subscription, a trial and an unknown id', async () => {
    expect(errorOf(await asAdmin(CHANGE, { id: 'sub-monthly', q: 0 })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'quantity' });
    expect(errorOf(await asAdmin(CHANGE, { id: 'sub-suspended', q: 6 })).extensions).toMatchObject({
      code: 'INVALID_STATE', action: 'change the quantity of', currentState: 'Suspended', allowedStates: ['Active'],
    });
    const [trial] = await env.warehouse.all<any>(`SELECT subscription_id AS id FROM subscriptions WHERE is_trial`);
    expect(errorOf(await asAdmin(CHANGE, { id: trial.id, q: 30 }))).toMatchObject({ message: expect.stringContaining('free trial'), extensions: { code: 'BAD_USER_INPUT' } });
    expect(errorOf(await asAdmin(CHANGE, { id: 'nope', q: 3 })).extensions).toMatchObject({ code: 'NOT_FOUND', typename: 'CustomerSubscription', id: 'nope' });
    expect((await row('sub-suspended')).quantity).toBe(5);
  });
});

describe('suspendSubscription', () => {
  const SUSPEND = `mutation($id: ID!) { suspendSubscription(id: $id) { id status suspendedDate suspensionExpiryDate } }`;

  it('suspends an active subscription and credits the rest of the annual period (month 3 of the term)', async () => {
    const r = await asAdmin(SUSPEND, { id: 'sub-annual' });
    expect(r.body.errors).toBeUndefined();
    // 90 days: created on its billing day, so no days to the first billing date are added
    expect(r.body.data.suspendSubscription).toEqual({ id: 'sub-annual', status: 'SUSPENDED', suspendedDate: TODAY, suspensionExpiryDate: '2024-08-08' });
    expect(await row('sub-annual')).toMatchObject({ status: 'Suspended', suspended_date: TODAY });
    expect((await events('sub-annual')).at(-1)).toMatchObject({ event_date: TODAY, event_type: 'Suspend' });
    // 10 × 23.00 × 12 = 2760.00 for 2024-02-20..2025-02-19 (366 days); 286 days credited from 5/10
    expect(await charges('sub-annual')).toEqual([
      ['2024-02-20', '2024-02-20', '2025-02-19', 'Prorate fees when purchase', '276.00', 10, '2760.00'],
      ['2024-05-20', TODAY, '2025-02-19', 'Cancel fee', '-215.67', 10, '-2156.72'],
    ]);
  });

  it('answers INVALID_STATE naming the current and allowed states for a suspended subscription', async () => {
    const error = errorOf(await asAdmin(SUSPEND, { id: 'sub-annual' }));
    expect(error.message).toBe('cannot suspend subscription in state "Suspended"; allowed from: "Active"');
    expect(error.extensions).toMatchObject({ code: 'INVALID_STATE', action: 'suspend', currentState: 'Suspended', allowedStates: ['Active'] });
  });

  it('refuses a one-time purchase', async () => {
    expect(errorOf(await asAdmin(SUSPEND, { id: 'sub-ri' })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id' });
    expect((await row('sub-ri')).status).toBe('Active');
  });
});

describe('reactivateSubscription', () => {
  const REACTIVATE = `mutation($id: ID!) { reactivateSubscription(id: $id) { id status suspendedDate } }`;

  it('reactivates within the suspension window and charges from today to the period end', async () => {
    const r = await asAdmin(REACTIVATE, { id: 'sub-suspended' });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.reactivateSubscription).toEqual({ id: 'sub-suspended', status: 'ACTIVE', suspendedDate: null });
    expect((await events('sub-suspended')).map((e) => e.event_type)).toEqual(['Purchase', 'Suspend', 'Reactivate']);
    // monthly 5 × 4.00 from 2024-01-10 (billing day 10); suspended 4/1 in month 3: 9 of 31 days credited
    expect(await charges('sub-suspended')).toEqual([
      ['2024-01-10', '2024-01-10', '2024-02-09', 'Cycle fee', '4.00', 5, '20.00'],
      ['2024-02-10', '2024-02-10', '2024-03-09', 'Cycle fee', '4.00', 5, '20.00'],
      ['2024-03-10', '2024-03-10', '2024-04-09', 'Cycle fee', '4.00', 5, '20.00'],
      ['2024-04-10', '2024-04-01', '2024-04-09', 'Cancel fee', '-1.16', 5, '-5.81'],
      [TODAY, TODAY, '2024-06-09', 'Prorate fees when purchase', '4.00', 5, '20.00'],
    ]);
  });

  it('refuses after the suspension expired (90 days): the data is deleted', async () => {
    const error = errorOf(await asAdmin(REACTIVATE, { id: 'sub-expired' }));
    expect(error.message).toContain('suspended on 2023-12-01 and could be reactivated through 2024-02-29');
    expect(error.extensions).toMatchObject({
      code: 'INVALID_STATE', action: 'reactivate', currentState: 'Disabled', allowedStates: ['Suspended'],
      suspendedDate: '2023-12-01', suspensionExpiryDate: '2024-02-29', today: TODAY,
    });
    expect((await row('sub-expired')).status).toBe('Suspended');
    expect(await events('sub-expired')).toHaveLength(2);
  });

  it('refuses an active subscription', async () => {
    expect(errorOf(await asAdmin(REACTIVATE, { id: 'sub-monthly' })).extensions).toMatchObject({
      code: 'INVALID_STATE', action: 'reactivate', currentState: 'Active', allowedStates: ['Suspended'],
    });
  });
});

describe('cancelSubscription', () => {
  const CANCEL = `mutation($id: ID!) { cancelSubscription(id: $id) { id status canceledDate autoRenew } }`;

  it('cancels an ISV SaaS subscription within 24 hours of the order (monthly): full credit', async () => {
    const r = await asAdmin(CANCEL, { id: 'sub-saas-today' });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.cancelSubscription).toEqual({ id: 'sub-saas-today', status: 'DEPROVISIONED', canceledDate: TODAY, autoRenew: false });
    expect((await events('sub-saas-today')).at(-1)).toMatchObject({
      event_type: 'Cancel', quantity_before: 4, quantity_after: 0, detail: 'Cancelled within the 24 hours cancellation window: full credit',
    });
    expect(await charges('sub-saas-today')).toEqual([
      [TODAY, TODAY, '2024-06-09', 'New', '3.00', 4, '12.00'],
      [TODAY, TODAY, '2024-06-09', 'Cancel', '3.00', 4, '-12.00'],
    ]);
  });

  it('cancels an annual ISV SaaS subscription within 14 days: full credit on the next invoice', async () => {
    const r = await asAdmin(CANCEL, { id: 'sub-saas-year' });
    expect(r.body.errors).toBeUndefined();
    expect(await charges('sub-saas-year')).toEqual([
      ['2024-05-01', '2024-05-01', '2025-04-30', 'New', '36.00', 2, '72.00'],
      ['2024-06-01', '2024-05-01', '2025-04-30', 'Cancel', '36.00', 2, '-72.00'],
    ]);
  });

  it('refuses an ISV SaaS subscription past its window, naming the window and the dates', async () => {
    const error = errorOf(await asAdmin(CANCEL, { id: 'sub-saas-old' }));
    expect(error.message).toContain('within 24 hours of its order (ordered 2024-05-01, last day 2024-05-01); today is 2024-05-10');
    expect(error.message).toContain('setSubscriptionAutoRenew');
    expect(error.extensions).toMatchObject({
      code: 'INVALID_STATE', action: 'cancel', currentState: 'Active', allowedStates: ['Active', 'Suspended'],
      cancellationWindow: { length: '24 hours', orderDate: '2024-05-01', lastDay: '2024-05-01' }, today: TODAY,
    });
    expect((await row('sub-saas-old')).status).toBe('Active');
    expect(await events('sub-saas-old')).toHaveLength(1);
  });

  it('cancels a license subscription in month 1 with a 100% credit', async () => {
    const [created] = await env.warehouse.all<any>(
      `SELECT subscription_id AS id FROM subscriptions WHERE billing_frequency = 'Monthly' AND created_date = DATE '${TODAY}' AND offer_id = '${OFFERS.m365bb}'`,
    );
    const r = await asAdmin(CANCEL, { id: created.id });
    expect(r.body.errors).toBeUndefined();
    expect(await charges(created.id)).toEqual([
      [TODAY, TODAY, '2024-06-09', 'Cycle fee', '4.00', 2, '8.00'],
      [TODAY, TODAY, '2024-06-09', 'Prorate fees when cancel', '-4.00', 2, '-8.00'],
    ]);
  });

  it('de-provisions a usage-based subscription without refund and refuses a reservation', async () => {
    const r = await asAdmin(CANCEL, { id: 'sub-azure' });
    expect(r.body.data.cancelSubscription.status).toBe('DEPROVISIONED');
    expect((await events('sub-azure')).at(-1)).toMatchObject({ event_type: 'Cancel', detail: 'De-provisioned (usage-based: no refund)' });
    expect(await charges('sub-azure')).toEqual([]);
    expect(errorOf(await asAdmin(CANCEL, { id: 'sub-ri' })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'id', billingType: 'OneTime' });
  });

  it('refuses a cancelled subscription', async () => {
    expect(errorOf(await asAdmin(CANCEL, { id: 'sub-canceled' })).extensions).toMatchObject({
      code: 'INVALID_STATE', action: 'cancel', currentState: 'Deprovisioned', allowedStates: ['Active', 'Suspended'],
    });
  });
});

describe('setSubscriptionAutoRenew and setSubscriptionResellerMpnId', () => {
  it('turns auto-renew off once (the same value again writes nothing)', async () => {
    const q = `mutation { setSubscriptionAutoRenew(id: "gen-2-a", autoRenew: false) { autoRenew } }`;
    expect((await asAdmin(q)).body.data.setSubscriptionAutoRenew).toEqual({ autoRenew: false });
    expect((await asAdmin(q)).body.data.setSubscriptionAutoRenew).toEqual({ autoRenew: false });
    expect((await row('gen-2-a')).auto_renew).toBe(false);
    expect((await events('gen-2-a')).map((e) => [e.event_type, e.detail])).toEqual([['AutoRenewChange', 'Auto-renew turned off']]);
    const [trial] = await env.warehouse.all<any>(`SELECT subscription_id AS id FROM subscriptions WHERE is_trial`);
    const never = errorOf(await asAdmin(`mutation($id: ID!) { setSubscriptionAutoRenew(id: $id, autoRenew: true) { autoRenew } }`, { id: trial.id }));
    expect(never).toMatchObject({ message: expect.stringContaining('trials never renew'), extensions: { code: 'BAD_USER_INPUT', argument: 'id' } });
    expect(errorOf(await asAdmin(`mutation { setSubscriptionAutoRenew(id: "sub-annual", autoRenew: false) { autoRenew } }`)).extensions).toMatchObject({
      code: 'INVALID_STATE', action: 'change auto-renew of', currentState: 'Suspended', allowedStates: ['Active'],
    });
  });

  it('sets the reseller of record, removes it as -1, and refuses a reseller the partner does not have', async () => {
    const set = `mutation($r: String) { setSubscriptionResellerMpnId(id: "gen-2-a", resellerMpnId: $r) { reseller { mpnId name } } }`;
    const r = await asAdmin(set, { r: '5003' });
    expect(r.body.errors).toBeUndefined();
    expect(r.body.data.setSubscriptionResellerMpnId).toEqual({ reseller: { mpnId: '5003', name: 'Gamma Reseller' } });
    const removed = await asAdmin(set, { r: null });
    expect(removed.body.data.setSubscriptionResellerMpnId).toEqual({ reseller: null });
    expect((await row('gen-2-a')).reseller_mpn_id).toBe('-1');
    expect((await events('gen-2-a')).filter((e) => e.event_type === 'ResellerChange').map((e) => e.detail)).toEqual([
      'Reseller MPN ID changed from none to 5003',
      'Reseller MPN ID 5003 removed (-1)',
    ]);
    expect(errorOf(await asAdmin(set, { r: '9999' })).extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'resellerMpnId' });
    expect((await row('gen-2-a')).reseller_mpn_id).toBe('-1');
  });
});

describe('roles', () => {
  const MUTATIONS = [
    `createSubscription(input: { customerId: "${customerId(P1, 0)}", offerId: "${OFFERS.m365bb}", quantity: 1, billingFrequency: MONTHLY }) { id }`,
    `changeSubscriptionQuantity(id: "gen-5-a", quantity: 99) { id }`,
    `suspendSubscription(id: "gen-5-a") { id }`,
    `reactivateSubscription(id: "gen-13-a") { id }`,
    `cancelSubscription(id: "gen-5-a") { id }`,
    `setSubscriptionAutoRenew(id: "gen-5-a", autoRenew: false) { id }`,
    `setSubscriptionResellerMpnId(id: "gen-5-a", resellerMpnId: "5003") { id }`,
  ];

  it.each(MUTATIONS)('denies a Report viewer: %s', async (mutation) => {
    const before = await events('gen-5-a');
    const r = await gqlAs(['Report viewer', 'Executive report viewer'], `mutation { ${mutation} }`);
    const error = errorOf(r);
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', permission: 'manageSubscriptions', requiredRoles: [...PERMISSIONS.manageSubscriptions.roles] });
    expect(error.message).toMatch(/^Mutation\.\w+ needs one of these roles: Global admin, Admin agent, Sales agent, Helpdesk agent, Billing admin$/);
    expect(await events('gen-5-a')).toEqual(before);
    expect(await row('gen-5-a')).toMatchObject({ status: 'Active', quantity: 15 });
  });

  it('lets a Helpdesk agent and a Billing admin manage subscriptions (the documented appropriate roles)', async () => {
    expect((await gqlAs(['Helpdesk agent'], `mutation { suspendSubscription(id: "gen-5-a") { status } }`)).body.data.suspendSubscription).toEqual({ status: 'SUSPENDED' });
    expect((await gqlAs(['Billing admin'], `mutation { reactivateSubscription(id: "gen-5-a") { status } }`)).body.data.reactivateSubscription).toEqual({ status: 'ACTIVE' });
  });
});

describe('location scope and tenant isolation', () => {
  it('lets a location-scoped Sales agent act on their locations only', async () => {
    const opts = { locations: ['1002'] };
    const ok = await gqlAs(['Sales agent'], `mutation { changeSubscriptionQuantity(id: "sub-in", quantity: 4) { quantity location { mpnId } } }`, undefined, opts);
    expect(ok.body.errors).toBeUndefined();
    expect(ok.body.data.changeSubscriptionQuantity).toEqual({ quantity: 4, location: { mpnId: '1002' } });

    const before = { row: await row('sub-monthly'), events: await events('sub-monthly') };
    const other = await gqlAs(['Sales agent'], `mutation { suspendSubscription(id: "sub-monthly") { id } }`, undefined, opts);
    expect(errorOf(other).extensions).toMatchObject({ code: 'NOT_FOUND', id: 'sub-monthly' });
    expect(await row('sub-monthly')).toEqual(before.row);
    expect(await events('sub-monthly')).toEqual(before.events);

    const create = `mutation($c: ID!) { createSubscription(input: { customerId: $c, offerId: "${OFFERS.pbi}", quantity: 1, billingFrequency: MONTHLY }) { location { mpnId } } }`;
    expect(errorOf(await gqlAs(['Sales agent'], create, { c: customerId(P1, 0) }, opts)).extensions).toMatchObject({ code: 'NOT_FOUND', typename: 'Customer' });
    expect((await gqlAs(['Sales agent'], create, { c: customerId(P1, 1) }, opts)).body.data.createSubscription).toEqual({ location: { mpnId: '1002' } });
  });

  it('answers NOT_FOUND for another partner’s subscription and never changes it', async () => {
    const before = { row: await row('sub-p2', P2), events: await events('sub-p2', P2), charges: await charges('sub-p2', P2) };
    for (const mutation of [
      `suspendSubscription(id: "sub-p2") { id }`,
      `changeSubscriptionQuantity(id: "sub-p2", quantity: 1) { id }`,
      `cancelSubscription(id: "sub-p2") { id }`,
      `setSubscriptionAutoRenew(id: "sub-p2", autoRenew: false) { id }`,
      `setSubscriptionResellerMpnId(id: "sub-p2", resellerMpnId: null) { id }`,
    ]) {
      const r = await gqlAs(['Global admin'], `mutation { ${mutation} }`);
      expect(r.body.data).toEqual({ [mutation.split('(')[0]]: null });
      expect(errorOf(r).extensions).toMatchObject({ code: 'NOT_FOUND', typename: 'CustomerSubscription', id: 'sub-p2' });
    }
    expect(await row('sub-p2', P2)).toEqual(before.row);
    expect(await events('sub-p2', P2)).toEqual(before.events);
    expect(await charges('sub-p2', P2)).toEqual(before.charges);

    // and P2 cannot touch P1's
    const r = await gqlAs(['Global admin'], `mutation { suspendSubscription(id: "sub-monthly") { id } }`, undefined, { partner: P2 });
    expect(errorOf(r).extensions).toMatchObject({ code: 'NOT_FOUND' });
    expect((await row('sub-monthly')).status).toBe('Active');
  });
});
