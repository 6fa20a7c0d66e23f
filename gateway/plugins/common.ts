import type { ServerResponse } from 'node:http';
import fastifyCors from '@fastify/cors';
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../../core/caller';
import type { ErrorCode } from '../../core/errors';

/**
 * What the gateway's Fastify plugins share: the per-route config they read, the request fields
 * they fill, and small helpers.
 */
declare module 'fastify' {
  interface FastifyContextConfig {
    /** Route label in metrics and logs, e.g. "graphql", "exports". */
    name?: string;
    /** Verify the caller first (401 JSON without a valid bearer token). */
    auth?: boolean;
    /** With auth: an API key is accepted as well as a bearer JWT. */
    acceptsApiKey?: boolean;
    /**
     * When the route's params/querystring schema rejects a request: throws the error the route has
     * always answered for that input (the domain's message), instead of the schema validator's.
     */
    explainInvalid?: (request: FastifyRequest) => void;
    /** Extra fields for the JSON error body of a DomainError of a given code on this route. */
    errorDetails?: Partial<Record<ErrorCode, Record<string, unknown>>>;
  }
  interface FastifyRequest {
    /** The verified caller (routes with auth). */
    caller: Caller | null;
    /** The Authorization header as sent, for forwarding (null when an API key authenticated). */
    authorization: string | null;
    /** Route label for metrics: the route's name, "unmatched", or the path's route on a 405. */
    routeLabel: string;
  }
}

/**
 * A plugin whose hooks, decorators and handlers apply to the instance it is registered on (what
 * the fastify-plugin package does: Fastify's documented skip-override symbol).
 */
export function sharedPlugin<T extends Record<string, unknown>>(name: string, plugin: FastifyPluginAsync<T>): FastifyPluginAsync<T> {
  const marked = plugin as FastifyPluginAsync<T> & Record<symbol, unknown>;
  marked[Symbol.for('skip-override')] = true;
  marked[Symbol.for('fastify.display-name')] = name;
  return plugin;
}

/** The request URL as the client sent it (before routing normalisation), parsed. */
export function requestUrl(request: FastifyRequest): URL {
  return parseUrl(request.originalUrl);
}

export function parseUrl(raw: string | undefined): URL {
  try {
    return new URL(raw ?? '/', 'http://localhost');
  } catch {
    return new URL('/', 'http://localhost');
  }
}

/** The rest of the (not decoded) path after a route's prefix, e.g. the id of /downloads/<id>. */
export function pathAfter(request: FastifyRequest, prefix: string): string {
  return requestUrl(request).pathname.slice(prefix.length);
}

export function isPercentDecodable(text: string): boolean {
  try {
    decodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
}

/**
 * Cuts a response whose client takes nothing for `idleMs` (0: never): a download to a client that
 * stopped reading would otherwise hold its file and socket for good. Node's socket timeout: the
 * connection is closed once no write has completed for a whole period, so between one and two
 * periods after the client stopped. Set once the body starts; the keep-alive timeout takes over
 * when the response ends.
 */
export function cutWhenIdle(res: ServerResponse, idleMs: number): void {
  if (idleMs > 0) res.setTimeout(idleMs, () => res.destroy());
}

/** Fields every request gets before its hooks run. */
export function decorateRequests(app: FastifyInstance): void {
  app.decorateRequest('caller', null);
  app.decorateRequest('authorization', null);
  app.decorateRequest('routeLabel', 'unmatched');
  app.addHook('onRequest', async (request) => {
    request.routeLabel = request.routeOptions.config.name ?? 'unmatched';
  });
}

/** Request headers a browser may send cross-origin (besides the CORS-safelisted ones). */
export const CORS_ALLOWED_HEADERS = [
  'authorization',
  'content-type',
  'x-api-key',
  'x-request-id',
  'if-none-match',
  'if-modified-since',
  // Apollo's CSRF prevention asks browsers for one of these on GET /graphql.
  'apollo-require-preflight',
  'x-apollo-operation-name',
] as const;

/** Response headers a cross-origin script may read (besides the CORS-safelisted ones). */
export const CORS_EXPOSED_HEADERS = ['content-disposition', 'content-length', 'etag', 'last-modified', 'x-export-rows', 'x-request-id', 'server-timing', 'www-authenticate', 'location'] as const;

/** Methods the routes take: GET and HEAD (exports, downloads, reports), POST (GraphQL, ingestion). */
const CORS_METHODS = ['GET', 'HEAD', 'POST'];

/** How long a browser may keep a preflight's answer, seconds (Chromium caps it at 7,200). */
const CORS_MAX_AGE = 600;

/**
 * CORS for the origins of PI_CORS_ORIGINS (gateway/config.ts corsOrigins), with @fastify/cors;
 * null (no plugin, no CORS header anywhere) when there are none. A listed origin gets
 * Access-Control-Allow-Origin with that origin and Access-Control-Allow-Credentials; "*" gets "*"
 * and never credentials (the Fetch standard refuses the pair, and any site could then read a
 * signed-in user's answers). Other origins, and requests without Origin, get no CORS header, and
 * their preflight the route's 404 or 405. Preflights (OPTIONS with Origin and
 * Access-Control-Request-Method) are answered 204 before authentication, naming CORS_METHODS and
 * CORS_ALLOWED_HEADERS, cached CORS_MAX_AGE seconds.
 *
 * @fastify/cors adds its headers in an onRequest hook, which runs after authentication's: the 401
 * of a missing or bad token is given the same headers on its way out (onSend), so that a page can
 * read why. Routes that write their own response (exports) send the headers the hooks set.
 */
export function corsPlugin(origins: readonly string[] | '*'): FastifyPluginAsync | null {
  if (origins !== '*' && origins.length === 0) return null;
  const any = origins === '*';
  const allowed = (origin: string | undefined): origin is string => origin !== undefined && (any || origins.includes(origin));
  return sharedPlugin('cors', async (app) => {
    await app.register(fastifyCors, {
      origin: any ? '*' : (origin, callback) => callback(null, allowed(origin) ? origin! : false),
      credentials: !any,
      methods: CORS_METHODS,
      allowedHeaders: [...CORS_ALLOWED_HEADERS],
      exposedHeaders: [...CORS_EXPOSED_HEADERS],
      maxAge: CORS_MAX_AGE,
      strictPreflight: true,
    });
    app.addHook('onSend', async (request, reply, payload) => {
      const origin = request.headers.origin;
      if (!reply.hasHeader('access-control-allow-origin') && allowed(origin)) corsHeaders(reply, any ? '*' : origin, !any);
      return payload;
    });
  });
}

function corsHeaders(reply: FastifyReply, allowOrigin: string, credentials: boolean): void {
  reply.header('access-control-allow-origin', allowOrigin);
  if (credentials) reply.header('access-control-allow-credentials', 'true');
  reply.header('access-control-expose-headers', CORS_EXPOSED_HEADERS.join(', '));
  if (allowOrigin !== '*') {
    const vary = String(reply.getHeader('vary') ?? '');
    if (!/(^|,)\s*origin\s*(,|$)/i.test(vary)) reply.header('vary', vary ? `${vary}, Origin` : 'Origin');
  }
}
