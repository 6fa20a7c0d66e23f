import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateDemoData, type GeneratedSummary } from '../../etl/generate';
import { listInputFiles, loadFiles } from '../../etl/load';
import { startServer, type RunningServer } from '../../gateway/server';
import { Warehouse, statementCounter } from '../../warehouse/db';
import { referralRange, fullMonthChange } from '../../warehouse/insights/referral-insights';
import { gql, testAuth, token } from '../gateway/harness';
import { cents, fromCents, months, nextMonth, readCsv } from './model';

/**
 * Referral insights over HTTP against expectations computed independently in plain JavaScript from
 * the generator's referrals.csv files (no SQL): the 14-day expiry rule, the range rule (N full months
 * before the current month plus the current month; % change = last full vs first full month), the
 * summary (date range only), performance by solution, funnel, progression, pending, location,
 * status and trend. Money is BigInt cents here.
 *
 * The generated data set is the Insights one (test/insights/env.ts) with more customers (so each
 * partner has ~90 referrals and a 3-month range is not nearly empty); only the files the page reads
 * are loaded.
 */
const DAY = 86_400_000;
let dir: string;
let summary: GeneratedSummary;
let warehouse: Warehouse;
let server: RunningServer;
const previousToday = process.env.PI_TODAY;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pi-referral-insights-'));
  const out = join(dir, 'files');
  summary = await generateDemoData({ out, seed: 7, customers: 150, usageRows: 300 });
  const files = (await listInputFiles([out])).filter((f) => /(partner-profile|locations|users|customers|referrals)\.csv$/.test(f));
  warehouse = await Warehouse.open(join(dir, 'warehouse.duckdb'));
  const results = await loadFiles(warehouse, files);
  const bad = results.filter((r) => r.status !== 'loaded');
  if (bad.length) throw new Error(`not loaded: ${bad.map((r) => `${r.fileName}: ${r.message}`).join('; ')}`);
  server = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth: testAuth });
}, 120_000);
afterAll(async () => {
  await server?.close();
  warehouse?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  if (previousToday !== undefined) process.env.PI_TODAY = previousToday;
  else delete process.env.PI_TODAY;
});

// ---------- the independent model ----------

interface Ref {
  id: string;
  mpnId: string;
  direction: string;
  source: string;
  type: string;
  solution: string;
  customerName: string;
  country: string;
  storedStatus: string;
  dealUsd: bigint;
  created: number;
  createdText: string;
  accepted: number | null;
  declined: number | null;
  won: number | null;
  lost: number | null;
}

const ts = (v: string): number | null => (v ? Date.parse(`${v.replace(' ', 'T')}Z`) : null);

function referralsOf(partnerId: string): Ref[] {
  const slug = summary.partners.find((p) => p.id === partnerId)!.slug;
  return readCsv(join(dir, 'files', slug, 'referrals.csv')).map((r) => ({
    id: r.ReferralId,
    mpnId: r.MpnId,
    direction: r.Direction,
    source: r.Source,
    type: r.Type,
    solution: r.Solution || 'Unknown',
    customerName: r.CustomerName,
    country: r.CustomerCountry || 'Unknown',
    storedStatus: r.Status,
    dealUsd: r.DealValueUsd ? cents(r.DealValueUsd) : 0n,
    created: ts(r.CreatedDateTime)!,
    createdText: r.CreatedDateTime,
    accepted: ts(r.AcceptedDateTime),
    declined: ts(r.DeclinedDateTime),
    won: ts(r.WonDateTime),
    lost: ts(r.LostDateTime),
  }));
}

/** The referrals API's rule, written again: New and created more than 14 days before now = Expired. */
const statusAt = (r: Ref, now: number) => (r.storedStatus === 'New' && r.created + 14 * DAY < now ? 'Expired' : r.storedStatus);
const monthOf = (t: number) => new Date(t).toISOString().slice(0, 7);

