import { randomUUID } from 'node:crypto';
import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import { boundedAmount, boundedList } from '../../core/bounds';
import { badUserInput, invalidState, notFound } from '../../core/errors';
import type { SqlRunner } from '../../core/sql';
import type { Warehouse } from '../db';
import { isoDay, sqlTimestamp } from '../clock';
import { warehouseEvents } from '../events';
import { dealScope, dealsByIds, dealsByReferralIds, type DealRegistrationRow } from './deals';
import { referralsByIds, type ReferralRow } from './referrals';
import * as check from './validate';
import type { ContactValues, MoneyValue } from './validate';

/**
 * The referral workflow (reference lines 8087-8140) and deal registration (9049-9103):
 *
 *   New --accept--> Active --markWon--> Won --registerDeal--> (deal registration In progress)
 *    |                  \--markLost--> Lost
 *    |--decline--> Declined
 *    \--(14 days unanswered)--> Expired            (see referrals.ts, the expiry rule)
 *
 * Each function is one warehouse transaction: it reads the referral as of `now` (so a lapsed New
 * referral is Expired here too), scoped to the caller's partner and locations (another partner's id
 * is NOT_FOUND, exactly like a missing one), checks the state (INVALID_STATE naming the current and
 * the allowed states), writes, and returns the row as read back inside the transaction. The UPDATE
 * repeats the scope and the expected stored state, so it can never touch another tenant's row.
 */

export interface AcceptValues {
  engagementName: string;
  estimatedDealValue: MoneyValue;
  purchaseTimeFrame: string;
  notes?: string | null;
  crmId?: string | null;
  /** Additional contacts from the partner's company. */
  contacts?: readonly ContactValues[] | null;
}

export interface DeclineValues {
  reason: string;
  notes?: string | null;
}

/** Absent (or null) leaves a field unchanged; an empty notes or crmId clears it. */
export interface EditValues {
  engagementName?: string | null;
  estimatedDealValue?: MoneyValue | null;
  purchaseTimeFrame?: string | null;
  notes?: string | null;
  crmId?: string | null;
}

export interface DealValues {
  referralId?: string | null;
  companyName: string;
  country: string;
  city: string;
  stateProvince: string;
  solution: string;
  contractType: string;
  totalContractValue: MoneyValue;
  solutionValue: MoneyValue;
  deployedOn: string;
  deploymentTenant: string;
  contractStartDate: Date | string;
  /** Null for a perpetual contract. */
  contractEndDate?: Date | string | null;
  contractSignedDate: Date | string;
  contact: ContactValues;
}

const NEW = ['New'] as const;
const ACTIVE = ['Active'] as const;
/** Registrations of a referral that (re-)registering completes: Action required. */
const REGISTRABLE = ['Incomplete', 'Update required'] as const;

export function acceptReferral(warehouse: Warehouse, caller: Caller, now: Date, id: string, input: AcceptValues): Promise<ReferralRow> {
  const engagementName = check.text(input.engagementName, 'input.engagementName', 'engagementName');
  const value = check.amount(input.estimatedDealValue, 'input.estimatedDealValue');
  const purchaseTimeFrame = check.text(input.purchaseTimeFrame, 'input.purchaseTimeFrame', 'purchaseTimeFrame');
  const notes = check.optionalText(input.notes, 'input.notes', 'notes');
  const crmId = check.optionalText(input.crmId, 'input.crmId', 'crmId');
  const contacts = boundedList(input.contacts ?? [], 'referralContacts', 'input.contacts').map((c, i) => check.contact(c, `input.contacts.${i}`));
  const emails = contacts.map((c) => c.email.toLowerCase());
  const dup = emails.findIndex((e, i) => emails.indexOf(e) !== i);
  if (dup >= 0) throw badUserInput(`input.contacts.${dup}.email ${contacts[dup].email} is given twice`, `input.contacts.${dup}.email`);

  return statusChanged(warehouse, caller, now, inState(warehouse, caller, now, id, 'accept', NEW, async (tx, current) => {
    const usd = await toUsd(tx, caller, now, value, 'input.estimatedDealValue');
    await update(tx, caller, current, sql`status = 'Active', accepted_at = ${ts(now)}, engagement_name = ${engagementName},
      deal_value = CAST(${value.amount} AS DECIMAL(18,6)), currency = ${value.currency},
      deal_value_usd = CAST(${usd} AS DECIMAL(18,6)), purchase_time_frame = ${purchaseTimeFrame},
      notes = coalesce(${notes}, notes), crm_id = coalesce(${crmId}, crm_id)`);
    for (const [i, c] of contacts.entries()) await insertContact(tx, caller, id, c, `input.contacts.${i}.email`);
  }));
}

