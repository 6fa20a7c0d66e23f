import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { startExecutiveEnv, type ExecutiveEnv } from './env';
import { EXECUTIVE_CHARTS, REVENUE_CHARTS } from './fixture';
import { externalReferences } from './self-contained';

/**
 * The executive report in a real headless Chromium (Debian's chromium; PI_CHROMIUM overrides the
 * path), loaded over the HTTP route: no console or page errors, every chart drawn, no request but
 * the page itself, a screenshot in test-artifacts/, and printed to PDF as A4 and as Letter without
 * anything wider than the printable area.
 */
const ARTIFACTS = join(__dirname, '..', '..', 'test-artifacts');
/** Printable width in CSS px: paper width minus the report's 12 mm left and right @page margins. */
const PRINTABLE = { A4: ((210 - 24) / 25.4) * 96, Letter: ((215.9 - 24) / 25.4) * 96 } as const;

let env: ExecutiveEnv;
let browser: Browser;
const previousToday = process.env.PI_TODAY;

beforeAll(async () => {
  delete process.env.PI_TODAY;
  mkdirSync(ARTIFACTS, { recursive: true });
  env = await startExecutiveEnv();
  browser = await chromium.launch({
    executablePath: process.env.PI_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await env?.close();
  if (previousToday !== undefined) process.env.PI_TODAY = previousToday;
});

interface Loaded {
  page: Page;
  html: string;
  errors: string[];
  /** Every request the page made besides the report itself. */
  otherRequests: string[];
}

async function openReport(roles: Parameters<ExecutiveEnv['token']>[1]): Promise<Loaded> {
  const url = `${env.server.url}/reports/executive?month=${env.month}`;
  const context = await browser.newContext({
    viewport: { width: 1100, height: 900 },
    extraHTTPHeaders: { authorization: `Bearer ${await env.token(env.partners[0].id, roles)}` },
  });
  const page = await context.newPage();
  const errors: string[] = [];
  const otherRequests: string[] = [];
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') errors.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => errors.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => errors.push(`request failed: ${r.url()}`));
  page.on('request', (r) => {
    if (r.url() !== url) otherRequests.push(r.url());
  });
  const response = await page.goto(url, { waitUntil: 'load' });
  expect(response?.status()).toBe(200);
  const html = await response!.text();
  await page.waitForLoadState('networkidle');
  return { page, html, errors, otherRequests };
}

/** Shapes drawn and rendered size of a chart. */
async function chartState(page: Page, name: string): Promise<{ count: number; shapes: number; width: number; height: number; title: string }> {
  return page.evaluate(`(() => {
    const all = document.querySelectorAll('svg[data-chart="${name}"]');
    const svg = all[0];
    if (!svg) return { count: 0, shapes: 0, width: 0, height: 0, title: '' };
    const box = svg.getBoundingClientRect();
    return { count: all.length, shapes: svg.querySelectorAll('rect, polyline, polygon, circle, line').length,
      width: box.width, height: box.height, title: (svg.querySelector('title') || {}).textContent || '' };
  })()`);
}

test('Executive report viewer: no errors, every chart drawn, nothing fetched, screenshot, A4 and Letter PDFs', async () => {
  const { page, html, errors, otherRequests } = await openReport(['Executive report viewer']);
  expect(errors).toEqual([]);
  expect(otherRequests).toEqual([]);
  expect(externalReferences(html)).toEqual([]);

  for (const name of EXECUTIVE_CHARTS) {
    const state = await chartState(page, name);
    expect({ name, count: state.count }).toEqual({ name, count: 1 });
    expect(state.shapes).toBeGreaterThan(0);
    expect(state.width).toBeGreaterThan(200);
    expect(state.height).toBeGreaterThan(20);
    expect(state.title.length).toBeGreaterThan(5);
  }
  await page.screenshot({ path: join(ARTIFACTS, 'executive-report.png'), fullPage: true });

  await page.emulateMedia({ media: 'print' });
  for (const format of ['A4', 'Letter'] as const) {
    // Laid out at the printable width, nothing may stick out to the right.
    await page.setViewportSize({ width: Math.floor(PRINTABLE[format]), height: 1000 });
    const overflow = await page.evaluate(`(() => {
      const width = document.documentElement.clientWidth;
      const wide = [...document.querySelectorAll('main *')].filter((e) => e.getBoundingClientRect().right > width + 0.5)
        .map((e) => e.tagName + (e.getAttribute('data-chart') ? '[' + e.getAttribute('data-chart') + ']' : ''));
      return { scrollWidth: document.documentElement.scrollWidth, width, wide: wide.slice(0, 5) };
    })()`);
    expect({ format, ...(overflow as object) }).toEqual({ format, scrollWidth: (overflow as { width: number }).width, width: (overflow as { width: number }).width, wide: [] });
    const pdf = await page.pdf({ format, printBackground: true });
    writeFileSync(join(ARTIFACTS, `executive-report-${format}.pdf`), pdf);
    const text = pdf.toString('latin1');
    expect(text.startsWith('%PDF-')).toBe(true);
    const pages = text.match(/\/Type\s*\/Page[^s]/g)?.length ?? 0;
    expect(pages).toBeGreaterThanOrEqual(2);
    expect(pages).toBeLessThanOrEqual(8);
    const mediaBox = /\/MediaBox\s*\[\s*0 0 ([\d.]+) ([\d.]+)\s*\]/.exec(text)!;
    // Paper size in points (Chromium rounds A4's 595.28 x 841.89 up to whole CSS px).
    const [w, h] = format === 'A4' ? [595.28, 841.89] : [612, 792];
    expect(Math.abs(Number(mediaBox[1]) - w)).toBeLessThan(2);
    expect(Math.abs(Number(mediaBox[2]) - h)).toBeLessThan(2);
  }
  await page.context().close();
});

test('Report viewer: the same page without the revenue charts, still clean', async () => {
  const { page, html, errors, otherRequests } = await openReport(['Report viewer']);
  expect(errors).toEqual([]);
  expect(otherRequests).toEqual([]);
  expect(externalReferences(html)).toEqual([]);
  for (const name of EXECUTIVE_CHARTS) {
    const state = await chartState(page, name);
    expect({ name, count: state.count }).toEqual({ name, count: REVENUE_CHARTS.includes(name) ? 0 : 1 });
  }
  expect(await page.locator('[data-withheld="seeRevenue"]').count()).toBeGreaterThan(0);
  await page.context().close();
});
