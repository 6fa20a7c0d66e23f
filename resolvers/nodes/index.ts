import { NODE_TYPES } from '../../schema/nodes/node';
import { defineSubgraph } from '../common/subgraph';
import { NodeResolver } from './node.resolver';

/**
 * The nodes subgraph: Relay's `Node` interface, `node(id:)` and `nodes(ids:)`. It declares every
 * implementing entity by its key only (schema/nodes/node.ts) and answers `{ __typename, id }` from
 * one scoped lookup (warehouse/nodes); the gateway fetches the other fields from the owning
 * subgraph's `__resolveReference`. Registered in gateway/subgraphs.ts.
 *
 * A new Node type takes three steps: its stub in schema/nodes/node.ts, where its rows are in
 * warehouse/nodes/sources.ts (scoped like its own by-id query), and `@key(fields: "id")` with a
 * scoped `__resolveReference` in its owning subgraph. test/nodes checks each type against its own query.
 */
export const nodesSubgraph = defineSubgraph({
  name: 'nodes',
  resolvers: [NodeResolver],
  orphanedTypes: NODE_TYPES,
});
