import { findMetric } from '../../insights/metrics';
import { formatChange, formatCompact, formatCount, formatMoney, formatMoneyWhole, formatShort, formatValue } from '../format';
import { monthName, shortMonthName } from '../month';
import type { BudgetAlertLine, Comparison, ExecutiveReport, KpiFigure, PciIndicatorLine, PciPathSection, Ranking, WithheldItem } from '../types';
import { barChart, funnelChart, lineChart, PALETTE } from './charts';
import { html, join, SafeHtml } from './html';
import { STYLES } from './styles';

/**
 * The executive report as one self-contained HTML document: inline <style>, inline SVG charts,
 * no script, no link, no external reference of any kind. Headline numbers first, then the month in
 * brief, trends, products and customers, geography, referrals, PCI, budget alerts and the definitions.
 */
export const WITHHELD = {
  acr: 'Azure consumed revenue (ACR)',
  referrals: 'Referrals and won deal volume',
  dealVolume: 'Won deal volume of referrals',
  pciRevenue: 'PCI net new revenue (USD)',
  customers: 'Top customers',
  budgetAlerts: 'Budget alerts',
} as const;

function orList(items: readonly string[]): string {
  return items.length <= 1 ? items.join('') : `${items.slice(0, -1).join(', ')} or ${items[items.length - 1]}`;
}

export function withheldText(item: WithheldItem): string {
  return `not shown for your role (needs ${orList(item.roles)})`;
}

function withheldNote(report: ExecutiveReport, what: string): SafeHtml | null {
  const item = report.withheld.find((w) => w.what === what);
  return item ? html`<p class="note" data-withheld="${item.permission}">${what}: ${withheldText(item)}.</p>` : null;
}

function trendClass(change: number | null, goodWhenUp = true): string {
  if (change === null || change === 0) return 'flat';
  return change > 0 === goodWhenUp ? 'up' : 'down';
}

function comparisonLine(label: string, c: Comparison, goodWhenUp: boolean): SafeHtml {
  return html`<span>vs ${label}</span><span class="${trendClass(c.changePercent, goodWhenUp)}">${formatChange(c.changePercent)}</span>`;
}

const CHURN = new Set(['customersChurned', 'subscriptionsChurned']);
/** Tile labels where the metric title is too long for a tile. */
const TILE_LABELS: Record<string, string> = { azureConsumedRevenue: 'Azure consumed revenue', referralDealVolume: 'Won deal volume (USD)' };

function tile(report: ExecutiveReport, k: KpiFigure): SafeHtml {
  const good = !CHURN.has(k.name);
  return html`<div class="tile" data-kpi="${k.name}" data-value="${k.value}">
  <div class="label">${TILE_LABELS[k.name] ?? k.title}</div>
  <div class="value">${formatShort(k.value, k.unit)}</div>
  <div class="cmp">${comparisonLine(shortMonthName(report.previousMonth), k.vsPreviousMonth, good)}</div>
  <div class="cmp">${comparisonLine(shortMonthName(report.previousYear), k.vsPreviousYear, good)}</div>
</div>`;
}

function withheldTile(report: ExecutiveReport, title: string, what: string): SafeHtml | null {
  const item = report.withheld.find((w) => w.what === what);
  return item ? html`<div class="tile withheld" data-withheld="${item.permission}"><div class="label">${title}</div><div class="value">${withheldText(item)}</div></div>` : null;
}

function header(report: ExecutiveReport): SafeHtml {
  const scope = report.audience.locations
    ? `Locations: ${report.audience.locations.map((l) => `${l.name ?? l.mpnId} (${l.mpnId}${l.country ? `, ${l.country}` : ''})`).join('; ')}`
    : 'Entire organization';
  return html`<header>
  <div class="eyebrow">Executive report · Partner Insights</div>
  <h1>${report.partner.name} — ${monthName(report.month)}</h1>
  <div class="meta"><span>${scope}</span><span>Role: ${report.audience.roles.join(', ')}</span><span>Compared with ${monthName(report.previousMonth)} and ${monthName(report.previousYear)}</span></div>
  <div class="meta"><span>Data ${monthName(report.dataFrom)} – ${monthName(report.dataTo)}</span><span>Generated ${report.generatedAt.slice(0, 16).replace('T', ' ')} UTC</span></div>
  ${report.withheld.length ? html`<p class="note withheld-list">Not shown for your role: ${join(report.withheld.map((w) => html`${w.what} (needs ${orList(w.roles)})`), '; ')}.</p>` : null}
</header>`;
}

