import fc from 'fast-check';
import { PARTNER_ROLES, type PartnerRole } from '../../core/vocabulary';
import { callerView, visibleTo, type CallerView } from './ownership';
import { CONNECTIONS, type ConnectionName, type Endpoint, type FuzzCaller, type World } from './world';

/**
 * What the fuzz generates: a caller (partner × roles × locations) and one operation with ids drawn
 * from both partners. Queries take ids of anyone; mutations take only ids the caller must not
 * reach (the other partner's, or their own partner's outside their locations).
 */
export type Operation =
  | { kind: 'query'; template: string; endpoint: Endpoint; query: string; variables: Record<string, unknown>; counts?: CountedList }
  | { kind: 'entities'; template: string; endpoint: Endpoint; query: string; variables: { representations: Representation[] } }
  | { kind: 'mutation'; template: string; query: string; variables: Record<string, unknown>; field: string; refusals: readonly string[] }
  | { kind: 'export'; template: string; path: string }
  | { kind: 'download'; template: string; id: string };

/** A list whose totalCount may not exceed the rows of `kind` the caller may see (aggregates leak without ids). */
export interface CountedList {
  field: string;
  kind: string;
}

export interface Representation {
  __typename: string;
  [key: string]: string;
}

/** Entities a subgraph resolves from their key alone, scoping only the fields it adds: their key comes back as sent. */
export const KEY_ONLY_ENTITIES: Readonly<Record<string, readonly string[]>> = {
  subscriptions: ['Customer', 'Reseller'],
  referrals: ['Customer'],
};

export interface Generated {
  caller: FuzzCaller;
  operation: Operation;
}

/**
 * Roles that read everything (most weight: an operation refused FORBIDDEN tests little), the roles
 * that read parts, and any combination of documented roles.
 */
const READERS: PartnerRole[] = ['Admin agent', 'Sales agent', 'Billing admin', 'Report viewer', 'Referrals admin'];
const rolesArb = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom<PartnerRole[]>(['Global admin'], ['Executive report viewer'], ['Global admin', 'Executive report viewer']) },
  { weight: 3, arbitrary: fc.constantFrom(...READERS).map((r) => [r]) },
  { weight: 1, arbitrary: fc.subarray([...PARTNER_ROLES], { minLength: 1, maxLength: 3 }) },
);

/** Entire organization, some of the partner's locations, or (rarely) a token naming the other partner's too. */
function callerArb(world: World): fc.Arbitrary<FuzzCaller> {
  const [a, b] = world.partners;
  return fc.constantFrom(a, b).chain((partner) => {
    const other = partner === a ? b : a;
    const locations = fc.oneof(
      { weight: 2, arbitrary: fc.constant(null) },
      { weight: 3, arbitrary: fc.subarray(partner.locations, { minLength: 1, maxLength: 2 }) },
      { weight: 1, arbitrary: fc.tuple(fc.constantFrom(...partner.locations), fc.constantFrom(...other.locations)).map((l) => [...l]) },
    );
    return fc.record({ partnerId: fc.constant(partner.id), roles: rolesArb, locations });
  });
}

export function generatedArb(world: World): fc.Arbitrary<Generated> {
  const reads = readArbs(world);
  return callerArb(world).chain((caller) => {
    const view = callerView(world.ownership.partner(caller.partnerId), caller.locations);
    const operation = fc.oneof(
      { weight: 12, arbitrary: fc.oneof(...reads.queries) },
      { weight: 4, arbitrary: reads.cursor },
      { weight: 4, arbitrary: fc.oneof(...reads.entities) },
      { weight: 2, arbitrary: fc.oneof(reads.export, downloadArb(world, view)) },
      { weight: 4, arbitrary: fc.oneof(...mutationArbs(world, caller, view)) },
    );
    return operation.map((op) => ({ caller, operation: op }));
  });
}

/** Ids of one kind of both partners, and an id nobody has. */
function anyId(world: World, kind: string): fc.Arbitrary<string> {
  const ids = world.partners.flatMap((p) => world.ownership.valuesOf(p.id, kind));
  return fc.oneof({ weight: 9, arbitrary: fc.constantFrom(...ids) }, { weight: 1, arbitrary: fc.constant('00000000-0000-4000-8000-000000000000') });
}

