import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { statementCounter } from '../warehouse/db';

/**
 * Prometheus metrics served at /metrics. One registry per process (metric names are global);
 * several servers in one process (tests) share it.
 */
export const registry = new Registry();
collectDefaultMetrics({ register: registry, prefix: 'pi_' });

export const httpRequests = new Counter({
  name: 'pi_http_requests_total',
  help: 'HTTP requests by route, method and status code',
  labelNames: ['route', 'method', 'status'] as const,
  registers: [registry],
});

export const graphqlDuration = new Histogram({
  name: 'pi_graphql_request_duration_seconds',
  help: 'GraphQL request latency, from receipt to response, by operation type',
  labelNames: ['operation'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
  registers: [registry],
});

export const graphqlErrors = new Counter({
  name: 'pi_graphql_errors_total',
  help: 'GraphQL errors in responses by extensions.code',
  labelNames: ['code'] as const,
  registers: [registry],
});

/** Every SQL statement sent to DuckDB by this process (warehouse/db.ts statementCounter). */
export const sqlStatements = new Counter({
  name: 'pi_sql_statements_total',
  help: 'SQL statements sent to the DuckDB warehouse',
  registers: [registry],
  collect() {
    this.reset();
    if (statementCounter.total > 0) this.inc(statementCounter.total);
  },
});
