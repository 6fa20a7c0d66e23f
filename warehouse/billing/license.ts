/**
 * The lines a license-based reconciliation file should contain for one subscription, following the
 * Partner Center documentation (reference seed 001, lines 10160-10382 and 10522-10575).
 *
 * THE ROUNDING RULE
 *   - A billing period is one month (monthly billing) or twelve (annual); its price per license is
 *     monthlyUnitPrice × months. The daily price is that price ÷ the days of the service period
 *     (anniversary to the day before the next one: 31 days for 1/13-2/12, 365 for 1/13/18-1/12/19).
 *   - A line for a whole period carries the period price unrounded.
 *   - A prorated line: UnitPrice = round(price × days ÷ periodDays) and
 *     Amount = round(price × days × quantity ÷ periodDays), each computed on the exact fraction and
 *     rounded ONCE, half-up (half away from zero) to cents. So Amount is not always
 *     UnitPrice × Quantity: the documented 15.62 × 2 = 31.25 is exactly this (15.6230... × 2 = 31.246).
 *   - A credit is the exact negative of what it reverses (or of the prorated remainder).
 *
 * THE TOLERANCE
 *   EXAMPLE_TOLERANCE = 0.01 per UnitPrice and per Amount. The documentation rounds the daily price
 *   differently from example to example:
 *     - the 211.20/year example uses the exact daily price: reproduced to the cent;
 *     - the monthly examples round it to 3 decimals (4/31 = 0.129, 4/28 = 0.143): our rule differs
 *       by at most 0.01 (suspend after 30 days: 12 × 4/28 = 1.714 -> 1.71, the doc's 12 × 0.143 =
 *       1.716 -> 1.72);
 *     - the $4 annual examples round it to 2 decimals (48/365 = 0.13): that is off by up to 1.04 a
 *       line (346 days × 2 licenses: 89.96 in the doc, 91.00 exact), which no sensible tolerance
 *       covers. Passing options.dailyPriceDecimals (3 or 2) reproduces those documented figures
 *       exactly; the tests do so and also pin what the exact rule gives.
 *
 * THE TIMING (what appears on which billing date)
 *   - Every line goes on the first billing date (history.billingDay, clamped to month end) on or
 *     after the day it is created.
 *   - A period's charge is created on its first day (purchase 1/13, billing day 15: the 1/15 file).
 *   - A quantity change is created on the next monthly anniversary after the change (the doc: "On
 *     your subscription anniversary, 3/11/17, the Microsoft billing system creates the following
 *     billing lines for the license increase on 2/12/17"). It credits the lines standing for the
 *     period ('Cycle instance prorate', negative) and rebills the same dates, split at each change,
 *     old quantity before and new after. When the change falls between an anniversary and the
 *     billing date that follows it (the documented "add license after anniversary date but before
 *     billing date"), the rebill is also split at the anniversary that processes it (2/12-3/10 and
 *     3/11-2/10/18); a change after the billing date is not (the doc's 2/1/2018-1/12/2019).
 *     The monthly period that starts on that anniversary is then charged as 'Cycle instance
 *     prorate', not 'Cycle fee', as the documented table shows.
 *   - Suspend and cancel credit the standing lines: 100% in month 1 of the 12-month term, from the
 *     suspend date to the period end in months 2-12 ('Cancel fee'; 'Prorate fees when cancel' for a
 *     cancellation, which the doc does not show). Unit prices are per license, quantity the licenses.
 *   - Reactivate charges 'Prorate fees when purchase' from the reactivation date to the period end.
 *   - Monthly billing charges 'Cycle fee' every month, renewal months included; annual billing
 *     charges 'Prorate fees when purchase' for the first 12 months and 'Renew fee' for each renewal.
 *     A suspended subscription gets no period charge.
 */
import { LICENSE_CHARGE_TYPES } from '../../core/vocabulary';
import { addDays, addMonths, daysInclusive, maxDate, monthsBetween, nextDayOfMonth } from '../../core/dates';
import { type Money, formatMoney, mulDiv, neg, parseMoney, roundHalfUp, times } from '../../core/money';
import type { ExpectedChargeLine, LicenseChargeOptions, LicenseEvent, LicenseSubscriptionHistory } from './types';

/** Tolerance, per UnitPrice and per Amount, between these rules and the documented examples. */
export const EXAMPLE_TOLERANCE = '0.01';

type LicenseChargeType = (typeof LICENSE_CHARGE_TYPES)[number];

/** A line currently standing for the current period: what a later change or suspension reverses. */
interface Standing {
  start: string;
  end: string;
  quantity: number;
  unitPrice: Money;
  amount: Money;
}

interface Period {
  start: string;
  end: string;
  days: number;
}

interface PendingChange {
  date: string;
  quantity: number;
  eventId?: string;
  /** Made between an anniversary and the billing date after it: split the rebill at the processing anniversary. */
  beforeBillingDate: boolean;
}

export function expectedLicenseCharges(history: LicenseSubscriptionHistory, options: LicenseChargeOptions): ExpectedChargeLine[] {
  return new LicenseRun(history, options).run();
}

