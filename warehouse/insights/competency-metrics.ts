import type { Caller } from '../../core/caller';
import { addMonths, monthEnd, monthStart } from '../../core/dates';
import { scope } from '../../core/scope';
import { query, sql, type Sql, type SqlRunner } from '../../core/sql';
import { assertCompanyWide } from './company-wide';
import { dataMonths } from './compile';
import { PRODUCT_BY_OFFER } from './facts';
import type { CompetencyRow } from './competencies';
import { CBA_ACTIVE_NOTE, COMPETENCY_REQUIREMENTS, type MetricAggregation, type MetricSource, type PerformanceMetric } from './competency-requirements';

/**
 * The Competencies report's "Competency metric analysis" (reference lines 16714-16727) and the
 * "Competencies – Performance details" download (line 16924): each performance metric of each
 * competency the partner works on or holds, its value over the period, the Silver and Gold
 * thresholds, met or not and the gap.
 *
 * **Metrics.** Cloud competency requirements are skills and performance (line 16684); only
 * performance is analysed: "metrics associated with learning and certification are not supported
 * in the Competencies report" (line 16727). The performance metrics are measured from the
 * warehouse's own facts, with the same definitions as the other Insights reports, so their numbers
 * agree: Azure consumed revenue (insights_usage_monthly, as the azureConsumedRevenue metric), active
 * users and deployed licenses (license_usage, as activeLicenses and licensesDeployed), monthly active
 * users per workload (monthly_active_users, as PCI reads them), seats sold (license adds from the
 * subscription history, as licensesAdded) and customer counts over those same facts.
 *
 * **Thresholds.** The reference names the kinds of requirement ("a minimum amount of Azure
 * consumption over the trailing 12 months", line 16687; "cloud seats and usage", seed 003) but no
 * amounts, and Partner Center exports no file carrying them: they are data here, once
 * (COMPETENCY_REQUIREMENTS), one entry per competency. Where Microsoft published amounts for the
 * cloud performance competencies they are used (Cloud Platform: US$15,000 / US$100,000 of Azure
 * consumption in the last year; Cloud Productivity: 2,000 / 4,000 active entitlements; Small and
 * Midmarket Cloud Solutions: 40 / 250 seats sold and 4 / 25 new customers); the others are set
 * here in the same spirit and can be changed in this one table.
 *
 * **Not analysed** (listed, with the reason, and no metric): Cloud Business Applications at the
 * Active stage ("CBA competencies are also not currently supported in the metric analysis for the
 * Active competency status", line 16727); a competency whose performance requirement the
 * warehouse has no fact for (Project and Portfolio Management: Project seats are not in the
 * catalog); in the anniversary view, a competency without an anniversary date.
 *
 * **Periods** (line 16719). The as-of month is the Insights reports' (compile.ts dataMonths:
 * PI_TODAY's month, else the partner's latest month with data); the as-of day is its last day, or
 * today within it (as PCI's default day).
 * - TTM: the twelve months ending with the as-of month.
 * - Anniversary year: "from the previous Anniversary date to the next Anniversary date". The
 *   anniversary comes from the partner's files: an Active competency's own (the competencies file's
 *   AnniversaryDate, else one year after its AttainmentDate: "valid for one year from the date of
 *   attainment", line 16680); for the others, which have none, the company's membership anniversary
 *   (the benefits file's ActivationDate of the benefit year holding the as-of day: competencies and
 *   benefits are "retained until your anniversary date. At that time, you will need to purchase or
 *   renew at the company level", line 3394). The previous anniversary is the latest one on or before
 *   the as-of day, the next one a year after. The facts are monthly: the year counts the months from
 *   the previous anniversary's month to the month before the next one's, up to the as-of month (the
 *   year so far).
 *
 * **Value over a period** (aggregation): `sum` over its months (revenue, seats sold, new
 * customers), `distinct` customers over its months, or `last`: the value of its last month counted
 * (active users, deployed licenses, customers holding licenses: a count "now", as the Insights
 * reports give them).
 */

export type CompetencyMetricPeriod = 'TTM' | 'ANNIVERSARY_YEAR';
export const COMPETENCY_METRIC_PERIODS: readonly CompetencyMetricPeriod[] = ['TTM', 'ANNIVERSARY_YEAR'];
/** As the download's Period column writes them. */
export const PERIOD_LABELS: Record<CompetencyMetricPeriod, string> = { TTM: 'TTM', ANNIVERSARY_YEAR: 'Anniversary year' };

