import { setMaxListeners } from 'node:events';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { DomainError, ErrorCode } from '../../core/errors';
import type { ReadBounds } from '../../warehouse/db';
import { sharedPlugin } from './common';

declare module 'fastify' {
  interface FastifyRequest {
    /** Bounds of the request's warehouse reads (routes under requestBounds), handed to its context. */
    bounds: ReadBounds | null;
  }
}

export const QUERY_TIMEOUT_SETTING = 'PI_QUERY_TIMEOUT_MS';

/**
 * Bounds every request's warehouse reads (warehouse/read-pool.ts): its signal aborts when the
 * client goes before the answer is sent (REQUEST_CANCELLED) or after `timeoutMs` (QUERY_TIMEOUT;
 * 0: never), which drops its waiting statements and interrupts its running ones; its token is the
 * caller whose statements share PI_MAX_CALLER_CONCURRENCY; its start orders its statements' turns
 * (oldest request first). Registered after authentication.
 */
export const requestBounds = sharedPlugin<{ timeoutMs: number }>('request-bounds', async (app, { timeoutMs }) => {
  app.decorateRequest('bounds', null);
  app.addHook('onRequest', async (request, reply) => {
    request.bounds = boundsOf(request, reply, timeoutMs);
  });
});

function boundsOf(request: FastifyRequest, reply: FastifyReply, timeoutMs: number): ReadBounds {
  const since = performance.now();
  const controller = new AbortController();
  // Each of the request's statements waiting for a turn or running listens to it.
  setMaxListeners(0, controller.signal);
  const timer = timeoutMs > 0 ? setTimeout(() => controller.abort(queryTimeout(timeoutMs)), timeoutMs) : undefined;
  // 'close' comes once the answer is sent or the connection is gone, whichever is first.
  reply.raw.once('close', () => {
    clearTimeout(timer);
    if (!reply.raw.writableFinished) controller.abort(requestCancelled());
  });
  return { signal: controller.signal, caller: request.authorization ?? request.caller?.partnerId, since };
}

export function queryTimeout(limitMs: number): DomainError {
  return new DomainError(
    ErrorCode.QUERY_TIMEOUT,
    `the request ran past its time limit of ${limitMs / 1000} s (${QUERY_TIMEOUT_SETTING}) and its warehouse queries were stopped: ask for less (fewer fields or aliases, a shorter range, a smaller page)`,
    { limitMs, setting: QUERY_TIMEOUT_SETTING },
  );
}

function requestCancelled(): DomainError {
  return new DomainError(ErrorCode.REQUEST_CANCELLED, 'the client closed the connection before the answer: its warehouse queries were stopped');
}

/** PI_QUERY_TIMEOUT_MS: default 30 s; 0: no limit. */
export function queryTimeoutFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env[QUERY_TIMEOUT_SETTING];
  const ms = raw === undefined || raw === '' ? 30_000 : Number(raw);
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`${QUERY_TIMEOUT_SETTING} must be a whole number of milliseconds (0: no limit), got "${raw}"`);
  return ms;
}
