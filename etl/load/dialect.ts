import type { SqlRunner } from '../../core/sql';
import { isDecimal, type TypedColumn, type TypedMatch } from './columns';
import type { FileHead } from './detect';
import { FileRejection } from './detect';
import { columnsParam, ident, lit, namedParams } from './sql';

/** Rows sampled (by DuckDB, as text) to find out how numbers and dates are written. */
export const SAMPLE_ROWS = 20000;

/**
 * How DuckDB is to read one file: read_csv parameters and, per file column, the type it is read as.
 * Everything here comes from the header and a sample: the "Fix formatting issues" cases of the
 * Partner Center documentation (files saved in a non en-US locale or re-saved by Excel) are read
 * correctly when that can be done without guessing, and rejected with what was detected when not.
 */
export interface ReadPlan {
  /** read_csv named parameters (besides columns). */
  params: Record<string, string | number | boolean>;
  /** Per file column: the DuckDB type read_csv gives it. */
  readTypes: string[];
  /** Per file column: the DATE or TIMESTAMP expression the type read needs a cast to (else undefined). */
  casts: (string | undefined)[];
  /** Compact record of what was detected, for etl_loads.detected. */
  detected: string;
  /** A sentence for the user when the file is not in the documented en-US form. */
  notice?: string;
  /** How dates are expected, for quarantine reasons: "M/D/YYYY". */
  dateShape: string;
}

/** The DuckDB name of file column i (the header text itself may be anything). */
export const fileColumn = (i: number) => `c${i}`;

export function readCsvParams(head: FileHead): Record<string, string | number | boolean> {
  return {
    header: true,
    auto_detect: false,
    delim: head.delimiter,
    quote: '"',
    escape: '"',
    encoding: head.encoding,
  };
}

/** read_csv(...) over the file with the given column types and parameters. */
export function readCsv(path: string, names: readonly string[], types: readonly string[], params: Record<string, string | number | boolean | undefined>): string {
  const columns = columnsParam(names.map((name, i) => ({ name, type: types[i] })));
  return `read_csv(${lit(path)}, columns=${columns}, ${namedParams(params)})`;
}

const isDate = (c: TypedColumn | undefined) => c?.sqlType === 'DATE' || c?.sqlType === 'TIMESTAMP';
const isIdentifier = (c: TypedColumn | undefined) => c?.sqlType === 'VARCHAR' && /(^|_)(id|mpn_id|number)$/.test(c.column);

// Patterns (regexp_full_match) for what a number or a date looks like in the sample.
const NUM = {
  // 4,00  1234,5  -0,25: a comma that can only be a decimal separator
  commaDecimal: String.raw`[-+]?\d+,(\d{1,2}|\d{4,})|[-+]?\d{4,},\d+`,
  // 1.234,56: dots for thousands, comma for decimals
  dotThousandsCommaDecimal: String.raw`[-+]?\d{1,3}(\.\d{3})+,\d+`,
  // 1.234.567: only thousands
  dotThousands: String.raw`[-+]?\d{1,3}(\.\d{3}){2,}`,
  // 0.096  12.5  1234.5: a dot that can only be a decimal point
  dotDecimal: String.raw`[-+]?\d*\.(\d{1,2}|\d{4,})|[-+]?\d{4,}\.\d+`,
  // 1,234.56  1,234,567: en-US thousands separators
  commaThousands: String.raw`[-+]?\d{1,3}(,\d{3})+\.\d+|[-+]?\d{1,3}(,\d{3}){2,}`,
  // 1,234 or 1.234: one group of three, either reading possible
  ambiguousComma: String.raw`[-+]?\d{1,3},\d{3}`,
  ambiguousDot: String.raw`[-+]?\d{1,3}\.\d{3}`,
};
// d/m/yyyy, d.m.yyyy or d-m-yyyy with an optional time of day: "1/5/2024", "13.01.2024 0:00", "1/5/2024 12:00:00 AM".
const DATE = {
  parts: String.raw`^(\d{1,2})([/.\-])(\d{1,2})[/.\-](\d{4})(?:[ T]+(\d{1,2}:\d{2}(?::\d{2})?(?:\.\d+)?(?: ?[AaPp][Mm])?))?\s*$`,
};
// 4.51235E+06: what Excel makes of a long number.
/**
 * How Excel writes a long number it re-saved: one digit, optional decimals, "E+", a short exponent
 * (1.23457E+11, 1E+15). Hex identifiers such as '8e8919509086' must not match: lower-case e, no
 * "+" and a long exponent are never Excel's.
 */
