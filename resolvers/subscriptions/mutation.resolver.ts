import { randomUUID } from 'node:crypto';
import { GraphQLError } from 'graphql';
import { Arg, Ctx, ID, Int, Mutation, Resolver } from 'type-graphql';
import { ErrorCode, badUserInput, invalidState, notFound } from '../../core/errors';
import { assertPermission } from '../../core/permissions';
import { CreateSubscriptionInput, Subscription } from '../../schema/subscriptions/subscription';
import { addDays } from '../../core/dates';
import type { SqlRunner } from '../../core/sql';
import { billingDayOf, replaceExpectedCharges } from '../../warehouse/subscriptions/charges';
import { today } from '../../warehouse/clock';
import {
  ALLOWED_STATES,
  TERM_MONTHS,
  TRIAL_DAYS,
  TRIAL_LICENSES,
  cancellationPolicy,
  isAllowed,
  isIsvProduct,
  suspensionExpiryDate,
  termEnd,
  withinIsvWindow,
  type LifecycleAction,
} from '../../warehouse/subscriptions/lifecycle';
import {
  customerForSale,
  insertEvent,
  insertSubscription,
  resellerExists,
  subscriptionsToProduct,
  updateSubscription,
  type NewEvent,
  type SubscriptionChanges,
} from '../../warehouse/subscriptions/mutations';
import { productsByOfferIds, type ProductRow } from '../../warehouse/subscriptions/products';
import { partnerBillingDay, resellerOfRecord, subscriptionById, type SubscriptionRow } from '../../warehouse/subscriptions/subscriptions';
import type { RequestContext } from '../common/context';

/**
 * The subscription lifecycle of "Create, suspend, or cancel customer subscriptions" (reference line
 * 14458; rules in warehouse/subscriptions/lifecycle.ts). Every mutation:
 *   - needs manageSubscriptions (the page's "Appropriate roles": Admin agent, Billing admin,
 *     Global admin, Helpdesk agent, Sales agent); others get FORBIDDEN naming the roles;
 *   - sees only subscriptions of the caller's partner and locations: any other id is NOT_FOUND and
 *     is never changed;
 *   - runs in ONE warehouse transaction: update the subscription, add a subscription_events row
 *     (dated today: PI_TODAY or the UTC date), recompute its expected charge lines from the whole
 *     history with the billing rules and replace them in expected_charges;
 *   - answers INVALID_STATE naming the current state and the allowed ones, BAD_USER_INPUT naming
 *     the argument, and returns the updated subscription.
 * Setting a value the subscription already has (auto-renew, reseller, quantity) changes nothing
 * and writes no event.
 */
