/**
 * "Common annual billing scenarios in Partner Center" (seed 001, lines 10247-10382) and the
 * license term rules of "License-based billing in Partner Center" (lines 10522-10575).
 *
 * The $4/month examples (billing date 15th, purchase 1/13/2018) round the daily price to 2 decimals
 * ("daily price of 0.13 (48.00/365)"), which moves a line by up to 1.04: they are reproduced with
 * dailyPriceDecimals: 2, and what the exact rule gives instead is pinned next to them. The 211.20/year
 * example uses the exact daily price and is reproduced by the default rule to the cent.
 */
import { type LicenseEvent, type LicenseSubscriptionHistory, expectedLicenseCharges } from '../../warehouse/billing';
import { expectRows } from './support';

const annual = (events: LicenseEvent[], extra: Partial<LicenseSubscriptionHistory> = {}): LicenseSubscriptionHistory => ({
  subscriptionId: 'sub-annual',
  billingFrequency: 'Annual',
  monthlyUnitPrice: '4.00',
  currency: 'USD',
  billingDay: 15,
  events,
  ...extra,
});
const purchase: LicenseEvent = { date: '2018-01-13', type: 'Purchase', quantity: 1 };
const DOC_ANNUAL_DAILY_DECIMALS = 2; // "daily price of 0.13 (48.00/365)"

function file(history: LicenseSubscriptionHistory, date: string, dailyPriceDecimals?: number) {
  return expectedLicenseCharges(history, { through: date, dailyPriceDecimals }).filter((l) => l.invoiceDate === date);
}

const purchaseLine = [['1/13/2018', '1/12/2019', 'Prorate fees when purchase', '48.00', 1, '48.00']] as const;

describe('annual billing (documented examples)', () => {
  it('New annual subscription: 12 months charged on the 1/15 file', () => {
    expectRows(file(annual([purchase]), '2018-01-15'), purchaseLine);
  });

  describe('Add license after subscription anniversary date but before billing date', () => {
    // $211.20/year = 17.60/month; purchase 2/11/17, second license 2/12/17, billing date the 14th.
    const h = annual(
      [
        { date: '2017-02-11', type: 'Purchase', quantity: 1 },
        { date: '2017-02-12', type: 'QuantityChange', quantity: 2 },
      ],
      { monthlyUnitPrice: '17.60', billingDay: 14 },
    );

    it('the 2/14/17 file has only the purchase: the change waits for the 3/11 anniversary', () => {
      expectRows(file(h, '2017-02-14'), [['2/11/2017', '2/10/2018', 'Prorate Fees When Purchase', '211.20', 1, '211.20']], '0');
    });

    it('the 3/14/17 file credits the year and rebills it in three parts, to the cent', () => {
      // 211.20/365 per day: 1 day = 0.58; 27 days = 15.623 -> 15.62 a license, 31.246 -> 31.25 for 2
      // (the doc's "15.62 x 2 = 31.25" is this single rounding); 337 days = 194.998 -> 195.00.
      expectRows(file(h, '2017-03-14'), [
        ['2/11/2017', '2/10/2018', 'Cycle Instance Prorate', '-211.20', 1, '-211.20'],
        ['2/11/2017', '2/11/2017', 'Cycle Instance Prorate', '0.58', 1, '0.58'],
        ['2/12/2017', '3/10/2017', 'Cycle Instance Prorate', '15.62', 2, '31.25'],
        ['3/11/2017', '2/10/2018', 'Cycle Instance Prorate', '195.00', 2, '390.00'],
      ], '0');
    });

    it('renews on 2/11/18 for another 12-month term at two licenses', () => {
      expectRows(file(h, '2018-02-14'), [['2/11/2018', '2/10/2019', 'Renew fee', '211.20', 2, '422.40']], '0');
    });
  });

  describe('Change license quantity (1 -> 2 on 2/1/2018)', () => {
    const h = annual([purchase, { date: '2018-02-01', type: 'QuantityChange', quantity: 2 }]);

    it('reproduces the 1/15 and 2/15 files with the doc daily price of 0.13', () => {
      expectRows(file(h, '2018-01-15', DOC_ANNUAL_DAILY_DECIMALS), purchaseLine);
      // 19 x 0.13 = 2.47; 346 x 0.13 = 44.98, x 2 = 89.96. No split at the 2/13 anniversary: the
      // change came after the 1/15 billing date.
      expectRows(file(h, '2018-02-15', DOC_ANNUAL_DAILY_DECIMALS), [
        ['1/13/2018', '1/12/2019', 'Cycle Instance Prorate', '-48.00', 1, '-48.00'],
        ['1/13/2018', '1/31/2018', 'Cycle Instance Prorate', '2.47', 1, '2.47'],
        ['2/1/2018', '1/12/2019', 'Cycle Instance Prorate', '44.98', 2, '89.96'],
      ]);
    });

    it('with the exact daily price (48/365) gives 2.50 and 45.50 / 91.00 instead', () => {
      expect(file(h, '2018-02-15').map((l) => [l.unitPrice, l.amount])).toEqual([
        ['-48.00', '-48.00'],
        ['2.50', '2.50'],
        ['45.50', '91.00'],
      ]);
    });
  });

  it('Suspend before 30 days: the whole year is credited on the 2/15 file', () => {
    const h = annual([purchase, { date: '2018-02-01', type: 'Suspend' }]);
    expectRows(file(h, '2018-01-15'), purchaseLine);
    expectRows(file(h, '2018-02-15'), [['1/13/2018', '1/12/2019', 'Cancel Fee', '-48.00', 1, '-48.00']], '0');
  });

  describe('Suspend after 30 days (suspended 3/1/2018)', () => {
    const h = annual([purchase, { date: '2018-03-01', type: 'Suspend' }]);

    it('reproduces the 1/15, 2/15 (empty) and 3/15 files with the doc daily price of 0.13', () => {
      expectRows(file(h, '2018-01-15', DOC_ANNUAL_DAILY_DECIMALS), purchaseLine);
      expect(file(h, '2018-02-15', DOC_ANNUAL_DAILY_DECIMALS)).toEqual([]);
      // 318 days x 0.13 = 41.34
      expectRows(file(h, '2018-03-15', DOC_ANNUAL_DAILY_DECIMALS), [['3/1/2018', '1/12/2019', 'Cancel Fee', '-41.34', 1, '-41.34']]);
    });

    it('with the exact daily price credits 318 x 48/365 = 41.82', () => {
      expect(file(h, '2018-03-15').map((l) => l.amount)).toEqual(['-41.82']);
    });
  });

  describe('Suspend and reactivate (suspend 2/1, reactivate 3/1)', () => {
    const h = annual([purchase, { date: '2018-02-01', type: 'Suspend' }, { date: '2018-03-01', type: 'Reactivate' }]);

    it('reproduces the 1/15, 2/15 and 3/15 files with the doc daily price of 0.13', () => {
      const d = DOC_ANNUAL_DAILY_DECIMALS;
      expectRows(file(h, '2018-01-15', d), purchaseLine);
      expectRows(file(h, '2018-02-15', d), [['1/13/2018', '1/12/2019', 'Cancel Fee', '-48.00', 1, '-48.00']]);
      expectRows(file(h, '2018-03-15', d), [['3/1/2018', '1/12/2019', 'Prorate fees when purchase', '41.34', 1, '41.34']]);
    });

    it('with the exact daily price charges 41.82', () => {
      expect(file(h, '2018-03-15').map((l) => l.amount)).toEqual(['41.82']);
    });
  });
});

