import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { assertPermission } from '../core/permissions';
import { executiveReportHtml, MONTH_FORMAT, parseReportMonth } from '../warehouse/executive';
import type { Warehouse } from '../warehouse/db';
import { onlyQueryParams } from './query-params';

/**
 * GET /reports/executive?month=YYYY-MM: the executive report as one self-contained HTML page
 * (text/html), for the caller's roles and locations. Bearer token, API key, or the owner secret
 * of the local CLI (`partner-insights report executive` while the server runs).
 *
 *   200  the report
 *   400  month missing, not YYYY-MM, or without data: { error, message, code, format, from?, to? };
 *        a query parameter other than month: { ..., unknownParameters, allowedParameters }
 *   403  no report role: { error, message, code, requiredRoles }
 */
type ReportRequest = FastifyRequest<{ Querystring: { month?: string } }>;

const QUERY = {
  type: 'object',
  required: ['month'],
  properties: { month: { type: 'string', pattern: '^\\s*\\d{4}-(0[1-9]|1[0-2])\\s*$' } },
} as const;

export function executiveReportRoute(warehouse: Warehouse): FastifyPluginAsync {
  return async (app) => {
    app.route<{ Querystring: { month?: string } }>({
      method: ['GET', 'HEAD'],
      url: '/reports/executive',
      schema: { querystring: QUERY },
      preValidation: onlyQueryParams(Object.keys(QUERY.properties)),
      config: {
        name: 'executive-report',
        auth: true,
        acceptsApiKey: true,
        acceptsOperator: true,
        explainInvalid: (request) => explainMonth(request as ReportRequest),
        errorDetails: { BAD_USER_INPUT: { format: MONTH_FORMAT } },
      },
      handler: async (request, reply) => {
        const page = await executiveReportHtml(warehouse, request.caller!, request.query.month ?? '');
        return reply.headers(HTML_HEADERS).send(Buffer.from(page, 'utf8'));
      },
    });
  };
}

/** A month the schema refuses: what the report says of it (FORBIDDEN first, as the report checks the role first). */
function explainMonth(request: ReportRequest): void {
  assertPermission(request.caller!, 'readReports', 'The executive report');
  parseReportMonth(request.query.month);
}

const HTML_HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  // The page loads nothing: say so to the browser as well.
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'cache-control': 'private, no-store',
};
