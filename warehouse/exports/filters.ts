import { sql, type Sql } from '../../core/sql';
import type { InsightsFilters } from '../insights/compile';
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

/** The month range as DATE bounds: [from, day after the last month). */
export function monthBounds(range: { from: string; to: string } | null): { from: Sql; until: Sql } {
  if (!range) throw new Error('monthly dataset queried without a range');
  return { from: sql`${range.from}::DATE`, until: sql`(${range.to}::DATE + INTERVAL 1 MONTH)::DATE` };
}

/** The months of a range, one row each: `(SELECT month FROM ...)`. */
export function monthGrid(range: { from: string; to: string } | null): Sql {
  const { from } = monthBounds(range);
  return sql`(SELECT unnest(generate_series(${from}, ${range!.to}::DATE, INTERVAL 1 MONTH))::DATE AS month)`;
}
