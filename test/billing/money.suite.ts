import * as m from '../../core/money';

const p = m.parseMoney;
const f = (v: m.Money) => m.formatMoney(v);

describe('money', () => {
  it('parses and formats decimal strings without losing a digit', () => {
    expect(f(p('4'))).toBe('4.00');
    expect(f(p('-3.87'))).toBe('-3.87');
    expect(f(p('211.200000'))).toBe('211.20');
    expect(m.formatMoney(p('0.129032'))).toBe('0.129032');
    expect(m.formatMoney(p('12.5'), 0)).toBe('12.5');
    expect(m.formatMoney(p('12'), 0)).toBe('12');
    expect(f(p('-0.00'))).toBe('0.00');
    expect(p('1.2345670')).toBe(p('1.234567'));
  });

  it('rejects what is not a plain decimal or has more than 6 significant decimals', () => {
    for (const bad of ['', 'abc', '1e3', '$4', '1,5', '1.2.3', '0.1234567']) expect(() => p(bad)).toThrow();
  });

  it('sums many amounts exactly (a float sum of 0.1 ten thousand times is not 1000)', () => {
    const tenths = Array.from({ length: 10_000 }, () => p('0.1'));
    expect(f(m.sum(tenths))).toBe('1000.00');
    expect(f(m.add(p('0.1'), p('0.2')))).toBe('0.30');
    const cents = Array.from({ length: 100_003 }, (_, i) => p(i % 2 ? '-0.01' : '0.03'));
    expect(f(m.sum(cents))).toBe('1000.05'); // 50_002 x 0.03 - 50_001 x 0.01 = 1500.06 - 500.01
    expect(f(m.sub(p('100'), p('99.99')))).toBe('0.01');
    expect(f(m.times(p('15.623014'), 2))).toBe('31.246028');
  });

  it('rounds half up (half away from zero) to cents, symmetric for credits', () => {
    expect(f(m.roundHalfUp(p('1.715')))).toBe('1.72');
    expect(f(m.roundHalfUp(p('1.714999')))).toBe('1.71');
    expect(f(m.roundHalfUp(p('-1.715')))).toBe('-1.72');
    expect(f(m.roundHalfUp(p('2.005')))).toBe('2.01'); // 2.005 as a float rounds to 2.00
    expect(f(m.roundHalfUp(p('0.004999')))).toBe('0.00');
    expect(m.formatMoney(m.roundHalfUp(p('0.1295'), 3), 3)).toBe('0.130');
  });

  it('floors towards minus infinity and truncates towards zero', () => {
    expect(f(m.floorTo(p('3.869999')))).toBe('3.86');
    expect(f(m.floorTo(p('-3.861')))).toBe('-3.87');
    expect(f(m.truncateTo(p('-3.869')))).toBe('-3.86');
    expect(f(m.floorTo(p('3.86')))).toBe('3.86');
  });

  it('prorates on the exact fraction and rounds once', () => {
    expect(f(m.mulDiv(p('4'), 19, 31))).toBe('2.45'); // 2.4516
    expect(f(m.mulDiv(p('211.20'), 27 * 2, 365))).toBe('31.25'); // 31.2460, not 2 x 15.62
    expect(f(m.mulDiv(p('211.20'), 337, 365))).toBe('195.00'); // 194.9984
    expect(f(m.mulDiv(p('-4'), 12, 28))).toBe('-1.71');
    expect(m.formatMoney(m.mulDiv(p('4'), 1, 31, 3))).toBe('0.129');
    expect(() => m.mulDiv(p('1'), 1, 0)).toThrow(/zero/);
    expect(() => m.times(p('1'), 1.5)).toThrow(/whole/);
  });

  it('compares within a tolerance', () => {
    expect(m.withinTolerance(p('-1.71'), p('-1.72'), p('0.01'))).toBe(true);
    expect(m.withinTolerance(p('45.50'), p('44.98'), p('0.01'))).toBe(false);
    expect(m.compare(p('2'), p('10'))).toBe(-1);
  });
});
