import pino, { type DestinationStream, type Logger } from 'pino';

/**
 * The server's logger (pino). Level: PI_LOG_LEVEL, default info; silent under jest unless
 * PI_LOG_LEVEL is set. Format: PI_LOG_FORMAT (read here, like PI_LOG_LEVEL):
 *
 *   auto (default)  human lines when stdout is a terminal, JSON lines otherwise (a pipe, a file, a
 *                   log collector, the tests)
 *   json            one JSON object a line (pino's own output), always
 *   pretty          "HH:MM:SS LEVEL message key=value ...", always
 *
 * The human form is a small pino destination (prettyDestination): each JSON line pino writes is
 * turned into one line (an error's stack follows it, indented), written with one write call, so that
 * it never shares a line with what the CLI prints.
 */
export type LogFormat = 'json' | 'pretty';

/** PI_LOG_FORMAT as a format: json, pretty, or (auto, unset) pretty only on a terminal. */
export function logFormat(env: NodeJS.ProcessEnv = process.env, stdoutIsTty: boolean = Boolean(process.stdout.isTTY)): LogFormat {
  const raw = (env.PI_LOG_FORMAT ?? '').trim().toLowerCase();
  if (raw === 'json' || raw === 'pretty') return raw;
  if (raw !== '' && raw !== 'auto') throw new Error(`PI_LOG_FORMAT must be json, pretty or auto, got "${env.PI_LOG_FORMAT}"`);
  return stdoutIsTty ? 'pretty' : 'json';
}

export function createLogger(): Logger {
  const level = process.env.PI_LOG_LEVEL || (process.env.NODE_ENV === 'test' ? 'silent' : 'info');
  const options = { name: 'partner-insights', level };
  if (logFormat() === 'json') return pino(options);
  return pino(options, prettyDestination(process.stdout, { color: Boolean(process.stdout.isTTY) && !process.env.NO_COLOR }));
}

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
const COLORS: Record<number, string> = { 10: '90', 20: '90', 30: '32', 40: '33', 50: '31', 60: '35' };
/** pino's own fields: shown as the time, level and message, or not at all (pid, hostname, name). */
const OWN_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'name', 'v']);

const two = (n: number) => String(n).padStart(2, '0');

/** A value of a key=value pair: bare when it is a plain word, else quoted (JSON). */
function pairValue(value: unknown): string {
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value);
  if (value === null || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/**
 * One pino JSON line as a human line: "14:03:07 INFO  listening url=http://localhost:4000 mode=gateway".
 * An error (`err`, pino's serializer: type, message, stack) is shown as err="message", and at level
 * error and above its stack follows on indented lines. A line that is not JSON is returned as it is.
 */
export function formatLogLine(line: string, options: { color?: boolean } = {}): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line.endsWith('\n') ? line : `${line}\n`;
  }
  if (!entry || typeof entry !== 'object') return `${line.trimEnd()}\n`;
  const level = Number(entry.level);
  const time = new Date(typeof entry.time === 'number' ? entry.time : Date.now());
  const label = (LEVELS[level] ?? String(entry.level ?? '')).padEnd(5);
  const paint = (code: string, text: string) => (options.color ? `\x1b[${code}m${text}\x1b[0m` : text);
  const pairs: string[] = [];
  let stack: string | undefined;
  for (const [key, value] of Object.entries(entry)) {
    if (OWN_FIELDS.has(key) || value === undefined) continue;
    if (key === 'err' && value && typeof value === 'object') {
      const err = value as { message?: unknown; stack?: unknown };
      pairs.push(`err=${pairValue(String(err.message ?? ''))}`);
      if (level >= 50 && typeof err.stack === 'string') stack = err.stack;
      continue;
    }
    pairs.push(`${key}=${pairValue(value)}`);
  }
  const head = `${paint('2', `${two(time.getHours())}:${two(time.getMinutes())}:${two(time.getSeconds())}`)} ${paint(COLORS[level] ?? '0', label)}`;
  // A message with line breaks (Apollo Gateway's "loaded schema.\n\t* Mode: ...") stays on its line: one line an entry.
  const message = typeof entry.msg === 'string' ? entry.msg.replace(/\s*[\r\n]+\s*/g, ' ').trim() : entry.msg === undefined ? '' : pairValue(entry.msg);
  const text = [head, message, ...pairs].filter(Boolean).join(' ');
  const trace = stack ? `\n${stack.split('\n').map((l) => `    ${l.trim()}`).join('\n')}` : '';
  return `${text}${trace}\n`;
}

/** A pino destination writing each entry as formatLogLine's human line to `out` (one write a line). */
export function prettyDestination(out: { write(chunk: string): unknown }, options: { color?: boolean } = {}): DestinationStream {
  return {
    write(chunk: string) {
      // pino writes one entry (one line) a call.
      for (const line of chunk.split('\n')) if (line) out.write(formatLogLine(line, options));
    },
  };
}

/** The logger shape Apollo Server and Apollo Gateway take. */
export function apolloLogger(log: Logger) {
  return {
    debug: (message: unknown) => log.debug(String(message)),
    info: (message: unknown) => log.info(String(message)),
    warn: (message: unknown) => log.warn(String(message)),
    error: (message: unknown) => log.error(String(message)),
  };
}

export type { Logger };
