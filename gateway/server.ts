import 'reflect-metadata';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import type { GraphQLFormattedError } from 'graphql';
import type { RequestContext } from '../resolvers/common/context';
import type { Warehouse } from '../warehouse/db';
import { reportQueue, type ReportQueue } from '../warehouse/exports/downloads-queue';
import { apiKeyVerifier, loadAuthConfig, type AuthConfig } from './auth';
import { defaultHost, defaultPort, isDevelopment, parseSubgraphUrls } from './config';
import { subgraphContext, type GatewayContext } from './context';
import { createGateway } from './gateway';
import { createHttpServer, graphqlRoute, healthRoute, metricsRoute, readyRoute, type Route } from './http';
import { productRoutes } from './routes';
import { limitsFromEnv, queryLimitsPlugin, type QueryLimits } from './limits';
import { createLogger, apolloLogger, type Logger } from './logger';
import { graphqlDuration, graphqlErrors } from './metrics';
import { buildSubgraph, type SubgraphDefinition } from '../resolvers/common/subgraph';
import { SUBGRAPHS, findSubgraph } from './subgraphs';

export interface StartServerOptions {
  /** The warehouse. Needed unless every subgraph is remote (subgraphUrls). */
  warehouse?: Warehouse;
  /** PI_PORT, default 4000; 0 picks a free port. */
  port?: number;
  /** PI_HOST, default 0.0.0.0. */
  host?: string;
  /** Serve this one subgraph alone (its own schema with _entities, for a gateway or Apollo Router). */
  subgraph?: string;
  /** Subgraphs the gateway calls over HTTP, by name (PI_SUBGRAPH_URLS); the others run in process. */
  subgraphUrls?: Record<string, string>;
  /** The subgraphs (default: gateway/subgraphs.ts). */
  subgraphs?: readonly SubgraphDefinition[];
  /** JWT keys (default: from the environment, see gateway/auth.ts). */
  auth?: AuthConfig;
  /** Depth and cost limits (default: PI_MAX_DEPTH, PI_MAX_COST). */
  limits?: QueryLimits;
  /** Routes besides GraphQL, health and metrics (default in gateway mode: productRoutes, gateway/routes.ts). */
  routes?: Route[];
  logger?: Logger;
}

export interface RunningServer {
  /** Base URL, e.g. http://localhost:4000 */
  url: string;
  /** GraphQL endpoint, url + /graphql */
  graphqlUrl: string;
  port: number;
  /** Composition hints (gateway mode). */
  hints: string[];
  /** Graceful stop: no new connections, in-flight requests finish, Apollo stops. The warehouse stays open. */
  close(): Promise<void>;
}

