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

/** What every expected charge line has: the charged period, the charge type, price, quantity and amount. */
export interface ChargeLine {
  chargeStartDate: string;
  chargeEndDate: string;
  /** One of LICENSE_CHARGE_TYPES or ONE_TIME_CHARGE_TYPES (etl/formats/billing.ts), spelled as there. */
  chargeType: string;
  unitPrice: string;
  quantity: number;
  amount: string;
}

/** One line of a license-based reconciliation file as the rules expect it. */
export interface ExpectedChargeLine extends ChargeLine {
  subscriptionId: string;
  /** The invoice (billing date) whose reconciliation file carries the line. */
  invoiceDate: string;
  currency: string;
  eventId?: string;
}

/** One row of expected_charges: a line of a subscription on the invoice that carries it (warehouse/subscriptions/charges.ts). */
export interface ExpectedCharge extends ChargeLine {
  invoiceDate: string;
  currency: string;
  eventId: string | null;
}

/** An expected_charges row as read back, with its subscription (currency may be NULL in the table). */
export interface ExpectedChargeRow extends Omit<ExpectedCharge, 'currency'> {
  subscriptionId: string;
  currency: string | null;
}

/** How far expectedLicenseCharges goes, and which daily-price rounding it follows. */
export interface LicenseChargeOptions {
  /** Last billing date to produce: only lines with invoiceDate <= through are returned. */
  through: string;
  /**
   * Leave undefined for the rule of this module (exact daily price, one rounding per line).
   * Set it to round the daily price (half-up) to this many decimals before multiplying by days, as
   * some documented examples do (3 for the monthly ones, 2 for the $4 annual ones); see license.ts.
   */
  dailyPriceDecimals?: number;
}

/**
 * One order on a new-commerce (one-time and recurring) or license-based SaaS subscription, as the
 * PURCHASE DATE column of the documented tables shows it.
 */
export interface OneTimeEvent {
  /** The order date (the PURCHASE DATE / OrderDate of the lines it produces). */
  date: string;
  type: 'New' | 'AddQuantity' | 'RemoveQuantity' | 'Renew' | 'Convert' | 'Cancel' | 'CancelImmediate';
  /** Seats after the order: required for New, AddQuantity, RemoveQuantity; optional for Renew. */
  quantity?: number;
  /** Price of one seat for one whole period: required for New and Convert (the new SKU's price); optional for Renew. */
  unitPrice?: string;
  /** SKU bought (New) or converted to (Convert). */
  sku?: string;
  /** SubscriptionDescription of the lines this order charges. */
  description?: string;
  /** SubscriptionDescription of the line this order refunds (Convert, Add/RemoveQuantity, Cancel). */
  refundDescription?: string;
  eventId?: string;
}

export interface OneTimeSubscriptionHistory {
  subscriptionId: string;
  currency: string;
  /** Length of one billing period in months (default 1: the documented monthly examples). */
  termMonths?: number;
  /**
   * The first period's ChargeStartDate/ChargeEndDate when the file does not print
   * [purchase date, purchase date + termMonths - 1 day]: the documented one-time tables print
   * 6/10 - 7/09 for a 6/11 purchase, and custom-meter SaaS prints the purchase day alone.
   * Proration still counts days from the purchase date (see onetime.ts).
   */
  firstPeriod?: { start: string; end: string };
  events: readonly OneTimeEvent[];
}

/** One line of the new-commerce one-time and recurring reconciliation file as the rules expect it. */
export interface ExpectedOneTimeLine extends ChargeLine {
  subscriptionId: string;
  orderDate: string;
  /** The seat's full-period price: refund lines keep it positive and carry the sign in amount. */
  unitPrice: string;
  currency: string;
  sku?: string;
  subscriptionDescription?: string;
  eventId?: string;
}

export interface OneTimeChargeOptions {
  /** Last order date to produce (inclusive); every order when omitted. */
  through?: string;
}
