import type { Caller } from '../../core/caller';
import { addDays, addMonths } from '../../core/dates';
import { scope } from '../../core/scope';
import { query, sql, type SqlRunner } from '../../core/sql';
import { BENEFIT_CATEGORIES } from '../../core/programs';
import { assertCompanyWide } from './company-wide';

/**
 * The Benefits report (reference lines 16751-16857): "trends of the benefits you have accessed and
 * their utilization during the selected date range", by the report's categories (cloud services,
 * software products, Visual Studio subscriptions, technical benefits, Go-to-market). From the
 * `benefits` table (migration 012), one row per benefit and month.
 *
 * Each benefit as of the latest month with data: granted, used (activated, consumed), remaining =
 * granted − used (never below 0), use % = used ÷ granted × 100 (2 decimals; null when nothing is
 * granted), and its monthly series over the range. Expiring soon: benefits with something left whose
 * expiry date falls from today to `expiringWithinDays` days after it. Quantities are decimal strings
 * with 2 decimals.
 */
export interface BenefitPoint {
  month: string;
  granted: string;
  used: string;
}

export interface BenefitItem {
  category: string;
  name: string;
  unit: string;
  granted: string;
  used: string;
  remaining: string;
  usePercent: number | null;
  activationDate: string | null;
  expiryDate: string | null;
  series: BenefitPoint[];
}

export interface BenefitCategorySummary {
  category: string;
  unit: string;
  benefits: number;
  granted: string;
  used: string;
  remaining: string;
  usePercent: number | null;
}

export interface BenefitsReportData {
  /** The latest month with data (YYYY-MM), null when there is none. */
  asOf: string | null;
  from: string | null;
  benefits: BenefitItem[];
  summary: BenefitCategorySummary[];
  expiringSoon: BenefitItem[];
}

interface MonthRow extends Record<string, unknown> {
  month: string;
  category: string;
  name: string;
  unit: string;
  granted: string;
  used: string;
  activationDate: string | null;
  expiryDate: string | null;
}

/** Quantities are DECIMAL(18,6): summed and subtracted exactly in millionths, shown with 2 decimals. */
const micros = (v: string) => Math.round(Number(v) * 1_000_000);
const decimal = (c: number) => (c / 1_000_000).toFixed(2);
const percent = (used: number, granted: number) => (granted > 0 ? Math.round((used * 10000) / granted) / 100 : null);

export async function benefitsReport(db: SqlRunner, caller: Caller, months: number, today: string, expiringWithinDays: number): Promise<BenefitsReportData> {
  assertCompanyWide(caller, 'The Benefits report');
  // One statement: the range's rows, counted back from the partner's latest month.
  const rows = await query<MonthRow>(
    db,
    sql`WITH latest AS (SELECT max(b.month) AS m FROM benefits b WHERE ${scope(caller, 'b', null)})
        SELECT strftime(b.month, '%Y-%m') AS month, b.benefit_category AS category, b.benefit_name AS name, b.unit,
               b.quantity_granted::VARCHAR AS granted, b.quantity_used::VARCHAR AS used,
               strftime(b.activation_date, '%Y-%m-%d') AS "activationDate", strftime(b.expiry_date, '%Y-%m-%d') AS "expiryDate"
        FROM benefits b, latest
        WHERE ${scope(caller, 'b', null)} AND b.month > latest.m - ${months} * INTERVAL 1 MONTH
        ORDER BY b.benefit_name, b.month`,
  );
  const asOf = rows.reduce<string | null>((m, r) => (!m || r.month > m ? r.month : m), null);
  if (!asOf) return { asOf: null, from: null, benefits: [], summary: [], expiringSoon: [] };
  const byName = new Map<string, MonthRow[]>();
  for (const r of rows) byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  const order = (c: string) => (BENEFIT_CATEGORIES as readonly string[]).indexOf(c);
  const benefits: BenefitItem[] = [];
  const exact = new Map<BenefitItem, { granted: number; used: number }>();
  for (const series of byName.values()) {
    const last = series[series.length - 1];
    if (last.month !== asOf) continue; // no longer granted
    const [granted, used] = [micros(last.granted), micros(last.used)];
    const item: BenefitItem = {
      category: last.category,
      name: last.name,
      unit: last.unit,
      granted: decimal(granted),
      used: decimal(used),
      remaining: decimal(Math.max(0, granted - used)),
      usePercent: percent(used, granted),
      activationDate: last.activationDate,
      expiryDate: last.expiryDate,
      series: series.map((r) => ({ month: r.month, granted: decimal(micros(r.granted)), used: decimal(micros(r.used)) })),
    };
    benefits.push(item);
    exact.set(item, { granted, used });
  }
  benefits.sort((a, b) => order(a.category) - order(b.category) || a.name.localeCompare(b.name));

  // Summed in millionths from the benefits' own quantities, then shown.
  const totals = new Map<string, { category: string; unit: string; benefits: number; granted: number; used: number; remaining: number }>();
  for (const b of benefits) {
    const key = `${b.category}\u0000${b.unit}`;
    const t = totals.get(key) ?? { category: b.category, unit: b.unit, benefits: 0, granted: 0, used: 0, remaining: 0 };
    const { granted, used } = exact.get(b)!;
    totals.set(key, { ...t, benefits: t.benefits + 1, granted: t.granted + granted, used: t.used + used, remaining: t.remaining + Math.max(0, granted - used) });
  }
  const summary: BenefitCategorySummary[] = [...totals.values()].map((t) => ({
    category: t.category,
    unit: t.unit,
    benefits: t.benefits,
    granted: decimal(t.granted),
    used: decimal(t.used),
    remaining: decimal(t.remaining),
    usePercent: percent(t.used, t.granted),
  }));

  const until = addDays(today, expiringWithinDays);
  const expiringSoon = benefits
    .filter((b) => b.expiryDate !== null && b.expiryDate >= today && b.expiryDate <= until && exact.get(b)!.granted > exact.get(b)!.used)
    .sort((a, b) => a.expiryDate!.localeCompare(b.expiryDate!) || a.name.localeCompare(b.name));
  return { asOf, from: addMonths(`${asOf}-01`, -(months - 1)).slice(0, 7), benefits, summary, expiringSoon };
}
