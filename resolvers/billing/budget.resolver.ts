import { Arg, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { BillingCustomer, BudgetAlert, BudgetState, CustomerBudget } from '../../schema/billing/budget';
import { Requires } from '../../schema/common/permissions';
import { budgetAlertsOfMonth } from '../../warehouse/billing/budget-alerts';
import { syncServiceOf } from '../../etl/sync/service';
import { checkCustomerBudget, monthOf, parseBudgetMonth, removeCustomerBudget, setCustomerBudget, type CustomerBudgetRow } from '../../warehouse/billing/budgets';
import type { RequestContext } from '../common/context';
import { budgetOfCustomer } from './loaders';

const MONTH_ARG = 'The month, YYYY-MM; default the current month';

export function toCustomerBudget(row: CustomerBudgetRow): CustomerBudget {
  return {
    month: row.month,
    amount: { amount: row.amount, currency: row.currency },
    spent: { amount: row.spent, currency: row.currency },
    percentUsed: row.percentUsed,
    state: row.state as BudgetState,
    setBy: row.setBy,
    setAt: row.setAt,
    inPartnerCenter: row.inPartnerCenter,
  };
}

/**
 * Customer budgets (reference lines 10967-11040): set, change, remove, read with the month's
 * spending, and the alerts of a month. Roles: manageBudgets (Global admin, Billing admin, Admin
 * agent), for reading and writing alike ("View, manage, and receive alerts for budget set at a
 * customer level", line 13846). One warehouse transaction per mutation (warehouse/billing/budgets.ts).
 *
 * Partner Center is the source of truth for the partner whose Partner Center this server syncs
 * (PI_PC_* settings of that partner): setting a budget writes it to Partner Center first (PATCH
 * usagebudget, etl/sync/service.ts writeUsageBudget) and records it only once Partner Center took
 * it, so the next sync finds the same amount; removing a budget Partner Center holds is refused
 * (its API cannot remove one). For other partners, budgets live in the product only.
 */
@Resolver(() => BillingCustomer)
export class BudgetResolver {
  @Requires('manageBudgets')
  @FieldResolver(() => CustomerBudget, {
    nullable: true,
    description:
      "The customer's monthly Azure spending budget in force in the month, with the month's spending against it (added by the billing subgraph); null without one. " +
      'Global admin, Billing admin, Admin agent',
  })
  async budget(
    @Root() customer: BillingCustomer,
    @Arg('month', () => String, { nullable: true, description: MONTH_ARG }) month: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<CustomerBudget | null> {
    const row = await budgetOfCustomer(ctx).load({ customerId: customer.id, month: month == null ? monthOf(ctx.now) : parseBudgetMonth(month) });
    return row ? toCustomerBudget(row) : null;
  }

  @Requires('manageBudgets')
  @Mutation(() => BillingCustomer, {
    nullable: true,
    description:
      'Set or change a customer\'s monthly Azure spending budget ("Enter a value for Monthly budget", "change the customer\'s budget", reference lines 11003, 10982), ' +
      "in the customer's billing currency (the currency of its Azure usage; another currency is refused, not converted). Alerts the spending already reaches are recorded and published. " +
      "When this server syncs the partner's Partner Center, the budget is written to Partner Center first (nothing changes when Partner Center refuses it: UPSTREAM_FAILED, or BAD_USER_INPUT with its reason). " +
      'Global admin, Billing admin, Admin agent',
  })
  async setCustomerBudget(
    @Arg('customerId', () => ID) customerId: string,
    @Arg('amount', () => String, { description: 'The monthly budget, greater than 0, at most 1,000,000,000, at most 2 decimals: "2500.00"' }) amount: string,
    @Arg('currency', () => String, { nullable: true, description: "ISO code; when given, it must be the customer's billing currency" }) currency: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<BillingCustomer> {
    const syncs = syncServiceOf(ctx.warehouse.root);
    let inPartnerCenter = false;
    if (syncs?.syncsPartner(ctx.caller.partnerId)) {
      // Checked here first: what Partner Center is sent is what is recorded after.
      const budget = await checkCustomerBudget(ctx.warehouse, ctx.caller, { customerId, amount, currency });
      inPartnerCenter = await syncs.writeUsageBudget(ctx.caller.partnerId, budget.customerId, budget.amount);
    }
    await setCustomerBudget(ctx.warehouse, ctx.caller, ctx.now, { customerId, amount, currency, inPartnerCenter });
    return { id: customerId };
  }

  @Requires('manageBudgets')
  @Mutation(() => BillingCustomer, {
    nullable: true,
    description:
      'Remove a customer\'s monthly Azure spending budget ("Remove budget", reference line 11022); NOT_FOUND when it has none. ' +
      "INVALID_STATE when the budget is Partner Center's and this server syncs the partner's Partner Center: Partner Center's API cannot remove a budget, so remove it there (the next sync removes it here). " +
      'Global admin, Billing admin, Admin agent',
  })
  async removeCustomerBudget(@Arg('customerId', () => ID) customerId: string, @Ctx() ctx: RequestContext): Promise<BillingCustomer> {
    const syncsPartnerCenter = syncServiceOf(ctx.warehouse.root)?.syncsPartner(ctx.caller.partnerId) ?? false;
    await removeCustomerBudget(ctx.warehouse, ctx.caller, ctx.now, customerId, { syncsPartnerCenter });
    return { id: customerId };
  }

  @Requires('manageBudgets')
  @Query(() => [BudgetAlert], {
    nullable: true,
    description:
      'The budget alerts of a month: customers whose spending reached 80 % ("notified when customers use 80% or more of their monthly budget", reference line 11034) or 100 % of their budget, ' +
      'highest threshold first; at most two per customer. Global admin, Billing admin, Admin agent; a location-scoped caller sees its locations\' customers',
  })
  async budgetAlerts(@Arg('month', () => String, { nullable: true, description: MONTH_ARG }) month: string | null, @Ctx() ctx: RequestContext): Promise<BudgetAlert[]> {
    const rows = await budgetAlertsOfMonth(ctx.warehouse, ctx.caller, month == null ? monthOf(ctx.now) : parseBudgetMonth(month));
    return rows.map((a) => ({
      customer: { id: a.customerId },
      customerId: a.customerId,
      companyName: a.companyName,
      month: a.month,
      threshold: a.threshold,
      spent: { amount: a.spent, currency: a.currency },
      budget: { amount: a.budget, currency: a.currency },
      alertedAt: a.alertedAt,
    }));
  }
}
