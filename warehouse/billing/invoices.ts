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
 *
 * AN INVOICE IS ITS LINES. An invoice number that has reconciliation lines but no summary row is an
 * invoice too (invoiceSource): one statement, the summary rows UNION ALL one row per invoice number
 * known only from the lines (grouped in DuckDB; an anti-join drops the numbers that have a summary,
 * so nothing doubles when the summary arrives). Its totals come from the lines as for any invoice;
 * every figure only the summary prints (the charges as printed, PaymentTermsDays, PaymentDueDate)
 * is NULL; its identifying fields are what the lines carry, over all of the partner's lines of the
 * invoice (like a summary, they identify the invoice whichever location asks):
 *
 *   currency        Currency (license, one-time), BillingCurrency (daily-rated usage)
 *   type            Recurring when it has license-based or usage lines (the invoice for license- and
 *                   usage-based charges), OneTime when it has only one-time lines (the separate
 *                   invoice for one-time and new-commerce charges): the documented InvoiceType
 *   billing period  ChargeStartDate and ChargeEndDate of the daily-rated usage lines, documented as
 *                   the billing cycle (the latest cycle: latent usage lines carry an earlier one);
 *                   NULL without usage lines (license and one-time charge dates are the charge's
 *                   own period, not the cycle)
 *   invoice date    no reconciliation file has an invoice date column, and the field cannot be
 *                   empty: the latest date of the billing the lines carry, i.e. the greatest of
 *                   the usage lines' ChargeEndDate (else UsageDate), the license lines'
 *                   ChargeStartDate and the one-time lines' ChargeStartDate. It is on or before
 *                   the real invoice date (the billing date on or after the charges); loading the
 *                   summary replaces it with the printed one.
 *
 * Cost: listing reads the invoice numbers of the partner's lines (one hash anti-join against the
 * summaries; only line-only invoices' lines are grouped): about 0.25 s for 4.7 million lines on
 * the 2-core machine, where the summaries alone took 10 ms. The location check is one
 * uncorrelated semi-join over the caller's lines (a correlated EXISTS per invoice was 3-5 times
 * slower).
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
  /** False: no summary (invoices file) is loaded for it; the invoice is known from its reconciliation lines only. */
  hasSummary: boolean;
}

export const INVOICE_COLUMNS = sql`i.invoice_number AS "invoiceNumber", i.invoice_date AS "invoiceDate",
  i.billing_period_start AS "billingPeriodStart", i.billing_period_end AS "billingPeriodEnd", i.invoice_type AS type, i.currency,
  CAST(i.license_based_charges AS VARCHAR) AS "licenseBasedCharges", CAST(i.usage_based_charges AS VARCHAR) AS "usageBasedCharges",
  CAST(i.one_time_charges AS VARCHAR) AS "oneTimeCharges", CAST(i.discounts AS VARCHAR) AS discounts, CAST(i.credits AS VARCHAR) AS credits,
  CAST(i.subtotal AS VARCHAR) AS subtotal, CAST(i.tax AS VARCHAR) AS tax, CAST(i.other_credits AS VARCHAR) AS "otherCredits",
  CAST(i.total_current_charges AS VARCHAR) AS "totalCurrentCharges", i.payment_terms_days AS "paymentTermsDays",
  i.payment_due_date AS "paymentDueDate", i.has_summary AS "hasSummary"`;

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
 * The partner's invoices as one relation, aliased `i`, with the columns of `invoices` plus
 * has_summary: the summary rows, and one row per invoice number known only from its reconciliation
 * lines (see the header). `numbers` narrows both parts (and every line scan) to those invoice
 * numbers. Partner-scoped only: add invoiceScope for the caller's locations. The line scans use the
 * partner alone (scope(..., null)) because they build the invoice's identity, which is the same for
 * every location; invoiceScope limits a location-scoped caller to invoices with lines of their MPN IDs.
 */
