import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';

export interface CustomerRow {
  id: string;
  companyName: string;
  domain: string | null;
  relationship: string | null;
  country: string | null;
  segment: string | null;
  createdDate: string | null;
  /** Location (MPN ID) the customer belongs to. */
  mpnId: string | null;
  /** Indirect reseller, if any. */
  resellerMpnId: string | null;
}

export interface CustomerFilterValues {
  /** Company name or primary domain contains this, case-insensitive (the Partner Center search box). */
  search?: string | null;
  country?: string | null;
  segment?: string | null;
  resellerMpnId?: string | null;
  mpnId?: string | null;
  /**
   * Customers that also work with another partner (true) or with none known (false): rows of
   * customer_partner_relationships (warehouse/accounts/partner-relationships.ts).
   */
  multiPartner?: boolean | null;
  /** Customers working with another partner in this way (Reseller, Indirect reseller, Indirect provider, Advisor). */
  otherPartnerType?: string | null;
}

export type CustomerOrderField = 'NAME' | 'COUNTRY' | 'CREATED_DATE';
export type Direction = 'ASC' | 'DESC';

export const CUSTOMER_COLUMNS = sql`c.customer_id AS id, c.company_name AS "companyName", c.domain, c.relationship,
  c.country, c.segment, c.created_date AS "createdDate", c.mpn_id AS "mpnId", c.reseller_mpn_id AS "resellerMpnId"`;

/** The customers (alias c) the caller may see that pass the filter: a WHERE condition. */
export function customerWhere(caller: Caller, filter: CustomerFilterValues = {}): Sql {
  const search = filter.search?.trim().toLowerCase();
  const otherPartners = (type: string | null | undefined) => sql`EXISTS (SELECT 1 FROM customer_partner_relationships r
    WHERE r.partner_id = c.partner_id AND r.customer_id = c.customer_id${type ? sql` AND r.relationship_type = ${type}` : sql.raw('')})`;
  return sql.and([
    scope(caller, 'c', 'c.mpn_id'),
    search ? sql`contains(lower(c.company_name), ${search}) OR contains(lower(coalesce(c.domain, '')), ${search})` : null,
    filter.country ? sql`c.country = ${filter.country}` : null,
    filter.segment ? sql`c.segment = ${filter.segment}` : null,
    filter.resellerMpnId ? sql`c.reseller_mpn_id = ${filter.resellerMpnId}` : null,
    filter.mpnId ? sql`c.mpn_id = ${filter.mpnId}` : null,
    filter.multiPartner === true ? otherPartners(null) : filter.multiPartner === false ? sql`NOT ${otherPartners(null)}` : null,
    filter.otherPartnerType ? otherPartners(filter.otherPartnerType) : null,
  ]);
}

/** The customer list (for paginate): scoped to the caller's partner and locations, filtered and ordered. */
export function customerListQuery(
  caller: Caller,
  filter: CustomerFilterValues = {},
  order: { field: CustomerOrderField; direction: Direction } = { field: 'NAME', direction: 'ASC' },
): { select: Sql; from: Sql; orderBy: Sql } {
  const where = customerWhere(caller, filter);
  const dir = sql.raw(order.direction === 'DESC' ? 'DESC' : 'ASC');
  const keys: Record<CustomerOrderField, Sql> = {
    NAME: sql`lower(c.company_name) ${dir}`,
    COUNTRY: sql`c.country ${dir} NULLS LAST, lower(c.company_name) ${dir}`,
    CREATED_DATE: sql`c.created_date ${dir} NULLS LAST, lower(c.company_name) ${dir}`,
  };
  return {
    select: CUSTOMER_COLUMNS,
    from: sql`customers c WHERE ${where}`,
    orderBy: sql`${keys[order.field]}, c.customer_id ${dir}`,
  };
}

/** Customers by id, one statement for the whole batch (DataLoader). */
export function customersByIds(db: SqlRunner, caller: Caller, ids: readonly string[]): Promise<CustomerRow[]> {
  return query<CustomerRow & Record<string, unknown>>(
    db,
    sql`SELECT ${CUSTOMER_COLUMNS} FROM customers c WHERE ${scope(caller, 'c', 'c.mpn_id')} AND c.customer_id IN ${sql.list(ids)}`,
  );
}