function headline(report: ExecutiveReport): SafeHtml {
  return html`<section class="avoid" id="headline">
  <h2>Headline figures, ${monthName(report.month)}</h2>
  <div class="tiles">${report.headline.map((k) => tile(report, k))}${report.headline.some((k) => k.name === 'azureConsumedRevenue') ? null : withheldTile(report, 'Azure consumed revenue (ACR)', WITHHELD.acr)}</div>
  <div class="tiles small">${report.movements.map((k) => tile(report, k))}</div>
</section>`;
}

function brief(report: ExecutiveReport): SafeHtml {
  return html`<section class="avoid" id="notable">
  <h2>Notable changes this month</h2>
  ${report.notableChanges.length ? html`<ul class="brief">${report.notableChanges.map((s) => html`<li>${s}</li>`)}</ul>` : html`<p>Nothing notable.</p>`}
</section>`;
}

const valueFormatter = (unit: 'count' | 'USD') => (v: number) => (unit === 'USD' ? `USD ${formatCompact(v)}` : formatCompact(v));

function trendFigure(k: KpiFigure): SafeHtml {
  const chart = lineChart({
    name: `trend-${k.name}`,
    title: `${k.title}: the 13 months to ${monthName(k.series[k.series.length - 1]?.month ?? '')}`,
    series: [{ label: k.title, points: k.series.map((p) => ({ month: p.month, value: Number(p.value) })) }],
    format: valueFormatter(k.unit),
    integer: k.unit === 'count',
  });
  return html`<figure><figcaption>${k.title} <small>${formatValue(k.value, k.unit)}</small></figcaption>${chart}</figure>`;
}

function trends(report: ExecutiveReport): SafeHtml {
  return html`<section id="trends">
  <h2>Trends over 13 months</h2>
  <div class="grid2">${report.headline.map(trendFigure)}</div>
  ${withheldNote(report, WITHHELD.acr)}
</section>`;
}

function rankingFigure(r: Ranking, color?: string): SafeHtml {
  const chart = barChart({
    name: r.chart,
    title: r.title,
    color,
    items: r.items.map((i) => ({ label: i.label, value: Number(i.value), text: `${formatShort(i.value, r.unit)}${i.percentOfTotal !== null ? ` · ${i.percentOfTotal.toFixed(0)}%` : ''}` })),
  });
  return html`<figure><figcaption>${r.title}</figcaption>${chart}</figure>`;
}

function productsAndCustomers(report: ExecutiveReport): SafeHtml {
  return html`<section id="products-customers">
  <h2>Top products and customers</h2>
  <div class="grid2">${report.topProducts.map((r) => rankingFigure(r))}${report.topCustomers.map((r) => rankingFigure(r, '#4f7ba6'))}</div>
  ${withheldNote(report, WITHHELD.customers)}
</section>`;
}

function geography(report: ExecutiveReport): SafeHtml {
  return html`<section class="avoid" id="geography">
  <h2>Geography</h2>
  <div class="grid2">${report.geography.map((r) => rankingFigure(r, '#3d6f8f'))}</div>
  ${report.geography.some((g) => g.metric === 'azureConsumedRevenue') ? null : withheldNote(report, WITHHELD.acr)}
</section>`;
}

