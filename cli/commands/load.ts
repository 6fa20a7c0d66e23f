import { openWarehouse } from '../../warehouse/open';
import { basename } from 'node:path';
import type { Command } from '../command';
import { Warehouse } from '../../warehouse/db';
import { checkShare, formatReasons, formatSummary, formatTotals, loadFiles, maxBadShareFromEnv, type LoadProgress, type LoadResult } from '../../etl/load';

const USAGE = 'load <file|dir>... [--max-bad-share <0..1>] [--format <name>] [--json] [--progress|--no-progress]';

interface Args {
  paths: string[];
  maxBadShare: number;
  format?: string;
  json: boolean;
  progress?: boolean;
}

function parseArgs(args: string[]): Args {
  const out: Args = { paths: [], maxBadShare: maxBadShareFromEnv(), json: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      const v = inline ?? args[++i];
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    if (flag === '--max-bad-share') out.maxBadShare = checkShare(Number(value()), '--max-bad-share');
    else if (flag === '--format') out.format = value();
    else if (flag === '--json') out.json = true;
    else if (flag === '--progress') out.progress = true;
    else if (flag === '--no-progress') out.progress = false;
    else if (flag.startsWith('-')) throw new UsageError(`unknown option ${flag}`);
    else out.paths.push(a);
  }
  if (!out.paths.length) throw new UsageError('no file or directory given');
  return out;
}

class UsageError extends Error {}

function size(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(0)} MB`;
  return `${Math.ceil(bytes / 1e3)} kB`;
}

/**
 * Progress on stderr for loads that take more than a second: one rewritten line on a terminal,
 * plain lines (each phase, every 10%) when asked for with --progress without one.
 */
function progressPrinter(tty: boolean, afterMs = 1000): { update(p: LoadProgress): void; clear(): void } {
  let shown = '';
  let lastPlain = '';
  let file = '';
  let since = 0;
  return {
    update(p) {
      if (p.path !== file) {
        file = p.path;
        since = Date.now();
      }
      if (tty && Date.now() - since < afterMs) return;
      const pct = p.fraction === undefined ? '' : ` ${Math.floor(p.fraction * 100)}%`;
      const line = `${basename(p.path)} (${size(p.sizeBytes)}): ${p.phase}${pct}`;
      if (tty) {
        if (line === shown) return;
        process.stderr.write(`\r\x1b[2K${line}`);
        shown = line;
      } else {
        const key = `${p.path}:${p.phase}:${p.fraction === undefined ? '' : Math.floor(p.fraction * 10)}`;
        if (key === lastPlain) return;
        lastPlain = key;
        process.stderr.write(`${line}\n`);
      }
    },
    clear() {
      if (tty && shown) process.stderr.write('\r\x1b[2K');
      shown = '';
    },
  };
}

/**
 * `partner-insights load <file|dir>...`: loads Partner Center files into the warehouse (PI_DB),
 * one transaction per file. Prints one summary line per file; exits 1 when a file was rejected.
 */
export const loadCommand: Command = {
  name: 'load',
  usage: USAGE,
  summary: 'load Partner Center files (CSV/TSV, any format of `formats`) into the warehouse',
  async run(argv) {
    let args: Args;
    try {
      args = parseArgs(argv);
    } catch (err) {
      if (!(err instanceof UsageError) && !/must be a number/.test((err as Error).message)) throw err;
      process.stderr.write(`partner-insights load: ${(err as Error).message}\nusage: partner-insights ${USAGE}\n`);
      return 2;
    }
    const tty = Boolean(process.stderr.isTTY);
    const showProgress = args.progress ?? tty;
    const printer = progressPrinter(tty);
    const db = await openWarehouse();
    let results: LoadResult[];
    try {
      results = await loadFiles(db, args.paths, {
        maxBadShare: args.maxBadShare,
        format: args.format,
        onProgress: showProgress ? (p) => printer.update(p) : undefined,
        onResult: (r) => {
          printer.clear();
          if (args.json) return;
          if (r.notice) process.stdout.write(`${r.fileName}: ${r.notice}\n`);
          process.stdout.write(`${formatSummary(r)}\n`);
          for (const line of formatReasons(r)) process.stdout.write(`  ${line}\n`);
          if (process.env.PI_DEBUG) {
            const t = Object.entries(r.timings).map(([k, v]) => `${k} ${v.toFixed(2)}s`);
            process.stderr.write(`  timings: ${t.join(', ')}\n`);
          }
          if (r.quarantineEntries > r.reasons.length) {
            process.stdout.write(`  ... and ${r.quarantineEntries - r.reasons.length} more: partner-insights status --limit <n>\n`);
          }
        },
      });
    } finally {
      printer.clear();
      db.close();
    }
    if (args.json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else if (results.length > 1) process.stdout.write(`${formatTotals(results)}\n`);
    return results.some((r) => r.status === 'rejected') ? 1 : 0;
  },
};
