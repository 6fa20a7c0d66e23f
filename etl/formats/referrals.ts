import { DEAL_REGISTRATION_STATUSES, REFERRAL_DIRECTIONS, REFERRAL_SOURCES, REFERRAL_STATUSES, REFERRAL_TYPES } from '../../core/vocabulary';
import type { FileFormat } from './types';

/**
 * Referrals as the Partner Center referrals export lists them, one row per referral, with the
 * timestamp of each stage it reached.
 */
export const referralFormat: FileFormat = {
  name: 'referrals',
  table: 'referrals',
  description: 'Referrals with direction, source, type, solution, status, deal value and the timestamp of each stage',
  source: 'defined here from "Respond to referrals" and "Get referral insights"',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'referral_id'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'ReferralId', column: 'referral_id', required: true, notEmpty: true },
    { header: 'MpnId', column: 'mpn_id', required: true, notEmpty: true },
    { header: 'EngagementName', column: 'engagement_name' },
    { header: 'Direction', column: 'direction', required: true, notEmpty: true, allowed: REFERRAL_DIRECTIONS },
    { header: 'Source', column: 'source', required: true, notEmpty: true, allowed: REFERRAL_SOURCES },
    { header: 'Type', column: 'referral_type', required: true, notEmpty: true, allowed: REFERRAL_TYPES },
    { header: 'Solution', column: 'solution', required: true },
    { header: 'CustomerId', column: 'customer_id' },
    { header: 'CustomerName', column: 'customer_name', required: true, notEmpty: true },
    { header: 'CustomerCountry', column: 'customer_country', required: true },
    { header: 'Status', column: 'status', required: true, notEmpty: true, allowed: REFERRAL_STATUSES },
    { header: 'DealValue', column: 'deal_value' },
    { header: 'Currency', column: 'currency' },
    { header: 'DealValueUsd', column: 'deal_value_usd' },
    { header: 'PurchaseTimeFrame', column: 'purchase_time_frame' },
    { header: 'CrmId', column: 'crm_id' },
    { header: 'Notes', column: 'notes' },
    { header: 'DeclineReason', column: 'decline_reason' },
    { header: 'CreatedDateTime', column: 'created_at', required: true, notEmpty: true },
    { header: 'AcceptedDateTime', column: 'accepted_at' },
    { header: 'DeclinedDateTime', column: 'declined_at' },
    { header: 'WonDateTime', column: 'won_at' },
    { header: 'LostDateTime', column: 'lost_at' },
    { header: 'ExpiredDateTime', column: 'expired_at' },
  ],
};

export const referralContactFormat: FileFormat = {
  name: 'referral-contacts',
  table: 'referral_contacts',
  description: 'Contacts on a referral (customer contacts and the partner people working the engagement)',
  source: 'defined here from "Respond to referrals" (Add contact: name, phone number, email)',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'referral_id', 'email'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'ReferralId', column: 'referral_id', required: true, notEmpty: true },
    { header: 'Side', column: 'side', required: true, notEmpty: true, allowed: ['Customer', 'Partner'] },
    { header: 'FirstName', column: 'first_name', required: true },
    { header: 'LastName', column: 'last_name', required: true },
    { header: 'Email', column: 'email', required: true, notEmpty: true },
    { header: 'Phone', column: 'phone' },
  ],
};

/** Deal registrations (reference line 9049): the fields of the New deal page. */
export const dealRegistrationFormat: FileFormat = {
  name: 'deal-registrations',
  table: 'deal_registrations',
  description: 'Deal registrations with customer, solution, contract type and values, deployment and contract dates',
  source: 'defined here from "Register deals you\'ve won in Partner Center"',
  dateStyle: 'iso',
  replaceBy: ['partner_id', 'registration_id'],
  columns: [
    { header: 'PartnerId', column: 'partner_id', required: true, notEmpty: true },
    { header: 'RegistrationId', column: 'registration_id', required: true, notEmpty: true },
    { header: 'ReferralId', column: 'referral_id' },
    { header: 'CompanyName', column: 'company_name', required: true, notEmpty: true },
    { header: 'Country', column: 'country', required: true, notEmpty: true },
    { header: 'City', column: 'city' },
    { header: 'StateProvince', column: 'state_province' },
    { header: 'Solution', column: 'solution', required: true, notEmpty: true },
    { header: 'ContractType', column: 'contract_type', required: true, notEmpty: true, allowed: ['New', 'Renewal'] },
    { header: 'TotalContractValue', column: 'total_contract_value', required: true, notEmpty: true },
    { header: 'SolutionValue', column: 'solution_value' },
    { header: 'Currency', column: 'currency', required: true, notEmpty: true },
    { header: 'DeployedOn', column: 'deployed_on', allowed: ['Azure', 'Other'] },
    { header: 'DeploymentTenant', column: 'deployment_tenant', allowed: ['Customer tenant', 'Partner tenant'] },
    { header: 'ContractStartDate', column: 'contract_start_date', required: true, notEmpty: true },
    { header: 'ContractEndDate', column: 'contract_end_date' },
    { header: 'ContractSignedDate', column: 'contract_signed_date' },
    { header: 'ContactFirstName', column: 'contact_first_name' },
    { header: 'ContactLastName', column: 'contact_last_name' },
    { header: 'ContactPhone', column: 'contact_phone' },
    { header: 'ContactEmail', column: 'contact_email' },
    { header: 'Status', column: 'status', required: true, notEmpty: true, allowed: DEAL_REGISTRATION_STATUSES },
    { header: 'RegisteredDateTime', column: 'registered_at' },
  ],
};