/**
 * Starts the HTTP server: by default the gateway over every subgraph, in one process on one port;
 * with `subgraph`, that subgraph alone. Returns once listening.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const log = options.logger ?? createLogger();
  const auth = options.auth ?? loadAuthConfig();
  const limits = options.limits ?? limitsFromEnv();
  const subgraphs = options.subgraphs ?? SUBGRAPHS;
  const { warehouse } = options;
  const plugins = [queryLimitsPlugin(limits), observabilityPlugin(log)];
  const common = {
    introspection: true,
    includeStacktraceInErrorResponses: isDevelopment(),
    formatError: (formatted: GraphQLFormattedError, error: unknown) => formatError(formatted, error, log),
    logger: apolloLogger(log),
    plugins,
    // Shutdown is ours (closeOnSignal): Apollo's own handler would re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
  };

  let apollo: Pick<ApolloServer, 'start' | 'stop'>;
  let graphql: Route;
  let hints: string[] = [];
  let readiness: () => Promise<string | null>;

  if (options.subgraph) {
    // One subgraph alone: its schema (with _service and _entities), its own context from the token.
    if (!warehouse) throw new Error(`serving subgraph ${options.subgraph} needs a warehouse`);
    const built = await buildSubgraph(findSubgraph(options.subgraph, subgraphs));
    const server = new ApolloServer<RequestContext>({ ...common, schema: built.schema });
    apollo = server;
    graphql = graphqlRoute(server, (ctx) =>
      subgraphContext({ auth, warehouse, authorization: ctx.authorization, requestId: ctx.requestId, log }),
    );
    readiness = () => warehouseReady(warehouse);
  } else {
    // The gateway: subgraphs in process, or over HTTP for those in subgraphUrls.
    const remoteUrls = options.subgraphUrls ?? parseSubgraphUrls();
    for (const name of Object.keys(remoteUrls)) findSubgraph(name, subgraphs);
    const local = subgraphs.filter((s) => !remoteUrls[s.name]);
    if (local.length && !warehouse) throw new Error(`subgraphs ${local.map((s) => s.name).join(', ')} run in process and need a warehouse`);
    const created = await createGateway({ subgraphs, remoteUrls, warehouse, auth, log });
    hints = created.hints;
    for (const hint of hints) log.warn({ hint }, 'supergraph composition hint');
    // @apollo/gateway 2.14 implements the v1 gateway interface, which Apollo Server 5 still accepts.
    const server = new ApolloServer<GatewayContext>({ ...common, gateway: created.gateway as any });
    apollo = server;
    graphql = graphqlRoute(server, async (ctx) => ({
      authorization: ctx.authorization ?? '',
      requestId: ctx.requestId,
      caller: ctx.caller!,
      subgraphContexts: new Map(),
    }));
    readiness = async () => {
      if (local.length && warehouse) {
        const problem = await warehouseReady(warehouse);
        if (problem) return problem;
      }
      for (const [name, url] of Object.entries(remoteUrls)) {
        const problem = await remoteReady(url);
        if (problem) return `subgraph ${name}: ${problem}`;
      }
      return null;
    };
  }

  await apollo.start();
  // Report generation runs where the exports subgraph runs in process (it holds the warehouse).
  const runsExports = options.subgraph ? options.subgraph === 'exports' : !(options.subgraphUrls ?? parseSubgraphUrls()).exports;
  let queue: ReportQueue | null = null;
  if (warehouse && runsExports && subgraphs.some((s) => s.name === 'exports')) {
    queue = reportQueue(warehouse);
    await queue.start(log);
  }
  const routes: Route[] = [];
  // API keys live in the warehouse; without one (all subgraphs remote) keys are refused with 401.
  const http = createHttpServer({ auth, log, routes, apiKeys: warehouse ? apiKeyVerifier(warehouse) : undefined });
  routes.push(
    healthRoute,
    readyRoute(readiness, () => http.shuttingDown),
    metricsRoute,
    graphql,
    // File exports, report downloads and the executive report (gateway/routes.ts), in gateway mode.
    ...(options.routes ?? (warehouse && !options.subgraph ? productRoutes(warehouse) : [])),
  );
  let listening;
  try {
    listening = await http.listen(options.port ?? defaultPort(), options.host ?? defaultHost());
  } catch (err) {
    await queue?.stop();
    await apollo.stop();
    throw err;
  }
  log.info({ url: listening.url, mode: options.subgraph ? `subgraph ${options.subgraph}` : 'gateway' }, 'listening');

  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      log.info('shutting down: no new connections, finishing requests in flight');
      await http.close();
      await queue?.stop();
      await apollo.stop();
      log.info('stopped');
    })());

  return { url: listening.url, graphqlUrl: `${listening.url}/graphql`, port: listening.port, hints, close };
}

/**
 * Waits for SIGTERM or SIGINT, then shuts down gracefully: the server stops accepting connections,
 * finishes the requests in flight, and the warehouse is closed. Resolves with the signal.
 *
 *   const server = await startServer({ warehouse });
 *   await closeOnSignal(server, warehouse);
 */
export function closeOnSignal(server: RunningServer, warehouse?: Warehouse, log: Logger = createLogger()): Promise<NodeJS.Signals> {
  return new Promise((resolve, reject) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      log.info({ signal }, 'signal received, shutting down');
      server.close().then(() => {
        warehouse?.close();
        resolve(signal);
      }, reject);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

async function warehouseReady(warehouse: Warehouse): Promise<string | null> {
  try {
    await warehouse.all('SELECT 1 AS ok');
    return null;
  } catch (err) {
    return `warehouse unreachable: ${(err as Error).message}`;
  }
}

async function remoteReady(graphqlUrl: string): Promise<string | null> {
  try {
    const response = await fetch(new URL('/readyz', graphqlUrl), { signal: AbortSignal.timeout(2000) });
    return response.ok ? null : `readyz answered ${response.status}`;
  } catch (err) {
    return `unreachable (${(err as Error).message})`;
  }
}

/** No internals in responses outside development: unexpected errors become "internal server error". */
const KNOWN_CODES = new Set([
  'UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'INVALID_STATE', 'BAD_USER_INPUT', 'QUERY_TOO_DEEP', 'QUERY_TOO_COSTLY',
  'GRAPHQL_PARSE_FAILED', 'GRAPHQL_VALIDATION_FAILED', 'BAD_REQUEST', 'OPERATION_RESOLUTION_FAILURE', 'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);

function formatError(formatted: GraphQLFormattedError, error: unknown, log: Logger): GraphQLFormattedError {
  const code = formatted.extensions?.code as string | undefined;
  if (isDevelopment() || (code && KNOWN_CODES.has(code))) return formatted;
  const original = unwrapResolverError(error);
  log.error({ err: original, path: formatted.path, code }, 'internal error in GraphQL request');
  return {
    message: 'internal server error',
    locations: formatted.locations,
    path: formatted.path,
    extensions: { code: 'INTERNAL_SERVER_ERROR' },
  };
}

/** Latency histogram, errors by code, and one debug log line per operation. */
function observabilityPlugin(log: Logger): ApolloServerPlugin {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ response, operation, operationName }) {
          const seconds = Number(process.hrtime.bigint() - started) / 1e9;
          graphqlDuration.observe({ operation: operation?.operation ?? 'unknown' }, seconds);
          const errors = response.body.kind === 'single' ? response.body.singleResult.errors ?? [] : [];
          for (const e of errors) graphqlErrors.inc({ code: String(e.extensions?.code ?? 'UNKNOWN') });
          log.debug({ operationName, seconds, errors: errors.length }, 'graphql');
        },
      };
    },
  };
}
