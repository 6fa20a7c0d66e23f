import { join } from 'node:path';
import type { PartnerRole } from '../../core/vocabulary';
import { COMPETENCY_REQUIREMENTS, type MetricSource, type PerformanceMetric } from '../../warehouse/insights/competency-requirements';
import { competenciesPerformanceDetails } from '../../warehouse/exports/datasets/competency-performance';
import { gql, token } from '../gateway/harness';
import { saveBody } from '../exports/read-back';
import { insightsEnvAtAsOfForSuite, type InsightsEnv } from './env';
import { fromCents, monthKey, months, nextMonth, readCsv, type PartnerModel, type Rec } from './model';

/**
 * The Competencies report's Competency metric analysis (reference lines 16714-16727) and the
 * "Competencies – Performance details" download (line 16924), over real HTTP on the ETL-loaded demo.
 * The thresholds are the product's definitions (COMPETENCY_REQUIREMENTS, data); every value, period,
 * met and gap is recomputed here from the generated files (competencies.csv, benefits.csv, the usage
 * recon files, license-usage.csv, monthly-active-users.csv, the subscription files through
 * test/insights/model.ts), with the rules the module documents written again:
 * - TTM: the twelve months ending with the as-of month (PI_TODAY's month here);
 * - Anniversary year: an Active competency's AnniversaryDate, else the latest benefits ActivationDate
 *   on or before the as-of day; the previous anniversary is the latest whole-year step of it on or
 *   before the as-of day; its months run from that month up to the as-of month (at most 12);
 * - sum / distinct customers / last month, per metric; met = value >= the level's threshold.
 */
let env: InsightsEnv;
insightsEnvAtAsOfForSuite((started) => (env = started));

const DOC = `query($period: CompetencyMetricPeriod) { competenciesReport { metricAnalysis(period: $period) {
  period asOf asOfDay
  competencies { name area level stage atRisk analysed note periodStart periodEnd firstMonth lastMonth requirementsMet
    metrics { key name definition unit aggregation value silverThreshold goldThreshold threshold met gap percentOfThreshold } }
} } }`;

type Period = 'TTM' | 'ANNIVERSARY_YEAR';

// ---- the independent model ----

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}
/** The same day `years` years later, clamped to the month's end (Feb 29 -> Feb 28). */
function plusYears(date: string, years: number): string {
  const [y, m, d] = date.split('-').map(Number);
  const year = y + years;
  return `${year}-${String(m).padStart(2, '0')}-${String(Math.min(d, daysIn(year, m))).padStart(2, '0')}`;
}
function lastDay(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return `${month}-${String(daysIn(y, m)).padStart(2, '0')}`;
}

/** The warehouse's ORDER BY on text (binary, not the locale's). */
const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

interface Bounds {
  periodStart: string;
  periodEnd: string;
  firstMonth: string;
  lastMonth: string;
}

function ttm(asOf: string): Bounds {
  const first = nextMonth(asOf, -11);
  return { periodStart: `${first}-01`, periodEnd: lastDay(asOf), firstMonth: first, lastMonth: asOf };
}

function anniversaryYear(anchor: string, day: string, asOf: string): Bounds {
  let years = 0;
  while (plusYears(anchor, years) > day) years--;
  while (plusYears(anchor, years + 1) <= day) years++;
  const start = plusYears(anchor, years);
  const end = plusYears(anchor, years + 1);
  const yearLast = nextMonth(end.slice(0, 7), -1);
  return { periodStart: start, periodEnd: end, firstMonth: start.slice(0, 7), lastMonth: yearLast < asOf ? yearLast : asOf };
}

class Files {
  readonly status: Rec[];
  readonly benefits: Rec[];
  readonly mau: Rec[];
  constructor(
    readonly model: PartnerModel,
    dir: string,
  ) {
    this.status = readCsv(join(dir, 'competencies.csv'));
    this.benefits = readCsv(join(dir, 'benefits.csv'));
    this.mau = readCsv(join(dir, 'monthly-active-users.csv'));
  }

