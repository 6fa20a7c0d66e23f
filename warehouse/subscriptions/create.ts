import { randomUUID } from 'node:crypto';
import type { Caller } from '../../core/caller';
import { addDays } from '../../core/dates';
import { SMALL_BUSINESS_OFFER, boundedCount, boundedText } from '../../core/bounds';
import { badUserInput, notFound } from '../../core/errors';
import type { SqlRunner } from '../../core/sql';
import type { Warehouse } from '../db';
import { replaceExpectedCharges } from './charges';
import { TERM_MONTHS, TRIAL_DAYS, TRIAL_LICENSES, isIsvProduct, termEnd } from './lifecycle';
import {
  customerForSale,
  insertEvent,
  insertSubscription,
  resellerExists,
  subscriptionsToProduct,
  type CustomerFacts,
  type NewSubscription,
} from './mutations';
import { productsByOfferIds, type ProductRow } from './products';
import { subscriptionById, type SubscriptionRow } from './subscriptions';

/**
 * "Buy a subscription for a customer (or start a 30-day free trial)" (reference line 14458; trials
 * line 14634; rules in ./lifecycle.ts). One warehouse transaction: the customer and the offer as
 * the caller sees them (NOT_FOUND otherwise), the trial, quantity (seat bounds: core/bounds.ts),
 * billing frequency and reseller checks (BAD_USER_INPUT naming the argument), then the
 * subscription, its Purchase event dated `today` and its expected charges.
 */

export interface CreateSubscriptionValues {
  customerId: string;
  offerId: string;
  quantity: number;
  /** "Monthly", "Annual" or "None". */
  billingFrequency: string;
  autoRenew: boolean;
  /** Default: whether the offer is a trial offer. */
  isTrial?: boolean | null;
  /** Default: the customer's reseller; "-1" none. */
  resellerMpnId?: string | null;
  /** Default: the offer name. */
  friendlyName?: string | null;
}

export async function createSubscription(
  warehouse: Warehouse,
  caller: Caller,
  input: CreateSubscriptionValues,
  today: string,
): Promise<SubscriptionRow> {
  boundedCount(input.quantity, 'seatsPerSubscription', 'input.quantity');
  const friendlyName = input.friendlyName ? boundedText(input.friendlyName.trim(), 'friendlyName', 'input.friendlyName') : null;
  return warehouse.transaction(async (tx) => {
    const customer = await customerForSale(tx, caller, input.customerId);
    if (!customer) throw notFound('Customer', input.customerId);
    const [product] = await productsByOfferIds(tx, caller, [input.offerId]);
    if (!product) throw notFound('Product', input.offerId);

    const isTrial = trialOrPaid(product, input.isTrial);
    if (isTrial) await checkTrialAllowed(tx, caller, customer, product, input.quantity);
    checkSeatsOfOffer(product, input.quantity, 'input.quantity');
    checkBillingFrequency(product, input.billingFrequency);
    const resellerMpnId = await resellerOfNewSubscription(tx, caller, customer, input.resellerMpnId);

    const id = randomUUID();
    await insertSubscription(tx, caller, newSubscription(id, { ...input, friendlyName }, customer, product, { isTrial, resellerMpnId, today }));
    await insertEvent(tx, caller, {
      eventId: randomUUID(),
      subscriptionId: id,
      date: today,
      type: 'Purchase',
      quantityBefore: 0,
      quantityAfter: input.quantity,
      detail: isTrial ? `Trial offer: ${TRIAL_LICENSES} licenses for ${TRIAL_DAYS} days` : `Purchased ${input.quantity} licenses, billed ${input.billingFrequency}`,
      actor: actorOf(caller),
    });
    const created = await subscriptionById(tx, caller, id);
    if (!created) throw new Error(`subscription ${id} not found after insert`);
    await replaceExpectedCharges(tx, caller, created, product, today);
    return created;
  });
}

/** The seats of an offer: a small business offer has at most 300 (core/bounds.ts); others the general bound, checked before. */
export function checkSeatsOfOffer(product: ProductRow | null, quantity: number, argument: string): void {
  if (product && SMALL_BUSINESS_OFFER.test(product.name)) boundedCount(quantity, 'smallBusinessSeats', argument);
}

/** Who a subscription event is recorded as done by: the caller's subject, else "API". */
export function actorOf(caller: Caller): string {
  return caller.subject ?? 'API';
}