export function invoiceSource(caller: Caller, numbers: readonly string[] | null = null): Sql {
  const only = (alias: string) => (numbers === null ? sql.raw('') : sql`AND ${sql.raw(alias)}.invoice_number IN ${sql.list(numbers)}`);
  const money = sql.raw('NULL::DECIMAL(18,6)');
  return sql`(
    SELECT s.invoice_number, s.partner_id, s.invoice_date, s.billing_period_start, s.billing_period_end, s.invoice_type, s.currency,
           s.license_based_charges, s.usage_based_charges, s.one_time_charges, s.discounts, s.credits, s.subtotal, s.tax,
           s.other_credits, s.total_current_charges, s.payment_terms_days, s.payment_due_date, TRUE AS has_summary
    FROM invoices s WHERE ${scope(caller, 's', null)} ${only('s')}
    UNION ALL
    SELECT x.invoice_number, x.partner_id, max(x.billed_on) AS invoice_date,
           arg_max(x.cycle_start, x.cycle_end) AS billing_period_start, max(x.cycle_end) AS billing_period_end,
           CASE WHEN bool_or(x.recurring) THEN 'Recurring' ELSE 'OneTime' END AS invoice_type, min(x.currency) AS currency,
           ${money}, ${money}, ${money}, ${money}, ${money}, ${money}, ${money}, ${money}, ${money},
           NULL::INTEGER AS payment_terms_days, NULL::DATE AS payment_due_date, FALSE AS has_summary
    FROM (
      SELECT l.invoice_number, l.partner_id, l.charge_start_date AS billed_on, NULL::DATE AS cycle_start, NULL::DATE AS cycle_end,
             TRUE AS recurring, l.currency
      FROM billing_license_lines l WHERE ${scope(caller, 'l', null)} ${only('l')}
      UNION ALL
      SELECT u.invoice_number, u.partner_id, coalesce(u.charge_end_date, u.usage_date), u.charge_start_date, u.charge_end_date,
             TRUE, u.billing_currency
      FROM billing_usage_lines u WHERE ${scope(caller, 'u', null)} ${only('u')}
      UNION ALL
      SELECT o.invoice_number, o.partner_id, o.charge_start_date, NULL::DATE, NULL::DATE, FALSE, o.currency
      FROM billing_onetime_lines o WHERE ${scope(caller, 'o', null)} ${only('o')}
    ) x
    ANTI JOIN (SELECT s2.invoice_number FROM invoices s2 WHERE ${scope(caller, 's2', null)} ${only('s2')}) s2 ON s2.invoice_number = x.invoice_number
    WHERE coalesce(x.invoice_number, '') <> ''
    GROUP BY x.partner_id, x.invoice_number
  ) i`;
}

/**
 * `i` (invoiceSource) is visible: the caller's partner, and for a location-scoped caller at least one line
 * of their MPN IDs in one of the reconciliation files. `numbers` narrows the line scans to those
 * invoice numbers (lookups by number), as in invoiceSource.
 */
export function invoiceScope(caller: Caller, numbers: readonly string[] | null = null): Sql {
  const only = (alias: string) => (numbers === null ? sql.raw('') : sql` AND ${sql.raw(alias)}.invoice_number IN ${sql.list(numbers)}`);
  // Uncorrelated (one semi-join over the caller's lines), not an EXISTS per invoice.
  const locations = inCallerLocations(
    caller,
    () =>
      sql`i.invoice_number IN (${sql.join(
        LINE_TABLES.map(
          ({ table, alias }) =>
            sql`SELECT ${sql.raw(alias)}.invoice_number FROM ${sql.raw(table)} ${sql.raw(alias)} WHERE ${scope(caller, alias, `${alias}.mpn_id`)}${only(alias)}`,
        ),
        ' UNION ALL ',
      )})`,
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

/** The invoice list for paginate(): newest first (line-only invoices by their derived date). */
export function invoiceListQuery(caller: Caller, filter: InvoiceFilterValues = {}): { select: Sql; from: Sql; orderBy: Sql } {
  return {
    select: INVOICE_COLUMNS,
    from: sql`${invoiceSource(caller)} WHERE ${invoiceScope(caller)} AND ${invoiceConditions(filter)}`,
    orderBy: sql`i.invoice_date DESC, i.invoice_number DESC`,
  };
}

/** Invoices by number (with a summary or known from their lines only), one statement per batch. */
export function invoicesByNumbers(db: SqlRunner, caller: Caller, numbers: readonly string[]): Promise<InvoiceRow[]> {
  return query<InvoiceRow & Record<string, unknown>>(
    db,
    sql`SELECT ${INVOICE_COLUMNS} FROM ${invoiceSource(caller, numbers)} WHERE ${invoiceScope(caller, numbers)} AND i.invoice_number IN ${sql.list(numbers)}`,
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
