import type { Unit } from './types';

/**
 * Display formatting of the warehouse's decimal strings. Money stays a string end to end: it is
 * grouped and signed as text (differences in BigInt cents), never through a float.
 */
function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** '1234567.8' -> '1,234,567.80' (2 decimals), '-5' -> '-5.00'. */
export function formatMoney(value: string): string {
  const cents = toCents(value);
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  return `${neg ? '-' : ''}${group((abs / 100n).toString())}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** Whole USD, grouped: '1234567.89' -> '1,234,568' (half up), for tiles and chart labels. */
export function formatMoneyWhole(value: string): string {
  const cents = toCents(value);
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  return `${neg ? '-' : ''}${group(((abs + 50n) / 100n).toString())}`;
}

/** Compact for axes: 1234 -> '1.2k', 2500000 -> '2.5M'. */
export function formatCompact(value: number): string {
  const abs = Math.abs(value);
  const trim = (n: number) => (Math.round(n * 10) / 10).toString();
  if (abs >= 1e9) return `${trim(value / 1e9)}B`;
  if (abs >= 1e6) return `${trim(value / 1e6)}M`;
  if (abs >= 1e4) return `${trim(value / 1e3)}k`;
  return Number.isInteger(value) ? group(String(value)) : trim(value);
}

/**
 * An axis's labels in one format: the scale (k, M, B, or none below 10,000) is the largest tick's,
 * with as many decimals as the ticks need ("0, 5k, 10k, 15k, 20k" and "0, 2.5k, 5k, 7.5k, 10k",
 * never "5,000" beside "10k").
 */
export function formatAxis(ticks: readonly number[]): string[] {
  const top = Math.max(0, ...ticks.map(Math.abs));
  const [divisor, suffix] = top >= 1e9 ? [1e9, 'B'] : top >= 1e6 ? [1e6, 'M'] : top >= 1e4 ? [1e3, 'k'] : [1, ''];
  const scaled = ticks.map((t) => t / divisor);
  const format = new Intl.NumberFormat('en-US', { maximumFractionDigits: 3 });
  return scaled.map((v) => (v === 0 ? '0' : `${format.format(v)}${suffix}`));
}

export function formatCount(value: string): string {
  const neg = value.startsWith('-');
  const [int] = value.replace('-', '').split('.');
  return `${neg ? '-' : ''}${group(int || '0')}`;
}

/** A value in its unit: counts grouped, USD as 'USD 1,234.56'. */
export function formatValue(value: string, unit: Unit): string {
  return unit === 'USD' ? `USD ${formatMoney(value)}` : formatCount(value);
}

/** Short form for tiles and bars: counts grouped, USD whole dollars ('USD 1,235'). */
export function formatShort(value: string, unit: Unit): string {
  return unit === 'USD' ? `USD ${formatMoneyWhole(value)}` : formatCount(value);
}

/** '+4.2%', '-0.5%', '0.0%'; 'n/a' for null. */
export function formatChange(percent: number | null): string {
  if (percent === null) return 'n/a';
  const sign = percent > 0 ? '+' : percent < 0 ? '−' : '';
  return `${sign}${Math.abs(percent).toFixed(1)}%`;
}

export function toCents(value: string): bigint {
  const m = /^(-)?(\d*)(?:\.(\d*))?$/.exec(value.trim());
  if (!m) throw new Error(`not a decimal: ${JSON.stringify(value)}`);
  const frac = (m[3] ?? '').padEnd(3, '0');
  let cents = BigInt(m[2] || '0') * 100n + BigInt(frac.slice(0, 2));
  if (Number(frac[2]) >= 5) cents += 1n; // half up on the third decimal
  return m[1] ? -cents : cents;
}

export function fromCents(cents: bigint): string {
  const neg = cents < 0n;
  const abs = neg ? -cents : cents;
  return `${neg ? '-' : ''}${abs / 100n}.${(abs % 100n).toString().padStart(2, '0')}`;
}

/** a - b of two decimal strings in the unit (exact for money). */
export function difference(a: string, b: string, unit: Unit): string {
  return unit === 'USD' ? fromCents(toCents(a) - toCents(b)) : String(BigInt(a.split('.')[0]) - BigInt(b.split('.')[0]));
}

/** A signed difference for sentences: '+13', '−2', 'USD +1,200.00'. */
export function formatDifference(diff: string, unit: Unit): string {
  const neg = diff.startsWith('-');
  const abs = neg ? diff.slice(1) : diff;
  const sign = neg ? '−' : '+';
  return unit === 'USD' ? `${sign}USD ${formatMoney(abs)}` : `${sign}${formatCount(abs)}`;
}
