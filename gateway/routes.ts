import type { FastifyPluginAsync } from 'fastify';
import type { Warehouse } from '../warehouse/db';
import type { AuthConfig } from './auth';
import { executiveReportRoute } from './executive-route';
import { downloadsRoute } from './downloads-route';
import { exportsRoute } from './exports-route';
import type { Logger } from './logger';

/**
 * The product's HTTP routes besides /graphql, /healthz, /readyz and /metrics: file exports,
 * report downloads and the executive report, one Fastify plugin each. startServer mounts them in
 * gateway mode whenever it has a warehouse.
 */
export function productRoutes(warehouse: Warehouse, log: Logger, auth: AuthConfig): FastifyPluginAsync[] {
  return [
    downloadsRoute(warehouse), // /downloads/<id>: generated-report downloads (exports subgraph)
    exportsRoute(warehouse, log), // /exports/<dataset>.<format>
    executiveReportRoute(warehouse, auth), // /reports/executive and its signed links
  ];
}
