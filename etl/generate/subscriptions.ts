import { catalogItem, listPrice, offerId, type CatalogItem } from './catalog';
import type { CsvRow } from './csv';
import { addDays, addMonths, daysBetween, maxDate } from '../../core/dates';
import type { Customer, Partner, Subscription, SubscriptionEvent, Timeline } from './model';
import { agents } from './partners';
import type { Rng } from './random';

/** Suspended subscriptions keep their data this many days; after that they are disabled. */
export const SUSPENSION_DAYS = 90;
/** Free trials last 30 days with 25 licenses. */
export const TRIAL_DAYS = 30;
export const TRIAL_LICENSES = 25;

interface Plan {
  item: CatalogItem;
  start: string;
  seats: number;
  trial: boolean;
  /** Dynamics deployments that grow every month (they cross the PCI large-deployment thresholds). */
  scaling: boolean;
}

const PRODUCTIVITY_SMALL = [['M365BB', 3], ['M365BS', 4], ['M365BP', 3]] as const;
const PRODUCTIVITY_LARGE = [['O365E1', 2], ['O365E3', 4], ['O365E5', 1], ['M365E3', 3], ['M365E5', 1.5]] as const;

const clampDate = (d: string, lo: string, hi: string) => (d < lo ? lo : d > hi ? hi : d);

function planFor(rng: Rng, customer: Customer, timeline: Timeline, developed: boolean): Plan[] {
  const plans: Plan[] = [];
  const earliest = addMonths(timeline.start, -30);
  const latest = timeline.asOf;
  const baseStart = clampDate(
    customer.createdDate >= earliest ? addDays(customer.createdDate, rng.int(0, 20)) : addDays(timeline.start, -rng.int(20, 900)),
    customer.createdDate > earliest ? customer.createdDate : earliest,
    latest,
  );
  const later = () => {
    const from = maxDate(baseStart, addMonths(timeline.start, -18));
    return from >= latest ? latest : addDays(from, rng.int(0, daysBetween(from, latest)));
  };
  const emp = customer.employees;
  const inWindow = (d: string) => d >= timeline.start;
  const productivity = catalogItem(rng.weighted<string>(emp < 300 ? PRODUCTIVITY_SMALL : PRODUCTIVITY_LARGE));
  const seats = Math.max(1, Math.round(emp * (0.6 + 0.4 * rng.next())));
  plans.push({ item: productivity, start: baseStart, seats, trial: inWindow(baseStart) && rng.chance(0.2), scaling: false });
  if (rng.chance(0.12)) {
    // Frontline or part-time staff on a cheaper plan beside the main one.
    const second = catalogItem(productivity.key === 'M365BB' || productivity.key === 'O365E1' ? 'M365BS' : rng.chance(0.5) ? 'O365E1' : 'M365BB');
    plans.push({ item: second, start: later(), seats: Math.max(1, Math.round(emp * (0.05 + 0.2 * rng.next()))), trial: false, scaling: false });
  }
  if (productivity.key.startsWith('O365') && rng.chance(0.4)) {
    plans.push({ item: catalogItem(rng.chance(0.7) ? 'EMSE3' : 'EMSE5'), start: later(), seats: Math.max(1, Math.round(seats * 0.8)), trial: false, scaling: false });
  }
  if (rng.chance(0.38)) {
    const start = later();
    plans.push({ item: catalogItem(rng.chance(0.8) ? 'PBIPRO' : 'PBIPPU'), start, seats: Math.max(1, Math.round(emp * (0.05 + 0.25 * rng.next()))), trial: inWindow(start) && rng.chance(0.3), scaling: false });
  }
  if (rng.chance(emp >= 20 ? 0.2 : 0.08)) {
    const scaling = emp >= 150 && rng.chance(0.35);
    const scaledStart = maxDate(baseStart, addDays(timeline.start, -rng.int(40, 200)));
    const first = catalogItem(rng.weighted<string>([['D365SALES', 5], ['D365SALESPRO', 2], ['D365CS', 3], ['D365FS', 1.5]]));
    const seatsCe = scaling ? (developed ? rng.int(150, 215) : rng.int(85, 130)) : Math.max(5, Math.round(emp * (0.05 + 0.15 * rng.next())));
    const start = scaling ? scaledStart : later();
    plans.push({ item: first, start, seats: seatsCe, trial: !scaling && inWindow(start) && first.trialKey !== undefined && rng.chance(0.35), scaling });
    if (rng.chance(0.35)) {
      const second = catalogItem(first.key === 'D365CS' ? 'D365FS' : 'D365CS');
      plans.push({ item: second, start: later(), seats: Math.max(5, Math.round(seatsCe * 0.4)), trial: false, scaling: false });
    }
  }
  if (emp >= 80 && rng.chance(0.12)) {
    const scaling = rng.chance(0.35);
    const start = scaling ? maxDate(baseStart, addDays(timeline.start, -rng.int(40, 200))) : later();
    const seatsFo = scaling ? (developed ? rng.int(60, 88) : rng.int(28, 42)) : Math.max(10, Math.round(emp * (0.03 + 0.1 * rng.next())));
    plans.push({ item: catalogItem('D365FIN'), start, seats: seatsFo, trial: false, scaling });
    if (rng.chance(0.5)) plans.push({ item: catalogItem('D365SCM'), start: later(), seats: Math.max(10, Math.round(seatsFo * 0.7)), trial: false, scaling: false });
  }
  if (rng.chance(0.4)) {
    const start = later();
    plans.push({ item: catalogItem('AZUREPLAN'), start, seats: 1, trial: false, scaling: false });
    if (rng.chance(0.2)) plans.push({ item: catalogItem(rng.chance(0.75) ? 'RI-D4SV5-1Y' : 'RI-E8SV5-3Y'), start: later(), seats: rng.int(1, 4), trial: false, scaling: false });
  }
  if (rng.chance(0.09)) {
    plans.push({ item: catalogItem(rng.chance(0.6) ? 'SAAS-BACKUP' : 'SAAS-PPM'), start: later(), seats: Math.max(1, Math.round(seats * (0.2 + 0.8 * rng.next()))), trial: false, scaling: false });
  }
  return plans;
}

