/**
 * Invoice reconciliation: the license-based lines an invoice SHOULD carry, from the billing rules
 * over each subscription's full history, against the lines it DOES carry (billing_license_lines).
 *
 * EXPECTED: for every license-based subscription of the invoice (the caller's, in the invoice's
 * currency, created by the invoice date, plus any subscription the invoice bills), the history of
 * subscription_events goes through the same rule the product uses on mutations and the demo
 * generator uses to write the files (`expectedCharges` of warehouse/subscriptions/charges.ts, i.e.
 * `licenseHistoryFromEvents` + `expectedLicenseCharges`), through the invoice date, with the
 * partner's billing day; the lines whose invoice date is the invoice's are kept. Subscriptions and
 * events are read in two statements for the whole invoice.
 *
 * MATCHING (one SQL statement): the expected lines go into the statement as a VALUES table and are
 * FULL OUTER JOINed in DuckDB with the invoice's billed lines on
 *   subscription (SyndicationPartnerSubscriptionNumber = Partner Center subscription ID),
 *   ChargeStartDate, ChargeEndDate, ChargeType (case-insensitive, trimmed), sign of Amount,
 * and, when several lines share that key, their rank by amount and quantity.
 *   - expected without billed line: MISSING_LINE;  billed without expected line: EXTRA_LINE;
 *   - matched: QUANTITY when the quantities differ, UNIT_PRICE / AMOUNT when the billed UnitPrice /
 *     Amount is off by more than EXAMPLE_TOLERANCE (0.01, the tolerance of the rules against the
 *     documented examples; see license.ts). One matched pair can give several differences.
 * Totals compare Amount (what the rules compute; Subtotal also takes discounts off).
 *
 * Scoping: subscriptions and billed lines are the caller's partner's and, for a location-scoped
 * caller, of their MPN IDs only. One-time and usage lines are not reconciled here; a one-time
 * invoice expects no license-based line.
 *
 * An invoice known only from its reconciliation lines (no summary loaded) has no printed invoice
 * date; its date is the latest date its lines carry (invoices.ts). Its lines are then expected on
 * the invoice the rules bill them on: the billing date on or after that date (nextDayOfMonth with
 * the subscription's billing day, as the rules place every line), per subscription.
 *
 * Cost: five statements per invoice (invoice, billing day, subscriptions, events, match), whatever
 * the number of subscriptions.
 */
import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';
import { billingDayOf, expectedCharges, type ExpectedCharge } from '../subscriptions/charges';
import {
  EVENT_COLUMNS,
  EVENT_ORDER,
  SUBSCRIPTION_COLUMNS,
  hasKnownTerms,
  partnerBillingDay,
  type SubscriptionEventRow,
  type SubscriptionRow,
  type SubscriptionWithTerms,
} from '../subscriptions/subscriptions';
import { invoiceByNumber, type InvoiceRow } from './invoices';
import { EXAMPLE_TOLERANCE } from './license';
import { type Money, ZERO, add, formatMoney, parseMoney, sub } from '../../core/money';
import { addMonths, nextDayOfMonth } from '../../core/dates';

export type DifferenceKind = 'MISSING_LINE' | 'EXTRA_LINE' | 'QUANTITY' | 'UNIT_PRICE' | 'AMOUNT';
export type ReconciliationStatusValue = 'MATCHED' | 'DIFFERENCES';

/** One side of a line: what the rules expect or what the invoice bills. */
export interface ReconLine {
  chargeType: string;
  unitPrice: string;
  quantity: number;
  amount: string;
}

export interface ReconDifference {
  kind: DifferenceKind;
  subscriptionId: string;
  chargeStartDate: string;
  chargeEndDate: string;
  /** The charge type as billed, else as expected. */
  chargeType: string;
  /** Amount < 0: a credit line. */
  credit: boolean;
  expected: ReconLine | null;
  billed: ReconLine | null;
  /** The compared value on each side (the line's amount for MISSING_LINE / EXTRA_LINE). */
  expectedValue: string | null;
  billedValue: string | null;
  /** billed - expected, for the compared value (amount for missing/extra lines). */
  difference: string;
  explanation: string;
  /** The subscription event the expected line comes from (subscription_events.event_id). */
  eventId: string | null;
}

export interface SubscriptionReconciliation {
  subscriptionId: string;
  customerId: string | null;
  mpnId: string | null;
  resellerMpnId: string | null;
  expectedTotal: string;
  billedTotal: string;
  difference: string;
  expectedLines: number;
  billedLines: number;
  status: ReconciliationStatusValue;
  /** Set when the billing rules could not replay the subscription's history (its lines then count as extra). */
  rulesError: string | null;
  differences: ReconDifference[];
}

