import { BILLING_FREQUENCIES, BILLING_TYPES, SUBSCRIPTION_STATUSES } from '../../core/vocabulary';
import type { FileFormat } from './types';

/**
 * Resources of the Partner Center REST API that no Partner Center file carries whole, flattened by
 * `partner-insights sync` (etl/sync/files.ts) into CSV files of these formats and loaded like any
 * other file. The partner is the one synced (the load's partner). Both keep what they do not carry
 * (keepKnown): a richer file loaded before (prices, tax) is not blanked by a sync.
 */

/**
 * The Subscription resource ("Get a customer's subscriptions", GET /v1/customers/{id}/subscriptions),
 * one row per subscription, values already in the product's vocabulary (etl/sync/files.ts maps the
 * API's lower-case statuses, billing types and cycles). The location MPN ID is filled from the
 * reconciliation lines, as for the subscription export.
 */
export const subscriptionsApiFormat: FileFormat = {
  name: 'subscriptions-api',
  table: 'subscriptions',
  description: 'Subscriptions as the Partner Center API returns them (written by sync): ID, customer, offer, quantity, status, billing, term, trial',
  source: 'Partner Center REST API: "Get a list of subscriptions for a customer" (Subscription resource), flattened by partner-insights sync',
  dateStyle: 'iso',
  loadsAs: 'subscriptions',
  partnerFromContext: true,
  keepKnown: true,
  replaceBy: ['partner_id', 'subscription_id'],
  columns: [
    { header: 'SubscriptionId', column: 'subscription_id', required: true, notEmpty: true },
    { header: 'CustomerId', column: 'customer_id', required: true, notEmpty: true },
    { header: 'FriendlyName', column: 'friendly_name', required: true },
    { header: 'OfferId', column: 'offer_id', required: true },
    { header: 'Quantity', column: 'quantity', required: true, notEmpty: true },
    { header: 'Status', column: 'status', required: true, notEmpty: true, allowed: SUBSCRIPTION_STATUSES },
    { header: 'ResellerMpnId', column: 'reseller_mpn_id', required: true },
    { header: 'BillingType', column: 'billing_type', required: true, allowed: BILLING_TYPES },
    { header: 'BillingFrequency', column: 'billing_frequency', required: true, allowed: BILLING_FREQUENCIES },
    { header: 'CreatedDate', column: 'created_date', required: true },
    { header: 'TermStartDate', column: 'term_start_date', required: true },
    { header: 'TermEndDate', column: 'term_end_date', required: true },
    { header: 'AutoRenew', column: 'auto_renew', required: true },
    { header: 'IsTrial', column: 'is_trial', required: true },
  ],
};

/**
 * The Invoice resource ("Get a collection of invoices", GET /v1/invoices), one row per invoice:
 * what the API gives of an invoice (no split of charges, no tax). Its total is totalCharges.
 */
export const invoicesApiFormat: FileFormat = {
  name: 'invoices-api',
  table: 'invoices',
  description: 'Invoices as the Partner Center API lists them (written by sync): number, dates, type, currency, total charges',
  source: 'Partner Center REST API: "Get a collection of invoices" (Invoice resource: id, invoiceDate, billingPeriodStartDate/EndDate, invoiceType, currencyCode, totalCharges), flattened by partner-insights sync',
  dateStyle: 'iso',
  loadsAs: 'invoices',
  partnerFromContext: true,
  keepKnown: true,
  replaceBy: ['invoice_number'],
  columns: [
    { header: 'InvoiceNumber', column: 'invoice_number', required: true, notEmpty: true },
    { header: 'InvoiceDate', column: 'invoice_date', required: true, notEmpty: true },
    { header: 'BillingPeriodStart', column: 'billing_period_start', required: true },
    { header: 'BillingPeriodEnd', column: 'billing_period_end', required: true },
    { header: 'InvoiceType', column: 'invoice_type', required: true, allowed: ['Recurring', 'OneTime'] },
    { header: 'Currency', column: 'currency', required: true, notEmpty: true },
    { header: 'TotalCharges', column: 'total_current_charges', required: true, notEmpty: true },
  ],
};
