/**
 * "Partner Center billing scenarios for one-time and select recurring purchases" (seed 001, lines
 * 10382-10465) and "Common billing scenarios for license-based SaaS transactions" (lines
 * 10575-10640). Rows are the documented tables: [charge start, charge end, charge type, unit
 * price, quantity, amount] plus the PURCHASE DATE (and SKU) columns.
 */
import { ONE_TIME_CHARGE_TYPES } from '../../core/vocabulary';
import { type OneTimeEvent, type OneTimeSubscriptionHistory, expectedOneTimeCharges } from '../../warehouse/billing';
import { type DocRow, expectRows, us } from './support';

/**
 * The one-time tables print the period 6/10-7/09 for a 6/11 purchase, yet count 30 days on 6/11
 * and 29 on 6/12 (from the purchase date). firstPeriod reproduces the printed dates; proration
 * still counts from the purchase.
 */
const oneTime = (events: OneTimeEvent[]): OneTimeSubscriptionHistory => ({
  subscriptionId: 'sub-nce',
  currency: 'USD',
  firstPeriod: { start: '2019-06-10', end: '2019-07-09' },
  events,
});
const orderDates = (...dates: string[]) => dates.map((d) => ({ orderDate: us(d) }));

describe('one-time and select recurring purchases (documented scenarios)', () => {
  it('Scenario 1: purchase a subscription and add a seat on the same day', () => {
    const lines = expectedOneTimeCharges(
      oneTime([
        { date: '2019-06-11', type: 'New', quantity: 1, unitPrice: '4' },
        { date: '2019-06-11', type: 'AddQuantity', quantity: 2 },
      ]),
    );
    // (4/30) x 30 x 1 = 4.00 refunded; (4/30) x 30 x 2 = 8.00 charged.
    expectRows(lines, [
      ['6/10/2019', '7/09/2019', 'New', '4.00', 1, '4.00'],
      ['6/10/2019', '7/09/2019', 'addQuantity', '4.00', 1, '-4.00'],
      ['6/10/2019', '7/09/2019', 'addQuantity', '4.00', 2, '8.00'],
    ], '0', orderDates('6/11/2019', '6/11/2019', '6/11/2019'));
  });

  it('Scenario 2: purchase a subscription and add more subscriptions later', () => {
    const lines = expectedOneTimeCharges(
      oneTime([
        { date: '2019-06-11', type: 'New', quantity: 1, unitPrice: '4' },
        { date: '2019-06-12', type: 'AddQuantity', quantity: 2 },
      ]),
    );
    // (4/30) x 29 = 3.8667 -> 3.87 a seat; the doc's 7.74 is 3.87 x 2 (rounded once it would be 7.73).
    expectRows(lines, [
      ['6/10/2019', '7/09/2019', 'New', '4.00', 1, '4.00'],
      ['6/10/2019', '7/09/2019', 'addQuantity', '4.00', 1, '-3.87'],
      ['6/10/2019', '7/09/2019', 'addQuantity', '4.00', 2, '7.74'],
    ], '0', orderDates('6/11/2019', '6/12/2019', '6/12/2019'));
  });

  it('Scenario 3: purchase a subscription and remove a seat on the same day', () => {
    const lines = expectedOneTimeCharges(
      oneTime([
        { date: '2019-06-11', type: 'New', quantity: 2, unitPrice: '4' },
        { date: '2019-06-11', type: 'RemoveQuantity', quantity: 1 },
      ]),
    );
    expectRows(lines, [
      ['6/10/2019', '7/09/2019', 'New', '4.00', 2, '8.00'],
      ['6/10/2019', '7/09/2019', 'removeQuantity', '4.00', 2, '-8.00'],
      ['6/10/2019', '7/09/2019', 'removeQuantity', '4.00', 1, '4.00'],
    ], '0', orderDates('6/11/2019', '6/11/2019', '6/11/2019'));
  });

  it('Scenario 4: purchase a subscription and remove seats later', () => {
    const lines = expectedOneTimeCharges(
      oneTime([
        { date: '2019-06-11', type: 'New', quantity: 2, unitPrice: '4' },
        { date: '2019-06-12', type: 'RemoveQuantity', quantity: 1 },
      ]),
    );
    expectRows(lines, [
      ['6/10/2019', '7/09/2019', 'New', '4.00', 2, '8.00'],
      ['6/10/2019', '7/09/2019', 'removeQuantity', '4.00', 2, '-7.74'],
      ['6/10/2019', '7/09/2019', 'removeQuantity', '4.00', 1, '3.87'],
    ], '0', orderDates('6/11/2019', '6/12/2019', '6/12/2019'));
  });

  it('without firstPeriod the period starts on the purchase day and the proration is the same', () => {
    const lines = expectedOneTimeCharges({
      subscriptionId: 's',
      currency: 'USD',
      events: [
        { date: '2019-06-11', type: 'New', quantity: 1, unitPrice: '4' },
        { date: '2019-06-12', type: 'AddQuantity', quantity: 2 },
      ],
    });
    expectRows(lines, [
      ['6/11/2019', '7/10/2019', 'New', '4.00', 1, '4.00'],
      ['6/11/2019', '7/10/2019', 'addQuantity', '4.00', 1, '-3.87'],
      ['6/11/2019', '7/10/2019', 'addQuantity', '4.00', 2, '7.74'],
    ], '0');
  });
});

