import { randomUUID } from 'node:crypto';
import type { Caller } from '../../core/caller';
import { boundedCount } from '../../core/bounds';
import { DomainError, ErrorCode, badUserInput, invalidState, notFound } from '../../core/errors';
import type { SqlRunner } from '../../core/sql';
import type { Warehouse } from '../db';
import { billingDayOf, replaceExpectedCharges } from './charges';
import { actorOf, checkSeatsOfOffer } from './create';
import {
  ALLOWED_STATES,
  TRIAL_LICENSES,
  cancellationPolicy,
  isAllowed,
  isIsvProduct,
  suspensionExpiryDate,
  withinIsvWindow,
  type LifecycleAction,
} from './lifecycle';
import { insertEvent, resellerExists, updateSubscription, type NewEvent, type SubscriptionChanges } from './mutations';
import { productsByOfferIds, type ProductRow } from './products';
import { hasKnownTerms, partnerBillingDay, resellerOfRecord, subscriptionById, type SubscriptionRow, type SubscriptionWithTerms } from './subscriptions';

/**
 * The lifecycle mutations of "Create, suspend, or cancel customer subscriptions" (reference line
 * 14458; rules in ./lifecycle.ts). Each is one warehouse transaction (changeInState below):
 *   - sees only subscriptions of the caller's partner and locations: any other id is NOT_FOUND and
 *     is never changed;
 *   - answers INVALID_STATE naming the current state and the allowed ones, BAD_USER_INPUT naming
 *     the argument;
 *   - updates the subscription, adds a subscription_events row dated `today`, recomputes its
 *     expected charge lines from the whole history and replaces them; returns the subscription.
 * Setting a value the subscription already has (auto-renew, reseller, quantity) changes nothing
 * and writes no event.
 */

/** Change the number of licenses (Active subscriptions; not trials, not usage-based). */
export async function changeSubscriptionQuantity(
  warehouse: Warehouse,
  caller: Caller,
  input: { id: string; quantity: number },
  today: string,
): Promise<SubscriptionRow> {
  const { id, quantity } = input;
  boundedCount(quantity, 'seatsPerSubscription', 'quantity');
  return changeInState(warehouse, caller, id, 'changeQuantity', 'change the quantity of', today, async ({ row, product }) => {
    if (row.isTrial) {
      throw badUserInput(`subscription ${row.id} is a free trial: its ${TRIAL_LICENSES} licenses cannot be changed; convert it to a paid subscription first`, 'id');
    }
    if (row.billingType === 'Usage') throw badUserInput(`subscription ${row.id} is usage-based: it has no licenses to change`, 'id');
    if (quantity === row.quantity) return null;
    checkSeatsOfOffer(product, quantity, 'quantity');
    return {
      changes: { quantity },
      event: { type: 'QuantityChange', quantityBefore: row.quantity, quantityAfter: quantity, detail: quantity > row.quantity ? 'Added licenses' : 'Removed licenses' },
    };
  });
}

/** Active -> Suspended; a one-time purchase cannot be suspended. */
export function suspendSubscription(warehouse: Warehouse, caller: Caller, input: { id: string }, today: string): Promise<SubscriptionRow> {
  return changeInState(warehouse, caller, input.id, 'suspend', 'suspend', today, async ({ row }) => {
    if (row.billingType === 'OneTime') {
      throw badUserInput(`subscription ${row.id} is a one-time purchase (reservation or ISV SaaS): it cannot be suspended; an ISV SaaS subscription can be cancelled within its cancellation window`, 'id');
    }
    return {
      changes: { status: 'Suspended', suspendedDate: today },
      event: { type: 'Suspend', quantityBefore: row.quantity, quantityAfter: row.quantity, detail: 'Suspended' },
    };
  });
}

/** Suspended -> Active, through the last day of the suspension (after it the data is deleted). */
export function reactivateSubscription(warehouse: Warehouse, caller: Caller, input: { id: string }, today: string): Promise<SubscriptionRow> {
  return changeInState(warehouse, caller, input.id, 'reactivate', 'reactivate', today, async ({ tx, row }) => {
    await checkSuspensionNotExpired(tx, caller, row, today);
    return {
      changes: { status: 'Active', suspendedDate: null },
      event: { type: 'Reactivate', quantityBefore: row.quantity, quantityAfter: row.quantity, detail: 'Reactivated' },
    };
  });
}

