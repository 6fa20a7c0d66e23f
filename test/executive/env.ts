import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneratedPartner } from '../../etl/generate';
import type { PartnerRole } from '../../core/vocabulary';
import { startServer, type RunningServer } from '../../gateway/server';
import type { Caller } from '../../core/caller';
import { Warehouse } from '../../warehouse/db';
import { addMonths } from '../../core/dates';
import { dataMonths } from '../../warehouse/insights/compile';
import { testAuth, token } from '../gateway/harness';
import { copyTemplate, demoData } from '../support/data-sets';

/**
 * The executive report's test environment: the demo generator's Partner Center files (every
 * file, reconciliation files included, so PCI has revenue) loaded by the ETL into a real DuckDB
 * file, and the real gateway on a random port. The report month is the last full month of data.
 * The data set is the shared `demo` one, loaded once per run (test/support/data-sets.ts, `demo-full`
 * template): each env opens its own copy of the warehouse.
 */
export interface ExecutiveEnv {
  warehouse: Warehouse;
  server: RunningServer;
  partners: GeneratedPartner[];
  /** 'YYYY-MM': the month before the latest month with data. */
  month: string;
  token(partnerId: string, roles: PartnerRole[], locations?: string[]): Promise<string>;
  caller(partnerId: string, roles: PartnerRole[], locations?: string[]): Caller;
  /** The warehouse file. */
  path: string;
  /** Stops the server and closes the warehouse, keeping the file (for the CLI, which opens it itself). */
  release(): Promise<void>;
  /** GET /reports/executive with a bearer token. */
  fetchReport(bearer: string | null, query: string): Promise<{ status: number; type: string; text: string }>;
  close(): Promise<void>;
}

export async function startExecutiveEnv(): Promise<ExecutiveEnv> {
  const dir = mkdtempSync(join(tmpdir(), 'pi-executive-'));
  let warehouse: Warehouse | undefined;
  try {
    const { summary } = await demoData();
    const path = await copyTemplate('demo-full', join(dir, 'warehouse.duckdb'));
    warehouse = await Warehouse.open(path);
    const server = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth: testAuth });
    const caller = (partnerId: string, roles: PartnerRole[], locations?: string[]): Caller => ({ partnerId, roles, locations: locations ?? null });
    const partner = summary.partners[0];
    const { asOf } = await dataMonths(warehouse, caller(partner.id, ['Global admin']));
    const db = warehouse;
    let released = false;
    const release = async () => {
      if (released) return;
      released = true;
      await server.close();
      db.close();
    };
    return {
      path,
      release,
      warehouse,
      server,
      partners: summary.partners,
      month: addMonths(asOf, -1).slice(0, 7),
      token: (partnerId, roles, locations) => token(partnerId, roles, { locations }),
      caller,
      async fetchReport(bearer, query) {
        const response = await fetch(`${server.url}/reports/executive${query}`, { headers: bearer ? { authorization: `Bearer ${bearer}` } : {} });
        return { status: response.status, type: response.headers.get('content-type') ?? '', text: await response.text() };
      },
      async close() {
        await release();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    warehouse?.close();
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}
