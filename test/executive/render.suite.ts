import { DomainError } from '../../core/errors';
import { rolesFor } from '../../core/permissions';
import { parseReportMonth, renderExecutiveReport } from '../../warehouse/executive';
import { formatAxis, formatChange, formatMoney, formatMoneyWhole, toCents } from '../../warehouse/executive/format';
import { notableChanges } from '../../warehouse/executive/notable';
import { axisTicks, lineChart } from '../../warehouse/executive/render/charts';
import { escapeHtml, html } from '../../warehouse/executive/render/html';
import { EXECUTIVE_CHARTS, fixtureReport } from './fixture';
import { externalReferences } from './self-contained';

/**
 * The renderer and the notable-changes rules on a hand-made report (no warehouse): escaping, the
 * charts, the withheld notes, self-containment, and the sentences word for word.
 */

const chartsIn = (page: string) => [...page.matchAll(/<svg[^>]*data-chart="([^"]+)"/g)].map((m) => m[1]);

describe('rendering', () => {
  test('every chart is an inline SVG with a title and a description', () => {
    const page = renderExecutiveReport(fixtureReport());
    expect(chartsIn(page).sort()).toEqual([...EXECUTIVE_CHARTS].sort());
    for (const svg of page.match(/<svg[\s\S]*?<\/svg>/g)!) {
      expect(svg).toMatch(/role="img"/);
      expect(svg).toMatch(/<title id="[^"]+">[^<]+<\/title><desc id="[^"]+">[^<]+<\/desc>/);
      expect(svg).toMatch(/<(polyline|rect|polygon)/);
    }
  });

  test('references nothing outside itself and has no script', () => {
    const page = renderExecutiveReport(fixtureReport());
    expect(externalReferences(page)).toEqual([]);
    expect(page).not.toMatch(/<script/i);
    expect(page).toMatch(/@page\s*\{[^}]*margin/);
    expect(page).toMatch(/break-inside:\s*avoid/);
  });

  test('the self-containment check finds external references (it can fail)', () => {
    const bad = `<html><head><link rel="stylesheet" href="https://cdn.example/x.css"><style>@import "x.css"; body { background: url(http://e/x.png) }</style></head>
      <body><img src="http://e/p.png"><svg><use xlink:href="#ok"/><image href="data:image/png;base64,AA"/></svg><a href="/local">x</a><div style="background:url('//e/y')"></div><script>1</script></body></html>`;
    expect(externalReferences(bad)).toEqual([
      '<link> element',
      'href="https://cdn.example/x.css"',
      'src="http://e/p.png"',
      'href="/local"',
      "style: url(//e/y)",
      '<script> element',
      'style: url(http://e/x.png)',
      'style: @import',
    ]);
  });

  test('escapes every value taken from the data', () => {
    const evil = '<script>alert("x")</script> & "Co"';
    const report = fixtureReport({ partner: { id: 'p', name: evil }, notableChanges: ['<b>bold</b> claim'] });
    report.topCustomers[0].items[0].label = '"><img src=x onerror=alert(1)>';
    report.geography[0].items[0].label = "O'Brien <Ltd>";
    const page = renderExecutiveReport(report);
    expect(page).not.toMatch(/<script|<img|<b>bold/);
    expect(page).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &quot;Co&quot;');
    expect(page).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(page).toContain('O&#39;Brien &lt;Ltd&gt;');
    expect(externalReferences(page)).toEqual([]);
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(html`<p>${'<i>'}${html`<i>ok</i>`}</p>`.value).toBe('<p>&lt;i&gt;<i>ok</i></p>');
  });

  test('a part withheld for the role says so and names the roles', () => {
    const base = fixtureReport();
    const roles = rolesFor('seeRevenue');
    const report = fixtureReport({
      audience: { roles: ['Report viewer'], locations: [{ mpnId: '1001', name: 'Contoso Redmond', country: 'US' }] },
      headline: base.headline.filter((k) => k.name !== 'azureConsumedRevenue'),
      geography: base.geography.filter((g) => g.metric !== 'azureConsumedRevenue'),
      topCustomers: base.topCustomers.filter((g) => g.metric !== 'azureConsumedRevenue'),
      withheld: [{ what: 'Azure consumed revenue (ACR)', permission: 'seeRevenue', roles }],
    });
    const page = renderExecutiveReport(report);
    expect(page).toContain('not shown for your role (needs Global admin, Billing admin, Admin agent or Executive report viewer)');
    expect(page).toContain('data-withheld="seeRevenue"');
    expect(page).toContain('Locations: Contoso Redmond (1001, US)');
    expect(chartsIn(page)).not.toContain('trend-azureConsumedRevenue');
    expect(page).not.toContain('data-kpi="azureConsumedRevenue"');
  });
});

