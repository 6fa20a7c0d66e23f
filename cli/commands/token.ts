import { PARTNER_ROLES } from '../../core/vocabulary';
import { defineCommand } from '../command';
import { UsageError } from '../exit-codes';
import { collect, partnerRoles, rolesHelp } from '../options';

interface TokenFlags {
  partner: string;
  role?: string[];
  location?: string[];
  expires: string;
  sub?: string;
  /** --no-mfa sets it false. */
  mfa: boolean;
}

/**
 * `partner-insights token`: mints a development bearer token with the HS256 secret. The token says
 * the user signed in with multi-factor authentication ("amr": ["pwd", "mfa"], as Entra ID writes it),
 * as the partner security requirements ask of every partner user: a developer expects the token to
 * work, and with PI_REQUIRE_MFA=1 admin roles need that claim. --no-mfa mints a password-only sign-in
 * ("amr": ["pwd"]), to see the refusal.
 */
export const tokenCommand = defineCommand('token', (command) => {
  command
    .summary('print a development JWT for a partner and roles (PI_JWT_SECRET or ./data/jwt-secret)')
    .description('Print a development bearer token (HS256 JWT, with PI_JWT_SECRET or ./data/jwt-secret) for a partner, roles and locations.')
    .usage('--partner <id> --role "<role>" [--role ...] [--location <mpn>]... [--expires 12h] [--sub <user>] [--no-mfa]')
    .requiredOption('--partner <id>', 'the partner id')
    .option('--role <role>', 'a partner role (repeatable; at least one)', collect)
    .option('--location <mpn>', 'limit the token to this location (repeatable)', collect)
    .option('--expires <duration>', 'lifetime: seconds, or 30m, 12h, 7d, 2w', '12h')
    .option('--sub <user>', 'the subject (user) claim')
    .option('--no-mfa', 'a password-only sign-in: "amr": ["pwd"] instead of ["pwd", "mfa"] (refused for admin roles when the server has PI_REQUIRE_MFA=1)')
    .addHelpText('after', rolesHelp);
  return async (options: TokenFlags) => {
    if (!options.role?.length) throw new UsageError(`at least one --role is required; roles are: ${PARTNER_ROLES.join(', ')}`);
    const roles = partnerRoles(options.role);
    if (!/^\d+[smhdw]?$/.test(options.expires)) throw new UsageError(`--expires takes a duration such as 30m, 12h, 7d; got "${options.expires}"`);
    const expires = /^\d+$/.test(options.expires) ? Number(options.expires) : options.expires;
    const { loadAuthConfig, mintToken } = await import('../../gateway/auth');
    const amr = options.mfa === false ? ['pwd'] : undefined; // undefined: the default, ["pwd", "mfa"]
    const token = await mintToken(loadAuthConfig(), { partner: options.partner, roles, locations: options.location, sub: options.sub, amr }, expires);
    process.stdout.write(`${token}\n`);
  };
});
