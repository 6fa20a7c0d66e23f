import { FACTS } from '../facts';
import { defineMetrics } from './types';

const dims = FACTS.customer.dimensions;

/** Customers dashboard (reference "Customers dashboard reports from Partner Center Insights"). */
export const CUSTOMER_METRICS = defineMetrics([
  {
    name: 'customers',
    reports: ['overview', 'customers'],
    title: 'Customers',
    definition:
      'Current count of all customers your organization is associated with through different attribution types across all cloud products. A customer is counted if they have at least one subscription with Active status (at the end of the month).',
    unit: 'count',
    grain: 'month',
    fact: 'customer',
    measure: 'count(DISTINCT customer_id) FILTER (WHERE counted)',
    rollupMeasure: 'coalesce(sum(counted), 0)::BIGINT',
    rangeValue: 'last',
    dimensions: dims,
    permissions: ['readReports'],
  },
  {
    name: 'activeCustomers',
    reports: ['customers'],
    title: 'Active customers',
    definition:
      'Current count of customers with any active product usage, such as active usage on any of the Cloud products (license telemetry with active users in the last 28 days, or Azure usage in the month).',
    unit: 'count',
    grain: 'month',
    fact: 'customer',
    measure: 'count(DISTINCT customer_id) FILTER (WHERE active_usage)',
    rollupMeasure: 'coalesce(sum(active_usage), 0)::BIGINT',
    rangeValue: 'last',
    dimensions: dims,
    permissions: ['readReports'],
  },
  {
    name: 'customersAdded',
    reports: ['customers'],
    title: 'Customers added',
    definition:
      'Count of all customers added during the selected time period: customers counted (at least one Active subscription) at the end of a month who were not counted at the end of the month before.',
    unit: 'count',
    grain: 'month',
    fact: 'customer',
    measure: 'count(DISTINCT customer_id) FILTER (WHERE counted AND NOT coalesce(prev_counted, FALSE))',
    rollupMeasure: 'coalesce(sum(added), 0)::BIGINT',
    rangeValue: 'sum',
    dimensions: dims,
    permissions: ['readReports'],
  },
  {
    name: 'customersExisting',
    reports: ['customers'],
    title: 'Existing customers',
    definition: 'Customers counted at the end of a month who were already counted at the end of the month before (the "existing" stack of Customer adds and churns).',
    unit: 'count',
    grain: 'month',
    fact: 'customer',
    measure: 'count(DISTINCT customer_id) FILTER (WHERE counted AND coalesce(prev_counted, FALSE))',
    rollupMeasure: 'coalesce(sum(existing), 0)::BIGINT',
    rangeValue: 'last',
    dimensions: dims,
    permissions: ['readReports'],
  },
  {
    name: 'customersChurned',
    reports: ['customers'],
    title: 'Customers churned',
    definition:
      'Count of all customers churned each month during the selected time period. A customer is considered lost if the customer does not have a single subscription with active status (counted at the end of the month before, not at the end of this month).',
    unit: 'count',
    grain: 'month',
    fact: 'customer',
    measure: 'count(DISTINCT customer_id) FILTER (WHERE NOT counted AND coalesce(prev_counted, FALSE))',
    rollupMeasure: 'coalesce(sum(churned), 0)::BIGINT',
    rangeValue: 'sum',
    dimensions: dims,
    permissions: ['readReports'],
  },
] as const);
