import 'reflect-metadata';
import { buildSubgraphSchema } from '@apollo/subgraph';
import { printSchemaWithDirectives } from '@graphql-tools/utils';
import { parse, type DocumentNode, type GraphQLResolveInfo, type GraphQLSchema } from 'graphql';
import { buildSchema, createResolversMap, type AuthChecker, type AuthCheckerFn, type NonEmptyArray, type PubSub } from 'type-graphql';
import { assertPermission, type Permission } from '../../core/permissions';
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

/**
 * A reference resolver with the permission it needs: the declarative form of `@Requires` for
 * `__resolveReference`, which type-graphql does not see. A caller without the permission gets
 * FORBIDDEN naming the roles ("Customer needs one of these roles: ..."), thrown before anything is
 * loaded and synchronously, so the whole `_entities` field fails (data null) as for a field.
 */
export interface GuardedReferenceResolver<TRef = any> {
  requires: Permission;
  resolve: ReferenceResolver<TRef>;
}

/** What a domain registers to become a subgraph. See resolvers/accounts/index.ts. */
export interface SubgraphDefinition {
  /** Subgraph name: "accounts", "subscriptions", ... (also the key in PI_SUBGRAPH_URLS). */
  name: string;
  /** type-graphql resolver classes. */
  resolvers: NonEmptyArray<Function>;
  /** Types not reachable from a root field, e.g. entities only other subgraphs return. */
  orphanedTypes?: Function[];
  /** `__resolveReference` per entity type name, with the permission it needs (or none: a bare function). */
  referenceResolvers?: Record<string, ReferenceResolver | GuardedReferenceResolver>;
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
    authChecker: domainErrorsOf(permissionAuthChecker),
    globalMiddlewares: [domainErrorsAsGraphQL],
    validate: false,
    skipCheck: true,
    pubSub: NO_TOPICS,
  });
  const sdl = `${FEDERATION_LINK}\n\n${printSchemaWithDirectives(typeGraphqlSchema)}`;
  const typeDefs = parse(sdl);
  const resolvers: Record<string, any> = createResolversMap(typeGraphqlSchema);
  for (const [typename, entry] of Object.entries(definition.referenceResolvers ?? {})) {
    const { requires, resolve } = typeof entry === 'function' ? { requires: null, resolve: entry } : entry;
    const guarded: ReferenceResolver = (reference, ctx, info) => {
      try {
        // The one imperative check of the declarative `requires` (like permissionAuthChecker for @Requires).
        if (requires) assertPermission(ctx.caller, requires, typename);
        const result = resolve(reference, ctx, info);
        return result instanceof Promise ? result.catch(rethrowAsGraphQL) : result;
      } catch (error) {
        rethrowAsGraphQL(error);
      }
    };
    resolvers[typename] = { ...resolvers[typename], __resolveReference: guarded };
  }
  const schema = buildSubgraphSchema({ typeDefs, resolvers });
  return { name: definition.name, schema, typeDefs, sdl };
}

/**
 * type-graphql wants a PubSub as soon as a schema has a Subscription; ours give their own
 * `subscribe` (resolvers/live), never topics, so this one is never used.
 */
const NO_TOPICS: PubSub = {
  publish() {
    throw new Error('subscriptions here give their own subscribe function; there is no topic to publish to');
  },
  subscribe() {
    throw new Error('subscriptions here give their own subscribe function; there is no topic to subscribe to');
  },
};

/**
 * type-graphql runs the auth checker outside the global middlewares, so the FORBIDDEN DomainError of
 * @Requires would miss domainErrorsAsGraphQL: it is turned into its GraphQLError here.
 */
function domainErrorsOf<TContext extends object, TRole>(checker: AuthChecker<TContext, TRole>): AuthCheckerFn<TContext, TRole> {
  // permissionAuthChecker is a function (AuthChecker also admits a class, which we do not use).
  const check = checker as AuthCheckerFn<TContext, TRole>;
  return (data, roles) => {
    try {
      const granted = check(data, roles);
      return granted instanceof Promise ? granted.catch(rethrowAsGraphQL) : granted;
    } catch (error) {
      rethrowAsGraphQL(error);
    }
  };
}
