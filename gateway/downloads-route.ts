import { createReadStream, statSync } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import type { Warehouse } from '../warehouse/db';
import { RETENTION_DAYS, reportFile } from '../warehouse/exports/downloads';
import { datasetNamed, exportDenied, rolesFor } from '../warehouse/exports/downloads-engine';
import { sendJson, type Route } from './http';

/**
 * GET /downloads/<id>: the file of a generated report (exports subgraph, generateReport), streamed
 * from disk. A bearer token or an API key. 404 unknown (or another partner's or location's), 403
 * when the caller's roles may not read the dataset, 410 once expired, 409 while not READY.
 */
export function downloadsRoute(warehouse: Warehouse): Route {
  return {
    name: 'downloads',
    methods: ['GET', 'HEAD'],
    path: '/downloads/*',
    auth: true,
    acceptsApiKey: true,
    async handle(req, res, ctx) {
      // Report ids are UUIDs: anything else (including encoded slashes or dots) is simply not found.
      const id = ctx.url.pathname.slice('/downloads/'.length);
      const caller = ctx.caller!;
      const report = /^[\w-]{1,64}$/.test(id) ? await reportFile(warehouse, caller, id) : undefined;
      if (!report) return sendJson(res, 404, { error: 'not found', message: `no generated report "${id}"; list yours with the generatedReports query` });

      const dataset = datasetNamed(report.dataset);
      if (!dataset || exportDenied(caller, dataset)) {
        const roles = dataset ? rolesFor(dataset) : [];
        return sendJson(res, 403, {
          error: 'forbidden',
          message: `downloading "${dataset?.title ?? report.dataset}"${dataset?.contains.length ? ` (it contains ${dataset.contains.join(', ')})` : ''} needs one of these roles: ${roles.join(', ')}`,
          requiredRoles: roles,
        });
      }
      if (report.status === 'EXPIRED') {
        return sendJson(res, 410, {
          error: 'gone',
          message: `report ${id} expired${report.expiresAt ? ` at ${report.expiresAt}` : ''}: files are kept ${RETENTION_DAYS} days; generate it again`,
        });
      }
      if (report.status !== 'READY') {
        return sendJson(res, 409, {
          error: 'not ready',
          message: `report ${id} is ${report.status}; it can be downloaded when READY${report.error ? ` (error: ${report.error})` : ''}`,
          status: report.status,
          allowedStates: ['READY'],
        });
      }
      let size: number;
      try {
        size = statSync(report.filePath!).size;
      } catch {
        return sendJson(res, 410, { error: 'gone', message: `the file of report ${id} is no longer on the server; generate it again` });
      }
      res.writeHead(200, {
        'content-type': report.contentType ?? 'application/octet-stream',
        'content-length': size,
        'content-disposition': `attachment; filename="${(report.fileName ?? `${id}`).replace(/["\\\r\n]/g, '_')}"`,
        'cache-control': 'private, no-store',
      });
      if (req.method === 'HEAD') return void res.end();
      await pipeline(createReadStream(report.filePath!), res);
    },
  };
}
