import { now as referralNow } from '../../warehouse/clock';
import { expireReferrals } from '../../warehouse/referrals/referrals';
import { P1, P2, gql, token, type TestEnv } from '../gateway/harness';
import { storedReferral, referralFixtureForSuite } from './fixture';

/**
 * The expiry rule: a referral still New more than 14 days after creation is Expired, as of "today"
 * (PI_TODAY), for every read and every mutation alike; the sweep persists it without changing what
 * readers see.
 */
let env: TestEnv;
let admin: string;
referralFixtureForSuite(async (started) => {
  env = started;
  admin = await token(P1, ['Global admin']);
});

function at(today: string): void {
  process.env.PI_TODAY = today;
}

const STATE = `{
  boundary: referral(id: "r-boundary") { status expiresAt expiredAt }
  second: referral(id: "r-new-2") { status expiresAt expiredAt }
  first: referral(id: "r-new-1") { status expiresAt expiredAt }
  lapsed: referral(id: "r-expired") { status expiresAt expiredAt }
  expired: referrals(filter: { status: [EXPIRED] }) { totalCount edges { node { id } } }
  inbox: referrals(filter: { status: [NEW] }) { totalCount }
}`;

async function state() {
  const r = await gql(env.server.graphqlUrl, admin, STATE);
  expect(r.body.errors).toBeUndefined();
  return r.body.data;
}

describe('the expiry rule with an injected today', () => {
  it('keeps a referral New up to exactly 14 days after creation, Expired one second later', async () => {
    at('2024-06-15T10:30:00Z');
    const exactly = await state();
    expect(exactly.boundary).toEqual({ status: 'NEW', expiresAt: '2024-06-15T10:30:00.000Z', expiredAt: null });
    expect(exactly.expired.edges.map((e: any) => e.node.id)).toEqual(['r-expired', 'r-old-expired']);
    expect(exactly.inbox.totalCount).toBe(4);

    at('2024-06-15T10:30:01Z');
    const after = await state();
    expect(after.boundary).toEqual({ status: 'EXPIRED', expiresAt: null, expiredAt: '2024-06-15T10:30:00.000Z' });
    expect(after.expired.edges.map((e: any) => e.node.id)).toEqual(['r-boundary', 'r-expired', 'r-old-expired']);
    expect(after.inbox.totalCount).toBe(3);
  });

  it('moves with today (PI_TODAY as a day means its start, UTC), also backwards', async () => {
    at('2024-06-20');
    const later = await state();
    expect(later.second).toEqual({ status: 'EXPIRED', expiresAt: null, expiredAt: '2024-06-19T12:00:00.000Z' });
    expect(later.first).toEqual({ status: 'NEW', expiresAt: '2024-06-24T09:00:00.000Z', expiredAt: null });

    at('2024-05-25');
    const earlier = await state();
    expect(earlier.lapsed).toEqual({ status: 'NEW', expiresAt: '2024-06-03T08:00:00.000Z', expiredAt: null });
  });

  it('applies to mutations in the same way: an expired referral cannot be accepted or declined', async () => {
    at('2024-06-15T10:30:01Z');
    const manager = await token(P1, ['Referrals admin']);
    const accept = await gql(env.server.graphqlUrl, manager, `mutation { acceptReferral(id: "r-boundary", input: {
      engagementName: "late", estimatedDealValue: { amount: "1", currency: "USD" }, purchaseTimeFrame: "now" }) { id } }`);
    expect(accept.body.errors![0].extensions).toMatchObject({ code: 'INVALID_STATE', currentState: 'Expired', allowedStates: ['New'] });
    const decline = await gql(env.server.graphqlUrl, manager, `mutation { declineReferral(id: "r-boundary", input: { reason: "late" }) { id } }`);
    expect(decline.body.errors![0].extensions).toMatchObject({ code: 'INVALID_STATE', currentState: 'Expired' });

    at('2024-06-15T10:30:00Z');
    const inTime = await gql(env.server.graphqlUrl, manager, `mutation { declineReferral(id: "r-boundary", input: { reason: "just in time" }) { status declinedAt } }`);
    expect(inTime.body.data.declineReferral).toEqual({ status: 'DECLINED', declinedAt: '2024-06-15T10:30:00.000Z' });
  });

  it('is persisted by the sweep (ETL / startup) without changing what readers see', async () => {
    at('2024-06-20');
    const before = await state();
    expect(await storedReferral(env.warehouse, P1, 'r-new-2')).toMatchObject({ status: 'New', expired_at: null });

    expect(await expireReferrals(env.warehouse, referralNow(), P2)).toBe(0);
    // P1: r-new-2, r-expired (r-boundary was declined above); P2's r-p2-new expires on 06-25
    expect(await expireReferrals(env.warehouse, referralNow())).toBe(2);
    expect(await storedReferral(env.warehouse, P1, 'r-new-2')).toMatchObject({ status: 'Expired', expired_at: '2024-06-19T12:00:00Z' });
    expect(await storedReferral(env.warehouse, P1, 'r-expired')).toMatchObject({ status: 'Expired', expired_at: '2024-06-03T08:00:00Z' });
    expect(await storedReferral(env.warehouse, P2, 'r-p2-new')).toMatchObject({ status: 'New' });
    expect(await state()).toEqual(before);
    expect(await expireReferrals(env.warehouse, referralNow())).toBe(0);
  });
});

describe('referralNow (PI_TODAY)', () => {
  it('reads a day, a UTC timestamp, or falls back to the clock', () => {
    expect(referralNow({ PI_TODAY: '2024-02-29' }).toISOString()).toBe('2024-02-29T00:00:00.000Z');
    expect(referralNow({ PI_TODAY: '2024-06-15T10:30:00Z' }).toISOString()).toBe('2024-06-15T10:30:00.000Z');
    expect(referralNow({ PI_TODAY: '2024-06-15 10:30' }).toISOString()).toBe('2024-06-15T10:30:00.000Z');
    const now = Date.now();
    expect(Math.abs(referralNow({}).getTime() - now)).toBeLessThan(5000);
  });

  it('rejects a malformed value instead of silently using the clock', () => {
    for (const bad of ['2024-02-30', '15/06/2024', 'tomorrow', '2024-06-15T25:00:00Z']) {
      expect(() => referralNow({ PI_TODAY: bad })).toThrow(/PI_TODAY must be YYYY-MM-DD/);
    }
  });
});
