import * as d from '../../core/dates';

describe('dates', () => {
  it('validates ISO dates, leap days included', () => {
    expect(d.parseIsoDate('2020-02-29')).toEqual({ year: 2020, month: 2, day: 29 });
    for (const bad of ['2019-02-29', '1900-02-29', '2018-13-01', '2018-1-13', '1/13/2018', '2018-04-31']) {
      expect(() => d.parseIsoDate(bad)).toThrow();
    }
  });

  it('knows the leap-year rule', () => {
    expect([1900, 2000, 2019, 2020, 2100].map(d.isLeapYear)).toEqual([false, true, false, true, false]);
    expect(d.daysInMonth(2020, 2)).toBe(29);
    expect(d.daysInMonth(2019, 2)).toBe(28);
  });

  it('adds months keeping the anniversary day, clamped to month end', () => {
    expect(d.addMonths('2018-01-13', 1)).toBe('2018-02-13');
    expect(d.addMonths('2018-01-31', 1)).toBe('2018-02-28');
    expect(d.addMonths('2020-01-31', 1)).toBe('2020-02-29');
    expect(d.addMonths('2018-01-31', 2)).toBe('2018-03-31'); // from the anniversary, not from Feb 28
    expect(d.addMonths('2018-08-31', 1)).toBe('2018-09-30');
    expect(d.addMonths('2020-02-29', 12)).toBe('2021-02-28');
    expect(d.addMonths('2020-02-29', 48)).toBe('2024-02-29');
    expect(d.addMonths('2018-12-15', 1)).toBe('2019-01-15');
    expect(d.addMonths('2018-01-15', -1)).toBe('2017-12-15');
    expect(d.monthsBetween('2018-01-31', '2018-02-28')).toBe(1);
    expect(d.monthsBetween('2018-01-13', '2019-01-13')).toBe(12);
    expect(d.monthsBetween('2018-01-13', '2019-01-12')).toBeUndefined();
  });

  it('counts days with both ends included', () => {
    expect(d.daysInclusive('2018-01-13', '2018-01-31')).toBe(19);
    expect(d.daysInclusive('2018-01-13', '2018-02-12')).toBe(31);
    expect(d.daysInclusive('2018-02-13', '2018-03-12')).toBe(28);
    expect(d.daysInclusive('2020-02-13', '2020-03-12')).toBe(29);
    expect(d.daysInclusive('2018-03-01', '2019-01-12')).toBe(318);
    expect(d.daysInclusive('2018-01-13', '2019-01-12')).toBe(365);
    expect(d.daysInclusive('2019-06-01', '2020-05-31')).toBe(366);
    expect(d.daysInclusive('2019-06-10', '2019-06-10')).toBe(1);
    expect(() => d.daysInclusive('2019-06-10', '2019-06-08')).toThrow();
    expect(d.daysBetween('2019-06-11', '2019-06-12')).toBe(1);
  });

  it('crosses daylight-saving changes and years by whole days', () => {
    expect(d.addDays('2018-03-25', 1)).toBe('2018-03-26'); // EU spring forward
    expect(d.addDays('2018-11-04', 1)).toBe('2018-11-05'); // US fall back
    expect(d.addDays('2018-03-11', -1)).toBe('2018-03-10');
    expect(d.addDays('2018-12-31', 1)).toBe('2019-01-01');
    expect(d.addDays('2020-03-01', -1)).toBe('2020-02-29');
  });

  it('finds the billing date on or after a day, clamping the billing day to short months', () => {
    expect(d.nextDayOfMonth('2018-01-13', 15)).toBe('2018-01-15');
    expect(d.nextDayOfMonth('2018-01-15', 15)).toBe('2018-01-15');
    expect(d.nextDayOfMonth('2018-01-16', 15)).toBe('2018-02-15');
    expect(d.nextDayOfMonth('2018-12-16', 15)).toBe('2019-01-15');
    expect(d.nextDayOfMonth('2019-02-01', 31)).toBe('2019-02-28');
    expect(d.nextDayOfMonth('2020-02-01', 30)).toBe('2020-02-29');
    expect(() => d.nextDayOfMonth('2020-02-01', 32)).toThrow();
  });
});
