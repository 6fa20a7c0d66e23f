import { join } from 'node:path';
import type { PartnerRole } from '../../core/vocabulary';
import { gql, token } from '../gateway/harness';
import { saveBody } from '../exports/read-back';
import { startInsightsEnv, type InsightsEnv } from './env';
import { readCsv } from './model';

/**
 * The Competencies report (reference lines 16663-16750) and the "Competencies – Summary and history"
 * download (line 16922) over real HTTP on the ETL-loaded demo. Every number is recomputed here from
 * the generated competencies.csv and competency-history.csv with the report's definitions:
 * Started = requirements in progress; Qualified = requirements met, offer purchased or not (Active
 * included); Active = met and purchased; At risk = Active and flagged at risk.
 */
let env: InsightsEnv;
beforeAll(async () => {
  env = await startInsightsEnv();
}, 180_000);
afterAll(async () => env?.close());

const DOC = `{ competenciesReport {
  asOf
  summary { stage count levels { level count competencies } }
  atRisk { name level anniversaryDate }
  competencies { name area level stage atRisk attainmentDate anniversaryDate }
  history(first: 1000) { competency level attainmentDate action }
} }`;

const statusOf = (partnerId: string) => readCsv(join(env.partnerDir(partnerId), 'competencies.csv'));
const historyOf = (partnerId: string) => readCsv(join(env.partnerDir(partnerId), 'competency-history.csv'));
const byName = (a: { name: string; level: string }, b: { name: string; level: string }) => a.name.localeCompare(b.name) || a.level.localeCompare(b.level);

function expectedSummary(rows: Record<string, string>[]) {
  const stages: [string, (r: Record<string, string>) => boolean][] = [
    ['Started', (r) => r.CompetencyStage === 'Started'],
    ['Qualified', (r) => r.CompetencyStage === 'Qualified' || r.CompetencyStage === 'Active'],
    ['Active', (r) => r.CompetencyStage === 'Active'],
    ['At risk', (r) => r.CompetencyStage === 'Active' && r.AtRisk === 'true'],
  ];
  return stages.map(([stage, counts]) => {
    const inStage = rows.filter(counts);
    return {
      stage,
      count: inStage.length,
      levels: ['Gold', 'Silver'].map((level) => {
        const names = inStage.filter((r) => r.CompetencyLevel === level).map((r) => r.CompetencyName).sort();
        return { level, count: names.length, competencies: names };
      }),
    };
  });
}

it('summary: the count of competencies with their names by stage and level, as the files give them', async () => {
  const seen = new Set<string>();
  for (const partner of env.summary.partners) {
    const rows = statusOf(partner.id);
    const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Report viewer']), DOC);
    expect(res.body.errors).toBeUndefined();
    const report = res.body.data.competenciesReport;
    expect(report.asOf).toBe(env.summary.asOf);
    const summary = report.summary.map((s: any) => ({ ...s, levels: s.levels.map((l: any) => ({ ...l, competencies: [...l.competencies].sort() })) }));
    expect(summary).toEqual(expectedSummary(rows));
    // The file has every stage somewhere, so a wrong stage rule shows.
    for (const s of summary) if (s.count > 0) seen.add(s.stage);
    expect(report.competencies.map((c: any) => c)).toEqual(
      rows
        .map((r) => ({
          name: r.CompetencyName,
          area: r.CompetencyArea,
          level: r.CompetencyLevel,
          stage: r.CompetencyStage,
          atRisk: r.AtRisk === 'true',
          attainmentDate: r.AttainmentDate || null,
          anniversaryDate: r.AnniversaryDate || null,
        }))
        .sort(byName),
    );
    const atRisk = rows
      .filter((r) => r.CompetencyStage === 'Active' && r.AtRisk === 'true')
      .map((r) => ({ name: r.CompetencyName, level: r.CompetencyLevel, anniversaryDate: r.AnniversaryDate }))
      .sort((a, b) => a.anniversaryDate.localeCompare(b.anniversaryDate) || a.name.localeCompare(b.name));
    expect(report.atRisk).toEqual(atRisk);
  }
  expect([...seen].sort()).toEqual(['Active', 'At risk', 'Qualified', 'Started']);
});

it('Qualified counts the Active competencies too, Active the at-risk ones: the stages nest as documented', async () => {
  const partner = env.summary.partners[0];
  const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Global admin']), DOC);
  const count = (stage: string) => res.body.data.competenciesReport.summary.find((s: any) => s.stage === stage).count;
  expect(count('Active')).toBeGreaterThan(0);
  expect(count('Qualified')).toBeGreaterThanOrEqual(count('Active'));
  expect(count('Active')).toBeGreaterThanOrEqual(count('At risk'));
});

it('history: every attainment, renewal and loss, latest first; first limits it', async () => {
  let losses = 0;
  for (const partner of env.summary.partners) {
    const expected = historyOf(partner.id)
      .map((h) => ({ competency: h.CompetencyName, level: h.CompetencyLevel, attainmentDate: h.AttainmentDate, action: h.Action }))
      .sort((a, b) => b.attainmentDate.localeCompare(a.attainmentDate) || a.competency.localeCompare(b.competency) || a.level.localeCompare(b.level) || a.action.localeCompare(b.action));
    losses += expected.filter((h) => h.action === 'Lost').length;
    const bearer = await token(partner.id, ['Admin agent']);
    const res = await gql(env.server.graphqlUrl, bearer, DOC);
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.competenciesReport.history).toEqual(expected);
    const three = await gql(env.server.graphqlUrl, bearer, '{ competenciesReport { history(first: 3) { competency attainmentDate } } }');
    expect(three.body.data.competenciesReport.history).toEqual(expected.slice(0, 3).map(({ competency, attainmentDate }) => ({ competency, attainmentDate })));
  }
  expect(losses).toBeGreaterThan(0);
});

