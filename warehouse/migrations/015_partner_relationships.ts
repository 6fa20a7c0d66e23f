/**
 * Migration 15: multi-partner support (reference lines 18013-18045) and reseller relationship
 * requests (lines 6210-6240, 11366-11390). SQL in warehouse/accounts/partner-relationships.ts and
 * warehouse/accounts/relationship-requests.ts.
 *
 * customer_partner_relationships (format `customer-partner-relationships`,
 *   etl/formats/partner-relationships.ts): the partner's customers' relationships with other
 *   partners, one row per customer and relationship. relationship_type: Reseller, Indirect reseller,
 *   Indirect provider or Advisor (core/vocabulary.ts); workload: the product family the other partner
 *   serves, NULL when unknown; delegated_admin: whether that partner holds delegated admin privileges,
 *   NULL when unknown; other_partner_name, other_partner_mpn_id: NULL when not disclosed (Partner
 *   Center shows a partner no other partner); since: when that relationship started, when known.
 * relationship_requests: every reseller relationship request a user created ("Request a reseller
 *   relationship"): for a customer of the partner (customer_id, its location mpn_id) or for one not
 *   yet its customer (customer_domain, lower case; mpn_id NULL); the indirect reseller selected, if
 *   any; whether delegated admin privileges are included; the URL and email text as given to the
 *   user; who asked and when (UTC). Never updated: whether it was accepted is read from the data
 *   (a customer with that domain in the customer list; a DAP attribution from the request's day on).
 */
export const up = `
CREATE TABLE customer_partner_relationships (
  partner_id VARCHAR NOT NULL,
  customer_id VARCHAR,
  relationship_type VARCHAR,
  workload VARCHAR,
  delegated_admin BOOLEAN,
  other_partner_name VARCHAR,
  other_partner_mpn_id VARCHAR,
  since DATE,
  load_id BIGINT
);

CREATE TABLE relationship_requests (
  request_id VARCHAR PRIMARY KEY,
  partner_id VARCHAR NOT NULL,
  customer_id VARCHAR,
  customer_domain VARCHAR,
  mpn_id VARCHAR,
  reseller_mpn_id VARCHAR,
  delegated_admin BOOLEAN NOT NULL,
  url VARCHAR NOT NULL,
  email_text VARCHAR NOT NULL,
  requested_by VARCHAR,
  requested_at TIMESTAMP NOT NULL
);
`;
