import { DomainError, ErrorCode } from '../../core/errors';
import { now as clockNow } from '../../warehouse/clock';
import type { Warehouse } from '../../warehouse/db';
import { createSyncRun, failInterruptedSyncs, syncRunById, type SyncRunRow, type SyncTrigger } from '../../warehouse/sync/runs';
import type { IngestionQueue, IngestLog } from '../ingest/queue';
import { PartnerCenterApiError, partnerCenterSettingsFromEnv, type PartnerCenterSettings } from './client';
import { runSync, type SyncProgress } from './run';
import { partnerCenterSource, type SyncSource } from './source';

/**
 * The syncs of one process over one warehouse: one at a time (a second request while one runs
 * gets the running one's id), each run by runSync (run.ts) through the process's ingestion queue.
 * The server has one (gateway/server.ts: startSync, the schedule, the HTTP route of the CLI); the
 * CLI makes one when no server owns the warehouse.
 *
 *   const syncs = new SyncService(warehouse, queue, { log });
 *   await syncs.start();                                  // fails the syncs a stopped process left RUNNING
 *   const { id } = await syncs.request({ requestedBy, trigger: 'graphql' });
 *   const run = await syncs.finished(id);                 // the record once it ended
 *   syncs.schedule(6 * 3600_000);                         // PI_SYNC_INTERVAL
 *   await syncs.close();
 *
 * Settings (PI_PC_*, client/settings.ts) are read when a sync is requested, so a server without
 * them starts and serves; requesting a sync then says which settings are missing.
 *
 * The one write to Partner Center: a customer's usage budget set through GraphQL on the server
 * that syncs the caller's partner (syncsPartner, writeUsageBudget; resolvers/billing/budget.resolver.ts).
 */
export interface SyncServiceOptions {
  log?: IngestLog;
  now?: () => Date;
  /** Default: the settings from the environment, read at each request. */
  settings?: () => PartnerCenterSettings;
  /** Default: the Partner Center client over those settings (tests pass one with a fast sleep). */
  source?: (settings: PartnerCenterSettings) => SyncSource;
}

export interface SyncRequest {
  requestedBy: string | null;
  trigger: SyncTrigger;
  /** The partner asking (GraphQL, HTTP): must be the one the credentials are for. */
  partnerId?: string;
}

export class SyncService {
  private current: { id: string; done: Promise<void> } | null = null;
  /** A sync being recorded (its id once it is): requests meanwhile get it too. */
  private starting: Promise<string> | null = null;
  private readonly listeners = new Set<(progress: SyncProgress) => void>();
  private timer: NodeJS.Timeout | null = null;
  private closed = false;
  private readonly now: () => Date;

  constructor(
    private readonly warehouse: Warehouse,
    private readonly queue: IngestionQueue,
    private readonly options: SyncServiceOptions = {},
  ) {
    this.now = options.now ?? (() => clockNow());
  }

  /** Marks FAILED the syncs a stopped process left QUEUED or RUNNING; call once before syncing. */
  async start(): Promise<string[]> {
    const ids = await failInterruptedSyncs(this.warehouse, this.now());
    if (ids.length) this.options.log?.warn({ syncs: ids }, 'syncs interrupted by a stopped process marked FAILED');
    return ids;
  }

  /**
   * Starts a sync, or returns the one running (`running: true`). BAD_USER_INPUT when the Partner
   * Center settings are missing, FORBIDDEN when the partner asking is not the one they are for,
   * INVALID_STATE once closed.
   */
  async request(request: SyncRequest): Promise<{ id: string; running: boolean }> {
    if (this.closed) {
      throw new DomainError(ErrorCode.INVALID_STATE, 'the server is shutting down: start the sync again once it is back', { currentState: 'CLOSED', allowedStates: ['OPEN'] });
    }
    // Checked first, also when a sync runs: a caller who could not start one does not get its id.
    const settings = (this.options.settings ?? (() => partnerCenterSettingsFromEnv()))();
    assertPartner(settings, request.partnerId);
    if (this.current) return { id: this.current.id, running: true };
    if (this.starting) return { id: await this.starting, running: true };
    const starting = this.begin(request, settings);
    this.starting = starting;
    try {
      return { id: await starting, running: false };
    } finally {
      this.starting = null;
    }
  }