describe('license-based SaaS (documented scenarios)', () => {
  it('Convert a free trial SaaS subscription to a paid subscription', () => {
    const lines = expectedOneTimeCharges({
      subscriptionId: 'saas-trial',
      currency: 'USD',
      events: [
        { date: '2019-06-10', type: 'New', quantity: 1, unitPrice: '0', description: 'Free trial' },
        { date: '2019-07-10', type: 'Renew', unitPrice: '2', description: 'Paid subscription' },
      ],
    });
    expectRows(lines, [
      ['06/10/2019', '07/09/2019', 'New', '0.00', 1, '0.00'],
      ['07/10/2019', '08/09/2019', 'Renew', '2.00', 1, '2.00'],
    ], '0', [
      { orderDate: '2019-06-10', subscriptionDescription: 'Free trial' },
      { orderDate: '2019-07-10', subscriptionDescription: 'Paid subscription' },
    ]);
  });

  it('Cancel a free trial SaaS subscription (the doc prints 11 seats and the 06/10 dates, though its text says July 1)', () => {
    const lines = expectedOneTimeCharges({
      subscriptionId: 'saas-trial',
      currency: 'USD',
      events: [
        { date: '2019-06-10', type: 'New', quantity: 11, unitPrice: '0', description: 'Free trial' },
        { date: '2019-06-10', type: 'Cancel' },
      ],
    });
    expectRows(lines, [
      ['06/10/2019', '07/09/2019', 'New', '0.00', 11, '0.00'],
      ['06/10/2019', '07/09/2019', 'Cancel', '0.00', 11, '0.00'],
    ], '0', orderDates('06/10/2019', '06/10/2019'));
    expect(lines.map((l) => l.subscriptionDescription)).toEqual(['Free trial', 'Free trial']);
  });

  it('Convert custom meter SaaS subscription to another SKU (Silver -> Bronze on the same date)', () => {
    const lines = expectedOneTimeCharges({
      subscriptionId: 'saas-meter',
      currency: 'USD',
      firstPeriod: { start: '2019-06-10', end: '2019-06-10' }, // the doc prints the purchase day alone
      events: [
        { date: '2019-06-10', type: 'New', quantity: 1, unitPrice: '20', sku: 'Silver', description: 'Custom meter SaaS subscription' },
        {
          date: '2019-06-10',
          type: 'Convert',
          unitPrice: '10',
          sku: 'Bronze',
          refundDescription: 'Prorated rebill for custom meter SaaS subscription',
        },
      ],
    });
    const rows: DocRow[] = [
      ['06/10/2019', '06/10/2019', 'New', '20.00', 1, '20.00'],
      ['06/10/2019', '06/10/2019', 'Convert', '20.00', 1, '-20.00'],
      ['06/10/2019', '06/10/2019', 'Convert', '10.00', 1, '10.00'],
    ];
    expectRows(lines, rows, '0', [{ sku: 'Silver' }, { sku: 'Silver' }, { sku: 'Bronze' }]);
    expect(lines.map((l) => l.subscriptionDescription)).toEqual([
      'Custom meter SaaS subscription',
      'Prorated rebill for custom meter SaaS subscription',
      'Custom meter SaaS subscription',
    ]);
  });

  it('Purchase and cancel a custom meter SaaS subscription on same date', () => {
    const lines = expectedOneTimeCharges({
      subscriptionId: 'saas-meter',
      currency: 'USD',
      firstPeriod: { start: '2019-06-10', end: '2019-06-10' },
      events: [
        { date: '2019-06-10', type: 'New', quantity: 1, unitPrice: '10', sku: 'Bronze' },
        { date: '2019-06-10', type: 'CancelImmediate' },
      ],
    });
    expectRows(lines, [
      ['06/10/2019', '06/10/2019', 'New', '10.00', 1, '10.00'],
      ['06/10/2019', '06/10/2019', 'Cancel immediate', '10.00', 1, '-10.00'],
    ], '0', [{ sku: 'Bronze', orderDate: '2019-06-10' }, { sku: 'Bronze', orderDate: '2019-06-10' }]);
  });
});

describe('one-time rules beyond the examples', () => {
  it('writes only charge types spelled exactly as ONE_TIME_CHARGE_TYPES and stops at a cancellation', () => {
    const lines = expectedOneTimeCharges({
      subscriptionId: 's',
      currency: 'EUR',
      events: [
        { date: '2019-06-11', type: 'New', quantity: 3, unitPrice: '12.50' },
        { date: '2019-06-20', type: 'RemoveQuantity', quantity: 1 },
        { date: '2019-06-25', type: 'Cancel' },
      ],
    });
    expect(lines.every((l) => (ONE_TIME_CHARGE_TYPES as readonly string[]).includes(l.chargeType))).toBe(true);
    // 6/25 leaves 16 of 30 days: 12.50 x 16/30 = 6.6667 -> 6.67 a seat, 1 seat refunded.
    expect(lines[lines.length - 1]).toMatchObject({ chargeType: 'Cancel', quantity: 1, amount: '-6.67', currency: 'EUR' });
  });

  it('honours `through` and rejects histories that do not start with New', () => {
    const events: OneTimeEvent[] = [
      { date: '2019-06-11', type: 'New', quantity: 1, unitPrice: '4' },
      { date: '2019-06-12', type: 'AddQuantity', quantity: 2 },
    ];
    expect(expectedOneTimeCharges({ subscriptionId: 's', currency: 'USD', events }, { through: '2019-06-11' })).toHaveLength(1);
    expect(() => expectedOneTimeCharges({ subscriptionId: 's', currency: 'USD', events: events.slice(1) })).toThrow(/New/);
  });
});
