import type { ApolloServer, BaseContext } from '@apollo/server';
import { fastifyApolloHandler } from '@as-integrations/fastify';
import type { FastifyError, FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { readBody } from './node-io';
import { HttpError } from './plugins/errors';
import { queryTimeoutFromEnv, requestBounds } from './plugins/request-bounds';

/**
 * GET|POST /graphql: Apollo Server through @as-integrations/fastify, bearer token required (API
 * keys refused). Bodies as Apollo has always had them here: JSON for any content type naming json,
 * the text otherwise (Apollo then answers, CSRF prevention included), at most maxBodyBytes.
 *
 *   400 { errors: [{ message: "request body is not valid JSON", extensions: { code: "BAD_REQUEST" } }] }
 *   413 { errors: [{ message: "request body is larger than N bytes" }] }
 *
 * Each request's warehouse reads are bounded (`request.bounds`, for contextFor to pass on): stopped
 * after queryTimeoutMs (PI_QUERY_TIMEOUT_MS) or when the client goes.
 */
export function graphqlRoute<TContext extends BaseContext>(
  apollo: ApolloServer<TContext>,
  contextFor: (request: FastifyRequest) => Promise<TContext>,
  maxBodyBytes = 1_000_000,
  queryTimeoutMs = queryTimeoutFromEnv(),
): FastifyPluginAsync {
  return async (app) => {
    await app.register(requestBounds, { timeoutMs: queryTimeoutMs });
    const handler = fastifyApolloHandler(apollo, { context: (request) => contextFor(request) }) as unknown as RouteHandler;
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'string', bodyLimit: maxBodyBytes }, async (request: FastifyRequest, text: string | Buffer) =>
      parseBody(request.headers['content-type'], String(text)),
    );
    app.setErrorHandler(async (error: FastifyError, request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') throw tooLarge(maxBodyBytes);
      if (error.code !== 'FST_ERR_CTP_INVALID_MEDIA_TYPE') throw error;
      // A content type Fastify cannot parse: Apollo gets the text and answers it.
      return retryWithText(request, reply, maxBodyBytes, handler);
    });
    // Thrown here rather than by the parser, which would close the connection.
    app.addHook('preValidation', async (request) => {
      if (request.body === INVALID_JSON) throw invalidJson();
    });
    app.route({
      method: ['GET', 'POST'],
      url: '/graphql',
      bodyLimit: maxBodyBytes,
      config: { name: 'graphql', auth: true },
      handler,
    });
  };
}

type RouteHandler = (this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) => Promise<unknown>;

const INVALID_JSON = Symbol('invalid JSON');

function parseBody(contentType: string | undefined, text: string): unknown {
  if (!/json/i.test(contentType ?? '')) return text;
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return INVALID_JSON;
  }
}

function invalidJson(): HttpError {
  return new HttpError(400, { errors: [{ message: 'request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }] });
}

function tooLarge(maxBodyBytes: number): HttpError {
  return new HttpError(413, { errors: [{ message: `request body is larger than ${maxBodyBytes} bytes` }] });
}

async function retryWithText(
  request: FastifyRequest,
  reply: FastifyReply,
  maxBodyBytes: number,
  handler: RouteHandler,
): Promise<unknown> {
  const raw = await readBody(request.raw, maxBodyBytes);
  if (raw === null) throw tooLarge(maxBodyBytes);
  request.body = raw.toString('utf8');
  reply.code(200);
  return handler.call(reply.server, request, reply);
}
