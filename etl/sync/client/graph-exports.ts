import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { type ApiHttp, redactUrl, retryAfterMs } from './http';
import { GRAPH_SCOPE } from './settings';

/**
 * Microsoft Graph partner billing exports (namespace microsoft.graph.partners.billing), the
 * "Billed invoice reconciliation API v2": an asynchronous export whose result is a set of
 * gzip-compressed JSON-lines blobs in Azure Storage.
 *
 *   const exports = new GraphBillingExports(http, settings.graphUrl);
 *   const manifest = await exports.billedExport('usage', 'G016907411');      // POST, then polls
 *   const files = await exports.downloadBlobs(manifest, dir);              // [..., 'part-….jsonl.gz']
 *
 * 1. POST …/export returns 202 Accepted and a Location header: the operation's URL.
 * 2. GET that URL until the operation ends, waiting what Retry-After says between polls (or
 *    pollIntervalMs), at most maxWaitMs in all. A running operation has status notStarted or
 *    running; a finished one succeeded (the "Get operation" example; the operation resource page
 *    calls it completed, both are accepted) with resourceLocation, the manifest; a failed one
 *    failed with error { code, message }, which throws ExportFailedError.
 * 3. The manifest's blobs are at `${rootDirectory}/${blob.name}` with the SAS token as the query,
 *    as Microsoft's sample (Partner-Center-Billing-Recon-Samples) builds them; they are downloaded
 *    without a bearer token and checked to decompress (ApiHttp.download).
 */

export type AttributeSet = 'full' | 'basic';
export type BillingPeriod = 'current' | 'last';

/** "blob resource type". */
export interface ManifestBlob {
  name: string;
  partitionValue?: string;
  [field: string]: unknown;
}

/** "manifest resource type". */
export interface Manifest {
  id: string;
  schemaVersion?: string;
  /** "compressedJSONLines" ("compressedJSON" in the Get manifest example). */
  dataFormat?: string;
  createdDateTime?: string;
  eTag?: string;
  partnerTenantId?: string;
  partitionType?: string;
  /** Blob container directory URL, without a SAS. */
  rootDirectory: string;
  /** The SAS query (without "?") granting read access to the directory. */
  sasToken: string;
  blobCount?: number;
  blobs: ManifestBlob[];
  [field: string]: unknown;
}

/** "operation resource type" and its exportSuccessOperation / failedOperation / runningOperation. */
export interface BillingOperation {
  '@odata.type'?: string;
  id?: string;
  /** notStarted, running, succeeded (completed), failed. */
  status: string;
  createdDateTime?: string;
  lastActionDateTime?: string;
  /** The manifest, inline; or its URL in resourceLocation@odata.navigationLink. */
  resourceLocation?: Manifest | string;
  'resourceLocation@odata.navigationLink'?: string;
  /** failedOperation: a publicError. */
  error?: { code?: string; message?: string; [field: string]: unknown };
  [field: string]: unknown;
}

/** An export Microsoft reports as failed, or that did not end within maxWaitMs. */
export class ExportFailedError extends Error {
  constructor(
    /** 'billed usage export for invoice G016907411', 'unbilled usage export (USD, current)' … */
    readonly what: string,
    /** The invoice of a billed export. */
    readonly invoiceId: string | undefined,
    readonly operationUrl: string,
    readonly error: { code?: string; message?: string } | undefined,
    readonly timedOut = false,
  ) {
    super(
      timedOut
        ? `${what} was still running after the longest wait allowed (operation ${operationUrl})`
        : `${what} failed: ${[error?.code, error?.message].filter(Boolean).join(' ') || 'no error given'} (operation ${operationUrl})`,
    );
    this.name = 'ExportFailedError';
  }
}

export interface GraphBillingExportsOptions {
  /** Wait between polls when the operation gives no Retry-After. Default 15 s. */
  pollIntervalMs?: number;
  /** Longest wait for one export, in total. Default 30 min. */
  maxWaitMs?: number;
  /** Waits between polls. Default: the ApiHttp's. */
  sleep?: (ms: number) => Promise<void>;
}

const SUCCEEDED = new Set(['succeeded', 'completed']);
/** Shortest wait between polls, whatever Retry-After says (0 would poll in a tight loop). */
const MIN_POLL_MS = 1_000;

