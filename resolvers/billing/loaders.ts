import { invoicesByNumbers, reconTotalsByInvoice, resellerTotalsByInvoice, type InvoiceRow, type ReconTotals, type ResellerTotalsRow } from '../../warehouse/billing/invoices';
import { byKey, defineLoader } from '../common/loaders';

/** Invoices by number: one statement per batch. */
export const invoiceByNumber = defineLoader<string, InvoiceRow | null>(async (ctx, numbers) =>
  byKey(numbers, await invoicesByNumbers(ctx.warehouse, ctx.caller, numbers), (r) => r.invoiceNumber),
);

/** Totals of the reconciliation files per invoice: one statement per batch (a page of invoices). */
export const reconTotalsOfInvoice = defineLoader<string, ReconTotals>((ctx, numbers) => reconTotalsByInvoice(ctx.warehouse, ctx.caller, numbers));

/** Itemization by reseller MPN ID per invoice: one statement per batch. */
export const resellerTotalsOfInvoice = defineLoader<string, ResellerTotalsRow[]>((ctx, numbers) =>
  resellerTotalsByInvoice(ctx.warehouse, ctx.caller, numbers),
);
