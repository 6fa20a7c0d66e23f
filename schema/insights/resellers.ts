import { Field, Int, ObjectType } from 'type-graphql';

@ObjectType('InsightsNewReseller', { description: 'New reseller details: an indirect reseller whose relationship started in the range' })
export class InsightsNewReseller {
  @Field(() => String, { description: 'Reseller MPN ID' })
  mpnId!: string;

  @Field(() => String, { nullable: true, description: 'Reseller name' })
  name!: string | null;

  @Field(() => String, { nullable: true, description: 'Location: the market where the reseller operates (country)' })
  country!: string | null;

  @Field(() => String, { nullable: true, description: 'Relationship start date, YYYY-MM-DD' })
  relationshipStartDate!: string | null;

  @Field(() => Int, { description: 'Subscriptions: the number of subscriptions the reseller has sold' })
  subscriptions!: number;

  @Field(() => Int, { description: 'Licenses: the licenses the reseller has sold across all its license-based subscriptions (trials left out)' })
  licenses!: number;
}
