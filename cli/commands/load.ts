import { basename } from 'node:path';
import type { LoadResult } from '../../etl/load';
import type { WarehouseOwner } from '../../warehouse/owner';
import { defineCommand, type ActionResult } from '../command';
import { EXIT, UsageError } from '../exit-codes';
import { progressPrinter } from '../progress';
import { findOwner, OwnerClient, RemoteError } from '../remote';

interface LoadFlags {
  maxBadShare?: string;
  format?: string;
  partner?: string;
  customer?: string;
  invoice?: string;
  json?: boolean;
  progress?: boolean;
}

/** Prints a file's result as it ends: the summary line, the first reasons, and how to see more. */
function printResult(r: LoadResult, json: boolean): void {
  // Loaded here, like the rest of the loader: --help does not load it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { formatReasons, formatSummary } = require('../../etl/load') as typeof import('../../etl/load');
  if (json) return;
  if (r.notice) process.stdout.write(`${r.fileName}: ${r.notice}\n`);
  process.stdout.write(`${formatSummary(r)}\n`);
  for (const line of formatReasons(r)) process.stdout.write(`  ${line}\n`);
  if (process.env.PI_DEBUG && Object.keys(r.timings).length) {
    const t = Object.entries(r.timings).map(([k, v]) => `${k} ${v.toFixed(2)}s`);
    process.stderr.write(`  timings: ${t.join(', ')}\n`);
  }
  if (r.quarantineEntries > r.reasons.length) {
    process.stdout.write(`  ... and ${r.quarantineEntries - r.reasons.length} more: partner-insights status --limit <n>\n`);
  }
}

/** What `load` prints after the files: the results as JSON, or the totals of more than one file. */
function printEnd(results: LoadResult[], json: boolean): void {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { formatTotals } = require('../../etl/load') as typeof import('../../etl/load');
  if (json) process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
  else if (results.length > 1) process.stdout.write(`${formatTotals(results)}\n`);
}

interface LoadRun {
  paths: string[];
  maxBadShare: number;
  format?: string;
  /** The loader's partnerId, customerId, invoiceNumber (etl/load LoadOptions). */
  scope: { partnerId?: string; customerId?: string; invoiceNumber?: string };
  json: boolean;
  showProgress: boolean;
  tty: boolean;
}

/**
 * `partner-insights load <file|dir>...`: loads Partner Center files into the warehouse (PI_DB),
 * one transaction per file. Prints one summary line per file; exits FAILURE (1) when a file was
 * rejected. While a server owns the warehouse (`start`, `serve`), the files go through it: each
 * is uploaded (POST /ingest/uploads), one load job loads them (POST /ingest/loads) and its
 * results are printed as they come (GET /ingest/loads/<id>), exactly as a load here would.
 */
export const loadCommand = defineCommand('load', (command) => {
  command
    .summary('load Partner Center files (CSV/TSV, any format of `formats`) into the warehouse')
    .description(
      'Load Partner Center files into the warehouse (PI_DB), one transaction per file; a directory loads every CSV/TSV below it, ' +
        'reference data first. Prints one summary line per file; a file already loaded is skipped. Exits 1 when a file was rejected. ' +
        'While a server (start, serve) owns the warehouse, the files are uploaded to it and loaded by its ingestion queue.',
    )
    .usage('<file|dir>... [--max-bad-share <0..1>] [--format <name>] [--partner <id>] [--customer <id>] [--invoice <number>] [--json] [--progress|--no-progress]')
    .argument('<file|dir...>', 'files, or folders to load every CSV/TSV (and line-item JSON) below')
    .option('--max-bad-share <share>', 'reject a file when more than this share of its rows is bad (0..1; default: PI_MAX_BAD_ROW_SHARE, else below)')
    .option('--format <name>', 'the format of every file (`partner-insights formats`), instead of detecting it')
    .option('--partner <id>', "the files are this partner's: fills the partner of files without a PartnerId column (the Partner Center customer and subscription exports) and rejects a file with another partner's rows")
    .option('--customer <id>', "the customer of a customer's subscriptions export (else the Microsoft ID in its file name)")
    .option('--invoice <number>', 'the invoice number of reconciliation files without an InvoiceNumber column (else a G-number in the file name)')
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
    const { checkShare, maxBadShareFromEnv } = await import('../../etl/load');
    let maxBadShare: number;
    try {
      maxBadShare = options.maxBadShare === undefined ? maxBadShareFromEnv() : checkShare(Number(options.maxBadShare), '--max-bad-share');
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    const tty = Boolean(process.stderr.isTTY);
    const run: LoadRun = {
      paths,
      maxBadShare,
      format: options.format,
      scope: {
        ...(options.partner ? { partnerId: options.partner } : {}),
        ...(options.customer ? { customerId: options.customer } : {}),
        ...(options.invoice ? { invoiceNumber: options.invoice } : {}),
      },
      json: Boolean(options.json),
      showProgress: options.progress ?? tty,
      tty,
    };
    const owner = await findOwner();
    return owner ? loadThroughOwner(owner, run) : loadHere(run);
  };
});

