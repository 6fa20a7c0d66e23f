/**
 * The performance requirements of the competencies, as data: the metrics each one is measured by
 * and their Silver and Gold thresholds (the Competency metric analysis, competency-metrics.ts,
 * reads them; why these amounts: its header). Change a threshold here and the report, the download
 * and the tests follow.
 */
export type MetricAggregation = 'sum' | 'distinct' | 'last';

/** What a metric measures and over which rows: the SQL of each kind is in measureRows. */
export type MetricSource =
  | { kind: 'azureConsumedRevenue'; meterCategories?: readonly string[] }
  | { kind: 'azureCustomers'; meterCategories?: readonly string[] }
  | { kind: 'activeUsers'; productFamilies: readonly string[] }
  | { kind: 'licensesDeployed'; productFamilies: readonly string[] }
  | { kind: 'licensedCustomers'; productFamilies: readonly string[] }
  | { kind: 'workloadActiveUsers'; workloads: readonly string[] }
  | { kind: 'seatsSold'; productFamilies: readonly string[] }
  | { kind: 'newCustomers'; productFamilies: readonly string[] };

export interface PerformanceMetric {
  /** Unique within a competency, e.g. AZURE_CONSUMED_REVENUE. */
  key: string;
  name: string;
  definition: string;
  unit: 'USD' | 'count';
  aggregation: MetricAggregation;
  source: MetricSource;
  /** Threshold at Silver and at Gold, over the period. */
  silver: number;
  gold: number;
}

export interface CompetencyRequirement {
  /** Performance metrics analysed; none: the competency is listed as not analysed, with `note`. */
  metrics: readonly PerformanceMetric[];
  note?: string;
}

type Thresholds = { silver: number; gold: number };
const scopeText = (values?: readonly string[]) => (values?.length ? ` (${values.join(', ')})` : '');

const acr = (t: Thresholds, meterCategories?: readonly string[]): PerformanceMetric => ({
  key: 'AZURE_CONSUMED_REVENUE',
  name: `Azure consumed revenue${scopeText(meterCategories)}`,
  definition:
    `Azure consumed revenue (US$) attributed to you over the period${meterCategories ? ', meter categories ' + meterCategories.join(', ') : ''}: ` +
    'pre-tax consumed revenue of daily-rated Azure usage in USD by usage month, summed over the months (the azureConsumedRevenue metric of the Azure usage report). Visible only to roles that may see revenue (Executive report viewer).',
  unit: 'USD',
  aggregation: 'sum',
  source: { kind: 'azureConsumedRevenue', meterCategories },
  ...t,
});

const azureCustomers = (t: Thresholds, meterCategories?: readonly string[]): PerformanceMetric => ({
  key: 'AZURE_CUSTOMERS',
  name: `Customers with Azure usage${scopeText(meterCategories)}`,
  definition: `Distinct customers with daily-rated Azure usage${meterCategories ? ' in meter categories ' + meterCategories.join(', ') : ''} in any month of the period.`,
  unit: 'count',
  aggregation: 'distinct',
  source: { kind: 'azureCustomers', meterCategories },
  ...t,
});

const activeUsers = (t: Thresholds, productFamilies: readonly string[]): PerformanceMetric => ({
  key: 'ACTIVE_USERS',
  name: `Active users${scopeText(productFamilies)}`,
  definition: `Users active in the last 28 days on licenses of ${productFamilies.join(', ')} (license telemetry) in the last month of the period: the activeLicenses metric of the Product licenses report with those product families.`,
  unit: 'count',
  aggregation: 'last',
  source: { kind: 'activeUsers', productFamilies },
  ...t,
});

const licensesDeployed = (t: Thresholds, productFamilies: readonly string[]): PerformanceMetric => ({
  key: 'LICENSES_DEPLOYED',
  name: `Deployed licenses${scopeText(productFamilies)}`,
  definition: `Licenses of ${productFamilies.join(', ')} assigned to users (license telemetry) in the last month of the period: the licensesDeployed metric with those product families.`,
  unit: 'count',
  aggregation: 'last',
  source: { kind: 'licensesDeployed', productFamilies },
  ...t,
});

const licensedCustomers = (t: Thresholds, productFamilies: readonly string[]): PerformanceMetric => ({
  key: 'LICENSED_CUSTOMERS',
  name: `Customers with deployed licenses${scopeText(productFamilies)}`,
  definition: `Customers with at least one assigned license of ${productFamilies.join(', ')} (license telemetry) in the last month of the period.`,
  unit: 'count',
  aggregation: 'last',
  source: { kind: 'licensedCustomers', productFamilies },
  ...t,
});

const workloadActiveUsers = (t: Thresholds, workload: string): PerformanceMetric => ({
  key: 'WORKLOAD_ACTIVE_USERS',
  name: `Monthly active users (${workload})`,
  definition: `Monthly active users of the ${workload} workload across your customers' tenants (the monthly active users file) in the last month of the period.`,
  unit: 'count',
  aggregation: 'last',
  source: { kind: 'workloadActiveUsers', workloads: [workload] },
  ...t,
});

const seatsSold = (t: Thresholds, productFamilies: readonly string[]): PerformanceMetric => ({
  key: 'SEATS_SOLD',
  name: `Seats sold${scopeText(productFamilies)}`,
  definition: `Licenses added to License-billed, non-trial subscriptions of ${productFamilies.join(', ')} by purchases, quantity increases and trial conversions over the period: the licensesAdded metric of the Product licenses report with those product families.`,
  unit: 'count',
  aggregation: 'sum',
  source: { kind: 'seatsSold', productFamilies },
  ...t,
});

