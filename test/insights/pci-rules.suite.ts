import { existsSync, readFileSync } from 'node:fs';
import {
  ASSOCIATION_RULES,
  DEVELOPER_EXAMS,
  FUNCTIONAL_CONSULTANT_EXAMS,
  FUNCTIONAL_CONSULTANT_GROWTH_TIERS,
  INDICATORS,
  LARGE_DEPLOYMENT_MAU,
  MAU_GROWTH_MIN_BASELINE,
  THRESHOLDS,
  creditedPartners,
  defaultBaseline,
  functionalConsultantGrowthPoints,
  functionalConsultantGrowthTarget,
  furthestFromThreshold,
  holdsCertification,
  marketOfLocations,
  mauGrowthPoints,
  partialPoints,
  partnerCredited,
  type CredentialFact,
} from '../../warehouse/insights/pci';

/** The PCI rules as pure functions and the thresholds as data, against the documentation. */

const DOC = '/work/shared/reference/seeds/001_ca1fae7c3c9a2cc0.txt';

describe('thresholds (Tables 1-3, reference lines 16981-17008)', () => {
  it('max points are 10/10/15/15/5/20/25, total 100', () => {
    expect(INDICATORS.map((i) => i.maxPoints)).toEqual([10, 10, 15, 15, 5, 20, 25]);
    expect(INDICATORS.reduce((s, i) => s + i.maxPoints, 0)).toBe(100);
    expect(INDICATORS.filter((i) => !i.partialPoints).map((i) => i.key)).toEqual(['FUNCTIONAL_CONSULTANT_GROWTH']);
  });

  // Every cell of Table 1 and Table 2 as the documentation prints it:
  // NNR, net customer adds, functional consultants, developers, new large deployments, MAU growth.
  const cells = {
    CUSTOMER_ENGAGEMENT: { Developed: [300_000, 10, 15, 5, 5, 0.25], Developing: [150_000, 5, 5, 2, 1, 0.25] },
    FINANCE_AND_OPERATIONS: { Developed: [300_000, 3, 15, 5, 3, 0.25], Developing: [150_000, 1, 5, 2, 1, 0.25] },
  } as const;
  it.each([
    ['CUSTOMER_ENGAGEMENT', 'Developed'],
    ['CUSTOMER_ENGAGEMENT', 'Developing'],
    ['FINANCE_AND_OPERATIONS', 'Developed'],
    ['FINANCE_AND_OPERATIONS', 'Developing'],
  ] as const)('%s %s matches the table cell by cell', (path, market) => {
    const t = THRESHOLDS[path][market];
    expect([t.NET_NEW_REVENUE, t.NET_CUSTOMER_ADDS, t.FUNCTIONAL_CONSULTANTS, t.DEVELOPERS, t.NEW_LARGE_DEPLOYMENTS, t.MONTHLY_ACTIVE_USER_GROWTH]).toEqual(
      cells[path][market],
    );
  });

  it('Table 3: baselines 15-29/5-14 need 35%, 30-49/15-24 need 25%, 50+/25+ need 15%', () => {
    expect(FUNCTIONAL_CONSULTANT_GROWTH_TIERS).toEqual([
      { baseline: { Developed: { min: 15, max: 29 }, Developing: { min: 5, max: 14 } }, growth: 0.35 },
      { baseline: { Developed: { min: 30, max: 49 }, Developing: { min: 15, max: 24 } }, growth: 0.25 },
      { baseline: { Developed: { min: 50, max: null }, Developing: { min: 25, max: null } }, growth: 0.15 },
    ]);
  });

  it('high-usage and MAU-growth baselines: CE 250/150, F&O 100/50', () => {
    expect(LARGE_DEPLOYMENT_MAU).toEqual({ CUSTOMER_ENGAGEMENT: { Developed: 250, Developing: 150 }, FINANCE_AND_OPERATIONS: { Developed: 100, Developing: 50 } });
    expect(MAU_GROWTH_MIN_BASELINE).toEqual(LARGE_DEPLOYMENT_MAU);
  });

  (existsSync(DOC) ? it : it.skip)('agrees with the table rows parsed from the documentation itself', () => {
    const lines = readFileSync(DOC, 'utf8').split('\n');
    const table = (title: string) => {
      const at = lines.findIndex((l, i) => i > 16900 && l.startsWith(title));
      expect(at).toBeGreaterThan(0);
      const row = (label: string) => lines.slice(at, at + 10).find((l) => l.startsWith(label))!.split('\t').slice(1);
      return { Developed: row('Developed'), Developing: row('Developing'), max: row('Max pts') };
    };
    const parse = (cell: string) => (cell.includes('%') ? Number(cell.replace('%', '')) / 100 : Number(cell.replace(/[\\$,]/g, '')));
    for (const [title, path] of [
      ['Table 1: Customer Engagement', 'CUSTOMER_ENGAGEMENT'],
      ['Table 2: Finance and Operations', 'FINANCE_AND_OPERATIONS'],
    ] as const) {
      const t = table(title);
      expect(t.max.map((c) => Number(c.replace(' pts', '')))).toEqual(INDICATORS.map((i) => i.maxPoints));
      for (const market of ['Developed', 'Developing'] as const) {
        const [nnr, nca, fc, fcg, dev, nld, mau] = t[market];
        expect(fcg).toContain('See note');
        const ours = THRESHOLDS[path][market];
        expect([parse(nnr), parse(nca), parse(fc), parse(dev), parse(nld), parse(mau)]).toEqual([
          ours.NET_NEW_REVENUE,
          ours.NET_CUSTOMER_ADDS,
          ours.FUNCTIONAL_CONSULTANTS,
          ours.DEVELOPERS,
          ours.NEW_LARGE_DEPLOYMENTS,
          ours.MONTHLY_ACTIVE_USER_GROWTH,
        ]);
      }
    }
    const t3 = lines.findIndex((l, i) => i > 16900 && l.startsWith('Table 3: Functional Consultant Growth'));
    const tiers = lines.slice(t3, t3 + 8).filter((l) => /%$/.test(l.trim()));
    expect(tiers.map((l) => l.trim().split('\t'))).toEqual([
      ['15 - 29', '5 - 14', '35%'],
      ['30 - 49', '15 - 24', '25%'],
      ['50 and above', '25 and above', '15%'],
    ]);
  });

  it('certification exams as documented', () => {
    expect(FUNCTIONAL_CONSULTANT_EXAMS.CUSTOMER_ENGAGEMENT).toMatchObject({ core: 'MB-200', anyOf: ['MB-210', 'MB-220', 'MB-230', 'MB-240', 'MB6-898'] });
    expect(FUNCTIONAL_CONSULTANT_EXAMS.FINANCE_AND_OPERATIONS).toMatchObject({ core: 'MB-300', anyOf: ['MB-310', 'MB-320', 'MB-330', 'MB6-897', 'MB6-898'] });
    expect(DEVELOPER_EXAMS.CUSTOMER_ENGAGEMENT).toMatchObject({ core: 'MB-200', anyOf: ['MB-400', 'MB2-716'] });
    expect(DEVELOPER_EXAMS.FINANCE_AND_OPERATIONS).toMatchObject({ core: 'MB-300', anyOf: ['MB-500', 'MB6-894'] });
  });
});

