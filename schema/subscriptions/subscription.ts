import { ArgsType, Directive, Field, Float, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, ConnectionArgs, SortDirection } from '../common/connection';
import { Money } from '../common/money';
import { Requires } from '../common/permissions';
import { DateScalar, NonNegativeIntScalar } from '../common/scalars';
import { BillingType, ProductFamily } from './product';
import { BOUNDS } from '../../core/bounds';

export enum SubscriptionStatus {
  ACTIVE = 'Active',
  SUSPENDED = 'Suspended',
  DEPROVISIONED = 'Deprovisioned',
  IN_GRACE_PERIOD = 'InGracePeriod',
  DISABLED = 'Disabled',
  EXPIRED = 'Expired',
}
registerEnumType(SubscriptionStatus, {
  name: 'SubscriptionStatus',
  description: 'Subscription status as Partner Center names it (errors name states by these values: "Active", "Suspended", ...)',
});

export enum BillingFrequency {
  MONTHLY = 'Monthly',
  ANNUAL = 'Annual',
  NONE = 'None',
}
registerEnumType(BillingFrequency, { name: 'BillingFrequency' });

export enum SubscriptionEventType {
  PURCHASE = 'Purchase',
  QUANTITY_CHANGE = 'QuantityChange',
  SUSPEND = 'Suspend',
  REACTIVATE = 'Reactivate',
  CANCEL = 'Cancel',
  RENEW = 'Renew',
  TRIAL_CONVERSION = 'TrialConversion',
  AUTO_RENEW_CHANGE = 'AutoRenewChange',
  RESELLER_CHANGE = 'ResellerChange',
}
registerEnumType(SubscriptionEventType, { name: 'SubscriptionEventType' });

/** The Customer entity of the accounts subgraph, by its key: this subgraph adds `subscriptions`. */
@Directive('@key(fields: "id")')
@ObjectType('Customer')
export class SubscriptionsCustomer {
  @Field(() => ID)
  id!: string;
}

/** The Reseller entity of the accounts subgraph, by its key: this subgraph adds `subscriptions`. */
@Directive('@key(fields: "mpnId")')
@ObjectType('Reseller')
export class SubscriptionsReseller {
  @Field(() => String)
  mpnId!: string;
}

/** The Location entity of the accounts subgraph, by its key (returned by `Subscription.location`). */
@Directive('@key(fields: "mpnId")')
@ObjectType('Location')
export class SubscriptionsLocation {
  @Field(() => String)
  mpnId!: string;
}

/**
 * A customer subscription (Partner Center "Subscriptions" of a customer). Entity keyed by the
 * subscription id. Relations (product, customer, reseller, location, events, licenseUsage,
 * expectedCharges) and derived dates are field resolvers in resolvers/subscriptions.
 */
// GraphQL name CustomerSubscription: a type named "Subscription" is taken by GraphQL for the
// subscription root type (clients, codegen and Apollo Router would read it as one).
@Directive('@key(fields: "id")')
@ObjectType('CustomerSubscription', { description: 'A customer subscription' })
export class Subscription {
  @Field(() => ID, { description: 'Subscription ID' })
  id!: string;

  @Field(() => String, { nullable: true, description: 'The subscription’s friendly name' })
  friendlyName!: string | null;

  @Field(() => SubscriptionStatus)
  status!: SubscriptionStatus;

  @Field(() => NonNegativeIntScalar, { description: 'Licenses (seats)' })
  quantity!: number;

  @Field(() => BillingType, { nullable: true, description: 'Null when only Partner Center\'s subscriptions export named it (it has no offer or billing type) and no other file filled it in' })
  billingType!: BillingType | null;

  @Field(() => BillingFrequency, { nullable: true })
  billingFrequency!: BillingFrequency | null;

