import 'reflect-metadata';
import { Directive, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Money } from '../common/money';
import { DateTimeScalar } from '../common/scalars';

/**
 * Customers' monthly Azure spending budgets (reference lines 10967-11040) and their alerts; the
 * rules are in warehouse/billing/budgets.ts and budget-alerts.ts.
 */
export enum BudgetState {
  OK = 'OK',
  AT_80_PERCENT = 'AT_80_PERCENT',
  AT_100_PERCENT = 'AT_100_PERCENT',
}
registerEnumType(BudgetState, {
  name: 'BudgetState',
  description: "Spending against the month's budget",
  valuesConfig: {
    OK: { description: 'Less than 80 % of the budget used' },
    AT_80_PERCENT: { description: '80 % or more used: "you will be notified when customers use 80% or more of their monthly budget" (reference line 11034)' },
    AT_100_PERCENT: { description: 'The budget is reached or exceeded (100 % or more)' },
  },
});

/** The Customer entity of the accounts subgraph, by its key: the billing subgraph adds `budget`. */
@Directive('@key(fields: "id")')
@ObjectType('Customer')
export class BillingCustomer {
  @Field(() => ID)
  id!: string;
}

@ObjectType({
  description:
    "A customer's monthly Azure spending budget and the month's spending against it: \"compare your customers' Azure spending to the budget during the month\" (reference line 10976). " +
    'Spending is an estimate: the pre-tax total (BillingPreTaxTotal) of its daily-rated usage lines of the calendar month, in the billing currency; it "doesn\'t reflect taxes, credits, adjustments, or other charges" (line 10992)',
})
export class CustomerBudget {
  @Field(() => String, { description: 'The month, YYYY-MM (a calendar month: "calendar month-based billing period", line 13700)' })
  month!: string;

  @Field(() => Money, { description: "Monthly budget, in the customer's billing currency" })
  amount!: Money;

  @Field(() => Money, { description: "The month's spending so far, in the budget's currency" })
  spent!: Money;

  @Field(() => Float, { description: 'spent ÷ amount × 100, 2 decimals ("percentage of budget used", line 11030)' })
  percentUsed!: number;

  @Field(() => BudgetState)
  state!: BudgetState;

  @Field(() => String, { nullable: true, description: 'Who set the budget in force (the token subject)' })
  setBy!: string | null;

  @Field(() => DateTimeScalar, { description: 'When the budget in force was set or last changed' })
  setAt!: string;

  @Field(() => Boolean, {
    description:
      "The amount is the one Partner Center holds: read from it by a sync (setBy 'Partner Center (sync …)'), or written to it when set here. " +
      'false: set in the product only (a sync keeps it while Partner Center has no budget for the customer)',
  })
  inPartnerCenter!: boolean;
}

@ObjectType({ description: "A customer's spending that reached 80 % or 100 % of its monthly budget, recorded once per customer, month and threshold" })
export class BudgetAlert {
  @Field(() => BillingCustomer)
  customer!: BillingCustomer;

  @Field(() => ID)
  customerId!: string;

  @Field(() => String, { nullable: true })
  companyName!: string | null;

  @Field(() => String, { description: 'YYYY-MM' })
  month!: string;

  @Field(() => Int, { description: 'The threshold reached, in % of the budget: 80 or 100' })
  threshold!: number;

  @Field(() => Money, { description: 'Spending when the threshold was reached' })
  spent!: Money;

  @Field(() => Money, { description: 'The budget then' })
  budget!: Money;

  @Field(() => DateTimeScalar)
  alertedAt!: string;
}
