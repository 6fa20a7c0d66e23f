import type { Warehouse } from '../../warehouse/db';
import { P1, P1_CUSTOMERS, P2, customerId, startTestEnv, type TestEnv } from '../gateway/harness';
import { useToday } from '../referrals/fixture';

/**
 * Subscriptions fixture, on top of the gateway harness fixture (P1: 150 customers at locations
 * 1001 US / 1002 IN / 1003 CA by i % 3, resellers 5001/5002; P2: 3 customers at 2001).
 *
 * "Today" is TODAY (PI_TODAY). Named subscriptions the tests act on, all of P1 unless said:
 * - sub-monthly    customer 0 (1001), M365 Business Basic, Monthly, 2 × 4.00, created 2024-04-15, reseller 5001
 * - sub-annual     customer 0 (1001), Office 365 E3, Annual, 10 × 23.00, created 2024-02-20, sold directly (reseller = 1001)
 * - sub-suspended  customer 3 (1001), M365 BB, Monthly, 5 × 4.00, created 2024-01-10, suspended 2024-04-01
 * - sub-expired    customer 3 (1001), M365 BB, Monthly, suspended 2023-12-01 (past its 90 days on TODAY)
 * - sub-canceled   customer 3 (1001), Deprovisioned
 * - sub-saas-today customer 6 (1001), ISV SaaS (Adatum), Monthly, 4 × 3.00, ordered TODAY
 * - sub-saas-old   customer 6 (1001), ISV SaaS, Monthly, ordered 2024-05-01 (past its 24 hours)
 * - sub-saas-year  customer 6 (1001), ISV SaaS, Annual, ordered 2024-05-01 (inside its 14 days)
 * - sub-azure      customer 6 (1001), Azure plan (usage)
 * - sub-ri         customer 6 (1001), reserved instance (one-time, Microsoft)
 * - sub-in         customer 1 (1002 IN), Office 365 E3, Monthly, 3 × 23.00, reseller -1 (removed)
 * - sub-p2         P2's customer 0 (2001), M365 BB, Monthly (EUR)
 * Plus generated ones: every P1 customer i has gen-i-a (Office 365 E3, Monthly, created 2023-01-01 + i
 * days) and, for even i, gen-i-b (Power BI Pro, Annual); gen-i-a is Suspended when i % 10 == 3.
 */
export const TODAY = '2024-05-10';

export const OFFERS = {
  m365bb: 'OFFER-M365BB',
  o365e3: 'OFFER-O365E3',
  o365e3Trial: 'OFFER-O365E3-TRIAL',
  m365bpTrial: 'OFFER-M365BP-TRIAL',
  pbi: 'OFFER-PBIPRO',
  azure: 'OFFER-AZURE',
  saas: 'OFFER-SAAS',
  ri: 'OFFER-RI',
};

/** Generated subscriptions per P1 customer i: "a" always, "b" for even i. */
export const generatedCount = (customers: number[]) => customers.reduce((n, i) => n + (i % 2 === 0 ? 2 : 1), 0);