@Resolver(() => Subscription)
export class SubscriptionMutationResolver {
  @Mutation(() => Subscription, { nullable: true, description: 'Buy a subscription for a customer (or start a 30-day free trial)' })
  async createSubscription(
    @Arg('input', () => CreateSubscriptionInput) input: CreateSubscriptionInput,
    @Ctx() ctx: RequestContext,
  ): Promise<Subscription> {
    assertPermission(ctx.caller, 'manageSubscriptions', 'Mutation.createSubscription');
    requireQuantity(input.quantity, 'input.quantity');
    const now = today();
    const { caller } = ctx;
    const row = await ctx.warehouse.transaction(async (tx) => {
      const customer = await customerForSale(tx, caller, input.customerId);
      if (!customer) throw notFound('Customer', input.customerId);
      const [product] = await productsByOfferIds(tx, caller, [input.offerId]);
      if (!product) throw notFound('Product', input.offerId);

      const isTrial = input.isTrial ?? product.isTrialOffer;
      if (isTrial && !product.isTrialOffer) {
        throw badUserInput(`offer ${product.id} (${product.offerName}) has no free trial; trial offers are listed by products(filter: { isTrialOffer: true })`, 'input.isTrial');
      }
      if (!isTrial && product.isTrialOffer) {
        throw badUserInput(`offer ${product.id} (${product.offerName}) is a 30-day free trial offer; buy the paid offer instead, or set isTrial: true`, 'input.isTrial');
      }
      if (isTrial) {
        if (input.quantity !== TRIAL_LICENSES) {
          throw badUserInput(`a free trial has ${TRIAL_LICENSES} licenses, which cannot be changed; got ${input.quantity}`, 'input.quantity', { trialLicenses: TRIAL_LICENSES });
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
      const allowedFrequencies = frequenciesFor(product);
      if (!allowedFrequencies.includes(input.billingFrequency)) {
        throw badUserInput(
          `billing frequency ${input.billingFrequency} is not available for ${product.billingType} offer ${product.offerName}; allowed: ${allowedFrequencies.join(', ')}`,
          'input.billingFrequency',
          { allowed: allowedFrequencies },
        );
      }
      let resellerMpnId = customer.resellerMpnId?.trim() || null;
      const requested = input.resellerMpnId?.trim();
      if (requested && requested !== '-1') {
        if (!(await resellerExists(tx, caller, requested))) {
          throw badUserInput(`reseller ${requested} is not an indirect reseller of this partner`, 'input.resellerMpnId');
        }
        resellerMpnId = requested;
      } else if (requested === '-1') {
        resellerMpnId = '-1';
      }

      const hasTerm = !isTrial && product.billingType !== 'Usage';
      const id = randomUUID();
      await insertSubscription(tx, caller, {
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
        createdDate: now,
        termStartDate: hasTerm ? now : null,
        termEndDate: hasTerm ? termEnd(now, termMonthsOf(product)) : null,
        autoRenew: isTrial || product.billingType === 'Usage' ? false : input.autoRenew,
        isTrial,
        trialStartDate: isTrial ? now : null,
        trialEndDate: isTrial ? addDays(now, TRIAL_DAYS) : null,
      });
      await insertEvent(tx, caller, {
        eventId: randomUUID(),
        subscriptionId: id,
        date: now,
        type: 'Purchase',
        quantityBefore: 0,
        quantityAfter: input.quantity,
        detail: isTrial ? `Trial offer: ${TRIAL_LICENSES} licenses for ${TRIAL_DAYS} days` : `Purchased ${input.quantity} licenses, billed ${input.billingFrequency}`,
        actor: actorOf(ctx),
      });
      const created = await subscriptionById(tx, caller, id);
      if (!created) throw new Error(`subscription ${id} not found after insert`);
      await replaceExpectedCharges(tx, caller, created, product, now);
      return created;
    });
    ctx.loaders.clear();
    return row as Subscription;
  }

  @Mutation(() => Subscription, { nullable: true, description: 'Change the number of licenses (Active subscriptions; not trials)' })
  async changeSubscriptionQuantity(
    @Arg('id', () => ID) id: string,
    @Arg('quantity', () => Int) quantity: number,
    @Ctx() ctx: RequestContext,
  ): Promise<Subscription> {
    assertPermission(ctx.caller, 'manageSubscriptions', 'Mutation.changeSubscriptionQuantity');
    requireQuantity(quantity, 'quantity');
    return lifecycle(ctx, id, 'changeQuantity', 'change the quantity of', async ({ row }) => {
      if (row.isTrial) {
        throw badUserInput(`subscription ${row.id} is a free trial: its ${TRIAL_LICENSES} licenses cannot be changed; convert it to a paid subscription first`, 'id');
      }
      if (row.billingType === 'Usage') throw badUserInput(`subscription ${row.id} is usage-based: it has no licenses to change`, 'id');
      if (quantity === row.quantity) return null;
      return {
        changes: { quantity },
        event: { type: 'QuantityChange', quantityBefore: row.quantity, quantityAfter: quantity, detail: quantity > row.quantity ? 'Added licenses' : 'Removed licenses' },
      };
    });
  }

  @Mutation(() => Subscription, { nullable: true, description: 'Suspend (Active -> Suspended): users lose access; reactivate within 90 days (up to 120) or the data is deleted' })
  async suspendSubscription(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Subscription> {
    assertPermission(ctx.caller, 'manageSubscriptions', 'Mutation.suspendSubscription');
    return lifecycle(ctx, id, 'suspend', 'suspend', async ({ row, now }) => {
      if (row.billingType === 'OneTime') {
        throw badUserInput(`subscription ${row.id} is a one-time purchase (reservation or ISV SaaS): it cannot be suspended; an ISV SaaS subscription can be cancelled within its cancellation window`, 'id');
      }
      return {
        changes: { status: 'Suspended', suspendedDate: now },
        event: { type: 'Suspend', quantityBefore: row.quantity, quantityAfter: row.quantity, detail: 'Suspended' },
      };
    });
  }

  @Mutation(() => Subscription, { nullable: true, description: 'Reactivate a suspended subscription (Suspended -> Active) before its suspension expires' })
  async reactivateSubscription(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Subscription> {
    assertPermission(ctx.caller, 'manageSubscriptions', 'Mutation.reactivateSubscription');
    return lifecycle(ctx, id, 'reactivate', 'reactivate', async ({ tx, row, now }) => {
      const suspended = row.suspendedDate ?? now;
      const expiry = suspensionExpiryDate(row.createdDate, suspended, billingDayOf(await partnerBillingDay(tx, ctx.caller), row));
      if (now > expiry) {
        throw new GraphQLError(
          `cannot reactivate subscription: it was suspended on ${suspended} and could be reactivated through ${expiry} ` +
            `(90 days, plus the days from its creation to the first billing date, at most 120); today is ${now}: its data is deleted ` +
            `and it is Disabled; buy a new subscription`,
          {
            extensions: {
              code: ErrorCode.INVALID_STATE,
              action: 'reactivate',
              currentState: 'Disabled',
              allowedStates: [...ALLOWED_STATES.reactivate],
              suspendedDate: suspended,
              suspensionExpiryDate: expiry,
              today: now,
            },
          },
        );
      }
      return {
        changes: { status: 'Active', suspendedDate: null },
        event: { type: 'Reactivate', quantityBefore: row.quantity, quantityAfter: row.quantity, detail: 'Reactivated' },
      };
    });
  }

  @Mutation(() => Subscription, {
    nullable: true,
    description:
      'Cancel: license-based any time in the term (credit 100% in month 1, prorated after); ISV SaaS within 24 hours (monthly) or 14 days (annual) of the order, full credit; usage-based de-provisioned, no refund',
  })
  async cancelSubscription(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Subscription> {
    assertPermission(ctx.caller, 'manageSubscriptions', 'Mutation.cancelSubscription');
    return lifecycle(ctx, id, 'cancel', 'cancel', async ({ row, product, now }) => {
      const policy = cancellationPolicy({
        billingType: row.billingType,
        billingFrequency: row.billingFrequency,
        createdDate: row.createdDate,
        isv: isIsvProduct(product),
      });
      let detail: string;
      switch (policy.kind) {
        case 'none':
          throw badUserInput(`subscription ${row.id} cannot be cancelled: ${policy.reason}`, 'id', { billingType: row.billingType });
        case 'isv':
          if (!withinIsvWindow(policy, now)) {
            throw new GraphQLError(
              `cannot cancel subscription: an ISV subscription billed ${policy.billingFrequency.toLowerCase()} can be cancelled only within ` +
                `${policy.window} of its order (ordered ${policy.orderDate}, last day ${policy.lastDay}); today is ${now}. ` +
                `Turn auto-renew off (setSubscriptionAutoRenew) to end it at renewal${row.termEndDate ? ` (${row.termEndDate})` : ''}`,
              {
                extensions: {
                  code: ErrorCode.INVALID_STATE,
                  action: 'cancel',
                  currentState: row.status,
                  allowedStates: [...ALLOWED_STATES.cancel],
                  cancellationWindow: { length: policy.window, orderDate: policy.orderDate, lastDay: policy.lastDay },
                  today: now,
                },
              },
            );
          }
          detail = `Cancelled within the ${policy.window} cancellation window: full credit`;
          break;
        case 'usage':
          detail = 'De-provisioned (usage-based: no refund)';
          break;
        case 'license':
          detail = 'Cancelled during the license term';
          break;
      }
      return {
        changes: { status: 'Deprovisioned', canceledDate: now, autoRenew: false },
        event: { type: 'Cancel', quantityBefore: row.quantity, quantityAfter: 0, detail },
      };
    });
  }

  @Mutation(() => Subscription, { nullable: true, description: 'Turn automatic renewal at the end of the term on or off (Active subscriptions)' })
  async setSubscriptionAutoRenew(
    @Arg('id', () => ID) id: string,
    @Arg('autoRenew', () => Boolean) autoRenew: boolean,
    @Ctx() ctx: RequestContext,
  ): Promise<Subscription> {
    assertPermission(ctx.caller, 'manageSubscriptions', 'Mutation.setSubscriptionAutoRenew');
    return lifecycle(ctx, id, 'setAutoRenew', 'change auto-renew of', async ({ row }) => {
      if (row.isTrial) throw badUserInput(`subscription ${row.id} is a free trial: trials never renew; convert it to a paid subscription`, 'id');
      if (row.billingType === 'Usage') throw badUserInput(`subscription ${row.id} is usage-based: it has no term to renew`, 'id');
      if (row.autoRenew === autoRenew) return null;
      return {
        changes: { autoRenew },
        event: { type: 'AutoRenewChange', detail: autoRenew ? 'Auto-renew turned on' : 'Auto-renew turned off' },
      };
    });
  }

  @Mutation(() => Subscription, {
    nullable: true,
    description: 'Set the reseller of record (an indirect reseller of the partner); null or "-1" removes it, stored as -1 as Partner Center does',
  })
  async setSubscriptionResellerMpnId(
    @Arg('id', () => ID) id: string,
    @Arg('resellerMpnId', () => String, { nullable: true }) resellerMpnId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Subscription> {
    assertPermission(ctx.caller, 'manageSubscriptions', 'Mutation.setSubscriptionResellerMpnId');
    const requested = resellerMpnId?.trim() || null;
    return lifecycle(ctx, id, 'setResellerMpnId', 'change the reseller of', async ({ tx, row }) => {
      const current = resellerOfRecord(row);
      if (requested === null || requested === '-1') {
        if (current === null) return null;
        return {
          changes: { resellerMpnId: '-1' },
          event: { type: 'ResellerChange', detail: `Reseller MPN ID ${current} removed (-1)` },
        };
      }
      if (requested === current) return null;
      if (!(await resellerExists(tx, ctx.caller, requested))) {
        throw badUserInput(`reseller ${requested} is not an indirect reseller of this partner`, 'resellerMpnId');
      }
      return {
        changes: { resellerMpnId: requested },
        event: { type: 'ResellerChange', detail: `Reseller MPN ID changed from ${current ?? 'none'} to ${requested}` },
      };
    });
  }
}

interface Change {
  changes: SubscriptionChanges;
  event: Pick<NewEvent, 'type' | 'quantityBefore' | 'quantityAfter' | 'detail'>;
}

/**
 * One lifecycle mutation in one transaction: load the caller's subscription (NOT_FOUND otherwise),
 * check the state, let `decide` check the rest and say what changes (null: nothing to do), then
 * update, add the event, recompute the expected charges, and return the subscription as it is now.
 */
async function lifecycle(
  ctx: RequestContext,
  id: string,
  action: LifecycleAction,
  verb: string,
  decide: (args: { tx: SqlRunner; row: SubscriptionRow; product: ProductRow | null; now: string }) => Promise<Change | null>,
): Promise<Subscription> {
  const { caller } = ctx;
  const now = today();
  const result = await ctx.warehouse.transaction(async (tx) => {
    const row = await subscriptionById(tx, caller, id);
    if (!row) throw notFound('CustomerSubscription', id);
    if (!isAllowed(action, row.status)) throw invalidState('subscription', verb, row.status, ALLOWED_STATES[action]);
    const [product] = await productsByOfferIds(tx, caller, [row.offerId]);
    const change = await decide({ tx, row, product: product ?? null, now });
    if (!change) return row;
    await updateSubscription(tx, caller, id, change.changes);
    await insertEvent(tx, caller, { eventId: randomUUID(), subscriptionId: id, date: now, actor: actorOf(ctx), ...change.event });
    const updated = await subscriptionById(tx, caller, id);
    if (!updated) throw new Error(`subscription ${id} not found after update`);
    await replaceExpectedCharges(tx, caller, updated, product ?? null, now);
    return updated;
  });
  // Loaders of this request may hold the subscription as it was.
  ctx.loaders.clear();
  return result as Subscription;
}

function requireQuantity(quantity: number, argument: string): void {
  if (!Number.isInteger(quantity) || quantity < 1) throw badUserInput(`quantity must be a whole number of at least 1, got ${quantity}`, argument);
}

function actorOf(ctx: RequestContext): string {
  return ctx.caller.subject ?? 'API';
}

/** Billing frequencies an offer can be bought with. */
function frequenciesFor(product: ProductRow): string[] {
  if (product.billingType === 'License') return ['Monthly', 'Annual'];
  if (product.billingType === 'Usage') return ['Monthly'];
  return isIsvProduct(product) ? ['Monthly', 'Annual'] : ['None'];
}

/** Term of a new subscription: 12 months; a reservation's from its SKU name ("3 Years"). */
function termMonthsOf(product: ProductRow): number {
  if (product.billingType !== 'OneTime' || isIsvProduct(product)) return TERM_MONTHS;
  const years = /(\d+)\s*years?/i.exec(`${product.skuName} ${product.name}`);
  return years ? Number(years[1]) * 12 : TERM_MONTHS;
}
