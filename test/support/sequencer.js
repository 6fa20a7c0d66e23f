/**
 * Jest's order of test files, with one change: a file Jest has not timed yet is placed by the
 * bytes of its folder's suites, not its own size. Each folder is one test file (test/support/
 * suites.ts), all of the same few bytes, so on a fresh clone (no timings) Jest's order would be
 * arbitrary and the largest folder could start last, running alone while the other worker idles.
 * As Jest does: failed last time first, then untimed files, then timed ones slowest first.
 */
const { readdirSync, statSync } = require('node:fs');
const { dirname, join } = require('node:path');
const Sequencer = require('@jest/test-sequencer').default;

function suiteBytes(dir) {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.suite.ts'))
    .reduce((sum, f) => sum + statSync(join(dir, f)).size, 0);
}

class BiggestFolderFirst extends Sequencer {
  sort(tests) {
    const bytes = new Map(tests.map((t) => [t.path, suiteBytes(dirname(t.path))]));
    const key = (t) => ({ failed: this.hasFailed(t), time: this.time(t) });
    const keys = new Map(tests.map((t) => [t.path, key(t)]));
    return [...tests].sort((a, b) => {
      const ka = keys.get(a.path);
      const kb = keys.get(b.path);
      if (ka.failed !== kb.failed) return ka.failed ? -1 : 1;
      if ((ka.time == null) !== (kb.time == null)) return ka.time == null ? -1 : 1;
      if (ka.time != null) return kb.time - ka.time;
      return bytes.get(b.path) - bytes.get(a.path);
    });
  }
}

module.exports = BiggestFolderFirst;
