import { composeServices } from '@apollo/composition';
import { buildSubgraph, type BuiltSubgraph, type SubgraphDefinition } from '../resolvers/common/subgraph';

export interface Supergraph {
  supergraphSdl: string;
  /** Composition hints (not errors), printed: "[CODE] message". */
  hints: string[];
  subgraphs: BuiltSubgraph[];
}

/** Default URL of each subgraph served alone: accounts http://localhost:4001/graphql, then 4002, ... */
export function defaultSubgraphUrl(index: number): string {
  return `http://localhost:${4001 + index}/graphql`;
}

/**
 * Composes the supergraph locally from the subgraphs' own SDL (no introspection over the network).
 * `urls` go into the supergraph (join__graph) for Apollo Router or remote execution.
 */
export async function composeSupergraph(
  definitions: readonly SubgraphDefinition[],
  urls: Record<string, string> = {},
): Promise<Supergraph> {
  const subgraphs = await Promise.all(definitions.map((d) => buildSubgraph(d)));
  const result = composeServices(
    subgraphs.map((s, i) => ({ name: s.name, typeDefs: s.typeDefs, url: urls[s.name] ?? defaultSubgraphUrl(i) })),
  );
  if (result.errors) {
    throw new Error(`supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return {
    supergraphSdl: result.supergraphSdl,
    hints: result.hints.map((h) => `[${h.definition.code}] ${h.message}`),
    subgraphs,
  };
}
