import { rmSync } from 'node:fs';
import { dailyUsageReconFormat } from '../../etl/formats/billing';
import { tableColumnTypes } from '../../etl/load/columns';
import type { Warehouse } from '../../warehouse/db';
import { up as ingestionJobsDdl } from '../../warehouse/migrations/009_ingestion_jobs';
import { openWarehouse } from '../../warehouse/open';

/**
 * The new day of usage of `npm run bench:ingest`, and the empty warehouse it is also loaded into.
 *
 * The day is written as a Partner Center daily-rated usage reconciliation file (the columns of
 * etl/formats/billing.ts dailyUsageReconFormat, en-US dates) from the rows of one day already in the
 * warehouse (the template: the latest usage day), shifted to the day after: UsageDate the new day,
 * ChargeStartDate / ChargeEndDate the new day's month, and new invoice numbers (one per invoice of
 * the template) so that the file replaces nothing. Everything else (customers, subscriptions,
 * meters, amounts, currencies) is the template's, so its rows refer to what the warehouse knows.
 */

const sql = (s: string) => `'${s.replace(/'/g, "''")}'`;

export interface UsageDayPlan {
  /** The latest usage day in the warehouse (YYYY-MM-DD): the template. */
  templateDay: string;
  /** The day after it: the new day. */
  newDay: string;
  /** Rows of the template day (of the partners chosen). */
  rows: number;
  /** Rows of the latest complete month (of the same partners) and its days: rows / days is "a day". */
  monthRows: number;
  monthDays: number;
  month: string;
}

function partnerFilter(partnerIds: readonly string[] | null): string {
  return partnerIds ? `AND partner_id IN (${partnerIds.map(sql).join(', ')})` : '';
}

/** The template day, the new day, and how the template's row count compares with a month's. */
export async function planUsageDay(w: Warehouse, partnerIds: readonly string[] | null): Promise<UsageDayPlan> {
  const only = partnerFilter(partnerIds);
  const [last] = await w.all<{ d: string; next: string }>(
    `SELECT strftime(max(usage_date), '%Y-%m-%d') AS d, strftime(max(usage_date) + INTERVAL 1 DAY, '%Y-%m-%d') AS next
     FROM billing_usage_lines WHERE usage_date IS NOT NULL ${only}`,
  );
  if (!last?.d) throw new Error('the warehouse has no usage rows to take a day from');
  const [day] = await w.all<{ n: number }>(`SELECT count(*)::DOUBLE AS n FROM billing_usage_lines WHERE usage_date = $1::DATE ${only}`, [last.d]);
  // The latest month with usage on its last day (a complete month), else the latest month.
  const months = await w.all<{ m: string; n: number; days: number; complete: boolean }>(
    `SELECT strftime(date_trunc('month', usage_date), '%Y-%m') AS m, count(*)::DOUBLE AS n,
            day(last_day(min(usage_date)))::INTEGER AS days, max(usage_date) = last_day(min(usage_date)) AS complete
     FROM billing_usage_lines WHERE usage_date IS NOT NULL ${only} GROUP BY 1 ORDER BY 1 DESC LIMIT 3`,
  );
  const month = months.find((m) => m.complete) ?? months[0];
  return { templateDay: last.d, newDay: last.next, rows: Number(day.n), monthRows: Number(month.n), monthDays: Number(month.days), month: month.m };
}

/**
 * Writes the new day's file at `path` from the warehouse's template-day rows (of `partnerIds`, or of
 * every partner). Returns the rows written.
 */
