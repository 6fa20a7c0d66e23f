import { join } from 'node:path';
import { gql, token } from '../gateway/harness';
import { insightsEnvForSuite, type InsightsEnv } from './env';
import { months, nextMonth, readCsv } from './model';

/**
 * The Trainings dashboard (reference 16582-16662) over real HTTP on the ETL-loaded demo: the six
 * summary KPIs and their monthly series (Training performance) and the Individuals' performance,
 * recomputed here in plain TypeScript from the generated certifications.csv; the roles the page
 * names; location scope and the location filter; tenant isolation; bad arguments.
 */
let env: InsightsEnv;
insightsEnvForSuite((started) => (env = started));

const KPI = 'name value series { month value }';
const DOC = `query($range: InsightsDateRange, $filters: TrainingsFilters) {
  trainingsReport(range: $range, filters: $filters) {
    range { from to asOf }
    individualsWithCertifications { ${KPI} } certifications { ${KPI} }
    individualsWithAssessments { ${KPI} } assessments { ${KPI} }
    individualsWithExams { ${KPI} } exams { ${KPI} }
  }
}`;
const INDIVIDUALS = `query($range: InsightsDateRange, $type: TrainingType, $search: String, $first: Int) {
  trainingsReport(range: $range) { individuals(type: $type, search: $search, first: $first) {
    individualId name email trainingCount trainings { type code name completionDate } } }
}`;

interface Credential { mpnId: string; individual: string; name: string; email: string; type: string; code: string; title: string; date: string }

function credentialsOf(partnerId: string): Credential[] {
  return readCsv(join(env.partnerDir(partnerId), 'certifications.csv')).map((r) => ({
    mpnId: r.MpnId, individual: r.IndividualId, name: r.IndividualName, email: r.Email, type: r.CredentialType, code: r.CredentialCode, title: r.CredentialName, date: r.AchievedDate,
  }));
}

const FIELDS: [string, string, 'individuals' | 'count'][] = [
  ['individualsWithCertifications', 'Certification', 'individuals'],
  ['certifications', 'Certification', 'count'],
  ['individualsWithAssessments', 'Assessment', 'individuals'],
  ['assessments', 'Assessment', 'count'],
  ['individualsWithExams', 'Exam', 'individuals'],
  ['exams', 'Exam', 'count'],
];

/** The six KPIs as the documentation defines them, over the months given, from the file. */
function expectedKpis(creds: Credential[], range: string[], mpnIds: string[] | null) {
  const rows = creds.filter((c) => range.includes(c.date.slice(0, 7)) && (!mpnIds || mpnIds.includes(c.mpnId)));
  const measure = (of: Credential[], how: 'individuals' | 'count') => (how === 'count' ? of.length : new Set(of.map((c) => c.individual)).size);
  const out: Record<string, { value: number; series: { month: string; value: number }[] }> = {};
  for (const [field, type, how] of FIELDS) {
    const typed = rows.filter((c) => c.type === type);
    out[field] = { value: measure(typed, how), series: range.map((month) => ({ month, value: measure(typed.filter((c) => c.date.startsWith(month)), how) })) };
  }
  return out;
}

function gotKpis(report: any) {
  const out: Record<string, { value: number; series: { month: string; value: number }[] }> = {};
  for (const [field] of FIELDS) out[field] = { value: report[field].value, series: report[field].series };
  return out;
}

const lastMonthOf = (creds: Credential[]) =>
  creds.filter((c) => ['Certification', 'Assessment', 'Exam'].includes(c.type)).map((c) => c.date.slice(0, 7)).sort().at(-1)!;

it('summary and training performance: the six KPIs and their months equal the generated file, for each partner and range', async () => {
  const yearTotals = new Map<string, number>();
  for (const partner of env.summary.partners) {
    const creds = credentialsOf(partner.id);
    const last = lastMonthOf(creds);
    const bearer = await token(partner.id, ['Report viewer']);
    for (const [range, from] of [
      [{ kind: 'LAST_3_MONTHS' }, nextMonth(last, -2)],
      [{ kind: 'LAST_12_MONTHS' }, nextMonth(last, -11)],
      [{ kind: 'CUSTOM', from: nextMonth(last, -20), to: nextMonth(last, -9) }, nextMonth(last, -20)],
    ] as const) {
      const to = range.kind === 'CUSTOM' ? range.to : last;
      const res = await gql(env.server.graphqlUrl, bearer, DOC, { range });
      expect(res.body.errors).toBeUndefined();
      const report = res.body.data.trainingsReport;
      expect(report.range).toEqual({ from: `${from}-01`, to: `${to}-01`, asOf: `${last}-01` });
      const expected = expectedKpis(creds, months(from, to), null);
      expect(gotKpis(report)).toEqual(expected);
      // The data has something of each kind in a year, so every figure is checked on non-zero values.
      if (range.kind === 'LAST_12_MONTHS') for (const [field] of FIELDS) yearTotals.set(field, (yearTotals.get(field) ?? 0) + expected[field].value);
    }
  }
  // The demo has some of each kind in a year, so every figure is checked on non-zero values.
  for (const [field] of FIELDS) expect(yearTotals.get(field)).toBeGreaterThan(0);
});

