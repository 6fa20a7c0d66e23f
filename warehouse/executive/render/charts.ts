import { formatAxis } from '../format';
import { shortMonthName } from '../month';
import { html, type SafeHtml } from './html';

/**
 * Charts as inline SVG drawn on the server: no script, no external resource. Each chart is one
 * <svg role="img" data-chart="name"> with a <title> and a <desc> (the numbers in words, for screen
 * readers and as a fallback), sized by its viewBox so it scales to the column in print and on
 * screen. Text uses the page's font (inherited), sizes in viewBox units.
 */
export const PALETTE = { primary: '#1f4e79', secondary: '#8aa9c8', accent: '#c07a2c', grid: '#e3e7ec', axis: '#8a94a3', text: '#1d2733', muted: '#5b6675' };

const WIDTH = 360;
const r1 = (n: number) => Math.round(n * 10) / 10;

/**
 * Axis for values 0..max: 4 to 6 intervals of a round step (1, 2, 2.5, 5 x 10^k; 2.5 only where
 * it stays whole for counts), the smallest top that covers max (ties: fewer intervals).
 */
export function axisTicks(max: number, integer: boolean): number[] {
  if (!(max > 0)) return integer ? [0, 1, 2, 3, 4] : [0, 0.25, 0.5, 0.75, 1];
  let best: { step: number; n: number } | null = null;
  for (let k = Math.floor(Math.log10(max / 6)) - 1; k <= Math.ceil(Math.log10(max)) + 1; k++) {
    for (const f of [1, 2, 2.5, 5]) {
      const step = f * 10 ** k;
      if (integer && !Number.isInteger(Math.round(step * 1e9) / 1e9)) continue;
      for (const n of [4, 5, 6]) {
        if (step * n < max) continue;
        const top = step * n;
        const bestTop = best ? best.step * best.n : Infinity;
        if (top < bestTop - 1e-9 || (Math.abs(top - bestTop) < 1e-9 && n < best!.n)) best = { step, n };
      }
    }
  }
  const { step, n } = best!;
  return Array.from({ length: n + 1 }, (_, i) => Math.round(i * step * 1e6) / 1e6);
}

function frame(name: string, title: string, description: string, height: number, body: SafeHtml, width = WIDTH): SafeHtml {
  const id = `chart-${name}`;
  return html`<svg class="chart" data-chart="${name}" role="img" aria-labelledby="${id}-title ${id}-desc" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg"><title id="${id}-title">${title}</title><desc id="${id}-desc">${description}</desc>${body}</svg>`;
}

export interface LineSeries {
  label: string;
  color?: string;
  points: { month: string; value: number }[];
}

/** Monthly trend: a line per series (the first filled as an area), y from 0, every third month labelled. */
export function lineChart(options: {
  name: string;
  title: string;
  series: LineSeries[];
  format: (v: number) => string;
  /** Whole numbers (counts): whole axis steps. */
  integer?: boolean;
  max?: number;
  /** viewBox size: a full-width chart gets a wider box, so its text keeps the same printed size. */
  width?: number;
  height?: number;
}): SafeHtml {
  const { name, title, series, format } = options;
  const W = options.width ?? WIDTH;
  const height = options.height ?? 170;
  const left = 40;
  const right = 20;
  const top = 14;
  const bottom = 22;
  const months = series[0]?.points.map((p) => p.month) ?? [];
  const values = series.flatMap((s) => s.points.map((p) => p.value));
  const ticks = axisTicks(options.max ?? Math.max(0, ...values), options.integer ?? false);
  const max = ticks[ticks.length - 1];
  const x = (i: number) => r1(left + (months.length <= 1 ? 0 : (i * (W - left - right)) / (months.length - 1)));
  const y = (v: number) => r1(top + (height - top - bottom) * (1 - Math.max(0, v) / max));
  const tickLabels = formatAxis(ticks);
  const grid = ticks.map(
    (t, i) => html`<line x1="${left}" x2="${W - right}" y1="${y(t)}" y2="${y(t)}" stroke="${PALETTE.grid}" stroke-width="1"/><text x="${left - 5}" y="${y(t) + 3}" text-anchor="end" font-size="9" fill="${PALETTE.muted}">${tickLabels[i]}</text>`,
  );
  const labels = months.map((m, i) =>
    i % 3 === (months.length - 1) % 3 ? html`<text x="${x(i)}" y="${height - 6}" text-anchor="middle" font-size="9" fill="${PALETTE.muted}">${shortMonthName(m)}</text>` : null,
  );
  const lines = series.map((s, si) => {
    const color = s.color ?? (si === 0 ? PALETTE.primary : PALETTE.accent);
    const pts = s.points.map((p, i) => `${x(i)},${y(p.value)}`);
    const area = si === 0 && pts.length > 1 ? html`<polygon points="${`${x(0)},${y(0)} ${pts.join(' ')} ${x(pts.length - 1)},${y(0)}`}" fill="${color}" fill-opacity="0.10"/>` : null;
    const last = s.points[s.points.length - 1];
    const end = last
      ? html`<circle cx="${x(s.points.length - 1)}" cy="${y(last.value)}" r="3" fill="${color}"/>`
      : null;
    return html`${area}<polyline points="${pts.join(' ')}" fill="none" stroke="${color}" stroke-width="2" stroke-linejoin="round" stroke-linecap="round"/>${end}`;
  });
  const legend =
    series.length > 1
      ? series.map((s, si) => {
          const color = s.color ?? (si === 0 ? PALETTE.primary : PALETTE.accent);
          const lx = left + si * 150;
          return html`<rect x="${lx}" y="4" width="10" height="3" fill="${color}"/><text x="${lx + 14}" y="9" font-size="9" fill="${PALETTE.text}">${s.label}</text>`;
        })
      : null;
  const description = series
    .map((s) => `${s.label}: ${s.points.map((p) => `${shortMonthName(p.month)} ${format(p.value)}`).join(', ')}`)
    .join('. ');
  return frame(name, title, description, height, html`${grid}${labels}${lines}${legend}`, W);
}