interface ModelFilters {
  markets?: string[];
  directions?: string[];
  sources?: string[];
  types?: string[];
  solutions?: string[];
}

function rangeMonths(kind: string, now: number, refs: Ref[]): string[] {
  const current = monthOf(now);
  if (kind === 'LIFETIME') {
    const first = refs.map((r) => monthOf(r.created)).sort()[0] ?? current;
    return months(first < current ? first : current, current);
  }
  const n = { LAST_3_MONTHS: 3, LAST_6_MONTHS: 6, LAST_12_MONTHS: 12 }[kind]!;
  return months(nextMonth(current, -n), current);
}

const pct = (a: number, b: number) => (b === 0 ? null : Math.round((a / b) * 10000) / 100);
const change = (first: number, last: number) => (first === 0 ? null : Math.round(((last - first) / first) * 10000) / 100);
const avg = (xs: number[]) => (xs.length ? Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 100) / 100 : null);
function avgMoney(total: bigint, n: number): string | null {
  if (n === 0) return null;
  return fromCents((total * 2n + BigInt(n)) / (2n * BigInt(n)));
}

function expected(partnerId: string, kind: string, now: number, filters: ModelFilters, locations?: string[]) {
  const scoped = referralsOf(partnerId).filter((r) => !locations || locations.includes(r.mpnId));
  const rm = rangeMonths(kind, now, scoped);
  const inRange = scoped.filter((r) => rm.includes(monthOf(r.created)));
  const keep = (values: string[] | undefined, v: string) => !values || values.length === 0 || values.includes(v);
  const f = inRange.filter(
    (r) => keep(filters.markets, r.country) && keep(filters.directions, r.direction) && keep(filters.sources, r.source) && keep(filters.types, r.type) && keep(filters.solutions, r.solution),
  );
  const isWon = (r: Ref) => r.storedStatus === 'Won';
  const firstFull = rm.length >= 2 ? rm[0] : null;
  const lastFull = rm.length >= 2 ? rm[rm.length - 2] : null;
  const perMonth = (pick: (rs: Ref[]) => number) => {
    const of = (m: string | null) => pick(inRange.filter((r) => monthOf(r.created) === m));
    return firstFull ? change(of(firstFull), of(lastFull)) : null;
  };
  const volume = (rs: Ref[]) => rs.filter(isWon).reduce((a, r) => a + r.dealUsd, 0n);
  const groupBy = (rs: Ref[], key: (r: Ref) => string) => {
    const m = new Map<string, Ref[]>();
    for (const r of rs) m.set(key(r), [...(m.get(key(r)) ?? []), r]);
    return m;
  };
  const groups = (rs: Ref[], key: (r: Ref) => string) =>
    Object.fromEntries([...groupBy(rs, key)].map(([k, g]) => [k, { referrals: g.length, won: g.filter(isWon).length, dealVolumeUsd: fromCents(volume(g)) }]));
  const solutions = Object.fromEntries(
    [...groupBy(f, (r) => r.solution)].map(([k, g]) => {
      const won = g.filter(isWon).length;
      return [k, { referrals: g.length, won, dealVolumeUsd: fromCents(volume(g)), averageDealSizeUsd: avgMoney(volume(g), won), conversionRatePercent: pct(won, g.length) }];
    }),
  );
  const days = (a: (r: Ref) => number | null, b: (r: Ref) => number | null) =>
    avg(f.filter((r) => a(r) !== null && b(r) !== null).map((r) => (b(r)! - a(r)!) / DAY));
  const statuses: Record<string, number> = { New: 0, Active: 0, Won: 0, Lost: 0, Declined: 0, Expired: 0 };
  for (const r of f) statuses[statusAt(r, now)]++;
  const pending = f.filter((r) => statusAt(r, now) === 'New').sort((a, b) => a.created - b.created || a.id.localeCompare(b.id));
  return {
    months: rm,
    firstFull: firstFull?.slice(0, 7) ?? null,
    lastFull: lastFull ?? null,
    summary: {
      referrals: { value: String(inRange.length), changePercent: perMonth((rs) => rs.length) },
      won: { value: String(inRange.filter(isWon).length), changePercent: perMonth((rs) => rs.filter(isWon).length) },
      dealVolumeUsd: { value: fromCents(volume(inRange)), changePercent: perMonth((rs) => Number(volume(rs))) },
      bySource: groups(inRange, (r) => r.source),
      byDirection: groups(inRange, (r) => r.direction),
    },
    solutions,
    funnel: { new: f.length, accepted: f.filter((r) => r.accepted !== null || ['Active', 'Won', 'Lost'].includes(r.storedStatus)).length, won: f.filter(isWon).length },
    progression: {
      newToAcceptedDays: days((r) => r.created, (r) => r.accepted),
      acceptedToWonDays: days((r) => r.accepted, (r) => r.won),
      acceptedToLostDays: days((r) => r.accepted, (r) => r.lost),
      newToDeclinedDays: days((r) => r.created, (r) => r.declined),
    },
    pending: {
      count: pending.length,
      referrals: pending.map((r) => ({
        id: r.id,
        customerName: r.customerName,
        createdAt: `${r.createdText.replace(' ', 'T')}Z`,
        expiresAt: new Date(r.created + 14 * DAY).toISOString().replace('.000Z', 'Z'),
      })),
    },
    locations: groups(f, (r) => r.country),
    statuses,
    trend: rm.map((m) => ({ month: m, referrals: f.filter((r) => monthOf(r.created) === m).length, won: f.filter((r) => monthOf(r.created) === m && isWon(r)).length })),
  };
}