class LicenseRun {
  private readonly lines: ExpectedChargeLine[] = [];
  private readonly monthsPerPeriod: number;
  private readonly periodPrice: Money;
  private readonly purchaseDate: string;
  private readonly renewEventIds = new Map<string, string | undefined>();
  /** Index of the last monthly anniversary reached (0 = the purchase date). */
  private month = 0;
  private period!: Period;
  private standing: Standing[] = [];
  private pending: PendingChange[] = [];
  /** Licenses the standing lines and the next period charge are billed for. */
  private quantity = 0;
  private status: 'active' | 'suspended' | 'cancelled' = 'active';

  constructor(
    private readonly history: LicenseSubscriptionHistory,
    private readonly options: LicenseChargeOptions,
  ) {
    const first = history.events[0];
    if (!first || first.type !== 'Purchase') throw new Error(`${history.subscriptionId}: the history must start with a Purchase`);
    this.purchaseDate = first.date;
    this.monthsPerPeriod = history.billingFrequency === 'Annual' ? 12 : 1;
    this.periodPrice = times(parseMoney(history.monthlyUnitPrice), this.monthsPerPeriod);
    for (const e of history.events) if (e.type === 'Renew') this.renewEventIds.set(this.checkRenewDate(e), e.eventId);
  }

  run(): ExpectedChargeLine[] {
    const { events } = this.history;
    const through = this.options.through;
    events.forEach((e, i) => {
      if (i > 0 && e.date < events[i - 1].date) throw new Error(`${this.history.subscriptionId}: events out of order at ${e.date}`);
    });
    this.purchase(events[0]);
    for (const event of events.slice(1)) {
      if (event.date > through) break; // nothing it creates can be on an invoice up to `through`
      while (this.status !== 'cancelled' && this.anniversary(this.month + 1) <= event.date) this.reachAnniversary(this.month + 1);
      this.apply(event);
    }
    while (this.status !== 'cancelled' && this.invoiceFor(this.anniversary(this.month + 1)) <= through) {
      this.reachAnniversary(this.month + 1);
    }
    return this.lines.filter((l) => l.invoiceDate <= through);
  }

  private apply(event: LicenseEvent): void {
    const id = this.history.subscriptionId;
    if (this.status === 'cancelled') throw new Error(`${id}: ${event.type} on ${event.date} after cancellation`);
    switch (event.type) {
      case 'Purchase':
        throw new Error(`${id}: a second Purchase on ${event.date}`);
      case 'QuantityChange':
        return this.changeQuantity(event);
      case 'Suspend':
        if (this.status !== 'active') throw new Error(`${id}: Suspend on ${event.date} while not active`);
        this.processPending(event.date, undefined);
        this.credit(event.date, 'Cancel fee', event.eventId);
        this.status = 'suspended';
        return;
      case 'Reactivate':
        if (this.status !== 'suspended') throw new Error(`${id}: Reactivate on ${event.date} while not suspended`);
        this.status = 'active';
        this.standing = [this.charge(event.date, this.period.end, this.quantity, 'Prorate fees when purchase', event.date, event.eventId)];
        return;
      case 'Cancel':
        if (this.status === 'active') {
          this.processPending(event.date, undefined);
          this.credit(event.date, 'Prorate fees when cancel', event.eventId);
        }
        this.status = 'cancelled';
        return;
      case 'Renew':
        return; // renewal is automatic; the event only lends its id to the renewal line
    }
  }

  private purchase(event: LicenseEvent): void {
    this.quantity = requireQuantity(event, this.history.subscriptionId);
    this.period = this.periodStartingAt(0);
    const type: LicenseChargeType = this.monthsPerPeriod === 12 ? 'Prorate fees when purchase' : 'Cycle fee';
    this.standing = [this.charge(this.period.start, this.period.end, this.quantity, type, event.date, event.eventId)];
  }

  private changeQuantity(event: LicenseEvent): void {
    const quantity = requireQuantity(event, this.history.subscriptionId);
    if (this.status === 'suspended') {
      this.quantity = quantity; // nothing is billed while suspended; reactivation bills the new count
      return;
    }
    const anniversary = this.anniversary(this.month);
    this.pending.push({
      date: event.date,
      quantity,
      eventId: event.eventId,
      beforeBillingDate: event.date < this.invoiceFor(anniversary),
    });
  }

  private reachAnniversary(month: number): void {
    const date = this.anniversary(month);
    const processedChanges = this.pending.length > 0;
    const splitAt = this.pending.some((c) => c.beforeBillingDate) ? date : undefined;
    this.processPending(date, splitAt);
    this.month = month;
    if (month % this.monthsPerPeriod !== 0) return;

    this.period = this.periodStartingAt(month / this.monthsPerPeriod);
    this.standing = [];
    if (this.status !== 'active') return;
    const type: LicenseChargeType =
      this.monthsPerPeriod === 12 ? 'Renew fee' : processedChanges ? 'Cycle instance prorate' : 'Cycle fee';
    const eventId = this.renewEventIds.get(date);
    this.standing = [this.charge(date, this.period.end, this.quantity, type, date, eventId)];
  }