const UNKNOWN_NOTE = 'No performance requirement is defined for this competency';
const NO_ANNIVERSARY_NOTE = 'No anniversary date: the competency is not Active and the benefits data has no membership year';

/** What the plan's metrics need from the facts: the months each fact is read over, the product families of license adds. */
interface FactNeeds {
  /** First and last month any period counts (usage, license adds). */
  from: string | null;
  to: string | null;
  /** The periods' last months: license telemetry and monthly active users are only read at a period's last month (`last` metrics). */
  lastMonths: string[];
  /** Product families of the license-add metrics; new customers need each customer's first seats, so all of the history then. */
  addFamilies: string[];
  allHistory: boolean;
}

/**
 * The facts the metrics read, each once per statement, scoped, limited to what the plan needs and
 * grouped to what the metrics need (materialized CTEs): Azure usage per month, customer and meter
 * category; license telemetry per month, customer and product family; monthly active users per
 * month and workload; license adds per month, customer and product family (as the licenseEvent
 * fact defines them, facts.ts LICENSE_EVENT_FACT).
 */
function baseFacts(caller: Caller, needs: FactNeeds): Sql {
  const { from, to } = needs;
  const between = (column: string) => sql`${sql.raw(column)} BETWEEN ${from}::DATE AND ${to}::DATE`;
  const lastMonths = needs.lastMonths.length ? sql`(${sql.join(needs.lastMonths.map((m) => sql`${m}::DATE`), ', ')})` : sql.raw('(NULL)');
  const atLast = (column: string) => sql`${sql.raw(column)} IN ${lastMonths}`;
  return sql`usage_base AS MATERIALIZED (
      SELECT u.month, u.customer_id, u.meter_category, sum(u.acr_usd) AS acr, sum(u.line_count) AS lines
      FROM insights_usage_monthly u WHERE ${scope(caller, 'u', null)} AND ${between('u.month')} GROUP BY ALL),
    license_base AS MATERIALIZED (
      SELECT lu.month, lu.customer_id, lu.product_family, sum(lu.active_users_28d) AS active, sum(lu.licenses_assigned) AS assigned
      FROM license_usage lu WHERE ${scope(caller, 'lu', null)} AND ${atLast('lu.month')} GROUP BY ALL),
    mau_base AS MATERIALIZED (
      SELECT m.month, m.workload, sum(m.active_users) AS users
      FROM monthly_active_users m WHERE ${scope(caller, 'm', null)} AND ${atLast('m.month')} GROUP BY ALL),
    adds_base AS MATERIALIZED (
      SELECT date_trunc('month', e.event_date)::DATE AS month, s.customer_id, p.product_family,
             sum(CASE WHEN e.event_type IN ('Purchase', 'QuantityChange', 'TrialConversion')
                      THEN greatest(coalesce(e.quantity_after, 0) - coalesce(e.quantity_before, 0), 0) ELSE 0 END) AS added
      FROM subscription_events e
      JOIN subscriptions s ON s.partner_id = e.partner_id AND s.subscription_id = e.subscription_id
      LEFT JOIN ${sql.raw(PRODUCT_BY_OFFER)} p ON p.partner_id = s.partner_id AND p.offer_id = s.offer_id
      WHERE ${scope(caller, 'e', null)} AND s.billing_type = 'License' AND NOT coalesce(s.is_trial, FALSE) AND e.event_date IS NOT NULL
        AND p.product_family IN ${sql.list(needs.addFamilies)}${needs.allHistory ? sql.raw('') : sql` AND ${between("date_trunc('month', e.event_date)")}`}
      GROUP BY ALL)`;
}

