import { jobById } from '../../warehouse/ingestion/jobs';
import { syncById } from '../../warehouse/sync/runs';
import { defineSubgraph } from '../common/subgraph';
import { LoadJobResolver } from './load-job.resolver';
import { SyncRunResolver } from './sync-run.resolver';

/**
 * The ingestion subgraph: load jobs, the loads of Partner Center files run by the server's
 * ingestion queue (etl/ingest/queue.ts), one at a time, while queries go on being answered, and
 * Partner Center syncs (etl/sync), which load through the same queue. `loads`, `load(id)`,
 * `syncs`, `sync(id)` read them and `startSync` starts one (permission loadData). Entities:
 * LoadJob and SyncRun (id), for node(id:). Registered in gateway/subgraphs.ts.
 */
export const ingestionSubgraph = defineSubgraph({
  name: 'ingestion',
  resolvers: [LoadJobResolver, SyncRunResolver],
  referenceResolvers: {
    LoadJob: { requires: 'loadData', resolve: async (ref: { id: string }, ctx) => (await jobById(ctx.warehouse, ctx.caller, ref.id)) ?? null },
    SyncRun: { requires: 'loadData', resolve: async (ref: { id: string }, ctx) => (await syncById(ctx.warehouse, ctx.caller, ref.id)) ?? null },
  },
});
