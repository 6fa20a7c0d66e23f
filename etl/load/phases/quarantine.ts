import type { SqlRunner } from '../../../core/sql';
import { isDecimal, type TypedColumn, type TypedMatch } from '../columns';
import type { FileHead, FormatMatch } from '../detect';
import { fileColumn, type ReadPlan } from '../dialect';
import { ident, lit } from '../sql';
import { printableSql } from '../text';
import type { QuarantineSample } from '../types';
import type { Tally } from './check';
import { aliases, type PreparedLoad } from './mapping';

/** How many quarantine reasons a result carries for printing. */
const SAMPLE_REASONS = 5;

/** The quarantine of a load (in the temp table pi_quarantine): its entries and the first reasons. */
export interface Quarantine {
  entries: number;
  reasons: QuarantineSample[];
}

/**
 * Quarantine rows, one per bad value, with line number, column, value and reason, in the temp
 * table pi_quarantine (none when no row is bad).
 */
export async function collectQuarantine(tx: SqlRunner, load: PreparedLoad, tally: Tally): Promise<Quarantine> {
  if (tally.badRows <= 0) return { entries: 0, reasons: [] };
  await tx.run(`CREATE TEMP TABLE pi_quarantine (partner_id VARCHAR, line_number BIGINT, column_name VARCHAR, value VARCHAR, reason VARCHAR NOT NULL, raw_line VARCHAR)`);
  if (tally.rejectedLines > 0) await quarantineRejects(tx, load.file.match, load.file.head, load.file.plan, tally.partners);
  if (tally.badChecked > 0) await quarantineFailedChecks(tx, load);
  return readQuarantine(tx);
}

/** Copies the quarantine rows (from pi_quarantine or a Parquet file of them) into etl_quarantine. */
export async function keepQuarantine(tx: SqlRunner, loadId: number, fileName: string, source = 'pi_quarantine'): Promise<void> {
  await tx.run(
    `INSERT INTO etl_quarantine (load_id, partner_id, file_name, line_number, column_name, value, reason, raw_line)
     SELECT ${loadId}, partner_id, $1, line_number, column_name, value, reason, raw_line FROM ${source}`,
    [fileName],
  );
}

/** How many entries pi_quarantine holds, and the first reasons by line. */
async function readQuarantine(tx: SqlRunner): Promise<Quarantine> {
  const entries = Number((await tx.all<{ n: string }>(`SELECT count(*) AS n FROM pi_quarantine`))[0].n);
  const reasons = (
    await tx.all<{ line_number: string | null; column_name: string | null; value: string | null; reason: string }>(
      `SELECT line_number, column_name, value, reason FROM pi_quarantine ORDER BY line_number NULLS LAST, column_name LIMIT ${SAMPLE_REASONS}`,
    )
  ).map((r) => ({ line: r.line_number === null ? null : Number(r.line_number), column: r.column_name, value: r.value, reason: r.reason }));
  return { entries, reasons };
}

/**
 * Quarantine rows of the rows that fail a check. Their lines: a second scan numbers the rows DuckDB
 * emits (WITH ORDINALITY); rejected lines are skipped by it, so they are added back.
 */
async function quarantineFailedChecks(tx: SqlRunner, load: PreparedLoad): Promise<void> {
  const { mapped, checks, empty, anyBad } = load.mapping;
  const partnerExpr =
    mapped.find((m) => m.spec.column === 'partner_id') || load.mapping.extra.some((e) => e.column === 'partner_id') ? ident('partner_id') : 'NULL';
  const parts = checks.map((k) => `SELECT ${partnerExpr}, line, ${lit(k.header)}, ${printableSql(k.value)}, ${k.reason}, raw FROM lined WHERE ${k.bad}`);
  if (load.json) {
    // Staged JSON rows carry their line (the item's position) and the object's text.
    await tx.run(
      `INSERT INTO pi_quarantine
       WITH lined AS (SELECT ln AS line, ${aliases(load.mapping).join(', ')}, raw FROM ${load.read({})} WHERE NOT ${empty} AND ${anyBad})
       ${parts.join('\nUNION ALL ')}`,
    );
    return;
  }
  const raw = `concat_ws(${lit(load.file.head.delimiter)}, ${load.names.map((n) => `coalesce(CAST(${ident(n)} AS VARCHAR), '')`).join(', ')})`;
  await tx.run(
    `INSERT INTO pi_quarantine
     WITH scan AS (
       SELECT ordinality AS k, ${aliases(load.mapping).join(', ')}, ${raw} AS raw
       FROM ${load.read({ ignore_errors: true })} WITH ORDINALITY
     ),
     bad AS (SELECT * FROM scan WHERE NOT ${empty} AND ${anyBad}),
     rej AS (SELECT line, row_number() OVER (ORDER BY line) AS j FROM (SELECT DISTINCT line FROM pi_reject_errors)),
     gaps AS (SELECT line - j - 1 AS a, max(j) AS j FROM rej GROUP BY ALL),
     lined AS (SELECT bad.*, bad.k + 1 + coalesce(gaps.j, 0) AS line FROM bad ASOF LEFT JOIN gaps ON bad.k > gaps.a)
     ${parts.join('\nUNION ALL ')}`,
  );
}

