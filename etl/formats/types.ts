/**
 * A file format is data: the columns a Partner Center file has, how each is typed in DuckDB,
 * which warehouse table and column it lands in, and which rows a newer file replaces.
 * The loader (etl/load), the generator (etl/generate) and the README all read these definitions.
 */

/** DuckDB types a file column can be declared as. Money is always DECIMAL, never DOUBLE. */
export type ColumnType =
  | 'VARCHAR'
  | 'INTEGER'
  | 'BIGINT'
  | 'MONEY' // DECIMAL(18,6): amounts and prices
  | 'QUANTITY' // DECIMAL(18,6): usage quantities, exchange rates, percentages
  | 'DATE'
  | 'TIMESTAMP'
  | 'BOOLEAN';

export const SQL_TYPE: Record<ColumnType, string> = {
  VARCHAR: 'VARCHAR',
  INTEGER: 'INTEGER',
  BIGINT: 'BIGINT',
  MONEY: 'DECIMAL(18,6)',
  QUANTITY: 'DECIMAL(18,6)',
  DATE: 'DATE',
  TIMESTAMP: 'TIMESTAMP',
  BOOLEAN: 'BOOLEAN',
};

export interface ColumnSpec {
  /** Header as Partner Center writes it. Matched ignoring case, spaces, underscores and hyphens. */
  header: string;
  /** Other headers seen for the same column (older files, API names). */
  aliases?: readonly string[];
  /** Warehouse column it is stored in. */
  column: string;
  type: ColumnType;
  /** The header must be present, or the file is rejected naming it. */
  required?: boolean;
  /** A row whose value is empty is quarantined. */
  notEmpty?: boolean;
  /** Allowed values, compared case-insensitively; stored in the spelling given here. */
  allowed?: readonly string[];
}

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
   * For reconciliation files without an InvoiceNumber column: the invoice number is taken from the
   * file name (Partner Center names them after the invoice, e.g. G012345678_License.csv).
   */
  invoiceFromFileName?: boolean;
}

/** Normalises a header for matching: "Primary domain name" = "PrimaryDomainName" = "primary_domain_name". */
export function normaliseHeader(header: string): string {
  return header.replace(/^\uFEFF/, '').toLowerCase().replace(/[^a-z0-9]/g, '');
}
