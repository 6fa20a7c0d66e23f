import { CHARGE_TYPE_SIGNS, UNPRICED_CHARGE_TYPES } from '../../../core/vocabulary';
import type { AmountRule } from '../../formats';
import { ident, lit } from '../sql';
import type { Check, Mapped } from './mapping';

/**
 * Reconciliation lines checked in SQL on the stored rows, like every check (quarantined, and the
 * file rejected past the bad-row share):
 *
 * - the sign by charge type (core/vocabulary.ts CHARGE_TYPE_SIGNS): a charge's amount and quantity
 *   are 0 or more, a credit's amount 0 or less; other types take either sign;
 * - quantity × unit price against the amount by the file's documented rounding rule (RULES: daily-rated
 *   usage and new commerce; license-based files have none documented), for lines that have every
 *   input and whose charge type is priced (not UNPRICED_CHARGE_TYPES);
 * - the partner earned credit of a daily-rated usage line: "Earned credit will be either 0 or 15
 *   percent" (pecCheck).
 */

/**
 * a × b in DECIMAL(38,...): the columns are DECIMAL(18,6), whose product DuckDB types DECIMAL(18,12)
 * (six integer digits: a seat price of 13,682.40 times 100 seats overflowed and rejected the file).
 */
const mul = (a: string, b: string) => `(CAST(${a} AS DECIMAL(38,12)) * CAST(${b} AS DECIMAL(38,12)))`;
/** Excel's ROUNDDOWN(x, 2): toward zero, to the cent, in DECIMAL (× 0.01, not / 100: a division is a DOUBLE). */
const rounddown2 = (x: string) => `(CAST(trunc(CAST(${x} AS DECIMAL(38,12)) * 100) AS DECIMAL(38,0)) * 0.01)`;
/** A decimal as text without trailing zeros: 5, 2.5, 141.12. */
const num = (x: string) => `regexp_replace(regexp_replace(CAST(${x} AS VARCHAR), '(\\.[0-9]*[1-9])0+$', '\\1'), '\\.0+$', '')`;

/** One documented rule: the columns it reads, when a line follows it, and what the reason says. */
interface Rule {
  /** The amount column and the quantity column (signs). */
  amount: string;
  quantity: string;
  /** Every column the rule reads; a line without one of them is not checked. */
  inputs: readonly string[];
  /** SQL true for a line that follows the documented rounding; none: the sign is all that is checked. */
  consistent?: string;
  /** SQL of the reason of a line that does not follow the rule (header: the file's header of a column). */
  reason?: (header: (column: string) => string) => string;
}

const c = ident;

/**
 * License-based file: the sign only. billing-facts.md documents no rounding for legacy license-based
 * lines (prorated lines round their UnitPrice and Amount separately, shown only by examples): an
 * Amount off UnitPrice × Quantity loads as billed, and reconciliation (warehouse/billing/reconcile.ts)
 * explains it against the expected charge, which is what a billing team disputes.
 */
const LICENSE: Rule = { amount: 'amount', quantity: 'quantity', inputs: [] };

/**
 * Daily-rated usage file (billing-facts.md): BillingPreTaxTotal = floor(EffectiveUnitPrice × Quantity
 * × PCToBCExchangeRate, 2), or the new-commerce usage rule rounddown(rounddown(EffectiveUnitPrice ×
 * Quantity, 2) × PCToBCExchangeRate, 2). Priced usage lines are charges, so floor is rounddown.
 */
