import WebSocket from 'ws';
import { ingestionQueue } from '../../etl/ingest/queue';
import { warehouseEvents } from '../../warehouse/events';
import { reportQueue } from '../../warehouse/exports/downloads-queue';
import { mintToken } from '../../gateway/auth';
import { startServer } from '../../gateway/server';
import { customerId, gql, P1, P2, startTestEnv, testAuth, token, type TestEnv } from '../gateway/harness';
import { insertReferralFixture, TODAY } from '../referrals/fixture';
import { finishedLoadJob, uploadAndStartLoad } from '../support/ingest';
import { readmeOperations } from '../support/readme';
import { connect, eventually, record, settle, wsUrl, type LiveClient } from './support';

/**
 * GraphQL subscriptions over a real websocket (graphql-ws) on a real server (startServer, real
 * DuckDB file, the harness's two partners and the referral fixture): each event, tenant and
 * location scope, roles, refused connections, the caps, and the shutdown. Caps are small here
 * (PI_WS_MAX_CONNECTIONS 6, PI_WS_MAX_SUBSCRIPTIONS 3, PI_WS_INIT_TIMEOUT_MS 1000) so that they
 * can be reached; every test disposes of its clients.
 */
const SETTINGS = { PI_TODAY: TODAY, PI_WS_MAX_CONNECTIONS: '6', PI_WS_MAX_SUBSCRIPTIONS: '3', PI_WS_INIT_TIMEOUT_MS: '1000' };
const saved: Record<string, string | undefined> = {};

let env: TestEnv;
let adminA: string;
let adminB: string;
let scopedA: string;
let viewerA: string;
const clients: LiveClient[] = [];

const REFERRALS = `subscription { referralChanged { referralId change status locationMpnId at } }`;
const LOADS = `subscription($jobId: ID) { loadProgress(jobId: $jobId) { jobId kind state position phase fileStatus error } }`;
const REPORTS = `subscription { reportReady { reportId report status downloadUrl error } }`;
const BUDGETS = `subscription { budgetAlert { customerId month threshold spent { amount currency } budget { amount currency } } }`;

const url = () => env.server.graphqlUrl;

function open(bearer: string | null, options?: Parameters<typeof connect>[2]): LiveClient {
  const live = connect(url(), bearer, options);
  clients.push(live);
  return live;
}

/** What the process listens with outside subscriptions (the budgets' watch of the ingestion queue, ...). */
function listeners() {
  return {
    bus: warehouseEvents(env.warehouse).listenerCount(),
    loads: ingestionQueue(env.warehouse).listenerCount(),
    reports: reportQueue(env.warehouse).listenerCount(),
  };
}
let baseline: ReturnType<typeof listeners>;

