import type { SqlRunner } from '../../core/sql';
import type { Warehouse } from '../../warehouse/db';
import { countBadRows, dropBadRows } from './phases/check';
import { detectFile, rejectBeforeReading, type DetectedFile } from './phases/detect';
import { refuseOtherPartners } from './phases/partner';
import { fillUnknowns } from './phases/fill';
import { insertRows } from './phases/insert';
import { prepareLoad, type PreparedLoad } from './phases/mapping';
import { collectQuarantine, keepQuarantine } from './phases/quarantine';
import { recordLoaded, recordRefused, recordTooManyBad, recordUnreadable, refreshFilledPartners, refreshRollups } from './phases/record';
import { LoadRun, utcNow } from './phases/run';
import { alreadyLoaded } from './phases/skip';
import { replaceEarlierLoads } from './phases/supersede';
import { refuseIfTooManyBad, TooManyBadRows } from './phases/threshold';
import { publishReferralChanges, referralChanges, type ReferralChange } from './phases/referral-changes';
import { now as clockNow } from '../../warehouse/clock';
import { FileRejection } from './detect';
import type { LoadOptions, LoadResult } from './types';

export type { LoadOptions, LoadProgress, LoadResult, QuarantineSample } from './types';

/** Default share of bad rows a file may have before it is rejected whole (PI_MAX_BAD_ROW_SHARE). */
export const DEFAULT_MAX_BAD_ROW_SHARE = 0.05;

export function maxBadShareFromEnv(): number {
  const raw = process.env.PI_MAX_BAD_ROW_SHARE;
  if (raw === undefined || raw === '') return DEFAULT_MAX_BAD_ROW_SHARE;
  return checkShare(Number(raw), 'PI_MAX_BAD_ROW_SHARE');
}

export function checkShare(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${name} must be a number from 0 to 1, not ${value}`);
  return value;
}

/**
 * Loads one file in one transaction: the etl_loads row, the deletes of the rows it replaces, its
 * rows and its quarantine rows commit together or not at all. See etl/load/README.md; each phase
 * is a module of etl/load/phases/.
 */
export async function loadFile(db: Warehouse, inputPath: string, options: LoadOptions = {}): Promise<LoadResult> {
  const started = Date.now();
  const startedAt = utcNow();
  const maxBadShare = options.maxBadShare ?? maxBadShareFromEnv();
  const run = await LoadRun.open(inputPath, options, started, startedAt);

  const skipped = await alreadyLoaded(db, run);
  run.lap('hash');
  if (skipped) return run.done({ status: 'skipped', message: skipped });

  let file: DetectedFile;
  try {
    file = await detectFile(db, run);
  } catch (err) {
    return rejectBeforeReading(db, run, err);
  }
  run.lap('detect');
  run.result.detected = file.plan.detected;
  run.result.notice = file.plan.notice;

  const load = await prepareLoad(db, run.path, file);
  try {
    const now = clockNow();
    let referrals: ReferralChange[] = [];
    const outcome = await db.transaction((tx) => loadRows(tx, run, load, maxBadShare, async () => (referrals = await referralChanges(tx, db, load, now))));
    run.lap('commit');
    publishReferralChanges(db, referrals, now);
    return run.done({ status: 'loaded', loadId: load.loadId, ...outcome });
  } catch (err) {
    if (err instanceof TooManyBadRows) return recordTooManyBad(db, run, load, err);
    if (err instanceof FileRejection) return recordRefused(db, run, load, err.message);
    return recordUnreadable(db, run, load, err);
  }
}

/** What the load transaction gives the result of a loaded file. */
type LoadedOutcome = Pick<
  LoadResult,
  'rowsLoaded' | 'rowsQuarantined' | 'quarantineEntries' | 'rowsReplaced' | 'rowsSkipped' | 'supersededLoads' | 'reasons' | 'message' | 'amountCheck' | 'notice'
>;

/**
 * The load transaction: insert, count what is wrong, quarantine, refuse the file if too much is
 * wrong (TooManyBadRows rolls it back), drop bad rows, replace earlier loads (keeping known values
 * for partial exports), fill unknowns from the data that knows them, refresh the rollups and write
 * the etl_loads row.
 */
async function loadRows(
  tx: SqlRunner,
  run: LoadRun,
  load: PreparedLoad,
  maxBadShare: number,
  /** Reads what the file changes for the live subscriptions, before the rows it replaces go. */
  noteChanges: () => Promise<unknown>,
): Promise<LoadedOutcome> {
  const inserted = await insertRows(tx, run, load);
  await refuseOtherPartners(tx, load, run.options.partnerId);
  run.lap('insert');
  run.progress('checking');
  const tally = await countBadRows(tx, load, inserted);
  const quarantine = await collectQuarantine(tx, load, tally);
  run.lap('check');
  await refuseIfTooManyBad(tx, load.loadId, tally, quarantine, maxBadShare);
  const rowsLoaded = await dropBadRows(tx, load, tally);
  if (rowsLoaded > 0) await noteChanges();
  const { rowsReplaced, superseded } = rowsLoaded > 0 ? await replaceEarlierLoads(tx, load, run.fileName) : { rowsReplaced: 0, superseded: [] };
  if (quarantine.entries > 0) await keepQuarantine(tx, load.loadId, run.fileName);
  run.lap('replace');
  const filled = rowsLoaded > 0 ? await fillUnknowns(tx, load) : [];
  run.lap('fill');
  await refreshRollups(tx, load.format, load.loadId, run.options.batch);
  await refreshFilledPartners(tx, filled, run.options.batch);
  const hash = await run.contentHash();
  run.lap('hash');
  const message = `${load.format.name} -> ${load.format.table}`;
  const notice = load.file.plan.notice;
  await recordLoaded(tx, run, load, { rowsLoaded, badRows: tally.badRows, rowsReplaced }, hash, notice ?? message);
  run.lap('record');
  return {
    notice,
    amountCheck: tally.amounts,
    rowsLoaded,
    rowsQuarantined: tally.badRows,
    quarantineEntries: quarantine.entries,
    rowsReplaced,
    rowsSkipped: tally.emptyRows,
    supersededLoads: superseded,
    reasons: quarantine.reasons,
    message,
  };
}
