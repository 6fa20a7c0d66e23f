import { monthSpecs, pciScores } from '../../warehouse/insights/pci';
import { certificationCounts, largeDeploymentsByMonth, mauByMonth, netCustomerAddsByMonth, netNewRevenueByMonth } from '../../warehouse/insights/pci/sql';
import { CE, FO, Fixture, OTHER_MPN, OUR_MPN, PciWarehouse, caller } from './pci-fixtures/fixture';

/**
 * The PCI SQL on small fixtures in an in-memory warehouse, one partner per scenario. As-of date
 * 2026-10-31: the trailing 12 months are 2025-11 .. 2026-10.
 */
const AS_OF = '2026-10-31';
const HISTORY = monthSpecs(AS_OF, 12);
const ALL = monthSpecs(AS_OF, 24);
let db: PciWarehouse;

beforeAll(async () => {
  db = await PciWarehouse.open();
});
afterAll(() => db.close());

async function partner(id: string, market: 'Developed' | 'Developing' = 'Developed'): Promise<Fixture> {
  const f = new Fixture(db, id);
  await f.location(OUR_MPN, market, true);
  await f.product('o-sales', 'Dynamics 365 Sales Enterprise', CE);
  await f.product('o-fin', 'Dynamics 365 Finance', FO);
  await f.product('o-ci', 'Dynamics 365 Customer Insights', CE);
  await f.product('o-m365', 'Microsoft 365 E3', 'Microsoft 365');
  return f;
}

describe('functional consultants and developers (certification combinations)', () => {
  beforeAll(async () => {
    const f = await partner('p-certs');
    await f.credential('i1', 'MB-200', '2025-01-01'); // MB-200 alone: nothing
    await f.credential('i2', 'MB-200', '2025-01-01');
    await f.credential('i2', 'MB-210', '2025-02-01'); // CE functional consultant
    await f.credential('i3', 'MB-200', '2025-01-01');
    await f.credential('i3', 'MB-230', '2025-02-01', { expiry: '2026-06-30' }); // expired by the as-of date
    await f.credential('i4', 'MB-300', '2025-01-01');
    await f.credential('i4', 'MB6-898', '2025-01-01'); // F&O functional consultant (MB6-898 alone is not CE)
    await f.credential('i5', 'MB-200', '2025-01-01');
    await f.credential('i5', 'MB-210', '2025-01-01');
    await f.credential('i5', 'CE-FUNCTIONAL', '2025-01-01', {
      type: 'Certification',
      name: 'Microsoft Certified: Dynamics 365 Customer Engagement Functional Consultant Associate',
      expiry: '2026-09-01', // lapsed on 2026-09-01
    });
    await f.credential('i6', 'MB-200', '2025-01-01');
    await f.credential('i6', 'MB-400', '2025-01-01'); // CE developer
    await f.credential('i7', 'MB-200', '2025-01-01');
    await f.credential('i7', 'MB2-716', '2025-01-01'); // CE developer
    await f.credential('i8', 'MB-300', '2025-01-01');
    await f.credential('i8', 'MB6-894', '2025-01-01'); // F&O developer
    await f.credential('i9', 'MB-400', '2025-01-01'); // developer exam without MB-200: nothing
    await f.credential('i9', 'MB-500', '2025-01-01');
    await f.credential('i10', 'MB-200', '2025-01-01');
    await f.credential('i10', 'MB-220', '2026-11-15'); // after the as-of date
    await f.location('1002', 'Developed');
    await f.credential('i11', 'MB-200', '2025-01-01', { mpnId: '1002' });
    await f.credential('i11', 'MB-220', '2025-01-01', { mpnId: '1002' }); // another location
  });

  it('counts only complete, active combinations', async () => {
    const rows = await certificationCounts(db, caller('p-certs'), ['2026-05-31', '2026-08-31', AS_OF]);
    const at = (day: string, path: string) => rows.find((r) => r.day === day && r.path === path)!;
    // as of: i2, i11 (i3 expired, i5 lapsed, i10 not yet, i1 incomplete)
    expect(at(AS_OF, 'CUSTOMER_ENGAGEMENT')).toMatchObject({ functionalConsultants: 2, developers: 2 });
    expect(at(AS_OF, 'FINANCE_AND_OPERATIONS')).toMatchObject({ functionalConsultants: 1, developers: 1 });
    // before i5 lapsed: + i5; before i3 expired: + i3
    expect(at('2026-08-31', 'CUSTOMER_ENGAGEMENT').functionalConsultants).toBe(3);
    expect(at('2026-05-31', 'CUSTOMER_ENGAGEMENT').functionalConsultants).toBe(4);
  });

  it('a location-scoped caller counts its locations only', async () => {
    const rows = await certificationCounts(db, caller('p-certs', ['1002']), [AS_OF]);
    expect(rows.find((r) => r.path === 'CUSTOMER_ENGAGEMENT')).toMatchObject({ functionalConsultants: 1, developers: 0 });
  });
});

