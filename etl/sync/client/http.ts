import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { createGunzip } from 'node:zlib';
import type { PartnerCenterSettings } from './settings';
import type { TokenSource } from './token';

/**
 * The one way the sync talks HTTP: JSON calls to Partner Center, the Referrals API and Graph, and
 * streamed downloads of export blobs. Every attempt has a timeout; throttling (429), server errors
 * (500, 502, 503, 504), network errors and timeouts are retried with exponential backoff and jitter,
 * at most settings.maxRetries times, waiting what Retry-After asks when it is given (capped). So
 * each call's work is bounded: (maxRetries + 1) attempts of at most requestTimeoutMs each, plus the
 * waits between them.
 *
 *   const http = new ApiHttp({ settings, tokens, onRequest: (e) => log.debug(e) });
 *   const { body } = await http.json<Page>('GET', url, { scope: PARTNER_CENTER_SCOPE });
 *   await http.download(blobSasUrl, '/tmp/part-0.jsonl.gz');   // no Authorization; verified gzip
 *
 * Failures are PartnerCenterApiError: method, URL without its query-string secrets, status,
 * attempts made, an excerpt of the body and Microsoft's request ids, so a support ticket can quote
 * them. Bearer tokens and SAS signatures never reach a message, an event or a log.
 */

/** What onRequest hears after each attempt (progress and logs). The URL is redacted. */
export interface RequestEvent {
  method: string;
  url: string;
  /** HTTP status, or undefined when the attempt got no response (network error, timeout). */
  status?: number;
  /** 1 for the first attempt. */
  attempt: number;
  ms: number;
  /** Why an attempt without a response failed ('timeout' or the error's message). */
  error?: string;
}

export interface ApiHttpOptions {
  settings: Pick<PartnerCenterSettings, 'requestTimeoutMs' | 'maxRetries'>;
  /** Needed for calls with a scope. */
  tokens?: TokenSource;
  /** Waits between attempts (tests inject a recorder). Default: a real timer. */
  sleep?: (ms: number) => Promise<void>;
  /** Jitter source in [0, 1). Default Math.random. */
  random?: () => number;
  onRequest?: (event: RequestEvent) => void;
  /** First backoff step; doubles each retry. Default 1 s. */
  backoffBaseMs?: number;
  /** Longest backoff step. Default 60 s. */
  backoffMaxMs?: number;
  /** Longest wait a Retry-After may ask for. Default 120 s. */
  maxRetryAfterMs?: number;
  /** Longest a whole blob download may take, however steadily bytes arrive. Default 2 h. */
  maxDownloadMs?: number;
}

export interface JsonRequest {
  /** Token scope; without one no Authorization header is sent. */
  scope?: string;
  /** Sent as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  /** Statuses that count as success. Default: any 2xx. */
  accept?: number[];
}

export interface JsonResponse<T> {
  status: number;
  headers: Headers;
  /** The parsed body; undefined for an empty one (a 202 without content). */
  body: T;
}

export interface DownloadResult {
  path: string;
  /** Bytes written (the compressed blob). */
  bytes: number;
  /** Bytes the blob decompresses to. */
  decompressedBytes: number;
}

/** Response headers Microsoft services use to identify a request (quoted in errors). */
const REQUEST_ID_HEADERS = ['MS-CorrelationId', 'MS-RequestId', 'request-id', 'client-request-id', 'x-ms-request-id'];
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
/** Query parameters of an Azure Storage SAS; any of them means the whole query is a credential. */
const SAS_PARAMETERS = ['sig', 'sv', 'se', 'sp', 'st', 'spr', 'sr', 'srt', 'ss', 'si', 'sip', 'skoid', 'sktid', 'skt', 'ske', 'sks', 'skv', 'sdd', 'saoid', 'suoid', 'scid'];
const EXCERPT_BYTES = 2048;
const EXCERPT_CHARS = 500;

export type FailureKind = 'status' | 'timeout' | 'network' | 'invalid-json';

/** A call that did not succeed, after the retries it was allowed. */
export class PartnerCenterApiError extends Error {
  constructor(
    readonly kind: FailureKind,
    readonly method: string,
    /** The URL with any SAS query and credentials removed. */
    readonly url: string,
    readonly attempts: number,
    /** The last response's status; undefined when there was none. */
    readonly status: number | undefined,
    /** The start of the last response's body, whitespace collapsed and secrets masked. */
    readonly bodyExcerpt: string | undefined,
    /** MS-CorrelationId, MS-RequestId, request-id, client-request-id of the last response (or of the request). */
    readonly requestIds: Record<string, string>,
    detail?: string,
  ) {
    const ids = Object.entries(requestIds).map(([name, value]) => `${name}=${value}`).join(', ');
    const what = kind === 'status' ? `HTTP ${status}` : kind === 'invalid-json' ? `a body that is not JSON (HTTP ${status})` : kind === 'timeout' ? 'a timeout' : `a network error${detail ? ` (${detail})` : ''}`;
    super(
      `${method} ${url} failed with ${what} after ${attempts} attempt${attempts === 1 ? '' : 's'}` +
        (ids ? ` [${ids}]` : '') +
        (bodyExcerpt ? `: ${bodyExcerpt}` : ''),
    );
    this.name = 'PartnerCenterApiError';
  }
}

