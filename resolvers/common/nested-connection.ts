import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import type { ConnectionArgs, ConnectionResult } from '../../schema/common/connection';
import { cursorBinding, encodeCursor, windowOf, type CursorBinding, type Window } from './connection';
import type { RequestContext } from './context';
import { query, sql, type Sql } from '../../core/sql';

/**
 * Batched one-to-many connections: `Customer.subscriptions`, `Reseller.subscriptions`,
 * `Customer.referrals`, ... A page of the connection is asked for once per parent, but all the
 * parents of one request that ask with the same arguments are answered by ONE SQL statement:
 *
 *   SELECT ..., row_number() OVER (PARTITION BY parent ORDER BY ...) - 1 AS __offset,
 *               count(*) OVER (PARTITION BY parent) AS __total
 *   FROM ... WHERE <scope and filter> AND parent IN (<every parent of the batch>)
 *
 * keeping each parent's page (and its first row, for the total of an empty page). So
 * `customers(first: 100) { edges { node { subscriptions(first: 20) { ... } } } }` costs the same
 * statements as `customers(first: 10)`.
 *
 * Cursors are those of `paginate()` (resolvers/common/connection.ts): opaque offsets bound to the
 * caller's partner, the connection name, the fingerprint (filter, order) and the parent, so a
 * cursor of one customer's subscriptions is rejected on another customer. first/after and
 * last/before both work, with the same page size cap (PI_MAX_PAGE_SIZE) and totalCount.
 *
 * Define once, at module level:
 *
 *   export const subscriptionsOfCustomer = defineNestedConnection<SubscriptionsArgs, SubscriptionRow>({
 *     name: 'Customer.subscriptions',
 *     fingerprint: (args) => ({ filter: args.filter ?? {}, order: orderOf(args) }),
 *     query: (ctx, args) => ({
 *       parentKey: sql`s.customer_id`,
 *       select: SUBSCRIPTION_COLUMNS,
 *       from: sql`subscriptions s`,
 *       where: sql`${scope(ctx.caller, 's', 's.mpn_id')} AND ${filterOf(args)}`,
 *       orderBy: sql`s.created_date DESC, s.subscription_id`,
 *     }),
 *   });
 *
 * and call it from the field resolver: `return subscriptionsOfCustomer(ctx, customer.id, args)`.
 */
export interface NestedConnectionQuery {
  /** SQL expression of the parent's id in the rows, e.g. sql`s.customer_id`. Compared with the parent ids as VARCHAR. */
  parentKey: Sql;
  /** The select list, columns aliased to field names, e.g. sql`s.subscription_id AS id, ...`. */
  select: Sql;
  /** Tables and joins after FROM, without WHERE: sql`subscriptions s JOIN products p ON ...`. */
  from: Sql;
  /** Conditions: MUST include scope(ctx.caller, ...); the helper adds the parent condition. */
  where: Sql;
  /** A total order within one parent (end with a unique column), as in paginate(). */
  orderBy: Sql;
}

export interface NestedConnectionDefinition<TArgs extends ConnectionArgs, TRow, TNode> {
  /** Names the connection ("Customer.subscriptions"); cursors are bound to it. */
  name: string;
  /**
   * Whatever besides paging decides the rows and their order (filter, orderBy). It is part of the
   * cursor binding and of the batch grouping; paging arguments must not be in it.
   */
  fingerprint?: (args: TArgs) => unknown;
  /** The statement parts for these arguments (the same for every parent). */
  query: (ctx: RequestContext, args: TArgs) => NestedConnectionQuery;
  /** Row to node; defaults to the row itself. */
  map?: (row: TRow) => TNode;
}

/** Loads one parent's page: `(ctx, parentId, args) => Promise<ConnectionResult<TNode>>`. */
export type NestedConnectionLoader<TArgs, TNode> = (ctx: RequestContext, parentId: string, args: TArgs) => Promise<ConnectionResult<TNode>>;

interface Key<TArgs> {
  parentId: string;
  args: TArgs;
  /** Fingerprint + paging arguments: keys with the same group share one statement. */
  group: string;
  /** What cursors are bound to, besides the parent. */
  fingerprint: unknown;
}

type ResultRow = Record<string, unknown> & { __parent: string; __offset: string | number; __total: string | number; __in_page: boolean };

