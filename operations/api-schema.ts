/**
 * The API schema of the composed supergraph: exactly what clients of the gateway query (no
 * join__/link machinery, no _entities/_service). It is the schema Apollo Gateway itself derives
 * from the supergraph composed from gateway/subgraphs.ts.
 *
 *   node dist/operations/api-schema.js          print it (SDL) to stdout
 *
 * codegen.yml reads it through operations/codegen-schema.ts and writes schema.graphql and
 * generated/graphql.ts; test/codegen checks that those files are not stale.
 */
import { ApolloGateway } from '@apollo/gateway';
import { lexicographicSortSchema, printSchema, type GraphQLSchema } from 'graphql';
import { composeSupergraph } from '../gateway/compose';
import { SUBGRAPHS } from '../gateway/subgraphs';
import type { SubgraphDefinition } from '../resolvers/common/subgraph';

const quiet = { debug() {}, info() {}, warn() {}, error() {} };

/** Composes the subgraphs and returns the gateway's API schema. */
export async function composeApiSchema(subgraphs: readonly SubgraphDefinition[] = SUBGRAPHS): Promise<GraphQLSchema> {
  const { supergraphSdl } = await composeSupergraph(subgraphs);
  // Apollo Gateway reports usage telemetry to Apollo and probes cloud metadata endpoints unless
  // APOLLO_TELEMETRY_DISABLED is set (read in its constructor): pointless for printing a schema.
  const telemetry = process.env.APOLLO_TELEMETRY_DISABLED;
  process.env.APOLLO_TELEMETRY_DISABLED = 'true';
  let gateway: ApolloGateway;
  try {
    gateway = new ApolloGateway({ supergraphSdl, logger: quiet });
  } finally {
    if (telemetry === undefined) delete process.env.APOLLO_TELEMETRY_DISABLED;
    else process.env.APOLLO_TELEMETRY_DISABLED = telemetry;
  }
  try {
    const { schema } = await gateway.load();
    return schema;
  } finally {
    await gateway.stop();
  }
}

/**
 * The API schema as SDL, types and fields in lexicographic order (as GraphQL Code Generator sorts
 * it): exactly the content of schema.graphql.
 */
export async function printApiSchema(subgraphs?: readonly SubgraphDefinition[]): Promise<string> {
  return printSchema(lexicographicSortSchema(await composeApiSchema(subgraphs)));
}

if (require.main === module) {
  printApiSchema().then(
    (sdl) => process.stdout.write(`${sdl}\n`),
    (err) => {
      process.stderr.write(`${(err as Error).stack ?? err}\n`);
      process.exit(1);
    },
  );
}
