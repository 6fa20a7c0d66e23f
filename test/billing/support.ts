/** Helpers to compare computed lines with the documentation's tables. */
import { EXAMPLE_TOLERANCE, type ChargeLine, type ExpectedOneTimeLine } from '../../warehouse/billing';
import { parseMoney, withinTolerance } from '../../core/money';

/** '1/13/2018' (the doc's US dates) -> '2018-01-13'. */
export function us(date: string): string {
  const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(date);
  if (!m) throw new Error(`not a US date: ${date}`);
  return `${m[3]}-${m[1].padStart(2, '0')}-${m[2].padStart(2, '0')}`;
}

/** A documented table row: [charge start, charge end, charge type, unit price, quantity, amount]. */
export type DocRow = readonly [start: string, end: string, chargeType: string, unitPrice: string, quantity: number, amount: string];

/** A computed line: license lines, or one-time lines with their order date, SKU and description. */
type Comparable = ChargeLine & Partial<Pick<ExpectedOneTimeLine, 'orderDate' | 'sku' | 'subscriptionDescription'>>;

/**
 * Expects the lines to equal the documented rows: dates, quantity and charge type exactly (the type
 * case-insensitively, as the doc capitalises it freely), UnitPrice and Amount within the tolerance.
 * An amount within tolerance is replaced by the documented one before toEqual, so a failure shows
 * a readable diff of exactly the values that are off.
 */
export function expectRows(actual: readonly Comparable[], rows: readonly DocRow[], tolerance = EXAMPLE_TOLERANCE, extra?: Partial<Comparable>[]): void {
  const tol = parseMoney(tolerance);
  const near = (got: string, want: string): string => (withinTolerance(parseMoney(got), parseMoney(want), tol) ? want : got);
  const seen = actual.map((l, i) => ({
    chargeStartDate: l.chargeStartDate,
    chargeEndDate: l.chargeEndDate,
    chargeType: l.chargeType.toLowerCase(),
    unitPrice: rows[i] ? near(l.unitPrice, rows[i][3]) : l.unitPrice,
    quantity: l.quantity,
    amount: rows[i] ? near(l.amount, rows[i][5]) : l.amount,
    ...(extra ? pick(l, Object.keys(extra[i] ?? {}) as (keyof Comparable)[]) : {}),
  }));
  const wanted = rows.map(([start, end, chargeType, unitPrice, quantity, amount], i) => ({
    chargeStartDate: us(start),
    chargeEndDate: us(end),
    chargeType: chargeType.toLowerCase(),
    unitPrice,
    quantity,
    amount,
    ...(extra?.[i] ?? {}),
  }));
  expect(seen).toEqual(wanted);
}

function pick(line: Comparable, keys: (keyof Comparable)[]): Partial<Comparable> {
  return Object.fromEntries(keys.map((k) => [k, line[k]]));
}
