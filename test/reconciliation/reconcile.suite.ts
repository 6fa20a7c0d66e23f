import { gql, token } from '../gateway/harness';
import { reconcileInvoice } from '../../warehouse/billing/reconcile';
import { statementCounter } from '../../warehouse/db';
import { fromMicros, isoFromFile, micros, readCsv, startBillingEnv, writeCsv, type BillingEnv } from '../billing-api/fixture';

/**
 * Reconciliation over the demo data: the generator writes its license-based recon lines from the
 * billing rules, so every generated invoice reconciles with no difference; an altered copy of an
 * invoice's license file, loaded through the ETL (it replaces the invoice's rows), gives each kind
 * of difference with the right expected and billed values.
 */
let env: BillingEnv;

beforeAll(async () => {
  env = await startBillingEnv();
}, 180_000);
afterAll(async () => {
  await env?.close();
});

const RECONCILIATION = `query Reconciliation($n: ID!, $s: ID) {
  reconciliation(invoiceNumber: $n, subscriptionId: $s) {
    invoiceNumber invoiceDate currency billingDay tolerance status
    expectedTotal { amount currency } billedTotal { amount currency } difference { amount currency }
    expectedLines billedLines matchedLines
    subscriptions { subscriptionId status expectedTotal { amount } billedTotal { amount } difference { amount } expectedLines billedLines rulesError
      differences { kind } }
    differences {
      kind subscriptionId chargeStartDate chargeEndDate chargeType credit
      expected { chargeType unitPrice { amount currency } quantity amount { amount } }
      billed { chargeType unitPrice { amount } quantity amount { amount } }
      expectedValue billedValue difference explanation
    }
  }
}`;

const admin = (partnerId: string) => ({ partnerId, roles: ['Billing admin' as const], locations: null });

describe('generated invoices', () => {
  it('every recurring invoice of every partner reconciles with no difference', async () => {
    let invoicesWithLines = 0;
    for (const p of env.summary.partners) {
      for (const inv of p.invoices.filter((i) => i.type === 'Recurring')) {
        const r = (await reconcileInvoice(env.warehouse, admin(p.id), inv.invoiceNumber))!;
        expect({ invoice: inv.invoiceNumber, status: r.status, differences: r.differences }).toEqual({
          invoice: inv.invoiceNumber,
          status: 'MATCHED',
          differences: [],
        });
        expect(r.matchedLines).toBe(r.billedLines);
        expect(r.expectedTotal).toBe(r.billedTotal);
        if (r.billedLines > 0) invoicesWithLines++;
      }
    }
    expect(invoicesWithLines).toBeGreaterThan(10);
  });

  it('a one-time invoice expects no license-based line', async () => {
    const p = env.summary.partners[0];
    const inv = p.invoices.find((i) => i.type === 'OneTime')!;
    const r = (await reconcileInvoice(env.warehouse, admin(p.id), inv.invoiceNumber))!;
    expect(r).toMatchObject({ status: 'MATCHED', expectedLines: 0, billedLines: 0, differences: [] });
  });

  it('costs five statements per invoice, however many subscriptions it has', async () => {
    const p = env.summary.partners[0];
    const inv = p.invoices
      .filter((i) => i.type === 'Recurring')
      .map((i) => ({ i, n: readCsv(env.reconFile(i.invoiceNumber, 'License') ?? '/dev/null').rows?.length ?? 0 }))
      .sort((a, b) => b.n - a.n)[0].i;
    const before = statementCounter.total;
    const r = (await reconcileInvoice(env.warehouse, admin(p.id), inv.invoiceNumber))!;
    expect(statementCounter.total - before).toBe(5);
    expect(r.subscriptions.length).toBeGreaterThan(3);
  });

  it('over HTTP: MATCHED, with totals equal to the sum of Amount of the file', async () => {
    const p = env.summary.partners[0];
    const inv = p.invoices.find((i) => i.type === 'Recurring' && env.reconFile(i.invoiceNumber, 'License'))!;
    const { rows } = readCsv(env.reconFile(inv.invoiceNumber, 'License')!);
    const bearer = await token(p.id, ['Billing admin']);
    const r = await gql(env.server.graphqlUrl, bearer, RECONCILIATION, { n: inv.invoiceNumber });
    expect(r.body.errors).toBeUndefined();
    const rec = r.body.data.reconciliation;
    const total = fromMicros(rows.reduce((s, row) => s + micros(row.Amount), 0n));
    expect(rec).toMatchObject({
      invoiceNumber: inv.invoiceNumber,
      invoiceDate: inv.invoiceDate,
      status: 'MATCHED',
      tolerance: '0.01',
      billedLines: rows.length,
      expectedLines: rows.length,
      matchedLines: rows.length,
      differences: [],
    });
    expect(rec.billedTotal).toEqual({ amount: total, currency: inv.currency });
    expect(rec.expectedTotal.amount).toBe(total);
    expect(rec.difference.amount).toBe('0.00');
    const subs = new Set(rows.map((x) => x.SyndicationPartnerSubscriptionNumber));
    expect(rec.subscriptions.filter((s: any) => s.billedLines > 0).map((s: any) => s.subscriptionId).sort()).toEqual([...subs].sort());
  });
});

