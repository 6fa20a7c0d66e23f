import type { Caller } from '../../core/caller';
import type { SqlRunner } from '../../core/sql';
import { gatherExecutiveReport } from './gather';
import { renderExecutiveReport } from './render/page';

export { gatherExecutiveReport } from './gather';
export { renderExecutiveReport } from './render/page';
export { MONTH_FORMAT, parseReportMonth } from './month';
export type { ExecutiveReport } from './types';

/**
 * The executive report of a month as one self-contained HTML document, for the caller's roles
 * and locations. Throws FORBIDDEN (naming the roles) without a report role and BAD_USER_INPUT for
 * a month that is not YYYY-MM or has no data. Used by GET /reports/executive and
 * `partner-insights report executive`.
 */
export async function executiveReportHtml(db: SqlRunner, caller: Caller, month: string): Promise<string> {
  return renderExecutiveReport(await gatherExecutiveReport(db, caller, month));
}
