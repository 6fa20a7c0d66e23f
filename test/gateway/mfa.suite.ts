import { SignJWT, decodeJwt } from 'jose';
import { tokenCommand } from '../../cli/commands/token';
import { PARTNER_ROLES, type PartnerRole } from '../../core/vocabulary';
import { requireMfa } from '../../gateway/config';
import { loadAuthConfig, mintToken } from '../../gateway/auth';
import { startServer, type RunningServer } from '../../gateway/server';
import { P1, gql, openFixtureWarehouse } from './harness';
import type { Warehouse } from '../../warehouse/db';
import { rmSync } from 'node:fs';

/**
 * PI_REQUIRE_MFA over real HTTP: two servers on the same warehouse, one with the setting, one
 * without. Partner Center checks "the presence of the MFA value in the Authentication Method
 * Reference (AMR) claim" (reference line 18713), which Entra ID issues as "amr": ["pwd", "mfa"].
 *
 * The roles that need it are written here from the reference, not read from core/permissions.ts:
 * the "Affected roles" of "Mandating Multi-factor Authentication (MFA) for your partner tenant"
 * (line 18624: Admin agent, Sales agent, Helpdesk agent, Billing administrator, Global administrator)
 * and the other admin roles of "Assign users roles and permissions" (line 7579). The report viewers and
 * the Incentives user only read.
 */
const SECRET = 'test-secret-for-partner-insights-mfa';
const NEEDS_MFA: PartnerRole[] = [
  'Global admin',
  'Admin agent',
  'Sales agent',
  'Helpdesk agent',
  'Billing admin',
  'Account admin',
  'User admin',
  'MPN partner admin',
  'Referrals admin',
  'Business profile admin',
  'Incentives admin',
];

let warehouse: Warehouse;
let dir: string;
let strict: RunningServer;
let lenient: RunningServer;
const strictAuth = loadAuthConfig({ PI_JWT_SECRET: SECRET, PI_REQUIRE_MFA: '1' });
const lenientAuth = loadAuthConfig({ PI_JWT_SECRET: SECRET });

beforeAll(async () => {
  ({ warehouse, dir } = await openFixtureWarehouse());
  strict = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth: strictAuth, ownerFile: false });
  lenient = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth: lenientAuth, ownerFile: false });
});
afterAll(async () => {
  await strict?.close();
  await lenient?.close();
  warehouse?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A token as an identity provider would sign it: exactly these claims (amr omitted when undefined). */
function signed(roles: PartnerRole[], amr?: unknown): Promise<string> {
  const claims: Record<string, unknown> = { partner: P1, roles, ...(amr === undefined ? {} : { amr }) };
  return new SignJWT(claims).setProtectedHeader({ alg: 'HS256' }).setSubject('user-1').setExpirationTime('1h').sign(new TextEncoder().encode(SECRET));
}

async function post(server: RunningServer, token: string) {
  const response = await fetch(server.graphqlUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ query: '{ partner { id } }' }),
  });
  const text = await response.text();
  return { status: response.status, body: JSON.parse(text) as any, wwwAuthenticate: response.headers.get('www-authenticate') };
}

