import {
  GraphQLError,
  Kind,
  getNamedType,
  getNullableType,
  isCompositeType,
  isListType,
  isObjectType,
  isInterfaceType,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLField,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from 'graphql';
import type { ApolloServerPlugin } from '@apollo/server';
import { ErrorCode } from '../core/errors';
import { DEFAULT_PAGE_SIZE } from '../schema/common/connection';
import { envInt } from './config';

/**
 * Query depth and static cost limits.
 *
 * Depth: nesting of field selections (`{ customers { edges { node { id } } } }` is 4).
 * Cost: every field counts once per item it may be returned for. The edges of a connection hold
 * `first`/`last` items (the default page size, 20, without them), so what is selected under `edges`
 * counts that many times; totalCount and pageInfo count once. Under any other list, selections count
 * ASSUMED_LIST_SIZE (10) times; under `_entities`, once per representation.
 * Introspection (`__schema`, `__type`) and `__typename` are free.
 */
export interface QueryLimits {
  maxDepth: number;
  maxCost: number;
}

export const ASSUMED_LIST_SIZE = 10;

export function limitsFromEnv(): QueryLimits {
  return { maxDepth: envInt('PI_MAX_DEPTH', 12), maxCost: envInt('PI_MAX_COST', 50_000) };
}

export interface OperationSize {
  depth: number;
  cost: number;
}

export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown> = {},
): OperationSize {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const root =
    operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  if (!root) return { depth: 0, cost: 0 };

  /** `page`: when `parent` is a connection, the number of items its list fields (edges) hold. */
  const walk = (
    selectionSet: SelectionSetNode,
    parent: GraphQLCompositeType,
    multiplier: number,
    depth: number,
    seen: Set<string>,
    page: number,
  ): OperationSize => {
    let size: OperationSize = { depth: 0, cost: 0 };
    const add = (s: OperationSize) => {
      size = { depth: Math.max(size.depth, s.depth), cost: size.cost + s.cost };
    };
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        const name = selection.name.value;
        if (name.startsWith('__')) continue;
        const field = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[name] : undefined;
        if (!field) continue;
        add({ depth, cost: multiplier });
        const type = getNamedType(field.type);
        if (selection.selectionSet && isCompositeType(type)) {
          const items = itemCount(field, selection, parent, page, variables);
          add(walk(selection.selectionSet, type, multiplier * items.each, depth + 1, seen, items.page));
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) add(walk(selection.selectionSet, type, multiplier, depth, seen, page));
      } else {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        if (type && isCompositeType(type)) {
          add(walk(fragment.selectionSet, type, multiplier, depth, new Set([...seen, fragment.name.value]), page));
        }
      }
    }
    return size;
  };
  return walk(operation.selectionSet, root, 1, 1, new Set(), 1);
}

/**
 * How many times a field's selections run (`each`), and for a connection the number of items its
 * edges hold (`page`): first/last, or the default page size.
 */
function itemCount(
  field: GraphQLField<unknown, unknown>,
  node: FieldNode,
  parent: GraphQLCompositeType,
  page: number,
  variables: Record<string, unknown>,
): { each: number; page: number } {
  const arg = (name: string): unknown => {
    const value = node.arguments?.find((a) => a.name.value === name)?.value;
    return value ? valueOf(value, variables) : undefined;
  };
  const sizes = [arg('first'), arg('last')].filter((v): v is number => typeof v === 'number');
  const requested = sizes.length ? Math.max(1, ...sizes) : undefined;
  if (field.name === '_entities') {
    const representations = arg('representations');
    return { each: Array.isArray(representations) ? Math.max(1, representations.length) : ASSUMED_LIST_SIZE, page: 1 };
  }
  if (getNamedType(field.type).name.endsWith('Connection')) return { each: 1, page: requested ?? DEFAULT_PAGE_SIZE };
  if (isListType(getNullableType(field.type))) {
    return { each: parent.name.endsWith('Connection') ? page : requested ?? ASSUMED_LIST_SIZE, page: 1 };
  }
  return { each: 1, page: 1 };
}

function valueOf(node: ValueNode, variables: Record<string, unknown>): unknown {
  switch (node.kind) {
    case Kind.VARIABLE:
      return variables[node.name.value];
    case Kind.INT:
      return Number(node.value);
    case Kind.LIST:
      return node.values.map((v) => valueOf(v, variables));
    default:
      return undefined;
  }
}

/** Apollo Server plugin: rejects a too deep or too costly operation before it runs (HTTP 400). */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const { depth, cost } = measureOperation(schema, document, operation, request.variables ?? {});
          if (depth > limits.maxDepth) {
            throw new GraphQLError(
              `query is ${depth} levels deep; the maximum is ${limits.maxDepth} (PI_MAX_DEPTH): select fewer nested fields`,
              { extensions: { code: ErrorCode.QUERY_TOO_DEEP, depth, maxDepth: limits.maxDepth, http: { status: 400 } } },
            );
          }
          if (cost > limits.maxCost) {
            throw new GraphQLError(
              `query cost ${cost} is over the maximum of ${limits.maxCost} (PI_MAX_COST); each field counts once per item ` +
                `it can return, so ask for smaller pages (first/last) or fewer nested lists`,
              { extensions: { code: ErrorCode.QUERY_TOO_COSTLY, cost, maxCost: limits.maxCost, http: { status: 400 } } },
            );
          }
        },
      };
    },
  };
}