// ---------- the query ----------

const QUERY = `query($range: ReferralInsightsRangeKind, $filters: ReferralInsightsFilters) {
  r: referralInsights(range: $range, filters: $filters) {
    range { kind from to firstFullMonth lastFullMonth now }
    summary {
      referrals { name value changePercent series { month value } }
      won { value changePercent }
      dealVolumeUsd { value changePercent }
      bySource { key referrals won dealVolumeUsd percentOfTotal }
      byDirection { key referrals won percentOfTotal }
    }
    solutions { solution referrals won conversionRatePercent dealVolumeUsd averageDealSizeUsd }
    funnel { new accepted won }
    progression { newToAcceptedDays acceptedToWonDays acceptedToLostDays newToDeclinedDays }
    pending { count referrals { id customerName createdAt expiresAt } }
    locations { key referrals won dealVolumeUsd }
    statuses { status count }
    trend { month referrals won }
  }
}`;

const byKey = (items: any[], withVolume = true) =>
  Object.fromEntries(items.map((i) => [i.key, withVolume ? { referrals: i.referrals, won: i.won, dealVolumeUsd: i.dealVolumeUsd } : { referrals: i.referrals, won: i.won }]));
const noVolume = (o: Record<string, any>) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, { referrals: v.referrals, won: v.won }]));
const close = (actual: number | null, want: number | null) => {
  if (want === null) expect(actual).toBeNull();
  else expect(actual).toBeCloseTo(want, 2);
};