describe('PI_REQUIRE_MFA', () => {
  it('is off by default, takes 1/0, true/false, yes/no, on/off and refuses anything else', () => {
    expect(requireMfa({})).toBe(false);
    expect(requireMfa({ PI_REQUIRE_MFA: '' })).toBe(false);
    expect(['1', 'true', 'YES', 'on'].map((v) => requireMfa({ PI_REQUIRE_MFA: v }))).toEqual([true, true, true, true]);
    expect(['0', 'false', 'no', 'Off'].map((v) => requireMfa({ PI_REQUIRE_MFA: v }))).toEqual([false, false, false, false]);
    expect(() => requireMfa({ PI_REQUIRE_MFA: 'maybe' })).toThrow('PI_REQUIRE_MFA must be 1 or 0 (true/false, yes/no, on/off), got "maybe"');
    expect(loadAuthConfig({ PI_JWT_SECRET: SECRET }).requireMfa).toBe(false);
  });

  it('off: an admin token without amr is accepted', async () => {
    const r = await post(lenient, await signed(['Global admin']));
    expect(r.status).toBe(200);
    expect(r.body.data.partner.id).toBe(P1);
  });

  it('on: an admin token without "mfa" in amr gets 401 naming the role, the claim and how to get it', async () => {
    const none = await post(strict, await signed(['Global admin']));
    expect(none.status).toBe(401);
    expect(none.body.error).toBe('unauthorized');
    expect(none.body.message).toBe(
      'multi-factor authentication required: this server requires it for admin roles (PI_REQUIRE_MFA) and the token for "Global admin" has no "amr" claim; ' +
        'sign in with multi-factor authentication (Entra ID then issues "amr": ["pwd", "mfa"]) and send the new token ' +
        '(development tokens: `partner-insights token` includes it unless --no-mfa)',
    );
    expect(none.wwwAuthenticate).toMatch(/^Bearer error="invalid_token", error_description="multi-factor authentication required/);

    const pwd = await post(strict, await signed(['Report viewer', 'Billing admin', 'Admin agent'], ['pwd']));
    expect(pwd.status).toBe(401);
    expect(pwd.body.message).toContain('the token for "Billing admin", "Admin agent" has "amr": ["pwd"], without "mfa"');
    // A string is not the array Entra ID issues.
    expect((await post(strict, await signed(['Global admin'], 'mfa'))).status).toBe(401);
  });

  it('on: an admin token with amr ["pwd", "mfa"] (as Entra ID issues it) is accepted', async () => {
    for (const amr of [['pwd', 'mfa'], ['mfa'], ['fido', 'mfa']]) {
      const r = await post(strict, await signed(['Global admin'], amr));
      expect(r.status).toBe(200);
      expect(r.body.data.partner.id).toBe(P1);
    }
  });

  it('on: every admin role needs it, the reading roles do not', async () => {
    const refused: string[] = [];
    for (const role of PARTNER_ROLES) {
      const r = await post(strict, await signed([role], ['pwd']));
      expect([200, 401]).toContain(r.status);
      if (r.status === 401) refused.push(role);
      else expect(r.body.data.partner.id).toBe(P1);
    }
    expect(refused.sort()).toEqual([...NEEDS_MFA].sort());
    expect(PARTNER_ROLES.filter((r) => !NEEDS_MFA.includes(r))).toEqual(['Incentives user', 'Executive report viewer', 'Report viewer']);
  });

  it('development tokens: `partner-insights token` includes amr ["pwd", "mfa"] (accepted), --no-mfa gives ["pwd"] (refused)', async () => {
    const mint = async (...extra: string[]) => {
      const out: string[] = [];
      const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => (out.push(String(chunk)), true));
      const before = { secret: process.env.PI_JWT_SECRET, mfa: process.env.PI_REQUIRE_MFA };
      process.env.PI_JWT_SECRET = SECRET;
      process.env.PI_REQUIRE_MFA = '1';
      try {
        expect(await tokenCommand.run(['--partner', P1, '--role', 'Global admin', ...extra])).toBe(0);
      } finally {
        spy.mockRestore();
        for (const [k, v] of [['PI_JWT_SECRET', before.secret], ['PI_REQUIRE_MFA', before.mfa]] as const) {
          if (v === undefined) delete process.env[k];
          else process.env[k] = v;
        }
      }
      return out.join('').trim();
    };
    const withMfa = await mint();
    expect(decodeJwt(withMfa).amr).toEqual(['pwd', 'mfa']);
    expect((await post(strict, withMfa)).status).toBe(200);
    const without = await mint('--no-mfa');
    expect(decodeJwt(without).amr).toEqual(['pwd']);
    const r = await post(strict, without);
    expect(r.status).toBe(401);
    expect(r.body.message).toMatch(/"Global admin" has "amr": \["pwd"\], without "mfa"/);
    // mintToken (start's demo tokens, the tests) has the same default; amr: null leaves the claim out.
    expect(decodeJwt(await mintToken(strictAuth, { partner: P1, roles: ['Global admin'] })).amr).toEqual(['pwd', 'mfa']);
    expect(decodeJwt(await mintToken(strictAuth, { partner: P1, roles: ['Global admin'], amr: null })).amr).toBeUndefined();
  });
});