const SCIENTIFIC = String.raw`[-+]?\d(\.\d+)?E\+\d{1,2}`;

type Stats = Record<string, number | string | null>;
type Pred = (c: TypedColumn | undefined) => boolean;

/** The sample's counts, read per column kind: a count of one column, a sum over columns, a first example. */
interface Evidence {
  cols: TypedMatch['fileColumns'];
  num(k: string): number;
  sum(pred: Pred, k: string): number;
  first(pred: Pred, k: string): { header: string; value: string } | undefined;
}

/** What the plan has found so far: read_csv parameters, facts (etl_loads.detected), what is said and how it is read. */
interface Findings {
  params: Record<string, string | number | boolean>;
  facts: string[];
  said: string[];
  readAs: string[];
}

/** What the dates of the file are read as. */
interface DatePlan {
  readTypes: string[];
  casts: (string | undefined)[];
  dateShape: string;
}

/**
 * Samples the first rows as text and decides delimiter-independent reading options: decimal and
 * thousands separators of the amount columns, the date order and time-of-day part of date columns,
 * and Excel damage that cannot be undone (identifiers in scientific notation).
 */
export async function planRead(db: SqlRunner, path: string, fileName: string, head: FileHead, match: TypedMatch): Promise<ReadPlan> {
  const evidence = await sampleEvidence(db, path, head, match);
  rejectScientificIdentifiers(evidence);
  const found: Findings = { params: { ...readCsvParams(head) }, facts: [], said: [], readAs: [] };
  noteFileShape(found, head, fileName);
  const decimalComma = planNumbers(found, evidence, head);
  const dates = planDates(found, evidence, match);
  const notice = noticeOf(found, decimalComma, head);
  return { params: found.params, readTypes: dates.readTypes, casts: dates.casts, detected: found.facts.join(' ') || 'en-US', notice, dateShape: dates.dateShape };
}

/**
 * One pass over the sample. The columns of each kind (amounts, dates, identifiers) are unpivoted
 * into one (col, v) column and classified there, so each pattern is compiled once per statement
 * rather than once per column (compiling the patterns of ~50 columns took most of the ~30 ms a small
 * file's sample took): per column, the counts of each classification and an example, as JSON.
 */
async function sampleEvidence(db: SqlRunner, path: string, head: FileHead, match: TypedMatch): Promise<Evidence> {
  const cols = match.fileColumns;
  const names = cols.map((_, i) => fileColumn(i));
  const source = readCsv(path, names, names.map(() => 'VARCHAR'), { ...readCsvParams(head), ignore_errors: true, null_padding: true });
  const ctes = [`sample AS (SELECT * FROM ${source} LIMIT ${SAMPLE_ROWS})`];
  const stats = [`SELECT NULL AS col, json_object('n', count(*))::VARCHAR AS stats FROM sample`];
  for (const kind of SAMPLE_KINDS) {
    const of = names.filter((_, i) => kind.is(cols[i]));
    if (!of.length) continue;
    ctes.push(`${kind.name} AS (SELECT col, v, ${kind.classify} FROM (UNPIVOT (SELECT ${of.map(ident).join(', ')} FROM sample) ON COLUMNS(*) INTO NAME col VALUE v))`);
    stats.push(`SELECT col, json_object(${kind.counts.map(([k, e]) => `${lit(k)}, ${e}`).join(', ')})::VARCHAR AS stats FROM ${kind.name} GROUP BY col`);
  }
  const rows = await db.all<{ col: string | null; stats: string }>(`WITH ${ctes.join(', ')} ${stats.join(' UNION ALL ')}`);
  const flat: Stats = {};
  for (const { col, stats: json } of rows) {
    const prefix = col === null ? '' : `${col.slice(1)}.`;
    for (const [k, value] of Object.entries(JSON.parse(json) as Stats)) flat[`${prefix}${k}`] = value;
  }
  return evidenceOf(flat, cols, head);
}

