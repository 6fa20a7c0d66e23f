import type { FileFormat } from '../../formats';
import type { Warehouse } from '../../../warehouse/db';
import type { TypedColumn, TypedMatch } from '../columns';
import type { FileHead } from '../detect';
import { lengthBound, normaliseValue } from '../../formats';
import { fileColumn, readCsv, type ReadPlan } from '../dialect';
import { typedJsonRows } from '../json';
import { ident, lit } from '../sql';
import { printableSql } from '../text';
import { amountChecks } from './amounts';
import type { DetectedFile, LoadContext } from './detect';

/** One mapped column of the file: its SQL expression and the checks made on the stored value. */
export interface Mapped {
  index: number;
  spec: TypedColumn;
  header: string;
  expr: string;
  /** Excluded from "the row is empty" (its value does not come from the file alone). */
  filled?: boolean;
}

export interface Check {
  /** Predicate over the warehouse column (or the same-named alias in a rescan): true = bad. */
  bad: string;
  header: string;
  /** SQL expression of the value shown in quarantine. */
  value: string;
  /** SQL expression of the reason. */
  reason: string;
}

/** The SQL pieces of a load: insert expressions, the empty-row predicate and the checks. */
export interface Mapping {
  mapped: Mapped[];
  /** Columns not in the file (the invoice number from the option or file name, the partner and customer of the load). */
  extra: { column: string; expr: string }[];
  /** True for a row with no value from the file. */
  empty: string;
  checks: Check[];
  /** True for a row failing any check. */
  anyBad: string;
  /** The amount rule's predicates (lines it applies to, lines that differ), when the format has one. */
  amounts: { applies?: string; differs?: string };
}

/** Everything the load transaction needs: the file, its mapping, the load id and SQL pieces. */
export interface PreparedLoad {
  file: DetectedFile;
  format: FileFormat;
  /** The quoted target table. */
  table: string;
  mapping: Mapping;
  /** DuckDB names of the file columns (c0, c1, ...). */
  names: string[];
  /**
   * The typed rows of the file: read_csv over it with the read plan and the given extra parameters,
   * or, for JSON, the staged rows that cast (with their line `ln` and `raw` text; parameters unused).
   */
  read: (more: Record<string, string | number | boolean>) => string;
  /** JSON line items: rows are staged first (json.ts), lines and raw text come from the staging table. */
  json: boolean;
  targetColumns: string[];
  loadId: number;
  /** Predicate: a row of the table written by this load. */
  thisLoad: string;
}

/** Builds the load's SQL pieces and takes its load id (etl_load_seq). */
export async function prepareLoad(db: Warehouse, path: string, file: DetectedFile): Promise<PreparedLoad> {
  const { head, match, plan, invoiceFromName, context } = file;
  const format: FileFormat = match.format;
  const table = ident(format.table);
  const mapping = buildMapping(match, head, plan, invoiceFromName, context);
  const names = match.fileColumns.map((_, i) => fileColumn(i));
  const json = Boolean(file.json);
  const read = json
    ? () => typedJsonRows(plan)
    : (more: Record<string, string | number | boolean>) => readCsv(path, names, plan.readTypes, { ...plan.params, ...more });
  const targetColumns = [...mapping.mapped.map((m) => m.spec.column), ...mapping.extra.map((e) => e.column), 'load_id'].map(ident);
  const idRow = await db.one<{ id: string }>(`SELECT nextval('etl_load_seq') AS id`);
  const loadId = Number(idRow!.id);
  return { file, format, table, mapping, names, read, json, targetColumns, loadId, thisLoad: `${table}.load_id = ${loadId}` };
}

/** `<expression> AS "<column>"` for every mapped and extra column. */
export function aliases(mapping: Mapping): string[] {
  return [...mapping.mapped.map((m) => `${m.expr} AS ${ident(m.spec.column)}`), ...mapping.extra.map((e) => `${e.expr} AS ${ident(e.column)}`)];
}

