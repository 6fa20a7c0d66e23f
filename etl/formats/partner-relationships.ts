import { OTHER_PARTNER_RELATIONSHIP_TYPES, PRODUCT_FAMILIES } from '../../core/vocabulary';
import type { FileFormat } from './types';

/**
 * The partner's customers that also work with other partners (multi-partner support, reference
 * lines 18013-18045): one row per customer and other partner relationship. Partner Center documents
 * no file or API for it: a partner does not see a customer's other partners (only the customer does,
 * on its Partner relationships page, reference line 11398), so the partner records what it learns:
 * the kind of relationship, the workload the other partner serves ("one partner for their expertise
 * in Office 365, ... a different partner who specializes in Microsoft Azure", line 18028), whether
 * that partner holds delegated admin privileges, and its name and MPN ID only when known (empty: not
 * disclosed). A snapshot: a newer file replaces the partner's earlier rows.
 */
export const customerPartnerRelationshipFormat: FileFormat = {
  name: 'customer-partner-relationships',
  table: 'customer_partner_relationships',
  description:
    "Customers' relationships with other partners (multi-partner): relationship type, workload, delegated admin, and the other partner's name and MPN ID when known",
  source:
    'defined here from "Multi-partner support for customers who want to work with more than one partner" and the customer\'s Partner relationships page; ' +
    'OtherPartnerName and OtherPartnerMpnId empty when the other partner is not disclosed (Partner Center shows a partner no other partner)',
  dateStyle: 'iso',
  replaceBy: ['partner_id'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'CustomerId', aliases: ['Microsoft ID', 'TenantId'], column: 'customer_id', required: true, notEmpty: true },
    { header: 'RelationshipType', column: 'relationship_type', required: true, notEmpty: true, allowed: OTHER_PARTNER_RELATIONSHIP_TYPES },
    { header: 'Workload', column: 'workload', allowed: PRODUCT_FAMILIES },
    { header: 'DelegatedAdmin', column: 'delegated_admin' },
    { header: 'OtherPartnerName', column: 'other_partner_name', maxLength: 256 },
    { header: 'OtherPartnerMpnId', column: 'other_partner_mpn_id' },
    { header: 'Since', column: 'since' },
  ],
};
