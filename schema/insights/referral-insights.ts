import { Field, Float, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Requires } from '../common/permissions';
import { InsightsMonthValue } from './report';

export enum ReferralInsightsRangeKind {
  LAST_3_MONTHS = 'LAST_3_MONTHS',
  LAST_6_MONTHS = 'LAST_6_MONTHS',
  LAST_12_MONTHS = 'LAST_12_MONTHS',
  LIFETIME = 'LIFETIME',
}
registerEnumType(ReferralInsightsRangeKind, {
  name: 'ReferralInsightsRangeKind',
  description:
    'Referral insights date range: 3M (the default), 6M, 1Y or Lifetime. N months = the N full months before the current month plus the current month to date (now = June 15, 3M: March..June)',
});

@InputType('ReferralInsightsFilters', { description: 'Page filters; each list is "all" when absent or empty. The summary ignores them (documented: only the date range applies to it)' })
export class ReferralInsightsFiltersInput {
  @Field(() => [String], { nullable: true, description: 'Markets: customer countries (ISO 3166 alpha-2)' })
  markets?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Referral directions: Incoming, Outgoing' })
  directions?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Referral sources: Direct, Marketing qualified, Sales qualified, Unqualified' })
  sources?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Referral types: Independent, Co-sell' })
  types?: string[] | null;

  @Field(() => [String], { nullable: true, description: 'Solutions (the referral\'s solution name)' })
  solutions?: string[] | null;
}

@ObjectType('ReferralInsightsRange')
export class ReferralInsightsRange {
  @Field(() => ReferralInsightsRangeKind)
  kind!: ReferralInsightsRangeKind;

  @Field(() => String, { description: 'First month, YYYY-MM-01' })
  from!: string;

  @Field(() => String, { description: 'Last (current, in-progress) month, YYYY-MM-01' })
  to!: string;

  @Field(() => String, { nullable: true, description: 'First full month (YYYY-MM): the base of the % changes' })
  firstFullMonth!: string | null;

  @Field(() => String, { nullable: true, description: 'Last full month (YYYY-MM): compared with the first full month' })
  lastFullMonth!: string | null;

  @Field(() => String, { description: 'The instant the range and the 14-day expiry rule are evaluated at (PI_TODAY, else the clock)' })
  now!: string;
}

@ObjectType('ReferralKpi', { description: 'A referrals summary figure (a metric of warehouse/insights/metrics/referrals.ts)' })
export class ReferralKpi {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String)
  definition!: string;

  @Field(() => String)
  unit!: string;

  @Field(() => String, { description: 'Total over the range: an integer for counts, 2 decimals for USD' })
  value!: string;

  @Field(() => Float, { nullable: true, description: '% change: last full month vs first full month of the range; null when the first is 0' })
  changePercent!: number | null;

  @Field(() => [InsightsMonthValue], { description: 'Per month of creation' })
  series!: InsightsMonthValue[];
}

@ObjectType('ReferralGroup')
export class ReferralGroup {
  @Field(() => String, { description: 'Source, direction or customer country' })
  key!: string;

  @Field(() => Int)
  referrals!: number;

  @Field(() => Int)
  won!: number;

  @Requires('seeDealValue')
  @Field(() => String, { nullable: true, description: 'Won referrals\' deal value, USD; needs seeDealValue' })
  dealVolumeUsd?: string | null;

  @Field(() => Float, { nullable: true, description: '% of the referrals' })
  percentOfTotal!: number | null;
}

@ObjectType('ReferralsSummary', { description: 'Only the date range applies to the summary; the page filters do not' })
export class ReferralsSummary {
  @Field(() => ReferralKpi)
  referrals!: ReferralKpi;

  @Field(() => ReferralKpi)
  won!: ReferralKpi;

  @Requires('seeDealValue')
  @Field(() => ReferralKpi, { nullable: true, description: 'Deal volume (USD) of the won referrals; needs seeDealValue (Executive report viewer, Referrals admin, Global admin)' })
  dealVolumeUsd?: ReferralKpi | null;

