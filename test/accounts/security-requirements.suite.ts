import { join } from 'node:path';
import { readCsv } from '../insights/model';
import { demoData } from '../support/data-sets';
import { startExportsEnv, type ExportsEnv } from '../exports/env';
import { gql } from '../gateway/harness';

/**
 * Partner security requirements (reference line 18484: "enforce multi-factor authentication for all
 * user accounts in your partner tenant") over real HTTP on the ETL-loaded demo: each user's MFA
 * registration and the partner's status, recomputed from the generated users file; a
 * location-scoped caller sees its locations' users only; roles without user access are refused.
 */
let env: ExportsEnv;
beforeAll(async () => {
  env = await startExportsEnv();
}, 180_000);
afterAll(() => env?.close());

const DOC = `{ partner { users { id mfaRegistered locationMpnIds }
  securityRequirements { users mfaRegistered mfaNotRegistered mfaUnknown compliant usersWithoutMfa { id email } } } }`;

const usersOf = async (slug: string) => readCsv(join((await demoData()).files, slug, 'users.csv'));

test('each user\'s MFA registration and the partner\'s status match the users file', async () => {
  let without = 0;
  for (const partner of env.summary.partners) {
    const res = await gql(env.server.graphqlUrl, await env.token(partner.id, ['Global admin']), DOC);
    expect(res.body.errors).toBeUndefined();
    const file = await usersOf(partner.slug);
    const expected = new Map(file.map((u) => [u.UserId, u.MfaRegistered === 'true']));
    const got = new Map(res.body.data.partner.users.map((u: any) => [u.id, u.mfaRegistered]));
    expect(got).toEqual(expected);
    const missing = file.filter((u) => u.MfaRegistered === 'false');
    expect(res.body.data.partner.securityRequirements).toMatchObject({
      users: file.length,
      mfaRegistered: file.length - missing.length,
      mfaNotRegistered: missing.length,
      mfaUnknown: 0,
      compliant: missing.length === 0,
    });
    expect(res.body.data.partner.securityRequirements.usersWithoutMfa.map((u: any) => [u.id, u.email]).sort()).toEqual(missing.map((u) => [u.UserId, u.Email]).sort());
    without += missing.length;
  }
  // The demo has users to act on, so the status is not trivially compliant.
  expect(without).toBeGreaterThan(0);
});

test('a location-scoped caller sees its locations\' users only; a role without user access is refused', async () => {
  const partner = env.summary.partners[0];
  const file = await usersOf(partner.slug);
  const location = file.find((u) => u.LocationMpnIds)!.LocationMpnIds.split('|')[0];
  const scoped = await gql(env.server.graphqlUrl, await env.token(partner.id, ['Global admin'], [location]), DOC);
  expect(scoped.body.errors).toBeUndefined();
  const mine = file.filter((u) => u.LocationMpnIds.split('|').includes(location));
  expect(scoped.body.data.partner.securityRequirements.users).toBe(mine.length);
  expect(scoped.body.data.partner.securityRequirements.users).toBeLessThan(file.length);
  const agent = await gql(env.server.graphqlUrl, await env.token(partner.id, ['Sales agent']), `{ partner { securityRequirements { users } } }`);
  expect(agent.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(agent.body.data.partner.securityRequirements).toBeNull();
});
