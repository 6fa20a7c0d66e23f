import { defineSubgraph } from '../common/subgraph';
import { InvoiceResolver } from './invoice.resolver';

/**
 * The billing subgraph: invoices with their totals recomputed from the reconciliation files
 * (warehouse/billing/invoices.ts), itemized by reseller MPN ID, checked against the invoice summary,
 * and the reconciliation of the license-based lines against the billing rules
 * (warehouse/billing/reconcile.ts). Every root field needs seeBilling (Global admin, Billing admin,
 * Admin agent); every statement is scoped to the caller's partner and, for location-scoped callers,
 * to lines of their MPN IDs. Registered in gateway/subgraphs.ts. No entities: nothing else
 * references invoices yet.
 */
export const billingSubgraph = defineSubgraph({
  name: 'billing',
  resolvers: [InvoiceResolver],
});
