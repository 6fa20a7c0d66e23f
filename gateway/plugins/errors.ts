import { STATUS_CODES } from 'node:http';
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ERROR_OUTCOMES, isDomainError } from '../../core/errors';
import { AuthError } from '../auth';
import type { Logger } from '../logger';
import { requestUrl, sharedPlugin } from './common';

/**
 * Every error response of the HTTP server, in one place:
 *
 *   HttpError     its status, JSON body and headers, as the route built them
 *   AuthError     401 { error: "unauthorized", message } with WWW-Authenticate
 *   DomainError   ERROR_OUTCOMES[code]: { error, message, code, ...route's errorDetails, ...details }
 *   schema        the route's explainInvalid (its usual message), else 400 with the validator's
 *   Fastify 4xx   that status, { error, message }
 *   anything else logged, 500 { error: "internal server error", requestId }
 *
 * and the answers for paths no route takes: 404 { error: "no route for <path>" }, or 405 with
 * Allow when routes take the path with other methods.
 */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(String(body.message ?? body.error));
  }
}

interface RouteEntry {
  name: string;
  path: string;
  methods: string[];
}

export const errorResponses = sharedPlugin<{ log: Logger }>('error-responses', async (app, { log }) => {
  const routes: RouteEntry[] = [];
  app.addHook('onRoute', ({ method, url, config }) => {
    routes.push({ name: config?.name ?? url, path: url, methods: ([] as string[]).concat(method) });
  });
  app.setNotFoundHandler((request, reply) => send(reply, noRoute(routes, request)));
  app.setErrorHandler((error: FastifyError, request, reply) => {
    if (reply.raw.headersSent) {
      log.error({ requestId: request.id, err: error }, 'request failed');
      return void reply.raw.destroy();
    }
    return send(reply, toHttpError(explained(error, request), request, log));
  });
});

export function send(reply: FastifyReply, error: HttpError): FastifyReply {
  return reply.code(error.status).headers(error.headers).send(error.body);
}

function noRoute(routes: RouteEntry[], request: FastifyRequest): HttpError {
  const { pathname } = requestUrl(request);
  const candidates = routes.filter((r) => matches(r.path, pathname));
  if (!candidates.length) return new HttpError(404, { error: `no route for ${pathname}` });
  request.routeLabel = candidates[0].name;
  // A path may have several routes of one method (GET /graphql: the API, and the IDE for browsers).
  const allow = [...new Set(candidates.flatMap((r) => r.methods))].join(', ');
  return new HttpError(405, { error: `method ${request.method} not allowed; use ${allow}` }, { allow });
}

function matches(path: string, pathname: string): boolean {
  return path.endsWith('/*') ? pathname.startsWith(path.slice(0, -1)) : pathname === path;
}

/** A schema validation error becomes the error the route gives for that input. */
function explained(error: FastifyError, request: FastifyRequest): unknown {
  if (!error.validation) return error;
  try {
    request.routeOptions.config.explainInvalid?.(request);
  } catch (explanation) {
    return explanation;
  }
  return new HttpError(400, { error: 'bad request', message: error.message });
}

function toHttpError(error: unknown, request: FastifyRequest, log: Logger): HttpError {
  if (error instanceof HttpError) return error;
  if (error instanceof AuthError) {
    return new HttpError(401, { error: 'unauthorized', message: error.message }, {
      'www-authenticate': `Bearer error="invalid_token", error_description="${error.message.replace(/["\\]/g, "'")}"`,
    });
  }
  if (isDomainError(error)) {
    const outcome = ERROR_OUTCOMES[error.code];
    const hint = request.routeOptions.config.errorDetails?.[error.code] ?? {};
    return new HttpError(outcome.status, { error: outcome.error, message: error.message, code: error.code, ...hint, ...error.details });
  }
  const status = (error as FastifyError).statusCode;
  if (status && status >= 400 && status < 500) {
    return new HttpError(status, { error: (STATUS_CODES[status] ?? 'bad request').toLowerCase(), message: (error as Error).message });
  }
  log.error({ requestId: request.id, err: error }, 'request failed');
  return new HttpError(500, { error: 'internal server error', requestId: request.id });
}
