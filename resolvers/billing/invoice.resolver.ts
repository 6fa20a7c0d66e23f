import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import {
  Invoice,
  InvoiceCharges,
  InvoiceComponent,
  InvoiceConnection,
  InvoiceConsistency,
  InvoiceResellerCharges,
  InvoicesArgs,
  InvoiceSummary,
} from '../../schema/billing/invoice';
import {
  InvoiceReconciliation,
  type ReconciliationDifference,
  type ReconciliationDifferenceKind,
  type ReconciliationLine,
  type ReconciliationStatus,
} from '../../schema/billing/reconciliation';
import { notFound } from '../../core/errors';
import type { Money } from '../../schema/common/money';
import { Requires } from '../../schema/common/permissions';
import { invoiceListQuery, type InvoiceRow, type InvoiceTypeValue } from '../../warehouse/billing/invoices';
import { formatMoney, parseMoney, sub } from '../../core/money';
import {
  reconcileInvoice,
  type InvoiceReconciliation as ReconciliationResult,
  type ReconDifference,
  type ReconLine,
} from '../../warehouse/billing/reconcile';
import { isoDate } from '../../core/dates';
import { reconciliationId } from '../../warehouse/billing/reconciliation-id';
import { paginate } from '../common/connection';
import type { RequestContext } from '../common/context';
import { invoiceByNumber, reconTotalsOfInvoice, resellerTotalsOfInvoice } from './loaders';

const m = (amount: string, currency: string): Money => ({ amount, currency });

/** False for an invoice known only from its reconciliation lines (InvoiceRow.hasSummary). */
const hasSummary = (i: Invoice): boolean => (i as unknown as Pick<InvoiceRow, 'hasSummary'>).hasSummary !== false;

@Resolver(() => Invoice)
export class InvoiceResolver {
  @Requires('seeBilling')
  @Query(() => InvoiceConnection, {
    nullable: true,
    description: 'Invoices, newest first. Billing data (Global admin, Billing admin, Admin agent); location-scoped callers see invoices with lines of their MPN IDs',
  })
  async invoices(@Args(() => InvoicesArgs) args: InvoicesArgs, @Ctx() ctx: RequestContext): Promise<InvoiceConnection> {
    const f = args.filter ?? {};
    const filter = { from: isoDate(f.from), to: isoDate(f.to), type: (f.type ?? null) as InvoiceTypeValue | null, currency: f.currency ?? null };
    return paginate(ctx, {
      name: 'invoices',
      fingerprint: { filter },
      args,
      ...invoiceListQuery(ctx.caller, filter),
    }) as unknown as Promise<InvoiceConnection>;
  }

  @Requires('seeBilling')
  @Query(() => Invoice, { nullable: true, description: 'An invoice by its number. Billing data' })
  async invoice(@Arg('number', () => ID) invoiceNumber: string, @Ctx() ctx: RequestContext): Promise<Invoice> {
    const row = await invoiceByNumber(ctx).load(invoiceNumber);
    if (!row) throw notFound('Invoice', invoiceNumber);
    return row as unknown as Invoice;
  }

