import type { Warehouse } from '../../warehouse/db';
import { P1, P2, customerId, startTestEnv, type TestEnv } from '../gateway/harness';

/**
 * Referral fixture for the two harness partners, inserted with SQL. "Today" in these tests is
 * TODAY (PI_TODAY): 2024-06-15T10:30:00Z.
 *
 * P1 (locations 1001 US, 1002 IN, 1003 CA):
 *   r-new-1        New, 1001, Northwind (customer 0), created 06-10 09:00, expires 06-24 09:00
 *   r-new-2        New, 1002, Adventure Works (customer 1), created 06-05 12:00
 *   r-new-3        New, 1001, no customer id, created 06-12 08:00
 *   r-boundary     New, 1003, created 06-01 10:30:00: expires exactly at TODAY (still New at TODAY)
 *   r-expired      New in storage, created 05-20 08:00: Expired as of TODAY (expiredAt 06-03 08:00)
 *   r-active       Active, 1001, Northwind, 10000 USD, Co-sell, Sales qualified, 2 contacts
 *   r-active-eur   Active, 1003, 5000 EUR (5400 USD), Marketing qualified
 *   r-active-in    Active, 1002, 3000 USD
 *   r-won          Won, 1001, Northwind, 20000 USD, with an Incomplete deal registration dr-incomplete
 *   r-won-2        Won, 1002, 7000 USD, no registration
 *   r-won-3        Won, 1001, 1500 USD, registration dr-in-progress (In progress)
 *   r-lost         Lost, 1002
 *   r-declined     Declined, 1001, "Not a fit"
 *   r-old-expired  Expired (stored), 1003, Outgoing, Unqualified
 * P2 (location 2001): r-p2-new (New), r-p2-active (Active, 900 EUR); fx rate GBP->USD.
 * fx_rates P1: EUR->USD 1.08 (06-01), 1.10 (06-10), 1.20 (06-20, after TODAY: never used).
 */
export const TODAY = '2024-06-15T10:30:00Z';
export const P1_REFERRALS = 14;

interface R {
  p?: string;
  id: string;
  mpn: string;
  name?: string | null;
  dir?: string;
  source?: string;
  type?: string;
  solution?: string;
  customer?: string | null;
  customerName: string;
  country?: string;
  status: string;
  value?: string | null;
  currency?: string | null;
  usd?: string | null;
  timeFrame?: string | null;
  crm?: string | null;
  notes?: string | null;
  declineReason?: string | null;
  created: string;
  accepted?: string | null;
  declined?: string | null;
  won?: string | null;
  lost?: string | null;
  expired?: string | null;
}

const SOL = 'Contoso Cloud Migration';
const SOL2 = 'Contoso Dynamics Accelerator';

