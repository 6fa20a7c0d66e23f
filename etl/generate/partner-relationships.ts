import type { CsvRow } from './csv';
import { addDays } from '../../core/dates';
import type { OtherPartnerRelationshipType } from '../../core/vocabulary';
import type { Customer, Partner, Subscription, Timeline } from './model';
import type { Rng } from './random';

/** Other partners a customer may also work with (Microsoft's fictional companies). */
const OTHER_PARTNERS = [
  'Northwind IT Services',
  'Litware Cloud Partners',
  'Adatum Consulting',
  'Tailspin Technology Group',
  'Proseware Solutions',
  'Lucerne Systems',
  'Trey Research Services',
  'Wingtip Cloud',
  'Relecloud Partners',
  'Woodgrove Advisory',
];

const TYPES: readonly (readonly [OtherPartnerRelationshipType, number])[] = [
  ['Reseller', 45],
  ['Advisor', 25],
  ['Indirect reseller', 20],
  ['Indirect provider', 10],
];

/** How often each kind of other partner holds delegated admin privileges. */
const DELEGATED_ADMIN: Record<OtherPartnerRelationshipType, number> = {
  Reseller: 0.75,
  'Indirect reseller': 0.6,
  'Indirect provider': 0.15,
  Advisor: 0.3,
};

/** What another partner is hired for: "one partner for ... Office 365, ... a different partner who specializes in Microsoft Azure" (reference line 18028). */
const WORKLOADS: readonly (readonly [string, number])[] = [
  ['Azure', 35],
  ['Microsoft 365', 20],
  ['Dynamics 365 Customer Engagement', 15],
  ['Office 365', 10],
  ['Power BI', 8],
  ['Enterprise Mobility + Security', 7],
  ['Dynamics 365 Finance and Operations', 5],
];

/**
 * The customer-partner-relationships file: 15-25 % of the partner's customers (at least one) also
 * work with one other partner, a quarter of them with two. The other partner serves a workload the
 * customer does not buy from this partner when there is one; its name is known for about two in five
 * relationships (the customer told; Partner Center shows a partner no other partner), its MPN ID for
 * most of those. Its own rng (a fork), so the other files do not move.
 */
export function partnerRelationshipRows(rng: Rng, partner: Partner, customers: readonly Customer[], subscriptions: readonly Subscription[], timeline: Timeline): CsvRow[] {
  if (customers.length === 0) return [];
  const families = new Map<string, Set<string>>();
  for (const s of subscriptions) {
    const set = families.get(s.customer.id) ?? new Set<string>();
    set.add(s.item.family);
    families.set(s.customer.id, set);
  }
  const count = Math.max(1, Math.round(customers.length * (0.15 + rng.next() * 0.1)));
  const chosen = rng.sample(customers, count).sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rows: CsvRow[] = [];
  for (const customer of chosen) {
    const bought = families.get(customer.id) ?? new Set<string>();
    const elsewhere = WORKLOADS.filter(([w]) => !bought.has(w));
    const n = rng.chance(0.25) ? 2 : 1;
    const seen = new Set<string>();
    for (let i = 0; i < n; i++) {
      const type = rng.weighted(TYPES);
      const workload = rng.chance(0.1) ? '' : rng.weighted(elsewhere.length ? elsewhere : WORKLOADS);
      if (seen.has(`${type}|${workload}`)) continue;
      seen.add(`${type}|${workload}`);
      const named = rng.chance(0.4);
      const name = named ? rng.pick(OTHER_PARTNERS) : '';
      const mpnId = named && rng.chance(0.7) ? rng.digits(7) : '';
      const delegatedAdmin = rng.chance(0.1) ? '' : rng.chance(DELEGATED_ADMIN[type]);
      const since = rng.chance(0.15) ? '' : addDays(timeline.asOf, -rng.int(30, 4 * 365));
      rows.push({
        PartnerId: partner.id,
        CustomerId: customer.id,
        RelationshipType: type,
        Workload: workload,
        DelegatedAdmin: delegatedAdmin,
        OtherPartnerName: name,
        OtherPartnerMpnId: mpnId,
        Since: since,
      });
    }
  }
  return rows;
}
