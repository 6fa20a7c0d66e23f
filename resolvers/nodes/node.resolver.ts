import { Arg, Ctx, ID, Query, Resolver } from 'type-graphql';
import { boundedList } from '../../core/bounds';
import { isDomainError } from '../../core/errors';
import { Node } from '../../schema/nodes/node';
import type { RequestContext } from '../common/context';
import { toGraphQLError } from '../common/errors';
import { nodeById, type NodeReference } from './loaders';

/**
 * Relay's refetch by id. Both fields answer `{ __typename, id }` from one scoped lookup statement
 * (warehouse/nodes); what the caller may not see (another partner's, another location's, a type
 * their roles may not read) is null, like an id that does not exist.
 */
@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description: 'The object with this id (any type implementing Node), or null when there is none the caller may see',
  })
  async node(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<NodeReference | null> {
    return nodeById(ctx).load(id);
  }

  @Query(() => [Node], {
    nullable: 'items',
    description: 'The objects with these ids, in their order (at most 100 ids); null for each id with none the caller may see',
  })
  async nodes(@Arg('ids', () => [ID]) ids: string[], @Ctx() ctx: RequestContext): Promise<(NodeReference | Error | null)[]> {
    boundedList(ids, 'nodeIds', 'ids');
    const found = await nodeById(ctx).loadMany(ids);
    // An Error in a list is that item's error (null at its index, the error at its path), not the field's.
    return found.map((item) => (isDomainError(item) ? toGraphQLError(item) : item));
  }
}
