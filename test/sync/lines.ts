import type { LineKind, StandInDataSet } from '../../stand-in';
import { lineTotalCents } from '../../stand-in';
import type { Warehouse } from '../../warehouse/db';

/** Line items per "invoice/kind": how many, and their total in cents. */
export type LinesByInvoice = Record<string, { lines: number; cents: number }>;

const LINE_TABLES: Record<LineKind, { table: string; total: string }> = {
  license: { table: 'billing_license_lines', total: 'total_for_customer' },
  onetime: { table: 'billing_onetime_lines', total: 'total' },
  usage: { table: 'billing_usage_lines', total: 'billing_pre_tax_total' },
};

/** What the warehouse holds, per invoice and kind of line. */
export async function warehouseLines(db: Warehouse): Promise<LinesByInvoice> {
  const out: LinesByInvoice = {};
  for (const [kind, { table, total }] of Object.entries(LINE_TABLES)) {
    const rows = await db.all<{ invoice: string; n: bigint; cents: bigint }>(
      `SELECT invoice_number AS invoice, count(*) AS n, CAST(round(sum(${total}) * 100) AS BIGINT) AS cents FROM ${table} GROUP BY ALL`,
    );
    for (const r of rows) out[`${r.invoice}/${kind}`] = { lines: Number(r.n), cents: Number(r.cents) };
  }
  return out;
}

/** What the stand-in's data set bills, per invoice and kind of line (unbilled usage left out). */
export function expectedLines(dataSet: StandInDataSet): LinesByInvoice {
  const out: LinesByInvoice = {};
  for (const line of dataSet.allLines()) {
    if (!line.invoiceId) continue;
    const e = (out[`${line.invoiceId}/${line.kind}`] ??= { lines: 0, cents: 0 });
    e.lines++;
    e.cents += lineTotalCents(line);
  }
  return out;
}