export function declineReferral(warehouse: Warehouse, caller: Caller, now: Date, id: string, input: DeclineValues): Promise<ReferralRow> {
  const reason = check.text(input.reason, 'input.reason', 'declineReason');
  const notes = check.optionalText(input.notes, 'input.notes', 'notes');
  return statusChanged(warehouse, caller, now, inState(warehouse, caller, now, id, 'decline', NEW, (tx, current) =>
    update(tx, caller, current, sql`status = 'Declined', declined_at = ${ts(now)}, decline_reason = ${reason},
      notes = coalesce(${notes}, notes)`),
  ));
}

export function markReferralWon(warehouse: Warehouse, caller: Caller, now: Date, id: string): Promise<ReferralRow> {
  return statusChanged(warehouse, caller, now, inState(warehouse, caller, now, id, 'mark as won', ACTIVE, (tx, current) =>
    update(tx, caller, current, sql`status = 'Won', won_at = ${ts(now)}`),
  ));
}

export function markReferralLost(warehouse: Warehouse, caller: Caller, now: Date, id: string): Promise<ReferralRow> {
  return statusChanged(warehouse, caller, now, inState(warehouse, caller, now, id, 'mark as lost', ACTIVE, (tx, current) =>
    update(tx, caller, current, sql`status = 'Lost', lost_at = ${ts(now)}`),
  ));
}

/** "Edit engagement": name, estimated purchase date (time frame), estimated value, notes, CRM ID. */
export function editReferral(warehouse: Warehouse, caller: Caller, now: Date, id: string, input: EditValues): Promise<ReferralRow> {
  const sets: Sql[] = [];
  if (input.engagementName != null) sets.push(sql`engagement_name = ${check.text(input.engagementName, 'input.engagementName', 'engagementName')}`);
  if (input.purchaseTimeFrame != null) {
    sets.push(sql`purchase_time_frame = ${check.text(input.purchaseTimeFrame, 'input.purchaseTimeFrame', 'purchaseTimeFrame')}`);
  }
  if (input.notes != null) sets.push(sql`notes = ${check.optionalText(input.notes, 'input.notes', 'notes')}`);
  if (input.crmId != null) sets.push(sql`crm_id = ${check.optionalText(input.crmId, 'input.crmId', 'crmId')}`);
  const value = input.estimatedDealValue != null ? check.amount(input.estimatedDealValue, 'input.estimatedDealValue') : null;
  if (!sets.length && !value) {
    throw badUserInput('input: give at least one of engagementName, estimatedDealValue, purchaseTimeFrame, notes, crmId', 'input');
  }
  return inState(warehouse, caller, now, id, 'edit', ACTIVE, async (tx, current) => {
    if (value) {
      const usd = await toUsd(tx, caller, now, value, 'input.estimatedDealValue');
      sets.push(sql`deal_value = CAST(${value.amount} AS DECIMAL(18,6)), currency = ${value.currency},
        deal_value_usd = CAST(${usd} AS DECIMAL(18,6))`);
    }
    await update(tx, caller, current, sql.join(sets, ', '));
  });
}

/** "Add contact": another person of the partner's company working on an active engagement. */
export function addReferralContact(warehouse: Warehouse, caller: Caller, now: Date, id: string, input: ContactValues): Promise<ReferralRow> {
  const c = check.contact(input, 'input');
  return inState(warehouse, caller, now, id, 'add a contact to', ACTIVE, (tx) => insertContact(tx, caller, id, c, 'input.email'));
}

/**
 * "Register a new deal": the registration goes to In progress (Microsoft reviews it). From a
 * referral, the referral must be Won; its Action required registration (Incomplete, Update
 * required), if any, is completed rather than duplicated, and one already registered is
 * INVALID_STATE. Without a referral the registration belongs to the whole organization, so a
 * location-scoped caller must give a referral of their locations.
 */
