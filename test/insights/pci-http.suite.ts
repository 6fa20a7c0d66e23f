import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { GeneratedSummary } from '../../etl/generate';
import { startServer, type RunningServer } from '../../gateway/server';
import { defineSubgraph } from '../../resolvers/common/subgraph';
import { accountsSubgraph } from '../../resolvers/accounts';
import { PciResolver } from '../../resolvers/insights/pci.resolver';
import { Warehouse } from '../../warehouse/db';
import { gql, testAuth, token } from '../gateway/harness';
import { copyTemplate, demoData } from '../support/data-sets';

/**
 * End to end over HTTP: the demo generator's files (small) loaded by the ETL, PciResolver in a
 * throwaway subgraph beside accounts behind the gateway. Checks the GraphQL shape, the role rules and
 * that the certification indicators equal an independent computation from certifications.csv.
 */
const pciSubgraph = defineSubgraph({ name: 'pci-test', resolvers: [PciResolver] });

let dir: string;
/** The shared demo data set's files (test/support/data-sets.ts; read-only). */
let files: string;
let warehouse: Warehouse;
let server: RunningServer;
let summary: GeneratedSummary;

const QUERY = `query Pci($asOf: Date, $market: Market) {
  partnerContributionIndicators(asOf: $asOf, market: $market) {
    asOf market marketSource baseline
    paths {
      path score
      indicators { key name value unit threshold points maxPoints note }
      history { month score }
      furthestFromThreshold { key pointsToGain }
    }
  }
}`;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pci-http-'));
  ({ files, summary } = await demoData());
  warehouse = await Warehouse.open(await copyTemplate('demo-full', join(dir, 'warehouse.duckdb')));
  server = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth: testAuth, subgraphs: [accountsSubgraph, pciSubgraph] });
}, 240_000);

afterAll(async () => {
  await server?.close();
  warehouse?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** A minimal CSV reader (quoted fields, doubled quotes). */
function readCsv(path: string): Record<string, string>[] {
  const text = readFileSync(path, 'utf8').replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (cell += '"'), i++;
      else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(cell), (cell = '');
    else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell), rows.push(row), (row = []), (cell = '');
    } else cell += ch;
  }
  if (cell || row.length) row.push(cell), rows.push(row);
  const [header, ...body] = rows;
  return body.filter((r) => r.length > 1).map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ''])));
}

/**
 * Independently of warehouse/insights/pci: individuals holding a path's associate certification on
 * a day, from the certifications file: the exam pair achieved by then and not expired, and the
 * certification row the generator writes for it (CE-FUNCTIONAL, ...) not lapsed.
 */
function certifiedOn(rows: Record<string, string>[], day: string, core: string, others: string[], certCode: string): number {
  const byPerson = new Map<string, Record<string, string>[]>();
  for (const r of rows) byPerson.set(r.IndividualId, [...(byPerson.get(r.IndividualId) ?? []), r]);
  let n = 0;
  for (const creds of byPerson.values()) {
    const live = (r: Record<string, string>) => r.AchievedDate <= day && (!r.ExpiryDate || r.ExpiryDate > day);
    const codes = new Set(creds.filter(live).map((r) => r.CredentialCode));
    if (!codes.has(core) || !others.some((c) => codes.has(c))) continue;
    const certs = creds.filter((r) => r.CredentialCode === certCode && r.AchievedDate <= day);
    if (certs.length && !certs.some(live)) continue;
    n++;
  }
  return n;
}

