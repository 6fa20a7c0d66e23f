import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Warehouse } from '../warehouse/db';
import { DIMENSIONS } from '../warehouse/insights/facts';
import { parseFilters, parseFormat, parsePeriod, parseRange, parseSplitBy, prepareExport, writeExport, type ExportRequest, type ExportResult, type PreparedExport } from '../warehouse/exports';
import { exportCatalogue } from '../warehouse/exports/catalogue';
import { FILTER_PARAMS } from '../warehouse/exports/request';
import { exportValidators, type ExportValidators } from '../warehouse/exports/validators';
import { DomainError, ErrorCode } from '../core/errors';
import type { InsightsFilters } from '../warehouse/insights/compile';
import { boundedFilterValues } from '../core/bounds';
import type { Logger } from './logger';
import { failHijacked } from './node-routes';
import { cutWhenIdle, isPercentDecodable, requestUrl } from './plugins/common';
import { HttpError } from './plugins/errors';
import { onlyQueryParams } from './query-params';
import { queryTimeoutFromEnv, requestBounds } from './plugins/request-bounds';

/**
 * GET /exports/<dataset>.<format>?range=…&<filters>: a dataset exported on request, at a stable URL
 * a BI tool can refresh (Power BI's Web connector, Excel's Get Data > From Web). A bearer token or
 * an API key. The file is written to a temporary directory by the export engine (DuckDB COPY, or
 * the streamed workbook), then streamed to the client with its length and name, and deleted.
 * GET /exports: the catalogue (warehouse/exports/catalogue.ts).
 *
 * For a daily refresh: a weak ETag and Last-Modified from what feeds the dataset, computed without
 * running it (warehouse/exports/validators.ts); If-None-Match / If-Modified-Since answer 304, HEAD
 * the headers without running the export. Line-level datasets take from/to (days or datetimes, to
 * exclusive), what Power BI's incremental refresh binds.
 *
 * Bounds: the reads before the export (its range, the validators, PCI's scores) are the request's
 * (PI_QUERY_TIMEOUT_MS, and stopped when the client goes: plugins/request-bounds.ts). Writing the
 * file is not cut at that limit (a line-level export of tens of millions of lines takes minutes):
 * it stops, its DuckDB statement interrupted, as soon as the client goes (a BI client that gives up
 * waiting goes: Power BI's Web.Contents after its Timeout, 100 s by default), and a client that
 * stops reading the file is cut once it has taken none of it for PI_QUERY_TIMEOUT_MS (cutWhenIdle).
 *
 *   304 If-None-Match matches the ETag, or (without it) If-Modified-Since is not before Last-Modified
 *   400 unknown dataset, format, range, from/to, filter, splitBy or query parameter (the message
 *       lists what is allowed); a filter of more values, or longer ones, than core/bounds.ts allows
 *   403 the caller's roles may not export the dataset (requiredRoles names the roles that may)
 *   504 the reads before the export ran past PI_QUERY_TIMEOUT_MS
 */
type ExportQuery = { range?: string; splitBy?: string; from?: string; to?: string };
type ExportHttpRequest = FastifyRequest<{ Params: { '*': string }; Querystring: ExportQuery }>;

/** The query parameters of an export: anything else is refused, not ignored. */
export const EXPORT_PARAMS: readonly string[] = ['range', 'from', 'to', 'splitBy', ...FILTER_PARAMS];

const SCHEMA = {
  // Dataset names contain dots (insights.customers): the format is what follows the last one.
  params: { type: 'object', properties: { '*': { type: 'string', pattern: '^[\\s\\S]+\\.' } } },
  querystring: {
    type: 'object',
    properties: {
      range: { type: 'string', pattern: '^\\s*(\\w*|\\d{4}-\\d{2}\\.\\.\\d{4}-\\d{2})\\s*$' },
      splitBy: { type: 'string', enum: ['', ...DIMENSIONS] },
      from: { type: 'string', maxLength: 64 },
      to: { type: 'string', maxLength: 64 },
    },
  },
};

/** Stored by the client, revalidated on every use (the validators make that a 304), never by a shared cache. */
const CACHE_CONTROL = 'private, no-cache';
/** The representation depends on who asks. */
const VARY = 'authorization, x-api-key';

