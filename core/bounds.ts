import { badUserInput } from './errors';

/**
 * Bounds on what callers send: seats, money, text lengths and list sizes, as data in one table,
 * each with where it comes from ("line N" is a line of the Partner Center documentation,
 * ../shared/reference/seeds/001_…txt; "sensible" where it states none). The rules enforce them
 * with the helpers below, by name, so that every violation is the same BAD_USER_INPUT: it names
 * the argument and the bound (`extensions.bound`, `min`, `max`, `unit`).
 */
export interface Bound {
  /** Smallest allowed value (counts) or length (texts, lists); 0 when absent. */
  readonly min?: number;
  readonly max: number;
  readonly unit: string;
}

export const BOUNDS = {
  // Seats. The reference gives per-offer maxima ("the offer list matrix", line 7967) but no general
  // one: sensible, far above a CSP customer's subscription, and it keeps the expected charges of a
  // year of the dearest seat well inside DECIMAL(18,6).
  seatsPerSubscription: { min: 1, max: 100_000, unit: 'licenses' },
  // "Small business offers are defined by those offers that have a maximum license count that is
  // less than 300" (line 7967); Microsoft 365 for business is for "less than 300 seats" (line 892),
  // Business Voice "for businesses of up to 300 users" (line 1503). SMALL_BUSINESS_OFFER says which.
  smallBusinessSeats: { min: 1, max: 300, unit: 'licenses' },

  // Money. A deal value in USD (what referral insights sum): sensible, a billion dollars is no CSP
  // referral. Amounts themselves are at most 12 integer and 6 fractional digits (DECIMAL(18,6)).
  dealValueUsd: { min: 0, max: 1_000_000_000, unit: 'USD' },
  // A customer's monthly Azure spending budget, in its billing currency (lines 10967-11040 state no
  // limit): sensible, above any CSP customer's month in any currency Partner Center bills (the
  // example is "\$100,000 monthly budget", line 13518), and inside DECIMAL(18,2).
  monthlyBudget: { min: 0, max: 1_000_000_000, unit: 'in the billing currency' },

  // Texts of the referral and deal registration forms (lines 8087-8140, 9049-9103). The reference
  // states lengths only for people's names: "50-character limit" (line 11742, Partner Center user
  // names); the rest are sensible, and as they were.
  engagementName: { min: 1, max: 200, unit: 'characters' },
  purchaseTimeFrame: { min: 1, max: 100, unit: 'characters' },
  notes: { max: 4000, unit: 'characters' },
  crmId: { max: 100, unit: 'characters' },
  declineReason: { min: 1, max: 500, unit: 'characters' },
  personName: { min: 1, max: 50, unit: 'characters' },
  // RFC 5321: a forward path is at most 256 octets, so an address at most 254 characters.
  email: { min: 1, max: 254, unit: 'characters' },
  companyName: { min: 1, max: 200, unit: 'characters' },
  city: { min: 1, max: 100, unit: 'characters' },
  stateProvince: { min: 1, max: 100, unit: 'characters' },
  solution: { min: 1, max: 200, unit: 'characters' },
  referralId: { max: 200, unit: 'characters' },
  // Additional contacts given with an accepted referral: sensible, a team, not a mailing list.
  referralContacts: { max: 20, unit: 'contacts' },

  // Subscriptions: the friendly name shown in lists (sensible).
  friendlyName: { max: 200, unit: 'characters' },

  // API keys: a name (as it was), locations (sensible: more than a partner has), and a lifetime
  // of at most a year, so that a forgotten key does not live forever.
  apiKeyName: { min: 1, max: 200, unit: 'characters' },
  apiKeyLocations: { max: 100, unit: 'locations' },
  apiKeyLifetimeDays: { min: 1, max: 365, unit: 'days' },

  // Filters of lists, reports and exports: a list of values has at most as many as there are
  // ISO 3166 countries (249, the longest such list), each value and a search text are short.
  filterValues: { max: 250, unit: 'values' },
  filterValue: { max: 100, unit: 'characters' },
  searchText: { max: 200, unit: 'characters' },

  // Relay refetch: nodes(ids:) takes at most a page of ids (PI_MAX_PAGE_SIZE's default), one lookup statement.
  nodeIds: { max: 100, unit: 'ids' },
} as const satisfies Record<string, Bound>;

export type BoundName = keyof typeof BOUNDS;

export function boundOf(name: BoundName): Bound {
  return BOUNDS[name];
}

/** Offers whose seats are bounded by smallBusinessSeats (by product name): Microsoft 365 and Office 365 for business. */
export const SMALL_BUSINESS_OFFER = /^(Microsoft|Office) 365 (Business|Apps for business)\b/i;

/** A whole number within the bound, e.g. seats: `boundedCount(quantity, 'seatsPerSubscription', 'input.quantity')`. */
export function boundedCount(value: number, name: BoundName, argument: string): number {
  const { min = 0, max, unit } = boundOf(name);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw outOfBound(`${argument} must be ${min} to ${grouped(max)}, got ${value} (a whole number of ${unit})`, name, argument);
  }
  return value;
}

/** A text of at most the bound's length (and at least its min, when it has one). */
export function boundedText(value: string, name: BoundName, argument: string): string {
  const { min = 0, max } = boundOf(name);
  if (value.length < min) throw outOfBound(`${argument} must not be empty`, name, argument);
  if (value.length > max) throw outOfBound(`${argument} must be at most ${grouped(max)} characters, got ${grouped(value.length)}`, name, argument);
  return value;
}

/** A list of at most the bound's number of entries. */
export function boundedList<T>(values: readonly T[], name: BoundName, argument: string): readonly T[] {
  const { max, unit } = boundOf(name);
  if (values.length > max) throw outOfBound(`${argument} must have at most ${grouped(max)} ${unit}, got ${grouped(values.length)}`, name, argument);
  return values;
}

/** A filter's list of values: at most filterValues of them, each at most filterValue characters. */
export function boundedFilterValues(values: readonly string[], argument: string): readonly string[] {
  for (const value of boundedList(values, 'filterValues', argument)) boundedText(value, 'filterValue', argument);
  return values;
}

/** A non-negative decimal string ("1234.50") of at most the bound's value, compared exactly. */
export function boundedAmount(amount: string, name: BoundName, argument: string, what = amount): string {
  const { max, unit } = boundOf(name);
  if (decimalExceeds(amount, max)) throw outOfBound(`${argument} must be at most ${grouped(max)} ${unit}, got ${what}`, name, argument);
  return amount;
}

function outOfBound(message: string, name: BoundName, argument: string) {
  const { min, max, unit } = boundOf(name);
  return badUserInput(message, argument, { bound: name, ...(min !== undefined ? { min } : {}), max, unit });
}

/** Whether a non-negative decimal string is greater than a whole number, without floating point. */
function decimalExceeds(amount: string, max: number): boolean {
  const [whole, fraction = ''] = amount.split('.');
  const integer = BigInt(whole || '0');
  return integer > BigInt(max) || (integer === BigInt(max) && /[1-9]/.test(fraction));
}

function grouped(n: number): string {
  return n.toLocaleString('en-US');
}
