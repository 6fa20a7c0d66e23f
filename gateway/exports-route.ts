import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ServerResponse } from 'node:http';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Warehouse } from '../warehouse/db';
import { DIMENSIONS } from '../warehouse/insights/facts';
import { exportToFile, parseFilters, parseFormat, parseRange, parseSplitBy, type ExportRequest, type ExportResult } from '../warehouse/exports';
import { FILTER_PARAMS } from '../warehouse/exports/request';
import type { InsightsFilters } from '../warehouse/insights/compile';
import { boundedFilterValues } from '../core/bounds';
import type { Logger } from './logger';
import { failHijacked } from './node-routes';
import { isPercentDecodable, requestUrl } from './plugins/common';
import { HttpError } from './plugins/errors';
import { onlyQueryParams } from './query-params';

/**
 * GET /exports/<dataset>.<format>?range=…&<filters>: a dataset exported on request, at a stable URL
 * a BI tool can refresh (Power BI's Web connector, Excel's Get Data > From Web). A bearer token or
 * an API key. The file is written to a temporary directory by the export engine (DuckDB COPY, or
 * the streamed workbook), then streamed to the client with its length and name, and deleted.
 *
 *   400 unknown dataset, format, range, filter, splitBy or query parameter (the message lists what
 *       is allowed); a filter of more values, or longer ones, than core/bounds.ts allows
 *   403 the caller's roles may not export the dataset (requiredRoles names the roles that may)
 */
type ExportHttpRequest = FastifyRequest<{ Params: { '*': string }; Querystring: { range?: string; splitBy?: string } }>;

/** The query parameters of an export: anything else is refused, not ignored. */
export const EXPORT_PARAMS: readonly string[] = ['range', 'splitBy', ...FILTER_PARAMS];

const SCHEMA = {
  // Dataset names contain dots (insights.customers): the format is what follows the last one.
  params: { type: 'object', properties: { '*': { type: 'string', pattern: '^[\\s\\S]+\\.' } } },
  querystring: {
    type: 'object',
    properties: {
      range: { type: 'string', pattern: '^\\s*(\\w*|\\d{4}-\\d{2}\\.\\.\\d{4}-\\d{2})\\s*$' },
      splitBy: { type: 'string', enum: ['', ...DIMENSIONS] },
    },
  },
};

export function exportsRoute(warehouse: Warehouse, log: Logger): FastifyPluginAsync {
  return async (app) => {
    app.route<{ Params: { '*': string }; Querystring: { range?: string; splitBy?: string } }>({
      method: ['GET', 'HEAD'],
      url: '/exports/*',
      schema: SCHEMA,
      preValidation: onlyQueryParams(EXPORT_PARAMS),
      config: { name: 'exports', auth: true, acceptsApiKey: true, acceptsOperator: true, explainInvalid: (request) => void exportRequestOf(request as ExportHttpRequest) },
      handler: (request, reply) => exportAndSend(warehouse, request, reply, log),
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
    throw new HttpError(400, { error: 'bad request', message: `use /exports/<dataset>.<format>, e.g. /exports/customer-details.tsv; got "${target}"` });
  }
  return {
    dataset: target.slice(0, dot),
    format: parseFormat(target.slice(dot + 1)),
    range: parseRange(request.query.range),
    filters: boundedFilters(parseFilters(requestUrl(request).searchParams)),
    splitBy: parseSplitBy(request.query.splitBy),
  };
}

/** Each filter parameter within the bounds of a filter list (core/bounds.ts), named by the parameter. */
function boundedFilters(filters: InsightsFilters): InsightsFilters {
  for (const [name, values] of Object.entries(filters)) boundedFilterValues(values ?? [], name);
  return filters;
}

async function exportAndSend(warehouse: Warehouse, request: ExportHttpRequest, reply: FastifyReply, log: Logger): Promise<void> {
  const exportRequest = exportRequestOf(request);
  const dir = await mkdtemp(join(tmpdir(), 'pi-export-'));
  try {
    const started = performance.now();
    const result = await exportToFile(warehouse, request.caller!, exportRequest, join(dir, `export.${exportRequest.format}`));
    // Written to the socket directly (sendFile below): the reply is ours from here.
    reply.hijack();
    reply.raw.writeHead(200, exportHeaders(result, performance.now() - started));
    if (request.method === 'HEAD') return void reply.raw.end();
    await sendFile(result.file, reply.raw).catch((err) => failHijacked(request, reply, err, log));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function exportHeaders(result: ExportResult, writeMs: number): Record<string, string | number> {
  return {
    // How long writing the file took, before the first byte is sent (the rest is the transfer).
    'server-timing': `export;dur=${writeMs.toFixed(0)}`,
    'content-type': result.contentType,
    'content-length': result.bytes,
    'content-disposition': `attachment; filename="${result.fileName.replace(/["\\\r\n]/g, '_')}"`,
    'cache-control': 'private, no-store',
    'x-export-rows': String(result.rows),
  };
}

/**
 * Sends a file as the response body through two reused 1 MiB buffers: read the next chunk while the
 * previous one is being written, reuse a buffer only once the socket has taken it. A read stream
 * allocates a new buffer per chunk instead, and on a multi-gigabyte CSV the garbage collections
 * those allocations trigger (over the gateway's large heap) made the transfer 3 times slower. A
 * client that goes away ends the loop; that is not a server error.
 */
async function sendFile(file: string, res: ServerResponse): Promise<void> {
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
