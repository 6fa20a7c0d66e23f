import { scope } from '../../../core/scope';
import { sql } from '../../../core/sql';
import { columns, type Dataset } from '../dataset';
import { filterConditions } from '../filters';

/**
 * Multi-partner customers (reference lines 18013-18045) as a download: one row per customer of the
 * caller's partner (and locations) and relationship with another partner, from the
 * customer-partner-relationships rows, read through the customer list like Customer.otherPartners.
 * A snapshot: no timeframe. Not one of Partner Center's "Download reports" (it has no such report):
 * an export of this product, for the roles that see the multi-partner data.
 */
export const customerPartnerRelationships: Dataset = {
  name: 'customer-partner-relationships',
  title: 'Multi-partner customers',
  description:
    'Every customer that also works with another partner, one row per relationship: relationship type, workload, delegated admin, and the other partner\'s name and MPN ID when known. A snapshot: no timeframe.',
  timeframe: { kind: 'none' },
  permissions: ['readPartnerRelationships'],
  contains: [],
  filters: { customerCountries: 'c.country', segments: 'c.segment', locationMpnIds: 'c.mpn_id' },
  columns: columns([
    ['CustomerId', 'VARCHAR', 'Microsoft ID of the customer tenant'],
    ['CustomerName', 'VARCHAR', 'Company name'],
    ['CustomerDomain', 'VARCHAR', 'Primary domain name'],
    ['CustomerCountry', 'VARCHAR', 'Customer country'],
    ['LocationMpnId', 'VARCHAR', 'Your location (MPN ID) the customer belongs to'],
    ['RelationshipType', 'VARCHAR', 'How the other partner works with the customer: Reseller, Indirect reseller, Indirect provider or Advisor'],
    ['Workload', 'VARCHAR', 'Product family the other partner serves; empty when not known'],
    ['OtherPartnerDelegatedAdmin', 'BOOLEAN', 'Whether the other partner holds delegated admin privileges; empty when not known'],
    ['OtherPartnerName', 'VARCHAR', 'The other partner\'s name; empty when not disclosed'],
    ['OtherPartnerMpnId', 'VARCHAR', 'The other partner\'s MPN ID; empty when not disclosed'],
    ['Since', 'DATE', 'When that relationship started, when known'],
  ]),
  reads: ['customers', 'customer_partner_relationships'],
  query: (ctx) => sql`
    SELECT c.customer_id AS CustomerId, c.company_name AS CustomerName, c.domain AS CustomerDomain, c.country AS CustomerCountry,
           c.mpn_id AS LocationMpnId, r.relationship_type AS RelationshipType, r.workload AS Workload,
           r.delegated_admin AS OtherPartnerDelegatedAdmin, r.other_partner_name AS OtherPartnerName,
           r.other_partner_mpn_id AS OtherPartnerMpnId, r.since AS Since
    FROM customer_partner_relationships r
    JOIN customers c ON c.partner_id = r.partner_id AND c.customer_id = r.customer_id
    WHERE ${scope(ctx.caller, 'r', null)} AND ${scope(ctx.caller, 'c', 'c.mpn_id')} AND ${filterConditions(ctx.filters, customerPartnerRelationships.filters)}
    ORDER BY lower(c.company_name), c.customer_id, r.relationship_type, r.workload NULLS LAST, r.other_partner_name NULLS LAST, r.since NULLS LAST`,
};
