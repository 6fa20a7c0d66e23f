/**
 * Partner contribution indicators (PCI) as data, transcribed from the Partner Center documentation
 * "Partner contribution indicators (PCI)" (reference/seeds/001_ca1fae7c3c9a2cc0.txt, lines
 * 16926-17063): Table 1 (Customer Engagement thresholds, line 16981), Table 2 (Finance and Operations
 * thresholds, line 16991), Table 3 (functional consultant growth, line 17001) and the detailed
 * definitions (lines 17010-17042: qualifying products, certification exams, high-usage MAU
 * thresholds, MAU growth baselines).
 *
 * Nothing here is code: the rules in rules.ts and the SQL in sql.ts read these tables.
 */

export type PciPathKey = 'CUSTOMER_ENGAGEMENT' | 'FINANCE_AND_OPERATIONS';
export type PciMarketKey = 'Developed' | 'Developing';
export type PciIndicatorKey =
  | 'NET_NEW_REVENUE'
  | 'NET_CUSTOMER_ADDS'
  | 'FUNCTIONAL_CONSULTANTS'
  | 'FUNCTIONAL_CONSULTANT_GROWTH'
  | 'DEVELOPERS'
  | 'NEW_LARGE_DEPLOYMENTS'
  | 'MONTHLY_ACTIVE_USER_GROWTH';
export type PciUnitKey = 'USD' | 'COUNT' | 'RATIO';

export const PCI_PATHS: readonly PciPathKey[] = ['CUSTOMER_ENGAGEMENT', 'FINANCE_AND_OPERATIONS'];
export const PCI_MARKETS: readonly PciMarketKey[] = ['Developed', 'Developing'];

/** The product family (products.product_family, monthly_active_users.workload) of each path. */
export const PATH_PRODUCT_FAMILY: Record<PciPathKey, string> = {
  CUSTOMER_ENGAGEMENT: 'Dynamics 365 Customer Engagement',
  FINANCE_AND_OPERATIONS: 'Dynamics 365 Finance and Operations',
};

/** The seven indicators in the documentation's order, with their maximum points ("Max pts" row). */
export const INDICATORS: readonly { key: PciIndicatorKey; name: string; maxPoints: number; unit: PciUnitKey; partialPoints: boolean }[] = [
  { key: 'NET_NEW_REVENUE', name: 'Net new revenue', maxPoints: 10, unit: 'USD', partialPoints: true },
  { key: 'NET_CUSTOMER_ADDS', name: 'Net customer adds', maxPoints: 10, unit: 'COUNT', partialPoints: true },
  { key: 'FUNCTIONAL_CONSULTANTS', name: 'Functional consultants', maxPoints: 15, unit: 'COUNT', partialPoints: true },
  // "Partial points can be earned for all metrics except for Functional consultant growth."
  { key: 'FUNCTIONAL_CONSULTANT_GROWTH', name: 'Functional consultant growth', maxPoints: 15, unit: 'RATIO', partialPoints: false },
  { key: 'DEVELOPERS', name: 'Developers', maxPoints: 5, unit: 'COUNT', partialPoints: true },
  { key: 'NEW_LARGE_DEPLOYMENTS', name: 'New large deployments', maxPoints: 20, unit: 'COUNT', partialPoints: true },
  { key: 'MONTHLY_ACTIVE_USER_GROWTH', name: 'Monthly active user growth', maxPoints: 25, unit: 'RATIO', partialPoints: true },
];

/** Thresholds of one path and market; functional consultant growth is in Table 3 instead ("* See note"). */
export type ThresholdRow = Record<Exclude<PciIndicatorKey, 'FUNCTIONAL_CONSULTANT_GROWTH'>, number>;

/**
 * Table 1 (Customer Engagement) and Table 2 (Finance and Operations), lines 16981-16989 and 16991-16999.
 * Net new revenue in USD, growth as a ratio (25% = 0.25).
 */
