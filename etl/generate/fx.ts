import type { Currency } from './catalog';
import type { CsvRow } from './csv';
import { addDays, daysBetween } from '../../core/dates';
import { formatMoney, roundMoney } from './money';
import type { Rng } from './random';

/** USD to each billing currency, around their 2025-2026 levels. */
const CENTRE: Record<Exclude<Currency, 'USD'>, number> = { EUR: 0.91, GBP: 0.77, AUD: 1.52 };

/** Daily USD -> EUR/GBP/AUD rates: a slow random walk around a centre, six decimals. */
export class FxTable {
  private readonly rates = new Map<string, Map<string, string>>();

  constructor(rng: Rng, readonly from: string, readonly to: string) {
    for (const [currency, centre] of Object.entries(CENTRE)) {
      const r = rng.fork(`fx:${currency}`);
      const byDay = new Map<string, string>();
      let level = centre * (0.97 + 0.06 * r.next());
      for (let d = from; d <= to; d = addDays(d, 1)) {
        level += (centre - level) * 0.02 + r.normal(0, centre * 0.003);
        byDay.set(d, formatMoney(roundMoney(BigInt(Math.round(level * 1e6)), 6), 6));
      }
      this.rates.set(currency, byDay);
    }
  }

  /** USD -> currency on a day, as a decimal string ("1" for USD). */
  rate(currency: string, date: string): string {
    if (currency === 'USD') return '1';
    const byDay = this.rates.get(currency);
    const clamped = date < this.from ? this.from : date > this.to ? this.to : date;
    const value = byDay?.get(clamped);
    if (!value) throw new Error(`no ${currency} rate on ${date}`);
    return value;
  }

  /** Converts an amount in `currency` to USD (for DealValueUsd), to cents. */
  toUsd(amount: number, currency: string, date: string): number {
    return Math.round((amount / Number(this.rate(currency, date))) * 100) / 100;
  }

  rows(partnerId: string): CsvRow[] {
    const out: CsvRow[] = [];
    const days = daysBetween(this.from, this.to);
    for (let i = 0; i <= days; i++) {
      const d = addDays(this.from, i);
      for (const [currency, byDay] of this.rates) out.push({ PartnerId: partnerId, RateDate: d, FromCurrency: 'USD', ToCurrency: currency, Rate: byDay.get(d)! });
    }
    return out;
  }
}
