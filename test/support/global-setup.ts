import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { BUILDS, buildDataSet, type DataSetName, type TestDataGlobals } from './data-sets';
import { suiteFiles } from './suites';

/**
 * Jest globalSetup: starts building the shared test data sets (test/support/data-sets.ts) once per
 * run, in a temporary directory handed to the workers in PI_TEST_DATA (workers inherit the
 * environment) and removed by global-teardown.ts. Only the sets the selected test files use are
 * built; the sets are built side by side, in this process, while the suites run: a suite waits for
 * the stage of a set it reads (data-sets.ts), the others do not wait at all. Building first and
 * starting the suites after left a core idle for most of the ~30 s the build takes.
 */
const TEST_ROOT = resolve(__dirname, '..');
const ALL: DataSetName[] = ['demo', 'e2e'];

function testFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' ? [] : testFiles(path);
    return e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The data sets a test file uses: those named in it or in the test/ modules it imports (recursively). */
function dataSetsOf(file: string, seen: Set<string>, out: Set<DataSetName>): void {
  if (seen.has(file) || !existsSync(file)) return;
  seen.add(file);
  const text = readFileSync(file, 'utf8');
  if (file === join(__dirname, 'data-sets.ts')) return;
  if (/\bcopyTemplate\(\s*'e2e'/.test(text)) out.add('e2e');
  if (/\b(demoData|copyDemoFiles)\(|'demo-(insights|full)'/.test(text)) out.add('demo');
  for (const m of text.matchAll(/from\s+'(\.{1,2}\/[^']+)'/g)) {
    const target = resolve(dirname(file), m[1]);
    if (!target.startsWith(TEST_ROOT)) continue;
    for (const candidate of [`${target}.ts`, join(target, 'index.ts'), target]) {
      if (existsSync(candidate) && candidate.endsWith('.ts')) {
        dataSetsOf(candidate, seen, out);
        break;
      }
    }
  }
}

function needed(globalConfig: { testPathPattern?: string; onlyChanged?: boolean; findRelatedTests?: boolean; changedSince?: string; lastCommit?: boolean; onlyFailures?: boolean }): DataSetName[] {
  // Selections Jest resolves later (changed files, related tests, last failures): build everything.
  if (globalConfig.onlyChanged || globalConfig.findRelatedTests || globalConfig.changedSince || globalConfig.lastCommit || globalConfig.onlyFailures) return ALL;
  let pattern: RegExp;
  try {
    pattern = new RegExp(globalConfig.testPathPattern ?? '', 'i');
  } catch {
    return ALL;
  }
  const out = new Set<DataSetName>();
  const seen = new Set<string>();
  // A folder's test file runs the folder's suites (test/support/suites.ts): they name the sets.
  for (const file of testFiles(TEST_ROOT).filter((f) => pattern.test(f))) {
    for (const source of [file, ...suiteFiles(dirname(file))]) dataSetsOf(source, seen, out);
  }
  return ALL.filter((n) => out.has(n));
}

export default async function globalSetup(globalConfig: Parameters<typeof needed>[0] & { listTests?: boolean }): Promise<void> {
  if (globalConfig.listTests) return;
  const root = mkdtempSync(join(tmpdir(), 'pi-test-data-'));
  process.env.PI_TEST_DATA = root;
  const sets = needed(globalConfig);
  const started = Date.now();
  // Each build takes its lock before its first await: a suite that asks for a set from now on waits for it.
  const builds = sets.map((name) =>
    buildDataSet(root, name).catch((err: Error) => {
      // The suites that wait for the set fail saying it failed here: this says why.
      process.stderr.write(`\nbuilding the ${name} test data set failed: ${err.stack ?? err}\n`);
    }),
  );
  const built = Promise.all(builds).then(() => {
    if (sets.length && process.env.PI_TEST_DATA_LOG) process.stderr.write(`\ntest data sets ${sets.join(', ')} built in ${((Date.now() - started) / 1000).toFixed(1)} s (${root})\n`);
  });
  // Globals of the global setup are what the global teardown can read (Jest's rule): it waits for the builds.
  (globalThis as TestDataGlobals)[BUILDS] = built;
}
