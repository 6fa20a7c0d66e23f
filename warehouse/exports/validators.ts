import { createHash } from 'node:crypto';
import type { Caller } from '../../core/caller';
import { query, sql, type SqlRunner } from '../../core/sql';
import { now as clockNow, today } from '../clock';
import type { PreparedExport } from './index';

/**
 * The validators of an export (HTTP ETag and Last-Modified), computed from what feeds it without
 * running it: one small statement over the warehouse's ingestion state, plus the request.
 *
 * - **The request:** the dataset and its column contract, the format, the resolved range (months,
 *   or from/to's exact bounds), the filters and split (sorted), and the caller's scope: partner,
 *   locations, roles. EXPORT_REVISION changes when the writers' output changes.
 * - **Loads:** the partner's loads (etl_loads: how many, the latest id and when it finished), every
 *   load that did not fail. Partner-wide, not per table: a file fills other tables than its own
 *   (reconciliation lines fill customers' and subscriptions' unknown columns) and the Insights
 *   rollups are rebuilt from them, so only the partner's whole load history says that a table did
 *   not change.
 * - **Writes outside the loader** (GraphQL mutations on subscriptions and referrals, the referral
 *   expiry sweep): rows count and the sum of the rows' hashes of each such table the dataset reads
 *   (MUTABLE_TABLES), the partner's rows only.
 * - **Time:** what `dataset.asOf` says (today's date for "valid as of today" datasets; referrals
 *   lapse to Expired 14 days after creation).
 *
 * While the partner's rollups are being rebuilt (a batch load in progress, etl_stale_rollups) the
 * data is in flux: no validators then (`null`), the response is not to be stored.
 *
 * Last-Modified is the latest of: the last load's end, the instant time last changed the rows
 * (`asOf`), and for data written outside the loader, which records no time, when this process
 * first saw its current state (at the latest, this process's start). So it never precedes a change
 * and If-Modified-Since never answers 304 for changed data. Computed before the export runs: a
 * load that commits in between gives the next request a new ETag (one download more), never a
 * stale 304.
 */
export interface ExportValidators {
  /** A weak entity tag, W/"...": the same data, not the same bytes (XLSX timestamps, unordered rows). */
  etag: string;
  /** Second precision, as HTTP dates carry it; null when nothing dates the data (no load). */
  lastModified: Date | null;
}

/** Bump when the files written for the same data change (writers.ts, a dataset's SQL). */
export const EXPORT_REVISION = '2';

/**
 * Tables written outside the loader (GraphQL mutations, sweeps), whose changes no etl_loads row
 * records. test/exports/validators.suite.ts checks, from the sources, that every table the exports
 * read and that is written outside etl/ is listed here.
 */
export const MUTABLE_TABLES: readonly string[] = ['subscriptions', 'subscription_events', 'referrals', 'referral_contacts', 'deal_registrations', 'expected_charges'];

/** The process's start: the first instant this process may have seen any state. */
const STARTED = Date.now();

/** Per partner and set of tables: the state last seen and since when. Bounded by partners × datasets. */
const seen = new Map<string, { state: string; since: number }>();

function firstSeen(key: string, state: string, at: number): number {
  const known = seen.get(key);
  if (known?.state === state) return known.since;
  const since = known ? at : STARTED;
  seen.set(key, { state, since });
  return since;
}

interface StateRow {
  loads: string;
  last_load: string | null;
  loaded_at: string | null;
  stale: string;
  [table: string]: string | null;
}

/** The validators of a prepared export for a caller, or null while the partner's data is in flux. */
export async function exportValidators(db: SqlRunner, caller: Caller, prepared: PreparedExport): Promise<ExportValidators | null> {
  const { dataset } = prepared;
  const mutable = MUTABLE_TABLES.filter((t) => !dataset.reads || dataset.reads.includes(t));
  const partner = caller.partnerId;
  const hashes = mutable.map((t) => sql`, (SELECT count(*)::VARCHAR || '/' || coalesce(sum(hash(t))::VARCHAR, '0') FROM ${sql.raw(t)} t WHERE t.partner_id = ${partner}) AS ${sql.raw(`"${t}"`)}`);
  const loads = sql`FROM etl_loads l WHERE l.status <> 'rejected' AND (l.partner_ids IS NULL OR len(l.partner_ids) = 0 OR list_contains(l.partner_ids, ${partner}))`;
  const statement = sql`SELECT
      (SELECT count(*)::VARCHAR ${loads}) AS loads,
      (SELECT max(l.load_id)::VARCHAR ${loads}) AS last_load,
      (SELECT strftime(max(coalesce(l.finished_at, l.started_at)), '%Y-%m-%dT%H:%M:%S.%gZ') ${loads}) AS loaded_at,
      (SELECT count(*)::VARCHAR FROM etl_stale_rollups WHERE partner_id = ${partner}) AS stale
      ${sql.join(hashes, ' ')}`;
  const at = clockNow();
  const [[state], clock] = await Promise.all([query<StateRow>(db, statement), clockState(db, caller, prepared, at)]);
  if (Number(state.stale) > 0) return null;

  const tables = Object.fromEntries(mutable.map((t) => [t, state[t]]));
  const validated = {
    revision: EXPORT_REVISION,
    dataset: dataset.name,
    columns: dataset.columns.map((c) => `${c.name}:${c.type}`),
    format: prepared.format,
    range: prepared.range,
    filters: Object.fromEntries(
      Object.entries(prepared.filters)
        .filter(([, values]) => values && values.length)
        .map(([name, values]) => [name, [...new Set(values!)].sort()])
        .sort(([a], [b]) => String(a).localeCompare(String(b))),
    ),
    splitBy: prepared.splitBy,
    caller: { partner, locations: caller.locations ? [...new Set(caller.locations)].sort() : null, roles: [...new Set(caller.roles)].sort() },
    loads: [state.loads, state.last_load, state.loaded_at],
    tables,
    clock: clock?.key ?? null,
  };
  const digest = createHash('sha256').update(JSON.stringify(validated)).digest('base64url').slice(0, 32);

  const times: number[] = [];
  if (state.loaded_at) times.push(Date.parse(state.loaded_at));
  if (clock?.at) times.push(clock.at);
  if (mutable.length) times.push(firstSeen(`${partner}\u0000${mutable.join(',')}`, JSON.stringify(tables), at.getTime()));
  const latest = times.length ? Math.max(...times) : null;
  return { etag: `W/"${digest}"`, lastModified: latest === null ? null : new Date(Math.floor(latest / 1000) * 1000) };
}

/** What time alone changes in the dataset's rows: a key, and the instant it last did (ms). */
async function clockState(db: SqlRunner, caller: Caller, prepared: PreparedExport, at: Date): Promise<{ key: string; at: number | null } | null> {
  const { asOf } = prepared.dataset;
  if (!asOf) return null;
  if (asOf === 'day') {
    const day = today();
    return { key: day, at: Date.parse(`${day}T00:00:00Z`) };
  }
  const [row] = await query<{ key: unknown; at: string | null }>(db, sql`SELECT CAST("key" AS VARCHAR) AS "key", strftime("at", '%Y-%m-%dT%H:%M:%S.%gZ') AS "at" FROM (${asOf(caller, at)})`);
  return { key: String(row?.key ?? ''), at: row?.at ? Date.parse(row.at) : null };
}
