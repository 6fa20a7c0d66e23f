import { gql } from '../gateway/harness';

/** Helpers for the report download and API key tests: real HTTP only. */
export interface HttpResult {
  status: number;
  headers: Headers;
  text: string;
  bytes: Buffer;
}

export async function httpGet(baseUrl: string, path: string, headers: Record<string, string> = {}): Promise<HttpResult> {
  const response = await fetch(`${baseUrl}${path}`, { headers });
  const bytes = Buffer.from(await response.arrayBuffer());
  return { status: response.status, headers: response.headers, text: bytes.toString('utf8'), bytes };
}

export const GENERATE = `mutation($input: GenerateReportInput!) { generateReport(input: $input) {
  id report title timeframe format status requestedAt generatedAt expiresAt rows bytes fileName downloadUrl error } }`;
export const ONE = `query($id: ID!) { generatedReport(id: $id) {
  id report title timeframe format status locationMpnIds requestedBy requestedAt generatedAt expiresAt rows bytes fileName downloadUrl error } }`;

/** Polls generatedReport until it leaves QUEUED/RUNNING (or the timeout). */
export async function waitForReport(graphqlUrl: string, bearer: string, id: string, timeoutMs = 60_000): Promise<any> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const r = await gql(graphqlUrl, bearer, ONE, { id });
    const report = r.body.data?.generatedReport;
    if (!report) throw new Error(`report ${id} not visible: ${JSON.stringify(r.body)}`);
    if (report.status !== 'QUEUED' && report.status !== 'RUNNING') return report;
    if (Date.now() > deadline) throw new Error(`report ${id} still ${report.status} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** generateReport, then wait until it is READY (throws with the error otherwise). */
export async function generateAndWait(graphqlUrl: string, bearer: string, input: Record<string, unknown>): Promise<any> {
  const r = await gql(graphqlUrl, bearer, GENERATE, { input });
  if (r.body.errors) throw new Error(`generateReport failed: ${JSON.stringify(r.body.errors)}`);
  const report = await waitForReport(graphqlUrl, bearer, r.body.data.generateReport.id);
  if (report.status !== 'READY') throw new Error(`report ${report.id} ${report.status}: ${report.error}`);
  return report;
}
