/**
 * The stand-in server: Microsoft's partner APIs over real HTTP on one origin, each under its own
 * path prefix, serving a data set (data-set.ts):
 *
 *   /login/{tenant}/oauth2/v2.0/token          Microsoft Entra ID (entra.ts)              PI_PC_LOGIN_URL = ${origin}/login
 *   /pc/v1/...                                 Partner Center REST (partner-center.ts)     PI_PC_API_URL = ${origin}/pc
 *   /referrals/v1.0/engagements/referrals      Referrals API (referrals.ts)                PI_PC_REFERRALS_URL = ${origin}/referrals
 *   /graph/v1.0/reports/partners/billing/...   Microsoft Graph partner billing (graph-billing.ts)  PI_GRAPH_URL = ${origin}/graph/v1.0
 *   /blobs/...                                 the export's Azure Blob Storage (graph-billing.ts)
 *
 * Tests observe it (`requests`) and break it on purpose (`faults`): an HTTP status for the first N
 * matching requests, a failed export operation, a blob that does not gunzip, slow answers.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { StandInDataSet } from './data-set';
import { AUDIENCES, Entra, type Audience } from './entra';
import { GraphBilling } from './graph-billing';
import { Tokens, send, sendError, type Ctx, type Service } from './http';
import { partnerCenter } from './partner-center';
import { referrals } from './referrals';
import { guidOf } from './random';

/** A fault tests inject. Each applies to the first `times` matching requests (delays: every one, unless `times`). */
export type Fault =
  /** Answer `status` with the service's error body to requests whose "METHOD /path" matches (Retry-After when given). */
  | { match: RegExp; status: 429 | 500 | 503; times: number; retryAfterSeconds?: number }
  /** The Graph export operation of this invoice ends failed (error code 5001). */
  | { operationFailsFor: string; times: number }
  /** A blob of this invoice's export is served truncated: it does not gunzip. */
  | { corruptBlobFor: string; times: number }
  /** Requests whose "METHOD /path" matches are answered after `ms` milliseconds. */
  | { delay: RegExp; ms: number; times?: number };

export interface RequestRecord {
  method: string;
  /** The URL path, prefix included (/pc/v1/customers). */
  path: string;
  query: Record<string, string>;
  /** The answer's status (0 until answered). */
  status: number;
  /** When the request arrived (ms since the epoch). */
  at: number;
}

export interface StandInOptions {
  dataSet: StandInDataSet;
  /** The partner's Entra tenant (default: the data set's partner tenant ID). */
  tenantId?: string;
  clientId?: string;
  clientSecret?: string;
  /** PEM certificate or public key client assertions must be signed with (else assertions are checked but not their signature). */
  clientCertificate?: string;
  port?: number;
  host?: string;
  /** The most items a page holds (customers, invoices, line items, referrals), whatever the client asks. */
  pageSize?: number;
  /** GETs of an export operation answered "running" before it ends (default 2). */
  operationPolls?: number;
  /** Retry-After of a running operation, seconds (default 1). */
  retryAfterSeconds?: number;
  /** Lines per export blob (default 25,000). */
  linesPerBlob?: number;
  /** Access token lifetime, seconds (default 3599). */
  tokenLifetimeSeconds?: number;
  faults?: Fault[];
}

export interface StandIn {
  origin: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
  dataSet: StandInDataSet;
  /** The environment that points partner-insights at the stand-in (URLs and credentials). */
  settingsEnv(): Record<string, string>;
  /** Every request, in arrival order. */
  requests: RequestRecord[];
  addFault(fault: Fault): void;
  clearFaults(): void;
  /** Faults still armed (with their remaining `times`). */
  faults(): Fault[];
  /** Every token issued so far expires now: the next API call with one is a 401. */
  expireTokens(): void;
  close(): Promise<void>;
}

const AUDIENCE_OF: Partial<Record<Service, Audience>> = {
  partnerCenter: AUDIENCES.partnerCenter,
  referrals: AUDIENCES.referrals,
  graph: AUDIENCES.graph,
};

const PREFIXES: [string, Service][] = [
  ['/login', 'login'],
  ['/pc', 'partnerCenter'],
  ['/referrals', 'referrals'],
  ['/graph', 'graph'],
  ['/blobs', 'blobs'],
];

