import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartnerRole } from '../../core/vocabulary';
import { loadAuthConfig, mintToken, type AuthConfig } from '../../gateway/auth';
import { startServer, type RunningServer, type StartServerOptions } from '../../gateway/server';
import { statementCounter, Warehouse } from '../../warehouse/db';

/**
 * Test harness: a real DuckDB file in a temporary directory with a small two-partner fixture
 * inserted with SQL, a real server on a random port, and real HTTP requests.
 */
export const P1 = '11111111-1111-4111-8111-111111111111';
export const P2 = '22222222-2222-4222-8222-222222222222';
/** Number of P1 customers; P1's locations: 1001 US (HQ), 1002 IN, 1003 CA. */
export const P1_CUSTOMERS = 150;

export const testAuth: AuthConfig = loadAuthConfig({ PI_JWT_SECRET: 'test-secret-for-partner-insights' });

export interface TestEnv {
  warehouse: Warehouse;
  server: RunningServer;
  dir: string;
  close(): Promise<void>;
}

export async function openFixtureWarehouse(): Promise<{ warehouse: Warehouse; dir: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'pi-test-'));
  const warehouse = await Warehouse.open(join(dir, 'warehouse.duckdb'));
  await insertFixture(warehouse);
  return { warehouse, dir };
}

export async function startTestEnv(options: Partial<StartServerOptions> = {}): Promise<TestEnv> {
  const { warehouse, dir } = await openFixtureWarehouse();
  const server = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth: testAuth, ...options });
  return {
    warehouse,
    server,
    dir,
    async close() {
      await server.close();
      warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export function token(
  partner: string,
  roles: PartnerRole[],
  options: { locations?: string[]; expiresIn?: string | number } = {},
): Promise<string> {
  return mintToken(testAuth, { partner, roles, locations: options.locations }, options.expiresIn ?? '1h');
}

export interface GqlResponse<T = any> {
  status: number;
  body: { data?: T; errors?: Array<{ message: string; path?: (string | number)[]; extensions?: Record<string, any> }> };
}

export async function gql<T = any>(url: string, bearer: string | null, query: string, variables?: Record<string, unknown>): Promise<GqlResponse<T>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    body: JSON.stringify({ query, variables }),
  });
  const text = await response.text();
  let body;
  try {
    body = JSON.parse(text);
  } catch {
    body = { raw: text };
  }
  return { status: response.status, body };
}

/** Reads one sample of a metric from /metrics (first line that starts with the name and label text). */
export async function metricValue(baseUrl: string, sample: string): Promise<number> {
  const text = await (await fetch(`${baseUrl}/metrics`)).text();
  const line = text.split('\n').find((l) => l.startsWith(`${sample} `));
  if (!line) throw new Error(`no sample ${sample} in /metrics`);
  return Number(line.slice(sample.length + 1));
}

/**
 * The SQL statements a GraphQL request of P1's Global admin costs, as /metrics counts them (which
 * must agree with the process's counter), with the response body (its errors already checked).
 */
export async function statementsOf(env: TestEnv, query: string, variables: Record<string, unknown>): Promise<{ statements: number; body: any }> {
  const bearer = await token(P1, ['Global admin']);
  const before = await metricValue(env.server.url, 'pi_sql_statements_total');
  const counterBefore = statementCounter.total;
  const r = await gql(env.server.graphqlUrl, bearer, query, variables);
  expect(r.body.errors).toBeUndefined();
  const after = await metricValue(env.server.url, 'pi_sql_statements_total');
  expect(after - before).toBe(statementCounter.total - counterBefore);
  return { statements: after - before, body: r.body };
}

/**
 * The fixture. P1 (indirect provider): locations 1001 US (HQ), 1002 IN, 1003 CA; 150 customers,
 * customer i in country US/IN/CA by i % 3 (location 1001/1002/1003), segment by i % 4, reseller 5001
 * when i % 5 == 0 and 5002 when i % 5 == 1; reseller 5003 has no customers. Customers 0-2 are
 * Northwind Traders, Adventure Works, Wide World Importers, the rest "Customer NNN".
 * P2: location 2001 DE, 3 customers (one "Northwind Traders GmbH"), its own reseller 5001.
 */
