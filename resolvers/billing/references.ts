import { parseReconciliationId } from '../../warehouse/billing/reconciliation-id';
import { reconcileInvoice } from '../../warehouse/billing/reconcile';
import type { GuardedReferenceResolver } from '../common/subgraph';
import { toGraphql } from './invoice.resolver';
import { invoiceByNumber } from './loaders';

/**
 * The billing entities by id (node(id:) hands them over as `{ __typename, id }`), scoped like
 * invoice(number:) and reconciliation(...): another partner's, or an invoice without lines of a
 * location-scoped caller's MPN IDs, resolves to null.
 */
export const billingReferences: Record<string, GuardedReferenceResolver> = {
  Invoice: { requires: 'seeBilling', resolve: (ref: { id: string }, ctx) => invoiceByNumber(ctx).load(ref.id) },
  InvoiceReconciliation: {
    requires: 'seeBilling',
    resolve: async (ref: { id: string }, ctx) => {
      const parsed = parseReconciliationId(ref.id);
      if (!parsed) return null;
      const result = await reconcileInvoice(ctx.warehouse, ctx.caller, parsed.invoiceNumber, { subscriptionId: parsed.subscriptionId });
      return result ? toGraphql(result, parsed.subscriptionId) : null;
    },
  },
};