/** Whether the purchase is a trial: a trial offer is bought only as a trial, a paid offer never. */
function trialOrPaid(product: ProductRow, requested: boolean | null | undefined): boolean {
  const isTrial = requested ?? product.isTrialOffer;
  if (isTrial && !product.isTrialOffer) {
    throw badUserInput(`offer ${product.id} (${product.offerName}) has no free trial; trial offers are listed by products(filter: { isTrialOffer: true })`, 'input.isTrial');
  }
  if (!isTrial && product.isTrialOffer) {
    throw badUserInput(`offer ${product.id} (${product.offerName}) is a 30-day free trial offer; buy the paid offer instead, or set isTrial: true`, 'input.isTrial');
  }
  return isTrial;
}

/** A trial has 25 licenses, and a customer gets one per offer and none for an offer it owns. */
async function checkTrialAllowed(tx: SqlRunner, caller: Caller, customer: CustomerFacts, product: ProductRow, quantity: number): Promise<void> {
  if (quantity !== TRIAL_LICENSES) {
    throw badUserInput(`a free trial has ${TRIAL_LICENSES} licenses, which cannot be changed; got ${quantity}`, 'input.quantity', { trialLicenses: TRIAL_LICENSES });
  }
  const owned = await subscriptionsToProduct(tx, caller, customer.id, product.productId);
  if (owned.length) {
    throw badUserInput(
      `customer ${customer.id} already has ${owned.some((s) => s.isTrial || s.offerId === product.id) ? 'had a free trial of' : 'owns'} ${product.name}` +
        ` (subscription ${owned[0].id}); each customer gets one free trial per offer, and none for an offer it owns`,
      'input.offerId',
      { subscriptionIds: owned.map((s) => s.id) },
    );
  }
}

function checkBillingFrequency(product: ProductRow, billingFrequency: string): void {
  const allowed = frequenciesFor(product);
  if (!allowed.includes(billingFrequency)) {
    throw badUserInput(
      `billing frequency ${billingFrequency} is not available for ${product.billingType} offer ${product.offerName}; allowed: ${allowed.join(', ')}`,
      'input.billingFrequency',
      { allowed },
    );
  }
}

/** Billing frequencies an offer can be bought with. */
export function frequenciesFor(product: ProductRow): string[] {
  if (product.billingType === 'License') return ['Monthly', 'Annual'];
  if (product.billingType === 'Usage') return ['Monthly'];
  return isIsvProduct(product) ? ['Monthly', 'Annual'] : ['None'];
}

/** The reseller of record: the one requested (an indirect reseller of the partner), "-1" for none, else the customer's. */
async function resellerOfNewSubscription(
  tx: SqlRunner,
  caller: Caller,
  customer: CustomerFacts,
  requestedMpnId: string | null | undefined,
): Promise<string | null> {
  const requested = requestedMpnId?.trim();
  if (requested === '-1') return '-1';
  if (!requested) return customer.resellerMpnId?.trim() || null;
  if (!(await resellerExists(tx, caller, requested))) {
    throw badUserInput(`reseller ${requested} is not an indirect reseller of this partner`, 'input.resellerMpnId');
  }
  return requested;
}

/**
 * The new row: bought `today`; a 12-month term (a reservation's from its SKU) unless a trial or
 * usage-based; a trial is free for 30 days and never renews, nor does a usage-based subscription.
 */
function newSubscription(
  id: string,
  input: CreateSubscriptionValues,
  customer: CustomerFacts,
  product: ProductRow,
  { isTrial, resellerMpnId, today }: { isTrial: boolean; resellerMpnId: string | null; today: string },
): NewSubscription {
  const hasTerm = !isTrial && product.billingType !== 'Usage';
  return {
    id,
    friendlyName: input.friendlyName?.trim() || product.offerName,
    quantity: input.quantity,
    status: 'Active',
    resellerMpnId,
    customerId: customer.id,
    mpnId: customer.mpnId,
    offerId: product.id,
    billingType: product.billingType,
    billingFrequency: input.billingFrequency,
    unitPrice: isTrial ? '0' : product.listPriceAmount,
    currency: product.currency,
    createdDate: today,
    termStartDate: hasTerm ? today : null,
    termEndDate: hasTerm ? termEnd(today, termMonthsOf(product)) : null,
    autoRenew: isTrial || product.billingType === 'Usage' ? false : input.autoRenew,
    isTrial,
    trialStartDate: isTrial ? today : null,
    trialEndDate: isTrial ? addDays(today, TRIAL_DAYS) : null,
  };
}

/** Term of a new subscription: 12 months; a reservation's from its SKU name ("3 Years"). */
export function termMonthsOf(product: ProductRow): number {
  if (product.billingType !== 'OneTime' || isIsvProduct(product)) return TERM_MONTHS;
  const years = /(\d+)\s*years?/i.exec(`${product.skuName} ${product.name}`);
  return years ? Number(years[1]) * 12 : TERM_MONTHS;
}
