import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartnerRole } from '../../core/vocabulary';
import { startServer, type RunningServer } from '../../gateway/server';
import type { Warehouse } from '../../warehouse/db';
import { openWarehouse } from '../../warehouse/open';
import { gql, testAuth, token } from '../gateway/harness';
import { copyTemplate } from '../support/data-sets';
import { loadPartners, Ownership, type PartnerFacts } from './ownership';
import { stopEnv } from '../support/servers';

/**
 * The fuzz's one environment, built once per run: a copy of the shared `e2e` warehouse (two
 * partners, 40 customers each, locations, subscriptions, referrals, invoices, deals), the gateway,
 * and the three subgraphs that resolve entities served alone (their `_entities`), all on it.
 * A few rows the template lacks are made through the API first (API keys, generated reports, one
 * organization-wide and one location-scoped per partner); then the ownership of every id is read
 * from the warehouse and the checksum of the mutable tables taken.
 */
export interface FuzzCaller {
  partnerId: string;
  roles: PartnerRole[];
  /** Token locations; null for the entire organization. */
  locations: string[] | null;
}

export type Endpoint = 'gateway' | 'accounts' | 'subscriptions' | 'referrals';
const ENTITY_SUBGRAPHS = ['accounts', 'subscriptions', 'referrals'] as const;

/** Connections whose cursors the fuzz passes between callers, with the key field of their nodes. */
export const CONNECTIONS = {
  customers: 'id',
  subscriptions: 'id',
  referrals: 'id',
  invoices: 'invoiceNumber',
  resellers: 'mpnId',
  dealRegistrations: 'id',
} as const;
export type ConnectionName = keyof typeof CONNECTIONS;

export interface World {
  ownership: Ownership;
  partners: readonly [PartnerFacts, PartnerFacts];
  urls: Record<Endpoint, string>;
  baseUrl: string;
  /** Cursors of pages of each connection, taken by callers of both partners and of single locations. */
  cursors: Record<ConnectionName, string[]>;
  /** Offer ids each partner may buy (createSubscription needs a real one of the caller's). */
  offers: Record<string, string[]>;
  bearer(caller: FuzzCaller): Promise<string>;
  /** Count and hash of every table a mutation could change. */
  checksum(): Promise<string>;
  close(): Promise<void>;
}

/** Tables the schema's mutations write (subscriptions and their history, referrals, deals, keys, reports). */
const MUTABLE_TABLES = [
  'subscriptions', 'subscription_events', 'expected_charges', 'customers', 'referrals', 'referral_contacts',
  'deal_registrations', 'api_keys', 'generated_reports',
];
const CHECKSUM_SQL = MUTABLE_TABLES.map(
  (t) => `SELECT '${t}' AS t, count(*)::VARCHAR AS n, coalesce(sum(hash(x)), 0)::VARCHAR AS h FROM ${t} x`,
).join(' UNION ALL ');

export async function startWorld(): Promise<World> {
  const dir = mkdtempSync(join(tmpdir(), 'pi-isolation-'));
  const servers: RunningServer[] = [];
  let warehouse: Warehouse | undefined;
  try {
    warehouse = await openWarehouse(await copyTemplate('e2e', join(dir, 'warehouse.duckdb')));
    const common = { warehouse, port: 0, host: '127.0.0.1', auth: testAuth } as const;
    const gateway = await startServer(common);
    servers.push(gateway);
    const urls = { gateway: gateway.graphqlUrl } as Record<Endpoint, string>;
    for (const name of ENTITY_SUBGRAPHS) {
      const server = await startServer({ ...common, subgraph: name });
      servers.push(server);
      urls[name] = server.graphqlUrl;
    }
    const db = warehouse;
    const bearer = bearerCache();
    const partners = await partnersOf(db);
    await seedKeysAndReports(gateway.graphqlUrl, partners, bearer);
    return {
      ownership: await Ownership.load(db),
      partners,
      urls,
      baseUrl: gateway.url,
      cursors: await collectCursors(gateway.graphqlUrl, partners, bearer),
      offers: await offersOf(db, partners),
      bearer,
      checksum: async () => JSON.stringify(await db.all(CHECKSUM_SQL)),
      close: () => stopEnv(servers, db, dir),
    };
  } catch (err) {
    await stopEnv(servers, warehouse, dir);
    throw err;
  }
}

