/**
 * The CLI as a user meets it, in child processes on the compiled code: --version, --help on the
 * program and on every command (printing, starting nothing), unknown commands and options (exit 2),
 * and the one exit-code table for the errors commands throw.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { COMMANDS } from '../../cli/commands';
import { EXIT, UsageError, exitCodeFor } from '../../cli/exit-codes';
import { runCli } from '../../cli/program';
import { DomainError, ERROR_OUTCOMES, ErrorCode } from '../../core/errors';

const ROOT = resolve(__dirname, '../..');
const BIN = join(ROOT, 'bin/partner-insights');
const DIST_CLI = join(ROOT, 'dist/cli/main.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

let dir: string;
let env: NodeJS.ProcessEnv;

interface Ran {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** `node dist/cli/main.js ...args`; killed after `timeoutMs` (a command that started something). */
function cli(args: string[], timeoutMs = 30_000, command = process.execPath, prefix = [DIST_CLI]): Promise<Ran> {
  return new Promise((done, fail) => {
    const started = Date.now();
    const child = spawn(command, [...prefix, ...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      done({ code, signal, stdout, stderr, ms: Date.now() - started });
    });
  });
}

/** A port nothing listens on (it was free a moment ago). */
function freePort(): Promise<number> {
  return new Promise((done) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

/** Whether something accepts connections on the port. */
function listening(port: number): Promise<boolean> {
  return new Promise((done) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), done(true)));
    socket.once('error', () => done(false));
  });
}

