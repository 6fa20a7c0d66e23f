import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { parseMoney, sum } from '../../core/money';
import { listInputFiles, loadFile } from '../../etl/load';
import { PARTNER, count, etlWorkspace } from './helpers';

type Item = Record<string, unknown>;

/** Writes JSON lines (one object per line), gzip-compressed when the name ends in .gz. */
function writeJsonLines(dir: string, name: string, items: Item[]): string {
  const text = items.map((i) => JSON.stringify(i)).join('\n') + '\n';
  const path = join(dir, name);
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(text) : text);
  return path;
}

/** Writes the REST API's pages { totalCount, items, links } (one per line when several), pretty-printed when one. */
function writeApiPages(dir: string, name: string, pages: Item[][]): string {
  const objects = pages.map((items, i) => ({
    totalCount: items.length,
    items,
    links: i < pages.length - 1 ? { next: { uri: `/v1/invoices/G1/lineitems?seekOperation=Next&page=${i + 2}`, method: 'GET' } } : {},
    attributes: { objectType: 'Collection' },
  }));
  const text = objects.length === 1 ? JSON.stringify(objects[0], null, 2) : objects.map((o) => JSON.stringify(o)).join('\n');
  const path = join(dir, name);
  writeFileSync(path, name.endsWith('.gz') ? gzipSync(text) : text);
  return path;
}

/** A daily-rated usage line as Microsoft Graph's billed usage export writes it (camelCase, ISO dates, numbers). */
function graphUsage(n: number, overrides: Item = {}): Item {
  const total = Number((0.096 * 24 + n / 100).toFixed(2));
  return {
    partnerId: PARTNER,
    partnerName: 'Fabrikam',
    customerId: `cust-${n % 3}`,
    customerName: `Customer ${n % 3}`,
    customerDomainName: `customer${n % 3}.onmicrosoft.com`,
    customerCountry: 'US',
    mpnId: 4512345,
    tier2MpnId: n % 2 ? -1 : 5100001,
    invoiceNumber: 'G000200001',
    productId: 'DZH318Z0BQPS',
    skuId: '00TJ',
    availabilityId: 'DZH318Z0BX6R',
    skuName: 'D2 v3',
    productName: 'Virtual Machines Dv3 Series',
    publisherName: 'Microsoft',
    publisherId: '',
    subscriptionDescription: 'Azure plan',
    subscriptionId: `sub-${n % 3}`,
    chargeStartDate: '2024-01-01T00:00:00',
    chargeEndDate: '2024-01-31T00:00:00',
    usageDate: `2024-01-${String(1 + (n % 28)).padStart(2, '0')}T00:00:00`,
    meterType: '1 Compute Hour',
    meterCategory: 'Virtual Machines',
    meterId: 'b8a0b6c6-0000-4000-8000-000000000001',
    meterSubCategory: 'Dv3/DSv3 Series',
    meterName: 'D2 v3/D2s v3',
    meterRegion: 'US East',
    unitOfMeasure: '1 Hour',
    resourceLocation: 'eastus',
    consumedService: 'Microsoft.Compute',
    resourceGroup: 'rg-app',
    resourceUri: `/subscriptions/sub-${n % 3}/resourceGroups/rg-app/providers/Microsoft.Compute/virtualMachines/vm${n}`,
    chargeType: 'new',
    unitPrice: 0.096,
    quantity: 24,
    unitType: '1 Hour',
    billingPreTaxTotal: total,
    billingCurrency: 'USD',
    pricingPreTaxTotal: Number((0.096 * 24 + n / 100).toFixed(2)),
    pricingCurrency: 'USD',
    serviceInfo1: '',
    serviceInfo2: '',
    tags: { env: 'prod' },
    additionalInfo: { ImageType: 'Canonical' },
    // floor(effectiveUnitPrice × quantity × rate, 2) = billingPreTaxTotal, as the loader checks.
    effectiveUnitPrice: Math.ceil((total / 24) * 1e6) / 1e6,
    pcToBCExchangeRate: 1,
    pcToBCExchangeRateDate: '2024-01-01T00:00:00',
    entitlementId: `sub-${n % 3}`,
    entitlementDescription: 'Azure subscription 1',
    partnerEarnedCreditPercentage: 15,
    creditPercentage: 0,
    creditType: 'Partner Earned Credit Applied',
    benefitOrderId: '',
    benefitId: '',
    benefitType: '',
    ...overrides,
  };
}