/** Ids of one kind the caller must not reach. */
function foreignId(world: World, view: CallerView, kind: string): fc.Arbitrary<string> {
  const ids = world.partners.flatMap((p) => world.ownership.valuesOf(p.id, kind)).filter((id) => !visibleTo(world.ownership.owner(id)!, view));
  return fc.constantFrom(...ids);
}

const query = (template: string, text: string, variables: Record<string, unknown> = {}, counts?: CountedList): Operation => ({
  kind: 'query', template, endpoint: 'gateway', query: text, variables, counts,
});
/** Unfiltered, a list's totalCount is bounded by the caller's rows. */
const countedUnlessFiltered = (field: string, kind: string, variables: { filter?: unknown }) => (variables.filter ? undefined : { field, kind });

const SUBSCRIPTION_FIELDS = `id status location { mpnId } reseller { mpnId name } customer { id companyName location { mpnId } }
  product { id } events(first: 2) { edges { node { id } } }`;
const REFERRAL_FIELDS = `id customerName location { mpnId } customer { id companyName } dealRegistration { id referral { id } } contacts { email }`;
const CUSTOMER_FIELDS = `id companyName location { mpnId } reseller { mpnId name } attributions { mpnId subscriptionId }
  subscriptions(first: 3) { totalCount edges { node { id location { mpnId } } } }
  referrals(first: 3) { totalCount edges { node { id location { mpnId } } } }
  activityLog(first: 2) { edges { node { action customerName } } }`;
/** node(id:) answers any Node type: the fields that name locations, customers and referrals of each. */
const NODE_FIELDS = `__typename id ... on Partner { globalMpnId locations { mpnId } } ... on Customer { companyName location { mpnId } }
  ... on CustomerSubscription { status location { mpnId } customer { id } } ... on Referral { customerName location { mpnId } }
  ... on DealRegistration { referral { id } } ... on Invoice { invoiceNumber } ... on GeneratedReport { downloadUrl locationMpnIds }
  ... on ApiKey { locationMpnIds }`;
const NODE_KINDS = ['partner', 'customer', 'subscription', 'referral', 'deal registration', 'invoice', 'generated report', 'API key'];
const page = (fields: string) => `totalCount pageInfo { endCursor } edges { cursor node { ${fields} } }`;

