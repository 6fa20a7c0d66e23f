import type { CatalogItem, Currency } from './catalog';

/** What the generator holds in memory while it writes a partner's files (thousands of rows, not millions). */

export interface Timeline {
  /** Data is cut on this date; the last full month is its month. */
  asOf: string;
  /** First day of the first month of history. */
  start: string;
  months: number;
  /** Baseline of the functional-consultant growth indicator. */
  pciBaseline: string;
}

export interface Location {
  mpnId: string;
  name: string;
  country: string;
  market: 'Developed' | 'Developing';
  isHeadquarters: boolean;
}

export interface PartnerUser {
  userId: string;
  email: string;
  displayName: string;
  roles: string[];
  locationMpnIds: string[];
}

export interface Reseller {
  mpnId: string;
  name: string;
  country: string;
  status: 'Active' | 'Suspended' | 'Terminated';
  startDate: string;
}

export interface Partner {
  id: string;
  name: string;
  slug: string;
  globalMpnId: string;
  type: 'Direct bill partner' | 'Indirect provider';
  country: string;
  domain: string;
  /** Day of the month invoices are cut. */
  billingDay: number;
  locations: Location[];
  users: PartnerUser[];
  resellers: Reseller[];
}

export type Segment = 'Commercial' | 'Education' | 'Government' | 'Nonprofit';

export interface Customer {
  id: string;
  name: string;
  domain: string;
  country: string;
  currency: Currency;
  segment: Segment;
  /** Seats the organisation needs: drives quantities and telemetry. */
  employees: number;
  mpnId: string;
  resellerMpnId: string;
  createdDate: string;
  relationship: string;
}

export interface SubscriptionEvent {
  eventId: string;
  date: string;
  type: 'Purchase' | 'QuantityChange' | 'Suspend' | 'Reactivate' | 'Cancel' | 'Renew' | 'TrialConversion' | 'AutoRenewChange' | 'ResellerChange';
  quantityBefore?: number;
  quantityAfter?: number;
  detail?: string;
  actor: string;
}

export interface Subscription {
  id: string;
  customer: Customer;
  item: CatalogItem;
  /** Offer on the subscription now (the trial offer while in trial or when the trial expired). */
  offer: CatalogItem;
  friendlyName: string;
  quantity: number;
  status: 'Active' | 'Suspended' | 'Deprovisioned' | 'InGracePeriod' | 'Disabled' | 'Expired';
  billingFrequency: 'Monthly' | 'Annual' | 'None';
  unitPrice: string;
  currency: Currency;
  createdDate: string;
  termStartDate?: string;
  termEndDate?: string;
  autoRenew: boolean;
  isTrial: boolean;
  trialStartDate?: string;
  trialEndDate?: string;
  suspendedDate?: string;
  canceledDate?: string;
  budgetAmount?: string;
  resellerMpnId: string;
  mpnId: string;
  events: SubscriptionEvent[];
  /** Azure plan: the Azure subscription (entitlement) the usage is metered under. */
  entitlementId?: string;
  /** Azure plan: partner earned credit, 0 or 15. */
  pec?: 0 | 15;
  /** Azure plan: relative size of the estate (resources per day). */
  azureSize?: number;
}