  /** A metric source's value over the months (the last one for `last` metrics), as the API writes it. */
  value(source: MetricSource, ms: string[]): string {
    const last = ms[ms.length - 1];
    const inCategories = (c: string, cats?: readonly string[]) => !cats?.length || cats.includes(c);
    switch (source.kind) {
      case 'azureConsumedRevenue':
        return fromCents(this.model.usage.filter((u) => ms.includes(u.month) && inCategories(u.meterCategory, source.meterCategories)).reduce((a, u) => a + u.acrCents, 0n));
      case 'azureCustomers':
        return String(new Set(this.model.usage.filter((u) => ms.includes(u.month) && inCategories(u.meterCategory, source.meterCategories)).map((u) => u.customerId)).size);
      case 'activeUsers':
        return String(this.model.licMonths.filter((l) => l.month === last && source.productFamilies.includes(l.productFamily)).reduce((a, l) => a + l.active, 0));
      case 'licensesDeployed':
        return String(this.model.licMonths.filter((l) => l.month === last && source.productFamilies.includes(l.productFamily)).reduce((a, l) => a + l.assigned, 0));
      case 'licensedCustomers':
        return String(new Set(this.model.licMonths.filter((l) => l.month === last && source.productFamilies.includes(l.productFamily) && l.assigned > 0).map((l) => l.customerId)).size);
      case 'workloadActiveUsers':
        return String(this.mau.filter((r) => monthKey(r.Month) === last && source.workloads.includes(r.Workload)).reduce((a, r) => a + Number(r.ActiveUsers), 0));
      case 'seatsSold':
        return String(this.model.licenseEvents.filter((e) => ms.includes(e.month) && source.productFamilies.includes(e.productFamily)).reduce((a, e) => a + e.added, 0));
      case 'newCustomers': {
        const first = new Map<string, string>();
        for (const e of this.model.licenseEvents) {
          if (e.added <= 0 || !source.productFamilies.includes(e.productFamily)) continue;
          if (!first.has(e.customerId) || e.month < first.get(e.customerId)!) first.set(e.customerId, e.month);
        }
        return String([...first.values()].filter((m) => ms.includes(m)).length);
      }
    }
  }

  expected(period: Period, asOf: string, day: string) {
    const membership = this.benefits.map((b) => b.ActivationDate).filter((d) => d && d <= day).sort().pop() ?? null;
    return this.status
      .map((c) => {
        const base = { name: c.CompetencyName, area: c.CompetencyArea, level: c.CompetencyLevel, stage: c.CompetencyStage, atRisk: c.AtRisk === 'true' };
        const requirement = COMPETENCY_REQUIREMENTS[c.CompetencyName];
        const none = { analysed: false, requirementsMet: null, metrics: [] as ReturnType<typeof metricOf>[] };
        if (c.CompetencyName === 'CloudBusinessApplications' && c.CompetencyStage === 'Active') {
          return { ...base, ...none, reason: 'CBA', bounds: null };
        }
        let bounds: Bounds;
        let reason: string | null = null;
        if (period === 'TTM') bounds = ttm(asOf);
        else {
          const own = c.CompetencyStage === 'Active' ? c.AnniversaryDate || (c.AttainmentDate ? plusYears(c.AttainmentDate, 1) : '') : '';
          if (!own && !membership) return { ...base, ...none, reason: 'no anniversary', bounds: null };
          bounds = anniversaryYear(own || membership!, day, asOf);
          if (!own) reason = 'membership';
        }
        if (!requirement.metrics.length) return { ...base, ...none, reason: 'no metric', bounds };
        const ms = months(bounds.firstMonth, bounds.lastMonth);
        const metrics = requirement.metrics.map((m) => metricOf(m, c.CompetencyLevel, this.value(m.source, ms)));
        return { ...base, analysed: true, requirementsMet: metrics.every((m) => m.met), metrics, reason, bounds };
      })
      .sort((a, b) => byteOrder(a.name, b.name) || byteOrder(a.level, b.level));
  }
}

/** Value, thresholds (as the API writes them: USD with 2 decimals, counts whole), met and gap at the level. */
function metricOf(m: PerformanceMetric, level: string, value: string) {
  const show = (n: number) => (m.unit === 'USD' ? n.toFixed(2) : String(n));
  const threshold = level === 'Gold' ? m.gold : m.silver;
  // Exact comparisons in cents.
  const cents = (v: string) => Math.round(Number(v) * 100);
  const gapCents = Math.max(cents(show(threshold)) - cents(value), 0);
  return {
    key: m.key,
    unit: m.unit,
    aggregation: m.aggregation,
    value,
    silverThreshold: show(m.silver),
    goldThreshold: show(m.gold),
    threshold: show(threshold),
    met: cents(value) >= cents(show(threshold)),
    gap: m.unit === 'USD' ? fromCents(BigInt(gapCents)) : String(gapCents / 100),
  };
}

