import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { query, sql, type SqlRunner } from '../../core/sql';
import { customerWhere, type CustomerFilterValues } from './customers';

/**
 * Multi-partner support (reference lines 18013-18045): which of the partner's customers also work
 * with other partners, and how. Rows of customer_partner_relationships (format
 * customer-partner-relationships), always read through the customer list: a relationship shows only
 * with a customer the caller may see (scope(caller, 'c', 'c.mpn_id'): the caller's partner, and its
 * locations for a location-scoped caller), so one partner's rows never reach another partner, and a
 * row for a customer the partner does not have (any more) shows nowhere.
 *
 * What Partner Center tells a partner about other partners is little: the other partner's name and
 * MPN ID are NULL unless the file knows them (`named`), and none of that partner's subscriptions are
 * held.
 */
export interface PartnerRelationshipRow {
  customerId: string;
  relationshipType: string;
  workload: string | null;
  delegatedAdmin: boolean | null;
  otherPartnerName: string | null;
  otherPartnerMpnId: string | null;
  since: string | null;
}

/** Relationships of customers, one statement for the batch (DataLoader); each customer's in a stable order. */
export function partnerRelationshipsByCustomerIds(db: SqlRunner, caller: Caller, ids: readonly string[]): Promise<PartnerRelationshipRow[]> {
  return query<PartnerRelationshipRow & Record<string, unknown>>(
    db,
    sql`SELECT r.customer_id AS "customerId", r.relationship_type AS "relationshipType", r.workload, r.delegated_admin AS "delegatedAdmin",
          r.other_partner_name AS "otherPartnerName", r.other_partner_mpn_id AS "otherPartnerMpnId", r.since
        FROM customer_partner_relationships r
        JOIN customers c ON c.partner_id = r.partner_id AND c.customer_id = r.customer_id
        WHERE ${scope(caller, 'r', null)} AND ${scope(caller, 'c', 'c.mpn_id')} AND r.customer_id IN ${sql.list(ids)}
        ORDER BY r.customer_id, r.relationship_type, r.workload NULLS LAST, r.other_partner_name NULLS LAST, r.since NULLS LAST`,
  );
}

export interface MultiPartnerBreakdownRow {
  key: string | null;
  customers: number;
  relationships: number;
}

export interface MultiPartnerSummaryResult {
  /** Customers the caller sees that pass the filter. */
  customers: number;
  /** Of those, customers with at least one other partner. */
  multiPartnerCustomers: number;
  /** multiPartnerCustomers / customers in percent, one decimal; null without customers. */
  percentOfCustomers: number | null;
  /** Their relationships with other partners. */
  relationships: number;
  /** Relationships whose other partner is known by name. */
  namedRelationships: number;
  /** Customers at least one of whose other partners holds delegated admin privileges. */
  customersWithOtherDelegatedAdmin: number;
  byRelationshipType: MultiPartnerBreakdownRow[];
  /** By workload the other partner serves; key null: not known. */
  byWorkload: MultiPartnerBreakdownRow[];
}

/** Percent with one decimal, from whole counts (the same rounding a client recomputes). */
export function percentOf(part: number, whole: number): number | null {
  return whole === 0 ? null : Math.round((part * 1000) / whole) / 10;
}

/**
 * The multi-partner figures over the customers the caller sees that pass `filter` (the customer
 * list's filter): 2 statements, each scoped through customerWhere (partner and locations).
 */
export async function multiPartnerSummary(db: SqlRunner, caller: Caller, filter: CustomerFilterValues = {}): Promise<MultiPartnerSummaryResult> {
  const where = customerWhere(caller, filter);
  const rels = sql`SELECT r.* FROM customer_partner_relationships r
    JOIN customers c ON c.partner_id = r.partner_id AND c.customer_id = r.customer_id
    WHERE ${scope(caller, 'r', null)} AND ${where}`;
  const n = (v: unknown) => Number(v ?? 0);
  const [totals] = await query<Record<string, unknown>>(
    db,
    sql`WITH rel AS (${rels})
        SELECT (SELECT count(*) FROM customers c WHERE ${where}) AS customers,
               count(DISTINCT customer_id) AS multi,
               count(*) AS relationships,
               count(*) FILTER (WHERE other_partner_name IS NOT NULL) AS named,
               count(DISTINCT customer_id) FILTER (WHERE delegated_admin) AS dap
        FROM rel`,
  );
  const breakdowns = await query<{ dimension: string; key: string | null; customers: unknown; relationships: unknown }>(
    db,
    sql`WITH rel AS (${rels})
        SELECT 'type' AS dimension, relationship_type AS key, count(DISTINCT customer_id) AS customers, count(*) AS relationships FROM rel GROUP BY relationship_type
        UNION ALL
        SELECT 'workload', workload, count(DISTINCT customer_id), count(*) FROM rel GROUP BY workload
        ORDER BY dimension, customers DESC, relationships DESC, key NULLS LAST`,
  );
  const of = (dimension: string) =>
    breakdowns.filter((b) => b.dimension === dimension).map((b) => ({ key: b.key, customers: n(b.customers), relationships: n(b.relationships) }));
  const customers = n(totals.customers);
  const multi = n(totals.multi);
  return {
    customers,
    multiPartnerCustomers: multi,
    percentOfCustomers: percentOf(multi, customers),
    relationships: n(totals.relationships),
    namedRelationships: n(totals.named),
    customersWithOtherDelegatedAdmin: n(totals.dap),
    byRelationshipType: of('type'),
    byWorkload: of('workload'),
  };
}