export interface InvoiceReconciliation {
  invoiceNumber: string;
  invoiceDate: string;
  currency: string;
  invoiceType: string;
  billingDay: number;
  tolerance: string;
  status: ReconciliationStatusValue;
  expectedTotal: string;
  billedTotal: string;
  difference: string;
  expectedLines: number;
  billedLines: number;
  matchedLines: number;
  subscriptions: SubscriptionReconciliation[];
  differences: ReconDifference[];
}

export interface ReconcileOptions {
  /** Only this subscription (its lines on the invoice and its expected lines). */
  subscriptionId?: string | null;
}

/**
 * Reconciles the license-based lines of one invoice. Null when the invoice is not the caller's (or
 * not visible to their locations). Statements: invoice, billing day, subscriptions, events, match.
 */
export async function reconcileInvoice(
  db: SqlRunner,
  caller: Caller,
  invoiceNumber: string,
  options: ReconcileOptions = {},
): Promise<InvoiceReconciliation | null> {
  const invoice = await invoiceByNumber(db, caller, invoiceNumber);
  if (!invoice) return null;
  const partnerDay = await partnerBillingDay(db, caller);
  const subscriptionFilter = options.subscriptionId ? sql`s.subscription_id = ${options.subscriptionId}` : sql.raw('TRUE');
  // The invoice date the rules bill the subscription's lines on: the printed one, or for an invoice
  // known only from its lines the billing date on or after the latest date they carry.
  const billedOn = (s: SubscriptionWithTerms): string =>
    invoice.hasSummary ? invoice.invoiceDate : nextDayOfMonth(invoice.invoiceDate, billingDayOf(partnerDay, s));
  // Subscriptions created by then (a billing day is at most a month after the lines' latest date).
  const createdBy = invoice.hasSummary ? invoice.invoiceDate : addMonths(invoice.invoiceDate, 1);

  const billedIds = sql`SELECT bl.syndication_partner_subscription_number FROM billing_license_lines bl
    WHERE ${scope(caller, 'bl', 'bl.mpn_id')} AND bl.invoice_number = ${invoice.invoiceNumber}`;
  const candidates = sql`FROM subscriptions s WHERE ${scope(caller, 's', 's.mpn_id')} AND ${subscriptionFilter} AND (
      (s.billing_type = 'License' AND upper(s.currency) = ${invoice.currency.toUpperCase()} AND s.created_date <= CAST(${createdBy} AS DATE))
      OR s.subscription_id IN (${billedIds}))`;
  const subscriptions = await query<SubscriptionRow & Record<string, unknown>>(db, sql`SELECT ${SUBSCRIPTION_COLUMNS} ${candidates}`);
  const events = await query<SubscriptionEventRow & Record<string, unknown>>(
    db,
    sql`SELECT ${EVENT_COLUMNS} FROM subscription_events e
        WHERE ${scope(caller, 'e', null)} AND e.subscription_id IN (SELECT s.subscription_id ${candidates})
        ORDER BY e.subscription_id, ${EVENT_ORDER}`,
  );
  const eventsBySubscription = new Map<string, SubscriptionEventRow[]>();
  for (const e of events) {
    const list = eventsBySubscription.get(e.subscriptionId);
    if (list) list.push(e);
    else eventsBySubscription.set(e.subscriptionId, [e]);
  }

  const expected: (ExpectedCharge & { subscriptionId: string })[] = [];
  const rulesErrors = new Map<string, string>();
  // License-based lines go on the recurring invoice of their billing date, never on a one-time invoice.
  const expectsLicenseLines = invoice.type !== 'OneTime';
  for (const s of subscriptions) {
    // A subscription whose terms are unknown (Partner Center's subscriptions export only) expects nothing yet.
    if (!hasKnownTerms(s) || s.billingType !== 'License' || !expectsLicenseLines) continue;
    try {
      const invoiceDate = billedOn(s);
      const lines = expectedCharges({
        subscription: s,
        product: null,
        events: eventsBySubscription.get(s.id) ?? [],
        billingDay: billingDayOf(partnerDay, s),
        today: invoiceDate,
      });
      for (const l of lines) {
        if (l.invoiceDate === invoiceDate && l.currency.toUpperCase() === invoice.currency.toUpperCase()) {
          expected.push({ ...l, subscriptionId: s.id });
        }
      }
    } catch (err) {
      rulesErrors.set(s.id, (err as Error).message);
    }
  }

  const rows = await matchLines(db, caller, invoice, expected, options.subscriptionId ?? null);
  return assemble(invoice, partnerDay, subscriptions, rows, rulesErrors);
}