const files = new Map<string, Files>();
const filesOf = (partnerId: string) => {
  if (!files.has(partnerId)) files.set(partnerId, new Files(env.models.get(partnerId)!, env.partnerDir(partnerId)));
  return files.get(partnerId)!;
};

/** The API's competency as the model's shape. */
function asModel(c: any) {
  const reason = c.analysed ? (c.note ? (/membership/.test(c.note) ? 'membership' : c.note) : null) : /Cloud Business Applications/.test(c.note) ? 'CBA' : /anniversary/.test(c.note) ? 'no anniversary' : 'no metric';
  return {
    name: c.name,
    area: c.area,
    level: c.level,
    stage: c.stage,
    atRisk: c.atRisk,
    analysed: c.analysed,
    requirementsMet: c.requirementsMet,
    reason,
    bounds: c.periodStart || c.firstMonth ? { periodStart: c.periodStart, periodEnd: c.periodEnd, firstMonth: c.firstMonth, lastMonth: c.lastMonth } : null,
    metrics: c.metrics.map((m: any) => ({ key: m.key, unit: m.unit, aggregation: m.aggregation, value: m.value, silverThreshold: m.silverThreshold, goldThreshold: m.goldThreshold, threshold: m.threshold, met: m.met, gap: m.gap })),
  };
}

async function analysis(partnerId: string, period: Period, roles: PartnerRole[] = ['Executive report viewer']) {
  const res = await gql(env.server.graphqlUrl, await token(partnerId, roles), DOC, { period });
  return res;
}

// ---- the tests ----

describe.each([
  ['the demo\'s as-of day', () => env.summary.asOf],
  // Months after the data: the anniversary years roll over (Active anniversaries between the two days, the membership year) and the last months hold no data.
  ['a later day, past some anniversaries', () => '2027-02-20'],
])('metric analysis on %s', (_label, dayOf) => {
  const at = async <T>(fn: () => Promise<T>): Promise<T> => {
    process.env.PI_TODAY = dayOf();
    try {
      return await fn();
    } finally {
      process.env.PI_TODAY = env.summary.asOf;
    }
  };

  it.each(['TTM', 'ANNIVERSARY_YEAR'] as const)('%s: every competency\'s metrics, periods, thresholds, met and gap are those of the files', async (period) => {
    const day = dayOf();
    const asOf = day.slice(0, 7);
    const seen = { met: 0, unmet: 0, notAnalysed: new Set<string>(), membership: 0, own: 0, rolled: 0 };
    for (const partner of env.summary.partners) {
      const res = await at(() => analysis(partner.id, period));
      expect(res.body.errors).toBeUndefined();
      const got = res.body.data.competenciesReport.metricAnalysis;
      expect({ period: got.period, asOf: got.asOf, asOfDay: got.asOfDay }).toEqual({ period, asOf, asOfDay: day });
      const expected = filesOf(partner.id).expected(period, asOf, day);
      expect(got.competencies.map(asModel)).toEqual(expected);
      for (const c of expected) {
        if (!c.analysed) seen.notAnalysed.add(c.reason!);
        if (c.analysed && period === 'ANNIVERSARY_YEAR') (c.reason === 'membership' ? seen.membership++ : seen.own++);
        if (c.bounds && period === 'ANNIVERSARY_YEAR' && c.bounds.periodStart > env.summary.asOf) seen.rolled++;
        for (const m of c.metrics) (m.met ? seen.met++ : seen.unmet++);
      }
      // The names and definitions are the product's, per metric.
      for (const c of got.competencies) {
        for (const m of c.metrics) {
          const def = COMPETENCY_REQUIREMENTS[c.name].metrics.find((d) => d.key === m.key)!;
          expect([m.name, m.definition]).toEqual([def.name, def.definition]);
          const threshold = Number(m.threshold);
          // Two decimals, rounded.
          expect(Math.abs(m.percentOfThreshold - (threshold > 0 ? (Number(m.value) * 100) / threshold : 100))).toBeLessThanOrEqual(0.005 + 1e-9);
        }
      }
    }
    // The demo has both outcomes (after the data's end, the periods' sums fall and nothing is met), and the exclusions the note documents.
    if (day === env.summary.asOf) expect(seen.met).toBeGreaterThan(0);
    expect(seen.unmet).toBeGreaterThan(0);
    expect(seen.notAnalysed.has('CBA')).toBe(true);
    if (period === 'ANNIVERSARY_YEAR') {
      expect(seen.own).toBeGreaterThan(0);
      expect(seen.membership).toBeGreaterThan(0);
      // On the later day, years that started after the demo's as-of day (anniversaries passed in between).
      if (day !== env.summary.asOf) expect(seen.rolled).toBeGreaterThan(0);
    }
  });
});