export const REFERRALS: R[] = [
  { id: 'r-new-1', mpn: '1001', customer: customerId(P1, 0), customerName: 'Northwind Traders', status: 'New', created: '2024-06-10 09:00:00', notes: 'Wants to move 40 VMs' },
  { id: 'r-new-2', mpn: '1002', customer: customerId(P1, 1), customerName: 'Adventure Works', country: 'IN', status: 'New', created: '2024-06-05 12:00:00', solution: SOL2 },
  { id: 'r-new-3', mpn: '1001', customerName: 'Fourth Coffee', status: 'New', created: '2024-06-12 08:00:00' },
  { id: 'r-boundary', mpn: '1003', customerName: 'Boundary Bikes', country: 'CA', status: 'New', created: '2024-06-01 10:30:00' },
  { id: 'r-expired', mpn: '1001', customerName: 'Late Logistics', status: 'New', created: '2024-05-20 08:00:00' },
  {
    id: 'r-active', mpn: '1001', name: 'Northwind migration', dir: 'Incoming', source: 'Sales qualified', type: 'Co-sell',
    customer: customerId(P1, 0), customerName: 'Northwind Traders', status: 'Active', value: '10000', currency: 'USD', usd: '10000',
    timeFrame: '1-3 months', crm: 'CRM-0042', created: '2024-05-01 09:00:00', accepted: '2024-05-02 10:00:00',
  },
  {
    id: 'r-active-eur', mpn: '1003', name: 'Tailwind rollout', source: 'Marketing qualified', customerName: 'Tailwind Traders', country: 'CA',
    status: 'Active', value: '5000', currency: 'EUR', usd: '5400', timeFrame: '3-6 months', created: '2024-05-05 09:00:00', accepted: '2024-05-06 09:00:00',
  },
  {
    id: 'r-active-in', mpn: '1002', name: 'Bangalore pilot', customerName: 'Proseware', country: 'IN', status: 'Active', value: '3000', currency: 'USD', usd: '3000',
    created: '2024-05-07 09:00:00', accepted: '2024-05-08 09:00:00',
  },
  {
    id: 'r-won', mpn: '1001', name: 'Northwind phase 1', customer: customerId(P1, 0), customerName: 'Northwind Traders', status: 'Won',
    value: '20000', currency: 'USD', usd: '20000', created: '2024-03-01 09:00:00', accepted: '2024-03-02 09:00:00', won: '2024-04-01 09:00:00',
  },
  {
    id: 'r-won-2', mpn: '1002', name: 'Won in Bangalore', customerName: 'Contoso Pharma', country: 'IN', status: 'Won', value: '7000', currency: 'USD', usd: '7000',
    created: '2024-03-05 09:00:00', accepted: '2024-03-06 09:00:00', won: '2024-04-05 09:00:00',
  },
  {
    id: 'r-won-3', mpn: '1001', name: 'Already registered', customerName: 'Lucerne Publishing', status: 'Won', value: '1500', currency: 'USD', usd: '1500',
    created: '2024-02-05 09:00:00', accepted: '2024-02-06 09:00:00', won: '2024-03-05 09:00:00',
  },
  {
    id: 'r-lost', mpn: '1002', name: 'Lost deal', customerName: 'Margie Travel', country: 'IN', status: 'Lost', value: '800', currency: 'USD', usd: '800',
    created: '2024-02-01 09:00:00', accepted: '2024-02-02 09:00:00', lost: '2024-02-20 09:00:00',
  },
  { id: 'r-declined', mpn: '1001', customerName: 'Wingtip Toys', status: 'Declined', declineReason: 'Not a fit', created: '2024-04-01 09:00:00', declined: '2024-04-02 09:00:00' },
  {
    id: 'r-old-expired', mpn: '1003', dir: 'Outgoing', source: 'Unqualified', customerName: 'Old Orchard', country: 'CA', status: 'Expired', solution: SOL2,
    created: '2024-01-01 09:00:00', expired: '2024-01-15 09:00:00',
  },
  { p: P2, id: 'r-p2-new', mpn: '2001', customerName: 'Tailspin Toys', country: 'DE', status: 'New', created: '2024-06-11 09:00:00' },
  {
    p: P2, id: 'r-p2-active', mpn: '2001', name: 'Fabrikam deal', customer: customerId(P2, 0), customerName: 'Northwind Traders GmbH', country: 'DE',
    status: 'Active', value: '900', currency: 'EUR', usd: '990', created: '2024-05-11 09:00:00', accepted: '2024-05-12 09:00:00',
  },
];