function check(data: any, want: ReturnType<typeof expected>, seeDeals: boolean) {
  expect(data.range.from).toBe(`${want.months[0]}-01`);
  expect(data.range.to).toBe(`${want.months[want.months.length - 1]}-01`);
  expect(data.range.firstFullMonth).toBe(want.firstFull);
  expect(data.range.lastFullMonth).toBe(want.lastFull);
  const s = data.summary;
  expect(s.referrals.value).toBe(want.summary.referrals.value);
  close(s.referrals.changePercent, want.summary.referrals.changePercent);
  expect(s.referrals.series.map((p: any) => p.month)).toEqual(want.months);
  expect(s.won.value).toBe(want.summary.won.value);
  close(s.won.changePercent, want.summary.won.changePercent);
  if (seeDeals) {
    expect(s.dealVolumeUsd.value).toBe(want.summary.dealVolumeUsd.value);
    close(s.dealVolumeUsd.changePercent, want.summary.dealVolumeUsd.changePercent);
    expect(byKey(s.bySource)).toEqual(want.summary.bySource);
  } else {
    expect(s.dealVolumeUsd).toBeNull();
    expect(byKey(s.bySource, false)).toEqual(noVolume(want.summary.bySource));
  }
  expect(byKey(s.byDirection, false)).toEqual(noVolume(want.summary.byDirection));

  const solutions = Object.fromEntries(data.solutions.map((x: any) => [x.solution, x]));
  expect(Object.keys(solutions).sort()).toEqual(Object.keys(want.solutions).sort());
  for (const [name, w] of Object.entries(want.solutions)) {
    const a = solutions[name];
    expect({ referrals: a.referrals, won: a.won }).toEqual({ referrals: w.referrals, won: w.won });
    close(a.conversionRatePercent, w.conversionRatePercent);
    if (seeDeals) expect({ v: a.dealVolumeUsd, avg: a.averageDealSizeUsd }).toEqual({ v: w.dealVolumeUsd, avg: w.averageDealSizeUsd });
    else expect({ v: a.dealVolumeUsd, avg: a.averageDealSizeUsd }).toEqual({ v: null, avg: null });
  }
  if (seeDeals) {
    // Top solutions by won deal volume first.
    const vols = data.solutions.map((x: any) => Number(x.dealVolumeUsd));
    expect(vols).toEqual([...vols].sort((a, b) => b - a));
  }
  expect(data.funnel).toEqual(want.funnel);
  for (const k of Object.keys(want.progression) as (keyof typeof want.progression)[]) close(data.progression[k], want.progression[k]);
  expect(data.pending).toEqual(want.pending);
  expect(seeDeals ? byKey(data.locations) : byKey(data.locations, false)).toEqual(seeDeals ? want.locations : noVolume(want.locations));
  expect(Object.fromEntries(data.statuses.map((x: any) => [x.status, x.count]))).toEqual(want.statuses);
  expect(data.trend).toEqual(want.trend);
}

// ---------- tests ----------

describe('referral range rule', () => {
  it('follows the documented example: June 15 with 3M compares May with March', () => {
    const r = referralRange('LAST_3_MONTHS', new Date('2026-06-15T10:00:00Z'), null);
    expect(r).toMatchObject({ from: '2026-03-01', to: '2026-06-01', firstFullMonth: '2026-03', lastFullMonth: '2026-05' });
    const series = ['2026-03', '2026-04', '2026-05', '2026-06'].map((month, i) => ({ month, value: String([10, 99, 15, 1][i]), changePercent: null }));
    expect(fullMonthChange(series, r)).toBe(50);
    expect(referralRange('LAST_12_MONTHS', new Date('2026-06-15T10:00:00Z'), null)).toMatchObject({ from: '2025-06-01', firstFullMonth: '2025-06' });
    expect(referralRange('LIFETIME', new Date('2026-06-15T10:00:00Z'), '2026-06-01')).toMatchObject({ from: '2026-06-01', firstFullMonth: null, lastFullMonth: null });
  });
});