function readArbs(world: World) {
  const ids = (kind: string) => anyId(world, kind);
  const small = fc.integer({ min: 1, max: 5 });
  const queries: fc.Arbitrary<Operation>[] = [
    ids('customer').map((id) => query('customer(id)', `query($id: ID!) { customer(id: $id) { ${CUSTOMER_FIELDS} } }`, { id })),
    fc.record({ first: small, filter: fc.option(fc.oneof(
      ids('location').map((mpnId) => ({ mpnId })),
      ids('reseller').map((resellerMpnId) => ({ resellerMpnId })),
      ids('customer').map((search) => ({ search })),
    ), { nil: undefined }) }).map((v) => query('customers(filter)',
      `query($first: Int, $filter: CustomerFilter) { customers(first: $first, filter: $filter) { ${page('id location { mpnId } subscriptions(first: 2) { edges { node { id } } }')} } }`, v,
      countedUnlessFiltered('customers', 'customer', v))),
    ids('subscription').map((id) => query('subscription(id)', `query($id: ID!) { subscription(id: $id) { ${SUBSCRIPTION_FIELDS} } }`, { id })),
    fc.record({ first: small, filter: fc.option(fc.oneof(
      ids('customer').map((customerId) => ({ customerId })),
      ids('reseller').map((resellerMpnId) => ({ resellerMpnId })),
      ids('subscription').map((search) => ({ search })),
    ), { nil: undefined }) }).map((v) => query('subscriptions(filter)',
      `query($first: Int, $filter: SubscriptionFilter) { subscriptions(first: $first, filter: $filter) { ${page('id customer { id } location { mpnId }')} } }`, v,
      countedUnlessFiltered('subscriptions', 'subscription', v))),
    ids('referral').map((id) => query('referral(id)', `query($id: ID!) { referral(id: $id) { ${REFERRAL_FIELDS} } }`, { id })),
    fc.record({ first: small, filter: fc.option(fc.oneof(
      ids('customer').map((customerId) => ({ customerId })),
      ids('location').map((mpnId) => ({ mpnId })),
      ids('referral').map((search) => ({ search })),
    ), { nil: undefined }) }).map((v) => query('referrals(filter)',
      `query($first: Int, $filter: ReferralFilter) { referrals(first: $first, filter: $filter) { ${page('id location { mpnId } customer { id }')} } }`, v,
      countedUnlessFiltered('referrals', 'referral', v))),
    ids('invoice').map((number) => query('invoice(number)',
      `query($number: ID!) { invoice(number: $number) { invoiceNumber invoiceDate byReseller { resellerMpnId } } }`, { number })),
    small.map((first) => query('invoices', `query($first: Int) { invoices(first: $first) { ${page('invoiceNumber')} } }`, { first }, { field: 'invoices', kind: 'invoice' })),
    fc.record({ invoiceNumber: ids('invoice'), subscriptionId: fc.option(ids('subscription'), { nil: undefined }) }).map((v) => query('reconciliation',
      `query($invoiceNumber: ID!, $subscriptionId: ID) { reconciliation(invoiceNumber: $invoiceNumber, subscriptionId: $subscriptionId) {
        invoiceNumber subscriptions { subscriptionId } } }`, v)),
    ids('reseller').map((mpnId) => query('reseller(mpnId)', `query($mpnId: String!) { reseller(mpnId: $mpnId) {
      mpnId name customers(first: 3) { edges { node { id } } } subscriptions(first: 3) { edges { node { id } } } } }`, { mpnId })),
    small.map((first) => query('resellers', `query($first: Int) { resellers(first: $first) { ${page('mpnId customers(first: 2) { edges { node { id } } }')} } }`, { first })),
    ids('location').map((mpnId) => query('location(mpnId)', `query($mpnId: String!) { location(mpnId: $mpnId) { mpnId name }
      locations { mpnId } partner { id globalMpnId locations { mpnId } users { id locationMpnIds } } }`, { mpnId })),
    ids('deal registration').map((id) => query('dealRegistration(id)', `query($id: ID!) { dealRegistration(id: $id) { id referral { id location { mpnId } } } }`, { id })),
    small.map((first) => query('dealRegistrations', `query($first: Int) { dealRegistrations(first: $first) { ${page('id referral { id }')} } }`, { first },
      { field: 'dealRegistrations', kind: 'deal registration' })),
    fc.record({
      name: fc.constantFrom('customers', 'subscriptions', 'activeResellers', 'licensesDeployed'),
      splitBy: fc.constantFrom('LOCATION', 'RESELLER', undefined),
      filters: fc.option(fc.subarray(world.partners.flatMap((p) => p.locations), { minLength: 1, maxLength: 2 }).map((l) => ({ locationMpnIds: l })), { nil: undefined }),
    }).map((v) => query('metric(splitBy, filters)', `query($name: String!, $splitBy: InsightsDimension, $filters: InsightsFilters) {
      metric(name: $name, splitBy: $splitBy, filters: $filters, range: { kind: LIFETIME }) { value groups { key value } } }`, v)),
    ids('generated report').map((id) => query('generatedReport(id)', `query($id: ID!) { generatedReport(id: $id) { id downloadUrl locationMpnIds }
      generatedReports(first: 5) { edges { node { id downloadUrl } } } }`, { id })),
    fc.constant(query('apiKeys', `{ apiKeys(first: 5, includeInactive: true) { edges { node { id locationMpnIds } } } }`)),
    fc.constantFrom(...NODE_KINDS).chain(ids).map((id) => query('node(id)', `query($id: ID!) { node(id: $id) { ${NODE_FIELDS} } }`, { id })),
    fc.array(fc.constantFrom(...NODE_KINDS).chain(ids), { minLength: 1, maxLength: 4 }).map((list) =>
      query('nodes(ids)', `query($ids: [ID!]!) { nodes(ids: $ids) { ${NODE_FIELDS} } }`, { ids: list })),
  ];
  return { queries, cursor: cursorArb(world), entities: entityArbs(world), export: exportArb(world) };
}

/** A page of a connection after (or before) a cursor another caller got: another partner's, location's, or their own. */
function cursorArb(world: World): fc.Arbitrary<Operation> {
  const names = (Object.keys(CONNECTIONS) as ConnectionName[]).filter((n) => world.cursors[n].length);
  return fc.constantFrom(...names).chain((name) =>
    fc.record({ cursor: fc.constantFrom(...world.cursors[name]), backwards: fc.boolean(), size: fc.integer({ min: 1, max: 3 }) }).map(({ cursor, backwards, size }) =>
      query(`${name}(${backwards ? 'before' : 'after'}: cursor)`,
        `query($cursor: String, $size: Int) { ${name}(${backwards ? 'last: $size, before: $cursor' : 'first: $size, after: $cursor'}) {
          edges { cursor node { ${CONNECTIONS[name]} } } } }`, { cursor, size })),
  );
}

