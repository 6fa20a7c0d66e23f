import type { Caller } from '../../core/caller';
import { addDays, addMonths } from '../../core/dates';
import { scope } from '../../core/scope';
import { query, sql, type SqlRunner } from '../../core/sql';
import { today as clockToday } from '../clock';

/**
 * Business profile insights (Referrals > Business profile insights, reference lines 9174-9203): how
 * often customers find the partner's business profile in "Find a solution provider", view it,
 * click to contact, and the referrals that follow.
 *
 * Range: 30D (the page's default), 3M or 6M, in days ending today (warehouse/clock: PI_TODAY, else
 * the clock), today included: 30D = the 30 days to today, 3M = the day after the same day 3 months
 * ago to today. All regions: no market filter (documented "Data for all regions is included");
 * a location-scoped caller sees its locations' profile rows and referrals only.
 *
 * Search results, page views, contact clicks: sums of the `business_profile_metrics` rows (format
 * business-profile-metrics). Referrals generated: the referrals the warehouse holds that a customer
 * sent from the profile, i.e. Incoming referrals of source Direct ("Created directly by a customer",
 * line 9124; the leads that "originate from the profile listing", line 8318), counted on the day they
 * were created. 2 SQL statements, each scoped with scope(caller, alias, mpn_id).
 */
export type BusinessProfileRangeKind = 'LAST_30_DAYS' | 'LAST_3_MONTHS' | 'LAST_6_MONTHS';

export interface BusinessProfileDay {
  date: string;
  searchResults: number;
  pageViews: number;
  contactClicks: number;
  referralsGenerated: number;
}

export interface BusinessProfileInsightsResult {
  range: { kind: BusinessProfileRangeKind; from: string; to: string };
  summary: Omit<BusinessProfileDay, 'date'>;
  daily: BusinessProfileDay[];
  searchTerms: { term: string; searchResults: number; pageViews: number; contactClicks: number }[];
}

/** The days of a range ending `today`, both included. */
export function businessProfileRange(kind: BusinessProfileRangeKind, today: string): { kind: BusinessProfileRangeKind; from: string; to: string } {
  const from = kind === 'LAST_30_DAYS' ? addDays(today, -29) : addDays(addMonths(today, kind === 'LAST_3_MONTHS' ? -3 : -6), 1);
  return { kind, from, to: today };
}

/** Incoming referrals a customer created from the profile (source Direct). */
const FROM_PROFILE = `r.direction = 'Incoming' AND r.source = 'Direct'`;

export async function runBusinessProfileInsights(
  db: SqlRunner,
  caller: Caller,
  args: { range?: BusinessProfileRangeKind | null; today?: string },
): Promise<BusinessProfileInsightsResult> {
  const range = businessProfileRange(args.range ?? 'LAST_30_DAYS', args.today ?? clockToday());
  const until = addDays(range.to, 1);
  const n = (v: unknown) => Number(v ?? 0);
  const days = await query<Record<string, unknown>>(
    db,
    sql`WITH days AS (SELECT unnest(generate_series(${range.from}::DATE, ${range.to}::DATE, INTERVAL 1 DAY))::DATE AS d),
      m AS (
        SELECT b.metric_date AS d, sum(b.search_results) AS sr, sum(b.page_views) AS pv, sum(b.contact_clicks) AS cc
        FROM business_profile_metrics b
        WHERE ${scope(caller, 'b', 'b.mpn_id')} AND b.metric_date >= ${range.from}::DATE AND b.metric_date < ${until}::DATE
        GROUP BY 1),
      g AS (
        SELECT r.created_at::DATE AS d, count(*) AS n
        FROM referrals r
        WHERE ${scope(caller, 'r', 'r.mpn_id')} AND ${sql.raw(FROM_PROFILE)}
          AND r.created_at >= ${range.from}::TIMESTAMP AND r.created_at < ${until}::TIMESTAMP
        GROUP BY 1)
    SELECT strftime(days.d, '%Y-%m-%d') AS date, m.sr, m.pv, m.cc, g.n
    FROM days LEFT JOIN m ON m.d = days.d LEFT JOIN g ON g.d = days.d
    ORDER BY days.d`,
  );
  const terms = await query<Record<string, unknown>>(
    db,
    sql`SELECT b.search_term AS term, sum(b.search_results) AS sr, sum(b.page_views) AS pv, sum(b.contact_clicks) AS cc
        FROM business_profile_metrics b
        WHERE ${scope(caller, 'b', 'b.mpn_id')} AND b.metric_date >= ${range.from}::DATE AND b.metric_date < ${until}::DATE
        GROUP BY 1 ORDER BY sr DESC, term`,
  );
  const daily = days.map((d) => ({
    date: String(d.date),
    searchResults: n(d.sr),
    pageViews: n(d.pv),
    contactClicks: n(d.cc),
    referralsGenerated: n(d.n),
  }));
  const sum = (key: keyof Omit<BusinessProfileDay, 'date'>) => daily.reduce((s, d) => s + d[key], 0);
  return {
    range,
    summary: { searchResults: sum('searchResults'), pageViews: sum('pageViews'), contactClicks: sum('contactClicks'), referralsGenerated: sum('referralsGenerated') },
    daily,
    searchTerms: terms.map((t) => ({ term: String(t.term), searchResults: n(t.sr), pageViews: n(t.pv), contactClicks: n(t.cc) })),
  };
}
