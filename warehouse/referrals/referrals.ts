import { REFERRAL_RESPONSE_DAYS } from '../../core/vocabulary';
import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import { isoTimestamp } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';
import { sqlTimestamp } from '../clock';
import { boundedText } from '../../core/bounds';

/**
 * Referrals (Partner Center "Respond to referrals", reference lines 8087-8140).
 *
 * THE EXPIRY RULE. A referral still New more than REFERRAL_RESPONSE_DAYS (14) days after it was
 * created is Expired. Every read goes through `effectiveReferrals(now)`, which reports such a row as
 * status 'Expired' with expired_at = created_at + 14 days, whatever the stored row still says; so
 * lists, lookups, filters, counts and the state checks of mutations all agree, and no write is
 * needed for a referral to expire. `expireReferrals` persists the same rule (ETL / startup sweep),
 * which changes nothing any reader sees.
 */
const WINDOW = sql.raw(`INTERVAL ${REFERRAL_RESPONSE_DAYS} DAY`);

function nowValue(now: Date): Sql {
  return sql`CAST(${sqlTimestamp(now)} AS TIMESTAMP)`;
}

/** `status = 'New' AND created_at + 14 days < now`, on the stored columns. */
function lapsed(now: Date): Sql {
  return sql`status = 'New' AND created_at + ${WINDOW} < ${nowValue(now)}`;
}

/** The referrals table as of `now`: lapsed New referrals read as Expired. Use it as `(...) r`. */
export function effectiveReferrals(now: Date): Sql {
  return sql`(SELECT * REPLACE (
      CASE WHEN ${lapsed(now)} THEN 'Expired' ELSE status END AS status,
      CASE WHEN ${lapsed(now)} THEN created_at + ${WINDOW} ELSE expired_at END AS expired_at)
    FROM referrals)`;
}

export interface ReferralRow {
  id: string;
  mpnId: string | null;
  engagementName: string | null;
  direction: string;
  source: string;
  type: string;
  solution: string | null;
  customerId: string | null;
  customerName: string;
  customerCountry: string | null;
  status: string;
  dealValueAmount: string | null;
  currency: string | null;
  dealValueUsdAmount: string | null;
  purchaseTimeFrame: string | null;
  crmId: string | null;
  notes: string | null;
  declineReason: string | null;
  createdAt: string;
  acceptedAt: string | null;
  declinedAt: string | null;
  wonAt: string | null;
  lostAt: string | null;
  expiredAt: string | null;
  expiresAt: string | null;
}

/** Columns of `r` (an effectiveReferrals row) aliased to ReferralRow. */
export const REFERRAL_COLUMNS = sql`r.referral_id AS id, r.mpn_id AS "mpnId", r.engagement_name AS "engagementName",
  r.direction, r.source, r.referral_type AS type, r.solution, r.customer_id AS "customerId",
  r.customer_name AS "customerName", r.customer_country AS "customerCountry", r.status,
  r.deal_value AS "dealValueAmount", r.currency, r.deal_value_usd AS "dealValueUsdAmount",
  r.purchase_time_frame AS "purchaseTimeFrame", r.crm_id AS "crmId", r.notes, r.decline_reason AS "declineReason",
  ${sql.raw(isoTimestamp('r.created_at'))} AS "createdAt",
  ${sql.raw(isoTimestamp('r.accepted_at'))} AS "acceptedAt",
  ${sql.raw(isoTimestamp('r.declined_at'))} AS "declinedAt",
  ${sql.raw(isoTimestamp('r.won_at'))} AS "wonAt",
  ${sql.raw(isoTimestamp('r.lost_at'))} AS "lostAt",
  ${sql.raw(isoTimestamp('r.expired_at'))} AS "expiredAt",
  CASE WHEN r.status = 'New' THEN ${sql.raw(isoTimestamp(`r.created_at + INTERVAL ${REFERRAL_RESPONSE_DAYS} DAY`))} END AS "expiresAt"`;

export interface ReferralFilterValues {
  /** Any of these statuses (effective, i.e. after the expiry rule). */
  status?: readonly string[] | null;
  direction?: string | null;
  source?: string | null;
  type?: string | null;
  solution?: string | null;
  /** Created on or after this day (UTC). */
  createdFrom?: string | null;
  /** Created on or before this day (UTC), inclusive. */
  createdTo?: string | null;
  customerId?: string | null;
  customerCountry?: string | null;
  mpnId?: string | null;
  /** Engagement name, customer name or CRM ID contains this (case-insensitive), or the referral id equals it. */
  search?: string | null;
}

export type ReferralOrderField = 'CREATED_AT' | 'CUSTOMER_NAME' | 'ENGAGEMENT_NAME' | 'STATUS' | 'DEAL_VALUE_USD';
export type Direction = 'ASC' | 'DESC';

export function referralConditions(filter: ReferralFilterValues): (Sql | null)[] {
  const search = boundedText(filter.search?.trim() ?? '', 'searchText', 'filter.search').toLowerCase();
  return [
    filter.status?.length ? sql`r.status IN ${sql.list([...filter.status])}` : null,
    filter.direction ? sql`r.direction = ${filter.direction}` : null,
    filter.source ? sql`r.source = ${filter.source}` : null,
    filter.type ? sql`r.referral_type = ${filter.type}` : null,
    filter.solution ? sql`r.solution = ${filter.solution}` : null,
    filter.createdFrom ? sql`r.created_at >= CAST(${filter.createdFrom} AS DATE)` : null,
    filter.createdTo ? sql`r.created_at < CAST(${filter.createdTo} AS DATE) + INTERVAL 1 DAY` : null,
    filter.customerId ? sql`r.customer_id = ${filter.customerId}` : null,
    filter.customerCountry ? sql`r.customer_country = ${filter.customerCountry}` : null,
    filter.mpnId ? sql`r.mpn_id = ${filter.mpnId}` : null,
    search
      ? sql`contains(lower(coalesce(r.engagement_name, '')), ${search}) OR contains(lower(r.customer_name), ${search})
            OR contains(lower(coalesce(r.crm_id, '')), ${search}) OR lower(r.referral_id) = ${search}`
      : null,
  ];
}

