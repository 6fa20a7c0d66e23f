import { FACTS } from '../facts';
import { defineMetrics } from './types';

const dims = FACTS.subscription.dimensions;
/** Subscriptions still held (active or inactive): every state but Deprovisioned and Expired. */
export const LIVE = `state NOT IN ('Deprovisioned', 'Expired')`;
/** Telemetry-measured activity; Azure trial subscriptions excluded. */
export const ACTIVE = `active_usage AND NOT (product_family = 'Azure' AND is_trial)`;

/**
 * Subscriptions added (reference line 16381): "New subscriptions with Active or Renewed state are
 * counted as Subscriptions added". New: created in the month (is_new). Active: the state at the end of
 * the month. Renewed is no subscription status (core/vocabulary.ts SUBSCRIPTION_STATUSES): it is what
 * the month's Renew event records (`renewed`, warehouse/insights/rollups.ts), so a new subscription
 * renewed in the month counts even when it ends the month in another state (e.g. suspended after the
 * renewal). "New" qualifies both states: a renewal of an older subscription is not an addition (it is
 * in the "existing" stack of the adds/churns trend). The subscription cube keeps is_new, state and
 * renewed per cell, so the rollup reads the same rule (subscriptionCount).
 */
export const ADDED = `is_new AND (state = 'Active' OR renewed)`;

/**
 * Distinct subscriptions matching `condition`: over the fact rows, and over the subscription cube,
 * where each subscription is in one cell per month (cubes.ts), the sum of the cells' counts.
 */
export function subscriptionCount(condition: string): { measure: string; rollupMeasure: string } {
  return {
    measure: `count(DISTINCT subscription_id) FILTER (WHERE ${condition})`,
    rollupMeasure: `coalesce(sum(subscriptions) FILTER (WHERE ${condition}), 0)::BIGINT`,
  };
}

/** Product Subscriptions report (and the subscription KPIs of the Overview). */
export const SUBSCRIPTION_METRICS = defineMetrics([
  {
    name: 'subscriptions',
    reports: ['overview', 'subscriptions'],
    title: 'Subscriptions',
    definition:
      'Total current count of Cloud product subscriptions (active and inactive) sold or managed by you: subscriptions in any state but Deprovisioned or Expired at the end of the month.',
    unit: 'count',
    grain: 'month',
    fact: 'subscription',
    ...subscriptionCount(LIVE),
    rangeValue: 'last',
    dimensions: dims,
    permissions: ['readProductReports'],
  },
  {
    name: 'activeSubscriptions',
    reports: ['overview', 'subscriptions'],
    title: 'Active subscriptions',
    definition:
      'Current count of Cloud product subscriptions with Active usage measured based on product telemetry (license telemetry with active users in the last 28 days, or Azure usage in the month). This excludes all trial subscriptions in the case of Azure subscriptions.',
    unit: 'count',
    grain: 'month',
    fact: 'subscription',
    ...subscriptionCount(ACTIVE),
    rangeValue: 'last',
    dimensions: dims,
    permissions: ['readProductReports'],
  },
  {
    name: 'subscriptionsAdded',
    reports: ['subscriptions'],
    title: 'Subscriptions added',
    definition:
      'Total customer subscriptions added (sold or managed) by you during the selected date range. "New subscriptions with Active or Renewed state are counted as Subscriptions added": subscriptions created in the month that are Active at the end of the month or were renewed (a Renew event) in it.',
    unit: 'count',
    grain: 'month',
    fact: 'subscription',
    ...subscriptionCount(ADDED),
    rangeValue: 'sum',
    dimensions: dims,
    permissions: ['readProductReports'],
  },
  {
    name: 'subscriptionsExisting',
    reports: ['subscriptions'],
    title: 'Existing subscriptions',
    definition: 'Subscriptions held at the end of the month (any state but Deprovisioned or Expired) that were not created that month (the "existing" stack of Subscription adds/churns).',
    unit: 'count',
    grain: 'month',
    fact: 'subscription',
    ...subscriptionCount(`${LIVE} AND NOT is_new`),
    rangeValue: 'last',
    dimensions: dims,
    permissions: ['readProductReports'],
  },
  {
    name: 'subscriptionsChurned',
    reports: ['subscriptions'],
    title: 'Subscriptions churned',
    definition:
      'Total customer subscriptions churned during the selected date range. Subscriptions with state Deprovisioned or Suspended in that month (a Cancel or Suspend event dated in the month) are counted as a churned subscription.',
    unit: 'count',
    grain: 'month',
    fact: 'subscription',
    ...subscriptionCount('churned'),
    rangeValue: 'sum',
    dimensions: dims,
    permissions: ['readProductReports'],
  },
] as const);
