import type { SqlRunner } from '../../core/sql';

/**
 * The oracle's ground truth: who owns every identifier of the warehouse, read with SQL straight
 * from the tables (never through the product's scoping code), and which locations may see it.
 *
 * Location visibility follows the rules the product documents for each kind of row:
 * - a row with a location column (customer, subscription and its events, referral, location) is
 *   seen by that location;
 * - an invoice by the locations of its reconciliation lines; a deal registration by its referral's
 *   location (none without a referral); a user by the locations assigned to them; a reseller by the
 *   locations of the customers and subscriptions it is reseller of record of;
 * - a generated report only by callers holding all of its locations (an organization-wide report
 *   by none), an API key by none: both are organization-level unless limited;
 * - the partner itself by everyone of the partner.
 */
export interface Owner {
  partnerId: string;
  /** Kinds of row the value identifies (for messages). */
  kinds: string[];
  /** Locations that see it; null: every caller of the partner. */
  locations: Set<string> | null;
  /** Seen only by a caller holding every one of `locations` (generated reports). */
  needsAllLocations: boolean;
}

export interface PartnerFacts {
  id: string;
  name: string;
  locations: string[];
}

interface OwnershipRow {
  kind: string;
  value: string;
  partnerId: string;
  /** null: visible everywhere in the partner; [] : organization-level only. */
  locations: string[] | null;
  needsAll: boolean;
  [key: string]: unknown;
}

/** One SELECT per kind of identifier: (kind, value, partnerId, locations, needsAll). */
const OWNERSHIP_SQL = `
  SELECT 'partner' AS kind, partner_id AS value, partner_id AS "partnerId", NULL::VARCHAR[] AS locations, false AS "needsAll" FROM partners
  UNION ALL SELECT 'location', mpn_id, partner_id, [mpn_id], false FROM locations
  UNION ALL SELECT 'customer', customer_id, partner_id, [mpn_id], false FROM customers
  UNION ALL SELECT 'subscription', subscription_id, partner_id, [mpn_id], false FROM subscriptions
  UNION ALL SELECT 'subscription event', e.event_id, e.partner_id, list_filter([s.mpn_id], m -> m IS NOT NULL), false
    FROM subscription_events e LEFT JOIN subscriptions s ON s.partner_id = e.partner_id AND s.subscription_id = e.subscription_id
  UNION ALL SELECT 'referral', referral_id, partner_id, [mpn_id], false FROM referrals
  UNION ALL SELECT 'deal registration', d.registration_id, d.partner_id, list_filter([r.mpn_id], m -> m IS NOT NULL), false
    FROM deal_registrations d LEFT JOIN referrals r ON r.partner_id = d.partner_id AND r.referral_id = d.referral_id
  UNION ALL SELECT 'invoice', i.invoice_number, i.partner_id,
    coalesce((SELECT list(DISTINCT l.mpn_id) FROM (
      SELECT partner_id, invoice_number, mpn_id FROM billing_license_lines
      UNION ALL SELECT partner_id, invoice_number, mpn_id FROM billing_usage_lines
      UNION ALL SELECT partner_id, invoice_number, mpn_id FROM billing_onetime_lines) l
      WHERE l.partner_id = i.partner_id AND l.invoice_number = i.invoice_number AND l.mpn_id IS NOT NULL), []), false
    FROM invoices i
  UNION ALL SELECT 'user', user_id, partner_id,
    list_filter(list_transform(string_split(coalesce(location_mpn_ids, ''), '|'), m -> trim(m)), m -> m <> ''), false FROM users
  UNION ALL SELECT 'reseller', reseller_mpn_id, partner_id, [], false FROM resellers
  UNION ALL SELECT 'reseller', reseller_mpn_id, partner_id, [mpn_id], false FROM customers WHERE reseller_mpn_id IS NOT NULL
  UNION ALL SELECT 'reseller', reseller_mpn_id, partner_id, [mpn_id], false FROM subscriptions WHERE reseller_mpn_id IS NOT NULL
  UNION ALL SELECT 'generated report', report_id, partner_id, coalesce(locations, []), true FROM generated_reports
  UNION ALL SELECT 'API key', key_id, partner_id, [], false FROM api_keys`;

