/**
 * Migration 13: the business profile's daily performance in the "Find a solution provider" directory
 * (format `business-profile-metrics`, etl/formats/business-profile.ts; Business profile insights,
 * reference line 9174; SQL in warehouse/referrals/business-profile.ts).
 *
 * One row per day, profile location (MPN ID) and the search term that surfaced the profile:
 * search_results (times it appeared in the results), page_views (profile views that followed),
 * contact_clicks (customers who selected the profile to contact the partner).
 */
export const up = `
CREATE TABLE business_profile_metrics (
  partner_id VARCHAR NOT NULL,
  mpn_id VARCHAR NOT NULL,
  metric_date DATE NOT NULL,
  search_term VARCHAR NOT NULL,
  search_results INTEGER NOT NULL,
  page_views INTEGER NOT NULL,
  contact_clicks INTEGER NOT NULL,
  load_id BIGINT
);
`;