export function referralOrder(order: { field: ReferralOrderField; direction: Direction }): Sql {
  const dir = sql.raw(order.direction === 'DESC' ? 'DESC' : 'ASC');
  const keys: Record<ReferralOrderField, Sql> = {
    CREATED_AT: sql`r.created_at ${dir}`,
    CUSTOMER_NAME: sql`lower(r.customer_name) ${dir}, r.created_at ${dir}`,
    ENGAGEMENT_NAME: sql`lower(r.engagement_name) ${dir} NULLS LAST, r.created_at ${dir}`,
    STATUS: sql`r.status ${dir}, r.created_at ${dir}`,
    DEAL_VALUE_USD: sql`r.deal_value_usd ${dir} NULLS LAST, r.created_at ${dir}`,
  };
  return sql`${keys[order.field]}, r.referral_id ${dir}`;
}

/** Scope (partner and locations) and filter of `r`, an effectiveReferrals row. */
export function referralWhere(caller: Caller, filter: ReferralFilterValues = {}): Sql {
  return sql.and([scope(caller, 'r', 'r.mpn_id'), ...referralConditions(filter)]);
}

/** The referral list (for paginate), as of `now`, scoped to the caller's partner and locations. */
export function referralListQuery(
  caller: Caller,
  now: Date,
  filter: ReferralFilterValues = {},
  order: { field: ReferralOrderField; direction: Direction } = { field: 'CREATED_AT', direction: 'DESC' },
): { select: Sql; from: Sql; orderBy: Sql } {
  return {
    select: REFERRAL_COLUMNS,
    from: sql`${effectiveReferrals(now)} r WHERE ${referralWhere(caller, filter)}`,
    orderBy: referralOrder(order),
  };
}

/**
 * The referrals of many customers (for defineNestedConnection, Customer.referrals): one statement
 * for every customer of a batch, partitioned by r.customer_id.
 */
export function referralsOfCustomersQuery(
  caller: Caller,
  now: Date,
  filter: ReferralFilterValues = {},
  order: { field: ReferralOrderField; direction: Direction } = { field: 'CREATED_AT', direction: 'DESC' },
): { parentKey: Sql; select: Sql; from: Sql; where: Sql; orderBy: Sql } {
  return {
    parentKey: sql`r.customer_id`,
    select: REFERRAL_COLUMNS,
    from: sql`${effectiveReferrals(now)} r`,
    where: referralWhere(caller, filter),
    orderBy: referralOrder(order),
  };
}

/** Referrals by id, one statement for the batch (DataLoader, _entities, mutations). */
export function referralsByIds(db: SqlRunner, caller: Caller, now: Date, ids: readonly string[]): Promise<ReferralRow[]> {
  return query<ReferralRow & Record<string, unknown>>(
    db,
    sql`SELECT ${REFERRAL_COLUMNS} FROM ${effectiveReferrals(now)} r
        WHERE ${scope(caller, 'r', 'r.mpn_id')} AND r.referral_id IN ${sql.list(ids)}`,
  );
}

export interface ReferralContactRow {
  referralId: string;
  side: string;
  firstName: string | null;
  lastName: string | null;
  email: string;
  phone: string | null;
}

/**
 * Contacts of many referrals in one statement. The contacts table has no location: it is scoped
 * through its referral's location (and the partner on both tables).
 */
export function contactsByReferralIds(db: SqlRunner, caller: Caller, referralIds: readonly string[]): Promise<ReferralContactRow[]> {
  return query<ReferralContactRow & Record<string, unknown>>(
    db,
    sql`SELECT c.referral_id AS "referralId", c.side, c.first_name AS "firstName", c.last_name AS "lastName", c.email, c.phone
        FROM referral_contacts c
        JOIN referrals r ON r.partner_id = c.partner_id AND r.referral_id = c.referral_id
        WHERE ${scope(caller, 'c', null)} AND ${scope(caller, 'r', 'r.mpn_id')} AND c.referral_id IN ${sql.list(referralIds)}
        ORDER BY c.side, lower(c.last_name), lower(c.first_name), c.email`,
  );
}

/**
 * The sweep: persists the expiry rule as of `now` (status Expired, expired_at = created + 14 days)
 * for every partner. For the ETL after a load and for startup; readers do not depend on it (they
 * apply the same rule), so it may run at any time. Not a caller's statement: a system job over all
 * tenants, hence no scope(). Returns the number of referrals expired.
 */
export async function expireReferrals(db: SqlRunner, now: Date, partnerId?: string): Promise<number> {
  const rows = await query<{ id: string }>(
    db,
    sql`UPDATE referrals SET status = 'Expired', expired_at = created_at + ${WINDOW}
        WHERE ${lapsed(now)} ${partnerId ? sql`AND partner_id = ${partnerId}` : sql.raw('')}
        RETURNING referral_id AS id`,
  );
  return rows.length;
}