/** Simulates one subscription from its purchase to the as-of date. */
function simulate(rng: Rng, partner: Partner, customer: Customer, plan: Plan, churnDate: string | undefined, timeline: Timeline): Subscription {
  const people = agents(partner);
  const actor = () => rng.pick(people).email;
  const { item } = plan;
  const events: SubscriptionEvent[] = [];
  const event = (e: Omit<SubscriptionEvent, 'eventId' | 'actor'> & { actor?: string }) =>
    events.push({ eventId: rng.guid(), actor: e.actor ?? actor(), ...e });
  const isLicense = item.billingType === 'License';
  const isAzure = item.billingType === 'Usage';
  const isReservation = item.termMonths !== undefined;
  const annualShare = item.family.startsWith('Dynamics') || customer.employees >= 300 ? 0.6 : 0.3;
  const sub: Subscription = {
    id: rng.guid(),
    customer,
    item,
    offer: item,
    friendlyName: rng.chance(0.1) && isLicense ? `${item.offerName} - ${rng.pick(['Sales team', 'HQ', 'Field staff', 'Finance', 'Project A'])}` : item.offerName,
    quantity: plan.seats,
    status: 'Active',
    billingFrequency: isLicense ? (rng.chance(annualShare) ? 'Annual' : 'Monthly') : isReservation ? 'None' : 'Monthly',
    unitPrice: listPrice(item, customer.currency),
    currency: customer.currency,
    createdDate: plan.start,
    autoRenew: isAzure ? false : isReservation ? rng.chance(0.6) : true,
    isTrial: false,
    resellerMpnId: customer.resellerMpnId,
    mpnId: customer.mpnId,
    events,
  };
  if (isAzure) {
    sub.entitlementId = rng.guid();
    sub.pec = rng.chance(0.75) ? 15 : 0;
    sub.azureSize = rng.logInt(5, 0.9, 1, 60);
    if (rng.chance(0.4)) sub.budgetAmount = rng.pick(['500.00', '1000.00', '2500.00', '5000.00', '10000.00', '25000.00']);
  }

  let paidStart = plan.start;
  let quantity = plan.seats;
  if (plan.trial && item.trialKey) {
    const trialOffer = catalogItem(item.trialKey);
    sub.trialStartDate = plan.start;
    sub.trialEndDate = addDays(plan.start, TRIAL_DAYS);
    event({ date: plan.start, type: 'Purchase', quantityBefore: 0, quantityAfter: TRIAL_LICENSES, detail: `Trial offer: ${TRIAL_LICENSES} licenses for ${TRIAL_DAYS} days` });
    const convertOn = addDays(plan.start, rng.int(6, TRIAL_DAYS));
    const converts = rng.chance(0.7) && convertOn <= timeline.asOf;
    if (!converts) {
      sub.offer = trialOffer;
      sub.isTrial = true;
      sub.quantity = TRIAL_LICENSES;
      sub.unitPrice = '0.00';
      sub.status = sub.trialEndDate! <= timeline.asOf ? 'Expired' : 'Active';
      sub.autoRenew = false;
      return sub;
    }
    event({ date: convertOn, type: 'TrialConversion', quantityBefore: TRIAL_LICENSES, quantityAfter: quantity, detail: 'Trial converted to paid subscription' });
    paidStart = convertOn;
  } else {
    event({ date: plan.start, type: 'Purchase', quantityBefore: 0, quantityAfter: quantity });
  }
  sub.termStartDate = paidStart;
  const termMonths = item.termMonths ?? 12;

  let state: 'active' | 'suspended' | 'canceled' | 'expired' = 'active';
  let suspendedOn = '';
  let termStart = paidStart;
  const inWindow = (d: string) => d >= timeline.start;
  for (let m = 1; ; m++) {
    const tick = addMonths(paidStart, m - 1);
    const next = addMonths(paidStart, m);
    if (tick > timeline.asOf) break;
    // Anniversary: renew (or, for a reservation without auto-renew, expire).
    if (!isAzure && m > 1 && (m - 1) % termMonths === 0 && state === 'active') {
      if (sub.autoRenew) {
        event({ date: tick, type: 'Renew', quantityBefore: quantity, quantityAfter: quantity, detail: `Renewed for ${termMonths} months`, actor: 'System' });
        termStart = tick;
      } else {
        state = 'expired';
        break;
      }
    }
    const span = daysBetween(tick, next);
    const day = addDays(tick, rng.int(1, Math.max(1, span - 1)));
    if (day > timeline.asOf) continue;
    if (state === 'active' && churnDate && churnDate >= tick && churnDate < next) {
      event({ date: churnDate, type: 'Cancel', quantityBefore: quantity, quantityAfter: 0, detail: 'Customer left' });
      state = 'canceled';
      sub.canceledDate = churnDate;
      break;
    }
    if (state === 'active') {
      const r = rng.next();
      const changeRate = isReservation || isAzure ? 0 : plan.scaling && inWindow(tick) ? 0.95 : 0.07;
      const suspendRate = isReservation || item.saas ? 0 : 0.006;
      const cancelRate = isReservation ? 0 : 0.004;
      if (r < changeRate) {
        const up = plan.scaling || rng.chance(0.68);
        const step = plan.scaling ? Math.max(1, Math.round(quantity * (0.04 + 0.05 * rng.next()))) : Math.max(1, Math.round(quantity * (0.02 + 0.15 * rng.next())));
        const after = up ? quantity + step : Math.max(1, quantity - step);
        if (after !== quantity) {
          event({ date: day, type: 'QuantityChange', quantityBefore: quantity, quantityAfter: after, detail: up ? 'Added licenses' : 'Removed licenses' });
          quantity = after;
        }
      } else if (r < changeRate + suspendRate) {
        event({ date: day, type: 'Suspend', detail: rng.pick(['Customer request', 'Nonpayment', 'Customer request', 'Project ended']) });
        state = 'suspended';
        suspendedOn = day;
      } else if (r < changeRate + suspendRate + cancelRate) {
        event({ date: day, type: 'Cancel', quantityBefore: quantity, quantityAfter: 0, detail: rng.pick(['Moved to another provider', 'No longer needed', 'Replaced by another offer']) });
        state = 'canceled';
        sub.canceledDate = day;
        break;
      }
    } else if (state === 'suspended' && daysBetween(suspendedOn, day) <= SUSPENSION_DAYS && rng.chance(0.3)) {
      event({ date: day, type: 'Reactivate', detail: 'Customer request' });
      state = 'active';
      suspendedOn = '';
    }
  }
  sub.quantity = quantity;
  if (!isAzure) {
    sub.termStartDate = termStart;
    sub.termEndDate = addDays(addMonths(termStart, termMonths), -1);
  }
  if (state === 'suspended') {
    sub.suspendedDate = suspendedOn;
    sub.status = daysBetween(suspendedOn, timeline.asOf) > SUSPENSION_DAYS ? 'Disabled' : 'Suspended';
  } else if (state === 'canceled') {
    sub.status = 'Deprovisioned';
  } else if (state === 'expired') {
    sub.status = 'Expired';
  } else if (isAzure && rng.chance(0.03)) {
    sub.status = 'InGracePeriod';
  }
  // Some customers turn auto-renew off a few weeks before the term ends.
  const last = events[events.length - 1].date;
  if (state === 'active' && !isAzure && sub.autoRenew && sub.termEndDate && daysBetween(timeline.asOf, sub.termEndDate) < 90 && rng.chance(0.2)) {
    const date = addDays(timeline.asOf, -rng.int(1, 30));
    if (date > last) {
      event({ date, type: 'AutoRenewChange', detail: 'Auto-renew turned off' });
      sub.autoRenew = false;
    }
  }
  return sub;
}