function referrals(report: ExecutiveReport): SafeHtml {
  const r = report.referrals;
  if (!r) return html`<section class="avoid" id="referrals"><h2>Referrals</h2>${withheldNote(report, WITHHELD.referrals)}</section>`;
  const funnel = funnelChart({
    name: 'referral-funnel',
    title: `Referral funnel, referrals created ${monthName(r.funnelFrom)} – ${monthName(r.funnelTo)}`,
    stages: [
      { label: 'New', value: r.funnel.new },
      { label: 'Accepted', value: r.funnel.accepted },
      { label: 'Won', value: r.funnel.won },
    ],
  });
  const trend = lineChart({
    name: 'referral-trend',
    title: 'Referrals created and won, by month created',
    series: r.kpis
      .filter((k) => k.name !== 'referralDealVolume')
      .map((k, i) => ({ label: k.title, color: i === 0 ? PALETTE.primary : PALETTE.accent, points: k.series.map((p) => ({ month: p.month, value: Number(p.value) })) })),
    format: (v) => formatCompact(v),
    integer: true,
  });
  return html`<section class="avoid" id="referrals">
  <h2>Referrals</h2>
  <div class="tiles small">${r.kpis.map((k) => tile(report, k))}${r.kpis.some((k) => k.name === 'referralDealVolume') ? null : withheldTile(report, 'Won deal volume', WITHHELD.dealVolume)}</div>
  <div class="grid2" style="margin-top:14px">
    <figure><figcaption>Funnel New → Accepted → Won <small>referrals created ${monthName(r.funnelFrom)} – ${monthName(r.funnelTo)} (last 12 months to date)</small></figcaption>${funnel}</figure>
    <figure><figcaption>Created and won <small>by month created; won counts referrals of that month won so far</small></figcaption>${trend}</figure>
  </div>
</section>`;
}

function indicatorValue(i: PciIndicatorLine): string {
  if (i.withheld) return 'not shown';
  if (i.value === null) return 'n/a';
  if (i.unit === 'USD') return `USD ${formatMoneyWhole(i.valueText ?? i.value.toFixed(2))}`;
  if (i.unit === 'RATIO') return `${(i.value * 100).toFixed(1)}%`;
  return formatCount(String(i.value));
}

function thresholdValue(i: PciIndicatorLine): string {
  if (i.threshold === null) return 'not eligible';
  if (i.unit === 'USD') return `USD ${formatMoneyWhole(i.threshold.toFixed(2))}`;
  if (i.unit === 'RATIO') return `${(i.threshold * 100).toFixed(0)}%`;
  return formatCount(String(i.threshold));
}

function pciPath(p: PciPathSection): SafeHtml {
  const delta = p.previousScore === null ? null : Math.round((p.score - p.previousScore) * 100) / 100;
  const rows = p.indicators.map(
    (i) => html`<tr data-indicator="${i.key}"><td>${i.name}</td><td class="num">${indicatorValue(i)}</td><td class="num">${thresholdValue(i)}</td><td class="num">${i.points.toFixed(2)} / ${i.maxPoints}</td><td><div class="meter"><i style="width:${Math.round((i.points / i.maxPoints) * 100)}%"></i></div></td></tr>`,
  );
  return html`<div class="path" data-pci-path="${p.path}">
  <h3>${p.title}</h3>
  <div class="score" data-score="${p.score.toFixed(2)}">${p.score.toFixed(2)} <small>of 100${delta === null ? '' : delta === 0 ? ' · unchanged on the month before' : html` · <span class="${trendClass(delta)}">${delta > 0 ? '+' : '−'}${Math.abs(delta).toFixed(2)}</span> on the month before`}</small></div>
  <table><thead><tr><th>Indicator</th><th class="num">Value</th><th class="num">Threshold</th><th class="num">Points</th><th></th></tr></thead><tbody>${rows}</tbody></table>
  ${p.furthest.length ? html`<p class="meta" style="margin-top:6px">Furthest from threshold: ${join(p.furthest.map((f) => html`${f.name} (${f.pointsToGain.toFixed(2)} points to gain)`), ', ')}</p>` : null}
</div>`;
}

