import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { DomainError, ErrorCode } from '../../core/errors';
import { applyPartnerCenterBudgets } from '../../warehouse/billing/budgets';
import { now as clockNow } from '../../warehouse/clock';
import type { Warehouse } from '../../warehouse/db';
import { jobTotals } from '../../warehouse/ingestion/jobs';
import {
  finishSyncRun,
  heldInvoices,
  markSyncRunning,
  recordInvoice,
  recordSyncProgress,
  recordUnit,
  type UnitOutcome,
} from '../../warehouse/sync/runs';
import type { IngestionQueue, IngestLog } from '../ingest/queue';
import type { CsvRow } from '../generate/csv';
import { ExportFailedError, PartnerCenterApiError, type Invoice } from './client';
import { customerRow, invoiceRow, partnerProfileRow, referralRow, resellerRow, subscriptionRow, SYNC_FORMATS, writeCsv } from './files';
import { invoiceFingerprint, lineItemFileName, planInvoice, type LineItemSource, type RestSource } from './invoices';
import type { SyncSource } from './source';
import { describeApplied, fetchUsageBudgets, type BudgetCustomer } from './usage-budgets';

/**
 * One sync of one partner: fetch, write files of the product's formats, load them through the
 * ingestion queue (etl/ingest/queue.ts: one transaction per file, reads go on while it loads), and
 * record each unit. Phases, in the order the loader wants the data (reference data first):
 *
 *   profile        the partner (legal business and MPN profiles) and its indirect resellers
 *   customers      one unit per page of customers (customer list format)
 *   subscriptions  one unit per page of customers: their subscriptions (subscriptions-api format)
 *   referrals      one unit per page of referrals
 *   invoices       the invoice list (invoices-api format), then one unit per invoice not held yet
 *                  (or corrected since, or failed before): its line items from Graph's exports or
 *                  the REST line items, one file per source, loaded with the invoice number
 *   budgets        one unit per page of customers: their Azure spending budgets ("Get a customer's
 *                  usage spending budget", one call each), applied to the customers' budgets in
 *                  one transaction (warehouse/billing/budgets.ts applyPartnerCenterBudgets: Partner
 *                  Center's amount wins); last, so that the customers' billing currency (of their
 *                  usage lines) is loaded. LOADED when a budget changed, SKIPPED when none did.
 *
 * Idempotent: a page whose file is the same as one already loaded is skipped by the loader (same
 * content hash) and changes nothing; an invoice already LOADED with the same fingerprint is not
 * fetched at all. A unit that fails (an export operation failed, a blob did not decompress, a file
 * was rejected) is recorded FAILED with the invoice id and fetched again by the next sync; what
 * other units loaded stays. A kill mid-unit rolls back the file being loaded (its transaction); the
 * sync is marked FAILED at the next start and the next sync fetches what is missing.
 */
export interface SyncProgress {
  syncId: string;
  partnerId: string;
  phase: string;
  unit?: UnitOutcome;
  requests: number;
  bytesDownloaded: number;
  /** Set on the last progress of a sync, once its end is recorded: how it ended. */
  outcome?: { state: 'SUCCEEDED' | 'FAILED'; error: string | null };
}

export interface SyncContext {
  warehouse: Warehouse;
  queue: IngestionQueue;
  source: SyncSource;
  syncId: string;
  partnerId: string;
  log?: IngestLog;
  now?: () => Date;
  onProgress?: (progress: SyncProgress) => void;
}

export async function runSync(ctx: SyncContext): Promise<{ state: 'SUCCEEDED' | 'FAILED'; error: string | null }> {
  const sync = new SyncWork(ctx);
  return sync.run();
}

class SyncWork {
  private position = 0;
  private phase = 'profile';
  private readonly failures: string[] = [];
  private dir = '';
  /** Bytes of line items fetched (blobs as downloaded, REST pages as written). */
  private bytesDownloaded = 0;
  private readonly now: () => Date;
  /** The pages of customers that loaded (or were loaded before): whose budgets the budgets phase reads. */
  private readonly customerPages: { page: number; customers: BudgetCustomer[] }[] = [];

  constructor(private readonly ctx: SyncContext) {
    this.now = ctx.now ?? (() => clockNow());
  }

