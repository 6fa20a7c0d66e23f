import { INDICATORS } from '../insights/pci';
import { difference, formatChange, formatCount, formatDifference, formatMoney, formatValue } from './format';
import { monthName } from './month';
import type { ExecutiveReport, KpiFigure, PciPathSection, Ranking } from './types';

/**
 * "Notable changes of the month": short sentences generated from the report's own numbers, in a
 * fixed order and with fixed tie-breaks, so the same data always gives the same sentences.
 *
 *   1. the headline KPIs that moved most against the previous month (at least 1%)
 *   2. the strongest year-over-year change
 *   3. net customer adds
 *   4. churn well above (1.5x) or absent against the previous 12 months' average
 *   5. the biggest mover among products and among countries
 *   6. referrals of the month
 *   7. PCI per path: score change and the points within reach
 */
export const MAX_SENTENCES = 12;
/** A month-over-month change smaller than this (%) is not news. */
const MOVE_THRESHOLD = 1;
/** Churn at least this multiple of the trailing average is a spike. */
const SPIKE_FACTOR = 1.5;

/** Lower-cases a title's first letter for use inside a sentence, but not a name (Azure, ACR). */
const lower = (title: string) => (/^(Azure|[A-Z]{2,})/.test(title) ? title : title[0].toLowerCase() + title.slice(1));

function headlineMoves(report: ExecutiveReport): string[] {
  const prev = monthName(report.previousMonth);
  return report.headline
    .filter((k) => k.vsPreviousMonth.changePercent !== null && Math.abs(k.vsPreviousMonth.changePercent) >= MOVE_THRESHOLD)
    .sort((a, b) => Math.abs(b.vsPreviousMonth.changePercent!) - Math.abs(a.vsPreviousMonth.changePercent!) || a.name.localeCompare(b.name))
    .slice(0, 2)
    .map((k) => {
      const change = k.vsPreviousMonth.changePercent!;
      const diff = difference(k.value, k.vsPreviousMonth.value!, k.unit);
      return `${k.title} ${change > 0 ? 'rose' : 'fell'} ${formatChange(Math.abs(change)).replace('+', '')} to ${formatValue(k.value, k.unit)} (${formatDifference(diff, k.unit)} vs ${prev}).`;
    });
}

function flatHeadline(report: ExecutiveReport): string[] {
  const compared = report.headline.filter((k) => k.vsPreviousMonth.changePercent !== null);
  if (compared.length === 0 || compared.some((k) => Math.abs(k.vsPreviousMonth.changePercent!) >= MOVE_THRESHOLD)) return [];
  return [`${compared.map((k) => k.title).join(', ')}: all within ${MOVE_THRESHOLD}% of ${monthName(report.previousMonth)}.`];
}

function yearOnYear(report: ExecutiveReport): string[] {
  const best = report.headline
    .filter((k) => k.vsPreviousYear.changePercent !== null)
    .sort((a, b) => Math.abs(b.vsPreviousYear.changePercent!) - Math.abs(a.vsPreviousYear.changePercent!) || a.name.localeCompare(b.name))[0];
  if (!best) return [];
  const c = best.vsPreviousYear.changePercent!;
  return [`The largest change against ${monthName(report.previousYear)}: ${lower(best.title)}, ${formatChange(c)} year over year.`];
}

const find = (report: ExecutiveReport, name: string) => report.movements.find((k) => k.name === name);

function netCustomerAdds(report: ExecutiveReport): string[] {
  const added = find(report, 'customersAdded');
  const churned = find(report, 'customersChurned');
  if (!added || !churned) return [];
  const net = Number(added.value) - Number(churned.value);
  return [`Net customer adds: ${net > 0 ? '+' : net < 0 ? '−' : ''}${formatCount(String(Math.abs(net)))} (${formatCount(added.value)} added, ${formatCount(churned.value)} churned).`];
}

/** The average of the 12 months before the report month that have data. */
function trailingAverage(k: KpiFigure, report: ExecutiveReport): number | null {
  const before = k.series.filter((p) => p.month < report.month && p.month >= report.dataFrom);
  if (before.length === 0) return null;
  return before.reduce((s, p) => s + Number(p.value), 0) / before.length;
}

function churn(report: ExecutiveReport): string[] {
  const out: string[] = [];
  for (const [name, noun] of [['customersChurned', 'customers'], ['subscriptionsChurned', 'subscriptions']] as const) {
    const k = find(report, name);
    if (!k) continue;
    const avg = trailingAverage(k, report);
    const value = Number(k.value);
    if (avg === null) continue;
    const avgText = (Math.round(avg * 10) / 10).toFixed(1);
    if (value >= 2 && value >= SPIKE_FACTOR * avg) {
      const times = avg > 0 ? `${(Math.round((value / avg) * 10) / 10).toFixed(1)} times the` : 'against a';
      out.push(`Churn spike: ${formatCount(k.value)} ${noun} churned in ${monthName(report.month)}, ${times} monthly average of the previous 12 months (${avgText}).`);
    } else if (value === 0 && avg >= 1) {
      out.push(`No ${noun} churned in ${monthName(report.month)} (previous 12 months: ${avgText} a month on average).`);
    }
  }
  return out;
}

