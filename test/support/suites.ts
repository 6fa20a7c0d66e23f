import { appendFileSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';

/**
 * The suites of one test folder (`*.suite.ts`), run as ONE Jest test file: the folder's
 * `<folder>.test.ts` calls this. Jest gives every test file a fresh module registry, and loading the
 * product's modules into one (Apollo, type-graphql, DuckDB, Fastify: ~3 s of CPU) and starting its
 * first server there (~2.7 s) cost more than many suites' own tests; a folder's suites share one.
 *
 * Each suite stays what it was as a file: its own module (its top-level state), its hooks and
 * tests inside a describe named after it (`npx jest test/insights -t cubes` runs one suite, and
 * the hooks of the others do not run), and its own view of process.env: what a suite changes in
 * the environment is put back when it ends, as Jest did between files.
 */
export const SUITE = '.suite.ts';

/** The suite files of a folder, in name order. */
export function suiteFiles(dir: string): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith(SUITE))
    .sort()
    .map((f) => join(dir, f));
}

export function runSuites(dir: string): void {
  const files = suiteFiles(dir);
  if (!files.length) throw new Error(`no ${SUITE} files in ${dir}`);
  for (const file of files) {
    const name = `${basename(dir)}/${basename(file, SUITE)}`;
    describe(name, () => {
      let saved: NodeJS.ProcessEnv = {};
      let started = { wall: Date.now(), cpu: process.cpuUsage() };
      // Declared before the suite's own hooks: runs before them (beforeAll) and after them (afterAll).
      beforeAll(() => {
        saved = { ...process.env };
        started = { wall: Date.now(), cpu: process.cpuUsage() };
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded inside the describe, so that its hooks and tests belong to it
      require(file);
      afterAll(() => {
        restoreEnv(saved);
        recordTime('suite', name, started);
      });
    });
  }
}

function restoreEnv(saved: NodeJS.ProcessEnv): void {
  for (const key of Object.keys(process.env)) if (!(key in saved)) delete process.env[key];
  for (const [key, value] of Object.entries(saved)) if (process.env[key] !== value) process.env[key] = value;
}

/**
 * With PI_SUITE_PROFILE=<file>, appends `<kind>\t<name>\t<wall ms>\t<CPU ms>`: the CPU time of
 * this worker process (DuckDB's threads included, child processes not), to find the suites that
 * cost the run its time (README, Development). The environment (environment.js) writes one line per
 * test file, whose time beyond its suites' is the file's module loading.
 */
export function recordTime(kind: string, name: string, started: { wall: number; cpu: NodeJS.CpuUsage }): void {
  const file = process.env.PI_SUITE_PROFILE;
  if (!file) return;
  const cpu = process.cpuUsage(started.cpu);
  appendFileSync(file, `${kind}\t${name}\t${Date.now() - started.wall}\t${Math.round((cpu.user + cpu.system) / 1000)}\n`);
}
