import { cancellationPolicy, isIsvProduct, nextAnniversary, suspensionExpiryDate, withinIsvWindow } from '../../warehouse/subscriptions/lifecycle';
import { today } from '../../warehouse/clock';

/** The documented lifecycle rules as pure functions (warehouse/subscriptions/lifecycle.ts). */
describe('suspension expiry (reference line 14458)', () => {
  it('is 90 days, plus the days from creation to the first billing date, at most 120', () => {
    // created on the billing day: 90 days
    expect(suspensionExpiryDate('2024-01-10', '2024-04-01', 10)).toBe('2024-06-30');
    // created 1/20, billing day 1: first billing date 2/1 is 12 days later
    expect(suspensionExpiryDate('2024-01-20', '2024-03-01', 1)).toBe('2024-06-11');
    // created 1/2, billing day 1: 30 days later, so the 120-day maximum
    expect(suspensionExpiryDate('2024-01-02', '2024-03-01', 1)).toBe('2024-06-29');
  });
});

describe('cancellation (lines 14458 and 10522)', () => {
  const base = { billingType: 'OneTime', billingFrequency: 'Monthly', createdDate: '2024-05-01', isv: true };
  it('gives an ISV SaaS subscription 24 hours (monthly) or 14 days (annual) from the order', () => {
    const monthly = cancellationPolicy(base);
    expect(monthly).toEqual({ kind: 'isv', orderDate: '2024-05-01', lastDay: '2024-05-01', window: '24 hours', billingFrequency: 'Monthly' });
    expect(withinIsvWindow(monthly, '2024-05-01')).toBe(true);
    expect(withinIsvWindow(monthly, '2024-05-02')).toBe(false);
    const annual = cancellationPolicy({ ...base, billingFrequency: 'Annual' });
    expect(annual).toMatchObject({ lastDay: '2024-05-14', window: '14 days' });
    expect(withinIsvWindow(annual, '2024-05-14')).toBe(true);
    expect(withinIsvWindow(annual, '2024-05-15')).toBe(false);
  });
  it('lets a license be cancelled any time in the term, de-provisions usage, and has no rule for reservations', () => {
    expect(cancellationPolicy({ ...base, billingType: 'License', isv: false })).toEqual({ kind: 'license' });
    expect(cancellationPolicy({ ...base, billingType: 'Usage', isv: false })).toEqual({ kind: 'usage' });
    expect(cancellationPolicy({ ...base, billingFrequency: 'None', isv: false }).kind).toBe('none');
  });
  it('tells ISV products from Microsoft ones', () => {
    expect(isIsvProduct({ productFamily: 'Marketplace', publisherName: 'Adatum Corporation' })).toBe(true);
    expect(isIsvProduct({ productFamily: 'Azure', publisherName: 'Litware Inc.' })).toBe(true);
    expect(isIsvProduct({ productFamily: 'Office 365', publisherName: 'Microsoft Corporation' })).toBe(false);
    expect(isIsvProduct(null)).toBe(false);
  });
});

describe('next anniversary (line 10522)', () => {
  const sub = { billingFrequency: 'Monthly', termStartDate: '2024-01-31', createdDate: '2024-01-31', canceledDate: null, status: 'Active' };
  it('is the day of the month of the purchase, clamped in short months, every month or year', () => {
    expect(nextAnniversary(sub, '2024-02-15')).toBe('2024-02-29');
    expect(nextAnniversary(sub, '2024-03-01')).toBe('2024-03-31');
    expect(nextAnniversary(sub, '2024-03-31')).toBe('2024-03-31');
    expect(nextAnniversary({ ...sub, billingFrequency: 'Annual', termStartDate: '2023-02-20' }, '2024-05-10')).toBe('2025-02-20');
    expect(nextAnniversary({ ...sub, billingFrequency: 'None' }, '2024-05-10')).toBeNull();
    expect(nextAnniversary({ ...sub, status: 'Deprovisioned' }, '2024-05-10')).toBeNull();
  });
});

describe('today', () => {
  it('is PI_TODAY when set (and must be a real date), else the UTC date', () => {
    expect(today({ PI_TODAY: '2024-05-10' })).toBe('2024-05-10');
    expect(() => today({ PI_TODAY: '2024-02-30' })).toThrow(/PI_TODAY must be YYYY-MM-DD/);
    expect(today({})).toBe(new Date().toISOString().slice(0, 10));
  });
});
