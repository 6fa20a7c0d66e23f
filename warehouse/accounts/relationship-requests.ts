import { randomUUID } from 'node:crypto';
import type { Caller } from '../../core/caller';
import { badUserInput, notFound } from '../../core/errors';
import { inCallerLocations, scope } from '../../core/scope';
import { isoTimestamp, query, sql, type Sql, type SqlRunner } from '../../core/sql';
import { sqlTimestamp } from '../clock';
import type { Warehouse } from '../db';

/**
 * Reseller relationship requests ("Request a reseller relationship", reference lines 6210-6240,
 * 11366-11390; multi-partner support, line 18032: "invite the customer to give you delegated
 * administration privileges"; a customer "already working with a partner", line 11208). Partner
 * Center writes an email with a parameterized URL; the customer opens it, signs in to the Microsoft
 * 365 admin center and accepts. The URL, as documented (line 6234):
 *
 *   <admin portal>?invType=ResellerRelationship&partnerId=<partner tenant id>&msspId=0&DAP=true#/BillingAccounts/partner-invitation
 *
 * DAP: whether delegated administration privileges for Azure Active Directory and Office 365 are
 * included (the dialog's check box; "DAP=true" as the documentation's URL has it, false without).
 * With an indirect reseller selected ("Select an indirect reseller", line 6221; an indirect
 * provider's), invType=IndirectResellerRelationship and msspId carries the reseller's MPN ID, as the
 * documented indirect reseller URL carries it (msppid=IRMPNID, line 5604); msspId is 0 otherwise.
 * The partner id is the partner's tenant id (the warehouse's partner id). The admin portal base
 * comes from PI_ADMIN_PORTAL_URL (default https://admin.microsoft.com/Adminportal/Home: the
 * production host of the documentation's pre-production portal.officeppe.com); no network call.
 *
 * Each request is recorded (relationship_requests, migration 15) and listed with its status, read
 * from the data rather than stored: ACCEPTED once the customer shows it accepted, else PENDING.
 *   - A customer not yet the partner's (customerDomain): accepted once a customer with that primary
 *     domain is in the partner's customer list ("After the customer accepts your invitation, they'll
 *     appear on your Customers page", line 11385).
 *   - A customer of the partner (customerId: reinstating delegated admin privileges, line 14100, or
 *     adding an indirect reseller): accepted once what was asked is in place: a DAP attribution
 *     starting on or after the request's day (when delegated admin was included) and the customer's
 *     indirect reseller being the one selected (when one was).
 */
export const ADMIN_PORTAL_DEFAULT = 'https://admin.microsoft.com/Adminportal/Home';

/** PI_ADMIN_PORTAL_URL, or the default: an http(s) URL without query, fragment or credentials. */
export function adminPortalUrl(env: NodeJS.ProcessEnv = process.env): string {
  const value = env.PI_ADMIN_PORTAL_URL?.trim() || ADMIN_PORTAL_DEFAULT;
  let url: URL | null = null;
  try {
    url = new URL(value);
  } catch {
    // reported below
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.search || url.hash || url.username || url.password) {
    throw new Error(`PI_ADMIN_PORTAL_URL must be an http(s) URL without a query, a fragment or credentials, such as ${ADMIN_PORTAL_DEFAULT}; got "${value}"`);
  }
  return value.replace(/\/+$/, '');
}

/** The documented request URL (line 6234), for the partner's tenant. */
export function relationshipRequestUrl(input: { base: string; partnerId: string; resellerMpnId: string | null; delegatedAdmin: boolean }): string {
  const params = new URLSearchParams({
    invType: input.resellerMpnId ? 'IndirectResellerRelationship' : 'ResellerRelationship',
    partnerId: input.partnerId,
    msspId: input.resellerMpnId ?? '0',
    DAP: input.delegatedAdmin ? 'true' : 'false',
  });
  return `${input.base}?${params.toString()}#/BillingAccounts/partner-invitation`;
}

/**
 * The email text Partner Center drafts (line 6225): who invites, the link, and the partner's
 * contact lines under "Additional partner information". An indirect reseller selected is named; a
 * request without delegated admin privileges says so.
 */