/**
 * Cancel: license-based any time in the term; ISV SaaS only within its cancellation window;
 * usage-based de-provisioned without refund; anything else refused.
 */
export function cancelSubscription(warehouse: Warehouse, caller: Caller, input: { id: string }, today: string): Promise<SubscriptionRow> {
  return changeInState(warehouse, caller, input.id, 'cancel', 'cancel', today, async ({ row, product }) => ({
    changes: { status: 'Deprovisioned', canceledDate: today, autoRenew: false },
    event: { type: 'Cancel', quantityBefore: row.quantity, quantityAfter: 0, detail: cancellationDetail(row, product, today) },
  }));
}

/** Turn automatic renewal on or off (Active subscriptions; not trials, not usage-based). */
export function setSubscriptionAutoRenew(
  warehouse: Warehouse,
  caller: Caller,
  input: { id: string; autoRenew: boolean },
  today: string,
): Promise<SubscriptionRow> {
  const { autoRenew } = input;
  return changeInState(warehouse, caller, input.id, 'setAutoRenew', 'change auto-renew of', today, async ({ row }) => {
    if (row.isTrial) throw badUserInput(`subscription ${row.id} is a free trial: trials never renew; convert it to a paid subscription`, 'id');
    if (row.billingType === 'Usage') throw badUserInput(`subscription ${row.id} is usage-based: it has no term to renew`, 'id');
    if (row.autoRenew === autoRenew) return null;
    return {
      changes: { autoRenew },
      event: { type: 'AutoRenewChange', detail: autoRenew ? 'Auto-renew turned on' : 'Auto-renew turned off' },
    };
  });
}

/** Set the reseller of record (an indirect reseller of the partner); null or "-1" removes it, stored as -1. */
export function setSubscriptionResellerMpnId(
  warehouse: Warehouse,
  caller: Caller,
  input: { id: string; resellerMpnId: string | null },
  today: string,
): Promise<SubscriptionRow> {
  const requested = input.resellerMpnId?.trim() || null;
  return changeInState(warehouse, caller, input.id, 'setResellerMpnId', 'change the reseller of', today, async ({ tx, row }) => {
    const current = resellerOfRecord(row);
    if (requested === null || requested === '-1') {
      if (current === null) return null;
      return {
        changes: { resellerMpnId: '-1' },
        event: { type: 'ResellerChange', detail: `Reseller MPN ID ${current} removed (-1)` },
      };
    }
    if (requested === current) return null;
    if (!(await resellerExists(tx, caller, requested))) {
      throw badUserInput(`reseller ${requested} is not an indirect reseller of this partner`, 'resellerMpnId');
    }
    return {
      changes: { resellerMpnId: requested },
      event: { type: 'ResellerChange', detail: `Reseller MPN ID changed from ${current ?? 'none'} to ${requested}` },
    };
  });
}

// ---------------------------------------------------------------------------------------------

/** What a lifecycle mutation changes, and the event that records it. */
interface Change {
  changes: SubscriptionChanges;
  event: Pick<NewEvent, 'type' | 'quantityBefore' | 'quantityAfter' | 'detail'>;
}

/** Decides the change from the subscription as it is (throwing what forbids it); null: nothing to do. */
type Decide = (facts: { tx: SqlRunner; row: SubscriptionWithTerms; product: ProductRow | null }) => Promise<Change | null>;

/**
 * One lifecycle mutation in one transaction: load the caller's subscription (NOT_FOUND otherwise),
 * check the state, let `decide` check the rest and say what changes (null: nothing to do), then
 * update, add the event, recompute the expected charges, and return the subscription as it is now.
 */