describe('partial points: max × min(1, value / threshold), two decimals', () => {
  it('THE DOCUMENTED EXAMPLE: a developed-market partner with $150,000 of net new revenue earns 5 of 10 points', () => {
    expect(partialPoints(150_000, THRESHOLDS.CUSTOMER_ENGAGEMENT.Developed.NET_NEW_REVENUE, 10)).toBe(5);
    expect(partialPoints(150_000, THRESHOLDS.FINANCE_AND_OPERATIONS.Developed.NET_NEW_REVENUE, 10)).toBe(5);
    // the same revenue in a developing market meets the threshold
    expect(partialPoints(150_000, THRESHOLDS.CUSTOMER_ENGAGEMENT.Developing.NET_NEW_REVENUE, 10)).toBe(10);
  });

  it('caps at the maximum, floors at 0, rounds to two decimals', () => {
    expect(partialPoints(900_000, 300_000, 10)).toBe(10);
    expect(partialPoints(-5_000, 300_000, 10)).toBe(0);
    expect(partialPoints(1, 3, 20)).toBe(6.67);
    expect(partialPoints(2, 3, 10)).toBe(6.67);
    expect(partialPoints(null, 10, 10)).toBe(0);
    expect(partialPoints(0.125, 0.25, 25)).toBe(12.5);
  });
});