/** A license-based line item as the Partner Center REST API returns it (billing-facts.md). */
function apiLicense(n: number, overrides: Item = {}): Item {
  const quantity = 1 + (n % 5);
  const amount = Number((12.5 * quantity).toFixed(2));
  return {
    partnerId: PARTNER,
    customerId: `c${n}-0000-4000-8000-000000000000`,
    customerName: `Customer ${n}`,
    mpnId: 4512345,
    tier2MpnId: n === 2 ? -1 : 5100001,
    orderId: `o${n}`,
    subscriptionId: `usCBMgAAAAAAAIA${n}`,
    syndicationPartnerSubscriptionNumber: `fb977ab5-0000-4000-8000-24c8d959170${n}`,
    offerId: '195416C1-3447-423A-B37B-EE59A99A19C4',
    durableOfferId: '6FD2E7C5-E9CF-4DD3-AF0B-15D6FB0FDF6E',
    offerName: 'Office 365 E3',
    subscriptionStartDate: '2017-05-01T00:00:00',
    subscriptionEndDate: '2018-04-30T00:00:00',
    chargeStartDate: '2017-05-12T00:00:00',
    chargeEndDate: '2017-05-31T00:00:00',
    chargeType: 'Prorate Fees When Purchase',
    unitPrice: 12.5,
    quantity,
    amount,
    totalOtherDiscount: 0,
    subtotal: amount,
    tax: 0,
    totalForCustomer: amount,
    currency: 'USD',
    domainName: `customer${n}.onmicrosoft.com`,
    subscriptionName: 'Office 365 E3',
    subscriptionDescription: 'Office 365 E3',
    billingCycleType: 'Monthly',
    attributes: { objectType: 'LicenseBasedLineItem' },
    ...overrides,
  };
}

/** A one-time / new-commerce line item as the REST API returns it: Purchase and Refund charge types, totalForCustomer. */
function apiOneTime(n: number, overrides: Item = {}): Item {
  const refund = n % 4 === 3;
  const subtotal = refund ? -7.18 : 7.18 * (1 + (n % 2));
  return {
    partnerId: PARTNER,
    customerId: `c${n}-0000-4000-8000-000000000000`,
    customerName: `Customer ${n}`,
    customerDomainName: `customer${n}.onmicrosoft.com`,
    customerCountry: 'DE',
    invoiceNumber: 'G000300001',
    mpnId: 4512345,
    resellerMpnId: -1,
    orderId: `order-${n}`,
    orderDate: '2024-01-03T10:11:12.1234567Z',
    productId: 'CFQ7TTC0LH18',
    skuId: '0001',
    availabilityId: 'CFQ7TTC0K5DM',
    skuName: 'Microsoft 365 Business Basic',
    productName: 'Microsoft 365 Business Basic',
    chargeType: refund ? 'Refund' : 'Purchase',
    unitPrice: 7.8,
    quantity: refund ? 1 : 1 + (n % 2),
    subtotal: Number(subtotal.toFixed(2)),
    taxTotal: 0,
    totalForCustomer: Number(subtotal.toFixed(2)),
    currency: 'EUR',
    priceAdjustmentDescription: ['15.0% Partner earned credit for services managed'],
    publisherName: 'Microsoft Corporation',
    subscriptionDescription: 'Microsoft 365 Business Basic',
    subscriptionId: `nce-sub-${n}`,
    chargeStartDate: '2024-01-03T00:00:00',
    chargeEndDate: '2024-02-02T00:00:00',
    termAndBillingCycle: 'One-Year commitment for monthly/yearly billing',
    effectiveUnitPrice: 7.8,
    unitType: 'Licenses',
    billableQuantity: refund ? -1 : 1 + (n % 2),
    billingFrequency: 'Monthly',
    pricingCurrency: 'USD',
    pcToBCExchangeRate: 0.9213,
    pcToBCExchangeRateDate: '2024-01-01T00:00:00',
    attributes: { objectType: 'OneTimeInvoiceLineItem' },
    ...overrides,
  };
}

const cents = (items: Item[], key: string) => sum(items.map((i) => parseMoney(String(i[key]))));

