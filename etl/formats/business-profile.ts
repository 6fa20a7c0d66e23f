import type { FileFormat } from './types';

/**
 * Daily performance of the partner's business profile in the "Find a solution provider" directory,
 * one row per day, profile location and search term, for the Business profile insights page.
 * Partner Center shows these figures but documents no file or API for them, hence a format of ours.
 */
export const businessProfileMetricsFormat: FileFormat = {
  name: 'business-profile-metrics',
  table: 'business_profile_metrics',
  description:
    'Daily business profile performance per profile location and search term: times the profile appeared in search results, page views and contact clicks',
  source:
    'defined here from "Analyze your business profile" (Referrals > Business profile insights: search results, page views, contact clicks); referrals generated are read from the referrals, not from this file',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'mpn_id', 'metric_date'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'MpnId', column: 'mpn_id', required: true, notEmpty: true },
    { header: 'Date', column: 'metric_date', required: true, notEmpty: true },
    { header: 'SearchTerm', column: 'search_term', required: true, notEmpty: true },
    { header: 'SearchResults', column: 'search_results', required: true, notEmpty: true },
    { header: 'PageViews', column: 'page_views', required: true, notEmpty: true },
    { header: 'ContactClicks', column: 'contact_clicks', required: true, notEmpty: true },
  ],
};
