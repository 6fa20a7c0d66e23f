import { defineSubgraph } from '../common/subgraph';
import { LiveResolver } from './live.resolver';

/**
 * The live subgraph: the Subscription type (referral changes, load and sync progress, generated
 * reports, budget alerts). Composed into the supergraph like the others, so introspection shows it;
 * Apollo Gateway does not execute subscriptions, so they are served over graphql-ws at /graphql
 * (gateway/live-socket.ts) against this subgraph's schema, in the process that owns the warehouse.
 * No entities. Registered in gateway/subgraphs.ts.
 */
export const liveSubgraph = defineSubgraph({
  name: 'live',
  resolvers: [LiveResolver],
});