const usageOnce = rounddown2(mul(mul(c('effective_unit_price'), c('quantity')), c('pc_to_bc_exchange_rate')));
const usageTwice = rounddown2(mul(rounddown2(mul(c('effective_unit_price'), c('quantity'))), c('pc_to_bc_exchange_rate')));
const DAILY_USAGE: Rule = {
  amount: 'billing_pre_tax_total',
  quantity: 'quantity',
  inputs: ['effective_unit_price', 'quantity', 'pc_to_bc_exchange_rate', 'billing_pre_tax_total'],
  consistent: `(${c('billing_pre_tax_total')} = ${usageOnce} OR ${c('billing_pre_tax_total')} = ${usageTwice})`,
  reason: (h) =>
    `${lit(`${h('billing_pre_tax_total')} `)} || ${num(c('billing_pre_tax_total'))} || ` +
    `${lit(` is not ${h('effective_unit_price')} × ${h('quantity')} × ${h('pc_to_bc_exchange_rate')} rounded down to the cent (`)} || ` +
    `${num(c('effective_unit_price'))} || ' × ' || ${num(c('quantity'))} || ' × ' || ${num(c('pc_to_bc_exchange_rate'))} || ${lit('); allowed: ')} || ` +
    `${num(usageOnce)} || ' or ' || ${num(usageTwice)} || ${lit(' (rounded down after the quantity)')}`,
};

/**
 * New-commerce one-time and recurring file (billing-facts.md and warehouse/billing/onetime.ts):
 *   seat-based subtotal = rounddown(EffectiveUnitPrice × PCToBCExchangeRate, 2) × BillableQuantity
 *   usage subtotal      = rounddown(rounddown(EffectiveUnitPrice × BillableQuantity, 2) × PCToBCExchangeRate, 2)
 *   prorated seats      = a seat price in whole cents, at most the seat-based one, × BillableQuantity
 *                         (a change or cancellation mid-term: the documented 3.87 × 2 = 7.74)
 * Rounddown is Excel's: toward zero, so a refund's negative amounts round like its charge's.
 */
const seatPrice = rounddown2(mul(c('effective_unit_price'), c('pc_to_bc_exchange_rate')));
const seat = `round(${mul(seatPrice, c('billable_quantity'))}, 2)`;
const usage = rounddown2(mul(rounddown2(mul(c('effective_unit_price'), c('billable_quantity'))), c('pc_to_bc_exchange_rate')));
const fullSeat = `abs(${seatPrice})`;
const prorated =
  `(${c('billable_quantity')} > 0 AND ${mul(c('subtotal'), '100')} % ${c('billable_quantity')} = 0 ` +
  `AND abs(${c('subtotal')}) <= ${mul(fullSeat, c('billable_quantity'))})`;
const NEW_COMMERCE: Rule = {
  amount: 'subtotal',
  quantity: 'quantity',
  inputs: ['effective_unit_price', 'billable_quantity', 'pc_to_bc_exchange_rate', 'subtotal'],
  consistent: `(round(${c('subtotal')}, 2) = ${seat} OR round(${c('subtotal')}, 2) = ${usage} OR ${prorated})`,
  reason: (h) =>
    `${lit(`${h('subtotal')} `)} || ${num(c('subtotal'))} || ${lit(' follows no documented rounding rule; allowed: seat-based ')} || ${num(seat)} || ` +
    `${lit(` (rounddown(${h('effective_unit_price')} × ${h('pc_to_bc_exchange_rate')}, 2) × ${h('billable_quantity')}), usage `)} || ${num(usage)} || ` +
    `${lit(` (rounddown(rounddown(${h('effective_unit_price')} × ${h('billable_quantity')}, 2) × ${h('pc_to_bc_exchange_rate')}, 2)) or a prorated seat price in whole cents up to `)} || ` +
    `${num(fullSeat)} || ${lit(` × ${h('billable_quantity')}`)}`,
};

const RULES: Record<AmountRule, Rule> = { license: LICENSE, 'daily-usage': DAILY_USAGE, 'new-commerce': NEW_COMMERCE };

/** The amount checks of a load, and the predicates that count the lines the rule checked and failed. */
export interface AmountChecks {
  checks: Check[];
  /** True for a line the rule applies to (every input present, a priced charge type). */
  applies?: string;
  /** True for a line the rule applies to and that does not follow it. */
  differs?: string;
}

/** The checks of a format's amount rule over the mapped columns (none when it has no rule or lacks a column). */
export function amountChecks(rule: AmountRule | undefined, mapped: readonly Mapped[]): AmountChecks {
  const headers = new Map(mapped.map((m) => [m.spec.column, m.header]));
  const pec = pecCheck(headers);
  if (!rule) return { checks: pec };
  const { amount, quantity, inputs } = RULES[rule];
  if (!headers.has('charge_type') || !headers.has(amount)) return { checks: pec };
  const checks = [...signChecks(headers, amount, quantity), ...pec];
  const { consistent, reason } = RULES[rule];
  if (!consistent || !reason || !inputs.every((i) => headers.has(i))) return { checks };
  const header = (column: string) => headers.get(column)!;
  const applies = `(${inputs.map((i) => `${c(i)} IS NOT NULL`).join(' AND ')} AND ${c('charge_type')} NOT IN (${UNPRICED_CHARGE_TYPES.map(lit).join(', ')}))`;
  const differs = `coalesce(${applies} AND NOT ${consistent}, false)`;
  checks.push({ bad: differs, header: header(amount), value: `CAST(${c(amount)} AS VARCHAR)`, reason: reason(header) });
  return { checks, applies, differs };
}

/** A charge's amount and quantity are 0 or more, a credit's amount 0 or less. */
function signChecks(headers: ReadonlyMap<string, string>, amount: string, quantity: string): Check[] {
  const ofSign = (sign: 'charge' | 'credit') =>
    Object.entries(CHARGE_TYPE_SIGNS)
      .filter(([, s]) => s === sign)
      .map(([type]) => lit(type))
      .join(', ');
  const check = (column: string, sign: 'charge' | 'credit'): Check => {
    const header = headers.get(column)!;
    const wrong = sign === 'charge' ? '<' : '>';
    const allowed = sign === 'charge' ? '0 or more' : '0 or less';
    return {
      bad: `coalesce(${c('charge_type')} IN (${ofSign(sign)}) AND ${c(column)} ${wrong} 0, false)`,
      header,
      value: `CAST(${c(column)} AS VARCHAR)`,
      reason: `'a ' || ${c('charge_type')} || ${lit(` line is a ${sign}: ${header} `)} || ${num(c(column))} || ${lit(`; allowed: ${allowed}`)}`,
    };
  };
  const checks = [check(amount, 'charge'), check(amount, 'credit')];
  if (headers.has(quantity)) checks.push(check(quantity, 'charge'));
  return checks;
}

/**
 * Partner earned credit (PEC, reference line 13579; billing-facts.md, the daily-rated usage file's
 * PartnerEarnedCreditPercentage): "Displays the PartnerEarnedCredit for the line item. Earned credit
 * will be either 0 or 15 percent" (reference line 10075). A line with another percentage is
 * quarantined with that reason; an empty one (not stated) passes. The Partner Center API writes the
 * same value as a rate, rateOfPartnerEarnedCredit (0.15), which the JSON format stores as the
 * percentage (etl/formats/billing.ts): the stored value is checked, and under that name the reason
 * says the allowed rates, 0 and 0.15 (a rate it does not map, such as 0.1, is stored as written).
 */
function pecCheck(headers: ReadonlyMap<string, string>): Check[] {
  const header = headers.get('partner_earned_credit_percentage');
  if (header === undefined) return [];
  const rate = /^rate/i.test(header);
  const allowed = rate ? ['0', '0.15'] : ['0', '15'];
  const column = c('partner_earned_credit_percentage');
  return [
    {
      bad: `coalesce(${column} NOT IN (0, 15), false)`,
      header,
      value: `CAST(${column} AS VARCHAR)`,
      reason:
        `${lit(`${header} `)} || ${num(column)} || ` +
        lit(` is not a documented partner earned credit ("Earned credit will be either 0 or 15 percent"); allowed: ${allowed.join(' or ')}${rate ? ' (a rate)' : ''}`),
    },
  ];
}
