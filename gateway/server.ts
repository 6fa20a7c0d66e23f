import 'reflect-metadata';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { GraphQLFormattedError } from 'graphql';
import type { RequestContext } from '../resolvers/common/context';
import type { Warehouse } from '../warehouse/db';
import { reportQueue, type ReportQueue } from '../warehouse/exports/downloads-queue';
import { apiKeyVerifier, loadAuthConfig, type AuthConfig } from './auth';
import { defaultHost, defaultPort, isDevelopment, parseSubgraphUrls } from './config';
import { subgraphContext, type GatewayContext } from './context';
import { createGateway } from './gateway';
import { graphqlRoute } from './graphql-route';
import { createHttpServer, type HttpServer, type Route } from './http';
import { opsRoutes } from './ops-routes';
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
  /**
   * Routes written for node:http, besides GraphQL, health and metrics; given, they replace the
   * product routes (default in gateway mode: productRoutes, gateway/routes.ts).
   */
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

/** What serves /graphql: Apollo Server over the gateway or over one subgraph. */
interface GraphqlMode {
  apollo: ApolloServer<any>;
  contextFor: (request: FastifyRequest) => Promise<BaseContext>;
  hints: string[];
  /** Why the server is not ready (null when it is). */
  readiness: () => Promise<string | null>;
}

interface ModeInput {
  options: StartServerOptions;
  auth: AuthConfig;
  log: Logger;
  subgraphs: readonly SubgraphDefinition[];
  apolloOptions: ReturnType<typeof apolloOptions>;
}

/**
 * Starts the HTTP server: by default the gateway over every subgraph, in one process on one port;
 * with `subgraph`, that subgraph alone. Returns once listening.
 */
export async function startServer(options: StartServerOptions = {}): Promise<RunningServer> {
  const log = options.logger ?? createLogger();
  const auth = options.auth ?? loadAuthConfig();
  const subgraphs = options.subgraphs ?? SUBGRAPHS;
  const { warehouse } = options;
  // API keys live in the warehouse; without one (all subgraphs remote) keys are refused with 401.
  const http = createHttpServer({ auth, log, routes: options.routes, apiKeys: warehouse ? apiKeyVerifier(warehouse) : undefined });
  const input = { options, auth, log, subgraphs, apolloOptions: apolloOptions(log, options.limits ?? limitsFromEnv(), http.app) };
  const mode = options.subgraph ? await subgraphMode(input) : await gatewayMode(input);
  await mode.apollo.start();
  const queue = await startReportQueue(options, subgraphs, log);
  for (const plugin of routePlugins(options, mode, http, log)) http.app.register(plugin);
  // Apollo's drain plugin closes the HTTP server first: stopping Apollo stops everything.
  const stop = async () => {
    await mode.apollo.stop();
    await queue?.stop();
  };
  let listening;
  try {
    listening = await http.listen(options.port ?? defaultPort(), options.host ?? defaultHost());
  } catch (err) {
    await stop();
    throw err;
  }
  log.info({ url: listening.url, mode: options.subgraph ? `subgraph ${options.subgraph}` : 'gateway' }, 'listening');
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      log.info('shutting down: no new connections, finishing requests in flight');
      await stop();
      log.info('stopped');
    })());
  return { url: listening.url, graphqlUrl: `${listening.url}/graphql`, port: listening.port, hints: mode.hints, close };
}

function apolloOptions(log: Logger, limits: QueryLimits, app: FastifyInstance) {
  const plugins: ApolloServerPlugin<any>[] = [queryLimitsPlugin(limits), observabilityPlugin(log), fastifyApolloDrainPlugin(app)];
  return {
    introspection: true,
    includeStacktraceInErrorResponses: isDevelopment(),
    formatError: (formatted: GraphQLFormattedError, error: unknown) => formatError(formatted, error, log),
    logger: apolloLogger(log),
    plugins,
    // Shutdown is ours (closeOnSignal): Apollo's own handler would re-raise the signal mid-drain.
    stopOnTerminationSignals: false,
  };
}

