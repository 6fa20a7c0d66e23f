import { randomUUID } from 'node:crypto';
import type { PartnerRole } from '../../core/vocabulary';
import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import { listLiteral } from '../accounts/api-keys';
import { now, sqlTimestamp } from '../clock';
import type { SqlRunner } from '../../core/sql';
import type { InsightsFilters } from '../insights/compile';
import type { ExportFormat, ExportResult } from './types';

/**
 * Generated reports (report downloads): the job rows of table generated_reports. A report is
 * written with its requester's permissions and locations, so a caller sees (lists, downloads) only
 * reports whose locations are within their own; the dataset's roles are checked on top
 * (downloads-engine.ts). Times come from warehouse/clock (PI_TODAY in tests).
 */
export const RETENTION_DAYS = 14;
export const JOB_STATES = ['QUEUED', 'RUNNING', 'READY', 'FAILED', 'EXPIRED'] as const;
export type JobStatus = (typeof JOB_STATES)[number];
export type ReportTimeframeKind = 'LAST_3_MONTHS' | 'LAST_6_MONTHS' | 'LAST_12_MONTHS' | 'LIFETIME';

export interface ReportRow {
  id: string;
  report: string;
  title: string;
  timeframe: ReportTimeframeKind | null;
  format: string;
  status: JobStatus;
  locationMpnIds: string[] | null;
  requestedBy: string | null;
  requestedAt: string;
  generatedAt: string | null;
  expiresAt: string | null;
  rows: number | null;
  bytes: number | null;
  fileName: string | null;
  downloadUrl: string | null;
  error: string | null;
}

const iso = (column: string) => sql.raw(`strftime(${column}, '%Y-%m-%dT%H:%M:%SZ')`);

/** A READY report past its expiry counts as EXPIRED at once, even before the sweep removes the file. */
export function statusAt(at: Date): Sql {
  return sql`CASE WHEN r.status = 'READY' AND r.expires_at <= CAST(${sqlTimestamp(at)} AS TIMESTAMP) THEN 'EXPIRED' ELSE r.status END`;
}

export function reportSelect(at: Date): Sql {
  const status = statusAt(at);
  return sql`r.report_id AS id, r.dataset AS report, r.title, r.timeframe, upper(r.format) AS format, ${status} AS status,
    r.locations AS "locationMpnIds", r.requested_by AS "requestedBy", ${iso('r.requested_at')} AS "requestedAt",
    ${iso('r.generated_at')} AS "generatedAt", ${iso('r.expires_at')} AS "expiresAt", CAST(r.row_count AS DOUBLE) AS rows,
    CAST(r.byte_count AS DOUBLE) AS bytes, r.file_name AS "fileName",
    CASE WHEN ${status} = 'READY' THEN '/downloads/' || r.report_id END AS "downloadUrl", r.error`;
}

/** Reports within the caller's reach: their partner's; for a location-scoped caller, those within their locations. */
function visible(caller: Caller): Sql {
  const within =
    caller.locations === null ? sql.raw('TRUE') : sql`r.locations IS NOT NULL AND list_has_all(${listLiteral(caller.locations)}, r.locations)`;
  return sql`${scope(caller, 'r', null)} AND ${within}`;
}

/** The reports a caller lists: within reach, of the datasets their roles may export. */
export function reportsFrom(caller: Caller, datasets: readonly string[]): Sql {
  return sql`generated_reports r WHERE ${visible(caller)} AND r.dataset IN ${sql.list([...datasets])}`;
}

export interface NewReport {
  dataset: string;
  title: string;
  timeframe: ReportTimeframeKind | null;
  format: ExportFormat;
  filters: InsightsFilters | null;
}

export async function insertReport(db: SqlRunner, caller: Caller, report: NewReport): Promise<string> {
  const id = randomUUID();
  const locations = caller.locations ? listLiteral(caller.locations) : sql.raw('NULL');
  await query(db, sql`INSERT INTO generated_reports (report_id, partner_id, dataset, title, timeframe, format, filters, status,
      requested_by, requester_roles, locations, requested_at)
    VALUES (${id}, ${caller.partnerId}, ${report.dataset}, ${report.title}, ${report.timeframe}, ${report.format},
      ${report.filters ? JSON.stringify(report.filters) : null}, 'QUEUED', ${caller.subject ?? null}, ${listLiteral(caller.roles)},
      ${locations}, CAST(${sqlTimestamp(now())} AS TIMESTAMP))`);
  return id;
}

export async function reportById(db: SqlRunner, caller: Caller, id: string, datasets: readonly string[]): Promise<ReportRow | undefined> {
  const [row] = await query<ReportRow & Record<string, unknown>>(db, sql`SELECT ${reportSelect(now())} FROM ${reportsFrom(caller, datasets)} AND r.report_id = ${id}`);
  return row;
}

