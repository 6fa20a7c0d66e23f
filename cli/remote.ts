import { createWriteStream } from 'node:fs';
import { resolve } from 'node:path';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { DomainError, ERROR_OUTCOMES, ErrorCode, type ErrorCode as Code } from '../core/errors';
import { liveOwner, lockConflictOf, ownerFilePath, type WarehouseOwner } from '../warehouse/owner';

/**
 * The CLI and the process that serves the warehouse. DuckDB lets one process open a database file
 * for writing; while `partner-insights start` (or `serve`) runs, it owns the file and says so in
 * `<PI_DB>.owner.json` (warehouse/owner.ts). Every command that needs the warehouse asks
 * findOwner() first: with a live owner it works through that server's routes (OwnerClient:
 * /ingest/*, /exports/*, /reports/executive) as the local operator (the owner secret, and the
 * partner, roles and locations it was given); without one it opens the file itself. When DuckDB
 * refuses the file anyway (a server of an older build, another tool), explainLockConflict turns the
 * refusal into what to do (cli/program.ts calls it for every error a command throws).
 */

/** The warehouse file of this run: PI_DB, else the default (warehouse/db.ts DEFAULT_DB_PATH). */
export function warehousePath(): string {
  return process.env.PI_DB || './data/partner-insights.duckdb';
}

/**
 * The live owner of the warehouse file: its process is alive and its server answers (a stale file,
 * or a pid reused by another program, is ignored). Null: open the file here.
 */
export async function findOwner(path: string = warehousePath()): Promise<WarehouseOwner | null> {
  const owner = liveOwner(path);
  if (!owner) return null;
  try {
    const response = await send(owner.url, 'GET', '/healthz', { headers: {}, timeoutMs: 3000 });
    response.resume();
    return owner;
  } catch (err) {
    // Nothing listens there: not a server of ours (the pid was reused after a crash).
    if ((err as NodeJS.ErrnoException).code === 'ECONNREFUSED') return null;
    return owner;
  }
}

/** Who the operator acts as: the --partner, --role and --location of the command. */
export interface OperatorIdentity {
  partner?: string;
  roles?: readonly string[];
  locations?: readonly string[] | null;
}

/** Refused before any work, without the command's usage (exit code 2). */
export class RefusedError extends DomainError {
  constructor(message: string) {
    super(ErrorCode.INVALID_STATE, message);
  }
}

/**
 * The message for a warehouse DuckDB would not open because another process holds it; null for
 * any other error.
 */
export function explainLockConflict(error: unknown): Error | null {
  const conflict = lockConflictOf(error);
  if (!conflict) return null;
  const path = conflict.path ?? warehousePath();
  const holder = conflict.pid !== null ? `process ${conflict.pid}${conflict.program ? ` (${conflict.program})` : ''}` : 'another process';
  const owner = liveOwner(path);
  const served = owner ? ` It is served by process ${owner.pid} at ${owner.url}, which did not answer.` : '';
  return new Error(
    `the warehouse ${path} is open in ${holder}: DuckDB lets one process at a time open a warehouse file.${served} ` +
      `Stop that process${conflict.pid !== null ? ` (kill ${conflict.pid})` : ''} and run the command again, or, when it is a partner-insights ` +
      `server (start, serve) of this version, run the command while it serves: the CLI then works through it (such a server writes ${ownerFilePath(path)}).`,
  );
}

/** What a route answered when it was not a success: thrown with its message and exit code. */
export class RemoteError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteError';
  }
}

interface SendOptions {
  headers: Record<string, string>;
  body?: string | Buffer | NodeJS.ReadableStream;
  timeoutMs?: number;
}

function send(base: string, method: string, path: string, options: SendOptions): Promise<IncomingMessage> {
  const url = new URL(path, base);
  const request = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(url, { method, headers: options.headers, timeout: options.timeoutMs }, resolve);
    req.once('error', reject);
    req.once('timeout', () => req.destroy(Object.assign(new Error(`no answer from ${url.origin} in ${options.timeoutMs} ms`), { code: 'ETIMEDOUT' })));
    const { body } = options;
    if (body === undefined) req.end();
    else if (typeof body === 'string' || Buffer.isBuffer(body)) req.end(body);
    else pipeline(body, req).catch((err) => req.destroy(err));
  });
}