beforeAll(async () => {
  // The build that exists, rebuilt only when a source is newer (the bin's check), as `npx partner-insights` does.
  const build = spawnSync(BIN, [], { cwd: ROOT, env: { ...process.env, PI_BUILD_ONLY: '1' }, encoding: 'utf8', timeout: 280_000 });
  if (build.status !== 0 || !existsSync(DIST_CLI)) throw new Error(`bin/partner-insights did not build dist/cli: ${build.stderr}`);
  dir = mkdtempSync(join(tmpdir(), 'pi-cli-'));
  // Anything a command should not have started would show here: a warehouse, demo files, a port.
  env = { ...process.env, PI_DB: join(dir, 'warehouse.duckdb'), PI_DEMO_DIR: join(dir, 'demo'), PI_PORT: String(await freePort()), PI_DEBUG: '' };
}, 300_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('--version prints package.json version, from dist and through bin/partner-insights', async () => {
  const ran = await cli(['--version']);
  expect(ran).toMatchObject({ code: 0, stdout: `${VERSION}\n`, stderr: '' });
  const bin = await cli(['--version'], 280_000, BIN, []);
  expect(bin.code).toBe(0);
  expect(bin.stdout).toBe(`${VERSION}\n`);
}, 300_000);

test('--help (and no command at all) lists every command with its summary and the exit codes', async () => {
  for (const args of [['--help'], [], ['help']]) {
    const ran = await cli(args);
    expect(ran.code).toBe(0);
    expect(ran.stderr).toBe('');
    expect(ran.stdout).toMatch(/^Usage: partner-insights <command> \[options\]/);
    for (const c of COMMANDS) expect(ran.stdout).toMatch(new RegExp(`^  ${c.name}\\b`, 'm'));
    expect(ran.stdout).toMatch(/Exit codes: 0 .*; 1 .*; 2 refused before any work/s);
  }
});

test('<command> --help prints the usage of every command, exits 0 and starts nothing', async () => {
  const port = Number(env.PI_PORT);
  const runs = await Promise.all(COMMANDS.map(async (c) => ({ name: c.name, help: await cli([c.name, '--help'], 20_000), h: await cli(['help', c.name], 20_000) })));
  for (const { name, help, h } of runs) {
    expect({ name, code: help.code, signal: help.signal, stderr: help.stderr }).toEqual({ name, code: 0, signal: null, stderr: '' });
    expect(help.stdout).toMatch(new RegExp(`^Usage: partner-insights ${name} `));
    expect(help.stdout).toContain('-h, --help');
    expect(h.code).toBe(0);
    expect(h.stdout).toBe(help.stdout);
  }
  // start and serve would keep running a server: --help returned by itself, promptly.
  for (const name of ['start', 'serve']) {
    const help = runs.find((r) => r.name === name)!.help;
    expect(help.stdout).not.toMatch(/GraphQL ready|gateway at/);
    expect(help.ms).toBeLessThan(15_000);
  }
  expect(await listening(port)).toBe(false);
  // No warehouse opened, no demo data written.
  expect(readdirSync(dir)).toEqual([]);
}, 120_000);

test('output piped into a reader that stops (`formats | head -2`) ends quietly with exit 0, not a crash on EPIPE', async () => {
  const child = spawn(process.execPath, [DIST_CLI, 'formats'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  // The reader goes away before the command writes (as `head` does once it has its lines).
  child.stdout.destroy();
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((done) => child.on('close', (c, s) => done([c, s])));
  expect({ code, signal, stderr }).toEqual({ code: 0, signal: null, stderr: '' });
});

test('an unknown command is a message on stderr and exit 2', async () => {
  const ran = await cli(['frobnicate']);
  expect(ran.code).toBe(EXIT.USAGE);
  expect(ran.stdout).toBe('');
  expect(ran.stderr).toMatch(/^partner-insights: unknown command 'frobnicate'\n/);
  expect(ran.stderr).toContain('partner-insights --help');
});

/** What each command needs besides options that are optional, so that an unknown option is the only mistake. */
const REQUIRED: Record<string, string[]> = {
  generate: ['--out', 'demo'],
  load: ['files'],
  token: ['--partner', 'p1'],
  report: ['executive', '--month', '2026-05', '--partner', 'p1', '--out', 'report.html'],
  export: ['partner-profile', '--out', 'profile.csv', '--partner', 'p1'],
};

test('an unknown option on any command is a message on stderr and exit 2, and starts nothing', async () => {
  expect(Object.keys(REQUIRED).filter((name) => !COMMANDS.some((c) => c.name === name))).toEqual([]);
  const runs = await Promise.all(COMMANDS.map(async (c) => ({ name: c.name, ran: await cli([c.name, ...(REQUIRED[c.name] ?? []), '--frobnicate'], 20_000) })));
  for (const { name, ran } of runs) {
    expect({ name, code: ran.code, stdout: ran.stdout }).toEqual({ name, code: EXIT.USAGE, stdout: '' });
    expect(ran.stderr).toContain(`partner-insights ${name}: unknown option '--frobnicate'`);
    expect(ran.stderr).toContain(`partner-insights ${name} --help`);
  }
  const top = await cli(['--frobnicate']);
  expect(top.code).toBe(EXIT.USAGE);
  expect(top.stderr).toContain("unknown option '--frobnicate'");
  expect(readdirSync(dir)).toEqual([]);
}, 120_000);

test('a missing or malformed value is exit 2 in every command, saying what is wrong', async () => {
  const cases: [string[], RegExp][] = [
    [['generate'], /required option '--out <dir>' not specified/],
    [['generate', '--out', join(dir, 'x'), '--seed', 'seven'], /--seed needs a whole number, not "seven"/],
    [['load'], /missing required argument 'file\|dir'/],
    [['status', '--limit', '-1'], /--limit needs a whole number/],
    [['status', 'extra'], /too many arguments/],
    [['serve', '--port', 'http'], /--port must be a port number, got "http"/],
    [['token', '--role', 'Global admin'], /required option '--partner <id>' not specified/],
    [['token', '--partner', 'p1'], /at least one --role is required; roles are: Global admin/],
    [['token', '--partner', 'p1', '--role', 'Boss'], /unknown role\(s\) "Boss"; roles are: Global admin/],
    [['report', 'weekly', '--month', '2026-05', '--partner', 'p', '--out', 'x.html'], /value 'weekly' is invalid for argument 'report'\. Allowed choices are executive/],
    [['report', 'executive', '--month', '2026/05', '--partner', 'p', '--out', 'x.html'], /month must be YYYY-MM/],
    [['export', 'a', 'b', '--out', 'x.csv', '--partner', 'p'], /too many arguments/],
    [['export', '--out', 'x.csv', '--partner', 'p'], /which dataset\? datasets: partner-profile, /],
  ];
  const runs = await Promise.all(cases.map(async ([args, message]) => ({ args, message, ran: await cli(args) })));
  for (const { args, message, ran } of runs) {
    expect({ args, code: ran.code }).toEqual({ args, code: EXIT.USAGE });
    expect(ran.stderr).toMatch(message);
  }
  expect(readdirSync(dir)).toEqual([]);
}, 120_000);

describe('the exit-code table', () => {
  it('maps every domain error through ERROR_OUTCOMES, usage mistakes to 2, anything else to none (1)', () => {
    for (const code of Object.values(ErrorCode)) expect(exitCodeFor(new DomainError(code, 'x'))).toBe(ERROR_OUTCOMES[code].exitCode);
    expect(exitCodeFor(new DomainError(ErrorCode.FORBIDDEN, 'x'))).toBe(EXIT.USAGE);
    expect(exitCodeFor(new DomainError(ErrorCode.BAD_USER_INPUT, 'x'))).toBe(EXIT.USAGE);
    expect(exitCodeFor(new UsageError('x'))).toBe(EXIT.USAGE);
    expect(exitCodeFor(new Error('x'))).toBeUndefined();
  });

  it('the program prints a thrown error as "partner-insights <command>: message" with the exit code of the table', async () => {
    const err: string[] = [];
    const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => (err.push(String(chunk)), true));
    try {
      expect(await runCli(['token', '--partner', 'p1', '--role', 'Boss'], COMMANDS)).toBe(EXIT.USAGE);
      expect(err.join('')).toMatch(/^partner-insights token: unknown role\(s\) "Boss"; roles are: .*\nusage: partner-insights token --partner <id> --role/s);
    } finally {
      spy.mockRestore();
    }
  });
});