/** The item of a ranking with the largest absolute change against the previous month. */
function biggestMover(ranking: Ranking | undefined, what: string, report: ExecutiveReport): string[] {
  if (!ranking) return [];
  const moves = ranking.items
    .filter((i) => i.previous !== null)
    .map((i) => ({ item: i, diff: difference(i.value, i.previous!, ranking.unit) }))
    .filter((m) => Number(m.diff) !== 0)
    .sort((a, b) => Math.abs(Number(b.diff)) - Math.abs(Number(a.diff)) || a.item.key.localeCompare(b.item.key));
  const top = moves[0];
  if (!top) return [];
  return [`${top.item.label}: ${formatDifference(top.diff, ranking.unit)} ${lower(ranking.title.split(' by ')[0])} vs ${monthName(report.previousMonth)}, the largest move among ${what}.`];
}

function referrals(report: ExecutiveReport): string[] {
  const r = report.referrals;
  if (!r) return [];
  const created = r.kpis.find((k) => k.name === 'referrals');
  const won = r.kpis.find((k) => k.name === 'referralsWon');
  const volume = r.kpis.find((k) => k.name === 'referralDealVolume');
  if (!created) return [];
  const vs = created.vsPreviousMonth.value === null ? '' : ` (${formatDifference(difference(created.value, created.vsPreviousMonth.value, 'count'), 'count')} vs ${monthName(report.previousMonth)})`;
  const wonText = won ? `, ${formatCount(won.value)} of them won so far${volume && Number(volume.value) > 0 ? ` for USD ${formatMoney(volume.value)}` : ''}` : '';
  return [`Referrals: ${formatCount(created.value)} created in ${monthName(report.month)}${vs}${wonText}.`];
}

const PARTIAL = new Map(INDICATORS.map((i) => [i.key, i.partialPoints]));

/** The partial-points indicator closest to its threshold (relative gap at most a half), if any. */
function withinReach(path: PciPathSection): string | null {
  const near = path.indicators
    .filter((i) => PARTIAL.get(i.key) && !i.withheld && i.value !== null && i.threshold !== null && i.value > 0 && i.value < i.threshold)
    .map((i) => ({ i, gap: (i.threshold! - i.value!) / i.threshold! }))
    .filter((x) => x.gap <= 0.5)
    .sort((a, b) => a.gap - b.gap || a.i.key.localeCompare(b.i.key))[0];
  if (!near) return null;
  const { i } = near;
  const points = (i.maxPoints - i.points).toFixed(2);
  const more =
    i.unit === 'USD'
      ? `USD ${formatMoney((i.threshold! - i.value!).toFixed(2))} more ${i.name.toLowerCase()}`
      : i.unit === 'COUNT'
        ? `${Math.ceil(i.threshold! - i.value!)} more ${i.name.toLowerCase()}`
        : `${((i.threshold! - i.value!) * 100).toFixed(1)} more points of ${i.name.toLowerCase()}`;
  return `${more} would earn the remaining ${points} points`;
}

function pci(report: ExecutiveReport): string[] {
  return report.pci.paths.map((p) => {
    const delta = p.previousScore === null ? null : Math.round((p.score - p.previousScore) * 100) / 100;
    const change = delta === null || delta === 0 ? '' : ` (${delta > 0 ? '+' : '−'}${Math.abs(delta).toFixed(2)} on the month before)`;
    const reach = withinReach(p);
    const gap = p.furthest[0];
    const tail = reach ? `; ${reach}` : gap ? `; the most points to gain: ${gap.name.toLowerCase()} (${gap.pointsToGain.toFixed(2)})` : '; every indicator at its maximum';
    return `PCI ${p.title}: ${p.score.toFixed(2)} of 100${change}${tail}.`;
  });
}

export function notableChanges(report: ExecutiveReport): string[] {
  return [
    ...headlineMoves(report),
    ...flatHeadline(report),
    ...yearOnYear(report),
    ...netCustomerAdds(report),
    ...churn(report),
    ...biggestMover(report.topProducts[0], 'products', report),
    ...biggestMover(report.geography[0], 'countries', report),
    ...referrals(report),
    ...pci(report),
  ].slice(0, MAX_SENTENCES);
}
