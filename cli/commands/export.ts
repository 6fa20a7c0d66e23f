import { openWarehouse } from '../../warehouse/open';
import { rename } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { DomainError } from '../../core/errors';
import { PARTNER_ROLES, type PartnerRole } from '../../core/vocabulary';
import { Warehouse } from '../../warehouse/db';
import { DATASETS, EXPORT_FORMATS, exportToFile, parseRange, parseSplitBy, type ExportFormat } from '../../warehouse/exports';
import type { InsightsFilters } from '../../warehouse/insights/compile';
import { FILTER_PARAMS } from '../../warehouse/exports/request';
import type { Command } from '../command';

const USAGE =
  'export <dataset> --format tsv|csv|parquet|xlsx|focus --out <file> --partner <id> [--range 3m|6m|12m|lifetime|YYYY-MM..YYYY-MM] ' +
  '[--role "<role>"]... [--location <mpn>]... [--filter <name>=<v1,v2>]... [--split-by <dimension>] [--progress|--no-progress]';
const DEFAULT_ROLE: PartnerRole = 'Global admin';

class UsageError extends Error {}

/**
 * The format: --format, else the --out extension, else TSV (Download reports' default).
 * `--format focus` is the FOCUS dataset, as Parquet, or CSV/TSV when --out ends so.
 */
function formatAndDataset(format: string | undefined, dataset: string | undefined, out: string): { format: ExportFormat; dataset: string } {
  const extension = /\.([a-z]+)$/i.exec(out)?.[1]?.toLowerCase();
  if (format === 'focus') {
    if (dataset && dataset !== 'focus') throw new UsageError(`--format focus exports the FOCUS dataset; leave out "${dataset}" or use --format ${EXPORT_FORMATS.join('|')}`);
    return { dataset: 'focus', format: extension === 'csv' || extension === 'tsv' ? extension : 'parquet' };
  }
  if (!dataset) throw new UsageError(`which dataset? datasets: ${DATASETS.map((d) => d.name).join(', ')}`);
  const chosen = format ?? (extension && (EXPORT_FORMATS as readonly string[]).includes(extension) ? extension : 'tsv');
  if (!(EXPORT_FORMATS as readonly string[]).includes(chosen)) throw new UsageError(`unknown format "${chosen}"; formats: ${EXPORT_FORMATS.join(', ')}, focus`);
  return { dataset, format: chosen as ExportFormat };
}

function parseFilterFlags(flags: readonly string[]): InsightsFilters {
  const filters: InsightsFilters = {};
  for (const flag of flags) {
    const [name, values] = flag.split('=', 2) as [keyof InsightsFilters, string | undefined];
    if (!FILTER_PARAMS.includes(name) || !values) throw new UsageError(`--filter takes <name>=<v1,v2> with a name of ${FILTER_PARAMS.join(', ')}; got "${flag}"`);
    filters[name] = values.split(',').map((v) => v.trim()).filter(Boolean);
  }
  return filters;
}

/** One rewritten line on stderr (a terminal) after a second; plain lines every 10 s otherwise. */
function progressLine(label: string, tty: boolean): { update(rows: number, percent?: number): void; clear(): void } {
  const started = Date.now();
  let lastPlain = 0;
  let shown = false;
  return {
    update(rows, percent) {
      const elapsed = Date.now() - started;
      if (elapsed < 1000) return;
      const line = `${label}: ${rows.toLocaleString('en-US')} rows${percent !== undefined && percent >= 0 ? `, ${percent.toFixed(0)}%` : ''}, ${(elapsed / 1000).toFixed(0)} s`;
      if (tty) {
        process.stderr.write(`\r\x1b[2K${line}`);
        shown = true;
      } else if (elapsed - lastPlain >= 10_000) {
        lastPlain = elapsed;
        process.stderr.write(`${line}\n`);
      }
    },
    clear() {
      if (shown) process.stderr.write('\r\x1b[2K');
      shown = false;
    },
  };
}

/**
 * `partner-insights export <dataset>`: writes one dataset (a Download reports report, the daily usage
 * lines, FOCUS, or an Insights metric) to a file, as the given partner, roles (default: Global admin)
 * and locations would get it from GET /exports/<dataset>.<format>.
 */
export const exportCommand: Command = {
  name: 'export',
  usage: USAGE,
  summary: 'export a dataset (reports, usage lines, FOCUS, insights.<metric>) to TSV, CSV, Parquet or XLSX; `--format focus` writes FOCUS 1.2',
  async run(argv) {
    const fail = (message: string) => {
      process.stderr.write(`partner-insights export: ${message}\nusage: partner-insights ${USAGE}\n`);
      return 2;
    };
    let request;
    let caller;
    let out: string;
    let showProgress: boolean;
    const tty = Boolean(process.stderr.isTTY);
    try {
      const { values, positionals } = parseArgs({
        args: argv,
        allowPositionals: true,
        options: {
          format: { type: 'string' },
          out: { type: 'string' },
          range: { type: 'string' },
          partner: { type: 'string' },
          role: { type: 'string', multiple: true },
          location: { type: 'string', multiple: true },
          filter: { type: 'string', multiple: true },
          'split-by': { type: 'string' },
          progress: { type: 'boolean' },
          'no-progress': { type: 'boolean' },
        },
        strict: true,
      });
      if (positionals.length > 1) throw new UsageError(`one dataset at a time; got ${positionals.join(', ')}`);
      if (!values.out) throw new UsageError('--out <file> is required');
      if (!values.partner) throw new UsageError('--partner <partner id> is required');
      out = values.out;
      const { dataset, format } = formatAndDataset(values.format?.toLowerCase(), positionals[0], out);
      const roles = values.role?.length ? values.role : [DEFAULT_ROLE];
      const unknown = roles.filter((r) => !(PARTNER_ROLES as readonly string[]).includes(r));
      if (unknown.length) throw new UsageError(`unknown role(s) ${unknown.map((r) => `"${r}"`).join(', ')}; roles are: ${PARTNER_ROLES.join(', ')}`);
      caller = { partnerId: values.partner, roles: roles as PartnerRole[], locations: values.location?.length ? values.location : null };
      request = { dataset, format, range: parseRange(values.range), filters: parseFilterFlags(values.filter ?? []), splitBy: parseSplitBy(values['split-by']) };
      showProgress = values['no-progress'] ? false : (values.progress ?? tty);
    } catch (err) {
      if (err instanceof UsageError || err instanceof DomainError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) return fail((err as Error).message);
      throw err;
    }

    const progress = progressLine(request.dataset, tty);
    const db = await openWarehouse();
    const started = Date.now();
    // Written beside the target and renamed once complete: an interrupted export never looks finished.
    const partial = `${out}.partial`;
    try {
      const result = await exportToFile(db, caller, request, partial, showProgress ? (rows, percent) => progress.update(rows, percent) : undefined);
      await rename(partial, out);
      progress.clear();
      const seconds = (Date.now() - started) / 1000;
      process.stdout.write(
        `wrote ${out}: ${request.dataset} as ${request.format}, ${result.rows.toLocaleString('en-US')} rows, ` +
          `${result.bytes.toLocaleString('en-US')} bytes in ${seconds.toFixed(1)} s (suggested name ${result.fileName})\n`,
      );
      return 0;
    } catch (err) {
      progress.clear();
      // BAD_USER_INPUT and FORBIDDEN carry a message the user can act on.
      if (err instanceof DomainError) return fail(err.message);
      throw err;
    } finally {
      db.close();
    }
  },
};
