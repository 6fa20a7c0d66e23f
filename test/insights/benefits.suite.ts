import { join } from 'node:path';
import type { PartnerRole } from '../../core/vocabulary';
import { addDays } from '../../core/dates';
import { gql, token } from '../gateway/harness';
import { insightsEnvAtAsOfForSuite, type InsightsEnv } from './env';
import { months as monthList, nextMonth, readCsv } from './model';

/**
 * The Benefits report (reference lines 16751-16857) over real HTTP on the ETL-loaded demo, every
 * number recomputed here from the generated benefits.csv: each benefit of the latest month with
 * granted, used, remaining (granted − used, at least 0), use % (used ÷ granted × 100, 2 decimals),
 * its monthly series over the range, the summary by category and unit, and the benefits with
 * something left that expire from today to N days after. "Today" is fixed (PI_TODAY) to the demo's
 * last day, so that some benefits expire within 90 days.
 */
let env: InsightsEnv;
insightsEnvAtAsOfForSuite((started) => (env = started));

const ITEM = 'category name unit granted used remaining usePercent activationDate expiryDate series { month granted used }';
const DOC = `query($months: Int, $days: Int) { benefitsReport(months: $months, expiringWithinDays: $days) {
  asOf from
  summary { category unit benefits granted used remaining usePercent }
  benefits { ${ITEM} }
  expiringSoon { ${ITEM} }
} }`;

const CATEGORIES = ['Cloud services', 'Software products', 'Visual Studio subscriptions', 'Technical benefits', 'Go-to-market'];
const fixed = (v: number) => v.toFixed(2);
const pct = (used: number, granted: number) => (granted > 0 ? Math.round((used * 10000) / granted) / 100 : null);

/** The report as the file gives it, for a range of `months` and expiry window of `days` from `today`. */
function expectedReport(rows: Record<string, string>[], months: number, today: string, days: number) {
  const asOf = rows.map((r) => r.Month.slice(0, 7)).sort().at(-1)!;
  const from = nextMonth(asOf, -(months - 1));
  const inRange = new Set(monthList(from, asOf));
  const benefits = rows
    .filter((r) => r.Month.slice(0, 7) === asOf)
    .map((r) => {
      const [granted, used] = [Number(r.QuantityGranted), Number(r.QuantityUsed)];
      return {
        category: r.BenefitCategory,
        name: r.BenefitName,
        unit: r.Unit,
        granted: fixed(granted),
        used: fixed(used),
        remaining: fixed(Math.max(0, granted - used)),
        usePercent: pct(used, granted),
        activationDate: r.ActivationDate || null,
        expiryDate: r.ExpiryDate || null,
        series: rows
          .filter((s) => s.BenefitName === r.BenefitName && inRange.has(s.Month.slice(0, 7)))
          .sort((a, b) => a.Month.localeCompare(b.Month))
          .map((s) => ({ month: s.Month.slice(0, 7), granted: fixed(Number(s.QuantityGranted)), used: fixed(Number(s.QuantityUsed)) })),
      };
    })
    .sort((a, b) => CATEGORIES.indexOf(a.category) - CATEGORIES.indexOf(b.category) || a.name.localeCompare(b.name));
  const summary: any[] = [];
  for (const b of benefits) {
    let s = summary.find((x) => x.category === b.category && x.unit === b.unit);
    if (!s) summary.push((s = { category: b.category, unit: b.unit, benefits: 0, granted: 0, used: 0, remaining: 0 }));
    s.benefits++;
    s.granted += Number(b.granted);
    s.used += Number(b.used);
    s.remaining += Number(b.remaining);
  }
  const until = addDays(today, days);
  const expiringSoon = benefits
    .filter((b) => b.expiryDate && b.expiryDate >= today && b.expiryDate <= until && Number(b.remaining) > 0)
    .sort((a, b) => a.expiryDate!.localeCompare(b.expiryDate!) || a.name.localeCompare(b.name));
  return {
    asOf,
    from,
    summary: summary.map((s) => ({ ...s, granted: fixed(s.granted), used: fixed(s.used), remaining: fixed(s.remaining), usePercent: pct(s.used, s.granted) })),
    benefits,
    expiringSoon,
  };
}

const benefitsOf = (partnerId: string) => readCsv(join(env.partnerDir(partnerId), 'benefits.csv'));