/** Monthly rows (month DATE, customer_id VARCHAR, v DECIMAL) of a metric source, from the base facts. */
function measureRows(source: MetricSource): Sql {
  const categories = (values?: readonly string[]) => (values?.length ? sql` AND meter_category IN ${sql.list([...values])}` : sql.raw(''));
  switch (source.kind) {
    case 'azureConsumedRevenue':
      // Rounded per month, then summed: as the azureConsumedRevenue metric's range value.
      return sql`SELECT month, NULL::VARCHAR AS customer_id, round(sum(acr), 2)::DECIMAL(18,2) AS v
        FROM usage_base WHERE TRUE${categories(source.meterCategories)} GROUP BY month`;
    case 'azureCustomers':
      return sql`SELECT month, customer_id, 1::DECIMAL(18,2) AS v
        FROM usage_base WHERE lines > 0${categories(source.meterCategories)} GROUP BY month, customer_id`;
    case 'activeUsers':
    case 'licensesDeployed':
      return sql`SELECT month, NULL::VARCHAR AS customer_id, coalesce(sum(${sql.raw(source.kind === 'activeUsers' ? 'active' : 'assigned')}), 0)::DECIMAL(18,2) AS v
        FROM license_base WHERE product_family IN ${sql.list([...source.productFamilies])} GROUP BY month`;
    case 'licensedCustomers':
      return sql`SELECT month, customer_id, 1::DECIMAL(18,2) AS v
        FROM license_base WHERE product_family IN ${sql.list([...source.productFamilies])} AND assigned > 0 GROUP BY month, customer_id`;
    case 'workloadActiveUsers':
      return sql`SELECT month, NULL::VARCHAR AS customer_id, coalesce(sum(users), 0)::DECIMAL(18,2) AS v
        FROM mau_base WHERE workload IN ${sql.list([...source.workloads])} GROUP BY month`;
    case 'seatsSold':
      return sql`SELECT month, NULL::VARCHAR AS customer_id, sum(added)::DECIMAL(18,2) AS v
        FROM adds_base WHERE product_family IN ${sql.list([...source.productFamilies])} GROUP BY month`;
    case 'newCustomers':
      return sql`SELECT min(month) AS month, customer_id, 1::DECIMAL(18,2) AS v
        FROM adds_base WHERE product_family IN ${sql.list([...source.productFamilies])} AND added > 0 GROUP BY customer_id`;
  }
}

/** The tables the statement may read (the export's `reads`), besides competencies and benefits read for the plan. */
export const PERFORMANCE_TABLES = ['insights_usage_monthly', 'license_usage', 'monthly_active_users', 'subscription_events', 'subscriptions', 'products'] as const;

/** A competency as the Competencies report reads it (competencies.ts). */
export type CompetencyStatusRow = CompetencyRow;

/** The months and dates one competency's values are measured over. */
export interface MetricPeriodBounds {
  /** First day of the period, YYYY-MM-DD: TTM, the first day of its first month; anniversary year, the previous anniversary. */
  start: string;
  /** TTM: the last day of the as-of month; anniversary year: the next anniversary date. */
  end: string;
  /** First and last month counted, YYYY-MM-01. */
  firstMonth: string;
  lastMonth: string;
}

export interface PlannedCompetency {
  period: CompetencyMetricPeriod;
  competency: CompetencyStatusRow;
  bounds: MetricPeriodBounds | null;
  /** Why the competency is not analysed (no metrics), or how its anniversary was found. */
  note: string | null;
  metrics: readonly PerformanceMetric[];
}

export interface PerformancePlan {
  /** The reports' as-of month, YYYY-MM-01. */
  asOf: string;
  /** The day anniversaries are placed against, YYYY-MM-DD. */
  asOfDay: string;
  /** The company's membership anniversary (benefit year start holding the as-of day), if any. */
  membershipAnniversary: string | null;
  competencies: PlannedCompetency[];
}

/** The latest anniversary of `anchor` (same day, whole years) on or before `day`. */
export function previousAnniversary(anchor: string, day: string): string {
  let years = Number(day.slice(0, 4)) - Number(anchor.slice(0, 4));
  while (addMonths(anchor, 12 * years) > day) years--;
  while (addMonths(anchor, 12 * (years + 1)) <= day) years++;
  return addMonths(anchor, 12 * years);
}

/** TTM: the twelve months ending with the as-of month. */
export function ttmBounds(asOf: string): MetricPeriodBounds {
  const firstMonth = addMonths(asOf, -11);
  return { start: firstMonth, end: monthEnd(asOf), firstMonth, lastMonth: asOf };
}

