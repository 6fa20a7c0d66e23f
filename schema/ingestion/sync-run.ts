import { ArgsType, Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, ConnectionArgs } from '../common/connection';
import { BackgroundRun } from './background-run';
import { DateTimeScalar, NonNegativeIntScalar } from '../common/scalars';

/**
 * Partner Center syncs: the server (or `partner-insights sync`) pulls customers, subscriptions,
 * referrals, invoices and their line items from the Partner Center API and Microsoft Graph and
 * loads them through the ingestion queue (etl/sync). Rows: warehouse/sync/runs.ts.
 */
export enum SyncState {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(SyncState, {
  name: 'SyncState',
  description: 'QUEUED -> RUNNING -> SUCCEEDED or FAILED. Units that loaded stay loaded either way; failed units are fetched again by the next sync',
  valuesConfig: {
    QUEUED: { description: 'Recorded, not started yet' },
    RUNNING: { description: 'Fetching and loading; phase and units show how far it is' },
    SUCCEEDED: { description: 'Every unit loaded, or skipped as already held' },
    FAILED: { description: 'A unit failed (error names the invoices), the sync stopped on an error, or the process stopped while it ran' },
  },
});

export enum SyncTrigger {
  CLI = 'cli',
  GRAPHQL = 'graphql',
  SCHEDULE = 'schedule',
  HTTP = 'http',
}
registerEnumType(SyncTrigger, { name: 'SyncTrigger', description: 'What started a sync: the CLI, startSync, the schedule (PI_SYNC_INTERVAL), or the HTTP route the CLI uses while a server runs' });

export enum SyncUnitState {
  LOADED = 'LOADED',
  SKIPPED = 'SKIPPED',
  FAILED = 'FAILED',
}
registerEnumType(SyncUnitState, {
  name: 'SyncUnitState',
  valuesConfig: {
    LOADED: { description: 'Fetched and loaded (one transaction per file)' },
    SKIPPED: { description: 'Fetched, and the same as what the warehouse holds: nothing changed' },
    FAILED: { description: 'Not loaded (message says why); fetched again by the next sync' },
  },
});

@ObjectType({ description: 'A unit of a sync: a page of customers, a page’s subscriptions, a page of referrals, the invoice list, an invoice’s line items' })
export class SyncUnit {
  @Field(() => NonNegativeIntScalar, { description: 'Position in the sync (0-based), in fetch order' })
  position!: number;

  @Field(() => String, { description: 'profile, resellers, customers, subscriptions, referrals, invoices, invoice or budgets (a page of customers\' Azure spending budgets)' })
  kind!: string;

  @Field(() => String, { description: 'Which one: a page, or an invoice number' })
  key!: string;

  @Field(() => SyncUnitState)
  state!: SyncUnitState;

  @Field(() => ID, { nullable: true, description: 'The load job that loaded it (see load(id))' })
  jobId!: string | null;

  @Field(() => NonNegativeIntScalar)
  rowsLoaded!: number;

  @Field(() => String, { nullable: true, description: 'Why it failed or was skipped; what of an invoice is not fetched' })
  message!: string | null;

  @Field(() => DateTimeScalar)
  finishedAt!: string;
}

/** Entity by id (node(id:)). */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A sync of the partner’s data from Partner Center and Microsoft Graph' })
export class SyncRun extends BackgroundRun {
  @Field(() => ID)
  id!: string;

  @Field(() => SyncState)
  state!: SyncState;

  @Field(() => SyncTrigger)
  trigger!: SyncTrigger;

  @Field(() => String, { nullable: true, description: 'Subject (user id) of the requester; none for the schedule' })
  requestedBy!: string | null;

  @Field(() => String, { nullable: true, description: 'What it is doing: profile, customers, subscriptions, referrals, invoices, budgets, done' })
  phase!: string | null;

  @Field(() => NonNegativeIntScalar, { description: 'Units loaded so far' })
  unitsDone!: number;

  @Field(() => NonNegativeIntScalar, { description: 'Units fetched that held nothing new' })
  unitsSkipped!: number;

  @Field(() => NonNegativeIntScalar, { description: 'Units that failed (fetched again by the next sync)' })
  unitsFailed!: number;

  @Field(() => NonNegativeIntScalar)
  rowsLoaded!: number;

  @Field(() => NonNegativeIntScalar, { description: 'HTTP requests made to Microsoft so far, retries included' })
  requests!: number;

  @Field(() => Float, { description: 'Bytes of line-item blobs and pages downloaded so far' })
  bytesDownloaded!: number;

  @Field(() => [SyncUnit], { description: 'Its units in fetch order' })
  units!: SyncUnit[];
}

@ObjectType()
export class SyncRunConnection extends Connection(SyncRun) {}

@ArgsType()
export class SyncRunsArgs extends ConnectionArgs {}
