/**
 * The contract of the billing rules: a subscription's history in, the charge lines the
 * reconciliation file should contain out. Dates are ISO strings (YYYY-MM-DD); money is a decimal
 * string (never a JS float) so that it can go straight into DECIMAL columns.
 */

/** One thing that happened to a license-based subscription, in the order it happened. */
export interface LicenseEvent {
  date: string;
  type: 'Purchase' | 'QuantityChange' | 'Suspend' | 'Reactivate' | 'Cancel' | 'Renew';
  /** Licenses after the event (for Purchase and QuantityChange; ignored otherwise). */
  quantity?: number;
  /** Identifies the event in the warehouse (subscription_events.event_id), carried to the lines. */
  eventId?: string;
}

export interface LicenseSubscriptionHistory {
  subscriptionId: string;
  billingFrequency: 'Monthly' | 'Annual';
  /** Price of one license for one month, as on the price list (annual billing charges 12 of them). */
  monthlyUnitPrice: string;
  currency: string;
  /** The partner's billing date: invoices and reconciliation files are cut on this day of each month. */
  billingDay: number;
  events: readonly LicenseEvent[];
}

/** One line of a license-based reconciliation file as the rules expect it. */
export interface ExpectedChargeLine {
  subscriptionId: string;
  /** The invoice (billing date) whose reconciliation file carries the line. */
  invoiceDate: string;
  chargeStartDate: string;
  chargeEndDate: string;
  /** One of LICENSE_CHARGE_TYPES (etl/formats/billing.ts), spelled as there. */
  chargeType: string;
  unitPrice: string;
  quantity: number;
  amount: string;
  currency: string;
  eventId?: string;
}