  private async begin(request: SyncRequest, settings: PartnerCenterSettings): Promise<string> {
    const partnerId = settings.tenantId;
    const source = (this.options.source ?? partnerCenterSource)(settings);
    const id = await createSyncRun(this.warehouse, { partnerId, requestedBy: request.requestedBy, trigger: request.trigger }, this.now());
    const done = runSync({
      warehouse: this.warehouse,
      queue: this.queue,
      source,
      syncId: id,
      partnerId,
      log: this.options.log,
      now: this.now,
      onProgress: (p) => this.emit(p),
    }).then(
      (outcome) => this.options.log?.info({ sync: id, state: outcome.state, error: outcome.error }, 'sync finished'),
      (err) => this.options.log?.error({ err, sync: id }, 'sync stopped on an error'),
    );
    this.current = { id, done: done.finally(() => (this.current = null)) };
    this.options.log?.info({ sync: id, partner: partnerId, trigger: request.trigger }, 'sync started');
    return id;
  }

  /**
   * Whether this process syncs `partnerId`'s Partner Center: its settings (PI_PC_*) are there and
   * are that partner's. Budgets set for that partner are then written to Partner Center first
   * (writeUsageBudget), and one Partner Center holds cannot be removed here (its API cannot).
   */
  syncsPartner(partnerId: string): boolean {
    return this.settingsFor(partnerId) !== null;
  }

  /**
   * Writes a customer's monthly Azure spending budget to Partner Center ("Update a customer's usage
   * spending budget": PATCH /v1/customers/{id}/usagebudget), for setCustomerBudget when this process
   * syncs the caller's partner; false (nothing sent) when it does not. A user waits on it, so the
   * call is bounded tighter than a sync's: at most WRITE_BACK_RETRIES retries of throttling, server
   * and network errors, WRITE_BACK_TIMEOUT_MS per attempt. Errors, nothing changed in Partner Center:
   * BAD_USER_INPUT (Partner Center refused the amount, with its reason), NOT_FOUND (Partner Center
   * has no such customer), UPSTREAM_FAILED (anything else, with the status and Microsoft's request ids).
   */
  async writeUsageBudget(partnerId: string, customerId: string, amount: string): Promise<boolean> {
    const settings = this.settingsFor(partnerId);
    if (!settings) return false;
    const bounded: PartnerCenterSettings = {
      ...settings,
      maxRetries: Math.min(settings.maxRetries, WRITE_BACK_RETRIES),
      requestTimeoutMs: Math.min(settings.requestTimeoutMs, WRITE_BACK_TIMEOUT_MS),
    };
    const source = (this.options.source ?? partnerCenterSource)(bounded);
    try {
      await source.partnerCenter.updateUsageBudget(customerId, Number(amount));
    } catch (err) {
      throw writeBackError(err, customerId, amount);
    }
    this.options.log?.info({ partner: partnerId, customer: customerId }, 'usage budget written to Partner Center');
    return true;
  }

  private settingsFor(partnerId: string): PartnerCenterSettings | null {
    let settings: PartnerCenterSettings;
    try {
      settings = (this.options.settings ?? (() => partnerCenterSettingsFromEnv()))();
    } catch {
      return null; // no (or incomplete) Partner Center settings: this process syncs nobody
    }
    return settings.tenantId.toLowerCase() === partnerId.toLowerCase() ? settings : null;
  }

  /** The sync's record once it has ended (now, if it has). */
  async finished(id: string): Promise<SyncRunRow> {
    if (this.current?.id === id) await this.current.done;
    const run = await syncRunById(this.warehouse, id);
    if (!run) throw new DomainError(ErrorCode.NOT_FOUND, `sync ${id} was not found`, { typename: 'SyncRun', id });
    return run;
  }

  /** Subscribes to progress (phase changes, each unit); returns the unsubscribe function. */
  onProgress(listener: (progress: SyncProgress) => void): () => void {
    this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** How many onProgress listeners there are (tests check that ended subscriptions left none behind). */
  listenerCount(): number {
    return this.listeners.size;
  }

  /** A sync every intervalMs (the first one interval after now); a tick while one runs is skipped. */
  schedule(intervalMs: number): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = setInterval(() => {
      if (this.current) return;
      this.request({ requestedBy: null, trigger: 'schedule' }).catch((err) => this.options.log?.error({ err }, 'the scheduled sync could not start'));
    }, intervalMs);
    this.timer.unref();
  }

