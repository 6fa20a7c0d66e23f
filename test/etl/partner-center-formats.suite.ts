import { parseMoney, sum, truncateTo, type Money } from '../../core/money';
import { loadFile, loadFiles } from '../../etl/load';
import { invoiceNumberFromFileName } from '../../etl/load';
import { PARTNER, etlWorkspace, licenseLine, rowsFor, writeCsv, writeLicenseFile, LICENSE_HEADERS, count } from './helpers';

/** The customer list export: exactly the four documented columns (reference line 11455). */
const CUSTOMER_LIST_HEADERS = ['Microsoft ID', 'Company name', 'Primary domain name', 'Relationship'];
/** A customer's subscriptions export: exactly the five documented columns. */
const SUBSCRIPTION_EXPORT_HEADERS = ['Subscription ID', 'Subscription', 'Quantity', 'Status', 'Reseller'];
/** The product's own customers format (what a richer customers file looks like). */
const OWN_CUSTOMER_HEADERS = ['PartnerId', 'Microsoft ID', 'Company name', 'Primary domain name', 'Relationship', 'Country', 'Segment', 'MpnId'];

const C1 = '1606b356-1ede-48d9-abdc-bedac79ced26';
const C2 = '2606b356-1ede-48d9-abdc-bedac79ced27';
const OTHER_PARTNER = '9f2b4c1d-6a7e-4f80-9b1c-2d3e4f5a6b70';

/** billing-facts.md, "New-commerce invoice reconciliation file": every column, in order. */
const NCE_HEADERS = [
  'PartnerId', 'CustomerId', 'CustomerName', 'CustomerDomainName', 'CustomerCountry', 'InvoiceNumber', 'MpnId', 'ResellerMpnId',
  'OrderId', 'OrderDate', 'ProductId', 'SkuId', 'AvailabilityId', 'SkuName', 'ProductName', 'ChargeType', 'UnitPrice', 'Quantity',
  'Subtotal', 'TaxTotal', 'Total', 'Currency', 'PriceAdjustmentDescription', 'PublisherName', 'PublisherId', 'SubscriptionDescription',
  'SubscriptionId', 'ChargeStartDate', 'ChargeEndDate', 'TermAndBillingCycle', 'EffectiveUnitPrice', 'UnitType', 'AlternateId',
  'BillableQuantity', 'BillingFrequency', 'PricingCurrency', 'PCToBCExchangeRate', 'PCToBCExchangeRateDate', 'MeterDescription',
  'ReservationOrderId', 'CreditReasonCode', 'SubscriptionStartDate', 'SubscriptionEndDate', 'ReferenceId', 'ProductQualifiers', 'PromotionId',
];

/** Seat-based subtotal (billing-facts.md): rounddown(EffectiveUnitPrice × PCToBCExchangeRate, 2) × BillableQuantity, in bigint micro-units. */
function seatSubtotal(effectiveUnitPrice: string, rate: string, billableQuantity: number): Money {
  const priceTimesRate = (parseMoney(effectiveUnitPrice) * parseMoney(rate)) / 1_000_000n;
  return (truncateTo(priceTimesRate as Money, 2) * BigInt(billableQuantity)) as Money;
}

