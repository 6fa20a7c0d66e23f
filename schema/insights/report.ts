import { Field, Float, InputType, InterfaceType, ObjectType, registerEnumType } from 'type-graphql';
import { Requires } from '../common/permissions';

export enum InsightsDateRangeKind {
  LAST_3_MONTHS = 'LAST_3_MONTHS',
  LAST_6_MONTHS = 'LAST_6_MONTHS',
  LAST_12_MONTHS = 'LAST_12_MONTHS',
  CUSTOM = 'CUSTOM',
  LIFETIME = 'LIFETIME',
}
registerEnumType(InsightsDateRangeKind, {
  name: 'InsightsDateRangeKind',
  description: 'Date range of an Insights report: the past 3, 6 or 12 months up to the as-of month (default 12), a custom range, or all months with data',
});

export enum InsightsDimension {
  COUNTRY = 'country',
  SEGMENT = 'segment',
  LOCATION = 'location',
  SALES_CHANNEL = 'salesChannel',
  ATTRIBUTION_TYPE = 'attributionType',
  PRODUCT_FAMILY = 'productFamily',
  SKU = 'sku',
  STATE = 'state',
  METER_CATEGORY = 'meterCategory',
  RESELLER = 'reseller',
}
registerEnumType(InsightsDimension, {
  name: 'InsightsDimension',
  description: 'What a metric can be split by: customer market (country), customer segment, partner location (MPN ID), sales channel, partner attribution type, product family, SKU, subscription state, Azure meter category, indirect reseller (MPN ID)',
});

@InputType('InsightsDateRange')
export class InsightsDateRange {
  @Field(() => InsightsDateRangeKind, { defaultValue: InsightsDateRangeKind.LAST_12_MONTHS })
  kind!: InsightsDateRangeKind;

  @Field(() => String, { nullable: true, description: 'CUSTOM: first month, YYYY-MM' })
  from?: string | null;

  @Field(() => String, { nullable: true, description: 'CUSTOM: last month, YYYY-MM' })
  to?: string | null;
}

@InputType('InsightsFilters', { description: 'Page filters; each list is "all" when absent or empty' })
export class InsightsFiltersInput {
  @Field(() => [String], { nullable: true, description: 'Products: product families (Office 365, Azure, ...)' })
  productFamilies?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Customer markets: customer countries (ISO 3166 alpha-2)' })
  customerCountries?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Partner attributions: CSP, DPOR, DAP, PAL, CPOR' })
  attributionTypes?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Partner locations: MPN IDs' })
  locationMpnIds?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Sales channels: "Direct" or "Indirect reseller"' })
  salesChannels?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Customer segments' })
  segments?: string[] | null;
}

@ObjectType('InsightsMonthValue')
export class InsightsMonthValue {
  @Field(() => String, { description: 'YYYY-MM' })
  month!: string;

  @Field(() => String, { description: 'Decimal string: an integer for counts, 2 decimals for USD' })
  value!: string;

  @Field(() => Float, { nullable: true, description: '% change vs the previous month of the range' })
  changePercent!: number | null;
}

@ObjectType('InsightsRange')
export class InsightsRange {
  @Field(() => String, { description: 'First month, YYYY-MM-01' })
  from!: string;

  @Field(() => String, { description: 'Last month, YYYY-MM-01' })
  to!: string;

  @Field(() => String, { description: 'The as-of month (PI_TODAY, else the latest month with data)' })
  asOf!: string;
}

@ObjectType('InsightsKpi', { description: 'One metric over the date range, as defined in warehouse/insights/metrics' })
export class InsightsKpi {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { description: 'The documented definition' })
  definition!: string;

  @Field(() => String, { description: '"count" or a currency ("USD")' })
  unit!: string;

  @Field(() => String, { description: 'Current value (last month of the range) or the range total, per the definition' })
  value!: string;

  @Field(() => Float, { nullable: true, description: 'Growth or decline %: last month vs first month of the range' })
  growthPercent!: number | null;

  @Field(() => [InsightsMonthValue], { description: 'Month-over-month trend (micro chart)' })
  series!: InsightsMonthValue[];
}

@ObjectType('InsightsBreakdownItem')
export class InsightsBreakdownItem {
  @Field(() => String, { description: 'The split value (country, MPN ID, segment, ...)' })
  key!: string;

  @Field(() => String)
  value!: string;

  @Field(() => Float, { nullable: true, description: '% of the total for the metric' })
  percentOfTotal!: number | null;

  @Field(() => Float, { nullable: true })
  growthPercent!: number | null;

