import type { SqlRunner } from '../../core/sql';
import { rebuildInsightsCubes, USAGE_CUBES } from './cubes';
import { rebuildPciRollups } from './pci/rollups';

/**
 * The Insights rollups and their refresh rule. Both run inside the file's load transaction (the
 * ETL's afterLoad hook), so a rollup commits or rolls back with the rows it summarises.
 *
 * The derived rollups (the cubes, cubes.ts, and the PCI rollups, pci/rollups.ts) are rebuilt per
 * partner, which costs the same whatever the file. So when loadFiles loads more than one file (a
 * batch: `start`'s demo directory, `load <dir>`), each file refreshes only the two rollups below
 * (`cubes: false`; they stay exact file by file) and marks the partners whose derived rollups it
 * would have rebuilt in etl_stale_rollups, in the same transaction; the batch ends (also after a
 * rejected file or an error) with one transaction rebuilding every marked partner
 * (rebuildDerivedRollups) and clearing the marks. Between the files of a batch the derived rollups
 * lag; nothing serves reports from the warehouse while it loads. A process that dies mid-batch leaves
 * the marks, and the next Warehouse.open rebuilds those partners before returning
 * (stale-rollups.ts). A single-file load rebuilds inside its own transaction, as below.
 *
 * insights_usage_monthly — daily-rated usage aggregated per (partner, invoice, usage month,
 *   customer, subscription, location, customer country, meter category): quantity, ACR in USD and
 *   line count, and the billing-currency total (BillingPreTaxTotal, per BillingCurrency: an invoice
 *   has one currency, so this splits nothing in practice) that customer budgets compare with
 *   (warehouse/billing/budgets.ts). Refresh on a `daily-usage-recon` load: delete the rollup rows of the invoices this
 *   load covers that came from other loads (the ETL just replaced those usage lines, its replace key
 *   is the invoice number), then insert the aggregate of this load's rows only (`load_id = N`: one
 *   scan of the new rows, pruned by DuckDB's zone maps; no full-table pass, so a 5M-row load pays one
 *   GROUP BY over its own rows).
 *
 *   ACR is the pre-tax consumed revenue in USD. Per day's total: PricingPreTaxTotal when the pricing
 *   currency is USD (Azure plan is priced in USD, so this is the normal case and needs no rate);
 *   else BillingPreTaxTotal when the billing currency is USD; else PricingPreTaxTotal divided by the
 *   partner's fx_rates USD->pricing-currency rate of the latest day on or before the usage date
 *   (0 when no rate is known). Lines are summed per day before the conversion. PCToBCExchangeRate is not used: it converts to the billing currency,
 *   not to USD.
 *
 * insights_subscription_months — one row per subscription per month from its creation month to the
 *   partner's latest month of data (the latest of subscription created dates, event dates and
 *   license-usage months). Refresh on a `subscriptions`, `subscription-events` or `license-usage`
 *   load: rebuilt for the partners of the load (subscription counts are small; a rebuild also covers
 *   rows the load replaced). State at the end of month M:
 *     - M is the partner's latest month: the subscription export's current Status;
 *     - a trial (IsTrial) whose trial end date is on or before the end of M: Expired;
 *     - a subscription now Expired whose term end date is on or before the end of M: Expired;
 *     - else from its last lifecycle event on or before the end of M: Purchase, Renew, Reactivate,
 *       TrialConversion -> Active; Suspend -> Suspended; Cancel -> Deprovisioned; none -> Active.
 *   is_new: created in M. churned: it has a Suspend or Cancel event in M ("Subscriptions with state
 *   Deprovisioned or Suspended in that month are counted as a churned subscription").
 *   trial_converted / renewed: it has a TrialConversion / Renew event in M.
 */
export const SUBSCRIPTION_ROLLUP_FORMATS = ['subscriptions', 'subscription-events', 'license-usage'] as const;
/**
 * Loads whose tables the cubes (cubes.ts) join as dimensions: the partner's cubes are rebuilt. (A
 * `daily-usage-recon` load rebuilds only the months whose usage it added or replaced, and only the
 * cubes that read usage, cubes.ts USAGE_CUBES: its cost follows the months and partners its rows
 * touch, not the warehouse.)
 */
export const DIMENSION_FORMATS = ['customers', 'products', 'resellers', 'attributions'] as const;

/** Loads whose tables the PCI rollups (pci/rollups.ts) are derived from: the partner's are rebuilt. */
export const PCI_FORMATS = [
  'subscriptions',
  'subscription-events',
  'attributions',
  'products',
  'license-recon',
  'onetime-recon',
  'invoices',
  'fx-rates',
  'monthly-active-users',
  'locations',
  'partner-profile',
] as const;

/** Every derived rollup of the partners (cubes and PCI), e.g. after replaying loads with cubes: false. */
export async function rebuildDerivedRollups(tx: SqlRunner, partnerIds: readonly string[]): Promise<void> {
  await rebuildInsightsCubes(tx, partnerIds);
  await rebuildPciRollups(tx, partnerIds);
}