beforeAll(async () => {
  for (const [k, v] of Object.entries(SETTINGS)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  env = await startTestEnv();
  await insertReferralFixture(env.warehouse);
  adminA = await token(P1, ['Global admin']);
  adminB = await token(P2, ['Global admin']);
  scopedA = await token(P1, ['Referrals admin', 'Billing admin'], { locations: ['1002'] });
  viewerA = await token(P1, ['Report viewer']);
  baseline = listeners();
});

afterEach(async () => {
  // Closed on both ends before the next test, whose connections count toward the cap.
  const open = clients.splice(0);
  await Promise.all(open.map((c) => c.dispose()));
  await Promise.all(open.map((c) => c.closed));
  await settle(50);
});

afterAll(async () => {
  await env?.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

describe('over HTTP', () => {
  it('introspection shows the Subscription type and its fields', async () => {
    const { body } = await gql(url(), adminA, `{ __schema { subscriptionType { name fields { name } } } }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.__schema.subscriptionType.name).toBe('Subscription');
    expect(body.data.__schema.subscriptionType.fields.map((f: { name: string }) => f.name).sort()).toEqual(
      ['budgetAlert', 'loadProgress', 'referralChanged', 'reportReady', 'syncProgress'],
    );
  });

  it('a subscription sent over HTTP POST gets 400 saying where subscriptions are served', async () => {
    const { status, body } = await gql(url(), adminA, REFERRALS);
    expect(status).toBe(400);
    expect(body.errors?.[0].extensions?.code).toBe('BAD_REQUEST');
    expect(body.errors?.[0].message).toMatch(/subscriptions are served over WebSocket .*\/graphql/);
    // The server still answers.
    expect((await gql(url(), adminA, '{ partner { name } }')).body.data.partner.name).toBe('Contoso Cloud Partner');
  });
});

describe('connections', () => {
  it('without a token: closed with 4401 saying what is missing', async () => {
    const closed = await open(null).closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/missing bearer token/);
  });

  it('with a bad token: closed with 4401 saying why', async () => {
    const forged = `${adminA.slice(0, -4)}AAAA`;
    const closed = await open(forged).closed;
    expect(closed).toEqual({ code: 4401, reason: expect.stringMatching(/token signature is invalid/) });
    expect((await open('not-a-jwt').closed).reason).toMatch(/token is not a valid JWT/);
  });

  it('an API key is refused as on /graphql', async () => {
    const closed = await open(null, { params: { authorization: 'Bearer pik_abcdefabcdefabcdef' } }).closed;
    expect(closed.code).toBe(4401);
    expect(closed.reason).toMatch(/does not accept API keys/);
  });

  it('the token may come in the upgrade request’s Authorization header', async () => {
    const live = open(null, { params: {}, headers: { authorization: `Bearer ${adminA}` } });
    await live.connected;
    const events = record(live, REFERRALS);
    await eventually(() => listeners().bus > baseline.bus, 5000, 'the subscription listening');
    events.stop();
  });

  it('PI_REQUIRE_MFA: an admin token without "mfa" in its "amr" is refused as over HTTP, naming the role and the claim', async () => {
    const strict = await startServer({ warehouse: env.warehouse, port: 0, host: '127.0.0.1', auth: { ...testAuth, requireMfa: true }, routes: [] });
    try {
      const noMfa = await mintToken(testAuth, { partner: P1, roles: ['Global admin'], amr: ['pwd'] }, '1h');
      const refused = connect(strict.graphqlUrl, noMfa);
      expect(await refused.closed).toEqual({ code: 4401, reason: expect.stringMatching(/multi-factor authentication required .*"Global admin".*"mfa"/) });
      const accepted = connect(strict.graphqlUrl, adminA);
      await accepted.connected;
      await accepted.dispose();
    } finally {
      await strict.close();
    }
  });

  it('a connection that sends no connection_init is closed after PI_WS_INIT_TIMEOUT_MS', async () => {
    const socket = new WebSocket(wsUrl(url()), 'graphql-transport-ws');
    const started = Date.now();
    const closed = await new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
    expect(closed.code).toBe(4408);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('at most PI_WS_MAX_CONNECTIONS connections: the next is closed with 1013', async () => {
    const six = Array.from({ length: 6 }, () => open(adminA));
    await Promise.all(six.map((c) => c.connected));
    const closed = await open(adminA).closed;
    expect(closed).toEqual({ code: 1013, reason: expect.stringMatching(/too many connections: at most 6 \(PI_WS_MAX_CONNECTIONS\)/) });
    // One fewer, and a new one is taken.
    await six[0].dispose();
    await eventually(async () => {
      const again = connect(url(), adminA);
      const outcome = await Promise.race([again.connected.then(() => 'connected'), again.closed.then(() => 'closed')]);
      await again.dispose();
      return outcome === 'connected';
    });
  });

  it('at most PI_WS_MAX_SUBSCRIPTIONS subscriptions at once on a connection', async () => {
    const live = open(adminA);
    const three = [record(live, REFERRALS), record(live, REFERRALS), record(live, REFERRALS)];
    await eventually(() => listeners().bus === baseline.bus + 3, 5000, 'three subscriptions listening', () => ({ baseline, now: listeners(), three: three.map((t) => t.errors) }));
    const fourth = record(live, REFERRALS);
    const error = await fourth.error();
    expect(error.extensions).toMatchObject({ code: 'TOO_MANY_SUBSCRIPTIONS', max: 3 });
    expect(error.message).toMatch(/at most 3 at once \(PI_WS_MAX_SUBSCRIPTIONS\)/);
    // Completing one makes room.
    three[0].stop();
    await eventually(() => listeners().bus === baseline.bus + 2, 5000, 'the completed subscription no longer listening');
    record(live, REFERRALS);
    await eventually(() => listeners().bus === baseline.bus + 3, 5000, 'a new subscription listening');
  });

  it('queries are refused over the websocket, pointing to HTTP', async () => {
    const error = await record(open(adminA), '{ partner { name } }').error();
    expect(error.extensions?.code).toBe('BAD_REQUEST');
    expect(error.message).toMatch(/send queries over HTTP \(POST \/graphql\)/);
  });

  it('a field the caller’s roles do not allow: FORBIDDEN naming the roles, and no listener', async () => {
    const live = open(viewerA);
    const loads = record(live, LOADS);
    const error = await loads.error();
    expect(error.extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['Global admin', 'Billing admin'] });
    await loads.done;
    const budgets = record(live, BUDGETS);
    expect((await budgets.error()).extensions?.code).toBe('FORBIDDEN');
    // reportReady: whoever may list some report; a role that may export none is refused.
    const incentives = record(open(await token(P1, ['Incentives user'])), REPORTS);
    expect((await incentives.error()).extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: ['Global admin', 'Executive report viewer'] });
    await settle(100);
    expect(listeners()).toEqual(baseline);
  });
});

describe('referrals', () => {
  it('a status change by a mutation reaches the partner’s subscribers, in their locations only, and no other partner’s', async () => {
    const a = record(open(adminA), REFERRALS);
    const scoped = record(open(scopedA), REFERRALS);
    const b = record(open(adminB), REFERRALS);
    await eventually(() => listeners().bus === baseline.bus + 3, 5000, 'three subscriptions listening');

    const accepted = await gql(url(), adminA, `mutation { acceptReferral(id: "r-new-1", input: { engagementName: "Live", estimatedDealValue: { amount: "100", currency: "USD" }, purchaseTimeFrame: "1-3 months" }) { status } }`);
    expect(accepted.body.errors).toBeUndefined();
    expect(await a.next((e) => e.referralId === 'r-new-1')).toEqual({ referralId: 'r-new-1', change: 'UPDATED', status: 'ACTIVE', locationMpnId: '1001', at: expect.any(String) });

    const declined = await gql(url(), adminA, `mutation { declineReferral(id: "r-new-2", input: { reason: "Outside our region" }) { status } }`);
    expect(declined.body.errors).toBeUndefined();
    expect(await scoped.next()).toMatchObject({ referralId: 'r-new-2', change: 'UPDATED', status: 'DECLINED', locationMpnId: '1002' });
    expect(await a.next((e) => e.referralId === 'r-new-2')).toMatchObject({ status: 'DECLINED' });

    // P2's own change reaches P2 only.
    const p2 = await gql(url(), adminB, `mutation { declineReferral(id: "r-p2-new", input: { reason: "No" }) { status } }`);
    expect(p2.body.errors).toBeUndefined();
    expect(await b.next()).toMatchObject({ referralId: 'r-p2-new', status: 'DECLINED' });
    await settle();
    expect(b.events.map((e) => e.referralId)).toEqual(['r-p2-new']);
    expect(scoped.events.map((e) => e.referralId)).toEqual(['r-new-2']);
    expect(a.events.map((e) => e.referralId)).toEqual(['r-new-1', 'r-new-2']);
  });

  it('a load of a referrals file: CREATED for a referral new to the warehouse, UPDATED for a status it changes; load progress to the end', async () => {
    const a = record(open(adminA), REFERRALS);
    const loadsA = record(open(adminA), LOADS);
    const b = record(open(adminB), REFERRALS);
    const loadsB = record(open(adminB), LOADS);
    await eventually(() => listeners().loads === baseline.loads + 2 && listeners().bus === baseline.bus + 2, 5000, 'subscriptions listening');

    const header = 'PartnerId,ReferralId,MpnId,Direction,Source,Type,Solution,CustomerName,CustomerCountry,Status,CreatedDateTime';
    const csv = [
      header,
      `${P1},r-live-new,1003,Incoming,Direct,Independent,Contoso Cloud Migration,Live Customer,CA,New,2024-06-14 09:00:00`,
      `${P1},r-new-3,1001,Incoming,Direct,Independent,Contoso Cloud Migration,Third Coffee,US,Declined,2024-06-12 08:00:00`,
    ].join('\n');
    const headers = { authorization: `Bearer ${adminA}` };
    const jobId = await uploadAndStartLoad(env.server.url, headers, 'referrals-live.csv', Buffer.from(`${csv}\n`));
    const job = await finishedLoadJob(env.server.url, headers, jobId);
    expect(job.state).toBe('SUCCEEDED');

    const finished = await loadsA.next((e) => e.kind === 'FINISHED');
    expect(finished).toMatchObject({ jobId, state: 'SUCCEEDED', error: null });
    const kinds = loadsA.events.map((e) => e.kind);
    expect(kinds[0]).toBe('QUEUED');
    expect(kinds).toEqual(expect.arrayContaining(['QUEUED', 'RUNNING', 'FILE', 'FINISHED']));
    expect(loadsA.events.find((e) => e.kind === 'FILE')).toMatchObject({ position: 0, fileStatus: 'LOADED' });

    expect(await a.next((e) => e.referralId === 'r-live-new')).toMatchObject({ change: 'CREATED', status: 'NEW', locationMpnId: '1003' });
    expect(await a.next((e) => e.referralId === 'r-new-3')).toMatchObject({ change: 'UPDATED', status: 'DECLINED' });
    await settle();
    // Unchanged referrals of the file say nothing; partner B hears nothing of A's load.
    expect(a.events.map((e) => e.referralId).sort()).toEqual(['r-live-new', 'r-new-3']);
    expect(b.events).toEqual([]);
    expect(loadsB.events).toEqual([]);
  });

  it('loadProgress(jobId) keeps to that job', async () => {
    const other = record(open(adminA), LOADS, { jobId: 'no-such-job' });
    const all = record(open(adminA), LOADS);
    await eventually(() => listeners().loads === baseline.loads + 2, 5000, 'subscriptions listening');
    const headers = { authorization: `Bearer ${adminA}` };
    const csv = `PartnerId,ReferralId,MpnId,Direction,Source,Type,Solution,CustomerName,CustomerCountry,Status,CreatedDateTime\n${P1},r-live-2,1001,Incoming,Direct,Independent,X,Y,US,New,2024-06-14 10:00:00\n`;
    const jobId = await uploadAndStartLoad(env.server.url, headers, 'referrals-live-2.csv', Buffer.from(csv));
    await all.next((e) => e.jobId === jobId && e.kind === 'FINISHED');
    await settle();
    expect(other.events).toEqual([]);
  });
});

describe('generated reports', () => {
  it('a report becoming ready reaches its partner’s subscribers only', async () => {
    const a = record(open(adminA), REPORTS);
    const b = record(open(adminB), REPORTS);
    await eventually(() => listeners().reports === baseline.reports + 2, 5000, 'subscriptions listening');
    const generated = await gql(url(), adminA, `mutation { generateReport(input: { report: "partner-profile" }) { id } }`);
    expect(generated.body.errors).toBeUndefined();
    const id = generated.body.data.generateReport.id;
    expect(await a.next()).toEqual({ reportId: id, report: 'partner-profile', status: 'READY', downloadUrl: `/downloads/${id}`, error: null });
    await settle();
    expect(b.events).toEqual([]);
  });
});

describe('budget alerts', () => {
  it('reach the partner’s billing roles, a location-scoped one for its locations’ customers only', async () => {
    const a = record(open(adminA), BUDGETS);
    const scoped = record(open(scopedA), BUDGETS);
    const b = record(open(adminB), BUDGETS);
    await eventually(() => listeners().bus === baseline.bus + 3, 5000, 'subscriptions listening');
    // Published as the budgets feature publishes them (warehouse/events.ts).
    const alert = (partnerId: string, customer: string) =>
      warehouseEvents(env.warehouse).publish({
        type: 'budgetAlert', partnerId, customerId: customer, month: '2024-06', threshold: 80, spent: '820.00', budget: '1000.00', currency: 'USD', at: TODAY,
      });
    alert(P1, customerId(P1, 0)); // location 1001
    alert(P1, customerId(P1, 1)); // location 1002
    alert(P2, customerId(P2, 0));
    expect(await a.next((e) => e.customerId === customerId(P1, 1))).toEqual({
      customerId: customerId(P1, 1), month: '2024-06', threshold: 80, spent: { amount: '820.00', currency: 'USD' }, budget: { amount: '1000.00', currency: 'USD' },
    });
    expect(await scoped.next()).toMatchObject({ customerId: customerId(P1, 1) });
    expect(await b.next()).toMatchObject({ customerId: customerId(P2, 0) });
    await settle();
    expect(a.events.map((e) => e.customerId)).toEqual([customerId(P1, 0), customerId(P1, 1)]);
    expect(scoped.events).toHaveLength(1);
    expect(b.events).toHaveLength(1);
  });
});

describe('the README', () => {
  it('its subscription examples run over the websocket and receive events', async () => {
    const examples = readmeOperations().filter((op) => /^subscription\b/.test(op));
    expect(examples.length).toBeGreaterThan(0);
    const live = open(adminA);
    const recorded = examples.map((op) => record(live, op));
    await settle(200);
    expect(recorded.flatMap((r) => r.errors)).toEqual([]);
    const won = await gql(url(), adminA, `mutation { markReferralWon(id: "r-active") { status } }`);
    expect(won.body.errors).toBeUndefined();
    for (const r of recorded) expect(await r.next()).toMatchObject({ referralId: 'r-active', status: 'WON' });
  });
});

describe('ending', () => {
  it('subscriptions that end leave no listener behind', async () => {
    const live = open(adminA);
    record(live, REFERRALS);
    record(live, LOADS);
    record(live, REPORTS);
    await eventually(() => listeners().bus === baseline.bus + 1 && listeners().loads === baseline.loads + 1 && listeners().reports === baseline.reports + 1);
    await live.dispose();
    await eventually(() => JSON.stringify(listeners()) === JSON.stringify(baseline), 5000, 'listeners back to the baseline');
  });

  it('closing the server closes open websockets (1001) without waiting for the drain timeout', async () => {
    const live = open(adminA);
    const events = record(live, REFERRALS);
    await eventually(() => listeners().bus === baseline.bus + 1);
    const started = Date.now();
    await env.server.close();
    expect(Date.now() - started).toBeLessThan(5000);
    expect(await live.closed).toEqual({ code: 1001, reason: 'the server is shutting down' });
    expect(events.events).toEqual([]);
    // (The ingestion queue's own watchers go with the server: only the subscriptions' are compared.)
    expect(listeners()).toMatchObject({ bus: baseline.bus, reports: baseline.reports });
  });
});