export async function insertFixture(db: Warehouse): Promise<void> {
  await db.run(`INSERT INTO partners (partner_id, name, global_mpn_id, partner_type, country) VALUES
    ('${P1}', 'Contoso Cloud Partner', '9000001', 'Indirect provider', 'US'),
    ('${P2}', 'Fabrikam Services', '9000002', 'Direct bill partner', 'DE')`);
  await db.run(`INSERT INTO locations (partner_id, mpn_id, name, country, market, is_headquarters) VALUES
    ('${P1}', '1001', 'Contoso Redmond', 'US', 'Developed', true),
    ('${P1}', '1002', 'Contoso Bangalore', 'IN', 'Developing', false),
    ('${P1}', '1003', 'Contoso Mississauga', 'CA', 'Developed', false),
    ('${P2}', '2001', 'Fabrikam Berlin', 'DE', 'Developed', true)`);
  await db.run(`INSERT INTO users (partner_id, user_id, email, display_name, roles, location_mpn_ids) VALUES
    ('${P1}', 'u-1', 'alice@contoso-partner.com', 'Alice Admin', 'Global admin', NULL),
    ('${P1}', 'u-2', 'bob@contoso-partner.com', 'Bob Viewer', 'Report viewer', NULL),
    ('${P1}', 'u-3', 'chandra@contoso-partner.com', 'Chandra Agent', 'Sales agent|Report viewer', '1002'),
    ('${P2}', 'u-9', 'dana@fabrikam.de', 'Dana', 'Global admin', NULL)`);
  await db.run(`INSERT INTO resellers (partner_id, reseller_mpn_id, name, country, status, relationship_start_date) VALUES
    ('${P1}', '5001', 'Alpha Reseller', 'US', 'Active', DATE '2021-03-01'),
    ('${P1}', '5002', 'Beta Reseller', 'CA', 'Suspended', DATE '2022-06-15'),
    ('${P1}', '5003', 'Gamma Reseller', 'US', 'Active', DATE '2023-09-01'),
    ('${P2}', '5001', 'Alpha Reseller Europe', 'DE', 'Active', DATE '2020-01-01')`);

  const named = ['Northwind Traders', 'Adventure Works', 'Wide World Importers'];
  const rows: string[] = [];
  const params: (string | null)[] = [];
  const countries = ['US', 'IN', 'CA'];
  const mpn: Record<string, string> = { US: '1001', IN: '1002', CA: '1003' };
  const segments = ['Commercial', 'Education', 'Government', 'Nonprofit'];
  for (let i = 0; i < P1_CUSTOMERS; i++) {
    const name = named[i] ?? `Customer ${String(i).padStart(3, '0')}`;
    const domain = i === 0 ? 'northwind.onmicrosoft.com' : `${name.toLowerCase().replace(/\s+/g, '')}.example.com`;
    const country = countries[i % 3];
    const reseller = i % 5 === 0 ? '5001' : i % 5 === 1 ? '5002' : null;
    const created = new Date(Date.UTC(2023, 0, 1 + i)).toISOString().slice(0, 10);
    rows.push(`($${params.length + 1}, $${params.length + 2}, $${params.length + 3}, $${params.length + 4}, 'Reseller', $${params.length + 5}, $${params.length + 6}, $${params.length + 7}, $${params.length + 8}, CAST($${params.length + 9} AS DATE))`);
    params.push(P1, customerId(P1, i), name, domain, country, segments[i % 4], mpn[country], reseller, created);
  }
  await db.run(
    `INSERT INTO customers (partner_id, customer_id, company_name, domain, relationship, country, segment, mpn_id, reseller_mpn_id, created_date) VALUES ${rows.join(', ')}`,
    params,
  );
  await db.run(`INSERT INTO customers (partner_id, customer_id, company_name, domain, relationship, country, segment, mpn_id, reseller_mpn_id, created_date) VALUES
    ('${P2}', '${customerId(P2, 0)}', 'Northwind Traders GmbH', 'northwind.de', 'Reseller', 'DE', 'Commercial', '2001', '5001', DATE '2022-01-01'),
    ('${P2}', '${customerId(P2, 1)}', 'Tailspin Toys', 'tailspintoys.de', 'Reseller', 'DE', 'Commercial', '2001', NULL, DATE '2022-02-01'),
    ('${P2}', '${customerId(P2, 2)}', 'Litware', 'litware.de', 'Reseller', 'DE', 'Education', '2001', NULL, DATE '2022-03-01')`);
  await db.run(`INSERT INTO attributions (partner_id, customer_id, attribution_type, mpn_id, workload, subscription_id, incentive, start_date, end_date) VALUES
    ('${P1}', '${customerId(P1, 0)}', 'CSP', '1001', 'Office 365', 'sub-1', 'OSA', DATE '2023-01-01', NULL),
    ('${P1}', '${customerId(P1, 0)}', 'DPOR', '1002', 'Azure', NULL, NULL, DATE '2023-02-01', NULL),
    ('${P1}', '${customerId(P1, 1)}', 'CSP', '1002', 'Dynamics 365', 'sub-2', NULL, DATE '2023-03-01', NULL)`);
  await db.run(`INSERT INTO customer_activity (partner_id, occurred_at, customer_id, customer_name, action, partner_user) VALUES
    ('${P1}', TIMESTAMP '2024-01-01 09:00:00', '${customerId(P1, 0)}', 'Northwind Traders', 'Created customer', 'alice@contoso-partner.com'),
    ('${P1}', TIMESTAMP '2024-01-02 10:30:00', '${customerId(P1, 0)}', 'Northwind Traders', 'Purchased subscription', 'alice@contoso-partner.com'),
    ('${P1}', TIMESTAMP '2024-01-03 11:45:00', '${customerId(P1, 0)}', 'Northwind Traders', 'Changed quantity', 'bob@contoso-partner.com'),
    ('${P2}', TIMESTAMP '2024-01-01 09:00:00', '${customerId(P2, 0)}', 'Northwind Traders GmbH', 'Created customer', 'dana@fabrikam.de')`);
}

/** Deterministic customer ids (GUID-shaped, like Microsoft IDs). */
export function customerId(partner: string, i: number): string {
  return `${partner.slice(0, 8)}-0000-4000-8000-${String(i).padStart(12, '0')}`;
}
