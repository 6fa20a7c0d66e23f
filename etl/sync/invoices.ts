import type { Invoice } from './client';

/**
 * Where an invoice's line items come from. Microsoft Graph's v2 exports serve the new-commerce
 * billed reconciliation lines (license-based and one-time: provider OneTime, BillingLineItems) and
 * billed daily-rated usage (provider OneTime, UsageLineItems); the REST line-item endpoint serves
 * what Graph does not: legacy license-based lines (provider Office), and the new-commerce lines of
 * invoices Graph refuses (too old for the v2 exports: the export request answers 400 or 404).
 * Legacy Azure usage (provider Azure, UsageBasedLineItem) has no file format in the product and is
 * not fetched: the invoice's unit says so.
 */
export type LineItemSource =
  | { via: 'graph'; kind: 'reconciliation' | 'usage'; fallback: RestSource }
  | RestSource;

export interface RestSource {
  via: 'rest';
  provider: 'Office' | 'OneTime';
  lineItemType: 'BillingLineItems' | 'UsageLineItems';
}

export interface InvoicePlan {
  sources: LineItemSource[];
  /** What is not fetched, and why (legacy Azure usage, unknown providers). */
  notFetched: string[];
}

export function planInvoice(invoice: Invoice): InvoicePlan {
  const sources: LineItemSource[] = [];
  const notFetched: string[] = [];
  const seen = new Set<string>();
  for (const detail of invoice.invoiceDetails ?? []) {
    // The API writes "one_time", "office"; the docs' examples also "OneTime".
    const provider = (detail.billingProvider ?? '').toLowerCase().replace(/[_\s-]/g, '');
    const usage = /usage/i.test(detail.invoiceLineItemType ?? '');
    const key = `${provider}/${usage ? 'usage' : 'billing'}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (provider === 'office' && !usage) sources.push({ via: 'rest', provider: 'Office', lineItemType: 'BillingLineItems' });
    else if (provider === 'onetime') {
      const lineItemType = usage ? 'UsageLineItems' : 'BillingLineItems';
      sources.push({ via: 'graph', kind: usage ? 'usage' : 'reconciliation', fallback: { via: 'rest', provider: 'OneTime', lineItemType } });
    } else notFetched.push(`${detail.billingProvider ?? 'unknown provider'} ${detail.invoiceLineItemType ?? ''} line items (no file format for them)`.replace(/\s+/g, ' '));
  }
  return { sources, notFetched };
}

/**
 * What identifies the version of an invoice the sync loaded: the fields /v1/invoices lists that
 * change when Microsoft corrects it. A sync fetches an invoice's lines again only when this changed
 * or its last fetch failed.
 */
export function invoiceFingerprint(invoice: Invoice): string {
  return JSON.stringify([invoice.totalCharges, invoice.currencyCode, invoice.documentType ?? null, invoice.amendsOf ?? null, (invoice.amendments ?? []).length]);
}

/** A file name for a source's line items, with the invoice number in it (the loader reads the G-number from the name too). */
export function lineItemFileName(invoiceId: string, source: LineItemSource | RestSource): string {
  return source.via === 'graph' ? `${invoiceId}_graph_${source.kind}.jsonl.gz` : `${invoiceId}_rest_${source.provider}_${source.lineItemType}.json`;
}
