import 'reflect-metadata';
import { ArgsType, Directive, Field, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { ClassType } from 'type-graphql';
import { NonNegativeIntScalar } from './scalars';

/**
 * Relay cursor connections (https://relay.dev/graphql/connections.htm).
 *
 *   @ObjectType() export class CustomerConnection extends Connection(Customer) {}
 *   @ArgsType() export class CustomersArgs extends ConnectionArgs { @Field(() => CustomerFilter, ...) filter?: ... }
 *   @Query(() => CustomerConnection) customers(@Args(() => CustomersArgs) args: CustomersArgs, @Ctx() ctx) {
 *     return paginate(ctx, { ... })        // resolvers/common/connection.ts
 *   }
 */

/** Page size when neither `first` nor `last` is given. */
export const DEFAULT_PAGE_SIZE = 20;

/** Largest `first`/`last` accepted: PI_MAX_PAGE_SIZE, default 100. */
export function maxPageSize(): number {
  const n = Number(process.env.PI_MAX_PAGE_SIZE);
  return Number.isInteger(n) && n > 0 ? n : 100;
}

@Directive('@shareable')
@ObjectType({ description: 'Where a page sits in its connection' })
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

/** first/after (forward) and last/before (backward). Page size is capped at PI_MAX_PAGE_SIZE. */
@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, { nullable: true, description: 'Return the first n items after `after`: at most PI_MAX_PAGE_SIZE (default 100); 20 items when neither first nor last is given' })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the item to start after' })
  after?: string | null;

  @Field(() => Int, { nullable: true, description: 'Return the last n items before `before`' })
  last?: number | null;

  @Field(() => String, { nullable: true, description: 'Cursor of the item to end before' })
  before?: string | null;
}

export enum SortDirection {
  ASC = 'ASC',
  DESC = 'DESC',
}
registerEnumType(SortDirection, { name: 'SortDirection' });

export interface Edge<TNode> {
  cursor: string;
  node: TNode;
}

export interface ConnectionResult<TNode> {
  edges: Edge<TNode>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/**
 * The GraphQL types of a connection over `node`: `<Name>Edge { cursor node }` and a base class for
 * `<Name>Connection { edges pageInfo totalCount }`. Name defaults to the node's GraphQL type name.
 */
export function Connection<TNode extends object>(node: ClassType<TNode>, name: string = node.name) {
  @ObjectType(`${name}Edge`)
  class EdgeType implements Edge<TNode> {
    @Field(() => String, { description: 'Opaque cursor of this item, for after/before' })
    cursor!: string;

    @Field(() => node)
    node!: TNode;
  }

  @ObjectType()
  abstract class ConnectionType implements ConnectionResult<TNode> {
    @Field(() => [EdgeType])
    edges!: Edge<TNode>[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => NonNegativeIntScalar, { description: 'Number of items in the whole connection (all pages)' })
    totalCount!: number;
  }
  return ConnectionType;
}