  @Field(() => [ReferralGroup])
  bySource!: ReferralGroup[];

  @Field(() => [ReferralGroup])
  byDirection!: ReferralGroup[];
}

@ObjectType('ReferralSolutionPerformance')
export class ReferralSolutionPerformance {
  @Field(() => String)
  solution!: string;

  @Field(() => Int)
  referrals!: number;

  @Field(() => Int, { description: 'Deals won' })
  won!: number;

  @Field(() => Float, { nullable: true, description: 'Conversion rate: % of the referrals won' })
  conversionRatePercent!: number | null;

  @Requires('seeDealValue')
  @Field(() => String, { nullable: true, description: 'Deal volume (USD) of the won referrals' })
  dealVolumeUsd?: string | null;

  @Requires('seeDealValue')
  @Field(() => String, { nullable: true, description: 'Average deal size (USD): deal volume / deals won' })
  averageDealSizeUsd?: string | null;
}

@ObjectType('ReferralFunnel', { description: 'Conversion funnel: referrals of the range that reached New (all), Accepted, Won' })
export class ReferralFunnel {
  @Field(() => Int)
  new!: number;

  @Field(() => Int)
  accepted!: number;

  @Field(() => Int)
  won!: number;
}

@ObjectType('ReferralProgression', { description: 'Average days between stages (2 decimals) over the referrals that reached both' })
export class ReferralProgression {
  @Field(() => Float, { nullable: true })
  newToAcceptedDays!: number | null;

  @Field(() => Float, { nullable: true })
  acceptedToWonDays!: number | null;

  @Field(() => Float, { nullable: true })
  acceptedToLostDays!: number | null;

  @Field(() => Float, { nullable: true })
  newToDeclinedDays!: number | null;
}

@ObjectType('ReferralPendingItem')
export class ReferralPendingItem {
  @Field(() => String)
  id!: string;

  @Field(() => String)
  customerName!: string;

  @Field(() => String)
  createdAt!: string;

  @Field(() => String, { description: 'Created + 14 days: after it the referral is Expired' })
  expiresAt!: string;
}

@ObjectType('ReferralPending', { description: 'Referrals still New and not expired (yet to be accepted or declined)' })
export class ReferralPending {
  @Field(() => Int)
  count!: number;

  @Field(() => [ReferralPendingItem], { description: 'Oldest first (expiring soonest), at most 100' })
  referrals!: ReferralPendingItem[];
}

@ObjectType('ReferralStatusCount')
export class ReferralStatusCount {
  @Field(() => String, { description: 'New, Active, Won, Lost, Declined, Expired (after the 14-day expiry rule)' })
  status!: string;

  @Field(() => Int)
  count!: number;
}

@ObjectType('ReferralTrendPoint')
export class ReferralTrendPoint {
  @Field(() => String, { description: 'YYYY-MM' })
  month!: string;

  @Field(() => Int)
  referrals!: number;

  @Field(() => Int)
  won!: number;
}

@ObjectType('ReferralInsights', { description: 'Partner Center Referral insights (Referrals > Referral insights)' })
export class ReferralInsights {
  @Field(() => ReferralInsightsRange)
  range!: ReferralInsightsRange;

  @Field(() => ReferralsSummary)
  summary!: ReferralsSummary;

  @Field(() => [ReferralSolutionPerformance], { description: 'Performance by solution, top solutions by won deal volume first (by deals won without seeDealValue)' })
  solutions!: ReferralSolutionPerformance[];

  @Field(() => ReferralFunnel)
  funnel!: ReferralFunnel;

  @Field(() => ReferralProgression)
  progression!: ReferralProgression;

  @Field(() => ReferralPending)
  pending!: ReferralPending;

  @Field(() => [ReferralGroup], { description: 'Referrals location: by customer country' })
  locations!: ReferralGroup[];

  @Field(() => [ReferralStatusCount], { description: 'Referral status distribution' })
  statuses!: ReferralStatusCount[];

  @Field(() => [ReferralTrendPoint], { description: 'Referrals trend: per month of the range' })
  trend!: ReferralTrendPoint[];
}