interface MatchRow {
  subscriptionId: string;
  chargeStartDate: string;
  chargeEndDate: string;
  eChargeType: string | null;
  eUnitPrice: string | null;
  eQuantity: number | null;
  eAmount: string | null;
  eventId: string | null;
  bChargeType: string | null;
  bUnitPrice: string | null;
  bQuantity: number | null;
  bAmount: string | null;
  customerId: string | null;
  mpnId: string | null;
  resellerMpnId: string | null;
  missing: boolean;
  extra: boolean;
  quantityDiffers: boolean | null;
  unitPriceDiffers: boolean | null;
  amountDiffers: boolean | null;
}

/** The FULL OUTER JOIN of expected and billed lines, with the comparisons made in DuckDB. */
async function matchLines(
  db: SqlRunner,
  caller: Caller,
  invoice: InvoiceRow,
  expected: readonly (ExpectedCharge & { subscriptionId: string })[],
  subscriptionId: string | null,
): Promise<MatchRow[]> {
  const values: Sql = expected.length
    ? sql`SELECT * FROM (VALUES ${sql.join(
        expected.map(
          (l) => sql`(CAST(${l.subscriptionId} AS VARCHAR), CAST(${l.chargeStartDate} AS DATE), CAST(${l.chargeEndDate} AS DATE),
            CAST(${l.chargeType} AS VARCHAR), CAST(${l.unitPrice} AS DECIMAL(18,6)), CAST(${l.quantity} AS INTEGER),
            CAST(${l.amount} AS DECIMAL(18,6)), CAST(${l.eventId} AS VARCHAR))`,
        ),
        ', ',
      )}) AS v(subscription_id, charge_start_date, charge_end_date, charge_type, unit_price, quantity, amount, event_id)`
    : sql`SELECT NULL::VARCHAR AS subscription_id, NULL::DATE AS charge_start_date, NULL::DATE AS charge_end_date,
            NULL::VARCHAR AS charge_type, NULL::DECIMAL(18,6) AS unit_price, NULL::INTEGER AS quantity,
            NULL::DECIMAL(18,6) AS amount, NULL::VARCHAR AS event_id WHERE FALSE`;
  const tolerance = sql`CAST(${EXAMPLE_TOLERANCE} AS DECIMAL(18,6))`;
  const key = (a: string) =>
    sql.raw(`${a}.subscription_id, ${a}.charge_start_date, ${a}.charge_end_date, lower(trim(${a}.charge_type)), sign(${a}.amount)`);
  return query<MatchRow & Record<string, unknown>>(
    db,
    sql`WITH expected AS (${values}),
        e AS (SELECT *, row_number() OVER (PARTITION BY ${key('expected')} ORDER BY expected.amount, expected.quantity) AS k FROM expected),
        billed AS (
          SELECT l.syndication_partner_subscription_number AS subscription_id, l.charge_start_date, l.charge_end_date, l.charge_type,
                 l.unit_price, l.quantity, l.amount, l.customer_id, l.mpn_id, l.reseller_mpn_id
          FROM billing_license_lines l
          WHERE ${scope(caller, 'l', 'l.mpn_id')} AND l.invoice_number = ${invoice.invoiceNumber}
            AND (${subscriptionId === null ? sql.raw('TRUE') : sql`l.syndication_partner_subscription_number = ${subscriptionId}`})),
        b AS (SELECT *, row_number() OVER (PARTITION BY ${key('billed')} ORDER BY billed.amount, billed.quantity) AS k FROM billed)
        SELECT coalesce(e.subscription_id, b.subscription_id) AS "subscriptionId",
               coalesce(e.charge_start_date, b.charge_start_date) AS "chargeStartDate",
               coalesce(e.charge_end_date, b.charge_end_date) AS "chargeEndDate",
               e.charge_type AS "eChargeType", CAST(e.unit_price AS VARCHAR) AS "eUnitPrice", e.quantity AS "eQuantity",
               CAST(e.amount AS VARCHAR) AS "eAmount", e.event_id AS "eventId",
               b.charge_type AS "bChargeType", CAST(b.unit_price AS VARCHAR) AS "bUnitPrice", b.quantity AS "bQuantity",
               CAST(b.amount AS VARCHAR) AS "bAmount", b.customer_id AS "customerId", b.mpn_id AS "mpnId", b.reseller_mpn_id AS "resellerMpnId",
               b.subscription_id IS NULL AS missing, e.subscription_id IS NULL AS extra,
               e.quantity IS DISTINCT FROM b.quantity AS "quantityDiffers",
               abs(e.unit_price - b.unit_price) > ${tolerance} AS "unitPriceDiffers",
               abs(e.amount - b.amount) > ${tolerance} AS "amountDiffers"
        FROM e FULL OUTER JOIN b
          ON e.subscription_id = b.subscription_id AND e.charge_start_date = b.charge_start_date AND e.charge_end_date = b.charge_end_date
         AND lower(trim(e.charge_type)) = lower(trim(b.charge_type)) AND sign(e.amount) = sign(b.amount) AND e.k = b.k
        ORDER BY "subscriptionId", "chargeStartDate", "chargeEndDate", coalesce(e.amount, b.amount)`,
  );
}

