import { FACTS } from '../facts';
import { ACTIVE, LIVE, subscriptionCount } from './subscriptions';
import { defineMetrics } from './types';

/** Product Azure usage report (and ACR of the Overview). */
export const AZURE_USAGE_METRICS = defineMetrics([
  {
    name: 'azureSubscriptions',
    reports: ['azureUsage'],
    title: 'Azure subscriptions',
    definition: 'Current count of Azure customer subscriptions sold or managed by you (product family Azure, any state but Deprovisioned or Expired at the end of the month).',
    unit: 'count',
    grain: 'month',
    fact: 'subscription',
    ...subscriptionCount(`product_family = 'Azure' AND ${LIVE}`),
    rangeValue: 'last',
    dimensions: FACTS.subscription.dimensions,
    permissions: ['readProductReports'],
  },
  {
    name: 'activeAzureSubscriptions',
    reports: ['azureUsage'],
    title: 'Active Azure subscriptions',
    definition: 'Current count of Azure subscriptions sold or managed by you that had active usage over the last 30 days (daily-rated usage in the month; trials excluded).',
    unit: 'count',
    grain: 'month',
    fact: 'subscription',
    ...subscriptionCount(`product_family = 'Azure' AND ${ACTIVE}`),
    rangeValue: 'last',
    dimensions: FACTS.subscription.dimensions,
    permissions: ['readProductReports'],
  },
  {
    name: 'azureConsumedRevenue',
    reports: ['overview', 'azureUsage'],
    title: 'Azure Consumed Revenue (ACR)',
    definition:
      'Total Azure Consumed Revenue (US$) attributed to you over the selected date range: pre-tax consumed revenue of daily-rated Azure usage in USD, by usage month. Visible only to roles that may see revenue (Executive report viewer).',
    unit: 'USD',
    grain: 'month',
    fact: 'usage',
    measure: 'round(coalesce(sum(acr_usd), 0), 2)::DECIMAL(18,2)',
    rollupMeasure: 'round(coalesce(sum(acr_usd), 0), 2)::DECIMAL(18,2)',
    rangeValue: 'sum',
    dimensions: FACTS.usage.dimensions,
    permissions: ['readProductReports', 'seeRevenue'],
  },
] as const);
