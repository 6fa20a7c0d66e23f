import { Agent } from 'node:http';
import { performance } from 'node:perf_hooks';
import { parentPort } from 'node:worker_threads';
import { post } from './http-post';

/**
 * The readers of `npm run bench:ingest`, in a worker thread (so they share no event loop with the
 * bench or the server): `concurrency` clients, each looping over the Insights pages (each client
 * starts at a different page) over keep-alive HTTP until told to stop. Every request is recorded
 * with its start time on the wall clock (ms since the epoch, the same clock in every thread), so the
 * bench can cut the run into windows afterwards: idle, during the load.
 */
export interface ReaderPage {
  label: string;
  bearer: string;
  body: string;
}

export interface ReadersJob {
  url: string;
  pages: ReaderPage[];
  concurrency: number;
}

export interface ReaderSample {
  /** Start of the request, ms since the epoch (performance.timeOrigin + now). */
  start: number;
  ms: number;
  /** Index into the job's pages. */
  page: number;
  ok: boolean;
}

export interface ReadersResult {
  samples: ReaderSample[];
  errorSamples: string[];
}

export type ReadersMessage = { type: 'start'; job: ReadersJob } | { type: 'stop' };

const wallNow = () => performance.timeOrigin + performance.now();

let stopping = false;
let running: Promise<ReadersResult> | null = null;

async function run(job: ReadersJob): Promise<ReadersResult> {
  const url = new URL(job.url);
  const agent = new Agent({ keepAlive: true, maxSockets: job.concurrency });
  const samples: ReaderSample[] = [];
  const errorSamples: string[] = [];
  const lane = async (offset: number) => {
    for (let i = offset; !stopping; i++) {
      const page = i % job.pages.length;
      const p = job.pages[page];
      const start = wallNow();
      let failed: string | null = null;
      try {
        const reply = await post(url, agent, p.bearer, p.body);
        if (reply.status !== 200 || reply.text.includes('"errors":')) failed = `${p.label}: HTTP ${reply.status}: ${reply.text.slice(0, 300)}`;
      } catch (err) {
        failed = `${p.label}: ${(err as Error).message}`;
      }
      samples.push({ start, ms: wallNow() - start, page, ok: failed === null });
      if (failed && errorSamples.length < 5) errorSamples.push(failed);
    }
  };
  const lanes = Array.from({ length: job.concurrency }, (_, k) => lane(Math.floor((k * job.pages.length) / job.concurrency)));
  await Promise.all(lanes);
  agent.destroy();
  return { samples, errorSamples };
}

parentPort?.on('message', async (m: ReadersMessage) => {
  if (m.type === 'start') {
    stopping = false;
    running = run(m.job);
    return;
  }
  stopping = true;
  const result = running ? await running : { samples: [], errorSamples: [] };
  running = null;
  parentPort!.postMessage(result);
});
