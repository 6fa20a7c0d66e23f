import { defineSubgraph } from '../common/subgraph';
import { GeneratedReportResolver } from './report.resolver';

/**
 * The exports subgraph: report downloads ("Download reports", reference line 16858). Reports are
 * generated in the background by warehouse/exports/downloads-queue.ts with the export engine and
 * downloaded from GET /downloads/<id> (gateway/downloads-route.ts). No entities. Registered in
 * gateway/subgraphs.ts.
 */
export const exportsSubgraph = defineSubgraph({
  name: 'exports',
  resolvers: [GeneratedReportResolver],
});
