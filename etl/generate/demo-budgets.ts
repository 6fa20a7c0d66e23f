import type { Caller } from '../../core/caller';
import { formatMoney, mulDiv, parseMoney } from '../../core/money';
import { monthOf, setCustomerBudget } from '../../warehouse/billing/budgets';
import type { Warehouse } from '../../warehouse/db';

/**
 * Monthly Azure spending budgets for the demo. Partner Center keeps budgets in its API, not in a
 * file (GET/PATCH /v1/customers/{id}/usagebudget), so the demo sets them the way a user would:
 * through setCustomerBudget, as each partner's Global admin, once the demo files are loaded. For
 * each partner, the customers with the most Azure usage this month get budgets of their
 * month-to-date spending ÷ RATIOS, to the cent below (deterministic for the data), so that the API and the executive
 * report show customers at 100 %, at 80 % and under budget from the first start. On the first day
 * of a month there is no usage yet this month: no budget is set.
 */
const RATIOS = ['1.25', '0.90', '0.50', '0.30'] as const;

export interface DemoBudgets {
  budgets: number;
  alerts: number;
}

export async function setDemoBudgets(warehouse: Warehouse, now: Date): Promise<DemoBudgets> {
  const month = `${monthOf(now)}-01`;
  const spenders = await warehouse.all<{ partnerId: string; customerId: string; spent: string }>(
    `SELECT partner_id AS "partnerId", customer_id AS "customerId", sum(billing_pre_tax_total)::DECIMAL(18,2)::VARCHAR AS spent
     FROM insights_usage_monthly WHERE month = $1::DATE AND customer_id IS NOT NULL
     GROUP BY partner_id, customer_id HAVING sum(billing_pre_tax_total) > 0
     QUALIFY row_number() OVER (PARTITION BY partner_id ORDER BY sum(billing_pre_tax_total) DESC, customer_id) <= ${RATIOS.length}
     ORDER BY 1, 3 DESC, 2`,
    [month],
  );
  let budgets = 0;
  let alerts = 0;
  const rank = new Map<string, number>();
  for (const s of spenders) {
    const i = rank.get(s.partnerId) ?? 0;
    rank.set(s.partnerId, i + 1);
    const caller: Caller = { partnerId: s.partnerId, roles: ['Global admin'], locations: null, subject: 'demo' };
    // spent ÷ ratio, rounded down to cents: at least the ratio of the budget used.
    const amount = mulDiv(parseMoney(s.spent), 1_000_000n, parseMoney(RATIOS[i]), 2, 'floor');
    if (amount <= 0n) continue;
    const budget = await setCustomerBudget(warehouse, caller, now, { customerId: s.customerId, amount: formatMoney(amount) });
    budgets++;
    if (budget.state !== 'OK') alerts++;
  }
  return { budgets, alerts };
}