/** Anniversary year: previous anniversary to the next; its months so far, up to the as-of month. */
export function anniversaryBounds(anchor: string, asOfDay: string, asOf: string): MetricPeriodBounds {
  const start = previousAnniversary(anchor, asOfDay);
  const end = addMonths(start, 12);
  const yearLast = addMonths(monthStart(end), -1);
  return { start, end, firstMonth: monthStart(start), lastMonth: yearLast < asOf ? yearLast : asOf };
}

/**
 * What to measure: the as-of month and day, the partner's competencies and, per period asked, each
 * one's months and metrics (or why it is not analysed). Two statements (the data months; the
 * competencies with the membership anniversary). It does not check the caller's scope: the GraphQL
 * entry point (competencyMetricAnalysis) and the export engine (Dataset.companyWide) refuse
 * location-scoped callers before it.
 */
export async function planPerformance(db: SqlRunner, caller: Caller, periods: readonly CompetencyMetricPeriod[], today: string): Promise<PerformancePlan> {
  const { asOf } = await dataMonths(db, caller);
  // The as-of month's last day, or today within it (as PCI's default day, pci/index.ts defaultPciDay).
  const asOfDay = monthStart(today) === asOf ? today : monthEnd(asOf);
  const rows = await query<CompetencyStatusRow & { membership: string | null } & Record<string, unknown>>(
    db,
    sql`SELECT c.competency_name AS name, c.competency_area AS area, c.competency_level AS level, c.competency_stage AS stage,
               coalesce(c.at_risk, FALSE) AS "atRisk", strftime(c.attainment_date, '%Y-%m-%d') AS "attainmentDate",
               strftime(c.anniversary_date, '%Y-%m-%d') AS "anniversaryDate",
               (SELECT strftime(max(b.activation_date), '%Y-%m-%d') FROM benefits b
                 WHERE ${scope(caller, 'b', null)} AND b.activation_date <= ${asOfDay}::DATE) AS membership
        FROM competencies c WHERE ${scope(caller, 'c', null)}
        ORDER BY c.competency_name, c.competency_level`,
  );
  const membershipAnniversary = rows[0]?.membership ?? null;
  const competencies: PlannedCompetency[] = [];
  for (const period of periods) {
    for (const { membership: _, ...competency } of rows) {
      const requirement = Object.hasOwn(COMPETENCY_REQUIREMENTS, competency.name) ? COMPETENCY_REQUIREMENTS[competency.name] : undefined;
      const notAnalysed = (note: string, bounds: MetricPeriodBounds | null = null): PlannedCompetency => ({ period, competency, bounds, note, metrics: [] });
      if (!requirement) {
        competencies.push(notAnalysed(UNKNOWN_NOTE));
        continue;
      }
      if (competency.name === 'CloudBusinessApplications' && competency.stage === 'Active') {
        competencies.push(notAnalysed(CBA_ACTIVE_NOTE));
        continue;
      }
      let bounds: MetricPeriodBounds;
      let note: string | null = null;
      if (period === 'TTM') bounds = ttmBounds(asOf);
      else {
        const own = competency.stage === 'Active' ? (competency.anniversaryDate ?? (competency.attainmentDate ? addMonths(competency.attainmentDate, 12) : null)) : null;
        const anchor = own ?? membershipAnniversary;
        if (!anchor) {
          competencies.push(notAnalysed(NO_ANNIVERSARY_NOTE));
          continue;
        }
        bounds = anniversaryBounds(anchor, asOfDay, asOf);
        if (!own) note = 'Anniversary year of the company\'s membership (the benefits\' activation date): the competency is not Active and has no anniversary date of its own';
      }
      if (requirement.metrics.length === 0) {
        competencies.push(notAnalysed(requirement.note ?? UNKNOWN_NOTE, bounds));
        continue;
      }
      competencies.push({ period, competency, bounds, note, metrics: requirement.metrics });
    }
  }
  return { asOf, asOfDay, membershipAnniversary, competencies };
}

