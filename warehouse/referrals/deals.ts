import type { Caller } from '../../core/caller';
import { inCallerLocations, scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import { isoTimestamp } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';
import { boundedText } from '../../core/bounds';

/** A deal registration (reference lines 9049-9103): the fields of the New deal page. */
export interface DealRegistrationRow {
  id: string;
  referralId: string | null;
  companyName: string;
  country: string;
  city: string | null;
  stateProvince: string | null;
  solution: string;
  contractType: string;
  totalContractValueAmount: string;
  solutionValueAmount: string | null;
  currency: string;
  deployedOn: string | null;
  deploymentTenant: string | null;
  contractStartDate: string;
  contractEndDate: string | null;
  contractSignedDate: string | null;
  contactFirstName: string | null;
  contactLastName: string | null;
  contactPhone: string | null;
  contactEmail: string | null;
  status: string;
  registeredAt: string | null;
}

export const DEAL_COLUMNS = sql`d.registration_id AS id, d.referral_id AS "referralId", d.company_name AS "companyName",
  d.country, d.city, d.state_province AS "stateProvince", d.solution, d.contract_type AS "contractType",
  d.total_contract_value AS "totalContractValueAmount", d.solution_value AS "solutionValueAmount", d.currency,
  d.deployed_on AS "deployedOn", d.deployment_tenant AS "deploymentTenant",
  d.contract_start_date AS "contractStartDate", d.contract_end_date AS "contractEndDate",
  d.contract_signed_date AS "contractSignedDate",
  d.contact_first_name AS "contactFirstName", d.contact_last_name AS "contactLastName",
  d.contact_phone AS "contactPhone", d.contact_email AS "contactEmail", d.status,
  ${sql.raw(isoTimestamp('d.registered_at'))} AS "registeredAt"`;

/**
 * Deal registrations have no location column. One that came from a referral belongs to that
 * referral's location; one registered without a referral belongs to the whole organization. So a
 * location-scoped caller sees only the registrations of referrals of their locations.
 */
export function dealScope(caller: Caller): Sql {
  return sql`${scope(caller, 'd', null)} AND ${inCallerLocations(
    caller,
    (mpnIds) => sql`EXISTS (SELECT 1 FROM referrals x WHERE x.partner_id = d.partner_id
      AND x.referral_id = d.referral_id AND x.mpn_id IN ${mpnIds})`,
  )}`;
}

export interface DealFilterValues {
  status?: readonly string[] | null;
  referralId?: string | null;
  solution?: string | null;
  /** Company name contains this (case-insensitive), or the registration id equals it. */
  search?: string | null;
}

/**
 * The deal registration list (for paginate): not yet registered (Action required: Incomplete) first,
 * then newest registered first.
 */
export function dealListQuery(caller: Caller, filter: DealFilterValues = {}): { select: Sql; from: Sql; orderBy: Sql } {
  const search = boundedText(filter.search?.trim() ?? '', 'searchText', 'filter.search').toLowerCase();
  const where = sql.and([
    dealScope(caller),
    filter.status?.length ? sql`d.status IN ${sql.list([...filter.status])}` : null,
    filter.referralId ? sql`d.referral_id = ${filter.referralId}` : null,
    filter.solution ? sql`d.solution = ${filter.solution}` : null,
    search ? sql`contains(lower(d.company_name), ${search}) OR lower(d.registration_id) = ${search}` : null,
  ]);
  return {
    select: DEAL_COLUMNS,
    from: sql`deal_registrations d WHERE ${where}`,
    orderBy: sql`d.registered_at DESC NULLS FIRST, d.registration_id`,
  };
}

export function dealsByIds(db: SqlRunner, caller: Caller, ids: readonly string[]): Promise<DealRegistrationRow[]> {
  return query<DealRegistrationRow & Record<string, unknown>>(
    db,
    sql`SELECT ${DEAL_COLUMNS} FROM deal_registrations d WHERE ${dealScope(caller)} AND d.registration_id IN ${sql.list(ids)}`,
  );
}

/** Registrations of many referrals in one statement, newest (or not yet registered) first. */
export function dealsByReferralIds(db: SqlRunner, caller: Caller, referralIds: readonly string[]): Promise<DealRegistrationRow[]> {
  return query<DealRegistrationRow & Record<string, unknown>>(
    db,
    sql`SELECT ${DEAL_COLUMNS} FROM deal_registrations d
        WHERE ${dealScope(caller)} AND d.referral_id IN ${sql.list(referralIds)}
        ORDER BY d.registered_at DESC NULLS FIRST, d.registration_id`,
  );
}
