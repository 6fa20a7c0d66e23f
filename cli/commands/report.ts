import { openWarehouse } from '../../warehouse/open';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { DomainError } from '../../core/errors';
import { PARTNER_ROLES, type PartnerRole } from '../../core/vocabulary';
import { Warehouse } from '../../warehouse/db';
import { executiveReportHtml } from '../../warehouse/executive';
import type { Command } from '../command';

const USAGE = 'report executive --month YYYY-MM --partner <id> [--role "<role>"]... [--location <mpn>]... --out <file.html>';
const DEFAULT_ROLE: PartnerRole = 'Executive report viewer';

/**
 * `partner-insights report executive`: writes the executive report of a month to one
 * self-contained HTML file, as the given partner, roles (default: Executive report viewer) and
 * locations would see it over GET /reports/executive.
 */
export const reportCommand: Command = {
  name: 'report',
  usage: USAGE,
  summary: `write the executive report of a month as one HTML file (role default: ${DEFAULT_ROLE}; --location limits it to MPN IDs)`,
  async run(args) {
    const fail = (message: string) => {
      process.stderr.write(`partner-insights report: ${message}\nusage: partner-insights ${USAGE}\n`);
      return 2;
    };
    const [kind, ...rest] = args;
    if (kind !== 'executive') return fail(kind ? `unknown report "${kind}"; reports: executive` : 'which report? reports: executive');
    let values;
    try {
      ({ values } = parseArgs({
        args: rest,
        options: {
          month: { type: 'string' },
          partner: { type: 'string' },
          role: { type: 'string', multiple: true },
          location: { type: 'string', multiple: true },
          out: { type: 'string' },
        },
        strict: true,
      }));
    } catch (err) {
      return fail((err as Error).message);
    }
    if (!values.month) return fail('--month YYYY-MM is required');
    if (!values.partner) return fail('--partner <partner id> is required');
    if (!values.out) return fail('--out <file.html> is required');
    const roles = values.role?.length ? values.role : [DEFAULT_ROLE];
    const unknown = roles.filter((r) => !(PARTNER_ROLES as readonly string[]).includes(r));
    if (unknown.length) return fail(`unknown role(s) ${unknown.map((r) => `"${r}"`).join(', ')}; roles are: ${PARTNER_ROLES.join(', ')}`);

    const db = await openWarehouse();
    try {
      const caller = { partnerId: values.partner, roles: roles as PartnerRole[], locations: values.location?.length ? values.location : null };
      const page = await executiveReportHtml(db, caller, values.month);
      writeFileSync(values.out, page);
      process.stdout.write(`wrote ${values.out} (${Buffer.byteLength(page).toLocaleString('en-US')} bytes): executive report ${values.month} for ${values.partner} as ${roles.join(', ')}\n`);
      return 0;
    } catch (err) {
      // FORBIDDEN / BAD_USER_INPUT carry a message the user can act on.
      if (err instanceof DomainError) return fail(err.message);
      throw err;
    } finally {
      db.close();
    }
  },
};
