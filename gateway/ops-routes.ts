import type { FastifyPluginAsync } from 'fastify';
import { registry } from './metrics';
import { onlyQueryParams } from './query-params';

/**
 * The operational routes, without authentication:
 *
 *   GET|HEAD /healthz   liveness: { status: "ok" }
 *   GET|HEAD /readyz    readiness: { status: "ready" }, or 503 { status: "unavailable", reason }
 *                       (warehouse or remote subgraphs unreachable, or shutting down)
 *   GET      /metrics   Prometheus
 *
 * None takes query parameters: any is 400 naming it (a probe or scrape config with a typo fails
 * loudly instead of being answered as if it were not there).
 */
const NO_PARAMS = onlyQueryParams([]);
export interface OpsRoutesOptions {
  /** Why the server is not ready (null when it is). */
  readiness: () => Promise<string | null>;
  isShuttingDown: () => boolean;
}

export function opsRoutes({ readiness, isShuttingDown }: OpsRoutesOptions): FastifyPluginAsync {
  return async (app) => {
    app.route({
      method: ['GET', 'HEAD'],
      url: '/healthz',
      config: { name: 'healthz' },
      preValidation: NO_PARAMS,
      handler: async () => ({ status: 'ok' }),
    });
    app.route({
      method: ['GET', 'HEAD'],
      url: '/readyz',
      config: { name: 'readyz' },
      preValidation: NO_PARAMS,
      handler: async (_request, reply) => {
        const problem = isShuttingDown() ? 'shutting down' : await whyNotReady(readiness);
        return problem ? reply.code(503).send({ status: 'unavailable', reason: problem }) : { status: 'ready' };
      },
    });
    app.route({
      method: ['GET'],
      url: '/metrics',
      config: { name: 'metrics' },
      preValidation: NO_PARAMS,
      handler: async (_request, reply) => reply.type(registry.contentType).send(await registry.metrics()),
    });
  };
}

async function whyNotReady(readiness: () => Promise<string | null>): Promise<string | null> {
  try {
    return await readiness();
  } catch (err) {
    return (err as Error).message;
  }
}
