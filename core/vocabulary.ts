/**
 * The product's vocabulary: roles, statuses, charge and event types exactly as the Partner Center
 * documentation spells them. File formats validate against these lists, the warehouse stores them,
 * the schema exposes them and the permission policy names the roles.
 */

/** Roles as the Partner Center documentation names them ("Assign users roles and permissions"). */
export const PARTNER_ROLES = [
  'Global admin',
  'Account admin',
  'User admin',
  'Billing admin',
  'Admin agent',
  'Sales agent',
  'Helpdesk agent',
  'MPN partner admin',
  'Referrals admin',
  'Business profile admin',
  'Incentives admin',
  'Incentives user',
  'Executive report viewer',
  'Report viewer',
] as const;
export type PartnerRole = (typeof PARTNER_ROLES)[number];

export const PARTNER_TYPES = ['Direct bill partner', 'Indirect provider', 'Indirect reseller'] as const;
export const MARKETS = ['Developed', 'Developing'] as const;
export const CUSTOMER_SEGMENTS = ['Commercial', 'Education', 'Government', 'Nonprofit'] as const;
/** Partner-of-record types (reference line 16926 and seed 003): which partner is credited for what. */
export const ATTRIBUTION_TYPES = ['CSP', 'DPOR', 'DAP', 'PAL', 'CPOR'] as const;
/**
 * How another partner works with one of the partner's customers (multi-partner support, reference
 * line 18013: "a customer wants to work with more than one partner"): as a CSP reseller (direct bill),
 * as an indirect reseller or an indirect provider of another channel, or as an advisor. The customer
 * sees them on its Partner relationships page (reference line 11398); Partner Center does not show a
 * partner the others.
 */
export const OTHER_PARTNER_RELATIONSHIP_TYPES = ['Reseller', 'Indirect reseller', 'Indirect provider', 'Advisor'] as const;
export type OtherPartnerRelationshipType = (typeof OTHER_PARTNER_RELATIONSHIP_TYPES)[number];

export const PRODUCT_FAMILIES = [
  'Office 365',
  'Microsoft 365',
  'Dynamics 365 Customer Engagement',
  'Dynamics 365 Finance and Operations',
  'Azure',
  'Enterprise Mobility + Security',
  'Power BI',
  'Marketplace',
] as const;
export const BILLING_TYPES = ['License', 'Usage', 'OneTime'] as const;
export const BILLING_FREQUENCIES = ['Monthly', 'Annual', 'None'] as const;
/** Subscription statuses (reference line 14458 and the Product Subscriptions report). */
export const SUBSCRIPTION_STATUSES = ['Active', 'Suspended', 'Deprovisioned', 'InGracePeriod', 'Disabled', 'Expired'] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];
/** What can happen to a subscription; billing rules turn these into charge lines. */
export const SUBSCRIPTION_EVENT_TYPES = [
  'Purchase',
  'QuantityChange',
  'Suspend',
  'Reactivate',
  'Cancel',
  'Renew',
  'TrialConversion',
  'AutoRenewChange',
  'ResellerChange',
] as const;
export type SubscriptionEventType = (typeof SUBSCRIPTION_EVENT_TYPES)[number];

/** Referral lifecycle (reference lines 8087-8103): New in the inbox, Active once accepted, then archived. */
export const REFERRAL_STATUSES = ['New', 'Active', 'Won', 'Lost', 'Declined', 'Expired'] as const;
export const REFERRAL_DIRECTIONS = ['Incoming', 'Outgoing'] as const;
/** Referral insights filters (reference line 9103). */
export const REFERRAL_SOURCES = ['Direct', 'Marketing qualified', 'Sales qualified', 'Unqualified'] as const;
export const REFERRAL_TYPES = ['Independent', 'Co-sell'] as const;
/** A referral not accepted or declined within this many days is archived as Expired. */
export const REFERRAL_RESPONSE_DAYS = 14;

export const DEAL_REGISTRATION_STATUSES = ['Incomplete', 'Update required', 'In progress', 'Approved', 'Declined'] as const;

/**
 * Charge types of the license-based file (reference/billing-facts.md, "Charge types").
 * Real files vary the capitalisation, so they are compared case-insensitively.
 */
export const LICENSE_CHARGE_TYPES = [
  'Activation fee',
  'Cancel fee',
  'Cancel instance prorate',
  'Cycle fee',
  'Cycle instance prorate',
  'Prorate fees when cancel',
  'Prorate fees when convert away from current offering',
  'Prorate fees when convert to a new offering',
  'Prorate fees when purchase',
  'Prorate fee when renew',
  'Renew fee',
  'Prorate fees when activate',
  'Offset a line item',
] as const;

/** Charge types of the daily-rated usage file (usage fees, credits and discounts). */
export const USAGE_CHARGE_TYPES = [
  'Assess usage fee when cancel',
  'Assess usage fee for current cycle',
  'Offset a line item',
  'Activation discount',
  'Cycle discount',
  'Renew discount',
  'Cancel discount',
  // Daily-rated files of the new commerce experience write plain "new" for a usage charge.
  'New',
] as const;

/** Charge types of the new-commerce one-time and recurring file; the API writes Purchase and Refund. */
export const ONE_TIME_CHARGE_TYPES = [
  'New',
  'addQuantity',
  'removeQuantity',
  'Cancel',
  'Convert',
  'Renew',
  'Cancel immediate',
  'Purchase',
  'Refund',
] as const;

/**
 * The sign of a reconciliation line's amount by charge type (billing-facts.md, "Charge types"):
 * a charge bills (amount and quantity 0 or more), a credit refunds (amount 0 or less; the quantity
 * is the licenses refunded, positive). Conservative: a type is listed only when its documented
 * meaning gives one sign. Not listed, either sign: Cycle instance prorate (credits the standing lines
 * and rebills them), the two convert types (the old offering credited, the new charged), addQuantity,
 * removeQuantity and Convert (the old quantity refunded and the new charged), the discounts.
 */
export const CHARGE_TYPE_SIGNS: Readonly<Record<string, 'charge' | 'credit'>> = {
  'Activation fee': 'charge',
  'Cycle fee': 'charge',
  'Prorate fees when purchase': 'charge',
  'Prorate fee when renew': 'charge',
  'Renew fee': 'charge',
  'Prorate fees when activate': 'charge',
  'Assess usage fee when cancel': 'charge',
  'Assess usage fee for current cycle': 'charge',
  New: 'charge',
  Renew: 'charge',
  Purchase: 'charge',
  'Cancel fee': 'credit',
  'Cancel instance prorate': 'credit',
  'Prorate fees when cancel': 'credit',
  'Offset a line item': 'credit',
  Cancel: 'credit',
  'Cancel immediate': 'credit',
  Refund: 'credit',
};

/**
 * Charge types whose amount is not quantity × unit price: an offset is a share of another line
 * (tax included), a discount an amount taken off. Their amounts are checked for sign only.
 */
export const UNPRICED_CHARGE_TYPES = ['Offset a line item', 'Activation discount', 'Cycle discount', 'Renew discount', 'Cancel discount'] as const;
