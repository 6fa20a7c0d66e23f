import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import { GraphQLError, getOperationAST, parse, validate, type DocumentNode, type ExecutionResult, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { Context as WsContext, SubscribePayload } from 'graphql-ws';
import { decodeJwt } from 'jose';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Caller } from '../core/caller';
import { ErrorCode } from '../core/errors';
import { createRequestContext } from '../resolvers/common/context';
import type { Warehouse } from '../warehouse/db';
import { AuthError, authenticateRequest, type ApiKeyVerifier, type AuthConfig } from './auth';
import { envInt } from './config';
import { LIVE_PATH } from './live-http';
import type { Logger } from './logger';

/**
 * GraphQL subscriptions over WebSocket (the graphql-ws protocol, subprotocol
 * "graphql-transport-ws") on the HTTP server's port and path (/graphql), executed with graphql's
 * `subscribe` against the live subgraph's own schema (resolvers/live), in this process: the one that
 * owns the warehouse and makes every change.
 *
 *   connect     ws://host/graphql; the token in connection_init's payload, `{ authorization: "Bearer <jwt>" }`,
 *               or in the upgrade request's Authorization header (clients that can set one). Verified as
 *               HTTP verifies it (gateway/auth.ts authenticateRequest: signature, claims, PI_REQUIRE_MFA;
 *               API keys refused, as on /graphql). Refused: closed with 4401 and the reason; a connection
 *               with no connection_init within PI_WS_INIT_TIMEOUT_MS: 4408; the token's expiry: 4401.
 *   subscribe   subscriptions only (queries and mutations: an error saying to use HTTP); each field checks
 *               its roles (FORBIDDEN) and keeps to the caller's partner and locations (resolvers/live/sources.ts).
 *   bounds      PI_WS_MAX_CONNECTIONS connections a server (past it: closed 1013, try again later),
 *               PI_WS_MAX_SUBSCRIPTIONS subscriptions at once a connection (past it: an error for that one).
 *   shutdown    at the HTTP server's close (preClose) every connection is closed with 1001, so the
 *               graceful drain never waits on a websocket; new upgrades are refused.
 */
export interface LiveSocketLimits {
  maxConnections: number;
  maxSubscriptions: number;
  initTimeoutMs: number;
}

/** PI_WS_MAX_CONNECTIONS (1000), PI_WS_MAX_SUBSCRIPTIONS (20), PI_WS_INIT_TIMEOUT_MS (5000); 0: no limit, as the other limits. */
export function liveSocketLimitsFromEnv(): LiveSocketLimits {
  return {
    maxConnections: envInt('PI_WS_MAX_CONNECTIONS', 1000),
    maxSubscriptions: envInt('PI_WS_MAX_SUBSCRIPTIONS', 20),
    initTimeoutMs: envInt('PI_WS_INIT_TIMEOUT_MS', 5000),
  };
}

export interface LiveSocketOptions {
  /** The live subgraph's executable schema. */
  schema: GraphQLSchema;
  warehouse: Warehouse;
  auth: AuthConfig;
  apiKeys?: ApiKeyVerifier;
  log: Logger;
  limits?: LiveSocketLimits;
}

/** Close codes (graphql-ws uses 44xx like HTTP statuses; 1001 and 1013 are the WebSocket standard's). */
export const LIVE_CLOSE = { unauthorized: 4401, goingAway: 1001, tryAgainLater: 1013 } as const;

/** What a connection holds once authenticated. */
interface Connection {
  id: string;
  caller: Caller;
  expiry?: NodeJS.Timeout;
}

type Extra = { socket: WebSocket; request: IncomingMessage; live?: Connection };
type Ctx = WsContext<Record<string, unknown> | undefined, Extra>;

