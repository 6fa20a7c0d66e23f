import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { copyFile, link, rm, stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Caller } from '../core/caller';
import { badUserInput, DomainError, ErrorCode, forbidden, notFound } from '../core/errors';
import { hasPermission, rolesFor } from '../core/permissions';
import type { IngestionEvent, IngestionQueue, IngestOptions } from '../etl/ingest/queue';
import { warehouseStatus, type LoadResult } from '../etl/load';
import type { Warehouse } from '../warehouse/db';
import { jobById, type LoadJobFileRow, type LoadJobWithFiles } from '../warehouse/ingestion/jobs';
import type { Logger } from './logger';
import { OPERATOR_PARTNER } from './plugins/authenticate';
import { HttpError } from './plugins/errors';

/**
 * Loading files through the serving process, which holds the warehouse (DuckDB: one writer per
 * file). The local CLI uses these routes when a server owns the warehouse (warehouse/owner.ts,
 * cli/remote.ts); any client with a loading role may too.
 *
 *   POST /ingest/uploads?name=<file name>   body: the file's bytes as they are (no multipart; any
 *                                           content type), streamed to a temporary file of the
 *                                           server; at most PI_MAX_UPLOAD_BYTES
 *                                           -> 201 { uploadId, name, sizeBytes }
 *   POST /ingest/loads                      { uploads: [uploadId...], options?: { format?, maxBadShare?,
 *                                           invoice?, partner?, customer? } } -> 202, the job (Location:
 *                                           /ingest/loads/<id>); the uploads are the job's from then on
 *                                           (deleted when it ends)
 *   GET  /ingest/loads/<id>                 the job with per-file results (`result`: the loader's
 *                                           LoadResult for a finished file) and `progress` while it runs
 *   GET  /ingest/status?limit=N             the warehouse status, as `partner-insights status --json`
 *
 * Who: permission loadData (Global admin, Billing admin) by bearer token or API key, or the local
 * operator (owner secret). A token loads for its own partner only: `options.partner` must be its
 * partner, and the loader is told to take that partner's rows only. Uploads and jobs belong to
 * the uploader's partner: another partner's are not found. The status covers every partner's
 * loads and quarantined rows, so only the operator reads it.
 *
 *   400 a bad name, body or option (the message says which)   401 no or bad credentials
 *   403 no loading role (requiredRoles)   404 unknown upload or job   413 upload too large
 *   409 the server is shutting down (the queue takes no more jobs)
 */
export interface IngestRoutesOptions {
  warehouse: Warehouse;
  queue: IngestionQueue;
  log: Logger;
  /** Where uploads are written (a temporary directory of the server, removed at shutdown). */
  uploadDir: string;
  /** PI_MAX_UPLOAD_BYTES. */
  maxUploadBytes: number;
  /** How long an upload no job took is kept (default 1 hour). */
  uploadTtlMs?: number;
}

/** PI_MAX_UPLOAD_BYTES: the largest file POST /ingest/uploads takes (default 20 GB). */
export const DEFAULT_MAX_UPLOAD_BYTES = 20_000_000_000;

export function maxUploadBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.PI_MAX_UPLOAD_BYTES;
  if (raw === undefined || raw === '') return DEFAULT_MAX_UPLOAD_BYTES;
  const n = Number(raw);
  if (!Number.isSafeInteger(n) || n <= 0) throw new Error(`PI_MAX_UPLOAD_BYTES must be a whole number of bytes, got "${raw}"`);
  return n;
}

interface Upload {
  id: string;
  path: string;
  name: string;
  sizeBytes: number;
  partnerId: string;
  expires: number;
}

/** The uploads no job has taken yet, by id; expired ones are deleted. */
export class UploadStore {
  private readonly uploads = new Map<string, Upload>();
  private readonly timer: NodeJS.Timeout;

  constructor(readonly ttlMs: number) {
    this.timer = setInterval(() => void this.sweep(), Math.min(ttlMs, 60_000));
    this.timer.unref();
  }

  add(upload: Upload): void {
    this.uploads.set(upload.id, upload);
  }

