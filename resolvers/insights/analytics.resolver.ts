import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { Requires } from '../../schema/common/permissions';
import { InsightsAnalyticsReport, InsightsBudgetItem, InsightsCustomerSpend, InsightsSubscriptionItem } from '../../schema/insights/report';
import {
  activeSubscriptions,
  azureSubscriptionsWithoutUsage,
  renewingIn30Days,
  spendingAgainstBudget,
  suspendedSubscriptions,
  topAzureCustomers,
  trialsEndingIn30Days,
  LIST_DEFAULT,
  LIST_MAX,
} from '../../warehouse/insights/lists';
import type { RequestContext } from '../common/context';
import { listSize } from './list-size';

/** The list sections of the CSP analytics pages: one SQL statement per list asked for, the first `first` items (default 100). */
@Resolver(() => InsightsAnalyticsReport)
export class InsightsAnalyticsListsResolver {
  @FieldResolver(() => [InsightsSubscriptionItem], { description: 'Subscriptions renewing in 30 days: status Active, auto-renew on, term ending within 30 days of the as-of date' })
  renewingIn30Days(@Root() report: InsightsAnalyticsReport, @Arg('first', () => Int, { defaultValue: LIST_DEFAULT, description: `How many items, in the list's order (1 to ${LIST_MAX}; the whole list is in the exports)` }) first: number, @Ctx() ctx: RequestContext) {
    return renewingIn30Days(ctx.warehouse, ctx.caller, report.range, listSize(first));
  }

  @FieldResolver(() => [InsightsSubscriptionItem], { description: 'Trial subscriptions (status Active) whose trial ends within 30 days of the as-of date' })
  trialsEndingIn30Days(@Root() report: InsightsAnalyticsReport, @Arg('first', () => Int, { defaultValue: LIST_DEFAULT, description: `How many items, in the list's order (1 to ${LIST_MAX}; the whole list is in the exports)` }) first: number, @Ctx() ctx: RequestContext) {
    return trialsEndingIn30Days(ctx.warehouse, ctx.caller, report.range, listSize(first));
  }

  @FieldResolver(() => [InsightsSubscriptionItem], { description: 'Suspended subscriptions, trial offers left out, by customer (date: the term end). The status now: no date filter, as the page says' })
  suspendedSubscriptions(@Root() _report: InsightsAnalyticsReport, @Arg('first', () => Int, { defaultValue: LIST_DEFAULT, description: `How many items, in the list's order (1 to ${LIST_MAX}; the whole list is in the exports)` }) first: number, @Ctx() ctx: RequestContext) {
    return suspendedSubscriptions(ctx.warehouse, ctx.caller, listSize(first));
  }

  @FieldResolver(() => [InsightsSubscriptionItem], { description: 'Active subscriptions, by customer (date: the term end)' })
  activeSubscriptions(@Root() _report: InsightsAnalyticsReport, @Arg('first', () => Int, { defaultValue: LIST_DEFAULT, description: `How many items, in the list's order (1 to ${LIST_MAX}; the whole list is in the exports)` }) first: number, @Ctx() ctx: RequestContext) {
    return activeSubscriptions(ctx.warehouse, ctx.caller, listSize(first));
  }

  @FieldResolver(() => [InsightsSubscriptionItem], { description: 'Azure subscriptions held at the end of the range without usage in the range' })
  azureSubscriptionsWithoutUsage(@Root() report: InsightsAnalyticsReport, @Arg('first', () => Int, { defaultValue: LIST_DEFAULT, description: `How many items, in the list's order (1 to ${LIST_MAX}; the whole list is in the exports)` }) first: number, @Ctx() ctx: RequestContext) {
    return azureSubscriptionsWithoutUsage(ctx.warehouse, ctx.caller, report.range, listSize(first));
  }

  @Requires('seeRevenue')
  @FieldResolver(() => [InsightsCustomerSpend], { nullable: true, description: 'Top 5 customers by ACR (USD) over the range (revenue)' })
  topAzureCustomers(@Root() report: InsightsAnalyticsReport, @Ctx() ctx: RequestContext) {
    return topAzureCustomers(ctx.warehouse, ctx.caller, report.range);
  }

  @Requires('seeRevenue')
  @FieldResolver(() => [InsightsBudgetItem], { nullable: true, description: "Spending against budget: Azure subscriptions with a budget (BudgetAmount), the range's last month's usage in the budget's currency against it (revenue)" })
  spendingAgainstBudget(@Root() report: InsightsAnalyticsReport, @Arg('first', () => Int, { defaultValue: LIST_DEFAULT, description: `How many items, in the list's order (1 to ${LIST_MAX}; the whole list is in the exports)` }) first: number, @Ctx() ctx: RequestContext) {
    return spendingAgainstBudget(ctx.warehouse, ctx.caller, report.range, listSize(first));
  }
}
