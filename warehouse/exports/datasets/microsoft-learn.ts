import { scope } from '../../../core/scope';
import { sql } from '../../../core/sql';
import { columns, REPORT_RANGES, type Dataset } from '../dataset';
import { filterConditions, monthBounds } from '../filters';

/** Credential types of the certifications file that are Microsoft Learn completions. */
export const LEARN_TYPES = ['Module', 'Learning path'] as const;

/**
 * Download reports' "Microsoft Learn" (reference line 16920): "the details about the modules,
 * learning path completion details along with user details for the partner". One row per module or
 * learning path an individual completed in the timeframe, from the certifications file's Module and
 * Learning path rows.
 */
export const microsoftLearn: Dataset = {
  name: 'microsoft-learn',
  title: 'Microsoft Learn',
  description:
    'Microsoft Learn modules and learning paths completed by the partner\'s individuals in the timeframe (LIFETIME: all of them), with their names, emails and locations.',
  timeframe: { kind: 'monthly', ranges: REPORT_RANGES },
  permissions: ['downloadReports', 'seePersonalData'],
  contains: ['personal data'],
  filters: { locationMpnIds: 'ce.mpn_id' },
  columns: columns([
    ['CompletedMonth', 'DATE', 'First day of the month of completion'],
    ['LocationMpnId', 'VARCHAR', 'Partner location (MPN ID) of the individual'],
    ['IndividualId', 'VARCHAR', 'Individual id'],
    ['IndividualName', 'VARCHAR', 'Name of the individual (personal data)'],
    ['Email', 'VARCHAR', 'Email of the individual (personal data)'],
    ['ActivityType', 'VARCHAR', 'Module or Learning path'],
    ['LearnId', 'VARCHAR', 'Module or learning path id'],
    ['Title', 'VARCHAR', 'Module or learning path title'],
    ['CompletedDate', 'DATE', 'Date completed'],
  ]),
  reads: ['certifications'],
  query: (ctx) => {
    const { from, until } = monthBounds(ctx.range);
    return sql`
    SELECT date_trunc('month', ce.achieved_date)::DATE AS CompletedMonth, ce.mpn_id AS LocationMpnId, ce.individual_id AS IndividualId,
           ce.individual_name AS IndividualName, ce.email AS Email, ce.credential_type AS ActivityType, ce.credential_code AS LearnId,
           ce.credential_name AS Title, ce.achieved_date AS CompletedDate
    FROM certifications ce
    WHERE ${scope(ctx.caller, 'ce', 'ce.mpn_id')} AND ce.credential_type IN ${sql.list([...LEARN_TYPES])}
      AND ce.achieved_date >= ${from} AND ce.achieved_date < ${until}
      AND ${filterConditions(ctx.filters, microsoftLearn.filters)}
    ORDER BY CompletedDate, IndividualId, LearnId`;
  },
};
