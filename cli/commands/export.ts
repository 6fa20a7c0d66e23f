import { rename, rm } from 'node:fs/promises';
import type { PartnerRole } from '../../core/vocabulary';
import type { ExportFormat } from '../../warehouse/exports';
import type { InsightsFilters } from '../../warehouse/insights/compile';
import { defineCommand } from '../command';
import { UsageError } from '../exit-codes';
import { collect, partnerRoles, rolesHelp } from '../options';
import { progressLine } from '../progress';
import { findOwner, OwnerClient } from '../remote';

const DEFAULT_ROLE: PartnerRole = 'Global admin';

interface ExportFlags {
  format?: string;
  out: string;
  partner: string;
  range?: string;
  from?: string;
  to?: string;
  role?: string[];
  location?: string[];
  filter?: string[];
  splitBy?: string;
  progress?: boolean;
}

/**
 * The format: --format, else the --out extension, else TSV (Download reports' default).
 * `--format focus` is the FOCUS dataset, as Parquet, or CSV/TSV when --out ends so.
 */
function formatAndDataset(
  format: string | undefined,
  dataset: string | undefined,
  out: string,
  formats: readonly string[],
  datasets: readonly string[],
): { format: ExportFormat; dataset: string } {
  const extension = /\.([a-z]+)$/i.exec(out)?.[1]?.toLowerCase();
  if (format === 'focus') {
    if (dataset && dataset !== 'focus') throw new UsageError(`--format focus exports the FOCUS dataset; leave out "${dataset}" or use --format ${formats.join('|')}`);
    return { dataset: 'focus', format: extension === 'csv' || extension === 'tsv' ? extension : 'parquet' };
  }
  if (!dataset) throw new UsageError(`which dataset? datasets: ${datasets.join(', ')}`);
  const chosen = format ?? (extension && formats.includes(extension) ? extension : 'tsv');
  if (!formats.includes(chosen)) throw new UsageError(`unknown format "${chosen}"; formats: ${formats.join(', ')}, focus`);
  return { dataset, format: chosen as ExportFormat };
}

function parseFilterFlags(flags: readonly string[], names: readonly string[]): InsightsFilters {
  const filters: InsightsFilters = {};
  for (const flag of flags) {
    const [name, values] = flag.split('=', 2) as [keyof InsightsFilters, string | undefined];
    if (!names.includes(name) || !values) throw new UsageError(`--filter takes <name>=<v1,v2> with a name of ${names.join(', ')}; got "${flag}"`);
    filters[name] = values.split(',').map((v) => v.trim()).filter(Boolean);
  }
  return filters;
}

/**
 * `partner-insights export <dataset>`: writes one dataset (a Download reports report, the daily usage
 * lines, FOCUS, or an Insights metric) to a file, as the given partner, roles (default: Global admin)
 * and locations would get it from GET /exports/<dataset>.<format>.
 */