/** A blob that arrived but is not what the manifest promises (gzip-compressed JSON lines). */
export class CorruptBlobError extends Error {
  constructor(
    /** The blob's URL without the SAS query. */
    readonly url: string,
    readonly reason: string,
  ) {
    super(`blob ${url} is not a readable gzip file (${reason}); the partial download was removed`);
    this.name = 'CorruptBlobError';
  }
}

/** The URL as it may appear in messages and logs: no credentials, no SAS query. */
export function redactUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return url.replace(/\?.*$/, '?…');
  }
  parsed.username = '';
  parsed.password = '';
  const names = [...parsed.searchParams.keys()].map((k) => k.toLowerCase());
  if (names.some((name) => SAS_PARAMETERS.includes(name))) parsed.search = '';
  return parsed.toString();
}

/** Masks what may look like a credential in a response body excerpt. */
function maskSecrets(text: string): string {
  return text
    .replace(/\b(sig|skoid|sktid)=[^&\s"'<]+/gi, '$1=…')
    .replace(/\bBearer\s+[\w.~+/-]+=*/gi, 'Bearer …')
    .replace(/"(access_token|client_secret|refresh_token)"\s*:\s*"[^"]*"/gi, '"$1":"…"');
}

/** Milliseconds a Retry-After value asks for (delta seconds or an HTTP date); undefined if absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

function requestIdsOf(headers: Headers | undefined, sent: Record<string, string>): Record<string, string> {
  const ids: Record<string, string> = {};
  for (const name of REQUEST_ID_HEADERS) {
    const value = headers?.get(name) ?? Object.entries(sent).find(([k]) => k.toLowerCase() === name.toLowerCase())?.[1];
    if (value) ids[name] = value;
  }
  return ids;
}

function isTimeout(error: unknown): boolean {
  const name = (error as { name?: string } | undefined)?.name;
  const causeName = (error as { cause?: { name?: string } } | undefined)?.cause?.name;
  return name === 'TimeoutError' || causeName === 'TimeoutError' || (name === 'AbortError' && causeName === undefined);
}

function describe(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
}

/** Reads at most EXCERPT_BYTES of a body and drops the rest (bounded even for a huge error page). */
async function excerptOf(response: Response): Promise<string | undefined> {
  if (!response.body) return undefined;
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  try {
    while (size < EXCERPT_BYTES) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      size += value.byteLength;
    }
  } catch {
    // A body that fails half-way still leaves what was read.
  } finally {
    reader.cancel().catch(() => undefined);
  }
  const text = Buffer.concat(chunks).toString('utf8').replace(/^\uFEFF/, '').replace(/\s+/g, ' ').trim();
  if (!text) return undefined;
  const masked = maskSecrets(text);
  return masked.length > EXCERPT_CHARS ? `${masked.slice(0, EXCERPT_CHARS)}…` : masked;
}

function discard(response: Response): void {
  response.body?.cancel().catch(() => undefined);
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ApiHttp {
  readonly sleep: (ms: number) => Promise<void>;
  private readonly random: () => number;
  private readonly timeoutMs: number;
  private readonly maxRetries: number;
  private readonly backoffBaseMs: number;
  private readonly backoffMaxMs: number;
  private readonly maxRetryAfterMs: number;
  private readonly maxDownloadMs: number;

  constructor(private readonly options: ApiHttpOptions) {
    this.sleep = options.sleep ?? realSleep;
    this.random = options.random ?? Math.random;
    this.timeoutMs = options.settings.requestTimeoutMs;
    this.maxRetries = options.settings.maxRetries;
    this.backoffBaseMs = options.backoffBaseMs ?? 1_000;
    this.backoffMaxMs = options.backoffMaxMs ?? 60_000;
    this.maxRetryAfterMs = options.maxRetryAfterMs ?? 120_000;
    this.maxDownloadMs = options.maxDownloadMs ?? 2 * 3_600_000;
  }

  /** How long to wait before attempt `attempt + 1`: Retry-After if given (capped), else backoff with jitter. */
  delayBefore(attempt: number, retryAfter?: number): number {
    if (retryAfter !== undefined) return Math.min(retryAfter, this.maxRetryAfterMs);
    const step = Math.min(this.backoffMaxMs, this.backoffBaseMs * 2 ** (attempt - 1));
    return Math.round(step * (0.5 + this.random() * 0.5));
  }

  /** A JSON call. Non-accepted statuses and unparseable bodies throw PartnerCenterApiError. */
  async json<T = unknown>(method: string, url: string, request: JsonRequest = {}): Promise<JsonResponse<T>> {
    const accepted = (status: number) => (request.accept ? request.accept.includes(status) : status >= 200 && status < 300);
    const headers: Record<string, string> = { Accept: 'application/json', ...request.headers };
    const payload = request.body === undefined ? undefined : JSON.stringify(request.body);
    if (payload !== undefined) headers['Content-Type'] = 'application/json';

    return this.withRetries<JsonResponse<T>>(method, url, headers, async (attemptHeaders, signal, fail) => {
      const response = await fetch(url, { method, headers: attemptHeaders, body: payload, signal, redirect: 'follow' });
      if (!accepted(response.status)) return { retry: RETRYABLE_STATUSES.has(response.status), response };
      const text = (await response.text()).replace(/^\uFEFF/, '');
      let body: T;
      try {
        body = (text.trim() === '' ? undefined : JSON.parse(text)) as T;
      } catch {
        return fail('invalid-json', response, maskSecrets(text.replace(/\s+/g, ' ').slice(0, EXCERPT_CHARS)));
      }
      return { value: { status: response.status, headers: response.headers, body }, status: response.status };
    }, request.scope);
  }

  /**
   * Streams a blob (a SAS URL: no Authorization header) to destPath, checking on the way that it
   * decompresses as gzip; nothing is held in memory beyond stream buffers. The file appears only
   * once complete and verified (written to destPath + '.partial', then renamed); a blob that does
   * not decompress throws CorruptBlobError naming it without its SAS query, and is not retried.
   * The timeout is on silence: an attempt fails when no byte arrives for requestTimeoutMs.
   */
  async download(url: string, destPath: string): Promise<DownloadResult> {
    const partial = `${destPath}.partial`;
    try {
      return await this.withRetries<DownloadResult>('GET', url, {}, async (headers, _signal, _fail, controller) => {
        const response = await fetch(url, { method: 'GET', headers, signal: controller.signal, redirect: 'follow' });
        if (response.status !== 200) return { retry: RETRYABLE_STATUSES.has(response.status), response };
        const check = new GzipCheck();
        let bytes = 0;
        const counter = new Transform({
          transform(chunk: Buffer, _enc, done) {
            bytes += chunk.length;
            controller.touch();
            done(null, chunk);
          },
        });
        const source = response.body ? Readable.fromWeb(response.body as unknown as WebReadableStream<Uint8Array>) : Readable.from([]);
        const file = createWriteStream(partial);
        try {
          await pipeline(source, counter, check, file);
        } catch (error) {
          if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
          await rm(partial, { force: true });
          if (check.failure) throw new CorruptBlobError(redactUrl(url), check.failure.message);
          throw error; // network error or timeout: retried by withRetries
        }
        await rename(partial, destPath);
        return { value: { path: destPath, bytes, decompressedBytes: check.decompressedBytes }, status: response.status };
      }, undefined, true);
    } catch (error) {
      await rm(partial, { force: true });
      throw error;
    }
  }

  /**
   * The retry loop shared by json and download. `attempt` either returns a value, asks for a retry
   * of a response (which is then drained), or throws; network errors and timeouts are retried.
   */
  private async withRetries<T>(
    method: string,
    url: string,
    headers: Record<string, string>,
    attempt: (
      headers: Record<string, string>,
      signal: AbortSignal,
      fail: (kind: FailureKind, response: Response, excerpt?: string) => never,
      controller: IdleTimeout,
    ) => Promise<{ value: T; status: number } | { retry: boolean; response: Response }>,
    scope?: string,
    idleTimeout = false,
  ): Promise<T> {
    const shownUrl = redactUrl(url);
    const attempts = this.maxRetries + 1;
    for (let n = 1; ; n++) {
      const attemptHeaders = { ...headers };
      if (scope) {
        if (!this.options.tokens) throw new Error(`ApiHttp needs a token source for ${method} ${shownUrl} (scope ${scope})`);
        attemptHeaders.Authorization = `Bearer ${await this.options.tokens.token(scope)}`;
      }
      const controller = new IdleTimeout(this.timeoutMs, idleTimeout ? this.maxDownloadMs : this.timeoutMs);
      const started = Date.now();
      const fail = (kind: FailureKind, response: Response, excerpt?: string): never => {
        throw new PartnerCenterApiError(kind, method, shownUrl, n, response.status, excerpt, requestIdsOf(response.headers, attemptHeaders));
      };
      let outcome: { value: T; status: number } | { retry: boolean; response: Response };
      try {
        outcome = await attempt(attemptHeaders, controller.signal, fail, controller);
      } catch (error) {
        controller.clear();
        if (error instanceof PartnerCenterApiError || error instanceof CorruptBlobError) throw error;
        const timedOut = controller.timedOut || isTimeout(error);
        this.report({ method, url: shownUrl, attempt: n, ms: Date.now() - started, error: timedOut ? 'timeout' : describe(error) });
        if (n < attempts) {
          await this.sleep(this.delayBefore(n));
          continue;
        }
        throw new PartnerCenterApiError(timedOut ? 'timeout' : 'network', method, shownUrl, n, undefined, undefined, requestIdsOf(undefined, attemptHeaders), timedOut ? undefined : describe(error));
      }
      if ('value' in outcome) {
        controller.clear();
        this.report({ method, url: shownUrl, status: outcome.status, attempt: n, ms: Date.now() - started });
        return outcome.value;
      }
      const { response } = outcome;
      this.report({ method, url: shownUrl, status: response.status, attempt: n, ms: Date.now() - started });
      if (outcome.retry && n < attempts) {
        controller.clear();
        const wait = this.delayBefore(n, retryAfterMs(response.headers.get('retry-after')));
        discard(response);
        await this.sleep(wait);
        continue;
      }
      // The attempt's timeout still runs: a body that never ends cannot hold the error back.
      const excerpt = await excerptOf(response);
      controller.clear();
      throw new PartnerCenterApiError('status', method, shownUrl, n, response.status, excerpt, requestIdsOf(response.headers, attemptHeaders));
    }
  }

  private report(event: RequestEvent): void {
    try {
      this.options.onRequest?.(event);
    } catch {
      // A failing progress hook must not fail the sync.
    }
  }
}

/**
 * An abort signal for one attempt: fires after `idleMs` without touch() (for a JSON call nobody
 * touches, so it is a plain timeout) or after `totalMs` in any case.
 */
class IdleTimeout {
  private readonly controller = new AbortController();
  private idleTimer: NodeJS.Timeout;
  private readonly totalTimer: NodeJS.Timeout;
  timedOut = false;

  constructor(private readonly idleMs: number, totalMs: number) {
    this.idleTimer = setTimeout(() => this.expire(), idleMs);
    this.totalTimer = setTimeout(() => this.expire(), totalMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  touch(): void {
    clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.expire(), this.idleMs);
  }

  clear(): void {
    clearTimeout(this.idleTimer);
    clearTimeout(this.totalTimer);
  }

  private expire(): void {
    this.timedOut = true;
    this.clear();
    this.controller.abort(new DOMException('request timed out', 'TimeoutError'));
  }
}

/**
 * Passes bytes through unchanged while feeding them to a gunzip whose output is only counted, so a
 * blob is verified as it is written. A gzip error fails the stream (and is kept in `failure`).
 */
class GzipCheck extends Transform {
  private readonly gunzip = createGunzip();
  failure: Error | undefined;
  decompressedBytes = 0;

  constructor() {
    super();
    this.gunzip.on('data', (chunk: Buffer) => {
      this.decompressedBytes += chunk.length;
    });
    this.gunzip.on('error', (error) => {
      this.failure ??= error;
    });
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    if (this.failure) return done(this.failure);
    if (this.gunzip.write(chunk)) return this.settle(done, chunk);
    this.afterEither('drain', () => this.settle(done, chunk));
  }

  override _flush(done: TransformCallback): void {
    if (this.failure) return done(this.failure);
    this.afterEither('end', () => done(this.failure));
    this.gunzip.end();
  }

  /** Gunzip reports errors asynchronously: let it process the chunk before passing it on. */
  private settle(done: TransformCallback, chunk: Buffer): void {
    setImmediate(() => (this.failure ? done(this.failure) : done(null, chunk)));
  }

  /** Calls `next` once, on the gunzip's `event` or on its error, whichever comes first. */
  private afterEither(event: 'drain' | 'end', next: () => void): void {
    if (this.failure) return next();
    const finish = () => {
      this.gunzip.off(event, finish);
      this.gunzip.off('error', finish);
      next();
    };
    this.gunzip.once(event, finish);
    this.gunzip.once('error', finish);
  }
}
