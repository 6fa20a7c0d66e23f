import { formatMoney, parseMoney, roundHalfUp } from '../../core/money';
import type { AppliedBudgets, PartnerCenterBudget } from '../../warehouse/billing/budgets';
import type { PartnerCenterClient, SpendingBudget } from './client';

/**
 * Customers' Azure spending budgets as the sync reads them from Partner Center ("Get a customer's
 * usage spending budget": GET /v1/customers/{customer-tenant-id}/usagebudget, one call per
 * customer, through the sync's HTTP core: its token, timeouts, retries of 429 / 5xx / network
 * errors and Retry-After). The warehouse applies them (warehouse/billing/budgets.ts
 * applyPartnerCenterBudgets: Partner Center's amount wins; a customer without one there keeps a
 * budget set in the product only).
 *
 * No budget is not an error: a 404, an amount that is null or absent, and an amount of 0 (Partner
 * Center's budgets page has no zero budget; the product's budgets are greater than 0) all read as
 * "none".
 */

/** A synced customer: its id in the API's paths and its id in the warehouse (the Microsoft ID). */
export interface BudgetCustomer {
  apiId: string;
  customerId: string;
}

/**
 * The budgets of `customers`, fetched `limit` at a time, in the customers' order. A call that
 * still fails after the HTTP core's retries rejects the whole batch (the unit fails and the next
 * sync fetches it again).
 */
export async function fetchUsageBudgets(pc: PartnerCenterClient, customers: readonly BudgetCustomer[], limit: number): Promise<PartnerCenterBudget[]> {
  const out: PartnerCenterBudget[] = new Array(customers.length);
  let next = 0;
  const worker = async () => {
    while (next < customers.length) {
      const i = next++;
      const budget = await pc.usageBudget(customers[i].apiId);
      out[i] = { customerId: customers[i].customerId, amount: budgetAmount(budget) };
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, customers.length) }, worker));
  return out;
}

/**
 * The amount of a SpendingBudget as a decimal text with at most 2 decimals (rounded half up to the
 * cent), or null for none. A value that is not a plain number is passed on as text, for the
 * warehouse's amount check to refuse with its reason.
 */
export function budgetAmount(budget: SpendingBudget | null): string | null {
  const value = budget?.amount;
  if (value === null || value === undefined || value === 0) return null;
  if (typeof value !== 'number' || !Number.isFinite(value)) return String(value);
  const text = String(value);
  if (!/^\d+(\.\d+)?$/.test(text)) return text; // negative, or exponent notation (below a millionth or above 1e21)
  const [whole, fraction = ''] = text.split('.');
  return formatMoney(roundHalfUp(parseMoney(`${whole}.${fraction.slice(0, 6)}`), 2));
}

/** The unit's message: what the page's budgets came to. */
export function describeApplied(applied: AppliedBudgets, fetched: readonly PartnerCenterBudget[]): string {
  const few = (ids: readonly string[]) => `${ids.slice(0, 3).join(', ')}${ids.length > 3 ? ` and ${ids.length - 3} more` : ''}`;
  const none = fetched.filter((b) => b.amount === null).length;
  const parts = [
    `${fetched.length - none} budget(s) in Partner Center, ${none} customer(s) without one`,
    applied.set.length ? `${applied.set.length} set or changed` : '',
    applied.removed.length ? `${applied.removed.length} removed (no longer in Partner Center): ${few(applied.removed)}` : '',
    applied.unchanged ? `${applied.unchanged} unchanged` : '',
    applied.kept.length ? `${applied.kept.length} kept (set in the product only, not in Partner Center): ${few(applied.kept)}` : '',
    applied.noCurrency.length ? `${applied.noCurrency.length} not applied (no billing currency yet: no usage line or Azure plan loaded): ${few(applied.noCurrency)}` : '',
    ...applied.refused.slice(0, 3).map((r) => `customer ${r.customerId} refused: ${r.reason}`),
    applied.alerts ? `${applied.alerts} alert(s) reached` : '',
  ];
  return parts.filter(Boolean).join('; ');
}
