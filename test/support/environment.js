/**
 * The suites' test environment: Jest's node environment, with a temporary directory of its own for
 * each worker (TMPDIR, so os.tmpdir()), inside the run's data directory (PI_TEST_DATA, set by
 * global-setup.ts and removed by global-teardown.ts). Suites run side by side in several workers,
 * and some look at what appears in os.tmpdir() (the export engine's temporary directories must be
 * gone after a download): a suite in another worker, or another Jest run on the machine, must not
 * show up there. Set here, in the worker's own process, before any suite's sandbox copies
 * process.env; Node's os.tmpdir() reads the real environment.
 */
const { appendFileSync, mkdirSync } = require('node:fs');
const { join, relative } = require('node:path');
const NodeEnvironment = require('jest-environment-node').TestEnvironment;

if (process.env.PI_TEST_DATA && process.env.JEST_WORKER_ID && !process.env.PI_TEST_TMPDIR) {
  const dir = join(process.env.PI_TEST_DATA, `tmp-worker-${process.env.JEST_WORKER_ID}`);
  mkdirSync(dir, { recursive: true });
  process.env.TMPDIR = dir;
  process.env.PI_TEST_TMPDIR = dir;
}

/** With PI_SUITE_PROFILE, one line per test file, as test/support/suites.ts recordTime writes for each suite. */
class TimedEnvironment extends NodeEnvironment {
  constructor(config, context) {
    super(config, context);
    this.name = relative(config.projectConfig.rootDir, context.testPath);
  }

  async setup() {
    this.started = { wall: Date.now(), cpu: process.cpuUsage() };
    await super.setup();
  }

  async teardown() {
    await super.teardown();
    const file = process.env.PI_SUITE_PROFILE;
    if (!file) return;
    const cpu = process.cpuUsage(this.started.cpu);
    appendFileSync(file, `file\t${this.name}\t${Date.now() - this.started.wall}\t${Math.round((cpu.user + cpu.system) / 1000)}\n`);
  }
}

module.exports = TimedEnvironment;