it('the two periods differ where the anniversary year is not the TTM, and agree on what is counted at the last month', async () => {
  let differ = 0;
  for (const partner of env.summary.partners) {
    const [ttmRes, yearRes] = await Promise.all([analysis(partner.id, 'TTM'), analysis(partner.id, 'ANNIVERSARY_YEAR')]);
    const byId = (c: any) => `${c.name}|${c.level}`;
    const year = new Map<string, any>(yearRes.body.data.competenciesReport.metricAnalysis.competencies.map((c: any) => [byId(c), c]));
    for (const t of ttmRes.body.data.competenciesReport.metricAnalysis.competencies) {
      const y = year.get(byId(t));
      if (!t.analysed || !y?.analysed) continue;
      for (const [i, m] of t.metrics.entries()) {
        if (m.aggregation === 'last' && y.lastMonth === t.lastMonth) expect(y.metrics[i].value).toBe(m.value);
        if (m.aggregation !== 'last' && y.metrics[i].value !== m.value) differ++;
      }
    }
  }
  expect(differ).toBeGreaterThan(0);
});

it('numbers agree with the other reports: ACR with the Azure usage report, active users, deployed licenses and seats sold with the metrics of the same name', async () => {
  const METRIC_OF: Partial<Record<MetricSource['kind'], string>> = {
    azureConsumedRevenue: 'azureConsumedRevenue',
    activeUsers: 'activeLicenses',
    licensesDeployed: 'licensesDeployed',
    seatsSold: 'licensesAdded',
  };
  let compared = 0;
  for (const partner of env.summary.partners) {
    const bearer = await token(partner.id, ['Executive report viewer']);
    const res = await gql(env.server.graphqlUrl, bearer, DOC, { period: 'TTM' });
    const report = await gql(env.server.graphqlUrl, bearer, '{ azureUsageReport { range { from to asOf } azureConsumedRevenue { value } } }');
    const { range } = report.body.data.azureUsageReport;
    expect(res.body.data.competenciesReport.metricAnalysis.asOf).toBe(range.asOf.slice(0, 7));
    for (const c of res.body.data.competenciesReport.metricAnalysis.competencies) {
      if (c.analysed) expect([c.firstMonth, c.lastMonth]).toEqual([range.from.slice(0, 7), range.to.slice(0, 7)]);
      for (const m of c.metrics) {
        const source = COMPETENCY_REQUIREMENTS[c.name].metrics.find((d) => d.key === m.key)!.source;
        const name = METRIC_OF[source.kind];
        if (!name || ('meterCategories' in source && source.meterCategories)) continue;
        const filters = 'productFamilies' in source ? { productFamilies: source.productFamilies } : null;
        const other = await gql(env.server.graphqlUrl, bearer, 'query($name: String!, $filters: InsightsFilters) { metric(name: $name, filters: $filters) { value } }', { name, filters });
        expect(other.body.errors).toBeUndefined();
        expect([c.name, m.key, m.value]).toEqual([c.name, m.key, other.body.data.metric.value]);
        if (source.kind === 'azureConsumedRevenue') expect(m.value).toBe(report.body.data.azureUsageReport.azureConsumedRevenue.value);
        compared++;
      }
    }
  }
  expect(compared).toBeGreaterThan(2);
});

