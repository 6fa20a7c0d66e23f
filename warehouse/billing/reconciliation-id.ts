/**
 * The id of an invoice's reconciliation (InvoiceReconciliation.id): the invoice number, then
 * "/reconciliation", then "/<subscription id>" when it covers one subscription only. Distinct from
 * the invoice's own id (its number), so that a client caching by id never takes one for the other.
 */
const SUFFIX = '/reconciliation';

export function reconciliationId(invoiceNumber: string, subscriptionId: string | null = null): string {
  return subscriptionId ? `${invoiceNumber}${SUFFIX}/${subscriptionId}` : `${invoiceNumber}${SUFFIX}`;
}

/** The invoice number and subscription of a reconciliation id, or null when the id is not one. */
export function parseReconciliationId(id: string): { invoiceNumber: string; subscriptionId: string | null } | null {
  const at = id.lastIndexOf(SUFFIX);
  if (at <= 0) return null;
  const invoiceNumber = id.slice(0, at);
  const rest = id.slice(at + SUFFIX.length);
  if (rest === '') return { invoiceNumber, subscriptionId: null };
  if (!rest.startsWith('/') || rest.length === 1 || rest.indexOf('/', 1) !== -1) return null;
  return { invoiceNumber, subscriptionId: rest.slice(1) };
}

/** What follows the invoice number in a whole-invoice reconciliation id (the node lookup builds it in SQL). */
export const RECONCILIATION_ID_SUFFIX = SUFFIX;
