import { open } from 'node:fs/promises';
import { basename } from 'node:path';
import { ACCEPTED_FORMATS as FILE_FORMATS, formatByName, headerKeys, normaliseHeader, type ColumnSpec, type FileFormat } from '../formats';
import { printable } from './text';

/** How much of the file is read in JavaScript: enough for the header line. The rows are DuckDB's. */
const HEAD_BYTES = 1 << 20;

export type FileEncoding = 'utf-8' | 'utf-16' | 'latin-1';

/** What the first bytes of a file say: encoding, line ending, delimiter and the header. */
export interface FileHead {
  encoding: FileEncoding;
  /** A byte order mark opened the file. */
  bom: boolean;
  crlf: boolean;
  delimiter: string;
  headers: string[];
}

export class FileRejection extends Error {}

function decodeHead(buf: Buffer, wholeFile: boolean): { text: string; encoding: FileEncoding; bom: boolean } {
  if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) {
    return { text: buf.subarray(3).toString('utf8'), encoding: 'utf-8', bom: true };
  }
  if (buf[0] === 0xff && buf[1] === 0xfe) return { text: buf.subarray(2).toString('utf16le'), encoding: 'utf-16', bom: true };
  if (buf[0] === 0xfe && buf[1] === 0xff) {
    throw new FileRejection('detected UTF-16 big-endian text, which cannot be read; save the file as UTF-8 (Excel: "CSV UTF-8")');
  }
  // Decode up to the last complete line so that a multi-byte character cut by the read is no error.
  const end = wholeFile ? buf.length : buf.lastIndexOf(0x0a) + 1 || buf.length;
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, end)), encoding: 'utf-8', bom: false };
  } catch {
    // Not UTF-8: Excel's "CSV (Comma delimited)" writes the Windows code page, which latin-1 reads.
    return { text: buf.subarray(0, end).toString('latin1'), encoding: 'latin-1', bom: false };
  }
}

/** The header line (first line, quotes respected) and the text after it. */
function headerLine(text: string): { line: string; crlf: boolean } | undefined {
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    else if (!quoted && (ch === '\n' || ch === '\r')) {
      return { line: text.slice(0, i), crlf: ch === '\r' && text[i + 1] === '\n' };
    }
  }
  return undefined;
}

const DELIMITERS = [',', ';', '\t', '|'];

function countOutsideQuotes(line: string, ch: string): number {
  let quoted = false;
  let n = 0;
  for (const c of line) {
    if (c === '"') quoted = !quoted;
    else if (!quoted && c === ch) n++;
  }
  return n;
}

/** Splits one CSV line (the header) on the delimiter, honouring double quotes. */
export function splitHeader(line: string, delimiter: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        cur += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cur += c;
    } else if (c === '"') quoted = true;
    else if (c === delimiter) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** Reads the first bytes of a file: encoding, BOM, line ending, delimiter and header names. */
export async function readHead(path: string): Promise<FileHead> {
  const handle = await open(path, 'r');
  try {
    const size = (await handle.stat()).size;
    if (size === 0) throw new FileRejection('the file is empty');
    const buf = Buffer.alloc(Math.min(size, HEAD_BYTES));
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0);
    refuseBinary(buf.subarray(0, bytesRead));
    const { text, encoding, bom } = decodeHead(buf.subarray(0, bytesRead), bytesRead === size);
    const found = headerLine(text) ?? (bytesRead === size ? { line: text, crlf: false } : undefined);
    if (!found) throw new FileRejection(`no end of the header line in the first ${HEAD_BYTES} bytes: not a CSV file?`);
    const line = found.line.replace(/^\uFEFF/, '');
    if (!line.trim()) throw new FileRejection('the first line (the header) is empty');
    const counts = DELIMITERS.map((d) => countOutsideQuotes(line, d));
    let best = 0;
    for (let i = 1; i < DELIMITERS.length; i++) if (counts[i] > counts[best]) best = i;
    const delimiter = counts[best] > 0 ? DELIMITERS[best] : path.toLowerCase().endsWith('.tsv') ? '\t' : ',';
    return { encoding, bom, crlf: found.crlf, delimiter, headers: splitHeader(line, delimiter) };
  } finally {
    await handle.close();
  }
}

/**
 * A NUL byte is in no CSV text of the encodings read (UTF-16 LE is read only after its byte order
 * mark): the file is binary (a spreadsheet, an archive) and none of it is quoted back.
 */
function refuseBinary(buf: Buffer): void {
  const utf16 = buf[0] === 0xff && buf[1] === 0xfe;
  const nul = utf16 ? -1 : buf.indexOf(0);
  if (nul >= 0) {
    throw new FileRejection(
      `not a text file: byte ${nul + 1} is a NUL (binary data, such as an .xlsx or .zip); allowed: CSV or TSV text in UTF-8, UTF-16 LE or Windows-1252`,
    );
  }
}

/**
 * Two headers that name the same column once case, spaces, '_' and '-' are ignored (normaliseHeader)
 * reject the file: which one holds the values is unknown, and taking either loads wrong numbers.
 */