/** /healthz, /readyz, /metrics, /graphql, then the product routes (or the node:http `routes` given instead). */
function routePlugins(options: StartServerOptions, mode: GraphqlMode, http: HttpServer, log: Logger): FastifyPluginAsync[] {
  const { warehouse } = options;
  return [
    opsRoutes({ readiness: mode.readiness, isShuttingDown: () => http.shuttingDown }),
    graphqlRoute(mode.apollo, mode.contextFor),
    // File exports, report downloads and the executive report (gateway/routes.ts), in gateway mode.
    ...(!options.routes && warehouse && !options.subgraph ? productRoutes(warehouse, log) : []),
  ];
}

/** One subgraph alone: its schema (with _service and _entities), its own context from the token. */
async function subgraphMode({ options, auth, log, subgraphs, apolloOptions }: ModeInput): Promise<GraphqlMode> {
  const { warehouse } = options;
  if (!warehouse) throw new Error(`serving subgraph ${options.subgraph} needs a warehouse`);
  const built = await buildSubgraph(findSubgraph(options.subgraph!, subgraphs));
  return {
    apollo: new ApolloServer<RequestContext>({ ...apolloOptions, schema: built.schema }),
    contextFor: (request) =>
      subgraphContext({ auth, warehouse, authorization: request.authorization ?? undefined, requestId: request.id, log }),
    hints: [],
    readiness: () => warehouseReady(warehouse),
  };
}

/** The gateway: subgraphs in process, or over HTTP for those in subgraphUrls. */
async function gatewayMode({ options, auth, log, subgraphs, apolloOptions }: ModeInput): Promise<GraphqlMode> {
  const { warehouse } = options;
  const remoteUrls = options.subgraphUrls ?? parseSubgraphUrls();
  for (const name of Object.keys(remoteUrls)) findSubgraph(name, subgraphs);
  const local = subgraphs.filter((s) => !remoteUrls[s.name]);
  if (local.length && !warehouse) throw new Error(`subgraphs ${local.map((s) => s.name).join(', ')} run in process and need a warehouse`);
  const created = await createGateway({ subgraphs, remoteUrls, warehouse, auth, log });
  for (const hint of created.hints) log.warn({ hint }, 'supergraph composition hint');
  return {
    // @apollo/gateway 2.14 implements the v1 gateway interface, which Apollo Server 5 still accepts.
    apollo: new ApolloServer<GatewayContext>({ ...apolloOptions, gateway: created.gateway as any }),
    contextFor: async (request): Promise<GatewayContext> => ({
      authorization: request.authorization ?? '',
      requestId: request.id,
      caller: request.caller!,
      subgraphContexts: new Map(),
    }),
    hints: created.hints,
    readiness: () => gatewayReady(local.length && warehouse ? warehouse : undefined, remoteUrls),
  };
}

async function gatewayReady(warehouse: Warehouse | undefined, remoteUrls: Record<string, string>): Promise<string | null> {
  if (warehouse) {
    const problem = await warehouseReady(warehouse);
    if (problem) return problem;
  }
  for (const [name, url] of Object.entries(remoteUrls)) {
    const problem = await remoteReady(url);
    if (problem) return `subgraph ${name}: ${problem}`;
  }
  return null;
}

/** Report generation runs where the exports subgraph runs in process (it holds the warehouse). */
async function startReportQueue(options: StartServerOptions, subgraphs: readonly SubgraphDefinition[], log: Logger): Promise<ReportQueue | null> {
  const { warehouse } = options;
  const runsExports = options.subgraph ? options.subgraph === 'exports' : !(options.subgraphUrls ?? parseSubgraphUrls()).exports;
  if (!warehouse || !runsExports || !subgraphs.some((s) => s.name === 'exports')) return null;
  const queue = reportQueue(warehouse);
  await queue.start(log);
  return queue;
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
