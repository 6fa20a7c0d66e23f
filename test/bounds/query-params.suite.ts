import { BOUNDS } from '../../core/bounds';
import { FILTER_PARAMS } from '../../warehouse/exports/request';
import { P1, P1_CUSTOMERS, gql, startTestEnv, token, type TestEnv } from '../gateway/harness';
import { GENERATE, httpGet } from '../downloads/support';

/**
 * Unknown query parameters and oversized filters of the HTTP routes, and the list bounds of the
 * export and API key mutations, over real HTTP on a real DuckDB. The finding:
 * /exports/customer-details.csv?customerCountry=US (the filter is customerCountries) answered the
 * whole data set with 200.
 */
let env: TestEnv;
let exec: string;
let admin: string;
beforeAll(async () => {
  env = await startTestEnv();
  exec = await token(P1, ['Executive report viewer']);
  admin = await token(P1, ['Global admin']);
});
afterAll(() => env.close());

const get = (path: string, bearer: string | null = exec) => httpGet(env.server.url, path, bearer ? { authorization: `Bearer ${bearer}` } : {});
const json = (r: { text: string }) => JSON.parse(r.text);
const EXPORT = '/exports/customer-details.csv';
const EXPORT_PARAMS = ['range', 'from', 'to', 'splitBy', ...FILTER_PARAMS];

describe('/exports', () => {
  it('refuses customerCountry (a typo of customerCountries) with 400 naming it and the parameters it takes', async () => {
    const r = await get(`${EXPORT}?customerCountry=US`);
    expect(r.status).toBe(400);
    expect(json(r)).toMatchObject({
      error: 'bad request',
      code: 'BAD_USER_INPUT',
      argument: 'customerCountry',
      unknownParameters: ['customerCountry'],
      allowedParameters: EXPORT_PARAMS,
      message: `unknown query parameter "customerCountry"; it takes: ${EXPORT_PARAMS.join(', ')}`,
    });
  });

  it('still filters with the right name: fewer rows than the whole data set it used to return', async () => {
    const all = await get(EXPORT);
    const us = await get(`${EXPORT}?customerCountries=US`);
    expect([all.status, us.status]).toEqual([200, 200]);
    // A row per customer and month; a third of the fixture's customers are in the US.
    const rows = (r: { headers: Headers }) => Number(r.headers.get('x-export-rows'));
    expect(rows(all) % P1_CUSTOMERS).toBe(0);
    expect(rows(us)).toBe(rows(all) / 3);
  });

  it('names every unknown parameter, and checks them before the schema (an invalid range too)', async () => {
    const r = await get(`${EXPORT}?range=nonsense&foo=1&bar=2&foo=3`);
    expect(r.status).toBe(400);
    expect(json(r)).toMatchObject({ argument: 'foo', unknownParameters: ['foo', 'bar'], message: expect.stringMatching(/^unknown query parameters "foo", "bar"; it takes: range, /) });
  });

  it('refuses a filter of more values, or longer values, than the bounds', async () => {
    const many = Array.from({ length: BOUNDS.filterValues.max + 1 }, (_, i) => `C${i}`).join(',');
    const r = await get(`${EXPORT}?customerCountries=${many}`);
    expect(r.status).toBe(400);
    expect(json(r)).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'customerCountries', bound: 'filterValues', max: 250 });
    const long = await get(`${EXPORT}?segments=${'s'.repeat(BOUNDS.filterValue.max + 1)}`);
    expect(json(long)).toMatchObject({ argument: 'segments', bound: 'filterValue', max: 100 });
  });

  it('still answers 401 before looking at the parameters', async () => {
    expect((await get(`${EXPORT}?customerCountry=US`, null)).status).toBe(401);
  });
});

describe('routes that take no or one parameter', () => {
  it('/downloads/<id> takes none', async () => {
    const r = await get('/downloads/0f8e6a3c-0000-4000-8000-000000000000?format=csv', admin);
    expect(r.status).toBe(400);
    expect(json(r)).toMatchObject({ argument: 'format', allowedParameters: [], message: 'unknown query parameter "format"; it takes none' });
  });

  it('/reports/executive takes month (and the sig of a signed link) only', async () => {
    const r = await get('/reports/executive?month=2024-01&months=3');
    expect(r.status).toBe(400);
    expect(json(r)).toMatchObject({ argument: 'months', allowedParameters: ['month', 'sig'] });
  });

  it('/healthz, /readyz and /metrics take none; without parameters they answer as before', async () => {
    for (const path of ['/healthz', '/readyz', '/metrics']) {
      const r = await get(`${path}?verbose=1`, null);
      expect([path, r.status, json(r).argument]).toEqual([path, 400, 'verbose']);
      expect((await get(path, null)).status).toBe(200);
    }
  });
});

describe('list bounds of mutations', () => {
  it('generateReport refuses a filter list longer than the bound', async () => {
    const customerCountries = Array.from({ length: BOUNDS.filterValues.max + 1 }, (_, i) => `C${i}`);
    const r = await gql(env.server.graphqlUrl, admin, GENERATE, { input: { report: 'customer-details', filters: { customerCountries } } });
    expect(r.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.filters.customerCountries', bound: 'filterValues', max: 250 });
  });

  it('createApiKey refuses a name or a location list longer than the bound', async () => {
    const CREATE = `mutation($input: CreateApiKeyInput!) { createApiKey(input: $input) { key } }`;
    const create = (input: Record<string, unknown>) => gql(env.server.graphqlUrl, admin, CREATE, { input: { name: 'k', role: 'Report viewer', expiresInDays: 1, ...input } });
    const name = await create({ name: 'k'.repeat(BOUNDS.apiKeyName.max + 1) });
    expect(name.body.errors?.[0]).toMatchObject({ message: 'input.name must be at most 200 characters, got 201', extensions: { argument: 'input.name', bound: 'apiKeyName' } });
    const locations = await create({ locationMpnIds: Array.from({ length: BOUNDS.apiKeyLocations.max + 1 }, () => '1001') });
    expect(locations.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'input.locationMpnIds', bound: 'apiKeyLocations', max: 100 });
    const ok = await create({ locationMpnIds: Array.from({ length: BOUNDS.apiKeyLocations.max }, () => '1001') });
    expect(ok.body.errors).toBeUndefined();
  });
});
