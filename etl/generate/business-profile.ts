import type { CsvRow } from './csv';
import { addDays, addMonths } from '../../core/dates';
import type { Partner, Timeline } from './model';
import type { Rng } from './random';

/** What customers search the directory for, with how often each term surfaces a profile (a day, at headquarters). */
const SEARCH_TERMS: [string, number][] = [
  ['dynamics 365 partner', 18],
  ['azure migration', 14],
  ['microsoft 365 consultant', 11],
  ['power bi', 7],
  ['cloud security', 5],
];

/**
 * The business profile's daily figures for the 7 months before the as-of date (the page's longest
 * range is 6 months), per location and search term. Views are a share of the search results and
 * contact clicks a share of the views; a day and location with referrals from the profile (Incoming,
 * source Direct: created directly by a customer) has at least that many contact clicks, since each
 * such referral followed a click. Its own rng (a fork), so the other files do not move.
 */
export function businessProfileRows(rng: Rng, partner: Partner, timeline: Timeline, referrals: readonly CsvRow[]): CsvRow[] {
  const fromProfile = new Map<string, number>();
  for (const r of referrals) {
    if (r.Direction !== 'Incoming' || r.Source !== 'Direct') continue;
    const key = `${r.MpnId}|${String(r.CreatedDateTime).slice(0, 10)}`;
    fromProfile.set(key, (fromProfile.get(key) ?? 0) + 1);
  }
  const rows: CsvRow[] = [];
  const first = addDays(addMonths(timeline.asOf, -7), 1);
  for (const location of partner.locations) {
    const reach = location.isHeadquarters ? 1 : location.market === 'Developed' ? 0.5 : 0.3;
    for (let day = first; day <= timeline.asOf; day = addDays(day, 1)) {
      let owed = fromProfile.get(`${location.mpnId}|${day}`) ?? 0;
      for (const [term, perDay] of SEARCH_TERMS) {
        const searchResults = Math.max(0, Math.round(perDay * reach * (0.5 + rng.next())));
        const pageViews = Math.round(searchResults * (0.15 + rng.next() * 0.2));
        const clicks = Math.round(pageViews * rng.next() * 0.3) + owed;
        owed = 0;
        rows.push({
          PartnerId: partner.id, MpnId: location.mpnId, Date: day, SearchTerm: term,
          SearchResults: searchResults, PageViews: Math.max(pageViews, clicks), ContactClicks: clicks,
        });
      }
    }
  }
  return rows;
}
