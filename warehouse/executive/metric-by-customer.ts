import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { query, sql } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';
import { FACTS } from '../insights/facts';
import type { MetricDefinition } from '../insights/metrics';

export interface CustomerMonthValue {
  customerId: string;
  companyName: string | null;
  /** 'YYYY-MM-01' */
  month: string;
  /** Decimal string, as the metric's measure gives it. */
  value: string;
}

/**
 * A metric per customer for a few months: the metric's own measure over its own fact (the
 * insights definitions have no customer dimension), so "top customers by licenses" counts exactly
 * what the Licenses KPI counts. One statement, scoped like every insights statement. Not for
 * per-customer facts (customers are what they count).
 */
export async function metricByCustomer(db: SqlRunner, caller: Caller, metric: MetricDefinition, months: readonly string[]): Promise<CustomerMonthValue[]> {
  const fact = FACTS[metric.fact];
  if (fact.perCustomer) throw new Error(`metric ${metric.name} counts customers; it has no per-customer value`);
  return query<CustomerMonthValue & Record<string, unknown>>(
    db,
    sql`SELECT f.customer_id AS "customerId", any_value(c.company_name) AS "companyName", strftime(f.month, '%Y-%m-01') AS month,
               (${sql.raw(metric.measure)})::VARCHAR AS value
        FROM (${sql.raw(fact.source)}) f
        LEFT JOIN customers c ON c.partner_id = f.partner_id AND c.customer_id = f.customer_id
        WHERE ${scope(caller, 'f', 'f.mpn_id')} AND f.customer_id IS NOT NULL AND f.month::VARCHAR IN ${sql.list([...months])}
        GROUP BY f.customer_id, f.month
        ORDER BY f.customer_id, f.month`,
  );
}
