import { Field, Float, Int, ObjectType, registerEnumType } from 'type-graphql';
import { Market } from '../accounts/location';
import { DateScalar } from '../common/scalars';

/**
 * Partner contribution indicators (PCI), per the Partner Center documentation (reference line 16926):
 * seven indicators scored against Microsoft-set thresholds per path and market. Computed by
 * warehouse/insights/pci (thresholds as data in thresholds.ts).
 */
export enum PciPathKind {
  CUSTOMER_ENGAGEMENT = 'CUSTOMER_ENGAGEMENT',
  FINANCE_AND_OPERATIONS = 'FINANCE_AND_OPERATIONS',
}
registerEnumType(PciPathKind, { name: 'PciPath', description: 'Cloud Business Applications competency path a PCI score is for' });

export enum PciIndicatorKind {
  NET_NEW_REVENUE = 'NET_NEW_REVENUE',
  NET_CUSTOMER_ADDS = 'NET_CUSTOMER_ADDS',
  FUNCTIONAL_CONSULTANTS = 'FUNCTIONAL_CONSULTANTS',
  FUNCTIONAL_CONSULTANT_GROWTH = 'FUNCTIONAL_CONSULTANT_GROWTH',
  DEVELOPERS = 'DEVELOPERS',
  NEW_LARGE_DEPLOYMENTS = 'NEW_LARGE_DEPLOYMENTS',
  MONTHLY_ACTIVE_USER_GROWTH = 'MONTHLY_ACTIVE_USER_GROWTH',
}
registerEnumType(PciIndicatorKind, { name: 'PciIndicatorKey', description: 'The seven partner contribution indicators' });

export enum PciUnit {
  USD = 'USD',
  COUNT = 'COUNT',
  RATIO = 'RATIO',
}
registerEnumType(PciUnit, {
  name: 'PciUnit',
  description: 'Unit of an indicator value: US dollars, a count, or a ratio (0.25 = 25% growth)',
});

@ObjectType({ description: 'One indicator of a PCI path: its value against its threshold and the points it earns' })
export class PciIndicator {
  @Field(() => PciIndicatorKind)
  key!: PciIndicatorKind;

  @Field(() => String)
  name!: string;

  @Field(() => Float, {
    nullable: true,
    description:
      'The value in `unit`; null when it cannot be computed. Net new revenue (USD) needs a role that sees revenue: otherwise null with FORBIDDEN',
  })
  value!: number | null;

  @Field(() => PciUnit)
  unit!: PciUnit;

  @Field(() => Float, { nullable: true, description: 'The value earning all points; null when the partner is not eligible (growth indicators)' })
  threshold!: number | null;

  @Field(() => Float, { description: 'Points earned, two decimals (partial points: max × min(1, value / threshold))' })
  points!: number;

  @Field(() => Int)
  maxPoints!: number;

  @Field(() => String, { nullable: true, description: 'How the value was obtained, or why no points' })
  note!: string | null;
}

@ObjectType({ description: 'A PCI score of a past month' })
export class PciScorePoint {
  @Field(() => DateScalar, { description: 'First day of the month' })
  month!: string;

  @Field(() => Float)
  score!: number;
}

@ObjectType({ description: 'An indicator short of its maximum points' })
export class PciGap {
  @Field(() => PciIndicatorKind)
  key!: PciIndicatorKind;

  @Field(() => String)
  name!: string;

  @Field(() => Float)
  pointsToGain!: number;
}

@ObjectType({ description: 'The PCI score of one path' })
export class PciPathScore {
  @Field(() => PciPathKind)
  path!: PciPathKind;

  @Field(() => Float, { description: 'Total score, 0-100' })
  score!: number;

  @Field(() => [PciIndicator])
  indicators!: PciIndicator[];

  @Field(() => [PciScorePoint], { description: 'The last 12 months, oldest first; the last is the as-of month' })
  history!: PciScorePoint[];

  @Field(() => [PciGap], { description: 'Indicators furthest from their thresholds first (most points to gain)' })
  furthestFromThreshold!: PciGap[];
}

@ObjectType({ description: 'Partner contribution indicators of the caller’s partner' })
export class PartnerContributionIndicators {
  @Field(() => DateScalar)
  asOf!: string;

  @Field(() => Market, { description: 'Market the thresholds are taken for' })
  market!: Market;

  @Field(() => String, { description: '"argument" or "locations" (Developing only when every location is in a developing market)' })
  marketSource!: string;

  @Field(() => DateScalar, { description: 'Functional consultant growth baseline snapshot' })
  baseline!: string;

  @Field(() => [PciPathScore])
  paths!: PciPathScore[];
}
