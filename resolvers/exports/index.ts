import { reportById } from '../../warehouse/exports/downloads';
import { exportableBy } from '../../warehouse/exports/downloads-engine';
import { defineSubgraph } from '../common/subgraph';
import { GeneratedReportResolver } from './report.resolver';

/**
 * The exports subgraph: report downloads ("Download reports", reference line 16858). Reports are
 * generated in the background by warehouse/exports/downloads-queue.ts with the export engine and
 * downloaded from GET /downloads/<id> (gateway/downloads-route.ts). Entity: GeneratedReport (id),
 * for node(id:), seen as generatedReport(id:) sees it. Registered in gateway/subgraphs.ts.
 */
export const exportsSubgraph = defineSubgraph({
  name: 'exports',
  resolvers: [GeneratedReportResolver],
  referenceResolvers: {
    // No one permission: the datasets the caller may export decide (as generatedReport(id:)).
    GeneratedReport: async (ref: { id: string }, ctx) => (await reportById(ctx.warehouse, ctx.caller, ref.id, exportableBy(ctx.caller))) ?? null,
  },
});