export async function insertSubscriptionFixture(db: Warehouse): Promise<void> {
  await db.run(`INSERT INTO products (partner_id, offer_id, product_id, sku_id, product_name, sku_name, offer_name, product_family, billing_type, unit_price, currency, publisher_name, is_trial_offer) VALUES
    ('${P1}', '${OFFERS.m365bb}', 'CFQ7TTC0LH18', '0001', 'Microsoft 365 Business Basic', 'Microsoft 365 Business Basic', 'Microsoft 365 Business Basic', 'Microsoft 365', 'License', 4.00, 'USD', 'Microsoft Corporation', false),
    ('${P1}', '${OFFERS.o365e3}', 'CFQ7TTC0LFLX', '0001', 'Office 365 E3', 'Office 365 E3', 'Office 365 E3', 'Office 365', 'License', 23.00, 'USD', 'Microsoft Corporation', false),
    ('${P1}', '${OFFERS.o365e3Trial}', 'CFQ7TTC0LFLX', '0002', 'Office 365 E3', 'Office 365 E3 Trial', 'Office 365 E3 Trial', 'Office 365', 'License', 0, 'USD', 'Microsoft Corporation', true),
    ('${P1}', '${OFFERS.m365bpTrial}', 'CFQ7TTC0LCHC', '0002', 'Microsoft 365 Business Premium', 'Microsoft 365 Business Premium Trial', 'Microsoft 365 Business Premium Trial', 'Microsoft 365', 'License', 0, 'USD', 'Microsoft Corporation', true),
    ('${P1}', '${OFFERS.pbi}', 'CFQ7TTC0L3PB', '0001', 'Power BI Pro', 'Power BI Pro', 'Power BI Pro', 'Power BI', 'License', 14.00, 'USD', 'Microsoft Corporation', false),
    ('${P1}', '${OFFERS.azure}', 'DZH318Z0BPS6', '0001', 'Azure plan', 'Azure plan', 'Azure plan', 'Azure', 'Usage', 0, 'USD', 'Microsoft Corporation', false),
    ('${P1}', '${OFFERS.saas}', 'DZH318Z0BNZ5', '0001', 'Adatum Secure Backup for Microsoft 365', 'Adatum Secure Backup', 'Adatum Secure Backup for Microsoft 365', 'Marketplace', 'OneTime', 3.00, 'USD', 'Adatum Corporation', false),
    ('${P1}', '${OFFERS.ri}', 'DZH318Z0BQ4H', '0013', 'Reserved VM Instance, Standard_D4s_v5, US East, 1 Year', 'Standard_D4s_v5 US East 1 Year', 'Reserved VM Instance, Standard_D4s_v5, US East, 1 Year', 'Azure', 'OneTime', 1226.40, 'USD', 'Microsoft Corporation', false),
    ('${P2}', '${OFFERS.m365bb}', 'CFQ7TTC0LH18', '0001', 'Microsoft 365 Business Basic', 'Microsoft 365 Business Basic', 'Microsoft 365 Business Basic (EU)', 'Microsoft 365', 'License', 3.90, 'EUR', 'Microsoft Corporation', false)`);

  const c = (i: number) => customerId(P1, i);
  const sub = (
    id: string, customer: string, mpn: string, offer: string, type: string, freq: string, qty: number, price: string, status: string,
    created: string, extra: { reseller?: string | null; termStart?: string | null; termEnd?: string | null; autoRenew?: boolean; suspended?: string | null; canceled?: string | null; name?: string; partner?: string; currency?: string } = {},
  ) => {
    const termStart = extra.termStart === undefined ? (type === 'Usage' ? null : created) : extra.termStart;
    const termEnd = extra.termEnd === undefined ? (termStart ? endOfTerm(termStart) : null) : extra.termEnd;
    const q = (v: string | null | undefined) => (v == null ? 'NULL' : `'${v}'`);
    const d = (v: string | null | undefined) => (v == null ? 'NULL' : `DATE '${v}'`);
    return `('${extra.partner ?? P1}', '${id}', '${extra.name ?? id}', ${qty}, '${status}', ${q(extra.reseller ?? null)}, '${customer}', '${mpn}', '${offer}', '${type}', '${freq}', ${price}, '${extra.currency ?? 'USD'}', DATE '${created}', ${d(termStart)}, ${d(termEnd)}, ${extra.autoRenew ?? type !== 'Usage'}, false, NULL, NULL, ${d(extra.suspended)}, ${d(extra.canceled)})`;
  };
  const rows = [
    sub('sub-monthly', c(0), '1001', OFFERS.m365bb, 'License', 'Monthly', 2, '4.00', 'Active', '2024-04-15', { reseller: '5001', name: 'Basic for sales team' }),
    sub('sub-annual', c(0), '1001', OFFERS.o365e3, 'License', 'Annual', 10, '23.00', 'Active', '2024-02-20', { reseller: '1001', name: 'E3 headquarters' }),
    sub('sub-suspended', c(3), '1001', OFFERS.m365bb, 'License', 'Monthly', 5, '4.00', 'Suspended', '2024-01-10', { suspended: '2024-04-01' }),
    sub('sub-expired', c(3), '1001', OFFERS.m365bb, 'License', 'Monthly', 1, '4.00', 'Suspended', '2023-09-10', { suspended: '2023-12-01' }),
    sub('sub-canceled', c(3), '1001', OFFERS.m365bb, 'License', 'Monthly', 1, '4.00', 'Deprovisioned', '2023-09-10', { canceled: '2023-10-01', autoRenew: false }),
    sub('sub-saas-today', c(6), '1001', OFFERS.saas, 'OneTime', 'Monthly', 4, '3.00', 'Active', TODAY),
    sub('sub-saas-old', c(6), '1001', OFFERS.saas, 'OneTime', 'Monthly', 4, '3.00', 'Active', '2024-05-01'),
    sub('sub-saas-year', c(6), '1001', OFFERS.saas, 'OneTime', 'Annual', 2, '36.00', 'Active', '2024-05-01'),
    sub('sub-azure', c(6), '1001', OFFERS.azure, 'Usage', 'Monthly', 1, '0', 'Active', '2024-03-01'),
    sub('sub-ri', c(6), '1001', OFFERS.ri, 'OneTime', 'None', 1, '1226.40', 'Active', '2024-03-01'),
    sub('sub-in', c(1), '1002', OFFERS.o365e3, 'License', 'Monthly', 3, '23.00', 'Active', '2024-03-05', { reseller: '-1' }),
    sub('sub-p2', customerId(P2, 0), '2001', OFFERS.m365bb, 'License', 'Monthly', 7, '3.90', 'Active', '2024-02-01', { partner: P2, reseller: '5001', currency: 'EUR' }),
  ];
  const mpn = ['1001', '1002', '1003'];
  for (let i = 0; i < P1_CUSTOMERS; i++) {
    const created = addDaysIso('2023-01-01', i);
    const reseller = i % 5 === 0 ? '5001' : i % 5 === 1 ? '5002' : mpn[i % 3];
    rows.push(
      sub(`gen-${i}-a`, c(i), mpn[i % 3], OFFERS.o365e3, 'License', 'Monthly', 10 + i, '23.00', i % 10 === 3 ? 'Suspended' : 'Active', created, {
        reseller,
        suspended: i % 10 === 3 ? '2024-05-01' : null,
      }),
    );
    if (i % 2 === 0) rows.push(sub(`gen-${i}-b`, c(i), mpn[i % 3], OFFERS.pbi, 'License', 'Annual', 5, '14.00', 'Active', addDaysIso(created, 30), { reseller }));
  }
  await db.run(`INSERT INTO subscriptions (partner_id, subscription_id, friendly_name, quantity, status, reseller_mpn_id, customer_id, mpn_id, offer_id,
    billing_type, billing_frequency, unit_price, currency, created_date, term_start_date, term_end_date, auto_renew, is_trial, trial_start_date,
    trial_end_date, suspended_date, canceled_date) VALUES ${rows.join(',\n')}`);

  const ev = (partner: string, id: string, sub: string, date: string, type: string, before: number | null, after: number | null, actor = 'alice@contoso-partner.com') =>
    `('${partner}', '${id}', '${sub}', DATE '${date}', '${type}', ${before ?? 'NULL'}, ${after ?? 'NULL'}, NULL, '${actor}')`;
  await db.run(`INSERT INTO subscription_events (partner_id, event_id, subscription_id, event_date, event_type, quantity_before, quantity_after, detail, actor) VALUES
    ${ev(P1, 'ev-monthly-1', 'sub-monthly', '2024-04-15', 'Purchase', 0, 2)},
    ${ev(P1, 'ev-annual-1', 'sub-annual', '2024-02-20', 'Purchase', 0, 10)},
    ${ev(P1, 'ev-susp-1', 'sub-suspended', '2024-01-10', 'Purchase', 0, 5)},
    ${ev(P1, 'ev-susp-2', 'sub-suspended', '2024-04-01', 'Suspend', null, null)},
    ${ev(P1, 'ev-exp-1', 'sub-expired', '2023-09-10', 'Purchase', 0, 1)},
    ${ev(P1, 'ev-exp-2', 'sub-expired', '2023-12-01', 'Suspend', null, null)},
    ${ev(P1, 'ev-can-1', 'sub-canceled', '2023-09-10', 'Purchase', 0, 1)},
    ${ev(P1, 'ev-can-2', 'sub-canceled', '2023-10-01', 'Cancel', 1, 0)},
    ${ev(P1, 'ev-saas-today-1', 'sub-saas-today', TODAY, 'Purchase', 0, 4)},
    ${ev(P1, 'ev-saas-old-1', 'sub-saas-old', '2024-05-01', 'Purchase', 0, 4)},
    ${ev(P1, 'ev-saas-year-1', 'sub-saas-year', '2024-05-01', 'Purchase', 0, 2)},
    ${ev(P1, 'ev-azure-1', 'sub-azure', '2024-03-01', 'Purchase', 0, 1)},
    ${ev(P1, 'ev-ri-1', 'sub-ri', '2024-03-01', 'Purchase', 0, 1)},
    ${ev(P1, 'ev-in-1', 'sub-in', '2024-03-05', 'Purchase', 0, 3)},
    ${ev(P1, 'ev-in-2', 'sub-in', '2024-04-10', 'QuantityChange', 2, 3)},
    ${ev(P2, 'ev-p2-1', 'sub-p2', '2024-02-01', 'Purchase', 0, 7, 'dana@fabrikam.de')}`);

  await db.run(`INSERT INTO license_usage (partner_id, month, customer_id, subscription_id, product_family, sku_name, licenses_purchased, licenses_assigned, active_users_28d) VALUES
    ('${P1}', DATE '2024-03-01', '${c(0)}', 'sub-annual', 'Office 365', 'Office 365 E3', 10, 6, 3),
    ('${P1}', DATE '2024-04-01', '${c(0)}', 'sub-annual', 'Office 365', 'Office 365 E3', 10, 8, 6),
    ('${P2}', DATE '2024-04-01', '${customerId(P2, 0)}', 'sub-p2', 'Microsoft 365', 'Microsoft 365 Business Basic', 7, 7, 7)`);
}

function addDaysIso(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

function endOfTerm(start: string): string {
  const d = new Date(`${start}T00:00:00Z`);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  d.setUTCDate(d.getUTCDate() - 1);
  return d.toISOString().slice(0, 10);
}

/**
 * The suite's TestEnv with this fixture inserted, started before its tests and closed after, with
 * PI_TODAY at TODAY while the suite runs (restored after): `onStarted` receives it.
 */
export function subscriptionFixtureForSuite(onStarted: (env: TestEnv) => void): void {
  let env: TestEnv | undefined;
  useToday(TODAY);
  beforeAll(async () => {
    env = await startTestEnv();
    await insertSubscriptionFixture(env.warehouse);
    onStarted(env);
  });
  afterAll(() => env?.close());
}
