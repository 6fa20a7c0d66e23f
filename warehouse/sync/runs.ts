import { randomUUID } from 'node:crypto';
import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { isoTimestamp, query, sql, type Sql, type SqlRunner } from '../../core/sql';

/**
 * Partner Center syncs (migration 10): the SQL of a sync's record, its units and the invoices it
 * holds. etl/sync runs the syncs; GraphQL (`syncs`, `sync(id)`) and the CLI read them.
 *
 * A sync belongs to a partner (the one whose Partner Center it reads) and to no location, like a
 * load job: it loads organisation-wide data. Times are passed in by the caller (warehouse/clock.ts).
 */
export const SYNC_STATES = ['QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED'] as const;
export type SyncState = (typeof SYNC_STATES)[number];

export const SYNC_TRIGGERS = ['cli', 'graphql', 'schedule', 'http'] as const;
export type SyncTrigger = (typeof SYNC_TRIGGERS)[number];

export const UNIT_STATES = ['LOADED', 'SKIPPED', 'FAILED'] as const;
export type UnitState = (typeof UNIT_STATES)[number];

export type SyncRunRow = {
  id: string;
  partnerId: string;
  state: SyncState;
  trigger: SyncTrigger;
  requestedBy: string | null;
  phase: string | null;
  unitsDone: number;
  unitsFailed: number;
  unitsSkipped: number;
  rowsLoaded: number;
  requests: number;
  bytesDownloaded: number;
  error: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
};

export type SyncUnitRow = {
  position: number;
  kind: string;
  key: string;
  state: UnitState;
  jobId: string | null;
  rowsLoaded: number;
  message: string | null;
  finishedAt: string;
};

/** What a unit came to, as the sync records it. */
export interface UnitOutcome {
  kind: string;
  key: string;
  state: UnitState;
  jobId?: string | null;
  rowsLoaded?: number;
  message?: string | null;
}

/** A Date as a DuckDB TIMESTAMP value with milliseconds (UTC). */
const ts = (at: Date) => sql`CAST(${at.toISOString().replace('T', ' ').replace('Z', '')} AS TIMESTAMP)`;

export async function createSyncRun(db: SqlRunner, run: { partnerId: string; requestedBy: string | null; trigger: SyncTrigger }, at: Date): Promise<string> {
  const id = randomUUID();
  await exec(db, sql`INSERT INTO sync_runs (sync_id, partner_id, requested_by, trigger, state, created_at)
    VALUES (${id}, ${run.partnerId}, ${run.requestedBy}, ${run.trigger}, 'QUEUED', ${ts(at)})`);
  return id;
}

export async function markSyncRunning(db: SqlRunner, syncId: string, at: Date): Promise<void> {
  await exec(db, sql`UPDATE sync_runs SET state = 'RUNNING', started_at = ${ts(at)} WHERE sync_id = ${syncId}`);
}

/** The sync's counters and phase as they stand (written as it goes: `sync(id)` shows progress). */
export async function recordSyncProgress(
  db: SqlRunner,
  syncId: string,
  progress: { phase: string; requests: number; bytesDownloaded: number },
): Promise<void> {
  await exec(db, sql`UPDATE sync_runs SET phase = ${progress.phase}, requests = ${progress.requests}, bytes_downloaded = ${progress.bytesDownloaded}
    WHERE sync_id = ${syncId}`);
}

/** Records a unit and adds it to the sync's counters. */
export async function recordUnit(db: SqlRunner, syncId: string, partnerId: string, position: number, unit: UnitOutcome, at: Date): Promise<void> {
  const rows = unit.rowsLoaded ?? 0;
  await exec(db, sql`INSERT INTO sync_units (sync_id, partner_id, position, kind, unit_key, state, job_id, rows_loaded, message, finished_at)
    VALUES (${syncId}, ${partnerId}, ${position}, ${unit.kind}, ${unit.key}, ${unit.state}, ${unit.jobId ?? null}, ${rows}, ${unit.message ?? null}, ${ts(at)})`);
  await exec(db, sql`UPDATE sync_runs SET
      units_done = units_done + ${unit.state === 'LOADED' ? 1 : 0},
      units_skipped = units_skipped + ${unit.state === 'SKIPPED' ? 1 : 0},
      units_failed = units_failed + ${unit.state === 'FAILED' ? 1 : 0},
      rows_loaded = rows_loaded + ${rows}
    WHERE sync_id = ${syncId}`);
}

export async function finishSyncRun(db: SqlRunner, syncId: string, outcome: { state: 'SUCCEEDED' | 'FAILED'; error: string | null }, at: Date): Promise<void> {
  await exec(db, sql`UPDATE sync_runs SET state = ${outcome.state}, error = ${outcome.error}, phase = 'done', finished_at = ${ts(at)}
    WHERE sync_id = ${syncId}`);
}

/**
 * Marks FAILED the syncs a stopped process left QUEUED or RUNNING (a kill, a crash): called before a
 * process starts syncing. What their units committed stays loaded; the next sync fetches the rest.
 */
export async function failInterruptedSyncs(db: SqlRunner, at: Date): Promise<string[]> {
  const runs = await query<{ id: string }>(db, sql`SELECT sync_id AS id FROM sync_runs WHERE state IN ('QUEUED', 'RUNNING') ORDER BY sync_seq`);
  for (const run of runs) {
    await finishSyncRun(
      db,
      run.id,
      { state: 'FAILED', error: 'interrupted: the process stopped while this sync ran; the units it had loaded stay loaded, the next sync fetches the rest' },
      at,
    );
  }
  return runs.map((r) => r.id);
}

