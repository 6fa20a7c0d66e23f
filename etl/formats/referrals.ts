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
    { header: 'PartnerId', column: 'partner_id', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'ReferralId', column: 'referral_id', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'MpnId', column: 'mpn_id', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'EngagementName', column: 'engagement_name', type: 'VARCHAR' },
    { header: 'Direction', column: 'direction', type: 'VARCHAR', required: true, notEmpty: true, allowed: REFERRAL_DIRECTIONS },
    { header: 'Source', column: 'source', type: 'VARCHAR', required: true, notEmpty: true, allowed: REFERRAL_SOURCES },
    { header: 'Type', column: 'referral_type', type: 'VARCHAR', required: true, notEmpty: true, allowed: REFERRAL_TYPES },
    { header: 'Solution', column: 'solution', type: 'VARCHAR', required: true },
    { header: 'CustomerId', column: 'customer_id', type: 'VARCHAR' },
    { header: 'CustomerName', column: 'customer_name', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'CustomerCountry', column: 'customer_country', type: 'VARCHAR', required: true },
    { header: 'Status', column: 'status', type: 'VARCHAR', required: true, notEmpty: true, allowed: REFERRAL_STATUSES },
    { header: 'DealValue', column: 'deal_value', type: 'MONEY' },
    { header: 'Currency', column: 'currency', type: 'VARCHAR' },
    { header: 'DealValueUsd', column: 'deal_value_usd', type: 'MONEY' },
    { header: 'PurchaseTimeFrame', column: 'purchase_time_frame', type: 'VARCHAR' },
    { header: 'CrmId', column: 'crm_id', type: 'VARCHAR' },
    { header: 'Notes', column: 'notes', type: 'VARCHAR' },
    { header: 'DeclineReason', column: 'decline_reason', type: 'VARCHAR' },
    { header: 'CreatedDateTime', column: 'created_at', type: 'TIMESTAMP', required: true, notEmpty: true },
    { header: 'AcceptedDateTime', column: 'accepted_at', type: 'TIMESTAMP' },
    { header: 'DeclinedDateTime', column: 'declined_at', type: 'TIMESTAMP' },
    { header: 'WonDateTime', column: 'won_at', type: 'TIMESTAMP' },
    { header: 'LostDateTime', column: 'lost_at', type: 'TIMESTAMP' },
    { header: 'ExpiredDateTime', column: 'expired_at', type: 'TIMESTAMP' },
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
    { header: 'PartnerId', column: 'partner_id', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'ReferralId', column: 'referral_id', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'Side', column: 'side', type: 'VARCHAR', required: true, notEmpty: true, allowed: ['Customer', 'Partner'] },
    { header: 'FirstName', column: 'first_name', type: 'VARCHAR', required: true },
    { header: 'LastName', column: 'last_name', type: 'VARCHAR', required: true },
    { header: 'Email', column: 'email', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'Phone', column: 'phone', type: 'VARCHAR' },
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
    { header: 'PartnerId', column: 'partner_id', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'RegistrationId', column: 'registration_id', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'ReferralId', column: 'referral_id', type: 'VARCHAR' },
    { header: 'CompanyName', column: 'company_name', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'Country', column: 'country', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'City', column: 'city', type: 'VARCHAR' },
    { header: 'StateProvince', column: 'state_province', type: 'VARCHAR' },
    { header: 'Solution', column: 'solution', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'ContractType', column: 'contract_type', type: 'VARCHAR', required: true, notEmpty: true, allowed: ['New', 'Renewal'] },
    { header: 'TotalContractValue', column: 'total_contract_value', type: 'MONEY', required: true, notEmpty: true },
    { header: 'SolutionValue', column: 'solution_value', type: 'MONEY' },
    { header: 'Currency', column: 'currency', type: 'VARCHAR', required: true, notEmpty: true },
    { header: 'DeployedOn', column: 'deployed_on', type: 'VARCHAR', allowed: ['Azure', 'Other'] },
    { header: 'DeploymentTenant', column: 'deployment_tenant', type: 'VARCHAR', allowed: ['Customer tenant', 'Partner tenant'] },
    { header: 'ContractStartDate', column: 'contract_start_date', type: 'DATE', required: true, notEmpty: true },
    { header: 'ContractEndDate', column: 'contract_end_date', type: 'DATE' },
    { header: 'ContractSignedDate', column: 'contract_signed_date', type: 'DATE' },
    { header: 'ContactFirstName', column: 'contact_first_name', type: 'VARCHAR' },
    { header: 'ContactLastName', column: 'contact_last_name', type: 'VARCHAR' },
    { header: 'ContactPhone', column: 'contact_phone', type: 'VARCHAR' },
    { header: 'ContactEmail', column: 'contact_email', type: 'VARCHAR' },
    { header: 'Status', column: 'status', type: 'VARCHAR', required: true, notEmpty: true, allowed: DEAL_REGISTRATION_STATUSES },
    { header: 'RegisteredDateTime', column: 'registered_at', type: 'TIMESTAMP' },
  ],
};
