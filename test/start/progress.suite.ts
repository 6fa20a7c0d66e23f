/**
 * The progress line of `start` (cli/progress.ts), the log format (gateway/logger.ts) and the closing
 * block (cli/commands/start.ts readyBlock), without a process: a stand-in stream (a terminal of a
 * given width, or a pipe) and a clock the test moves.
 */
import { BatchProgress, elapsed, fileLine, fitLine, formatBatchLine, LiveLine, progressLine, progressPrinter, type ProgressOut } from '../../cli/progress';
import { readyBlock } from '../../cli/commands/start';
import { createLogger, formatLogLine, logFormat, prettyDestination } from '../../gateway/logger';

const ERASE = '\r\x1b[2K';

/** A stream that keeps what is written, `columns` wide when it stands for a terminal. */
function stream(columns?: number): ProgressOut & { chunks: string[]; text(): string } {
  const chunks: string[] = [];
  return { columns, chunks, write: (t: string) => chunks.push(t), text: () => chunks.join('') };
}

function clock(start = 1_000_000): { now: () => number; advance(ms: number): void } {
  let t = start;
  return { now: () => t, advance: (ms) => (t += ms) };
}

describe('the batch progress line', () => {
  it('says files done of all, rows, elapsed time, and the file being loaded with its phase', () => {
    const line = formatBatchLine({
      label: 'Loading the demo',
      filesDone: 41,
      filesTotal: 318,
      rows: 52_210,
      elapsedMs: 12_400,
      current: { progress: { path: '/d/contoso/usage.csv', phase: 'reading', fraction: 0.4, sizeBytes: 12_000_000 }, name: 'contoso/usage.csv' },
    });
    expect(line).toBe('Loading the demo: 41/318 files, 52,210 rows, 12 s | contoso/usage.csv (12 MB): reading 40%');
    expect(formatBatchLine({ label: 'L', filesDone: 318, filesTotal: 318, rows: 1_446_452, elapsedMs: 125_000, step: 'rebuilding the rollups' })).toBe(
      'L: 318/318 files, 1,446,452 rows, 2 min 05 s | rebuilding the rollups',
    );
    expect(formatBatchLine({ label: 'L', filesDone: 0, filesTotal: 3, rows: 0, elapsedMs: 0 })).toBe('L: 0/3 files, 0 rows, 0 s');
  });

  it('pieces: elapsed time, a file and its phase, a line cut to the terminal width', () => {
    expect([elapsed(0), elapsed(59_999), elapsed(60_000), elapsed(3_723_000)]).toEqual(['0 s', '59 s', '1 min 00 s', '62 min 03 s']);
    expect(fileLine({ path: '/x/customers.csv', phase: 'hashing', sizeBytes: 1500 })).toBe('customers.csv (2 kB): hashing');
    expect(fileLine({ path: '/x/a.csv', phase: 'checking', fraction: 0.999, sizeBytes: 2.5e9 }, 'p/a.csv')).toBe('p/a.csv (2.5 GB): checking 99%');
    const long = 'x'.repeat(100);
    expect(fitLine(long, 40)).toBe(`${'x'.repeat(38)}…`);
    expect(fitLine(long, 40).length).toBeLessThan(40);
    expect(fitLine('short', 40)).toBe('short');
    expect(fitLine(long, undefined)).toBe(long);
  });

  it('on a terminal: one line rewritten in place, never wider than the terminal, at most ten times a second, erased at the end', () => {
    const out = stream(60);
    const t = clock();
    const progress = new BatchProgress('Loading the demo', 300, '/demo', { tty: true, out, now: t.now, tickMs: 0 });
    progress.show();
    progress.file({ path: '/demo/contoso/recon/G110626036_DailyRatedUsage.csv', phase: 'reading', fraction: 0.5, sizeBytes: 7e6 });
    // Within 100 ms of the last drawing: not drawn again.
    expect(out.chunks).toHaveLength(1);
    t.advance(150);
    progress.done(1234);
    t.advance(150);
    progress.step('rebuilding the Insights cubes and PCI rollups');
    progress.stop();
    expect(out.chunks[0]).toBe(`${ERASE}Loading the demo: 0/300 files, 0 rows, 0 s`);
    expect(out.chunks[1]).toBe(`${ERASE}Loading the demo: 1/300 files, 1,234 rows, 0 s`);
    expect(out.chunks[2].startsWith(`${ERASE}Loading the demo: 1/300 files, 1,234 rows, 0 s | rebuild`)).toBe(true);
    expect(out.chunks[out.chunks.length - 1]).toBe(ERASE);
    for (const chunk of out.chunks) {
      expect(chunk.startsWith(ERASE)).toBe(true);
      expect(chunk).not.toContain('\n');
      expect(chunk.length - ERASE.length).toBeLessThan(60);
    }
  });

  it('on a terminal: clear() erases the line before other output, and the next update draws it again', () => {
    const out = stream(200);
    const t = clock();
    const progress = new BatchProgress('L', 2, undefined, { tty: true, out, now: t.now, tickMs: 0 });
    progress.show();
    progress.clear();
    progress.file({ path: '/a/b.csv', phase: 'hashing', sizeBytes: 10 });
    expect(out.chunks).toEqual([`${ERASE}L: 0/2 files, 0 rows, 0 s`, ERASE, `${ERASE}L: 0/2 files, 0 rows, 0 s | b.csv (1 kB): hashing`]);
    progress.stop();
  });

  it('without a terminal: plain lines, one at the start, then at most one every 5 s, and at once for a new step', () => {
    const out = stream();
    const t = clock();
    const progress = new BatchProgress('L', 100, '/demo', { tty: false, out, now: t.now, tickMs: 0 });
    progress.show();
    for (let i = 0; i < 100; i++) {
      t.advance(200);
      progress.file({ path: `/demo/p/f${i}.csv`, phase: 'reading', fraction: 0.5, sizeBytes: 1e6 });
      progress.done(10);
    }
    progress.step('rebuilding');
    progress.stop();
    const lines = out.text().split('\n').filter(Boolean);
    // 20 s of loading: the first line, one every 5 s (4), the step.
    expect(lines).toEqual([
      'L: 0/100 files, 0 rows, 0 s',
      'L: 24/100 files, 240 rows, 5 s | p/f24.csv (1 MB): reading 50%',
      'L: 49/100 files, 490 rows, 10 s | p/f49.csv (1 MB): reading 50%',
      'L: 74/100 files, 740 rows, 15 s | p/f74.csv (1 MB): reading 50%',
      'L: 99/100 files, 990 rows, 20 s | p/f99.csv (1 MB): reading 50%',
      'L: 100/100 files, 1,000 rows, 20 s | rebuilding',
    ]);
    expect(out.text()).not.toMatch(/[\r\x1b]/);
  });

  it('its clock draws the line again while nothing else happens (a long step)', async () => {
    const out = stream(100);
    const line = new LiveLine((ms) => `step ${ms >= 0 ? 'running' : ''}`, { tty: true, out, tickMs: 20 });
    line.update(true);
    line.clear();
    await new Promise((r) => setTimeout(r, 200));
    line.stop();
    // Drawn, erased, drawn again by the clock, erased by stop().
    expect(out.chunks.filter((c) => c.includes('step running')).length).toBeGreaterThanOrEqual(2);
    expect(out.chunks[out.chunks.length - 1]).toBe(ERASE);
  });

  it("load's and export's progress printers (moved to cli/progress.ts) print as before", () => {
    const out = stream(80);
    const load = progressPrinter(false, 1000, out);
    load.update({ path: '/x/a.csv', phase: 'reading', fraction: 0.05, sizeBytes: 2e6 });
    load.update({ path: '/x/a.csv', phase: 'reading', fraction: 0.07, sizeBytes: 2e6 });
    load.update({ path: '/x/a.csv', phase: 'reading', fraction: 0.15, sizeBytes: 2e6 });
    expect(out.text()).toBe('a.csv (2 MB): reading 5%\na.csv (2 MB): reading 15%\n');
    const tty = stream(80);
    const exp = progressLine('focus', true, 'rows', tty);
    exp.update(10); // within the first second: nothing
    exp.clear();
    expect(tty.chunks).toEqual([]);
  });
});

