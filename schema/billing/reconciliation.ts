import { Directive, Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money } from '../common/money';
import { DateScalar, NonNegativeIntScalar } from '../common/scalars';

export enum ReconciliationStatus {
  MATCHED = 'MATCHED',
  DIFFERENCES = 'DIFFERENCES',
}
registerEnumType(ReconciliationStatus, {
  name: 'ReconciliationStatus',
  description: 'MATCHED: every expected line is billed and every billed line expected, within the tolerance; DIFFERENCES otherwise',
});

export enum ReconciliationDifferenceKind {
  MISSING_LINE = 'MISSING_LINE',
  EXTRA_LINE = 'EXTRA_LINE',
  QUANTITY = 'QUANTITY',
  UNIT_PRICE = 'UNIT_PRICE',
  AMOUNT = 'AMOUNT',
}
registerEnumType(ReconciliationDifferenceKind, {
  name: 'ReconciliationDifferenceKind',
  description: 'MISSING_LINE: expected, not billed; EXTRA_LINE: billed, not expected; QUANTITY, UNIT_PRICE, AMOUNT: a matched line differs',
});

@ObjectType({ description: 'One side of a reconciled license-based line: as the billing rules expect it or as the invoice bills it' })
export class ReconciliationLine {
  @Field(() => String, { description: 'ChargeType, as written on that side' })
  chargeType!: string;

  @Field(() => Money)
  unitPrice!: Money;

  @Field(() => Int)
  quantity!: number;

  @Field(() => Money)
  amount!: Money;
}

@ObjectType({ description: 'A difference between the expected and the billed license-based lines, explained' })
export class ReconciliationDifference {
  @Field(() => ReconciliationDifferenceKind)
  kind!: ReconciliationDifferenceKind;

  @Field(() => ID, { description: 'Partner Center subscription ID (SyndicationPartnerSubscriptionNumber of the file)' })
  subscriptionId!: string;

  @Field(() => DateScalar)
  chargeStartDate!: string;

  @Field(() => DateScalar)
  chargeEndDate!: string;

  @Field(() => String, { description: 'The charge type as billed (as expected for a missing line)' })
  chargeType!: string;

  @Field(() => Boolean, { description: 'The line is a credit (negative amount); the sign is part of the match' })
  credit!: boolean;

  @Field(() => ReconciliationLine, { nullable: true, description: 'The line the billing rules expect; null for EXTRA_LINE' })
  expected!: ReconciliationLine | null;

  @Field(() => ReconciliationLine, { nullable: true, description: 'The line on the invoice; null for MISSING_LINE' })
  billed!: ReconciliationLine | null;

  @Field(() => String, { nullable: true, description: 'Expected value of what differs: quantity, unit price or amount (the amount for a missing line)' })
  expectedValue!: string | null;

  @Field(() => String, { nullable: true, description: 'Billed value of what differs (the amount for an extra line)' })
  billedValue!: string | null;

  @Field(() => String, { description: 'billed - expected, exact decimal (quantity difference for QUANTITY)' })
  difference!: string;

  @Field(() => String, { description: 'One sentence saying what differs and by how much' })
  explanation!: string;

  @Field(() => String, { nullable: true, description: 'The subscription event the expected line comes from' })
  eventId!: string | null;
}

@ObjectType({ description: "One license-based subscription of an invoice: expected against billed" })
export class SubscriptionReconciliation {
  @Field(() => ID, { description: 'Partner Center subscription ID' })
  subscriptionId!: string;

  @Field(() => ID, { nullable: true })
  customerId!: string | null;

  @Field(() => String, { nullable: true, description: 'Location MPN ID of the CSP partner' })
  mpnId!: string | null;

  @Field(() => String, { nullable: true, description: 'Reseller MPN ID as stored (own MPN ID = sold directly, -1 = removed)' })
  resellerMpnId!: string | null;

  @Field(() => ReconciliationStatus)
  status!: ReconciliationStatus;

  @Field(() => Money, { description: 'Sum of Amount of the expected lines' })
  expectedTotal!: Money;

  @Field(() => Money, { description: 'Sum of Amount of the billed lines' })
  billedTotal!: Money;

  @Field(() => Money, { description: 'billedTotal - expectedTotal' })
  difference!: Money;

  @Field(() => NonNegativeIntScalar)
  expectedLines!: number;

  @Field(() => NonNegativeIntScalar)
  billedLines!: number;

  @Field(() => String, { nullable: true, description: "Why the billing rules could not replay the subscription's history, if they could not" })
  rulesError!: string | null;

  @Field(() => [ReconciliationDifference])
  differences!: ReconciliationDifference[];
}

/** Entity by id (node(id:)): the invoice number and "/reconciliation" (warehouse/billing/reconciliation-id.ts). */
@Directive('@key(fields: "id")')
@ObjectType({
  description:
    "Reconciliation of an invoice's license-based lines against the billing rules over each subscription's history. " +
    'Lines match on subscription, charge start and end dates, charge type (case-insensitive) and sign; ' +
    'unit price and amount within the tolerance',
})
export class InvoiceReconciliation {
  @Field(() => ID, { description: 'The invoice number and "/reconciliation", and "/<subscription id>" when it covers one subscription: distinct from the invoice’s id' })
  id!: string;

  @Field(() => ID)
  invoiceNumber!: string;

  @Field(() => DateScalar)
  invoiceDate!: string;

  @Field(() => String)
  currency!: string;

  @Field(() => Int, { description: 'Billing day of month used by the rules (the partner’s, from its invoice dates)' })
  billingDay!: number;

  @Field(() => String, { description: 'Tolerance per unit price and per amount (EXAMPLE_TOLERANCE of the billing rules)' })
  tolerance!: string;

  @Field(() => ReconciliationStatus)
  status!: ReconciliationStatus;

  @Field(() => Money)
  expectedTotal!: Money;

  @Field(() => Money)
  billedTotal!: Money;

  @Field(() => Money, { description: 'billedTotal - expectedTotal' })
  difference!: Money;

  @Field(() => NonNegativeIntScalar)
  expectedLines!: number;

  @Field(() => NonNegativeIntScalar)
  billedLines!: number;

  @Field(() => NonNegativeIntScalar, { description: 'Expected lines matched by a billed line (whether or not their values agree)' })
  matchedLines!: number;

  @Field(() => [SubscriptionReconciliation], { description: 'Each license-based subscription with expected or billed lines, by subscription ID' })
  subscriptions!: SubscriptionReconciliation[];

  @Field(() => [ReconciliationDifference], { description: 'Every difference of every subscription' })
  differences!: ReconciliationDifference[];
}
