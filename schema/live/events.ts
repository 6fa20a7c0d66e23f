import 'reflect-metadata';
import { ArgsType, Field, Float, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import { DateTimeScalar, NonNegativeIntScalar } from '../common/scalars';
import { Money } from '../common/money';
import { LoadJobFileStatus, LoadJobState } from '../ingestion/load-job';
import { SyncState, SyncUnitState } from '../ingestion/sync-run';
import { ReferralStatus } from '../referrals/enums';

/**
 * The events of the live subgraph's Subscription type (resolvers/live). Each says what changed and
 * carries the ids a client refetches by through the queries (referral(id), load(id), sync(id),
 * generatedReport(id)): no field reaches into another subgraph, so the payloads are served over
 * the websocket without the gateway.
 */

export enum ReferralChangeKind {
  CREATED = 'created',
  UPDATED = 'updated',
}
registerEnumType(ReferralChangeKind, {
  name: 'ReferralChangeKind',
  valuesConfig: {
    CREATED: { description: 'A referral new to the warehouse: loaded from a file or a sync' },
    UPDATED: { description: 'Its status changed: by a mutation (accept, decline, won, lost), or by a file or sync that says so' },
  },
});

@ObjectType({ description: 'A referral arrived in the inbox or changed status. Refetch it with referral(id)' })
export class ReferralChangedEvent {
  @Field(() => ID)
  referralId!: string;

  @Field(() => ReferralChangeKind)
  change!: ReferralChangeKind;

  @Field(() => ReferralStatus, { description: 'Its status now' })
  status!: ReferralStatus;

  @Field(() => String, { nullable: true, description: 'The MPN ID of the location it is assigned to; null for the organization' })
  locationMpnId!: string | null;

  @Field(() => DateTimeScalar)
  at!: string;
}

export enum LoadEventKind {
  QUEUED = 'queued',
  RUNNING = 'running',
  PROGRESS = 'progress',
  FILE = 'file',
  FINISHED = 'finished',
}
registerEnumType(LoadEventKind, {
  name: 'LoadEventKind',
  valuesConfig: {
    QUEUED: { description: 'The job was recorded and waits for the jobs before it' },
    RUNNING: { description: 'Its files started loading' },
    PROGRESS: { description: 'A file of it moved to another phase (position, phase, fraction)' },
    FILE: { description: 'A file ended (position, fileStatus)' },
    FINISHED: { description: 'The job ended (state, error)' },
  },
});

@ObjectType({ description: 'A step of a load job of the caller’s partner. Refetch the job with load(id)' })
export class LoadProgressEvent {
  @Field(() => ID)
  jobId!: string;

  @Field(() => LoadEventKind)
  kind!: LoadEventKind;

  @Field(() => LoadJobState, { description: 'The job’s state after this event' })
  state!: LoadJobState;

  @Field(() => NonNegativeIntScalar, { nullable: true, description: 'PROGRESS, FILE: the file’s position in the job (0-based)' })
  position!: number | null;

  @Field(() => String, { nullable: true, description: 'PROGRESS: the loader’s phase (reading, checking, ...)' })
  phase!: string | null;

  @Field(() => Float, { nullable: true, description: 'PROGRESS: share of the file read, 0 to 1, when known' })
  fraction!: number | null;

  @Field(() => LoadJobFileStatus, { nullable: true, description: 'FILE: what became of the file' })
  fileStatus!: LoadJobFileStatus | null;

  @Field(() => String, { nullable: true, description: 'FINISHED: why the job failed' })
  error!: string | null;

  @Field(() => DateTimeScalar)
  at!: string;
}

@ObjectType({ description: 'A unit a sync ended with' })
export class SyncProgressUnit {
  @Field(() => String, { description: 'profile, resellers, customers, subscriptions, referrals, invoices, invoice or budgets (a page of customers\' Azure spending budgets)' })
  kind!: string;

  @Field(() => String)
  key!: string;

  @Field(() => SyncUnitState)
  state!: SyncUnitState;

  @Field(() => NonNegativeIntScalar)
  rowsLoaded!: number;

  @Field(() => String, { nullable: true })
  message!: string | null;
}

@ObjectType({ description: 'A step of a Partner Center sync of the caller’s partner: a phase began, a unit ended, or the sync ended. Refetch it with sync(id)' })
export class SyncProgressEvent {
  @Field(() => ID)
  syncId!: string;

  @Field(() => String, { description: 'profile, customers, subscriptions, referrals, invoices, budgets, done' })
  phase!: string;

  @Field(() => SyncState, { description: 'RUNNING until the last event, which has SUCCEEDED or FAILED' })
  state!: SyncState;

  @Field(() => SyncProgressUnit, { nullable: true, description: 'The unit that ended, when one did' })
  unit!: SyncProgressUnit | null;

  @Field(() => NonNegativeIntScalar, { description: 'Requests made so far' })
  requests!: number;

  @Field(() => Float, { description: 'Bytes of line items downloaded so far' })
  bytesDownloaded!: number;

  @Field(() => String, { nullable: true, description: 'Why the sync failed (the last event)' })
  error!: string | null;

  @Field(() => DateTimeScalar)
  at!: string;
}

export enum ReportOutcome {
  READY = 'READY',
  FAILED = 'FAILED',
}
registerEnumType(ReportOutcome, { name: 'ReportOutcome', description: 'How a report generation ended' });

@ObjectType({ description: 'A generated report (generateReport) is ready to download, or failed. Refetch it with generatedReport(id)' })
export class ReportReadyEvent {
  @Field(() => ID)
  reportId!: string;

  @Field(() => String, { description: 'The report (dataset) name' })
  report!: string;

  @Field(() => ReportOutcome)
  status!: ReportOutcome;

  @Field(() => String, { nullable: true, description: 'READY: where to download it (GET, with a token or an API key)' })
  downloadUrl!: string | null;

  @Field(() => String, { nullable: true, description: 'FAILED: why' })
  error!: string | null;

  @Field(() => DateTimeScalar)
  at!: string;
}

@ObjectType({ description: 'A customer’s spending crossed a threshold of its monthly budget' })
export class BudgetAlertEvent {
  @Field(() => ID)
  customerId!: string;

  @Field(() => String, { description: 'The budget’s month, YYYY-MM' })
  month!: string;

  @Field(() => Int, { description: 'The threshold crossed, in percent of the budget (80 or 100)' })
  threshold!: number;

  @Field(() => Money)
  spent!: Money;

  @Field(() => Money)
  budget!: Money;

  @Field(() => DateTimeScalar)
  at!: string;
}

@ArgsType()
export class LoadProgressArgs {
  @Field(() => ID, { nullable: true, description: 'Only this job’s events (default: every load of the partner)' })
  jobId?: string | null;
}

@ArgsType()
export class SyncProgressArgs {
  @Field(() => ID, { nullable: true, description: 'Only this sync’s events (default: every sync of the partner)' })
  syncId?: string | null;
}
