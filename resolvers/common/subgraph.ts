import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type DocumentNode, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type NonEmptyArray } from 'type-graphql';
import { permissionAuthChecker } from '../../schema/common/permissions';
import type { RequestContext } from './context';
import { domainErrorsAsGraphQL, rethrowAsGraphQL } from './errors';

/** The Federation 2 directives a subgraph may use with `@Directive(...)`. */
export const FEDERATION_IMPORTS = ['@key', '@shareable', '@external', '@requires', '@provides', '@override', '@inaccessible', '@tag'];
export const FEDERATION_LINK = `extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: [${FEDERATION_IMPORTS.map((d) => `"${d}"`).join(', ')}])`;

/**
 * Resolves an entity from its key fields when another subgraph hands over a reference
 * (`{ __typename: "Customer", id: "..." }`). Load it through a per-request DataLoader so that all
 * references of one `_entities` call cost one SQL statement. Return null for an entity the caller
 * may not see (another partner's, another location's).
 */
export type ReferenceResolver<TRef = any> = (reference: TRef, ctx: RequestContext, info: GraphQLResolveInfo) => unknown;

/** What a domain registers to become a subgraph. See resolvers/accounts/index.ts. */
export interface SubgraphDefinition {
  /** Subgraph name: "accounts", "subscriptions", ... (also the key in PI_SUBGRAPH_URLS). */
  name: string;
  /** type-graphql resolver classes. */
  resolvers: NonEmptyArray<Function>;
  /** Types not reachable from a root field, e.g. entities only other subgraphs return. */
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type name. */
  referenceResolvers?: Record<string, ReferenceResolver>;
}

export function defineSubgraph(definition: SubgraphDefinition): SubgraphDefinition {
  return definition;
}

export interface BuiltSubgraph {
  name: string;
  /** Executable subgraph schema (with _service and _entities). */
  schema: GraphQLSchema;
  /** The subgraph SDL with the @link header: what composition reads. */
  typeDefs: DocumentNode;
  sdl: string;
}

const built = new Map<SubgraphDefinition, Promise<BuiltSubgraph>>();

/**
 * type-graphql classes -> Federation 2 subgraph schema (the type-graphql "apollo-federation-2"
 * recipe): build with skipCheck (federation directives are not known to type-graphql), print with
 * the directives, prepend the @link header, and let @apollo/subgraph add _service/_entities.
 * Built once per process.
 */
export function buildSubgraph(definition: SubgraphDefinition): Promise<BuiltSubgraph> {
  let result = built.get(definition);
  if (!result) {
    result = build(definition);
    built.set(definition, result);
  }
  return result;
}

async function build(definition: SubgraphDefinition): Promise<BuiltSubgraph> {
  const typeGraphqlSchema = await buildSchema({
    resolvers: definition.resolvers,
    orphanedTypes: definition.orphanedTypes,
    authChecker: permissionAuthChecker,
    globalMiddlewares: [domainErrorsAsGraphQL],
    validate: false,
    skipCheck: true,
  });
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(typeGraphqlSchema)}`;
  const typeDefs = parse(sdl);
  const resolvers: Record<string, any> = createResolversMap(typeGraphqlSchema);
  for (const [typename, resolveReference] of Object.entries(definition.referenceResolvers ?? {})) {
    const guarded: ReferenceResolver = async (reference, ctx, info) => {
      try {
        return await resolveReference(reference, ctx, info);
      } catch (error) {
        rethrowAsGraphQL(error);
      }
    };
    resolvers[typename] = { ...resolvers[typename], __resolveReference: guarded };
  }
  const schema = buildSubgraphSchema({ typeDefs, resolvers });
  return { name: definition.name, schema, typeDefs, sdl };
}