  get runningSync(): string | null {
    return this.current?.id ?? null;
  }

  /**
   * No new syncs; waits for the running one, at most timeoutMs: once the ingestion queue is closed
   * its next unit cannot be queued and it ends FAILED. One still waiting on Microsoft then (an
   * export being prepared) dies with the process and is marked FAILED at the next start.
   */
  async close(options: { timeoutMs?: number } = {}): Promise<void> {
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    const running = this.current?.done;
    if (!running) return;
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([running, new Promise((resolve) => (timer = setTimeout(resolve, options.timeoutMs ?? 10_000)))]);
    clearTimeout(timer);
  }

  private emit(progress: SyncProgress): void {
    for (const listener of this.listeners) {
      try {
        listener(progress);
      } catch (err) {
        this.options.log?.warn({ err }, 'a sync progress listener threw');
      }
    }
  }
}

/** Budget write-back: retries after the first attempt, and the time limit of each attempt (a user waits). */
const WRITE_BACK_RETRIES = 2;
const WRITE_BACK_TIMEOUT_MS = 15_000;

/** A failed PATCH of a budget as the error the user acts on. */
function writeBackError(err: unknown, customerId: string, amount: string): DomainError {
  const what = `Partner Center did not take the budget ${amount} of customer ${customerId}, so it was not changed (here or there)`;
  if (err instanceof PartnerCenterApiError && err.kind === 'status' && err.status === 400) {
    return new DomainError(ErrorCode.BAD_USER_INPUT, `${what}: ${err.bodyExcerpt ?? 'HTTP 400'}`, { argument: 'amount' });
  }
  if (err instanceof PartnerCenterApiError && err.kind === 'status' && err.status === 404) {
    return new DomainError(ErrorCode.NOT_FOUND, `${what}: Partner Center has no customer ${customerId} for this partner (${err.message})`, { typename: 'Customer', id: customerId });
  }
  const reason = (err as Error)?.message || String(err);
  return new DomainError(ErrorCode.UPSTREAM_FAILED, `${what}: ${reason}. Try again later, or set it in Partner Center (the next sync brings it here)`, {
    service: 'Partner Center',
    ...(err instanceof PartnerCenterApiError ? { status: err.status ?? null, requestIds: err.requestIds } : {}),
  });
}

/** The partner synced is the one of the credentials (PI_PC_TENANT_ID): another partner's caller may not sync with them. */
function assertPartner(settings: PartnerCenterSettings, partnerId: string | undefined): void {
  if (!partnerId || partnerId === settings.tenantId) return;
  throw new DomainError(
    ErrorCode.FORBIDDEN,
    `the Partner Center credentials of this server (PI_PC_TENANT_ID) are partner ${settings.tenantId}'s; partner ${partnerId} cannot be synced with them`,
    { permission: 'loadData' },
  );
}

const services = new WeakMap<Warehouse, SyncService>();

/** The warehouse's sync service in this process, once the process that owns the warehouse made one (gateway/server.ts, the CLI). */
export function syncServiceOf(warehouse: Warehouse): SyncService | undefined {
  return services.get(warehouse);
}

export function registerSyncService(warehouse: Warehouse, service: SyncService): SyncService {
  services.set(warehouse, service);
  return service;
}

/** PI_SYNC_INTERVAL: "30m", "6h", "1d" or a number of minutes; unset, empty or "off": no schedule. */
export function syncIntervalFromEnv(env: NodeJS.ProcessEnv = process.env): number | null {
  const raw = env.PI_SYNC_INTERVAL?.trim();
  if (!raw || /^(off|0)$/i.test(raw)) return null;
  const m = /^(\d+(?:\.\d+)?)\s*(m|min|h|d)?$/i.exec(raw);
  const unit = { m: 60_000, min: 60_000, h: 3_600_000, d: 86_400_000 }[(m?.[2] ?? 'm').toLowerCase() as 'm'];
  const ms = m ? Number(m[1]) * unit : NaN;
  if (!Number.isFinite(ms) || ms < 60_000) {
    throw new DomainError(ErrorCode.BAD_USER_INPUT, `PI_SYNC_INTERVAL must be a duration of at least a minute ("30m", "6h", "1d", or minutes), or "off"; got "${raw}"`, {
      argument: 'PI_SYNC_INTERVAL',
    });
  }
  return ms;
}
