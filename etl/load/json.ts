import { normaliseHeader, type FileFormat } from '../formats';
import type { SqlRunner } from '../../core/sql';
import { ACCEPTED_FORMATS as FILE_FORMATS } from '../formats';
import type { TypedMatch } from './columns';
import { detectFormat, FileRejection, type FileHead, type FormatMatch } from './detect';
import { fileColumn, type ReadPlan } from './dialect';
import { ident, lit } from './sql';

/**
 * Line items as JSON, read by DuckDB (read_json_objects, gzip included): one object per line
 * (Microsoft Graph's reconciliation and usage exports, JSON lines), the Partner Center REST API's
 * pages `{ totalCount, items: [...], links }` (one page or several, one per line), or a top-level
 * array. Attribute names are matched to a format's columns like CSV headers (normaliseHeader: the
 * API's `customerId` is `CustomerId`); every spelling found is read, the first non-null wins.
 *
 * The rows are staged as text in the temp table pi_json_rows (line number, one VARCHAR per
 * column, the object as raw text), then typed with TRY_CAST in the insert: a value that does not
 * cast is listed in pi_reject_errors as DuckDB's read_csv would (line, column, "Could not convert
 * string ...", the raw object), so quarantine and the bad-row threshold are the CSV ones.
 * The line of an item is its position in the file: the line of a JSON-lines file, the item number
 * across the pages of an API file.
 */

/** How many items are sampled for attribute names and object types. */
const SAMPLE_ITEMS = 1000;

/** What the sample says of a JSON file. */
export interface JsonSniff {
  /** One name per attribute (normalised), as first seen: the "headers" of the file. */
  headers: string[];
  /** Every spelling of each header's attribute in the sample. */
  spellings: string[][];
  /** attributes.objectType values of the sampled items (API results). */
  objectTypes: string[];
  /** API pages (items arrays) or JSON lines / array. */
  pages: boolean;
  gzip: boolean;
  items: number;
}

/** The items of the file, numbered: a relation (ln, item JSON). */
export function jsonItems(path: string): string {
  return `(WITH o AS (SELECT ordinality AS o_n, json FROM read_json_objects(${lit(path)}, format='auto', compression='auto_detect') WITH ORDINALITY),
    i AS (SELECT o_n, CASE WHEN json_type(json, '$.items') = 'ARRAY' THEN json_extract(json, '$.items[*]') ELSE [json] END AS items FROM o),
    e AS (SELECT o_n, unnest(items) AS item, generate_subscripts(items, 1) AS k FROM i)
    SELECT row_number() OVER (ORDER BY o_n, k) AS ln, item FROM e)`;
}

/** Attribute names and object types of the first items. */
export async function sniffJson(db: SqlRunner, path: string): Promise<JsonSniff> {
  const items = jsonItems(path);
  const sample = `(SELECT * FROM ${items} WHERE ln <= ${SAMPLE_ITEMS})`;
  const keys = await db.all<{ k: string; first: string }>(
    `SELECT k, min(ln) AS first FROM (SELECT ln, unnest(json_keys(item)) AS k FROM ${sample} WHERE json_type(item) = 'OBJECT') GROUP BY k ORDER BY first, k`,
  );
  const facts = (
    await db.all<{ n: string; pages: boolean; types: string[] | null }>(
      `SELECT count(*) AS n,
              (SELECT bool_or(json_type(json, '$.items') = 'ARRAY') FROM (SELECT json FROM read_json_objects(${lit(path)}, format='auto', compression='auto_detect') LIMIT 10)) AS pages,
              list(DISTINCT json_extract_string(item, '$.attributes.objectType')) FILTER (WHERE json_extract_string(item, '$.attributes.objectType') IS NOT NULL) AS types
       FROM ${sample}`,
    )
  )[0];
  if (!facts || Number(facts.n) === 0) throw new FileRejection('the JSON file holds no line items (no objects, or an API page with no items)');
  const byKey = new Map<string, string[]>();
  for (const { k } of keys) {
    if (k.includes('"')) continue;
    const norm = normaliseHeader(k);
    if (!norm) continue;
    if (!byKey.has(norm)) byKey.set(norm, []);
    byKey.get(norm)!.push(k);
  }
  const spellings = [...byKey.values()];
  const gzip = /\.gz$/i.test(path);
  return { headers: spellings.map((s) => s[0]), spellings, objectTypes: (facts.types ?? []).slice().sort(), pages: Boolean(facts.pages), gzip, items: Number(facts.n) };
}

/**
 * The format of a JSON file: the API's attributes.objectType names it when present (one kind per
 * file); else, as for CSV, the JSON format whose required attributes are all present with the most
 * matched.
 */