export interface RefreshOptions {
  /**
   * false: refresh only the per-row rollups (insights_usage_monthly, insights_subscription_months)
   * and leave the cubes and PCI rollups to one rebuildDerivedRollups call afterwards (replaying
   * many loads at once).
   */
  cubes?: boolean;
}

/**
 * Refreshes the rollups a load of `format` changes. Returns the partners whose derived rollups (cubes,
 * PCI) the load changes: rebuilt here, or, with `cubes: false`, left for rebuildDerivedRollups (a
 * batch load marks them stale with it, stale-rollups.ts).
 */
/** What a load says of the file it loaded: its format's name and the table its rows landed in. */
export interface LoadedFormat {
  name: string;
  table: string;
}

export async function refreshInsightsRollups(tx: SqlRunner, format: LoadedFormat, loadId: number, options: RefreshOptions = {}): Promise<string[]> {
  const cubes = options.cubes ?? true;
  const is = (formats: readonly string[]) => formats.includes(format.name);
  if (format.name === 'daily-usage-recon') {
    // The invoices of this load (a few), then the months of the rollup rows it replaces (read before
    // they go) and of the rows it adds.
    const invoices = await loadInvoices(tx, loadId);
    const replaced = await usageMonths(tx, `${invoiceIn(invoices, 2)} AND load_id IS DISTINCT FROM $1`, [loadId, ...invoices]);
    await refreshUsageRollup(tx, loadId, invoices);
    const byPartner = new Map<string, Set<string>>();
    for (const r of [...replaced, ...(await usageMonths(tx, 'load_id = $1', [loadId]))]) {
      if (!byPartner.has(r.partner_id)) byPartner.set(r.partner_id, new Set());
      byPartner.get(r.partner_id)!.add(r.month);
    }
    if (cubes) for (const [partner, months] of byPartner) await rebuildInsightsCubes(tx, [partner], [...months].sort(), USAGE_CUBES);
    return [...byPartner.keys()];
  }
  if (!is(SUBSCRIPTION_ROLLUP_FORMATS) && !is(DIMENSION_FORMATS) && !is(PCI_FORMATS)) return [];
  const partners = (await tx.all<{ partner_id: string }>(`SELECT DISTINCT partner_id FROM ${format.table} WHERE load_id = $1`, [loadId])).map(
    (p) => p.partner_id,
  );
  if (is(SUBSCRIPTION_ROLLUP_FORMATS)) await rebuildSubscriptionMonths(tx, partners);
  if (cubes && (is(SUBSCRIPTION_ROLLUP_FORMATS) || is(DIMENSION_FORMATS))) await rebuildInsightsCubes(tx, partners);
  if (cubes && is(PCI_FORMATS)) await rebuildPciRollups(tx, partners);
  return partners;
}

async function usageMonths(tx: SqlRunner, where: string, params: (string | number)[]): Promise<{ partner_id: string; month: string }[]> {
  return tx.all(`SELECT DISTINCT partner_id, strftime(month, '%Y-%m-01') AS month FROM insights_usage_monthly WHERE ${where}`, params);
}

/** The invoice numbers of a daily-usage load's lines (the usage rollup's replace key), in order. */
async function loadInvoices(tx: SqlRunner, loadId: number): Promise<string[]> {
  const rows = await tx.all<{ invoice_number: string }>(
    `SELECT DISTINCT invoice_number FROM billing_usage_lines WHERE load_id = $1 AND invoice_number IS NOT NULL ORDER BY 1`,
    [loadId],
  );
  return rows.map((r) => r.invoice_number);
}

/**
 * `invoice_number IN ($first, ...)` for `invoices` (FALSE for none): constants rather than a
 * subquery on billing_usage_lines, so that DuckDB prunes insights_usage_monthly's row groups by their
 * invoice_number min/max (rollup rows go in load by load, invoice by invoice) instead of reading
 * the whole column.
 */
function invoiceIn(invoices: readonly string[], first: number): string {
  if (!invoices.length) return 'FALSE';
  return `invoice_number IN (${invoices.map((_, i) => `$${first + i}`).join(', ')})`;
}

/** USD of one day's totals `d` (pricing and billing pre-tax totals, their currencies, fx rate). */
export const ACR_USD_SQL = `CASE
    WHEN d.pricing_currency = 'USD' THEN d.pricing_total
    WHEN d.billing_currency = 'USD' THEN d.billing_total
    ELSE coalesce(d.pricing_total / nullif(fx.rate, 0), 0)
  END`;

/**
 * Two steps in one statement: this load's lines summed per group key, day and currency pair (the
 * scan), then the few day totals converted to USD (the fx join) and summed per month. Converting a
 * day's total rather than each line gives the same USD up to DECIMAL rounding, and keeps the fx
 * join off the millions of lines.
 */
