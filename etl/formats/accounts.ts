import { ATTRIBUTION_TYPES, CUSTOMER_SEGMENTS, MARKETS, PARTNER_TYPES } from '../../core/vocabulary';
import type { FileFormat } from './types';

/** The partner global account (PGA). Partner Center shows it in the legal and MPN profiles. */
export const partnerProfileFormat: FileFormat = {
  name: 'partner-profile',
  table: 'partners',
  description: 'Partner global account: tenant id, legal name, global MPN ID and CSP model',
  source: 'defined here from "Two levels of accounts: partner global account (PGA) and locations"',
  dateStyle: 'iso',
  replaceBy: ['partner_id'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'PartnerName', column: 'name', required: true, notEmpty: true },
    { header: 'GlobalMpnId', column: 'global_mpn_id', required: true, notEmpty: true },
    { header: 'PartnerType', column: 'partner_type', required: true, notEmpty: true, allowed: PARTNER_TYPES },
    { header: 'Country', column: 'country' },
  ],
};

/** Partner location accounts (PLA), one MPN ID each. */
export const locationFormat: FileFormat = {
  name: 'locations',
  table: 'locations',
  description: 'Partner locations (one MPN ID each) with country and developed/developing market',
  source: 'defined here from "Partner account locations"',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'mpn_id'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'MpnId', column: 'mpn_id', required: true, notEmpty: true },
    { header: 'LocationName', column: 'name', required: true },
    { header: 'Country', column: 'country', required: true, notEmpty: true },
    { header: 'Market', column: 'market', required: true, notEmpty: true, allowed: MARKETS },
    { header: 'IsHeadquarters', column: 'is_headquarters' },
  ],
};

/** Partner users and their roles; Roles and LocationMpnIds are lists separated by "|". */
export const userFormat: FileFormat = {
  name: 'users',
  table: 'users',
  description: 'Partner users with their roles, for location-scoped roles their location MPN IDs, and whether they registered for multi-factor authentication',
  source: 'defined here from "Assign users roles and permissions"',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'user_id'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'UserId', column: 'user_id', required: true, notEmpty: true },
    { header: 'Email', column: 'email', required: true, notEmpty: true },
    { header: 'DisplayName', column: 'display_name' },
    { header: 'Roles', column: 'roles', required: true, notEmpty: true },
    { header: 'LocationMpnIds', column: 'location_mpn_ids' },
    // Partner security requirements (18484): whether the user registered for MFA, as Microsoft
    // Graph's userRegistrationDetails (isMfaRegistered) reports it; optional.
    { header: 'MfaRegistered', column: 'mfa_registered' },
  ],
};

/**
 * Customer list export ("Manage your customer list": Microsoft ID, Company name, Primary domain
 * name, Relationship) with the columns the product needs beside them.
 */
export const customerFormat: FileFormat = {
  name: 'customers',
  table: 'customers',
  description: 'Customer list export (Microsoft ID, company name, primary domain, relationship) with country, segment, location and reseller',
  source: 'Partner Center documentation: "Manage your customer list"; Country, Segment, MpnId, ResellerMpnId, CreatedDate added here',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'customer_id'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'Microsoft ID', aliases: ['CustomerId', 'TenantId'], column: 'customer_id', required: true, notEmpty: true },
    { header: 'Company name', aliases: ['CustomerName'], column: 'company_name', required: true, notEmpty: true },
    { header: 'Primary domain name', aliases: ['DomainName'], column: 'domain', required: true },
    { header: 'Relationship', column: 'relationship', required: true },
    { header: 'Country', column: 'country', required: true, notEmpty: true },
    { header: 'Segment', column: 'segment', required: true, notEmpty: true, allowed: CUSTOMER_SEGMENTS },
    { header: 'MpnId', column: 'mpn_id', required: true, notEmpty: true },
    { header: 'ResellerMpnId', column: 'reseller_mpn_id' },
    { header: 'CreatedDate', column: 'created_date' },
  ],
};