  @Requires('seeBilling')
  @Query(() => InvoiceReconciliation, {
    nullable: true,
    description:
      "Reconciles an invoice's license-based lines against the billing rules over each subscription's history (optionally one subscription). Billing data",
  })
  async reconciliation(
    @Arg('invoiceNumber', () => ID) invoiceNumber: string,
    @Arg('subscriptionId', () => ID, { nullable: true, description: 'Only this subscription (Partner Center subscription ID)' }) subscriptionId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<InvoiceReconciliation> {
    const result = await reconcileInvoice(ctx.warehouse, ctx.caller, invoiceNumber, { subscriptionId });
    if (!result) throw notFound('Invoice', invoiceNumber);
    return toGraphql(result, subscriptionId);
  }

  @FieldResolver(() => ID, { description: 'The invoice number: the id node(id:) finds the invoice by' })
  id(@Root() i: Invoice): string {
    return i.invoiceNumber;
  }

  @FieldResolver(() => InvoiceSummary, {
    nullable: true,
    description:
      'The summary as loaded from the invoices file; null for a location-scoped caller (it covers every location), and null while no summary is loaded: ' +
      'the invoice is then known from its reconciliation files only, its charges summed from them, paymentTermsDays and paymentDueDate null, ' +
      'currency and type from its lines, the billing period from its usage lines (ChargeStartDate-ChargeEndDate) and invoiceDate the latest date its lines carry ' +
      '(usage ChargeEndDate, license and one-time ChargeStartDate) until the summary gives the printed one',
  })
  summary(@Root() i: Invoice, @Ctx() ctx: RequestContext): InvoiceSummary | null {
    if (ctx.caller.locations !== null || !hasSummary(i)) return null;
    const c = i.currency;
    const v = (x: string | null) => m(formatMoney(parseMoney(x ?? '0')), c);
    return {
      licenseBased: v(i.licenseBasedCharges),
      usageBased: v(i.usageBasedCharges),
      oneTime: v(i.oneTimeCharges),
      discounts: v(i.discounts),
      credits: v(i.credits),
      subtotal: v(i.subtotal),
      tax: v(i.tax),
      otherCredits: v(i.otherCredits),
      total: v(i.totalCurrentCharges),
    };
  }

  @FieldResolver(() => InvoiceCharges, { description: "Totals summed from the reconciliation files (of the caller's locations)" })
  async charges(@Root() i: Invoice, @Ctx() ctx: RequestContext): Promise<InvoiceCharges> {
    const t = await reconTotalsOfInvoice(ctx).load(i.invoiceNumber);
    const c = i.currency;
    return {
      licenseBased: m(t.licenseBased, c),
      usageBased: m(t.usageBased, c),
      oneTime: m(t.oneTime, c),
      subtotal: m(t.subtotal, c),
      tax: m(t.tax, c),
      licenseTax: m(t.licenseTax, c),
      oneTimeTax: m(t.oneTimeTax, c),
      credits: m(t.credits, c),
      discounts: m(t.discounts, c),
      total: m(t.total, c),
      licenseLines: t.licenseLines,
      usageLines: t.usageLines,
      oneTimeLines: t.oneTimeLines,
    };
  }

  @FieldResolver(() => InvoiceConsistency, {
    nullable: true,
    description: 'The invoice summary against the reconciliation files, component by component; null for a location-scoped caller',
  })
  async consistency(@Root() i: Invoice, @Ctx() ctx: RequestContext): Promise<InvoiceConsistency | null> {
    if (ctx.caller.locations !== null) return null;
    const t = await reconTotalsOfInvoice(ctx).load(i.invoiceNumber);
    const pairs: [InvoiceComponent, string | null, string][] = [
      [InvoiceComponent.LICENSE_BASED, i.licenseBasedCharges, t.licenseBased],
      [InvoiceComponent.USAGE_BASED, i.usageBasedCharges, t.usageBased],
      [InvoiceComponent.ONE_TIME, i.oneTimeCharges, t.oneTime],
      [InvoiceComponent.DISCOUNTS, i.discounts, t.discounts],
      [InvoiceComponent.CREDITS, i.credits, t.credits],
      [InvoiceComponent.SUBTOTAL, i.subtotal, t.subtotal],
      [InvoiceComponent.TAX, i.tax, t.tax],
      [InvoiceComponent.TOTAL, i.totalCurrentCharges, t.total],
    ];
    const components = pairs.map(([component, invoice, recon]) => {
      const d = sub(parseMoney(recon), parseMoney(invoice ?? '0'));
      return {
        component,
        invoice: invoice == null ? null : m(formatMoney(parseMoney(invoice)), i.currency),
        reconFiles: m(recon, i.currency),
        difference: m(formatMoney(d), i.currency),
        matches: invoice != null && d === 0n,
      };
    });
    return { consistent: components.every((x) => x.matches), components };
  }

  @FieldResolver(() => [InvoiceResellerCharges], { description: 'Charges itemized by reseller MPN ID (sold directly, removed -1, each reseller)' })
  async byReseller(@Root() i: Invoice, @Ctx() ctx: RequestContext): Promise<InvoiceResellerCharges[]> {
    const rows = await resellerTotalsOfInvoice(ctx).load(i.invoiceNumber);
    const c = i.currency;
    return rows.map((r) => ({
      resellerMpnId: r.resellerMpnId,
      soldDirectly: r.soldDirectly,
      removed: r.removed,
      licenseBased: m(r.licenseBased, c),
      usageBased: m(r.usageBased, c),
      oneTime: m(r.oneTime, c),
      tax: m(r.tax, c),
      total: m(r.total, c),
      lines: r.lines,
    }));
  }

  @FieldResolver(() => InvoiceReconciliation, { name: 'reconciliation', description: 'Reconciliation of the license-based lines (see Query.reconciliation)' })
  async invoiceReconciliation(@Root() i: Invoice, @Ctx() ctx: RequestContext): Promise<InvoiceReconciliation> {
    const result = await reconcileInvoice(ctx.warehouse, ctx.caller, i.invoiceNumber);
    if (!result) throw notFound('Invoice', i.invoiceNumber);
    return toGraphql(result);
  }
}

/** The warehouse result with Money objects in the invoice's currency; `subscriptionId`: the one subscription it covers, if so. */
export function toGraphql(r: ReconciliationResult, subscriptionId: string | null = null): InvoiceReconciliation {
  const c = r.currency;
  const line = (l: ReconLine | null): ReconciliationLine | null =>
    l ? { chargeType: l.chargeType, unitPrice: m(l.unitPrice, c), quantity: l.quantity, amount: m(l.amount, c) } : null;
  const difference = (d: ReconDifference): ReconciliationDifference => ({
    ...d,
    kind: d.kind as ReconciliationDifferenceKind,
    expected: line(d.expected),
    billed: line(d.billed),
  });
  return {
    id: reconciliationId(r.invoiceNumber, subscriptionId),
    invoiceNumber: r.invoiceNumber,
    invoiceDate: r.invoiceDate,
    currency: c,
    billingDay: r.billingDay,
    tolerance: r.tolerance,
    status: r.status as ReconciliationStatus,
    expectedTotal: m(r.expectedTotal, c),
    billedTotal: m(r.billedTotal, c),
    difference: m(r.difference, c),
    expectedLines: r.expectedLines,
    billedLines: r.billedLines,
    matchedLines: r.matchedLines,
    differences: r.differences.map(difference),
    subscriptions: r.subscriptions.map((s) => ({
      ...s,
      status: s.status as ReconciliationStatus,
      expectedTotal: m(s.expectedTotal, c),
      billedTotal: m(s.billedTotal, c),
      difference: m(s.difference, c),
      differences: s.differences.map(difference),
    })),
  };
}