describe('license term rules (License-based billing in Partner Center)', () => {
  it('an annual subscription autorenews 12 months after the term began, with a Renew fee', () => {
    const h = annual([purchase, { date: '2019-01-13', type: 'Renew', eventId: 'r1' }]);
    const lines = expectedLicenseCharges(h, { through: '2020-01-15' });
    expect(lines.map((l) => [l.invoiceDate, l.chargeType, l.chargeStartDate, l.chargeEndDate, l.amount, l.eventId])).toEqual([
      ['2018-01-15', 'Prorate fees when purchase', '2018-01-13', '2019-01-12', '48.00', undefined],
      ['2019-01-15', 'Renew fee', '2019-01-13', '2020-01-12', '48.00', 'r1'],
      ['2020-01-15', 'Renew fee', '2020-01-13', '2021-01-12', '48.00', undefined],
    ]);
  });

  it('a renewal term starts a new month 1: suspending in it credits 100%', () => {
    const h = annual([purchase, { date: '2019-02-01', type: 'Suspend' }]);
    expectRows(file(h, '2019-02-15'), [['1/13/2019', '1/12/2020', 'Cancel fee', '-48.00', 1, '-48.00']], '0');
  });

  it('a term across 29 February has 366 days', () => {
    const h = annual([{ date: '2019-06-01', type: 'Purchase', quantity: 1 }, { date: '2019-12-01', type: 'Suspend' }], { billingDay: 1 });
    // 12/1/2019-5/31/2020 is 183 of the 366 days of 6/1/2019-5/31/2020: 48 x 183/366 = 24.00.
    expectRows(file(h, '2019-12-01'), [['12/1/2019', '5/31/2020', 'Cancel fee', '-24.00', 1, '-24.00']], '0');
  });

  it('rejects a Renew that is not at the end of a 12-month term', () => {
    const h = annual([purchase, { date: '2018-12-13', type: 'Renew' }]);
    expect(() => expectedLicenseCharges(h, { through: '2019-01-15' })).toThrow(/12-month term/);
  });
});