describe('functional consultant growth through pciScores (baseline snapshot, all or nothing)', () => {
  it('developing partner with 5 at the baseline and 7 now (40%) earns 15; with 6 now (20%) none', async () => {
    const f = await partner('p-fcg', 'Developing');
    for (let i = 0; i < 7; i++) {
      const achieved = i < 5 ? '2025-06-01' : '2026-03-01';
      await f.credential(`c${i}`, 'MB-200', achieved);
      await f.credential(`c${i}`, 'MB-210', achieved);
    }
    const r = await pciScores(db, caller('p-fcg'), { asOf: AS_OF });
    expect(r.market).toBe('Developing');
    expect(r.baseline).toBe('2025-10-01');
    const fcg = r.paths[0].indicators.find((i) => i.key === 'FUNCTIONAL_CONSULTANT_GROWTH')!;
    expect(fcg).toMatchObject({ points: 15, threshold: 0.35 });
    expect(fcg.value).toBeCloseTo(0.4);
    // Developed: baseline 5 is below 15, not eligible
    const developed = await pciScores(db, caller('p-fcg'), { asOf: AS_OF, market: 'Developed' });
    expect(developed.paths[0].indicators.find((i) => i.key === 'FUNCTIONAL_CONSULTANT_GROWTH')).toMatchObject({ points: 0, threshold: null });
    // a later baseline (6 by then) makes it 16.7%: nothing
    const later = await pciScores(db, caller('p-fcg'), { asOf: AS_OF, baseline: '2026-03-15' });
    const g = later.paths[0].indicators.find((i) => i.key === 'FUNCTIONAL_CONSULTANT_GROWTH')!;
    expect(g.points).toBe(0);
    expect(g.value).toBe(0);
  });
});

