import type { SqlRunner } from '../../../core/sql';
import { REFERRAL_RESPONSE_DAYS } from '../../../core/vocabulary';
import { sqlTimestamp } from '../../../warehouse/clock';
import type { Warehouse } from '../../../warehouse/db';
import { warehouseEvents } from '../../../warehouse/events';
import { lit } from '../sql';
import type { PreparedLoad } from './mapping';

/** A referral a load brought in, or moved to another status. */
export interface ReferralChange {
  partnerId: string;
  referralId: string;
  locationMpnId: string | null;
  change: 'created' | 'updated';
  status: string;
}

/**
 * The referrals of a referrals file that are new to the warehouse, or whose status it changes, for
 * the live subscriptions (resolvers/live). One statement in the load's transaction, after the bad
 * rows are dropped and before the earlier rows of the same referrals are replaced (supersede.ts),
 * which is when the earlier status is still there to compare with. Skipped when nobody listens
 * (start's demo load, the CLI): events go to the listeners of the moment only.
 */
export async function referralChanges(tx: SqlRunner, warehouse: Warehouse, load: PreparedLoad, now: Date): Promise<ReferralChange[]> {
  if (load.format.table !== 'referrals' || warehouseEvents(warehouse).listenerCount() === 0) return [];
  const at = `CAST(${lit(sqlTimestamp(now))} AS TIMESTAMP)`;
  // Reported as readers see it: a New referral past its 14 days reads Expired (warehouse/referrals/referrals.ts).
  const status = `CASE WHEN n.status = 'New' AND n.created_at + INTERVAL ${REFERRAL_RESPONSE_DAYS} DAY < ${at} THEN 'Expired' ELSE n.status END`;
  return tx.all<ReferralChange & Record<string, unknown>>(
    `SELECT DISTINCT ON (n.partner_id, n.referral_id) n.partner_id AS "partnerId", n.referral_id AS "referralId", n.mpn_id AS "locationMpnId",
            CASE WHEN o.referral_id IS NULL THEN 'created' ELSE 'updated' END AS change, ${status} AS status
     FROM referrals n
     LEFT JOIN (
       SELECT partner_id, referral_id, any_value(status) AS status FROM referrals
       WHERE load_id IS DISTINCT FROM ${load.loadId} AND referral_id IN (SELECT referral_id FROM referrals WHERE load_id = ${load.loadId})
       GROUP BY partner_id, referral_id
     ) o ON o.partner_id = n.partner_id AND o.referral_id = n.referral_id
     WHERE n.load_id = ${load.loadId} AND (o.referral_id IS NULL OR o.status IS DISTINCT FROM n.status)`,
  );
}

/** Tells the live subscriptions, once the load has committed. */
export function publishReferralChanges(warehouse: Warehouse, changes: readonly ReferralChange[], now: Date): void {
  const events = warehouseEvents(warehouse);
  for (const c of changes) {
    events.publish({ type: 'referralChanged', ...c, substatus: null, at: now.toISOString() });
  }
}