export async function insertReferralFixture(db: Warehouse): Promise<void> {
  for (const r of REFERRALS) {
    await db.run(
      `INSERT INTO referrals (partner_id, referral_id, mpn_id, engagement_name, direction, source, referral_type, solution, customer_id,
         customer_name, customer_country, status, deal_value, currency, deal_value_usd, purchase_time_frame, crm_id, notes, decline_reason,
         created_at, accepted_at, declined_at, won_at, lost_at, expired_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, CAST($13 AS DECIMAL(18,6)), $14, CAST($15 AS DECIMAL(18,6)), $16, $17, $18, $19,
         CAST($20 AS TIMESTAMP), CAST($21 AS TIMESTAMP), CAST($22 AS TIMESTAMP), CAST($23 AS TIMESTAMP), CAST($24 AS TIMESTAMP), CAST($25 AS TIMESTAMP))`,
      [
        r.p ?? P1, r.id, r.mpn, r.name ?? null, r.dir ?? 'Incoming', r.source ?? 'Direct', r.type ?? 'Independent', r.solution ?? SOL,
        r.customer ?? null, r.customerName, r.country ?? 'US', r.status, r.value ?? null, r.currency ?? null, r.usd ?? null,
        r.timeFrame ?? null, r.crm ?? null, r.notes ?? null, r.declineReason ?? null,
        r.created, r.accepted ?? null, r.declined ?? null, r.won ?? null, r.lost ?? null, r.expired ?? null,
      ],
    );
  }
  await db.run(`INSERT INTO referral_contacts (partner_id, referral_id, side, first_name, last_name, email, phone) VALUES
    ('${P1}', 'r-active', 'Customer', 'Jane', 'Doe', 'jane@northwind.example', '+1 425 555 0100'),
    ('${P1}', 'r-active', 'Partner', 'Sam', 'Seller', 'sam@contoso-partner.com', NULL),
    ('${P2}', 'r-p2-active', 'Customer', 'Jonas', 'Weber', 'jonas@northwind.de', NULL)`);
  await db.run(`INSERT INTO fx_rates (partner_id, rate_date, from_currency, to_currency, rate) VALUES
    ('${P1}', DATE '2024-06-01', 'EUR', 'USD', 1.08),
    ('${P1}', DATE '2024-06-10', 'EUR', 'USD', 1.10),
    ('${P1}', DATE '2024-06-20', 'EUR', 'USD', 1.20),
    ('${P1}', DATE '2024-06-10', 'USD', 'EUR', 0.91),
    ('${P1}', DATE '2024-06-05', 'USD', 'AUD', 1.6),
    ('${P2}', DATE '2024-06-01', 'GBP', 'USD', 1.27)`);
  await db.run(`INSERT INTO deal_registrations (partner_id, registration_id, referral_id, company_name, country, city, state_province, solution,
      contract_type, total_contract_value, solution_value, currency, deployed_on, deployment_tenant, contract_start_date, contract_end_date,
      contract_signed_date, contact_first_name, contact_last_name, contact_phone, contact_email, status, registered_at) VALUES
    ('${P1}', 'dr-incomplete', 'r-won', 'Northwind Traders', 'US', NULL, NULL, '${SOL}', 'New', 20000, NULL, 'USD', NULL, NULL,
      DATE '2024-04-01', NULL, NULL, NULL, NULL, NULL, NULL, 'Incomplete', NULL),
    ('${P1}', 'dr-in-progress', 'r-won-3', 'Lucerne Publishing', 'US', 'Seattle', 'WA', '${SOL}', 'Renewal', 1500, 1200, 'USD', 'Azure',
      'Customer tenant', DATE '2024-03-10', DATE '2025-03-09', DATE '2024-03-08', 'Sam', 'Seller', '+1 425 555 0101', 'sam@contoso-partner.com',
      'In progress', TIMESTAMP '2024-03-12 09:00:00'),
    ('${P1}', 'dr-approved', NULL, 'Coho Winery', 'US', 'Napa', 'CA', '${SOL2}', 'New', 50000, 40000, 'USD', 'Azure',
      'Partner tenant', DATE '2024-01-10', NULL, DATE '2024-01-05', 'Alice', 'Admin', '+1 425 555 0102', 'alice@contoso-partner.com',
      'Approved', TIMESTAMP '2024-01-12 09:00:00'),
    ('${P2}', 'dr-p2', 'r-p2-active', 'Northwind Traders GmbH', 'DE', 'Berlin', 'Berlin', 'Fabrikam Suite', 'New', 900, 900, 'EUR', 'Other',
      'Customer tenant', DATE '2024-05-20', NULL, DATE '2024-05-19', 'Dana', 'D', '+49 30 1234', 'dana@fabrikam.de', 'Approved',
      TIMESTAMP '2024-05-21 09:00:00')`);
}

/** The stored row of a referral (no scoping: what is really in the warehouse). */
export async function storedReferral(db: Warehouse, partner: string, id: string): Promise<Record<string, any> | undefined> {
  return db.one(
    `SELECT status, engagement_name, deal_value, currency, deal_value_usd, purchase_time_frame, crm_id, notes, decline_reason,
       strftime(accepted_at, '%Y-%m-%dT%H:%M:%SZ') AS accepted_at, strftime(declined_at, '%Y-%m-%dT%H:%M:%SZ') AS declined_at,
       strftime(won_at, '%Y-%m-%dT%H:%M:%SZ') AS won_at, strftime(lost_at, '%Y-%m-%dT%H:%M:%SZ') AS lost_at,
       strftime(expired_at, '%Y-%m-%dT%H:%M:%SZ') AS expired_at
     FROM referrals WHERE partner_id = $1 AND referral_id = $2`,
    [partner, id],
  );
}

/** PI_TODAY for the duration of a test file (restored afterwards). */
export function useToday(value: string = TODAY): void {
  let previous: string | undefined;
  beforeAll(() => {
    previous = process.env.PI_TODAY;
    process.env.PI_TODAY = value;
  });
  afterAll(() => {
    if (previous === undefined) delete process.env.PI_TODAY;
    else process.env.PI_TODAY = previous;
  });
}

/**
 * The suite's TestEnv with this fixture inserted, started before its tests and closed after, with
 * PI_TODAY at TODAY while the suite runs (useToday): `onStarted` receives it, and mints the suite's tokens.
 */
export function referralFixtureForSuite(onStarted: (env: TestEnv) => Promise<void>): void {
  let env: TestEnv | undefined;
  useToday();
  beforeAll(async () => {
    env = await startTestEnv();
    await insertReferralFixture(env.warehouse);
    await onStarted(env);
  });
  afterAll(() => env?.close());
}
