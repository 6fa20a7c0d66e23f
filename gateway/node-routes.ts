import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Route, RouteContext } from './http';
import { sendJson } from './node-io';
import type { Logger } from './logger';
import { requestUrl } from './plugins/common';

/**
 * Mounts routes written against node:http (`Route`: handle(req, res, ctx)) on Fastify, behind the
 * same request ids, authentication, metrics and drain: the `routes` option of startServer. The
 * reply is hijacked, the route writes the raw response; the body is left unread for it.
 */
export function nodeRoutes(routes: readonly Route[], log: Logger): FastifyPluginAsync {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', (_request, _payload, done) => done(null, undefined));
    for (const route of routes) {
      app.route({
        method: [...route.methods],
        url: route.path,
        config: { name: route.name, auth: route.auth, acceptsApiKey: route.acceptsApiKey },
        handler: (request, reply) => handleWith(route, request, reply, log),
      });
    }
  };
}

async function handleWith(route: Route, request: FastifyRequest, reply: FastifyReply, log: Logger): Promise<void> {
  reply.hijack();
  const ctx: RouteContext = { requestId: request.id, url: requestUrl(request), log };
  if (request.caller) ctx.caller = request.caller;
  if (request.authorization !== null) ctx.authorization = request.authorization;
  try {
    await route.handle(request.raw, reply.raw, ctx);
  } catch (err) {
    failHijacked(request, reply, err, log);
  }
}

/** An error in a route that writes its own response: 500 if nothing was sent yet, else the connection is cut. */
export function failHijacked(request: FastifyRequest, reply: FastifyReply, err: unknown, log: Logger): void {
  log.error({ requestId: request.id, err }, 'request failed');
  if (!reply.raw.headersSent) sendJson(reply.raw, 500, { error: 'internal server error', requestId: request.id });
  else reply.raw.destroy();
}
