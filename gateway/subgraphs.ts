import { accountsSubgraph } from '../resolvers/accounts';
import { insightsSubgraph } from '../resolvers/insights';
import { billingSubgraph } from '../resolvers/billing';
import { exportsSubgraph } from '../resolvers/exports';
import { ingestionSubgraph } from '../resolvers/ingestion';
import { liveSubgraph } from '../resolvers/live';
import { nodesSubgraph } from '../resolvers/nodes';
import { referralsSubgraph } from '../resolvers/referrals';
import { subscriptionsSubgraph } from '../resolvers/subscriptions';
import type { SubgraphDefinition } from '../resolvers/common/subgraph';

/**
 * Every subgraph of the supergraph, in the order of their default ports (accounts 4001,
 * subscriptions 4002, ...). To add a domain: define it in resolvers/<domain>/index.ts with
 * defineSubgraph and add it here.
 */
export const SUBGRAPHS: readonly SubgraphDefinition[] = [
  accountsSubgraph,
  subscriptionsSubgraph,
  referralsSubgraph,
  billingSubgraph,
  insightsSubgraph,
  exportsSubgraph,
  ingestionSubgraph,
  nodesSubgraph,
  liveSubgraph,
];

export function findSubgraph(name: string, subgraphs: readonly SubgraphDefinition[] = SUBGRAPHS): SubgraphDefinition {
  const found = subgraphs.find((s) => s.name === name);
  if (!found) throw new Error(`unknown subgraph "${name}"; known: ${subgraphs.map((s) => s.name).join(', ')}`);
  return found;
}
