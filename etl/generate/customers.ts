import { currencyOfCountry } from './catalog';
import type { CsvRow } from './csv';
import { addDays, daysBetween } from '../../core/dates';
import { timestamp } from './dates';
import type { Customer, Partner, Segment, Subscription, Timeline } from './model';
import { companyDomain, companyName } from './names';
import { agents } from './partners';
import type { Rng } from './random';

/** Countries a location also serves besides its own. */
const NEIGHBOURS: Record<string, string[]> = { DE: ['FR', 'NL'], NL: ['DE', 'GB'], GB: [], US: [], FR: [] };

export function buildCustomers(rng: Rng, partner: Partner, timeline: Timeline, count: number): Customer[] {
  const customers: Customer[] = [];
  const names = new Set<string>();
  const activeResellers = partner.resellers.filter((r) => r.status !== 'Terminated');
  for (let i = 0; i < count; i++) {
    let country: string;
    let mpnId: string;
    let resellerMpnId = '';
    if (partner.type === 'Indirect provider') {
      const reseller = rng.weighted(activeResellers.map((r) => [r, r.status === 'Active' ? 4 : 1] as const));
      resellerMpnId = reseller.mpnId;
      country = reseller.country;
      mpnId = (partner.locations.find((l) => l.country === country) ?? partner.locations[0]).mpnId;
    } else {
      const location = rng.weighted(partner.locations.map((l) => [l, l.isHeadquarters ? 4 : 1.5] as const));
      const neighbours = NEIGHBOURS[location.country] ?? [];
      country = neighbours.length && rng.chance(0.25) ? rng.pick(neighbours) : location.country;
      mpnId = location.mpnId;
    }
    let name = companyName(rng, country);
    for (let tries = 0; names.has(name); tries++) name = tries < 20 ? companyName(rng, country) : `${companyName(rng, country)} (${tries})`;
    names.add(name);
    const segment = rng.weighted<Segment>([
      ['Commercial', 80],
      ['Education', 8],
      ['Government', 6],
      ['Nonprofit', 6],
    ]);
    // 60% of the customer base predates the history; the rest is acquired during it, faster towards the end.
    const createdDate = rng.chance(0.6)
      ? addDays(timeline.start, -rng.int(20, 6 * 365))
      : addDays(timeline.start, Math.floor(Math.sqrt(rng.next()) * daysBetween(timeline.start, timeline.asOf)));
    customers.push({
      id: rng.guid(),
      name,
      domain: companyDomain(rng, name, country),
      country,
      currency: currencyOfCountry(country),
      segment,
      employees: rng.logInt(45, 1.1, 3, 5000),
      mpnId,
      resellerMpnId,
      createdDate,
      relationship: partner.type === 'Indirect provider' ? 'Indirect reseller' : 'Reseller',
    });
  }
  return customers.sort((a, b) => (a.createdDate < b.createdDate ? -1 : a.createdDate > b.createdDate ? 1 : 0));
}

export function customerRows(partner: Partner, customers: Customer[]): CsvRow[] {
  return customers.map((c) => ({
    PartnerId: partner.id,
    'Microsoft ID': c.id,
    'Company name': c.name,
    'Primary domain name': c.domain,
    Relationship: c.relationship,
    Country: c.country,
    Segment: c.segment,
    MpnId: c.mpnId,
    ResellerMpnId: c.resellerMpnId,
    CreatedDate: c.createdDate,
  }));
}

/**
 * Who is credited for what: CSP for every workload the partner bills, DAP for delegated admin,
 * PAL on Azure, DPOR and CPOR (with the OSA or OSU incentive) on some Dynamics and Azure subscriptions.
 */
