import { Arg, Args, Ctx, FieldResolver, ID, Mutation, Query, Resolver, Root } from 'type-graphql';
import { DomainError, ErrorCode, notFound } from '../../core/errors';
import { syncServiceOf } from '../../etl/sync/service';
import { Requires } from '../../schema/common/permissions';
import { SyncRun, SyncRunConnection, SyncRunsArgs, SyncUnit } from '../../schema/ingestion/sync-run';
import { syncById, syncOrder, syncSelect, syncsFrom, unitsOfSyncs } from '../../warehouse/sync/runs';
import { paginate } from '../common/connection';
import type { RequestContext } from '../common/context';
import { defineLoader } from '../common/loaders';

/** The units of a page's syncs in one statement (scoped to the caller's partner like the syncs). */
const unitsBySync = defineLoader<string, SyncUnit[]>(async (ctx, ids) => {
  const units = await unitsOfSyncs(ctx.warehouse, ctx.caller.partnerId, ids);
  return ids.map((id) => (units.get(id) ?? []) as SyncUnit[]);
});

/**
 * Partner Center syncs of the caller's partner (etl/sync runs them; warehouse/sync/runs.ts holds
 * them). startSync needs the server that owns the warehouse (it runs the sync) and the Partner
 * Center settings (PI_PC_*) of the caller's partner. Another partner's sync is NOT_FOUND.
 */
@Resolver(() => SyncRun)
export class SyncRunResolver {
  @Requires('loadData')
  @Mutation(() => SyncRun, {
    description:
      'Start a sync from Partner Center and Microsoft Graph now, or return the one running. It runs in the background: follow it with sync(id). ' +
      'BAD_USER_INPUT when the server has no Partner Center settings (PI_PC_TENANT_ID, PI_PC_CLIENT_ID, PI_PC_CLIENT_SECRET), FORBIDDEN when they are another partner’s',
  })
  async startSync(@Ctx() ctx: RequestContext): Promise<SyncRun> {
    const service = syncServiceOf(ctx.warehouse.root);
    if (!service) {
      throw new DomainError(ErrorCode.INVALID_STATE, 'this process does not run syncs: start one on the server that owns the warehouse (partner-insights start or serve)', {
        currentState: 'NO_SYNC_SERVICE',
        allowedStates: ['SERVING'],
      });
    }
    const { id } = await service.request({ requestedBy: ctx.caller.subject ?? null, trigger: 'graphql', partnerId: ctx.caller.partnerId });
    const run = await syncById(ctx.warehouse, ctx.caller, id);
    if (!run) throw notFound('SyncRun', id);
    return run as unknown as SyncRun;
  }

  @Requires('loadData')
  @Query(() => SyncRunConnection, { nullable: true, description: 'Partner Center syncs of the caller’s partner, newest first' })
  async syncs(@Args(() => SyncRunsArgs) args: SyncRunsArgs, @Ctx() ctx: RequestContext): Promise<SyncRunConnection> {
    return paginate(ctx, { name: 'syncs', args, select: syncSelect, from: syncsFrom(ctx.caller), orderBy: syncOrder }) as Promise<SyncRunConnection>;
  }

  @Requires('loadData')
  @Query(() => SyncRun, { nullable: true, description: 'One sync with its units: its progress while it runs. NOT_FOUND when unknown or another partner’s' })
  async sync(@Arg('id', () => ID) id: string, @Ctx() ctx: RequestContext): Promise<SyncRun> {
    const run = await syncById(ctx.warehouse, ctx.caller, id);
    if (!run) throw notFound('SyncRun', id);
    return run as unknown as SyncRun;
  }

  @FieldResolver(() => [SyncUnit])
  async units(@Root() run: SyncRun, @Ctx() ctx: RequestContext): Promise<SyncUnit[]> {
    return unitsBySync(ctx).load(run.id);
  }
}