/** What the sync holds of each invoice it has seen (sync_invoices), by invoice id. */
export async function heldInvoices(db: SqlRunner, partnerId: string): Promise<Map<string, { fingerprint: string; state: 'LOADED' | 'FAILED'; attempts: number }>> {
  const rows = await query<{ id: string; fingerprint: string; state: 'LOADED' | 'FAILED'; attempts: number }>(
    db,
    sql`SELECT invoice_id AS id, fingerprint, state, attempts FROM sync_invoices WHERE partner_id = ${partnerId}`,
  );
  return new Map(rows.map(({ id, ...held }) => [id, held]));
}

/** Records that an invoice's line items were loaded (LOADED) or could not be (FAILED, with why). */
export async function recordInvoice(
  db: SqlRunner,
  invoice: { partnerId: string; invoiceId: string; fingerprint: string; state: 'LOADED' | 'FAILED'; error: string | null; syncId: string },
  at: Date,
): Promise<void> {
  await exec(db, sql`INSERT INTO sync_invoices (partner_id, invoice_id, fingerprint, state, error, attempts, sync_id, updated_at)
    VALUES (${invoice.partnerId}, ${invoice.invoiceId}, ${invoice.fingerprint}, ${invoice.state}, ${invoice.error}, 1, ${invoice.syncId}, ${ts(at)})
    ON CONFLICT (partner_id, invoice_id) DO UPDATE SET fingerprint = excluded.fingerprint, state = excluded.state, error = excluded.error,
      attempts = CASE WHEN sync_invoices.state = 'FAILED' THEN sync_invoices.attempts + 1 ELSE 1 END, sync_id = excluded.sync_id, updated_at = excluded.updated_at`);
}

/** The select list of a sync as its GraphQL node (SyncRun), over alias s. */
export const syncSelect: Sql = sql.raw(`s.sync_id AS id, s.partner_id AS "partnerId", s.state, s.trigger, s.requested_by AS "requestedBy", s.phase,
  s.units_done AS "unitsDone", s.units_failed AS "unitsFailed", s.units_skipped AS "unitsSkipped", CAST(s.rows_loaded AS DOUBLE) AS "rowsLoaded",
  s.requests, CAST(s.bytes_downloaded AS DOUBLE) AS "bytesDownloaded", s.error,
  ${isoTimestamp('s.created_at')} AS "createdAt", ${isoTimestamp('s.started_at')} AS "startedAt", ${isoTimestamp('s.finished_at')} AS "finishedAt"`);

/** Newest first: sync_seq is the creation order. */
export const syncOrder: Sql = sql.raw('s.sync_seq DESC');

/** FROM and WHERE of the caller's syncs: their partner's (no location: see the module comment). */
export function syncsFrom(caller: Caller): Sql {
  return sql`sync_runs s WHERE ${scope(caller, 's', null)}`;
}

/** One sync of the caller's partner, or undefined (unknown, or another partner's). */
export async function syncById(db: SqlRunner, caller: Caller, syncId: string): Promise<SyncRunRow | undefined> {
  const [run] = await query<SyncRunRow>(db, sql`SELECT ${syncSelect} FROM ${syncsFrom(caller)} AND s.sync_id = ${syncId}`);
  return run;
}

/** A sync by id, whoever's (for the process that runs it). */
export async function syncRunById(db: SqlRunner, syncId: string): Promise<SyncRunRow | undefined> {
  const [run] = await query<SyncRunRow>(db, sql`SELECT ${syncSelect} FROM sync_runs s WHERE s.sync_id = ${syncId}`);
  return run;
}

/** A sync with its units, whoever's (for the process that ran it and the local operator). */
export async function syncRunWithUnits(db: SqlRunner, syncId: string): Promise<(SyncRunRow & { units: SyncUnitRow[] }) | undefined> {
  const run = await syncRunById(db, syncId);
  if (!run) return undefined;
  const units = await unitsOfSyncs(db, run.partnerId, [syncId]);
  return { ...run, units: units.get(syncId) ?? [] };
}

/** The units of the given syncs of a partner (the caller's: syncs belong to no location), by sync id, in fetch order. */
export async function unitsOfSyncs(db: SqlRunner, partnerId: string, syncIds: readonly string[]): Promise<Map<string, SyncUnitRow[]>> {
  const bySync = new Map<string, SyncUnitRow[]>();
  if (!syncIds.length) return bySync;
  const rows = await query<SyncUnitRow & { syncId: string }>(
    db,
    sql`SELECT u.sync_id AS "syncId", u.position, u.kind, u.unit_key AS key, u.state, u.job_id AS "jobId", CAST(u.rows_loaded AS DOUBLE) AS "rowsLoaded",
        u.message, ${sql.raw(isoTimestamp('u.finished_at'))} AS "finishedAt"
      FROM sync_units u WHERE u.partner_id = ${partnerId} AND u.sync_id IN ${sql.list([...syncIds])} ORDER BY u.sync_id, u.position`,
  );
  for (const { syncId, ...unit } of rows) {
    let list = bySync.get(syncId);
    if (!list) bySync.set(syncId, (list = []));
    list.push(unit);
  }
  return bySync;
}

function exec(db: SqlRunner, statement: Sql): Promise<void> {
  const { text, params } = statement.toQuery();
  return db.run(text, params);
}
