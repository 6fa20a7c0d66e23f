import type { Logger } from '../logger';
import { sharedPlugin } from './common';

/**
 * Graceful drain. On close Fastify stops accepting connections and closes idle ones; requests in
 * flight finish (return503OnClosing is off, so a request that arrives on an open keep-alive
 * connection is still served, with `connection: close`). After timeoutMs the connections still open
 * are closed. `state.shuttingDown` tells /readyz.
 */
export interface DrainState {
  shuttingDown: boolean;
  inFlight: number;
}

export const drain = sharedPlugin<{ state: DrainState; log: Logger; timeoutMs: number }>('drain', async (app, { state, log, timeoutMs }) => {
  app.addHook('onRequest', async (_request, reply) => {
    state.inFlight++;
    reply.raw.once('close', () => state.inFlight--);
  });
  let timer: NodeJS.Timeout | undefined;
  app.addHook('preClose', async () => {
    state.shuttingDown = true;
    timer = setTimeout(() => {
      log.warn({ inFlight: state.inFlight }, 'shutdown timeout: closing remaining connections');
      app.server.closeAllConnections();
    }, timeoutMs);
  });
  app.addHook('onClose', async () => clearTimeout(timer));
});
