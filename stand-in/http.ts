/**
 * The small HTTP toolkit the stand-in's routes share: the request context, JSON answers, the error
 * bodies of each Microsoft service, and opaque continuation tokens.
 */
import { createHmac, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** Which service a path belongs to: its error bodies and its token audience differ. */
export type Service = 'login' | 'partnerCenter' | 'referrals' | 'graph' | 'blobs';

export interface Ctx {
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  /** The URL path, prefix included (/pc/v1/customers). */
  path: string;
  url: URL;
  /** Query parameters, names as sent. */
  query: Record<string, string>;
  service: Service;
  /** The request body (POST), as text. */
  body: string;
}

/** A query parameter, matched case-insensitively (Partner Center's are). */
export function param(ctx: Ctx, name: string): string | undefined {
  const lower = name.toLowerCase();
  for (const [k, v] of Object.entries(ctx.query)) if (k.toLowerCase() === lower) return v;
  return undefined;
}

export function header(ctx: Ctx, name: string): string | undefined {
  const v = ctx.req.headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

export function send(ctx: Ctx, status: number, body: unknown, headers: Record<string, string> = {}): void {
  if (ctx.res.headersSent) return;
  const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
  const type = body === undefined ? {} : typeof body === 'string' && text.startsWith('<?xml') ? { 'Content-Type': 'application/xml' } : { 'Content-Type': 'application/json; charset=utf-8' };
  ctx.res.writeHead(status, { ...type, 'Content-Length': String(Buffer.byteLength(text)), ...correlation(ctx), ...headers });
  ctx.res.end(text);
}

/** Partner Center echoes the caller's MS-CorrelationId and MS-RequestId; Graph answers request-id / client-request-id. */
function correlation(ctx: Ctx): Record<string, string> {
  if (ctx.service === 'partnerCenter' || ctx.service === 'referrals') {
    return { 'MS-CorrelationId': header(ctx, 'ms-correlationid') ?? randomUUID(), 'MS-RequestId': header(ctx, 'ms-requestid') ?? randomUUID() };
  }
  if (ctx.service === 'graph') return { 'request-id': randomUUID(), 'client-request-id': header(ctx, 'client-request-id') ?? randomUUID() };
  return {};
}

const GRAPH_CODES: Record<number, string> = {
  400: 'BadRequest',
  401: 'InvalidAuthenticationToken',
  403: 'Forbidden',
  404: 'ResourceNotFound',
  405: 'MethodNotAllowed',
  429: 'TooManyRequests',
  500: 'InternalServerError',
  503: 'ServiceNotAvailable',
};

const ENTRA_ERRORS: Record<number, [string, number, string]> = {
  429: ['temporarily_unavailable', 50196, 'The server terminated an operation because it encountered a client request loop. Please contact your app vendor.'],
  500: ['server_error', 90033, 'A transient error has occurred. Please try again.'],
  503: ['temporarily_unavailable', 90033, 'A transient error has occurred. Please try again.'],
};

/**
 * An error answer in the body shape of the path's service:
 * - Entra ID: { error, error_description: 'AADSTSnnn: ...', error_codes, timestamp, trace_id, correlation_id, error_uri }
 * - Partner Center: { code, description, data, source } ("Partner Center REST error codes")
 * - Graph and the Referrals API: { error: { code, message, innerError } } (Graph's error resource; the Referrals API's assumed alike)
 * - Blob storage: the Azure Storage XML error (<Error><Code>..</Code><Message>..</Message></Error>)
 */
export function sendError(ctx: Ctx, status: number, message: string, opts: { code?: string; headers?: Record<string, string> } = {}): void {
  const headers = opts.headers ?? {};
  switch (ctx.service) {
    case 'login': {
      const [error, aadsts] = ENTRA_ERRORS[status] ?? ['invalid_request', 900561, message];
      return sendEntraError(ctx, status, opts.code ?? error, aadsts, message, headers);
    }
    case 'partnerCenter':
      return send(ctx, status, { code: opts.code ?? String(status), description: message, data: [], source: 'PartnerFD' }, headers);
    case 'blobs': {
      const code = opts.code ?? ({ 403: 'AuthenticationFailed', 404: 'BlobNotFound', 500: 'InternalError', 503: 'ServerBusy', 429: 'ServerBusy' } as Record<number, string>)[status] ?? 'InvalidInput';
      const xml = `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${escapeXml(message)}\nRequestId:${randomUUID()}\nTime:${new Date().toISOString()}</Message></Error>`;
      return send(ctx, status, xml, { 'x-ms-error-code': code, ...headers });
    }
    default: {
      const date = new Date().toISOString().slice(0, 19);
      return send(ctx, status, { error: { code: opts.code ?? GRAPH_CODES[status] ?? 'UnknownError', message, innerError: { date, 'request-id': randomUUID(), 'client-request-id': randomUUID() } } }, headers);
    }
  }
}

/** Entra ID's token endpoint error ("Microsoft identity platform and OAuth 2.0 ... error response"). */
export function sendEntraError(ctx: Ctx, status: number, error: string, aadsts: number, text: string, headers: Record<string, string> = {}): void {
  const trace = randomUUID();
  const correlationId = header(ctx, 'client-request-id') ?? randomUUID();
  const timestamp = new Date().toISOString().replace('T', ' ').slice(0, 19) + 'Z';
  send(
    ctx,
    status,
    {
      error,
      error_description: `AADSTS${aadsts}: ${text} Trace ID: ${trace} Correlation ID: ${correlationId} Timestamp: ${timestamp}`,
      error_codes: [aadsts],
      timestamp,
      trace_id: trace,
      correlation_id: correlationId,
      error_uri: `https://login.microsoftonline.com/error?code=${aadsts}`,
    },
    headers,
  );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&]/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;' })[c]!);
}

/** Opaque, signed continuation tokens: the stand-in can tell its own from a forged or foreign one. */
export class Tokens {
  constructor(private readonly secret: string) {}

  sign(text: string): string {
    return createHmac('sha256', this.secret).update(text).digest('base64url');
  }

  encode(state: Record<string, unknown>): string {
    const body = Buffer.from(JSON.stringify(state)).toString('base64url');
    return `${body}.${this.sign(body).slice(0, 16)}`;
  }

  decode<T extends Record<string, unknown>>(token: string | undefined): T | undefined {
    if (!token) return undefined;
    const [body, sig] = token.split('.');
    if (!body || !sig || this.sign(body).slice(0, 16) !== sig) return undefined;
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
    } catch {
      return undefined;
    }
  }
}