/** The plugin: registered by startServer where the live subgraph runs in process with the warehouse. */
export function liveSocket(options: LiveSocketOptions): FastifyPluginAsync {
  return async (app) => {
    const limits = options.limits ?? liveSocketLimitsFromEnv();
    const { log } = options;
    // Our own bound on a message (a subscribe carries a query and variables): the HTTP body limit.
    const wss = new WebSocketServer({ noServer: true, maxPayload: 1_000_000 });
    let closing = false;
    const server = useServer<Record<string, unknown> | undefined, Extra>(
      {
        connectionInitWaitTimeout: limits.initTimeoutMs,
        onConnect: (ctx) => connect(ctx, options),
        onSubscribe: (ctx, id, payload) => subscribe(ctx, id, payload, options, limits),
        onNext: (_ctx, _id, _payload, _args, result) => masked(result, log),
        onClose: (ctx) => clearTimeout(ctx.extra.live?.expiry),
      },
      wss,
    );

    const onUpgrade = (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path !== LIVE_PATH) return refuseUpgrade(socket, 404, `no websocket endpoint at ${path}: subscriptions are served at ${LIVE_PATH}`);
      if (closing) return refuseUpgrade(socket, 503, 'the server is shutting down');
      wss.handleUpgrade(request, socket, head, (ws) => {
        if (limits.maxConnections > 0 && wss.clients.size > limits.maxConnections) {
          ws.close(LIVE_CLOSE.tryAgainLater, closeReason(`too many connections: at most ${limits.maxConnections} (PI_WS_MAX_CONNECTIONS); try again later`));
          return;
        }
        wss.emit('connection', ws, request);
      });
    };
    app.server.on('upgrade', onUpgrade);

    app.addHook('preClose', async () => {
      closing = true;
      app.server.off('upgrade', onUpgrade);
      await closeAll(wss, log);
      await server.dispose();
    });
  };
}

/** Authenticates connection_init; a refusal closes the socket with 4401 and says why. */
async function connect(ctx: Ctx, options: LiveSocketOptions): Promise<boolean> {
  const { socket, request } = ctx.extra;
  const params = ctx.connectionParams ?? {};
  const authorization = param(params, 'authorization') ?? request.headers.authorization;
  const apiKey = param(params, 'x-api-key') ?? header(request, 'x-api-key');
  try {
    if (!authorization && apiKey === undefined) {
      throw new AuthError('missing bearer token: send connection_init with the payload { "authorization": "Bearer <token>" }');
    }
    const { caller } = await authenticateRequest(options.auth, { authorization, apiKey }, { path: LIVE_PATH, acceptsApiKey: false, apiKeys: options.apiKeys });
    const live: Connection = { id: randomUUID(), caller };
    live.expiry = expiryTimer(socket, authorization);
    ctx.extra.live = live;
    options.log.debug({ connection: live.id, partner: caller.partnerId }, 'websocket connected');
    return true;
  } catch (err) {
    if (!(err instanceof AuthError)) throw err;
    // Closed here with our code and reason; graphql-ws's own close (4403, on false) is then a no-op.
    socket.close(LIVE_CLOSE.unauthorized, closeReason(err.message));
    return false;
  }
}

/** Closes the connection when its token expires, as HTTP would refuse the token from then on. */
function expiryTimer(socket: WebSocket, authorization: string | undefined): NodeJS.Timeout | undefined {
  const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
  const exp = token ? decodeJwt(token).exp : undefined;
  if (typeof exp !== 'number') return undefined;
  const ms = exp * 1000 - Date.now();
  // setTimeout takes at most ~24.8 days; a token valid longer is left to the connection's end.
  if (ms > 2 ** 31 - 1) return undefined;
  const timer = setTimeout(() => socket.close(LIVE_CLOSE.unauthorized, 'token expired: connect again with a new token'), Math.max(0, ms));
  timer.unref();
  return timer;
}