describe('net customer adds: paid seats month over month', () => {
  beforeAll(async () => {
    const f = await partner('p-nca');
    // A: bought in 2026-03 with CSP credit -> add in March
    await f.paidSubscription('sA', 'A', 'o-sales', '2026-03-10', 5);
    await f.attribution('A', 'CSP', { start: '2026-03-01' });
    // B: paid since 2024, cancelled 2026-05-20 -> lost in May
    await f.paidSubscription('sB', 'B', 'o-sales', '2024-01-01', 3);
    await f.event('sB', '2026-05-20', 'Cancel', 0);
    await f.attribution('B', 'CSP', { start: '2024-01-01', end: '2026-05-20' });
    // C: a trial that never converted -> no paid seats
    await f.subscription('sC', 'C', 'o-sales', { quantity: 25, created: '2026-04-01', isTrial: true, trialStart: '2026-04-01' });
    await f.event('sC', '2026-04-01', 'Purchase', 25);
    await f.attribution('C', 'CSP');
    // D: trial from May, converted 2026-06-15 -> add in June, not May
    await f.subscription('sD', 'D', 'o-sales', { quantity: 10, created: '2026-05-01', trialStart: '2026-05-01' });
    await f.event('sD', '2026-05-01', 'Purchase', 25);
    await f.event('sD', '2026-06-15', 'TrialConversion', 10);
    await f.attribution('D', 'CSP');
    // E: bought in July, only DAP -> no credit
    await f.paidSubscription('sE', 'E', 'o-sales', '2026-07-01');
    await f.attribution('E', 'DAP', { workload: 'All' });
    // F: a second subscription for a customer already paying -> no add
    await f.paidSubscription('sF1', 'F', 'o-sales', '2025-01-01');
    await f.paidSubscription('sF2', 'F', 'o-sales', '2026-08-01');
    await f.attribution('F', 'CSP');
    // G: suspended in February, reactivated in April -> lost, then added
    await f.paidSubscription('sG', 'G', 'o-sales', '2025-01-01');
    await f.event('sG', '2026-02-10', 'Suspend');
    await f.event('sG', '2026-04-05', 'Reactivate');
    await f.attribution('G', 'CSP');
    // H: F&O customer added in September
    await f.paidSubscription('sH', 'H', 'o-fin', '2026-09-03');
    await f.attribution('H', 'CSP', { workload: FO });
    // I: Microsoft 365 only -> not a Dynamics customer
    await f.paidSubscription('sI', 'I', 'o-m365', '2026-09-03');
    await f.attribution('I', 'CSP', { workload: 'Microsoft 365' });
  });

  it('adds and losses by month', async () => {
    const rows = await netCustomerAddsByMonth(db, caller('p-nca'), ALL);
    const inWindow = rows.filter((r) => r.month >= '2025-11-01');
    const ce = inWindow.filter((r) => r.path === 'CUSTOMER_ENGAGEMENT' && (r.adds || r.losses)).map((r) => [r.month, r.adds, r.losses]);
    expect(ce).toEqual([
      ['2026-02-01', 0, 1],
      ['2026-03-01', 1, 0],
      ['2026-04-01', 1, 0],
      ['2026-05-01', 0, 1],
      ['2026-06-01', 1, 0],
    ]);
    const fo = inWindow.filter((r) => r.path === 'FINANCE_AND_OPERATIONS' && (r.adds || r.losses)).map((r) => [r.month, r.adds, r.losses]);
    expect(fo).toEqual([['2026-09-01', 1, 0]]);
    // F and G first paid in 2025-01 (both CSP-credited): adds then, outside the window
    expect(rows.find((r) => r.path === 'CUSTOMER_ENGAGEMENT' && r.month === '2025-01-01')).toMatchObject({ adds: 2, losses: 0 });
  });

  it('the indicator sums the trailing 12 months: 3 added - 2 lost = 1 of 10 (CE), 1 of 3 (F&O)', async () => {
    const r = await pciScores(db, caller('p-nca'), { asOf: AS_OF });
    const ce = r.paths.find((p) => p.path === 'CUSTOMER_ENGAGEMENT')!.indicators.find((i) => i.key === 'NET_CUSTOMER_ADDS')!;
    expect(ce).toMatchObject({ value: 1, threshold: 10, points: 1 });
    const fo = r.paths.find((p) => p.path === 'FINANCE_AND_OPERATIONS')!.indicators.find((i) => i.key === 'NET_CUSTOMER_ADDS')!;
    expect(fo).toMatchObject({ value: 1, threshold: 3, points: 3.33 });
  });
});

