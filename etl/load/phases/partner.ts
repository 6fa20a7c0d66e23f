import type { SqlRunner } from '../../../core/sql';
import { FileRejection } from '../detect';
import type { PreparedLoad } from './mapping';

/**
 * A load for one partner (the partnerId option: `--partner`, or the partner of the token that
 * uploaded the file to the server) takes only that partner's rows: a file that holds rows of another
 * partner is rejected whole, naming them, so that no tenant can write another's data. Files without
 * a PartnerId column get the partner filled in instead (mapping.ts).
 */
export async function refuseOtherPartners(tx: SqlRunner, load: PreparedLoad, partnerId: string | undefined): Promise<void> {
  const expected = partnerId?.trim();
  if (!expected) return;
  const others = await tx.all<{ partner_id: string | null; n: string }>(
    `SELECT partner_id, count(*)::VARCHAR AS n FROM ${load.table} WHERE load_id = $1 AND partner_id IS DISTINCT FROM $2
     GROUP BY ALL ORDER BY partner_id LIMIT 5`,
    [load.loadId, expected],
  );
  if (!others.length) return;
  const list = others.map((o) => `${o.partner_id === null ? '(none)' : JSON.stringify(o.partner_id)} (${o.n} rows)`).join(', ');
  throw new FileRejection(
    `this load is for partner ${JSON.stringify(expected)} (--partner, or the partner of the token that uploaded it), ` +
      `but the file's PartnerId column names ${list}: load each partner's rows as that partner; no rows loaded`,
  );
}
