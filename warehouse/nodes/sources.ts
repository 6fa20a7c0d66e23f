import type { Caller } from '../../core/caller';
import type { Permission } from '../../core/permissions';
import { scope } from '../../core/scope';
import { sql, type Sql } from '../../core/sql';
import { apiKeysFrom } from '../accounts/api-keys';
import { invoiceScope, invoiceSource } from '../billing/invoices';
import { parseReconciliationId, RECONCILIATION_ID_SUFFIX } from '../billing/reconciliation-id';
import { reportsFrom } from '../exports/downloads';
import { exportableBy } from '../exports/downloads-engine';
import { jobsFrom } from '../ingestion/jobs';
import { dealScope } from '../referrals/deals';
import { syncsFrom } from '../sync/runs';

/**
 * Where the objects of each Node type live, as data: the GraphQL type name, the permission that
 * lets a caller read the type (core/permissions.ts; null when the rows decide, as for generated
 * reports), and the SELECT of the `(typename, id)` pairs the caller may see among `ids` (null: all
 * of them). Each SELECT is scoped exactly like the type's own by-id lookup, so node(id:) finds what
 * `customer(id:)`, `invoice(number:)`... find, and nothing else.
 */
export interface NodeSource {
  typename: string;
  permission: Permission | null;
  select(caller: Caller, ids: readonly string[] | null): Sql | null;
}

/** `column IN (ids)`, or TRUE when every id is asked for. */
function among(column: string, ids: readonly string[] | null): Sql {
  return ids === null ? sql.raw('TRUE') : sql`${sql.raw(column)} IN ${sql.list(ids)}`;
}

/** SELECT '<typename>' AS typename, <column> AS id FROM <from> WHERE <where> AND <column> IN (ids). */
function pairs(typename: string, column: string, from: Sql, ids: readonly string[] | null): Sql {
  return sql`SELECT ${sql.raw(`'${typename}'`)} AS typename, CAST(${sql.raw(column)} AS VARCHAR) AS id FROM ${from} AND ${among(column, ids)}`;
}

/** Invoices the caller may see (summary or lines only), by number: what invoice(number:) finds. */
function visibleInvoices(caller: Caller, numbers: readonly string[] | null): Sql {
  return sql`${invoiceSource(caller, numbers)} WHERE ${invoiceScope(caller, numbers)}`;
}

export const NODE_SOURCES: readonly NodeSource[] = [
  {
    typename: 'Partner',
    permission: 'readPartner',
    // The partners table belongs to no location: every user of the partner sees its profile.
    select: (caller, ids) => pairs('Partner', 'p.partner_id', sql`partners p WHERE ${scope(caller, 'p', null)}`, ids),
  },
  {
    typename: 'Customer',
    permission: 'readCustomers',
    select: (caller, ids) => pairs('Customer', 'c.customer_id', sql`customers c WHERE ${scope(caller, 'c', 'c.mpn_id')}`, ids),
  },
  {
    typename: 'CustomerSubscription',
    permission: 'readSubscriptions',
    select: (caller, ids) => pairs('CustomerSubscription', 's.subscription_id', sql`subscriptions s WHERE ${scope(caller, 's', 's.mpn_id')}`, ids),
  },
  {
    typename: 'Product',
    permission: 'readSubscriptions',
    // The price list belongs to the partner, not a location (as products(...) lists it).
    select: (caller, ids) => pairs('Product', 'p.offer_id', sql`products p WHERE ${scope(caller, 'p', null)}`, ids),
  },
  {
    typename: 'Referral',
    permission: 'readReferrals',
    select: (caller, ids) => pairs('Referral', 'r.referral_id', sql`referrals r WHERE ${scope(caller, 'r', 'r.mpn_id')}`, ids),
  },
  {
    typename: 'DealRegistration',
    permission: 'readReferrals',
    select: (caller, ids) => pairs('DealRegistration', 'd.registration_id', sql`deal_registrations d WHERE ${dealScope(caller)}`, ids),
  },
  {
    typename: 'Invoice',
    permission: 'seeBilling',
    select: (caller, ids) => pairs('Invoice', 'i.invoice_number', visibleInvoices(caller, ids), ids),
  },
  {
    typename: 'InvoiceReconciliation',
    permission: 'seeBilling',
    select: reconciliationPairs,
  },
  {
    typename: 'LoadJob',
    permission: 'loadData',
    select: (caller, ids) => pairs('LoadJob', 'j.job_id', jobsFrom(caller), ids),
  },
  {
    typename: 'SyncRun',
    permission: 'loadData',
    select: (caller, ids) => pairs('SyncRun', 's.sync_id', syncsFrom(caller), ids),
  },
  {
    typename: 'GeneratedReport',
    // Who sees a report is its dataset's rule (generatedReport(id:)): the datasets the caller may export.
    permission: null,
    select: (caller, ids) => pairs('GeneratedReport', 'r.report_id', reportsFrom(caller, exportableBy(caller)), ids),
  },
  {
    typename: 'ApiKey',
    permission: 'manageApiKeys',
    select: (caller, ids) => pairs('ApiKey', 'k.key_id', apiKeysFrom(caller), ids),
  },
];

/**
 * A reconciliation's id is derived from its invoice's number (warehouse/billing/reconciliation-id.ts):
 * it exists when the invoice is visible, and for one subscription's reconciliation when that
 * subscription is visible too (what reconciliation(invoiceNumber:, subscriptionId:) answers).
 */
function reconciliationPairs(caller: Caller, ids: readonly string[] | null): Sql | null {
  if (ids === null) {
    return sql`SELECT 'InvoiceReconciliation' AS typename, i.invoice_number || ${RECONCILIATION_ID_SUFFIX} AS id FROM ${visibleInvoices(caller, null)}`;
  }
  const asked = ids.flatMap((id) => {
    const parsed = parseReconciliationId(id);
    return parsed ? [{ id, ...parsed }] : [];
  });
  if (!asked.length) return null;
  const rows = sql.join(
    asked.map((a) => sql`(CAST(${a.id} AS VARCHAR), CAST(${a.invoiceNumber} AS VARCHAR), CAST(${a.subscriptionId} AS VARCHAR))`),
    ', ',
  );
  const numbers = [...new Set(asked.map((a) => a.invoiceNumber))];
  return sql`SELECT 'InvoiceReconciliation' AS typename, q.id
    FROM (VALUES ${rows}) q(id, invoice_number, subscription_id)
    WHERE q.invoice_number IN (SELECT i.invoice_number FROM ${visibleInvoices(caller, numbers)})
      AND (q.subscription_id IS NULL OR q.subscription_id IN (
        SELECT s.subscription_id FROM subscriptions s WHERE ${scope(caller, 's', 's.mpn_id')}))`;
}
