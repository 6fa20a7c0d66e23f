import { signReportLink } from '../../gateway/signed-links';
import { testAuth } from '../gateway/harness';
import { startExecutiveEnv, type ExecutiveEnv } from './env';

/**
 * Signed links to the executive report (gateway/signed-links.ts): issued with a token by
 * POST /reports/executive/links, opened with no header, as the report of whoever issued it; refused
 * once altered, expired, or asked for another month.
 */
let env: ExecutiveEnv;
beforeAll(async () => {
  env = await startExecutiveEnv();
}, 180_000);
afterAll(() => env?.close());

async function issue(bearer: string | null, query: string): Promise<{ status: number; body: any }> {
  const response = await fetch(`${env.server.url}/reports/executive/links${query}`, { method: 'POST', headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
  return { status: response.status, body: await response.json() };
}

const open = async (url: string) => {
  const response = await fetch(url);
  return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
};

test('a link opens the issuer\'s report without a header, the same page the token gets', async () => {
  const [partner, other] = env.partners;
  const bearer = await env.token(partner.id, ['Report viewer']);
  const before = Date.now();
  const { status, body } = await issue(bearer, `?month=${env.month}&hours=2`);
  expect(status).toBe(201);
  expect(body.month).toBe(env.month);
  expect(body.url).toBe(`${env.server.url}${body.path}`);
  expect(body.path).toMatch(new RegExp(`^/reports/executive\\?month=${env.month}&sig=[\\w-]+\\.[\\w-]+$`));
  const expires = Date.parse(body.expiresAt);
  expect(expires).toBeGreaterThanOrEqual(before + 2 * 3600_000 - 1000);
  expect(expires).toBeLessThanOrEqual(Date.now() + 2 * 3600_000 + 1000);

  const linked = await open(body.url);
  expect(linked.status).toBe(200);
  expect(linked.type).toBe('text/html; charset=utf-8');
  const direct = await env.fetchReport(bearer, `?month=${env.month}`);
  // The issuer's report: their partner and role (a Report viewer's report withholds revenue).
  const strip = (html: string) => html.replace(/generated [^<]*/gi, '').replace(/\d{4}-\d{2}-\d{2}T[\d:.]+Z/g, '');
  expect(strip(linked.text)).toBe(strip(direct.text));
  expect(linked.text).toContain(partner.name);
  expect(linked.text).not.toContain(other.name);
});

test('an altered, expired or other-month link is 401 saying so; issuing needs a token and a report role', async () => {
  const bearer = await env.token(env.partners[0].id, ['Executive report viewer']);
  const { body } = await issue(bearer, `?month=${env.month}`);
  const sig = new URL(body.url).searchParams.get('sig')!;
  const [payload, mac] = sig.split('.');

  // Another partner written into the payload: the signature no longer matches.
  const forged = JSON.parse(Buffer.from(payload, 'base64url').toString());
  forged.p = env.partners[1].id;
  const altered = await open(`${env.server.url}/reports/executive?month=${env.month}&sig=${Buffer.from(JSON.stringify(forged)).toString('base64url')}.${mac}`);
  expect(altered.status).toBe(401);
  expect(JSON.parse(altered.text).message).toMatch(/not issued by this server or was altered/);

  const otherMonth = await open(`${env.server.url}/reports/executive?month=2020-01&sig=${sig}`);
  expect(otherMonth.status).toBe(401);
  expect(JSON.parse(otherMonth.text).message).toContain(`the link is for the report of ${env.month}, not 2020-01`);

  const garbage = await open(`${env.server.url}/reports/executive?month=${env.month}&sig=nonsense`);
  expect(garbage.status).toBe(401);

  // Expired: a link signed with the server's own key (its auth config) whose time is past.
  const past = signReportLink(testAuth, env.caller(env.partners[0].id, ['Executive report viewer']), env.month, new Date(Date.now() - 1000));
  const expired = await open(`${env.server.url}/reports/executive?month=${env.month}&sig=${past}`);
  expect(expired.status).toBe(401);
  expect(JSON.parse(expired.text).message).toMatch(/^the link expired at /);

  expect((await issue(null, `?month=${env.month}`)).status).toBe(401);
  const noRole = await issue(await env.token(env.partners[0].id, ['Billing admin']), `?month=${env.month}`);
  expect(noRole.status).toBe(403);
  expect(noRole.body.requiredRoles).toContain('Executive report viewer');
  const tooLong = await issue(bearer, `?month=${env.month}&hours=1000`);
  expect(tooLong.status).toBe(400);
  const badMonth = await issue(bearer, `?month=May`);
  expect(badMonth.status).toBe(400);
});
