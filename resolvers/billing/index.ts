import { defineSubgraph } from '../common/subgraph';
import { BudgetResolver } from './budget.resolver';
import { InvoiceResolver } from './invoice.resolver';
import { billingReferences } from './references';

/**
 * The billing subgraph: invoices with their totals recomputed from the reconciliation files
 * (warehouse/billing/invoices.ts), itemized by reseller MPN ID, checked against the invoice summary,
 * and the reconciliation of the license-based lines against the billing rules
 * (warehouse/billing/reconcile.ts). Every root field needs seeBilling (Global admin, Billing admin,
 * Admin agent); every statement is scoped to the caller's partner and, for location-scoped callers,
 * to lines of their MPN IDs. Registered in gateway/subgraphs.ts. Entities: Invoice and
 * InvoiceReconciliation (id), for node(id:) (references.ts). Customer budgets and their alerts
 * (budget.resolver.ts, manageBudgets) extend Customer with `budget`.
 */
export const billingSubgraph = defineSubgraph({
  name: 'billing',
  resolvers: [InvoiceResolver, BudgetResolver],
  // Customer.budget (budget.resolver.ts) is scoped by the caller in its own query: any id yields only the caller's budgets.
  referenceResolvers: { ...billingReferences, Customer: (ref: { id: string }) => ref },
});