/** The columns of performanceStatement's rows (the download's, in order) with their DuckDB types. */
export const PERFORMANCE_COLUMNS: readonly (readonly [string, string, string])[] = [
  ['Period', 'VARCHAR', 'TTM (the twelve months ending with the as-of month) or Anniversary year (previous anniversary to the next)'],
  ['PeriodStart', 'DATE', 'TTM: first day of its first month; Anniversary year: the previous anniversary date'],
  ['PeriodEnd', 'DATE', 'TTM: last day of the as-of month; Anniversary year: the next anniversary date'],
  ['FirstMonth', 'DATE', 'First month counted (the facts are monthly)'],
  ['LastMonth', 'DATE', 'Last month counted: the as-of month, or the anniversary year\'s last month'],
  ['CompetencyName', 'VARCHAR', 'Competency name, e.g. CloudPlatform'],
  ['CompetencyArea', 'VARCHAR', 'App and Infrastructure, Business applications, Data and AI or Modern workplace'],
  ['CompetencyLevel', 'VARCHAR', 'Silver or Gold: the level the partner holds or works toward'],
  ['CompetencyStage', 'VARCHAR', 'Started, Qualified or Active'],
  ['AtRisk', 'BOOLEAN', 'Active and at risk of not meeting the requirements at the anniversary date'],
  ['MetricKey', 'VARCHAR', 'Performance metric id, e.g. AZURE_CONSUMED_REVENUE; empty when the competency is not analysed (see Note)'],
  ['MetricName', 'VARCHAR', 'Performance metric (KPI); learning and certification metrics are not supported'],
  ['Unit', 'VARCHAR', 'USD or count'],
  ['Value', 'DECIMAL(18,2)', 'The metric over the period (sum, distinct customers, or its last month, as the metric says)'],
  ['SilverThreshold', 'DECIMAL(18,2)', 'Threshold for Silver'],
  ['GoldThreshold', 'DECIMAL(18,2)', 'Threshold for Gold'],
  ['Threshold', 'DECIMAL(18,2)', 'Threshold at the competency\'s level'],
  ['Met', 'BOOLEAN', 'Value at or above Threshold'],
  ['Gap', 'DECIMAL(18,2)', 'Threshold minus Value when not met, else 0'],
  ['Note', 'VARCHAR', 'Why the competency is not analysed (CBA at Active, no measurable requirement, no anniversary date), or that its anniversary year is the company\'s membership year'],
];

/**
 * One statement giving the rows of PERFORMANCE_COLUMNS for a plan: one per period, competency and
 * metric (one row without a metric for a competency not analysed), TTM first, then by competency,
 * level and the metric's order. Each fact is read once (baseFacts), in the caller's scope, over
 * the months the plan counts.
 */
