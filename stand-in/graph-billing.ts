/**
 * Microsoft Graph partner billing API (https://graph.microsoft.com/v1.0/reports/partners/billing,
 * here `${origin}/graph/v1.0/reports/partners/billing`) and the Azure Blob Storage it exports to
 * (here `${origin}/blobs/...`).
 *
 * An export is asynchronous ("Use the Microsoft Graph API to export partner billing data"): POST
 * .../export answers 202 with a Location header to an operation; GET of the operation answers a
 * runningOperation (with Retry-After) until it ends as an exportSuccessOperation, whose manifest
 * names the blobs (gzip JSON lines) under rootDirectory, read with the manifest's SAS token, or as a
 * failedOperation with an error.
 */
import { createHash, randomUUID } from 'node:crypto';
import { constants, gzip } from 'node:zlib';
import { promisify } from 'node:util';
import type { LineItem, LineKind, StandInDataSet } from './data-set';
import { guidOf } from './random';
import { send, sendError, type Ctx, type Tokens } from './http';
import { graphRecord, type AttributeSet } from './shapes';

const gzipAsync = promisify(gzip);

export interface GraphState {
  dataSet: StandInDataSet;
  origin(): string;
  tokens: Tokens;
  /** GETs of an operation answered "running" before it ends. */
  operationPolls: number;
  /** Retry-After (seconds) while an operation runs. */
  retryAfterSeconds: number;
  /** Lines per blob: a larger export is split into several blobs. */
  linesPerBlob: number;
  /** Takes one use of a fault for an invoice (operationFailsFor / corruptBlobFor); true when one was left. */
  takeFault(kind: 'operationFailsFor' | 'corruptBlobFor', invoiceId: string): boolean;
}

type ExportKind = 'billedUsage' | 'billedReconciliation' | 'unbilledUsage';

type Outcome = { status: 'succeeded'; manifest: Record<string, unknown> } | { status: 'failed'; error: { code: string; message: string } };

interface Operation {
  id: string;
  kind: ExportKind;
  invoiceId?: string;
  currencyCode?: string;
  billingPeriod?: 'current' | 'last';
  attributeSet: AttributeSet;
  createdDateTime: string;
  lastActionDateTime: string;
  polls: number;
  outcome?: Outcome;
}

/** The data behind a manifest's rootDirectory: what its blobs hold. */
interface ExportedData {
  invoiceId: string;
  kind: LineKind;
  attributeSet: AttributeSet;
  count: number;
  line: (i: number) => LineItem;
  blobNames: string[];
  eTag: string;
  lastModified: string;
}

const ERROR_NO_DATA = '5000';
const ERROR_EXPORT_FAILED = '5001';

export class GraphBilling {
  private readonly operations = new Map<string, Operation>();
  private readonly manifests = new Map<string, Record<string, unknown>>();
  private readonly directories = new Map<string, ExportedData>();
  private readonly blobCache = new Map<string, Buffer>();
  private cachedBytes = 0;
  private static readonly CACHE_LIMIT = 256 * 1024 * 1024;

  constructor(private readonly state: GraphState) {}

  private get base(): string {
    return `${this.state.origin()}/graph/v1.0`;
  }

  /** Routes a request under /graph; false when no route matches. */
  graph(ctx: Ctx, path: string): boolean | Promise<void> {
    const prefix = '/v1.0/reports/partners/billing';
    if (!path.startsWith(prefix)) return false;
    const rest = path.slice(prefix.length);
    let m: RegExpExecArray | null;
    if (ctx.method === 'POST' && rest === '/usage/billed/export') return this.export(ctx, 'billedUsage'), true;
    if (ctx.method === 'POST' && rest === '/reconciliation/billed/export') return this.export(ctx, 'billedReconciliation'), true;
    if (ctx.method === 'POST' && rest === '/usage/unbilled/export') return this.export(ctx, 'unbilledUsage'), true;
    if (ctx.method === 'GET' && (m = /^\/operations\/([^/]+)$/.exec(rest))) return this.operation(ctx, m[1]), true;
    if (ctx.method === 'GET' && (m = /^\/manifests\/([^/]+)$/.exec(rest))) return this.manifest(ctx, m[1]), true;
    return false;
  }

