import { serverAudits } from 'graphql-http';
import { P1, startTestEnv, token, type TestEnv } from './harness';

/** GraphQL over HTTP conformance (graphql-http's server audits), with a valid bearer token. */
let env: TestEnv;
beforeAll(async () => {
  env = await startTestEnv();
});
afterAll(() => env.close());

it('passes every MUST audit of graphql-http', async () => {
  const bearer = await token(P1, ['Global admin']);
  const fetchWithToken = (input: Parameters<typeof fetch>[0], init: RequestInit = {}) => {
    const headers = new Headers(init.headers);
    headers.set('authorization', `Bearer ${bearer}`);
    return fetch(input, { ...init, headers });
  };
  const audits = serverAudits({ url: env.server.graphqlUrl, fetchFn: fetchWithToken });
  const results = [];
  for (const audit of audits) results.push(await audit.fn());
  const failedMusts = results.filter((r) => r.status === 'error' || (r.name.startsWith('MUST') && r.status !== 'ok'));
  const warnings = results.filter((r) => r.status !== 'ok' && !failedMusts.includes(r));
  if (warnings.length) {
    // Recommendations (SHOULD/MAY) not followed, for the record.
    process.stdout.write(`graphql-http: ${warnings.length} of ${results.length} non-MUST audits not passed:\n` +
      warnings.map((w) => `  ${w.name}${'reason' in w ? `: ${w.reason}` : ''}`).join('\n') + '\n');
  }
  expect(failedMusts.map((f) => `${f.name}: ${'reason' in f ? f.reason : ''}`)).toEqual([]);
  expect(results.length).toBeGreaterThan(20);
});

it('an operationName the document does not have, or several operations and none named: 400 naming the operations, not a 500', async () => {
  const bearer = await token(P1, ['Global admin']);
  const post = (body: object) =>
    fetch(env.server.graphqlUrl, { method: 'POST', headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' }, body: JSON.stringify(body) });
  let response = await post({ query: 'query Mine { partner { name } }', operationName: 'PartnerWithLocations' });
  expect(response.status).toBe(400);
  let body = (await response.json()) as { errors: { message: string; extensions: { code: string } }[] };
  expect(body.errors[0]).toMatchObject({ message: 'unknown operation named "PartnerWithLocations"; the document has: Mine', extensions: { code: 'OPERATION_RESOLUTION_FAILURE' } });
  response = await post({ query: 'query A { partner { name } } query B { locations { mpnId } }' });
  expect(response.status).toBe(400);
  body = (await response.json()) as typeof body;
  expect(body.errors[0].message).toBe('the document has several operations (A, B): name the one to run in operationName');
  // Named right, it runs.
  response = await post({ query: 'query A { partner { name } } query B { locations { mpnId } }', operationName: 'B' });
  expect(response.status).toBe(200);
});
