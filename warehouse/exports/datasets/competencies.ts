import { scope } from '../../../core/scope';
import { sql } from '../../../core/sql';
import { columns, type Dataset } from '../dataset';

/**
 * "Competencies – Summary and history" of Download reports (reference line 16922): "details of all
 * the competencies that are either active, in progress or at risk for this Partner. Also includes
 * history of all the competencies achieved by the partner." One file, two kinds of rows: the status
 * of each competency and level (Record = Summary) and each attainment, renewal and loss (Record =
 * History). Partner Center generates it with the Lifetime timeframe: a snapshot here. Company-wide
 * data (`companyWide`): a location-scoped caller is refused.
 */
export const competenciesSummaryAndHistory: Dataset = {
  name: 'competencies-summary-and-history',
  title: 'Competencies – Summary and history',
  description:
    'Every competency and level with its stage (Started, Qualified, Active), at-risk flag, attainment and anniversary dates (Record Summary), then every attainment, renewal and loss (Record History). A snapshot: no timeframe.',
  timeframe: { kind: 'none' },
  permissions: ['downloadReports'],
  contains: [],
  filters: {},
  companyWide: true,
  columns: columns([
    ['Record', 'VARCHAR', 'Summary: the competency\'s status today; History: an attainment, renewal or loss'],
    ['CompetencyName', 'VARCHAR', 'Competency name, e.g. CloudPlatform'],
    ['CompetencyArea', 'VARCHAR', 'App and Infrastructure, Business applications, Data and AI or Modern workplace'],
    ['CompetencyLevel', 'VARCHAR', 'Silver or Gold'],
    ['CompetencyStage', 'VARCHAR', 'Summary rows: Started, Qualified or Active'],
    ['AtRisk', 'BOOLEAN', 'Summary rows: Active and at risk of not meeting the requirements at the anniversary date'],
    ['AttainmentDate', 'DATE', 'Summary: latest attainment or renewal of an Active competency; History: date of the action'],
    ['AnniversaryDate', 'DATE', 'Summary rows: one year after the attainment'],
    ['Action', 'VARCHAR', 'History rows: Attained, Renewed or Lost'],
  ]),
  reads: ['competencies', 'competency_history'],
  query: (ctx) => sql`
    SELECT * FROM (
      SELECT 'Summary' AS Record, c.competency_name AS CompetencyName, c.competency_area AS CompetencyArea, c.competency_level AS CompetencyLevel,
             c.competency_stage AS CompetencyStage, coalesce(c.at_risk, FALSE) AS AtRisk, c.attainment_date AS AttainmentDate,
             c.anniversary_date AS AnniversaryDate, NULL::VARCHAR AS Action
      FROM competencies c WHERE ${scope(ctx.caller, 'c', null)}
      UNION ALL
      SELECT 'History', h.competency_name, a.competency_area, h.competency_level, NULL::VARCHAR, NULL::BOOLEAN, h.attainment_date, NULL::DATE, h.action
      FROM competency_history h
      LEFT JOIN (SELECT DISTINCT a.partner_id, a.competency_name, a.competency_area FROM competencies a WHERE ${scope(ctx.caller, 'a', null)}) a
        ON a.partner_id = h.partner_id AND a.competency_name = h.competency_name
      WHERE ${scope(ctx.caller, 'h', null)}
    ) ORDER BY Record DESC, AttainmentDate DESC NULLS LAST, CompetencyName, CompetencyLevel, Action`,
};
