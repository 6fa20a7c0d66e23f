import { httpRequests } from '../metrics';
import { sharedPlugin } from './common';

/**
 * pi_http_requests_total by route, method and status, counted when the response closes: 499 when the
 * client went away before the status was sent.
 */
export const httpMetrics = sharedPlugin('http-metrics', async (app) => {
  app.addHook('onRequest', async (request, reply) => {
    reply.raw.once('close', () => {
      const status = reply.raw.headersSent ? reply.raw.statusCode : 499;
      httpRequests.inc({ route: request.routeLabel, method: request.method, status: String(status) });
    });
  });
});
