/**
 * A file format is data: the columns a Partner Center file has, which warehouse table and column
 * each lands in, and which rows a newer file replaces. Column types are the warehouse's: declared
 * once, by the migrations (warehouse/migrations), and read from the warehouse by the loader
 * (etl/load/columns.ts). The loader (etl/load), the generator (etl/generate) and the README all read
 * these definitions.
 */

export interface ColumnSpec {
  /** Header as Partner Center writes it. Matched ignoring case, spaces, underscores and hyphens. */
  header: string;
  /** Other headers seen for the same column (older files, API names). */
  aliases?: readonly string[];
  /** Warehouse column it is stored in; its type is the column's (warehouse/migrations). */
  column: string;
  /**
   * A decimal that is no amount of money (a usage quantity, an exchange rate, a percentage): a value
   * that does not parse is reported as an invalid number, not an invalid amount.
   */
  quantity?: boolean;
  /** The header must be present, or the file is rejected naming it. */
  required?: boolean;
  /** A row whose value is empty is quarantined. */
  notEmpty?: boolean;
  /** Allowed values, compared case-insensitively; stored in the spelling given here. */
  allowed?: readonly string[];
  /**
   * Values written differently from the warehouse vocabulary, compared case-insensitively and
   * ignoring spaces and hyphens: the value is stored as the mapped one (null: stored as NULL, unknown).
   * Applied before the allowed list is checked. Where the spellings come from is said in `valuesSource`.
   */
  values?: Readonly<Record<string, string | null>>;
  /** Where the spellings of `values` come from (documentation section, API). */
  valuesSource?: string;
  /** Longest text the column takes, in characters; default: lengths.ts's bound for the column. */
  maxLength?: number;
}

/** The documented amount rules of the three reconciliation files (etl/load/phases/amounts.ts). */
export type AmountRule = 'license' | 'daily-usage' | 'new-commerce';

export interface FileFormat {
  /** Stable name used by the CLI, the manifest and the README. */
  name: string;
  /** Warehouse table the rows land in. */
  table: string;
  /** One line for the README and `status`. */
  description: string;
  /** Where the columns come from: a section of the Partner Center documentation, or "defined here". */
  source: string;
  /** How dates are written when the file follows the format (en-US recon files: M/D/YYYY). */
  dateStyle: 'us' | 'iso';
  columns: readonly ColumnSpec[];
  /**
   * Warehouse columns that identify what a file covers (an invoice, an export period, an entity).
   * Loading a file first deletes the rows whose key appears in the file: a corrected file replaces
   * the earlier one instead of doubling it.
   */
  replaceBy: readonly string[];
  /**
   * Reconciliation files: rows without an invoice number (no InvoiceNumber column, or an empty one)
   * take the load's `invoiceNumber` option, else the invoice number in the file name (G followed by
   * digits anywhere in it: G012345678_License.csv, Recon_G012345678_license.csv).
   */
  invoiceFromFileName?: boolean;
  /** csv (default): a delimited text file. json: line items as JSON lines or API pages, plain or gzip. */
  fileType?: 'csv' | 'json';
  /** JSON formats: the API's `attributes.objectType` values of the line items this format reads. */
  objectTypes?: readonly string[];
  /**
   * The format whose rows these are (same table, same meaning): the Insights rollups refresh as for
   * it. A JSON variant of a reconciliation file, or a Partner Center export with fewer columns.
   */
  loadsAs?: string;
  /**
   * The file has no partner column: the partner comes from the load's `partnerId` option, else the
   * only partner the warehouse holds; with neither the file is rejected.
   */
  partnerFromContext?: boolean;
  /** The file has no customer column: the customer comes from the `customerId` option, else a GUID in the file name. */
  customerFromContext?: boolean;
  /**
   * The file carries only part of an entity: when it replaces earlier rows (replaceBy), the values it
   * does not know (NULL) keep the earlier rows' values instead of blanking them.
   */
  keepKnown?: boolean;
  /**
   * Reconciliation lines: quantity × unit price checked against the amount by this documented rule
   * and the amount's sign by charge type (etl/load/phases/amounts.ts); a line that fails is quarantined.
   */
  amountRule?: AmountRule;
}

/** Normalises a header for matching: "Primary domain name" = "PrimaryDomainName" = "primary_domain_name". */
export function normaliseHeader(header: string): string {
  return header.replace(/^\uFEFF/, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** A value compared with `values` keys: lower case, without spaces, hyphens and underscores. */
export function normaliseValue(value: string): string {
  return value.toLowerCase().replace(/[\s_-]+/g, '');
}