/** Each kind of sampled column: which columns, how a value `v` is classified (as `k`, or the struct `d`), and what is counted per column. */
interface SampleKind {
  name: string;
  is: Pred;
  classify: string;
  counts: [key: string, aggregate: string][];
}

const rfm = (p: string) => `regexp_full_match(v, ${lit(p)})`;

const SAMPLE_KINDS: SampleKind[] = [
  {
    name: 'amounts',
    is: isDecimal,
    classify:
      `CASE WHEN contains(v, ',') THEN CASE WHEN ${rfm(NUM.commaDecimal)} THEN 'commaDecimal' ` +
      `WHEN ${rfm(NUM.dotThousandsCommaDecimal)} THEN 'dotThousandsCommaDecimal' WHEN ${rfm(NUM.commaThousands)} THEN 'commaThousands' ` +
      `WHEN ${rfm(NUM.ambiguousComma)} THEN 'ambiguousComma' END ` +
      `WHEN contains(v, '.') THEN CASE WHEN ${rfm(NUM.dotDecimal)} THEN 'dotDecimal' WHEN ${rfm(NUM.ambiguousDot)} THEN 'ambiguousDot' ` +
      `WHEN ${rfm(NUM.dotThousands)} THEN 'dotThousands' END END AS k`,
    counts: [
      ...Object.keys(NUM).map((k): [string, string] => [k, `count_if(k = ${lit(k)})`]),
      ['commaExample', `min(v) FILTER (WHERE k IN ('commaDecimal', 'dotThousandsCommaDecimal'))`],
    ],
  },
  {
    name: 'dates',
    is: isDate,
    classify: `regexp_extract(v, ${lit(DATE.parts)}, ['first', 'sep', 'second', 'year', 'time']) AS d`,
    counts: [
      ['values', 'count(v)'],
      ['numeric', `count_if(d.year <> '')`],
      ['iso', `count_if(substr(v, 5, 1) = '-' AND TRY_CAST(left(v, 10) AS DATE) IS NOT NULL)`],
      ['firstOver12', 'count_if(TRY_CAST(d.first AS INTEGER) > 12)'],
      ['secondOver12', 'count_if(TRY_CAST(d.second AS INTEGER) > 12)'],
      ['dayFirstExample', 'min(v) FILTER (WHERE TRY_CAST(d.first AS INTEGER) > 12)'],
      ['separator', `min(d.sep) FILTER (WHERE d.sep <> '')`],
      ['time', `count_if(d.time <> '')`],
      ['seconds', `count_if(length(d.time) - length(replace(d.time, ':', '')) >= 2)`],
      ['ampm', `count_if(contains(upper(d.time), 'M'))`],
    ],
  },
  {
    name: 'identifiers',
    is: isIdentifier,
    classify: `contains(v, 'E+') AND ${rfm(SCIENTIFIC)} AS scientific`,
    counts: [['scientific', 'min(v) FILTER (WHERE scientific)']],
  },
];

function evidenceOf(s: Stats, cols: TypedMatch['fileColumns'], head: FileHead): Evidence {
  const num = (k: string) => Number(s[k] ?? 0);
  return {
    cols,
    num,
    sum: (pred, k) => cols.reduce((acc, c, i) => acc + (pred(c) ? num(`${i}.${k}`) : 0), 0),
    first: (pred, k) => {
      for (let i = 0; i < cols.length; i++) {
        const value = s[`${i}.${k}`];
        if (pred(cols[i]) && typeof value === 'string') return { header: head.headers[i], value };
      }
      return undefined;
    },
  };
}

/** Excel damage that cannot be repaired: long identifiers turned into 4.51235E+06. */
function rejectScientificIdentifiers(evidence: Evidence): void {
  const scientific = evidence.first(isIdentifier, 'scientific');
  if (scientific) {
    throw new FileRejection(
      `detected an Excel re-save: ${scientific.header} holds '${scientific.value}' (scientific notation), so digits of ` +
        `identifiers are lost; download the file again from Partner Center and load it without saving it in Excel`,
    );
  }
}