function assemble(
  invoice: InvoiceRow,
  billingDay: number | null,
  subscriptions: readonly SubscriptionRow[],
  rows: readonly MatchRow[],
  rulesErrors: ReadonlyMap<string, string>,
): InvoiceReconciliation {
  const subs = new Map<string, SubscriptionRow>(subscriptions.map((s) => [s.id, s]));
  const bySub = new Map<string, SubscriptionReconciliation>();
  const of = (r: MatchRow): SubscriptionReconciliation => {
    let entry = bySub.get(r.subscriptionId);
    if (!entry) {
      const s = subs.get(r.subscriptionId);
      entry = {
        subscriptionId: r.subscriptionId,
        customerId: s?.customerId ?? r.customerId,
        mpnId: s?.mpnId ?? r.mpnId,
        resellerMpnId: s?.resellerMpnId ?? r.resellerMpnId,
        expectedTotal: '0',
        billedTotal: '0',
        difference: '0',
        expectedLines: 0,
        billedLines: 0,
        status: 'MATCHED',
        rulesError: rulesErrors.get(r.subscriptionId) ?? null,
        differences: [],
      };
      bySub.set(r.subscriptionId, entry);
    }
    return entry;
  };
  const totals = new Map<string, { expected: Money; billed: Money }>();
  let matched = 0;
  for (const r of rows) {
    const entry = of(r);
    const t = totals.get(r.subscriptionId) ?? { expected: ZERO, billed: ZERO };
    if (r.eAmount != null) {
      t.expected = add(t.expected, parseMoney(r.eAmount));
      entry.expectedLines++;
    }
    if (r.bAmount != null) {
      t.billed = add(t.billed, parseMoney(r.bAmount));
      entry.billedLines++;
    }
    totals.set(r.subscriptionId, t);
    if (!r.missing && !r.extra) matched++;
    entry.differences.push(...differencesOf(r, entry.rulesError));
  }
  // Subscriptions the rules could not replay show even without lines on this invoice.
  for (const [id] of rulesErrors) {
    if (!bySub.has(id)) {
      const s = subs.get(id);
      bySub.set(id, {
        subscriptionId: id,
        customerId: s?.customerId ?? null,
        mpnId: s?.mpnId ?? null,
        resellerMpnId: s?.resellerMpnId ?? null,
        expectedTotal: '0.00',
        billedTotal: '0.00',
        difference: '0.00',
        expectedLines: 0,
        billedLines: 0,
        status: 'DIFFERENCES',
        rulesError: rulesErrors.get(id)!,
        differences: [],
      });
    }
  }
  let expectedTotal = ZERO;
  let billedTotal = ZERO;
  for (const entry of bySub.values()) {
    const t = totals.get(entry.subscriptionId) ?? { expected: ZERO, billed: ZERO };
    expectedTotal = add(expectedTotal, t.expected);
    billedTotal = add(billedTotal, t.billed);
    entry.expectedTotal = formatMoney(t.expected);
    entry.billedTotal = formatMoney(t.billed);
    entry.difference = formatMoney(sub(t.billed, t.expected));
    if (entry.differences.length > 0 || entry.rulesError) entry.status = 'DIFFERENCES';
  }
  const list = [...bySub.values()].sort((a, b) => (a.subscriptionId < b.subscriptionId ? -1 : a.subscriptionId > b.subscriptionId ? 1 : 0));
  const differences = list.flatMap((s) => s.differences);
  return {
    invoiceNumber: invoice.invoiceNumber,
    invoiceDate: invoice.invoiceDate,
    currency: invoice.currency,
    invoiceType: invoice.type,
    billingDay: billingDay ?? Number(invoice.invoiceDate.slice(8, 10)),
    tolerance: EXAMPLE_TOLERANCE,
    status: list.some((s) => s.status === 'DIFFERENCES') ? 'DIFFERENCES' : 'MATCHED',
    expectedTotal: formatMoney(expectedTotal),
    billedTotal: formatMoney(billedTotal),
    difference: formatMoney(sub(billedTotal, expectedTotal)),
    expectedLines: rows.filter((r) => r.eAmount != null).length,
    billedLines: rows.filter((r) => r.bAmount != null).length,
    matchedLines: matched,
    subscriptions: list,
    differences,
  };
}

