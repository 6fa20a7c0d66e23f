import type { CsvRow } from './csv';
import { monthEnd, monthStartsBetween } from '../../core/dates';
import type { Partner, Subscription, Timeline } from './model';
import type { Rng } from './random';
import { seatsOn } from './subscriptions';

/** Workloads of the monthly-active-users file. Dynamics workloads carry the product family name, as PCI filters on it. */
export const MAU_WORKLOADS = ['Exchange', 'SharePoint', 'Teams', 'Dynamics 365 Customer Engagement', 'Dynamics 365 Finance and Operations', 'Power BI'] as const;

interface Adoption {
  /** Share of licenses assigned at purchase and after it settles; months it takes. */
  deploy0: number;
  deployTarget: number;
  /** Share of assigned users active in the last 28 days. */
  usage: number;
}

export interface Telemetry {
  licenseUsage: CsvRow[];
  monthlyActiveUsers: CsvRow[];
}

/**
 * License telemetry and monthly active users, month by month from the subscriptions: purchased
 * seats at the end of the month, assigned seats ramping up after purchase (rarely above purchased),
 * users active in the last 28 days a share of the assigned ones; monthly active users per tenant and
 * workload from those active users (Dynamics deployments that grow cross the PCI thresholds).
 */
export function buildTelemetry(rng: Rng, partner: Partner, subs: Subscription[], timeline: Timeline): Telemetry {
  const licenseUsage: CsvRow[] = [];
  const months = monthStartsBetween(timeline.start, timeline.asOf);
  const licensed = subs.filter((s) => s.item.billingType === 'License');
  const adoption = new Map<string, Adoption>();
  for (const s of licensed) {
    const dynamics = s.item.family.startsWith('Dynamics');
    adoption.set(s.id, {
      deploy0: 0.35 + 0.4 * rng.next(),
      deployTarget: 0.8 + 0.2 * rng.next(),
      usage: dynamics ? 0.78 + 0.2 * rng.next() : 0.55 + 0.4 * rng.next(),
    });
  }
  // customer -> month -> workload -> active users
  const mau = new Map<string, Map<string, Map<string, number>>>();
  const addMau = (customerId: string, month: string, workload: string, users: number) => {
    const byMonth = mau.get(customerId) ?? new Map<string, Map<string, number>>();
    const byWorkload = byMonth.get(month) ?? new Map<string, number>();
    byWorkload.set(workload, (byWorkload.get(workload) ?? 0) + users);
    byMonth.set(month, byWorkload);
    mau.set(customerId, byMonth);
  };
  for (const month of months) {
    const end = monthEnd(month) < timeline.asOf ? monthEnd(month) : timeline.asOf;
    for (const s of licensed) {
      const seats = seatsOn(s, end);
      if (seats <= 0) continue;
      const a = adoption.get(s.id)!;
      const age = Math.max(0, (Date.parse(end) - Date.parse(s.createdDate)) / (30.44 * 86_400_000));
      const deploy = a.deployTarget - (a.deployTarget - a.deploy0) * Math.exp(-age / 3);
      let assigned = Math.round(seats * Math.min(1, deploy * (0.97 + 0.06 * rng.next())));
      if (rng.chance(0.015)) assigned = seats + rng.int(1, 3);
      let active = Math.round(assigned * Math.min(1, a.usage * (0.94 + 0.1 * rng.next())));
      if (rng.chance(0.01)) active = assigned + 1;
      licenseUsage.push({
        PartnerId: partner.id,
        Month: month,
        CustomerId: s.customer.id,
        SubscriptionId: s.id,
        ProductFamily: s.item.family,
        SkuName: s.offer.skuName,
        LicensesPurchased: seats,
        LicensesAssigned: assigned,
        ActiveUsers28Days: active,
      });
      if (s.isTrial) continue; // monthly active users count paid subscriptions only
      if (s.item.family === 'Office 365' || s.item.family === 'Microsoft 365') {
        addMau(s.customer.id, month, 'Exchange', Math.round(active * (0.95 + 0.05 * rng.next())));
        addMau(s.customer.id, month, 'Teams', Math.round(active * (0.7 + 0.28 * rng.next())));
        addMau(s.customer.id, month, 'SharePoint', Math.round(active * (0.5 + 0.4 * rng.next())));
      } else if (s.item.family.startsWith('Dynamics 365') || s.item.family === 'Power BI') {
        addMau(s.customer.id, month, s.item.family, Math.round(active * (0.97 + 0.08 * rng.next())));
      }
    }
  }
  const monthlyActiveUsers: CsvRow[] = [];
  for (const [customerId, byMonth] of mau) {
    for (const [month, byWorkload] of byMonth) {
      for (const workload of MAU_WORKLOADS) {
        const users = byWorkload.get(workload);
        if (users === undefined || users <= 0) continue;
        monthlyActiveUsers.push({ PartnerId: partner.id, Month: month, CustomerId: customerId, Workload: workload, ActiveUsers: users });
      }
    }
  }
  return { licenseUsage, monthlyActiveUsers };
}
