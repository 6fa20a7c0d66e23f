import type { Warehouse } from '../../../warehouse/db';
import { detectFormat, FileRejection, invoiceNumberFromFileName, readHead, type FileHead, type FormatMatch } from '../detect';
import { planRead, type ReadPlan } from '../dialect';
import type { LoadResult } from '../types';
import { recordRejected } from './record';
import type { LoadRun } from './run';

/** What is known of a file before any of its rows are read. */
export interface DetectedFile {
  head: FileHead;
  match: FormatMatch;
  plan: ReadPlan;
  /** The invoice number the file name gives, for formats that take it from there. */
  invoiceFromName: string | undefined;
}

/**
 * Header, format and dialect: throws (FileRejection, or DuckDB's error) when the file cannot be read
 * right. The result's format and table are set as soon as the format is known.
 */
export async function detectFile(db: Warehouse, run: LoadRun): Promise<DetectedFile> {
  const head = await readHead(run.path);
  const match = detectFormat(head.headers, run.options.format);
  run.result.format = match.format.name;
  run.result.table = match.format.table;
  const invoiceFromName = invoiceFromFileName(run.path, match);
  const plan = await planRead(db, run.path, run.fileName, head, match);
  return { head, match, plan, invoiceFromName };
}

/** The invoice number from the file name, for formats that allow it; throws when the file has neither it nor the column. */
function invoiceFromFileName(path: string, match: FormatMatch): string | undefined {
  if (!match.format.invoiceFromFileName) return undefined;
  const hasInvoice = match.fileColumns.some((c) => c?.column === 'invoice_number');
  const invoiceFromName = invoiceNumberFromFileName(path);
  if (!hasInvoice && !invoiceFromName) {
    throw new FileRejection(
      `a ${match.format.name} file needs an InvoiceNumber column or a file name that starts with the invoice number ` +
        `(as Partner Center names them: G012345678_License.csv); this one has neither`,
    );
  }
  return invoiceFromName;
}

/** A file refused before any row was read: its etl_loads row says why. Programming errors are rethrown. */
export async function rejectBeforeReading(db: Warehouse, run: LoadRun, err: unknown): Promise<LoadResult> {
  if (err instanceof TypeError || err instanceof ReferenceError) throw err;
  const message = err instanceof FileRejection ? err.message : `could not be read: ${(err as Error).message.split('\n')[0]}`;
  const { path, fileName, size, startedAt } = run;
  const loadId = await recordRejected(db, { path, fileName, format: run.result.format, hash: await run.contentHash(), size, message, startedAt });
  return run.done({ status: 'rejected', loadId, message });
}