  async run(): Promise<{ state: 'SUCCEEDED' | 'FAILED'; error: string | null }> {
    const { warehouse, syncId } = this.ctx;
    let outcome: { state: 'SUCCEEDED' | 'FAILED'; error: string | null };
    try {
      await markSyncRunning(warehouse, syncId, this.now());
      this.dir = await mkdtemp(join(tmpdir(), 'pi-sync-'));
      const mpnId = await this.profile();
      await this.orRecordFailure('customers', () => this.customersAndSubscriptions());
      await this.orRecordFailure('referrals', () => this.referrals(mpnId));
      await this.orRecordFailure('invoices', () => this.invoices());
      await this.orRecordFailure('budgets', () => this.usageBudgets());
      outcome = this.failures.length
        ? { state: 'FAILED', error: `${this.failures.length} unit(s) failed and are fetched again by the next sync: ${this.failures.join('; ')}` }
        : { state: 'SUCCEEDED', error: null };
    } catch (err) {
      outcome = { state: 'FAILED', error: `the sync stopped in phase ${this.phase}: ${describe(err)}` };
    } finally {
      if (this.dir) await rm(this.dir, { recursive: true, force: true }).catch(() => undefined);
    }
    // The counters as they end, recorded without a progress event: the one 'done' event is the one
    // with the outcome, sent once the end is recorded.
    await this.progress('done', { emit: false });
    await finishSyncRun(warehouse, syncId, outcome, this.now());
    this.emit(undefined, outcome);
    return outcome;
  }

