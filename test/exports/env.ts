import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneratedSummary } from '../../etl/generate';
import type { PartnerRole } from '../../core/vocabulary';
import { startServer, type RunningServer } from '../../gateway/server';
import type { Caller } from '../../core/caller';
import { Warehouse } from '../../warehouse/db';
import { gql, testAuth, token } from '../gateway/harness';
import { copyTemplate, demoData } from '../support/data-sets';

/**
 * The exports' test environment: a small generated data set (12 customers per partner, ~3,000
 * usage rows, every file including the license-based and one-time reconciliation files, which the
 * FOCUS export reads) loaded by the ETL into a temporary DuckDB file, and the real server on a
 * random port. Tests download exports over HTTP and compare them with GraphQL on the same server.
 * The files and the loaded warehouse are built once per run (test/support/data-sets.ts, `demo` set,
 * `demo-full` template): each env opens its own copy of the warehouse.
 */
export interface ExportsEnv {
  dir: string;
  summary: GeneratedSummary;
  warehouse: Warehouse;
  server: RunningServer;
  /** Partner ids, the first being the one with more customers (order of the summary). */
  partners: string[];
  token(partnerId: string, roles: PartnerRole[], locations?: string[]): Promise<string>;
  caller(partnerId: string, roles: PartnerRole[], locations?: string[] | null): Caller;
  /** GET /exports/<path> with a bearer token; the file lands in `dir`. */
  download(path: string, bearer: string | null): Promise<Response>;
  graphql<T = any>(bearer: string, query: string, variables?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export async function startExportsEnv(): Promise<ExportsEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'pi-exports-test-'));
  const { summary } = await demoData();
  const warehouse = await Warehouse.open(await copyTemplate('demo-full', join(dir, 'warehouse.duckdb')));
  const server = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth: testAuth });
  return {
    dir,
    summary,
    warehouse,
    server,
    partners: summary.partners.map((p) => p.id),
    token: (partnerId, roles, locations) => token(partnerId, roles, { locations }),
    caller: (partnerId, roles, locations = null) => ({ partnerId, roles, locations }),
    download: (path, bearer) => fetch(`${server.url}/exports/${path}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} }),
    async graphql(bearer, query, variables) {
      const response = await gql(server.graphqlUrl, bearer, query, variables);
      if (response.body.errors?.length) throw new Error(`GraphQL errors: ${JSON.stringify(response.body.errors)}`);
      return response.body.data;
    },
    async close() {
      await server.close();
      warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