describe('an altered license file', () => {
  it('finds and explains a missing line, an extra line, a quantity, a unit price and an amount', async () => {
    // The largest license file of the first partner: enough lines to alter five different ones.
    const p = env.summary.partners[0];
    const candidates = p.invoices
      .filter((i) => i.type === 'Recurring' && env.reconFile(i.invoiceNumber, 'License'))
      .map((i) => ({ inv: i, csv: readCsv(env.reconFile(i.invoiceNumber, 'License')!) }))
      .sort((a, b) => b.csv.rows.length - a.csv.rows.length);
    const { inv, csv } = candidates[0];
    const keyOf = (r: Record<string, string>) =>
      [r.SyndicationPartnerSubscriptionNumber, r.ChargeStartDate, r.ChargeEndDate, r.ChargeType.toLowerCase(), Math.sign(Number(r.Amount))].join('|');
    const keyCount = new Map<string, number>();
    for (const r of csv.rows) keyCount.set(keyOf(r), (keyCount.get(keyOf(r)) ?? 0) + 1);
    // Lines with a unique match key, positive, more than one license (so a changed quantity is visible).
    const usable = csv.rows.filter((r) => keyCount.get(keyOf(r)) === 1 && micros(r.Amount) > 0n && Number(r.Quantity) > 1);
    expect(usable.length).toBeGreaterThanOrEqual(4);
    const [deleted, quantity, unitPrice, amount] = usable;

    const rows = csv.rows
      .filter((r) => r !== deleted)
      .map((r) => {
        if (r === quantity) return { ...r, Quantity: String(Number(r.Quantity) + 3) };
        if (r === unitPrice) return { ...r, UnitPrice: fromMicros(micros(r.UnitPrice) + 1_000_000n) };
        if (r === amount) return { ...r, Amount: fromMicros(micros(r.Amount) + 2_500_000n) };
        return r;
      });
    const extra: Record<string, string> = { ...quantity, ChargeType: 'Activation fee', UnitPrice: '7.00', Quantity: '1', Amount: '7.00', Subtotal: '7.00', Tax: '0.00', TotalForCustomer: '7.00' };
    rows.push(extra);
    const loaded = await env.load(inv.invoiceNumber, 'License', writeCsv(csv.header, rows));
    expect(loaded.status).toBe('loaded');
    expect(loaded.rowsReplaced).toBe(csv.rows.length);

    const bearer = await token(p.id, ['Billing admin']);
    const r = await gql(env.server.graphqlUrl, bearer, RECONCILIATION, { n: inv.invoiceNumber });
    expect(r.body.errors).toBeUndefined();
    const rec = r.body.data.reconciliation;
    expect(rec.status).toBe('DIFFERENCES');
    expect(rec.differences.map((d: any) => d.kind).sort()).toEqual(['AMOUNT', 'EXTRA_LINE', 'MISSING_LINE', 'QUANTITY', 'UNIT_PRICE']);
    const byKind = Object.fromEntries(rec.differences.map((d: any) => [d.kind, d]));
    const at = (row: Record<string, string>) => ({
      subscriptionId: row.SyndicationPartnerSubscriptionNumber,
      chargeStartDate: isoFromFile(row.ChargeStartDate),
      chargeEndDate: isoFromFile(row.ChargeEndDate),
    });

    expect(byKind.MISSING_LINE).toMatchObject({
      ...at(deleted),
      chargeType: deleted.ChargeType,
      credit: false,
      billed: null,
      expected: { chargeType: deleted.ChargeType, quantity: Number(deleted.Quantity), unitPrice: { amount: deleted.UnitPrice }, amount: { amount: deleted.Amount } },
      expectedValue: deleted.Amount,
      billedValue: null,
    });
    expect(byKind.MISSING_LINE.explanation).toMatch(/expect .*no such line/);

    expect(byKind.EXTRA_LINE).toMatchObject({
      ...at(extra),
      chargeType: 'Activation fee',
      expected: null,
      billed: { quantity: 1, unitPrice: { amount: '7.00' }, amount: { amount: '7.00' } },
      expectedValue: null,
      billedValue: '7.00',
      difference: '7.00',
    });
    expect(byKind.EXTRA_LINE.explanation).toMatch(/Activation fee.*no such line/);

    expect(byKind.QUANTITY).toMatchObject({
      ...at(quantity),
      expectedValue: quantity.Quantity,
      billedValue: String(Number(quantity.Quantity) + 3),
      difference: '3',
      expected: { quantity: Number(quantity.Quantity) },
      billed: { quantity: Number(quantity.Quantity) + 3 },
    });
    expect(byKind.QUANTITY.explanation).toContain(`bills ${Number(quantity.Quantity) + 3} licenses where the subscription's history gives ${quantity.Quantity}`);

    expect(byKind.UNIT_PRICE).toMatchObject({
      ...at(unitPrice),
      expectedValue: unitPrice.UnitPrice,
      billedValue: fromMicros(micros(unitPrice.UnitPrice) + 1_000_000n),
      difference: '1.00',
    });
    expect(byKind.UNIT_PRICE.explanation).toMatch(/unit price .* 1\.00 apart/);

    expect(byKind.AMOUNT).toMatchObject({
      ...at(amount),
      expectedValue: amount.Amount,
      billedValue: fromMicros(micros(amount.Amount) + 2_500_000n),
      difference: '2.50',
    });
    expect(byKind.AMOUNT.explanation).toMatch(/amount .* 2\.50 apart/);

    // Totals: expected = the original file's Amount, billed = the altered file's.
    const sum = (list: Record<string, string>[]) => list.reduce((s, x) => s + micros(x.Amount), 0n);
    expect(rec.expectedTotal.amount).toBe(fromMicros(sum(csv.rows)));
    expect(rec.billedTotal.amount).toBe(fromMicros(sum(rows)));
    expect(rec.difference.amount).toBe(fromMicros(sum(rows) - sum(csv.rows)));
    expect(rec.expectedLines).toBe(csv.rows.length);
    expect(rec.billedLines).toBe(rows.length);

    // Per subscription: the subscriptions touched have DIFFERENCES, the others MATCHED.
    const touched = new Set([deleted, quantity, unitPrice, amount, extra].map((x) => x.SyndicationPartnerSubscriptionNumber));
    for (const s of rec.subscriptions) expect(s.status).toBe(touched.has(s.subscriptionId) ? 'DIFFERENCES' : 'MATCHED');

    // One subscription at a time.
    const one = await gql(env.server.graphqlUrl, bearer, RECONCILIATION, { n: inv.invoiceNumber, s: quantity.SyndicationPartnerSubscriptionNumber });
    expect(one.body.errors).toBeUndefined();
    expect(one.body.data.reconciliation.subscriptions.map((s: any) => s.subscriptionId)).toEqual([quantity.SyndicationPartnerSubscriptionNumber]);
    expect(one.body.data.reconciliation.differences.map((d: any) => d.kind)).toContain('QUANTITY');
  });

  it('compares charge types case-insensitively and within the tolerance', async () => {
    const p = env.summary.partners[0];
    const inv = p.invoices.filter((i) => i.type === 'Recurring' && env.reconFile(i.invoiceNumber, 'License'))[0];
    const csv = readCsv(env.reconFile(inv.invoiceNumber, 'License')!);
    const rows = csv.rows.map((r, i) =>
      i === 0 ? { ...r, Amount: fromMicros(micros(r.Amount) + 10_000n) } : r,
    );
    expect((await env.load(inv.invoiceNumber, 'License', writeCsv(csv.header, rows))).status).toBe('loaded');
    // The ETL spells charge types as documented; real files vary ("Prorate Fees When Purchase"): shout them.
    await env.warehouse.run(`UPDATE billing_license_lines SET charge_type = upper(charge_type) WHERE invoice_number = $1`, [inv.invoiceNumber]);
    const r = (await reconcileInvoice(env.warehouse, admin(p.id), inv.invoiceNumber))!;
    expect(r.differences).toEqual([]);
    expect(r.status).toBe('MATCHED');
    expect(r.difference).toBe('0.01');
  });
});
