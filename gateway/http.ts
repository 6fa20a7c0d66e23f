import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HeaderMap, type ApolloServer, type BaseContext } from '@apollo/server';
import type { Caller } from '../core/caller';
import { AuthError, authenticateRequest, type ApiKeyVerifier, type AuthConfig } from './auth';
import type { Logger } from './logger';
import { httpRequests, registry } from './metrics';

/**
 * The HTTP server: plain node:http with a small route table.
 *
 *   GET  /healthz          liveness, no auth
 *   GET  /readyz           readiness (warehouse or remote subgraphs reachable), no auth
 *   GET  /metrics          Prometheus, no auth
 *   GET|POST /graphql      GraphQL (Apollo Server), bearer token required (API keys refused)
 *   ...  extra routes      e.g. /exports/* and /reports/*: pass them as `routes` to startServer
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
  routes: Route[];
  auth: AuthConfig;
  log: Logger;
  /** Largest request body accepted (bytes). */
  maxBodyBytes?: number;
  /** Resolves API keys for routes with acceptsApiKey (needs the warehouse; without it keys get 401). */
  apiKeys?: ApiKeyVerifier;
}

export interface HttpServer {
  server: Server;
  listen(port: number, host: string): Promise<{ port: number; url: string }>;
  /** Stops accepting connections, lets in-flight requests finish (up to timeoutMs), then closes the rest. */
  close(timeoutMs?: number): Promise<void>;
  readonly shuttingDown: boolean;
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function createHttpServer(options: HttpServerOptions): HttpServer {
  const { log } = options;
  let shuttingDown = false;
  let inFlight = 0;
  let drained: (() => void) | null = null;

  const server = createServer(async (req, res) => {
    inFlight++;
    const started = process.hrtime.bigint();
    const headerId = req.headers['x-request-id'];
    const requestId = typeof headerId === 'string' && /^[\w.:-]{1,128}$/.test(headerId) ? headerId : randomUUID();
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    const candidates = options.routes.filter((r) => matches(r.path, url.pathname));
    const route = candidates.find((r) => r.methods.includes(method));
    res.setHeader('x-request-id', requestId);
    if (shuttingDown) res.setHeader('connection', 'close');
    res.on('close', () => {
      const status = res.headersSent ? res.statusCode : 499;
      httpRequests.inc({ route: route?.name ?? (candidates.length ? candidates[0].name : 'unmatched'), method, status: String(status) });
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const entry = { requestId, method, path: url.pathname, status, ms: Math.round(ms * 10) / 10 };
      // Probes and scrapes at debug, so that info shows what users do.
      if (route && !route.auth && status < 400) log.debug(entry, 'request');
      else log.info(entry, 'request');
      inFlight--;
      if (inFlight === 0 && drained) drained();
    });

    try {
      if (!route) {
        if (candidates.length) {
          return sendJson(res, 405, { error: `method ${method} not allowed; use ${candidates.flatMap((r) => r.methods).join(', ')}` }, {
            allow: candidates.flatMap((r) => r.methods).join(', '),
          });
        }
        return sendJson(res, 404, { error: `no route for ${url.pathname}` });
      }
      const ctx: RouteContext = { requestId, url, log };
      if (route.auth) {
        const authorization = req.headers.authorization;
        const apiKey = req.headers['x-api-key'];
        try {
          const { caller, viaApiKey } = await authenticateRequest(
            options.auth,
            { authorization, apiKey: Array.isArray(apiKey) ? apiKey.join(',') : apiKey },
            { path: url.pathname, acceptsApiKey: route.acceptsApiKey === true, apiKeys: options.apiKeys },
          );
          ctx.caller = caller;
          // A key is never forwarded: it is not a token the subgraphs could verify.
          if (!viaApiKey) ctx.authorization = authorization;
        } catch (err) {
          if (!(err instanceof AuthError)) throw err;
          return sendJson(res, 401, { error: 'unauthorized', message: err.message }, {
            'www-authenticate': `Bearer error="invalid_token", error_description="${err.message.replace(/["\\]/g, "'")}"`,
          });
        }
      }
      await route.handle(req, res, ctx);
    } catch (err) {
      log.error({ requestId, err }, 'request failed');
      if (!res.headersSent) sendJson(res, 500, { error: 'internal server error', requestId });
      else res.destroy();
    }
  });

  return {
    server,
    get shuttingDown() {
      return shuttingDown;
    },
    listen(port, host) {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const address = server.address() as AddressInfo;
          const shownHost = host === '0.0.0.0' || host === '::' ? 'localhost' : host;
          resolve({ port: address.port, url: `http://${shownHost}:${address.port}` });
        });
      });
    },
    async close(timeoutMs = 10_000) {
      if (shuttingDown) return;
      shuttingDown = true;
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const idle = inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => (drained = resolve));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<void>((resolve) => {
        timer = setTimeout(() => {
          log.warn({ inFlight }, 'shutdown timeout: closing remaining connections');
          resolve();
        }, timeoutMs);
      });
      await Promise.race([idle, timeout]);
      clearTimeout(timer);
      server.closeAllConnections();
      await closed;
    },
  };
}

