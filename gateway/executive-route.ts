import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import { assertPermission } from '../core/permissions';
import { executiveReportHtml, MONTH_FORMAT, parseReportMonth } from '../warehouse/executive';
import type { Warehouse } from '../warehouse/db';
import type { AuthConfig } from './auth';
import { onlyQueryParams } from './query-params';
import { LINK_DEFAULT_HOURS, LINK_MAX_HOURS, signReportLink } from './signed-links';

/**
 * GET /reports/executive?month=YYYY-MM: the executive report as one self-contained HTML page
 * (text/html), for the caller's roles and locations. Bearer token, API key, the owner secret of
 * the local CLI (`partner-insights report executive` while the server runs), or a signed link.
 *
 *   200  the report
 *   400  month missing, not YYYY-MM, or without data: { error, message, code, format, from?, to? };
 *        a query parameter other than month (and sig): { ..., unknownParameters, allowedParameters }
 *   401  no token, or a link altered, expired or for another month
 *   403  no report role: { error, message, code, requiredRoles }
 *   404  a partner the warehouse does not hold
 *
 * POST /reports/executive/links?month=YYYY-MM[&hours=N]: a link to that report that opens without a
 * header for N hours (default 24, at most a week), for whoever asks with a bearer token:
 * 201 { url, path, month, expiresAt }. The link is the asker's report: their roles and locations.
 */
type ReportRequest = FastifyRequest<{ Querystring: { month?: string } }>;

const MONTH = { type: 'string', pattern: '^\\s*\\d{4}-(0[1-9]|1[0-2])\\s*$' } as const;

const QUERY = {
  type: 'object',
  required: ['month'],
  properties: { month: MONTH, sig: { type: 'string', maxLength: 4096 } },
} as const;

const LINK_QUERY = {
  type: 'object',
  required: ['month'],
  properties: { month: MONTH, hours: { type: 'integer', minimum: 1, maximum: LINK_MAX_HOURS } },
} as const;

export function executiveReportRoute(warehouse: Warehouse, auth: AuthConfig): FastifyPluginAsync {
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
        acceptsReportLink: true,
        explainInvalid: (request) => explainMonth(request as ReportRequest),
        errorDetails: { BAD_USER_INPUT: { format: MONTH_FORMAT } },
      },
      handler: async (request, reply) => {
        const page = await executiveReportHtml(warehouse, request.caller!, request.query.month ?? '');
        return reply.headers(HTML_HEADERS).send(Buffer.from(page, 'utf8'));
      },
    });
    app.route<{ Querystring: { month: string; hours?: number } }>({
      method: 'POST',
      url: '/reports/executive/links',
      schema: { querystring: LINK_QUERY },
      preValidation: onlyQueryParams(Object.keys(LINK_QUERY.properties)),
      config: {
        name: 'executive-report-link',
        auth: true,
        explainInvalid: (request) => explainMonth(request as ReportRequest),
        errorDetails: { BAD_USER_INPUT: { format: MONTH_FORMAT, hours: `1 to ${LINK_MAX_HOURS}` } },
      },
      handler: async (request, reply) => {
        const caller = request.caller!;
        // The same checks as the report's, now rather than when an executive opens the link.
        assertPermission(caller, 'readReports', 'The executive report');
        const month = parseReportMonth(request.query.month).slice(0, 7);
        const expiresAt = new Date(Date.now() + (request.query.hours ?? LINK_DEFAULT_HOURS) * 3600_000);
        const path = `/reports/executive?month=${month}&sig=${signReportLink(auth, caller, month, expiresAt)}`;
        const url = `${request.protocol}://${request.host}${path}`;
        return reply.code(201).send({ url, path, month, expiresAt: expiresAt.toISOString() });
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