describe('functional consultant growth: all or nothing (Table 3)', () => {
  it('is not eligible below the baseline minimum: 15 developed, 5 developing', () => {
    expect(functionalConsultantGrowthPoints(14, 100, 'Developed')).toMatchObject({ eligible: false, points: 0, target: null });
    expect(functionalConsultantGrowthPoints(4, 100, 'Developing')).toMatchObject({ eligible: false, points: 0, target: null });
    expect(functionalConsultantGrowthPoints(5, 7, 'Developing')).toMatchObject({ eligible: true, points: 15 });
  });

  // [market, baseline, target, current that just meets, current just below]
  it.each([
    ['Developed', 15, 0.35, 21, 20], // 15 × 1.35 = 20.25
    ['Developed', 29, 0.35, 40, 39], // 39.15
    ['Developed', 30, 0.25, 38, 37], // 37.5
    ['Developed', 49, 0.25, 62, 61], // 61.25
    ['Developed', 50, 0.15, 58, 57], // 57.5
    ['Developed', 200, 0.15, 230, 229],
    ['Developing', 5, 0.35, 7, 6], // 6.75
    ['Developing', 14, 0.35, 19, 18], // 18.9
    ['Developing', 15, 0.25, 19, 18], // 18.75
    ['Developing', 24, 0.25, 30, 29],
    ['Developing', 25, 0.15, 29, 28], // 28.75
    ['Developing', 60, 0.15, 69, 68],
  ] as const)('%s baseline %d needs %d growth: all 15 points or none', (market, baseline, target, meets, below) => {
    expect(functionalConsultantGrowthTarget(baseline, market)).toBe(target);
    expect(functionalConsultantGrowthPoints(baseline, meets, market)).toMatchObject({ eligible: true, target, points: 15 });
    expect(functionalConsultantGrowthPoints(baseline, below, market)).toMatchObject({ eligible: true, target, points: 0 });
  });

  it('exact growth meets the target (20 → 25 is 25%)', () => {
    expect(functionalConsultantGrowthPoints(40, 50, 'Developed').points).toBe(15);
    expect(functionalConsultantGrowthPoints(20, 27, 'Developing').points).toBe(15); // 35%
  });
});

describe('MAU growth: 25% target, partial points, baseline eligibility', () => {
  it('needs the baseline 12 months ago', () => {
    expect(mauGrowthPoints(249, 400, 250, 0.25)).toMatchObject({ eligible: false, points: 0 });
    expect(mauGrowthPoints(250, 300, 250, 0.25)).toMatchObject({ eligible: true, points: 20 }); // 20% of 25%
    expect(mauGrowthPoints(250, 400, 250, 0.25)).toMatchObject({ eligible: true, points: 25 });
    expect(mauGrowthPoints(300, 200, 250, 0.25)).toMatchObject({ eligible: true, points: 0 });
  });
});

describe('customer-to-partner association', () => {
  it('CSP earns both groups', () => {
    expect(creditedPartners([{ type: 'CSP', mpnId: 'A' }])).toEqual({ PERFORMANCE: ['A'], USAGE: ['A'] });
  });
  it('DAP and PAL earn nothing; neither does a CPOR without incentive', () => {
    expect(creditedPartners([{ type: 'DAP', mpnId: 'A' }, { type: 'PAL', mpnId: 'B' }, { type: 'CPOR', mpnId: 'C' }])).toEqual({ PERFORMANCE: [], USAGE: [] });
  });
  it('DPOR alone earns both groups', () => {
    expect(creditedPartners([{ type: 'DPOR', mpnId: 'D' }])).toEqual({ PERFORMANCE: ['D'], USAGE: ['D'] });
  });
  it('CPOR via OSA takes net new revenue and net customer adds from the DPOR; the DPOR keeps usage', () => {
    expect(creditedPartners([{ type: 'DPOR', mpnId: 'D' }, { type: 'CPOR', incentive: 'OSA', mpnId: 'C' }])).toEqual({ PERFORMANCE: ['C'], USAGE: ['D'] });
  });
  it('CPOR via OSU takes new large deployments and MAU growth from the DPOR; the DPOR keeps performance', () => {
    expect(creditedPartners([{ type: 'DPOR', mpnId: 'D' }, { type: 'CPOR', incentive: 'osu', mpnId: 'C' }])).toEqual({ PERFORMANCE: ['D'], USAGE: ['C'] });
  });
  it('CPOR via both incentives takes everything from the DPOR; CSP is never displaced', () => {
    expect(
      creditedPartners([
        { type: 'CSP', mpnId: 'S' },
        { type: 'DPOR', mpnId: 'D' },
        { type: 'CPOR', incentive: 'OSA', mpnId: 'C' },
        { type: 'CPOR', incentive: 'OSU', mpnId: 'C' },
      ]),
    ).toEqual({ PERFORMANCE: ['C', 'S'], USAGE: ['C', 'S'] });
  });
  it('partnerCredited checks our MPN IDs', () => {
    const atts = [{ type: 'DPOR', mpnId: '1001' }, { type: 'CPOR', incentive: 'OSA', mpnId: '9999' }];
    expect(partnerCredited(atts, ['1001'], 'PERFORMANCE')).toBe(false);
    expect(partnerCredited(atts, ['1001'], 'USAGE')).toBe(true);
    expect(partnerCredited(atts, ['9999'], 'PERFORMANCE')).toBe(true);
  });
  it('the rules table has CSP, DPOR and CPOR only', () => {
    expect([...new Set(ASSOCIATION_RULES.map((r) => r.type))].sort()).toEqual(['CPOR', 'CSP', 'DPOR']);
  });
});