it('no learning or certification metric is analysed, and Cloud Business Applications is not analysed at the Active stage (reference line 16727)', async () => {
  const keys = new Set(Object.values(COMPETENCY_REQUIREMENTS).flatMap((r) => r.metrics.map((m) => m.key)));
  expect([...keys].filter((k) => /CERT|EXAM|LEARN|ASSESS|SKILL/i.test(k))).toEqual([]);
  const contoso = env.summary.partners.find((p) => filesOf(p.id).status.some((c) => c.CompetencyName === 'CloudBusinessApplications' && c.CompetencyStage === 'Active'))!;
  expect(contoso).toBeDefined();
  for (const period of ['TTM', 'ANNIVERSARY_YEAR'] as const) {
    const res = await analysis(contoso.id, period);
    const cba = res.body.data.competenciesReport.metricAnalysis.competencies.find((c: any) => c.name === 'CloudBusinessApplications');
    expect(cba).toMatchObject({ stage: 'Active', analysed: false, requirementsMet: null, metrics: [], periodStart: null });
    expect(cba.note).toMatch(/Cloud Business Applications.*Active/);
  }
});

describe('roles and scope', () => {
  const Q = '{ competenciesReport { metricAnalysis { competencies { name metrics { key unit value met threshold gap percentOfThreshold } } } } }';

  it('the report\'s roles read it; Azure consumed revenue values need a role that sees revenue (null and FORBIDDEN naming it), counts do not', async () => {
    const partner = env.summary.partners[0];
    const full = await gql(env.server.graphqlUrl, await token(partner.id, ['Executive report viewer']), Q);
    const usd = full.body.data.competenciesReport.metricAnalysis.competencies.flatMap((c: any) => c.metrics.filter((m: any) => m.unit === 'USD'));
    expect(usd.length).toBeGreaterThan(0);
    for (const role of ['Global admin', 'Admin agent', 'Executive report viewer'] as PartnerRole[]) {
      const res = await gql(env.server.graphqlUrl, await token(partner.id, [role]), Q);
      expect([role, res.body.errors]).toEqual([role, undefined]);
      expect(res.body.data).toEqual(full.body.data);
    }
    for (const role of ['Report viewer', 'Account admin'] as PartnerRole[]) {
      const res = await gql(env.server.graphqlUrl, await token(partner.id, [role]), Q);
      const competencies = res.body.data.competenciesReport.metricAnalysis.competencies;
      const metrics = competencies.flatMap((c: any) => c.metrics);
      const fullMetrics = full.body.data.competenciesReport.metricAnalysis.competencies.flatMap((c: any) => c.metrics);
      metrics.forEach((m: any, i: number) => {
        if (m.unit === 'USD') expect(m).toEqual({ ...fullMetrics[i], value: null, gap: null, percentOfThreshold: null });
        else expect(m).toEqual(fullMetrics[i]);
      });
      // One FORBIDDEN per hidden field, naming the roles that see revenue.
      expect(res.body.errors).toHaveLength(usd.length * 3);
      for (const e of res.body.errors!) {
        expect(e.extensions?.code).toBe('FORBIDDEN');
        expect([...e.extensions!.requiredRoles].sort()).toEqual(['Admin agent', 'Billing admin', 'Executive report viewer', 'Global admin']);
        expect(e.message).toMatch(/CompetencyMetric\.(value|gap|percentOfThreshold) \(Azure consumed revenue/);
      }
    }
  });

  it('roles outside the report get null and FORBIDDEN; a location-scoped caller is refused: competencies belong to the whole company', async () => {
    const partner = env.summary.partners[0];
    for (const role of ['Sales agent', 'Billing admin', 'MPN partner admin'] as PartnerRole[]) {
      const res = await gql(env.server.graphqlUrl, await token(partner.id, [role]), Q);
      expect(res.body.data?.competenciesReport ?? null).toBeNull();
      expect(res.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    }
    const scoped = await gql(env.server.graphqlUrl, await token(partner.id, ['Executive report viewer'], { locations: [partner.locations[0].mpnId] }), Q);
    expect(scoped.body.data?.competenciesReport ?? null).toBeNull();
    expect(scoped.body.errors?.[0].extensions?.code).toBe('FORBIDDEN');
    expect(scoped.body.errors?.[0].message).toMatch(/whole company/);
  });

  it('each partner sees its own competencies only', async () => {
    const [a, b] = env.summary.partners;
    const names = (id: string) => filesOf(id).status.map((c) => `${c.CompetencyName}/${c.CompetencyLevel}`).sort();
    expect(names(a.id)).not.toEqual(names(b.id));
    const res = await analysis(b.id, 'TTM', ['Global admin']);
    expect(res.body.data.competenciesReport.metricAnalysis.competencies.map((c: any) => `${c.name}/${c.level}`).sort()).toEqual(names(b.id));
  });

  it('an unknown period is a GraphQL validation error naming the allowed values', async () => {
    const res = await gql(env.server.graphqlUrl, await token(env.summary.partners[0].id, ['Global admin']), '{ competenciesReport { metricAnalysis(period: LAST_YEAR) { asOf } } }');
    expect(res.body.errors?.[0].message).toMatch(/CompetencyMetricPeriod/);
  });
});

describe('download: Competencies – Performance details', () => {
  const download = async (bearer: string) =>
    fetch(`${env.server.url}/exports/competencies-performance-details.csv`, { headers: { authorization: `Bearer ${bearer}` } });

  it('holds both periods\' rows with the columns a partner reads, the same numbers as the report, and the exclusions as notes', async () => {
    for (const partner of env.summary.partners) {
      const response = await download(await token(partner.id, ['Executive report viewer']));
      expect(response.status).toBe(200);
      const file = await saveBody(response, env.dir, `performance-${partner.slug}.csv`);
      const rows = readCsv(file);
      expect(Object.keys(rows[0])).toEqual(competenciesPerformanceDetails.columns.map((c) => c.name));
      expect(Object.keys(rows[0]).slice(0, 6)).toEqual(['Period', 'PeriodStart', 'PeriodEnd', 'FirstMonth', 'LastMonth', 'CompetencyName']);
      const expected: Record<string, string>[] = [];
      for (const [period, label] of [['TTM', 'TTM'], ['ANNIVERSARY_YEAR', 'Anniversary year']] as const) {
        for (const c of filesOf(partner.id).expected(period, env.summary.asOf.slice(0, 7), env.summary.asOf)) {
          const common = {
            Period: label,
            PeriodStart: c.bounds?.periodStart ?? '',
            PeriodEnd: c.bounds?.periodEnd ?? '',
            FirstMonth: c.bounds ? `${c.bounds.firstMonth}-01` : '',
            LastMonth: c.bounds ? `${c.bounds.lastMonth}-01` : '',
            CompetencyName: c.name,
            CompetencyArea: c.area,
            CompetencyLevel: c.level,
            CompetencyStage: c.stage,
            AtRisk: String(c.atRisk),
          };
          if (!c.analysed) {
            expected.push({ ...common, MetricKey: '', Unit: '', Value: '', Threshold: '', Met: '', Gap: '' });
            continue;
          }
          const twoDecimals = (v: string) => (v.includes('.') ? v : `${v}.00`);
          for (const m of c.metrics) {
            expected.push({
              ...common,
              MetricKey: m.key,
              Unit: m.unit,
              Value: twoDecimals(m.value),
              Threshold: twoDecimals(m.threshold),
              Met: String(m.met),
              Gap: twoDecimals(m.gap),
            });
          }
        }
      }
      const pick = (r: Record<string, string>) => Object.fromEntries(Object.keys(expected[0]).map((k) => [k, r[k] ?? '']));
      expect(rows.map(pick)).toEqual(expected);
      // Not analysed rows say why; thresholds are both levels'.
      for (const r of rows) {
        if (r.MetricKey === '') expect(r.Note).not.toBe('');
        else expect([r.SilverThreshold, r.GoldThreshold]).toEqual(
          ((m) => [m.silver.toFixed(2), m.gold.toFixed(2)])(COMPETENCY_REQUIREMENTS[r.CompetencyName].metrics.find((m) => m.key === r.MetricKey)!),
        );
      }
    }
  });

  it('needs downloadReports and seeRevenue (Executive report viewer, Global admin) and a company-wide role', async () => {
    const partner = env.summary.partners[0];
    for (const [roles, status] of [[['Report viewer'], 403], [['Admin agent'], 403], [['Global admin'], 200], [['Executive report viewer'], 200]] as const) {
      const response = await download(await token(partner.id, [...roles]));
      expect([roles, response.status]).toEqual([roles, status]);
      await response.arrayBuffer();
    }
    const scoped = await download(await token(partner.id, ['Executive report viewer'], { locations: [partner.locations[0].mpnId] }));
    expect(scoped.status).toBe(403);
    expect(await scoped.text()).toMatch(/whole company/);
  });
});