export function relationshipEmailText(input: {
  requester: string | null;
  partnerName: string;
  url: string;
  reseller: { name: string; mpnId: string } | null;
  delegatedAdmin: boolean;
  contact: readonly string[];
}): string {
  const who = input.requester ? `${input.requester} of ${input.partnerName}` : input.partnerName;
  const paragraphs = [
    `${who} would like to be your Microsoft Cloud Solution Provider for your Microsoft Cloud account.`,
    `Click the following link to accept this invitation and authorize ${input.partnerName} to be your Microsoft Cloud Solution Provider.`,
  ];
  if (input.reseller) paragraphs.push(`Your indirect reseller will be ${input.reseller.name} (MPN ID ${input.reseller.mpnId}).`);
  if (!input.delegatedAdmin) paragraphs.push('This request does not include delegated administration privileges for Azure Active Directory and Office 365.');
  paragraphs.push(input.url);
  if (input.contact.length) paragraphs.push(['Additional partner information:', ...input.contact].join('\n'));
  return paragraphs.join('\n\n') + '\n';
}

export interface RelationshipRequestInput {
  /** A customer of the partner (Microsoft ID). */
  customerId?: string | null;
  /** The primary domain of a customer not yet the partner's. */
  customerDomain?: string | null;
  indirectResellerMpnId?: string | null;
  delegatedAdmin?: boolean | null;
  contactEmail?: string | null;
  contactPhone?: string | null;
}

export type RelationshipRequestStatusValue = 'PENDING' | 'ACCEPTED';

export interface RelationshipRequestRow {
  id: string;
  customerId: string | null;
  customerDomain: string | null;
  mpnId: string | null;
  indirectResellerMpnId: string | null;
  delegatedAdmin: boolean;
  url: string;
  emailText: string;
  requestedBy: string | null;
  requestedAt: string;
  status: RelationshipRequestStatusValue;
}

const DOMAIN = /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]+$/;
const PHONE = /^\+?[0-9][0-9 ().-]{2,30}$/;

/** The status of request r, from the data (see the file comment). */
const STATUS = sql.raw(`CASE WHEN CASE WHEN r.customer_id IS NULL THEN
      EXISTS (SELECT 1 FROM customers x WHERE x.partner_id = r.partner_id AND lower(x.domain) = r.customer_domain)
    ELSE
      (NOT r.delegated_admin OR EXISTS (SELECT 1 FROM attributions a WHERE a.partner_id = r.partner_id AND a.customer_id = r.customer_id
        AND a.attribution_type = 'DAP' AND a.start_date >= CAST(r.requested_at AS DATE)))
      AND (r.reseller_mpn_id IS NULL OR EXISTS (SELECT 1 FROM customers x WHERE x.partner_id = r.partner_id
        AND x.customer_id = r.customer_id AND x.reseller_mpn_id = r.reseller_mpn_id))
    END THEN 'ACCEPTED' ELSE 'PENDING' END`);

const COLUMNS = sql`r.request_id AS id, r.customer_id AS "customerId", r.customer_domain AS "customerDomain", r.mpn_id AS "mpnId",
  r.reseller_mpn_id AS "indirectResellerMpnId", r.delegated_admin AS "delegatedAdmin", r.url, r.email_text AS "emailText",
  r.requested_by AS "requestedBy", ${sql.raw(isoTimestamp('r.requested_at'))} AS "requestedAt", ${STATUS} AS status`;

/**
 * The requests the caller sees: its partner's; a location-scoped caller, those for customers of its
 * locations and the ones it made itself (a customer not yet the partner's has no location).
 */
function visible(caller: Caller): Sql {
  return sql`${scope(caller, 'r', null)} AND (${inCallerLocations(caller, 'r.mpn_id')}${caller.subject ? sql` OR r.requested_by = ${caller.subject}` : sql.raw('')})`;
}

