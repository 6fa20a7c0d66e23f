import { Field, ObjectType } from 'type-graphql';
import { DateTimeScalar } from '../common/scalars';

/** What every run of the server's background work (a load job, a sync) says of its course. Not a type of the schema itself: referenced by none, only inherited. */
@ObjectType()
export abstract class BackgroundRun {
  @Field(() => String, { nullable: true, description: 'Why it FAILED' })
  error!: string | null;

  @Field(() => DateTimeScalar)
  createdAt!: string;

  @Field(() => DateTimeScalar, { nullable: true })
  startedAt!: string | null;

  @Field(() => DateTimeScalar, { nullable: true })
  finishedAt!: string | null;
}