describe('referralInsights over HTTP', () => {
  const NOW = '2026-10-31T23:59:59Z';
  beforeEach(() => {
    process.env.PI_TODAY = NOW;
  });

  const cases: { label: string; kind: string; filters: (partnerId: string) => ModelFilters; statements: number }[] = [
    { label: '3M (default), no filters', kind: 'LAST_3_MONTHS', filters: () => ({}), statements: 3 },
    {
      label: '12M, markets + direction + sources',
      kind: 'LAST_12_MONTHS',
      filters: (id) => ({ markets: [...new Set(referralsOf(id).map((r) => r.country))].sort().slice(0, 2), directions: ['Incoming'], sources: ['Direct', 'Marketing qualified', 'Sales qualified'] }),
      statements: 3,
    },
    {
      label: 'Lifetime, type + solutions',
      kind: 'LIFETIME',
      filters: (id) => ({ types: ['Co-sell'], solutions: [...new Set(referralsOf(id).map((r) => r.solution))].sort().slice(0, 3) }),
      statements: 4,
    },
    { label: '6M, sources', kind: 'LAST_6_MONTHS', filters: () => ({ sources: ['Direct', 'Unqualified'] }), statements: 3 },
  ];

  for (const c of cases) {
    it(`${c.label}: every section matches the model (Executive report viewer), in ${c.statements} statements`, async () => {
      for (const p of summary.partners) {
        const filters = c.filters(p.id);
        const bearer = await token(p.id, ['Executive report viewer']);
        const before = statementCounter.total;
        const variables = c.kind === 'LAST_3_MONTHS' ? { filters } : { range: c.kind, filters };
        const res = await gql(server.graphqlUrl, bearer, QUERY, variables);
        expect(res.body.errors).toBeUndefined();
        expect(statementCounter.total - before).toBe(c.statements);
        const want = expected(p.id, c.kind, Date.parse(NOW), filters);
        expect(res.body.data.r.range.kind).toBe(c.kind);
        check(res.body.data.r, want, true);
        expect(Number(res.body.data.r.summary.referrals.value)).toBeGreaterThan(0);
      }
    });
  }

  it('the summary ignores the page filters; the other sections do not', async () => {
    const p = summary.partners[0];
    const bearer = await token(p.id, ['Executive report viewer']);
    const all = await gql(server.graphqlUrl, bearer, QUERY, { range: 'LAST_12_MONTHS' });
    const some = await gql(server.graphqlUrl, bearer, QUERY, { range: 'LAST_12_MONTHS', filters: { directions: ['Outgoing'], types: ['Independent'] } });
    expect(some.body.errors).toBeUndefined();
    expect(some.body.data.r.summary).toEqual(all.body.data.r.summary);
    expect(some.body.data.r.funnel.new).toBeLessThan(all.body.data.r.funnel.new);
  });

  it('Report viewer: deal values are null with FORBIDDEN; counts are there', async () => {
    const p = summary.partners[1];
    const bearer = await token(p.id, ['Report viewer']);
    const res = await gql(server.graphqlUrl, bearer, QUERY, { range: 'LAST_12_MONTHS' });
    expect(res.body.data.r).not.toBeNull();
    const errors = res.body.errors ?? [];
    expect(errors.length).toBeGreaterThan(0);
    for (const e of errors) expect(e.extensions?.code).toBe('FORBIDDEN');
    expect(errors.some((e) => e.path?.join('.') === 'r.summary.dealVolumeUsd')).toBe(true);
    expect(errors.some((e) => /^r\.solutions\.\d+\.dealVolumeUsd$/.test(e.path?.join('.') ?? ''))).toBe(true);
    check(res.body.data.r, expected(p.id, 'LAST_12_MONTHS', Date.parse(NOW), {}), false);
  });

  it('a location-scoped viewer sees only its locations', async () => {
    const p = summary.partners[0];
    const mpns = [...new Set(referralsOf(p.id).map((r) => r.mpnId))].sort().slice(0, 2);
    const bearer = await token(p.id, ['Executive report viewer'], { locations: mpns });
    const res = await gql(server.graphqlUrl, bearer, QUERY, { range: 'LIFETIME' });
    expect(res.body.errors).toBeUndefined();
    const want = expected(p.id, 'LIFETIME', Date.parse(NOW), {}, mpns);
    check(res.body.data.r, want, true);
    const everything = expected(p.id, 'LIFETIME', Date.parse(NOW), {});
    expect(Number(res.body.data.r.summary.referrals.value)).toBeLessThan(Number(everything.summary.referrals.value));
  });

  it('roles without readReferrals are refused', async () => {
    const p = summary.partners[0];
    const res = await gql(server.graphqlUrl, await token(p.id, ['Billing admin']), QUERY, {});
    expect(res.body.data?.r ?? null).toBeNull();
    expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });

  it('pending referrals expire after 14 days exactly like the referrals API (a later "now")', async () => {
    const later = '2026-11-20T12:00:00Z';
    process.env.PI_TODAY = later;
    for (const p of summary.partners) {
      const bearer = await token(p.id, ['Executive report viewer']);
      const res = await gql(server.graphqlUrl, bearer, QUERY, {});
      expect(res.body.errors).toBeUndefined();
      const want = expected(p.id, 'LAST_3_MONTHS', Date.parse(later), {});
      expect(want.firstFull).toBe('2026-08');
      expect(want.lastFull).toBe('2026-10');
      check(res.body.data.r, want, true);
    }
    // Under the earlier now, some referral was still pending (so the rule was exercised).
    const pendingBefore = summary.partners.reduce((n, p) => n + expected(p.id, 'LAST_3_MONTHS', Date.parse(NOW), {}).pending.count, 0);
    expect(pendingBefore).toBeGreaterThan(0);
  });

  it('pending and expired agree with the referrals API (same 14-day rule) under two "now"s', async () => {
    for (const at of [NOW, '2026-11-20T12:00:00Z']) {
      process.env.PI_TODAY = at;
      for (const p of summary.partners) {
        const bearer = await token(p.id, ['Executive report viewer']);
        const insights = await gql(server.graphqlUrl, bearer, QUERY, {});
        const from = insights.body.data.r.range.from;
        const api = await gql(
          server.graphqlUrl,
          bearer,
          `query($from: Date) {
             pending: referrals(filter: { status: [NEW], createdFrom: $from }, first: 100) { totalCount edges { node { id } } }
             expired: referrals(filter: { status: [EXPIRED], createdFrom: $from }, first: 1) { totalCount } }`,
          { from },
        );
        expect(api.body.errors).toBeUndefined();
        const r = insights.body.data.r;
        expect(r.pending.count).toBe(api.body.data.pending.totalCount);
        expect(r.pending.referrals.map((x: any) => x.id).sort()).toEqual(api.body.data.pending.edges.map((e: any) => e.node.id).sort());
        expect(r.statuses.find((x: any) => x.status === 'Expired').count).toBe(api.body.data.expired.totalCount);
      }
    }
  });

  it('the referral metrics are ordinary metrics: metric(name:) with a split, metricDefinitions', async () => {
    // PI_TODAY is an instant here (beforeEach): the metric compiler reads it through warehouse/clock.
    const p = summary.partners[0];
    const res = await gql(
      server.graphqlUrl,
      await token(p.id, ['Executive report viewer']),
      `{ metric(name: "referralsWon", range: { kind: CUSTOM, from: "2025-01", to: "2026-10" }, splitBy: LOCATION) { value groups { key value } }
         metricDefinitions { name permissions roles dimensions } }`,
    );
    expect(res.body.errors).toBeUndefined();
    const refs = referralsOf(p.id).filter((r) => r.storedStatus === 'Won');
    expect(res.body.data.metric.value).toBe(String(refs.length));
    const perMpn = Object.fromEntries([...new Set(refs.map((r) => r.mpnId))].map((m) => [m, String(refs.filter((r) => r.mpnId === m).length)]));
    expect(Object.fromEntries(res.body.data.metric.groups.map((g: any) => [g.key, g.value]))).toEqual(perMpn);
    const deal = res.body.data.metricDefinitions.find((d: any) => d.name === 'referralDealVolume');
    expect(deal).toMatchObject({ permissions: ['readReferrals', 'seeDealValue'], dimensions: ['COUNTRY', 'LOCATION'] });
    expect(deal.roles).not.toContain('Report viewer');
    const viewer = await gql(server.graphqlUrl, await token(p.id, ['Report viewer']), `{ metric(name: "referralDealVolume") { value } }`);
    expect(viewer.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
  });
});
