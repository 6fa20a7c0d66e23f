import { DomainError, ErrorCode } from '../../core/errors';
import { nodesByIds, type NodeRow } from '../../warehouse/nodes/lookup';
import { defineLoader } from '../common/loaders';

/** What node(id:) answers: the type and id; the gateway fetches the fields from the owning subgraph. */
export interface NodeReference {
  __typename: string;
  id: string;
}

/**
 * An id two types share among what the caller may see: answered with this error, never one of
 * them. Ids are the types' own (not prefixed), and no two types share one in the warehouse's data;
 * this keeps it so if a file ever brings one.
 */
export function ambiguousId(id: string, typenames: readonly string[]): DomainError {
  return new DomainError(
    ErrorCode.BAD_USER_INPUT,
    `id ${JSON.stringify(id)} is the id of several objects: ${typenames.join(', ')}; ask for it by its type's own query instead`,
    { argument: 'id', id, typenames: [...typenames] },
  );
}

/** Ids to their Node, batched: every node(id:) and nodes(ids:) of a request in one statement. */
export const nodeById = defineLoader<string, NodeReference | null>(async (ctx, ids) => {
  const rows = await nodesByIds(ctx.warehouse, ctx.caller, [...new Set(ids)]);
  const byId = new Map<string, NodeRow[]>();
  for (const row of rows) byId.set(row.id, [...(byId.get(row.id) ?? []), row]);
  return ids.map((id) => {
    const found = byId.get(id) ?? [];
    // DataLoader rejects the load of a key whose value is an Error: that id alone fails.
    if (found.length > 1) return ambiguousId(id, found.map((r) => r.typename)) as unknown as NodeReference;
    return found.length ? { __typename: found[0].typename, id } : null;
  });
});