  @Field(() => DateScalar, { nullable: true, description: 'Null when unknown (Partner Center\'s subscriptions export has no dates)' })
  createdDate!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Start of the current 12-month paid term' })
  termStartDate!: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'End of the current term (commitment end date)' })
  termEndDate!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Renews automatically at the end of the term; null when unknown' })
  autoRenew!: boolean | null;

  @Field(() => Boolean, { nullable: true, description: 'A 30-day free trial (not converted); null when unknown' })
  isTrial!: boolean | null;

  @Field(() => DateScalar, { nullable: true })
  trialStartDate!: string | null;

  @Field(() => DateScalar, { nullable: true })
  trialEndDate!: string | null;

  @Field(() => DateScalar, { nullable: true })
  suspendedDate!: string | null;

  @Field(() => DateScalar, { nullable: true })
  canceledDate!: string | null;

  // Not fields: keys of relations and the parts of unitPrice.
  unitPriceAmount!: string | null;
  currency!: string | null;
  customerId!: string;
  mpnId!: string | null;
  resellerMpnId!: string | null;
  offerId!: string;
}

@ObjectType()
export class SubscriptionConnection extends Connection(Subscription) {}

@ObjectType({ description: 'Something that happened to a subscription (its history)' })
export class SubscriptionEvent {
  @Field(() => ID)
  id!: string;

  @Field(() => DateScalar)
  date!: string;

  @Field(() => SubscriptionEventType)
  type!: SubscriptionEventType;

  @Field(() => NonNegativeIntScalar, { nullable: true })
  quantityBefore!: number | null;

  @Field(() => NonNegativeIntScalar, { nullable: true })
  quantityAfter!: number | null;

  @Field(() => String, { nullable: true })
  detail!: string | null;

  @Requires('seePersonalData')
  @Field(() => String, { nullable: true, description: 'The partner user (or System) who acted. Personal data' })
  actor!: string | null;
}

@ObjectType()
export class SubscriptionEventConnection extends Connection(SubscriptionEvent) {}

/**
 * License deployment and usage of a subscription in the latest month of telemetry ("Use metrics in
 * Partner Center to increase adoption", line 15281): deployment % = assigned / sold licenses,
 * usage % = active entitlements / total entitlements, an entitlement being a license assigned to
 * a user and active meaning used in the last 28 days. Usage % can exceed 100 (the documentation
 * lists why).
 */
@ObjectType({ description: 'License deployment and usage (latest month of telemetry)' })
export class LicenseUsage {
  @Field(() => DateScalar, { description: 'First day of the month of the telemetry' })
  month!: string;

  @Field(() => NonNegativeIntScalar, { description: 'Licenses sold (purchased)' })
  licensesPurchased!: number;

  @Field(() => NonNegativeIntScalar, { description: 'Licenses assigned to users (entitlements)' })
  licensesAssigned!: number;

  @Field(() => NonNegativeIntScalar, { description: 'Entitlements used in the last 28 calendar days' })
  activeUsers28Days!: number;

  @Field(() => Float, { nullable: true, description: 'assigned / sold × 100, 2 decimals; null when none sold' })
  deploymentPercent!: number | null;

  @Field(() => Float, { nullable: true, description: 'active / assigned × 100, 2 decimals; null when none assigned' })
  usagePercent!: number | null;
}

@ObjectType({ description: 'A line the billing rules expect on a reconciliation file for this subscription' })
export class ExpectedCharge {
  @Field(() => DateScalar, { description: 'The invoice (billing date) whose reconciliation file carries the line' })
  invoiceDate!: string;

  @Field(() => DateScalar)
  chargeStartDate!: string;

  @Field(() => DateScalar)
  chargeEndDate!: string;

  @Field(() => String, { description: 'Charge type as the reconciliation file spells it ("Cycle fee", "Cancel fee", "New", ...)' })
  chargeType!: string;

  @Field(() => Money)
  unitPrice!: Money;

  @Field(() => Int, { description: 'Licenses' })
  quantity!: number;

  @Field(() => Money, { description: 'Negative for credits' })
  amount!: Money;

  @Field(() => ID, { nullable: true, description: 'The subscription event that produced the line' })
  eventId!: string | null;
}

