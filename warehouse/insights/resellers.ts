import type { Caller } from '../../core/caller';
import { scope } from '../../core/scope';
import { query, sql } from '../../core/sql';
import type { SqlRunner } from '../../core/sql';
import { resellerScope } from '../accounts/resellers';
import type { MonthRange } from './compile';
import { LIST_DEFAULT } from './lists';

/**
 * New reseller details (reseller analytics, reference 17172): "Reseller name, Location: markets
 * where the indirect resellers operate, Subscriptions: number of subscriptions the reseller has
 * sold, Licenses: total number of licenses the reseller has sold across all subscriptions", for the
 * resellers whose relationship started in the range. Subscriptions and licenses are counted over the
 * reseller's subscriptions in the caller's locations; licenses are the quantities of its
 * license-based subscriptions (trials left out).
 */
export interface NewResellerItem {
  mpnId: string;
  name: string | null;
  country: string | null;
  relationshipStartDate: string | null;
  subscriptions: number;
  licenses: number;
}

export function newResellerDetails(db: SqlRunner, caller: Caller, range: MonthRange, limit = LIST_DEFAULT): Promise<NewResellerItem[]> {
  return query<NewResellerItem & Record<string, unknown>>(
    db,
    sql`WITH sold AS (
          SELECT s.reseller_mpn_id, count(DISTINCT s.subscription_id) AS subscriptions,
                 sum(s.quantity) FILTER (WHERE s.billing_type = 'License' AND NOT coalesce(s.is_trial, FALSE)) AS licenses
          FROM subscriptions s WHERE ${scope(caller, 's', 's.mpn_id')} AND s.reseller_mpn_id IS NOT NULL
          GROUP BY s.reseller_mpn_id
        ),
        started AS (
          SELECT r.reseller_mpn_id, any_value(r.name) AS name, any_value(r.country) AS country, min(r.relationship_start_date) AS started
          FROM resellers r WHERE ${resellerScope(caller)}
          GROUP BY r.reseller_mpn_id
        )
        SELECT n.reseller_mpn_id AS "mpnId", n.name, n.country, strftime(n.started, '%Y-%m-%d') AS "relationshipStartDate",
               coalesce(sold.subscriptions, 0)::INTEGER AS subscriptions, coalesce(sold.licenses, 0)::INTEGER AS licenses
        FROM started n LEFT JOIN sold ON sold.reseller_mpn_id = n.reseller_mpn_id
        WHERE n.started >= ${range.from}::DATE AND n.started < ${range.to}::DATE + INTERVAL 1 MONTH
        ORDER BY n.started DESC, n.reseller_mpn_id
        LIMIT ${limit}`,
  );
}
