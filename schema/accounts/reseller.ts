import { ArgsType, Directive, Field, InputType, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, ConnectionArgs } from '../common/connection';
import { CountryCodeScalar, DateScalar } from '../common/scalars';

export enum ResellerStatus {
  ACTIVE = 'Active',
  SUSPENDED = 'Suspended',
  TERMINATED = 'Terminated',
}
registerEnumType(ResellerStatus, { name: 'ResellerStatus' });

/**
 * An indirect reseller of an indirect provider. Entity: other subgraphs refer to it as
 * `{ __typename: "Reseller", mpnId }` (e.g. a subscription's reseller MPN ID).
 */
@Directive('@key(fields: "mpnId")')
@ObjectType({ description: 'An indirect reseller' })
export class Reseller {
  @Field(() => String, { description: 'The reseller’s MPN ID' })
  mpnId!: string;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => CountryCodeScalar, { nullable: true })
  country!: string | null;

  @Field(() => ResellerStatus, { nullable: true })
  status!: ResellerStatus | null;

  @Field(() => DateScalar, { nullable: true })
  relationshipStartDate!: string | null;
}

@ObjectType()
export class ResellerConnection extends Connection(Reseller) {}

@InputType()
export class ResellerFilter {
  @Field(() => String, { nullable: true, description: 'Name contains (case-insensitive) or MPN ID equals' })
  search?: string | null;

  @Field(() => ResellerStatus, { nullable: true })
  status?: ResellerStatus | null;
}

@ArgsType()
export class ResellersArgs extends ConnectionArgs {
  @Field(() => ResellerFilter, { nullable: true })
  filter?: ResellerFilter | null;
}
