import { rolesFor } from '../../core/permissions';
import type { ExecutiveReport, KpiFigure, Ranking } from '../../warehouse/executive/types';
import { addMonths } from '../../core/dates';

/**
 * A hand-made executive report (no warehouse) for the renderer and the notable-changes rules:
 * every section present, values chosen so each rule has something to say.
 */
export function months13(month: string): string[] {
  return Array.from({ length: 13 }, (_, i) => addMonths(`${month}-01`, i - 12).slice(0, 7));
}

export function kpi(name: string, title: string, unit: 'count' | 'USD', values: string[], month = '2026-05'): KpiFigure {
  const series = months13(month).map((m, i) => ({ month: m, value: values[i] }));
  const value = values[12];
  const cmp = (base: string) => ({ value: base, changePercent: Number(base) === 0 ? null : Math.round(((Number(value) - Number(base)) / Number(base)) * 1000) / 10 });
  return { name, title, definition: `${title} as defined.`, unit, value, vsPreviousMonth: cmp(values[11]), vsPreviousYear: cmp(values[0]), series };
}

const flat = (v: string) => Array.from({ length: 13 }, () => v);
const ramp = (from: number, step: number) => Array.from({ length: 13 }, (_, i) => String(from + i * step));

function ranking(chart: string, title: string, metric: string, unit: 'count' | 'USD', items: [string, string, string | null][]): Ranking {
  return { chart, title, metric, unit, items: items.map(([label, value, previous]) => ({ key: label, label, value, previous, percentOfTotal: 10 })) };
}

export function fixtureReport(overrides: Partial<ExecutiveReport> = {}): ExecutiveReport {
  return {
    partner: { id: 'p-1', name: 'Contoso Cloud Partner' },
    month: '2026-05',
    previousMonth: '2026-04',
    previousYear: '2025-05',
    dataFrom: '2024-01',
    dataTo: '2026-06',
    generatedAt: '2026-06-15T09:30:00.000Z',
    audience: { roles: ['Executive report viewer'], locations: null },
    headline: [
      kpi('customers', 'Customers', 'count', ramp(100, 2)),
      kpi('subscriptions', 'Subscriptions', 'count', [...flat('400').slice(0, 12), '410']),
      kpi('licenses', 'Licenses', 'count', flat('5000')),
      kpi('azureConsumedRevenue', 'Azure Consumed Revenue (ACR)', 'USD', [...flat('1000.00').slice(0, 11), '1200.50', '1500.75']),
    ],
    movements: [
      kpi('customersAdded', 'Customers added', 'count', [...flat('3').slice(0, 12), '5']),
      kpi('customersChurned', 'Customers churned', 'count', [...flat('1').slice(0, 12), '3']),
      kpi('subscriptionsAdded', 'Subscriptions added', 'count', flat('10')),
      kpi('subscriptionsChurned', 'Subscriptions churned', 'count', [...flat('2').slice(0, 12), '0']),
    ],
    topProducts: [
      ranking('top-products', 'Subscriptions by product', 'subscriptions', 'count', [['Microsoft 365', '200', '190'], ['Azure', '120', '121']]),
      ranking('top-skus', 'Licenses by product plan (SKU)', 'licenses', 'count', [['Microsoft 365 Business Standard', '3000', '3000']]),
    ],
    topCustomers: [
      ranking('top-customers-licenses', 'Top customers by licenses', 'licenses', 'count', [['Northwind Traders', '900', '880']]),
      ranking('top-customers-acr', 'Top customers by ACR (USD)', 'azureConsumedRevenue', 'USD', [['Adventure Works', '700.25', '650.00']]),
    ],
    geography: [
      ranking('geography-customers', 'Customers by country', 'customers', 'count', [['United States', '60', '57'], ['Canada', '40', '41']]),
      ranking('geography-acr', 'ACR (USD) by customer country', 'azureConsumedRevenue', 'USD', [['United States', '1000.75', '900.00']]),
    ],
    referrals: {
      kpis: [
        kpi('referrals', 'Total referrals', 'count', [...flat('8').slice(0, 12), '12']),
        kpi('referralsWon', 'Referrals won', 'count', [...flat('2').slice(0, 12), '4']),
        kpi('referralDealVolume', 'Deal volume (USD)', 'USD', [...flat('10000.00').slice(0, 12), '25000.00']),
      ],
      funnel: { new: 100, accepted: 60, won: 20 },
      funnelFrom: '2025-06',
      funnelTo: '2026-06',
    },
    pci: {
      asOf: '2026-05-31',
      market: 'Developed',
      paths: [
        {
          path: 'CUSTOMER_ENGAGEMENT',
          title: 'Customer Engagement',
          score: 42.5,
          previousScore: 40,
          history: months13('2026-05').slice(1).map((m, i) => ({ month: m, score: 30 + i })),
          indicators: [
            { key: 'NET_NEW_REVENUE', name: 'Net new revenue', unit: 'USD', valueText: '150000.00', value: 150000, threshold: 300000, points: 5, maxPoints: 10, withheld: false },
            { key: 'NET_CUSTOMER_ADDS', name: 'Net customer adds', unit: 'COUNT', valueText: '8', value: 8, threshold: 10, points: 8, maxPoints: 10, withheld: false },
            { key: 'MONTHLY_ACTIVE_USER_GROWTH', name: 'Monthly active user growth', unit: 'RATIO', valueText: null, value: null, threshold: null, points: 0, maxPoints: 25, withheld: false },
          ],
          furthest: [{ key: 'MONTHLY_ACTIVE_USER_GROWTH', name: 'Monthly active user growth', pointsToGain: 25 }],
        },
        {
          path: 'FINANCE_AND_OPERATIONS',
          title: 'Finance and Operations',
          score: 10,
          previousScore: 10,
          history: months13('2026-05').slice(1).map((m) => ({ month: m, score: 10 })),
          indicators: [{ key: 'DEVELOPERS', name: 'Developers', unit: 'COUNT', valueText: '5', value: 5, threshold: 5, points: 5, maxPoints: 5, withheld: false }],
          furthest: [],
        },
      ],
    },
    notableChanges: [],
    budgetAlerts: [],
    withheld: [],
    ...overrides,
  };
}

export const REVENUE_ROLES = rolesFor('seeRevenue');

/** Every chart the executive report draws (data-chart names), written out so that a dropped chart fails a test. */
export const EXECUTIVE_CHARTS = [
  'trend-customers',
  'trend-subscriptions',
  'trend-licenses',
  'trend-azureConsumedRevenue',
  'top-products',
  'top-skus',
  'top-customers-licenses',
  'top-customers-acr',
  'geography-customers',
  'geography-acr',
  'referral-funnel',
  'referral-trend',
  'pci-history',
];
/** The charts withheld from roles without revenue. */
export const REVENUE_CHARTS = ['trend-azureConsumedRevenue', 'top-customers-acr', 'geography-acr'];