export function exportsRoute(warehouse: Warehouse, log: Logger, queryTimeoutMs = queryTimeoutFromEnv()): FastifyPluginAsync {
  return async (app) => {
    await app.register(requestBounds, { timeoutMs: queryTimeoutMs });
    app.route({
      method: ['GET', 'HEAD'],
      url: '/exports',
      preValidation: onlyQueryParams([]),
      config: { name: 'exports', auth: true, acceptsApiKey: true, acceptsOperator: true },
      handler: async (request, reply) => reply.headers({ 'cache-control': CACHE_CONTROL, vary: varyWith(reply.getHeader('vary')) }).send(exportCatalogue(request.caller!)),
    });
    app.route<{ Params: { '*': string }; Querystring: ExportQuery }>({
      method: ['GET', 'HEAD'],
      url: '/exports/*',
      schema: SCHEMA,
      preValidation: onlyQueryParams(EXPORT_PARAMS),
      config: { name: 'exports', auth: true, acceptsApiKey: true, acceptsOperator: true, explainInvalid: (request) => void exportRequestOf(request as ExportHttpRequest) },
      handler: (request, reply) => exportAndSend(warehouse, request, reply, log, queryTimeoutMs),
    });
  };
}

/** The export request of a URL, or the 400 naming what is wrong with it. */
function exportRequestOf(request: ExportHttpRequest): ExportRequest {
  if (!isPercentDecodable(requestUrl(request).pathname)) {
    throw new HttpError(400, { error: 'bad request', message: 'the path is not valid percent-encoding; use /exports/<dataset>.<format>' });
  }
  const target = request.params['*'];
  const dot = target.lastIndexOf('.');
  if (dot <= 0) {
    throw new HttpError(400, {
      error: 'bad request',
      message: `use /exports/<dataset>.<format>, e.g. /exports/customer-details.tsv; got "${target}"; GET /exports lists the datasets`,
    });
  }
  return {
    dataset: target.slice(0, dot),
    format: parseFormat(target.slice(dot + 1)),
    range: parseRange(request.query.range),
    period: parsePeriod(request.query.from, request.query.to),
    filters: boundedFilters(parseFilters(requestUrl(request).searchParams)),
    splitBy: parseSplitBy(request.query.splitBy),
  };
}

/** Each filter parameter within the bounds of a filter list (core/bounds.ts), named by the parameter. */
function boundedFilters(filters: InsightsFilters): InsightsFilters {
  for (const [name, values] of Object.entries(filters)) boundedFilterValues(values ?? [], name);
  return filters;
}

async function exportAndSend(warehouse: Warehouse, request: ExportHttpRequest, reply: FastifyReply, log: Logger, idleMs: number): Promise<unknown> {
  const exportRequest = exportRequestOf(request);
  const caller = request.caller!;
  // Aborted only when the client goes (not at the time limit): what stops writing the file.
  const gone = clientGone(reply);
  const db = request.bounds ? warehouse.bound(request.bounds) : warehouse;
  try {
    const prepared = await prepareExport(db, caller, exportRequest);
    const validators = await exportValidators(db, caller, prepared);
    const headers: Record<string, string> = {
      'content-type': prepared.contentType,
      'content-disposition': `attachment; filename="${prepared.fileName.replace(/["\\\r\n]/g, '_')}"`,
      // While the partner's data is being rebuilt (no validators): not to be stored.
      'cache-control': validators ? CACHE_CONTROL : 'private, no-store',
      ...(validators ? validatorHeaders(validators) : {}),
    };
    if (validators && notModified(request, validators)) {
      const { 'content-type': _type, 'content-disposition': _name, ...kept } = headers;
      return reply.code(304).headers(kept).header('vary', varyWith(reply.getHeader('vary'))).send();
    }
    if (request.method === 'HEAD') return reply.code(200).headers(headers).header('vary', varyWith(reply.getHeader('vary'))).send();
    return await writeAndSend(db, request, reply, prepared, headers, gone, log, idleMs);
  } catch (err) {
    if (!gone.aborted) throw err;
    // The client went away: nothing to answer, the export's DuckDB work is stopped.
    reply.hijack();
    log.info({ requestId: request.id, dataset: exportRequest.dataset, format: exportRequest.format }, 'export stopped: the client went away');
    return undefined;
  }
}

