import { defineSubgraph } from '../common/subgraph';
import { LoadJobResolver } from './load-job.resolver';
import { SyncRunResolver } from './sync-run.resolver';

/**
 * The ingestion subgraph: load jobs, the loads of Partner Center files run by the server's
 * ingestion queue (etl/ingest/queue.ts), one at a time, while queries go on being answered, and
 * Partner Center syncs (etl/sync), which load through the same queue. `loads`, `load(id)`,
 * `syncs`, `sync(id)` read them and `startSync` starts one (permission loadData). No entities.
 * Registered in gateway/subgraphs.ts.
 */
export const ingestionSubgraph = defineSubgraph({
  name: 'ingestion',
  resolvers: [LoadJobResolver, SyncRunResolver],
});