export function refuseDuplicateHeaders(headers: readonly string[]): void {
  const first = new Map<string, number>();
  const duplicates: string[] = [];
  headers.forEach((h, i) => {
    const key = normaliseHeader(h);
    if (!key) return;
    const earlier = first.get(key);
    if (earlier === undefined) first.set(key, i);
    else duplicates.push(`'${printable(headers[earlier])}' (column ${earlier + 1}) and '${printable(h)}' (column ${i + 1})`);
  });
  if (duplicates.length) {
    throw new FileRejection(
      `duplicate column${duplicates.length > 1 ? 's' : ''} in the header: ${duplicates.join('; ')} name the same column once case, spaces, '_' and '-' are ignored; ` +
        `allowed: each column once`,
    );
  }
}

/** How a file's header lines up with a format. */
export interface FormatMatch {
  format: FileFormat;
  /** For each column of the file, the format column it fills (undefined: unknown, ignored). */
  fileColumns: (ColumnSpec | undefined)[];
  /** Number of format columns found. */
  matched: number;
  /** Required columns that are not there. */
  missing: ColumnSpec[];
}

/** Matches headers to a format's columns by normalised name, in any order; unknown headers are ignored. */
export function matchFormat(format: FileFormat, headers: readonly string[]): FormatMatch {
  const keys = headerKeys(format);
  const byColumn = new Map(format.columns.map((c) => [c.column, c]));
  const fileColumns: (ColumnSpec | undefined)[] = headers.map(() => undefined);
  const taken = new Map<string, number>();
  headers.forEach((h, i) => {
    const key = normaliseHeader(h);
    const column = keys.get(key);
    if (!column) return;
    const spec = byColumn.get(column)!;
    const earlier = taken.get(column);
    // Two headers for one column (a header and its alias): the documented header wins, else the first.
    if (earlier !== undefined) {
      if (normaliseHeader(spec.header) !== key) return;
      fileColumns[earlier] = undefined;
    }
    taken.set(column, i);
    fileColumns[i] = spec;
  });
  const missing = format.columns.filter(
    (c) => c.required && !taken.has(c.column) && !(format.invoiceFromFileName && c.column === 'invoice_number'),
  );
  return { format, fileColumns, matched: taken.size, missing };
}

/**
 * The format of a file from its header: of the formats whose required columns are all present,
 * the one with the most matched columns (FILE_FORMATS order breaks ties). A forced format is only
 * checked. Throws a FileRejection naming the closest format and what it misses when none fits.
 */
export function detectFormat(
  headers: readonly string[],
  forced?: string,
  fileType: 'csv' | 'json' = 'csv',
  candidates: readonly FileFormat[] = FILE_FORMATS,
): FormatMatch {
  if (forced) {
    const format = formatByName(forced);
    if (!format) throw new FileRejection(`unknown format '${forced}'; formats: ${FILE_FORMATS.map((f) => f.name).join(', ')}`);
    if ((format.fileType ?? 'csv') !== fileType) {
      throw new FileRejection(`format '${forced}' reads ${format.fileType ?? 'csv'} files; this is a ${fileType} file`);
    }
    const match = matchFormat(format, headers);
    if (match.missing.length) throw new FileRejection(missingMessage(match));
    return match;
  }
  const matches = candidates.filter((f) => (f.fileType ?? 'csv') === fileType).map((f) => matchFormat(f, headers));
  let best: FormatMatch | undefined;
  for (const m of matches) {
    if (m.missing.length || m.matched === 0) continue;
    if (!best || m.matched > best.matched) best = m;
  }
  if (best) return best;
  let closest: FormatMatch | undefined;
  for (const m of matches) {
    if (!closest || m.matched > closest.matched || (m.matched === closest.matched && m.missing.length < closest.missing.length)) {
      closest = m;
    }
  }
  if (!closest || closest.matched === 0) {
    const shown = printable(headers.slice(0, 6).join(', ')) + (headers.length > 6 ? ', ...' : '');
    throw new FileRejection(`no known file format has these columns (${shown}); see \`partner-insights formats\``);
  }
  throw new FileRejection(missingMessage(closest));
}

function missingMessage(m: FormatMatch): string {
  const names = m.missing.map((c) => c.header);
  return (
    `missing required column${names.length > 1 ? 's' : ''} ${names.join(', ')} ` +
    `for format '${m.format.name}' (${m.format.description}; ${m.matched} of its columns found)`
  );
}

/**
 * Partner Center names reconciliation files after the invoice: G012345678_License.csv. A name that
 * starts with the number (up to two letters and six digits or more) gives it; else an invoice
 * number (G and six digits or more) anywhere in the name, as downloads and renames leave it:
 * Recon_G000123458_license.csv, "G000123458_License (1).csv".
 */
export function invoiceNumberFromFileName(path: string): string | undefined {
  const name = basename(path);
  return /^([A-Za-z]{0,2}\d{6,})(?=[_\-. ]|$)/.exec(name)?.[1] ?? /(?:^|[^A-Za-z0-9])(G\d{6,})(?![0-9])/i.exec(name)?.[1]?.toUpperCase();
}

/** A customer's Microsoft ID (a GUID) in a file name: subscriptions_1606b356-1ede-48d9-abdc-bedac79ced26.csv. */
export function customerIdFromFileName(path: string): string | undefined {
  return /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i.exec(basename(path))?.[0];
}

/** JSON line items: .json, .jsonl, .ndjson, plain or .gz. */
export function isJsonPath(path: string): boolean {
  return /\.(json|jsonl|ndjson)(\.gz)?$/i.test(path);
}
