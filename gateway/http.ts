import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Fastify, { LogController, type FastifyInstance } from 'fastify';
import type { Caller } from '../core/caller';
import type { ApiKeyVerifier, AuthConfig } from './auth';
import type { Logger } from './logger';
import { nodeRoutes } from './node-routes';
export { readBody, sendJson } from './node-io';
import { authenticate } from './plugins/authenticate';
import { decorateRequests } from './plugins/common';
import { drain, type DrainState } from './plugins/drain';
import { errorResponses } from './plugins/errors';
import { httpMetrics } from './plugins/http-metrics';
import { requestIdOf, requestLog, routingUrl } from './plugins/request-log';

/**
 * The HTTP server: Fastify, one plugin per concern (gateway/plugins/), one per route group.
 *
 *   GET|HEAD /healthz, /readyz; GET /metrics    ops-routes.ts, no auth
 *   GET|POST /graphql                           graphql-route.ts (Apollo Server), bearer token (API keys refused)
 *   GET|HEAD /downloads/*, /exports/*, /reports/executive    routes.ts, bearer token or API key
 *   /ingest/uploads, /ingest/loads, /ingest/status           ingest-routes.ts, token, API key or owner secret
 *   routes written for node:http (`Route`)      node-routes.ts: the `routes` option of startServer
 *
 * Unknown paths get 404 { error: "no route for <path>" }, known paths with another method 405 with
 * Allow; errors become JSON in one error handler (plugins/errors.ts).
 */
export interface RouteContext {
  /** The verified caller (routes with auth: true). */
  caller?: Caller;
  /** The Authorization header as sent, for forwarding (unset when an API key authenticated). */
  authorization?: string;
  requestId: string;
  url: URL;
  log: Logger;
}

/** A route written against node:http, mounted by nodeRoutes (node-routes.ts). */
export interface Route {
  /** Route label in metrics and logs, e.g. "graphql", "exports". */
  name: string;
  methods: readonly string[];
  /** Exact path ("/graphql") or a prefix ending in "/*" ("/exports/*"). */
  path: string;
  /** Verify the bearer token first (401 JSON without a valid one). */
  auth: boolean;
  /** With auth: an API key (see accounts API keys) is accepted as well as a bearer JWT. */
  acceptsApiKey?: boolean;
  handle(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> | void;
}

export interface HttpServerOptions {
  /** Routes written for node:http, mounted after the ones registered on `app`. */
  routes?: Route[];
  auth: AuthConfig;
  log: Logger;
  /** Resolves API keys for routes with acceptsApiKey (needs the warehouse; without it keys get 401). */
  apiKeys?: ApiKeyVerifier;
  /** How long close() lets requests in flight finish before closing their connections. */
  drainTimeoutMs?: number;
  /** The owner secret of this server (warehouse/owner.ts), for routes with config.acceptsOperator. */
  operatorSecret?: () => string | null;
}

export interface HttpServer {
  /** The Fastify instance: register route plugins on it before listen. */
  app: FastifyInstance;
  server: Server;
  listen(port: number, host: string): Promise<{ port: number; url: string }>;
  /** Stops accepting connections, lets in-flight requests finish (up to drainTimeoutMs), then closes the rest. */
  close(): Promise<void>;
  readonly shuttingDown: boolean;
}

export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { log } = options;
  const state: DrainState = { shuttingDown: false, inFlight: 0 };
  const app = fastifyFor(log);
  decorateRequests(app);
  app.register(requestLog, { log });
  app.register(httpMetrics);
  app.register(drain, { state, log, timeoutMs: options.drainTimeoutMs ?? 10_000 });
  app.register(errorResponses, { log });
  app.register(authenticate, { auth: options.auth, apiKeys: options.apiKeys, operatorSecret: options.operatorSecret });
  // Bodies are read by the routes that take them (graphql-route.ts); elsewhere they stay unread.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
  return {
    app,
    server: app.server,
    get shuttingDown() {
      return state.shuttingDown;
    },
    async listen(port, host) {
      if (options.routes?.length) app.register(nodeRoutes(options.routes, log));
      await app.listen({ port, host });
      const address = app.server.address() as AddressInfo;
      const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
      return { port: address.port, url: `http://${shownHost}:${address.port}` };
    },
    close: () => app.close(),
  };
}

function fastifyFor(log: Logger): FastifyInstance {
  return Fastify({
    loggerInstance: log,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestIdOf,
    requestIdHeader: false,
    rewriteUrl: routingUrl,
    exposeHeadRoutes: false,
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    // node:http's defaults, as before Fastify.
    keepAliveTimeout: 5_000,
    requestTimeout: 300_000,
    routerOptions: { querystringParser: firstValues, maxParamLength: 1024 },
  }) as unknown as FastifyInstance;
}

/** Query parameters as URLSearchParams.get reads them: the first value of each name. */
function firstValues(search: string): Record<string, string> {
  const values: Record<string, string> = Object.create(null);
  for (const [name, value] of new URLSearchParams(search)) if (!Object.hasOwn(values, name)) values[name] = value;
  return values;
}