export function defineNestedConnection<TArgs extends ConnectionArgs, TRow extends Record<string, unknown> = Record<string, unknown>, TNode = TRow>(
  definition: NestedConnectionDefinition<TArgs, TRow, TNode>,
): NestedConnectionLoader<TArgs, TNode> {
  const id = Symbol(`nested:${definition.name}`);
  const loaderOf = (ctx: RequestContext): DataLoader<Key<TArgs>, ConnectionResult<TNode>, string> => {
    let loader = ctx.loaders.get(id) as DataLoader<Key<TArgs>, ConnectionResult<TNode>, string> | undefined;
    if (!loader) {
      loader = new DataLoader<Key<TArgs>, ConnectionResult<TNode>, string>((keys) => loadBatch(ctx, definition, keys), {
        cacheKeyFn: (k) => `${k.group}\u0000${k.parentId}`,
        maxBatchSize: 1000,
      });
      ctx.loaders.set(id, loader);
    }
    return loader;
  };
  return (ctx, parentId, args) => {
    const fingerprint = definition.fingerprint ? definition.fingerprint(args) : null;
    const paging = { first: args.first ?? null, after: args.after ?? null, last: args.last ?? null, before: args.before ?? null };
    const group = JSON.stringify([fingerprint, paging]);
    return loaderOf(ctx).load({ parentId: String(parentId), args, group, fingerprint });
  };
}

/** The cursor binding of one parent's page (same shape as paginate's, parent included in the fingerprint). */
function bindingFor(ctx: RequestContext, name: string, parentId: string, fingerprint: unknown): CursorBinding {
  return cursorBinding(ctx, name, { parent: parentId, fingerprint });
}

async function loadBatch<TArgs extends ConnectionArgs, TRow extends Record<string, unknown>, TNode>(
  ctx: RequestContext,
  definition: NestedConnectionDefinition<TArgs, TRow, TNode>,
  keys: readonly Key<TArgs>[],
): Promise<(ConnectionResult<TNode> | Error)[]> {
  const results = new Array<ConnectionResult<TNode> | Error>(keys.length);
  const groups = new Map<string, number[]>();
  keys.forEach((k, i) => {
    const list = groups.get(k.group);
    if (list) list.push(i);
    else groups.set(k.group, [i]);
  });

  await Promise.all(
    [...groups.values()].map(async (indexes) => {
      // The cursor (if any) is validated per parent: a cursor of another parent fails that parent only.
      const valid: { index: number; binding: CursorBinding; window: Window }[] = [];
      for (const index of indexes) {
        const key = keys[index];
        const binding = bindingFor(ctx, definition.name, key.parentId, key.fingerprint);
        try {
          valid.push({ index, binding, window: windowOf(key.args, binding) });
        } catch (err) {
          results[index] = err instanceof Error ? err : new GraphQLError(String(err));
        }
      }
      if (valid.length === 0) return;
      // Every key of a group has the same paging arguments, hence the same window.
      const { start, end, take, takeLast } = valid[0].window;
      const q = definition.query(ctx, keys[valid[0].index].args);
      const parentIds = [...new Set(valid.map((v) => keys[v.index].parentId))];
      const inPage = sql`__offset >= greatest(${start}, least(${end}, __total) - ${takeLast})
                         AND __offset < least(${end}, __total, ${start} + ${take})`;
      const rows = await query<ResultRow>(
        ctx.warehouse,
        sql`WITH numbered AS (
              SELECT ${q.select},
                     CAST(${q.parentKey} AS VARCHAR) AS __parent,
                     row_number() OVER (PARTITION BY ${q.parentKey} ORDER BY ${q.orderBy}) - 1 AS __offset,
                     count(*) OVER (PARTITION BY ${q.parentKey}) AS __total
              FROM ${q.from}
              WHERE (${q.where}) AND CAST(${q.parentKey} AS VARCHAR) IN ${sql.list(parentIds)})
            SELECT *, (${inPage}) AS __in_page FROM numbered
            WHERE (${inPage}) OR __offset = 0
            ORDER BY __parent, __offset`,
      );

      const byParent = new Map<string, ResultRow[]>();
      for (const row of rows) {
        const list = byParent.get(row.__parent);
        if (list) list.push(row);
        else byParent.set(row.__parent, [row]);
      }
      const map = definition.map ?? ((row: TRow) => row as unknown as TNode);
      for (const { index, binding } of valid) {
        const parentRows = byParent.get(keys[index].parentId) ?? [];
        const total = parentRows.length ? Number(parentRows[0].__total) : 0;
        const lo = Math.max(start, Math.min(end, total) - takeLast);
        const hi = Math.max(lo, Math.min(end, total, start + take));
        const edges = parentRows
          .filter((row) => row.__in_page)
          .map((row) => {
            const { __parent, __offset, __total, __in_page, ...fields } = row;
            return { cursor: encodeCursor(binding, Number(__offset)), node: map(fields as unknown as TRow) };
          });
        results[index] = {
          edges,
          totalCount: total,
          pageInfo: {
            hasPreviousPage: lo > 0,
            hasNextPage: hi < total,
            startCursor: edges.length ? edges[0].cursor : null,
            endCursor: edges.length ? edges[edges.length - 1].cursor : null,
          },
        };
      }
    }),
  );
  return results;
}
