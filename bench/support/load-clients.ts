import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { Dashboard } from './load-mix';
import { post } from './http-post';

/**
 * The clients of `npm run bench:load`. Each client is one dashboard user: a token of its own, its
 * dashboard's requests sent one after the other in a loop (no think time), over one keep-alive
 * connection of its own, as a browser tab reuses its connection. A request counts as an error when
 * the answer is not HTTP 200, carries GraphQL errors, or takes longer than the timeout.
 */
export interface Sample {
  type: string;
  client: number;
  ms: number;
  ok: boolean;
}

export interface ErrorSample {
  type: string;
  dashboard: string;
  what: string;
}

export interface ClientRun {
  samples: Sample[];
  errors: ErrorSample[];
  elapsedMs: number;
}

/**
 * What went wrong in an answer, or null when it is clean: the status, and for GraphQL errors the
 * first one's code, path (list indexes as []) and message, so that the same failure groups as one.
 */
function failureOf(status: number, text: string): string | null {
  if (status === 200 && !text.includes('"errors":')) return null;
  try {
    const errors = (JSON.parse(text) as { errors?: { message: string; path?: (string | number)[]; extensions?: { code?: string } }[] }).errors ?? [];
    const [first] = errors;
    if (first) {
      const path = (first.path ?? []).map((p) => (typeof p === 'number' ? '[]' : `.${p}`)).join('').slice(1);
      const more = errors.length > 1 ? ' (and more errors in the answer)' : '';
      return `HTTP ${status} ${first.extensions?.code ?? 'no code'} at ${path || '(no path)'}: ${first.message}${more}`;
    }
  } catch {
    // Not JSON: the text itself says what went wrong.
  }
  return `HTTP ${status}: ${text.slice(0, 400)}`;
}

/** POSTs a GraphQL body; resolves with a failure description, or null when the answer is clean. */
function send(url: URL, agent: Agent, bearer: string, body: string, timeoutMs: number): Promise<string | null> {
  return post(url, agent, bearer, body, timeoutMs).then(
    (reply) => failureOf(reply.status, reply.text),
    (err: Error) => err.message,
  );
}

interface Recorder {
  samples: Sample[];
  errors: ErrorSample[];
}

/** Sends request i (mod its length) of a dashboard with the given token and records it. */
async function timed(url: URL, agent: Agent, bearer: string, d: Dashboard, i: number, client: number, timeoutMs: number, into: Recorder): Promise<void> {
  const r = d.requests[i % d.requests.length];
  const t0 = performance.now();
  const failure = await send(url, agent, bearer, r.body, timeoutMs);
  into.samples.push({ type: r.type, client, ms: performance.now() - t0, ok: failure === null });
  if (failure !== null) into.errors.push({ type: r.type, dashboard: d.label, what: failure });
}

const keepAlive = () => new Agent({ keepAlive: true, maxSockets: 1 });

/** One at a time: every request of every dashboard in turn, `rounds` times, over one connection. */
export async function runOneAtATime(graphqlUrl: string, dashboards: Dashboard[], rounds: number, timeoutMs: number): Promise<ClientRun> {
  const url = new URL(graphqlUrl);
  const agent = keepAlive();
  const into: Recorder = { samples: [], errors: [] };
  const started = performance.now();
  try {
    for (let round = 0; round < rounds; round++) {
      for (const d of dashboards) for (let i = 0; i < d.requests.length; i++) await timed(url, agent, d.bearer, d, i, 0, timeoutMs, into);
    }
  } finally {
    agent.destroy();
  }
  return { ...into, elapsedMs: performance.now() - started };
}

/**
 * One dashboard user per token of `bearers`, all at once for `seconds`: client c plays dashboard
 * c mod n. The users of a dashboard start spread over its loop, so that they do not send the same
 * request in step and a slow run still covers the whole dashboard, not only its first requests.
 */
export async function runConcurrent(graphqlUrl: string, dashboards: Dashboard[], bearers: string[], seconds: number, timeoutMs: number): Promise<ClientRun> {
  const url = new URL(graphqlUrl);
  const into: Recorder = { samples: [], errors: [] };
  const started = performance.now();
  const deadline = started + seconds * 1000;
  const client = async (c: number) => {
    const agent = keepAlive();
    const d = dashboards[c % dashboards.length];
    const usersOfDashboard = Math.ceil(bearers.length / dashboards.length);
    const start = Math.floor((Math.floor(c / dashboards.length) * d.requests.length) / usersOfDashboard);
    try {
      for (let i = start; performance.now() < deadline; i++) await timed(url, agent, bearers[c], d, i, c, timeoutMs, into);
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(bearers.map((_, c) => client(c)));
  return { ...into, elapsedMs: performance.now() - started };
}
