import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { query, sql, type SqlRunner } from '../../core/sql';
import { COMPETENCY_LEVELS } from '../../core/programs';
import { assertCompanyWide } from './company-wide';

/**
 * The Competencies report (reference lines 16663-16750): the summary of competencies by stage and
 * level with their names, the Active ones at risk, and the history. From the `competencies` status
 * and `competency_history` tables (migration 012); the partner's rows only (company-wide data).
 *
 * Stages as the summary defines them (line 16704):
 * - Started: "one or more of the underlying requirements in progress": stage Started;
 * - Qualified: "met the requirements, but might or might not yet have purchased the associated
 *   Silver/Gold offer": stage Qualified or Active;
 * - Active: "met the requirements and purchased a Silver/Gold offer": stage Active;
 * - At risk: "currently Active but also At risk of not meeting requirements for next year".
 */
export interface CompetencyRow {
  name: string;
  area: string | null;
  level: string;
  stage: string;
  atRisk: boolean;
  attainmentDate: string | null;
  anniversaryDate: string | null;
}

export interface CompetencyStageSummary {
  stage: string;
  count: number;
  levels: { level: string; count: number; competencies: string[] }[];
}

export interface CompetenciesReportData {
  asOf: string | null;
  competencies: CompetencyRow[];
  summary: CompetencyStageSummary[];
  atRisk: CompetencyRow[];
}

export const SUMMARY_STAGES: readonly { stage: string; counts: (c: CompetencyRow) => boolean }[] = [
  { stage: 'Started', counts: (c) => c.stage === 'Started' },
  { stage: 'Qualified', counts: (c) => c.stage === 'Qualified' || c.stage === 'Active' },
  { stage: 'Active', counts: (c) => c.stage === 'Active' },
  { stage: 'At risk', counts: (c) => c.stage === 'Active' && c.atRisk },
];

/** One statement: the status rows; the summary and the at-risk list are computed from them. */
export async function competenciesReport(db: SqlRunner, caller: Caller): Promise<CompetenciesReportData> {
  assertCompanyWide(caller, 'The Competencies report');
  const rows = await query<CompetencyRow & { statusDate: string | null } & Record<string, unknown>>(
    db,
    sql`SELECT c.competency_name AS name, c.competency_area AS area, c.competency_level AS level, c.competency_stage AS stage,
               coalesce(c.at_risk, FALSE) AS "atRisk", strftime(c.attainment_date, '%Y-%m-%d') AS "attainmentDate",
               strftime(c.anniversary_date, '%Y-%m-%d') AS "anniversaryDate", strftime(c.status_date, '%Y-%m-%d') AS "statusDate"
        FROM competencies c WHERE ${scope(caller, 'c', null)}
        ORDER BY c.competency_name, c.competency_level`,
  );
  const competencies = rows.map(({ statusDate: _, ...c }) => c);
  const summary = SUMMARY_STAGES.map(({ stage, counts }) => {
    const inStage = competencies.filter(counts);
    const levels = [...COMPETENCY_LEVELS].reverse().map((level) => {
      const names = inStage.filter((c) => c.level === level).map((c) => c.name);
      return { level, count: names.length, competencies: names };
    });
    return { stage, count: inStage.length, levels };
  });
  const atRisk = competencies
    .filter((c) => c.stage === 'Active' && c.atRisk)
    .sort((a, b) => String(a.anniversaryDate).localeCompare(String(b.anniversaryDate)) || a.name.localeCompare(b.name));
  const asOf = rows.reduce<string | null>((latest, r) => (r.statusDate && (!latest || r.statusDate > latest) ? r.statusDate : latest), null);
  return { asOf, competencies, summary, atRisk };
}

export interface CompetencyHistoryRow {
  competency: string;
  level: string;
  attainmentDate: string;
  action: string;
}

/** The history table, latest first (the report sorts by attainment date, descending). */
export function competencyHistory(db: SqlRunner, caller: Caller, limit: number): Promise<CompetencyHistoryRow[]> {
  assertCompanyWide(caller, 'The Competencies report');
  return query<CompetencyHistoryRow & Record<string, unknown>>(
    db,
    sql`SELECT h.competency_name AS competency, h.competency_level AS level, strftime(h.attainment_date, '%Y-%m-%d') AS "attainmentDate", h.action
        FROM competency_history h WHERE ${scope(caller, 'h', null)}
        ORDER BY h.attainment_date DESC, h.competency_name, h.competency_level, h.action
        LIMIT ${limit}`,
  );
}