export interface BarItem {
  label: string;
  value: number;
  /** The value as shown. */
  text: string;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

/** Horizontal bars, in the order given: the full label above each bar, the value right of it. */
export function barChart(options: { name: string; title: string; items: BarItem[]; color?: string }): SafeHtml {
  const { name, title, items } = options;
  const row = 27;
  const height = Math.max(1, items.length) * row + 2;
  const valueW = 84;
  const barW = WIDTH - valueW;
  const max = Math.max(0, ...items.map((i) => i.value)) || 1;
  const bars = items.map((item, i) => {
    const yy = i * row;
    const w = r1(Math.max(1, (barW * Math.max(0, item.value)) / max));
    return html`<text x="0" y="${yy + 10}" font-size="9.5" fill="${PALETTE.text}">${truncate(item.label, 62)}</text><rect x="0" y="${yy + 13}" width="${w}" height="10" rx="2" fill="${options.color ?? PALETTE.primary}"/><text x="${r1(w + 5)}" y="${yy + 22}" font-size="9.5" fill="${PALETTE.text}">${item.text}</text>`;
  });
  const empty = items.length === 0 ? html`<text x="${WIDTH / 2}" y="16" text-anchor="middle" font-size="10" fill="${PALETTE.muted}">No data for this month</text>` : null;
  const description = items.length ? items.map((i) => `${i.label}: ${i.text}`).join('; ') : 'No data for this month';
  return frame(name, title, description, height, html`${bars}${empty}`);
}

/** Funnel: one centred bar per stage, narrowing with the counts, with the conversion from the stage before. */
export function funnelChart(options: { name: string; title: string; stages: { label: string; value: number }[] }): SafeHtml {
  const { name, title, stages } = options;
  const row = 34;
  const height = stages.length * row + 6;
  const max = Math.max(1, ...stages.map((s) => s.value));
  const full = WIDTH - 150;
  const body = stages.map((s, i) => {
    const w = r1(Math.max(2, (full * s.value) / max));
    const yy = 4 + i * row;
    const prev = i > 0 ? stages[i - 1].value : null;
    const conversion = prev ? `${((s.value / prev) * 100).toFixed(1)}% of ${stages[i - 1].label.toLowerCase()}` : '';
    const color = [PALETTE.secondary, '#4f7ba6', PALETTE.primary][i % 3];
    return html`<rect x="${r1(75 + (full - w) / 2)}" y="${yy}" width="${w}" height="${row - 8}" rx="3" fill="${color}"/><text x="70" y="${yy + 17}" text-anchor="end" font-size="10" fill="${PALETTE.text}">${s.label}</text><text x="${75 + full + 5}" y="${yy + 12}" font-size="10" font-weight="600" fill="${PALETTE.text}">${s.value.toLocaleString('en-US')}</text><text x="${75 + full + 5}" y="${yy + 23}" font-size="8" fill="${PALETTE.muted}">${conversion}</text>`;
  });
  const description = stages.map((s) => `${s.label}: ${s.value}`).join(', ');
  return frame(name, title, description, height, html`${body}`);
}
