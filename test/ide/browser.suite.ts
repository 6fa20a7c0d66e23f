import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { GeneratedPartner } from '../../etl/generate';
import { startServer, type RunningServer } from '../../gateway/server';
import { Warehouse } from '../../warehouse/db';
import { warehouseEvents } from '../../warehouse/events';
import { testAuth, token } from '../gateway/harness';
import { copyTemplate, demoData } from '../support/data-sets';

/**
 * The landing page and the GraphQL IDE in a real headless Chromium (Debian's chromium; PI_CHROMIUM
 * overrides the path), on the demo warehouse (`demo-full` template), with every request to anything
 * but the server aborted: open /, follow the link to the IDE, paste a token, see the schema docs,
 * run the first example and one from the Examples panel, and find data in the result panel. No
 * request may fail, no file may answer 400 or more, nothing may be asked of another host, and the
 * console stays clean. The screenshot is written to a temporary directory (its path is printed).
 */
let dir: string;
let warehouse: Warehouse;
let server: RunningServer;
let browser: Browser;
let partner: GeneratedPartner;
/**
 * Where the screenshot goes: a directory of the system's temporary directory that outlives the run
 * (the workers' own TMPDIR, inside the run's data directory, is removed at its end).
 */
const shots = mkdtempSync(join(process.env.PI_TEST_DATA ? dirname(process.env.PI_TEST_DATA) : tmpdir(), 'pi-ide-screens-'));

function chromiumPath(): string {
  if (process.env.PI_CHROMIUM) return process.env.PI_CHROMIUM;
  try {
    return execFileSync('sh', ['-c', 'command -v chromium'], { encoding: 'utf8' }).trim() || '/usr/bin/chromium';
  } catch {
    return '/usr/bin/chromium';
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pi-ide-'));
  const { summary } = await demoData();
  partner = summary.partners[0];
  warehouse = await Warehouse.open(await copyTemplate('demo-full', join(dir, 'warehouse.duckdb')));
  server = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth: testAuth });
  browser = await chromium.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}, 300_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  warehouse?.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Watched {
  page: Page;
  problems: string[];
  /** Requests to anything but the server (aborted). */
  external: string[];
  /** Every URL the page asked of the server. */
  requested: string[];
}

async function watchedPage(): Promise<Watched> {
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  const problems: string[] = [];
  const external: string[] = [];
  const requested: string[] = [];
  await page.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(`${server.url}/`)) {
      requested.push(url.slice(server.url.length));
      return route.continue();
    }
    external.push(url);
    return route.abort('blockedbyclient');
  });
  page.on('console', (m) => {
    if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
  });
  page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
  page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
  page.on('response', (r) => {
    if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
  });
  return { page, problems, external, requested };
}

/** Waits until `read()` gives a value `check` accepts (then returns it), else fails with the last value. */
async function until<T>(read: () => Promise<T>, check: (value: T) => boolean, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await read();
  while (!check(value)) {
    if (Date.now() > deadline) throw new Error(`timed out; last value: ${JSON.stringify(value).slice(0, 2000)}`);
    await new Promise((r) => setTimeout(r, 200));
    value = await read();
  }
  return value;
}

/** The text GraphiQL's result panel shows (CodeMirror renders what is visible: the first lines). */
async function resultText(page: Page): Promise<string> {
  return page.locator('.graphiql-response').innerText();
}

