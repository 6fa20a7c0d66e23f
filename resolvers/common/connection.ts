import { createHash } from 'node:crypto';
import { badUserInput } from '../../core/errors';
import { DEFAULT_PAGE_SIZE, maxPageSize, type ConnectionArgs, type ConnectionResult } from '../../schema/common/connection';
import type { RequestContext } from './context';
import { query, sql, type Sql } from '../../core/sql';

export interface PaginateOptions<TRow, TNode> {
  /** Names the connection ("customers", "Reseller.customers"); cursors are bound to it. */
  name: string;
  /** Whatever else decides the rows and their order (filter, orderBy, parent id): cursors are bound to it too. */
  fingerprint?: unknown;
  args: ConnectionArgs;
  /** The select list, e.g. sql`c.customer_id AS id, c.company_name AS "companyName"`. */
  select: Sql;
  /** Everything after FROM: tables, joins and a WHERE that includes scope(ctx.caller, ...). */
  from: Sql;
  /** A total order (end with a unique column) so that pages never overlap or skip. */
  orderBy: Sql;
  /** Row to GraphQL node; defaults to the row itself (select columns aliased to field names). */
  map?: (row: TRow) => TNode;
}

export const UNBOUNDED = Number.MAX_SAFE_INTEGER;

export interface Window {
  start: number;
  end: number;
  take: number;
  takeLast: number;
}

/**
 * Which offsets a page covers, from the Relay arguments: [start, end) narrowed to the first `take`
 * or the last `takeLast`. Without first or last: the default page size, from the start, or back
 * from `before`. Throws BAD_USER_INPUT for a page too large or a foreign cursor.
 */
export function windowOf(args: ConnectionArgs, binding: CursorBinding): Window {
  const first = pageSize(args.first, 'first');
  const last = pageSize(args.last, 'last');
  const after = args.after != null ? decodeCursor(args.after, 'after', binding) : null;
  const before = args.before != null ? decodeCursor(args.before, 'before', binding) : null;
  const start = after === null ? 0 : after + 1;
  const end = before === null ? UNBOUNDED : before;
  const backward = first === null && last === null && before !== null;
  const take = first ?? (last === null && !backward ? DEFAULT_PAGE_SIZE : UNBOUNDED);
  const takeLast = last ?? (backward ? DEFAULT_PAGE_SIZE : UNBOUNDED);
  return { start, end, take, takeLast };
}


/**
 * The generic connection builder: one SQL statement per page (plus a count when the page is empty).
 * Cursors are opaque offsets bound to the caller's partner and to the query (name + fingerprint):
 * a cursor from another partner or another filter/order is rejected with BAD_USER_INPUT.
 */
export async function paginate<TRow extends Record<string, unknown>, TNode = TRow>(
  ctx: RequestContext,
  options: PaginateOptions<TRow, TNode>,
): Promise<ConnectionResult<TNode>> {
  const { args } = options;
  const binding = cursorBinding(ctx, options.name, options.fingerprint);
  const { start, end, take, takeLast } = windowOf(args, binding);

  const rows = await query<TRow & { __offset: string | number; __total: string | number }>(
    ctx.warehouse,
    sql`WITH numbered AS (
          SELECT ${options.select},
                 row_number() OVER (ORDER BY ${options.orderBy}) - 1 AS __offset,
                 count(*) OVER () AS __total
          FROM ${options.from})
        SELECT * FROM numbered
        WHERE __offset >= greatest(${start}, least(${end}, __total) - ${takeLast})
          AND __offset < least(${end}, __total, ${start} + ${take})
        ORDER BY __offset`,
  );

  let total: number;
  if (rows.length > 0) total = Number(rows[0].__total);
  else {
    const [row] = await query<{ n: string | number }>(ctx.warehouse, sql`SELECT count(*) AS n FROM ${options.from}`);
    total = Number(row.n);
  }
  const lo = Math.max(start, Math.min(end, total) - takeLast);
  const hi = Math.max(lo, Math.min(end, total, start + take));

  const map = options.map ?? ((row: TRow) => row as unknown as TNode);
  const edges = rows.map((row) => {
    const { __offset, __total, ...fields } = row;
    return { cursor: encodeCursor(binding, Number(__offset)), node: map(fields as unknown as TRow) };
  });
  return {
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

export function pageSize(value: number | null | undefined, argument: 'first' | 'last'): number | null {
  if (value == null) return null;
  const max = maxPageSize();
  if (!Number.isInteger(value) || value < 0) {
    throw badUserInput(`${argument} must be a whole number from 0 to ${max}, got ${value}`, argument, { maxPageSize: max });
  }
  if (value > max) {
    throw badUserInput(
      `${argument}: ${value} is more than the maximum page size of ${max} (PI_MAX_PAGE_SIZE); ` +
        `fetch further pages with ${argument === 'first' ? 'after: pageInfo.endCursor' : 'before: pageInfo.startCursor'}`,
      argument,
      { maxPageSize: max },
    );
  }
  return value;
}

export interface CursorBinding {
  partnerId: string;
  query: string;
}

export function cursorBinding(ctx: RequestContext, name: string, fingerprint: unknown): CursorBinding {
  const query = createHash('sha256').update(`${name}\n${JSON.stringify(fingerprint ?? null)}`).digest('base64url').slice(0, 12);
  return { partnerId: ctx.caller.partnerId, query };
}

/** Cursor = base64url of ["c1", partner, query hash, offset]. */
export function encodeCursor(binding: CursorBinding, offset: number): string {
  return Buffer.from(JSON.stringify(['c1', binding.partnerId, binding.query, offset])).toString('base64url');
}

export function decodeCursor(cursor: string, argument: 'after' | 'before', binding: CursorBinding): number {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    decoded = null;
  }
  if (!Array.isArray(decoded) || decoded.length !== 4 || decoded[0] !== 'c1' || !Number.isInteger(decoded[3]) || decoded[3] < 0) {
    throw badUserInput(`${argument} is not a cursor of this API; use a cursor from pageInfo or edges`, argument);
  }
  const [, partnerId, queryHash, offset] = decoded as [string, string, string, number];
  if (partnerId !== binding.partnerId) {
    throw badUserInput(`${argument} is a cursor issued to another partner; it cannot be used here`, argument);
  }
  if (queryHash !== binding.query) {
    throw badUserInput(
      `${argument} is a cursor of a different query (another connection, filter or order); start again without it`,
      argument,
    );
  }
  return offset;
}
