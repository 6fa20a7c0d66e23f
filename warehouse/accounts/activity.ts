import { isoTimestamp } from '../../core/sql';
import type { Caller } from '../../core/caller';
import { isoDate, type DateInput } from '../../core/dates';
import { badUserInput } from '../../core/errors';
import { scope } from '../../core/scope';
import { query, sql, type Sql } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';

/** Which partner is credited for a customer's workload (CSP, DPOR, DAP, PAL, CPOR). */
export interface AttributionRow {
  customerId: string;
  type: string;
  mpnId: string | null;
  workload: string | null;
  subscriptionId: string | null;
  incentive: string | null;
  startDate: string | null;
  endDate: string | null;
}

/** Attributions of many customers in one statement, limited to the caller's locations. */
export function attributionsByCustomerIds(db: SqlRunner, caller: Caller, customerIds: readonly string[]): Promise<AttributionRow[]> {
  return query<AttributionRow & Record<string, unknown>>(
    db,
    sql`SELECT a.customer_id AS "customerId", a.attribution_type AS type, a.mpn_id AS "mpnId", a.workload,
               a.subscription_id AS "subscriptionId", a.incentive, a.start_date AS "startDate", a.end_date AS "endDate"
        FROM attributions a
        WHERE ${scope(caller, 'a', 'a.mpn_id')} AND a.customer_id IN ${sql.list(customerIds)}
        ORDER BY a.start_date, a.attribution_type, a.workload`,
  );
}

export interface ActivityRow {
  occurredAt: string;
  customerName: string | null;
  action: string;
  partnerUser: string | null;
}

/** The activity log's period, as Partner Center's From and To fields (reference line 11545): days, both included. */
export interface ActivityPeriod {
  from?: DateInput;
  to?: DateInput;
}

/**
 * One customer's activity log (for paginate), newest first, within the period when one is given
 * (days in UTC). The log has no location column: it is reached only through a customer the caller
 * can see, and is scoped to the partner here.
 */
export function activityListQuery(caller: Caller, customerId: string, period: ActivityPeriod = {}): { select: Sql; from: Sql; orderBy: Sql } {
  const [from, to] = [isoDate(period.from), isoDate(period.to)];
  if (from && to && from > to) throw badUserInput(`the activity period runs from ${from} to ${to}: from must not be after to`, 'from');
  return {
    select: sql`${sql.raw(isoTimestamp('a.occurred_at'))} AS "occurredAt", a.customer_name AS "customerName",
                a.action, a.partner_user AS "partnerUser"`,
    from: sql`customer_activity a WHERE ${sql.and([
      scope(caller, 'a', null),
      sql`a.customer_id = ${customerId}`,
      from ? sql`a.occurred_at >= CAST(${from} AS DATE)` : null,
      to ? sql`a.occurred_at < CAST(${to} AS DATE) + INTERVAL 1 DAY` : null,
    ])}`,
    orderBy: sql`a.occurred_at DESC, a.action`,
  };
}