it('lifetime counts every training; distinct individuals over the range are fewer than the sum of the months', async () => {
  const partner = env.summary.partners[0];
  const creds = credentialsOf(partner.id);
  const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Executive report viewer']), DOC, { range: { kind: 'LIFETIME' } });
  expect(res.body.errors).toBeUndefined();
  const report = res.body.data.trainingsReport;
  expect(report.exams.value).toBe(creds.filter((c) => c.type === 'Exam').length);
  expect(report.certifications.value).toBe(creds.filter((c) => c.type === 'Certification').length);
  expect(report.individualsWithExams.value).toBeLessThan(report.individualsWithExams.series.reduce((s: number, p: any) => s + p.value, 0));
});

it('the location filter and a location-scoped caller see only those locations\' individuals', async () => {
  const partner = env.summary.partners.find((p) => p.locations.length > 1)!;
  const creds = credentialsOf(partner.id);
  const last = lastMonthOf(creds);
  const range = months(nextMonth(last, -11), last);
  const one = partner.locations[1].mpnId;
  const filtered = await gql(env.server.graphqlUrl, await token(partner.id, ['Report viewer']), DOC, { range: { kind: 'LAST_12_MONTHS' }, filters: { locationMpnIds: [one] } });
  expect(filtered.body.errors).toBeUndefined();
  const expected = expectedKpis(creds, range, [one]);
  expect(gotKpis(filtered.body.data.trainingsReport)).toEqual(expected);
  expect(expected.exams.value).toBeLessThan(expectedKpis(creds, range, null).exams.value);
  const scoped = await gql(env.server.graphqlUrl, await token(partner.id, ['Report viewer'], { locations: [one] }), DOC, { range: { kind: 'LAST_12_MONTHS' } });
  expect(gotKpis(scoped.body.data.trainingsReport)).toEqual(expected);
  // A filter cannot widen a caller's scope.
  const other = partner.locations[0].mpnId;
  const widened = await gql(env.server.graphqlUrl, await token(partner.id, ['Report viewer'], { locations: [one] }), DOC, { range: { kind: 'LAST_12_MONTHS' }, filters: { locationMpnIds: [other] } });
  expect(widened.body.data.trainingsReport.exams.value).toBe(0);
});

