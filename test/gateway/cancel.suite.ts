import { Ctx, Query, Resolver } from 'type-graphql';
import { SUBGRAPHS } from '../../gateway/subgraphs';
import type { RequestContext } from '../../resolvers/common/context';
import { defineSubgraph } from '../../resolvers/common/subgraph';
import { P1, P2, gql, startTestEnv, token, type TestEnv } from './harness';
import { until } from '../support/wait';

/**
 * Work bounded in time and cancelled with its request (gateway/plugins/request-bounds.ts,
 * warehouse/read-pool.ts): real HTTP against a server on a real DuckDB file. The `spin` field of
 * a test-only subgraph reads through ctx.warehouse like every resolver, with a statement that would
 * run for hours; `warehouse.statements` shows what DuckDB is running and what waits for a turn.
 */
@Resolver()
class SpinResolver {
  @Query(() => String, { nullable: true, description: 'A statement that would run for hours: stops only when interrupted' })
  async spin(@Ctx() ctx: RequestContext): Promise<string> {
    const [row] = await ctx.warehouse.all<{ n: string }>('SELECT count(*)::VARCHAR AS n FROM range(1000000000000) t(i) WHERE hash(i) % 1000 = 7');
    return row.n;
  }
}

const spinSubgraph = defineSubgraph({ name: 'spin', resolvers: [SpinResolver] });

const TIMEOUT_MS = 4000;
const SETTINGS = { PI_QUERY_TIMEOUT_MS: String(TIMEOUT_MS), PI_DB_READERS: '3', PI_MAX_CALLER_CONCURRENCY: '2' };
const saved = Object.fromEntries(Object.keys(SETTINGS).map((k) => [k, process.env[k]]));

let env: TestEnv;
let p1: string;
let p2: string;

beforeAll(async () => {
  Object.assign(process.env, SETTINGS);
  env = await startTestEnv({ subgraphs: [...SUBGRAPHS, spinSubgraph] });
  p1 = await token(P1, ['Global admin']);
  p2 = await token(P2, ['Global admin']);
});
afterAll(async () => {
  await env?.close();
  for (const [k, v] of Object.entries(saved)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
});
// Every test starts with DuckDB idle (a failed one may leave statements to its timeout).
beforeEach(() => untilStatements(() => idle(), 2 * TIMEOUT_MS));

const spins = (n: number, prefix = 's') => `{ ${Array.from({ length: n }, (_, i) => `${prefix}${i}: spin`).join(' ')} }`;
const idle = () => env.warehouse.statements.running === 0 && env.warehouse.statements.waiting === 0;

/** `until`, naming the warehouse's statements when it times out. */
const untilStatements = (condition: () => boolean, withinMs: number) => until(condition, withinMs, () => JSON.stringify(env.warehouse.statements));

async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const started = performance.now();
  const value = await fn();
  return { ms: performance.now() - started, value };
}

it('a request past PI_QUERY_TIMEOUT_MS gets QUERY_TIMEOUT and its statement is gone from DuckDB within a second', async () => {
  const { ms, value: r } = await timed(() => gql(env.server.graphqlUrl, p1, '{ spin }'));
  const goneIn = await untilStatements(idle, 1000);
  expect(r.body.errors).toEqual([
    expect.objectContaining({
      message: expect.stringMatching(/ran past its time limit of 4 s \(PI_QUERY_TIMEOUT_MS\) and its warehouse queries were stopped/),
      extensions: expect.objectContaining({ code: 'QUERY_TIMEOUT', limitMs: TIMEOUT_MS, setting: 'PI_QUERY_TIMEOUT_MS' }),
    }),
  ]);
  expect(ms).toBeGreaterThanOrEqual(TIMEOUT_MS - 50);
  expect(ms).toBeLessThan(TIMEOUT_MS + 1500);
  expect(goneIn).toBeLessThan(1000);
});

it('a client that disconnects mid-query: its running and waiting statements are gone within a second', async () => {
  const client = new AbortController();
  const request = fetch(env.server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${p1}` },
    body: JSON.stringify({ query: spins(5) }),
    signal: client.signal,
  }).catch((err: Error) => err.name);
  // Two run (the caller's limit), three wait for their turn.
  await untilStatements(() => env.warehouse.statements.running === 2 && env.warehouse.statements.waiting === 3, 3000);
  client.abort();
  expect(await request).toBe('AbortError');
  // Well before the request's time limit would have stopped them.
  expect(await untilStatements(idle, 1000)).toBeLessThan(1000);
});

it('/healthz answers in milliseconds while heavy aliased queries run', async () => {
  const customers = Array.from({ length: 40 }, (_, i) => `c${i}: customers(first: 50) { edges { node { id companyName segment } } }`).join(' ');
  const heavy = [
    gql(env.server.graphqlUrl, p1, `{ ${customers} ${spins(3).slice(1, -1)} }`),
    gql(env.server.graphqlUrl, p2, spins(3)),
  ];
  // Both requests planned and reading: every connection busy, statements waiting for their turn.
  await untilStatements(() => env.warehouse.statements.running === 3 && env.warehouse.statements.waiting >= 2, 3000);
  const samples: number[] = [];
  for (let i = 0; i < 10; i++) {
    samples.push((await timed(() => fetch(`${env.server.url}/healthz`).then((r) => r.json()))).ms);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  expect(env.warehouse.statements.running).toBe(3); // still under load at the last sample
  // The median: a shared test machine's scheduler may delay any one sample; a blocked event loop delays them all.
  expect(samples.sort((a, b) => a - b)[samples.length >> 1]).toBeLessThan(100);
  expect(Math.max(...samples)).toBeLessThan(1000);
  await Promise.all(heavy);
});

it('a caller at its concurrency limit waits its turn; another caller’s small query goes on', async () => {
  const busy = gql(env.server.graphqlUrl, p1, spins(4));
  await untilStatements(() => env.warehouse.statements.running === 2 && env.warehouse.statements.waiting === 2, 3000);
  const { ms, value: small } = await timed(() => gql(env.server.graphqlUrl, p2, '{ partner { name } }'));
  expect(small.body).toEqual({ data: { partner: { name: 'Fabrikam Services' } } });
  expect(ms).toBeLessThan(1000);
  // The busy caller's two running statements time out; the two that waited say why they waited.
  const r = await busy;
  const messages = r.body.errors!.map((e) => e.message);
  expect(r.body.errors!.map((e) => e.extensions?.code)).toEqual(Array(4).fill('QUERY_TIMEOUT'));
  expect(messages.filter((m) => /waiting for its turn: a caller runs at most 2 warehouse statements at once \(PI_MAX_CALLER_CONCURRENCY\)/.test(m))).toHaveLength(2);
});