/** The execution of one subscribe message, or the errors that refuse it. */
function subscribe(ctx: Ctx, id: string, payload: SubscribePayload, options: LiveSocketOptions, limits: LiveSocketLimits) {
  const live = ctx.extra.live!;
  // This one is already counted (graphql-ws records the id before asking).
  if (limits.maxSubscriptions > 0 && Object.keys(ctx.subscriptions).length > limits.maxSubscriptions) {
    return [
      new GraphQLError(
        `too many subscriptions on this connection: at most ${limits.maxSubscriptions} at once (PI_WS_MAX_SUBSCRIPTIONS); complete one or open another connection`,
        { extensions: { code: 'TOO_MANY_SUBSCRIPTIONS', max: limits.maxSubscriptions } },
      ),
    ];
  }
  let document: DocumentNode;
  try {
    document = parse(payload.query);
  } catch (err) {
    return [err as GraphQLError];
  }
  const operation = getOperationAST(document, payload.operationName);
  if (operation && operation.operation !== 'subscription') {
    return [
      new GraphQLError(`this websocket serves subscriptions; send ${operation.operation === 'query' ? 'queries' : 'mutations'} over HTTP (POST ${LIVE_PATH})`, {
        extensions: { code: 'BAD_REQUEST' },
      }),
    ];
  }
  const errors = validate(options.schema, document);
  if (errors.length) return errors;
  return {
    schema: options.schema,
    document,
    operationName: payload.operationName,
    variableValues: payload.variables,
    contextValue: createRequestContext({
      caller: live.caller,
      warehouse: options.warehouse,
      requestId: `${live.id}/${id}`,
      log: options.log.child({ connection: live.id, subscription: id, partner: live.caller.partnerId }),
    }),
  };
}

const KNOWN_CODES = new Set<string>([...Object.values(ErrorCode), 'BAD_REQUEST', 'GRAPHQL_VALIDATION_FAILED']);

/** As over HTTP (gateway/server.ts formatError): errors without a known code are logged and shown as "internal server error". */
function masked(result: ExecutionResult, log: Logger): ExecutionResult | void {
  if (!result.errors?.some((e) => !KNOWN_CODES.has(String(e.extensions?.code)))) return;
  return {
    ...result,
    errors: result.errors.map((e) => {
      if (KNOWN_CODES.has(String(e.extensions?.code))) return e;
      log.error({ err: e.originalError ?? e, path: e.path }, 'internal error in a subscription');
      return new GraphQLError('internal server error', { path: e.path, extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    }),
  };
}

/** Closes every connection (1001), and cuts those that do not answer the close within a second. */
async function closeAll(wss: WebSocketServer, log: Logger): Promise<void> {
  if (!wss.clients.size) return;
  log.info({ connections: wss.clients.size }, 'closing websocket connections');
  const closed = [...wss.clients].map((ws) => new Promise<void>((resolve) => (ws.readyState === ws.CLOSED ? resolve() : ws.once('close', () => resolve()))));
  for (const ws of wss.clients) ws.close(LIVE_CLOSE.goingAway, 'the server is shutting down');
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([Promise.all(closed), new Promise((resolve) => (timer = setTimeout(resolve, 1000)))]);
  clearTimeout(timer);
  for (const ws of wss.clients) ws.terminate();
}

/** An upgrade we do not take: a plain HTTP answer, then the socket is closed. */
function refuseUpgrade(socket: Duplex, status: number, message: string): void {
  const body = JSON.stringify({ error: message });
  socket.end(
    `HTTP/1.1 ${status} ${status === 404 ? 'Not Found' : 'Service Unavailable'}\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

/** A close reason fits in 123 bytes (RFC 6455); longer ones are cut with an ellipsis. */
export function closeReason(text: string): string {
  const short = shortAuthReason(text);
  if (Buffer.byteLength(short) <= 123) return short;
  let cut = short;
  while (Buffer.byteLength(`${cut}…`) > 123) cut = cut.slice(0, -1);
  return `${cut}…`;
}

/** The MFA refusal's long explanation, shortened to what is missing (gateway/auth.ts assertMfa). */
function shortAuthReason(text: string): string {
  const mfa = /^multi-factor authentication required: .*? the token for (.+?) (has no "amr" claim|has "amr": .*?, without "mfa");/.exec(text);
  return mfa ? `multi-factor authentication required (PI_REQUIRE_MFA) for ${mfa[1]}: the token's "amr" lacks "mfa"` : text;
}

/** A connection parameter by name, any case (GraphiQL sends its header editor's names as typed). */
function param(params: Record<string, unknown>, name: string): string | undefined {
  const key = Object.keys(params).find((k) => k.toLowerCase() === name);
  const value = key === undefined ? undefined : params[key];
  return typeof value === 'string' ? value : undefined;
}

function header(request: IncomingMessage, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}
