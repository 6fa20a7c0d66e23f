import { parseArgs } from 'node:util';
import { PARTNER_ROLES, type PartnerRole } from '../../core/vocabulary';
import { loadAuthConfig, mintToken } from '../../gateway/auth';
import type { Command } from '../command';

/** `partner-insights token`: mints a development bearer token with the HS256 secret. */
export const tokenCommand: Command = {
  name: 'token',
  usage: 'token --partner <id> --role "<role>" [--role ...] [--location <mpn>]... [--expires 12h] [--sub <user>]',
  summary: 'print a development JWT for a partner and roles (PI_JWT_SECRET or ./data/jwt-secret)',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        partner: { type: 'string' },
        role: { type: 'string', multiple: true },
        location: { type: 'string', multiple: true },
        expires: { type: 'string', default: '12h' },
        sub: { type: 'string' },
      },
      strict: true,
    });
    if (!values.partner) throw new Error('--partner <partner id> is required');
    const roles = values.role ?? [];
    if (roles.length === 0) throw new Error(`at least one --role is required; roles are: ${PARTNER_ROLES.join(', ')}`);
    const unknown = roles.filter((r) => !(PARTNER_ROLES as readonly string[]).includes(r));
    if (unknown.length) throw new Error(`unknown role(s) ${unknown.map((r) => `"${r}"`).join(', ')}; roles are: ${PARTNER_ROLES.join(', ')}`);
    if (!/^\d+[smhdw]?$/.test(values.expires!)) throw new Error(`--expires takes a duration such as 30m, 12h, 7d; got "${values.expires}"`);
    const expires = /^\d+$/.test(values.expires!) ? Number(values.expires) : values.expires!;
    const token = await mintToken(
      loadAuthConfig(),
      { partner: values.partner, roles: roles as PartnerRole[], locations: values.location, sub: values.sub },
      expires,
    );
    process.stdout.write(`${token}\n`);
    return 0;
  },
};
