import { boundedText, type BoundName } from '../../core/bounds';
import { badUserInput } from '../../core/errors';

/** Checks of mutation input that the schema cannot express. Each throws BAD_USER_INPUT naming the argument. */

export interface MoneyValue {
  /** Exact decimal string, e.g. "25000" or "1234.50". */
  amount: string;
  /** ISO 4217 code. */
  currency: string;
}

export interface ContactValues {
  firstName: string;
  lastName: string;
  email: string;
  phone?: string | null;
}

const AMOUNT = /^\d{1,12}(\.\d{1,6})?$/;
// Deliberately simple: one @, no spaces, a dot in the domain. The mailbox decides the rest.
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;
const PHONE = /^\+?[0-9][0-9 ().\-/]{2,29}$/;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A required text: trimmed, not empty, within its bound (core/bounds.ts). */
export function text(value: string | null | undefined, argument: string, bound: BoundName): string {
  return boundedText(value?.trim() ?? '', bound, argument);
}

/** An optional text: trimmed; empty becomes null. */
export function optionalText(value: string | null | undefined, argument: string, bound: BoundName): string | null {
  const v = value?.trim() ?? '';
  return v ? boundedText(v, bound, argument) : null;
}

/** A non-negative decimal amount with at most 12 integer and 6 fractional digits (the warehouse's DECIMAL(18,6)). */
export function amount(value: MoneyValue, argument: string): MoneyValue {
  const a = value.amount.trim();
  if (!AMOUNT.test(a)) {
    throw badUserInput(
      `${argument}.amount must be a non-negative decimal such as "25000" or "1234.50" (at most 12 digits before the point and 6 after: DECIMAL(18,6)), got ${JSON.stringify(value.amount)}`,
      `${argument}.amount`,
    );
  }
  return { amount: a, currency: value.currency.toUpperCase() };
}

/** `value` (same currency as `limit`) is at most `limit`, compared exactly; `why` names the limit. */
export function notAbove(value: MoneyValue, limit: MoneyValue, argument: string, why: string): void {
  if (scaled(value.amount) > scaled(limit.amount)) {
    throw badUserInput(`${argument}.amount ${value.amount} must be at most ${limit.amount}, the ${why}`, `${argument}.amount`, { max: limit.amount });
  }
}

/** A DECIMAL(18,6) string as an integer of millionths. */
function scaled(amount: string): bigint {
  const [whole, fraction = ''] = amount.split('.');
  return BigInt(whole + fraction.padEnd(6, '0'));
}

export function email(value: string, argument: string): string {
  const v = value.trim();
  boundedText(v, 'email', argument);
  if (!EMAIL.test(v)) throw badUserInput(`${argument} is not an email address: ${JSON.stringify(value)}`, argument);
  return v;
}

export function phone(value: string | null | undefined, argument: string): string | null {
  const v = value?.trim() ?? '';
  if (!v) return null;
  if (!PHONE.test(v)) {
    throw badUserInput(`${argument} is not a phone number: ${JSON.stringify(value)} (digits, spaces, + ( ) - . / allowed)`, argument);
  }
  return v;
}

export function contact(value: ContactValues, argument: string): Required<ContactValues> {
  return {
    firstName: text(value.firstName, `${argument}.firstName`, 'personName'),
    lastName: text(value.lastName, `${argument}.lastName`, 'personName'),
    email: email(value.email, `${argument}.email`),
    phone: phone(value.phone, `${argument}.phone`),
  };
}

/** A "YYYY-MM-DD" day from DateScalar input (a Date at UTC midnight) or a string of that shape. */
export function day(input: Date | string, argument: string): string {
  const value = input instanceof Date ? (Number.isNaN(input.getTime()) ? '' : input.toISOString().slice(0, 10)) : input;
  if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
    throw badUserInput(`${argument} must be a date YYYY-MM-DD, got ${JSON.stringify(value)}`, argument);
  }
  return value;
}