/** Indirect resellers of an indirect provider ("Indirect resellers"). */
export const resellerFormat: FileFormat = {
  name: 'resellers',
  table: 'resellers',
  description: 'Indirect resellers of an indirect provider, with MPN ID and status',
  source: 'defined here from "Indirect resellers"',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'reseller_mpn_id'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'ResellerMpnId', column: 'reseller_mpn_id', required: true, notEmpty: true },
    { header: 'ResellerName', column: 'name', required: true, notEmpty: true },
    { header: 'Country', column: 'country' },
    { header: 'Status', column: 'status', allowed: ['Active', 'Suspended', 'Terminated'] },
    { header: 'RelationshipStartDate', column: 'relationship_start_date' },
  ],
};

/** Which partner is credited for a customer's workload: CSP, DPOR, DAP, PAL or CPOR. */
export const attributionFormat: FileFormat = {
  name: 'attributions',
  table: 'attributions',
  description: 'Customer-to-partner associations (CSP, DPOR, DAP, PAL, CPOR) per workload and period',
  source: 'defined here from "Customer association, claiming partner of record" and the PCI association rules',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'customer_id', 'attribution_type', 'workload', 'start_date'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'CustomerId', column: 'customer_id', required: true, notEmpty: true },
    { header: 'AttributionType', column: 'attribution_type', required: true, notEmpty: true, allowed: ATTRIBUTION_TYPES },
    { header: 'MpnId', column: 'mpn_id', required: true, notEmpty: true },
    { header: 'Workload', column: 'workload', required: true },
    { header: 'SubscriptionId', column: 'subscription_id' },
    { header: 'Incentive', column: 'incentive', allowed: ['OSA', 'OSU'] },
    { header: 'StartDate', column: 'start_date', required: true, notEmpty: true },
    { header: 'EndDate', column: 'end_date' },
  ],
};

/** Customer activity log export: Date-Time, Affected customer, Action, Partner user. */
export const customerActivityFormat: FileFormat = {
  name: 'customer-activity',
  table: 'customer_activity',
  description: 'Customer activity log export (date-time, affected customer, action, partner user)',
  source: 'Partner Center documentation: "View or export customer activity logs"; PartnerId and CustomerId added here',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'occurred_at', 'customer_id', 'action'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'Date-Time', aliases: ['DateTime'], column: 'occurred_at', required: true, notEmpty: true },
    { header: 'CustomerId', column: 'customer_id', required: true, notEmpty: true },
    { header: 'Affected customer', column: 'customer_name' },
    { header: 'Action', column: 'action', required: true, notEmpty: true },
    { header: 'Partner user', column: 'partner_user' },
  ],
};

/**
 * The customer list exactly as Partner Center exports it (Customers > Export customers, reference
 * line 11455): four columns and nothing else. The partner is the one the file is loaded for
 * (`--partner`, else the warehouse's only partner). Country, segment and location MPN ID are not in
 * the file: they are filled from the reconciliation lines of the customer (CustomerCountry,
 * CustomerDomainName, MpnId) when the warehouse has them, and are otherwise unknown (NULL). A
 * customer already known keeps what the export does not carry (keepKnown); a `customers` file
 * (the product's own format) or reconciliation data loaded later fills what is unknown.
 * Relationship is kept as written: the documentation shows "Cloud Reseller" (reference lines 5266,
 * 5990); the product has no vocabulary of its own for it.
 */
export const customerListFormat: FileFormat = {
  name: 'customer-list',
  table: 'customers',
  description: 'Customer list as Partner Center exports it: Microsoft ID, company name, primary domain name, relationship',
  source:
    'Partner Center documentation: "Manage your customer list" (Export customers, four columns); the partner is the --partner option ' +
    '(else the warehouse\'s only partner); country, domain and location MPN ID are filled from reconciliation lines when known, else NULL; ' +
    'segment is NULL; Relationship as written ("Cloud Reseller")',
  dateStyle: 'iso',
  loadsAs: 'customers',
  partnerFromContext: true,
  keepKnown: true,
  replaceBy: ['partner_id', 'customer_id'],
  columns: [
    { header: 'Microsoft ID', column: 'customer_id', required: true, notEmpty: true },
    { header: 'Company name', column: 'company_name', required: true, notEmpty: true },
    { header: 'Primary domain name', column: 'domain', required: true },
    { header: 'Relationship', column: 'relationship', required: true },
  ],
};