export function attributionRows(rng: Rng, partner: Partner, subscriptions: Subscription[]): CsvRow[] {
  const rows: CsvRow[] = [];
  const byCustomer = new Map<string, Subscription[]>();
  for (const s of subscriptions) {
    if (s.isTrial) continue; // a trial that never became paid credits nobody
    const list = byCustomer.get(s.customer.id) ?? [];
    list.push(s);
    byCustomer.set(s.customer.id, list);
  }
  for (const [customerId, subs] of byCustomer) {
    const customer = subs[0].customer;
    const creditMpn = customer.resellerMpnId || customer.mpnId;
    const workloads = new Map<string, Subscription[]>();
    for (const s of subs) workloads.set(s.item.family, [...(workloads.get(s.item.family) ?? []), s]);
    for (const [workload, list] of [...workloads].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const start = list.map((s) => s.createdDate).sort()[0];
      const ended = list.every((s) => s.canceledDate);
      rows.push({
        PartnerId: partner.id,
        CustomerId: customerId,
        AttributionType: 'CSP',
        MpnId: creditMpn,
        Workload: workload,
        StartDate: start,
        EndDate: ended ? list.map((s) => s.canceledDate!).sort().reverse()[0] : '',
      });
    }
    if (rng.chance(0.7)) {
      rows.push({
        PartnerId: partner.id,
        CustomerId: customerId,
        AttributionType: 'DAP',
        MpnId: creditMpn,
        Workload: 'All',
        StartDate: customer.createdDate,
      });
    }
    for (const s of subs) {
      if (s.item.family === 'Azure' && s.item.billingType === 'Usage' && rng.chance(0.45)) {
        rows.push({
          PartnerId: partner.id,
          CustomerId: customerId,
          AttributionType: 'PAL',
          MpnId: s.mpnId,
          Workload: 'Azure',
          SubscriptionId: s.id,
          StartDate: addDays(s.createdDate, rng.int(0, 60)),
        });
      }
      if (s.item.family.startsWith('Dynamics 365') && !s.isTrial) {
        const r = rng.next();
        if (r < 0.3) {
          rows.push({
            PartnerId: partner.id,
            CustomerId: customerId,
            AttributionType: 'CPOR',
            MpnId: s.mpnId,
            Workload: s.item.family,
            SubscriptionId: s.id,
            Incentive: rng.chance(0.5) ? 'OSA' : 'OSU',
            StartDate: addDays(s.createdDate, rng.int(5, 90)),
          });
        } else if (r < 0.5) {
          rows.push({
            PartnerId: partner.id,
            CustomerId: customerId,
            AttributionType: 'DPOR',
            MpnId: s.mpnId,
            Workload: s.item.family,
            SubscriptionId: s.id,
            StartDate: addDays(s.createdDate, rng.int(0, 45)),
          });
        }
      }
    }
  }
  return rows;
}

const ACTION_OF_EVENT: Record<string, string> = {
  Purchase: 'Create order',
  QuantityChange: 'Update subscription quantity',
  Suspend: 'Suspend subscription',
  Reactivate: 'Reactivate subscription',
  Cancel: 'Cancel subscription',
  Renew: 'Renew subscription',
  TrialConversion: 'Convert trial subscription',
  AutoRenewChange: 'Update subscription auto-renew',
  ResellerChange: 'Update subscription reseller',
};

const ADMIN_ACTIONS = ['Reset user password', 'Create user', 'Assign licenses to user', 'Update customer billing profile', 'Delete user', 'Add user to role'];

/** The customer activity log: one line per subscription change and some admin work, from the history start. */
export function activityRows(rng: Rng, partner: Partner, customers: Customer[], subscriptions: Subscription[], timeline: Timeline): CsvRow[] {
  const people = agents(partner);
  const rows: { at: string; row: CsvRow }[] = [];
  const add = (date: string, customer: Customer, action: string, actor?: string) => {
    const at = timestamp(date, rng.int(7, 19), rng.int(0, 59), rng.int(0, 59));
    rows.push({
      at,
      row: {
        PartnerId: partner.id,
        'Date-Time': at,
        CustomerId: customer.id,
        'Affected customer': customer.name,
        Action: action,
        'Partner user': actor ?? rng.pick(people).email,
      },
    });
  };
  for (const c of customers) {
    if (c.createdDate >= timeline.start) add(c.createdDate, c, 'Create customer');
    const from = c.createdDate > timeline.start ? c.createdDate : timeline.start;
    const span = daysBetween(from, timeline.asOf);
    const count = Math.round((span / 365) * rng.int(0, 4));
    for (let i = 0; i < count; i++) add(addDays(from, rng.int(0, span)), c, rng.pick(ADMIN_ACTIONS));
  }
  for (const s of subscriptions) {
    for (const e of s.events) {
      if (e.date < timeline.start || e.actor === 'System') continue;
      add(e.date, s.customer, ACTION_OF_EVENT[e.type], e.actor);
    }
  }
  rows.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  return rows.map((r) => r.row);
}