export async function registerDeal(warehouse: Warehouse, caller: Caller, now: Date, input: DealValues): Promise<DealRegistrationRow> {
  const total = check.amount(input.totalContractValue, 'input.totalContractValue');
  const solutionValue = check.amount(input.solutionValue, 'input.solutionValue');
  if (solutionValue.currency !== total.currency) {
    throw badUserInput(
      `input.solutionValue.currency must be the currency of totalContractValue (${total.currency}), got ${solutionValue.currency}`,
      'input.solutionValue.currency',
    );
  }
  check.notAbove(solutionValue, total, 'input.solutionValue', 'totalContractValue: the solution is part of the contract');
  const start = check.day(input.contractStartDate, 'input.contractStartDate');
  const end = input.contractEndDate != null ? check.day(input.contractEndDate, 'input.contractEndDate') : null;
  if (end !== null && end < start) {
    throw badUserInput(`input.contractEndDate ${end} is before contractStartDate ${start}`, 'input.contractEndDate');
  }
  const signed = check.day(input.contractSignedDate, 'input.contractSignedDate');
  if (signed > isoDay(now)) {
    throw badUserInput(`input.contractSignedDate ${signed} is in the future (today is ${isoDay(now)})`, 'input.contractSignedDate');
  }
  const contact = check.contact(input.contact, 'input.contact');
  const referralId = check.optionalText(input.referralId, 'input.referralId', 'referralId');
  if (!referralId && caller.locations !== null) {
    throw badUserInput(
      'input.referralId: a user limited to locations registers deals from referrals of those locations; a deal without a referral belongs to the whole organization',
      'input.referralId',
    );
  }
  const values = sql`company_name = ${check.text(input.companyName, 'input.companyName', 'companyName')},
    country = ${input.country.toUpperCase()}, city = ${check.text(input.city, 'input.city', 'city')},
    state_province = ${check.text(input.stateProvince, 'input.stateProvince', 'stateProvince')},
    solution = ${check.text(input.solution, 'input.solution', 'solution')}, contract_type = ${input.contractType},
    total_contract_value = CAST(${total.amount} AS DECIMAL(18,6)), solution_value = CAST(${solutionValue.amount} AS DECIMAL(18,6)),
    currency = ${total.currency}, deployed_on = ${input.deployedOn}, deployment_tenant = ${input.deploymentTenant},
    contract_start_date = CAST(${start} AS DATE), contract_end_date = CAST(${end} AS DATE),
    contract_signed_date = CAST(${signed} AS DATE),
    contact_first_name = ${contact.firstName}, contact_last_name = ${contact.lastName},
    contact_phone = ${contact.phone}, contact_email = ${contact.email},
    status = 'In progress', registered_at = ${ts(now)}`;

  return retryOnConflict(() => warehouse.transaction(async (tx) => {
    let registrationId: string | null = null;
    if (referralId) {
      const [referral] = await referralsByIds(tx, caller, now, [referralId]);
      if (!referral) throw notFound('Referral', referralId);
      if (referral.status !== 'Won') throw invalidState('referral', 'register a deal for', referral.status, ['Won']);
      const [existing] = await dealsByReferralIds(tx, caller, [referralId]);
      if (existing) {
        if (!(REGISTRABLE as readonly string[]).includes(existing.status)) {
          throw invalidState(`deal registration ${existing.id} of referral ${referralId}`, 'register', existing.status, REGISTRABLE);
        }
        registrationId = existing.id;
        await query(tx, sql`UPDATE deal_registrations AS d SET ${values}
          WHERE ${dealScope(caller)} AND d.registration_id = ${existing.id} AND d.status = ${existing.status}`);
      }
    }
    if (!registrationId) {
      registrationId = randomUUID();
      await query(tx, sql`INSERT INTO deal_registrations (partner_id, registration_id, referral_id, status)
        VALUES (${caller.partnerId}, ${registrationId}, ${referralId}, 'Incomplete')`);
      await query(tx, sql`UPDATE deal_registrations AS d SET ${values}
        WHERE ${dealScope(caller)} AND d.registration_id = ${registrationId}`);
    }
    const [row] = await dealsByIds(tx, caller, [registrationId]);
    if (!row || row.status !== 'In progress') throw new Error(`deal registration ${registrationId} was not written`);
    return row;
  }));
}

// ---------------------------------------------------------------------------------------------

function ts(now: Date): Sql {
  return sql`CAST(${sqlTimestamp(now)} AS TIMESTAMP)`;
}

/**
 * Tells the live subscriptions (warehouse/events.ts) that the referral's status changed, once the
 * transaction has committed (a rolled-back change is never announced).
 */
async function statusChanged(warehouse: Warehouse, caller: Caller, now: Date, committed: Promise<ReferralRow>): Promise<ReferralRow> {
  const row = await committed;
  warehouseEvents(warehouse).publish({
    type: 'referralChanged',
    partnerId: caller.partnerId,
    locationMpnId: row.mpnId,
    referralId: row.id,
    change: 'updated',
    status: row.status,
    substatus: null,
    at: now.toISOString(),
  });
  return row;
}

/** One transaction: the referral as of `now`, scoped; NOT_FOUND or INVALID_STATE; `write`; the row read back. */
function inState(
  warehouse: Warehouse,
  caller: Caller,
  now: Date,
  id: string,
  action: string,
  allowed: readonly string[],
  write: (tx: SqlRunner, current: ReferralRow) => Promise<unknown>,
): Promise<ReferralRow> {
  return retryOnConflict(() =>
    warehouse.transaction(async (tx) => {
      const [current] = await referralsByIds(tx, caller, now, [id]);
      if (!current) throw notFound('Referral', id);
      if (!allowed.includes(current.status)) throw invalidState('referral', action, current.status, allowed);
      await write(tx, current);
      const [updated] = await referralsByIds(tx, caller, now, [id]);
      return updated;
    }),
  );
}