describe('MAU growth and new large deployments (usage credit)', () => {
  beforeAll(async () => {
    const f = await partner('p-mau');
    // M1: CSP, 200 -> 300
    await f.paidSubscription('m1', 'M1', 'o-sales', '2024-01-01');
    await f.attribution('M1', 'CSP');
    // M2: our DPOR but another partner's CPOR via OSU holds usage -> not ours
    await f.paidSubscription('m2', 'M2', 'o-sales', '2024-01-01');
    await f.attribution('M2', 'DPOR', { subscriptionId: 'm2' });
    await f.attribution('M2', 'CPOR', { subscriptionId: 'm2', incentive: 'OSU', mpnId: OTHER_MPN });
    // M3: our CPOR via OSU -> ours
    await f.paidSubscription('m3', 'M3', 'o-sales', '2024-01-01');
    await f.attribution('M3', 'CPOR', { subscriptionId: 'm3', incentive: 'OSU' });
    // M4: our CPOR via OSA -> no usage credit
    await f.paidSubscription('m4', 'M4', 'o-sales', '2024-01-01');
    await f.attribution('M4', 'CPOR', { subscriptionId: 'm4', incentive: 'OSA' });
    const mau: [string, number[]][] = [
      // 2025-10, 2025-11, 2026-03, 2026-05, 2026-10
      ['M1', [200, 100, 260, 200, 300]], // below 250 in 2025-11, crossed in 2026-03: a new large deployment
      ['M2', [1000, 100, 900, 900, 10]], // crossed but not ours
      ['M3', [100, 300, 300, 400, 100]], // above 250 already in 2025-11: not new
      ['M4', [500, 100, 500, 500, 500]], // not ours (OSA)
    ];
    const months = ['2025-10-01', '2025-11-01', '2026-03-01', '2026-05-01', '2026-10-01'];
    for (const [c, users] of mau) for (let i = 0; i < months.length; i++) await f.mau(months[i], c, CE, users[i]);
    // N1: crosses 150 but not 250 -> a new large deployment for a developing-market partner only
    await f.paidSubscription('n1', 'N1', 'o-sales', '2024-01-01');
    await f.attribution('N1', 'DPOR', { subscriptionId: 'n1' });
    await f.mau('2025-11-01', 'N1', CE, 50);
    await f.mau('2026-06-01', 'N1', CE, 200);
    // F&O tenant crossing 100
    await f.paidSubscription('f1', 'F1', 'o-fin', '2024-01-01');
    await f.attribution('F1', 'CSP', { workload: FO });
    await f.mau('2025-11-01', 'F1', FO, 20);
    await f.mau('2026-02-01', 'F1', FO, 120);
  });

  it('credited MAU per month: CSP and CPOR-OSU tenants, not DPOR displaced by OSU nor CPOR-OSA', async () => {
    const rows = await mauByMonth(db, caller('p-mau'), ALL);
    const ce = (m: string) => rows.find((r) => r.path === 'CUSTOMER_ENGAGEMENT' && r.month === m)!.creditedUsers;
    expect(ce('2025-10-01')).toBe(300); // M1 200 + M3 100
    expect(ce('2026-10-01')).toBe(400); // M1 300 + M3 100
  });

  it('MAU growth 33% meets the 25% target', async () => {
    const r = await pciScores(db, caller('p-mau'), { asOf: AS_OF });
    const g = r.paths[0].indicators.find((i) => i.key === 'MONTHLY_ACTIVE_USER_GROWTH')!;
    expect(g.value).toBeCloseTo(1 / 3);
    expect(g).toMatchObject({ threshold: 0.25, points: 25 });
  });

  it('new large deployments: below 12 months ago then crossing; developed 250, developing 150; F&O 100', async () => {
    const developed = await largeDeploymentsByMonth(db, caller('p-mau'), ALL, HISTORY, 'Developed');
    const at = (rows: typeof developed, path: string) => rows.find((r) => r.path === path && r.month === '2026-10-01')!.tenants;
    expect(at(developed, 'CUSTOMER_ENGAGEMENT')).toBe(1); // M1
    expect(at(developed, 'FINANCE_AND_OPERATIONS')).toBe(1); // F1
    const developing = await largeDeploymentsByMonth(db, caller('p-mau'), ALL, HISTORY, 'Developing');
    expect(at(developing, 'CUSTOMER_ENGAGEMENT')).toBe(2); // M1, N1 (M3 was above 150 already)
    const r = await pciScores(db, caller('p-mau'), { asOf: AS_OF });
    expect(r.paths[0].indicators.find((i) => i.key === 'NEW_LARGE_DEPLOYMENTS')).toMatchObject({ value: 1, threshold: 5, points: 4 });
  });
});

