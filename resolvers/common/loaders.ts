import DataLoader from 'dataloader';
import type { RequestContext } from './context';

/**
 * Per-request DataLoaders. Define a loader once, at module level, with the batch function that
 * loads many keys in one SQL statement; call it with the request context to get that request's
 * loader (created on first use, so its cache never outlives the request or crosses callers).
 *
 *   export const customerById = defineLoader<string, CustomerRow | null>(async (ctx, ids) =>
 *     byKey(ids, await customersByIds(ctx.warehouse, ctx.caller, ids), (c) => c.id));
 *
 *   customerById(ctx).load(id)
 */
export function defineLoader<K, V>(
  batch: (ctx: RequestContext, keys: readonly K[]) => Promise<readonly V[]>,
  options: { maxBatchSize?: number } = {},
): (ctx: RequestContext) => DataLoader<K, V> {
  const id = Symbol('loader');
  return (ctx) => {
    let loader = ctx.loaders.get(id) as DataLoader<K, V> | undefined;
    if (!loader) {
      loader = new DataLoader<K, V>((keys) => batch(ctx, keys), { maxBatchSize: options.maxBatchSize ?? 1000 });
      ctx.loaders.set(id, loader);
    }
    return loader;
  };
}

/** One row per key, in key order, null where there is none (entity lookups). */
export function byKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): (V | null)[] {
  const map = new Map<K, V>();
  for (const row of rows) map.set(keyOf(row), row);
  return keys.map((k) => map.get(k) ?? null);
}

/** All rows of each key, in key order, [] where there are none (one-to-many relations). */
export function groupByKey<K, V>(keys: readonly K[], rows: readonly V[], keyOf: (row: V) => K): V[][] {
  const map = new Map<K, V[]>();
  for (const row of rows) {
    const k = keyOf(row);
    const list = map.get(k);
    if (list) list.push(row);
    else map.set(k, [row]);
  }
  return keys.map((k) => map.get(k) ?? []);
}
