import { BILLING_FREQUENCIES, BILLING_TYPES, PRODUCT_FAMILIES, SUBSCRIPTION_EVENT_TYPES, SUBSCRIPTION_STATUSES } from '../../core/vocabulary';
import type { FileFormat } from './types';

/** The price list entries the partner sells: product, SKU, offer, family, billing type and price. */
export const productFormat: FileFormat = {
  name: 'products',
  table: 'products',
  description: 'Catalog: products, SKUs and offers with product family, billing type and list price',
  source: 'defined here from the price list columns the reconciliation files refer to (OfferId, DurableOfferId, ProductId, SkuId)',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'offer_id'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'OfferId', aliases: ['DurableOfferId'], column: 'offer_id', required: true, notEmpty: true },
    { header: 'ProductId', column: 'product_id', required: true, notEmpty: true },
    { header: 'SkuId', column: 'sku_id', required: true, notEmpty: true },
    { header: 'ProductName', column: 'product_name', required: true, notEmpty: true },
    { header: 'SkuName', column: 'sku_name', required: true, notEmpty: true },
    { header: 'OfferName', column: 'offer_name', required: true, notEmpty: true },
    { header: 'ProductFamily', column: 'product_family', required: true, notEmpty: true, allowed: PRODUCT_FAMILIES },
    { header: 'BillingType', column: 'billing_type', required: true, notEmpty: true, allowed: BILLING_TYPES },
    { header: 'UnitPrice', column: 'unit_price', required: true, notEmpty: true },
    { header: 'Currency', column: 'currency', required: true, notEmpty: true },
    { header: 'PublisherName', column: 'publisher_name' },
    { header: 'IsTrialOffer', column: 'is_trial_offer' },
  ],
};

/**
 * Subscription export ("Export customer subscription information": Subscription ID, Subscription,
 * Quantity, Status, Reseller) with the lifecycle fields the product needs.
 */
export const subscriptionFormat: FileFormat = {
  name: 'subscriptions',
  table: 'subscriptions',
  description: 'Subscription export (ID, product, quantity, status, reseller) with offer, billing, term, trial and auto-renew fields',
  source: 'Partner Center documentation: "Export customer subscription information"; columns after Reseller added here',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'subscription_id'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'Subscription ID', aliases: ['SubscriptionId'], column: 'subscription_id', required: true, notEmpty: true },
    { header: 'Subscription', aliases: ['FriendlyName'], column: 'friendly_name', required: true },
    { header: 'Quantity', column: 'quantity', required: true, notEmpty: true },
    { header: 'Status', column: 'status', required: true, notEmpty: true, allowed: SUBSCRIPTION_STATUSES },
    { header: 'Reseller', aliases: ['ResellerMpnId'], column: 'reseller_mpn_id', required: true },
    { header: 'CustomerId', column: 'customer_id', required: true, notEmpty: true },
    { header: 'MpnId', column: 'mpn_id', required: true, notEmpty: true },
    { header: 'OfferId', column: 'offer_id', required: true, notEmpty: true },
    { header: 'BillingType', column: 'billing_type', required: true, notEmpty: true, allowed: BILLING_TYPES },
    { header: 'BillingFrequency', column: 'billing_frequency', required: true, notEmpty: true, allowed: BILLING_FREQUENCIES },
    { header: 'UnitPrice', column: 'unit_price', required: true },
    { header: 'Currency', column: 'currency', required: true },
    { header: 'CreatedDate', column: 'created_date', required: true, notEmpty: true },
    { header: 'TermStartDate', column: 'term_start_date' },
    { header: 'TermEndDate', aliases: ['CommitmentEndDate'], column: 'term_end_date' },
    { header: 'AutoRenew', column: 'auto_renew' },
    { header: 'IsTrial', column: 'is_trial' },
    { header: 'TrialStartDate', column: 'trial_start_date' },
    { header: 'TrialEndDate', column: 'trial_end_date' },
    { header: 'SuspendedDate', column: 'suspended_date' },
    { header: 'CanceledDate', column: 'canceled_date' },
    { header: 'BudgetAmount', column: 'budget_amount' },
  ],
};

/**
 * Subscription history, one row per event. The billing rules read this history to compute the
 * charge lines the license-based reconciliation file should contain.
 */
export const subscriptionEventFormat: FileFormat = {
  name: 'subscription-events',
  table: 'subscription_events',
  description: 'Subscription history: purchase, quantity change, suspend, reactivate, cancel, renew, trial conversion',
  source: 'defined here from "Create, suspend, or cancel customer subscriptions" and the customer activity log',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'event_id'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'EventId', column: 'event_id', required: true, notEmpty: true },
    { header: 'SubscriptionId', column: 'subscription_id', required: true, notEmpty: true },
    { header: 'EventDate', column: 'event_date', required: true, notEmpty: true },
    { header: 'EventType', column: 'event_type', required: true, notEmpty: true, allowed: SUBSCRIPTION_EVENT_TYPES },
    { header: 'QuantityBefore', column: 'quantity_before' },
    { header: 'QuantityAfter', column: 'quantity_after' },
    { header: 'Detail', column: 'detail' },
    { header: 'Actor', column: 'actor' },
  ],
};

