import 'reflect-metadata';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApolloServer, type ApolloServerPlugin, type BaseContext } from '@apollo/server';
import { unwrapResolverError } from '@apollo/server/errors';
import { ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { fastifyApolloDrainPlugin } from '@as-integrations/fastify';
import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { GraphQLFormattedError } from 'graphql';
import type { RequestContext } from '../resolvers/common/context';
import { ErrorCode } from '../core/errors';
import type { Warehouse } from '../warehouse/db';
import { reportQueue, type ReportQueue } from '../warehouse/exports/downloads-queue';
import { newOwnerSecret, ownerFilePath, removeOwnerFile, writeOwnerFile } from '../warehouse/owner';
import { ingestionQueue, type IngestionQueue } from '../etl/ingest/queue';
import { checkBudgetAlerts, watchBudgetAlerts } from '../warehouse/billing/budget-alerts';
import { adminPortalUrl } from '../warehouse/accounts/relationship-requests';
import { now as clockNow } from '../warehouse/clock';
import { registerSyncService, SyncService, syncIntervalFromEnv } from '../etl/sync/service';
import { ingestRoutes, maxUploadBytesFromEnv } from './ingest-routes';
import { syncRoutes } from './sync-routes';
import { apiKeyVerifier, loadAuthConfig, type AuthConfig } from './auth';
import { corsOrigins, defaultHost, defaultPort, isDevelopment, parseSubgraphUrls } from './config';
import { corsPlugin } from './plugins/common';
import { subgraphContext, type GatewayContext } from './context';
import { createGateway } from './gateway';
import { graphqlRoute } from './graphql-route';
import { ideRoutes } from './ide-route';
import { landingRoute } from './landing-route';
import { subscriptionsOverHttpRefused } from './live-http';
import { unresolvedOperationRefused } from './operation-resolution';
import { liveSocket } from './live-socket';
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
  /**
   * Write the owner file beside the warehouse once listening (warehouse/owner.ts), so that the CLI
   * works through this server, and remove it at shutdown. Default: in gateway mode with a warehouse
   * file and the product routes.
   */
  ownerFile?: boolean;
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
  /** The owner file written for this server (warehouse/owner.ts), or null. */
  ownerFile: string | null;
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
  const serving = Boolean(warehouse && !options.subgraph && !options.routes);
  // Settings read per request are checked here: a bad one stops the start, not a user's request later.
  if (warehouse) adminPortalUrl();
  const owner = (options.ownerFile ?? serving) && warehouse && ownerFilePath(warehouse.path) ? { secret: newOwnerSecret(), written: false } : null;
  // API keys live in the warehouse; without one (all subgraphs remote) keys are refused with 401.
  const http = createHttpServer({
    auth,
    log,
    routes: options.routes,
    apiKeys: warehouse ? apiKeyVerifier(warehouse) : undefined,
    operatorSecret: () => (owner?.written ? owner.secret : null),
  });
  // CORS (PI_CORS_ORIGINS) before any route, so that its preflight route and hooks cover them all.
  const cors = corsPlugin(corsOrigins());
  if (cors) http.app.register(cors);
  const input = { options, auth, log, subgraphs, apolloOptions: apolloOptions(log, options.limits ?? limitsFromEnv(), http.app) };
  const mode = options.subgraph ? await subgraphMode(input) : await gatewayMode(input);
  await mode.apollo.start();
  const queue = await startReportQueue(options, subgraphs, log);
  const ingestion = serving && warehouse ? await startIngestion(warehouse, log) : null;
  for (const plugin of routePlugins(options, mode, http, log, auth)) http.app.register(plugin);
  const live = await liveSocketPlugin(options, subgraphs, auth, log);
  if (live) http.app.register(live);
  for (const plugin of ingestion?.plugins ?? []) http.app.register(plugin);
  const releaseOwner = () => {
    if (owner?.written && warehouse) removeOwnerFile(warehouse.path, owner.secret);
    if (owner) owner.written = false;
  };
  // Apollo's drain plugin closes the HTTP server first: stopping Apollo stops everything. Loads
  // still running finish after the HTTP drain (the queue takes no more), then the owner file goes.
  const stop = async () => {
    try {
      await mode.apollo.stop();
      await ingestion?.close();
      await queue?.stop();
    } finally {
      releaseOwner();
      process.off('exit', releaseOwner);
    }
  };
  let listening;
  try {
    listening = await http.listen(options.port ?? defaultPort(), options.host ?? defaultHost());
  } catch (err) {
    await stop();
    throw err;
  }
  let ownerFile: string | null = null;
  if (owner && warehouse) {
    try {
      writeOwnerFile(warehouse.path, { url: localUrl(options.host ?? defaultHost(), listening.port), secret: owner.secret });
      owner.written = true;
      ownerFile = ownerFilePath(warehouse.path);
      // A process that exits without close() (an uncaught error) still removes it; a kill -9 leaves
      // it stale, which readers ignore (its pid is gone).
      process.once('exit', releaseOwner);
    } catch (err) {
      log.warn({ err }, 'could not write the owner file: the CLI cannot work through this server');
    }
  }
  log.info({ url: listening.url, mode: options.subgraph ? `subgraph ${options.subgraph}` : 'gateway', ownerFile }, 'listening');
  let closing: Promise<void> | null = null;
  const close = () =>
    (closing ??= (async () => {
      log.info('shutting down: no new connections, finishing requests in flight');
      await stop();
      log.info('stopped');
    })());
  return { url: listening.url, graphqlUrl: `${listening.url}/graphql`, port: listening.port, hints: mode.hints, close, ownerFile };
}