/**
 * DuckDB transactions are optimistic: of two concurrent writes to one referral, the second fails
 * with "Conflict on update". It is retried (after a short pause) from the start, so it re-reads the
 * referral and answers what the caller can act on, e.g. INVALID_STATE "Active" for a second accept.
 */
async function retryOnConflict<T>(fn: () => Promise<T>, attempts = 5): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (err) {
      const message = String((err as { message?: unknown } | null)?.message ?? err);
      if (attempt >= attempts || !/TransactionContext Error:.*Conflict/i.test(message)) throw err;
      await new Promise((resolve) => setTimeout(resolve, 10 * attempt));
    }
  }
}

/** UPDATE one referral, scoped, and only while it is still in the state that was checked. */
async function update(tx: SqlRunner, caller: Caller, current: ReferralRow, set: Sql): Promise<void> {
  const rows = await query(tx, sql`UPDATE referrals AS r SET ${set}
    WHERE ${scope(caller, 'r', 'r.mpn_id')} AND r.referral_id = ${current.id} AND r.status = ${current.status}
    RETURNING r.referral_id`);
  if (rows.length !== 1) throw new Error(`referral ${current.id}: expected to update one row, updated ${rows.length}`);
}

/** A contact from the partner's side; an email already on the referral is BAD_USER_INPUT. */
async function insertContact(tx: SqlRunner, caller: Caller, referralId: string, c: Required<ContactValues>, argument: string): Promise<void> {
  const [existing] = await query(tx, sql`SELECT 1 AS found FROM referral_contacts c
    WHERE ${scope(caller, 'c', null)} AND c.referral_id = ${referralId} AND lower(c.email) = ${c.email.toLowerCase()}`);
  if (existing) throw badUserInput(`${argument}: ${c.email} is already a contact of referral ${referralId}`, argument);
  await query(tx, sql`INSERT INTO referral_contacts (partner_id, referral_id, side, first_name, last_name, email, phone)
    VALUES (${caller.partnerId}, ${referralId}, 'Partner', ${c.firstName}, ${c.lastName}, ${c.email}, ${c.phone})`);
}

/**
 * The deal value in USD. A USD value is itself. Another currency is converted with the partner's
 * latest rate to USD dated on or before today (`now`), X -> USD or USD -> X (view fx_to_usd,
 * migration 3: Partner Center's own rates run from USD to the billing currency); with no such rate
 * the mutation is rejected (BAD_USER_INPUT naming the currency) rather than storing a value that
 * referral insights (deal volume in USD) could not count. Rates are partner-wide reference data
 * (no location), so location-scoped callers use them too. The USD value is bounded (dealValueUsd, core/bounds.ts).
 */
async function toUsd(tx: SqlRunner, caller: Caller, now: Date, value: MoneyValue, argument: string): Promise<string> {
  const usd = value.currency === 'USD' ? value.amount : await convertedToUsd(tx, caller, now, value, argument);
  const given = value.currency === 'USD' ? `${value.amount} USD` : `${value.amount} ${value.currency} (${usd} USD)`;
  return boundedAmount(usd, 'dealValueUsd', `${argument}.amount`, given);
}

/** The converted value is wide (DECIMAL(38,6)): the bound, not the column, refuses a value too large. */
async function convertedToUsd(tx: SqlRunner, caller: Caller, now: Date, value: MoneyValue, argument: string): Promise<string> {
  const [rate] = await query<{ usd: string | null; rateDate: string }>(
    tx,
    sql`SELECT TRY_CAST(CASE WHEN f.inverted THEN CAST(${value.amount} AS DECIMAL(38,6)) / f.rate
                             ELSE CAST(${value.amount} AS DECIMAL(38,6)) * f.rate END AS DECIMAL(38,6)) AS usd,
               f.rate_date AS "rateDate"
        FROM fx_to_usd f
        WHERE ${scope(caller, 'f', null)} AND f.currency = ${value.currency}
          AND f.rate_date <= CAST(${isoDay(now)} AS DATE)
        ORDER BY f.rate_date DESC, f.inverted LIMIT 1`,
  );
  if (!rate) {
    throw badUserInput(
      `${argument}: no exchange rate from ${value.currency} to USD dated on or before ${isoDay(now)}; ` +
        'load one (fx-rates file) or give the value in USD',
      `${argument}.currency`,
      { currency: value.currency },
    );
  }
  if (rate.usd === null) throw badUserInput(`${argument}: ${value.amount} ${value.currency} is too large`, `${argument}.amount`);
  return rate.usd;
}
