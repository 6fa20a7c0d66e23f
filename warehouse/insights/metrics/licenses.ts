import { FACTS } from '../facts';
import { defineMetrics } from './types';

const dims = FACTS.license.dimensions;

/** Product Licenses report (and Licenses deployed of the Overview), from license telemetry. */
export const LICENSE_METRICS = defineMetrics([
  {
    name: 'licenses',
    reports: ['licenses'],
    title: 'Licenses',
    definition:
      'Current count of all licenses sold or managed by you for seat-based cloud products, such as O365, Dynamics, M365, Power BI (licenses purchased per the month\'s license telemetry; includes unassigned licenses).',
    unit: 'count',
    grain: 'month',
    fact: 'license',
    measure: 'coalesce(sum(licenses_purchased), 0)::BIGINT',
    rollupMeasure: 'coalesce(sum(licenses_purchased), 0)::BIGINT',
    rangeValue: 'last',
    dimensions: dims,
    permissions: ['readProductReports'],
  },
  {
    name: 'licensesDeployed',
    reports: ['overview', 'licenses'],
    title: 'Licenses deployed',
    definition: 'Current count of all assigned licenses of your customers (licenses assigned per the month\'s license telemetry).',
    unit: 'count',
    grain: 'month',
    fact: 'license',
    measure: 'coalesce(sum(licenses_assigned), 0)::BIGINT',
    rollupMeasure: 'coalesce(sum(licenses_assigned), 0)::BIGINT',
    rangeValue: 'last',
    dimensions: dims,
    permissions: ['readProductReports'],
  },
  {
    name: 'activeLicenses',
    reports: ['licenses'],
    title: 'Active licenses',
    definition:
      'Current count of all customer licenses with any active usage over the last 30 days (active users in the last 28 days per the month\'s license telemetry, the window Partner Center telemetry reports).',
    unit: 'count',
    grain: 'month',
    fact: 'license',
    measure: 'coalesce(sum(active_users_28d), 0)::BIGINT',
    rollupMeasure: 'coalesce(sum(active_users_28d), 0)::BIGINT',
    rangeValue: 'last',
    dimensions: dims,
    permissions: ['readProductReports'],
  },
  {
    name: 'licensesAdded',
    reports: ['licenses'],
    title: 'License adds',
    definition:
      'Licenses added during the selected date range: licenses added to License-billed, non-trial subscriptions by purchases, quantity increases and trial conversions (quantity after minus before), by month.',
    unit: 'count',
    grain: 'month',
    fact: 'licenseEvent',
    measure: 'coalesce(sum(licenses_added), 0)::BIGINT',
    rollupMeasure: 'coalesce(sum(licenses_added), 0)::BIGINT',
    rangeValue: 'sum',
    dimensions: FACTS.licenseEvent.dimensions,
    permissions: ['readProductReports'],
  },
] as const);