/** The request list (for paginate), newest first, optionally of one status. */
export function relationshipRequestListQuery(caller: Caller, status: RelationshipRequestStatusValue | null): { select: Sql; from: Sql; orderBy: Sql } {
  return {
    select: COLUMNS,
    from: sql`relationship_requests r WHERE ${visible(caller)}${status ? sql` AND ${STATUS} = ${status}` : sql.raw('')}`,
    orderBy: sql`r.requested_at DESC, r.request_id DESC`,
  };
}

export async function relationshipRequestById(db: SqlRunner, caller: Caller, id: string): Promise<RelationshipRequestRow | null> {
  const [row] = await query<RelationshipRequestRow & Record<string, unknown>>(db, sql`SELECT ${COLUMNS} FROM relationship_requests r WHERE ${visible(caller)} AND r.request_id = ${id}`);
  return row ?? null;
}

function optionalText(value: string | null | undefined): string | null {
  const text = value?.trim();
  return text ? text : null;
}

/**
 * Creates, records and returns a reseller relationship request (one transaction). Exactly one of
 * customerId (a customer of the caller's, NOT_FOUND otherwise) and customerDomain (a customer not
 * yet the partner's) says whom it is for; a domain already in the caller's customer list stands for
 * that customer. Refused with BAD_USER_INPUT naming the argument: neither or both; a malformed domain,
 * email or phone; an indirect reseller for a partner that is not an indirect provider, or one that is
 * not its active reseller; a request for an existing customer that asks for nothing it lacks.
 */