it('each benefit with granted, used, remaining and use %, its series, the summary and those expiring soon, as the file gives them', async () => {
  let expiring = 0;
  let fullyUsed = 0;
  for (const partner of env.summary.partners) {
    const rows = benefitsOf(partner.id);
    for (const [months, days] of [[12, 90], [3, 30], [60, 366]]) {
      const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Report viewer']), DOC, { months, days });
      expect(res.body.errors).toBeUndefined();
      const expected = expectedReport(rows, months, env.summary.asOf, days);
      expect(res.body.data.benefitsReport).toEqual(expected);
      if (days === 90) expiring += expected.expiringSoon.length;
      fullyUsed += expected.benefits.filter((b) => b.remaining === '0.00').length;
    }
  }
  // The data exercise the rules: some benefits expire within 90 days, some are used up (and so not "expiring").
  expect(expiring).toBeGreaterThan(0);
  expect(fullyUsed).toBeGreaterThan(0);
});

it('defaults: 12 months of series, expiring within 90 days', async () => {
  const partner = env.summary.partners[1];
  const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Global admin']), `{ benefitsReport { from asOf benefits { name series { month } } expiringSoon { name } } }`);
  const expected = expectedReport(benefitsOf(partner.id), 12, env.summary.asOf, 90);
  expect(res.body.data.benefitsReport.from).toBe(expected.from);
  expect(res.body.data.benefitsReport.benefits.map((b: any) => b.series.length)).toEqual(expected.benefits.map((b) => b.series.length));
  expect(res.body.data.benefitsReport.expiringSoon.map((b: any) => b.name)).toEqual(expected.expiringSoon.map((b) => b.name));
});

it('roles: the page\'s appropriate roles (and Account admin of its note) read it; other roles get null and FORBIDDEN naming them', async () => {
  const partner = env.summary.partners[0];
  const allowed: PartnerRole[] = ['Global admin', 'Account admin', 'Admin agent', 'Executive report viewer', 'Report viewer'];
  for (const role of allowed) {
    const res = await gql(env.server.graphqlUrl, await token(partner.id, [role]), '{ benefitsReport { benefits { name } } }');
    expect([role, res.body.errors]).toEqual([role, undefined]);
    expect(res.body.data.benefitsReport.benefits.length).toBeGreaterThan(0);
  }
  for (const role of ['Sales agent', 'MPN partner admin', 'Billing admin', 'User admin'] as PartnerRole[]) {
    const res = await gql(env.server.graphqlUrl, await token(partner.id, [role]), '{ benefitsReport { benefits { name } } }');
    expect(res.body.data?.benefitsReport ?? null).toBeNull();
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect([...res.body.errors![0].extensions!.requiredRoles].sort()).toEqual([...allowed].sort());
  }
});

it('another partner\'s benefits are never visible', async () => {
  const [a, b] = env.summary.partners;
  const granted = (partnerId: string) => expectedReport(benefitsOf(partnerId), 12, env.summary.asOf, 90).benefits.map((x) => `${x.name}=${x.granted}/${x.used}`);
  expect(granted(a.id)).not.toEqual(granted(b.id));
  const res = await gql(env.server.graphqlUrl, await token(b.id, ['Global admin']), '{ benefitsReport { benefits { name granted used } } }');
  expect(res.body.data.benefitsReport.benefits.map((x: any) => `${x.name}=${x.granted}/${x.used}`)).toEqual(granted(b.id));
});

it('a location-scoped caller is refused: benefits belong to the whole company', async () => {
  const partner = env.summary.partners[0];
  const res = await gql(env.server.graphqlUrl, await token(partner.id, ['Report viewer'], { locations: [partner.locations[0].mpnId] }), '{ benefitsReport { asOf } }');
  expect(res.body.data?.benefitsReport ?? null).toBeNull();
  expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'FORBIDDEN', reason: 'LOCATION_SCOPED' });
});

it('bad arguments are BAD_USER_INPUT naming the argument and its bounds', async () => {
  const bearer = await token(env.summary.partners[0].id, ['Global admin']);
  for (const [variables, argument] of [[{ months: 0 }, 'months'], [{ months: 61 }, 'months'], [{ days: -1 }, 'expiringWithinDays'], [{ days: 367 }, 'expiringWithinDays']] as const) {
    const res = await gql(env.server.graphqlUrl, bearer, 'query($months: Int, $days: Int) { benefitsReport(months: $months, expiringWithinDays: $days) { asOf } }', variables);
    expect(res.body.errors?.[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', argument });
    expect(res.body.errors?.[0].message).toMatch(new RegExp(`^${argument} must be a whole number from \\d+ to \\d+`));
  }
});
