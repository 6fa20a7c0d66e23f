import { DomainError, ERROR_OUTCOMES } from '../core/errors';
import { executiveReportHtml, MONTH_FORMAT } from '../warehouse/executive';
import type { Warehouse } from '../warehouse/db';
import { sendJson, type Route } from './http';

/**
 * GET /reports/executive?month=YYYY-MM: the executive report as one self-contained HTML page
 * (text/html), for the caller's roles and locations. Bearer token or API key.
 *
 *   200  the report
 *   400  month missing, not YYYY-MM, or without data: { error, message, format, from?, to? }
 *   403  no report role: { error, message, requiredRoles }
 */
export function executiveReportRoute(warehouse: Warehouse): Route {
  return {
    name: 'executive-report',
    methods: ['GET', 'HEAD'],
    path: '/reports/executive',
    auth: true,
    acceptsApiKey: true,
    async handle(req, res, ctx) {
      let page: string;
      try {
        page = await executiveReportHtml(warehouse, ctx.caller!, ctx.url.searchParams.get('month') ?? '');
      } catch (err) {
        if (!(err instanceof DomainError)) throw err;
        const outcome = ERROR_OUTCOMES[err.code];
        const hint = err.code === 'BAD_USER_INPUT' ? { format: MONTH_FORMAT } : {};
        return sendJson(res, outcome.status, { error: outcome.error, message: err.message, code: err.code, ...hint, ...err.details });
      }
      const body = Buffer.from(page, 'utf8');
      res.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-length': body.length,
        // The page loads nothing: say so to the browser as well.
        'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
        'x-content-type-options': 'nosniff',
        'cache-control': 'private, no-store',
      });
      res.end(req.method === 'HEAD' ? undefined : body);
    },
  };
}