export const THRESHOLDS: Record<PciPathKey, Record<PciMarketKey, ThresholdRow>> = {
  CUSTOMER_ENGAGEMENT: {
    Developed: { NET_NEW_REVENUE: 300_000, NET_CUSTOMER_ADDS: 10, FUNCTIONAL_CONSULTANTS: 15, DEVELOPERS: 5, NEW_LARGE_DEPLOYMENTS: 5, MONTHLY_ACTIVE_USER_GROWTH: 0.25 },
    Developing: { NET_NEW_REVENUE: 150_000, NET_CUSTOMER_ADDS: 5, FUNCTIONAL_CONSULTANTS: 5, DEVELOPERS: 2, NEW_LARGE_DEPLOYMENTS: 1, MONTHLY_ACTIVE_USER_GROWTH: 0.25 },
  },
  FINANCE_AND_OPERATIONS: {
    Developed: { NET_NEW_REVENUE: 300_000, NET_CUSTOMER_ADDS: 3, FUNCTIONAL_CONSULTANTS: 15, DEVELOPERS: 5, NEW_LARGE_DEPLOYMENTS: 3, MONTHLY_ACTIVE_USER_GROWTH: 0.25 },
    Developing: { NET_NEW_REVENUE: 150_000, NET_CUSTOMER_ADDS: 1, FUNCTIONAL_CONSULTANTS: 5, DEVELOPERS: 2, NEW_LARGE_DEPLOYMENTS: 1, MONTHLY_ACTIVE_USER_GROWTH: 0.25 },
  },
};

/**
 * Table 3 (line 17001): the functional consultant baseline needed to be eligible, per market, and
 * the growth needed to earn all 15 points. Same for both paths. `max` null = "and above".
 */
export const FUNCTIONAL_CONSULTANT_GROWTH_TIERS: readonly {
  baseline: Record<PciMarketKey, { min: number; max: number | null }>;
  growth: number;
}[] = [
  { baseline: { Developed: { min: 15, max: 29 }, Developing: { min: 5, max: 14 } }, growth: 0.35 },
  { baseline: { Developed: { min: 30, max: 49 }, Developing: { min: 15, max: 24 } }, growth: 0.25 },
  { baseline: { Developed: { min: 50, max: null }, Developing: { min: 25, max: null } }, growth: 0.15 },
];

/** "Baseline snapshot for the Functional consultant growth metric ... taken on October 1, 2020." */
export const DOCUMENTED_BASELINE_DATE = '2020-10-01';

/**
 * New large deployments (line 17034): a tenant "crossed" when its path MAU reaches this many;
 * CE 250 developed / 150 developing, F&O 100 / 50.
 */
export const LARGE_DEPLOYMENT_MAU: Record<PciPathKey, Record<PciMarketKey, number>> = {
  CUSTOMER_ENGAGEMENT: { Developed: 250, Developing: 150 },
  FINANCE_AND_OPERATIONS: { Developed: 100, Developing: 50 },
};

/** Monthly active user growth (line 17042): MAU baseline 12 months ago needed to be eligible. Same numbers. */
export const MAU_GROWTH_MIN_BASELINE: Record<PciPathKey, Record<PciMarketKey, number>> = {
  CUSTOMER_ENGAGEMENT: { Developed: 250, Developing: 150 },
  FINANCE_AND_OPERATIONS: { Developed: 100, Developing: 50 },
};

/**
 * Qualifying Dynamics 365 products for net new revenue (line 17012), matched case-insensitively as
 * words in the product, SKU or offer name of a billed line whose name or family says "Dynamics 365".
 * "Plan 1" is sold as "Dynamics 365 Customer Engagement Plan", "Plan 2" as "Dynamics 365 Plan"
 * (Unified Operations); Talent and Team Members qualify for both paths.
 */