const fmt = (value: string): string => formatMoney(parseMoney(value));
const diff = (billed: string, expected: string): string => formatMoney(sub(parseMoney(billed), parseMoney(expected)));

function differencesOf(r: MatchRow, rulesError: string | null): ReconDifference[] {
  const expected: ReconLine | null =
    r.eAmount != null ? { chargeType: r.eChargeType!, unitPrice: fmt(r.eUnitPrice!), quantity: Number(r.eQuantity), amount: fmt(r.eAmount) } : null;
  const billed: ReconLine | null =
    r.bAmount != null ? { chargeType: r.bChargeType!, unitPrice: fmt(r.bUnitPrice!), quantity: Number(r.bQuantity), amount: fmt(r.bAmount) } : null;
  const line = (billed ?? expected)!;
  const period = `${r.chargeStartDate} to ${r.chargeEndDate}`;
  const base = {
    subscriptionId: r.subscriptionId,
    chargeStartDate: r.chargeStartDate,
    chargeEndDate: r.chargeEndDate,
    chargeType: line.chargeType,
    credit: parseMoney(line.amount) < 0n,
    expected,
    billed,
    eventId: r.eventId,
  };
  const what = (l: ReconLine) => `"${l.chargeType}" line for ${period} (${l.quantity} × ${l.unitPrice} = ${l.amount})`;
  if (r.missing && expected) {
    return [
      {
        ...base,
        kind: 'MISSING_LINE',
        expectedValue: expected.amount,
        billedValue: null,
        difference: formatMoney(-parseMoney(expected.amount) as Money),
        explanation: `The billing rules expect a ${what(expected)} from the subscription's history, but the invoice has no such line.`,
      },
    ];
  }
  if (r.extra && billed) {
    const why = rulesError
      ? `the billing rules could not replay the subscription's history (${rulesError})`
      : `the billing rules produce no such line from the subscription's history`;
    return [
      {
        ...base,
        kind: 'EXTRA_LINE',
        expectedValue: null,
        billedValue: billed.amount,
        difference: billed.amount,
        explanation: `The invoice bills a ${what(billed)}, but ${why}.`,
      },
    ];
  }
  if (!expected || !billed) return [];
  const out: ReconDifference[] = [];
  const intro = `The "${billed.chargeType}" line for ${period}`;
  if (r.quantityDiffers) {
    out.push({
      ...base,
      kind: 'QUANTITY',
      expectedValue: String(expected.quantity),
      billedValue: String(billed.quantity),
      difference: String(billed.quantity - expected.quantity),
      explanation: `${intro} bills ${billed.quantity} licenses where the subscription's history gives ${expected.quantity}.`,
    });
  }
  if (r.unitPriceDiffers) {
    out.push({
      ...base,
      kind: 'UNIT_PRICE',
      expectedValue: expected.unitPrice,
      billedValue: billed.unitPrice,
      difference: diff(billed.unitPrice, expected.unitPrice),
      explanation: `${intro} bills a unit price of ${billed.unitPrice} where the rules give ${expected.unitPrice}, ${diff(billed.unitPrice, expected.unitPrice)} apart (tolerance ${EXAMPLE_TOLERANCE}).`,
    });
  }
  if (r.amountDiffers) {
    out.push({
      ...base,
      kind: 'AMOUNT',
      expectedValue: expected.amount,
      billedValue: billed.amount,
      difference: diff(billed.amount, expected.amount),
      explanation: `${intro} bills an amount of ${billed.amount} where the rules give ${expected.amount}, ${diff(billed.amount, expected.amount)} apart (tolerance ${EXAMPLE_TOLERANCE}).`,
    });
  }
  return out;
}