  /**
   * POST /reports/partners/billing/usage/billed/export { invoiceId, attributeSet? }
   *   follows "billedUsage: export" (learn.microsoft.com/graph/api/partners-billing-billedusage-export)
   * POST /reports/partners/billing/reconciliation/billed/export { invoiceId, attributeSet? }
   *   follows "billedReconciliation: export" (partners-billing-billedreconciliation-export)
   * POST /reports/partners/billing/usage/unbilled/export { currencyCode, billingPeriod: current | last, attributeSet? }
   *   follows "unbilledUsage: export" (partners-billing-unbilledusage-export)
   * Each answers 202 Accepted with a Location header, the URL of the operation, and no body.
   * attributeSet is full (default) or basic ("attributeSet enum type"); a missing required
   * parameter is a 400 with Graph's error body.
   */
  private export(ctx: Ctx, kind: ExportKind): void {
    let body: Record<string, unknown>;
    try {
      body = ctx.body ? JSON.parse(ctx.body) : {};
    } catch {
      return sendError(ctx, 400, 'Unable to read JSON request payload. Please ensure Content-Type header is set and payload is of valid JSON format.', { code: 'BadRequest' });
    }
    const attributeSet = String(body.attributeSet ?? 'full');
    if (attributeSet !== 'full' && attributeSet !== 'basic') {
      return sendError(ctx, 400, `The attributeSet '${attributeSet}' is not valid: full or basic.`, { code: 'BadRequest' });
    }
    const now = new Date().toISOString();
    const op: Operation = { id: randomUUID(), kind, attributeSet, createdDateTime: now, lastActionDateTime: now, polls: 0 };
    if (kind === 'unbilledUsage') {
      if (typeof body.currencyCode !== 'string' || !body.currencyCode) return sendError(ctx, 400, "The parameter 'currencyCode' is required.", { code: 'BadRequest' });
      if (body.billingPeriod !== 'current' && body.billingPeriod !== 'last') {
        return sendError(ctx, 400, "The parameter 'billingPeriod' is required: current or last.", { code: 'BadRequest' });
      }
      op.currencyCode = body.currencyCode;
      op.billingPeriod = body.billingPeriod;
    } else {
      if (typeof body.invoiceId !== 'string' || !body.invoiceId) return sendError(ctx, 400, "The parameter 'invoiceId' is required.", { code: 'BadRequest' });
      op.invoiceId = body.invoiceId;
    }
    this.operations.set(op.id, op);
    send(ctx, 202, undefined, { Location: `${this.base}/reports/partners/billing/operations/${op.id}` });
  }

  /**
   * GET /reports/partners/billing/operations/{id}
   * Follows "Get operation" (partners-billing-operation-get) and the operation resources:
   * - running: { '@odata.type': '#microsoft.graph.partners.billing.runningOperation', id, createdDateTime,
   *   lastActionDateTime, status: 'notStarted' | 'running' } with a Retry-After header (the Partner
   *   Center page "Billed invoice reconciliation API v2" says so), for `operationPolls` GETs;
   * - succeeded: exportSuccessOperation, status 'succeeded' (the documented example's value; the
   *   resource page lists 'completed'), with 'resourceLocation@odata.navigationLink' (the manifest's
   *   URL, as in the documented example) and the manifest inline as resourceLocation (as the Partner
   *   Center v2 pages describe it), so a client can use either;
   * - failed: failedOperation with error { code, message } (publicError), as the documented example
   *   { code: '5000', message: 'No data available' }. An invoice that is not in the export (unknown,
   *   or before the Graph export's first month: its line items are on the REST endpoint) ends so.
   */
  private operation(ctx: Ctx, id: string): void {
    const op = this.operations.get(id);
    if (!op) return sendError(ctx, 404, `The operation ${id} was not found.`, { code: 'ResourceNotFound' });
    op.polls++;
    const head = { '@odata.context': `${this.base}/$metadata#reports/partners/billing/operations/$entity` };
    if (!op.outcome && op.polls <= this.state.operationPolls) {
      op.lastActionDateTime = new Date().toISOString();
      return send(
        ctx,
        200,
        {
          ...head,
          '@odata.type': '#microsoft.graph.partners.billing.runningOperation',
          id: op.id,
          createdDateTime: op.createdDateTime,
          lastActionDateTime: op.lastActionDateTime,
          status: op.polls === 1 && this.state.operationPolls > 1 ? 'notStarted' : 'running',
        },
        { 'Retry-After': String(this.state.retryAfterSeconds) },
      );
    }
    if (!op.outcome) {
      op.outcome = this.settle(op);
      op.lastActionDateTime = new Date().toISOString();
    }
    const outcome = op.outcome;
    const common = { id: op.id, createdDateTime: op.createdDateTime, lastActionDateTime: op.lastActionDateTime };
    if (outcome.status === 'failed') {
      return send(ctx, 200, { ...head, '@odata.type': '#microsoft.graph.partners.billing.failedOperation', ...common, status: 'failed', error: outcome.error });
    }
    const manifest = outcome.manifest;
    send(ctx, 200, {
      ...head,
      '@odata.type': '#microsoft.graph.partners.billing.exportSuccessOperation',
      ...common,
      status: 'succeeded',
      'resourceLocation@odata.navigationLink': `${this.base}/reports/partners/billing/manifests/${String(manifest.id)}`,
      resourceLocation: manifest,
    });
  }

