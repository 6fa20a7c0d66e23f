/**
 * Money without floating point: amounts are BigInt counts of micro-units (6 decimals, the scale of
 * the warehouse's DECIMAL(18,6)) and leave as decimal strings.
 */

export const SCALE = 1_000_000n;

/** "12.34", "-0.5", "7" to micro-units. */
export function parseMoney(text: string): bigint {
  const s = text.trim();
  const m = /^([+-])?(\d*)(?:\.(\d*))?$/.exec(s);
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new Error(`not a decimal amount: "${text}"`);
  const frac = (m[3] ?? '').padEnd(6, '0');
  if (frac.length > 6 && /[^0]/.test(frac.slice(6))) throw new Error(`more than 6 decimals: "${text}"`);
  const value = BigInt(m[2] || '0') * SCALE + BigInt(frac.slice(0, 6) || '0');
  return m[1] === '-' ? -value : value;
}

/** Micro-units to a decimal string with `decimals` places (the value must already be rounded to them). */
export function formatMoney(value: bigint, decimals = 2): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / SCALE;
  const frac = (abs % SCALE).toString().padStart(6, '0');
  const kept = frac.slice(0, decimals);
  if (/[^0]/.test(frac.slice(decimals))) throw new Error(`amount ${value} has more than ${decimals} decimals`);
  const body = decimals > 0 ? `${whole}.${kept}` : `${whole}`;
  return negative && abs !== 0n ? `-${body}` : body;
}

/** Rounds micro-units to `decimals` places, half away from zero. */
export function roundMoney(value: bigint, decimals = 2): bigint {
  const unit = 10n ** BigInt(6 - decimals);
  const abs = value < 0n ? -value : value;
  const rounded = ((abs + unit / 2n) / unit) * unit;
  return value < 0n ? -rounded : rounded;
}

/** A decimal string rounded to 2 places from a JS number that is only an approximate price. */
export function priceFromNumber(value: number, decimals = 2): string {
  return formatMoney(roundMoney(BigInt(Math.round(value * 1_000_000)), decimals), decimals);
}