  @Field(() => [InsightsMonthValue], { description: 'Distribution trend' })
  series!: InsightsMonthValue[];
}

@ObjectType('InsightsBreakdown')
export class InsightsBreakdown {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  metric!: string;

  @Field(() => InsightsDimension)
  dimension!: InsightsDimension;

  @Field(() => String)
  unit!: string;

  @Field(() => [InsightsBreakdownItem])
  items!: InsightsBreakdownItem[];
}

@ObjectType('InsightsAddsChurnsPoint', { description: 'Adds/churns stack of one month: new, existing, churned (churned shown on the negative scale)' })
export class InsightsAddsChurnsPoint {
  @Field(() => String)
  month!: string;

  @Field(() => String)
  new!: string;

  @Field(() => String)
  existing!: string;

  @Field(() => String)
  churned!: string;
}

/** Fields every Insights report has. */
@InterfaceType('InsightsReport')
export abstract class InsightsReportBase {
  @Field(() => InsightsRange)
  range!: InsightsRange;

  @Field(() => [InsightsBreakdown], { description: 'Geography and distributions (metric x dimension), each with its trend' })
  breakdowns!: InsightsBreakdown[];
}

@ObjectType('OverviewReport', { implements: InsightsReportBase })
export class OverviewReport extends InsightsReportBase {
  @Field(() => InsightsKpi)
  customers!: InsightsKpi;

  @Requires('seeRevenue')
  @Field(() => InsightsKpi, { nullable: true, description: 'ACR (USD); needs a role that may see revenue (Executive report viewer)' })
  azureConsumedRevenue?: InsightsKpi | null;

  @Field(() => InsightsKpi)
  subscriptions!: InsightsKpi;

  @Field(() => InsightsKpi)
  activeSubscriptions!: InsightsKpi;

  @Field(() => InsightsKpi)
  licensesDeployed!: InsightsKpi;
}

@ObjectType('CustomersReport', { implements: InsightsReportBase })
export class CustomersReport extends InsightsReportBase {
  @Field(() => InsightsKpi)
  customers!: InsightsKpi;

  @Field(() => InsightsKpi)
  activeCustomers!: InsightsKpi;

  @Field(() => InsightsKpi)
  customersAdded!: InsightsKpi;

  @Field(() => InsightsKpi)
  customersChurned!: InsightsKpi;

  @Field(() => [InsightsAddsChurnsPoint])
  addsChurns!: InsightsAddsChurnsPoint[];
}

@ObjectType('SubscriptionsReport', { implements: InsightsReportBase })
export class SubscriptionsReport extends InsightsReportBase {
  @Field(() => InsightsKpi)
  subscriptions!: InsightsKpi;

  @Field(() => InsightsKpi)
  activeSubscriptions!: InsightsKpi;

  @Field(() => InsightsKpi)
  subscriptionsAdded!: InsightsKpi;

  @Field(() => InsightsKpi)
  subscriptionsChurned!: InsightsKpi;

  @Field(() => [InsightsAddsChurnsPoint])
  addsChurns!: InsightsAddsChurnsPoint[];
}

@ObjectType('LicensesReport', { implements: InsightsReportBase })
export class LicensesReport extends InsightsReportBase {
  @Field(() => InsightsKpi)
  licenses!: InsightsKpi;

  @Field(() => InsightsKpi)
  licensesDeployed!: InsightsKpi;

  @Field(() => InsightsKpi)
  activeLicenses!: InsightsKpi;

  @Field(() => InsightsKpi, { description: 'License adds: licenses added per month (purchases, quantity increases, trial conversions)' })
  licensesAdded!: InsightsKpi;
}

@ObjectType('AzureUsageReport', { implements: InsightsReportBase })
export class AzureUsageReport extends InsightsReportBase {
  @Field(() => InsightsKpi)
  azureSubscriptions!: InsightsKpi;

  @Field(() => InsightsKpi)
  activeAzureSubscriptions!: InsightsKpi;

  @Requires('seeRevenue')
  @Field(() => InsightsKpi, { nullable: true, description: 'ACR (USD); needs a role that may see revenue (Executive report viewer)' })
  azureConsumedRevenue?: InsightsKpi | null;

  @Requires('seeRevenue')
  @Field(() => [InsightsBreakdown], {
    nullable: true,
    description: 'ACR by customer country and the Azure utilization (month-over-month ACR by meter category, change vs the previous month)',
  })
  revenueBreakdowns?: InsightsBreakdown[] | null;
}

@ObjectType('InsightsMetricDefinition', { description: 'A metric as defined once in warehouse/insights/metrics' })
export class InsightsMetricDefinition {
  @Field(() => String)
  name!: string;

