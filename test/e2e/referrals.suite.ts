import { DEFAULT_AS_OF } from '../../etl/generate';
import {
  AcceptReferralDocument,
  CustomerReferralsDocument,
  DeclineReferralDocument,
  MarkReferralWonDocument,
  ReferralsPageDocument,
} from '../../generated/graphql';
import { count, startE2eEnv, type E2eEnv } from './env';

/**
 * The referrals example operations (operations/referrals.graphql) end to end over the composed
 * gateway, on the demo data loaded by the ETL. "Today" is the demo data's last day (PI_TODAY), so
 * the 14-day expiry rule gives the same answers on any day the tests run. Two New referrals are
 * added with SQL (copies of a loaded one) for the accept/decline/won workflow.
 */
let env: E2eEnv;
let partnerId: string;
let admin: string;
const savedToday = process.env.PI_TODAY;
const ACCEPT_ID = 'e2e-referral-accept';
const DECLINE_ID = 'e2e-referral-decline';

beforeAll(async () => {
  process.env.PI_TODAY = DEFAULT_AS_OF;
  env = await startE2eEnv({ customers: 40 });
  partnerId = env.partners[0].id;
  admin = await env.token(partnerId, ['Global admin']);
  for (const id of [ACCEPT_ID, DECLINE_ID]) {
    await env.warehouse.run(
      `INSERT INTO referrals SELECT * REPLACE (
         $2 AS referral_id, 'New' AS status, 'Incoming' AS direction, CAST($3 AS TIMESTAMP) - INTERVAL 1 DAY AS created_at,
         NULL AS accepted_at, NULL AS declined_at, NULL AS won_at, NULL AS lost_at, NULL AS expired_at, NULL AS decline_reason)
       FROM referrals WHERE partner_id = $1 AND customer_id IS NOT NULL ORDER BY referral_id LIMIT 1`,
      [partnerId, id, `${DEFAULT_AS_OF} 12:00:00`],
    );
  }
});
afterAll(async () => {
  if (savedToday === undefined) delete process.env.PI_TODAY;
  else process.env.PI_TODAY = savedToday;
  await env?.close();
});

describe('ReferralsPage', () => {
  it('counts as SQL does, per direction and for archived statuses', async () => {
    const incoming = await env.send(admin, ReferralsPageDocument, { first: 1, filter: { direction: 'INCOMING' } });
    expect(incoming.errors).toBeUndefined();
    expect(incoming.data!.referrals!.totalCount).toBe(
      await count(env, `SELECT count(*) FROM referrals WHERE partner_id = $1 AND direction = 'Incoming'`, [partnerId]),
    );
    const closed = await env.send(admin, ReferralsPageDocument, { first: 100, filter: { status: ['WON', 'LOST'] } });
    const expected = await count(env, `SELECT count(*) FROM referrals WHERE partner_id = $1 AND status IN ('Won', 'Lost')`, [partnerId]);
    expect(expected).toBeGreaterThan(0);
    expect(closed.data!.referrals!.totalCount).toBe(expected);
    expect(closed.data!.referrals!.edges.every((e) => e.node.status === 'WON' || e.node.status === 'LOST')).toBe(true);
  });

  it('resolves the customer and location of each referral through the accounts subgraph', async () => {
    const r = await env.send(admin, ReferralsPageDocument, { first: 100 });
    expect(r.errors).toBeUndefined();
    const rows = await env.sql<{ id: string; customer: string | null; location: string | null }>(
      `SELECT r.referral_id AS id, c.company_name AS customer, l.name AS location FROM referrals r
       LEFT JOIN customers c ON c.partner_id = r.partner_id AND c.customer_id = r.customer_id
       LEFT JOIN locations l ON l.partner_id = r.partner_id AND l.mpn_id = r.mpn_id
       WHERE r.partner_id = $1`,
      [partnerId],
    );
    expect(r.data!.referrals!.totalCount).toBe(rows.length);
    const byId = new Map(rows.map((x) => [x.id, x]));
    const nodes = r.data!.referrals!.edges.map((e) => e.node);
    for (const node of nodes) {
      expect(node.customer?.companyName ?? null).toBe(byId.get(node.id)!.customer);
      expect(node.location?.name ?? null).toBe(byId.get(node.id)!.location);
    }
    expect(nodes.some((n) => n.customer)).toBe(true);
  });
});

