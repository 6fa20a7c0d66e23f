import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Caller } from '../core/caller';
import { forbidden, notFound } from '../core/errors';
import { hasPermission, rolesFor } from '../core/permissions';
import type { SyncService } from '../etl/sync/service';
import type { Warehouse } from '../warehouse/db';
import { syncById, syncRunById, unitsOfSyncs, type SyncRunRow, type SyncUnitRow } from '../warehouse/sync/runs';
import type { Logger } from './logger';
import { OPERATOR_PARTNER } from './plugins/authenticate';

/**
 * Partner Center syncs through the serving process, which holds the warehouse: what
 * `partner-insights sync` uses while a server runs (cli/commands/sync.ts), and any client with a
 * loading role. GraphQL has the same (startSync, sync(id)).
 *
 *   POST /ingest/syncs        start a sync, or get the running one -> 202 the sync (Location: /ingest/syncs/<id>)
 *   GET  /ingest/syncs/<id>   the sync with its units: its progress while it runs
 *
 * Who: permission loadData by bearer token or API key, for the partner the server's Partner Center
 * credentials are for; or the local operator (owner secret).
 *   400 no Partner Center settings on the server (the message names them)   403 no loading role, or
 *   another partner's credentials   404 unknown sync   409 the server is shutting down
 */
export type SyncView = SyncRunRow & { units: SyncUnitRow[] };

const SYNC_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' } } } as const;

export function syncRoutes({ warehouse, syncs, log }: { warehouse: Warehouse; syncs: SyncService; log: Logger }): FastifyPluginAsync {
  return async (app) => {
    app.route({
      method: 'POST',
      url: '/ingest/syncs',
      config: { name: 'ingest-syncs', auth: true, acceptsApiKey: true, acceptsOperator: true },
      handler: async (request, reply) => {
        const caller = assertMaySync(request);
        // The operator without x-pi-partner syncs the partner of the server's credentials.
        const operator = request.operator && caller.partnerId === OPERATOR_PARTNER;
        const { id, running } = await syncs.request({
          requestedBy: caller.subject ?? (request.operator ? 'operator' : null),
          trigger: 'http',
          ...(operator ? {} : { partnerId: caller.partnerId }),
        });
        log.info({ requestId: request.id, sync: id, running, operator: request.operator }, running ? 'sync already running' : 'sync started');
        return reply.code(202).header('location', `/ingest/syncs/${id}`).send(await syncView(warehouse, caller, id));
      },
    });

    app.route<{ Params: { id: string } }>({
      method: 'GET',
      url: '/ingest/syncs/:id',
      schema: { params: SYNC_PARAMS },
      config: {
        name: 'ingest-sync',
        auth: true,
        acceptsApiKey: true,
        acceptsOperator: true,
        explainInvalid: (request) => {
          assertMaySync(request);
          throw notFound('SyncRun', (request.params as { id?: string }).id ?? '');
        },
      },
      handler: async (request) => syncView(warehouse, assertMaySync(request), request.params.id),
    });
  };
}

function assertMaySync(request: FastifyRequest): Caller {
  const caller = request.caller!;
  if (!request.operator && !hasPermission(caller, 'loadData')) throw forbidden('Syncing from Partner Center', rolesFor('loadData'), 'loadData');
  return caller;
}

/**
 * The sync as the caller may see it: their partner's only, except the local operator without
 * x-pi-partner, who reads any (as `partner-insights sync` started it).
 */
async function syncView(warehouse: Warehouse, caller: Caller, id: string): Promise<SyncView> {
  const sync = caller.partnerId === OPERATOR_PARTNER ? await syncRunById(warehouse, id) : await syncById(warehouse, caller, id);
  if (!sync) throw notFound('SyncRun', id);
  const units = await unitsOfSyncs(warehouse, sync.partnerId, [id]);
  return { ...sync, units: units.get(id) ?? [] };
}
