import { mkdtemp, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DomainError, ERROR_OUTCOMES } from '../core/errors';
import type { Warehouse } from '../warehouse/db';
import { exportToFile, parseFilters, parseFormat, parseRange, parseSplitBy } from '../warehouse/exports';
import type { ServerResponse } from 'node:http';
import { sendJson, type Route } from './http';

/**
 * GET /exports/<dataset>.<format>?range=…&<filters>: a dataset exported on request, at a stable URL
 * a BI tool can refresh (Power BI's Web connector, Excel's Get Data > From Web). A bearer token or
 * an API key. The file is written to a temporary directory by the export engine (DuckDB COPY, or
 * the streamed workbook), then streamed to the client with its length and name, and deleted.
 *
 *   400 unknown dataset, format, range, filter or splitBy (the message lists what is allowed)
 *   403 the caller's roles may not export the dataset (requiredRoles names the roles that may)
 */
export function exportsRoute(warehouse: Warehouse): Route {
  return {
    name: 'exports',
    methods: ['GET', 'HEAD'],
    path: '/exports/*',
    auth: true,
    acceptsApiKey: true,
    async handle(req, res, ctx) {
      let target: string;
      try {
        target = decodeURIComponent(ctx.url.pathname.slice('/exports/'.length));
      } catch {
        return sendJson(res, 400, { error: 'bad request', message: 'the path is not valid percent-encoding; use /exports/<dataset>.<format>' });
      }
      // Dataset names contain dots (insights.customers): the format is what follows the last one.
      const dot = target.lastIndexOf('.');
      if (dot <= 0) {
        return sendJson(res, 400, { error: 'bad request', message: `use /exports/<dataset>.<format>, e.g. /exports/customer-details.tsv; got "${target}"` });
      }
      const dir = await mkdtemp(join(tmpdir(), 'pi-export-'));
      try {
        const params = ctx.url.searchParams;
        const request = {
          dataset: target.slice(0, dot),
          format: parseFormat(target.slice(dot + 1)),
          range: parseRange(params.get('range')),
          filters: parseFilters(params),
          splitBy: parseSplitBy(params.get('splitBy')),
        };
        const started = performance.now();
        const result = await exportToFile(warehouse, ctx.caller!, request, join(dir, `export.${request.format}`));
        res.writeHead(200, {
          // How long writing the file took, before the first byte is sent (the rest is the transfer).
          'server-timing': `export;dur=${(performance.now() - started).toFixed(0)}`,
          'content-type': result.contentType,
          'content-length': result.bytes,
          'content-disposition': `attachment; filename="${result.fileName.replace(/["\\\r\n]/g, '_')}"`,
          'cache-control': 'private, no-store',
          'x-export-rows': String(result.rows),
        });
        if (req.method === 'HEAD') return void res.end();
        await sendFile(result.file, res);
      } catch (err) {
        if (!(err instanceof DomainError) || res.headersSent) throw err;
        const outcome = ERROR_OUTCOMES[err.code];
        return sendJson(res, outcome.status, { error: outcome.error, message: err.message, code: err.code, ...err.details });
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    },
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
