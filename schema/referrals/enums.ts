import 'reflect-metadata';
import { registerEnumType } from 'type-graphql';

/**
 * Enums of the referrals subgraph. GraphQL names are the keys (NEW, CO_SELL, ...); the values are
 * the warehouse values exactly as etl/formats/referrals.ts allows them ("New", "Co-sell", ...).
 */

export enum ReferralStatus {
  NEW = 'New',
  ACTIVE = 'Active',
  WON = 'Won',
  LOST = 'Lost',
  DECLINED = 'Declined',
  EXPIRED = 'Expired',
}
registerEnumType(ReferralStatus, {
  name: 'ReferralStatus',
  description: 'New (inbox), Active (accepted), then archived as Won, Lost, Declined or Expired (not answered within 14 days)',
});

export enum ReferralDirection {
  INCOMING = 'Incoming',
  OUTGOING = 'Outgoing',
}
registerEnumType(ReferralDirection, { name: 'ReferralDirection', description: 'Incoming (received) or Outgoing (sent)' });

export enum ReferralSource {
  DIRECT = 'Direct',
  MARKETING_QUALIFIED = 'Marketing qualified',
  SALES_QUALIFIED = 'Sales qualified',
  UNQUALIFIED = 'Unqualified',
}
registerEnumType(ReferralSource, {
  name: 'ReferralSource',
  description: 'Direct (by a customer), Marketing qualified, Sales qualified (by a Microsoft sales agent), Unqualified',
});

export enum ReferralType {
  INDEPENDENT = 'Independent',
  CO_SELL = 'Co-sell',
}
registerEnumType(ReferralType, {
  name: 'ReferralType',
  description: 'Independent (the partner closes it with the customer) or Co-sell (with additional parties)',
});

export enum ReferralContactSide {
  CUSTOMER = 'Customer',
  PARTNER = 'Partner',
}
registerEnumType(ReferralContactSide, {
  name: 'ReferralContactSide',
  description: 'A customer contact, or a person of the partner’s company working on the engagement',
});

export enum DealRegistrationStatus {
  INCOMPLETE = 'Incomplete',
  UPDATE_REQUIRED = 'Update required',
  IN_PROGRESS = 'In progress',
  APPROVED = 'Approved',
  DECLINED = 'Declined',
}
registerEnumType(DealRegistrationStatus, {
  name: 'DealRegistrationStatus',
  description:
    'Action required: Incomplete (from a won referral, not registered yet) or Update required; In progress (Microsoft reviews it); Closed: Approved or Declined',
});

export enum DealContractType {
  NEW = 'New',
  RENEWAL = 'Renewal',
}
registerEnumType(DealContractType, { name: 'DealContractType', description: 'A new contract or the renewal of a previous one' });

export enum DealDeployedOn {
  AZURE = 'Azure',
  OTHER = 'Other',
}
registerEnumType(DealDeployedOn, { name: 'DealDeployedOn' });

export enum DealDeploymentTenant {
  CUSTOMER_TENANT = 'Customer tenant',
  PARTNER_TENANT = 'Partner tenant',
}
registerEnumType(DealDeploymentTenant, { name: 'DealDeploymentTenant', description: 'Where the solution will be deployed' });
