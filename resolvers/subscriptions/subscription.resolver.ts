import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { ConnectionArgs } from '../../schema/common/connection';
import { notFound } from '../../core/errors';
import { Money, money } from '../../schema/common/money';
import { Requires } from '../../schema/common/permissions';
import { Product } from '../../schema/subscriptions/product';
import {
  ExpectedCharge,
  LicenseUsage,
  Subscription,
  SubscriptionConnection,
  SubscriptionEventConnection,
  SubscriptionsArgs,
  SubscriptionsCustomer,
  SubscriptionsLocation,
  SubscriptionsReseller,
} from '../../schema/subscriptions/subscription';
import { DateScalar } from '../../schema/common/scalars';
import { billingDayOf } from '../../warehouse/subscriptions/charges';
import { nextAnniversary, suspensionExpiryDate } from '../../warehouse/subscriptions/lifecycle';
import { resellerOfRecord, subscriptionListQuery } from '../../warehouse/subscriptions/subscriptions';
import { paginate } from '../common/connection';
import type { RequestContext } from '../common/context';
import {
  billingDayOfPartner,
  eventsOfSubscription,
  expectedChargesBySubscriptionId,
  licenseUsageBySubscriptionId,
  orderOf,
  productByOfferId,
  subscriptionById,
  subscriptionFingerprint,
} from './loaders';

@Resolver(() => Subscription)
export class SubscriptionResolver {
  @Requires('readSubscriptions')
  @Query(() => SubscriptionConnection, { nullable: true, description: 'Customer subscriptions: filter, order, page' })
  async subscriptions(@Args(() => SubscriptionsArgs) args: SubscriptionsArgs, @Ctx() ctx: RequestContext): Promise<SubscriptionConnection> {
    return paginate(ctx, {
      name: 'subscriptions',
      fingerprint: subscriptionFingerprint(args),
      args,
      ...subscriptionListQuery(ctx.caller, args.filter ?? {}, orderOf(args)),
    }) as Promise<SubscriptionConnection>;
  }

  @Requires('readSubscriptions')
  @Query(() => Subscription, { nullable: true, description: 'A subscription by its ID' })
  async subscription(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<Subscription> {
    const row = await subscriptionById(ctx).load(id);
    if (!row) throw notFound('CustomerSubscription', id);
    return row as Subscription;
  }

  @Requires('seeRevenue')
  @FieldResolver(() => Money, { nullable: true, description: 'Price of one license per month as sold to the customer. Revenue' })
  unitPrice(@Root() s: Subscription): Money | null {
    return money(s.unitPriceAmount, s.currency);
  }

  @FieldResolver(() => DateScalar, {
    nullable: true,
    description: 'Next billing anniversary on or after today: the day of the month the term began, every month (monthly) or year (annual)',
  })
  anniversaryDate(@Root() s: Subscription, @Ctx() ctx: RequestContext): string | null {
    return s.createdDate === null ? null : nextAnniversary({ ...s, createdDate: s.createdDate }, ctx.today);
  }

  @FieldResolver(() => DateScalar, {
    nullable: true,
    description:
      'Suspended subscriptions only: the last day it can be reactivated; after it the data is deleted (90 days, plus the days from creation to the first billing date, at most 120)',
  })
  async suspensionExpiryDate(@Root() s: Subscription, @Ctx() ctx: RequestContext): Promise<string | null> {
    if (s.status !== 'Suspended' || !s.suspendedDate || s.createdDate === null) return null;
    const billingDay = billingDayOf(await billingDayOfPartner(ctx).load('partner'), { createdDate: s.createdDate });
    return suspensionExpiryDate(s.createdDate, s.suspendedDate, billingDay);
  }

  @FieldResolver(() => Product, { nullable: true, description: 'The offer of the price list' })
  async product(@Root() s: Subscription, @Ctx() ctx: RequestContext): Promise<Product | null> {
    return (await productByOfferId(ctx).load(s.offerId)) as Product | null;
  }

  @FieldResolver(() => SubscriptionsCustomer, { description: 'The customer (resolved by the accounts subgraph)' })
  customer(@Root() s: Subscription): SubscriptionsCustomer {
    return { id: s.customerId };
  }

  @FieldResolver(() => SubscriptionsReseller, {
    nullable: true,
    description: 'The indirect reseller of record; null when sold directly (Reseller MPN ID = MPN ID), removed (-1) or none',
  })
  reseller(@Root() s: Subscription): SubscriptionsReseller | null {
    const mpnId = resellerOfRecord(s);
    return mpnId ? { mpnId } : null;
  }

  @FieldResolver(() => SubscriptionsLocation, { nullable: true, description: 'The partner location (MPN ID) that sold it' })
  location(@Root() s: Subscription): SubscriptionsLocation | null {
    return s.mpnId ? { mpnId: s.mpnId } : null;
  }

  @FieldResolver(() => SubscriptionEventConnection, { description: 'History: purchase, quantity changes, suspensions, ... oldest first' })
  async events(
    @Root() s: Subscription,
    @Args(() => ConnectionArgs) args: ConnectionArgs,
    @Ctx() ctx: RequestContext,
  ): Promise<SubscriptionEventConnection> {
    return (await eventsOfSubscription(ctx, s.id, args)) as SubscriptionEventConnection;
  }

  @FieldResolver(() => LicenseUsage, { nullable: true, description: 'Deployment and usage of the licenses (latest month); null without telemetry' })
  async licenseUsage(@Root() s: Subscription, @Ctx() ctx: RequestContext): Promise<LicenseUsage | null> {
    const row = await licenseUsageBySubscriptionId(ctx).load(s.id);
    if (!row) return null;
    const purchased = Number(row.licensesPurchased);
    const assigned = Number(row.licensesAssigned);
    const active = Number(row.activeUsers28Days);
    return {
      month: row.month,
      licensesPurchased: purchased,
      licensesAssigned: assigned,
      activeUsers28Days: active,
      deploymentPercent: percent(assigned, purchased),
      usagePercent: percent(active, assigned),
    };
  }

  @Requires('seeBilling')
  @FieldResolver(() => [ExpectedCharge], {
    nullable: true,
    description: 'The charge lines the billing rules expect on the reconciliation files, by invoice date. Billing data',
  })
  async expectedCharges(@Root() s: Subscription, @Ctx() ctx: RequestContext): Promise<ExpectedCharge[]> {
    const rows = await expectedChargesBySubscriptionId(ctx).load(s.id);
    const currency = (c: string | null) => c ?? s.currency ?? '';
    return rows.map((r) => ({
      invoiceDate: r.invoiceDate,
      chargeStartDate: r.chargeStartDate,
      chargeEndDate: r.chargeEndDate,
      chargeType: r.chargeType,
      unitPrice: { amount: r.unitPrice, currency: currency(r.currency) },
      quantity: Number(r.quantity),
      amount: { amount: r.amount, currency: currency(r.currency) },
      eventId: r.eventId,
    }));
  }
}

function percent(part: number, whole: number): number | null {
  return whole > 0 ? Math.round((part / whole) * 10000) / 100 : null;
}
