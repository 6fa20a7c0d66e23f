import { basename } from 'node:path';
import type { LoadProgress, LoadResult } from '../../etl/load';
import { defineCommand } from '../command';
import { EXIT, UsageError } from '../exit-codes';

interface LoadFlags {
  maxBadShare?: string;
  format?: string;
  json?: boolean;
  progress?: boolean;
}

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
 * one transaction per file. Prints one summary line per file; exits FAILURE (1) when a file was rejected.
 */
export const loadCommand = defineCommand('load', (command) => {
  command
    .summary('load Partner Center files (CSV/TSV, any format of `formats`) into the warehouse')
    .description(
      'Load Partner Center files into the warehouse (PI_DB), one transaction per file; a directory loads every CSV/TSV below it, ' +
        'reference data first. Prints one summary line per file; a file already loaded is skipped. Exits 3 when a file was rejected.',
    )
    .usage('<file|dir>... [--max-bad-share <0..1>] [--format <name>] [--json] [--progress|--no-progress]')
    .argument('<file|dir...>', 'files, or folders to load every CSV/TSV below')
    .option('--max-bad-share <share>', 'reject a file when more than this share of its rows is bad (0..1; default: PI_MAX_BAD_ROW_SHARE, else below)')
    .option('--format <name>', 'the format of every file (`partner-insights formats`), instead of detecting it')
    .option('--json', 'print the results as JSON')
    .option('--progress', 'print progress on stderr (default: on a terminal)')
    .option('--no-progress', 'no progress')
    .addHelpText('after', () => {
      // Only for --help: the loader's module is not loaded otherwise.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { DEFAULT_MAX_BAD_ROW_SHARE } = require('../../etl/load') as typeof import('../../etl/load');
      return `\nDefault --max-bad-share without PI_MAX_BAD_ROW_SHARE: ${DEFAULT_MAX_BAD_ROW_SHARE}.`;
    });
  return async (paths: string[], options: LoadFlags) => {
    const { checkShare, formatReasons, formatSummary, formatTotals, loadFiles, maxBadShareFromEnv } = await import('../../etl/load');
    let maxBadShare: number;
    try {
      maxBadShare = options.maxBadShare === undefined ? maxBadShareFromEnv() : checkShare(Number(options.maxBadShare), '--max-bad-share');
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const { openWarehouse } = await import('../../warehouse/open');
    const tty = Boolean(process.stderr.isTTY);
    const showProgress = options.progress ?? tty;
    const json = Boolean(options.json);
    const printer = progressPrinter(tty);
    const db = await openWarehouse();
    let results: LoadResult[];
    try {
      results = await loadFiles(db, paths, {
        maxBadShare,
        format: options.format,
        onProgress: showProgress ? (p) => printer.update(p) : undefined,
        onResult: (r) => {
          printer.clear();
          if (json) return;
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
    if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    else if (results.length > 1) process.stdout.write(`${formatTotals(results)}\n`);
    return results.some((r) => r.status === 'rejected') ? EXIT.FAILURE : EXIT.OK;
  };
});