async function readText(response: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** The error a non-success answer means: a DomainError for the codes of core/errors.ts (exit 2), else RemoteError (exit 1). */
async function failure(response: IncomingMessage, what: string): Promise<Error> {
  const text = await readText(response).catch(() => '');
  let body: Record<string, unknown> = {};
  try {
    body = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: the text says it
  }
  const status = response.statusCode ?? 0;
  const message = String(body.message ?? body.error ?? (text || `HTTP ${status}`));
  const { error: _error, message: _message, code, ...details } = body;
  if (typeof code === 'string' && code in ERROR_OUTCOMES) return new DomainError(code as Code, message, details);
  if (status === 401) return new DomainError(ErrorCode.UNAUTHENTICATED, `${what}: ${message}`);
  if (status >= 400 && status < 500) return new DomainError(ErrorCode.BAD_USER_INPUT, `${what}: ${message}`, details);
  return new RemoteError(status, `${what}: the server answered ${status}: ${message}`);
}

/** The server that owns the warehouse, called as the local operator. */
export class OwnerClient {
  constructor(
    readonly owner: WarehouseOwner,
    private readonly identity: OperatorIdentity = {},
  ) {}

  /** The operator headers: the owner secret, and the partner, roles and locations acted for. */
  headers(extra: Record<string, string> = {}): Record<string, string> {
    const headers: Record<string, string> = { 'x-pi-owner-secret': this.owner.secret, ...extra };
    if (this.identity.partner) headers['x-pi-partner'] = this.identity.partner;
    if (this.identity.roles?.length) headers['x-pi-roles'] = this.identity.roles.join(',');
    if (this.identity.locations?.length) headers['x-pi-locations'] = this.identity.locations.join(',');
    return headers;
  }

  /** "the server at <url> (process <pid>)", for messages. */
  describe(): string {
    return `the server at ${this.owner.url} (process ${this.owner.pid})`;
  }

  private async call(method: string, path: string, options: Omit<SendOptions, 'headers'> & { headers?: Record<string, string> } = {}): Promise<IncomingMessage> {
    try {
      return await send(this.owner.url, method, path, { ...options, headers: this.headers(options.headers) });
    } catch (err) {
      throw new RemoteError(0, `${this.describe()}, which holds the warehouse, did not answer ${method} ${path}: ${(err as Error).message}`);
    }
  }

  /** A JSON route: its body on success (2xx), else the error it means. */
  async json<T>(method: string, path: string, body?: unknown): Promise<T> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const headers: Record<string, string> = payload === undefined ? {} : { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) };
    const response = await this.call(method, path, { body: payload, headers });
    if ((response.statusCode ?? 0) >= 300) throw await failure(response, `${method} ${path}`);
    return JSON.parse(await readText(response)) as T;
  }

  /**
   * Hands a file of this machine to the server by its path (POST /ingest/uploads?localPath=, the
   * local operator's): the server links or copies it off its event loop instead of reading it
   * through HTTP while it answers queries.
   */
  async handOver(file: string, name: string): Promise<{ uploadId: string; sizeBytes: number }> {
    const path = `/ingest/uploads?name=${encodeURIComponent(name)}&localPath=${encodeURIComponent(resolve(file))}`;
    const response = await this.call('POST', path, { headers: { 'content-length': '0' } });
    if ((response.statusCode ?? 0) >= 300) throw await failure(response, `handing ${name} over`);
    return JSON.parse(await readText(response)) as { uploadId: string; sizeBytes: number };
  }

  /**
   * GETs a file route and streams the body to `file`; progress in bytes received (and the total
   * when the server sent its length). Returns the response headers and the bytes written.
   */
  async download(path: string, file: string, onProgress?: (received: number, total: number | null) => void): Promise<{ bytes: number; headers: IncomingMessage['headers'] }> {
    const response = await this.call('GET', path);
    if ((response.statusCode ?? 0) >= 300) throw await failure(response, `GET ${path.split('?')[0]}`);
    const total = Number(response.headers['content-length']);
    let bytes = 0;
    const counter = new Transform({
      transform(chunk: Buffer, _encoding, done) {
        bytes += chunk.length;
        onProgress?.(bytes, Number.isFinite(total) ? total : null);
        done(null, chunk);
      },
    });
    await pipeline(response, counter, createWriteStream(file));
    if (Number.isFinite(total) && bytes !== total) throw new RemoteError(0, `GET ${path.split('?')[0]}: the answer ended after ${bytes} of ${total} bytes`);
    return { bytes, headers: response.headers };
  }
}
