/**
 * The report's only stylesheet, inlined in <style>. System fonts only (nothing to download);
 * restrained colours; print: @page margins that suit A4 and Letter alike (the content is fluid, so
 * the narrower Letter/A4 width decides nothing), no section split across pages where avoidable,
 * colours kept.
 */
export const STYLES = `
:root { --ink: #1d2733; --muted: #5b6675; --line: #dde2e8; --soft: #f3f5f8; --accent: #1f4e79; --up: #1e7a46; --down: #b3261e; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; background: #eef1f4; color: var(--ink);
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", "Liberation Sans", sans-serif; }
main { max-width: 1000px; margin: 24px auto; padding: 32px 36px 24px; background: #fff; border-radius: 4px; }
h1 { font-size: 26px; line-height: 1.2; margin: 2px 0 4px; font-weight: 650; }
h2 { font-size: 16px; margin: 0 0 10px; padding-bottom: 6px; border-bottom: 2px solid var(--accent); color: var(--accent); font-weight: 650; }
h3 { font-size: 13px; margin: 0 0 6px; font-weight: 600; }
p { margin: 0 0 8px; }
.eyebrow { text-transform: uppercase; letter-spacing: .08em; font-size: 11px; color: var(--muted); font-weight: 600; }
.meta { color: var(--muted); font-size: 12px; }
.meta span + span::before { content: " · "; }
header { padding-bottom: 14px; border-bottom: 1px solid var(--line); }
section { margin-top: 26px; }
.avoid, figure, .tile, .path { break-inside: avoid; page-break-inside: avoid; }
.tiles { display: grid; grid-template-columns: repeat(4, minmax(0, 1fr)); gap: 12px; }
.tiles.small { grid-template-columns: repeat(4, minmax(0, 1fr)); margin-top: 10px; }
.tile { border: 1px solid var(--line); border-radius: 4px; padding: 10px 12px; background: #fff; }
.tile .label { font-size: 12px; color: var(--muted); font-weight: 600; }
.tile .value { font-size: 24px; font-weight: 650; line-height: 1.25; margin: 2px 0 4px; font-variant-numeric: tabular-nums; overflow-wrap: anywhere; }
.tiles.small .tile .value { font-size: 17px; }
.tile .cmp { font-size: 11px; color: var(--muted); display: flex; justify-content: space-between; gap: 6px; }
.tile.withheld { background: var(--soft); }
.tile.withheld .value { font-size: 13px; font-weight: 500; color: var(--muted); }
.up { color: var(--up); font-weight: 600; }
.down { color: var(--down); font-weight: 600; }
.flat { color: var(--muted); font-weight: 600; }
.brief { margin: 0; padding: 12px 16px 12px 30px; background: var(--soft); border-left: 3px solid var(--accent); }
.brief li { margin: 3px 0; }
.grid2 { display: grid; grid-template-columns: repeat(2, minmax(0, 1fr)); gap: 18px 28px; }
figure { margin: 0; }
figcaption { font-size: 12px; font-weight: 600; margin-bottom: 4px; }
figcaption small { font-weight: 400; color: var(--muted); }
svg.chart { display: block; width: 100%; height: auto; overflow: visible; }
.note { font-size: 12px; color: var(--muted); background: var(--soft); border: 1px dashed #c3cad3; border-radius: 4px; padding: 6px 10px; margin: 6px 0; }
.withheld-list { margin: 10px 0 0; }
table { width: 100%; border-collapse: collapse; font-size: 12px; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 4px 6px; border-bottom: 1px solid var(--line); vertical-align: middle; }
th { font-size: 11px; color: var(--muted); font-weight: 600; }
td.num, th.num { text-align: right; white-space: nowrap; }
.path td:first-child { width: 36%; }
.path td:last-child { width: 54px; padding-left: 2px; }
.meter { height: 6px; background: var(--line); border-radius: 3px; min-width: 40px; }
.meter > i { display: block; height: 6px; border-radius: 3px; background: var(--accent); }
.paths { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 18px 28px; }
.path { border: 1px solid var(--line); border-radius: 4px; padding: 12px 14px; }
.score { font-size: 28px; font-weight: 650; line-height: 1.1; }
.score small { font-size: 13px; color: var(--muted); font-weight: 500; }
.definitions { font-size: 11px; color: var(--muted); }
.definitions dt { font-weight: 600; color: var(--ink); margin-top: 4px; }
.definitions dd { margin: 0 0 2px; }
footer { margin-top: 24px; padding-top: 10px; border-top: 1px solid var(--line); font-size: 11px; color: var(--muted); }
@media (max-width: 720px) {
  main { padding: 20px 16px; margin: 0; }
  .tiles, .tiles.small { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .grid2 { grid-template-columns: minmax(0, 1fr); }
}
@page { margin: 14mm 12mm 14mm 12mm; }
@media print {
  body { background: #fff; font-size: 10pt; }
  main { max-width: none; margin: 0; padding: 0; border-radius: 0; }
  h1 { font-size: 20pt; }
  h2 { font-size: 12.5pt; break-after: avoid; page-break-after: avoid; }
  section { margin-top: 16pt; }
  .tiles, .tiles.small { grid-template-columns: repeat(4, minmax(0, 1fr)); }
  .grid2 { grid-template-columns: repeat(2, minmax(0, 1fr)); }
  .tile .value { font-size: 16pt; }
  .tiles.small .tile .value { font-size: 12pt; }
  section.avoid { break-inside: avoid; page-break-inside: avoid; }
}
`;