  /**
   * GET /reports/partners/billing/manifests/{id}
   * Follows "Get manifest" (partners-billing-manifest-get) and "manifest resource type": { id,
   * schemaVersion, dataFormat: 'compressedJSONLines', createdDateTime, eTag (changes with the data
   * version), partnerTenantId, rootDirectory, sasToken, partitionType, blobCount, blobs: [{ name,
   * partitionValue }] }. A blob is read at `${rootDirectory}/${name}?${sasToken}`.
   */
  private manifest(ctx: Ctx, id: string): void {
    const manifest = this.manifests.get(id);
    if (!manifest) return sendError(ctx, 404, `The manifest ${id} was not found.`, { code: 'ResourceNotFound' });
    send(ctx, 200, { '@odata.context': `${this.base}/$metadata#reports/partners/billing/manifests/$entity`, ...manifest });
  }

  /** How an operation ends: the manifest of its data, or the error. */
  private settle(op: Operation): Outcome {
    const ds = this.state.dataSet;
    const noData = (why: string) => ({ status: 'failed' as const, error: { code: ERROR_NO_DATA, message: `No data available: ${why}` } });
    let data: Omit<ExportedData, 'blobNames' | 'eTag' | 'lastModified'>;
    let directory: string;
    let container: string;
    if (op.kind === 'unbilledUsage') {
      if (op.currencyCode!.toUpperCase() !== ds.partner.currency) return noData(`the partner is billed in ${ds.partner.currency}, not ${op.currencyCode}.`);
      if (op.billingPeriod === 'last' && !ds.invoices.length) return noData('there is no last billing period.');
      const u = ds.unbilled(op.billingPeriod);
      if (!u.count) return noData(`no unbilled usage in ${u.month}.`);
      data = { invoiceId: '', kind: 'usage', attributeSet: op.attributeSet, count: u.count, line: u.line };
      container = 'unbilledusagefastpath';
      directory = `BillingPeriod=${op.billingPeriod}/BillingMonth=${u.month.replace('-', '')}/AsOf=${ds.asOf.replace(/-/g, '')}/Currency=${ds.partner.currency}`;
    } else {
      const inv = ds.invoice(op.invoiceId!);
      if (!inv) return noData(`invoice ${op.invoiceId} was not found for this partner.`);
      if (inv.legacy) {
        return noData(
          `invoice ${inv.id} (billing period ${inv.month}) predates the Graph partner billing export; ` +
            'read its line items with the Partner Center invoice line items API (provider=OneTime).',
        );
      }
      const kind: LineKind = op.kind === 'billedUsage' ? 'usage' : 'onetime';
      const snap = inv.snapshot(kind);
      if (!snap.count) return noData(`invoice ${inv.id} has no ${kind === 'usage' ? 'daily-rated usage' : 'reconciliation'} line items.`);
      if (this.state.takeFault('operationFailsFor', inv.id)) {
        return { status: 'failed', error: { code: ERROR_EXPORT_FAILED, message: `The export of invoice ${inv.id} failed. Retry the export later.` } };
      }
      data = { invoiceId: inv.id, kind, attributeSet: op.attributeSet, count: snap.count, line: snap.line };
      container = op.kind === 'billedUsage' ? 'billedusagefastpath' : 'billedreconfastpath';
      directory = `BillingMonth=${inv.month.replace('-', '')}/InvoiceId=${inv.id}/InvoiceVersion=${inv.revision}`;
    }
    const path = `/blobs/${container}/v1/PartnerTenantId=${ds.partner.tenantId}/${directory}/Fragment=${op.attributeSet}/PartitionType=default`;
    let exported = this.directories.get(path);
    if (!exported) {
      const blobs = Math.max(1, Math.ceil(data.count / this.state.linesPerBlob));
      exported = {
        ...data,
        blobNames: Array.from({ length: blobs }, (_, k) => `part-${String(k).padStart(5, '0')}-${guidOf(`${path}:${k}`)}.c000.json.gz`),
        eTag: createHash('sha256').update(path).digest('base64url').slice(0, 17),
        lastModified: new Date().toUTCString(),
      };
      this.directories.set(path, exported);
    }
    const expiry = new Date(Date.now() + 3600_000).toISOString().slice(0, 19) + 'Z';
    const depth = path.split('/').length - 3;
    const sasToken = `skoid=${guidOf('skoid')}&sktid=${ds.partner.tenantId}&sv=2021-08-06&se=${encodeURIComponent(expiry)}&sr=d&sp=rl&sdd=${depth}&sig=${encodeURIComponent(this.state.tokens.sign(`${path}\n${expiry}`))}`;
    const manifest = {
      id: randomUUID(),
      schemaVersion: '2',
      dataFormat: 'compressedJSONLines',
      createdDateTime: new Date().toISOString(),
      eTag: exported.eTag,
      partnerTenantId: ds.partner.tenantId,
      rootDirectory: `${this.state.origin()}${path}`,
      sasToken,
      partitionType: 'Default',
      blobCount: exported.blobNames.length,
      blobs: exported.blobNames.map((name) => ({ name, partitionValue: 'default' })),
    };
    this.manifests.set(manifest.id, manifest);
    return { status: 'succeeded', manifest };
  }

