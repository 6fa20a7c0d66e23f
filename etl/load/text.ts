/**
 * What a message may quote of a file: never raw bytes. Control characters (C0, DEL, C1) and the
 * replacement character of undecodable bytes are written \xNN (\uFFFD), and a quote is cut to
 * SHOWN_CHARS characters, so a binary file or a 1 MB field cannot flood a message, a log or a
 * terminal.
 */
export const SHOWN_CHARS = 80;

/** Characters never shown raw: a class of DuckDB's RE2 regular expressions, and the same in JavaScript. */
const UNPRINTABLE = '[\\x00-\\x1F\\x7F-\\x9F\\x{FFFD}]';
const UNPRINTABLE_JS = /[\x00-\x1F\x7F-\x9F\uFFFD]/g;

/** `text` with unprintable characters escaped, cut to at most `max` characters (… marks a cut, never inside an escape). */
export function printable(text: string, max = SHOWN_CHARS): string {
  const pieces = [...text.slice(0, max + 1)].map((ch) => ch.replace(UNPRINTABLE_JS, escapeChar));
  const whole = pieces.join('');
  if (text.length <= max && whole.length <= max) return whole;
  let out = '';
  for (const piece of pieces) {
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return `${out}…`;
}

function escapeChar(ch: string): string {
  const code = ch.charCodeAt(0);
  return code > 0xff ? `\\u${code.toString(16).toUpperCase()}` : `\\x${code.toString(16).toUpperCase().padStart(2, '0')}`;
}

/**
 * SQL of printable(): the same escapes, computed by DuckDB on the first `max` characters, and the
 * same cut (a partial escape at the cut is dropped). Only evaluated on quarantined rows (their value
 * and reason), so the per-character list costs nothing on good files.
 */
export function printableSql(expr: string, max = SHOWN_CHARS): string {
  const text = `CAST(${expr} AS VARCHAR)`;
  const escaped =
    `array_to_string(list_transform(string_split(left(${text}, ${max}), ''), ch -> CASE WHEN regexp_matches(ch, '${UNPRINTABLE}') ` +
    `THEN CASE WHEN unicode(ch) > 255 THEN printf('\\u%04X', unicode(ch)) ELSE printf('\\x%02X', unicode(ch)) END ELSE ch END), '')`;
  const cut = `regexp_replace(left(${escaped}, ${max - 1}), '\\\\(x[0-9A-F]?|u[0-9A-F]{0,3})?$', '')`;
  return `(CASE WHEN length(${text}) > ${max} OR length(${escaped}) > ${max} THEN ${cut} || '…' ELSE ${escaped} END)`;
}