test('landing page -> IDE: paste a token, docs, run examples, data in the result panel; nothing external, nothing failed', async () => {
  const { page, problems, external, requested } = await watchedPage();
  const landing = await page.goto(`${server.url}/`, { waitUntil: 'load' });
  expect(landing?.status()).toBe(200);
  expect(await page.title()).toBe('Partner Insights');
  for (const href of ['/graphql', '/exports', '/reports/executive', '/healthz']) expect(await page.locator(`a[href="${href}"]`).count()).toBe(1);
  const landingShot = join(shots, 'landing.png');
  await page.screenshot({ path: landingShot, fullPage: true });
  // eslint-disable-next-line no-console
  console.log(`landing page screenshot: ${landingShot}`);

  // The IDE, as a browser opens it: a navigation to /graphql, no token.
  await Promise.all([page.waitForURL(`${server.url}/graphql`), page.locator('a[href="/graphql"]').click()]);
  await page.locator('.graphiql-container').waitFor();
  expect(await page.locator('#pi-token-status').innerText()).toMatch(/No token/);
  // The examples are the first tabs.
  const tabs = page.locator('.graphiql-tab');
  expect(await until(() => tabs.allInnerTexts(), (t) => t.length === 4)).toEqual(['PartnerWithLocations', 'CustomersPage', 'SubscriptionsPage', 'OverviewReport']);
  // Without a token nothing is sent: the IDE says what to do.
  expect(requested.filter((u) => u.startsWith('/graphql') && u !== '/graphql')).toEqual([]);

  // Paste the token (as copied from a terminal: with "Bearer " and a line break) and use it.
  const bearer = await token(partner.id, ['Global admin']);
  await page.locator('#pi-token').fill(`Bearer ${bearer.slice(0, 40)}\n${bearer.slice(40)}`);
  await page.locator('#pi-token-use').click();
  await until(() => page.locator('#pi-token-status').innerText(), (t) => t.includes(`partner ${partner.id} · Global admin · expires`));
  expect(await page.evaluate("localStorage.getItem('partner-insights:token')")).toBe(bearer);

  // The schema explorer: the docs list the root types once the schema is read with the token.
  await page.locator('[aria-label="Show Documentation Explorer"]').click();
  const docs = page.locator('.graphiql-doc-explorer');
  await docs.getByText('Query', { exact: true }).first().waitFor({ timeout: 30_000 });
  await docs.getByText('Query', { exact: true }).first().click();
  await docs.getByText('customers', { exact: true }).first().waitFor();

  // Run the first example (PartnerWithLocations): the partner's name in the result panel.
  await page.locator('.graphiql-execute-button').click();
  await until(() => resultText(page), (t) => t.includes(`"name": "${partner.name}"`), 30_000);
  const first = await resultText(page);
  expect(first).toContain('"data"');
  expect(first).toContain('"locations"');
  expect(first).not.toContain('"errors"');

  // One from the Examples panel: a new tab with SubscriptionsPage, run, subscriptions in the result.
  await page.locator('[aria-label="Show Examples"]').click();
  await page.locator('button.pi-example[data-example="SubscriptionsPage"]').click();
  await until(() => tabs.count(), (n) => n === 5);
  await until(() => page.locator('.graphiql-query-editor').innerText(), (t) => t.includes('query SubscriptionsPage'));
  expect(await until(() => tabs.allInnerTexts(), (t) => t[4] === 'SubscriptionsPage')).toHaveLength(5);
  await page.locator('.graphiql-execute-button').click();
  await until(() => resultText(page), (t) => t.includes('"subscriptions"'), 30_000);
  const subscriptions = await resultText(page);
  expect(subscriptions).toMatch(/"totalCount": [1-9]/);
  expect(subscriptions).not.toContain('"errors"');

  await page.locator('[aria-label="Show Documentation Explorer"]').click();
  const shot = join(shots, 'graphql-ide.png');
  await page.screenshot({ path: shot });
  // eslint-disable-next-line no-console
  console.log(`IDE screenshot: ${shot}`);

  // Reloaded, the page remembers the token.
  await page.reload({ waitUntil: 'load' });
  await page.locator('.graphiql-container').waitFor();
  await until(() => page.locator('#pi-token-status').innerText(), (t) => t.includes('Global admin'));
  await page.waitForLoadState('networkidle');

  expect(external).toEqual([]);
  expect(problems).toEqual([]);
  // What the page loaded: the two pages, the IDE's six files, and POST /graphql.
  const files = [...new Set(requested)].filter((u) => u.startsWith('/ide/'));
  expect(files).toHaveLength(6);
  expect([...new Set(requested)].filter((u) => !u.startsWith('/ide/')).sort()).toEqual(['/', '/graphql']);
  await page.context().close();
}, 180_000);

test('a subscription runs from the IDE over the websocket, with the pasted token', async () => {
  const { page, problems, external } = await watchedPage();
  await page.goto(`${server.url}/graphql`, { waitUntil: 'load' });
  await page.locator('.graphiql-container').waitFor();
  await page.locator('#pi-token').fill(await token(partner.id, ['Global admin']));
  await page.locator('#pi-token-use').click();
  await until(() => page.locator('#pi-token-status').innerText(), (t) => t.includes('Global admin'));
  // The query editor is CodeMirror 5, which keeps its instance on its element.
  await page.evaluate(`document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.setValue(
    'subscription Alerts { budgetAlert { customerId month threshold spent { amount currency } } }')`);
  await until(() => page.locator('.graphiql-query-editor').innerText(), (t) => t.includes('subscription Alerts'));
  const bus = warehouseEvents(warehouse);
  const before = bus.listenerCount();
  await page.locator('.graphiql-execute-button').click();
  await until(async () => bus.listenerCount(), (n) => n === before + 1);
  bus.publish({ type: 'budgetAlert', partnerId: partner.id, customerId: 'c-ide', month: '2026-11', threshold: 100, spent: '1200.00', budget: '1000.00', currency: 'USD', at: new Date().toISOString() });
  const shown = await until(() => resultText(page), (t) => t.includes('"budgetAlert"'), 15_000);
  expect(shown).toContain('"customerId": "c-ide"');
  expect(shown).not.toContain('"errors"');
  // Stopping it (the button again) ends the subscription on the server.
  await page.locator('.graphiql-execute-button').click();
  await until(async () => bus.listenerCount(), (n) => n === before);
  expect(external).toEqual([]);
  expect(problems).toEqual([]);
  await page.context().close();
}, 120_000);