async function writeAndSend(
  db: Warehouse,
  request: ExportHttpRequest,
  reply: FastifyReply,
  prepared: PreparedExport,
  headers: Record<string, string>,
  gone: AbortSignal,
  log: Logger,
  idleMs: number,
): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'pi-export-'));
  try {
    const started = performance.now();
    const result = await writeExport(db, request.caller!, prepared, join(dir, `export.${prepared.format}`), { signal: gone });
    // Written to the socket directly (sendFile below): the reply is ours from here; the headers set
    // by hooks (CORS, request id) go along.
    reply.hijack();
    reply.raw.writeHead(200, { ...(reply.getHeaders() as Record<string, string>), ...headers, vary: varyWith(reply.getHeader('vary')), ...exportHeaders(result, performance.now() - started) });
    await sendFile(result.file, reply.raw, idleMs).catch((err) => failHijacked(request, reply, err, log));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A signal aborted when the client goes before the response has been sent whole. */
function clientGone(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort(new DomainError(ErrorCode.REQUEST_CANCELLED, 'the client closed the connection: the export was stopped'));
  });
  return controller.signal;
}

function validatorHeaders(validators: ExportValidators): Record<string, string> {
  return { etag: validators.etag, ...(validators.lastModified ? { 'last-modified': validators.lastModified.toUTCString() } : {}) };
}

/**
 * RFC 9110 13.2.2: If-None-Match first (weak comparison; "*" matches any), If-Modified-Since only
 * without it (a date not before Last-Modified, second precision).
 */
function notModified(request: FastifyRequest, validators: ExportValidators): boolean {
  const noneMatch = request.headers['if-none-match'];
  if (noneMatch !== undefined) {
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    const tags = noneMatch.split(',').map((t) => t.trim()).filter(Boolean);
    return tags.includes('*') || tags.some((t) => opaque(t) === opaque(validators.etag));
  }
  const since = request.headers['if-modified-since'];
  if (since === undefined || !validators.lastModified) return false;
  const at = Date.parse(since);
  return !Number.isNaN(at) && validators.lastModified.getTime() <= at;
}

/** Vary of the hooks (CORS: Origin) with the export's own. */
function varyWith(existing: unknown): string {
  const names = [...String(existing ?? '').split(','), ...VARY.split(',')].map((n) => n.trim()).filter(Boolean);
  return [...new Map(names.map((n) => [n.toLowerCase(), n])).values()].join(', ');
}

function exportHeaders(result: ExportResult, writeMs: number): Record<string, string | number> {
  return {
    // How long writing the file took, before the first byte is sent (the rest is the transfer).
    'server-timing': `export;dur=${writeMs.toFixed(0)}`,
    'content-length': result.bytes,
    'x-export-rows': String(result.rows),
  };
}

/**
 * Sends a file as the response body through two reused 1 MiB buffers: read the next chunk while the
 * previous one is being written, reuse a buffer only once the socket has taken it. A read stream
 * allocates a new buffer per chunk instead, and on a multi-gigabyte CSV the garbage collections
 * those allocations trigger (over the gateway's large heap) made the transfer 3 times slower. A
 * client that goes away ends the loop; that is not a server error; one that takes nothing for
 * `idleMs` is cut (cutWhenIdle).
 */
async function sendFile(file: string, res: ServerResponse, idleMs: number): Promise<void> {
  cutWhenIdle(res, idleMs);
  const handle = await open(file, 'r');
  const buffers = [Buffer.allocUnsafe(1 << 20), Buffer.allocUnsafe(1 << 20)];
  let gone = false;
  const onClose = () => (gone = true);
  res.once('close', onClose);
  const write = (chunk: Buffer) =>
    new Promise<void>((resolve) => {
      if (gone) return resolve();
      res.write(chunk, (err) => {
        if (err) gone = true;
        resolve();
      });
    });
  try {
    let position = 0;
    let inFlight: Promise<void> = Promise.resolve();
    for (let i = 0; !gone; i++) {
      // This buffer's previous write was awaited one iteration ago.
      const buffer = buffers[i % 2];
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      await inFlight;
      if (bytesRead === 0) break;
      position += bytesRead;
      inFlight = write(buffer.subarray(0, bytesRead));
    }
    await inFlight;
    if (!gone) res.end();
  } finally {
    res.off('close', onClose);
    await handle.close();
  }
}