  /**
   * A phase that stops on an error (the Referrals API refusing app-only tokens, a page that keeps
   * failing) is recorded as a FAILED unit and the next phase goes on: the phases do not depend on
   * each other's success, and what loaded stays. Only a stopped queue (shutdown) ends the sync.
   */
  private async orRecordFailure(phase: string, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      if (err instanceof DomainError && err.code === ErrorCode.INVALID_STATE) throw err;
      await this.record({ kind: phase, key: 'phase', state: 'FAILED', message: `${phase}: ${describe(err)}` });
    }
  }

  /** The partner row and its indirect resellers; returns the partner's global MPN ID. */
  private async profile(): Promise<string> {
    const { source, partnerId } = this.ctx;
    await this.progress('profile');
    const pc = source.partnerCenter;
    const [legal, mpn, resellers] = await Promise.all([pc.legalBusinessProfile(), pc.mpnProfile(), collect(pc.indirectResellers())]);
    await this.loadUnit('profile', 'partner', SYNC_FORMATS.partner, [partnerProfileRow(partnerId, legal, mpn, resellers.length > 0)]);
    if (resellers.length) await this.loadUnit('resellers', 'all', SYNC_FORMATS.resellers, resellers.map((r) => resellerRow(partnerId, r)));
    return mpn.mpnId ?? '';
  }

  /** Customers page by page; each page's subscriptions right after it (they refer to the customers). */
  private async customersAndSubscriptions(): Promise<void> {
    const { source } = this.ctx;
    let page = 0;
    for await (const customers of source.partnerCenter.customers()) {
      page++;
      await this.progress('customers');
      const loaded = await this.loadUnit('customers', `page ${page}`, SYNC_FORMATS.customers, customers.map(customerRow));
      if (loaded.state !== 'FAILED') {
        this.customerPages.push({ page, customers: customers.map((c) => ({ apiId: c.id, customerId: String(customerRow(c)['Microsoft ID']) })) });
      }
      await this.progress('subscriptions');
      const rows: CsvRow[] = [];
      await eachLimited(customers, SUBSCRIPTION_FETCHES, async (customer) => {
        for await (const subscriptions of source.partnerCenter.subscriptions(customer.id)) rows.push(...subscriptions.map((s) => subscriptionRow(customer.id, s)));
      });
      // Fetched in parallel: sorted so that the same subscriptions make the same file (skipped when loaded before).
      rows.sort((a, b) => String(a.SubscriptionId).localeCompare(String(b.SubscriptionId)));
      if (rows.length) await this.loadUnit('subscriptions', `customers page ${page}`, SYNC_FORMATS.subscriptions, rows);
    }
  }

  private async referrals(mpnId: string): Promise<void> {
    const { source, partnerId } = this.ctx;
    await this.progress('referrals');
    let page = 0;
    for await (const referrals of source.referrals.referrals()) {
      page++;
      if (referrals.length) await this.loadUnit('referrals', `page ${page}`, SYNC_FORMATS.referrals, referrals.map((r) => referralRow(partnerId, mpnId, r)));
    }
  }

  /**
   * The Azure spending budgets of the customers synced, page by page: each page's budgets fetched
   * (BUDGET_FETCHES at a time) and applied in one transaction, as one unit. A page whose calls
   * still fail after the HTTP core's retries is a FAILED unit (nothing of it applied) and the next
   * sync reads it again; the other pages go on.
   */
  private async usageBudgets(): Promise<void> {
    const { source, warehouse, partnerId, syncId } = this.ctx;
    await this.progress('budgets');
    for (const { page, customers } of this.customerPages) {
      // A shutdown stops the sync here too, as it does a phase that loads files (the queue refuses them).
      if (this.ctx.queue.isClosed) {
        throw new DomainError(ErrorCode.INVALID_STATE, 'the ingestion queue is closed (the server is shutting down): the next sync reads the budgets', {
          currentState: 'CLOSED',
          allowedStates: ['OPEN'],
        });
      }
      const key = `customers page ${page}`;
      let unit: UnitOutcome;
      try {
        const budgets = await fetchUsageBudgets(source.partnerCenter, customers, BUDGET_FETCHES);
        const applied = await applyPartnerCenterBudgets(warehouse, partnerId, this.now(), `Partner Center (sync ${syncId})`, budgets);
        const changed = applied.set.length + applied.removed.length;
        unit = { kind: 'budgets', key, state: changed ? 'LOADED' : 'SKIPPED', rowsLoaded: changed, message: describeApplied(applied, budgets) };
      } catch (err) {
        unit = { kind: 'budgets', key, state: 'FAILED', message: `budgets of customers page ${page}: ${describe(err)}` };
      }
      await this.record(unit);
    }
  }

  /** The invoice list, then the line items of every invoice not held as listed. */
  private async invoices(): Promise<void> {
    const { source, warehouse, partnerId } = this.ctx;
    await this.progress('invoices');
    // Adjustment notes are listed in their invoice's amendments only ("Invoice resources"): they are invoices of their own here.
    const invoices = (await collect(source.partnerCenter.invoices()))
      .flatMap((invoice) => [invoice, ...(invoice.amendments ?? [])])
      .sort((a, b) => (a.invoiceDate ?? '').localeCompare(b.invoiceDate ?? '') || a.id.localeCompare(b.id));
    if (invoices.length) await this.loadUnit('invoices', 'list', SYNC_FORMATS.invoices, invoices.map(invoiceRow));
    const held = await heldInvoices(warehouse, partnerId);
    for (const invoice of invoices) {
      const fingerprint = invoiceFingerprint(invoice);
      const before = held.get(invoice.id);
      if (before?.state === 'LOADED' && before.fingerprint === fingerprint) continue;
      await this.invoiceLines(invoice, fingerprint);
    }
  }

  private async invoiceLines(invoice: Invoice, fingerprint: string): Promise<void> {
    const { warehouse, partnerId, syncId } = this.ctx;
    const plan = planInvoice(invoice);
    const key = invoice.id;
    let unit: UnitOutcome;
    try {
      const files: { path: string; name: string }[] = [];
      for (const source of plan.sources) {
        const file = await this.fetchLineItems(invoice.id, source);
        if (file) files.push(file);
      }
      unit = files.length
        ? await this.loadFiles('invoice', key, files, { invoiceNumber: invoice.id })
        : { kind: 'invoice', key, state: 'SKIPPED', message: `no line items fetched${plan.notFetched.length ? `: ${plan.notFetched.join(', ')}` : ''}` };
      if (plan.notFetched.length && unit.state !== 'SKIPPED') unit.message = [unit.message, `not fetched: ${plan.notFetched.join(', ')}`].filter(Boolean).join('; ');
    } catch (err) {
      unit = { kind: 'invoice', key, state: 'FAILED', message: `invoice ${invoice.id}: ${describe(err)}` };
    }
    await this.record(unit);
    const state = unit.state === 'FAILED' ? 'FAILED' : 'LOADED';
    await recordInvoice(warehouse, { partnerId, invoiceId: invoice.id, fingerprint, state, error: state === 'FAILED' ? (unit.message ?? null) : null, syncId }, this.now());
  }

  /**
   * One source's line items as one file: an export's blobs concatenated (gzip members), or the REST
   * pages as JSON lines; null when the source holds none. An export Graph answers "no data" (an
   * invoice older than the v2 exports) is read from the REST line items instead.
   */
  private async fetchLineItems(invoiceId: string, source: LineItemSource): Promise<{ path: string; name: string } | null> {
    if (source.via === 'rest') return this.fetchRestPages(invoiceId, source);
    const exports = this.ctx.source.exports;
    const manifest = await exports.billedExport(source.kind, invoiceId).catch((err) => {
      if (isNoData(err)) return null;
      throw err;
    });
    if (!manifest) return this.fetchRestPages(invoiceId, source.fallback);
    const name = lineItemFileName(invoiceId, source);
    const blobs = await exports.downloadBlobs(manifest, join(this.dir, `${invoiceId}-${source.kind}-blobs`));
    if (!blobs.length) return null;
    const path = join(this.dir, name);
    await concatenate(blobs, path);
    await Promise.all(blobs.map((b) => rm(b, { force: true })));
    this.bytesDownloaded += (await stat(path)).size;
    return { path, name };
  }

  private async fetchRestPages(invoiceId: string, source: RestSource): Promise<{ path: string; name: string } | null> {
    const name = lineItemFileName(invoiceId, source);
    const path = join(this.dir, name);
    const out = createWriteStream(path);
    let items = 0;
    try {
      for await (const page of this.ctx.source.partnerCenter.invoiceLineItemPages(invoiceId, source.provider, source.lineItemType)) {
        items += page.items?.length ?? 0;
        if (!out.write(JSON.stringify(page) + '\n')) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
      }
    } finally {
      await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    }
    this.bytesDownloaded += (await stat(path)).size;
    return items ? { path, name } : null;
  }

  /** Writes rows of a format and loads them as one unit; what the unit came to. */
  private async loadUnit(kind: string, key: string, format: (typeof SYNC_FORMATS)[keyof typeof SYNC_FORMATS], rows: CsvRow[]): Promise<UnitOutcome> {
    const name = `${kind}-${key.replace(/\W+/g, '-')}.csv`;
    const path = await writeCsv(this.dir, name, format, rows);
    const unit = await this.loadFiles(kind, key, [{ path, name }], { format: format.name });
    await this.record(unit);
    return unit;
  }

  /** Loads files as one job of the queue (deleted after); what the unit came to. */
  private async loadFiles(kind: string, key: string, files: { path: string; name: string }[], options: { format?: string; invoiceNumber?: string }): Promise<UnitOutcome> {
    const { queue, partnerId, warehouse } = this.ctx;
    const job = await queue.load({ partnerId, requestedBy: `sync ${this.ctx.syncId}`, files, options: { ...options, partnerId, deleteFiles: true } });
    const totals = await jobTotals(warehouse, job.jobId);
    if (job.state === 'FAILED') return { kind, key, state: 'FAILED', jobId: job.jobId, rowsLoaded: totals.rowsLoaded, message: `${kind} ${key}: ${job.error}` };
    const skipped = totals.skipped === totals.files;
    return { kind, key, state: skipped ? 'SKIPPED' : 'LOADED', jobId: job.jobId, rowsLoaded: totals.rowsLoaded, message: skipped ? 'already loaded: nothing new' : null };
  }

  private async record(unit: UnitOutcome): Promise<void> {
    const { warehouse, syncId, partnerId } = this.ctx;
    if (unit.state === 'FAILED') this.failures.push(unit.message ?? `${unit.kind} ${unit.key}`);
    await recordUnit(warehouse, syncId, partnerId, this.position++, unit, this.now());
    this.emit(unit);
  }

  /** Records the phase and the counters; tells the listeners unless `emit` is false. */
  private async progress(phase: string, options: { emit?: boolean } = {}): Promise<void> {
    this.phase = phase;
    await recordSyncProgress(this.ctx.warehouse, this.ctx.syncId, { phase, requests: this.ctx.source.requests(), bytesDownloaded: this.bytesDownloaded });
    if (options.emit !== false) this.emit();
  }

  private emit(unit?: UnitOutcome, outcome?: SyncProgress['outcome']): void {
    const { syncId, partnerId, onProgress, log } = this.ctx;
    try {
      onProgress?.({ syncId, partnerId, phase: this.phase, unit, requests: this.ctx.source.requests(), bytesDownloaded: this.bytesDownloaded, outcome });
    } catch (err) {
      log?.warn({ err }, 'a sync progress listener threw');
    }
  }
}

/** Subscriptions are fetched this many customers at a time (one request each). */
const SUBSCRIPTION_FETCHES = 8;
/** Usage budgets too. */
const BUDGET_FETCHES = 8;

async function eachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await work(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

async function collect<T>(pages: AsyncIterable<T[]>): Promise<T[]> {
  const all: T[] = [];
  for await (const page of pages) all.push(...page);
  return all;
}

/** Gzip files concatenated are one gzip file of several members, which DuckDB reads whole. */
async function concatenate(paths: readonly string[], to: string): Promise<void> {
  const out = createWriteStream(to);
  for (const path of paths) await pipeline(createReadStream(path), out, { end: false });
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

/** Graph's "no data available" (error 5000): nothing to export for this invoice there, which is not a failure. */
function isNoData(err: unknown): boolean {
  return err instanceof ExportFailedError && !err.timedOut && (err.error?.code === '5000' || /no data available/i.test(err.error?.message ?? ''));
}

function describe(err: unknown): string {
  if (err instanceof ExportFailedError || err instanceof PartnerCenterApiError) return err.message;
  return (err as Error)?.message || String(err);
}