export function detectJsonFormat(sniff: JsonSniff, forced?: string): FormatMatch {
  if (forced || !sniff.objectTypes.length) return detectFormat(sniff.headers, forced, 'json');
  const jsonFormats = FILE_FORMATS.filter((f) => f.fileType === 'json');
  const formats = new Set<FileFormat>();
  for (const t of sniff.objectTypes) {
    const f = jsonFormats.find((j) => j.objectTypes?.some((o) => o.toLowerCase() === t.toLowerCase()));
    if (!f) {
      const known = jsonFormats.flatMap((j) => j.objectTypes ?? []).join(', ');
      throw new FileRejection(`line items of objectType ${t} are not loaded (loaded: ${known})`);
    }
    formats.add(f);
  }
  if (formats.size > 1) {
    throw new FileRejection(`the file mixes line items of objectTypes ${sniff.objectTypes.join(', ')}; load one kind of line item per file`);
  }
  return detectFormat(sniff.headers, undefined, 'json', [...formats]);
}

/** The head of a JSON file as the loader sees a CSV header: its attribute names. */
export function jsonHead(sniff: JsonSniff): FileHead {
  return { encoding: 'utf-8', bom: false, crlf: false, delimiter: ',', headers: sniff.headers };
}

/**
 * How a JSON file is read: every column as text, then its warehouse column's type; a DATE through
 * TIMESTAMP, since ISO dates in JSON may carry a time of day (2017-05-12T00:00:00).
 */
export function planJsonRead(sniff: JsonSniff, match: TypedMatch): ReadPlan {
  const readTypes = match.fileColumns.map((c) => (c?.sqlType === 'DATE' ? 'TIMESTAMP' : (c?.sqlType ?? 'VARCHAR')));
  const casts = match.fileColumns.map((c) => (c?.sqlType === 'DATE' ? 'DATE' : undefined));
  const detected = `json ${sniff.pages ? 'pages' : 'lines'}${sniff.gzip ? ' gzip' : ''}`;
  return { params: {}, readTypes, casts, detected, dateShape: 'YYYY-MM-DD (ISO, a time of day allowed)' };
}

/**
 * Stages the file's items as text (pi_json_rows) and lists the values that do not cast to their
 * column's type in pi_reject_errors, shaped as DuckDB's read_csv rejects.
 */
export async function stageJson(tx: SqlRunner, path: string, sniff: JsonSniff, match: FormatMatch, plan: ReadPlan): Promise<void> {
  const paths: string[] = [];
  const columns = match.fileColumns.map((spec, i) => {
    if (!spec) return `CAST(NULL AS VARCHAR) AS ${ident(fileColumn(i))}`;
    const refs = sniff.spellings[i].map((k) => {
      paths.push(`$."${k}"`);
      return `nullif(v[${paths.length}], '')`;
    });
    return `${refs.length > 1 ? `coalesce(${refs.join(', ')})` : refs[0]} AS ${ident(fileColumn(i))}`;
  });
  await tx.run(
    `CREATE TEMP TABLE pi_json_rows AS
     SELECT ln, ${columns.join(', ')}, raw FROM (
       SELECT ln, json_extract_string(item, [${paths.map(lit).join(', ')}]) AS v, CAST(item AS VARCHAR) AS raw FROM ${jsonItems(path)}
     )`,
  );
  const rejects = plan.readTypes.flatMap((type, i) => {
    if (type === 'VARCHAR') return [];
    const c = ident(fileColumn(i));
    return [
      `SELECT ln AS line, ${i} AS column_idx, ${lit(fileColumn(i))} AS column_name, 'CAST' AS error_type,
         'Could not convert string "' || ${c} || '" to ''${type}''' AS error_message, raw AS csv_line
       FROM pi_json_rows WHERE ${c} IS NOT NULL AND TRY_CAST(${c} AS ${type}) IS NULL`,
    ];
  });
  await tx.run(
    rejects.length
      ? `CREATE TEMP TABLE pi_reject_errors AS ${rejects.join(' UNION ALL ')}`
      : `CREATE TEMP TABLE pi_reject_errors (line BIGINT, column_idx BIGINT, column_name VARCHAR, error_type VARCHAR, error_message VARCHAR, csv_line VARCHAR)`,
  );
}

/** The typed rows of a staged JSON file that cast (a relation with ln, c0..cn and raw). */
export function typedJsonRows(plan: ReadPlan): string {
  const typed = plan.readTypes.map((type, i) => {
    const c = ident(fileColumn(i));
    return `${type === 'VARCHAR' ? c : `TRY_CAST(${c} AS ${type})`} AS ${c}`;
  });
  return `(SELECT ln, ${typed.join(', ')}, raw FROM pi_json_rows j WHERE NOT EXISTS (SELECT 1 FROM pi_reject_errors r WHERE r.line = j.ln))`;
}
