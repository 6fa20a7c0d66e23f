import type { Warehouse } from '../warehouse/db';
import { executiveReportRoute } from './executive-route';
import { downloadsRoute } from './downloads-route';
import { exportsRoute } from './exports-route';
import type { Route } from './http';

/**
 * The product's HTTP routes besides /graphql, /healthz, /readyz and /metrics: file exports,
 * report downloads and the executive report. startServer mounts them in gateway mode whenever it
 * has a warehouse. Order matters: the first route whose path and method match handles a request,
 * so more specific prefixes come first.
 */
export function productRoutes(warehouse: Warehouse): Route[] {
  void warehouse;
  return [
    downloadsRoute(warehouse), // /downloads/<id>: generated-report downloads (exports subgraph)
    exportsRoute(warehouse), // /exports/<dataset>.<format>
    executiveReportRoute(warehouse), // /reports/executive
  ];
}
