/**
 * "Sample monthly billing scenarios for new subscriptions, changing license amounts, or
 * suspensions" (seed 001, lines 10160-10247). Billing date the 15th, purchase 1/13/2018, one
 * license at $4/month. The doc rounds the daily price to 3 decimals (4/31 = 0.129, 4/28 = 0.143);
 * our exact rule matches within EXAMPLE_TOLERANCE, and dailyPriceDecimals: 3 matches to the cent.
 */
import { LICENSE_CHARGE_TYPES } from '../../core/vocabulary';
import { type LicenseEvent, type LicenseSubscriptionHistory, expectedLicenseCharges } from '../../warehouse/billing';
import { expectRows } from './support';

const monthly = (events: LicenseEvent[]): LicenseSubscriptionHistory => ({
  subscriptionId: 'sub-monthly',
  billingFrequency: 'Monthly',
  monthlyUnitPrice: '4.00',
  currency: 'USD',
  billingDay: 15,
  events,
});
const purchase: LicenseEvent = { date: '2018-01-13', type: 'Purchase', quantity: 1, eventId: 'e1' };

/** The lines of the reconciliation file of billing date `date`. */
function file(history: LicenseSubscriptionHistory, date: string, dailyPriceDecimals?: number) {
  return expectedLicenseCharges(history, { through: date, dailyPriceDecimals }).filter((l) => l.invoiceDate === date);
}

describe('monthly billing (documented examples)', () => {
  it('New monthly subscription: a cycle fee on the 1/15 and 2/15 files', () => {
    const h = monthly([purchase]);
    expectRows(file(h, '2018-01-15'), [['1/13/2018', '2/12/2018', 'Cycle fee', '4.00', 1, '4.00']]);
    expectRows(file(h, '2018-02-15'), [['2/13/2018', '3/12/2018', 'Cycle fee', '4.00', 1, '4.00']]);
  });

  describe('Change license quantity (1 -> 2 on 2/1)', () => {
    const h = monthly([purchase, { date: '2018-02-01', type: 'QuantityChange', quantity: 2, eventId: 'e2' }]);
    // The doc's text says "1.54 = 12 x 0.129" but 12 x 0.129 = 1.548: its table's 1.55 is right.
    const feb15 = [
      ['1/13/2018', '2/12/2018', 'Cycle Instance Prorate', '-4.00', 1, '-4.00'],
      ['1/13/2018', '1/31/2018', 'Cycle Instance Prorate', '2.45', 1, '2.45'],
      ['2/1/2018', '2/12/2018', 'Cycle Instance Prorate', '1.55', 2, '3.10'],
      ['2/13/2018', '3/12/2018', 'Cycle Instance Prorate', '4.00', 2, '8.00'],
    ] as const;

    it('reproduces the 1/15 and 2/15 files', () => {
      expectRows(file(h, '2018-01-15'), [['1/13/2018', '2/12/2018', 'Cycle fee', '4.00', 1, '4.00']]);
      expectRows(file(h, '2018-02-15'), feb15);
    });

    it('matches the 2/15 file to the cent with the exact daily price (4/31, not 0.129)', () => {
      expectRows(file(h, '2018-02-15'), feb15, '0');
    });

    it('carries the change event id to its lines and never bills a separate cycle fee for 2/13-3/12', () => {
      const lines = file(h, '2018-02-15');
      expect(lines.map((l) => l.eventId)).toEqual(['e2', 'e2', 'e2', undefined]);
      expect(lines.filter((l) => l.chargeType === 'Cycle fee')).toEqual([]);
    });

    it('bills the next months at the new quantity as plain cycle fees', () => {
      expectRows(file(h, '2018-03-15'), [['3/13/2018', '4/12/2018', 'Cycle fee', '4.00', 2, '8.00']]);
    });
  });

  it('Suspend before 30 days: the whole first month is credited on the 2/15 file', () => {
    const h = monthly([purchase, { date: '2018-02-01', type: 'Suspend' }]);
    expectRows(file(h, '2018-01-15'), [['1/13/2018', '2/12/2018', 'Cycle fee', '4.00', 1, '4.00']]);
    expectRows(file(h, '2018-02-15'), [['1/13/2018', '2/12/2018', 'Cancel Fee', '-4.00', 1, '-4.00']]);
    expect(file(h, '2018-03-15')).toEqual([]); // suspended: no further cycle fee
  });

  describe('Suspend after 30 days (suspended 3/1)', () => {
    const h = monthly([purchase, { date: '2018-03-01', type: 'Suspend' }]);
    // Doc: 12 days x 0.143 (4/28 rounded) = 1.716 -> -1.72. Exact: 12 x 4/28 = 1.714 -> -1.71.
    const mar15 = [['3/1/2018', '3/12/2018', 'Cancel Fee', '-1.72', 1, '-1.72']] as const;

    it('reproduces the 1/15, 2/15 and 3/15 files', () => {
      expectRows(file(h, '2018-01-15'), [['1/13/2018', '2/12/2018', 'Cycle Fee', '4.00', 1, '4.00']]);
      expectRows(file(h, '2018-02-15'), [['2/13/2018', '3/12/2018', 'Cycle Fee', '4.00', 1, '4.00']]);
      expectRows(file(h, '2018-03-15'), mar15);
    });

    it('differs from the doc by exactly one cent with the exact daily price', () => {
      expect(file(h, '2018-03-15').map((l) => [l.unitPrice, l.amount])).toEqual([['-1.71', '-1.71']]);
    });

    it('matches the doc to the cent when the daily price is rounded to 3 decimals as the doc does', () => {
      expectRows(file(h, '2018-03-15', 3), mar15, '0');
    });
  });

  it('every documented monthly file matches to the cent with dailyPriceDecimals 3', () => {
    const h = monthly([purchase, { date: '2018-02-01', type: 'QuantityChange', quantity: 2 }]);
    expectRows(file(h, '2018-02-15', 3), [
      ['1/13/2018', '2/12/2018', 'Cycle Instance Prorate', '-4.00', 1, '-4.00'],
      ['1/13/2018', '1/31/2018', 'Cycle Instance Prorate', '2.45', 1, '2.45'],
      ['2/1/2018', '2/12/2018', 'Cycle Instance Prorate', '1.55', 2, '3.10'],
      ['2/13/2018', '3/12/2018', 'Cycle Instance Prorate', '4.00', 2, '8.00'],
    ], '0');
  });
});

