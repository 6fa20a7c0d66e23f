/**
 * What each root field of the API costs, as data: the SQL it runs, in the cost units of
 * gateway/limits.ts (one unit is one field value returned). The gateway adds a root field's cost to
 * the cost of its selections once per response key: an alias runs the field again, so it costs
 * again. An operation is refused (QUERY_TOO_COSTLY) over PI_MAX_COST or with more than
 * COST_CAPS.maxExpensiveFields fields costing COST_CAPS.expensiveFrom or more. Every root field of
 * the composed schema (and the subgraphs' `_entities`, `_service`) has an entry; a test checks it.
 */
export interface RootFieldCost {
  cost: number;
  why: string;
}

/** The tiers the entries use; expensive fields name their own cost. */
const STATIC = 1;
const LOOKUP = 10;
const PAGE = 50;
const WRITE = 200;
/** An Insights report page: the data months, then every KPI and breakdown in one statement over the cubes. */
const REPORT_PAGE = 2_000;

export const COST_CAPS = {
  /** A root field costing this much or more is expensive: it aggregates the partner's history. */
  expensiveFrom: 1_000,
  /** At most this many expensive root fields an operation: the five report pages fit, a sixth does not. */
  maxExpensiveFields: 5,
};

/** A root field without an entry (a test fails until it gets one) costs a page. */
export const DEFAULT_ROOT_FIELD_COST = PAGE;

