/**
 * The lines a new-commerce one-time and recurring reconciliation file should contain for one
 * subscription: the documented one-time scenarios (seed 001, lines 10382-10465: New, addQuantity,
 * removeQuantity) and the license-based SaaS scenarios (lines 10575-10640: free trial New at $0,
 * Renew to paid, Cancel, Convert, Cancel immediate). One order gives its lines; nothing is billed
 * between orders (a Renew is an order too), so the function needs no billing date.
 *
 * THE ROUNDING RULE (differs from the license-based file, as the documented tables do)
 *   - UnitPrice is the seat's full-period price, on refund lines too (the sign is in Amount).
 *   - A change on day D of a period bought on day P prorates the remaining
 *     days = periodDays - (D - P): 30 of 30 on the purchase day, 29 the day after.
 *   - The prorated price of ONE seat is rounded half-up to cents first, then multiplied by the
 *     seats: 4/30 × 29 = 3.8667 -> 3.87 and 2 seats = 7.74 as documented (7.73 if rounded once).
 *     This is the "seat-based subtotal = round(price) × quantity" rule of billing-facts.md.
 *   - A change refunds the old seats and charges the new seats at that prorated price; a cancel
 *     refunds the seats. The documented tables match to the cent (EXAMPLE_TOLERANCE still applies).
 *
 * Charge dates are the period (the doc prints the whole period on every line, refunds included).
 * The doc's one-time tables print 6/10-7/09 for a 6/11 purchase yet count 30 days on 6/11 and 29 on
 * 6/12, i.e. from the purchase date: so the printed period (history.firstPeriod) and the proration
 * base (the purchase date) are kept apart. With the default period [purchase, +1 month - 1] the
 * remaining days are simply D to the period end.
 */
import { ONE_TIME_CHARGE_TYPES } from '../../core/vocabulary';
import { addDays, addMonths, daysBetween, daysInclusive } from '../../core/dates';
import { type Money, ZERO, formatMoney, mulDiv, neg, parseMoney, times } from '../../core/money';
import type { ExpectedOneTimeLine, OneTimeChargeOptions, OneTimeEvent, OneTimeSubscriptionHistory } from './types';

type OneTimeChargeType = (typeof ONE_TIME_CHARGE_TYPES)[number];

interface State {
  periodStart: string;
  periodEnd: string;
  /** The day the current period was bought: proration counts elapsed days from it. */
  boughtOn: string;
  quantity: number;
  unitPrice: Money;
  sku?: string;
  description?: string;
}

export function expectedOneTimeCharges(history: OneTimeSubscriptionHistory, options: OneTimeChargeOptions = {}): ExpectedOneTimeLine[] {
  const id = history.subscriptionId;
  const termMonths = history.termMonths ?? 1;
  const [first, ...rest] = history.events;
  if (!first || first.type !== 'New') throw new Error(`${id}: the history must start with a New order`);

  const lines: ExpectedOneTimeLine[] = [];
  const push = (event: OneTimeEvent, s: State, chargeType: OneTimeChargeType, quantity: number, amount: Money, refund = false): void => {
    lines.push({
      subscriptionId: id,
      orderDate: event.date,
      chargeStartDate: s.periodStart,
      chargeEndDate: s.periodEnd,
      chargeType,
      unitPrice: formatMoney(s.unitPrice),
      quantity,
      amount: formatMoney(amount),
      currency: history.currency,
      ...(s.sku !== undefined ? { sku: s.sku } : {}),
      ...optional('subscriptionDescription', refund ? (event.refundDescription ?? s.description) : (event.description ?? s.description)),
      ...optional('eventId', event.eventId),
    });
  };

  let state: State = {
    periodStart: history.firstPeriod?.start ?? first.date,
    periodEnd: history.firstPeriod?.end ?? addDays(addMonths(first.date, termMonths), -1),
    boughtOn: first.date,
    quantity: requireQuantity(first, id),
    unitPrice: requirePrice(first, id),
    sku: first.sku,
    description: first.description,
  };
  push(first, state, 'New', state.quantity, times(state.unitPrice, state.quantity));

  let previous = first.date;
  for (const event of rest) {
    if (event.date < previous) throw new Error(`${id}: orders out of order at ${event.date}`);
    previous = event.date;
    if (options.through !== undefined && event.date > options.through) break;
    const seat = proratedSeatPrice(state, event.date);
    switch (event.type) {
      case 'New':
        throw new Error(`${id}: a second New order on ${event.date}`);
      case 'AddQuantity':
      case 'RemoveQuantity': {
        const type = event.type === 'AddQuantity' ? 'addQuantity' : 'removeQuantity';
        const quantity = requireQuantity(event, id);
        push(event, state, type, state.quantity, neg(times(seat, state.quantity)), true);
        state = { ...state, quantity, description: event.description ?? state.description };
        push(event, state, type, quantity, times(seat, quantity));
        break;
      }
      case 'Convert': {
        push(event, state, 'Convert', state.quantity, neg(times(seat, state.quantity)), true);
        state = { ...state, unitPrice: requirePrice(event, id), sku: event.sku, description: event.description ?? state.description };
        push(event, state, 'Convert', state.quantity, times(proratedSeatPrice(state, event.date), state.quantity));
        break;
      }
      case 'Cancel':
      case 'CancelImmediate': {
        const type = event.type === 'Cancel' ? 'Cancel' : 'Cancel immediate';
        push(event, state, type, state.quantity, neg(times(seat, state.quantity)), true);
        return lines; // nothing follows a cancellation
      }
      case 'Renew': {
        state = {
          periodStart: event.date,
          periodEnd: addDays(addMonths(event.date, termMonths), -1),
          boughtOn: event.date,
          quantity: event.quantity ?? state.quantity,
          unitPrice: event.unitPrice !== undefined ? parseMoney(event.unitPrice) : state.unitPrice,
          sku: event.sku ?? state.sku,
          description: event.description ?? state.description,
        };
        push(event, state, 'Renew', state.quantity, times(state.unitPrice, state.quantity));
        break;
      }
    }
  }
  return lines;
}

/** One seat's price for the rest of the period from `date`, rounded half-up to cents (see header). */
function proratedSeatPrice(s: State, date: string): Money {
  const periodDays = daysInclusive(s.periodStart, s.periodEnd);
  const elapsed = daysBetween(s.boughtOn, date);
  if (elapsed < 0) throw new Error(`order on ${date} before the period was bought (${s.boughtOn})`);
  const remaining = Math.max(0, periodDays - elapsed);
  return remaining === periodDays ? s.unitPrice : remaining === 0 ? ZERO : mulDiv(s.unitPrice, remaining, periodDays);
}

function requireQuantity(event: OneTimeEvent, id: string): number {
  const q = event.quantity;
  if (q === undefined || !Number.isInteger(q) || q < 0) throw new Error(`${id}: ${event.type} on ${event.date} needs a whole quantity`);
  return q;
}

function requirePrice(event: OneTimeEvent, id: string): Money {
  if (event.unitPrice === undefined) throw new Error(`${id}: ${event.type} on ${event.date} needs a unitPrice`);
  return parseMoney(event.unitPrice);
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value !== undefined ? { [key]: value } : {}) as { [P in K]?: string };
}
