/**
 * A first start, as a newcomer's `npm start` runs it but without a terminal (a pipe, as CI or a log
 * collector sees it) and on a small demo (`--demo-customers 5 --demo-months 3 --demo-usage-rows
 * 200`): the compiled CLI in a child process on an empty warehouse of its own. It says how the load
 * goes before it is ready; every line it prints is either a JSON log line or a human line, never
 * both; and once ready it prints the IDE and landing page URLs, the demo tokens and three commands,
 * each of which, run as printed, answers with data.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { tempDir } from '../etl/helpers';
import { stopChild } from '../support/child';

const ROOT = resolve(__dirname, '../..');
const DIST_CLI = join(ROOT, 'dist/cli/main.js');
const JWT = /^eyJ[\w-]+\.[\w-]+\.[\w-]+$/;

interface Line {
  stream: 'stdout' | 'stderr';
  text: string;
  at: number;
}

let dir: string;
let cleanup: () => void;
let dbPath: string;
let server: ChildProcess;
let lines: Line[] = [];
let ready: Line;

/** The build that exists: bin/partner-insights rebuilds dist/ only when a source is newer than its last build. */
function build(): void {
  spawnSync(join(ROOT, 'bin/partner-insights'), [], { cwd: ROOT, env: { ...process.env, PI_BUILD_ONLY: '1' }, stdio: 'ignore', timeout: 280_000 });
  if (!existsSync(DIST_CLI)) throw new Error('build did not produce dist/cli');
}

/** Collects a stream's lines as they come, with the time each arrived. */
function collect(stream: NodeJS.ReadableStream, name: Line['stream']): void {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    const parts = (rest + chunk).split('\n');
    rest = parts.pop()!;
    for (const text of parts) lines.push({ stream: name, text, at: Date.now() });
  });
}

const output = () => lines.map((l) => `${l.stream}: ${l.text}`).join('\n');

