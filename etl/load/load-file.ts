import { stat, unlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { ColumnSpec, FileFormat } from '../formats';
import type { SqlRunner } from '../../core/sql';
import type { Warehouse } from '../../warehouse/db';
import { markRollupsStale } from '../../warehouse/insights/stale-rollups';
import { detectFormat, FileRejection, invoiceNumberFromFileName, readHead, type FileHead, type FormatMatch } from './detect';
import { fileColumn, planRead, readCsv, type ReadPlan } from './dialect';
import { sha256File } from './hash';
import { afterLoad } from './hooks';
import { ident, lit } from './sql';

/** Default share of bad rows a file may have before it is rejected whole (PI_MAX_BAD_ROW_SHARE). */
export const DEFAULT_MAX_BAD_ROW_SHARE = 0.05;
/** How many quarantine reasons a result carries for printing. */
const SAMPLE_REASONS = 5;

export interface LoadOptions {
  /** Share (0..1) of bad rows past which a file is rejected whole. Default: PI_MAX_BAD_ROW_SHARE or 0.05. */
  maxBadShare?: number;
  /** Load every file as this format (a FILE_FORMATS name) instead of detecting it from the header. */
  format?: string;
  /** Called as a load goes on (hashing, then reading), a few times a second at most. */
  onProgress?: (progress: LoadProgress) => void;
  /** Called once per file with its result, before the next file starts. */
  onResult?: (result: LoadResult) => void;
  /**
   * Part of a batch (set by loadFiles for more than one file): the load refreshes only the per-row
   * rollups and marks its partners' cubes and PCI rollups stale in its transaction, for one
   * rebuildStaleRollups at the end of the batch (warehouse/insights/stale-rollups.ts).
   */
  batch?: boolean;
}

export interface LoadProgress {
  path: string;
  phase: 'hashing' | 'reading' | 'checking';
  /** 0..1 of the phase when known. */
  fraction?: number;
  sizeBytes: number;
}

/** One quarantined value: where it is in the file and why it was refused. */
export interface QuarantineSample {
  line: number | null;
  column: string | null;
  value: string | null;
  reason: string;
}

export interface LoadResult {
  path: string;
  fileName: string;
  status: 'loaded' | 'skipped' | 'rejected';
  format?: string;
  table?: string;
  /** The etl_loads row written for the file (none for a skipped file). */
  loadId?: number;
  contentHash?: string;
  sizeBytes: number;
  rowsLoaded: number;
  /** Rows kept out as bad (rows_quarantined); rowsLoaded + rowsQuarantined + rowsSkipped = data rows. */
  rowsQuarantined: number;
  /** etl_quarantine entries written: one per bad value, so a row can have several. */
  quarantineEntries: number;
  /** Rows of earlier loads deleted because this file covers the same replaceBy keys. */
  rowsReplaced: number;
  /** Rows with no value at all (only delimiters, as Excel leaves at the end) that were ignored. */
  rowsSkipped: number;
  /** Earlier loads whose rows are now all replaced. */
  supersededLoads: number[];
  /** What was found about the file's dialect (etl_loads.detected). */
  detected?: string;
  /** Said to the user when the file is not in the documented en-US form. */
  notice?: string;
  /** Why a file was skipped or rejected; for a loaded file, a short description. */
  message: string;
  /** The first quarantine reasons, by line. */
  reasons: QuarantineSample[];
  seconds: number;
  /** Seconds spent per phase (hash, detect, insert, check, quarantine, replace, commit). */
  timings: Record<string, number>;
}

export function maxBadShareFromEnv(): number {
  const raw = process.env.PI_MAX_BAD_ROW_SHARE;
  if (raw === undefined || raw === '') return DEFAULT_MAX_BAD_ROW_SHARE;
  return checkShare(Number(raw), 'PI_MAX_BAD_ROW_SHARE');
}

export function checkShare(value: number, name: string): number {
  if (!Number.isFinite(value) || value < 0 || value > 1) throw new Error(`${name} must be a number from 0 to 1, not ${value}`);
  return value;
}

/** Raised inside the load transaction when the file has too many bad rows; the transaction rolls back. */
class TooManyBadRows extends Error {
  constructor(
    message: string,
    readonly quarantineFile: string,
    readonly badRows: number,
    readonly quarantined: number,
    readonly reasons: QuarantineSample[],
  ) {
    super(message);
  }
}

const utcNow = () => new Date().toISOString().replace('T', ' ').replace('Z', '');

/** The DuckDB connection under a transaction runner, for its query progress; undefined if not reachable. */
function connectionOf(runner: SqlRunner): DuckDBConnection | undefined {
  const connection = (runner as unknown as { connection?: DuckDBConnection }).connection;
  return connection && typeof connection === 'object' && 'progress' in connection ? connection : undefined;
}

/** "charge type" from "ChargeType", for messages. */
function spoken(header: string): string {
  return header
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}

/** One mapped column of the file: its SQL expression and the checks made on the stored value. */
interface Mapped {
  index: number;
  spec: ColumnSpec;
  header: string;
  expr: string;
  /** Excluded from "the row is empty" (its value does not come from the file alone). */
  filled?: boolean;
}

interface Check {
  /** Predicate over the warehouse column (or the same-named alias in a rescan): true = bad. */
  bad: string;
  header: string;
  /** SQL expression of the value shown in quarantine. */
  value: string;
  /** SQL expression of the reason. */
  reason: string;
}

/** Builds the SQL pieces of a load: insert expressions, the empty-row predicate and the checks. */
function buildMapping(match: FormatMatch, head: FileHead, plan: ReadPlan, invoiceFromName: string | undefined) {
  const mapped: Mapped[] = [];
  match.fileColumns.forEach((spec, index) => {
    if (!spec) return;
    let expr = ident(fileColumn(index));
    if (plan.casts[index]) expr = `CAST(${expr} AS ${plan.casts[index]})`;
    let filled = false;
    if (spec.allowed?.length) {
      // Allowed values compare case-insensitively and are stored in the spelling of the format.
      const whens = spec.allowed.map((a) => `WHEN ${lit(a.toLowerCase())} THEN ${lit(a)}`).join(' ');
      expr = `CASE lower(trim(${expr})) WHEN '' THEN NULL ${whens} ELSE ${expr} END`;
    }
    if (spec.column === 'invoice_number' && invoiceFromName) {
      expr = `coalesce(nullif(trim(${expr}), ''), ${lit(invoiceFromName)})`;
      filled = true;
    }
    // partner_id is NOT NULL in every table: an empty one is stored as '' and then quarantined.
    if (spec.column === 'partner_id') expr = `coalesce(${expr}, '')`;
    mapped.push({ index, spec, header: head.headers[index], expr, filled });
  });
  const extra: { column: string; expr: string }[] = [];
  if (invoiceFromName && !mapped.some((m) => m.spec.column === 'invoice_number')) {
    extra.push({ column: 'invoice_number', expr: lit(invoiceFromName) });
  }
  const emptyOf = (m: Mapped) => {
    const c = ident(m.spec.column);
    return m.spec.column === 'partner_id' ? `${c} = ''` : `${c} IS NULL`;
  };
  const fromFile = mapped.filter((m) => !m.filled);
  const empty = fromFile.length ? `(${fromFile.map(emptyOf).join(' AND ')})` : 'false';

  // Semantic checks, made in SQL on the typed values.
  // Reseller MPN IDs (ResellerMpnId / Tier2MpnId / Reseller) are deliberately not checked: the
  // documentation says a direct sale repeats the partner's MPN ID there, a reseller without an MPN ID
  // also gets the partner's MPN ID, and a removed reseller is -1. Those values are kept as written.
  const checks: Check[] = [];
  for (const m of mapped) {
    const c = ident(m.spec.column);
    // partner_id is NOT NULL in every table and tells empty rows apart, so it is always required.
    if (m.spec.notEmpty || m.spec.column === 'partner_id') {
      const isEmpty = m.spec.type === 'VARCHAR' ? `(${c} IS NULL OR trim(${c}) = '')` : `${c} IS NULL`;
      checks.push({ bad: isEmpty, header: m.header, value: `CAST(${c} AS VARCHAR)`, reason: lit(`empty ${m.header} (a value is required)`) });
    }
    if (m.spec.allowed?.length) {
      const list = m.spec.allowed.map(lit).join(', ');
      checks.push({
        bad: `(${c} IS NOT NULL AND ${c} NOT IN (${list}))`,
        header: m.header,
        value: c,
        reason: `'unknown ${spoken(m.header)} ''' || ${c} || '''; allowed: ' || ${lit(m.spec.allowed.join(', '))}`,
      });
    }
  }
  const anyBad = checks.length ? `(${checks.map((k) => k.bad).join(' OR ')})` : 'false';
  return { mapped, extra, empty, checks, anyBad };
}

function typeWords(spec: ColumnSpec, plan: ReadPlan, readType: string): string {
  switch (spec.type) {
    case 'DATE':
      return `date (expected ${plan.dateShape}${readType === 'TIMESTAMP' ? ' with a time' : ''})`;
    case 'TIMESTAMP':
      return `date and time`;
    case 'MONEY':
      return `amount (expected a decimal number${plan.params.decimal_separator === ',' ? ' with a decimal comma' : ' like 1234.56'})`;
    case 'QUANTITY':
      return `number (expected a decimal number${plan.params.decimal_separator === ',' ? ' with a decimal comma' : ''})`;
    case 'INTEGER':
    case 'BIGINT':
      return 'whole number';
    case 'BOOLEAN':
      return 'true/false value';
    default:
      return 'value';
  }
}

/** Writes the etl_loads row of a file that was refused before any of its rows were read. */
async function recordRejected(
  db: Warehouse,
  r: { path: string; fileName: string; format?: string; hash: string; size: number; detected?: string; message: string; startedAt: string },
): Promise<number> {
  const row = await db.one<{ id: string }>(`SELECT nextval('etl_load_seq') AS id`);
  const loadId = Number(row!.id);
  await db.transaction(async (tx) => {
    await tx.run(
      `INSERT INTO etl_loads (load_id, file_path, file_name, file_format, content_hash, size_bytes, status, detected, message, started_at, finished_at)
       VALUES ($1, $2, $3, $4, $5, $6, 'rejected', $7, $8, CAST($9 AS TIMESTAMP), CAST($10 AS TIMESTAMP))`,
      [loadId, r.path, r.fileName, r.format ?? null, r.hash, r.size, r.detected ?? null, r.message, r.startedAt, utcNow()],
    );
  });
  return loadId;
}

function describeSample(s: QuarantineSample): string {
  const where = [s.line !== null ? `line ${s.line}` : undefined, s.column ?? undefined].filter(Boolean).join(', ');
  return `${where ? `${where}: ` : ''}${s.reason}`;
}

/**
 * Loads one file in one transaction: the etl_loads row, the deletes of the rows it replaces, its
 * rows and its quarantine rows commit together or not at all. See etl/load/README.md.
 */
export async function loadFile(db: Warehouse, inputPath: string, options: LoadOptions = {}): Promise<LoadResult> {
  const started = Date.now();
  const startedAt = utcNow();
  const path = resolve(inputPath);
  const fileName = basename(path);
  const maxBadShare = options.maxBadShare ?? maxBadShareFromEnv();
  const size = (await stat(path)).size;
  const result: LoadResult = {
    path,
    fileName,
    status: 'rejected',
    sizeBytes: size,
    rowsLoaded: 0,
    rowsQuarantined: 0,
    quarantineEntries: 0,
    rowsReplaced: 0,
    rowsSkipped: 0,
    supersededLoads: [],
    message: '',
    reasons: [],
    seconds: 0,
    timings: {},
  };
  let mark = Date.now();
  const lap = (name: string) => {
    const now = Date.now();
    result.timings[name] = (result.timings[name] ?? 0) + (now - mark) / 1000;
    mark = now;
  };
  const done = (patch: Partial<LoadResult>): LoadResult => {
    Object.assign(result, patch, { seconds: (Date.now() - started) / 1000 });
    options.onResult?.(result);
    return result;
  };
  const progress = (phase: LoadProgress['phase'], fraction?: number) => options.onProgress?.({ path, phase, fraction, sizeBytes: size });

  // Same bytes already loaded: nothing to do. Only a loaded file of the same size can hold the same
  // bytes: when there is one, the hash is computed first; when there is none, it is computed while
  // DuckDB reads the file and awaited before the etl_loads row is written.
  const sameSize = await db.one(`SELECT load_id FROM etl_loads WHERE size_bytes = $1 AND status = 'loaded' LIMIT 1`, [size]);
  let lastReport = 0;
  const hashing = sha256File(
    path,
    sameSize
      ? (bytes) => {
          const now = Date.now();
          if (now - lastReport > 200) {
            lastReport = now;
            progress('hashing', size ? bytes / size : 1);
          }
        }
      : undefined,
  );
  hashing.catch(() => undefined);
  const contentHash = async () => (result.contentHash = await hashing);
  if (sameSize) {
    const hash = await contentHash();
    const earlier = await db.one<{ load_id: string; finished_at: string | null }>(
      `SELECT load_id, strftime(finished_at, '%Y-%m-%d %H:%M:%S') AS finished_at FROM etl_loads
       WHERE content_hash = $1 AND status = 'loaded' ORDER BY load_id LIMIT 1`,
      [hash],
    );
    if (earlier) {
      lap('hash');
      return done({ status: 'skipped', message: `already loaded (load ${earlier.load_id} on ${earlier.finished_at} UTC)` });
    }
  }
  lap('hash');

  // Header, format and dialect: a file that cannot be read right is refused before any row is read.
  let head: FileHead;
  let match: FormatMatch;
  let plan: ReadPlan;
  let invoiceFromName: string | undefined;
  try {
    head = await readHead(path);
    match = detectFormat(head.headers, options.format);
    result.format = match.format.name;
    result.table = match.format.table;
    const hasInvoice = match.fileColumns.some((c) => c?.column === 'invoice_number');
    if (match.format.invoiceFromFileName) {
      invoiceFromName = invoiceNumberFromFileName(path);
      if (!hasInvoice && !invoiceFromName) {
        throw new FileRejection(
          `a ${match.format.name} file needs an InvoiceNumber column or a file name that starts with the invoice number ` +
            `(as Partner Center names them: G012345678_License.csv); this one has neither`,
        );
      }
    }
    plan = await planRead(db, path, fileName, head, match);
  } catch (err) {
    if (err instanceof TypeError || err instanceof ReferenceError) throw err;
    const message = err instanceof FileRejection ? err.message : `could not be read: ${(err as Error).message.split('\n')[0]}`;
    const loadId = await recordRejected(db, { path, fileName, format: result.format, hash: await contentHash(), size, message, startedAt });
    return done({ status: 'rejected', loadId, message });
  }
  lap('detect');
  result.detected = plan.detected;
  result.notice = plan.notice;

  const format: FileFormat = match.format;
  const table = ident(format.table);
  const { mapped, extra, empty, checks, anyBad } = buildMapping(match, head, plan, invoiceFromName);
  const names = match.fileColumns.map((_, i) => fileColumn(i));
  const read = (more: Record<string, string | number | boolean>) => readCsv(path, names, plan.readTypes, { ...plan.params, ...more });
  const targetColumns = [...mapped.map((m) => m.spec.column), ...extra.map((e) => e.column), 'load_id'].map(ident);
  const idRow = await db.one<{ id: string }>(`SELECT nextval('etl_load_seq') AS id`);
  const loadId = Number(idRow!.id);
  const thisLoad = `${table}.load_id = ${loadId}`;

  try {
    const outcome = await db.transaction(async (tx) => {
      // 1. One pass: DuckDB parses and types every row; rows with values that do not parse are
      //    kept out and listed in pi_reject_errors (line, column, csv_line, error).
      const connection = connectionOf(tx);
      let timer: NodeJS.Timeout | undefined;
      if (connection && options.onProgress) {
        await tx.run(`SET enable_progress_bar = true`);
        await tx.run(`SET enable_progress_bar_print = false`);
        timer = setInterval(() => {
          const p = connection.progress;
          if (p && p.percentage >= 0) progress('reading', Math.min(1, p.percentage / 100));
        }, 250);
      }
      let inserted: number;
      try {
        progress('reading', 0);
        const selects = [...mapped.map((m) => `${m.expr} AS ${ident(m.spec.column)}`), ...extra.map((e) => `${e.expr} AS ${ident(e.column)}`), `${loadId}`];
        const rows = await tx.all<{ Count: string }>(
          `INSERT INTO ${table} (${targetColumns.join(', ')})
           SELECT ${selects.join(', ')} FROM ${read({ store_rejects: true, rejects_table: 'pi_reject_errors', rejects_scan: 'pi_reject_scans' })}`,
        );
        inserted = Number(rows[0]?.Count ?? 0);
      } finally {
        if (timer) clearInterval(timer);
      }
      lap('insert');
      progress('checking');

      // 2. Count what is wrong: values that did not parse (DuckDB's rejects) and rows that fail the
      //    format's checks (empty required values, values outside the allowed list).
      const rejects = (await tx.all<{ lines: string }>(`SELECT count(DISTINCT line) AS lines FROM pi_reject_errors`))[0];
      const rejectedLines = Number(rejects?.lines ?? 0);
      // The checks read only the checked columns; the (rare) flagged rows are then told apart into
      // empty rows (every field blank: partner_id, required everywhere, is blank too) and bad rows.
      const counts = (
        await tx.all<{ flagged: string; partners: string; partner: string | null }>(
          `SELECT count(*) FILTER (WHERE ${anyBad}) AS flagged,
                  count(DISTINCT partner_id) FILTER (WHERE partner_id <> '') AS partners,
                  min(partner_id) FILTER (WHERE partner_id <> '') AS partner
           FROM ${table} WHERE ${thisLoad}`,
        )
      )[0];
      let split = { empty: '0', bad: '0' };
      if (Number(counts.flagged) > 0) {
        split = (
          await tx.all<{ empty: string; bad: string }>(
            `SELECT count(*) FILTER (WHERE ${empty}) AS empty, count(*) FILTER (WHERE NOT ${empty}) AS bad
             FROM ${table} WHERE ${thisLoad} AND ${anyBad}`,
          )
        )[0];
      }
      const emptyRows = Number(split.empty);
      const badChecked = Number(split.bad);
      const badRows = rejectedLines + badChecked;
      const totalRows = inserted - emptyRows + rejectedLines;

      // 3. Quarantine rows, one per bad value, with line number, column, value and reason.
      let quarantined = 0;
      let reasons: QuarantineSample[] = [];
      if (badRows > 0) {
        await tx.run(`CREATE TEMP TABLE pi_quarantine (partner_id VARCHAR, line_number BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR NOT NULL, raw_line VARCHAR)`);
        if (rejectedLines > 0) await quarantineRejects(tx, match, head, plan, counts);
        if (badChecked > 0) {
          // Lines of the rows that fail a check: a second scan numbers the rows DuckDB emits
          // (WITH ORDINALITY); rejected lines are skipped by it, so they are added back.
          const partnerExpr = mapped.find((m) => m.spec.column === 'partner_id') ? ident('partner_id') : 'NULL';
          const aliases = [...mapped.map((m) => `${m.expr} AS ${ident(m.spec.column)}`), ...extra.map((e) => `${e.expr} AS ${ident(e.column)}`)];
          const raw = `concat_ws(${lit(head.delimiter)}, ${names.map((n) => `coalesce(CAST(${ident(n)} AS VARCHAR), '')`).join(', ')})`;
          const parts = checks.map(
            (k) => `SELECT ${partnerExpr}, line, ${lit(k.header)}, ${k.value}, ${k.reason}, raw FROM lined WHERE ${k.bad}`,
          );
          await tx.run(
            `INSERT INTO pi_quarantine
             WITH scan AS (
               SELECT ordinality AS k, ${aliases.join(', ')}, ${raw} AS raw
               FROM ${read({ ignore_errors: true })} WITH ORDINALITY
             ),
             bad AS (SELECT * FROM scan WHERE NOT ${empty} AND ${anyBad}),
             rej AS (SELECT line, row_number() OVER (ORDER BY line) AS j FROM (SELECT DISTINCT line FROM pi_reject_errors)),
             gaps AS (SELECT line - j - 1 AS a, max(j) AS j FROM rej GROUP BY ALL),
             lined AS (SELECT bad.*, bad.k + 1 + coalesce(gaps.j, 0) AS line FROM bad ASOF LEFT JOIN gaps ON bad.k > gaps.a)
             ${parts.join('\nUNION ALL ')}`,
          );
        }
        quarantined = Number((await tx.all<{ n: string }>(`SELECT count(*) AS n FROM pi_quarantine`))[0].n);
        reasons = (
          await tx.all<{ line_number: string | null; column_name: string | null; value: string | null; reason: string }>(
            `SELECT line_number, column_name, value, reason FROM pi_quarantine ORDER BY line_number NULLS LAST, column_name LIMIT ${SAMPLE_REASONS}`,
          )
        ).map((r) => ({ line: r.line_number === null ? null : Number(r.line_number), column: r.column_name, value: r.value, reason: r.reason }));
      }

      // 4. Too many bad rows: nothing of the file lands. The quarantine rows are written to a file
      //    and recorded after the rollback, with the etl_loads row saying why.
      lap('check');
      const share = totalRows > 0 ? badRows / totalRows : 0;
      if (share > maxBadShare) {
        const file = join(tmpdir(), `pi-quarantine-${process.pid}-${loadId}.parquet`);
        await tx.run(`COPY pi_quarantine TO ${lit(file)} (FORMAT parquet)`);
        const pct = (x: number) => `${(x * 100).toFixed(x < 0.01 ? 2 : 1).replace(/\.0+$/, '')}%`;
        const message =
          `${badRows} of ${totalRows} rows are bad (${pct(share)}), over the limit of ${pct(maxBadShare)} ` +
          `(--max-bad-share, PI_MAX_BAD_ROW_SHARE); no rows loaded. First problems: ${reasons.map(describeSample).join('; ')}`;
        throw new TooManyBadRows(message, file, badRows, quarantined, reasons);
      }

      // 5. Bad and empty rows leave the table; the rest stays.
      if (emptyRows + badChecked > 0) await tx.run(`DELETE FROM ${table} WHERE ${thisLoad} AND ${anyBad}`);
      const rowsLoaded = inserted - emptyRows - badChecked;

      // 6. Replace what an earlier file said about the same keys (an invoice, an entity, a month).
      let rowsReplaced = 0;
      let superseded: number[] = [];
      if (rowsLoaded > 0 && format.replaceBy.length) {
        const on = format.replaceBy.map((k) => `n.${ident(k)} = t.${ident(k)}`).join(' AND ');
        const keys = format.replaceBy.map(ident).join(', ');
        const replaced = `FROM ${table} t WHERE (t.load_id IS NULL OR t.load_id <> ${loadId})
          AND EXISTS (SELECT 1 FROM (SELECT DISTINCT ${keys} FROM ${table} WHERE load_id = ${loadId}) n WHERE ${on})`;
        const byLoad = await tx.all<{ load_id: string | null; n: string }>(`SELECT t.load_id, count(*) AS n ${replaced} GROUP BY t.load_id`);
        rowsReplaced = byLoad.reduce((acc, r) => acc + Number(r.n), 0);
        if (rowsReplaced > 0) {
          await tx.run(`DELETE ${replaced}`);
          const touched = byLoad.filter((r) => r.load_id !== null).map((r) => Number(r.load_id));
          if (touched.length) {
            const left = new Set(
              (await tx.all<{ load_id: string }>(`SELECT DISTINCT load_id FROM ${table} WHERE load_id IN (${touched.join(', ')})`)).map((r) =>
                Number(r.load_id),
              ),
            );
            superseded = touched.filter((id) => !left.has(id));
            if (superseded.length) {
              await tx.run(
                `UPDATE etl_loads SET status = 'superseded', message = $1 WHERE load_id IN (${superseded.join(', ')}) AND status = 'loaded'`,
                [`all rows replaced by load ${loadId} (${fileName})`],
              );
            }
          }
        }
      }

      if (quarantined > 0) {
        await tx.run(
          `INSERT INTO etl_quarantine (load_id, partner_id, file_name, line_number, column_name, value, reason, raw_line)
           SELECT ${loadId}, partner_id, $1, line_number, column_name, value, reason, raw_line FROM pi_quarantine`,
          [fileName],
        );
      }

      lap('replace');
      if (options.batch) await markRollupsStale(tx, await afterLoad(tx, format, loadId, { cubes: false }));
      else await afterLoad(tx, format, loadId);
      const hash = await contentHash();
      lap('hash');

      const message = `${format.name} -> ${format.table}`;
      await tx.run(
        `INSERT INTO etl_loads (load_id, file_path, file_name, file_format, content_hash, size_bytes, status, rows_loaded,
           rows_quarantined, rows_replaced, partner_ids, detected, message, started_at, finished_at)
         SELECT $1, $2, $3, $4, $5, $6, 'loaded', $7, $8, $9,
           (SELECT list(DISTINCT partner_id ORDER BY partner_id) FROM ${table} WHERE load_id = $1),
           $10, $11, CAST($12 AS TIMESTAMP), CAST($13 AS TIMESTAMP)`,
        [loadId, path, fileName, format.name, hash, size, rowsLoaded, badRows, rowsReplaced, plan.detected, plan.notice ?? message, startedAt, utcNow()],
      );
      lap('record');
      return { rowsLoaded, badRows, quarantined, rowsReplaced, emptyRows, superseded, reasons, message };
    });
    lap('commit');
    return done({
      status: 'loaded',
      loadId,
      rowsLoaded: outcome.rowsLoaded,
      rowsQuarantined: outcome.badRows,
      quarantineEntries: outcome.quarantined,
      rowsReplaced: outcome.rowsReplaced,
      rowsSkipped: outcome.emptyRows,
      supersededLoads: outcome.superseded,
      reasons: outcome.reasons,
      message: outcome.message,
    });
  } catch (err) {
    if (err instanceof TooManyBadRows) {
      try {
        await db.transaction(async (tx) => {
          await tx.run(
            `INSERT INTO etl_loads (load_id, file_path, file_name, file_format, content_hash, size_bytes, status, rows_quarantined,
               detected, message, started_at, finished_at)
             VALUES ($1, $2, $3, $4, $5, $6, 'rejected', $7, $8, $9, CAST($10 AS TIMESTAMP), CAST($11 AS TIMESTAMP))`,
            [loadId, path, fileName, format.name, await contentHash(), size, err.badRows, plan.detected, err.message, startedAt, utcNow()],
          );
          await tx.run(
            `INSERT INTO etl_quarantine (load_id, partner_id, file_name, line_number, column_name, value, reason, raw_line)
             SELECT ${loadId}, partner_id, $1, line_number, column_name, value, reason, raw_line FROM read_parquet(${lit(err.quarantineFile)})`,
            [fileName],
          );
        });
      } finally {
        await unlink(err.quarantineFile).catch(() => undefined);
      }
      return done({ status: 'rejected', loadId, rowsQuarantined: err.badRows, quarantineEntries: err.quarantined, reasons: err.reasons, message: err.message });
    }
    // DuckDB refused the file as a whole (unreadable, wrong encoding...): record it as rejected.
    const message = `could not be read: ${(err as Error).message.split('\n')[0]}`;
    await db.transaction(async (tx) => {
      await tx.run(
        `INSERT INTO etl_loads (load_id, file_path, file_name, file_format, content_hash, size_bytes, status, detected, message, started_at, finished_at)
         VALUES ($1, $2, $3, $4, $5, $6, 'rejected', $7, $8, CAST($9 AS TIMESTAMP), CAST($10 AS TIMESTAMP))`,
        [loadId, path, fileName, format.name, await contentHash(), size, plan.detected, message, startedAt, utcNow()],
      );
    });
    return done({ status: 'rejected', loadId, message });
  }
}

/** Quarantine rows for DuckDB's rejects: values that did not parse and rows of the wrong width. */
async function quarantineRejects(
  tx: SqlRunner,
  match: FormatMatch,
  head: FileHead,
  plan: ReadPlan,
  counts: { partners: string; partner: string | null },
): Promise<void> {
  const columns = match.fileColumns.map((spec, i) => {
    const what = spec ? typeWords(spec, plan, plan.readTypes[i]) : 'value';
    return `(${lit(fileColumn(i))}, ${lit(head.headers[i])}, ${lit(what)}, ${lit(spec?.type ?? 'VARCHAR')})`;
  });
  // The partner of a rejected row: the file's only partner, else the PartnerId field of the raw line.
  const partnerIndex = match.fileColumns.findIndex((c) => c?.column === 'partner_id');
  const partner =
    Number(counts.partners) === 1
      ? lit(counts.partner!)
      : partnerIndex >= 0
        ? `CASE WHEN position('"' IN e.csv_line) = 0 THEN string_split(trim(e.csv_line, chr(13) || chr(10)), ${lit(head.delimiter)})[${partnerIndex + 1}] END`
        : 'NULL';
  const value = `regexp_extract(e.error_message, 'Could not convert string "(.*)" to ', 1)`;
  const dayFirstHint =
    plan.dateShape.startsWith('M') ? `|| CASE WHEN m.kind = 'DATE' AND TRY_CAST(regexp_extract(${value}, '^(\\d{1,2})[/.\\-]', 1) AS INTEGER) > 12 THEN ' - a day-first date?' ELSE '' END` : '';
  const found = `regexp_extract(e.error_message, 'Found: (\\d+)', 1)`;
  const expected = `regexp_extract(e.error_message, 'Expected Number of Columns: (\\d+)', 1)`;
  // DuckDB lists a short row once per missing field, and a long row's shifted fields as casts too:
  // one row per line for the width, one per column for casts.
  await tx.run(
    `INSERT INTO pi_quarantine
     WITH e AS (
       SELECT *, bool_or(error_type IN ('MISSING COLUMNS', 'TOO MANY COLUMNS')) OVER (PARTITION BY line) AS width
       FROM pi_reject_errors
       QUALIFY row_number() OVER (
         PARTITION BY line, CASE WHEN error_type = 'CAST' THEN CAST(column_idx AS VARCHAR) ELSE error_type END ORDER BY column_idx) = 1
     )
     SELECT ${partner}, e.line,
       CASE WHEN e.error_type = 'CAST' THEN m.header END,
       CASE WHEN e.error_type = 'CAST' THEN ${value} END,
       CASE e.error_type
         WHEN 'CAST' THEN 'invalid ' || m.what || ': ''' || ${value} || '''' ${dayFirstHint}
         WHEN 'MISSING COLUMNS' THEN 'the row has ' || ${found} || ' fields, the header ' || ${expected}
         WHEN 'TOO MANY COLUMNS' THEN 'the row has ' || ${found} || ' fields, the header ' || ${expected} || ' (a delimiter inside an unquoted value?)'
         WHEN 'UNQUOTED VALUE' THEN 'a quote inside an unquoted value'
         WHEN 'LINE SIZE OVER MAXIMUM' THEN 'the line is too long'
         WHEN 'INVALID ENCODING' THEN 'characters that are not valid ${head.encoding}'
         WHEN 'INVALID UNICODE' THEN 'characters that are not valid ${head.encoding}'
         ELSE e.error_message END,
       trim(e.csv_line, chr(13) || chr(10))
     FROM e LEFT JOIN (VALUES ${columns.join(', ')}) m(name, header, what, kind) ON m.name = e.column_name
     WHERE e.error_type <> 'CAST' OR NOT e.width`,
  );
}