/** Date fields arrive as Date objects (UTC midnight) from the Date scalar. */
@InputType()
export class SubscriptionFilter {
  @Field(() => SubscriptionStatus, { nullable: true })
  status?: SubscriptionStatus | null;

  @Field(() => ProductFamily, { nullable: true })
  productFamily?: ProductFamily | null;

  @Field(() => BillingType, { nullable: true })
  billingType?: BillingType | null;

  @Field(() => ID, { nullable: true, description: 'Subscriptions of this customer (Microsoft ID)' })
  customerId?: string | null;

  @Field(() => String, { nullable: true, description: 'Subscriptions with this reseller of record' })
  resellerMpnId?: string | null;

  @Field(() => DateScalar, { nullable: true, description: 'Created on or after' })
  createdFrom?: Date | null;

  @Field(() => DateScalar, { nullable: true, description: 'Created on or before' })
  createdTo?: Date | null;

  @Field(() => DateScalar, { nullable: true, description: 'Term ends on or after' })
  termEndFrom?: Date | null;

  @Field(() => DateScalar, { nullable: true, description: 'Term ends on or before' })
  termEndTo?: Date | null;

  @Field(() => String, { nullable: true, description: 'Friendly name, offer or product name contains (case-insensitive), or subscription id equals' })
  search?: string | null;
}

export enum SubscriptionOrderField {
  CREATED_DATE = 'CREATED_DATE',
  TERM_END_DATE = 'TERM_END_DATE',
  FRIENDLY_NAME = 'FRIENDLY_NAME',
  QUANTITY = 'QUANTITY',
  STATUS = 'STATUS',
}
registerEnumType(SubscriptionOrderField, { name: 'SubscriptionOrderField' });

@InputType()
export class SubscriptionOrder {
  @Field(() => SubscriptionOrderField, { defaultValue: SubscriptionOrderField.CREATED_DATE })
  field!: SubscriptionOrderField;

  @Field(() => SortDirection, { defaultValue: SortDirection.DESC })
  direction!: SortDirection;
}

@ArgsType()
export class SubscriptionsArgs extends ConnectionArgs {
  @Field(() => SubscriptionFilter, { nullable: true })
  filter?: SubscriptionFilter | null;

  @Field(() => SubscriptionOrder, { nullable: true, description: 'Default: newest first (CREATED_DATE DESC)' })
  orderBy?: SubscriptionOrder | null;
}

@InputType({ description: 'A new subscription for a customer (Customers > Add subscription)' })
export class CreateSubscriptionInput {
  @Field(() => ID, { description: 'The customer (Microsoft ID)' })
  customerId!: string;

  @Field(() => ID, { description: 'The offer of the price list (Product.id)' })
  offerId!: string;

  @Field(() => Int, {
    description: `Licenses: ${BOUNDS.seatsPerSubscription.min} to ${BOUNDS.seatsPerSubscription.max}; at most ${BOUNDS.smallBusinessSeats.max} for a Microsoft 365 or Office 365 business offer; a trial has 25`,
  })
  quantity!: number;

  @Field(() => BillingFrequency, { description: 'MONTHLY or ANNUAL for licenses and SaaS; MONTHLY for usage; NONE for a reservation' })
  billingFrequency!: BillingFrequency;

  @Field(() => Boolean, { defaultValue: true, description: 'Active subscriptions renew automatically by default; trials never do' })
  autoRenew!: boolean;

  @Field(() => Boolean, { nullable: true, description: 'A 30-day free trial; defaults to whether the offer is a trial offer' })
  isTrial?: boolean | null;

  @Field(() => String, { nullable: true, description: 'Reseller of record (an indirect reseller of the partner); default: the customer’s reseller' })
  resellerMpnId?: string | null;

  @Field(() => String, { nullable: true, description: `Default: the offer name. At most ${BOUNDS.friendlyName.max} characters` })
  friendlyName?: string | null;
}