/** No server owns the warehouse: open it and load here. */
async function loadHere(run: LoadRun): Promise<ActionResult> {
  const { loadFiles } = await import('../../etl/load');
  const { openWarehouse } = await import('../../warehouse/open');
  const printer = progressPrinter(run.tty);
  const db = await openWarehouse();
  let results: LoadResult[];
  try {
    results = await loadFiles(db, run.paths, {
      maxBadShare: run.maxBadShare,
      format: run.format,
      // partnerId, customerId, invoiceNumber: as the loader takes them (etl/load LoadOptions).
      ...run.scope,
      onProgress: run.showProgress ? (p) => printer.update(p) : undefined,
      onResult: (r) => {
        printer.clear();
        printResult(r, run.json);
      },
    });
  } finally {
    printer.clear();
    db.close();
  }
  printEnd(results, run.json);
  return results.some((r) => r.status === 'rejected') ? EXIT.FAILURE : EXIT.OK;
}

/** The job as GET /ingest/loads/<id> answers (gateway/ingest-routes.ts JobView). */
interface RemoteJob {
  id: string;
  state: 'QUEUED' | 'RUNNING' | 'SUCCEEDED' | 'FAILED';
  error: string | null;
  files: { position: number; name: string; status: string; message: string | null; result: LoadResult | null }[];
  progress: { position: number; phase: string; fraction: number | null } | null;
}

const POLL_MS = 250;

/** A server owns the warehouse: upload the files to it, start one job, print its results as they come. */
async function loadThroughOwner(owner: WarehouseOwner, run: LoadRun): Promise<ActionResult> {
  const { listInputFiles } = await import('../../etl/load');
  const { stat } = await import('node:fs/promises');
  // The files and their order, as a load here would take them (a directory: reference data first).
  const files = await listInputFiles(run.paths, run.format);
  if (!files.length) {
    printEnd([], run.json);
    return EXIT.OK;
  }
  const client = new OwnerClient(owner, { partner: run.scope.partnerId });
  process.stderr.write(`partner-insights load: the warehouse is served by process ${owner.pid} at ${owner.url}: loading through it\n`);
  const printer = progressPrinter(run.tty);
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  try {
    const uploads: string[] = [];
    // The server runs on this machine (its owner file is beside the warehouse): files are handed
    // over by path, not streamed through the server while it answers queries.
    for (const file of files) uploads.push((await client.handOver(file, basename(file))).uploadId);
    printer.clear();
    const loadOptions = {
      maxBadShare: run.maxBadShare,
      ...(run.format ? { format: run.format } : {}),
      ...(run.scope.partnerId ? { partner: run.scope.partnerId } : {}),
      ...(run.scope.customerId ? { customer: run.scope.customerId } : {}),
      ...(run.scope.invoiceNumber ? { invoice: run.scope.invoiceNumber } : {}),
    };
    let job = await client.json<RemoteJob>('POST', '/ingest/loads', { uploads, options: loadOptions });
    const results: LoadResult[] = [];
    const failed: string[] = [];
    let printed = 0;
    for (;;) {
      // Files end in order: print each one's result once it and the ones before it have ended.
      while (printed < job.files.length && !['PENDING'].includes(job.files[printed].status)) {
        const file = job.files[printed++];
        printer.clear();
        if (file.result) {
          results.push(file.result);
          printResult(file.result, run.json);
        } else {
          failed.push(file.name);
          if (!run.json) process.stdout.write(`${file.name}: FAILED: ${file.message ?? 'not loaded'}\n`);
        }
      }
      if (job.state === 'SUCCEEDED' || job.state === 'FAILED') break;
      if (run.showProgress && job.progress) {
        const { position, phase, fraction } = job.progress;
        printer.update({ path: files[position] ?? job.files[position]?.name ?? '', phase, fraction: fraction ?? undefined, sizeBytes: sizes[position] ?? 0 });
      }
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      job = await client.json<RemoteJob>('GET', `/ingest/loads/${encodeURIComponent(job.id)}`);
    }
    printer.clear();
    // Files the job never reached (it stopped on an error): not loaded.
    for (const file of job.files.slice(printed)) {
      failed.push(file.name);
      if (!run.json) process.stdout.write(`${file.name}: FAILED: ${file.message ?? 'not loaded'}\n`);
    }
    printEnd(results, run.json);
    if (failed.length) {
      throw new RemoteError(0, `load job ${job.id} on the server at ${owner.url}: ${job.error ?? `${failed.length} file(s) not loaded`}`);
    }
    return results.some((r) => r.status === 'rejected') ? EXIT.FAILURE : EXIT.OK;
  } finally {
    printer.clear();
  }
}