/** Where a report's file is and what it is, for the download route. */
export interface ReportFile {
  id: string;
  partnerId: string;
  dataset: string;
  status: JobStatus;
  locations: string[] | null;
  filePath: string | null;
  fileName: string | null;
  contentType: string | null;
  expiresAt: string | null;
  error: string | null;
}

/** A report within the caller's reach, whatever its dataset (the download route checks the dataset's roles). */
export async function reportFile(db: SqlRunner, caller: Caller, id: string): Promise<ReportFile | undefined> {
  const [row] = await query<ReportFile & Record<string, unknown>>(
    db,
    sql`SELECT r.report_id AS id, r.partner_id AS "partnerId", r.dataset, ${statusAt(now())} AS status, r.locations,
          r.file_path AS "filePath", r.file_name AS "fileName", r.content_type AS "contentType", ${iso('r.expires_at')} AS "expiresAt", r.error
        FROM generated_reports r WHERE ${visible(caller)} AND r.report_id = ${id}`,
  );
  return row;
}

/** The job the queue runs: what to export and as whom. */
export interface Job {
  id: string;
  caller: Caller;
  dataset: string;
  timeframe: ReportTimeframeKind | null;
  format: ExportFormat;
  filters: InsightsFilters | null;
}

/** Takes the oldest QUEUED job and marks it RUNNING (one process runs the queue). */
export async function claimNextJob(db: SqlRunner): Promise<Job | undefined> {
  const [row] = await db.all<{ id: string; partnerId: string; roles: PartnerRole[]; locations: string[] | null; subject: string | null; dataset: string; timeframe: ReportTimeframeKind | null; format: ExportFormat; filters: string | null }>(
    `SELECT report_id AS id, partner_id AS "partnerId", requester_roles AS roles, locations, requested_by AS subject, dataset, timeframe, format, filters
     FROM generated_reports WHERE status = 'QUEUED' ORDER BY requested_at, report_id LIMIT 1`,
  );
  if (!row) return undefined;
  await db.run(`UPDATE generated_reports SET status = 'RUNNING', started_at = CAST($2 AS TIMESTAMP) WHERE report_id = $1`, [row.id, sqlTimestamp(now())]);
  return {
    id: row.id,
    caller: { partnerId: row.partnerId, roles: row.roles, locations: row.locations, subject: row.subject ?? undefined },
    dataset: row.dataset,
    timeframe: row.timeframe,
    format: row.format,
    filters: row.filters ? (JSON.parse(row.filters) as InsightsFilters) : null,
  };
}

export async function markReady(db: SqlRunner, id: string, result: ExportResult): Promise<void> {
  const at = now();
  const expires = new Date(at.getTime() + RETENTION_DAYS * 86_400_000);
  await db.run(
    `UPDATE generated_reports SET status = 'READY', generated_at = CAST($2 AS TIMESTAMP), expires_at = CAST($3 AS TIMESTAMP),
       file_path = $4, file_name = $5, content_type = $6, row_count = $7, byte_count = $8, error = NULL
     WHERE report_id = $1`,
    [id, sqlTimestamp(at), sqlTimestamp(expires), result.file, result.fileName, result.contentType, result.rows, result.bytes],
  );
}

export async function markFailed(db: SqlRunner, id: string, error: string): Promise<void> {
  await db.run(`UPDATE generated_reports SET status = 'FAILED', error = $2 WHERE report_id = $1`, [id, error]);
}

/** After a crash: jobs left RUNNING never finish. They become FAILED saying so; returns how many. */
export async function failInterrupted(db: SqlRunner): Promise<number> {
  const rows = await db.all<{ id: string }>(`SELECT report_id AS id FROM generated_reports WHERE status = 'RUNNING'`);
  if (rows.length) {
    await db.run(
      `UPDATE generated_reports SET status = 'FAILED',
         error = 'interrupted: the server stopped while this report was being generated (started ' || strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') || '); generate it again'
       WHERE status = 'RUNNING'`,
    );
  }
  return rows.length;
}

/** READY reports whose 14 days are over at `at`: their files to remove. */
export function expiredFiles(db: SqlRunner, at: Date): Promise<{ id: string; filePath: string | null }[]> {
  return db.all(`SELECT report_id AS id, file_path AS "filePath" FROM generated_reports WHERE status = 'READY' AND expires_at <= CAST($1 AS TIMESTAMP)`, [sqlTimestamp(at)]);
}

export async function markExpired(db: SqlRunner, id: string): Promise<void> {
  await db.run(`UPDATE generated_reports SET status = 'EXPIRED', file_path = NULL WHERE report_id = $1 AND status = 'READY'`, [id]);
}
