import { generateDataSet, startStandIn, type StandIn } from '../../stand-in';
import { gql, P1, P2, startTestEnv, token, type TestEnv } from '../gateway/harness';

/**
 * startSync, sync(id) and syncs over real HTTP against a server (startServer, real DuckDB file)
 * whose Partner Center settings (PI_PC_*) point at the stand-in (stand-in/), and the route the CLI
 * uses while a server runs (POST /ingest/syncs, GET /ingest/syncs/:id). The credentials are P1's:
 * P1's loading roles sync, everyone else is refused.
 */
let env: TestEnv;
let standIn: StandIn;
let admin: string;
let billing: string;
let viewer: string;
let otherAdmin: string;
const saved: Record<string, string | undefined> = {};

const RUN = `fragment Run on SyncRun { id state trigger requestedBy phase unitsDone unitsSkipped unitsFailed rowsLoaded requests bytesDownloaded error
  createdAt startedAt finishedAt units { position kind key state jobId rowsLoaded message finishedAt } }`;
const START = `mutation { startSync { ...Run } } ${RUN}`;
const SYNC = `query($id: ID!) { sync(id: $id) { ...Run } } ${RUN}`;
const SYNCS = `{ syncs(first: 5) { totalCount edges { node { id state trigger } } } }`;

const url = () => env.server.graphqlUrl;

function setEnv(values: Record<string, string | undefined>): void {
  for (const [k, v] of Object.entries(values)) {
    if (!(k in saved)) saved[k] = process.env[k];
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

async function finished(id: string, bearer: string): Promise<Record<string, any>> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const { body } = await gql(url(), bearer, SYNC, { id });
    expect(body.errors).toBeUndefined();
    if (['SUCCEEDED', 'FAILED'].includes(body.data.sync.state)) return body.data.sync;
    if (Date.now() > deadline) throw new Error(`sync ${id} still ${body.data.sync.state}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  // Exports end at once (no Retry-After waits): the client's waits are real in a server.
  standIn = await startStandIn({ dataSet: generateDataSet('small', { partnerTenantId: P1 }), operationPolls: 0 });
  setEnv(standIn.settingsEnv());
  env = await startTestEnv();
  admin = await token(P1, ['Global admin']);
  billing = await token(P1, ['Billing admin']);
  viewer = await token(P1, ['Report viewer']);
  otherAdmin = await token(P2, ['Global admin']);
});
afterAll(async () => {
  await env?.close();
  await standIn?.close();
  setEnv(saved);
});

describe('startSync', () => {
  let id: string;
  it('starts a sync for a loading role and returns it at once; sync(id) follows it to the end', async () => {
    const { body } = await gql(url(), admin, START);
    expect(body.errors).toBeUndefined();
    id = body.data.startSync.id;
    expect(body.data.startSync).toMatchObject({ trigger: 'GRAPHQL', state: expect.stringMatching(/QUEUED|RUNNING/) });
    const run = await finished(id, billing);
    expect(run).toMatchObject({ id, state: 'SUCCEEDED', error: null, unitsFailed: 0 });
    expect(run.rowsLoaded).toBeGreaterThan(300);
    expect(run.units.filter((u: { kind: string }) => u.kind === 'invoice').map((u: { key: string }) => u.key).sort()).toEqual(
      standIn.dataSet.invoices.map((i) => i.id).sort(),
    );
  });

  it('syncs lists it, newest first', async () => {
    const { body } = await gql(url(), admin, SYNCS);
    expect(body.errors).toBeUndefined();
    expect(body.data.syncs.edges[0].node).toEqual({ id, state: 'SUCCEEDED', trigger: 'GRAPHQL' });
  });

  it('needs a loading role, and the credentials’ partner', async () => {
    const denied = await gql(url(), viewer, START);
    expect(denied.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: expect.arrayContaining(['Global admin', 'Billing admin']) });
    const other = await gql(url(), otherAdmin, START);
    expect(other.body.errors?.[0]).toMatchObject({ extensions: { code: 'FORBIDDEN' } });
    expect(other.body.errors?.[0].message).toContain('PI_PC_TENANT_ID');
  });

  it('another partner’s sync is not found', async () => {
    const { body } = await gql(url(), otherAdmin, SYNC, { id });
    expect(body.errors?.[0].extensions).toMatchObject({ code: 'NOT_FOUND' });
  });

  it('without the Partner Center settings it says which are missing', async () => {
    setEnv({ PI_PC_CLIENT_ID: undefined, PI_PC_CLIENT_SECRET: undefined });
    try {
      const { body } = await gql(url(), admin, START);
      expect(body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
      expect(body.errors?.[0].message).toMatch(/PI_PC_CLIENT_ID/);
      expect(body.errors?.[0].message).toMatch(/PI_PC_CLIENT_SECRET/);
    } finally {
      setEnv(standIn.settingsEnv());
    }
  });
});

describe('POST /ingest/syncs (what the CLI uses while a server runs)', () => {
  it('starts a sync (202, Location) that GET follows; a second sync fetches no line item again', async () => {
    const before = standIn.requests.length;
    const origin = env.server.url;
    const started = await fetch(`${origin}/ingest/syncs`, { method: 'POST', headers: { authorization: `Bearer ${admin}` } });
    expect(started.status).toBe(202);
    const location = started.headers.get('location')!;
    expect(location).toMatch(/^\/ingest\/syncs\/[0-9a-f-]+$/);
    let view = (await started.json()) as { id: string; state: string; trigger: string; unitsDone: number; units: unknown[] };
    expect(view.trigger).toBe('http');
    while (!['SUCCEEDED', 'FAILED'].includes(view.state)) {
      await new Promise((r) => setTimeout(r, 100));
      view = (await (await fetch(`${origin}${location}`, { headers: { authorization: `Bearer ${admin}` } })).json()) as typeof view;
    }
    expect(view).toMatchObject({ state: 'SUCCEEDED', unitsDone: 0 });
    expect(view.units.length).toBeGreaterThan(3);
    expect(standIn.requests.slice(before).filter((r) => /export$|lineitems|^\/blobs\//.test(r.path))).toEqual([]);
    const denied = await fetch(`${origin}/ingest/syncs`, { method: 'POST', headers: { authorization: `Bearer ${viewer}` } });
    expect(denied.status).toBe(403);
    const unknown = await fetch(`${origin}/ingest/syncs/00000000-0000-4000-8000-000000000000`, { headers: { authorization: `Bearer ${admin}` } });
    expect(unknown.status).toBe(404);
  });
});