describe('the log format', () => {
  const entry = { level: 30, time: new Date(2026, 11, 6, 14, 3, 7).getTime(), pid: 1, hostname: 'h', name: 'partner-insights', url: 'http://localhost:4000', mode: 'gateway', msg: 'listening' };

  it('PI_LOG_FORMAT: json, pretty, or auto (pretty on a terminal only); anything else is refused', () => {
    expect(logFormat({}, true)).toBe('pretty');
    expect(logFormat({}, false)).toBe('json');
    expect(logFormat({ PI_LOG_FORMAT: 'auto' }, true)).toBe('pretty');
    expect(logFormat({ PI_LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormat({ PI_LOG_FORMAT: 'PRETTY' }, false)).toBe('pretty');
    expect(() => logFormat({ PI_LOG_FORMAT: 'xml' }, false)).toThrow('PI_LOG_FORMAT must be json, pretty or auto, got "xml"');
  });

  it('a human line: HH:MM:SS LEVEL message key=value, without pid, hostname and name', () => {
    expect(formatLogLine(JSON.stringify(entry))).toBe('14:03:07 INFO  listening url=http://localhost:4000 mode=gateway\n');
    expect(formatLogLine(JSON.stringify({ ...entry, url: undefined, mode: undefined, level: 40, msg: 'slow', ms: 12.5, path: '/a b', ok: true, hint: { x: 1 } }))).toBe(
      '14:03:07 WARN  slow ms=12.5 path="/a b" ok=true hint={"x":1}\n',
    );
    // A message with line breaks stays one line; an error's stack follows at level error.
    expect(formatLogLine(JSON.stringify({ ...entry, msg: 'Gateway successfully loaded schema.\n\t* Mode: unmanaged', url: undefined, mode: undefined }))).toBe(
      '14:03:07 INFO  Gateway successfully loaded schema. * Mode: unmanaged\n',
    );
    const err = { type: 'Error', message: 'boom', stack: 'Error: boom\n    at f (x.ts:1:1)' };
    expect(formatLogLine(JSON.stringify({ ...entry, level: 50, msg: 'failed', url: undefined, mode: undefined, err }))).toBe(
      '14:03:07 ERROR failed err=boom\n    Error: boom\n    at f (x.ts:1:1)\n',
    );
    expect(formatLogLine(JSON.stringify({ ...entry, level: 40, msg: 'x', url: undefined, mode: undefined, err }))).toBe('14:03:07 WARN  x err=boom\n');
    expect(formatLogLine('not json')).toBe('not json\n');
    expect(formatLogLine(JSON.stringify(entry), { color: true })).toBe('\x1b[2m14:03:07\x1b[0m \x1b[32mINFO \x1b[0m listening url=http://localhost:4000 mode=gateway\n');
  });

  it('createLogger: JSON without a terminal (the tests, a pipe), human lines with PI_LOG_FORMAT=pretty, one write a line', () => {
    const saved = { format: process.env.PI_LOG_FORMAT, level: process.env.PI_LOG_LEVEL };
    const writes: string[] = [];
    const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (writes.push(String(chunk)), true));
    try {
      process.env.PI_LOG_LEVEL = 'info';
      process.env.PI_LOG_FORMAT = 'pretty';
      createLogger().info({ port: 4000 }, 'hello');
      expect(writes).toEqual([expect.stringMatching(/^\d\d:\d\d:\d\d INFO {2}hello port=4000\n$/)]);
      const lines: string[] = [];
      prettyDestination({ write: (s: string) => lines.push(s) }).write(`${JSON.stringify(entry)}\n`);
      expect(lines).toEqual(['14:03:07 INFO  listening url=http://localhost:4000 mode=gateway\n']);
    } finally {
      spy.mockRestore();
      for (const [key, value] of [['PI_LOG_FORMAT', saved.format], ['PI_LOG_LEVEL', saved.level]] as const) {
        if (value === undefined) delete process.env[key];
        else process.env[key] = value;
      }
    }
    // Auto under jest (stdout is not a terminal): JSON, as the suites that read logs expect.
    expect(logFormat()).toBe(process.stdout.isTTY ? 'pretty' : 'json');
  });
});

describe('the closing block', () => {
  const partners = [
    { id: 'p-1', name: "O'Brien Cloud", type: 'Direct bill partner', tokens: [{ label: 'Global admin', token: 'tok.en.1' }, { label: 'Report viewer', token: 'tok.en.2' }] },
  ];
  const server = { url: 'http://localhost:4000', graphqlUrl: 'http://localhost:4000/graphql' };

  it('the IDE and landing page URLs, the tokens, three commands; PI_DB in front of the CLI commands when it is set (quoted for the shell)', () => {
    const block = readyBlock(server, partners, 41.26, { PI_DB: '/tmp/my data/w.duckdb' });
    expect(block).toContain('GraphQL ready at http://localhost:4000/graphql in 41.3 s');
    expect(block).toContain('  GraphQL IDE:   http://localhost:4000/graphql');
    expect(block).toContain('  Landing page:  http://localhost:4000/\n');
    expect(block).toContain('  Global admin:\n    tok.en.1\n  Report viewer:\n    tok.en.2\n');
    expect(block).toContain("    curl -s http://localhost:4000/graphql -H 'authorization: Bearer tok.en.1' -H 'content-type: application/json' -d '{\"query\":");
    expect(block).toContain("    PI_DB='/tmp/my data/w.duckdb' npx partner-insights status\n");
    expect(block).toContain("    PI_DB='/tmp/my data/w.duckdb' npx partner-insights export customer-details --partner p-1 --out customer-details.csv\n");
    expect(readyBlock(server, partners, 1, {})).toContain('\n    npx partner-insights status\n');
  });

  it('an empty warehouse (start --no-demo): the URLs and how to load files, no commands that would answer nothing', () => {
    const block = readyBlock(server, [], 1, {});
    expect(block).toContain('Landing page:  http://localhost:4000/');
    expect(block).toContain('npx partner-insights load <file|dir>');
    expect(block).not.toContain('Try');
  });
});
