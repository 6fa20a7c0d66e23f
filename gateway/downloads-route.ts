import { createReadStream, statSync } from 'node:fs';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Caller } from '../core/caller';
import type { Warehouse } from '../warehouse/db';
import { RETENTION_DAYS, reportFile } from '../warehouse/exports/downloads';
import { datasetNamed, exportDenied, rolesFor } from '../warehouse/exports/downloads-engine';
import { cutWhenIdle, pathAfter } from './plugins/common';
import { queryTimeoutFromEnv, requestBounds } from './plugins/request-bounds';
import { HttpError } from './plugins/errors';
import { onlyQueryParams } from './query-params';

/**
 * GET /downloads/<id>: the file of a generated report (exports subgraph, generateReport), streamed
 * from disk. A bearer token or an API key. 404 unknown (or another partner's or location's), 403
 * when the caller's roles may not read the dataset, 410 once expired, 409 while not READY; 400 for
 * any query parameter (it takes none). The report's lookup is bounded like a GraphQL read
 * (PI_QUERY_TIMEOUT_MS, stopped when the client goes); the file, written beforehand, is not a
 * DuckDB statement: its transfer stops when the client goes and is cut when the client takes
 * nothing for PI_QUERY_TIMEOUT_MS.
 */
type ReportFile = NonNullable<Awaited<ReturnType<typeof reportFile>>>;
type DownloadRequest = FastifyRequest<{ Params: { '*': string } }>;

const PREFIX = '/downloads/';

export function downloadsRoute(warehouse: Warehouse, queryTimeoutMs = queryTimeoutFromEnv()): FastifyPluginAsync {
  return async (app) => {
    // The report's lookup is a read of the request (PI_QUERY_TIMEOUT_MS, stopped when the client goes).
    await app.register(requestBounds, { timeoutMs: queryTimeoutMs });
    app.route<{ Params: { '*': string } }>({
      method: ['GET', 'HEAD'],
      url: `${PREFIX}*`,
      // Report ids are UUIDs: anything else (including encoded slashes or dots) is simply not found.
      schema: { params: { type: 'object', properties: { '*': { type: 'string', pattern: '^[\\w-]{1,64}$' } } } },
      preValidation: onlyQueryParams([]),
      config: { name: 'downloads', auth: true, acceptsApiKey: true, explainInvalid: (request) => notFound(pathAfter(request, PREFIX)) },
      handler: (request, reply) => download(warehouse, request, reply, queryTimeoutMs),
    });
  };
}

async function download(warehouse: Warehouse, request: DownloadRequest, reply: FastifyReply, idleMs: number): Promise<FastifyReply> {
  const id = request.params['*'];
  const report = await reportFile(request.bounds ? warehouse.bound(request.bounds) : warehouse, request.caller!, id);
  if (!report) notFound(id);
  checkDownloadable(request.caller!, id, report);
  const size = fileSize(id, report.filePath!);
  reply.headers({
    'content-type': report.contentType ?? 'application/octet-stream',
    'content-length': String(size),
    'content-disposition': `attachment; filename="${(report.fileName ?? `${id}`).replace(/["\\\r\n]/g, '_')}"`,
    'cache-control': 'private, no-store',
  });
  if (request.method === 'HEAD') return reply.send();
  // The file is read from disk as the client takes it (a client that goes away ends the stream);
  // one that takes nothing for PI_QUERY_TIMEOUT_MS is cut.
  cutWhenIdle(reply.raw, idleMs);
  return reply.send(createReadStream(report.filePath!));
}

function notFound(id: string): never {
  throw new HttpError(404, { error: 'not found', message: `no generated report "${id}"; list yours with the generatedReports query` });
}

/** 403 for a dataset the caller may not read, 410 once expired, 409 while not READY. */
function checkDownloadable(caller: Caller, id: string, report: ReportFile): void {
  const dataset = datasetNamed(report.dataset);
  if (!dataset || exportDenied(caller, dataset)) {
    const roles = dataset ? rolesFor(dataset) : [];
    throw new HttpError(403, {
      error: 'forbidden',
      message: `downloading "${dataset?.title ?? report.dataset}"${dataset?.contains.length ? ` (it contains ${dataset.contains.join(', ')})` : ''} needs one of these roles: ${roles.join(', ')}`,
      requiredRoles: roles,
    });
  }
  if (report.status === 'EXPIRED') {
    throw new HttpError(410, {
      error: 'gone',
      message: `report ${id} expired${report.expiresAt ? ` at ${report.expiresAt}` : ''}: files are kept ${RETENTION_DAYS} days; generate it again`,
    });
  }
  if (report.status !== 'READY') {
    throw new HttpError(409, {
      error: 'not ready',
      message: `report ${id} is ${report.status}; it can be downloaded when READY${report.error ? ` (error: ${report.error})` : ''}`,
      status: report.status,
      allowedStates: ['READY'],
    });
  }
}

function fileSize(id: string, path: string): number {
  try {
    return statSync(path).size;
  } catch {
    throw new HttpError(410, { error: 'gone', message: `the file of report ${id} is no longer on the server; generate it again` });
  }
}
