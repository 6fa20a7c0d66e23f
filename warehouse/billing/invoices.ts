/**
 * Invoices and their totals from the reconciliation files (the billing subgraph's SQL).
 *
 * An invoice row (invoices) is the summary as Partner Center printed it; its reconciliation files
 * (billing_license_lines, billing_usage_lines, billing_onetime_lines, joined on invoice_number) are
 * the detail. The totals are summed in DuckDB, per invoice and per reseller MPN ID, following the
 * documentation (reference seed 001, lines 9839-10000 and 10465-10522; billing-facts.md):
 *
 *   license-based charges = sum of Subtotal of the license-based file
 *   usage-based charges   = sum of BillingPreTaxTotal of the daily-rated usage file
 *   one-time charges      = sum of Subtotal of the one-time and recurring file
 *   tax                   = sum of Tax (license-based) + sum of TaxTotal (one-time). The documented
 *                           "TaxAmount of the usage-based file" has no counterpart: the daily-rated
 *                           usage file carries no tax column, so usage adds no tax here.
 *   credits               = sum of TotalForCustomer of the license lines "Offset a line item" + sum of
 *                           BillingPreTaxTotal of the usage lines "Offset a line item" (the daily-rated
 *                           file has no post-tax column). Already included in the charges above.
 *   discounts             = sum of TotalOtherDiscount (license) + BillingPreTaxTotal of the usage
 *                           discount charge types (Activation/Cycle/Renew/Cancel discount), as a
 *                           positive amount of money taken off. Informational, like credits.
 *   subtotal              = license-based + usage-based + one-time;   total = subtotal + tax.
 *
 * Scoping: invoices have no location; the line tables have mpn_id (the CSP partner location). A
 * location-scoped caller sees an invoice only when at least one of its lines is of their MPN IDs,
 * and every total is summed over those lines only (the summary as loaded is withheld by the
 * resolvers, since it covers every location).
 */