export function performanceStatement(caller: Caller, plan: PerformancePlan): Sql {
  const sources = new Map<string, { name: string; source: MetricSource }>();
  const sourceName = (source: MetricSource) => {
    const key = JSON.stringify(source);
    if (!sources.has(key)) sources.set(key, { name: `src_${sources.size}`, source });
    return sources.get(key)!.name;
  };
  const planRows: Sql[] = [];
  let ord = 0;
  for (const p of plan.competencies) {
    const c = p.competency;
    const b = p.bounds;
    const common = sql`${PERIOD_LABELS[p.period]}, ${b?.start ?? null}::DATE, ${b?.end ?? null}::DATE, ${b?.firstMonth ?? null}::DATE, ${b?.lastMonth ?? null}::DATE,
      ${c.name}, ${c.area}::VARCHAR, ${c.level}, ${c.stage}, ${c.atRisk}::BOOLEAN`;
    if (p.metrics.length === 0) {
      planRows.push(sql`(${ord++}, ${common}, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::DECIMAL(18,2), NULL::DECIMAL(18,2), ${p.note}::VARCHAR)`);
      continue;
    }
    for (const m of p.metrics) {
      planRows.push(
        sql`(${ord++}, ${common}, ${m.key}, ${m.name}, ${m.unit}, ${m.aggregation}, ${sourceName(m.source)},
             ${m.silver.toFixed(2)}::DECIMAL(18,2), ${m.gold.toFixed(2)}::DECIMAL(18,2), ${p.note}::VARCHAR)`,
      );
    }
  }
  const planColumns =
    'ord, period, period_start, period_end, first_month, last_month, name, area, level, stage, at_risk, metric_key, metric_name, unit, aggregation, source, silver, gold, note';
  // No competency: no rows (the facts are still named, so the statement says what it reads).
  const planSql = planRows.length
    ? sql`VALUES ${sql.join(planRows, ', ')}`
    : sql.raw(
        'SELECT NULL::INTEGER, NULL::VARCHAR, NULL::DATE, NULL::DATE, NULL::DATE, NULL::DATE, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::BOOLEAN, ' +
          'NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::VARCHAR, NULL::DECIMAL(18,2), NULL::DECIMAL(18,2), NULL::VARCHAR WHERE FALSE',
      );
  const counted = plan.competencies.flatMap((p) => (p.bounds && p.metrics.length ? [p.bounds] : []));
  const used = [...sources.values()].map((x) => x.source);
  const needs: FactNeeds = {
    from: counted.length ? counted.map((b) => b.firstMonth).sort()[0] : null,
    to: counted.length ? counted.map((b) => b.lastMonth).sort().pop()! : null,
    lastMonths: [...new Set(counted.map((b) => b.lastMonth))].sort(),
    addFamilies: [...new Set(used.flatMap((x) => (x.kind === 'seatsSold' || x.kind === 'newCustomers' ? x.productFamilies : [])))].sort(),
    allHistory: used.some((x) => x.kind === 'newCustomers'),
  };
  const monthly = [...sources.values()].map(({ name, source }) => sql`SELECT ${name} AS source, x.* FROM (${measureRows(source)}) x`);
  const noRows = sql.raw('SELECT NULL::VARCHAR AS source, NULL::DATE AS month, NULL::VARCHAR AS customer_id, NULL::DECIMAL(18,2) AS v WHERE FALSE');
  return sql`WITH plan(${sql.raw(planColumns)}) AS (${planSql}),
    ${baseFacts(caller, needs)},
    monthly AS MATERIALIZED (${monthly.length ? sql.join(monthly, ' UNION ALL ') : noRows}),
    valued AS (
      SELECT p.ord, p.period, p.period_start, p.period_end, p.first_month, p.last_month, p.name, p.area, p.level, p.stage, p.at_risk,
             p.metric_key, p.metric_name, p.unit, p.silver, p.gold, p.note,
             CASE WHEN p.level = 'Gold' THEN p.gold ELSE p.silver END AS threshold,
             CASE WHEN p.source IS NULL THEN NULL
                  WHEN p.aggregation = 'sum' THEN coalesce(sum(x.v), 0)
                  WHEN p.aggregation = 'last' THEN coalesce(sum(x.v) FILTER (WHERE x.month = p.last_month), 0)
                  ELSE count(DISTINCT x.customer_id) END::DECIMAL(18,2) AS value
      FROM plan p LEFT JOIN monthly x ON x.source = p.source AND x.month BETWEEN p.first_month AND p.last_month
      GROUP BY ${sql.raw(planColumns.split(', ').map((c) => `p.${c}`).join(', '))}
    )
    SELECT period AS "Period", period_start AS "PeriodStart", period_end AS "PeriodEnd", first_month AS "FirstMonth", last_month AS "LastMonth",
           name AS "CompetencyName", area AS "CompetencyArea", level AS "CompetencyLevel", stage AS "CompetencyStage", at_risk AS "AtRisk",
           metric_key AS "MetricKey", metric_name AS "MetricName", unit AS "Unit", value AS "Value",
           silver AS "SilverThreshold", gold AS "GoldThreshold", CASE WHEN metric_key IS NULL THEN NULL ELSE threshold END::DECIMAL(18,2) AS "Threshold",
           CASE WHEN metric_key IS NULL THEN NULL ELSE value >= threshold END AS "Met",
           CASE WHEN metric_key IS NULL THEN NULL ELSE greatest(threshold - value, 0) END::DECIMAL(18,2) AS "Gap",
           note AS "Note"
    FROM valued ORDER BY ord`;
}

export interface PerformanceRow extends Record<string, unknown> {
  Period: string;
  PeriodStart: string | null;
  PeriodEnd: string | null;
  FirstMonth: string | null;
  LastMonth: string | null;
  CompetencyName: string;
  CompetencyArea: string | null;
  CompetencyLevel: string;
  CompetencyStage: string;
  AtRisk: boolean;
  MetricKey: string | null;
  MetricName: string | null;
  Unit: string | null;
  Value: string | null;
  SilverThreshold: string | null;
  GoldThreshold: string | null;
  Threshold: string | null;
  Met: boolean | null;
  Gap: string | null;
  Note: string | null;
}