it('individuals\' performance: each individual\'s trainings of the range, for Executive report viewers only', async () => {
  // The partner with an assessment in the last 12 months (the search below looks for one).
  const partner = env.summary.partners.find((p) => {
    const creds = credentialsOf(p.id);
    const last = lastMonthOf(creds);
    return creds.some((c) => c.type === 'Assessment' && c.date.slice(0, 7) >= nextMonth(last, -11));
  })!;
  const creds = credentialsOf(partner.id);
  const last = lastMonthOf(creds);
  const range = months(nextMonth(last, -11), last);
  const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Executive report viewer']), INDIVIDUALS, { range: { kind: 'LAST_12_MONTHS' }, first: 1000 });
  expect(res.body.errors).toBeUndefined();
  const got = res.body.data.trainingsReport.individuals;
  const inRange = creds.filter((c) => ['Certification', 'Assessment', 'Exam'].includes(c.type) && range.includes(c.date.slice(0, 7)));
  const byPerson = new Map<string, Credential[]>();
  for (const c of inRange) byPerson.set(c.individual, [...(byPerson.get(c.individual) ?? []), c]);
  expect(got.length).toBe(byPerson.size);
  for (const person of got) {
    const mine = byPerson.get(person.individualId)!;
    expect(person.trainingCount).toBe(mine.length);
    expect(person.name).toBe(mine[0].name);
    expect(person.email).toBe(mine[0].email);
    expect(person.trainings.map((t: any) => `${t.type}|${t.code}|${t.completionDate}`).sort()).toEqual(mine.map((c) => `${c.type.toUpperCase()}|${c.code}|${c.date}`).sort());
  }
  // Most trainings first.
  expect(got.map((p: any) => p.trainingCount)).toEqual([...got.map((p: any) => p.trainingCount)].sort((a, b) => b - a));

  // By assessments, and a name search.
  const someone = [...byPerson.values()].find((l) => l.some((c) => c.type === 'Assessment'))![0];
  const search = someone.name.split(' ')[1];
  const byType = await gql(env.server.graphqlUrl, await token(partner.id, ['Global admin']), INDIVIDUALS, { range: { kind: 'LAST_12_MONTHS' }, type: 'ASSESSMENT', search, first: 100 });
  expect(byType.body.errors).toBeUndefined();
  const found = byType.body.data.trainingsReport.individuals;
  expect(found.map((p: any) => p.individualId)).toContain(someone.individual);
  for (const p of found) {
    expect(p.name.toLowerCase()).toContain(search.toLowerCase());
    expect(p.trainings.every((t: any) => t.type === 'ASSESSMENT')).toBe(true);
  }

  // A Report viewer gets the summary but not the individuals.
  const viewer = await gql(env.server.graphqlUrl, await token(partner.id, ['Report viewer']), INDIVIDUALS, {});
  expect(viewer.body.data.trainingsReport.individuals).toBeNull();
  expect(viewer.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  expect(viewer.body.errors?.[0].extensions?.requiredRoles).toEqual(['Global admin', 'Executive report viewer']);
});

it('roles: the page\'s roles (and Global admin) read it, others get FORBIDDEN naming them', async () => {
  const partner = env.summary.partners[0];
  for (const role of ['Global admin', 'Executive report viewer', 'Report viewer'] as const) {
    const res = await gql(env.server.graphqlUrl, await token(partner.id, [role]), DOC, {});
    expect(res.body.errors).toBeUndefined();
    expect(res.body.data.trainingsReport.exams.value).toBeGreaterThan(0);
  }
  for (const role of ['Admin agent', 'Sales agent', 'Billing admin', 'MPN partner admin'] as const) {
    const res = await gql(env.server.graphqlUrl, await token(partner.id, [role]), DOC, {});
    expect(res.body.data.trainingsReport).toBeNull();
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(res.body.errors?.[0].extensions?.requiredRoles).toEqual(['Global admin', 'Executive report viewer', 'Report viewer']);
  }
});

it('another partner\'s individuals are never counted or listed', async () => {
  const [a, b] = env.summary.partners;
  const bIds = new Set(credentialsOf(b.id).map((c) => c.individual));
  const res = await gql(env.server.graphqlUrl, await token(a.id, ['Executive report viewer']), INDIVIDUALS, { range: { kind: 'LIFETIME' }, first: 1000 });
  expect(res.body.errors).toBeUndefined();
  const listed = res.body.data.trainingsReport.individuals.map((p: any) => p.individualId);
  expect(listed.length).toBe(new Set(credentialsOf(a.id).filter((c) => c.type !== 'Module' && c.type !== 'Learning path').map((c) => c.individual)).size);
  expect(listed.filter((id: string) => bIds.has(id))).toEqual([]);
  // A partner with no trainings loaded sees zeros.
  const nobody = await gql(env.server.graphqlUrl, await token('99999999-9999-4999-8999-999999999999', ['Report viewer']), DOC, {});
  expect(nobody.body.errors).toBeUndefined();
  expect(nobody.body.data.trainingsReport.certifications.value).toBe(0);
});

it('bad arguments are BAD_USER_INPUT naming the argument', async () => {
  const bearer = await token(env.summary.partners[0].id, ['Executive report viewer']);
  const cases: [Record<string, unknown>, string, string][] = [
    [{ range: { kind: 'CUSTOM', from: '2026-13', to: '2026-06' } }, DOC, 'range.from'],
    [{ range: { kind: 'CUSTOM', from: '2026-06', to: '2026-01' } }, DOC, 'range'],
    [{ range: { kind: 'CUSTOM' } }, DOC, 'range'],
    [{ filters: { locationMpnIds: [''] } }, DOC, 'filters.locationMpnIds'],
    [{ first: 0 }, INDIVIDUALS, 'first'],
    [{ first: 1001 }, INDIVIDUALS, 'first'],
    [{ search: 'x'.repeat(201) }, INDIVIDUALS, 'search'],
  ];
  for (const [variables, doc, argument] of cases) {
    const res = await gql(env.server.graphqlUrl, bearer, doc, variables);
    expect(res.body.errors?.[0].extensions?.code).toBe('BAD_USER_INPUT');
    expect(res.body.errors?.[0].extensions?.argument).toBe(argument);
  }
});