/** Builds the SQL pieces of a load: insert expressions, the empty-row predicate and the checks. */
export function buildMapping(
  match: TypedMatch,
  head: FileHead,
  plan: ReadPlan,
  invoiceFromName: string | undefined,
  context: LoadContext = {},
): Mapping {
  const mapped: Mapped[] = [];
  match.fileColumns.forEach((spec, index) => {
    if (spec) mapped.push(mapColumn(spec, index, head, plan, invoiceFromName));
  });
  const extra: { column: string; expr: string }[] = [];
  if (invoiceFromName && !mapped.some((m) => m.spec.column === 'invoice_number')) {
    extra.push({ column: 'invoice_number', expr: lit(invoiceFromName) });
  }
  // What the file does not carry and the load knows: its partner, its customer.
  if (context.partnerId && !mapped.some((m) => m.spec.column === 'partner_id')) extra.push({ column: 'partner_id', expr: lit(context.partnerId) });
  if (context.customerId && !mapped.some((m) => m.spec.column === 'customer_id')) extra.push({ column: 'customer_id', expr: lit(context.customerId) });
  const emptyOf = (m: Mapped) => {
    const c = ident(m.spec.column);
    return m.spec.column === 'partner_id' ? `${c} = ''` : `${c} IS NULL`;
  };
  const fromFile = mapped.filter((m) => !m.filled);
  const empty = fromFile.length ? `(${fromFile.map(emptyOf).join(' AND ')})` : 'false';
  const { checks: lineChecks, ...amounts } = amountChecks(match.format.amountRule, mapped);
  const checks = [...mapped.flatMap(checksOf), ...lineChecks];
  const anyBad = checks.length ? `(${checks.map((k) => k.bad).join(' OR ')})` : 'false';
  return { mapped, extra, empty, checks, anyBad, amounts };
}

/** The insert expression of one file column: cast, allowed values in the format's spelling, fallbacks. */
function mapColumn(spec: TypedColumn, index: number, head: FileHead, plan: ReadPlan, invoiceFromName: string | undefined): Mapped {
  let expr = ident(fileColumn(index));
  if (plan.casts[index]) expr = `CAST(${expr} AS ${plan.casts[index]})`;
  let filled = false;
  if (spec.values && Object.keys(spec.values).length) {
    // Spellings of the documentation or the API that mean a vocabulary value (or unknown: NULL).
    const key = `lower(regexp_replace(trim(CAST(${expr} AS VARCHAR)), '[[:space:]_-]+', '', 'g'))`;
    const whens = Object.entries(spec.values)
      .map(([from, to]) => `WHEN ${lit(normaliseValue(from))} THEN ${to === null ? 'NULL' : lit(to)}`)
      .join(' ');
    expr = `CASE ${key} ${whens} ELSE ${expr} END`;
  }
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
  return { index, spec, header: head.headers[index], expr, filled };
}

/**
 * Semantic checks of one column, made in SQL on the typed values.
 * Reseller MPN IDs (ResellerMpnId / Tier2MpnId / Reseller) are deliberately not checked: the
 * documentation says a direct sale repeats the partner's MPN ID there, a reseller without an MPN ID
 * also gets the partner's MPN ID, and a removed reseller is -1. Those values are kept as written.
 */
function checksOf(m: Mapped): Check[] {
  const checks: Check[] = [];
  const c = ident(m.spec.column);
  // partner_id is NOT NULL in every table and tells empty rows apart, so it is always required.
  if (m.spec.notEmpty || m.spec.column === 'partner_id') {
    const isEmpty = m.spec.sqlType === 'VARCHAR' ? `(${c} IS NULL OR trim(${c}) = '')` : `${c} IS NULL`;
    checks.push({ bad: isEmpty, header: m.header, value: `CAST(${c} AS VARCHAR)`, reason: lit(`empty ${m.header} (a value is required)`) });
  }
  if (m.spec.allowed?.length) {
    const list = m.spec.allowed.map(lit).join(', ');
    checks.push({
      bad: `(${c} IS NOT NULL AND ${c} NOT IN (${list}))`,
      header: m.header,
      value: c,
      reason: `'unknown ${spoken(m.header)} ''' || ${printableSql(c)} || '''; allowed: ' || ${lit(m.spec.allowed.join(', '))}`,
    });
  }
  if (m.spec.sqlType === 'VARCHAR') checks.push(lengthCheck(m));
  return checks;
}

/**
 * Text no longer than the column's bound (formats/lengths.ts). strlen (bytes, kept with the string)
 * is at least the length in characters, so length() is only counted on long values: a CASE, since
 * DuckDB evaluates both sides of an AND (length() on every value cost 15% of a usage load).
 */
function lengthCheck(m: Mapped): Check {
  const c = ident(m.spec.column);
  const { max, what } = lengthBound(m.spec);
  return {
    bad: `CASE WHEN strlen(${c}) > ${max} THEN length(${c}) > ${max} ELSE false END`,
    header: m.header,
    value: c,
    reason: `${lit(`${m.header} is `)} || length(${c}) || ${lit(` characters long; allowed: at most ${max.toLocaleString('en-US')} (${what})`)}`,
  };
}

/** "charge type" from "ChargeType", for messages. */
function spoken(header: string): string {
  return header
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();
}