const newCustomers = (t: Thresholds, productFamilies: readonly string[]): PerformanceMetric => ({
  key: 'NEW_CUSTOMERS',
  name: `New customers${scopeText(productFamilies)}`,
  definition: `Customers whose first seats of ${productFamilies.join(', ')} (as in Seats sold, over the whole subscription history) were sold in a month of the period.`,
  unit: 'count',
  aggregation: 'sum',
  source: { kind: 'newCustomers', productFamilies },
  ...t,
});

const OFFICE = ['Office 365', 'Microsoft 365'] as const;
const EMS = ['Enterprise Mobility + Security'] as const;
const DYNAMICS = ['Dynamics 365 Customer Engagement', 'Dynamics 365 Finance and Operations'] as const;
const APP_SERVICES = ['Azure App Service', 'Azure Kubernetes Service'];
const DEVOPS_SERVICES = ['Azure Kubernetes Service', 'Azure App Service', 'Azure Monitor'];
const INFRASTRUCTURE = ['Virtual Machines', 'Storage', 'Backup', 'Virtual Network', 'Load Balancer', 'Bandwidth'];
const DATA_SERVICES = ['SQL Database', 'Azure Cosmos DB'];

/**
 * The performance requirements per competency (names as Partner Center writes them, reference line
 * 16729), as data: change a threshold here and the report, the download and the tests follow.
 */
export const COMPETENCY_REQUIREMENTS: Record<string, CompetencyRequirement> = {
  // App and Infrastructure: Azure consumption, on the services of the competency's area.
  ApplicationDevelopment: { metrics: [acr({ silver: 4_000, gold: 20_000 }, APP_SERVICES), azureCustomers({ silver: 3, gold: 5 }, APP_SERVICES)] },
  // Integration services (Logic Apps, Service Bus, API Management) have no meter category of their own in the usage data: all Azure consumption.
  ApplicationIntegration: { metrics: [acr({ silver: 4_000, gold: 20_000 }), azureCustomers({ silver: 3, gold: 5 })] },
  // Published: "to achieve Silver, partners must have racked up $15,000 in Azure Consumption fees in the last year, while for Gold, that rises to $100,000".
  CloudPlatform: { metrics: [acr({ silver: 15_000, gold: 100_000 }), azureCustomers({ silver: 3, gold: 5 })] },
  Datacenter: { metrics: [acr({ silver: 4_000, gold: 20_000 }, INFRASTRUCTURE), azureCustomers({ silver: 3, gold: 5 }, INFRASTRUCTURE)] },
  DevOps: { metrics: [acr({ silver: 4_000, gold: 20_000 }, DEVOPS_SERVICES), azureCustomers({ silver: 3, gold: 5 }, DEVOPS_SERVICES)] },
  // Business applications: Dynamics 365 usage and customers.
  CloudBusinessApplications: { metrics: [activeUsers({ silver: 50, gold: 250 }, DYNAMICS), licensedCustomers({ silver: 3, gold: 10 }, DYNAMICS)] },
  EnterpriseResourcePlanning: {
    metrics: [activeUsers({ silver: 25, gold: 100 }, ['Dynamics 365 Finance and Operations']), licensedCustomers({ silver: 2, gold: 5 }, ['Dynamics 365 Finance and Operations'])],
  },
  ProjectAndPortfolioManagement: {
    metrics: [],
    note: 'Its performance requirement (Project seats) has no product family in the warehouse\'s catalog: no metric can be measured',
  },
  // Data and AI.
  DataAnalytics: { metrics: [activeUsers({ silver: 100, gold: 500 }, ['Power BI']), licensedCustomers({ silver: 3, gold: 10 }, ['Power BI'])] },
  DataPlatform: { metrics: [acr({ silver: 4_000, gold: 20_000 }, DATA_SERVICES), azureCustomers({ silver: 3, gold: 5 }, DATA_SERVICES)] },
  // Modern workplace. Published: Cloud Productivity "2,000 and 4,000 active entitlements"; Small and
  // Midmarket Cloud Solutions "40 seats and four new customers in the last year" (Gold: 250 seats, 25 customers).
  CloudProductivity: { metrics: [activeUsers({ silver: 2_000, gold: 4_000 }, OFFICE), licensedCustomers({ silver: 5, gold: 20 }, OFFICE)] },
  CollaborationAndContent: { metrics: [workloadActiveUsers({ silver: 500, gold: 2_500 }, 'SharePoint')] },
  Communications: { metrics: [workloadActiveUsers({ silver: 500, gold: 2_500 }, 'Teams')] },
  EnterpriseMobilityManagement: { metrics: [activeUsers({ silver: 500, gold: 2_500 }, EMS), licensedCustomers({ silver: 3, gold: 10 }, EMS)] },
  Messaging: { metrics: [workloadActiveUsers({ silver: 500, gold: 2_500 }, 'Exchange')] },
  Security: { metrics: [activeUsers({ silver: 500, gold: 2_500 }, [...EMS, 'Microsoft 365'])] },
  SmallAndMidmarketCloudSolutions: { metrics: [seatsSold({ silver: 40, gold: 250 }, OFFICE), newCustomers({ silver: 4, gold: 25 }, OFFICE)] },
  WindowsAndDevices: { metrics: [licensesDeployed({ silver: 500, gold: 2_500 }, ['Microsoft 365'])] },
};

export const CBA_ACTIVE_NOTE =
  'Cloud Business Applications (CBA) competencies are not supported in the metric analysis for the Active competency status (reference line 16727)';
