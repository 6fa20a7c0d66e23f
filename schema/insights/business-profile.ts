import { Field, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum BusinessProfileRangeKind {
  LAST_30_DAYS = 'LAST_30_DAYS',
  LAST_3_MONTHS = 'LAST_3_MONTHS',
  LAST_6_MONTHS = 'LAST_6_MONTHS',
}
registerEnumType(BusinessProfileRangeKind, {
  name: 'BusinessProfileRangeKind',
  description: 'Business profile insights period: 30D (the default), 3M or 6M, in days ending today (today included)',
});

@ObjectType('BusinessProfileRange')
export class BusinessProfileRange {
  @Field(() => BusinessProfileRangeKind)
  kind!: BusinessProfileRangeKind;

  @Field(() => String, { description: 'First day, YYYY-MM-DD' })
  from!: string;

  @Field(() => String, { description: 'Last day (today: PI_TODAY, else the clock), YYYY-MM-DD' })
  to!: string;
}

@ObjectType('BusinessProfileFigures', { description: 'Profile performance summary over the period' })
export class BusinessProfileFigures {
  @Field(() => Int, { description: 'Search results: times the profile appeared in "Find a solution provider" search results' })
  searchResults!: number;

  @Field(() => Int, { description: 'Page views: times customers viewed the business profile' })
  pageViews!: number;

  @Field(() => Int, { description: 'Contact clicks: times customers selected the profile to contact you' })
  contactClicks!: number;

  @Field(() => Int, { description: 'Referrals generated: Incoming referrals of source Direct (created by a customer from the profile) created in the period' })
  referralsGenerated!: number;
}

@ObjectType('BusinessProfileDay')
export class BusinessProfileDay extends BusinessProfileFigures {
  @Field(() => String, { description: 'YYYY-MM-DD' })
  date!: string;
}

@ObjectType('BusinessProfileSearchTerm', { description: 'A search term customers used to find the profile' })
export class BusinessProfileSearchTerm {
  @Field(() => String)
  term!: string;

  @Field(() => Int)
  searchResults!: number;

  @Field(() => Int)
  pageViews!: number;

  @Field(() => Int)
  contactClicks!: number;
}

@ObjectType('BusinessProfileInsights', { description: 'Referrals > Business profile insights: how customers find, view and contact your business profile' })
export class BusinessProfileInsights {
  @Field(() => BusinessProfileRange)
  range!: BusinessProfileRange;

  @Field(() => BusinessProfileFigures)
  summary!: BusinessProfileFigures;

  @Field(() => [BusinessProfileDay], { description: 'Each day of the period, zero days included' })
  daily!: BusinessProfileDay[];

  @Field(() => [BusinessProfileSearchTerm], { description: 'Search terms, most search results first' })
  searchTerms!: BusinessProfileSearchTerm[];
}
