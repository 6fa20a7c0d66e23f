import type { SqlRunner } from '../../../core/sql';
import type { PreparedLoad } from './mapping';

/** What is wrong with the inserted rows of a load. */
export interface Tally {
  inserted: number;
  /** Lines DuckDB could not parse (its rejects). */
  rejectedLines: number;
  /** How many partners the inserted rows have, and the first: the partner of a rejected line. */
  partners: { partners: string; partner: string | null };
  /** Rows with no value at all (skipped). */
  emptyRows: number;
  /** Inserted rows failing a check. */
  badChecked: number;
  badRows: number;
  totalRows: number;
  /** Lines the amount rule applied to and lines that did not follow it (formats with an amount rule). */
  amounts?: { checked: number; differences: number };
}

/**
 * Counts what is wrong: values that did not parse (DuckDB's rejects) and rows that fail the
 * format's checks (empty required values, values outside the allowed list, text over its length
 * bound, amounts against their charge type's sign and the documented rounding rule). The checks read
 * only the checked columns; the (rare) flagged rows are then told apart into empty rows (every field
 * blank: partner_id, required everywhere, is blank too) and bad rows.
 */
export async function countBadRows(tx: SqlRunner, load: PreparedLoad, inserted: number): Promise<Tally> {
  const { table, thisLoad } = load;
  const { anyBad, empty, amounts } = load.mapping;
  const rejects = (await tx.all<{ lines: string }>(`SELECT count(DISTINCT line) AS lines FROM pi_reject_errors`))[0];
  const rejectedLines = Number(rejects?.lines ?? 0);
  const counts = (
    await tx.all<{ flagged: string; partners: string; partner: string | null; checked: string; differences: string }>(
      `SELECT count(*) FILTER (WHERE ${anyBad}) AS flagged,
              count(*) FILTER (WHERE ${amounts.applies ?? 'false'}) AS checked,
              count(*) FILTER (WHERE ${amounts.differs ?? 'false'}) AS differences,
              count(DISTINCT partner_id) FILTER (WHERE partner_id <> '') AS partners,
              min(partner_id) FILTER (WHERE partner_id <> '') AS partner
       FROM ${table} WHERE ${thisLoad}`,
    )
  )[0];
  let split = { empty: '0', bad: '0' };
  if (Number(counts.flagged) > 0) {
    split = (
      await tx.all<{ empty: string; bad: string }>(
        `SELECT count(*) FILTER (WHERE ${empty}) AS empty, count(*) FILTER (WHERE NOT ${empty}) AS bad
         FROM ${table} WHERE ${thisLoad} AND ${anyBad}`,
      )
    )[0];
  }
  const emptyRows = Number(split.empty);
  const badChecked = Number(split.bad);
  const badRows = rejectedLines + badChecked;
  const amountTally = amounts.applies ? { checked: Number(counts.checked), differences: Number(counts.differences) } : undefined;
  return { inserted, rejectedLines, partners: counts, emptyRows, badChecked, badRows, totalRows: inserted - emptyRows + rejectedLines, amounts: amountTally };
}

/** Bad and empty rows leave the table; the rest stays. Returns the rows loaded. */
export async function dropBadRows(tx: SqlRunner, load: PreparedLoad, tally: Tally): Promise<number> {
  if (tally.emptyRows + tally.badChecked > 0) await tx.run(`DELETE FROM ${load.table} WHERE ${load.thisLoad} AND ${load.mapping.anyBad}`);
  return tally.inserted - tally.emptyRows - tally.badChecked;
}