/** Quarantine rows for DuckDB's rejects: values that did not parse and rows of the wrong width. */
async function quarantineRejects(
  tx: SqlRunner,
  match: TypedMatch,
  head: FileHead,
  plan: ReadPlan,
  counts: { partners: string; partner: string | null },
): Promise<void> {
  const value = printableSql(`regexp_extract(e.error_message, 'Could not convert string "(.*)" to ', 1)`);
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
     SELECT ${rejectedPartner(match, head, counts)}, e.line,
       CASE WHEN e.error_type IN ('CAST', 'UNQUOTED VALUE') THEN m.header END,
       CASE WHEN e.error_type = 'CAST' THEN ${value} END,
       CASE e.error_type
         WHEN 'CAST' THEN 'invalid ' || m.what || ': ''' || ${value} || '''' ${dayFirstHint}
         WHEN 'MISSING COLUMNS' THEN 'the row has ' || ${found} || ' fields, the header ' || ${expected}
         WHEN 'TOO MANY COLUMNS' THEN 'the row has ' || ${found} || ' fields, the header ' || ${expected} || ' (a delimiter inside an unquoted value?)'
         WHEN 'UNQUOTED VALUE' THEN ${quoteReason(head)}
         WHEN 'LINE SIZE OVER MAXIMUM' THEN 'the line is too long'
         WHEN 'INVALID ENCODING' THEN 'characters that are not valid ${head.encoding}'
         WHEN 'INVALID UNICODE' THEN 'characters that are not valid ${head.encoding}'
         ELSE ${printableSql('e.error_message', 200)} END,
       trim(e.csv_line, chr(13) || chr(10))
     FROM e LEFT JOIN (VALUES ${rejectColumns(match, head, plan).join(', ')}) m(name, header, what, kind) ON m.name = e.column_name
     WHERE e.error_type <> 'CAST' OR NOT e.width`,
  );
}

/**
 * DuckDB's UNQUOTED VALUE: "unterminated quote" for a quoted value not closed right before the
 * delimiter or the line end (never closed: the rest of the file was read as that value; or text after
 * the closing quote); its column is where the value starts.
 */
function quoteReason(head: FileHead): string {
  const delimiter = delimiterName(head.delimiter);
  const column = `coalesce(m.header, CAST(e.column_idx AS VARCHAR))`;
  const allowed = lit(`; allowed: a quoted value ends with a quote right before the next ${delimiter} or the line end, and a quote inside a value is doubled ("")`);
  return (
    `CASE WHEN e.error_message ILIKE '%unterminated quote%' ` +
    `THEN 'a quoted value in column ' || ${column} || ${lit(` is not closed before the next ${delimiter} or the line end`)} ` +
    `ELSE 'a quote inside an unquoted value in column ' || ${column} END || ${allowed}`
  );
}

/** The delimiter in words, for reasons. */
function delimiterName(delimiter: string): string {
  return ({ ',': 'comma', ';': 'semicolon', '\t': 'tab', '|': 'pipe' } as Record<string, string>)[delimiter] ?? `'${delimiter}'`;
}

/** Per file column, a VALUES row (DuckDB name, header, what a value should be, type) for reasons. */
function rejectColumns(match: TypedMatch, head: FileHead, plan: ReadPlan): string[] {
  return match.fileColumns.map((spec, i) => {
    const what = spec ? typeWords(spec, plan, plan.readTypes[i]) : 'value';
    return `(${lit(fileColumn(i))}, ${lit(head.headers[i])}, ${lit(what)}, ${lit(spec?.sqlType ?? 'VARCHAR')})`;
  });
}

/** SQL of the partner of a rejected row: the file's only partner, else the PartnerId field of the raw line. */
function rejectedPartner(match: FormatMatch, head: FileHead, counts: { partners: string; partner: string | null }): string {
  const partnerIndex = match.fileColumns.findIndex((c) => c?.column === 'partner_id');
  return Number(counts.partners) === 1
    ? lit(counts.partner!)
    : partnerIndex >= 0
      ? `CASE WHEN position('"' IN e.csv_line) = 0 THEN string_split(trim(e.csv_line, chr(13) || chr(10)), ${lit(head.delimiter)})[${partnerIndex + 1}] END`
      : 'NULL';
}

/** What a value of the column should have been, for "invalid ..." reasons. */
function typeWords(spec: TypedColumn, plan: ReadPlan, readType: string): string {
  if (isDecimal(spec)) return decimalWords(spec, plan);
  switch (spec.sqlType) {
    case 'DATE':
      return `date (expected ${plan.dateShape}${readType === 'TIMESTAMP' ? ' with a time' : ''})`;
    case 'TIMESTAMP':
      return `date and time`;
    case 'INTEGER':
    case 'BIGINT':
      return 'whole number';
    case 'BOOLEAN':
      return 'true/false value';
    default:
      return 'value';
  }
}

/** An amount of money, or a quantity, rate or percentage (ColumnSpec.quantity): both DECIMAL in the warehouse. */
function decimalWords(spec: TypedColumn, plan: ReadPlan): string {
  const comma = plan.params.decimal_separator === ',';
  if (spec.quantity) return `number (expected a decimal number${comma ? ' with a decimal comma' : ''})`;
  return `amount (expected a decimal number${comma ? ' with a decimal comma' : ' like 1234.56'})`;
}