  @Field(() => [String])
  reports!: string[];

  @Field(() => String)
  title!: string;

  @Field(() => String)
  definition!: string;

  @Field(() => String)
  unit!: string;

  @Field(() => String)
  grain!: string;

  @Field(() => String, { description: '"last" (current value), "sum" (range total) or "distinct" (the measure over the whole range at once, e.g. distinct customers)' })
  rangeValue!: string;

  @Field(() => [InsightsDimension])
  dimensions!: InsightsDimension[];

  @Field(() => [String], { description: 'Permissions needed, all of them (schema/common/permissions.ts)' })
  permissions!: string[];

  @Field(() => [String], { description: 'Roles that have all of them' })
  roles!: string[];
}

@ObjectType('InsightsMetricResult')
export class InsightsMetricResult extends InsightsKpi {
  @Field(() => InsightsRange)
  range!: InsightsRange;

  @Field(() => InsightsDimension, { nullable: true })
  splitBy!: InsightsDimension | null;

  @Field(() => [InsightsBreakdownItem], { description: 'Per split value; empty without splitBy' })
  groups!: InsightsBreakdownItem[];
}

export enum InsightsAnalyticsReportName {
  SUBSCRIPTION_ANALYTICS = 'subscriptionAnalytics',
  AZURE_USAGE_ANALYTICS = 'azureUsageAnalytics',
  RESELLER_ANALYTICS = 'resellerAnalytics',
}
registerEnumType(InsightsAnalyticsReportName, {
  name: 'InsightsAnalyticsReportName',
  description: 'CSP analytics pages: subscription and license analytics, Azure usage analytics, indirect reseller analytics',
});

@ObjectType('InsightsAnalyticsReport', { implements: InsightsReportBase, description: 'A CSP analytics page: its KPIs (metric definitions) and breakdowns' })
export class InsightsAnalyticsReport extends InsightsReportBase {
  @Field(() => InsightsAnalyticsReportName)
  name!: InsightsAnalyticsReportName;

  @Field(() => [InsightsKpi])
  kpis!: InsightsKpi[];
}

/** What every subscription item of the analytics lists shows of the subscription (its subclasses are the GraphQL types; no field returns it). */
@ObjectType('InsightsSubscriptionFields')
export abstract class InsightsSubscriptionFields {
  @Field(() => String)
  subscriptionId!: string;

  @Field(() => String)
  customerId!: string;

  @Field(() => String, { nullable: true })
  companyName!: string | null;

  @Field(() => String, { nullable: true })
  friendlyName!: string | null;

  @Field(() => String, { nullable: true, description: 'Partner location (MPN ID)' })
  mpnId!: string | null;
}

@ObjectType('InsightsSubscriptionItem')
export class InsightsSubscriptionItem extends InsightsSubscriptionFields {
  @Field(() => String, { nullable: true, description: 'Term end (renewals) or trial end (trials), YYYY-MM-DD' })
  date!: string | null;
}

@ObjectType('InsightsCustomerSpend')
export class InsightsCustomerSpend {
  @Field(() => String)
  customerId!: string;

  @Field(() => String, { nullable: true })
  companyName!: string | null;

  @Field(() => String, { description: 'ACR (USD) over the range, 2 decimals' })
  acrUsd!: string;
}

@ObjectType('InsightsBudgetItem')
export class InsightsBudgetItem {
  @Field(() => String)
  subscriptionId!: string;

  @Field(() => String)
  customerId!: string;

  @Field(() => String, {
    description:
      "The subscription's budget: BudgetAmount of the subscriptions file (a column this product adds to Partner Center's export), in `currency`. " +
      "Partner Center's own Azure spending budgets are per customer: Customer.budget",
  })
  budgetAmount!: string;

  @Field(() => String, { nullable: true, description: "The budget's currency: the subscription's (its Currency, the customer's billing currency)" })
  currency!: string | null;

  @Field(() => String, {
    description: "The subscription's daily-rated usage of the range's last month in the budget's currency (sum of BillingPreTaxTotal of its lines billed in `currency`), 2 decimals",
  })
  spent!: string;

  @Field(() => String, { description: "ACR (USD) of the range's last month, 2 decimals; for reference only: the budget is compared with `spent`, in its own currency" })
  spentUsd!: string;

  @Field(() => Float, { nullable: true, description: 'spent ÷ budgetAmount × 100, both in `currency`, 2 decimals; null without a currency or for a budget of 0' })
  percentUsed!: number | null;
}
