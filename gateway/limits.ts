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
import { COST_CAPS, rootFieldCost } from '../core/costs';
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
 * Root fields also cost the SQL they run, once per response key (each alias runs again), and at most
 * COST_CAPS.maxExpensiveFields may be expensive: both are data in core/costs.ts.
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
  const fragments = fragmentsOf(document);
  const root = rootTypeOf(schema, operation);
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

function fragmentsOf(document: DocumentNode): Map<string, FragmentDefinitionNode> {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  return fragments;
}

function rootTypeOf(schema: GraphQLSchema, operation: OperationDefinitionNode) {
  return operation.operation === 'query' ? schema.getQueryType() : operation.operation === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
}

/**
 * The root fields an operation runs, through fragments: one per response key, as GraphQL executes
 * them (`a: metric` and `b: metric` run twice; a field repeated under one key runs once).
 */
function rootFields(document: DocumentNode, operation: OperationDefinitionNode): string[] {
  const fragments = fragmentsOf(document);
  const byKey = new Map<string, string>();
  // Validation (before didResolveOperation) has ruled out fragment cycles.
  const collect = (selectionSet: SelectionSetNode): void => {
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (!selection.name.value.startsWith('__')) byKey.set(selection.alias?.value ?? selection.name.value, selection.name.value);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) collect(selection.selectionSet);
      else {
        const fragment = fragments.get(selection.name.value);
        if (fragment) collect(fragment.selectionSet);
      }
    }
  };
  collect(operation.selectionSet);
  return [...byKey.values()];
}

/** The operation's variables with the defaults of its definitions: `($n: Int = 100)` pages 100 items. */
function withDefaults(operation: OperationDefinitionNode, variables: Record<string, unknown>): Record<string, unknown> {
  const values = { ...variables };
  for (const definition of operation.variableDefinitions ?? []) {
    const name = definition.variable.name.value;
    if (values[name] === undefined && definition.defaultValue) values[name] = valueOf(definition.defaultValue, {});
  }
  return values;
}

/** How often each root field occurs, in the order they first do. */
function tally(names: readonly string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const name of names) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/** "overviewReport ×1000, metric"; with costs "overviewReport ×1000 at 2000, metric 1000". */
function describeTally(counts: Record<string, number>, costOf?: (name: string) => number): string {
  return Object.entries(counts)
    .map(([name, n]) => `${name}${n > 1 ? ` ×${n}` : ''}${costOf ? `${n > 1 ? ' at' : ''} ${costOf(name)}` : ''}`)
    .join(', ');
}

/**
 * Why the operation may not run (QUERY_TOO_DEEP or QUERY_TOO_COSTLY, HTTP 400), or null: depth
 * first, then the cap on expensive root fields, then the cost.
 */
export function operationLimitError(
  schema: GraphQLSchema,
  document: DocumentNode,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
  limits: QueryLimits,
): GraphQLError | null {
  const size = measureOperation(schema, document, operation, withDefaults(operation, variables));
  if (size.depth > limits.maxDepth) return tooDeep(size.depth, limits);
  const rootType = rootTypeOf(schema, operation)?.name ?? '';
  const fields = rootFields(document, operation).map((name) => ({ name, ...rootFieldCost(rootType, name) }));
  const cost = fields.reduce((sum, f) => sum + f.cost, size.cost);
  const expensive = fields.filter((f) => f.expensive).map((f) => f.name);
  if (expensive.length > COST_CAPS.maxExpensiveFields) return tooManyExpensive(cost, expensive, limits);
  if (cost > limits.maxCost) return tooCostly(cost, fields, limits);
  return null;
}

function tooDeep(depth: number, limits: QueryLimits): GraphQLError {
  return new GraphQLError(
    `query is ${depth} levels deep; the maximum is ${limits.maxDepth} (PI_MAX_DEPTH): select fewer nested fields`,
    { extensions: { code: ErrorCode.QUERY_TOO_DEEP, depth, maxDepth: limits.maxDepth, http: { status: 400 } } },
  );
}

function tooManyExpensive(cost: number, expensive: readonly string[], limits: QueryLimits): GraphQLError {
  const max = COST_CAPS.maxExpensiveFields;
  const fields = tally(expensive);
  return new GraphQLError(
    `query has ${expensive.length} expensive root fields (${describeTally(fields)}) and costs ${cost}; at most ${max} expensive ` +
      `root fields may run in one operation (an alias runs its field again) and the maximum cost is ${limits.maxCost} (PI_MAX_COST): ` +
      `send them in separate requests`,
    {
      extensions: {
        code: ErrorCode.QUERY_TOO_COSTLY,
        cost,
        maxCost: limits.maxCost,
        expensiveFields: expensive.length,
        maxExpensiveFields: max,
        fields,
        http: { status: 400 },
      },
    },
  );
}

// Its extensions stay { code, cost, maxCost } as they were; the message names the root fields' costs.
function tooCostly(cost: number, fields: readonly { name: string; cost: number }[], limits: QueryLimits): GraphQLError {
  const costOf = (name: string) => fields.find((f) => f.name === name)!.cost;
  return new GraphQLError(
    `query cost ${cost} is over the maximum of ${limits.maxCost} (PI_MAX_COST); each field counts once per item it can return ` +
      `and each root field adds the cost of its SQL (${describeTally(tally(fields.map((f) => f.name)), costOf)}), ` +
      `so ask for smaller pages (first/last), fewer nested lists or fewer root fields`,
    { extensions: { code: ErrorCode.QUERY_TOO_COSTLY, cost, maxCost: limits.maxCost, http: { status: 400 } } },
  );
}

/** Apollo Server plugin: rejects a too deep or too costly operation before it runs (HTTP 400). */
export function queryLimitsPlugin(limits: QueryLimits): ApolloServerPlugin {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          if (!operation) return;
          const error = operationLimitError(schema, document, operation, request.variables ?? {}, limits);
          if (error) throw error;
        },
      };
    },
  };
}
