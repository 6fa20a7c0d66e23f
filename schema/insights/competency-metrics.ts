import { Field, Float, ObjectType, registerEnumType } from 'type-graphql';

export enum CompetencyMetricPeriod {
  TTM = 'TTM',
  ANNIVERSARY_YEAR = 'ANNIVERSARY_YEAR',
}
registerEnumType(CompetencyMetricPeriod, {
  name: 'CompetencyMetricPeriod',
  description: 'The two date ranges the Competency metric analysis is pivoted by (reference line 16719)',
  valuesConfig: {
    TTM: { description: 'The partner\'s performance over the last twelve months: the twelve months ending with the Insights reports\' as-of month' },
    ANNIVERSARY_YEAR: {
      description:
        'From the previous anniversary date to the next: an Active competency\'s own anniversary (competencies file), else the company\'s membership anniversary (benefits file activation date); the months so far, up to the as-of month',
    },
  },
});

@ObjectType('CompetencyMetric', { description: 'A performance metric (KPI) of a competency over the period, against its Silver and Gold thresholds' })
export class CompetencyMetric {
  @Field(() => String, { description: 'Metric id within the competency: AZURE_CONSUMED_REVENUE, AZURE_CUSTOMERS, ACTIVE_USERS, LICENSES_DEPLOYED, LICENSED_CUSTOMERS, WORKLOAD_ACTIVE_USERS, SEATS_SOLD or NEW_CUSTOMERS' })
  key!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'How it is measured, from which of the warehouse\'s facts' })
  definition!: string;

  @Field(() => String, { description: 'USD or count' })
  unit!: string;

  @Field(() => String, { description: 'Value over the period: sum (of its months), distinct (customers over its months) or last (its last month counted)' })
  aggregation!: string;

  @Field(() => String, {
    nullable: true,
    description: 'The metric over the period, a decimal string (counts as integers, USD with 2 decimals). USD metrics (Azure consumed revenue) need a role that sees revenue: otherwise null with FORBIDDEN',
  })
  value!: string | null;

  @Field(() => String, { description: 'Threshold for Silver over the period' })
  silverThreshold!: string;

  @Field(() => String, { description: 'Threshold for Gold over the period' })
  goldThreshold!: string;

  @Field(() => String, { description: 'Threshold at the competency\'s level (Silver or Gold)' })
  threshold!: string;

  @Field(() => Boolean, { description: 'value at or above threshold (shown to every role of the report, like the At risk status)' })
  met!: boolean;

  @Field(() => String, { nullable: true, description: 'threshold − value when not met, else 0. USD metrics: null with FORBIDDEN without a role that sees revenue' })
  gap!: string | null;

  @Field(() => Float, { nullable: true, description: 'value ÷ threshold × 100, 2 decimals. USD metrics: null with FORBIDDEN without a role that sees revenue' })
  percentOfThreshold!: number | null;
}

@ObjectType('CompetencyPerformance', { description: 'A competency and level of the company with its performance metrics over the period' })
export class CompetencyPerformance {
  @Field(() => String, { description: 'Competency name as Partner Center writes it, e.g. CloudPlatform' })
  name!: string;

  @Field(() => String, { nullable: true })
  area!: string | null;

  @Field(() => String, { description: 'Silver or Gold: the level held or worked toward; threshold, met and gap are at this level' })
  level!: string;

  @Field(() => String, { description: 'Started, Qualified or Active' })
  stage!: string;

  @Field(() => Boolean)
  atRisk!: boolean;

  @Field(() => Boolean, {
    description:
      'false: no metric is analysed, see note (Cloud Business Applications at the Active stage, which the analysis does not support; a competency whose performance requirement the warehouse has no fact for; no anniversary date)',
  })
  analysed!: boolean;

  @Field(() => String, { nullable: true, description: 'Why it is not analysed, or that its anniversary year is the company\'s membership year' })
  note!: string | null;

  @Field(() => String, { nullable: true, description: 'TTM: first day of its first month; anniversary year: the previous anniversary date. YYYY-MM-DD' })
  periodStart!: string | null;

  @Field(() => String, { nullable: true, description: 'TTM: last day of the as-of month; anniversary year: the next anniversary date. YYYY-MM-DD' })
  periodEnd!: string | null;

  @Field(() => String, { nullable: true, description: 'First month counted, YYYY-MM (the facts are monthly)' })
  firstMonth!: string | null;

  @Field(() => String, { nullable: true, description: 'Last month counted, YYYY-MM: the as-of month, or the anniversary year\'s last month' })
  lastMonth!: string | null;

  @Field(() => Boolean, { nullable: true, description: 'Every metric met at the competency\'s level; null when not analysed' })
  requirementsMet!: boolean | null;

  @Field(() => [CompetencyMetric], {
    description: 'Its performance metrics; metrics associated with learning and certification are not supported (reference line 16727), so none is listed',
  })
  metrics!: CompetencyMetric[];
}

@ObjectType('CompetencyMetricAnalysis', {
  description: 'The Competency metric analysis (reference lines 16714-16727): the status of competency metrics against the thresholds required to attain or retain the competency at Silver or Gold',
})
export class CompetencyMetricAnalysis {
  @Field(() => CompetencyMetricPeriod)
  period!: CompetencyMetricPeriod;

  @Field(() => String, { description: 'The Insights reports\' as-of month, YYYY-MM (PI_TODAY\'s month, else the latest month with data)' })
  asOf!: string;

  @Field(() => String, { description: 'The day anniversaries are placed against: the as-of month\'s last day, or today within it. YYYY-MM-DD' })
  asOfDay!: string;

  @Field(() => [CompetencyPerformance], { description: 'Every competency and level of the company, by name' })
  competencies!: CompetencyPerformance[];
}
