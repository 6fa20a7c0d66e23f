import { ANALYTICS_METRICS } from './analytics';
import { AZURE_USAGE_METRICS } from './azure-usage';
import { CUSTOMER_METRICS } from './customers';
import { LICENSE_METRICS } from './licenses';
import { REFERRAL_METRICS } from './referrals';
import { SUBSCRIPTION_METRICS } from './subscriptions';
import type { MetricDefinition } from './types';

export type { MetricDefinition, ReportName } from './types';

/**
 * Every Insights metric. To add one: add an entry to the report's file (or a new file listed
 * here, e.g. referrals.ts with a new fact in ../facts.ts); GraphQL `metric(name:)`,
 * `metricDefinitions`, runMetric and the reports pick it up.
 */
export const METRICS: readonly MetricDefinition[] = [...CUSTOMER_METRICS, ...SUBSCRIPTION_METRICS, ...LICENSE_METRICS, ...AZURE_USAGE_METRICS, ...ANALYTICS_METRICS, ...REFERRAL_METRICS];

const BY_NAME = new Map(METRICS.map((m) => [m.name, m]));
if (BY_NAME.size !== METRICS.length) throw new Error('duplicate Insights metric names');

export function findMetric(name: string): MetricDefinition | undefined {
  return BY_NAME.get(name);
}