/** Delimiter, encoding, byte order mark and line ends, as the header showed them. */
function noteFileShape(found: Findings, head: FileHead, fileName: string): void {
  const { facts, said, readAs } = found;
  if (head.delimiter !== ',') {
    facts.push(`delimiter=${head.delimiter === '\t' ? String.raw`'\t'` : `'${head.delimiter}'`}`);
    if (head.delimiter === ';') said.push('semicolon-delimited file');
    else if (head.delimiter === '|') said.push('pipe-delimited file');
    else if (!fileName.toLowerCase().endsWith('.tsv')) said.push('tab-delimited file');
    readAs.push(`delimiter ${head.delimiter === '\t' ? 'tab' : `'${head.delimiter}'`}`);
  }
  if (head.encoding !== 'utf-8') {
    facts.push(`encoding=${head.encoding}`);
    said.push(head.encoding === 'latin-1' ? 'Windows-1252 (ANSI) text' : 'UTF-16 text');
    readAs.push(`encoding ${head.encoding}`);
  }
  if (head.bom) facts.push('bom');
  if (head.crlf) facts.push('crlf');
}

/** Decimal and thousands separators of the amount columns; returns whether amounts have decimal commas. */
function planNumbers(found: Findings, evidence: Evidence, head: FileHead): boolean {
  const { params, facts, said, readAs } = found;
  const { sum } = evidence;
  const commaEvidence = sum(isDecimal, 'commaDecimal') + sum(isDecimal, 'dotThousandsCommaDecimal');
  const dotEvidence = sum(isDecimal, 'dotDecimal') + sum(isDecimal, 'commaThousands');
  let decimalComma = false;
  if (commaEvidence > 0 && dotEvidence === 0) decimalComma = true;
  else if (commaEvidence === 0 && dotEvidence === 0 && head.delimiter === ';' && sum(isDecimal, 'ambiguousComma') > 0) decimalComma = true;
  if (decimalComma) {
    params.decimal_separator = ',';
    const example = evidence.first(isDecimal, 'commaExample');
    said.push(`decimal commas${example ? ` (${example.header} '${example.value}')` : ''}`);
    readAs.push(`decimal separator ','`);
    facts.push(`decimal=','`);
    if (sum(isDecimal, 'dotThousandsCommaDecimal') + sum(isDecimal, 'dotThousands') + sum(isDecimal, 'ambiguousDot') > 0) {
      params.thousands = '.';
      said.push(`'.' thousands separators`);
      readAs.push(`thousands separator '.'`);
      facts.push(`thousands='.'`);
    }
  } else if (commaEvidence > 0 && dotEvidence > 0) {
    facts.push('decimal=mixed');
    said.push('both decimal commas and decimal points in amount columns');
  } else if (sum(isDecimal, 'commaThousands') + sum(isDecimal, 'ambiguousComma') > 0) {
    params.thousands = ',';
    said.push(`',' thousands separators in amounts`);
    readAs.push(`thousands separator ','`);
    facts.push(`thousands=','`);
  }
  return decimalComma;
}

/** Dates: M/D/YYYY (en-US, as documented), D/M/YYYY (a first part over 12), or ISO. */
function planDates(found: Findings, evidence: Evidence, match: TypedMatch): DatePlan {
  const { cols, sum } = evidence;
  const numericDates = sum(isDate, 'numeric');
  const isoDates = sum(isDate, 'iso');
  const plan: DatePlan = {
    readTypes: cols.map((c) => c?.sqlType ?? 'VARCHAR'),
    casts: cols.map(() => undefined),
    dateShape: match.format.dateStyle === 'us' ? 'M/D/YYYY' : 'YYYY-MM-DD',
  };
  const numericStyle = numericDates > 0 && numericDates >= isoDates;
  if (numericStyle || (numericDates === 0 && isoDates === 0 && match.format.dateStyle === 'us')) {
    planNumericDates(found, evidence, match, plan, numericDates);
  } else if (isoDates > 0 && match.format.dateStyle === 'us') {
    found.said.push('ISO dates (YYYY-MM-DD) instead of M/D/YYYY');
    found.readAs.push('ISO dates');
    plan.dateShape = 'YYYY-MM-DD';
    found.facts.push('dates=iso');
  }
  return plan;
}

