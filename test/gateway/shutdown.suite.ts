import { rmSync } from 'node:fs';
import type { Route } from '../../gateway/http';
import { sendJson } from '../../gateway/http';
import { P1, startTestEnv, token, type TestEnv } from './harness';
import { reportQueue } from '../../warehouse/exports/downloads-queue';

/** Graceful shutdown, and the mount point for more routes (/exports/*, /reports/*). */
let env: TestEnv;
let release: () => void;
const slowExport: Route = {
  name: 'exports',
  methods: ['GET'],
  path: '/exports/*',
  auth: true,
  async handle(_req, res, ctx) {
    await new Promise<void>((resolve) => (release = resolve));
    sendJson(res, 200, { file: ctx.url.pathname, partner: ctx.caller!.partnerId });
  },
};

beforeAll(async () => {
  env = await startTestEnv({ routes: [slowExport] });
});
afterAll(() => env.close());

it('is not ready when the warehouse is unreachable', async () => {
  const broken = await startTestEnv();
  try {
    // The report queue checks for jobs as the server starts: let it finish before pulling the warehouse away.
    await reportQueue(broken.warehouse).idle();
    broken.warehouse.close();
    const r = await fetch(`${broken.server.url}/readyz`);
    expect(r.status).toBe(503);
    expect(await r.json()).toEqual({ status: 'unavailable', reason: expect.stringMatching(/^warehouse unreachable/) });
    expect((await fetch(`${broken.server.url}/healthz`)).status).toBe(200);
  } finally {
    await broken.server.close();
    rmSync(broken.dir, { recursive: true, force: true });
  }
});

it('mounts extra routes behind the same auth', async () => {
  expect((await fetch(`${env.server.url}/exports/customers.csv`)).status).toBe(401);
});

it('finishes requests in flight, then stops accepting connections', async () => {
  const bearer = await token(P1, ['Global admin']);
  const inFlight = fetch(`${env.server.url}/exports/customers.csv`, { headers: { authorization: `Bearer ${bearer}` } });
  await new Promise((r) => setTimeout(r, 100));
  let closed = false;
  const closing = env.server.close().then(() => (closed = true));
  await new Promise((r) => setTimeout(r, 100));
  expect(closed).toBe(false);
  await expect(fetch(`${env.server.url}/healthz`)).rejects.toThrow();
  release();
  const response = await inFlight;
  expect(response.status).toBe(200);
  expect(await response.json()).toEqual({ file: '/exports/customers.csv', partner: P1 });
  await closing;
  expect(closed).toBe(true);
  // the warehouse is still usable after the server stopped (the caller closes it)
  expect(await env.warehouse.one('SELECT 1 AS ok')).toEqual({ ok: 1 });
});
