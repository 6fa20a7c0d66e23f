import type { FastifyPluginAsync } from 'fastify';
import type { Warehouse } from '../warehouse/db';
import { executiveReportRoute } from './executive-route';
import { downloadsRoute } from './downloads-route';
import { exportsRoute } from './exports-route';
import type { Logger } from './logger';

/**
 * The product's HTTP routes besides /graphql, /healthz, /readyz and /metrics: file exports,
 * report downloads and the executive report, one Fastify plugin each. startServer mounts them in
 * gateway mode whenever it has a warehouse.
 */
export function productRoutes(warehouse: Warehouse, log: Logger): FastifyPluginAsync[] {
  return [
    downloadsRoute(warehouse), // /downloads/<id>: generated-report downloads (exports subgraph)
    exportsRoute(warehouse, log), // /exports/<dataset>.<format>
    executiveReportRoute(warehouse), // /reports/executive
  ];
}