describe('market, baseline, certifications, gaps', () => {
  it('Developing only when every location is in a developing market', () => {
    expect(marketOfLocations(['Developing', 'developing'])).toBe('Developing');
    expect(marketOfLocations(['Developing', 'Developed'])).toBe('Developed');
    expect(marketOfLocations([])).toBe('Developed');
  });

  it('default baseline: the October 1 on or before the trailing window start', () => {
    expect(defaultBaseline('2026-10-31')).toBe('2025-10-01');
    expect(defaultBaseline('2026-09-30')).toBe('2025-10-01');
    expect(defaultBaseline('2026-08-31')).toBe('2024-10-01');
    expect(defaultBaseline('2020-11-15')).toBe('2020-10-01');
    expect(defaultBaseline('2019-01-01')).toBe('2020-10-01');
  });

  const exam = (code: string, achievedDate = '2025-01-01', expiryDate: string | null = null): CredentialFact => ({ code, type: 'Exam', achievedDate, expiryDate });
  const CE_FC = FUNCTIONAL_CONSULTANT_EXAMS.CUSTOMER_ENGAGEMENT;
  it('MB-200 alone does not count; MB-200 + MB-210 does; expired exams and lapsed certifications do not', () => {
    expect(holdsCertification([exam('MB-200')], CE_FC, '2026-10-31')).toBe(false);
    expect(holdsCertification([exam('MB-200'), exam('MB-210')], CE_FC, '2026-10-31')).toBe(true);
    expect(holdsCertification([exam('MB-200'), exam('MB-210', '2025-01-01', '2026-06-30')], CE_FC, '2026-10-31')).toBe(false);
    expect(holdsCertification([exam('MB-200'), exam('MB-210', '2025-01-01', '2026-06-30')], CE_FC, '2026-05-31')).toBe(true);
    const lapsed: CredentialFact = { code: 'CE-FUNCTIONAL', type: 'Certification', name: 'Microsoft Certified: Dynamics 365 Customer Engagement Functional Consultant Associate', achievedDate: '2025-01-01', expiryDate: '2026-01-01' };
    expect(holdsCertification([exam('MB-200'), exam('MB-210'), lapsed], CE_FC, '2026-10-31')).toBe(false);
    expect(holdsCertification([exam('MB-200'), exam('MB-210'), { ...lapsed, expiryDate: '2027-01-01' }], CE_FC, '2026-10-31')).toBe(true);
    expect(holdsCertification([exam('MB-200'), exam('MB-210', '2026-11-01')], CE_FC, '2026-10-31')).toBe(false);
  });

  it('ranks indicators by points still to gain', () => {
    const ranked = furthestFromThreshold([
      { key: 'A', points: 10, maxPoints: 10 },
      { key: 'B', points: 2, maxPoints: 5 },
      { key: 'C', points: 5, maxPoints: 25 },
      { key: 'D', points: 0, maxPoints: 15 },
    ]);
    expect(ranked.map((r) => r.key)).toEqual(['C', 'D', 'B']);
  });
});