/** Numeric dates (1/5/2024, 13.01.2024): their order and separator, then their time of day. */
function planNumericDates(found: Findings, evidence: Evidence, match: TypedMatch, plan: DatePlan, numericDates: number): void {
  const { params, facts, said, readAs } = found;
  const sep = (evidence.first(isDate, 'separator')?.value || '/').slice(0, 1);
  const dayFirstE = evidence.sum(isDate, 'firstOver12');
  const monthFirstE = evidence.sum(isDate, 'secondOver12');
  const dayFirst = (dayFirstE > 0 && monthFirstE === 0) || (sep === '.' && monthFirstE === 0);
  const dateformat = dayFirst ? `%d${sep}%m${sep}%Y` : `%m${sep}%d${sep}%Y`;
  plan.dateShape = dayFirst ? `D${sep}M${sep}YYYY` : `M${sep}D${sep}YYYY`;
  params.dateformat = dateformat;
  if (dayFirst) {
    const ex = evidence.first(isDate, 'dayFirstExample');
    said.push(`day-first dates${ex ? ` (${ex.header} '${ex.value}')` : ''}`);
    readAs.push(`dates as ${plan.dateShape}`);
  } else if (match.format.dateStyle === 'iso' && numericDates > 0) {
    said.push(`dates written ${plan.dateShape} instead of YYYY-MM-DD`);
    readAs.push(`dates as ${plan.dateShape}`);
  }
  if (dayFirstE > 0 && monthFirstE > 0) said.push('dates in both day-first and month-first order');
  facts.push(`dateformat=${dateformat}`);
  planTimeOfDay(found, evidence, match, plan, dateformat);
}

/** Excel writes a time of day after dates ("1/5/2024 0:00"): such columns are read as timestamps. */
function planTimeOfDay(found: Findings, evidence: Evidence, match: TypedMatch, plan: DatePlan, dateformat: string): void {
  const { cols, num } = evidence;
  const { readTypes, casts } = plan;
  let timeformat: string | undefined;
  cols.forEach((c, i) => {
    if (!isDate(c)) return;
    const values = num(`${i}.values`);
    const timed = num(`${i}.time`);
    if (values > 0 && timed * 2 >= values) {
      const ampm = num(`${i}.ampm`) * 2 >= timed;
      const secs = num(`${i}.seconds`) * 2 >= timed;
      timeformat ??= `${ampm ? '%I' : '%H'}:%M${secs ? ':%S' : ''}${ampm ? ' %p' : ''}`;
      readTypes[i] = 'TIMESTAMP';
      if (c!.sqlType === 'DATE') casts[i] = 'DATE';
    } else if (c!.sqlType === 'TIMESTAMP') {
      readTypes[i] = 'DATE';
      casts[i] = 'TIMESTAMP';
    }
  });
  if (!timeformat) return;
  found.params.timestampformat = `${dateformat} ${timeformat}`;
  found.facts.push(`timestampformat=${found.params.timestampformat}`);
  if (match.format.dateStyle === 'us' && cols.some((c, i) => c?.sqlType === 'DATE' && casts[i] === 'DATE')) {
    found.said.push(`dates with a time of day (${timeformat.replace(/%[HI]/g, 'H').replace(/%M/g, 'MM').replace(/%S/g, 'SS').replace(/%p/g, 'AM')}, as Excel writes them)`);
  }
}

/** The sentence for the user when anything is not in the documented en-US form. */
function noticeOf(found: Findings, decimalComma: boolean, head: FileHead): string | undefined {
  const { params, said, readAs } = found;
  if (!said.length) return undefined;
  const locale = decimalComma || head.delimiter === ';' || (params.dateformat as string | undefined)?.startsWith('%d');
  return `detected ${said.join(', ')}${locale ? ' (saved in a non en-US locale)' : ''}` + (readAs.length ? `; read with ${readAs.join(' and ')}` : '');
}