const csvValue = (v: string) => (/[",]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

function nceLine(n: number, overrides: Record<string, string> = {}): Record<string, string> {
  const qty = 1 + (n % 4);
  const price = '7.8';
  const rate = '0.9213';
  const subtotal = (Number(seatSubtotal(price, rate, qty)) / 1e6).toFixed(2);
  return {
    PartnerId: PARTNER,
    CustomerId: C1,
    CustomerName: 'Contoso',
    CustomerDomainName: 'contoso.onmicrosoft.com',
    CustomerCountry: 'DE',
    InvoiceNumber: 'G000123460',
    MpnId: '4512345',
    ResellerMpnId: '5100001',
    OrderId: `order-${n}`,
    OrderDate: '1/3/2024',
    ProductId: 'CFQ7TTC0LH18',
    SkuId: '0001',
    AvailabilityId: 'CFQ7TTC0K5DM',
    SkuName: 'Microsoft 365 Business Basic',
    ProductName: 'Microsoft 365 Business Basic',
    ChargeType: 'New',
    UnitPrice: price,
    Quantity: String(qty),
    Subtotal: subtotal,
    TaxTotal: '0',
    Total: subtotal,
    Currency: 'EUR',
    PriceAdjustmentDescription: '["15.0% Partner earned credit for services managed"]',
    PublisherName: 'Microsoft Corporation',
    PublisherId: '',
    SubscriptionDescription: 'Microsoft 365 Business Basic',
    SubscriptionId: `nce-sub-${n}`,
    ChargeStartDate: '1/3/2024',
    ChargeEndDate: '2/2/2024',
    TermAndBillingCycle: 'One-Year commitment for monthly/yearly billing',
    EffectiveUnitPrice: price,
    UnitType: 'Licenses',
    AlternateId: `alt-${n}`,
    BillableQuantity: String(qty),
    BillingFrequency: 'Monthly',
    PricingCurrency: 'USD',
    PCToBCExchangeRate: rate,
    PCToBCExchangeRateDate: '1/1/2024',
    MeterDescription: '',
    ReservationOrderId: '',
    CreditReasonCode: '',
    SubscriptionStartDate: '1/3/2024',
    SubscriptionEndDate: '1/2/2025',
    ReferenceId: `ref-${n}`,
    ProductQualifiers: '',
    PromotionId: '',
    ...overrides,
  };
}

function writeNce(dir: string, name: string, lines: Record<string, string>[], headers: readonly string[] = NCE_HEADERS): string {
  return writeCsv(dir, name, headers, rowsFor(headers, lines).map((r) => r.map(csvValue)));
}

describe('ETL: Partner Center exports as Partner Center writes them', () => {
  const ws = etlWorkspace();

  const customerList = (name: string, rows: string[][]) => writeCsv(ws.dir, name, CUSTOMER_LIST_HEADERS, rows);

  it('loads the four-column customer list for the given partner; what it does not carry is unknown (NULL)', async () => {
    const path = customerList('customers.csv', [
      [C1, 'Contoso', 'contoso.onmicrosoft.com', 'Cloud Reseller'],
      [C2, 'Fabrikam', 'fabrikam.onmicrosoft.com', 'Cloud Reseller'],
    ]);
    const r = await loadFile(ws.db, path, { partnerId: PARTNER });
    expect([r.status, r.format, r.table, r.rowsLoaded, r.rowsQuarantined]).toEqual(['loaded', 'customer-list', 'customers', 2, 0]);
    const rows = await ws.db.all(`SELECT * EXCLUDE (load_id) FROM customers ORDER BY customer_id`);
    expect(rows).toEqual([
      { partner_id: PARTNER, customer_id: C1, company_name: 'Contoso', domain: 'contoso.onmicrosoft.com', relationship: 'Cloud Reseller', country: null, segment: null, mpn_id: null, reseller_mpn_id: null, created_date: null },
      { partner_id: PARTNER, customer_id: C2, company_name: 'Fabrikam', domain: 'fabrikam.onmicrosoft.com', relationship: 'Cloud Reseller', country: null, segment: null, mpn_id: null, reseller_mpn_id: null, created_date: null },
    ]);
  });

  it('takes the partner from the warehouse when it holds exactly one, and otherwise rejects the file listing the partners', async () => {
    const none = await loadFile(ws.db, customerList('a.csv', [[C1, 'Contoso', 'contoso.com', 'Cloud Reseller']]));
    expect(none.status).toBe('rejected');
    expect(none.message).toMatch(/pass --partner/);

    await loadFiles(ws.db, [writeLicenseFile(ws.dir, 'G000000001_License.csv', [licenseLine(1)])]);
    const one = await loadFile(ws.db, customerList('b.csv', [[C1, 'Contoso', 'contoso.com', 'Cloud Reseller']]));
    expect(one.status).toBe('loaded');
    expect(await ws.db.all(`SELECT DISTINCT partner_id FROM customers`)).toEqual([{ partner_id: PARTNER }]);

    await loadFiles(ws.db, [writeLicenseFile(ws.dir, 'G000000002_License.csv', [licenseLine(2, { PartnerId: OTHER_PARTNER, InvoiceNumber: 'G000000002' })])]);
    const two = await loadFile(ws.db, customerList('c.csv', [[C2, 'Fabrikam', 'fabrikam.com', 'Cloud Reseller']]));
    expect(two.status).toBe('rejected');
    expect(two.message).toMatch(/pass --partner/);
    expect(two.message).toContain(PARTNER);
    expect(two.message).toContain(OTHER_PARTNER);
    expect(await count(ws.db, `SELECT count(*) FROM customers WHERE customer_id = '${C2}'`)).toBe(0);
  });

  it('fills unknowns from reconciliation lines (either order) and never blanks known values with a poorer export', async () => {
    // The export first: country and location unknown.
    await loadFile(ws.db, customerList('list-1.csv', [[C1, 'Contoso', '', 'Cloud Reseller']]), { partnerId: PARTNER });
    expect(await ws.db.one(`SELECT country, domain, mpn_id FROM customers`)).toEqual({ country: null, domain: null, mpn_id: null });
    // A new-commerce reconciliation file carries CustomerCountry, CustomerDomainName and MpnId: it fills them.
    const recon = await loadFile(ws.db, writeNce(ws.dir, 'G000123460_Recon.csv', [nceLine(1)]));
    expect(recon.status).toBe('loaded');
    expect(await ws.db.one(`SELECT country, domain, mpn_id, segment FROM customers`)).toEqual({
      country: 'DE',
      domain: 'contoso.onmicrosoft.com',
      mpn_id: '4512345',
      segment: null,
    });
    // A later export (new name, no country) keeps what is known and takes its new values.
    const later = await loadFile(ws.db, customerList('list-2.csv', [[C1, 'Contoso GmbH', 'contoso.onmicrosoft.com', 'Cloud Reseller']]), { partnerId: PARTNER });
    expect([later.status, later.rowsReplaced]).toEqual(['loaded', 1]);
    expect(await ws.db.all(`SELECT company_name, country, domain, mpn_id FROM customers`)).toEqual([
      { company_name: 'Contoso GmbH', country: 'DE', domain: 'contoso.onmicrosoft.com', mpn_id: '4512345' },
    ]);
    // The product's own customers format is richer: it replaces the row, segment included.
    const own = writeCsv(ws.dir, 'own.csv', OWN_CUSTOMER_HEADERS, [[PARTNER, C1, 'Contoso GmbH', 'contoso.com', 'Cloud Reseller', 'AT', 'Commercial', '4512399']]);
    const rich = await loadFile(ws.db, own);
    expect([rich.format, rich.status]).toEqual(['customers', 'loaded']);
    expect(await ws.db.all(`SELECT country, segment, mpn_id FROM customers`)).toEqual([{ country: 'AT', segment: 'Commercial', mpn_id: '4512399' }]);
    // And a poorer export after it still does not blank country, segment or location.
    await loadFile(ws.db, customerList('list-3.csv', [[C1, 'Contoso GmbH', 'contoso.com', 'Cloud Reseller']]), { partnerId: PARTNER });
    expect(await ws.db.all(`SELECT country, segment, mpn_id FROM customers`)).toEqual([{ country: 'AT', segment: 'Commercial', mpn_id: '4512399' }]);

    // The other order: reconciliation data already there when the export loads.
    await loadFile(ws.db, customerList('list-4.csv', [[C2, 'Fabrikam', 'fabrikam.com', 'Cloud Reseller']]), { partnerId: PARTNER });
    expect(await ws.db.one(`SELECT country, mpn_id FROM customers WHERE customer_id = '${C2}'`)).toEqual({ country: null, mpn_id: null });
    await loadFile(ws.db, writeNce(ws.dir, 'G000123461_Recon.csv', [nceLine(2, { CustomerId: C2, CustomerCountry: 'FR', InvoiceNumber: 'G000123461' })]));
    expect(await ws.db.one(`SELECT country, mpn_id FROM customers WHERE customer_id = '${C2}'`)).toEqual({ country: 'FR', mpn_id: '4512345' });
  });

  it('loads a customer\'s five-column subscriptions export, customer from the file name or --customer, statuses as documented', async () => {
    const rows = [
      ['fb977ab5-0000-4000-8000-24c8d9591708', 'Office 365 E3', '25', 'Active', '5100001'],
      ['fb977ab5-0000-4000-8000-24c8d9591709', 'Microsoft 365 Business Basic', '3', 'Suspended', ''],
      ['fb977ab5-0000-4000-8000-24c8d9591710', 'Exchange Online (Plan 1)', '1', 'In Grace Period', ''],
      ['fb977ab5-0000-4000-8000-24c8d9591711', 'Visio Plan 2', '2', 'de-provisioned', ''],
    ];
    const byName = await loadFile(ws.db, writeCsv(ws.dir, `subscriptions_${C1}.csv`, SUBSCRIPTION_EXPORT_HEADERS, rows), { partnerId: PARTNER });
    expect([byName.status, byName.format, byName.rowsLoaded, byName.rowsQuarantined]).toEqual(['loaded', 'customer-subscriptions', 4, 0]);
    const got = await ws.db.all(
      `SELECT partner_id, customer_id, subscription_id, friendly_name, quantity, status, reseller_mpn_id, mpn_id, offer_id, billing_type, created_date, unit_price
       FROM subscriptions ORDER BY subscription_id`,
    );
    expect(got.map((g) => (g as { status: string }).status)).toEqual(['Active', 'Suspended', 'InGracePeriod', 'Deprovisioned']);
    expect(got[0]).toEqual({
      partner_id: PARTNER,
      customer_id: C1,
      subscription_id: rows[0][0],
      friendly_name: 'Office 365 E3',
      quantity: 25,
      status: 'Active',
      reseller_mpn_id: '5100001',
      mpn_id: null,
      offer_id: null,
      billing_type: null,
      created_date: null,
      unit_price: null,
    });

    // No GUID in the name: --customer; without it the file is rejected saying so.
    const plain = writeCsv(ws.dir, 'subscriptions.csv', SUBSCRIPTION_EXPORT_HEADERS, [['sub-x', 'Visio Plan 2', '1', 'Active', '']]);
    const rejected = await loadFile(ws.db, plain, { partnerId: PARTNER });
    expect(rejected.status).toBe('rejected');
    expect(rejected.message).toMatch(/--customer/);
    const given = await loadFile(ws.db, plain, { partnerId: PARTNER, customerId: C2 });
    expect(given.status).toBe('loaded');
    expect(await ws.db.one(`SELECT customer_id FROM subscriptions WHERE subscription_id = 'sub-x'`)).toEqual({ customer_id: C2 });

    // An unknown status is quarantined with the allowed list, as in every format.
    const odd = writeCsv(ws.dir, `odd_${C1}.csv`, SUBSCRIPTION_EXPORT_HEADERS, [
      ...Array.from({ length: 30 }, (_, i) => [`ok-${i}`, 'Visio Plan 2', '1', 'Active', '']),
      ['bad-1', 'Visio Plan 2', '1', 'Sleeping', ''],
    ]);
    const q = await loadFile(ws.db, odd, { partnerId: PARTNER });
    expect([q.status, q.rowsLoaded, q.rowsQuarantined]).toEqual(['loaded', 30, 1]);
    expect(q.reasons[0].reason).toMatch(/unknown status 'Sleeping'; allowed: Active, Suspended/);
  });

  it('fills a subscription\'s location and offer from license-based lines, and a poorer export keeps what is known', async () => {
    const sub = 'fb977ab5-0000-4000-8000-24c8d9591708';
    await loadFile(ws.db, writeLicenseFile(ws.dir, 'G000000005_License.csv', [licenseLine(1, { SyndicationPartnerSubscriptionNumber: sub, CustomerId: C1, InvoiceNumber: 'G000000005' })]));
    await loadFile(ws.db, writeCsv(ws.dir, `subs_${C1}.csv`, SUBSCRIPTION_EXPORT_HEADERS, [[sub, 'Office 365 E3', '5', 'Active', '']]));
    expect(await ws.db.one(`SELECT mpn_id, offer_id, quantity FROM subscriptions`)).toEqual({ mpn_id: '4512345', offer_id: 'OFFER-E3', quantity: 5 });
    // Quantity changes, reseller unknown this time: the offer and location stay.
    await loadFile(ws.db, writeCsv(ws.dir, `subs2_${C1}.csv`, SUBSCRIPTION_EXPORT_HEADERS, [[sub, 'Office 365 E3', '7', 'Active', '']]));
    expect(await ws.db.all(`SELECT mpn_id, offer_id, quantity FROM subscriptions`)).toEqual([{ mpn_id: '4512345', offer_id: 'OFFER-E3', quantity: 7 }]);
  });

  it('checks large amounts in DECIMAL without overflow: a 13,682.40 reservation times 100 (the demo\'s one-time files)', async () => {
    // 13,682.40 × 100 = 1,368,240.00 at rate 1: both rules give it; DuckDB types the columns' product
    // DECIMAL(18,12), which held 6 integer digits and rejected the file before the check computed wide.
    const big = nceLine(0, { UnitPrice: '13682.4', EffectiveUnitPrice: '13682.4', PCToBCExchangeRate: '1', Quantity: '100', BillableQuantity: '100', Subtotal: '1368240.00', Total: '1368240.00' });
    const r = await loadFile(ws.db, writeNce(ws.dir, 'G000123499_Recon.csv', [{ ...big, InvoiceNumber: 'G000123499' }]));
    expect([r.status, r.rowsLoaded]).toEqual(['loaded', 1]);
    expect(r.amountCheck).toEqual({ checked: 1, differences: 0 });
  });

  it('takes a reconciliation file\'s invoice number from its column, else --invoice, else the G number anywhere in the name', async () => {
    const headers = LICENSE_HEADERS.filter((h) => h !== 'InvoiceNumber');
    const fromColumn = await loadFile(ws.db, writeLicenseFile(ws.dir, 'Recon_G000999999_license.csv', [licenseLine(1, { InvoiceNumber: 'G000123457' })]));
    expect(fromColumn.status).toBe('loaded');
    const fromOption = await loadFile(ws.db, writeLicenseFile(ws.dir, 'license-january.csv', [licenseLine(2)], { headers }), { invoiceNumber: 'G000123456' });
    expect(fromOption.status).toBe('loaded');
    const fromName = await loadFile(ws.db, writeLicenseFile(ws.dir, 'Recon_G000123458_license.csv', [licenseLine(3)], { headers }));
    const fromCopy = await loadFile(ws.db, writeLicenseFile(ws.dir, 'G000123459_License (1).csv', [licenseLine(4)], { headers }));
    expect([fromName.status, fromCopy.status]).toEqual(['loaded', 'loaded']);
    expect(await ws.db.all(`SELECT customer_id, invoice_number FROM billing_license_lines ORDER BY customer_id`)).toEqual([
      { customer_id: licenseLine(1).CustomerId, invoice_number: 'G000123457' },
      { customer_id: licenseLine(2).CustomerId, invoice_number: 'G000123456' },
      { customer_id: licenseLine(3).CustomerId, invoice_number: 'G000123458' },
      { customer_id: licenseLine(4).CustomerId, invoice_number: 'G000123459' },
    ]);
    expect(invoiceNumberFromFileName('G012345678_License.csv')).toBe('G012345678');
    expect(invoiceNumberFromFileName('/x/Recon_G000123458_license.csv')).toBe('G000123458');
    expect(invoiceNumberFromFileName('G000123458_License (1).csv')).toBe('G000123458');
    expect(invoiceNumberFromFileName('license-january.csv')).toBeUndefined();
    // A daily-rated usage or new-commerce file without the column now takes it the same way.
    const nce = await loadFile(ws.db, writeNce(ws.dir, 'Recon_G000123470_onetime.csv', [nceLine(1)], NCE_HEADERS.filter((h) => h !== 'InvoiceNumber')));
    expect(nce.status).toBe('loaded');
    expect(await ws.db.all(`SELECT DISTINCT invoice_number FROM billing_onetime_lines`)).toEqual([{ invoice_number: 'G000123470' }]);
  });

  it('loads a prorated new-commerce refund (the documented 3.87 × 2 = 7.74) and quarantines a New line with a negative Subtotal', async () => {
    const seat = { UnitPrice: '4', EffectiveUnitPrice: '4', PCToBCExchangeRate: '1', Quantity: '2', BillableQuantity: '2' };
    const lines = [
      ...Array.from({ length: 8 }, (_, i) => nceLine(i)),
      nceLine(8, { ...seat, ChargeType: 'removeQuantity', Subtotal: '-7.74', Total: '-7.74' }),
      nceLine(9, { ...seat, ChargeType: 'New', Subtotal: '-8.00', Total: '-8.00' }),
    ];
    const r = await loadFile(ws.db, writeNce(ws.dir, 'G000123462_Recon.csv', lines.map((l) => ({ ...l, InvoiceNumber: 'G000123462' }))), { maxBadShare: 0.2 });
    expect([r.status, r.rowsLoaded, r.rowsQuarantined]).toEqual(['loaded', 9, 1]);
    // A whole refund follows the prorated rule (all of the period's seats): only the sign is wrong.
    expect(r.reasons.map((q) => [q.line, q.column, q.reason])).toEqual([[11, 'Subtotal', 'a New line is a charge: Subtotal -8; allowed: 0 or more']]);
  });

  it('loads every column of the new-commerce reconciliation file, sums to the cent, and quarantines a line that follows no rounding rule', async () => {
    const lines = Array.from({ length: 8 }, (_, i) => nceLine(i));
    // Line 9 (file line 10): a Subtotal one cent off both documented rules.
    const off = nceLine(8, { Subtotal: '7.19', Total: '7.19', Quantity: '1', BillableQuantity: '1' });
    const r = await loadFile(ws.db, writeNce(ws.dir, 'G000123460_Recon.csv', [...lines, off]), { maxBadShare: 0.2 });
    expect([r.status, r.format, r.rowsLoaded, r.rowsQuarantined]).toEqual(['loaded', 'onetime-recon', 8, 1]);
    expect(r.amountCheck).toEqual({ checked: 9, differences: 1 });
    expect(r.reasons).toEqual([
      {
        line: 10,
        column: 'Subtotal',
        value: '7.190000',
        reason:
          'Subtotal 7.19 follows no documented rounding rule; allowed: seat-based 7.18 (rounddown(EffectiveUnitPrice × PCToBCExchangeRate, 2) × BillableQuantity), ' +
          'usage 7.18 (rounddown(rounddown(EffectiveUnitPrice × BillableQuantity, 2) × PCToBCExchangeRate, 2)) or a prorated seat price in whole cents up to 7.18 × BillableQuantity',
      },
    ]);

    const expected = sum(lines.map((l) => parseMoney(l.Subtotal)));
    const stored = await ws.db.one<{ s: string }>(`SELECT CAST(sum(subtotal) AS VARCHAR) AS s FROM billing_onetime_lines`);
    expect(parseMoney(stored!.s)).toBe(expected);
    const row = await ws.db.one<Record<string, unknown>>(`SELECT * EXCLUDE (load_id) FROM billing_onetime_lines WHERE subscription_id = 'nce-sub-1'`);
    expect(row).toMatchObject({
      billable_quantity: '2.000000',
      effective_unit_price: '7.800000',
      pc_to_bc_exchange_rate: '0.921300',
      pc_to_bc_exchange_rate_date: '2024-01-01',
      price_adjustment_description: '["15.0% Partner earned credit for services managed"]',
      pricing_currency: 'USD',
      term_and_billing_cycle: 'One-Year commitment for monthly/yearly billing',
      billing_frequency: 'Monthly',
      unit_type: 'Licenses',
      alternate_id: 'alt-1',
      reference_id: 'ref-1',
      subscription_start_date: '2024-01-03',
      subscription_end_date: '2025-01-02',
      order_date: '2024-01-03',
      // Empty in the file: unknown, not invented.
      meter_description: null,
      reservation_order_id: null,
      credit_reason_code: null,
      product_qualifiers: null,
      promotion_id: null,
      publisher_id: null,
    });
  });
});