export async function refreshUsageRollup(tx: SqlRunner, loadId: number, invoices?: readonly string[]): Promise<void> {
  const keys = invoices ?? (await loadInvoices(tx, loadId));
  if (keys.length) {
    await tx.run(`DELETE FROM insights_usage_monthly WHERE ${invoiceIn(keys, 2)} AND load_id IS DISTINCT FROM $1`, [loadId, ...keys]);
  }
  await tx.run(
    `INSERT INTO insights_usage_monthly (partner_id, invoice_number, month, customer_id, subscription_id, mpn_id, customer_country,
       meter_category, billing_currency, quantity, acr_usd, billing_pre_tax_total, line_count, load_id)
     WITH d AS (
       SELECT partner_id, invoice_number, usage_date, customer_id, subscription_id, mpn_id, customer_country, meter_category,
              pricing_currency, billing_currency, sum(quantity) AS quantity, sum(pricing_pre_tax_total) AS pricing_total,
              sum(billing_pre_tax_total) AS billing_total, count(*) AS lines
       FROM billing_usage_lines WHERE load_id = $1 AND usage_date IS NOT NULL
       GROUP BY ALL
     )
     SELECT d.partner_id, d.invoice_number, date_trunc('month', d.usage_date)::DATE AS month, d.customer_id,
            d.subscription_id, d.mpn_id, d.customer_country, d.meter_category, d.billing_currency,
            coalesce(sum(d.quantity), 0)::DECIMAL(18,6), coalesce(sum(${ACR_USD_SQL}), 0)::DECIMAL(18,6),
            coalesce(sum(d.billing_total), 0)::DECIMAL(18,6), sum(d.lines)::BIGINT, $1
     FROM d
     ASOF LEFT JOIN (SELECT partner_id, to_currency, rate_date, rate FROM fx_rates WHERE from_currency = 'USD') fx
       ON fx.partner_id = d.partner_id AND fx.to_currency = d.pricing_currency AND d.usage_date >= fx.rate_date
     GROUP BY ALL`,
    [loadId],
  );
}

export async function rebuildSubscriptionMonths(tx: SqlRunner, partnerIds: readonly string[]): Promise<void> {
  if (partnerIds.length === 0) return;
  const list = partnerIds.map((_, i) => `$${i + 1}`).join(', ');
  await tx.run(`DELETE FROM insights_subscription_months WHERE partner_id IN (${list})`, [...partnerIds]);
  await tx.run(
    `INSERT INTO insights_subscription_months
     WITH subs AS (
       SELECT * FROM subscriptions WHERE partner_id IN (${list}) AND created_date IS NOT NULL AND subscription_id IS NOT NULL
     ), last_months AS (
       SELECT partner_id, max(m) AS last_month FROM (
         SELECT partner_id, date_trunc('month', created_date) AS m FROM subs
         UNION ALL SELECT partner_id, date_trunc('month', event_date) FROM subscription_events WHERE partner_id IN (${list})
         UNION ALL SELECT partner_id, date_trunc('month', month) FROM license_usage WHERE partner_id IN (${list})
       ) GROUP BY partner_id
     ), grid AS (
       SELECT s.partner_id, s.subscription_id, s.status, s.created_date, s.is_trial, s.trial_end_date, s.term_end_date,
              l.last_month::DATE AS last_month,
              unnest(generate_series(date_trunc('month', s.created_date), l.last_month, INTERVAL 1 MONTH))::DATE AS month
       FROM subs s JOIN last_months l USING (partner_id)
     ), g AS (
       SELECT *, (month + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS month_end FROM grid
     ), ev AS (
       SELECT partner_id, subscription_id, event_date,
              CASE event_type WHEN 'Suspend' THEN 'Suspended' WHEN 'Cancel' THEN 'Deprovisioned' ELSE 'Active' END AS st
       FROM subscription_events
       WHERE partner_id IN (${list}) AND event_date IS NOT NULL
         AND event_type IN ('Purchase', 'Renew', 'Reactivate', 'TrialConversion', 'Suspend', 'Cancel')
     ), churn AS (
       SELECT partner_id, subscription_id, date_trunc('month', event_date)::DATE AS month,
              bool_or(event_type IN ('Suspend', 'Cancel')) AS churned,
              bool_or(event_type = 'TrialConversion') AS trial_converted,
              bool_or(event_type = 'Renew') AS renewed
       FROM subscription_events WHERE partner_id IN (${list}) AND event_type IN ('Suspend', 'Cancel', 'TrialConversion', 'Renew')
       GROUP BY ALL
     )
     SELECT g.partner_id, g.subscription_id, g.month,
            CASE
              WHEN g.month = g.last_month THEN g.status
              WHEN g.is_trial AND g.trial_end_date <= g.month_end THEN 'Expired'
              WHEN g.status = 'Expired' AND g.term_end_date <= g.month_end THEN 'Expired'
              ELSE coalesce(ev.st, 'Active')
            END,
            date_trunc('month', g.created_date)::DATE = g.month,
            coalesce(churn.churned, FALSE), coalesce(churn.trial_converted, FALSE), coalesce(churn.renewed, FALSE)
     FROM g
     ASOF LEFT JOIN ev ON ev.partner_id = g.partner_id AND ev.subscription_id = g.subscription_id AND g.month_end >= ev.event_date
     LEFT JOIN churn ON churn.partner_id = g.partner_id AND churn.subscription_id = g.subscription_id AND churn.month = g.month`,
    [...partnerIds],
  );
}
