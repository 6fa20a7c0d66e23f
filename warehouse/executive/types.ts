import type { Permission } from '../../core/permissions';
import type { PciIndicatorKey, PciMarketKey, PciPathKey, PciUnitKey } from '../insights/pci';

/**
 * The executive report as data: everything the HTML shows, gathered from the insights engine
 * (gather.ts) and rendered by render/. Values are decimal strings as the warehouse gives them
 * (counts as integers, USD with 2 decimals); percentages are display floats.
 */
export type Unit = 'count' | 'USD';

export interface MonthPoint {
  /** 'YYYY-MM' */
  month: string;
  value: string;
}

export interface Comparison {
  /** The comparison month's value; null when that month has no data (before the first month with data). */
  value: string | null;
  /** % change of the report month against it, 1 decimal; null without data or from 0. */
  changePercent: number | null;
}

export interface KpiFigure {
  /** The insights metric name (warehouse/insights/metrics). */
  name: string;
  title: string;
  definition: string;
  unit: Unit;
  /** The report month's value. */
  value: string;
  vsPreviousMonth: Comparison;
  vsPreviousYear: Comparison;
  /** The 13 months ending with the report month. */
  series: MonthPoint[];
}

export interface RankedItem {
  /** Stable key (country code, product family, customer id). */
  key: string;
  label: string;
  value: string;
  /** The previous month's value (null when not known). */
  previous: string | null;
  /** % of the total of the report month (null when the total is 0). */
  percentOfTotal: number | null;
}

export interface Ranking {
  /** The data-chart name of its bar chart. */
  chart: string;
  title: string;
  metric: string;
  unit: Unit;
  items: RankedItem[];
}

/** A part of the report left out for the caller's role, with the roles that would show it. */
export interface WithheldItem {
  what: string;
  permission: Permission;
  roles: readonly string[];
}

export interface ReferralSection {
  /** referrals, referralsWon and (with seeDealValue) referralDealVolume, by month created. */
  kpis: KpiFigure[];
  /** New -> Accepted -> Won over the referral insights' last-12-months range. */
  funnel: { new: number; accepted: number; won: number };
  /** The funnel's range ('YYYY-MM'): referral insights count back from today, not from the report month. */
  funnelFrom: string;
  funnelTo: string;
}

export interface PciIndicatorLine {
  key: PciIndicatorKey;
  name: string;
  unit: PciUnitKey;
  /** Display value (USD with 2 decimals, a count, a ratio with 4 decimals); null when not computed or withheld. */
  valueText: string | null;
  value: number | null;
  threshold: number | null;
  points: number;
  maxPoints: number;
  /** Net new revenue for a role without seeRevenue. */
  withheld: boolean;
}

export interface PciPathSection {
  path: PciPathKey;
  title: string;
  score: number;
  /** The score of the month before (from the 12-month history). */
  previousScore: number | null;
  history: { month: string; score: number }[];
  indicators: PciIndicatorLine[];
  /** The three indicators with the most points to gain. */
  furthest: { key: PciIndicatorKey; name: string; pointsToGain: number }[];
}

export interface PciSection {
  /** The day scored: the report month's last day, or today within the current month. */
  asOf: string;
  market: PciMarketKey;
  paths: PciPathSection[];
}

/** A customer whose Azure spending reached 80 % or 100 % of its monthly budget in the report month (its highest threshold). */
export interface BudgetAlertLine {
  customerId: string;
  companyName: string | null;
  threshold: number;
  /** Decimal strings in `currency` (the customer's billing currency). */
  spent: string;
  budget: string;
  currency: string;
  /** ISO instant the threshold was reached. */
  alertedAt: string;
}

export interface ExecutiveReport {
  partner: { id: string; name: string };
  /** 'YYYY-MM' */
  month: string;
  previousMonth: string;
  previousYear: string;
  /** The months with data for this partner ('YYYY-MM'). */
  dataFrom: string;
  dataTo: string;
  /** ISO instant the report was generated (warehouse/clock). */
  generatedAt: string;
  audience: {
    roles: string[];
    /** The caller's locations; null for the entire organization. */
    locations: { mpnId: string; name: string | null; country: string | null }[] | null;
  };
  /** Customers, subscriptions, licenses and (with seeRevenue) ACR. */
  headline: KpiFigure[];
  /** Customers and subscriptions added and churned in the month. */
  movements: KpiFigure[];
  topProducts: Ranking[];
  topCustomers: Ranking[];
  geography: Ranking[];
  /** null without readReferrals (see withheld). */
  referrals: ReferralSection | null;
  pci: PciSection;
  /** Customers at 80 % or 100 % of their monthly budget in the month; null without seeRevenue (see withheld). */
  budgetAlerts: BudgetAlertLine[] | null;
  notableChanges: string[];
  withheld: WithheldItem[];
}
