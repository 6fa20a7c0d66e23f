import { Arg, Args, Ctx, FieldResolver, ID, Query, Resolver, Root } from 'type-graphql';
import { notFound } from '../../core/errors';
import { LoadJob, LoadJobConnection, LoadJobFile, LoadJobsArgs } from '../../schema/ingestion/load-job';
import { Requires } from '../../schema/common/permissions';
import { filesOfJobs, jobById, jobOrder, jobSelect, jobsFrom } from '../../warehouse/ingestion/jobs';
import { paginate } from '../common/connection';
import type { RequestContext } from '../common/context';
import { defineLoader } from '../common/loaders';

/** The files of a page's jobs in one statement (scoped to the caller's partner like the jobs). */
const filesByJob = defineLoader<string, LoadJobFile[]>(async (ctx, ids) => {
  const files = await filesOfJobs(ctx.warehouse, ctx.caller, ids);
  return ids.map((id) => (files.get(id) ?? []) as LoadJobFile[]);
});

/**
 * Load jobs of the caller's partner (etl/ingest/queue.ts runs them; warehouse/ingestion/jobs.ts
 * holds them). Reads only: jobs are created by the upload route and the CLI through the queue.
 * Another partner's job is NOT_FOUND, as an unknown id.
 */
@Resolver(() => LoadJob)
export class LoadJobResolver {
  @Requires('loadData')
  @Query(() => LoadJobConnection, { nullable: true, description: 'Load jobs of the caller’s partner, newest first' })
  async loads(@Args(() => LoadJobsArgs) args: LoadJobsArgs, @Ctx() ctx: RequestContext): Promise<LoadJobConnection> {
    return paginate(ctx, {
      name: 'loads',
      args,
      select: jobSelect,
      from: jobsFrom(ctx.caller),
      orderBy: jobOrder,
    }) as Promise<LoadJobConnection>;
  }

  @Requires('loadData')
  @Query(() => LoadJob, { nullable: true, description: 'One load job with its files: its progress while it runs. NOT_FOUND when unknown or another partner’s' })
  async load(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<LoadJob> {
    const job = await jobById(ctx.warehouse, ctx.caller, id);
    if (!job) throw notFound('LoadJob', id);
    return job as unknown as LoadJob;
  }

  @FieldResolver(() => [LoadJobFile])
  async files(@Root() job: LoadJob, @Ctx() ctx: RequestContext): Promise<LoadJobFile[]> {
    return job.files ?? filesByJob(ctx).load(job.id);
  }
}