/** The URL a process of this host reaches the server at (the owner file's): loopback for a wildcard address. */
function localUrl(host: string, port: number): string {
  const address = host === '0.0.0.0' || host === '' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return `http://${address.includes(':') ? `[${address}]` : address}:${port}`;
}

/**
 * The ingestion queue of the serving process (one, over the warehouse: loads run one at a time)
 * and its routes (gateway/ingest-routes.ts). Jobs a stopped server left QUEUED or RUNNING are
 * marked FAILED first (failInterruptedJobs, through queue.start). close(): after the HTTP drain,
 * no new jobs, waiting ones FAILED, the running one finishes; then the uploads directory goes.
 */
async function startIngestion(warehouse: Warehouse, log: Logger): Promise<{ plugins: FastifyPluginAsync[]; close(): Promise<void> }> {
  // The warehouse's one queue in this process (etl/ingest/queue.ts ingestionQueue): whatever else
  // enqueues in this process shares it, so loads stay one at a time.
  const queue = ingestionQueue(warehouse, { log });
  await queue.start();
  // Budget alerts: after each load job, and now for what loads made while no server ran.
  const stopBudgetAlerts = watchBudgetAlerts(warehouse, queue, { now: () => clockNow(), log });
  await checkBudgetAlerts(warehouse, clockNow()).catch((err) => log.warn({ err }, 'budget alerts: check at start failed'));
  const uploadDir = await mkdtemp(join(tmpdir(), 'pi-uploads-'));
  const routes = ingestRoutes({ warehouse, queue, log, uploadDir, maxUploadBytes: maxUploadBytesFromEnv() });
  const syncs = await startSyncs(warehouse, queue, log);
  return {
    plugins: [...routes.plugins, syncRoutes({ warehouse, syncs, log })],
    async close() {
      try {
        const syncing = syncs.close();
        await queue.close();
        await syncing;
      } finally {
        stopBudgetAlerts();
        routes.close();
        await rm(uploadDir, { recursive: true, force: true });
      }
    },
  };
}

/**
 * The Partner Center syncs of the serving process (etl/sync/service.ts): startSync, the HTTP route
 * of the CLI, and a sync every PI_SYNC_INTERVAL when set. Syncs a stopped process left RUNNING are
 * marked FAILED first. A bad PI_SYNC_INTERVAL stops the start with its message.
 */
async function startSyncs(warehouse: Warehouse, queue: IngestionQueue, log: Logger): Promise<SyncService> {
  const syncs = registerSyncService(warehouse, new SyncService(warehouse, queue, { log }));
  await syncs.start();
  const interval = syncIntervalFromEnv();
  if (interval) {
    syncs.schedule(interval);
    log.info({ everyMinutes: interval / 60_000 }, 'Partner Center sync scheduled (PI_SYNC_INTERVAL)');
  }
  return syncs;
}

function apolloOptions(log: Logger, limits: QueryLimits, app: FastifyInstance) {
  // No Apollo landing page (it loads Apollo's from a CDN): browsers get the offline IDE, gateway/ide-route.ts.
  const plugins: ApolloServerPlugin<any>[] = [
    unresolvedOperationRefused(),
    subscriptionsOverHttpRefused(),
    queryLimitsPlugin(limits),
    observabilityPlugin(log),
    fastifyApolloDrainPlugin(app),
    ApolloServerPluginLandingPageDisabled(),
  ];
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

/** /healthz, /readyz, /metrics, /graphql (with the IDE for browsers), /, then the product routes (or the node:http `routes` given instead). */
function routePlugins(options: StartServerOptions, mode: GraphqlMode, http: HttpServer, log: Logger, auth: AuthConfig): FastifyPluginAsync[] {
  const { warehouse } = options;
  const product = Boolean(!options.routes && warehouse && !options.subgraph);
  return [
    opsRoutes({ readiness: mode.readiness, isShuttingDown: () => http.shuttingDown }),
    graphqlRoute(mode.apollo, mode.contextFor),
    // GET /graphql from a browser: the IDE, and its files under /ide/; GET /: the landing page.
    ideRoutes({ log }),
    landingRoute({ warehousePath: warehouse?.path, subgraph: options.subgraph, productRoutes: product }),
    // File exports, report downloads and the executive report (gateway/routes.ts), in gateway mode.
    ...(product ? productRoutes(warehouse!, log, auth) : []),
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
      subgraphContext({ auth, warehouse, authorization: request.authorization ?? undefined, requestId: request.id, log, bounds: request.bounds }),
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
      bounds: request.bounds,
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

/**
 * Subscriptions over WebSocket at /graphql (gateway/live-socket.ts), where the live subgraph runs in
 * process with the warehouse: the gateway (unless PI_SUBGRAPH_URLS names it) or `serve --subgraph live`.
 */
async function liveSocketPlugin(options: StartServerOptions, subgraphs: readonly SubgraphDefinition[], auth: AuthConfig, log: Logger): Promise<FastifyPluginAsync | null> {
  const { warehouse } = options;
  const live = subgraphs.find((s) => s.name === 'live');
  const runsLive = options.subgraph ? options.subgraph === 'live' : !(options.subgraphUrls ?? parseSubgraphUrls()).live;
  if (!warehouse || !live || !runsLive) return null;
  const { schema } = await buildSubgraph(live);
  return liveSocket({ schema, warehouse, auth, apiKeys: apiKeyVerifier(warehouse), log });
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
const KNOWN_CODES = new Set<string>([
  ...Object.values(ErrorCode),
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
