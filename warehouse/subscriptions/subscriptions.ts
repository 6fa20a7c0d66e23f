import type { Caller } from '../../core/caller';
import { isoDate, type DateInput } from '../../core/dates';
import { scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';

/** One row of `subscriptions`, aliased to the GraphQL field names (plus the keys of its relations). */
export interface SubscriptionRow {
  id: string;
  friendlyName: string | null;
  quantity: number;
  status: string;
  /** Null for a subscription known only from Partner Center's subscriptions export (no other file filled it). */
  billingType: string | null;
  billingFrequency: string | null;
  /** DECIMAL string; exposed as `unitPrice: Money` (revenue). */
  unitPriceAmount: string | null;
  currency: string | null;
  createdDate: string | null;
  termStartDate: string | null;
  termEndDate: string | null;
  autoRenew: boolean | null;
  isTrial: boolean | null;
  trialStartDate: string | null;
  trialEndDate: string | null;
  suspendedDate: string | null;
  canceledDate: string | null;
  customerId: string;
  /** Location MPN ID. */
  mpnId: string | null;
  /** As stored: an MPN ID, the location's own MPN ID (sold directly), "-1" (removed) or empty. */
  resellerMpnId: string | null;
  offerId: string;
}

/**
 * A subscription whose creation date and billing type are known: what the billing and lifecycle
 * rules need. One known only from Partner Center's subscriptions export (five columns, no dates,
 * no offer) has neither until a subscriptions or reconciliation file fills them in.
 */
export type SubscriptionWithTerms = SubscriptionRow & { createdDate: string; billingType: string };

export function hasKnownTerms(row: SubscriptionRow): row is SubscriptionWithTerms {
  return row.createdDate !== null && row.billingType !== null;
}

export const SUBSCRIPTION_COLUMNS = sql`s.subscription_id AS id, s.friendly_name AS "friendlyName", s.quantity, s.status,
  s.billing_type AS "billingType", s.billing_frequency AS "billingFrequency", CAST(s.unit_price AS VARCHAR) AS "unitPriceAmount",
  s.currency, s.created_date AS "createdDate", s.term_start_date AS "termStartDate", s.term_end_date AS "termEndDate",
  s.auto_renew AS "autoRenew", s.is_trial AS "isTrial", s.trial_start_date AS "trialStartDate", s.trial_end_date AS "trialEndDate",
  s.suspended_date AS "suspendedDate", s.canceled_date AS "canceledDate", s.customer_id AS "customerId", s.mpn_id AS "mpnId",
  s.reseller_mpn_id AS "resellerMpnId", s.offer_id AS "offerId"`;

export interface SubscriptionFilterValues {
  status?: string | null;
  productFamily?: string | null;
  billingType?: string | null;
  customerId?: string | null;
  resellerMpnId?: string | null;
  /** Created on or after / on or before: YYYY-MM-DD, or the Date that the GraphQL Date scalar parses it to. */
  createdFrom?: DateInput;
  createdTo?: DateInput;
  termEndFrom?: DateInput;
  termEndTo?: DateInput;
  /** Friendly name or offer/product name contains (case-insensitive), or the subscription id equals. */
  search?: string | null;
}

export type SubscriptionOrderField = 'CREATED_DATE' | 'TERM_END_DATE' | 'FRIENDLY_NAME' | 'QUANTITY' | 'STATUS';
export type Direction = 'ASC' | 'DESC';
export interface SubscriptionOrderValues {
  field: SubscriptionOrderField;
  direction: Direction;
}
export const DEFAULT_SUBSCRIPTION_ORDER: SubscriptionOrderValues = { field: 'CREATED_DATE', direction: 'DESC' };

/** The filter as SQL conditions on `s` (subscriptions). */
export function subscriptionConditions(filter: SubscriptionFilterValues): Sql {
  const search = boundedText(filter.search?.trim() ?? '', 'searchText', 'filter.search').toLowerCase();
  const [createdFrom, createdTo, termEndFrom, termEndTo] = [filter.createdFrom, filter.createdTo, filter.termEndFrom, filter.termEndTo].map(isoDate);
  return sql.and([
    filter.status ? sql`s.status = ${filter.status}` : null,
    filter.billingType ? sql`s.billing_type = ${filter.billingType}` : null,
    filter.customerId ? sql`s.customer_id = ${filter.customerId}` : null,
    filter.resellerMpnId ? sql`s.reseller_mpn_id = ${filter.resellerMpnId}` : null,
    createdFrom ? sql`s.created_date >= CAST(${createdFrom} AS DATE)` : null,
    createdTo ? sql`s.created_date <= CAST(${createdTo} AS DATE)` : null,
    termEndFrom ? sql`s.term_end_date >= CAST(${termEndFrom} AS DATE)` : null,
    termEndTo ? sql`s.term_end_date <= CAST(${termEndTo} AS DATE)` : null,
    filter.productFamily
      ? sql`EXISTS (SELECT 1 FROM products pf WHERE pf.partner_id = s.partner_id AND pf.offer_id = s.offer_id
              AND pf.product_family = ${filter.productFamily})`
      : null,
    search
      ? sql`contains(lower(coalesce(s.friendly_name, '')), ${search}) OR lower(s.subscription_id) = ${search}
            OR EXISTS (SELECT 1 FROM products ps WHERE ps.partner_id = s.partner_id AND ps.offer_id = s.offer_id
              AND (contains(lower(ps.offer_name), ${search}) OR contains(lower(ps.product_name), ${search})))`
      : null,
  ]);
}

/** A total order of subscriptions (ends with the unique id). */
export function subscriptionOrder(order: SubscriptionOrderValues = DEFAULT_SUBSCRIPTION_ORDER): Sql {
  const dir = sql.raw(order.direction === 'ASC' ? 'ASC' : 'DESC');
  const keys: Record<SubscriptionOrderField, Sql> = {
    CREATED_DATE: sql`s.created_date ${dir}`,
    TERM_END_DATE: sql`s.term_end_date ${dir} NULLS LAST`,
    FRIENDLY_NAME: sql`lower(s.friendly_name) ${dir} NULLS LAST`,
    QUANTITY: sql`s.quantity ${dir}`,
    STATUS: sql`s.status ${dir}`,
  };
  return sql`${keys[order.field] ?? keys.CREATED_DATE}, s.subscription_id ${dir}`;
}

/** The subscription list (for paginate): scoped to the caller's partner and locations, filtered, ordered. */
export function subscriptionListQuery(
  caller: Caller,
  filter: SubscriptionFilterValues = {},
  order: SubscriptionOrderValues = DEFAULT_SUBSCRIPTION_ORDER,
): { select: Sql; from: Sql; orderBy: Sql } {
  return {
    select: SUBSCRIPTION_COLUMNS,
    from: sql`subscriptions s WHERE ${scope(caller, 's', 's.mpn_id')} AND ${subscriptionConditions(filter)}`,
    orderBy: subscriptionOrder(order),
  };
}

/** Subscriptions by id, one statement per batch (DataLoader, and the mutations inside their transaction). */
export function subscriptionsByIds(db: SqlRunner, caller: Caller, ids: readonly string[]): Promise<SubscriptionRow[]> {
  return query<SubscriptionRow & Record<string, unknown>>(
    db,
    sql`SELECT ${SUBSCRIPTION_COLUMNS} FROM subscriptions s
        WHERE ${scope(caller, 's', 's.mpn_id')} AND s.subscription_id IN ${sql.list(ids)}`,
  );
}

export async function subscriptionById(db: SqlRunner, caller: Caller, id: string): Promise<SubscriptionRow | null> {
  const [row] = await subscriptionsByIds(db, caller, [id]);
  return row ?? null;
}

/** Reseller MPN ID of record, or null when there is none: empty, removed ("-1") or sold directly (the location's own MPN ID). */
export function resellerOfRecord(row: Pick<SubscriptionRow, 'resellerMpnId' | 'mpnId'>): string | null {
  const value = row.resellerMpnId?.trim();
  if (!value || value === '-1' || value === row.mpnId) return null;
  return value;
}

export interface SubscriptionEventRow {
  id: string;
  subscriptionId: string;
  date: string;
  type: string;
  quantityBefore: number | null;
  quantityAfter: number | null;
  detail: string | null;
  actor: string | null;
}

export const EVENT_COLUMNS = sql`e.event_id AS id, e.subscription_id AS "subscriptionId", e.event_date AS date, e.event_type AS type,
  e.quantity_before AS "quantityBefore", e.quantity_after AS "quantityAfter", e.detail, e.actor`;

/**
 * Events of one day have no time of day: a purchase or trial conversion sorts first, then the
 * events in the order they were written (rowid), then the id.
 */
export const EVENT_ORDER = sql`e.event_date, CASE WHEN e.event_type IN ('Purchase', 'TrialConversion') THEN 0 ELSE 1 END, e.rowid, e.event_id`;

/**
 * The history of a subscription as the nested connection `Subscription.events` reads it. Events have
 * no location column: they are scoped to the partner and to subscriptions of the caller's locations.
 */
export function eventScope(caller: Caller): Sql {
  return sql`${scope(caller, 'e', null)} AND EXISTS (SELECT 1 FROM subscriptions es WHERE es.subscription_id = e.subscription_id
    AND ${scope(caller, 'es', 'es.mpn_id')})`;
}

/** The whole history of one subscription, oldest first (for the billing rules). */
export function subscriptionEvents(db: SqlRunner, caller: Caller, subscriptionId: string): Promise<SubscriptionEventRow[]> {
  return query<SubscriptionEventRow & Record<string, unknown>>(
    db,
    sql`SELECT ${EVENT_COLUMNS} FROM subscription_events e
        WHERE ${eventScope(caller)} AND e.subscription_id = ${subscriptionId}
        ORDER BY ${EVENT_ORDER}`,
  );
}

export interface LicenseUsageRow {
  subscriptionId: string;
  month: string;
  licensesPurchased: number;
  licensesAssigned: number;
  activeUsers28Days: number;
}

/**
 * The latest month of license telemetry of each subscription. license_usage has no location
 * column: it is read for subscriptions of the caller's locations only.
 */
export function latestLicenseUsage(db: SqlRunner, caller: Caller, subscriptionIds: readonly string[]): Promise<LicenseUsageRow[]> {
  return query<LicenseUsageRow & Record<string, unknown>>(
    db,
    sql`SELECT u.subscription_id AS "subscriptionId", u.month, u.licenses_purchased AS "licensesPurchased",
               u.licenses_assigned AS "licensesAssigned", u.active_users_28d AS "activeUsers28Days"
        FROM license_usage u
        WHERE ${scope(caller, 'u', null)} AND u.subscription_id IN ${sql.list(subscriptionIds)}
          AND EXISTS (SELECT 1 FROM subscriptions us WHERE us.subscription_id = u.subscription_id AND ${scope(caller, 'us', 'us.mpn_id')})
        QUALIFY row_number() OVER (PARTITION BY u.subscription_id ORDER BY u.month DESC, u.licenses_purchased DESC) = 1`,
  );
}

import type { ExpectedChargeRow } from '../billing/types';
import { boundedText } from '../../core/bounds';
export type { ExpectedChargeRow };

/** Expected charge lines of many subscriptions (of the caller's locations), in invoice order. */
export function expectedChargesBySubscriptionIds(db: SqlRunner, caller: Caller, subscriptionIds: readonly string[]): Promise<ExpectedChargeRow[]> {
  return query<ExpectedChargeRow & Record<string, unknown>>(
    db,
    sql`SELECT c.subscription_id AS "subscriptionId", c.invoice_date AS "invoiceDate", c.charge_start_date AS "chargeStartDate",
               c.charge_end_date AS "chargeEndDate", c.charge_type AS "chargeType", CAST(c.unit_price AS VARCHAR) AS "unitPrice",
               c.quantity, CAST(c.amount AS VARCHAR) AS amount, c.currency, c.source_event_id AS "eventId"
        FROM expected_charges c
        WHERE ${scope(caller, 'c', null)} AND c.subscription_id IN ${sql.list(subscriptionIds)}
          AND EXISTS (SELECT 1 FROM subscriptions cs WHERE cs.subscription_id = c.subscription_id AND ${scope(caller, 'cs', 'cs.mpn_id')})
        ORDER BY c.subscription_id, c.invoice_date, c.charge_start_date, c.rowid`,
  );
}

/**
 * The partner's billing day (the day of the month its invoices are cut), from its invoices: the
 * largest day of month of its invoice dates (a billing day of 31 shows as 30 or 28 in short
 * months). Null when the partner has no invoice yet.
 */
export async function partnerBillingDay(db: SqlRunner, caller: Caller): Promise<number | null> {
  const [row] = await query<{ day: string | number | null }>(
    db,
    sql`SELECT max(day(i.invoice_date)) AS day FROM invoices i WHERE ${scope(caller, 'i', null)}`,
  );
  return row?.day == null ? null : Number(row.day);
}