describe('partnerContributionIndicators over HTTP on generated demo data', () => {
  it('shape, market, and certification indicators equal to the files', async () => {
    const partner = summary.partners[0];
    const admin = await token(partner.id, ['Global admin']);
    const r = await gql(server.graphqlUrl, admin, QUERY, { asOf: summary.asOf });
    expect(r.body.errors).toBeUndefined();
    const pci = r.body.data.partnerContributionIndicators;
    expect(pci.asOf).toBe(summary.asOf);
    const expectedMarket = partner.locations.every((l) => l.market === 'Developing') ? 'DEVELOPING' : 'DEVELOPED';
    expect(pci.market).toBe(expectedMarket);
    expect(pci.baseline).toBe(summary.pciBaseline);
    expect(pci.paths.map((p: any) => p.path)).toEqual(['CUSTOMER_ENGAGEMENT', 'FINANCE_AND_OPERATIONS']);

    const certs = readCsv(join(files, partner.slug, 'certifications.csv'));
    const expected = {
      CUSTOMER_ENGAGEMENT: {
        fc: (day: string) => certifiedOn(certs, day, 'MB-200', ['MB-210', 'MB-220', 'MB-230', 'MB-240', 'MB6-898'], 'CE-FUNCTIONAL'),
        dev: certifiedOn(certs, summary.asOf, 'MB-200', ['MB-400', 'MB2-716'], 'CE-DEVELOPER'),
      },
      FINANCE_AND_OPERATIONS: {
        fc: (day: string) => certifiedOn(certs, day, 'MB-300', ['MB-310', 'MB-320', 'MB-330', 'MB6-897', 'MB6-898'], 'FO-FUNCTIONAL'),
        dev: certifiedOn(certs, summary.asOf, 'MB-300', ['MB-500', 'MB6-894'], 'FO-DEVELOPER'),
      },
    };
    for (const p of pci.paths) {
      const e = expected[p.path as keyof typeof expected];
      const ind = (key: string) => p.indicators.find((i: any) => i.key === key);
      expect(p.indicators).toHaveLength(7);
      expect(p.history).toHaveLength(12);
      expect(p.history[11]).toEqual({ month: '2026-10-01', score: p.score });
      const fcNow = e.fc(summary.asOf);
      const fcBase = e.fc(summary.pciBaseline);
      expect(fcNow).toBeGreaterThan(0);
      expect(ind('FUNCTIONAL_CONSULTANTS')).toMatchObject({ value: fcNow, unit: 'COUNT', maxPoints: 15 });
      expect(ind('DEVELOPERS')).toMatchObject({ value: e.dev, maxPoints: 5 });
      expect(ind('FUNCTIONAL_CONSULTANT_GROWTH').value).toBeCloseTo((fcNow - fcBase) / fcBase, 6);
      const threshold = expectedMarket === 'DEVELOPED' ? 15 : 5;
      expect(ind('FUNCTIONAL_CONSULTANTS').points).toBeCloseTo(Math.min(15, (15 * fcNow) / threshold), 2);
      expect(ind('NET_NEW_REVENUE').unit).toBe('USD');
      expect(typeof ind('NET_NEW_REVENUE').value).toBe('number');
      const total = p.indicators.reduce((s: number, i: any) => s + i.points, 0);
      expect(p.score).toBeCloseTo(total, 2);
    }
    // the direct partner bills Dynamics 365 in the demo: some net new revenue
    expect(pci.paths.some((p: any) => p.indicators[0].value !== 0)).toBe(true);
  });

  it('Report viewer and MPN partner admin: net new revenue value null with FORBIDDEN, the rest visible', async () => {
    const partner = summary.partners[0];
    for (const role of ['Report viewer', 'MPN partner admin'] as const) {
      const r = await gql(server.graphqlUrl, await token(partner.id, [role]), QUERY, { asOf: summary.asOf, market: 'DEVELOPING' });
      const pci = r.body.data.partnerContributionIndicators;
      expect(pci.market).toBe('DEVELOPING');
      expect(pci.marketSource).toBe('argument');
      for (const p of pci.paths) {
        expect(p.indicators[0]).toMatchObject({ key: 'NET_NEW_REVENUE', value: null, threshold: 150000 });
        expect(p.indicators.find((i: any) => i.key === 'FUNCTIONAL_CONSULTANTS').value).toEqual(expect.any(Number));
      }
      const errors = r.body.errors ?? [];
      expect(errors).toHaveLength(2);
      for (const e of errors) {
        expect(e.extensions?.code).toBe('FORBIDDEN');
        expect(e.extensions?.requiredRoles).toEqual(expect.arrayContaining(['Billing admin', 'Executive report viewer']));
        expect(e.path?.slice(-2)).toEqual([0, 'value']);
      }
    }
    const exec = await gql(server.graphqlUrl, await token(partner.id, ['Executive report viewer']), QUERY, { asOf: summary.asOf });
    expect(exec.body.errors).toBeUndefined();
    expect(typeof exec.body.data.partnerContributionIndicators.paths[0].indicators[0].value).toBe('number');
  });

  it('roles without readReports get null with FORBIDDEN; another partner sees its own data', async () => {
    const [a, b] = summary.partners;
    const agent = await gql(server.graphqlUrl, await token(a.id, ['Admin agent']), QUERY, { asOf: summary.asOf });
    expect(agent.body.data.partnerContributionIndicators).toBeNull();
    expect(agent.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', requiredRoles: expect.arrayContaining(['MPN partner admin', 'Report viewer']) });

    const other = await gql(server.graphqlUrl, await token(b.id, ['Global admin']), QUERY, { asOf: summary.asOf });
    expect(other.body.errors).toBeUndefined();
    const certsB = readCsv(join(files, b.slug, 'certifications.csv'));
    const fcB = certifiedOn(certsB, summary.asOf, 'MB-200', ['MB-210', 'MB-220', 'MB-230', 'MB-240', 'MB6-898'], 'CE-FUNCTIONAL');
    expect(other.body.data.partnerContributionIndicators.paths[0].indicators[2].value).toBe(fcB);
  });
});
