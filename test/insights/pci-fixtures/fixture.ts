import type { Caller } from '../../../core/caller';
import type { Row, SqlParams, SqlRunner } from '../../../core/sql';
import { Warehouse } from '../../../warehouse/db';
import { rebuildPciRollups } from '../../../warehouse/insights/pci/rollups';

/** Small SQL fixtures for the PCI tests: one partner per scenario, rows inserted with parameters. */
export const CE = 'Dynamics 365 Customer Engagement';
export const FO = 'Dynamics 365 Finance and Operations';
export const OUR_MPN = '1001';
export const OTHER_MPN = '9999';

export function caller(partnerId: string, locations: string[] | null = null): Caller {
  return { partnerId, roles: ['Global admin'], locations };
}

type V = string | number | boolean | null;

/**
 * The in-memory warehouse the PCI tests write their fixtures to and read through. The PCI SQL reads
 * the PCI rollups, which the ETL's afterLoad hook rebuilds after a load; these fixtures write the
 * tables directly, so the rollups of the partners written to are rebuilt here, before the next read.
 * Once per read rather than once per row: a scenario writes up to ~40 rows and a rebuild is 8
 * statements (rebuilding after every row was most of the suite's time).
 */
export class PciWarehouse implements SqlRunner {
  private readonly stale = new Set<string>();
  /** The rebuilds asked for so far, in order: a read waits for them (reads may run side by side). */
  private rebuilt: Promise<void> = Promise.resolve();

  private constructor(private readonly db: Warehouse) {}

  static async open(): Promise<PciWarehouse> {
    return new PciWarehouse(await Warehouse.open(':memory:'));
  }

  /** Inserts a row (with parameters); its partner's PCI rollups are rebuilt before the next read. */
  async insert(table: string, row: Record<string, V>): Promise<void> {
    const cols = Object.keys(row);
    await this.db.run(
      `INSERT INTO ${table} (${cols.join(', ')}) VALUES (${cols.map((_, i) => `$${i + 1}`).join(', ')})`,
      cols.map((c) => row[c]),
    );
    this.stale.add(String(row.partner_id));
  }

  run(sql: string, params?: SqlParams): Promise<void> {
    return this.db.run(sql, params);
  }

  async all<T extends Row = Row>(sql: string, params?: SqlParams): Promise<T[]> {
    if (this.stale.size) {
      const partners = [...this.stale];
      this.stale.clear();
      this.rebuilt = this.rebuilt.then(() => rebuildPciRollups(this.db, partners));
    }
    await this.rebuilt;
    return this.db.all<T>(sql, params);
  }

  close(): void {
    this.db.close();
  }
}

export class Fixture {
  constructor(
    readonly db: PciWarehouse,
    readonly partnerId: string,
  ) {}

  location(mpnId: string, market: 'Developed' | 'Developing', hq = false) {
    return this.db.insert('locations', { partner_id: this.partnerId, mpn_id: mpnId, name: `loc ${mpnId}`, country: 'US', market, is_headquarters: hq });
  }

  product(offerId: string, productName: string, family: string, productId = `prod-${offerId}`) {
    return this.db.insert('products', { partner_id: this.partnerId, offer_id: offerId, product_id: productId, product_name: productName, sku_name: productName, offer_name: productName, product_family: family, billing_type: 'License' });
  }

  subscription(id: string, customerId: string, offerId: string, o: { quantity?: number; created?: string; isTrial?: boolean; trialStart?: string | null } = {}) {
    return this.db.insert('subscriptions', {
      partner_id: this.partnerId,
      subscription_id: id,
      customer_id: customerId,
      offer_id: offerId,
      quantity: o.quantity ?? 1,
      status: 'Active',
      created_date: o.created ?? '2024-01-01',
      is_trial: o.isTrial ?? false,
      trial_start_date: o.trialStart ?? null,
      mpn_id: OUR_MPN,
    });
  }

  event(subscriptionId: string, date: string, type: string, quantityAfter: number | null = null) {
    return this.db.insert('subscription_events', { partner_id: this.partnerId, event_id: `${subscriptionId}:${date}:${type}`, subscription_id: subscriptionId, event_date: date, event_type: type, quantity_after: quantityAfter });
  }

  /** A paid subscription purchased on `date` with `seats` seats. */
  async paidSubscription(id: string, customerId: string, offerId: string, date = '2024-01-01', seats = 5) {
    await this.subscription(id, customerId, offerId, { quantity: seats, created: date });
    await this.event(id, date, 'Purchase', seats);
  }

  attribution(customerId: string, type: string, o: { mpnId?: string; workload?: string; subscriptionId?: string | null; incentive?: string | null; start?: string; end?: string | null } = {}) {
    return this.db.insert('attributions', {
      partner_id: this.partnerId,
      customer_id: customerId,
      attribution_type: type,
      mpn_id: o.mpnId ?? OUR_MPN,
      workload: o.workload ?? CE,
      subscription_id: o.subscriptionId ?? null,
      incentive: o.incentive ?? null,
      start_date: o.start ?? '2020-01-01',
      end_date: o.end ?? null,
    });
  }

  mau(month: string, customerId: string, workload: string, users: number) {
    return this.db.insert('monthly_active_users', { partner_id: this.partnerId, month, customer_id: customerId, workload, active_users: users });
  }

  credential(individualId: string, code: string, achieved: string, o: { expiry?: string | null; type?: 'Exam' | 'Certification'; name?: string; mpnId?: string } = {}) {
    return this.db.insert('certifications', {
      partner_id: this.partnerId,
      mpn_id: o.mpnId ?? OUR_MPN,
      individual_id: individualId,
      credential_type: o.type ?? 'Exam',
      credential_code: code,
      credential_name: o.name ?? code,
      achieved_date: achieved,
      expiry_date: o.expiry ?? null,
    });
  }

  licenseLine(subscriptionId: string, chargeStart: string, offerName: string, subtotal: string, currency = 'USD', invoiceNumber: string | null = null) {
    return this.db.insert('billing_license_lines', {
      partner_id: this.partnerId,
      invoice_number: invoiceNumber,
      subscription_id: `commerce-${subscriptionId}`,
      syndication_partner_subscription_number: subscriptionId,
      offer_name: offerName,
      charge_start_date: chargeStart,
      charge_type: Number(subtotal) < 0 ? 'Cancel instance prorate' : 'Cycle fee',
      amount: subtotal,
      subtotal,
      currency,
    });
  }

  oneTimeLine(subscriptionId: string, chargeStart: string, productName: string, subtotal: string, currency = 'USD') {
    return this.db.insert('billing_onetime_lines', {
      partner_id: this.partnerId,
      subscription_id: subscriptionId,
      product_name: productName,
      sku_name: productName,
      charge_start_date: chargeStart,
      charge_type: Number(subtotal) < 0 ? 'Refund' : 'Purchase',
      subtotal,
      currency,
    });
  }

  invoice(invoiceNumber: string, date: string) {
    return this.db.insert('invoices', { partner_id: this.partnerId, invoice_number: invoiceNumber, invoice_date: date, currency: 'USD' });
  }

  fx(date: string, from: string, to: string, rate: string) {
    return this.db.insert('fx_rates', { partner_id: this.partnerId, rate_date: date, from_currency: from, to_currency: to, rate });
  }
}
