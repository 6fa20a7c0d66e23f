import { Field, Float, Int, ObjectType } from 'type-graphql';

@ObjectType('Competency', { description: 'A competency and level of the company, with its stage today (reference line 16663)' })
export class Competency {
  @Field(() => String, { description: 'Competency name as Partner Center writes it, e.g. CloudPlatform' })
  name!: string;

  @Field(() => String, { nullable: true, description: 'App and Infrastructure, Business applications, Data and AI or Modern workplace' })
  area!: string | null;

  @Field(() => String, { description: 'Silver or Gold' })
  level!: string;

  @Field(() => String, { description: 'Started, Qualified or Active' })
  stage!: string;

  @Field(() => Boolean, { description: 'Active, with key metrics projected to fall below the threshold at the anniversary date' })
  atRisk!: boolean;

  @Field(() => String, { nullable: true, description: 'Date of the latest attainment or renewal (Active), YYYY-MM-DD' })
  attainmentDate!: string | null;

  @Field(() => String, { nullable: true, description: 'Anniversary date: one year after the attainment, when the requirements must be met again, YYYY-MM-DD' })
  anniversaryDate!: string | null;
}

@ObjectType('CompetencyLevelCount', { description: 'Competencies of one level in a stage, with their names' })
export class CompetencyLevelCount {
  @Field(() => String, { description: 'Gold or Silver' })
  level!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => [String], { description: 'Competency names' })
  competencies!: string[];
}

@ObjectType('CompetencyStageCount', { description: 'The summary: competencies at one stage of the life cycle, by level' })
export class CompetencyStageCount {
  @Field(() => String, { description: 'Started (requirements in progress), Qualified (requirements met, offer purchased or not: Active ones included), Active (requirements met and offer purchased), At risk (Active and at risk next year)' })
  stage!: string;

  @Field(() => Int)
  count!: number;

  @Field(() => [CompetencyLevelCount], { description: 'Gold, then Silver' })
  levels!: CompetencyLevelCount[];
}

@ObjectType('CompetencyHistoryEntry', { description: 'A row of the Competency history table' })
export class CompetencyHistoryEntry {
  @Field(() => String)
  competency!: string;

  @Field(() => String, { description: 'Silver or Gold' })
  level!: string;

  @Field(() => String, { description: 'YYYY-MM-DD' })
  attainmentDate!: string;

  @Field(() => String, { description: 'Attained, Renewed or Lost' })
  action!: string;
}

@ObjectType('CompetenciesReport', { description: 'The Competencies report (reference lines 16663-16750): summary by stage and level, the competencies at risk, the history' })
export class CompetenciesReport {
  @Field(() => String, { nullable: true, description: 'Date of the competency status, YYYY-MM-DD (null: no status loaded)' })
  asOf!: string | null;

  @Field(() => [CompetencyStageCount], { description: 'Started, Qualified, Active, At risk' })
  summary!: CompetencyStageCount[];

  @Field(() => [Competency], { description: 'The Active competencies at risk of not meeting the requirements next year, next anniversary first' })
  atRisk!: Competency[];

  @Field(() => [Competency], { description: 'Every competency and level with its stage, by name' })
  competencies!: Competency[];
}

@ObjectType('BenefitMonth', { description: 'A benefit in one month' })
export class BenefitMonth {
  @Field(() => String, { description: 'YYYY-MM' })
  month!: string;

  @Field(() => String, { description: 'Quantity granted (allocated), a decimal string' })
  granted!: string;

  @Field(() => String, { description: 'Quantity used (activated, consumed), a decimal string' })
  used!: string;
}

@ObjectType('Benefit', { description: 'A benefit granted to the company and its use, as of the latest month with data' })
export class Benefit {
  @Field(() => String, { description: 'Cloud services, Software products, Visual Studio subscriptions, Technical benefits or Go-to-market' })
  category!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Licenses, Seats, Incidents, Hours, Offers or USD credit' })
  unit!: string;

  @Field(() => String, { description: 'Quantity granted, a decimal string' })
  granted!: string;

  @Field(() => String, { description: 'Quantity used (activated, consumed), a decimal string' })
  used!: string;

  @Field(() => String, { description: 'granted − used, at least 0' })
  remaining!: string;

  @Field(() => Float, { nullable: true, description: 'used ÷ granted × 100, 2 decimals; null when nothing is granted' })
  usePercent!: number | null;

  @Field(() => String, { nullable: true, description: 'Start of the benefit year, YYYY-MM-DD' })
  activationDate!: string | null;

  @Field(() => String, { nullable: true, description: 'Last day of the benefit year, YYYY-MM-DD' })
  expiryDate!: string | null;

  @Field(() => [BenefitMonth], { description: 'Granted and used per month of the range' })
  series!: BenefitMonth[];
}

@ObjectType('BenefitCategorySummary', { description: 'The summary: the benefits of one category and unit' })
export class BenefitCategorySummary {
  @Field(() => String)
  category!: string;

  @Field(() => String)
  unit!: string;

  @Field(() => Int, { description: 'Benefits of this category and unit' })
  benefits!: number;

  @Field(() => String)
  granted!: string;

  @Field(() => String)
  used!: string;

  @Field(() => String)
  remaining!: string;

  @Field(() => Float, { nullable: true })
  usePercent!: number | null;
}

@ObjectType('BenefitsReport', { description: 'The Benefits report (reference lines 16751-16857): benefits granted and their use' })
export class BenefitsReport {
  @Field(() => String, { nullable: true, description: 'The latest month with data, YYYY-MM (null: no benefits loaded)' })
  asOf!: string | null;

  @Field(() => String, { nullable: true, description: 'First month of the range, YYYY-MM' })
  from!: string | null;

  @Field(() => [BenefitCategorySummary], { description: 'By category (in the report\'s order) and unit' })
  summary!: BenefitCategorySummary[];

  @Field(() => [Benefit], { description: 'Every benefit granted in the latest month, by category and name' })
  benefits!: Benefit[];

  @Field(() => [Benefit], { description: 'Benefits with something left whose expiry date is from today to expiringWithinDays after it, the first to expire first' })
  expiringSoon!: Benefit[];
}