export async function startStandIn(options: StandInOptions): Promise<StandIn> {
  const dataSet = options.dataSet;
  const tenantId = options.tenantId ?? dataSet.partner.tenantId;
  const clientId = options.clientId ?? guidOf(`client:${dataSet.seed}`);
  const clientSecret = options.clientSecret ?? randomBytes(24).toString('base64url');
  const tokens = new Tokens(randomBytes(32).toString('hex'));
  const requests: RequestRecord[] = [];
  let faults: Fault[] = [...(options.faults ?? [])].map((f) => ({ ...f }));
  let origin = '';

  const takeFault = (kind: 'operationFailsFor' | 'corruptBlobFor', invoiceId: string): boolean => {
    const f = faults.find((x) => kind in x && (x as Record<string, unknown>)[kind] === invoiceId && (x as { times: number }).times > 0) as { times: number } | undefined;
    if (!f) return false;
    f.times--;
    return true;
  };

  const entra = new Entra({ tenantId, clientId, clientSecret, clientCertificate: options.clientCertificate, tokenLifetimeSeconds: options.tokenLifetimeSeconds ?? 3599, origin: () => origin });
  const graph = new GraphBilling({
    dataSet,
    origin: () => origin,
    tokens,
    operationPolls: options.operationPolls ?? 2,
    retryAfterSeconds: options.retryAfterSeconds ?? 1,
    linesPerBlob: options.linesPerBlob ?? 25_000,
    takeFault,
  });
  const pcState = { dataSet, pageSize: options.pageSize, tokens, origin: () => origin };

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', origin);
    const method = (req.method ?? 'GET').toUpperCase();
    const path = url.pathname;
    const [prefix, service] = PREFIXES.find(([p]) => path === p || path.startsWith(`${p}/`)) ?? ['', 'graph'];
    const record: RequestRecord = { method, path, query: Object.fromEntries(url.searchParams), status: 0, at: Date.now() };
    requests.push(record);
    res.on('finish', () => (record.status = res.statusCode));
    const body = method === 'POST' || method === 'PUT' || method === 'PATCH' ? await readBody(req) : '';
    const ctx: Ctx = { req, res, method, path, url, query: record.query, service, body };
    const line = `${method} ${path}`;

    for (const f of faults) {
      if ('delay' in f && f.delay.test(line) && (f.times === undefined || f.times > 0)) {
        if (f.times !== undefined) f.times--;
        await new Promise((r) => setTimeout(r, f.ms));
      }
    }
    const failing = faults.find((f): f is Extract<Fault, { match: RegExp }> => 'match' in f && f.times > 0 && f.match.test(line));
    if (failing) {
      failing.times--;
      const text = failing.status === 429 ? 'Rate limit is exceeded. Try again later.' : failing.status === 503 ? 'The service is temporarily unavailable.' : 'An internal error occurred.';
      return sendError(ctx, failing.status, `${text} (stand-in fault)`, failing.retryAfterSeconds === undefined ? {} : { headers: { 'Retry-After': String(failing.retryAfterSeconds) } });
    }
    if (!prefix) return sendError(ctx, 404, `No stand-in service at ${path}: use /login, /pc, /referrals, /graph or /blobs.`);
    const rest = path.slice(prefix.length);

    if (service === 'login') {
      const m = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(rest);
      if (m && method === 'POST') return entra.token(ctx, decodeURIComponent(m[1]));
      return sendError(ctx, 404, `The endpoint ${path} is not served by the stand-in.`);
    }
    if (service === 'blobs') return graph.blob(ctx);

    const audience = AUDIENCE_OF[service]!;
    const problem = entra.check(ctx, audience);
    if (problem) {
      const challenge = `Bearer realm="", authorization_uri="${origin}/login/${tenantId}/oauth2/authorize", error="invalid_token", error_description="${problem}"`;
      if (service === 'partnerCenter') return send(ctx, 401, { code: '401', description: `Unauthorized: ${problem}`, data: [], source: 'PartnerFD' }, { 'WWW-Authenticate': challenge });
      return sendError(ctx, 401, problem, { code: 'InvalidAuthenticationToken', headers: { 'WWW-Authenticate': challenge } });
    }
    let handled: boolean | Promise<void> = false;
    if (service === 'partnerCenter') handled = partnerCenter(ctx, pcState, rest);
    else if (service === 'referrals') handled = referrals(ctx, pcState, rest);
    else if (service === 'graph') handled = graph.graph(ctx, rest);
    if (handled instanceof Promise) return handled;
    if (!handled) sendError(ctx, 404, `The resource ${method} ${path} is not served by the stand-in.`, { code: service === 'partnerCenter' ? '404' : 'ResourceNotFound' });
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) {
        res.writeHead(500, { 'Content-Type': 'text/plain' });
        res.end(`stand-in error: ${err instanceof Error ? err.stack : String(err)}`);
      } else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  origin = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;

  return {
    origin,
    tenantId,
    clientId,
    clientSecret,
    dataSet,
    requests,
    settingsEnv: () => ({
      PI_PC_TENANT_ID: tenantId,
      PI_PC_CLIENT_ID: clientId,
      PI_PC_CLIENT_SECRET: clientSecret,
      PI_PC_LOGIN_URL: `${origin}/login`,
      PI_PC_API_URL: `${origin}/pc`,
      PI_PC_REFERRALS_URL: `${origin}/referrals`,
      PI_GRAPH_URL: `${origin}/graph/v1.0`,
    }),
    addFault: (fault) => {
      faults.push({ ...fault });
    },
    clearFaults: () => {
      faults = [];
    },
    faults: () => faults.filter((f) => !('times' in f) || f.times === undefined || f.times > 0),
    expireTokens: () => entra.expireAll(),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
