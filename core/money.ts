/**
 * Exact decimal money. An amount is a bigint count of millionths, the precision of the warehouse's
 * DECIMAL(18,6) columns, so sums of any number of amounts are exact and nothing ever passes through
 * a JS float. Divisions (proration) are done on the exact fraction and rounded once, by the caller's
 * choice of rule.
 */

/** A money amount in millionths. The brand keeps plain bigints (day counts, quantities) out. */
export type Money = bigint & { readonly __money: unique symbol };

export const MONEY_DECIMALS = 6;
const SCALE = 10n ** BigInt(MONEY_DECIMALS);

const money = (micros: bigint): Money => micros as Money;

export const ZERO: Money = money(0n);

/** Parses a plain decimal string ('4', '-3.87', '211.200000'); rejects anything else. */
export function parseMoney(text: string): Money {
  const match = /^([+-])?(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!match) throw new Error(`not a decimal amount: '${text}'`);
  const fraction = match[3] ?? '';
  // Digits beyond the sixth are only allowed if they are zeros: anything else would be silently lost.
  if (/[1-9]/.test(fraction.slice(MONEY_DECIMALS))) throw new Error(`more than ${MONEY_DECIMALS} decimals: '${text}'`);
  const micros = BigInt(match[2]) * SCALE + BigInt(fraction.slice(0, MONEY_DECIMALS).padEnd(MONEY_DECIMALS, '0'));
  return money(match[1] === '-' ? -micros : micros);
}

/**
 * Formats with at least `minDecimals` decimals and as many more as the amount needs (up to 6), so
 * formatting never rounds: round explicitly first. Never writes '-0.00'.
 */
export function formatMoney(value: Money, minDecimals = 2): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  let fraction = (abs % SCALE).toString().padStart(MONEY_DECIMALS, '0');
  while (fraction.length > minDecimals && fraction.endsWith('0')) fraction = fraction.slice(0, -1);
  const text = fraction.length > 0 ? `${abs / SCALE}.${fraction}` : `${abs / SCALE}`;
  return negative ? `-${text}` : text;
}

export const add = (a: Money, b: Money): Money => money(a + b);
export const sub = (a: Money, b: Money): Money => money(a - b);
export const neg = (a: Money): Money => money(-a);
export const abs = (a: Money): Money => (a < 0n ? neg(a) : a);
export const compare = (a: Money, b: Money): number => (a < b ? -1 : a > b ? 1 : 0);

export function sum(values: Iterable<Money>): Money {
  let total = 0n;
  for (const v of values) total += v;
  return money(total);
}

/** Multiplies by a whole number (a quantity, a number of days or months). */
export function times(value: Money, factor: number | bigint): Money {
  return money(value * toBigInt(factor));
}

export type RoundingMode = 'halfUp' | 'floor' | 'truncate';

/**
 * Rounds to `decimals` decimals. halfUp = half away from zero, so a credit rounds to exactly the
 * negative of the charge it reverses; floor = towards minus infinity; truncate = towards zero
 * (Excel's ROUNDDOWN, the "rounddown" of billing-facts.md; it equals floor for positive amounts).
 */
export function round(value: Money, decimals = 2, mode: RoundingMode = 'halfUp'): Money {
  return mulDiv(value, 1, 1, decimals, mode);
}

export const roundHalfUp = (value: Money, decimals = 2): Money => round(value, decimals, 'halfUp');
export const floorTo = (value: Money, decimals = 2): Money => round(value, decimals, 'floor');
export const truncateTo = (value: Money, decimals = 2): Money => round(value, decimals, 'truncate');

/**
 * value × multiplier ÷ divisor, computed on the exact fraction and rounded once to `decimals`
 * decimals. This is proration: price × days ÷ days-in-period without an intermediate rounding.
 */
export function mulDiv(
  value: Money,
  multiplier: number | bigint,
  divisor: number | bigint,
  decimals = 2,
  mode: RoundingMode = 'halfUp',
): Money {
  if (!Number.isInteger(decimals) || decimals < 0 || decimals > MONEY_DECIMALS) {
    throw new Error(`decimals must be 0..${MONEY_DECIMALS}, got ${decimals}`);
  }
  const step = 10n ** BigInt(MONEY_DECIMALS - decimals);
  const steps = divide(value * toBigInt(multiplier), toBigInt(divisor) * step, mode);
  return money(steps * step);
}

/** |a - b| <= tolerance. */
export function withinTolerance(a: Money, b: Money, tolerance: Money): boolean {
  return abs(sub(a, b)) <= tolerance;
}

function divide(numerator: bigint, denominator: bigint, mode: RoundingMode): bigint {
  if (denominator === 0n) throw new Error('division by zero');
  if (denominator < 0n) return divide(-numerator, -denominator, mode);
  const negative = numerator < 0n;
  const n = negative ? -numerator : numerator;
  let q = n / denominator;
  const r = n % denominator;
  if (r !== 0n) {
    const awayFromZero = mode === 'halfUp' ? 2n * r >= denominator : mode === 'floor' ? negative : false;
    if (awayFromZero) q += 1n;
  }
  return negative ? -q : q;
}

function toBigInt(n: number | bigint): bigint {
  if (typeof n === 'bigint') return n;
  if (!Number.isSafeInteger(n)) throw new Error(`not a whole number: ${n}`);
  return BigInt(n);
}