export function buildSubscriptions(rng: Rng, partner: Partner, customers: Customer[], timeline: Timeline): Subscription[] {
  const subs: Subscription[] = [];
  const developedMpn = new Set(partner.locations.filter((l) => l.market === 'Developed').map((l) => l.mpnId));
  for (const customer of customers) {
    const r = rng.fork(`customer:${customer.id}`);
    const plans = planFor(r, customer, timeline, developedMpn.has(customer.mpnId));
    // About one customer in fifteen leaves during the history.
    const churnDate =
      customer.createdDate < addDays(timeline.asOf, -90) && r.chance(0.07)
        ? addDays(maxDate(timeline.start, addDays(customer.createdDate, 60)), r.int(0, Math.max(0, daysBetween(maxDate(timeline.start, addDays(customer.createdDate, 60)), timeline.asOf))))
        : undefined;
    for (const plan of plans) {
      if (plan.start > timeline.asOf) continue;
      subs.push(simulate(r, partner, customer, plan, churnDate && churnDate > plan.start ? churnDate : undefined, timeline));
    }
  }
  return subs;
}

export function subscriptionRows(partner: Partner, subs: Subscription[]): CsvRow[] {
  return subs.map((s) => ({
    PartnerId: partner.id,
    'Subscription ID': s.id,
    Subscription: s.friendlyName,
    Quantity: s.quantity,
    Status: s.status,
    Reseller: s.resellerMpnId,
    CustomerId: s.customer.id,
    MpnId: s.mpnId,
    OfferId: offerId(s.offer),
    BillingType: s.item.billingType,
    BillingFrequency: s.billingFrequency,
    UnitPrice: s.unitPrice,
    Currency: s.currency,
    CreatedDate: s.createdDate,
    TermStartDate: s.termStartDate,
    TermEndDate: s.termEndDate,
    AutoRenew: s.item.billingType === 'Usage' ? null : s.autoRenew,
    IsTrial: s.isTrial,
    TrialStartDate: s.trialStartDate,
    TrialEndDate: s.trialEndDate,
    SuspendedDate: s.suspendedDate,
    CanceledDate: s.canceledDate,
    BudgetAmount: s.budgetAmount,
  }));
}

export function eventRows(partner: Partner, subs: Subscription[]): CsvRow[] {
  const rows: CsvRow[] = [];
  for (const s of subs) {
    for (const e of s.events) {
      rows.push({
        PartnerId: partner.id,
        EventId: e.eventId,
        SubscriptionId: s.id,
        EventDate: e.date,
        EventType: e.type,
        QuantityBefore: e.quantityBefore,
        QuantityAfter: e.quantityAfter,
        Detail: e.detail,
        Actor: e.actor,
      });
    }
  }
  return rows;
}

/** Seats a subscription had at the end of a day, from its events (0 when not active). */
export function seatsOn(sub: Subscription, date: string): number {
  let seats = 0;
  let active = false;
  for (const e of sub.events) {
    if (e.date > date) break;
    if (e.type === 'Purchase' || e.type === 'TrialConversion' || e.type === 'QuantityChange') {
      seats = e.quantityAfter ?? seats;
      active = true;
    } else if (e.type === 'Suspend' || e.type === 'Cancel') active = false;
    else if (e.type === 'Reactivate') active = true;
  }
  if (sub.isTrial && sub.trialEndDate && date >= sub.trialEndDate) return 0;
  return active ? seats : 0;
}
