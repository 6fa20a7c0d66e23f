import type { Caller } from '../../core/caller';
import { hasPermission } from '../../core/permissions';
import { scope } from '../../core/scope';
import { query, sql, type SqlRunner } from '../../core/sql';
import { today } from '../clock';
import { pciScores, type PciResult } from '../insights/pci';
import { runReferralInsights } from '../insights/referral-insights';
import { ym } from './figures';
import { lastDayOf } from './month';
import { budgetAlertsOfMonth } from '../billing/budget-alerts';
import type { BudgetAlertLine, ExecutiveReport, KpiFigure, PciPathSection, PciSection, ReferralSection } from './types';
import type { Withheld } from './withheld';

const PATH_TITLES = { CUSTOMER_ENGAGEMENT: 'Customer Engagement', FINANCE_AND_OPERATIONS: 'Finance and Operations' } as const;

/** Referrals: the month's KPIs (by month created) and the funnel of referral insights. */
export async function referralSection(db: SqlRunner, caller: Caller, kpis: KpiFigure[]): Promise<ReferralSection> {
  const insights = await runReferralInsights(db, caller, { range: 'LAST_12_MONTHS' });
  return {
    kpis,
    funnel: insights.funnel,
    funnelFrom: ym(insights.range.from),
    funnelTo: ym(insights.range.to),
  };
}

/** PCI, scored on the report month's last day (or today within the current month); net new revenue needs seeRevenue. */
export async function pciSection(db: SqlRunner, caller: Caller, month: string, withheld: Withheld): Promise<PciSection> {
  const pciDay = [lastDayOf(month), today()].sort()[0];
  const scores = await pciScores(db, caller, { asOf: pciDay });
  const revenueVisible = hasPermission(caller, 'seeRevenue');
  const pci: PciSection = { asOf: scores.asOf, market: scores.market, paths: scores.paths.map((p) => pciPath(p, revenueVisible)) };
  if (!revenueVisible) withheld.add('PCI net new revenue (USD)', 'seeRevenue');
  return pci;
}

function pciPath(p: PciResult['paths'][number], revenueVisible: boolean): PciPathSection {
  return {
    path: p.path,
    title: PATH_TITLES[p.path],
    score: p.score,
    previousScore: p.history.length > 1 ? p.history[p.history.length - 2].score : null,
    history: p.history.map((h) => ({ month: ym(h.month), score: h.score })),
    indicators: p.indicators.map((i) => {
      const hidden = i.key === 'NET_NEW_REVENUE' && !revenueVisible;
      return { key: i.key, name: i.name, unit: i.unit, valueText: hidden ? null : i.valueText, value: hidden ? null : i.value, threshold: i.threshold, points: i.points, maxPoints: i.maxPoints, withheld: hidden };
    }),
    furthest: p.furthestFromThreshold.slice(0, 3).map((f) => ({ key: f.key, name: f.name, pointsToGain: f.pointsToGain })),
  };
}

/**
 * Budget alerts of the month (warehouse/billing/budget-alerts.ts): each customer once, at the highest
 * threshold it reached. Customers' spending is money: shown with seeRevenue, withheld otherwise.
 */
export async function budgetAlertSection(db: SqlRunner, caller: Caller, month: string, withheld: Withheld): Promise<BudgetAlertLine[] | null> {
  if (!hasPermission(caller, 'seeRevenue')) {
    withheld.add(BUDGET_ALERTS, 'seeRevenue');
    return null;
  }
  const alerts = await budgetAlertsOfMonth(db, caller, ym(month));
  const seen = new Set<string>();
  return alerts
    .filter((a) => !seen.has(a.customerId) && seen.add(a.customerId))
    .map((a) => ({ customerId: a.customerId, companyName: a.companyName, threshold: a.threshold, spent: a.spent, budget: a.budget, currency: a.currency, alertedAt: a.alertedAt }));
}

/** The withheld item's name for budget alerts. */
export const BUDGET_ALERTS = 'Budget alerts';

/** Who the report is for: the partner's name and, for a location-scoped caller, its locations. */
export async function reportAudience(db: SqlRunner, caller: Caller): Promise<Pick<ExecutiveReport, 'partner' | 'audience'>> {
  const [partner] = await query<{ name: string }>(db, sql`SELECT p.name FROM partners p WHERE ${scope(caller, 'p', null)}`);
  const locations =
    caller.locations === null
      ? null
      : await query<{ mpnId: string; name: string | null; country: string | null }>(
          db,
          sql`SELECT l.mpn_id AS "mpnId", l.name, l.country FROM locations l WHERE ${scope(caller, 'l', 'l.mpn_id')} ORDER BY l.mpn_id`,
        );
  return {
    partner: { id: caller.partnerId, name: partner?.name ?? caller.partnerId },
    audience: { roles: [...caller.roles], locations },
  };
}