describe('CustomerReferrals', () => {
  it('nests a customer’s referrals under the customer, as many as SQL counts', async () => {
    const [c] = await env.sql<{ id: string; n: number }>(
      `SELECT customer_id AS id, count(*)::INTEGER AS n FROM referrals WHERE partner_id = $1 AND customer_id IS NOT NULL
       GROUP BY customer_id ORDER BY n DESC, customer_id LIMIT 1`,
      [partnerId],
    );
    const r = await env.send(admin, CustomerReferralsDocument, { id: c.id });
    expect(r.errors).toBeUndefined();
    expect(r.data!.customer!.referrals!.totalCount).toBe(c.n);
  });
});

describe('accept, won, decline', () => {
  it('accepts a New referral (Active, value stored), then reports it Won', async () => {
    const accepted = await env.send(admin, AcceptReferralDocument, {
      id: ACCEPT_ID,
      input: { engagementName: 'E2E engagement', estimatedDealValue: { amount: '25000', currency: 'USD' }, purchaseTimeFrame: '1-3 months', crmId: 'CRM-1' },
    });
    expect(accepted.errors).toBeUndefined();
    expect(accepted.data!.acceptReferral).toMatchObject({
      id: ACCEPT_ID,
      status: 'ACTIVE',
      engagementName: 'E2E engagement',
      crmId: 'CRM-1',
      dealValue: { currency: 'USD' },
    });
    expect(Number(accepted.data!.acceptReferral!.dealValue!.amount)).toBe(25000);
    const [row] = await env.sql(`SELECT status, engagement_name, deal_value::VARCHAR AS value FROM referrals WHERE partner_id = $1 AND referral_id = $2`, [
      partnerId,
      ACCEPT_ID,
    ]);
    expect(row).toMatchObject({ status: 'Active', engagement_name: 'E2E engagement' });
    expect(Number(row.value)).toBe(25000);

    const won = await env.send(admin, MarkReferralWonDocument, { id: ACCEPT_ID });
    expect(won.errors).toBeUndefined();
    expect(won.data!.markReferralWon).toMatchObject({ id: ACCEPT_ID, status: 'WON' });
    expect(won.data!.markReferralWon!.wonAt).toBeTruthy();
    expect(await count(env, `SELECT count(*) FROM referrals WHERE partner_id = $1 AND referral_id = $2 AND status = 'Won'`, [partnerId, ACCEPT_ID])).toBe(1);
  });

  it('declines a New referral with a reason; it cannot be accepted afterwards', async () => {
    const declined = await env.send(admin, DeclineReferralDocument, { id: DECLINE_ID, input: { reason: 'Out of our region' } });
    expect(declined.errors).toBeUndefined();
    expect(declined.data!.declineReferral).toMatchObject({ id: DECLINE_ID, status: 'DECLINED', declineReason: 'Out of our region' });
    const [row] = await env.sql(`SELECT status, decline_reason FROM referrals WHERE partner_id = $1 AND referral_id = $2`, [partnerId, DECLINE_ID]);
    expect(row).toEqual({ status: 'Declined', decline_reason: 'Out of our region' });

    const again = await env.send(admin, AcceptReferralDocument, {
      id: DECLINE_ID,
      input: { engagementName: 'x', estimatedDealValue: { amount: '1', currency: 'USD' }, purchaseTimeFrame: 'now' },
    });
    expect(again.data?.acceptReferral ?? null).toBeNull();
    expect(again.errors?.[0].extensions?.code).toBe('INVALID_STATE');
  });

  it('refuses the workflow to a role that may only read referrals (FORBIDDEN), changing nothing', async () => {
    const viewer = await env.token(partnerId, ['Report viewer']);
    const r = await env.send(viewer, MarkReferralWonDocument, { id: ACCEPT_ID });
    expect(r.data?.markReferralWon ?? null).toBeNull();
    expect(r.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
