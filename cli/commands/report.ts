import { Argument, InvalidArgumentError } from 'commander';
import { renameSync, rmSync, writeFileSync } from 'node:fs';
import { DomainError } from '../../core/errors';
import type { PartnerRole } from '../../core/vocabulary';
import { parseReportMonth } from '../../warehouse/executive/month';
import { defineCommand } from '../command';
import { collect, partnerRoles, rolesHelp } from '../options';
import { findOwner, OwnerClient } from '../remote';

const DEFAULT_ROLE: PartnerRole = 'Executive report viewer';

interface ReportFlags {
  month: string;
  partner: string;
  role?: string[];
  location?: string[];
  out: string;
}

/** --month: checked as the report checks it (BAD_USER_INPUT naming the format), before anything opens. */
function reportMonth(value: string): string {
  try {
    parseReportMonth(value);
  } catch (err) {
    if (err instanceof DomainError) throw new InvalidArgumentError(err.message);
    throw err;
  }
  return value;
}

/**
 * `partner-insights report executive`: writes the executive report of a month to one
 * self-contained HTML file, as the given partner, roles (default: Executive report viewer) and
 * locations would see it over GET /reports/executive (through that route while a server owns the
 * warehouse).
 */
export const reportCommand = defineCommand('report', (command) => {
  command
    .summary('write the executive report of a month as one self-contained HTML file')
    .description(
      'Write the executive report of a month as one self-contained HTML file, as the partner, roles (default: Executive report viewer) ' +
        'and locations would see it over GET /reports/executive. A role without access exits 3 naming the roles that have it.',
    )
    .usage('executive --month YYYY-MM --partner <id> [--role "<role>"]... [--location <mpn>]... --out <file.html>')
    .addArgument(new Argument('<report>', 'the report').choices(['executive']))
    .requiredOption('--month <YYYY-MM>', 'the report month', reportMonth)
    .requiredOption('--partner <id>', 'the partner id')
    .option('--role <role>', `a partner role (repeatable; default "${DEFAULT_ROLE}")`, collect)
    .option('--location <mpn>', 'only these locations (repeatable)', collect)
    .requiredOption('--out <file.html>', 'the HTML file to write')
    .addHelpText('after', rolesHelp);
  return async (_report: 'executive', options: ReportFlags) => {
    const roles = partnerRoles(options.role, [DEFAULT_ROLE]);
    const caller = { partnerId: options.partner, roles, locations: options.location?.length ? options.location : null };
    const written = (bytes: number) =>
      process.stdout.write(
        `wrote ${options.out} (${bytes.toLocaleString('en-US')} bytes): executive report ${options.month} for ${options.partner} as ${roles.join(', ')}\n`,
      );
    const owner = await findOwner();
    if (owner) {
      // A server owns the warehouse: the same page from its GET /reports/executive.
      const client = new OwnerClient(owner, { partner: caller.partnerId, roles, locations: caller.locations });
      const partial = `${options.out}.partial`;
      try {
        const { bytes } = await client.download(`/reports/executive?month=${encodeURIComponent(options.month.trim())}`, partial);
        renameSync(partial, options.out);
        written(bytes);
      } finally {
        rmSync(partial, { force: true });
      }
      return;
    }
    const { openWarehouse } = await import('../../warehouse/open');
    const { executiveReportHtml } = await import('../../warehouse/executive');
    const db = await openWarehouse();
    try {
      const page = await executiveReportHtml(db, caller, options.month);
      writeFileSync(options.out, page);
      written(Buffer.byteLength(page));
    } finally {
      db.close();
    }
  };
});
