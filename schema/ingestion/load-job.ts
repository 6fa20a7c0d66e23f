import { ArgsType, Directive, Field, Float, ID, ObjectType, registerEnumType } from 'type-graphql';
import { Connection, ConnectionArgs } from '../common/connection';
import { BackgroundRun } from './background-run';
import { DateTimeScalar, NonNegativeIntScalar } from '../common/scalars';

/**
 * Load jobs: Partner Center files loaded into the warehouse by the server's ingestion queue
 * (etl/ingest/queue.ts), one job at a time, one transaction per file. Rows: warehouse/ingestion/jobs.ts.
 */
export enum LoadJobState {
  QUEUED = 'QUEUED',
  RUNNING = 'RUNNING',
  SUCCEEDED = 'SUCCEEDED',
  FAILED = 'FAILED',
}
registerEnumType(LoadJobState, {
  name: 'LoadJobState',
  description:
    'QUEUED -> RUNNING -> SUCCEEDED (every file loaded, possibly with some rows quarantined, or skipped as already loaded) or FAILED ' +
    '(a file was rejected, the job stopped on an error, or the server stopped before it finished; see error). Files that loaded stay loaded either way',
  valuesConfig: {
    QUEUED: { description: 'Waiting for the jobs before it: loads run one at a time, in order' },
    RUNNING: { description: 'Its files are being loaded, in order; files lists the results so far' },
    SUCCEEDED: { description: 'Every file was loaded or skipped as already loaded' },
    FAILED: { description: 'A file was rejected, the job stopped on an error, or it was interrupted (error says which)' },
  },
});

export enum LoadJobFileStatus {
  PENDING = 'PENDING',
  LOADED = 'LOADED',
  SKIPPED = 'SKIPPED',
  REJECTED = 'REJECTED',
  FAILED = 'FAILED',
}
registerEnumType(LoadJobFileStatus, {
  name: 'LoadJobFileStatus',
  description: 'What became of a file of a load job',
  valuesConfig: {
    PENDING: { description: 'Not loaded: not reached yet, or the job stopped before it (nothing of it is in the warehouse)' },
    LOADED: { description: 'Loaded in one transaction (rows under the bad-row threshold may be quarantined)' },
    SKIPPED: { description: 'Already loaded: the same bytes were loaded before' },
    REJECTED: { description: 'Not loaded: unknown format or too many bad rows; message says why' },
    FAILED: { description: 'Its load stopped on an error and rolled back: nothing of it is in the warehouse' },
  },
});

@ObjectType({ description: 'A file of a load job and what its load came to' })
export class LoadJobFile {
  @Field(() => NonNegativeIntScalar, { description: 'Position in the job (0-based): files load in this order' })
  position!: number;

  @Field(() => String, { description: 'File name, as sent' })
  name!: string;

  @Field(() => Float, { nullable: true, description: 'Size in bytes' })
  sizeBytes!: number | null;

  @Field(() => String, { nullable: true, description: 'The Partner Center file format it was read as (once known)' })
  format!: string | null;

  @Field(() => LoadJobFileStatus)
  status!: LoadJobFileStatus;

  @Field(() => NonNegativeIntScalar)
  rowsLoaded!: number;

  @Field(() => NonNegativeIntScalar, { description: 'Rows kept out as bad (see the load’s quarantine)' })
  rowsQuarantined!: number;

  @Field(() => NonNegativeIntScalar, { description: 'Rows of earlier loads replaced by this file (same invoice, entity or month)' })
  rowsReplaced!: number;

  @Field(() => String, { nullable: true, description: 'Why it was skipped, rejected or failed; for a loaded file, a short description' })
  message!: string | null;

  @Field(() => NonNegativeIntScalar, { nullable: true, description: 'The warehouse load (etl_loads) it wrote; none when skipped or failed' })
  loadId!: number | null;

  @Field(() => DateTimeScalar, { nullable: true, description: 'When its load ended' })
  finishedAt!: string | null;
}

/** Entity by id (node(id:)). */
@Directive('@key(fields: "id")')
@ObjectType({ description: 'A load of Partner Center files into the warehouse, run by the server one job at a time' })
export class LoadJob extends BackgroundRun {
  @Field(() => ID)
  id!: string;

  @Field(() => LoadJobState)
  state!: LoadJobState;

  @Field(() => String, { nullable: true, description: 'Subject (user id) of the requester' })
  requestedBy!: string | null;

  @Field(() => NonNegativeIntScalar)
  fileCount!: number;

  @Field(() => [LoadJobFile], { description: 'Its files in load order, each with its result once loaded' })
  files!: LoadJobFile[];

  @Field(() => NonNegativeIntScalar, { description: 'Rows loaded by its files so far' })
  rowsLoaded!: number;

  @Field(() => NonNegativeIntScalar, { description: 'Rows its files kept out as bad so far' })
  rowsQuarantined!: number;
}

@ObjectType()
export class LoadJobConnection extends Connection(LoadJob) {}

@ArgsType()
export class LoadJobsArgs extends ConnectionArgs {}