describe('notable changes', () => {
  test('sentences from the numbers, in a fixed order', () => {
    expect(notableChanges(fixtureReport())).toEqual([
      'Azure Consumed Revenue (ACR) rose 25.0% to USD 1,500.75 (+USD 300.25 vs April 2026).',
      'Subscriptions rose 2.5% to 410 (+10 vs April 2026).',
      'The largest change against May 2025: Azure Consumed Revenue (ACR), +50.1% year over year.',
      'Net customer adds: +2 (5 added, 3 churned).',
      'Churn spike: 3 customers churned in May 2026, 3.0 times the monthly average of the previous 12 months (1.0).',
      'No subscriptions churned in May 2026 (previous 12 months: 2.0 a month on average).',
      'Microsoft 365: +10 subscriptions vs April 2026, the largest move among products.',
      'United States: +3 customers vs April 2026, the largest move among countries.',
      'Referrals: 12 created in May 2026 (+4 vs April 2026), 4 of them won so far for USD 25,000.00.',
      'PCI Customer Engagement: 42.50 of 100 (+2.50 on the month before); 2 more net customer adds would earn the remaining 2.00 points.',
      'PCI Finance and Operations: 10.00 of 100; every indicator at its maximum.',
    ]);
  });

  test('deterministic: the order of the data does not change them', () => {
    const a = fixtureReport();
    const b = fixtureReport();
    b.headline.reverse();
    b.topProducts[0].items.reverse();
    b.geography[0].items.reverse();
    expect(notableChanges(b)).toEqual(notableChanges(a));
  });

  test('flat months say so; churn without history says nothing', () => {
    const r = fixtureReport();
    for (const k of r.headline) k.vsPreviousMonth = { value: k.value, changePercent: 0 };
    r.dataFrom = '2026-05';
    const sentences = notableChanges(r);
    expect(sentences[0]).toBe('Customers, Subscriptions, Licenses, Azure Consumed Revenue (ACR): all within 1% of April 2026.');
    expect(sentences.filter((s) => /^(Churn spike|No \w+ churned)/.test(s))).toEqual([]);
  });
});

describe('months and formats', () => {
  test('the month must be YYYY-MM', () => {
    expect(parseReportMonth('2026-05')).toBe('2026-05-01');
    for (const bad of ['2026-13', '2026-5', 'May 2026', '', '2026-05-01']) {
      let error: unknown;
      try {
        parseReportMonth(bad);
      } catch (err) {
        error = err;
      }
      // A domain error, no transport: GraphQL and HTTP map its code and details (core/errors.ts).
      expect(error).toBeInstanceOf(DomainError);
      expect(error as DomainError).toMatchObject({ code: 'BAD_USER_INPUT', details: { format: 'YYYY-MM' } });
      expect((error as DomainError).message).toMatch(/YYYY-MM/);
    }
  });

  test('money is formatted from the decimal string, never a float', () => {
    expect(formatMoney('1234567.8')).toBe('1,234,567.80');
    expect(formatMoney('-5')).toBe('-5.00');
    expect(formatMoney('9007199254740993.01')).toBe('9,007,199,254,740,993.01');
    expect(formatMoneyWhole('1234.50')).toBe('1,235');
    expect(toCents('0.005')).toBe(1n);
    expect(formatChange(null)).toBe('n/a');
    expect(formatChange(-4.25)).toBe('−4.3%');
  });

  test('chart axes: round steps covering the data', () => {
    expect(axisTicks(16, true)).toEqual([0, 5, 10, 15, 20]);
    expect(axisTicks(3, true)).toEqual([0, 1, 2, 3, 4]);
    expect(axisTicks(100, false)).toEqual([0, 25, 50, 75, 100]);
    expect(axisTicks(957, true)).toEqual([0, 250, 500, 750, 1000]);
    expect(axisTicks(42, true)).toEqual([0, 10, 20, 30, 40, 50]);
    expect(axisTicks(0, true)).toEqual([0, 1, 2, 3, 4]);
  });

  test('chart axes: one format per axis, the largest tick choosing the scale', () => {
    expect(formatAxis(axisTicks(18_000, false))).toEqual(['0', '5k', '10k', '15k', '20k']);
    expect(formatAxis(axisTicks(22_000, false))).toEqual(['0', '5k', '10k', '15k', '20k', '25k']);
    expect(formatAxis([0, 2500, 5000, 7500, 10000])).toEqual(['0', '2.5k', '5k', '7.5k', '10k']);
    expect(formatAxis(axisTicks(957, true))).toEqual(['0', '250', '500', '750', '1,000']);
    expect(formatAxis(axisTicks(1, false))).toEqual(['0', '0.25', '0.5', '0.75', '1']);
    expect(formatAxis([0, 500_000, 1_000_000, 1_500_000])).toEqual(['0', '0.5M', '1M', '1.5M']);
    expect(formatAxis([0, 2e9, 4e9])).toEqual(['0', '2B', '4B']);
  });

  test('a chart labels its axis in that one format', () => {
    const svg = String(lineChart({ name: 't', title: 'T', format: String, series: [{ label: 'A', points: [{ month: '2026-01-01', value: 18_000 }, { month: '2026-02-01', value: 4_000 }] }] }));
    const labels = [...svg.matchAll(/text-anchor="end"[^>]*>([^<]*)</g)].map((m) => m[1]);
    expect(labels).toEqual(['0', '5k', '10k', '15k', '20k']);
  });
});