describe('monthly billing (rules beyond the examples)', () => {
  it('keeps charging a cycle fee after the 12-month term renews', () => {
    const lines = expectedLicenseCharges(monthly([purchase]), { through: '2019-02-15' });
    expect(lines).toHaveLength(14); // 1/15/2018 .. 2/15/2019
    expect(lines.every((l) => l.chargeType === 'Cycle fee' && l.amount === '4.00')).toBe(true);
    expect(lines[12]).toMatchObject({ invoiceDate: '2019-01-15', chargeStartDate: '2019-01-13', chargeEndDate: '2019-02-12' });
  });

  it('writes only charge types spelled exactly as LICENSE_CHARGE_TYPES', () => {
    const h = monthly([
      purchase,
      { date: '2018-02-01', type: 'QuantityChange', quantity: 3 },
      { date: '2018-04-02', type: 'Suspend' },
      { date: '2018-04-20', type: 'Reactivate' },
      { date: '2018-06-01', type: 'Cancel' },
    ]);
    const types = new Set(expectedLicenseCharges(h, { through: '2018-12-31' }).map((l) => l.chargeType));
    expect([...types].filter((t) => !(LICENSE_CHARGE_TYPES as readonly string[]).includes(t))).toEqual([]);
    expect([...types].sort()).toEqual(['Cycle fee', 'Cycle instance prorate', 'Cancel fee', 'Prorate fees when purchase', 'Prorate fees when cancel'].sort());
  });

  it('reactivation bills the rest of the month, then cycle fees resume', () => {
    const h = monthly([purchase, { date: '2018-03-01', type: 'Suspend' }, { date: '2018-04-01', type: 'Reactivate' }]);
    // Suspended over the 3/13 anniversary: no cycle fee on 3/15; 4/1-4/12 of the 31-day 3/13-4/12 period.
    expect(file(h, '2018-03-15').map((l) => l.chargeType)).toEqual(['Cancel fee']);
    expectRows(file(h, '2018-04-15'), [
      ['4/1/2018', '4/12/2018', 'Prorate fees when purchase', '1.55', 1, '1.55'],
      ['4/13/2018', '5/12/2018', 'Cycle fee', '4.00', 1, '4.00'],
    ], '0');
  });

  it('cancellation after month 1 refunds the rest of the period and ends the subscription', () => {
    const h = monthly([purchase, { date: '2018-03-06', type: 'Cancel', eventId: 'c' }]);
    const lines = expectedLicenseCharges(h, { through: '2018-12-15' });
    // 3/6-3/12 is 7 of the 28 days of 2/13-3/12: 4 x 7/28 = 1.00.
    expect(lines.slice(2)).toEqual([
      expect.objectContaining({ invoiceDate: '2018-03-15', chargeType: 'Prorate fees when cancel', chargeStartDate: '2018-03-06', amount: '-1.00', eventId: 'c' }),
    ]);
  });

  it('returns nothing after `through` and rejects histories that do not start with a Purchase', () => {
    expect(expectedLicenseCharges(monthly([purchase]), { through: '2018-01-14' })).toEqual([]);
    expect(() => expectedLicenseCharges(monthly([{ date: '2018-01-13', type: 'Suspend' }]), { through: '2018-02-15' })).toThrow(/Purchase/);
    expect(() =>
      expectedLicenseCharges(monthly([purchase, { date: '2018-02-01', type: 'Reactivate' }]), { through: '2018-02-15' }),
    ).toThrow(/not suspended/);
  });

  it('keeps a month-end anniversary through short months and bills on a clamped billing day', () => {
    const h: LicenseSubscriptionHistory = { ...monthly([{ date: '2020-01-31', type: 'Purchase', quantity: 1 }]), billingDay: 31 };
    const lines = expectedLicenseCharges(h, { through: '2020-04-30' });
    expect(lines.map((l) => [l.invoiceDate, l.chargeStartDate, l.chargeEndDate])).toEqual([
      ['2020-01-31', '2020-01-31', '2020-02-28'],
      ['2020-02-29', '2020-02-29', '2020-03-30'],
      ['2020-03-31', '2020-03-31', '2020-04-29'],
      ['2020-04-30', '2020-04-30', '2020-05-30'],
    ]);
  });
});
