import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { demoPartners, type DemoPartner } from '../../bench/support/demo-warehouse';
import { request, type GraphQLResponse } from '../../bench/support/graphql-client';
import type { PartnerRole } from '../../core/vocabulary';
import { startServer, type RunningServer } from '../../gateway/server';
import type { Row, SqlParams } from '../../core/sql';
import type { Warehouse } from '../../warehouse/db';
import { openWarehouse } from '../../warehouse/open';
import { testAuth, token } from '../gateway/harness';
import { copyTemplate, E2E } from '../support/data-sets';
import { stopEnv } from '../support/servers';

/**
 * End-to-end environment: the demo generator's Partner Center files loaded by the ETL into a real
 * DuckDB file in a temporary directory, and a real server on a random port (the composed gateway,
 * or one subgraph alone). Tests send the typed documents of generated/graphql.ts over HTTP and
 * compare what comes back with SQL on the same warehouse. The warehouse (bench/support/demo-warehouse,
 * 40 customers per partner) is built once per run (test/support/data-sets.ts, `e2e` template): each
 * env opens its own copy.
 */
export interface E2eEnv {
  warehouse: Warehouse;
  gateway: RunningServer;
  /** The accounts subgraph served alone, on the same warehouse. */
  accounts: RunningServer;
  /** The demo partners, most customers first. */
  partners: DemoPartner[];
  token(partnerId: string, roles: PartnerRole[], options?: { locations?: string[] }): Promise<string>;
  /** Sends a generated document to the gateway (or `url`). */
  send<TResult, TVariables>(bearer: string, document: TypedDocumentNode<TResult, TVariables>, variables?: TVariables, url?: string): Promise<GraphQLResponse<TResult>>;
  sql<T extends Row = Row>(text: string, params?: SqlParams): Promise<T[]>;
  close(): Promise<void>;
}

export async function startE2eEnv(options: { customers?: number } = {}): Promise<E2eEnv> {
  if ((options.customers ?? E2E.customers) !== E2E.customers) throw new Error(`the e2e data set has ${E2E.customers} customers per partner, not ${options.customers}`);
  const dir = mkdtempSync(join(tmpdir(), 'pi-e2e-'));
  let warehouse: Warehouse | undefined;
  const servers: RunningServer[] = [];
  try {
    warehouse = await openWarehouse(await copyTemplate('e2e', join(dir, 'warehouse.duckdb')));
    const common = { warehouse, port: 0, host: '127.0.0.1', auth: testAuth } as const;
    const gateway = await startServer(common);
    servers.push(gateway);
    const accounts = await startServer({ ...common, subgraph: 'accounts' });
    servers.push(accounts);
    const db = warehouse;
    return {
      warehouse,
      gateway,
      accounts,
      partners: await demoPartners(warehouse),
      token: (partnerId, roles, opts = {}) => token(partnerId, roles, opts),
      send: (bearer, document, variables, url = gateway.graphqlUrl) => request(url, bearer, document, variables),
      sql: (text, params) => db.all(text, params),
      close: () => stopEnv(servers, db, dir),
    };
  } catch (err) {
    await stopEnv(servers, warehouse, dir);
    throw err;
  }
}

/** The value of the first row's first column, as a number (counts). */
export async function count(env: E2eEnv, text: string, params?: SqlParams): Promise<number> {
  const [row] = await env.sql(text, params);
  return Number(Object.values(row)[0]);
}
