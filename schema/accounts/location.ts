import { Directive, Field, ObjectType, registerEnumType } from 'type-graphql';
import { CountryCodeScalar } from '../common/scalars';

export enum Market {
  DEVELOPED = 'Developed',
  DEVELOPING = 'Developing',
}
registerEnumType(Market, { name: 'Market', description: 'Developed or developing market, as Partner Center classifies a location' });

/**
 * A partner location account (PLA): one MPN ID, used for transactions and incentives. Entity:
 * other subgraphs refer to it as `{ __typename: "Location", mpnId }`.
 */
@Directive('@key(fields: "mpnId")')
@ObjectType({ description: 'A partner location (Partner location account), one MPN ID each' })
export class Location {
  @Field(() => String, { description: 'The location MPN ID' })
  mpnId!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => CountryCodeScalar, { nullable: true })
  country!: string | null;

  @Field(() => Market, { nullable: true })
  market!: Market | null;

  @Field(() => Boolean, { nullable: true })
  isHeadquarters!: boolean | null;
}
