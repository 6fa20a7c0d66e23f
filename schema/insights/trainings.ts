import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import { InsightsRange } from './report';

export enum TrainingType {
  CERTIFICATION = 'Certification',
  ASSESSMENT = 'Assessment',
  EXAM = 'Exam',
}
registerEnumType(TrainingType, { name: 'TrainingType', description: 'What the Trainings report splits trainings by: certifications, assessments, exams' });

@InputType('TrainingsFilters', { description: 'Trainings report filters; absent or empty: all' })
export class TrainingsFiltersInput {
  @Field(() => [String], { nullable: true, description: 'Partner locations: MPN IDs of the individuals\' locations' })
  locationMpnIds?: string[] | null;
}

@ObjectType('TrainingMonthCount')
export class TrainingMonthCount {
  @Field(() => String, { description: 'YYYY-MM' })
  month!: string;

  @Field(() => Int)
  value!: number;
}

@ObjectType('TrainingKpi', { description: 'A Trainings summary figure over the date range, and month by month (Training performance)' })
export class TrainingKpi {
  @Field(() => String)
  name!: string;

  @Field(() => String)
  title!: string;

  @Field(() => String, { description: 'The documented definition' })
  definition!: string;

  @Field(() => Int, { description: 'Over the whole range (distinct individuals are counted once over the range)' })
  value!: number;

  @Field(() => [TrainingMonthCount], { description: 'Per month of the range (Training performance), zero months included' })
  series!: TrainingMonthCount[];
}

@ObjectType('TrainingCompleted')
export class TrainingCompleted {
  @Field(() => TrainingType)
  type!: TrainingType;

  @Field(() => String)
  code!: string;

  @Field(() => String, { nullable: true, description: 'Training name' })
  name!: string | null;

  @Field(() => String, { description: 'Completion date, YYYY-MM-DD' })
  completionDate!: string;
}

@ObjectType('TrainingIndividual', { description: 'An individual\'s trainings of the range (Individuals\' performance)' })
export class TrainingIndividual {
  @Field(() => String)
  individualId!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => Int)
  trainingCount!: number;

  @Field(() => [TrainingCompleted], { description: 'Most recent first' })
  trainings!: TrainingCompleted[];
}

@ObjectType('TrainingsReport', { description: 'The Trainings dashboard (Insights): certifications, assessments and exams of the partner\'s individuals' })
export class TrainingsReport {
  @Field(() => InsightsRange)
  range!: InsightsRange;

  @Field(() => TrainingKpi)
  individualsWithCertifications!: TrainingKpi;

  @Field(() => TrainingKpi)
  certifications!: TrainingKpi;

  @Field(() => TrainingKpi)
  individualsWithAssessments!: TrainingKpi;

  @Field(() => TrainingKpi)
  assessments!: TrainingKpi;

  @Field(() => TrainingKpi)
  individualsWithExams!: TrainingKpi;

  @Field(() => TrainingKpi)
  exams!: TrainingKpi;
}