function pci(report: ExecutiveReport): SafeHtml {
  const history = lineChart({
    name: 'pci-history',
    title: 'PCI score by path, last 12 months',
    series: report.pci.paths.map((p, i) => ({ label: p.title, color: i === 0 ? PALETTE.primary : PALETTE.accent, points: p.history.map((h) => ({ month: h.month, value: h.score })) })),
    format: (v) => v.toFixed(2),
    max: 100,
    width: 720,
    height: 150,
  });
  return html`<section id="pci">
  <h2>Partner contribution indicators (PCI)</h2>
  <p class="meta">Scored on ${report.pci.asOf}, ${report.pci.market.toLowerCase()} market thresholds.</p>
  <div class="paths">${report.pci.paths.map(pciPath)}</div>
  <figure style="margin-top:14px"><figcaption>Score history <small>last 12 months, 0–100</small></figcaption>${history}</figure>
  ${withheldNote(report, WITHHELD.pciRevenue)}
</section>`;
}

function budgetAlertRow(a: BudgetAlertLine): SafeHtml {
  const percent = Number(a.budget) > 0 ? `${Math.floor((Number(a.spent) / Number(a.budget)) * 100)}%` : 'n/a';
  return html`<tr data-budget-alert="${a.customerId}" data-threshold="${String(a.threshold)}"><td>${a.companyName ?? a.customerId}</td><td class="num">${a.threshold}%</td><td class="num">${a.currency} ${formatMoney(a.spent)}</td><td class="num">${a.currency} ${formatMoney(a.budget)}</td><td class="num">${percent}</td><td>${a.alertedAt.slice(0, 10)}</td></tr>`;
}

/** Customers whose Azure spending reached 80 % or 100 % of their monthly budget (reference lines 10967-11040). */
function budgetAlerts(report: ExecutiveReport): SafeHtml {
  const alerts = report.budgetAlerts;
  const body = !alerts
    ? withheldNote(report, WITHHELD.budgetAlerts)
    : alerts.length
      ? html`<table><thead><tr><th>Customer</th><th class="num">Reached</th><th class="num">Spent</th><th class="num">Monthly budget</th><th class="num">Used</th><th>On</th></tr></thead><tbody>${alerts.map(budgetAlertRow)}</tbody></table>`
      : html`<p>No customer reached 80% of its monthly Azure budget in ${monthName(report.month)}.</p>`;
  return html`<section class="avoid" id="budget-alerts">
  <h2>Azure spending budgets</h2>
  <p class="meta">Customers whose Azure usage in ${monthName(report.month)} reached 80% or 100% of their monthly budget, in their billing currency (an estimate: pre-tax usage, without credits or other charges).</p>
  ${body}
</section>`;
}

function definitions(report: ExecutiveReport): SafeHtml {
  const names = [...report.headline, ...report.movements, ...(report.referrals?.kpis ?? [])].map((k) => k.name);
  const defs = [...new Set(names)].map((n) => findMetric(n)!).filter(Boolean);
  return html`<section class="definitions" id="definitions">
  <h2>How these figures are defined</h2>
  <dl>${defs.map((d) => html`<dt>${d.title}</dt><dd>${d.definition}</dd>`)}</dl>
  <p>Growth compares the report month with the month before and with the same month a year earlier; n/a where that month has no data or a value of 0. Money is in US dollars as stored (2 decimals).</p>
</section>`;
}

export function renderExecutiveReport(report: ExecutiveReport): string {
  const page = html`<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="color-scheme" content="light">
<title>${report.partner.name} — executive report, ${monthName(report.month)}</title>
<style>${new SafeHtml(STYLES)}</style>
</head>
<body>
<main>
${header(report)}
${headline(report)}
${brief(report)}
${trends(report)}
${productsAndCustomers(report)}
${geography(report)}
${referrals(report)}
${pci(report)}
${budgetAlerts(report)}
${definitions(report)}
<footer>Partner Insights · ${report.partner.name} · ${monthName(report.month)} · figures from the Insights metrics of the warehouse; charts drawn on the server.</footer>
</main>
</body>
</html>
`;
  return page.value;
}