export async function createRelationshipRequest(warehouse: Warehouse, caller: Caller, now: Date, input: RelationshipRequestInput): Promise<RelationshipRequestRow> {
  const base = adminPortalUrl();
  const customerIdGiven = optionalText(input.customerId);
  const domainGiven = optionalText(input.customerDomain)?.toLowerCase() ?? null;
  if ((customerIdGiven === null) === (domainGiven === null)) {
    throw badUserInput(
      customerIdGiven
        ? 'give customerId (a customer of yours) or customerDomain (the primary domain of a customer not yet yours), not both'
        : 'give customerId (a customer of yours) or customerDomain (the primary domain of a customer not yet yours, such as contoso.onmicrosoft.com)',
      customerIdGiven ? 'customerDomain' : 'customerId',
    );
  }
  if (domainGiven !== null && !DOMAIN.test(domainGiven)) {
    throw badUserInput(`customerDomain "${input.customerDomain}" is not a domain name; allowed: a primary domain name such as contoso.onmicrosoft.com or contoso.com`, 'customerDomain');
  }
  const contactEmail = optionalText(input.contactEmail);
  if (contactEmail !== null && (contactEmail.length > 254 || !EMAIL.test(contactEmail))) {
    throw badUserInput(`contactEmail "${input.contactEmail}" is not an email address; allowed: an address such as help@contoso.com, at most 254 characters`, 'contactEmail');
  }
  const contactPhone = optionalText(input.contactPhone);
  if (contactPhone !== null && !PHONE.test(contactPhone)) {
    throw badUserInput(`contactPhone "${input.contactPhone}" is not a phone number; allowed: digits, spaces, + ( ) . -, 3 to 32 characters`, 'contactPhone');
  }
  const delegatedAdmin = input.delegatedAdmin ?? true;
  const resellerMpnId = optionalText(input.indirectResellerMpnId);

  let created: RelationshipRequestRow | null = null;
  await warehouse.transaction(async (tx) => {
    const [partner] = await query<{ name: string | null; partnerType: string | null }>(
      tx,
      sql`SELECT p.name, p.partner_type AS "partnerType" FROM partners p WHERE ${scope(caller, 'p', null)} LIMIT 1`,
    );
    const partnerName = partner?.name ?? `partner ${caller.partnerId}`;

    // Whom for: a customer of the caller's (by id, or by a domain already in its list), or a domain.
    const [row] = await query<{ id: string; mpnId: string | null; resellerMpnId: string | null; visible: boolean }>(
      tx,
      sql`SELECT c.customer_id AS id, c.mpn_id AS "mpnId", c.reseller_mpn_id AS "resellerMpnId", ${inCallerLocations(caller, 'c.mpn_id')} AS visible
          FROM customers c
          WHERE ${scope(caller, 'c', null)} AND ${customerIdGiven !== null ? sql`c.customer_id = ${customerIdGiven}` : sql`lower(c.domain) = ${domainGiven}`}
          ORDER BY visible DESC, c.customer_id LIMIT 1`,
    );
    if (customerIdGiven !== null && !row?.visible) throw notFound('Customer', customerIdGiven);
    if (row && !row.visible) {
      throw badUserInput(
        `customerDomain ${domainGiven} is already a customer of your organization, at a location you do not manage: a user of that location (or of the entire organization) requests for it`,
        'customerDomain',
      );
    }
    const customer = row ? { id: row.id, mpnId: row.mpnId, resellerMpnId: row.resellerMpnId } : null;

    let reseller: { name: string; mpnId: string } | null = null;
    if (resellerMpnId !== null) {
      if (partner?.partnerType !== 'Indirect provider') {
        throw badUserInput(
          `indirectResellerMpnId: only an indirect provider selects an indirect reseller, and this partner is ${partner?.partnerType ? `a ${partner.partnerType}` : 'of no known type'}; leave it out (None)`,
          'indirectResellerMpnId',
        );
      }
      const resellers = await query<{ mpnId: string; name: string | null; status: string | null }>(
        tx,
        sql`SELECT r.reseller_mpn_id AS "mpnId", r.name, r.status FROM resellers r WHERE ${scope(caller, 'r', null)} ORDER BY r.reseller_mpn_id`,
      );
      const active = resellers.filter((r) => r.status === null || r.status === 'Active');
      const found = active.find((r) => r.mpnId === resellerMpnId);
      if (!found) {
        throw badUserInput(
          `indirectResellerMpnId ${resellerMpnId} is not an active indirect reseller of yours; allowed: ${active.map((r) => r.mpnId).slice(0, 50).join(', ') || 'none'}`,
          'indirectResellerMpnId',
          { allowed: active.map((r) => r.mpnId) },
        );
      }
      reseller = { name: found.name ?? found.mpnId, mpnId: found.mpnId };
    }

    if (customer && !delegatedAdmin && (resellerMpnId === null || customer.resellerMpnId === resellerMpnId)) {
      throw badUserInput(
        `customer ${customer.id} already has a reseller relationship with you${resellerMpnId ? ` through indirect reseller ${resellerMpnId}` : ''}: ` +
          'a request for it asks for delegated administration privileges (delegatedAdmin: true) or another indirect reseller (indirectResellerMpnId)',
        'delegatedAdmin',
      );
    }

    const [user] = caller.subject
      ? await query<{ displayName: string | null; email: string | null }>(
          tx,
          sql`SELECT u.display_name AS "displayName", u.email FROM users u WHERE ${scope(caller, 'u', null)} AND u.user_id = ${caller.subject} LIMIT 1`,
        )
      : [];
    const contact = [contactEmail ?? user?.email ?? null, contactPhone].filter((line): line is string => Boolean(line));
    const url = relationshipRequestUrl({ base, partnerId: caller.partnerId, resellerMpnId, delegatedAdmin });
    const emailText = relationshipEmailText({ requester: user?.displayName ?? user?.email ?? null, partnerName, url, reseller, delegatedAdmin, contact });
    const id = randomUUID();
    await query(
      tx,
      sql`INSERT INTO relationship_requests (request_id, partner_id, customer_id, customer_domain, mpn_id, reseller_mpn_id, delegated_admin, url, email_text, requested_by, requested_at)
          VALUES (${id}, ${caller.partnerId}, ${customer?.id ?? null}, ${customer ? null : domainGiven}, ${customer?.mpnId ?? null}, ${resellerMpnId},
                  ${delegatedAdmin}, ${url}, ${emailText}, ${caller.subject ?? null}, ${sqlTimestamp(now)}::TIMESTAMP)`,
    );
    [created] = await query<RelationshipRequestRow & Record<string, unknown>>(
      tx,
      sql`SELECT ${COLUMNS} FROM relationship_requests r WHERE ${scope(caller, 'r', null)} AND r.request_id = ${id}`,
    );
  });
  return created!;
}