  /** The caller's uploads of these ids, taken out of the store (NOT_FOUND for unknown or another partner's). */
  take(ids: readonly string[], caller: Caller): Upload[] {
    const seen = new Set<string>();
    for (const [i, id] of ids.entries()) {
      if (seen.has(id)) throw badUserInput(`uploads[${i}]: upload ${id} is listed twice`, `uploads[${i}]`);
      seen.add(id);
      const upload = this.uploads.get(id);
      if (!upload || upload.partnerId !== caller.partnerId || upload.expires < Date.now()) throw notFound('Upload', id);
    }
    return ids.map((id) => {
      const upload = this.uploads.get(id)!;
      this.uploads.delete(id);
      return upload;
    });
  }

  private async sweep(): Promise<void> {
    const now = Date.now();
    for (const upload of [...this.uploads.values()]) {
      if (upload.expires >= now) continue;
      this.uploads.delete(upload.id);
      await rm(upload.path, { force: true }).catch(() => undefined);
    }
  }

  close(): void {
    clearInterval(this.timer);
    this.uploads.clear();
  }
}

/** The files of a job as the CLI prints them: the job's row, and the loader's result once a file ended. */
export type JobFileView = LoadJobFileRow & { result: LoadResult | null };
export type JobView = Omit<LoadJobWithFiles, 'files'> & {
  files: JobFileView[];
  /** The file being loaded and its phase, while the job runs. */
  progress: { position: number; phase: string; fraction: number | null } | null;
};

const UPLOAD_QUERY = {
  type: 'object',
  required: ['name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 255, pattern: '^(?!\\.{1,2}$)[^/\\\\\\u0000]+$' },
    // The local operator's hand-over: a file of this machine, taken by path instead of a body.
    localPath: { type: 'string', minLength: 1, maxLength: 4096 },
  },
} as const;

const LOAD_BODY = {
  type: 'object',
  required: ['uploads'],
  additionalProperties: false,
  properties: {
    uploads: { type: 'array', minItems: 1, maxItems: 100_000, items: { type: 'string', minLength: 1, maxLength: 64 } },
    options: {
      type: 'object',
      additionalProperties: false,
      properties: {
        format: { type: 'string', minLength: 1, maxLength: 64 },
        maxBadShare: { type: 'number', minimum: 0, maximum: 1 },
        invoice: { type: 'string', minLength: 1, maxLength: 64 },
        partner: { type: 'string', minLength: 1, maxLength: 64 },
        customer: { type: 'string', minLength: 1, maxLength: 128 },
      },
    },
  },
} as const;