export class GraphBillingExports {
  private readonly base: URL;
  private readonly pollIntervalMs: number;
  private readonly maxWaitMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly http: ApiHttp,
    /** settings.graphUrl, e.g. https://graph.microsoft.com/v1.0. */
    private readonly graphUrl: string,
    options: GraphBillingExportsOptions = {},
  ) {
    this.base = new URL(graphUrl);
    this.pollIntervalMs = options.pollIntervalMs ?? 15_000;
    this.maxWaitMs = options.maxWaitMs ?? 30 * 60_000;
    this.sleep = options.sleep ?? http.sleep;
  }

  /**
   * "billedUsage: export" (POST /reports/partners/billing/usage/billed/export) or
   * "billedReconciliation: export" (POST /reports/partners/billing/reconciliation/billed/export),
   * body { invoiceId, attributeSet }; resolves to the manifest once the export has succeeded.
   */
  billedExport(kind: 'usage' | 'reconciliation', invoiceId: string, attributeSet: AttributeSet = 'full'): Promise<Manifest> {
    const what = `billed ${kind} export for invoice ${invoiceId}`;
    return this.run(what, invoiceId, `/reports/partners/billing/${kind}/billed/export`, { invoiceId, attributeSet });
  }

  /**
   * "unbilledUsage: export": POST /reports/partners/billing/usage/unbilled/export, body
   * { currencyCode, billingPeriod, attributeSet }; resolves to the manifest.
   */
  unbilledUsageExport(currencyCode: string, billingPeriod: BillingPeriod = 'current', attributeSet: AttributeSet = 'full'): Promise<Manifest> {
    const what = `unbilled usage export (${currencyCode}, ${billingPeriod})`;
    return this.run(what, undefined, '/reports/partners/billing/usage/unbilled/export', { currencyCode, billingPeriod, attributeSet });
  }

  /**
   * Downloads every blob of the manifest into dir, one after the other, each verified to
   * decompress; returns the files' paths in the manifest's order. File names are the blob names
   * made safe, ending in .jsonl.gz (part-00049-….c000.json.gz → part-00049-….c000.jsonl.gz).
   */
  async downloadBlobs(manifest: Manifest, dir: string): Promise<string[]> {
    await mkdir(dir, { recursive: true });
    const used = new Set<string>();
    const paths: string[] = [];
    for (const [index, blob] of manifest.blobs.entries()) {
      const path = join(dir, uniqueName(blobFileName(blob.name), index, used));
      await this.http.download(blobUrl(manifest, blob), path);
      paths.push(path);
    }
    return paths;
  }

  /** Starts an export and polls it to its end. */
  private async run(what: string, invoiceId: string | undefined, path: string, body: Record<string, string>): Promise<Manifest> {
    const started = await this.http.json<unknown>('POST', `${this.graphUrl}${path}`, { scope: GRAPH_SCOPE, body, accept: [202] });
    const location = started.headers.get('location');
    if (!location) throw new Error(`${what}: Graph answered 202 without a Location header`);
    const operationUrl = this.onGraph(location);

    // The waits are counted rather than the clock read, so the bound holds whatever sleep does.
    let waited = 0;
    let wait = retryAfterMs(started.headers.get('retry-after')) ?? 0;
    for (;;) {
      if (wait > 0) {
        const step = Math.min(wait, this.maxWaitMs - waited);
        if (step <= 0) throw new ExportFailedError(what, invoiceId, redactUrl(operationUrl), undefined, true);
        await this.sleep(step);
        waited += step;
      }
      const poll = await this.http.json<BillingOperation>('GET', operationUrl, { scope: GRAPH_SCOPE });
      const operation = poll.body;
      const status = String(operation?.status ?? '').toLowerCase();
      if (SUCCEEDED.has(status)) return this.manifestOf(what, operation);
      if (status === 'failed') throw new ExportFailedError(what, invoiceId, redactUrl(operationUrl), operation.error);
      wait = Math.max(MIN_POLL_MS, retryAfterMs(poll.headers.get('retry-after')) ?? this.pollIntervalMs);
    }
  }

  /** The manifest of a succeeded operation: inline in resourceLocation, or fetched from its link ("Get manifest"). */
  private async manifestOf(what: string, operation: BillingOperation): Promise<Manifest> {
    const inline = operation.resourceLocation;
    const link = typeof inline === 'string' ? inline : operation['resourceLocation@odata.navigationLink'];
    let manifest: Manifest | undefined = typeof inline === 'object' && inline !== null ? inline : undefined;
    if (!manifest && link) manifest = (await this.http.json<Manifest>('GET', this.onGraph(link), { scope: GRAPH_SCOPE })).body;
    if (!manifest) throw new Error(`${what} succeeded without a manifest (no resourceLocation)`);
    if (typeof manifest.rootDirectory !== 'string' || typeof manifest.sasToken !== 'string' || !Array.isArray(manifest.blobs)) {
      throw new Error(`${what}: the manifest lacks rootDirectory, sasToken or blobs`);
    }
    return manifest;
  }

  /** An operation or manifest URL: relative ones resolve against graphUrl; others must be on the Graph host (they get the token). */
  private onGraph(link: string): string {
    const target = new URL(link, `${this.graphUrl}/`);
    if (target.host !== this.base.host) throw new Error(`Graph link to another host (${target.host}) refused`);
    target.protocol = this.base.protocol;
    return target.toString();
  }
}

/** `${rootDirectory}/${blob.name}?${sasToken}`; each path segment of the name is URL-encoded. */
export function blobUrl(manifest: Pick<Manifest, 'rootDirectory' | 'sasToken'>, blob: Pick<ManifestBlob, 'name'>): string {
  const name = blob.name.split('/').filter(Boolean).map(encodeURIComponent).join('/');
  const sas = manifest.sasToken.replace(/^\?/, '');
  return `${manifest.rootDirectory.replace(/\/+$/, '')}/${name}${sas ? `?${sas}` : ''}`;
}

/** A safe local name for a blob, ending in .jsonl.gz. */
export function blobFileName(blobName: string): string {
  const flat = blobName.split('/').filter(Boolean).join('_').replace(/[^A-Za-z0-9._-]/g, '_');
  const stem = flat.replace(/(\.jsonl?)?(\.gz)?$/i, '').replace(/^\.+/, '') || 'blob';
  return `${stem}.jsonl.gz`;
}

function uniqueName(name: string, index: number, used: Set<string>): string {
  const chosen = used.has(name) ? name.replace(/\.jsonl\.gz$/, `-${index}.jsonl.gz`) : name;
  used.add(chosen);
  return chosen;
}
