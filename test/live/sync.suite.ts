import { syncServiceOf } from '../../etl/sync/service';
import { warehouseEvents } from '../../warehouse/events';
import { generateDataSet, startStandIn, type StandIn } from '../../stand-in';
import { gql, P1, P2, startTestEnv, token, type TestEnv } from '../gateway/harness';
import { connect, eventually, record, settle, type LiveClient } from './support';

/**
 * syncProgress over a real websocket, with a sync started through GraphQL against the local
 * stand-in of Partner Center (stand-in/), whose credentials are P1's: P1's subscriber follows it
 * to the end and hears the referrals the sync brought in; P2's hears nothing.
 */
let env: TestEnv;
let standIn: StandIn;
let adminA: string;
let adminB: string;
const saved: Record<string, string | undefined> = {};
const clients: LiveClient[] = [];

const SYNC = `subscription { syncProgress { syncId phase state unit { kind key state rowsLoaded } requests error } }`;
const REFERRALS = `subscription { referralChanged { referralId change status } }`;

beforeAll(async () => {
  standIn = await startStandIn({ dataSet: generateDataSet('small', { partnerTenantId: P1 }), operationPolls: 0 });
  for (const [k, v] of Object.entries(standIn.settingsEnv())) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  env = await startTestEnv();
  adminA = await token(P1, ['Global admin']);
  adminB = await token(P2, ['Global admin']);
});

afterAll(async () => {
  await Promise.all(clients.map((c) => c.dispose()));
  await env?.close();
  await standIn?.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});

function open(bearer: string): LiveClient {
  const live = connect(env.server.graphqlUrl, bearer);
  clients.push(live);
  return live;
}

it('a sync’s progress, from its first phase to its end, and the referrals it brought in, reach its partner only', async () => {
  const service = syncServiceOf(env.warehouse)!;
  const syncA = record(open(adminA), SYNC);
  const referralsA = record(open(adminA), REFERRALS);
  const syncB = record(open(adminB), SYNC);
  await eventually(() => service.listenerCount() === 2 && warehouseEvents(env.warehouse).listenerCount() === 1, 5000, 'subscriptions listening');

  const started = await gql(env.server.graphqlUrl, adminA, `mutation { startSync { id } }`);
  expect(started.body.errors).toBeUndefined();
  const syncId = started.body.data.startSync.id;

  const last = await syncA.next((e) => e.state !== 'RUNNING', 120_000);
  expect(last).toMatchObject({ syncId, phase: 'done', state: 'SUCCEEDED', error: null });
  const phases = [...new Set(syncA.events.map((e) => e.phase))];
  expect(phases).toEqual(['profile', 'customers', 'subscriptions', 'referrals', 'invoices', 'budgets', 'done']);
  // One 'done' event: the last, with the outcome.
  expect(syncA.events.filter((e) => e.phase === 'done')).toEqual([last]);
  const referralUnits = syncA.events.filter((e) => e.unit?.kind === 'referrals');
  expect(referralUnits.length).toBeGreaterThan(0);
  expect(referralUnits.every((e) => e.unit.state === 'LOADED')).toBe(true);

  // The referrals the stand-in holds are new to this warehouse: each arrives as CREATED.
  const synced = standIn.dataSet.referrals.map((r) => String(r.id)).sort();
  await eventually(() => referralsA.events.length >= synced.length, 10_000, 'every synced referral announced');
  expect(referralsA.events.every((e) => e.change === 'CREATED')).toBe(true);
  expect(referralsA.events.map((e) => e.referralId).sort()).toEqual(synced);

  await settle();
  expect(syncB.events).toEqual([]);
});

it('ended subscriptions leave no listener on the sync service', async () => {
  await Promise.all(clients.splice(0).map((c) => c.dispose()));
  await eventually(() => syncServiceOf(env.warehouse)!.listenerCount() === 0 && warehouseEvents(env.warehouse).listenerCount() === 0, 5000, 'listeners removed');
});