export const ROOT_FIELD_COSTS: Record<string, RootFieldCost> = {
  'Query.reportTypes': { cost: STATIC, why: 'the dataset definitions, in memory: no SQL' },
  'Query.metricDefinitions': { cost: STATIC, why: 'the metric definitions, in memory: no SQL' },
  'Query._service': { cost: STATIC, why: 'the subgraph SDL (federation), in memory: no SQL' },

  'Query.partner': { cost: LOOKUP, why: 'one row by the caller’s partner id' },
  'Query.locations': { cost: LOOKUP, why: 'one statement over the partner’s few locations' },
  'Query.location': { cost: LOOKUP, why: 'one row by key, batched per request (DataLoader)' },
  'Query.customer': { cost: LOOKUP, why: 'one row by key, batched per request (DataLoader)' },
  'Query.reseller': { cost: LOOKUP, why: 'one row by key, batched per request (DataLoader)' },
  'Query.subscription': { cost: LOOKUP, why: 'one row by key, batched per request (DataLoader)' },
  'Query.product': { cost: LOOKUP, why: 'one row by key, batched per request (DataLoader)' },
  'Query.referral': { cost: LOOKUP, why: 'one row by key, batched per request (DataLoader)' },
  'Query.dealRegistration': { cost: LOOKUP, why: 'one row by key' },
  'Query.invoice': { cost: LOOKUP, why: 'one row by invoice number, batched per request (DataLoader)' },
  'Query.generatedReport': { cost: LOOKUP, why: 'one row by key' },
  'Query.load': { cost: LOOKUP, why: 'one job by key with its files' },
  'Query.sync': { cost: LOOKUP, why: 'one sync by key with its units' },
  'Query.node': { cost: LOOKUP, why: 'one lookup statement over the entity tables by id, then the type’s own lookup by key (_entities)' },
  'Query.nodes': { cost: PAGE, why: 'up to 100 ids: one lookup statement over the entity tables, then one keyed statement per type found (_entities)' },
  'Query._entities': { cost: LOOKUP, why: 'entity references: one keyed statement per type, batched (DataLoader); selections count per representation' },

  'Query.customers': { cost: PAGE, why: 'a connection page: one statement with its count over the partner’s filtered rows' },
  'Query.resellers': { cost: PAGE, why: 'a connection page: one statement with its count over the partner’s filtered rows' },
  'Query.subscriptions': { cost: PAGE, why: 'a connection page: one statement with its count over the partner’s filtered rows' },
  'Query.products': { cost: PAGE, why: 'a connection page: one statement with its count over the price list' },
  'Query.referrals': { cost: PAGE, why: 'a connection page: one statement with its count over the partner’s filtered rows' },
  'Query.dealRegistrations': { cost: PAGE, why: 'a connection page: one statement with its count over the partner’s filtered rows' },
  'Query.invoices': { cost: PAGE, why: 'a connection page: one statement with its count over the partner’s invoices' },
  'Query.generatedReports': { cost: PAGE, why: 'a connection page: one statement with its count' },
  'Query.apiKeys': { cost: PAGE, why: 'a connection page: one statement with its count' },
  'Query.loads': { cost: PAGE, why: 'a connection page: one statement with its count' },
  'Query.syncs': { cost: PAGE, why: 'a connection page: one statement with its count' },

  'Query.overviewReport': { cost: REPORT_PAGE, why: 'a report page: 2 statements aggregating the cubes over every month and dimension of the range' },
  'Query.customersReport': { cost: REPORT_PAGE, why: 'a report page: 2 statements aggregating the cubes over every month and dimension of the range' },
  'Query.subscriptionsReport': { cost: REPORT_PAGE, why: 'a report page: 2 statements aggregating the cubes over every month and dimension of the range' },
  'Query.licensesReport': { cost: REPORT_PAGE, why: 'a report page: 2 statements aggregating the cubes over every month and dimension of the range' },
  'Query.azureUsageReport': { cost: REPORT_PAGE, why: 'a report page: 2 statements aggregating the cubes, ACR by country and meter category month over month' },
  'Query.analyticsReport': { cost: 2_500, why: 'a report page (2 statements) and one statement per list selected, each ranking up to 1,000 rows' },
  // Below the expensive tier: a dashboard asks a dozen metrics at once (the executive tiles); a thousand aliases still exceed PI_MAX_COST.
  'Query.metric': { cost: 500, why: '2 statements over the cubes: the data months, then the total and its split' },
  'Query.referralInsights': { cost: 1_500, why: '3 statements over the partner’s referrals: KPI series and every section grouped' },
  'Query.trainingsReport': { cost: 1_000, why: '2 statements over the partner’s credentials (the months, then the six KPIs by month), 1 more for the individuals' },
  'Query.businessProfileInsights': { cost: 1_000, why: '2 statements over the profile’s daily rows of the range (by day and by search term) and the referrals from the profile' },
  'Query.competenciesReport': { cost: 500, why: 'one statement over the partner’s few competency rows, one more for the history (at most 1,000 rows); metricAnalysis 3 more (the data months, the competencies, then the period values over the usage rollup, license telemetry, monthly active users and license events)' },
  'Query.benefitsReport': { cost: 200, why: 'one statement over the partner’s benefit rows of at most 60 months (a dozen benefits a month)' },
  'Query.partnerContributionIndicators': { cost: 4_000, why: '4 statements over 24 months of PCI rollups, then 12 months × 2 paths scored in JS' },
  'Query.reconciliation': { cost: 4_000, why: '5 statements, then every subscription’s whole history replayed through the billing rules in JS' },

  'Query.multiPartnerSummary': { cost: 200, why: '2 statements over the partner’s filtered customers and their few other-partner rows (totals, then by type and by workload)' },
  'Query.relationshipRequests': { cost: PAGE, why: 'a connection page: one statement with its count over the partner’s requests, each status read from its customer' },
  'Mutation.requestResellerRelationship': { cost: WRITE, why: 'one transaction: the partner, the customer, the reseller and the user looked up by key, one insert' },
  'Query.budgetAlerts': { cost: PAGE, why: 'one statement over the month’s alert rows (at most two per customer), joined to the customers' },
  'Mutation.setCustomerBudget': { cost: WRITE, why: 'one transaction (the customer, its billing currency, a history row), then one alert check over the customer’s budget months' },
  'Mutation.removeCustomerBudget': { cost: WRITE, why: 'one transaction: the customer, its budget, a history row' },
  'Mutation.createSubscription': { cost: WRITE, why: 'one transaction: the subscription, its event and its expected charge lines' },
  'Mutation.changeSubscriptionQuantity': { cost: WRITE, why: 'one transaction: an event and the expected charge lines recomputed' },
  'Mutation.suspendSubscription': { cost: WRITE, why: 'one transaction: an event and the expected charge lines recomputed' },
  'Mutation.reactivateSubscription': { cost: WRITE, why: 'one transaction: an event and the expected charge lines recomputed' },
  'Mutation.cancelSubscription': { cost: WRITE, why: 'one transaction: an event and the expected charge lines recomputed' },
  'Mutation.setSubscriptionAutoRenew': { cost: WRITE, why: 'one transaction: an event and the expected charge lines recomputed' },
  'Mutation.setSubscriptionResellerMpnId': { cost: WRITE, why: 'one transaction: an event and the expected charge lines recomputed' },
  'Mutation.acceptReferral': { cost: WRITE, why: 'one transaction on one referral, its deal value converted with fx_rates' },
  'Mutation.declineReferral': { cost: WRITE, why: 'one transaction on one referral' },
  'Mutation.markReferralWon': { cost: WRITE, why: 'one transaction on one referral' },
  'Mutation.markReferralLost': { cost: WRITE, why: 'one transaction on one referral' },
  'Mutation.editReferral': { cost: WRITE, why: 'one transaction on one referral, its deal value converted with fx_rates' },
  'Mutation.addReferralContact': { cost: WRITE, why: 'one transaction on one referral' },
  'Mutation.registerDeal': { cost: WRITE, why: 'one transaction: the deal registration, its values converted with fx_rates' },
  'Mutation.createApiKey': { cost: WRITE, why: 'one insert (and a hash of the secret)' },
  'Mutation.revokeApiKey': { cost: WRITE, why: 'one update of one key' },
  'Mutation.startSync': { cost: WRITE, why: 'at most one sync runs a partner: a second request returns the running one' },
  'Mutation.generateReport': { cost: REPORT_PAGE, why: 'queues a background job that runs the whole report (up to its lifetime) and writes a file' },
};

/** The cost of `Type.field` (a root field), and whether it counts toward COST_CAPS.maxExpensiveFields. */
export function rootFieldCost(typeName: string, fieldName: string): { cost: number; expensive: boolean } {
  const cost = ROOT_FIELD_COSTS[`${typeName}.${fieldName}`]?.cost ?? DEFAULT_ROOT_FIELD_COST;
  return { cost, expensive: cost >= COST_CAPS.expensiveFrom };
}