describe('ETL: line items as JSON (Graph JSON lines, REST API pages), plain and gzip', () => {
  const ws = etlWorkspace();

  it('loads Graph daily-rated usage as gzip JSON lines into the usage table, to the cent, with the usage rollup', async () => {
    const items = Array.from({ length: 40 }, (_, n) => graphUsage(n));
    const r = await loadFile(ws.db, writeJsonLines(ws.dir, 'billed_usage_G000200001.jsonl.gz', items));
    expect([r.status, r.format, r.table, r.rowsLoaded, r.rowsQuarantined]).toEqual(['loaded', 'daily-usage-recon-json', 'billing_usage_lines', 40, 0]);
    expect(r.detected).toBe('json lines gzip');
    const totals = await ws.db.one<{ s: string; q: string }>(`SELECT CAST(sum(billing_pre_tax_total) AS VARCHAR) AS s, CAST(sum(quantity) AS VARCHAR) AS q FROM billing_usage_lines`);
    expect(parseMoney(totals!.s)).toBe(cents(items, 'billingPreTaxTotal'));
    expect(parseMoney(totals!.q)).toBe(parseMoney(String(24 * 40)));
    const first = await ws.db.one<Record<string, unknown>>(
      `SELECT mpn_id, tier2_mpn_id, usage_date, charge_start_date, unit, charge_type, tags, pc_to_bc_exchange_rate_date, partner_earned_credit_percentage
       FROM billing_usage_lines WHERE resource_uri LIKE '%/vm1'`,
    );
    expect(first).toEqual({
      mpn_id: '4512345',
      tier2_mpn_id: null, // -1: none
      usage_date: '2024-01-02',
      charge_start_date: '2024-01-01',
      unit: '1 Hour',
      charge_type: 'New',
      tags: '{"env":"prod"}',
      pc_to_bc_exchange_rate_date: '2024-01-01',
      partner_earned_credit_percentage: '15.000000',
    });
    expect(await count(ws.db, `SELECT count(*) FROM billing_usage_lines WHERE tier2_mpn_id = '5100001'`)).toBe(20);
    // Loaded as daily-rated usage: the Insights usage rollup has it.
    expect(await count(ws.db, `SELECT sum(line_count) FROM insights_usage_monthly`)).toBe(40);
    // The same file, plain: same rows; it replaces the gzip one (same invoice).
    const plain = await loadFile(ws.db, writeJsonLines(ws.dir, 'billed_usage_G000200001.jsonl', items));
    expect([plain.status, plain.rowsLoaded, plain.rowsReplaced, plain.detected]).toEqual(['loaded', 40, 40, 'json lines']);
  });

  it('loads REST API pages of license-based line items, plain and gzip, one page or several', async () => {
    const items = Array.from({ length: 6 }, (_, n) => apiLicense(n));
    const one = await loadFile(ws.db, writeApiPages(ws.dir, 'G000400001_lineitems.json', [items]));
    expect([one.status, one.format, one.rowsLoaded, one.rowsQuarantined, one.detected]).toEqual(['loaded', 'license-recon-json', 6, 0, 'json pages']);
    // No invoiceNumber in these items: the file name's.
    expect(await ws.db.all(`SELECT DISTINCT invoice_number FROM billing_license_lines`)).toEqual([{ invoice_number: 'G000400001' }]);
    const stored = await ws.db.one<{ a: string }>(`SELECT CAST(sum(amount) AS VARCHAR) AS a FROM billing_license_lines`);
    expect(parseMoney(stored!.a)).toBe(cents(items, 'amount'));
    expect(await ws.db.one(`SELECT mpn_id, reseller_mpn_id, charge_type, charge_start_date, subscription_start_date FROM billing_license_lines WHERE order_id = 'o2'`)).toEqual({
      mpn_id: '4512345',
      reseller_mpn_id: null,
      charge_type: 'Prorate fees when purchase',
      charge_start_date: '2017-05-12',
      subscription_start_date: '2017-05-01',
    });

    const more = Array.from({ length: 5 }, (_, n) => apiLicense(n + 10, { invoiceNumber: 'G000400002' }));
    const pages = await loadFile(ws.db, writeApiPages(ws.dir, 'lineitems.json.gz', [more.slice(0, 3), more.slice(3)]));
    expect([pages.status, pages.rowsLoaded, pages.detected]).toEqual(['loaded', 5, 'json pages gzip']);
    expect(await count(ws.db, `SELECT count(*) FROM billing_license_lines WHERE invoice_number = 'G000400002'`)).toBe(5);
  });

  it('reads one-time line items: Purchase as New, Refund as Cancel, totalForCustomer as Total, names in any case', async () => {
    const items = Array.from({ length: 8 }, (_, n) => apiOneTime(n));
    // One item written with PascalCase names (as the CSV headers are): the same columns.
    const pascal: Item = {};
    for (const [k, v] of Object.entries(apiOneTime(8))) pascal[k === 'attributes' ? k : k[0].toUpperCase() + k.slice(1)] = v;
    items.push(pascal);
    const r = await loadFile(ws.db, writeApiPages(ws.dir, 'onetime.json', [items]));
    expect([r.status, r.format, r.rowsLoaded, r.rowsQuarantined]).toEqual(['loaded', 'onetime-recon-json', 9, 0]);
    expect(await ws.db.all(`SELECT charge_type, count(*) AS n FROM billing_onetime_lines GROUP BY ALL ORDER BY charge_type`)).toEqual([
      { charge_type: 'Cancel', n: '2' },
      { charge_type: 'New', n: '7' },
    ]);
    const t = await ws.db.one<{ s: string; t: string }>(`SELECT CAST(sum(subtotal) AS VARCHAR) AS s, CAST(sum(total) AS VARCHAR) AS t FROM billing_onetime_lines`);
    const camel = Array.from({ length: 9 }, (_, n) => apiOneTime(n));
    expect(parseMoney(t!.s)).toBe(cents(camel, 'subtotal'));
    expect(parseMoney(t!.t)).toBe(cents(camel, 'totalForCustomer'));
    expect(await ws.db.one(`SELECT customer_id, reseller_mpn_id, order_date, price_adjustment_description FROM billing_onetime_lines WHERE subscription_id = 'nce-sub-8'`)).toEqual({
      customer_id: 'c8-0000-4000-8000-000000000000',
      reseller_mpn_id: null,
      order_date: '2024-01-03',
      price_adjustment_description: '["15.0% Partner earned credit for services managed"]',
    });
    // The amounts follow the seat-based rule (7.8 × 0.9213 = 7.18614 → 7.18 per seat): nothing to report.
    expect(r.amountCheck).toEqual({ checked: 9, differences: 0 });
    expect(r.notice).toBeUndefined();
  });

  it('quarantines a value that does not parse with its line and column, through the same threshold', async () => {
    const items = Array.from({ length: 50 }, (_, n) => graphUsage(n));
    items[2] = graphUsage(2, { usageDate: 'yesterday' });
    items[5] = graphUsage(5, { chargeType: 'Mystery fee' });
    const r = await loadFile(ws.db, writeJsonLines(ws.dir, 'G000200002_usage.jsonl', items.map((i) => ({ ...i, invoiceNumber: undefined }))));
    expect([r.status, r.rowsLoaded, r.rowsQuarantined]).toEqual(['loaded', 48, 2]);
    expect(await ws.db.all(`SELECT DISTINCT invoice_number FROM billing_usage_lines`)).toEqual([{ invoice_number: 'G000200002' }]);
    const q = await ws.db.all<{ line_number: string; column_name: string; value: string; reason: string; partner_id: string }>(
      `SELECT line_number, column_name, value, reason, partner_id FROM etl_quarantine ORDER BY line_number`,
    );
    expect(q.map((x) => [Number(x.line_number), x.column_name, x.value])).toEqual([
      [3, 'usageDate', 'yesterday'],
      [6, 'chargeType', 'Mystery fee'],
    ]);
    expect(q[0].reason).toMatch(/invalid date/);
    expect(q[1].reason).toMatch(/unknown charge type 'Mystery fee'/);
    expect(q[0].partner_id).toBe(PARTNER);

    const worse = items.map((i, n) => (n < 10 ? { ...i, usageDate: 'nope' } : i));
    const rejected = await loadFile(ws.db, writeJsonLines(ws.dir, 'G000200003_usage.jsonl.gz', worse));
    expect(rejected.status).toBe('rejected');
    expect(rejected.message).toMatch(/over the limit/);
  });

  it('rejects line items it does not load, and lists JSON line items in a directory but not other JSON', async () => {
    const legacy = await loadFile(ws.db, writeApiPages(ws.dir, 'legacy.json', [[{ ...apiLicense(1), attributes: { objectType: 'UsageBasedLineItem' } }]]));
    expect(legacy.status).toBe('rejected');
    expect(legacy.message).toMatch(/objectType UsageBasedLineItem are not loaded/);
    writeFileSync(join(ws.dir, 'manifest.json'), JSON.stringify({ files: ['a.csv'], partners: 2 }));
    writeJsonLines(ws.dir, 'G000200001_usage.jsonl.gz', [graphUsage(1)]);
    const files = await listInputFiles([ws.dir]);
    expect(files.map((f) => f.slice(ws.dir.length + 1)).sort()).toEqual(['G000200001_usage.jsonl.gz', 'legacy.json']);
  });
});