/** The partners with their location MPN IDs, by name. */
export function loadPartners(db: SqlRunner): Promise<PartnerFacts[]> {
  return db.all<PartnerFacts & Record<string, unknown>>(
    `SELECT p.partner_id AS id, p.name, list(l.mpn_id ORDER BY l.mpn_id) AS locations
     FROM partners p JOIN locations l USING (partner_id) GROUP BY ALL ORDER BY p.name`,
  );
}

/** Values too short or too common to identify a row ("-1" = reseller removed). */
const NOT_IDENTIFIERS = new Set(['-1', '']);

export class Ownership {
  private readonly byPartnerAndKind = new Map<string, string[]>();

  private constructor(
    private readonly owners: ReadonlyMap<string, Owner>,
    /** Values owned by both partners (catalog ids, shared MPN IDs): identify nobody. */
    readonly shared: ReadonlySet<string>,
    readonly partners: readonly PartnerFacts[],
  ) {}

  static async load(db: SqlRunner): Promise<Ownership> {
    return Ownership.fromRows(await db.all<OwnershipRow>(OWNERSHIP_SQL), await loadPartners(db));
  }

  /** Built from rows (the sanity tests build small ones by hand). */
  static fromRows(rows: readonly OwnershipRow[], partners: readonly PartnerFacts[]): Ownership {
    const owners = new Map<string, Owner>();
    const shared = new Set<string>();
    for (const row of rows) {
      if (NOT_IDENTIFIERS.has(row.value) || shared.has(row.value)) continue;
      const known = owners.get(row.value);
      if (known && known.partnerId !== row.partnerId) {
        owners.delete(row.value);
        shared.add(row.value);
        continue;
      }
      owners.set(row.value, merge(known, row));
    }
    return new Ownership(owners, shared, partners);
  }

  owner(value: string): Owner | undefined {
    return this.owners.get(value);
  }

  /** The values of one kind a partner owns (the operations draw their ids from these). */
  valuesOf(partnerId: string, kind: string): string[] {
    const key = `${partnerId} ${kind}`;
    let values = this.byPartnerAndKind.get(key);
    if (!values) {
      // Sorted: a seed replays the same operations (the SQL gives no order).
      values = [...this.owners].filter(([, o]) => o.partnerId === partnerId && o.kinds.includes(kind)).map(([value]) => value).sort();
      this.byPartnerAndKind.set(key, values);
    }
    return values;
  }

  partner(id: string): PartnerFacts {
    const found = this.partners.find((p) => p.id === id);
    if (!found) throw new Error(`no partner ${id} in the warehouse`);
    return found;
  }
}

function merge(known: Owner | undefined, row: OwnershipRow): Owner {
  const rowLocations = row.locations === null ? null : new Set(row.locations);
  if (!known) return { partnerId: row.partnerId, kinds: [row.kind], locations: rowLocations, needsAllLocations: row.needsAll };
  const locations = known.locations === null || rowLocations === null ? null : new Set([...known.locations, ...rowLocations]);
  const kinds = known.kinds.includes(row.kind) ? known.kinds : [...known.kinds, row.kind];
  return { partnerId: row.partnerId, kinds, locations, needsAllLocations: known.needsAllLocations || row.needsAll };
}

/**
 * What a caller may see: their partner, and for a location-scoped caller the locations of their
 * token that are the partner's (a token naming another partner's location gains nothing).
 */
export interface CallerView {
  partnerId: string;
  /** null: the entire organization. */
  locations: ReadonlySet<string> | null;
}

export function callerView(partner: PartnerFacts, tokenLocations: readonly string[] | null): CallerView {
  if (tokenLocations === null) return { partnerId: partner.id, locations: null };
  return { partnerId: partner.id, locations: new Set(tokenLocations.filter((l) => partner.locations.includes(l))) };
}

/** Whether the caller may see the row a value identifies. */
export function visibleTo(owner: Owner, view: CallerView): boolean {
  if (owner.partnerId !== view.partnerId) return false;
  if (view.locations === null || owner.locations === null) return true;
  const held = [...owner.locations].filter((l) => view.locations!.has(l));
  return owner.needsAllLocations ? owner.locations.size > 0 && held.length === owner.locations.size : held.length > 0;
}
