import type { SqlRunner } from '../../../core/sql';
import { ident } from '../sql';
import type { PreparedLoad } from './mapping';

/**
 * What Partner Center's customer and subscription exports do not carry is filled from the data
 * that does, never invented: the reconciliation lines of the customer (CustomerCountry,
 * CustomerDomainName / DomainName, MpnId) and of the subscription (license-based lines, whose
 * SyndicationPartnerSubscriptionNumber is the Subscription ID: MpnId, OfferId; new-commerce lines
 * by SubscriptionId: MpnId). Only unknown (NULL) values are filled, with the value of the latest
 * line (by usage or charge end date); what is known is never overwritten. Segment is in no line
 * and stays unknown.
 *
 * - A keepKnown load of customers or subscriptions fills its own rows from every line of the
 *   partner's customers / subscriptions already in the warehouse.
 * - A reconciliation load fills the unknowns of the customers and subscriptions of its partners
 *   from its own lines (a later, richer source fills what an export left unknown).
 *
 * Returns the partners whose rows of other loads changed (their derived rollups need a rebuild).
 */
export async function fillUnknowns(tx: SqlRunner, load: PreparedLoad): Promise<string[]> {
  const { format, loadId } = load;
  if (format.keepKnown && format.table === 'customers') {
    await fillCustomers(tx, `c.load_id = ${loadId}`, linesOfCustomers(`load_id = ${loadId}`));
    return [];
  }
  if (format.keepKnown && format.table === 'subscriptions') {
    await fillSubscriptions(tx, `s.load_id = ${loadId}`, linesOfSubscriptions(`load_id = ${loadId}`));
    return [];
  }
  const table = format.table;
  if (table !== 'billing_license_lines' && table !== 'billing_usage_lines' && table !== 'billing_onetime_lines') return [];
  const partners = `(SELECT DISTINCT partner_id FROM ${ident(table)} WHERE load_id = ${loadId})`;
  const touched = new Set<string>();
  const unknownCustomers = `c.partner_id IN ${partners} AND (c.country IS NULL OR c.domain IS NULL OR c.mpn_id IS NULL)`;
  if (await any(tx, `SELECT 1 FROM customers c WHERE ${unknownCustomers} LIMIT 1`)) {
    for (const p of await fillCustomers(tx, unknownCustomers, CUSTOMER_SOURCES.filter((s) => s.table === table).map((s) => s.select(`load_id = ${loadId}`)))) {
      touched.add(p);
    }
  }
  const unknownSubscriptions = `s.partner_id IN ${partners} AND (s.mpn_id IS NULL OR s.offer_id IS NULL)`;
  const subscriptionSources = SUBSCRIPTION_SOURCES.filter((s) => s.table === table);
  if (subscriptionSources.length && (await any(tx, `SELECT 1 FROM subscriptions s WHERE ${unknownSubscriptions} LIMIT 1`))) {
    for (const p of await fillSubscriptions(tx, unknownSubscriptions, subscriptionSources.map((s) => s.select(`load_id = ${loadId}`)))) touched.add(p);
  }
  return [...touched].sort();
}

async function any(tx: SqlRunner, sql: string): Promise<boolean> {
  return (await tx.all(sql)).length > 0;
}

const text = (c: string) => `nullif(trim(${c}), '')`;
const NO_DATE = `DATE '0001-01-01'`;

interface Source {
  table: string;
  /** SELECT partner_id, <entity id>, <values...>, d (the line's date) for the given filter. */
  select: (where: string) => string;
}

/** Lines that know a customer's country, domain and location MPN ID. */
const CUSTOMER_SOURCES: Source[] = [
  {
    table: 'billing_usage_lines',
    select: (w) =>
      `SELECT partner_id, customer_id, ${text('customer_country')} AS country, ${text('customer_domain_name')} AS domain, ${text('mpn_id')} AS mpn_id,
              coalesce(usage_date, charge_end_date, ${NO_DATE}) AS d FROM billing_usage_lines WHERE ${w}`,
  },
  {
    table: 'billing_onetime_lines',
    select: (w) =>
      `SELECT partner_id, customer_id, ${text('customer_country')} AS country, ${text('customer_domain_name')} AS domain, ${text('mpn_id')} AS mpn_id,
              coalesce(charge_end_date, ${NO_DATE}) AS d FROM billing_onetime_lines WHERE ${w}`,
  },
  {
    table: 'billing_license_lines',
    select: (w) =>
      `SELECT partner_id, customer_id, CAST(NULL AS VARCHAR) AS country, ${text('domain_name')} AS domain, ${text('mpn_id')} AS mpn_id,
              coalesce(charge_end_date, ${NO_DATE}) AS d FROM billing_license_lines WHERE ${w}`,
  },
];

