import { Agent } from 'node:http';
import { post } from './http-post';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';

/**
 * The load generator of bench/gateway.ts, in a worker thread so that the client does not share an
 * event loop with the servers under test: `concurrency` requests in flight over keep-alive
 * connections, for a fixed time, cycling through pre-serialized request bodies.
 */
export interface LoadJob {
  url: string;
  bearer: string;
  bodies: string[];
  concurrency: number;
  /** 0 to only open the connections. */
  seconds: number;
}

export interface LoadResult {
  requests: number;
  errors: number;
  /** Wall time from the first request to the last response (ms). */
  elapsedMs: number;
  /** Latency of every successful request (ms), unsorted. */
  latencies: number[];
  /** A few error responses, for the report. */
  errorSamples: string[];
}


export async function runLoad(job: LoadJob, agent: Agent): Promise<LoadResult> {
  const url = new URL(job.url);
  const latencies: number[] = [];
  const errorSamples: string[] = [];
  let errors = 0;
  let next = 0;
  const started = performance.now();
  const deadline = started + job.seconds * 1000;
  const client = async () => {
    do {
      const body = job.bodies[next++ % job.bodies.length];
      const t0 = performance.now();
      try {
        const reply = await post(url, agent, job.bearer, body);
        const ms = performance.now() - t0;
        // A GraphQL error anywhere in the response counts as an error.
        if (reply.status === 200 && !reply.text.includes('"errors":')) latencies.push(ms);
        else {
          errors++;
          if (errorSamples.length < 3) errorSamples.push(`HTTP ${reply.status}: ${reply.text.slice(0, 300)}`);
        }
      } catch (err) {
        errors++;
        if (errorSamples.length < 3) errorSamples.push(String((err as Error).message));
      }
    } while (performance.now() < deadline);
  };
  await Promise.all(Array.from({ length: job.concurrency }, client));
  return { requests: latencies.length + errors, errors, elapsedMs: performance.now() - started, latencies, errorSamples };
}

// One agent (keep-alive connection pool) per target URL, kept across jobs: warm-up, then measure.
const agents = new Map<string, Agent>();
parentPort?.on('message', async (job: LoadJob | 'close') => {
  if (job === 'close') {
    for (const agent of agents.values()) agent.destroy();
    parentPort!.close();
    return;
  }
  let agent = agents.get(job.url);
  if (!agent) {
    agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
    agents.set(job.url, agent);
  }
  parentPort!.postMessage(await runLoad(job, agent));
});