/** A metric of a competency over the period, as the GraphQL view gives it. */
export interface CompetencyMetricResult {
  key: string;
  name: string;
  definition: string;
  unit: string;
  aggregation: MetricAggregation;
  /** Decimal strings: counts as integers, USD with 2 decimals. */
  value: string;
  silverThreshold: string;
  goldThreshold: string;
  threshold: string;
  met: boolean;
  gap: string;
  /** value ÷ threshold × 100, 2 decimals. */
  percentOfThreshold: number;
}

export interface CompetencyPerformance {
  name: string;
  area: string | null;
  level: string;
  stage: string;
  atRisk: boolean;
  analysed: boolean;
  note: string | null;
  periodStart: string | null;
  periodEnd: string | null;
  firstMonth: string | null;
  lastMonth: string | null;
  /** Every metric met; null when not analysed. */
  requirementsMet: boolean | null;
  metrics: CompetencyMetricResult[];
}

export interface CompetencyMetricAnalysis {
  period: CompetencyMetricPeriod;
  /** The as-of month, YYYY-MM. */
  asOf: string;
  /** The day anniversaries are placed against, YYYY-MM-DD. */
  asOfDay: string;
  competencies: CompetencyPerformance[];
}

const day = (d: string | null) => (d ? d.slice(0, 10) : null);
const month = (d: string | null) => (d ? d.slice(0, 7) : null);
/** A DECIMAL(18,2) string as the unit shows it: counts as integers, USD with 2 decimals. */
const shown = (value: string, unit: string) => (unit === 'count' ? value.replace(/\.\d*$/, '') : value);

/**
 * The metric analysis for one period (GraphQL): three statements (plan: 2; values: 1). Company-wide
 * data: a location-scoped caller is refused (FORBIDDEN naming why).
 */
export async function competencyMetricAnalysis(db: SqlRunner, caller: Caller, period: CompetencyMetricPeriod, today: string): Promise<CompetencyMetricAnalysis> {
  assertCompanyWide(caller, 'The Competencies report');
  const plan = await planPerformance(db, caller, [period], today);
  const rows = await query<PerformanceRow>(db, performanceStatement(caller, plan));
  const byCompetency = new Map<string, CompetencyPerformance>();
  for (const r of rows) {
    const id = `${r.CompetencyName}|${r.CompetencyLevel}`;
    let c = byCompetency.get(id);
    if (!c) {
      c = {
        name: r.CompetencyName,
        area: r.CompetencyArea,
        level: r.CompetencyLevel,
        stage: r.CompetencyStage,
        atRisk: r.AtRisk,
        analysed: r.MetricKey !== null,
        note: r.Note,
        periodStart: day(r.PeriodStart),
        periodEnd: day(r.PeriodEnd),
        firstMonth: month(r.FirstMonth),
        lastMonth: month(r.LastMonth),
        requirementsMet: r.MetricKey === null ? null : true,
        metrics: [],
      };
      byCompetency.set(id, c);
    }
    if (r.MetricKey === null) continue;
    const definition = COMPETENCY_REQUIREMENTS[r.CompetencyName].metrics.find((m) => m.key === r.MetricKey)!;
    const threshold = Number(r.Threshold);
    c.metrics.push({
      key: r.MetricKey,
      name: r.MetricName!,
      definition: definition.definition,
      unit: r.Unit!,
      aggregation: definition.aggregation,
      value: shown(r.Value!, r.Unit!),
      silverThreshold: shown(r.SilverThreshold!, r.Unit!),
      goldThreshold: shown(r.GoldThreshold!, r.Unit!),
      threshold: shown(r.Threshold!, r.Unit!),
      met: r.Met!,
      gap: shown(r.Gap!, r.Unit!),
      percentOfThreshold: threshold > 0 ? Math.round((Number(r.Value) * 10_000) / threshold) / 100 : 100,
    });
    c.requirementsMet = c.requirementsMet! && r.Met!;
  }
  return { period, asOf: plan.asOf.slice(0, 7), asOfDay: plan.asOfDay, competencies: [...byCompetency.values()] };
}