/** Minting a JWT per operation costs more than the small queries: one per distinct caller. */
function bearerCache(): (caller: FuzzCaller) => Promise<string> {
  const minted = new Map<string, Promise<string>>();
  return (caller) => {
    const key = JSON.stringify([caller.partnerId, caller.roles, caller.locations]);
    let bearer = minted.get(key);
    if (!bearer) {
      bearer = token(caller.partnerId, caller.roles, caller.locations ? { locations: caller.locations } : {});
      minted.set(key, bearer);
    }
    return bearer;
  };
}

async function partnersOf(db: Warehouse): Promise<[PartnerFacts, PartnerFacts]> {
  const partners = await loadPartners(db);
  if (partners.length !== 2) throw new Error(`the e2e data set should have two partners, found ${partners.length}`);
  return [partners[0], partners[1]];
}

const admin = (partner: PartnerFacts, locations: string[] | null = null): FuzzCaller => ({ partnerId: partner.id, roles: ['Global admin'], locations });

/** Each partner's organization-wide admin and an admin of its first location. */
const seedCallers = (partners: readonly PartnerFacts[]) => partners.flatMap((p) => [admin(p), admin(p, [p.locations[0]])]);

async function call(url: string, bearer: string, query: string, variables?: Record<string, unknown>): Promise<any> {
  const r = await gql(url, bearer, query, variables);
  if (r.body.errors?.length) throw new Error(`setup query failed: ${JSON.stringify(r.body.errors)}\n${query}`);
  return r.body.data;
}

const GENERATE = `mutation { generateReport(input: { report: "partner-profile", format: TSV }) { id } }`;
const REPORT_STATUS = `query($id: ID!) { generatedReport(id: $id) { status error } }`;
const CREATE_KEY = `mutation { createApiKey(input: { name: "fuzz", role: "Report viewer", expiresInDays: 30 }) { apiKey { id } } }`;

/** An API key per partner, and a ready report per seed caller (so downloads have files to refuse). */
async function seedKeysAndReports(url: string, partners: readonly PartnerFacts[], bearer: World['bearer']): Promise<void> {
  for (const partner of partners) await call(url, await bearer(admin(partner)), CREATE_KEY);
  for (const caller of seedCallers(partners)) {
    const b = await bearer(caller);
    const { generateReport } = await call(url, b, GENERATE);
    await waitReady(url, b, generateReport.id);
  }
}

async function waitReady(url: string, bearer: string, id: string): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    const { generatedReport } = await call(url, bearer, REPORT_STATUS, { id });
    if (generatedReport.status === 'READY') return;
    if (generatedReport.status === 'FAILED') throw new Error(`report ${id} failed: ${generatedReport.error}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`report ${id} not ready after 15 s`);
}

async function collectCursors(url: string, partners: readonly PartnerFacts[], bearer: World['bearer']): Promise<World['cursors']> {
  const cursors = Object.fromEntries(Object.keys(CONNECTIONS).map((c) => [c, [] as string[]])) as World['cursors'];
  for (const caller of seedCallers(partners)) {
    const b = await bearer(caller);
    for (const name of Object.keys(CONNECTIONS) as ConnectionName[]) {
      // Every cursor of a first page: `before` the last of them still has rows.
      const data = await call(url, b, `{ ${name}(first: 3) { edges { cursor } } }`);
      cursors[name].push(...data[name].edges.map((e: { cursor: string }) => e.cursor));
    }
  }
  return cursors;
}

async function offersOf(db: Warehouse, partners: readonly PartnerFacts[]): Promise<Record<string, string[]>> {
  const rows = await db.all<{ partnerId: string; offers: string[] }>(
    `SELECT partner_id AS "partnerId", list(DISTINCT offer_id ORDER BY offer_id) AS offers FROM products
     WHERE billing_type = 'License' AND NOT is_trial_offer GROUP BY ALL`,
  );
  return Object.fromEntries(partners.map((p) => [p.id, rows.find((r) => r.partnerId === p.id)?.offers ?? []]));
}
