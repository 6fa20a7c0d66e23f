import type { Caller } from '../../core/caller';
import { addMonths } from '../../core/dates';
import { badUserInput } from '../../core/errors';
import { scope } from '../../core/scope';
import { query, sql, type Sql, type SqlRunner } from '../../core/sql';
import { today } from '../clock';
import { resolveRange, type DateRangeInput, type MonthRange } from './compile';

/**
 * The Trainings dashboard (reference lines 16582-16662), from the `certifications` table.
 *
 * A training is one credential row of type Certification, Assessment or Exam (Microsoft Learn
 * modules and learning paths are the Microsoft Learn download's, not this report's), counted in the
 * month it was achieved. Over the date range: "Individuals with certifications" = distinct
 * individuals who achieved at least one certification in the range, "Certifications count" = the
 * certifications achieved in it; the same for assessments and exams. Training performance = the
 * same six figures month by month (each KPI's series). Individuals' performance = each individual's
 * trainings of the range (Executive report viewers).
 *
 * Range: 3M, 6M, 12M (default) or CUSTOM, as the other Insights reports, counted back from PI_TODAY's
 * month, else the partner's latest month with trainings; LIFETIME from the first. Filter: partner
 * locations (MPN IDs). Every statement is scoped with scope(caller, 'c', 'c.mpn_id').
 */
export const TRAINING_TYPES = ['Certification', 'Assessment', 'Exam'] as const;
export type TrainingType = (typeof TRAINING_TYPES)[number];

export interface TrainingsFilters {
  locationMpnIds?: readonly string[] | null;
}

export interface TrainingKpi {
  name: string;
  title: string;
  definition: string;
  value: number;
  series: { month: string; value: number }[];
}

export interface TrainingsReportResult {
  range: MonthRange;
  filters: TrainingsFilters;
  individualsWithCertifications: TrainingKpi;
  certifications: TrainingKpi;
  individualsWithAssessments: TrainingKpi;
  assessments: TrainingKpi;
  individualsWithExams: TrainingKpi;
  exams: TrainingKpi;
}

const KPIS: { field: Exclude<keyof TrainingsReportResult, 'range' | 'filters'>; type: TrainingType; measure: 'individuals' | 'trainings'; title: string; definition: string }[] = [
  { field: 'individualsWithCertifications', type: 'Certification', measure: 'individuals', title: 'Individuals with certifications', definition: 'The number of distinct individuals with certifications in your company (achieved in the date range)' },
  { field: 'certifications', type: 'Certification', measure: 'trainings', title: 'Certifications count', definition: 'The total number of certifications taken by individuals in your company (achieved in the date range)' },
  { field: 'individualsWithAssessments', type: 'Assessment', measure: 'individuals', title: 'Individuals with assessments', definition: 'The number of distinct individuals with assessment credentials in your company (achieved in the date range)' },
  { field: 'assessments', type: 'Assessment', measure: 'trainings', title: 'Assessments count', definition: 'The total number of assessments taken by individuals in your company (achieved in the date range)' },
  { field: 'individualsWithExams', type: 'Exam', measure: 'individuals', title: 'Individuals with examinations', definition: 'The number of distinct individuals with examination credentials in your company (achieved in the date range)' },
  { field: 'exams', type: 'Exam', measure: 'trainings', title: 'Examinations count', definition: 'The total number of examinations taken by individuals in your company (achieved in the date range)' },
];

const MAX_LOCATIONS = 250;

function checkFilters(filters: TrainingsFilters | null | undefined): TrainingsFilters {
  const ids = filters?.locationMpnIds ?? null;
  if (ids && ids.length > MAX_LOCATIONS) throw badUserInput(`filters.locationMpnIds takes at most ${MAX_LOCATIONS} values (got ${ids.length})`, 'filters.locationMpnIds');
  if (ids?.some((id) => !id.trim())) throw badUserInput('filters.locationMpnIds: an MPN ID is empty', 'filters.locationMpnIds');
  return { locationMpnIds: ids && ids.length ? ids : null };
}

/** Trainings of the caller (scoped), the range and the filters, as `c`. */
function trainingRows(caller: Caller, range: MonthRange, filters: TrainingsFilters): Sql {
  const until = addMonths(range.to, 1);
  const locations = filters.locationMpnIds ? sql`AND c.mpn_id IN ${sql.list([...filters.locationMpnIds])}` : sql``;
  return sql`(SELECT c.* FROM certifications c
    WHERE ${scope(caller, 'c', 'c.mpn_id')} AND c.credential_type IN ${sql.list([...TRAINING_TYPES])}
      AND c.achieved_date >= ${range.from}::DATE AND c.achieved_date < ${until}::DATE ${locations})`;
}