import type { Caller } from '../../core/caller';
import { inCallerLocations, scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';
import { type Money, ZERO, add, formatMoney, parseMoney } from '../../core/money';

export type InvoiceTypeValue = 'Recurring' | 'OneTime';

/** One row of `invoices`, aliased to the GraphQL field names; money as DECIMAL strings. */
export interface InvoiceRow {
  invoiceNumber: string;
  invoiceDate: string;
  billingPeriodStart: string | null;
  billingPeriodEnd: string | null;
  type: string;
  currency: string;
  licenseBasedCharges: string | null;
  usageBasedCharges: string | null;
  oneTimeCharges: string | null;
  discounts: string | null;
  credits: string | null;
  subtotal: string | null;
  tax: string | null;
  otherCredits: string | null;
  totalCurrentCharges: string | null;
  paymentTermsDays: number | null;
  paymentDueDate: string | null;
}

export const INVOICE_COLUMNS = sql`i.invoice_number AS "invoiceNumber", i.invoice_date AS "invoiceDate",
  i.billing_period_start AS "billingPeriodStart", i.billing_period_end AS "billingPeriodEnd", i.invoice_type AS type, i.currency,
  CAST(i.license_based_charges AS VARCHAR) AS "licenseBasedCharges", CAST(i.usage_based_charges AS VARCHAR) AS "usageBasedCharges",
  CAST(i.one_time_charges AS VARCHAR) AS "oneTimeCharges", CAST(i.discounts AS VARCHAR) AS discounts, CAST(i.credits AS VARCHAR) AS credits,
  CAST(i.subtotal AS VARCHAR) AS subtotal, CAST(i.tax AS VARCHAR) AS tax, CAST(i.other_credits AS VARCHAR) AS "otherCredits",
  CAST(i.total_current_charges AS VARCHAR) AS "totalCurrentCharges", i.payment_terms_days AS "paymentTermsDays",
  i.payment_due_date AS "paymentDueDate"`;

export interface InvoiceFilterValues {
  /** Invoice date on or after / on or before (YYYY-MM-DD). */
  from?: string | null;
  to?: string | null;
  type?: InvoiceTypeValue | null;
  currency?: string | null;
}

/** The line tables that carry an invoice's lines, with their location column. */
const LINE_TABLES = [
  { table: 'billing_license_lines', alias: 'vl' },
  { table: 'billing_usage_lines', alias: 'vu' },
  { table: 'billing_onetime_lines', alias: 'vo' },
] as const;

/**
 * `invoices i` is visible: the caller's partner, and for a location-scoped caller at least one line
 * of their MPN IDs in one of the reconciliation files.
 */
export function invoiceScope(caller: Caller): Sql {
  const locations = inCallerLocations(caller, (ids) =>
    sql.join(
      LINE_TABLES.map(
        ({ table, alias }) =>
          sql`EXISTS (SELECT 1 FROM ${sql.raw(table)} ${sql.raw(alias)} WHERE ${sql.raw(alias)}.partner_id = i.partner_id
                AND ${sql.raw(alias)}.invoice_number = i.invoice_number AND ${sql.raw(alias)}.mpn_id IN ${ids})`,
      ),
      ' OR ',
    ),
  );
  return sql`${scope(caller, 'i', null)} AND (${locations})`;
}

export function invoiceConditions(filter: InvoiceFilterValues): Sql {
  return sql.and([
    filter.from ? sql`i.invoice_date >= CAST(${filter.from} AS DATE)` : null,
    filter.to ? sql`i.invoice_date <= CAST(${filter.to} AS DATE)` : null,
    filter.type ? sql`i.invoice_type = ${filter.type}` : null,
    filter.currency ? sql`upper(i.currency) = ${filter.currency.toUpperCase()}` : null,
  ]);
}

/** The invoice list for paginate(): newest first. */
export function invoiceListQuery(caller: Caller, filter: InvoiceFilterValues = {}): { select: Sql; from: Sql; orderBy: Sql } {
  return {
    select: INVOICE_COLUMNS,
    from: sql`invoices i WHERE ${invoiceScope(caller)} AND ${invoiceConditions(filter)}`,
    orderBy: sql`i.invoice_date DESC, i.invoice_number DESC`,
  };
}

/** Invoices by number, one statement per batch. */
export function invoicesByNumbers(db: SqlRunner, caller: Caller, numbers: readonly string[]): Promise<InvoiceRow[]> {
  return query<InvoiceRow & Record<string, unknown>>(
    db,
    sql`SELECT ${INVOICE_COLUMNS} FROM invoices i WHERE ${invoiceScope(caller)} AND i.invoice_number IN ${sql.list(numbers)}`,
  );
}

export async function invoiceByNumber(db: SqlRunner, caller: Caller, invoiceNumber: string): Promise<InvoiceRow | null> {
  const [row] = await invoicesByNumbers(db, caller, [invoiceNumber]);
  return row ?? null;
}

/** Sums of one invoice's reconciliation lines (of the caller's locations), as exact decimal strings. */
export interface ReconTotals {
  invoiceNumber: string;
  licenseBased: string;
  usageBased: string;
  oneTime: string;
  licenseTax: string;
  oneTimeTax: string;
  /** License Tax + one-time TaxTotal (the usage file has no tax column). */
  tax: string;
  credits: string;
  discounts: string;
  subtotal: string;
  total: string;
  licenseLines: number;
  usageLines: number;
  oneTimeLines: number;
}

const OFFSET = 'offset a line item';
const USAGE_DISCOUNTS = ['activation discount', 'cycle discount', 'renew discount', 'cancel discount'];

interface SourceSumRow {
  invoiceNumber: string;
  source: 'license' | 'usage' | 'onetime';
  charges: string | null;
  tax: string | null;
  credits: string | null;
  discounts: string | null;
  lines: number | string;
}

/**
 * The totals of many invoices from their reconciliation lines: ONE statement (three GROUP BYs, one
 * per file) for the whole batch. Every invoice number gets a result, zeros when it has no lines.
 */
export async function reconTotalsByInvoice(db: SqlRunner, caller: Caller, numbers: readonly string[]): Promise<ReconTotals[]> {
  const list = sql.list(numbers);
  const discounts = sql.list(USAGE_DISCOUNTS);
  const rows = await query<SourceSumRow & Record<string, unknown>>(
    db,
    sql`SELECT l.invoice_number AS "invoiceNumber", 'license' AS source, CAST(sum(l.subtotal) AS VARCHAR) AS charges,
               CAST(sum(l.tax) AS VARCHAR) AS tax,
               CAST(coalesce(sum(l.total_for_customer) FILTER (WHERE lower(trim(l.charge_type)) = ${OFFSET}), 0) AS VARCHAR) AS credits,
               CAST(coalesce(sum(l.total_other_discount), 0) AS VARCHAR) AS discounts, count(*) AS lines
        FROM billing_license_lines l WHERE ${scope(caller, 'l', 'l.mpn_id')} AND l.invoice_number IN ${list} GROUP BY l.invoice_number
        UNION ALL
        SELECT u.invoice_number, 'usage', CAST(sum(u.billing_pre_tax_total) AS VARCHAR), NULL,
               CAST(coalesce(sum(u.billing_pre_tax_total) FILTER (WHERE lower(trim(u.charge_type)) = ${OFFSET}), 0) AS VARCHAR),
               CAST(coalesce(-sum(u.billing_pre_tax_total) FILTER (WHERE lower(trim(u.charge_type)) IN ${discounts}), 0) AS VARCHAR),
               count(*)
        FROM billing_usage_lines u WHERE ${scope(caller, 'u', 'u.mpn_id')} AND u.invoice_number IN ${list} GROUP BY u.invoice_number
        UNION ALL
        SELECT o.invoice_number, 'onetime', CAST(sum(o.subtotal) AS VARCHAR), CAST(sum(o.tax_total) AS VARCHAR), '0', '0', count(*)
        FROM billing_onetime_lines o WHERE ${scope(caller, 'o', 'o.mpn_id')} AND o.invoice_number IN ${list} GROUP BY o.invoice_number`,
  );
  return numbers.map((invoiceNumber) => {
    const mine = rows.filter((r) => r.invoiceNumber === invoiceNumber);
    const of = (source: SourceSumRow['source']) => mine.find((r) => r.source === source);
    const m = (value: string | null | undefined): Money => (value == null ? ZERO : parseMoney(value));
    const license = of('license');
    const usage = of('usage');
    const oneTime = of('onetime');
    const tax = add(m(license?.tax), m(oneTime?.tax));
    const subtotal = add(add(m(license?.charges), m(usage?.charges)), m(oneTime?.charges));
    return {
      invoiceNumber,
      licenseBased: formatMoney(m(license?.charges)),
      usageBased: formatMoney(m(usage?.charges)),
      oneTime: formatMoney(m(oneTime?.charges)),
      licenseTax: formatMoney(m(license?.tax)),
      oneTimeTax: formatMoney(m(oneTime?.tax)),
      tax: formatMoney(tax),
      credits: formatMoney(add(m(license?.credits), m(usage?.credits))),
      discounts: formatMoney(add(m(license?.discounts), m(usage?.discounts))),
      subtotal: formatMoney(subtotal),
      total: formatMoney(add(subtotal, tax)),
      licenseLines: Number(license?.lines ?? 0),
      usageLines: Number(usage?.lines ?? 0),
      oneTimeLines: Number(oneTime?.lines ?? 0),
    };
  });
}

/** One reseller MPN ID's share of an invoice. */
export interface ResellerTotalsRow {
  invoiceNumber: string;
  /** As in the files: a reseller's MPN ID, the CSP partner's own MPN ID (sold directly) or "-1" (removed). */
  resellerMpnId: string;
  /** The ResellerMpnId equals the line's MpnId (or is empty): the partner sold directly. */
  soldDirectly: boolean;
  /** The ResellerMpnId is -1: the partner removed the reseller of record. */
  removed: boolean;
  licenseBased: string;
  usageBased: string;
  oneTime: string;
  tax: string;
  total: string;
  lines: number;
}

/**
 * Itemization by reseller MPN ID (the documented "itemize reconciliation files by partner"): the
 * license and one-time ResellerMpnId and the usage Tier2MpnId. An empty value counts as the line's
 * own MPN ID ("a reseller with no MPN ID ... is set to the partner's MPN ID"). One statement per batch.
 */
export async function resellerTotalsByInvoice(db: SqlRunner, caller: Caller, numbers: readonly string[]): Promise<ResellerTotalsRow[][]> {
  const list = sql.list(numbers);
  const rows = await query<ResellerTotalsRow & Record<string, unknown>>(
    db,
    sql`WITH lines AS (
          SELECT l.invoice_number, l.mpn_id, coalesce(nullif(trim(l.reseller_mpn_id), ''), l.mpn_id) AS reseller,
                 l.subtotal AS license, 0::DECIMAL(18,6) AS usage, 0::DECIMAL(18,6) AS onetime, coalesce(l.tax, 0) AS tax
          FROM billing_license_lines l WHERE ${scope(caller, 'l', 'l.mpn_id')} AND l.invoice_number IN ${list}
          UNION ALL
          SELECT u.invoice_number, u.mpn_id, coalesce(nullif(trim(u.tier2_mpn_id), ''), u.mpn_id), 0, u.billing_pre_tax_total, 0, 0
          FROM billing_usage_lines u WHERE ${scope(caller, 'u', 'u.mpn_id')} AND u.invoice_number IN ${list}
          UNION ALL
          SELECT o.invoice_number, o.mpn_id, coalesce(nullif(trim(o.reseller_mpn_id), ''), o.mpn_id), 0, 0, o.subtotal, coalesce(o.tax_total, 0)
          FROM billing_onetime_lines o WHERE ${scope(caller, 'o', 'o.mpn_id')} AND o.invoice_number IN ${list})
        SELECT invoice_number AS "invoiceNumber", reseller AS "resellerMpnId",
               bool_or(reseller = mpn_id) AS "soldDirectly", reseller = '-1' AS removed,
               CAST(sum(license) AS VARCHAR) AS "licenseBased", CAST(sum(usage) AS VARCHAR) AS "usageBased",
               CAST(sum(onetime) AS VARCHAR) AS "oneTime", CAST(sum(tax) AS VARCHAR) AS tax,
               CAST(sum(license) + sum(usage) + sum(onetime) + sum(tax) AS VARCHAR) AS total, count(*) AS lines
        FROM lines
        GROUP BY invoice_number, reseller
        ORDER BY invoice_number, "soldDirectly" DESC, removed DESC, reseller`,
  );
  return numbers.map((n) =>
    rows
      .filter((r) => r.invoiceNumber === n)
      .map((r) => ({
        ...r,
        licenseBased: formatMoney(parseMoney(r.licenseBased)),
        usageBased: formatMoney(parseMoney(r.usageBased)),
        oneTime: formatMoney(parseMoney(r.oneTime)),
        tax: formatMoney(parseMoney(r.tax)),
        total: formatMoney(parseMoney(r.total)),
        lines: Number(r.lines),
      })),
  );
}
