import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyRequest } from 'fastify';
import type { Logger } from '../logger';
import { isPercentDecodable, parseUrl, requestUrl, sharedPlugin } from './common';

/**
 * Request ids and the access log: `x-request-id` is echoed when the client sent a sane one and
 * generated otherwise, and every response gets one log line (probes and scrapes at debug, so that
 * info shows what users do).
 */

/** Fastify's genReqId: the client's x-request-id when it is 1-128 of [A-Za-z0-9_.:-], else a UUID. */
export function requestIdOf(req: IncomingMessage): string {
  const header = req.headers['x-request-id'];
  return typeof header === 'string' && /^[\w.:-]{1,128}$/.test(header) ? header : randomUUID();
}

/**
 * Fastify's rewriteUrl: routes match the WHATWG-normalised path (as they always have), and a path
 * that is not valid percent-encoding is routed with its "%" escaped, so that it reaches its route
 * (which answers 400 or 404 behind its authentication) instead of Fastify's bare 400.
 * request.originalUrl keeps what the client sent.
 */
export function routingUrl(req: IncomingMessage): string {
  const url = parseUrl(req.url);
  const path = isPercentDecodable(url.pathname) ? url.pathname : url.pathname.replace(/%/g, '%25');
  return path + url.search;
}

export const requestLog = sharedPlugin<{ log: Logger }>('request-log', async (app, { log }) => {
  app.addHook('onRequest', async (request, reply) => {
    // On the raw response: also there for routes that write it themselves (hijacked replies).
    reply.raw.setHeader('x-request-id', request.id);
    const started = process.hrtime.bigint();
    reply.raw.once('close', () => logRequest(log, request, reply.raw.headersSent ? reply.raw.statusCode : 499, started));
  });
});

function logRequest(log: Logger, request: FastifyRequest, status: number, started: bigint): void {
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  const entry = { requestId: request.id, method: request.method, path: requestUrl(request).pathname, status, ms: Math.round(ms * 10) / 10 };
  const { config } = request.routeOptions;
  if (config.name && !config.auth && status < 400) log.debug(entry, 'request');
  else log.info(entry, 'request');
}
