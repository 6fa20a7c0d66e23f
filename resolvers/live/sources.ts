import type { Caller } from '../../core/caller';
import { DomainError, ErrorCode, forbidden } from '../../core/errors';
import { rolesFor } from '../../core/permissions';
import type { IngestionEvent } from '../../etl/ingest/queue';
import { ingestionQueue } from '../../etl/ingest/queue';
import { syncServiceOf } from '../../etl/sync/service';
import type { SyncProgress } from '../../etl/sync/run';
import { customersByIds } from '../../warehouse/accounts/customers';
import type { Warehouse } from '../../warehouse/db';
import { warehouseEvents, type WarehouseEvent } from '../../warehouse/events';
import { exportableBy } from '../../warehouse/exports/downloads-engine';
import { reportQueue, type ReportFinished } from '../../warehouse/exports/downloads-queue';
import type { BudgetAlertEvent, LoadProgressEvent, ReferralChangedEvent, ReportReadyEvent, SyncProgressEvent } from '../../schema/live/events';
import { eventStream } from './stream';

/**
 * Where each subscription's events come from, kept to what the caller may see: their partner
 * always, their locations for location-bound events. Every source is a listener of this process
 * (warehouse/events.ts, the ingestion queue, the sync service, the report queue), removed when the
 * subscription ends. Roles are checked before (the fields' @Requires).
 */

type Push<T> = (value: T) => void;

function isoNow(): string {
  return new Date().toISOString();
}

/** Events of one type from the warehouse's bus, of the caller's partner. */
function busEvents<K extends WarehouseEvent['type']>(warehouse: Warehouse, type: K, caller: Caller, push: Push<Extract<WarehouseEvent, { type: K }>>): () => void {
  return warehouseEvents(warehouse).subscribe((event) => {
    if (event.type === type && event.partnerId === caller.partnerId) push(event as Extract<WarehouseEvent, { type: K }>);
  });
}

export function referralChanges(warehouse: Warehouse, caller: Caller): AsyncIterableIterator<ReferralChangedEvent> {
  // A location-scoped caller sees the referrals of their locations only, as scope() reads them (none of the organization's).
  const inScope = (mpnId: string | null) => caller.locations === null || (mpnId !== null && caller.locations.includes(mpnId));
  return eventStream((push) =>
    busEvents(warehouse, 'referralChanged', caller, (e) => {
      if (inScope(e.locationMpnId)) {
        push({ referralId: e.referralId, change: e.change as ReferralChangedEvent['change'], status: e.status as ReferralChangedEvent['status'], locationMpnId: e.locationMpnId, at: e.at });
      }
    }),
  );
}

/** Load jobs are the partner's, of no location (warehouse/ingestion/jobs.ts): a loading role sees them all. */
export function loadProgress(warehouse: Warehouse, caller: Caller, jobId: string | null): AsyncIterableIterator<LoadProgressEvent> {
  return eventStream((push) =>
    ingestionQueue(warehouse).onChange((event) => {
      if (event.partnerId === caller.partnerId && (jobId === null || event.jobId === jobId)) push(loadEvent(event));
    }),
  );
}

function loadEvent(event: IngestionEvent): LoadProgressEvent {
  const base = { jobId: event.jobId, kind: event.type, position: null, phase: null, fraction: null, fileStatus: null, error: null, at: isoNow() };
  switch (event.type) {
    case 'queued':
      return { ...base, state: 'QUEUED' } as LoadProgressEvent;
    case 'running':
      return { ...base, state: 'RUNNING' } as LoadProgressEvent;
    case 'progress':
      return { ...base, state: 'RUNNING', position: event.position, phase: event.phase, fraction: event.fraction ?? null } as LoadProgressEvent;
    case 'file':
      return { ...base, state: 'RUNNING', position: event.position, fileStatus: event.status.toUpperCase() } as LoadProgressEvent;
    case 'finished':
      return { ...base, state: event.state, error: event.error } as LoadProgressEvent;
  }
}

/** Syncs are the partner's (the one the server's Partner Center credentials are for). */
export function syncProgress(warehouse: Warehouse, caller: Caller, syncId: string | null): AsyncIterableIterator<SyncProgressEvent> {
  const service = syncServiceOf(warehouse);
  if (!service) {
    throw new DomainError(ErrorCode.INVALID_STATE, 'this process does not run syncs: subscribe on the server that owns the warehouse (partner-insights start or serve)', {
      currentState: 'NO_SYNC_SERVICE',
      allowedStates: ['SERVING'],
    });
  }
  return eventStream((push) =>
    service.onProgress((progress) => {
      if (progress.partnerId === caller.partnerId && (syncId === null || progress.syncId === syncId)) push(syncEvent(progress));
    }),
  );
}

function syncEvent(progress: SyncProgress): SyncProgressEvent {
  const { unit, outcome } = progress;
  return {
    syncId: progress.syncId,
    phase: progress.phase,
    state: (outcome?.state ?? 'RUNNING') as SyncProgressEvent['state'],
    unit: unit ? { kind: unit.kind, key: unit.key, state: unit.state as NonNullable<SyncProgressEvent['unit']>['state'], rowsLoaded: unit.rowsLoaded ?? 0, message: unit.message ?? null } : null,
    requests: progress.requests,
    bytesDownloaded: progress.bytesDownloaded,
    error: outcome?.error ?? null,
    at: isoNow(),
  };
}

/**
 * Reports the caller could list (generatedReports): their partner's, of a dataset their roles may
 * export, requested within their locations. A caller who may export no report is FORBIDDEN.
 */
export function reportsReady(warehouse: Warehouse, caller: Caller): AsyncIterableIterator<ReportReadyEvent> {
  const datasets = new Set(exportableBy(caller));
  if (!datasets.size) throw forbidden('Subscription.reportReady', rolesFor('downloadReports'), 'downloadReports');
  const within = (locations: string[] | null) =>
    caller.locations === null || (locations !== null && locations.every((l) => caller.locations!.includes(l)));
  return eventStream((push) =>
    reportQueue(warehouse).onFinished((event: ReportFinished) => {
      if (event.partnerId !== caller.partnerId || !datasets.has(event.dataset) || !within(event.locations)) return;
      push({
        reportId: event.reportId,
        report: event.dataset,
        status: event.status as ReportReadyEvent['status'],
        downloadUrl: event.status === 'READY' ? `/downloads/${event.reportId}` : null,
        error: event.error,
        at: isoNow(),
      });
    }),
  );
}

/**
 * Budget alerts of the caller's partner; a location-scoped caller gets those of its locations'
 * customers only (one scoped lookup per alert: alerts are rare).
 */
export function budgetAlerts(warehouse: Warehouse, caller: Caller): AsyncIterableIterator<BudgetAlertEvent> {
  return eventStream((push) =>
    busEvents(warehouse, 'budgetAlert', caller, (e) => {
      const event: BudgetAlertEvent = {
        customerId: e.customerId,
        month: e.month,
        threshold: e.threshold,
        spent: { amount: e.spent, currency: e.currency },
        budget: { amount: e.budget, currency: e.currency },
        at: e.at,
      };
      if (caller.locations === null) return push(event);
      customersByIds(warehouse, caller, [e.customerId]).then(
        (rows) => rows.length && push(event),
        () => undefined,
      );
    }),
  );
}