it('roles: the page\'s appropriate roles (and Account admin of its note) read it; other roles get null and FORBIDDEN naming them', async () => {
  const partner = env.summary.partners[0];
  const allowed: PartnerRole[] = ['Global admin', 'Account admin', 'Admin agent', 'Executive report viewer', 'Report viewer'];
  for (const role of allowed) {
    const res = await gql(env.server.graphqlUrl, await token(partner.id, [role]), '{ competenciesReport { summary { stage count } } }');
    expect([role, res.body.errors]).toEqual([role, undefined]);
    expect(res.body.data.competenciesReport.summary).toHaveLength(4);
  }
  for (const role of ['Sales agent', 'MPN partner admin', 'Billing admin', 'Helpdesk agent', 'Referrals admin'] as PartnerRole[]) {
    const res = await gql(env.server.graphqlUrl, await token(partner.id, [role]), '{ competenciesReport { summary { stage count } } }');
    expect(res.body.data?.competenciesReport ?? null).toBeNull();
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect([...res.body.errors![0].extensions!.requiredRoles].sort()).toEqual([...allowed].sort());
  }
});

it('another partner\'s competencies are never visible: each token gets its own partner\'s file', async () => {
  const [a, b] = env.summary.partners;
  const names = (rows: Record<string, string>[]) => rows.map((r) => `${r.CompetencyName}/${r.CompetencyLevel}/${r.CompetencyStage}`).sort();
  expect(names(statusOf(a.id))).not.toEqual(names(statusOf(b.id)));
  const res = await gql(env.server.graphqlUrl, await token(b.id, ['Global admin']), DOC);
  const got = res.body.data.competenciesReport.competencies.map((c: any) => `${c.name}/${c.level}/${c.stage}`).sort();
  expect(got).toEqual(names(statusOf(b.id)));
  expect(res.body.data.competenciesReport.history).toHaveLength(historyOf(b.id).length);
});

it('a location-scoped caller is refused: competencies belong to the whole company, not to a location', async () => {
  const partner = env.summary.partners[0];
  const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Executive report viewer'], { locations: [partner.locations[0].mpnId] }), DOC);
  expect(res.body.data?.competenciesReport ?? null).toBeNull();
  expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(res.body.errors?.[0].message).toMatch(/whole company/);
});

it('a bad argument is BAD_USER_INPUT naming it', async () => {
  const partner = env.summary.partners[0];
  for (const first of [0, 1001]) {
    const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Global admin']), `{ competenciesReport { history(first: ${first}) { competency } } }`);
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument: 'first' });
    expect(res.body.errors?.[0].message).toMatch(/first must be a whole number from 1 to 1000/);
  }
});

describe('download: Competencies – Summary and history', () => {
  const download = async (bearer: string) =>
    fetch(`${env.server.url}/exports/competencies-summary-and-history.csv`, { headers: { authorization: `Bearer ${bearer}` } });

  it('holds each competency\'s status (Summary) and every history row (History), as the files give them', async () => {
    for (const partner of env.summary.partners) {
      const response = await download(await token(partner.id, ['Executive report viewer']));
      expect(response.status).toBe(200);
      const rows = readCsv(await saveBody(response, env.dir, `competencies-${partner.slug}.csv`));
      const status = statusOf(partner.id);
      const area = new Map(status.map((r) => [r.CompetencyName, r.CompetencyArea]));
      const key = (r: Record<string, string>) =>
        [r.Record, r.CompetencyName, r.CompetencyArea, r.CompetencyLevel, r.CompetencyStage, r.AtRisk, r.AttainmentDate, r.AnniversaryDate, r.Action].map((v) => v ?? '').join('|');
      const expected = [
        ...status.map((r) => ({ ...r, Record: 'Summary', Action: '' })),
        ...historyOf(partner.id).map((h) => ({ Record: 'History', CompetencyName: h.CompetencyName, CompetencyArea: area.get(h.CompetencyName) ?? '', CompetencyLevel: h.CompetencyLevel, CompetencyStage: '', AtRisk: '', AttainmentDate: h.AttainmentDate, AnniversaryDate: '', Action: h.Action })),
      ];
      expect(rows.map(key).sort()).toEqual(expected.map(key).sort());
      expect(rows[0].Record).toBe('Summary');
    }
  });

  it('needs downloadReports (Executive report viewer, Global admin) and a company-wide role', async () => {
    const partner = env.summary.partners[0];
    expect((await download(await token(partner.id, ['Report viewer']))).status).toBe(403);
    expect((await download(await token(partner.id, ['Global admin']))).status).toBe(200);
    expect((await download(await token(partner.id, ['Executive report viewer'], { locations: [partner.locations[0].mpnId] }))).status).toBe(403);
  });
});
