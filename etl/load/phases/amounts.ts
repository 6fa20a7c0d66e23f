import type { SqlRunner } from '../../../core/sql';
import type { AmountCheck, AmountDifference } from '../types';
import type { PreparedLoad } from './mapping';

/** How many differing lines a result lists. */
const SAMPLES = 5;

/**
 * a × b in DECIMAL(38,...): the columns are DECIMAL(18,6), whose product DuckDB types DECIMAL(18,12)
 * (six integer digits: a seat price of 13,682.40 times 100 seats overflowed and rejected the file).
 */
const mul = (a: string, b: string) => `(CAST(${a} AS DECIMAL(38,12)) * CAST(${b} AS DECIMAL(38,12)))`;
/** Excel's ROUNDDOWN(x, 2): toward zero, to the cent, in DECIMAL (× 0.01, not / 100: a division is a DOUBLE). */
const rounddown2 = (x: string) => `(CAST(trunc(CAST(${x} AS DECIMAL(38,12)) * 100) AS DECIMAL(38,0)) * 0.01)`;

/**
 * The documented amount rules of new-commerce reconciliation lines (billing-facts.md, "Daily-rated
 * usage file", last paragraph):
 *   seat-based subtotal = rounddown(EffectiveUnitPrice × PCToBCExchangeRate, 2) × BillableQuantity
 *   usage subtotal      = rounddown(rounddown(EffectiveUnitPrice × BillableQuantity, 2) × PCToBCExchangeRate, 2)
 * A line is consistent when its Subtotal equals either, to the cent (rounddown is Excel's: toward
 * zero, so a refund's negative amounts round like its charge's). Lines without EffectiveUnitPrice,
 * BillableQuantity or PCToBCExchangeRate are not checked. A difference is reported (the load
 * result's amountCheck and notice, stored with the load's message) and the line loads as written:
 * the invoice is what Microsoft billed, the rule only explains it.
 */
export async function checkAmounts(tx: SqlRunner, load: PreparedLoad): Promise<AmountCheck | undefined> {
  if (load.format.amountCheck !== 'new-commerce') return undefined;
  const seat = `round(${mul(rounddown2(mul('effective_unit_price', 'pc_to_bc_exchange_rate')), 'billable_quantity')}, 2)`;
  const usage = rounddown2(mul(rounddown2(mul('effective_unit_price', 'billable_quantity')), 'pc_to_bc_exchange_rate'));
  const lines = `(SELECT invoice_number, subscription_id, charge_type, subtotal, ${seat} AS seat, ${usage} AS usage
     FROM ${load.table} WHERE ${load.thisLoad}
       AND effective_unit_price IS NOT NULL AND billable_quantity IS NOT NULL AND pc_to_bc_exchange_rate IS NOT NULL AND subtotal IS NOT NULL)`;
  const differs = `round(subtotal, 2) <> seat AND round(subtotal, 2) <> usage`;
  const counts = (await tx.all<{ checked: string; differences: string }>(
    `SELECT count(*) AS checked, count(*) FILTER (WHERE ${differs}) AS differences FROM ${lines}`,
  ))[0];
  const differences = Number(counts?.differences ?? 0);
  const samples = differences
    ? (
        await tx.all<{ invoice_number: string | null; subscription_id: string | null; charge_type: string | null; value: string; seat: string; usage: string }>(
          `SELECT invoice_number, subscription_id, charge_type, CAST(subtotal AS VARCHAR) AS value,
                  CAST(CAST(seat AS DECIMAL(38,2)) AS VARCHAR) AS seat, CAST(CAST(usage AS DECIMAL(38,2)) AS VARCHAR) AS usage
           FROM ${lines} WHERE ${differs} ORDER BY invoice_number, subscription_id, charge_type LIMIT ${SAMPLES}`,
        )
      ).map(
        (r): AmountDifference => ({
          invoiceNumber: r.invoice_number,
          subscriptionId: r.subscription_id,
          chargeType: r.charge_type,
          column: 'Subtotal',
          value: r.value,
          seatBased: r.seat,
          usage: r.usage,
        }),
      )
    : [];
  return { checked: Number(counts?.checked ?? 0), differences, samples };
}

/** The sentence said of differing amounts, or undefined when there are none. */
export function amountNotice(check: AmountCheck | undefined): string | undefined {
  if (!check?.differences) return undefined;
  const first = check.samples[0];
  const example = first
    ? `; first: subscription ${first.subscriptionId ?? '?'} (${first.chargeType ?? '?'}) Subtotal ${first.value}, ` +
      `expected ${first.seatBased} (seat-based) or ${first.usage} (usage)`
    : '';
  return (
    `${check.differences} of ${check.checked} lines have a Subtotal that follows neither documented rounding rule ` +
    `(seat-based: rounddown(EffectiveUnitPrice × PCToBCExchangeRate, 2) × BillableQuantity; usage: ` +
    `rounddown(rounddown(EffectiveUnitPrice × BillableQuantity, 2) × PCToBCExchangeRate, 2))${example}; loaded as written`
  );
}
