import { PARTNER_ROLES, type PartnerRole } from '../../core/vocabulary';
import { gql } from '../gateway/harness';
import { startE2eEnv, type E2eEnv } from './env';

/**
 * Every documented role against the operations that differ between roles, over HTTP on the demo
 * data. The expected table is written here from the Partner Center role descriptions (reference
 * line 7579 "Assign users roles and permissions", 14458 "Create, suspend, or cancel customer
 * subscriptions", 8103 referrals, 16216 Insights roles), not read from schema/common/permissions.ts,
 * so that a change to the permissions that contradicts the documentation fails here.
 */
type Operation = 'customers' | 'subscriptions' | 'revenue' | 'referrals' | 'manageSubscriptions' | 'manageReferrals';

const ALLOWED: Record<PartnerRole, Operation[]> = {
  // "Can access all Microsoft account/services with full privileges"
  'Global admin': ['customers', 'subscriptions', 'revenue', 'referrals', 'manageSubscriptions', 'manageReferrals'],
  // Customer management, subscription management, billing
  'Admin agent': ['customers', 'subscriptions', 'revenue', 'manageSubscriptions'],
  // Customer management, subscription management, customer leads; no billing (no revenue)
  'Sales agent': ['customers', 'subscriptions', 'referrals', 'manageSubscriptions'],
  // Search for and view a customer, manage subscriptions and billing issues on behalf of customers
  'Helpdesk agent': ['customers', 'subscriptions', 'manageSubscriptions'],
  // Billing, invoices and recon files; listed on the create/suspend/cancel subscriptions page
  'Billing admin': ['customers', 'subscriptions', 'revenue', 'manageSubscriptions'],
  // Receive and manage referrals
  'Referrals admin': ['referrals', 'manageReferrals'],
  // Access to all reporting datasets
  'Executive report viewer': ['customers', 'subscriptions', 'revenue', 'referrals'],
  // Reports with the exception of revenue and customer and employee personal data
  'Report viewer': ['customers', 'subscriptions', 'referrals'],
  // View customer data analytics
  'MPN partner admin': ['customers', 'subscriptions'],
  'User admin': [],
  'Account admin': [],
  'Business profile admin': [],
  'Incentives admin': [],
  'Incentives user': [],
};

let env: E2eEnv;
let partnerId: string;
let subscriptionId: string;

beforeAll(async () => {
  env = await startE2eEnv({ customers: 40 });
  partnerId = env.partners[0].id;
  const [row] = await env.sql<{ id: string }>(
    `SELECT subscription_id AS id FROM subscriptions WHERE partner_id = $1 AND billing_type = 'License' ORDER BY 1 LIMIT 1`,
    [partnerId],
  );
  subscriptionId = row.id;
});
afterAll(async () => env?.close());

/** True when the operation was carried out (or got past the permission check), false when FORBIDDEN. */
async function attempt(bearer: string, operation: Operation): Promise<boolean> {
  const url = env.gateway.graphqlUrl;
  const forbidden = (errors: { extensions?: { code?: string } }[] | undefined) =>
    (errors ?? []).some((e) => e.extensions?.code === 'FORBIDDEN');
  switch (operation) {
    case 'customers': {
      const r = await gql(url, bearer, '{ customers(first: 1) { totalCount } }');
      return !forbidden(r.body.errors) && r.body.data?.customers?.totalCount > 0;
    }
    case 'subscriptions': {
      const r = await gql(url, bearer, '{ subscriptions(first: 1) { totalCount } }');
      return !forbidden(r.body.errors) && r.body.data?.subscriptions?.totalCount > 0;
    }
    case 'revenue': {
      const r = await gql(url, bearer, 'query($id: ID!) { subscription(id: $id) { unitPrice { amount } } }', { id: subscriptionId });
      return !forbidden(r.body.errors) && r.body.data?.subscription?.unitPrice?.amount != null;
    }
    case 'referrals': {
      const r = await gql(url, bearer, '{ referrals(first: 1) { totalCount } }');
      return !forbidden(r.body.errors) && r.body.data?.referrals?.totalCount > 0;
    }
    // The mutations target an id that does not exist: a role allowed to act gets NOT_FOUND, one
    // that is not gets FORBIDDEN, and no data changes either way.
    case 'manageSubscriptions': {
      const r = await gql(url, bearer, 'mutation { suspendSubscription(id: "no-such-subscription") { status } }');
      return !forbidden(r.body.errors) && r.body.errors?.[0]?.extensions?.code === 'NOT_FOUND';
    }
    case 'manageReferrals': {
      const r = await gql(url, bearer, 'mutation { markReferralWon(id: "no-such-referral") { status } }');
      return !forbidden(r.body.errors) && r.body.errors?.[0]?.extensions?.code === 'NOT_FOUND';
    }
  }
}

describe('each documented role: allowed and denied operations', () => {
  const operations: Operation[] = ['customers', 'subscriptions', 'revenue', 'referrals', 'manageSubscriptions', 'manageReferrals'];

  it('covers every role of the documentation', () => {
    expect(Object.keys(ALLOWED).sort()).toEqual([...PARTNER_ROLES].sort());
  });

  it.each([...PARTNER_ROLES])('%s', async (role) => {
    const bearer = await env.token(partnerId, [role]);
    const outcome: Record<string, boolean> = {};
    for (const op of operations) outcome[op] = await attempt(bearer, op);
    const expected = Object.fromEntries(operations.map((op) => [op, ALLOWED[role].includes(op)]));
    expect(outcome).toEqual(expected);
  });
});
