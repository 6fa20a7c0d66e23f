import type { Warehouse } from '../../../warehouse/db';
import {
  customerIdFromFileName,
  detectFormat,
  FileRejection,
  invoiceNumberFromFileName,
  isJsonPath,
  readHead,
  refuseDuplicateHeaders,
  type FileHead,
  type FormatMatch,
} from '../detect';
import { typeColumns, type TypedMatch } from '../columns';
import { planRead, type ReadPlan } from '../dialect';
import { detectJsonFormat, jsonHead, planJsonRead, sniffJson, type JsonSniff } from '../json';
import { printable } from '../text';
import type { LoadResult } from '../types';
import { recordRejected } from './record';
import type { LoadRun } from './run';

/** Values a file does not carry, taken from the load's options, the file name or the warehouse. */
export interface LoadContext {
  /** The partner of a file without a partner column (partnerFromContext formats). */
  partnerId?: string;
  /** The customer of a file without a customer column (customerFromContext formats). */
  customerId?: string;
}

/** What is known of a file before any of its rows are read. */
export interface DetectedFile {
  head: FileHead;
  match: TypedMatch;
  plan: ReadPlan;
  /** The invoice number of rows without one: the invoiceNumber option, else the file name's (invoiceFromFileName formats). */
  invoiceFromName: string | undefined;
  context: LoadContext;
  /** JSON line items: what the sample said (undefined for CSV). */
  json?: JsonSniff;
}

/**
 * Header, format and dialect: throws (FileRejection, or DuckDB's error) when the file cannot be read
 * right. The result's format and table are set as soon as the format is known.
 */
export async function detectFile(db: Warehouse, run: LoadRun): Promise<DetectedFile> {
  if (isJsonPath(run.path)) {
    const json = await sniffJson(db, run.path);
    const { match, invoiceFromName, context } = await ofFormat(db, run, detectJsonFormat(json, run.options.format));
    return { head: jsonHead(json), match, plan: planJsonRead(json, match), invoiceFromName, context, json };
  }
  const head = await readHead(run.path);
  refuseDuplicateHeaders(head.headers);
  const { match, invoiceFromName, context } = await ofFormat(db, run, detectFormat(head.headers, run.options.format));
  const plan = await planRead(db, run.path, run.fileName, head, match);
  return { head, match, plan, invoiceFromName, context };
}

/** What the file's format brings: the result's format and table, the invoice number, the context and the columns' warehouse types. */
async function ofFormat(db: Warehouse, run: LoadRun, detected: FormatMatch): Promise<Pick<DetectedFile, 'match' | 'invoiceFromName' | 'context'>> {
  run.result.format = detected.format.name;
  run.result.table = detected.format.table;
  const invoiceFromName = invoiceFromFileName(run, detected);
  const context = await contextOf(db, run, detected);
  return { match: await typeColumns(db, detected), invoiceFromName, context };
}

/**
 * The invoice number for rows without one, for formats that allow it: the invoiceNumber option
 * (--invoice), else the one in the file name. Throws when the file has neither it nor the column.
 */
function invoiceFromFileName(run: LoadRun, match: FormatMatch): string | undefined {
  if (!match.format.invoiceFromFileName) return undefined;
  const hasInvoice = match.fileColumns.some((c) => c?.column === 'invoice_number');
  const invoiceFromName = run.options.invoiceNumber?.trim() || invoiceNumberFromFileName(run.path);
  if (!hasInvoice && !invoiceFromName) {
    throw new FileRejection(
      `a ${match.format.name} file needs an InvoiceNumber column or a file name that starts with the invoice number ` +
        `(as Partner Center names them: G012345678_License.csv) or holds it (Recon_G012345678_license.csv), or --invoice <number>; this one has none`,
    );
  }
  return invoiceFromName;
}

/** The partner and customer of a file that does not carry them. */
async function contextOf(db: Warehouse, run: LoadRun, match: FormatMatch): Promise<LoadContext> {
  const context: LoadContext = {};
  const { format } = match;
  if (format.partnerFromContext) context.partnerId = await partnerOf(db, run, format.name);
  if (format.customerFromContext) {
    context.customerId = run.options.customerId?.trim() || customerIdFromFileName(run.path);
    if (!context.customerId) {
      throw new FileRejection(
        `a ${format.name} file has no customer column: pass --customer <Microsoft ID> or keep the customer's Microsoft ID (a GUID) in the file name`,
      );
    }
  }
  return context;
}

/** The partnerId option, else the only partner the warehouse holds; else the file is rejected listing them. */
async function partnerOf(db: Warehouse, run: LoadRun, formatName: string): Promise<string> {
  const given = run.options.partnerId?.trim();
  if (given) return given;
  const partners = (
    await db.all<{ p: string }>(
      `SELECT DISTINCT p FROM (
         SELECT partner_id AS p FROM partners
         UNION ALL SELECT unnest(partner_ids) FROM etl_loads WHERE status = 'loaded'
       ) WHERE p IS NOT NULL AND p <> '' ORDER BY p`,
    )
  ).map((r) => r.p);
  if (partners.length === 1) return partners[0];
  throw new FileRejection(
    `a ${formatName} file has no PartnerId column and the warehouse holds ${partners.length ? `${partners.length} partners (${partners.join(', ')})` : 'no partner'}: ` +
      `pass --partner <partner id>`,
  );
}

/** A file refused before any row was read: its etl_loads row says why. Programming errors are rethrown. */
export async function rejectBeforeReading(db: Warehouse, run: LoadRun, err: unknown): Promise<LoadResult> {
  if (err instanceof TypeError || err instanceof ReferenceError) throw err;
  const message = err instanceof FileRejection ? err.message : `could not be read: ${printable((err as Error).message.split('\n')[0], 300)}`;
  const { path, fileName, size, startedAt } = run;
  const loadId = await recordRejected(db, { path, fileName, format: run.result.format, hash: await run.contentHash(), size, message, startedAt });
  return run.done({ status: 'rejected', loadId, message });
}