/** `_entities` on each subgraph served alone, with representations of both partners. */
function entityArbs(world: World): fc.Arbitrary<Operation>[] {
  const rep = (typename: string, key: string, kind: string) => anyId(world, kind).map((value): Representation => ({ __typename: typename, [key]: value }));
  const entities = (endpoint: Endpoint, reps: fc.Arbitrary<Representation>[], fragments: string): fc.Arbitrary<Operation> =>
    fc.array(fc.oneof(...reps), { minLength: 1, maxLength: 4 }).map((representations) => ({
      kind: 'entities', template: `${endpoint} _entities`, endpoint,
      query: `query($representations: [_Any!]!) { _entities(representations: $representations) { __typename ${fragments} } }`,
      variables: { representations },
    }));
  return [
    entities('accounts', [rep('Customer', 'id', 'customer'), rep('Reseller', 'mpnId', 'reseller'), rep('Location', 'mpnId', 'location'),
      rep('Partner', 'id', 'partner'), rep('ApiKey', 'id', 'API key')],
      `... on Customer { id companyName location { mpnId } attributions { mpnId subscriptionId } } ... on Reseller { mpnId name } ... on Location { mpnId name }
       ... on Partner { id globalMpnId locations { mpnId } } ... on ApiKey { id locationMpnIds }`),
    entities('subscriptions', [rep('CustomerSubscription', 'id', 'subscription'), rep('Customer', 'id', 'customer'), rep('Reseller', 'mpnId', 'reseller')],
      `... on CustomerSubscription { id status customer { id } location { mpnId } events(first: 2) { edges { node { id } } } }
       ... on Customer { id subscriptions(first: 3) { totalCount edges { node { id } } } }
       ... on Reseller { mpnId subscriptions(first: 3) { totalCount edges { node { id } } } }`),
    entities('referrals', [rep('Referral', 'id', 'referral'), rep('Customer', 'id', 'customer'), rep('DealRegistration', 'id', 'deal registration')],
      `... on Referral { id location { mpnId } customer { id } dealRegistration { id } } ... on DealRegistration { id referral { id location { mpnId } } }
       ... on Customer { id referrals(first: 3) { totalCount edges { node { id } } } }`),
  ];
}

const EXPORTS = ['partner-profile', 'customer-details', 'subscription-details', 'referrals', 'trainings', 'azure-usage'];

/** /exports/<dataset>.tsv, sometimes filtered by locations of either partner. */
function exportArb(world: World): fc.Arbitrary<Operation> {
  const locations = world.partners.flatMap((p) => p.locations);
  return fc.record({ dataset: fc.constantFrom(...EXPORTS), filter: fc.option(fc.subarray(locations, { minLength: 1, maxLength: 2 }), { nil: undefined }) })
    .map(({ dataset, filter }) => {
      const params = new URLSearchParams(dataset === 'partner-profile' ? {} : { range: 'lifetime' });
      if (filter) params.set('locationMpnIds', filter.join(','));
      const qs = params.toString();
      return { kind: 'export', template: `export ${dataset}`, path: `/exports/${dataset}.tsv${qs ? `?${qs}` : ''}` };
    });
}

/**
 * /downloads/<id> of any report, or of one the caller can see: a report is seen only by callers
 * holding all its locations, so drawn from all alike about 1 in 10 downloads returned the caller's
 * own rows, and a run of 1000 operations (~36 downloads) had none about once in 50. Roles still
 * refuse about half of the visible ones.
 */
function downloadArb(world: World, view: CallerView): fc.Arbitrary<Operation> {
  const visible = world.partners.flatMap((p) => world.ownership.valuesOf(p.id, 'generated report'))
    .filter((id) => visibleTo(world.ownership.owner(id)!, view));
  const any = anyId(world, 'generated report');
  const id = visible.length ? fc.oneof({ weight: 1, arbitrary: any }, { weight: 3, arbitrary: fc.constantFrom(...visible) }) : any;
  return id.map((reportId) => ({ kind: 'download', template: 'download', id: reportId }));
}

