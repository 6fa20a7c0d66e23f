import { sql, type Sql } from '../../core/sql';
import type { InsightsFilters, MonthRange } from '../insights/compile';
import type { FilterName } from './dataset';

/**
 * The page filters a dataset takes, as SQL conditions on the columns it maps them to. Values are
 * parameters; column expressions come from the dataset declarations (constants).
 */
export function filterConditions(filters: InsightsFilters, columns: Partial<Record<FilterName, string>>): Sql {
  const conditions: Sql[] = [];
  for (const [name, column] of Object.entries(columns) as [FilterName, string][]) {
    const values = filters[name];
    if (values && values.length) conditions.push(sql`${sql.raw(column)} IN ${sql.list([...values])}`);
  }
  return sql.and(conditions);
}

/**
 * Exact bounds of a line-level export's `from`/`to` (warehouse/exports/request.ts parseInstant):
 * [from, until) as UTC TIMESTAMP values "YYYY-MM-DD HH:MM:SS.ffffff"; null: open on that side.
 */
export interface ExactBounds {
  from: string | null;
  until: string | null;
}

/** The range of an export: its months, and for a request with from/to its exact bounds too. */
export type ExportRange = MonthRange & { exact?: ExactBounds };

/**
 * The range as bounds for a half-open filter `column >= from AND column < until`: the months as
 * DATE bounds [first day, day after the last month), or a from/to request's exact TIMESTAMP bounds
 * (a DATE column compares as its midnight, UTC), open sides as the first and last TIMESTAMP.
 */
export function monthBounds(range: { from: string; to: string; exact?: ExactBounds } | null): { from: Sql; until: Sql } {
  if (!range) throw new Error('monthly dataset queried without a range');
  const { exact } = range;
  if (exact) {
    return {
      // Open sides as the TIMESTAMP range's ends (DuckDB's ±infinity break date arithmetic on the other side).
      from: sql`${exact.from ?? '0001-01-01 00:00:00'}::TIMESTAMP`,
      until: sql`${exact.until ?? '9999-12-31 23:59:59.999999'}::TIMESTAMP`,
    };
  }
  return { from: sql`${range.from}::DATE`, until: sql`(${range.to}::DATE + INTERVAL 1 MONTH)::DATE` };
}

/** The months of a range, one row each: `(SELECT month FROM ...)`. */
export function monthGrid(range: { from: string; to: string } | null): Sql {
  const { from } = monthBounds(range);
  return sql`(SELECT unnest(generate_series(${from}, ${range!.to}::DATE, INTERVAL 1 MONTH))::DATE AS month)`;
}