describe('net new revenue: billings minus credits, trailing 12 months, qualifying products, USD', () => {
  beforeAll(async () => {
    const f = await partner('p-rev');
    const sub = async (id: string, offer: string, customer = `c-${id}`) => f.paidSubscription(id, customer, offer, '2024-01-01');
    await sub('s1', 'o-sales');
    await f.attribution('c-s1', 'CSP');
    await f.licenseLine('s1', '2026-01-15', 'Dynamics 365 Sales Enterprise', '1000.00');
    await f.licenseLine('s1', '2026-02-15', 'Dynamics 365 Sales Enterprise', '-200.00'); // credit
    await f.licenseLine('s1', '2025-10-15', 'Dynamics 365 Sales Enterprise', '5000.00'); // before the window
    await f.licenseLine('s1', '2026-11-05', 'Dynamics 365 Sales Enterprise', '7000.00'); // after the as-of date
    await f.invoice('INV-LATE', '2026-11-09');
    await f.licenseLine('s1', '2026-10-20', 'Dynamics 365 Sales Enterprise', '9000.00', 'USD', 'INV-LATE'); // invoiced after
    // currency: 910 EUR at 0.91 EUR per USD (latest rate on or before) = 1000 USD
    await f.fx('2026-03-01', 'USD', 'EUR', '0.910000');
    await f.fx('2026-03-20', 'USD', 'EUR', '0.500000');
    await f.licenseLine('s1', '2026-03-15', 'Dynamics 365 Sales Enterprise', '910.00', 'EUR');
    // GBP -> USD rate stored the other way round: 100 GBP × 1.25
    await f.fx('2026-01-01', 'GBP', 'USD', '1.250000');
    await f.licenseLine('s1', '2026-04-15', 'Dynamics 365 Sales Enterprise', '100.00', 'GBP');
    await f.licenseLine('s1', '2026-04-15', 'Dynamics 365 Sales Enterprise', '100.00', 'AUD'); // no rate: left out
    // not qualifying
    await sub('sci', 'o-ci');
    await f.attribution('c-sci', 'CSP');
    await f.licenseLine('sci', '2026-04-15', 'Dynamics 365 Customer Insights', '5000.00');
    await sub('sm', 'o-m365');
    await f.attribution('c-sm', 'CSP', { workload: 'Microsoft 365' });
    await f.licenseLine('sm', '2026-04-15', 'Microsoft 365 E3', '5000.00');
    // F&O
    await sub('sfin', 'o-fin');
    await f.attribution('c-sfin', 'CSP', { workload: FO });
    await f.licenseLine('sfin', '2026-04-15', 'Dynamics 365 Finance', '3000.00');
    // association
    await sub('s2', 'o-sales');
    await f.attribution('c-s2', 'DPOR', { subscriptionId: 's2' });
    await f.attribution('c-s2', 'CPOR', { subscriptionId: 's2', incentive: 'OSA', mpnId: OTHER_MPN });
    await f.licenseLine('s2', '2026-05-15', 'Dynamics 365 Sales Enterprise', '7000.00'); // the CPOR (OSA) gets it
    await sub('s3', 'o-sales');
    await f.attribution('c-s3', 'DPOR', { subscriptionId: 's3' });
    await f.attribution('c-s3', 'CPOR', { subscriptionId: 's3', incentive: 'OSU', mpnId: OTHER_MPN });
    await f.licenseLine('s3', '2026-05-15', 'Dynamics 365 Sales Enterprise', '400.00'); // ours: OSU does not take revenue
    await sub('s4', 'o-sales');
    await f.attribution('c-s4', 'CPOR', { subscriptionId: 's4', incentive: 'OSA' });
    await f.licenseLine('s4', '2026-05-15', 'Dynamics 365 Sales Enterprise', '50.00'); // ours via OSA
    await sub('s5', 'o-sales');
    await f.attribution('c-s5', 'CPOR', { subscriptionId: 's5', incentive: 'OSU' });
    await f.licenseLine('s5', '2026-05-15', 'Dynamics 365 Sales Enterprise', '20000.00'); // OSU: no revenue credit
    await sub('s6', 'o-sales');
    await f.attribution('c-s6', 'DAP', { workload: 'All' });
    await f.attribution('c-s6', 'PAL', { subscriptionId: 's6' });
    await f.licenseLine('s6', '2026-05-15', 'Dynamics 365 Sales Enterprise', '30000.00'); // DAP/PAL: nothing
    await sub('s7', 'o-sales');
    await f.attribution('c-s7', 'CSP', { start: '2026-06-01' });
    await f.licenseLine('s7', '2026-05-15', 'Dynamics 365 Sales Enterprise', '800.00'); // before our association
    await f.oneTimeLine('s7', '2026-07-10', 'Dynamics 365 Field Service', '100.00');
    await f.oneTimeLine('s7', '2026-07-20', 'Dynamics 365 Field Service', '-30.00'); // refund
  });

  it('CE: 1000 - 200 + 1000 (EUR) + 125 (GBP) + 400 + 50 + 100 - 30 = 2445.00; F&O 3000.00', async () => {
    const rows = await netNewRevenueByMonth(db, caller('p-rev'), HISTORY);
    const at = (path: string, month: string) => rows.find((r) => r.path === path && r.month === month)!;
    expect(at('CUSTOMER_ENGAGEMENT', '2026-10-01')).toMatchObject({ usd: '2445.00', unconverted: 1 });
    expect(at('FINANCE_AND_OPERATIONS', '2026-10-01').usd).toBe('3000.00');
    // 2026-01's window (2025-02 .. 2026-01) has the 2025-10 line and January's
    expect(at('CUSTOMER_ENGAGEMENT', '2026-01-01').usd).toBe('6000.00');
  });

  it('location-scoped callers get the credit of their locations only', async () => {
    const own = await netNewRevenueByMonth(db, caller('p-rev', [OUR_MPN]), HISTORY);
    expect(own.find((r) => r.path === 'CUSTOMER_ENGAGEMENT' && r.month === '2026-10-01')!.usd).toBe('2445.00');
    const elsewhere = await netNewRevenueByMonth(db, caller('p-rev', ['1002']), HISTORY);
    expect(elsewhere.every((r) => r.usd === '0.00')).toBe(true);
  });

  it('points and the revenue note', async () => {
    const r = await pciScores(db, caller('p-rev'), { asOf: AS_OF, market: 'Developing' });
    const nnr = r.paths[0].indicators.find((i) => i.key === 'NET_NEW_REVENUE')!;
    expect(nnr).toMatchObject({ value: 2445, valueText: '2445.00', unit: 'USD', threshold: 150_000, points: 0.16 });
    expect(nnr.note).toContain('1 lines without a USD rate');
    expect(r.marketSource).toBe('argument');
  });

  it('THE DOCUMENTED EXAMPLE end to end: $150,000 in a developed market earns 5 of 10', async () => {
    const f = await partner('p-example');
    await f.paidSubscription('x1', 'X', 'o-sales', '2024-01-01');
    await f.attribution('X', 'CSP');
    await f.licenseLine('x1', '2026-06-15', 'Dynamics 365 Sales Enterprise', '150000.00');
    const r = await pciScores(db, caller('p-example'), { asOf: AS_OF });
    expect(r.market).toBe('Developed');
    expect(r.paths[0].indicators.find((i) => i.key === 'NET_NEW_REVENUE')).toMatchObject({ value: 150_000, threshold: 300_000, points: 5, maxPoints: 10 });
  });
});

describe('pciScores shape', () => {
  it('two paths, seven indicators, 12 months of history, score = sum of points, scoped to the partner', async () => {
    const r = await pciScores(db, caller('p-nca'), { asOf: AS_OF });
    expect(r.paths.map((p) => p.path)).toEqual(['CUSTOMER_ENGAGEMENT', 'FINANCE_AND_OPERATIONS']);
    for (const p of r.paths) {
      expect(p.indicators).toHaveLength(7);
      expect(p.history.map((h) => h.month)).toEqual(HISTORY.map((h) => h.m));
      expect(p.history[11].score).toBe(p.score);
      expect(p.score).toBeCloseTo(p.indicators.reduce((s, i) => s + i.points, 0), 2);
      expect(p.score).toBeGreaterThanOrEqual(0);
      expect(p.score).toBeLessThanOrEqual(100);
      expect(p.furthestFromThreshold[0].pointsToGain).toBeGreaterThanOrEqual(p.furthestFromThreshold[p.furthestFromThreshold.length - 1].pointsToGain);
    }
    const none = await pciScores(db, caller('p-nobody'), { asOf: AS_OF });
    expect(none.paths.every((p) => p.score === 0)).toBe(true);
  });
});
