import { defineSubgraph } from '../common/subgraph';
import { LoadJobResolver } from './load-job.resolver';

/**
 * The ingestion subgraph: load jobs, the loads of Partner Center files run by the server's
 * ingestion queue (etl/ingest/queue.ts), one at a time, while queries go on being answered.
 * `loads` and `load(id)` read them (permission loadData). No entities. Registered in
 * gateway/subgraphs.ts.
 */
export const ingestionSubgraph = defineSubgraph({
  name: 'ingestion',
  resolvers: [LoadJobResolver],
});