function matches(path: string, pathname: string): boolean {
  return path.endsWith('/*') ? pathname.startsWith(path.slice(0, -1)) : pathname === path;
}

/** Reads a request body up to a limit. */
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > maxBytes) tooLarge = true;
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The GraphQL route: hands the request to Apollo Server's executeHTTPGraphQLRequest. */
export function graphqlRoute<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  contextFor: (ctx: RouteContext) => Promise<TContext>,
  maxBodyBytes = 1_000_000,
): Route {
  return {
    name: 'graphql',
    methods: ['GET', 'POST'],
    path: '/graphql',
    auth: true,
    async handle(req, res, ctx) {
      const headers = new HeaderMap();
      for (const [key, value] of Object.entries(req.headers)) {
        if (value !== undefined) headers.set(key, Array.isArray(value) ? value.join(', ') : value);
      }
      let body: unknown;
      if (req.method === 'POST') {
        const raw = await readBody(req, maxBodyBytes);
        if (raw === null) return sendJson(res, 413, { errors: [{ message: `request body is larger than ${maxBodyBytes} bytes` }] });
        const text = raw.toString('utf8');
        if (/json/i.test(headers.get('content-type') ?? '')) {
          try {
            body = text === '' ? undefined : JSON.parse(text);
          } catch {
            return sendJson(res, 400, { errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
          }
        } else body = text;
      }
      const response = await apollo.executeHTTPGraphQLRequest({
        httpGraphQLRequest: { method: (req.method ?? 'GET').toUpperCase(), headers, search: ctx.url.search, body },
        context: () => contextFor(ctx),
      });
      for (const [key, value] of response.headers) res.setHeader(key, value);
      res.statusCode = response.status ?? 200;
      if (response.body.kind === 'complete') {
        res.end(response.body.string);
      } else {
        for await (const chunk of response.body.asyncIterator) res.write(chunk);
        res.end();
      }
    },
  };
}

export const healthRoute: Route = {
  name: 'healthz',
  methods: ['GET', 'HEAD'],
  path: '/healthz',
  auth: false,
  handle: (_req, res) => sendJson(res, 200, { status: 'ok' }),
};

export function readyRoute(check: () => Promise<string | null>, isShuttingDown: () => boolean): Route {
  return {
    name: 'readyz',
    methods: ['GET', 'HEAD'],
    path: '/readyz',
    auth: false,
    async handle(_req, res) {
      if (isShuttingDown()) return sendJson(res, 503, { status: 'unavailable', reason: 'shutting down' });
      let problem: string | null;
      try {
        problem = await check();
      } catch (err) {
        problem = (err as Error).message;
      }
      if (problem) sendJson(res, 503, { status: 'unavailable', reason: problem });
      else sendJson(res, 200, { status: 'ready' });
    },
  };
}

export const metricsRoute: Route = {
  name: 'metrics',
  methods: ['GET'],
  path: '/metrics',
  auth: false,
  async handle(_req, res) {
    const text = await registry.metrics();
    res.writeHead(200, { 'content-type': registry.contentType });
    res.end(text);
  },
};