export const exportCommand = defineCommand('export', (command) => {
  command
    .summary('export a dataset (reports, usage lines, FOCUS, insights.<metric>) to TSV, CSV, Parquet or XLSX; `--format focus` writes FOCUS 1.2')
    .description(
      'Write a dataset (a Download reports report, usage-lines, focus, insights.<metric>) to a file, as the partner, roles ' +
        '(default: Global admin) and locations would get it from GET /exports/<dataset>.<format>. The format: --format, else the ' +
        '--out extension, else TSV; --format focus writes the FOCUS dataset as Parquet, or CSV/TSV when --out ends so. ' +
        'Written to <out>.partial and renamed once complete.',
    )
    .usage(
      '<dataset> --format tsv|csv|parquet|xlsx|focus --out <file> --partner <id> [--range 3m|6m|12m|lifetime|YYYY-MM..YYYY-MM | --from <day|datetime> --to <day|datetime>] ' +
        '[--role "<role>"]... [--location <mpn>]... [--filter <name>=<v1,v2>]... [--split-by <dimension>] [--progress|--no-progress]',
    )
    .argument('[dataset]', 'the dataset (left out with --format focus)')
    .option('--format <format>', 'tsv, csv, parquet, xlsx, or focus (default: from the --out extension, else tsv)')
    .requiredOption('--out <file>', 'the file to write')
    .requiredOption('--partner <id>', 'the partner id')
    .option('--range <range>', '3m, 6m, 12m, lifetime or YYYY-MM..YYYY-MM')
    .option('--from <instant>', 'line-level datasets (usage-lines, focus): from this day or datetime on (YYYY-MM-DD, or YYYY-MM-DDTHH:MM[:SS] with Z or an offset)')
    .option('--to <instant>', 'line-level datasets: before this day or datetime (not included)')
    .option('--role <role>', `a partner role (repeatable; default "${DEFAULT_ROLE}")`, collect)
    .option('--location <mpn>', 'only these locations (repeatable)', collect)
    .option('--filter <name=v1,v2>', 'an Insights filter (repeatable)', collect)
    .option('--split-by <dimension>', 'split an Insights metric by this dimension')
    .option('--progress', 'print progress on stderr (default: on a terminal)')
    .option('--no-progress', 'no progress')
    .addHelpText('after', () => {
      // Only for --help: the exports module is not loaded otherwise.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { DATASETS } = require('../../warehouse/exports') as typeof import('../../warehouse/exports');
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { FILTER_PARAMS } = require('../../warehouse/exports/request') as typeof import('../../warehouse/exports/request');
      return `\nDatasets: ${DATASETS.map((d) => d.name).join(', ')}.\nFilters: ${FILTER_PARAMS.join(', ')}.${rolesHelp()}`;
    });
  return async (dataset: string | undefined, options: ExportFlags) => {
    const { DATASETS, EXPORT_FORMATS, exportToFile, parsePeriod, parseRange, parseSplitBy } = await import('../../warehouse/exports');
    const { FILTER_PARAMS } = await import('../../warehouse/exports/request');
    const tty = Boolean(process.stderr.isTTY);
    const out = options.out;
    const chosen = formatAndDataset(options.format?.toLowerCase(), dataset, out, EXPORT_FORMATS, DATASETS.map((d) => d.name));
    const roles = partnerRoles(options.role, [DEFAULT_ROLE]);
    const caller = { partnerId: options.partner, roles, locations: options.location?.length ? options.location : null };
    const request = { ...chosen, range: parseRange(options.range), period: parsePeriod(options.from, options.to), filters: parseFilterFlags(options.filter ?? [], FILTER_PARAMS), splitBy: parseSplitBy(options.splitBy) };
    const showProgress = options.progress ?? tty;

    const owner = await findOwner();
    if (owner) return exportThroughOwner(new OwnerClient(owner, { partner: caller.partnerId, roles, locations: caller.locations }), request, options, showProgress, tty);

    const { openWarehouse } = await import('../../warehouse/open');
    const progress = progressLine(request.dataset, tty);
    const db = await openWarehouse();
    const started = Date.now();
    // Written beside the target and renamed once complete: an interrupted export never looks finished.
    const partial = `${out}.partial`;
    try {
      const result = await exportToFile(db, caller, request, partial, showProgress ? (rows, percent) => progress.update(rows, percent) : undefined);
      await rename(partial, out);
      progress.clear();
      printWritten(out, request, result.rows, result.bytes, started, result.fileName);
    } finally {
      progress.clear();
      db.close();
    }
  };
});

interface ChosenRequest {
  dataset: string;
  format: ExportFormat;
}

function printWritten(out: string, request: ChosenRequest, rows: number, bytes: number, started: number, fileName: string): void {
  const seconds = (Date.now() - started) / 1000;
  process.stdout.write(
    `wrote ${out}: ${request.dataset} as ${request.format}, ${rows.toLocaleString('en-US')} rows, ` +
      `${bytes.toLocaleString('en-US')} bytes in ${seconds.toFixed(1)} s (suggested name ${fileName})\n`,
  );
}

/**
 * A server owns the warehouse: the same export from its GET /exports/<dataset>.<format>, as the
 * operator acting for the partner, roles and locations given, streamed to <out>.partial and renamed.
 */
async function exportThroughOwner(client: OwnerClient, request: ChosenRequest, options: ExportFlags, showProgress: boolean, tty: boolean): Promise<void> {
  const query = new URLSearchParams();
  if (options.range) query.set('range', options.range);
  if (options.from) query.set('from', options.from);
  if (options.to) query.set('to', options.to);
  for (const flag of options.filter ?? []) {
    const [name, values] = flag.split('=', 2);
    query.append(name, values ?? '');
  }
  if (options.splitBy) query.set('splitBy', options.splitBy);
  const path = `/exports/${encodeURIComponent(request.dataset)}.${request.format}${query.size ? `?${query}` : ''}`;
  const progress = progressLine(request.dataset, tty, 'bytes');
  const started = Date.now();
  const partial = `${options.out}.partial`;
  try {
    const { bytes, headers } = await client.download(path, partial, (received, total) => {
      if (showProgress) progress.update(received, total ? (received / total) * 100 : undefined);
    });
    await rename(partial, options.out);
    progress.clear();
    const fileName = /filename="([^"]*)"/.exec(String(headers['content-disposition'] ?? ''))?.[1] ?? options.out;
    printWritten(options.out, request, Number(headers['x-export-rows'] ?? 0), bytes, started, fileName);
  } catch (err) {
    await rm(partial, { force: true });
    throw err;
  } finally {
    progress.clear();
  }
}