const JOB_PARAMS = { type: 'object', required: ['id'], properties: { id: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9-]+$' } } } as const;
const STATUS_QUERY = { type: 'object', properties: { limit: { type: 'integer', minimum: 0, maximum: 100_000 } } } as const;

interface LoadBody {
  uploads: string[];
  options?: { format?: string; maxBadShare?: number; invoice?: string; partner?: string; customer?: string };
}

/** The ingestion routes, one Fastify plugin per group: uploads, load jobs, status. */
export function ingestRoutes(options: IngestRoutesOptions): { plugins: FastifyPluginAsync[]; close(): void } {
  const uploads = new UploadStore(options.uploadTtlMs ?? 3_600_000);
  const progress = trackProgress(options.queue);
  return {
    plugins: [uploadsRoute(options, uploads), loadsRoutes(options, uploads, progress.of), statusRoute(options.warehouse)],
    close() {
      progress.stop();
      uploads.close();
    },
  };
}

/** Only callers who may load: permission loadData, or the local operator. */
function assertMayLoad(request: FastifyRequest, what: string): Caller {
  const caller = request.caller!;
  if (!request.operator && !hasPermission(caller, 'loadData')) throw forbidden(what, rolesFor('loadData'), 'loadData');
  return caller;
}

function uploadsRoute({ uploadDir, maxUploadBytes, log }: IngestRoutesOptions, uploads: UploadStore): FastifyPluginAsync {
  return async (app) => {
    app.route<{ Querystring: { name: string; localPath?: string } }>({
      method: 'POST',
      url: '/ingest/uploads',
      schema: { querystring: UPLOAD_QUERY },
      config: {
        name: 'ingest-uploads',
        auth: true,
        acceptsApiKey: true,
        acceptsOperator: true,
        explainInvalid: (request) => {
          assertMayLoad(request, 'Loading files');
          throw badUserInput('name: the file name, without directories (at most 255 characters): /ingest/uploads?name=<file name>', 'name');
        },
      },
      handler: async (request, reply) => {
        const caller = assertMayLoad(request, 'Loading files');
        const declared = Number(request.headers['content-length']);
        if (Number.isFinite(declared) && declared > maxUploadBytes) throw tooLarge(maxUploadBytes);
        const id = randomUUID();
        const path = join(uploadDir, id);
        const name = request.query.name;
        if (request.query.localPath !== undefined) {
          const sizeBytes = await handOver(request, request.query.localPath, path, maxUploadBytes);
          uploads.add({ id, path, name, sizeBytes, partnerId: caller.partnerId, expires: Date.now() + uploads.ttlMs });
          return reply.code(201).send({ uploadId: id, name, sizeBytes });
        }
        let size = 0;
        const limit = new Transform({
          transform(chunk: Buffer, _encoding, done) {
            size += chunk.length;
            done(size > maxUploadBytes ? tooLarge(maxUploadBytes) : null, chunk);
          },
        });
        try {
          await pipeline(request.raw, limit, createWriteStream(path, { flags: 'wx', mode: 0o600 }));
        } catch (err) {
          await rm(path, { force: true });
          if (err instanceof HttpError) throw err;
          log.info({ requestId: request.id, err }, 'upload interrupted');
          throw new HttpError(400, { error: 'bad request', message: `the upload did not complete: ${(err as Error).message}` }, { connection: 'close' });
        }
        uploads.add({ id, path, name, sizeBytes: size, partnerId: caller.partnerId, expires: Date.now() + uploads.ttlMs });
        return reply.code(201).send({ uploadId: id, name, sizeBytes: size });
      },
    });
  };
}

/**
 * The local operator (the CLI beside the server, holding the owner file's secret) hands a file over
 * by its path: linked into the upload directory (a copy across file systems), off the event loop,
 * instead of streamed through it while the server answers queries. The job deletes the link, never
 * the operator's file. Tokens and API keys upload the bytes.
 */
async function handOver(request: FastifyRequest, localPath: string, path: string, maxUploadBytes: number): Promise<number> {
  if (!request.operator) throw badUserInput('localPath is for the local operator (x-pi-owner-secret) only: upload the file as the body', 'localPath');
  if (!isAbsolute(localPath)) throw badUserInput(`localPath must be absolute: ${localPath}`, 'localPath');
  const info = await stat(localPath).catch(() => null);
  if (!info?.isFile()) throw badUserInput(`localPath ${localPath} is not a readable file on the server's machine`, 'localPath');
  if (info.size > maxUploadBytes) throw tooLarge(maxUploadBytes);
  await link(localPath, path).catch(() => copyFile(localPath, path));
  return info.size;
}

function tooLarge(max: number): HttpError {
  return new HttpError(413, { error: 'payload too large', message: `the file is larger than PI_MAX_UPLOAD_BYTES (${max} bytes)` }, { connection: 'close' });
}

function loadsRoutes({ warehouse, queue, log }: IngestRoutesOptions, uploads: UploadStore, progressOf: (id: string) => JobView['progress']): FastifyPluginAsync {
  return async (app) => {
    // JSON bodies for the routes of this plugin only (elsewhere bodies stay unread: gateway/http.ts).
    app.addContentTypeParser('application/json', { parseAs: 'string', bodyLimit: 4 << 20 }, (_request, text, done) => {
      try {
        done(null, text === '' ? undefined : JSON.parse(String(text)));
      } catch {
        done(new HttpError(400, { error: 'bad request', message: 'the body is not valid JSON' }), undefined);
      }
    });

    app.route<{ Body: LoadBody }>({
      method: 'POST',
      url: '/ingest/loads',
      schema: { body: LOAD_BODY },
      // A refused body is 400 with the validator's message, after the role check (403 first).
      config: { name: 'ingest-loads', auth: true, acceptsApiKey: true, acceptsOperator: true, explainInvalid: (request) => void assertMayLoad(request, 'Loading files') },
      handler: async (request, reply) => {
        const caller = assertMayLoad(request, 'Loading files');
        const given = request.body.options ?? {};
        // A load is for the caller's partner (the operator's: the one it names, x-pi-partner), and
        // takes only that partner's rows; an operator that names none loads any rows.
        if (given.partner !== undefined && given.partner !== caller.partnerId) {
          if (request.operator) throw badUserInput(`options.partner (${given.partner}) must be the partner of x-pi-partner (${caller.partnerId})`, 'options.partner');
          throw new DomainError(ErrorCode.FORBIDDEN, `a caller of partner ${caller.partnerId} may load only its own partner's rows, not partner ${given.partner}'s`, {
            partner: given.partner,
          });
        }
        const partnerId = caller.partnerId === OPERATOR_PARTNER && request.operator ? undefined : caller.partnerId;
        const files = uploads.take(request.body.uploads, caller);
        // A token's load takes only its partner's rows (partnerId); an operator without x-pi-partner
        // loads as the offline CLI does.
        const loadOptions: IngestOptions = {
          ...(given.format !== undefined ? { format: given.format } : {}),
          ...(given.maxBadShare !== undefined ? { maxBadShare: given.maxBadShare } : {}),
          ...(partnerId !== undefined ? { partnerId } : {}),
          ...(given.customer !== undefined ? { customerId: given.customer } : {}),
          ...(given.invoice !== undefined ? { invoiceNumber: given.invoice } : {}),
          deleteFiles: true,
        };
        let id: string;
        try {
          id = await queue.enqueue({
            partnerId: caller.partnerId,
            requestedBy: caller.subject ?? (request.operator ? 'operator' : null),
            files: files.map((f) => ({ path: f.path, name: f.name })),
            options: loadOptions,
          });
        } catch (err) {
          // Not queued: the uploads are nobody's now.
          await Promise.all(files.map((f) => rm(f.path, { force: true })));
          throw err;
        }
        log.info({ requestId: request.id, job: id, files: files.length, operator: request.operator }, 'load job accepted');
        const job = await jobView(warehouse, caller, id, progressOf);
        return reply.code(202).header('location', `/ingest/loads/${id}`).send(job);
      },
    });

    app.route<{ Params: { id: string } }>({
      method: 'GET',
      url: '/ingest/loads/:id',
      schema: { params: JOB_PARAMS },
      config: {
        name: 'ingest-load',
        auth: true,
        acceptsApiKey: true,
        acceptsOperator: true,
        explainInvalid: (request) => {
          assertMayLoad(request, 'Load jobs');
          throw notFound('LoadJob', (request.params as { id?: string }).id ?? '');
        },
      },
      handler: async (request) => {
        const caller = assertMayLoad(request, 'Load jobs');
        return jobView(warehouse, caller, request.params.id, progressOf);
      },
    });
  };
}

function statusRoute(warehouse: Warehouse): FastifyPluginAsync {
  return async (app) => {
    app.route<{ Querystring: { limit?: number } }>({
      method: 'GET',
      url: '/ingest/status',
      schema: { querystring: STATUS_QUERY },
      config: {
        name: 'ingest-status',
        auth: true,
        acceptsOperator: true,
        explainInvalid: (request) => {
          assertOperator(request);
          throw badUserInput('limit: a whole number from 0', 'limit');
        },
      },
      handler: async (request) => {
        assertOperator(request);
        return { path: warehouse.path, ...(await warehouseStatus(warehouse, { limit: request.query.limit ?? 20 })) };
      },
    });
  };
}

function assertOperator(request: FastifyRequest): void {
  if (request.operator) return;
  throw new DomainError(
    ErrorCode.FORBIDDEN,
    'the warehouse status covers every partner’s loads and quarantined rows: only the local operator may read it (`partner-insights status` on the serving host)',
  );
}

/** The latest progress of each running job, from the queue's events. */
function trackProgress(queue: IngestionQueue): { of: (id: string) => JobView['progress']; stop(): void } {
  const latest = new Map<string, NonNullable<JobView['progress']>>();
  const stop = queue.onChange((event: IngestionEvent) => {
    if (event.type === 'progress') latest.set(event.jobId, { position: event.position, phase: event.phase, fraction: event.fraction ?? null });
    else if (event.type === 'finished') latest.delete(event.jobId);
  });
  return { of: (id) => latest.get(id) ?? null, stop };
}

async function jobView(warehouse: Warehouse, caller: Caller, id: string, progressOf: (id: string) => JobView['progress']): Promise<JobView> {
  const job = await jobById(warehouse, caller, id);
  if (!job) throw notFound('LoadJob', id);
  const running = job.state === 'RUNNING' ? progressOf(id) : null;
  return { ...job, files: job.files.map((f) => ({ ...f, result: (f.result as LoadResult | null) ?? null })), progress: running };
}

