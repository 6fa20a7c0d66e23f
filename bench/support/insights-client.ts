import { Agent } from 'node:http';
import { post } from './http-post';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';

/**
 * The HTTP client of bench/insights.ts, in a worker thread so that it does not share an event loop
 * with the server under test: a fixed number of requests of one body, `concurrency` in flight over
 * keep-alive connections (1 = strictly sequential), after `warmup` requests that are not recorded;
 * cut short by a time budget (at least `minRequests` all the same), so that a slow page cannot stall the run.
 */
export interface PageJob {
  url: string;
  bearer: string;
  body: string;
  warmup: number;
  requests: number;
  concurrency: number;
  /** Stop starting requests once this many seconds have passed (0: no limit), after at least minRequests. */
  maxSeconds: number;
  minRequests: number;
}

export interface PageResult {
  /** Latency of every recorded request (ms), in completion order; errors included. */
  latencies: number[];
  errors: number;
  errorSamples: string[];
  /** Bytes of the last response body. */
  responseBytes: number;
  elapsedMs: number;
}


const agents = new Map<string, Agent>();

export async function runPage(job: PageJob): Promise<PageResult> {
  const url = new URL(job.url);
  let agent = agents.get(job.url);
  if (!agent) {
    agent = new Agent({ keepAlive: true, maxSockets: 8 });
    agents.set(job.url, agent);
  }
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let responseBytes = 0;
  const one = async (record: boolean) => {
    const t0 = performance.now();
    let failed: string | null = null;
    try {
      const reply = await post(url, agent!, job.bearer, job.body);
      responseBytes = Buffer.byteLength(reply.text);
      if (reply.status !== 200 || reply.text.includes('"errors":')) failed = `HTTP ${reply.status}: ${reply.text.slice(0, 400)}`;
    } catch (err) {
      failed = String((err as Error).message);
    }
    const ms = performance.now() - t0;
    if (!record) return;
    latencies.push(ms);
    if (failed) {
      errors++;
      if (errorSamples.length < 3) errorSamples.push(failed);
    }
  };
  for (let i = 0; i < job.warmup; i++) await one(false);
  let next = 0;
  const started = performance.now();
  const deadline = job.maxSeconds > 0 ? started + job.maxSeconds * 1000 : Infinity;
  const lane = async () => {
    while (next < job.requests && (next < job.minRequests || performance.now() < deadline)) {
      next++;
      await one(true);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, job.concurrency) }, lane));
  return { latencies, errors, errorSamples, responseBytes, elapsedMs: performance.now() - started };
}

parentPort?.on('message', async (job: PageJob | 'close') => {
  if (job === 'close') {
    for (const agent of agents.values()) agent.destroy();
    parentPort!.close();
    return;
  }
  try {
    parentPort!.postMessage({ ok: true, result: await runPage(job) });
  } catch (err) {
    parentPort!.postMessage({ ok: false, error: String((err as Error).stack ?? err) });
  }
});