async function waitForLine(what: string, test: (l: Line) => boolean, timeoutMs = 240_000): Promise<Line> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = lines.find(test);
    if (found) return found;
    if (server.exitCode !== null) throw new Error(`start exited (${server.exitCode}) before ${what}:\n${output()}`);
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}:\n${output()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** A command as printed, run by bash in a directory of its own, without the suite's PI_DB (the command says which warehouse). */
function runPrinted(command: string): { code: number | null; stdout: string; stderr: string; cwd: string } {
  // `npx partner-insights` is bin/partner-insights, which runs dist/cli/main.js (rebuilt first when
  // a source is newer: other work on the checkout must not turn this test into a build).
  const shell = command.replace(/\bnpx partner-insights\b/g, `node ${DIST_CLI}`);
  const env: NodeJS.ProcessEnv = { ...process.env, PI_DEBUG: '' };
  delete env.PI_DB;
  const ran = spawnSync('bash', ['-c', shell], { cwd: dir, env, encoding: 'utf8', timeout: 120_000 });
  return { code: ran.status, stdout: ran.stdout, stderr: ran.stderr, cwd: dir };
}

beforeAll(async () => {
  build();
  ({ dir, cleanup } = tempDir('pi-start-'));
  dbPath = join(dir, 'warehouse', 'w.duckdb');
  server = spawn(process.execPath, [DIST_CLI, 'start', '--demo-customers', '5', '--demo-months', '3', '--demo-usage-rows', '200'], {
    cwd: dir,
    // PI_LOG_LEVEL: jest's NODE_ENV=test would silence the logs this test reads; PI_LOG_FORMAT unset: auto.
    env: { ...process.env, PI_DB: dbPath, PI_PORT: '0', PI_HOST: '127.0.0.1', PI_LOG_LEVEL: 'info', PI_LOG_FORMAT: '', PI_DEBUG: '', PI_DEMO_DIR: '', PI_JWT_SECRET: 'start-test-secret' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  collect(server.stdout!, 'stdout');
  collect(server.stderr!, 'stderr');
  ready = await waitForLine('"GraphQL ready"', (l) => l.text.startsWith('GraphQL ready at '));
  await waitForLine('the end of the closing block', (l) => l.text === 'Stop with Ctrl+C.', 10_000);
}, 400_000);

afterAll(async () => {
  await stopChild(server);
  cleanup?.();
}, 60_000);

const isJsonLog = (text: string) => {
  try {
    const entry = JSON.parse(text);
    return typeof entry === 'object' && entry !== null && typeof entry.level === 'number' && typeof entry.msg === 'string';
  } catch {
    return false;
  }
};

test('progress by files and rows on stderr before it is ready: the first line, the rebuild step, then the totals', () => {
  const before = lines.slice(0, lines.indexOf(ready));
  const progress = before.filter((l) => l.stream === 'stderr' && /^Loading the demo: \d+\/\d+ files, [\d,]+ rows, \d+ s\b/.test(l.text));
  expect(progress.length).toBeGreaterThanOrEqual(2);
  expect(progress[0].text).toMatch(/^Loading the demo: 0\/(\d+) files, 0 rows, 0 s$/);
  const total = Number(/\/(\d+) files/.exec(progress[0].text)![1]);
  expect(total).toBeGreaterThan(20);
  expect(progress[progress.length - 1].text).toMatch(new RegExp(`^Loading the demo: ${total}/${total} files, [\\d,]+ rows, \\d+ s \\| rebuilding the Insights cubes and PCI rollups$`));
  const stdout = before.filter((l) => l.stream === 'stdout').map((l) => l.text);
  expect(stdout).toContainEqual(expect.stringMatching(new RegExp(`^Loading ${total} files through the ETL`)));
  expect(stdout).toContainEqual(expect.stringMatching(new RegExp(`^Loaded through the ETL in \\d+ s: ${total} file\\(s\\): ${total} loaded \\([\\d,]+ rows\\), 0 skipped as already loaded, 0 rejected`)));
  // Not a terminal: no line rewritten in place, no colours.
  expect(lines.some((l) => /[\r\x1b]/.test(l.text))).toBe(false);
});

test('every line is a JSON log line or a human line, never both; the logs are JSON (no terminal)', () => {
  const json = lines.filter((l) => isJsonLog(l.text));
  expect(json.length).toBeGreaterThanOrEqual(1);
  expect(json.map((l) => JSON.parse(l.text).msg)).toContain('listening');
  expect(json.every((l) => l.stream === 'stdout')).toBe(true);
  for (const l of lines) {
    if (isJsonLog(l.text)) continue;
    // A human line holds no piece of a log entry, and no log entry starts inside it.
    expect({ line: l.text, mixed: /\{"level":|"msg":|"time":\d/.test(l.text) }).toEqual({ line: l.text, mixed: false });
  }
});

/** The closing block: from "GraphQL ready" to "Stop with Ctrl+C.". */
function closingBlock(): string[] {
  const stdout = lines.filter((l) => l.stream === 'stdout').map((l) => l.text);
  const start = stdout.findIndex((t) => t.startsWith('GraphQL ready at '));
  return stdout.slice(start, stdout.indexOf('Stop with Ctrl+C.', start) + 1);
}

/** The commands to try: the line under each numbered item. */
function commands(): string[] {
  const block = closingBlock();
  return block.flatMap((t, i) => (/^ {2}\d\. /.test(t) ? [block[i + 1].trim()] : []));
}

test('the closing block: the IDE and landing page URLs, the demo tokens, three commands', async () => {
  const block = closingBlock();
  const url = /^GraphQL ready at (http:\/\/127\.0\.0\.1:\d+)\/graphql in \d+\.\d s$/.exec(block[0])?.[1];
  expect(url).toBeDefined();
  expect(block).toContain(`  GraphQL IDE:   ${url}/graphql   (open it in a browser; paste a token below into its bar)`);
  expect(block).toContain(`  Landing page:  ${url}/`);
  // Two demo partners, four roles each: a token under each role.
  const tokens = block.filter((t) => JWT.test(t.trim()));
  expect(tokens).toHaveLength(8);
  expect(block.filter((t) => /^ {2}Global admin:$/.test(t))).toHaveLength(2);
  expect(commands()).toHaveLength(3);
  // Both URLs answer a browser (the IDE page and the landing page) without a token.
  for (const path of ['/graphql', '/']) {
    const response = await fetch(`${url}${path}`, { headers: { accept: 'text/html' } });
    expect({ path, status: response.status, type: response.headers.get('content-type') }).toEqual({ path, status: 200, type: expect.stringContaining('text/html') });
  }
});

test('each of the three commands, run as printed, answers with data', () => {
  const [curl, status, exportCsv] = commands();

  expect(curl).toMatch(/^curl -s http:\/\/127\.0\.0\.1:\d+\/graphql -H 'authorization: Bearer eyJ/);
  const query = runPrinted(curl);
  expect(query.code).toBe(0);
  const body = JSON.parse(query.stdout);
  expect(body.errors).toBeUndefined();
  expect(body.data.partner.name).toEqual(expect.any(String));
  expect(body.data.customers.totalCount).toBeGreaterThan(0);
  expect(body.data.customers.edges.length).toBeGreaterThan(0);

  expect(status).toBe(`PI_DB=${dbPath} npx partner-insights status`);
  const s = runPrinted(status);
  expect({ code: s.code, stderr: s.stderr }).toEqual({ code: 0, stderr: '' });
  expect(s.stdout).toContain(`Warehouse ${dbPath}`);
  expect(Number(/^ {2}customers +([\d,]+)$/m.exec(s.stdout)?.[1].replace(/,/g, ''))).toBeGreaterThan(0);

  expect(exportCsv).toMatch(new RegExp(`^PI_DB=${dbPath} npx partner-insights export customer-details --partner [\\w-]+ --out customer-details\\.csv$`));
  const e = runPrinted(exportCsv);
  expect(e.code).toBe(0);
  expect(e.stdout).toMatch(/^wrote customer-details\.csv: customer-details as csv, [1-9][\d,]* rows/);
  const csv = readFileSync(join(e.cwd, 'customer-details.csv'), 'utf8').trim().split('\n');
  expect(csv[0]).toMatch(/^Month,CustomerId,CustomerName,/);
  expect(csv.length).toBeGreaterThan(1);
});