  /**
   * GET /blobs/{container}/{rootDirectory path}/{blob name}?{sasToken}
   * Follows the manifest page: "rootDirectory: the root directory that contains all the files;
   * sasToken: the SAS token for accessing the directory or an individual file", and "Each blob is a
   * compressed file and data in the file is in JSON lines format" (gzip). A request without the
   * manifest's signature (sig, se) is refused as Azure Storage refuses it: 403 AuthenticationFailed
   * (XML error body). The blob holds lines [k × linesPerBlob, (k + 1) × linesPerBlob) of the export.
   */
  async blob(ctx: Ctx): Promise<void> {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return sendError(ctx, 405, 'The requested HTTP method is not supported for this resource.', { code: 'UnsupportedHttpVerb' });
    const slash = ctx.path.lastIndexOf('/');
    const dir = ctx.path.slice(0, slash);
    const name = ctx.path.slice(slash + 1);
    const exported = this.directories.get(dir);
    const sig = ctx.url.searchParams.get('sig');
    const se = ctx.url.searchParams.get('se');
    if (!sig || !se) {
      return sendError(ctx, 403, 'Server failed to authenticate the request. Make sure the value of Authorization header is formed correctly including the signature.', { code: 'AuthenticationFailed' });
    }
    if (sig !== this.state.tokens.sign(`${dir}\n${se}`)) {
      return sendError(ctx, 403, 'Server failed to authenticate the request. Signature did not match.', { code: 'AuthenticationFailed' });
    }
    if (Date.parse(se) <= Date.now()) return sendError(ctx, 403, 'Server failed to authenticate the request. Signed expiry time has passed.', { code: 'AuthenticationFailed' });
    const index = exported ? exported.blobNames.indexOf(name) : -1;
    if (!exported || index < 0) return sendError(ctx, 404, 'The specified blob does not exist.', { code: 'BlobNotFound' });
    const key = `${dir}/${name}`;
    let gz = this.blobCache.get(key);
    if (!gz) {
      const from = index * this.state.linesPerBlob;
      const to = Math.min(exported.count, from + this.state.linesPerBlob);
      const parts: string[] = [];
      for (let i = from; i < to; i++) parts.push(JSON.stringify(graphRecord(exported.line(i), exported.attributeSet)));
      gz = await gzipAsync(Buffer.from(parts.length ? parts.join('\n') + '\n' : ''), { level: constants.Z_BEST_SPEED });
      this.remember(key, gz);
    }
    let bytes = gz;
    if (exported.invoiceId && this.state.takeFault('corruptBlobFor', exported.invoiceId)) {
      // A broken download: half the compressed bytes (gunzip fails with "unexpected end of file").
      bytes = gz.subarray(0, Math.max(5, Math.floor(gz.length / 2)));
    }
    const headers = {
      'Content-Type': 'application/octet-stream',
      'Content-Length': String(bytes.length),
      ETag: `"0x${createHash('md5').update(key).digest('hex').slice(0, 15).toUpperCase()}"`,
      'Last-Modified': exported.lastModified,
      'x-ms-blob-type': 'BlockBlob',
      'x-ms-version': '2021-08-06',
      'x-ms-request-id': randomUUID(),
    };
    ctx.res.writeHead(200, headers);
    ctx.res.end(ctx.method === 'HEAD' ? undefined : bytes);
  }

  private remember(key: string, gz: Buffer): void {
    this.blobCache.set(key, gz);
    this.cachedBytes += gz.length;
    for (const [k, v] of this.blobCache) {
      if (this.cachedBytes <= GraphBilling.CACHE_LIMIT) break;
      this.blobCache.delete(k);
      this.cachedBytes -= v.length;
    }
  }
}
