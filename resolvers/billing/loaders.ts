import { invoicesByNumbers, reconTotalsByInvoice, resellerTotalsByInvoice, type InvoiceRow, type ReconTotals, type ResellerTotalsRow } from '../../warehouse/billing/invoices';
import { customerBudgets, type CustomerBudgetRow } from '../../warehouse/billing/budgets';
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

/** A customer's budget of a month ('YYYY-MM'), by `{ customerId, month }`: one statement per month asked in the batch. */
export const budgetOfCustomer = defineLoader<{ customerId: string; month: string }, CustomerBudgetRow | null>(async (ctx, keys) => {
  const months = [...new Set(keys.map((k) => k.month))];
  const rows = (await Promise.all(months.map((m) => customerBudgets(ctx.warehouse, ctx.caller, m, [...new Set(keys.filter((k) => k.month === m).map((k) => k.customerId))], ctx.now)))).flat();
  return keys.map((k) => rows.find((r) => r.month === k.month && r.customerId === k.customerId) ?? null);
});