function changeInState(
  warehouse: Warehouse,
  caller: Caller,
  id: string,
  action: LifecycleAction,
  verb: string,
  today: string,
  decide: Decide,
): Promise<SubscriptionRow> {
  return warehouse.transaction(async (tx) => {
    const row = await subscriptionById(tx, caller, id);
    if (!row) throw notFound('CustomerSubscription', id);
    if (!isAllowed(action, row.status)) throw invalidState('subscription', verb, row.status, ALLOWED_STATES[action]);
    if (!hasKnownTerms(row)) throw termsUnknown(row, verb);
    const [product] = await productsByOfferIds(tx, caller, [row.offerId]);
    const change = await decide({ tx, row, product: product ?? null });
    if (!change) return row;
    await updateSubscription(tx, caller, id, change.changes);
    await insertEvent(tx, caller, { eventId: randomUUID(), subscriptionId: id, date: today, actor: actorOf(caller), ...change.event });
    const updated = await subscriptionById(tx, caller, id);
    if (!updated) throw new Error(`subscription ${id} not found after update`);
    await replaceExpectedCharges(tx, caller, updated, product ?? null, today);
    return updated;
  });
}

/** The rules need the creation date and billing type, which Partner Center's subscriptions export does not carry. */
function termsUnknown(row: SubscriptionRow, verb: string): DomainError {
  const missing = [row.createdDate === null ? 'creation date' : null, row.billingType === null ? 'billing type' : null].filter(Boolean).join(' and ');
  return new DomainError(
    ErrorCode.INVALID_STATE,
    `cannot ${verb} subscription ${row.id}: its ${missing} are unknown (it was loaded from Partner Center's subscriptions export, ` +
      `which does not carry them); load a subscriptions or reconciliation file that does, then try again`,
    { action: verb, missing: missing.split(' and ') },
  );
}

/** Past its suspension expiry a subscription's data is deleted: INVALID_STATE "Disabled". */
async function checkSuspensionNotExpired(tx: SqlRunner, caller: Caller, row: SubscriptionWithTerms, today: string): Promise<void> {
  const suspended = row.suspendedDate ?? today;
  const expiry = suspensionExpiryDate(row.createdDate, suspended, billingDayOf(await partnerBillingDay(tx, caller), row));
  if (today <= expiry) return;
  throw new DomainError(
    ErrorCode.INVALID_STATE,
    `cannot reactivate subscription: it was suspended on ${suspended} and could be reactivated through ${expiry} ` +
      `(90 days, plus the days from its creation to the first billing date, at most 120); today is ${today}: its data is deleted ` +
      `and it is Disabled; buy a new subscription`,
    {
      action: 'reactivate',
      currentState: 'Disabled',
      allowedStates: [...ALLOWED_STATES.reactivate],
      suspendedDate: suspended,
      suspensionExpiryDate: expiry,
      today,
    },
  );
}

/** The event detail of a cancellation allowed by the policy; BAD_USER_INPUT or INVALID_STATE when it is not. */
function cancellationDetail(row: SubscriptionWithTerms, product: ProductRow | null, today: string): string {
  const policy = cancellationPolicy({
    billingType: row.billingType,
    billingFrequency: row.billingFrequency,
    createdDate: row.createdDate,
    isv: isIsvProduct(product),
  });
  switch (policy.kind) {
    case 'none':
      throw badUserInput(`subscription ${row.id} cannot be cancelled: ${policy.reason}`, 'id', { billingType: row.billingType });
    case 'isv':
      if (!withinIsvWindow(policy, today)) {
        throw new DomainError(
          ErrorCode.INVALID_STATE,
          `cannot cancel subscription: an ISV subscription billed ${policy.billingFrequency.toLowerCase()} can be cancelled only within ` +
            `${policy.window} of its order (ordered ${policy.orderDate}, last day ${policy.lastDay}); today is ${today}. ` +
            `Turn auto-renew off (setSubscriptionAutoRenew) to end it at renewal${row.termEndDate ? ` (${row.termEndDate})` : ''}`,
          {
            action: 'cancel',
            currentState: row.status,
            allowedStates: [...ALLOWED_STATES.cancel],
            cancellationWindow: { length: policy.window, orderDate: policy.orderDate, lastDay: policy.lastDay },
            today,
          },
        );
      }
      return `Cancelled within the ${policy.window} cancellation window: full credit`;
    case 'usage':
      return 'De-provisioned (usage-based: no refund)';
    case 'license':
      return 'Cancelled during the license term';
  }
}