/** Lines that know a subscription's location MPN ID and offer. */
const SUBSCRIPTION_SOURCES: Source[] = [
  {
    table: 'billing_license_lines',
    select: (w) =>
      `SELECT partner_id, syndication_partner_subscription_number AS subscription_id, ${text('mpn_id')} AS mpn_id, ${text('offer_id')} AS offer_id,
              coalesce(charge_end_date, ${NO_DATE}) AS d FROM billing_license_lines WHERE ${w}`,
  },
  {
    table: 'billing_onetime_lines',
    select: (w) =>
      `SELECT partner_id, subscription_id, ${text('mpn_id')} AS mpn_id, CAST(NULL AS VARCHAR) AS offer_id, coalesce(charge_end_date, ${NO_DATE}) AS d
       FROM billing_onetime_lines WHERE ${w}`,
  },
];

/** The lines of the customers of a customers load (its partners' lines for those customer ids). */
function linesOfCustomers(thisLoad: string): string[] {
  const scope = `partner_id IN (SELECT DISTINCT partner_id FROM customers WHERE ${thisLoad}) AND customer_id IN (SELECT customer_id FROM customers WHERE ${thisLoad})`;
  return CUSTOMER_SOURCES.map((s) => s.select(scope));
}

function linesOfSubscriptions(thisLoad: string): string[] {
  const partners = `partner_id IN (SELECT DISTINCT partner_id FROM subscriptions WHERE ${thisLoad})`;
  const ids = `(SELECT subscription_id FROM subscriptions WHERE ${thisLoad})`;
  return [
    SUBSCRIPTION_SOURCES[0].select(`${partners} AND syndication_partner_subscription_number IN ${ids}`),
    SUBSCRIPTION_SOURCES[1].select(`${partners} AND subscription_id IN ${ids}`),
  ];
}

async function fillCustomers(tx: SqlRunner, scope: string, sources: string[]): Promise<string[]> {
  const rows = await tx.all<{ partner_id: string }>(
    `UPDATE customers c SET country = coalesce(c.country, f.country), domain = coalesce(c.domain, f.domain), mpn_id = coalesce(c.mpn_id, f.mpn_id)
     FROM (
       SELECT partner_id, customer_id,
              arg_max(country, d) FILTER (WHERE country IS NOT NULL) AS country,
              arg_max(domain, d) FILTER (WHERE domain IS NOT NULL) AS domain,
              arg_max(mpn_id, d) FILTER (WHERE mpn_id IS NOT NULL) AS mpn_id
       FROM (${sources.join(' UNION ALL ')}) GROUP BY partner_id, customer_id
     ) f
     WHERE c.partner_id = f.partner_id AND c.customer_id = f.customer_id AND ${scope}
       AND ((c.country IS NULL AND f.country IS NOT NULL) OR (c.domain IS NULL AND f.domain IS NOT NULL) OR (c.mpn_id IS NULL AND f.mpn_id IS NOT NULL))
     RETURNING c.partner_id`,
  );
  return [...new Set(rows.map((r) => r.partner_id))];
}

async function fillSubscriptions(tx: SqlRunner, scope: string, sources: string[]): Promise<string[]> {
  const rows = await tx.all<{ partner_id: string }>(
    `UPDATE subscriptions s SET mpn_id = coalesce(s.mpn_id, f.mpn_id), offer_id = coalesce(s.offer_id, f.offer_id)
     FROM (
       SELECT partner_id, subscription_id,
              arg_max(mpn_id, d) FILTER (WHERE mpn_id IS NOT NULL) AS mpn_id,
              arg_max(offer_id, d) FILTER (WHERE offer_id IS NOT NULL) AS offer_id
       FROM (${sources.join(' UNION ALL ')}) GROUP BY partner_id, subscription_id
     ) f
     WHERE s.partner_id = f.partner_id AND s.subscription_id = f.subscription_id AND ${scope}
       AND ((s.mpn_id IS NULL AND f.mpn_id IS NOT NULL) OR (s.offer_id IS NULL AND f.offer_id IS NOT NULL))
     RETURNING s.partner_id`,
  );
  return [...new Set(rows.map((r) => r.partner_id))];
}