export const QUALIFYING_PRODUCTS: Record<PciPathKey, readonly string[]> = {
  CUSTOMER_ENGAGEMENT: [
    'Sales',
    'Customer Service',
    'Field Service',
    'Project Service Automation',
    'Marketing',
    'Relationship Sales',
    'Plan 1',
    'Customer Engagement Plan',
    'Talent',
    'Team Member',
    'Team Members',
  ],
  FINANCE_AND_OPERATIONS: [
    'Unified Operations',
    'Finance',
    'Supply Chain Management',
    'Retail',
    'Commerce',
    'Plan 2',
    'Dynamics 365 Plan',
    'Mixed Reality',
    'Talent',
    'Team Member',
    'Team Members',
  ],
};

/** An associate certification as exams: the core exam AND any one of the others (lines 17019-17020, 17030-17031). */
export interface ExamRule {
  core: string;
  anyOf: readonly string[];
  /**
   * Name of the associate certification itself (credential_type 'Certification'), matched as a
   * case-insensitive regular expression. When the individual holds it and every such row has
   * expired, the individual no longer counts ("currently active").
   */
  certificationName: string;
}

export const FUNCTIONAL_CONSULTANT_EXAMS: Record<PciPathKey, ExamRule> = {
  CUSTOMER_ENGAGEMENT: { core: 'MB-200', anyOf: ['MB-210', 'MB-220', 'MB-230', 'MB-240', 'MB6-898'], certificationName: 'Customer Engagement Functional Consultant' },
  FINANCE_AND_OPERATIONS: { core: 'MB-300', anyOf: ['MB-310', 'MB-320', 'MB-330', 'MB6-897', 'MB6-898'], certificationName: 'Finance and Operations Functional Consultant' },
};

export const DEVELOPER_EXAMS: Record<PciPathKey, ExamRule> = {
  CUSTOMER_ENGAGEMENT: { core: 'MB-200', anyOf: ['MB-400', 'MB2-716'], certificationName: 'Customer Engagement Developer' },
  FINANCE_AND_OPERATIONS: { core: 'MB-300', anyOf: ['MB-500', 'MB6-894'], certificationName: 'Finance and Operations (Apps )?Developer' },
};

/**
 * Customer-to-partner association (line 17044): credit only as CSP, CPOR or DPOR (DAP and PAL earn
 * nothing). Metrics fall in two groups: PERFORMANCE (net new revenue, net customer adds) and USAGE
 * (new large deployments, MAU growth). A CPOR earns the PERFORMANCE group via the OSA incentive and
 * the USAGE group via OSU; where a CPOR exists on a subscription it takes the credit of those groups
 * from the DPOR ("the CPOR will receive credit for the relevant PCI metrics").
 */
export type CreditGroup = 'PERFORMANCE' | 'USAGE';
export interface AssociationRule {
  type: 'CSP' | 'CPOR' | 'DPOR';
  /** null: any incentive (or none). */
  incentive: 'OSA' | 'OSU' | null;
  groups: readonly CreditGroup[];
  /** Loses a group to a CPOR of the same subscription that holds that group. */
  displacedByCpor: boolean;
}

export const ASSOCIATION_RULES: readonly AssociationRule[] = [
  { type: 'CSP', incentive: null, groups: ['PERFORMANCE', 'USAGE'], displacedByCpor: false },
  { type: 'DPOR', incentive: null, groups: ['PERFORMANCE', 'USAGE'], displacedByCpor: true },
  { type: 'CPOR', incentive: 'OSA', groups: ['PERFORMANCE'], displacedByCpor: false },
  { type: 'CPOR', incentive: 'OSU', groups: ['USAGE'], displacedByCpor: false },
];

export const INDICATOR_GROUP: Partial<Record<PciIndicatorKey, CreditGroup>> = {
  NET_NEW_REVENUE: 'PERFORMANCE',
  NET_CUSTOMER_ADDS: 'PERFORMANCE',
  NEW_LARGE_DEPLOYMENTS: 'USAGE',
  MONTHLY_ACTIVE_USER_GROWTH: 'USAGE',
};
