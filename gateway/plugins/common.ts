import type { FastifyInstance, FastifyPluginAsync, FastifyRequest } from 'fastify';
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

/** Fields every request gets before its hooks run. */
export function decorateRequests(app: FastifyInstance): void {
  app.decorateRequest('caller', null);
  app.decorateRequest('authorization', null);
  app.decorateRequest('routeLabel', 'unmatched');
  app.addHook('onRequest', async (request) => {
    request.routeLabel = request.routeOptions.config.name ?? 'unmatched';
  });
}