/**
 * License deployment and usage per customer, product and month ("Use metrics to increase adoption":
 * entitlement, assigned, active in the last 28 days).
 */
export const licenseUsageFormat: FileFormat = {
  name: 'license-usage',
  table: 'license_usage',
  description: 'Monthly license telemetry per customer and SKU: purchased, assigned, active in the last 28 days',
  source: 'defined here from "Use metrics in Partner Center to increase adoption" (deployment % = assigned/sold, usage % = active/entitled)',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'month'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'Month', column: 'month', required: true, notEmpty: true },
    { header: 'CustomerId', column: 'customer_id', required: true, notEmpty: true },
    { header: 'SubscriptionId', column: 'subscription_id' },
    { header: 'ProductFamily', column: 'product_family', required: true, notEmpty: true, allowed: PRODUCT_FAMILIES },
    { header: 'SkuName', column: 'sku_name', required: true },
    { header: 'LicensesPurchased', column: 'licenses_purchased', required: true, notEmpty: true },
    { header: 'LicensesAssigned', column: 'licenses_assigned', required: true, notEmpty: true },
    { header: 'ActiveUsers28Days', column: 'active_users_28d', required: true, notEmpty: true },
  ],
};

/** Monthly active users per customer tenant and workload (needed by the PCI usage indicator). */
export const monthlyActiveUsersFormat: FileFormat = {
  name: 'monthly-active-users',
  table: 'monthly_active_users',
  description: 'Monthly active users per customer tenant and workload',
  source: 'defined here from the partner contribution indicators (usage growth by tenant)',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'month'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'Month', column: 'month', required: true, notEmpty: true },
    { header: 'CustomerId', column: 'customer_id', required: true, notEmpty: true },
    { header: 'Workload', column: 'workload', required: true, notEmpty: true },
    { header: 'ActiveUsers', column: 'active_users', required: true, notEmpty: true },
  ],
};

/**
 * Subscription statuses as Partner Center writes them elsewhere than in the vocabulary's spelling:
 * "In Grace Period" and "De-provisioned" (reference line 15326), the API's "deleted" (a cancelled,
 * deprovisioned subscription). Active, Suspended, Disabled and Expired are the vocabulary's own.
 */
export const SUBSCRIPTION_STATUS_SPELLINGS: Readonly<Record<string, string>> = {
  'In Grace Period': 'InGracePeriod',
  'De-provisioned': 'Deprovisioned',
  Deleted: 'Deprovisioned',
};

/**
 * A customer's subscriptions exactly as Partner Center exports them (Customers > a customer >
 * Export subscriptions, reference line 11495): five columns. The partner is the one the file is
 * loaded for (`--partner`, else the warehouse's only partner); the customer is the `--customer`
 * option, else the GUID in the file name. The location MPN ID and offer are filled from the
 * license-based reconciliation lines of the subscription (MpnId, OfferId; SyndicationPartnerSubscriptionNumber
 * is the Subscription ID) when known; billing type, frequency, price, dates and the rest are unknown
 * (NULL). A subscription already known keeps what the export does not carry (keepKnown).
 */
export const customerSubscriptionsFormat: FileFormat = {
  name: 'customer-subscriptions',
  table: 'subscriptions',
  description: 'A customer\'s subscriptions as Partner Center exports them: Subscription ID, product, quantity, status, reseller',
  source:
    'Partner Center documentation: "Export customer subscription information" (five columns); the partner is the --partner option ' +
    '(else the warehouse\'s only partner), the customer the --customer option or the GUID in the file name; location MPN ID and offer ' +
    'filled from license-based reconciliation lines when known, the rest NULL; Status as in the vocabulary, "In Grace Period" and ' +
    '"De-provisioned" (Product Subscriptions report) and the API\'s "Deleted" mapped to it',
  dateStyle: 'iso',
  loadsAs: 'subscriptions',
  partnerFromContext: true,
  customerFromContext: true,
  keepKnown: true,
  replaceBy: ['partner_id', 'subscription_id'],
  columns: [
    { header: 'Subscription ID', column: 'subscription_id', required: true, notEmpty: true },
    { header: 'Subscription', column: 'friendly_name', required: true },
    { header: 'Quantity', column: 'quantity', required: true, notEmpty: true },
    {
      header: 'Status',
      column: 'status',
      required: true,
      notEmpty: true,
      allowed: SUBSCRIPTION_STATUSES,
      values: SUBSCRIPTION_STATUS_SPELLINGS,
      valuesSource: 'reference line 15326 (In Grace Period, De-provisioned) and the Partner Center API (deleted)',
    },
    { header: 'Reseller', column: 'reseller_mpn_id', required: true },
  ],
};