export async function writeUsageDayCsv(w: Warehouse, plan: UsageDayPlan, path: string, partnerIds: readonly string[] | null): Promise<number> {
  rmSync(path, { force: true });
  const newDay = `${sql(plan.newDay)}::DATE`;
  const stamp = plan.newDay.replace(/-/g, '');
  const us = (expr: string) => `strftime(${expr}, '%-m/%-d/%Y')`;
  const types = await tableColumnTypes(w, dailyUsageReconFormat.table);
  const select = dailyUsageReconFormat.columns.map((c) => {
    let expr: string;
    switch (c.column) {
      case 'usage_date':
        expr = us(newDay);
        break;
      case 'charge_start_date':
        expr = us(`date_trunc('month', ${newDay})::DATE`);
        break;
      case 'charge_end_date':
        expr = us(`last_day(${newDay})`);
        break;
      case 'invoice_number':
        expr = `'B${stamp}' || lpad(inv.k::VARCHAR, 4, '0')`;
        break;
      default: {
        const type = types.get(c.column);
        expr = type === 'DATE' ? us(`t.${c.column}`) : type === 'BOOLEAN' ? `t.${c.column}::VARCHAR` : `t.${c.column}`;
      }
    }
    return `${expr} AS "${c.header}"`;
  });
  const only = partnerFilter(partnerIds).replace(/partner_id/g, 't.partner_id');
  const rows = await w.all<{ Count: string | number }>(
    `COPY (
       WITH inv AS (
         SELECT invoice_number, row_number() OVER (ORDER BY invoice_number) AS k
         FROM (SELECT DISTINCT invoice_number FROM billing_usage_lines WHERE usage_date = ${sql(plan.templateDay)}::DATE)
       )
       SELECT ${select.join(',\n              ')}
       FROM billing_usage_lines t JOIN inv USING (invoice_number)
       WHERE t.usage_date = ${sql(plan.templateDay)}::DATE ${only}
       ORDER BY t.partner_id, inv.k, t.subscription_id, t.meter_id
     ) TO ${sql(path)} (FORMAT csv, HEADER true)`,
  );
  return Number(rows[0]?.Count ?? plan.rows);
}

/**
 * The reference data a usage file needs, copied from a warehouse: partners, their locations,
 * customers, subscriptions, products, resellers, attributions and exchange rates. No usage, no other
 * facts, no rollups.
 */
export const REFERENCE_TABLES = ['partners', 'locations', 'customers', 'subscriptions', 'products', 'resellers', 'attributions', 'fx_rates'] as const;

/**
 * Creates `path` (replacing it): a new warehouse (migrations applied) holding only the reference
 * tables of `from` (a closed warehouse file). Returns the rows copied per table.
 */
export async function buildEmptyWarehouse(from: string, path: string): Promise<Record<string, number>> {
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  const w = await openWarehouse(path);
  const copied: Record<string, number> = {};
  try {
    await w.run(`ATTACH ${sql(from)} AS src (READ_ONLY)`);
    for (const t of REFERENCE_TABLES) {
      await w.run(`INSERT INTO main.${t} BY NAME SELECT * FROM src.main.${t}`);
      const [r] = await w.all<{ n: number }>(`SELECT count(*)::DOUBLE AS n FROM main.${t}`);
      copied[t] = Number(r.n);
    }
    await w.run('DETACH src');
    await w.run('CHECKPOINT');
  } finally {
    w.close();
  }
  return copied;
}

/**
 * Makes the ingestion job tables of a warehouse copy (migration 9: ingestion_jobs,
 * ingestion_job_files) match the current migration when they differ: migration 9 is still being
 * edited in place while unshipped, so the benchmark warehouse, migrated when it was built, can hold
 * an older shape that the ingestion routes of this build cannot write. Only for a copy (its job
 * rows are dropped). Returns what was changed, or null.
 */
export async function refreshIngestionTables(w: Warehouse): Promise<string | null> {
  const columns = async (db: Warehouse) =>
    (
      await db.all<{ c: string }>(
        `SELECT table_name || '.' || column_name || ' ' || data_type AS c FROM information_schema.columns
         WHERE table_schema = 'main' AND table_name IN ('ingestion_jobs', 'ingestion_job_files') ORDER BY table_name, ordinal_position`,
      )
    ).map((r) => r.c);
  const fresh = await openWarehouse(':memory:');
  let want: string[];
  try {
    want = await columns(fresh);
  } finally {
    fresh.close();
  }
  const have = await columns(w);
  if (want.join() === have.join()) return null;
  await w.run('DROP TABLE IF EXISTS ingestion_job_files');
  await w.run('DROP TABLE IF EXISTS ingestion_jobs');
  await w.run('DROP SEQUENCE IF EXISTS ingestion_job_seq');
  await w.run(ingestionJobsDdl);
  await w.run('CHECKPOINT');
  return `ingestion job tables recreated with the current migration 9 (missing: ${want.filter((c) => !have.includes(c)).join(', ') || 'none'})`;
}