/** The range: as-of = PI_TODAY's month, else the partner's latest month with trainings (the calendar, not rows: partner-wide). */
async function trainingsRange(db: SqlRunner, caller: Caller, input: DateRangeInput | null | undefined): Promise<MonthRange> {
  const [row] = await query<{ last: string | null; first: string | null }>(
    db,
    sql`SELECT strftime(max(c.achieved_date), '%Y-%m-01') AS last, strftime(min(c.achieved_date), '%Y-%m-01') AS first
        FROM certifications c WHERE ${scope(caller, 'c', null)} AND c.credential_type IN ${sql.list([...TRAINING_TYPES])}`,
  );
  const current = `${today().slice(0, 7)}-01`;
  const asOf = process.env.PI_TODAY ? current : row?.last ?? current;
  return resolveRange(input, asOf, row?.first ?? asOf);
}

const monthsOf = (range: MonthRange) => {
  const out: string[] = [];
  for (let m = range.from; m <= range.to; m = addMonths(m, 1)) out.push(m.slice(0, 7));
  return out;
};

/** The six summary KPIs with their monthly series: 2 SQL statements. */
export async function runTrainingsReport(
  db: SqlRunner,
  caller: Caller,
  args: { range?: DateRangeInput | null; filters?: TrainingsFilters | null },
): Promise<TrainingsReportResult> {
  const filters = checkFilters(args.filters);
  const range = await trainingsRange(db, caller, args.range);
  const rows = await query<{ type: string; month: string | null; individuals: number | bigint; trainings: number | bigint }>(
    db,
    sql`SELECT c.credential_type AS type, strftime(c.achieved_date, '%Y-%m') AS month,
               count(DISTINCT c.individual_id) AS individuals, count(*) AS trainings
        FROM ${trainingRows(caller, range, filters)} c
        GROUP BY GROUPING SETS ((c.credential_type, strftime(c.achieved_date, '%Y-%m')), (c.credential_type))`,
  );
  const months = monthsOf(range);
  const result = { range, filters } as TrainingsReportResult;
  for (const kpi of KPIS) {
    const of = rows.filter((r) => r.type === kpi.type);
    const total = of.find((r) => r.month === null);
    const byMonth = new Map(of.filter((r) => r.month !== null).map((r) => [r.month!, Number(r[kpi.measure])]));
    result[kpi.field] = {
      name: kpi.field,
      title: kpi.title,
      definition: kpi.definition,
      value: Number(total?.[kpi.measure] ?? 0),
      series: months.map((month) => ({ month, value: byMonth.get(month) ?? 0 })),
    };
  }
  return result;
}

export interface TrainingIndividual {
  individualId: string;
  name: string | null;
  email: string | null;
  trainingCount: number;
  trainings: { type: string; code: string; name: string | null; completionDate: string }[];
}

/**
 * Individuals' performance: each individual with trainings of the range (of `type` when given, a
 * name containing `search` when given), most trainings first, then by name. 1 SQL statement.
 */
export async function trainingIndividuals(
  db: SqlRunner,
  caller: Caller,
  report: { range: MonthRange; filters: TrainingsFilters },
  args: { type?: TrainingType | null; search?: string | null; first: number },
): Promise<TrainingIndividual[]> {
  const search = args.search?.trim();
  const conditions = [
    args.type ? sql`c.credential_type = ${args.type}` : sql`TRUE`,
    search ? sql`contains(lower(c.individual_name), lower(${search}))` : sql`TRUE`,
  ];
  const rows = await query<{ individual_id: string; name: string | null; email: string | null; n: number | bigint; trainings: string }>(
    db,
    sql`SELECT c.individual_id, any_value(c.individual_name) AS name, any_value(c.email) AS email, count(*) AS n,
               to_json(list({type: c.credential_type, code: c.credential_code, name: c.credential_name, completionDate: strftime(c.achieved_date, '%Y-%m-%d')}
                       ORDER BY c.achieved_date DESC, c.credential_code))::VARCHAR AS trainings
        FROM ${trainingRows(caller, report.range, report.filters)} c
        WHERE ${sql.join(conditions, ' AND ')}
        GROUP BY c.individual_id
        ORDER BY n DESC, name, c.individual_id
        LIMIT ${sql.raw(String(Math.trunc(args.first)))}`,
  );
  return rows.map((r) => ({ individualId: r.individual_id, name: r.name, email: r.email, trainingCount: Number(r.n), trainings: JSON.parse(r.trainings) }));
}
