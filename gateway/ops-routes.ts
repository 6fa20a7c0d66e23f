import type { FastifyPluginAsync } from 'fastify';
import { registry } from './metrics';

/**
 * The operational routes, without authentication:
 *
 *   GET|HEAD /healthz   liveness: { status: "ok" }
 *   GET|HEAD /readyz    readiness: { status: "ready" }, or 503 { status: "unavailable", reason }
 *                       (warehouse or remote subgraphs unreachable, or shutting down)
 *   GET      /metrics   Prometheus
 */
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
      handler: async () => ({ status: 'ok' }),
    });
    app.route({
      method: ['GET', 'HEAD'],
      url: '/readyz',
      config: { name: 'readyz' },
      handler: async (_request, reply) => {
        const problem = isShuttingDown() ? 'shutting down' : await whyNotReady(readiness);
        return problem ? reply.code(503).send({ status: 'unavailable', reason: problem }) : { status: 'ready' };
      },
    });
    app.route({
      method: ['GET'],
      url: '/metrics',
      config: { name: 'metrics' },
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