  /** Credits the standing lines a pending change touches and rebills their dates, created on `createdOn`. */
  private processPending(createdOn: string, splitAt: string | undefined): void {
    if (this.pending.length === 0) return;
    const changes = this.pending;
    this.pending = [];
    const firstChange = changes[0].date;
    const kept: Standing[] = [];
    const rebilled: Standing[] = [];
    for (const line of this.standing) {
      if (line.end < firstChange) {
        kept.push(line);
        continue;
      }
      this.reverse(line, line.start, 'Cycle instance prorate', createdOn, changes[0].eventId);
      const cuts = [...changes.map((c) => c.date), ...(splitAt ? [splitAt] : [])]
        .filter((d) => d > line.start && d <= line.end)
        .sort();
      const starts = [line.start, ...new Set(cuts)];
      starts.forEach((start, i) => {
        const end = i + 1 < starts.length ? addDays(starts[i + 1], -1) : line.end;
        const inEffect = changes.filter((c) => c.date <= start).pop();
        const quantity = inEffect ? inEffect.quantity : line.quantity;
        const eventId = (inEffect ?? changes[0]).eventId;
        rebilled.push(this.charge(start, end, quantity, 'Cycle instance prorate', createdOn, eventId));
      });
    }
    this.standing = [...kept, ...rebilled];
    this.quantity = changes[changes.length - 1].quantity;
  }

  /** Suspension or cancellation on `date`: 100% back in month 1 of the term, the remainder after. */
  private credit(date: string, type: LicenseChargeType, eventId: string | undefined): void {
    const inMonthOne = this.month % 12 === 0;
    for (const line of this.standing) {
      if (inMonthOne) this.reverse(line, line.start, type, date, eventId);
      else if (line.end >= date) this.reverse(line, maxDate(line.start, date), type, date, eventId);
    }
    this.standing = [];
  }

  /** Writes the negative of `line` from `from` to its end (all of it when from is its start). */
  private reverse(line: Standing, from: string, type: LicenseChargeType, createdOn: string, eventId: string | undefined): void {
    const whole = from === line.start;
    const { unitPrice, amount } = whole ? line : this.prorate(from, line.end, line.quantity);
    this.push(from, line.end, type, neg(unitPrice), line.quantity, neg(amount), createdOn, eventId);
  }

  private charge(start: string, end: string, quantity: number, type: LicenseChargeType, createdOn: string, eventId: string | undefined): Standing {
    const { unitPrice, amount } = this.prorate(start, end, quantity);
    this.push(start, end, type, unitPrice, quantity, amount, createdOn, eventId);
    return { start, end, quantity, unitPrice, amount };
  }

  /** The rounding rule of the header comment, for the days start..end of the current period. */
  private prorate(start: string, end: string, quantity: number): { unitPrice: Money; amount: Money } {
    const days = daysInclusive(start, end);
    const periodDays = this.period.days;
    if (days === periodDays) return { unitPrice: this.periodPrice, amount: times(this.periodPrice, quantity) };
    const decimals = this.options.dailyPriceDecimals;
    if (decimals === undefined) {
      return {
        unitPrice: mulDiv(this.periodPrice, days, periodDays),
        amount: mulDiv(this.periodPrice, days * quantity, periodDays),
      };
    }
    const daily = mulDiv(this.periodPrice, 1, periodDays, decimals);
    return { unitPrice: roundHalfUp(times(daily, days)), amount: roundHalfUp(times(daily, days * quantity)) };
  }

  private push(start: string, end: string, chargeType: LicenseChargeType, unitPrice: Money, quantity: number, amount: Money, createdOn: string, eventId: string | undefined): void {
    this.lines.push({
      subscriptionId: this.history.subscriptionId,
      invoiceDate: this.invoiceFor(createdOn),
      chargeStartDate: start,
      chargeEndDate: end,
      chargeType,
      unitPrice: formatMoney(unitPrice),
      quantity,
      amount: formatMoney(amount),
      currency: this.history.currency,
      ...(eventId !== undefined ? { eventId } : {}),
    });
  }

  private periodStartingAt(index: number): Period {
    const start = this.anniversary(index * this.monthsPerPeriod);
    const end = addDays(this.anniversary((index + 1) * this.monthsPerPeriod), -1);
    return { start, end, days: daysInclusive(start, end) };
  }

  private anniversary(month: number): string {
    return addMonths(this.purchaseDate, month);
  }

  private invoiceFor(date: string): string {
    return nextDayOfMonth(date, this.history.billingDay);
  }

  private checkRenewDate(event: LicenseEvent): string {
    const months = monthsBetween(this.purchaseDate, event.date);
    if (months === undefined || months <= 0 || months % 12 !== 0) {
      throw new Error(`${this.history.subscriptionId}: Renew on ${event.date} is not the end of a 12-month term from ${this.purchaseDate}`);
    }
    return event.date;
  }
}

function requireQuantity(event: LicenseEvent, subscriptionId: string): number {
  const q = event.quantity;
  if (q === undefined || !Number.isInteger(q) || q < 0) throw new Error(`${subscriptionId}: ${event.type} on ${event.date} needs a whole quantity`);
  return q;
}
