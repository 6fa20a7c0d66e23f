import { join } from 'node:path';
import { readCsv } from '../insights/model';
import { demoData } from '../support/data-sets';
import { findDataset, resolveExportRange } from '../../warehouse/exports';
import { startExportsEnv, type ExportsEnv } from './env';
import { readWithDuckDb, saveBody } from './read-back';

/**
 * The "Microsoft Learn" download (reference line 16920: "the modules, learning path completion
 * details along with user details") over HTTP, read back with DuckDB and compared with the
 * generated certifications.csv's Module and Learning path rows; and the Trainings download, which
 * keeps exams, certifications and assessments and leaves the Learn rows out.
 */
let env: ExportsEnv;
beforeAll(async () => {
  env = await startExportsEnv();
}, 180_000);
afterAll(() => env?.close());

const key = (r: Record<string, unknown>, type: string, code: string, date: string) => `${r[type]}|${r.IndividualId}|${r[code]}|${String(r[date]).slice(0, 10)}`;

test('microsoft-learn: every module and learning path completion with the individual\'s details', async () => {
  const partner = env.summary.partners[0];
  const response = await env.download('microsoft-learn.csv?range=lifetime', await env.token(partner.id, ['Executive report viewer']));
  expect(response.status).toBe(200);
  const rows = await readWithDuckDb(env.warehouse, await saveBody(response, env.dir, 'learn.csv'), 'csv');
  const file = readCsv(join((await demoData()).files, partner.slug, 'certifications.csv'));
  const range = (await resolveExportRange(env.warehouse, env.caller(partner.id, ['Global admin']), findDataset('microsoft-learn'), { dataset: 'microsoft-learn', format: 'csv', range: { kind: 'LIFETIME' } }))!;
  const learn = file.filter((r) => (r.CredentialType === 'Module' || r.CredentialType === 'Learning path') && r.AchievedDate >= range.from);
  expect(learn.filter((r) => r.CredentialType === 'Learning path').length).toBeGreaterThan(0);
  expect(rows.map((r) => key(r, 'ActivityType', 'LearnId', 'CompletedDate')).sort()).toEqual(learn.map((r) => key(r, 'CredentialType', 'CredentialCode', 'AchievedDate')).sort());
  const byKey = new Map(learn.map((r) => [key(r, 'CredentialType', 'CredentialCode', 'AchievedDate'), r]));
  for (const r of rows) {
    const source = byKey.get(key(r, 'ActivityType', 'LearnId', 'CompletedDate'))!;
    expect([r.IndividualName, r.Email, r.LocationMpnId, r.Title]).toEqual([source.IndividualName, source.Email, source.MpnId, source.CredentialName]);
  }
});

test('microsoft-learn: a location-scoped caller gets its location\'s rows; a Report viewer gets 403; another partner\'s rows never appear', async () => {
  const partner = env.summary.partners.find((p) => p.locations.length > 1)!;
  const one = partner.locations[1].mpnId;
  const response = await env.download('microsoft-learn.csv?range=lifetime', await env.token(partner.id, ['Executive report viewer'], [one]));
  expect(response.status).toBe(200);
  const rows = await readWithDuckDb(env.warehouse, await saveBody(response, env.dir, 'learn-one.csv'), 'csv');
  const file = readCsv(join((await demoData()).files, partner.slug, 'certifications.csv'));
  const range = (await resolveExportRange(env.warehouse, env.caller(partner.id, ['Global admin']), findDataset('microsoft-learn'), { dataset: 'microsoft-learn', format: 'csv', range: { kind: 'LIFETIME' } }))!;
  const expected = file.filter((r) => (r.CredentialType === 'Module' || r.CredentialType === 'Learning path') && r.MpnId === one && r.AchievedDate >= range.from);
  expect(expected.length).toBeGreaterThan(0);
  expect(rows.length).toBe(expected.length);
  expect(new Set(rows.map((r) => r.LocationMpnId))).toEqual(new Set([one]));

  const refused = await env.download('microsoft-learn.csv?range=lifetime', await env.token(partner.id, ['Report viewer']));
  expect(refused.status).toBe(403);

  const other = env.summary.partners.find((p) => p.id !== partner.id)!;
  const otherIds = new Set(readCsv(join((await demoData()).files, other.slug, 'certifications.csv')).map((r) => r.IndividualId));
  expect(rows.filter((r) => otherIds.has(String(r.IndividualId)))).toEqual([]);
});

test('trainings: exams, certifications and assessments, no Learn completions', async () => {
  const partner = env.summary.partners[0];
  const response = await env.download('trainings.csv?range=lifetime', await env.token(partner.id, ['Executive report viewer']));
  expect(response.status).toBe(200);
  const rows = await readWithDuckDb(env.warehouse, await saveBody(response, env.dir, 'trainings.csv'), 'csv');
  const file = readCsv(join((await demoData()).files, partner.slug, 'certifications.csv'));
  // The exports' LIFETIME starts at the partner's first month of Insights data (the engine's range rule).
  const range = (await resolveExportRange(env.warehouse, env.caller(partner.id, ['Global admin']), findDataset('trainings'), { dataset: 'trainings', format: 'csv', range: { kind: 'LIFETIME' } }))!;
  const expected = file.filter((r) => ['Exam', 'Certification', 'Assessment'].includes(r.CredentialType) && r.AchievedDate >= range.from);
  expect(expected.some((r) => r.CredentialType === 'Assessment')).toBe(true);
  expect(rows.map((r) => key(r, 'CredentialType', 'CredentialCode', 'AchievedDate')).sort()).toEqual(expected.map((r) => key(r, 'CredentialType', 'CredentialCode', 'AchievedDate')).sort());
});