const mutation = (field: string, args: string, selection: string, variables: Record<string, unknown>, refusals = ['NOT_FOUND', 'FORBIDDEN']): Operation => ({
  kind: 'mutation', template: field, field, variables, refusals,
  query: `mutation(${args}) { ${field}(${args.split(',').map((a) => a.trim().split(':')[0].slice(1)).map((n) => `${n}: $${n}`).join(', ')}) { ${selection} } }`,
});

const VALUE = { amount: '1000', currency: 'USD' };
const CONTACT = { email: 'fuzz@example.com', firstName: 'Fuzz', lastName: 'Tester' };

/** Every mutation of the schema that takes an id, with an id the caller must not reach and otherwise valid input. */
function mutationArbs(world: World, caller: FuzzCaller, view: CallerView): fc.Arbitrary<Operation>[] {
  const sub = foreignId(world, view, 'subscription');
  const ref = foreignId(world, view, 'referral');
  const SUB = 'id status quantity autoRenew';
  const REF = 'id status';
  const offers = world.offers[caller.partnerId];
  return [
    fc.tuple(fc.constantFrom('suspendSubscription', 'reactivateSubscription', 'cancelSubscription'), sub).map(([f, id]) => mutation(f, '$id: ID!', SUB, { id })),
    fc.tuple(sub, fc.integer({ min: 1, max: 50 })).map(([id, quantity]) => mutation('changeSubscriptionQuantity', '$id: ID!, $quantity: Int!', SUB, { id, quantity })),
    fc.tuple(sub, fc.boolean()).map(([id, autoRenew]) => mutation('setSubscriptionAutoRenew', '$id: ID!, $autoRenew: Boolean!', SUB, { id, autoRenew })),
    fc.tuple(sub, fc.option(anyId(world, 'reseller'), { nil: null })).map(([id, resellerMpnId]) =>
      mutation('setSubscriptionResellerMpnId', '$id: ID!, $resellerMpnId: String', SUB, { id, resellerMpnId })),
    fc.tuple(foreignId(world, view, 'customer'), fc.constantFrom(...offers)).map(([customerId, offerId]) =>
      mutation('createSubscription', '$input: CreateSubscriptionInput!', SUB, { input: { customerId, offerId, quantity: 1, billingFrequency: 'MONTHLY' } })),
    ref.map((id) => mutation('acceptReferral', '$id: ID!, $input: AcceptReferralInput!', REF,
      { id, input: { engagementName: 'Fuzz', estimatedDealValue: VALUE, purchaseTimeFrame: 'Within 3 months' } })),
    ref.map((id) => mutation('declineReferral', '$id: ID!, $input: DeclineReferralInput!', REF, { id, input: { reason: 'Not a fit' } })),
    ref.map((id) => mutation('editReferral', '$id: ID!, $input: EditReferralInput!', REF, { id, input: { notes: 'fuzz' } })),
    fc.tuple(fc.constantFrom('markReferralWon', 'markReferralLost'), ref).map(([f, id]) => mutation(f, '$id: ID!', REF, { id })),
    ref.map((id) => mutation('addReferralContact', '$id: ID!, $input: ReferralContactInput!', REF, { id, input: CONTACT })),
    ref.map((referralId) => mutation('registerDeal', '$input: RegisterDealInput!', 'id', { input: {
      referralId, companyName: 'Fuzz Ltd', city: 'Seattle', stateProvince: 'WA', country: 'US', solution: 'Fuzz', contractType: 'NEW',
      deployedOn: 'AZURE', deploymentTenant: 'CUSTOMER_TENANT', contractStartDate: '2025-01-01', contractSignedDate: '2025-01-01',
      totalContractValue: VALUE, solutionValue: VALUE, contact: { ...CONTACT, phone: '+1 555 0100' },
    } })),
    foreignId(world, view, 'API key').map((id) => mutation('revokeApiKey', '$id: ID!', 'id status', { id })),
    // A key limited to locations the caller does not hold is bad input (the message lists the caller's own).
    foreignId(world, view, 'location').map((l) => mutation('createApiKey', '$input: CreateApiKeyInput!', 'apiKey { id }',
      { input: { name: 'fuzz', role: 'Report viewer', expiresInDays: 30, locationMpnIds: [l] } }, ['BAD_USER_INPUT', 'FORBIDDEN'])),
  ];
}
