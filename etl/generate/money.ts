/**
 * The generator's arithmetic is on plain bigint micro-units (6 decimals, the scale of the warehouse's
 * DECIMAL(18,6)); parsing, formatting and rounding are core/money.ts's.
 */
import { formatMoney as formatExact, parseMoney, roundHalfUp, type Money } from '../../core/money';

export { parseMoney };

/** Micro-units to a decimal string with at least `decimals` places (round first: nothing is rounded here). */
export function formatMoney(value: bigint, decimals = 2): string {
  return formatExact(value as Money, decimals);
}

/** Rounds micro-units to `decimals` places, half away from zero. */
export function roundMoney(value: bigint, decimals = 2): bigint {
  return roundHalfUp(value as Money, decimals);
}

/** A decimal string rounded to 2 places from a JS number that is only an approximate price. */
export function priceFromNumber(value: number, decimals = 2): string {
  return formatMoney(roundMoney(BigInt(Math.round(value * 1_000_000)), decimals), decimals);
}
