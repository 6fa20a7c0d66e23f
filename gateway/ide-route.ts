import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { gzip } from 'node:zlib';
import Negotiator from 'negotiator';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { loadIdeExamples, type IdeExample } from './ide/examples';
import type { Logger } from './logger';
import { requestUrl } from './plugins/common';
import { HttpError } from './plugins/errors';

/**
 * The GraphQL IDE in the browser, offline: GraphiQL 3 (its prebuilt UMD bundle, with React 18's
 * UMD builds), every file served by this server, none from a CDN.
 *
 *   GET /graphql          a browser's navigation (Accept prefers text/html, exactly the requests
 *                         Apollo Server answered with its landing page): the IDE page, no token
 *                         needed; every other GET and POST goes to Apollo as before (token, CSRF
 *                         prevention). A route of its own, chosen by a router constraint on Accept.
 *   GET|HEAD /ide/...     the page's files, at versioned URLs (cached for a year, immutable),
 *                         gzipped for clients that take it; unknown names 404
 *
 * The page (gateway/ide/ide.js, ide.css) has a bar for the bearer token (what `npm start` prints),
 * kept in the browser's localStorage and sent as `Authorization: Bearer ...` with every request; the
 * schema's documentation explorer (GraphiQL's Docs); and the example operations of operations/
 * (gateway/ide/examples.ts) as its first tabs and in an "Examples" panel. A Content-Security-Policy
 * allows scripts, styles and connections to this origin only.
 */
export interface IdeRoutesOptions {
  log?: Logger;
  /** Where the example operations are (default: the project's operations/). */
  operationsDir?: string;
}

/** The Accept header's choice, as Apollo Server 5 makes it (ApolloServer.prefersHTML), by the same negotiator. */
const APOLLO_MEDIA_TYPES = [
  'application/json; charset=utf-8',
  'application/graphql-response+json; charset=utf-8',
  'multipart/mixed; deferSpec=20220824',
  'multipart/mixed; incrementalSpec=v0.2',
  'multipart/mixed',
  'text/html',
];

/** Whether a GET with this Accept header wants HTML rather than JSON (`*\/*` alone: JSON). */
export function prefersHtml(accept: string | string[] | undefined): boolean {
  if (!accept) return false;
  return new Negotiator({ headers: { accept } }).mediaType(APOLLO_MEDIA_TYPES) === 'text/html';
}

/** The router constraint that sends browsers' GET /graphql to the IDE. */
const ACCEPT_CONSTRAINT = 'piAcceptsHtml';

/** The project directory (package.json "partner-insights"): above this file, in the sources or in dist/. */
export function projectRoot(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    try {
      if ((JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: string }).name === 'partner-insights') return dir;
    } catch {
      // none here: one folder up
    }
  }
  throw new Error(`no partner-insights package.json above ${__dirname}`);
}

/** The product's version (package.json). */
export function productVersion(root = projectRoot()): string {
  return (JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { version: string }).version;
}

interface Asset {
  url: string;
  file: string;
  type: string;
  raw?: Promise<Buffer>;
  gzipped?: Promise<Buffer>;
}

const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

/** A file of an installed package, at /ide/<package>-<version>/<file name>. */
function packageAsset(pkg: string, relative: string, type: string): Asset {
  const manifest = require.resolve(`${pkg}/package.json`);
  const { version } = JSON.parse(readFileSync(manifest, 'utf8')) as { version: string };
  return { url: `/ide/${pkg}-${version}/${basename(relative)}`, file: join(dirname(manifest), relative), type };
}

/** One of ours (gateway/ide/), at /ide/pi-<hash of its content>/<file name>. */
function ownAsset(root: string, name: string, type: string): Asset {
  const file = join(root, 'gateway', 'ide', name);
  const content = readFileSync(file);
  const hash = createHash('sha256').update(content).digest('hex').slice(0, 12);
  return { url: `/ide/pi-${hash}/${name}`, file, type, raw: Promise.resolve(content) };
}

export interface IdeAssets {
  react: Asset;
  reactDom: Asset;
  graphiql: Asset;
  graphiqlCss: Asset;
  ideJs: Asset;
  ideCss: Asset;
}

export function ideAssets(root = projectRoot()): IdeAssets {
  return {
    react: packageAsset('react', 'umd/react.production.min.js', JS),
    reactDom: packageAsset('react-dom', 'umd/react-dom.production.min.js', JS),
    graphiql: packageAsset('graphiql', 'graphiql.min.js', JS),
    graphiqlCss: packageAsset('graphiql', 'graphiql.min.css', CSS),
    ideJs: ownAsset(root, 'ide.js', JS),
    ideCss: ownAsset(root, 'ide.css', CSS),
  };
}

/** The IDE page's policy: nothing but this origin (styles inline too: GraphiQL's components add some). */
export const IDE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const gzipAsync = promisify(gzip);

export function ideRoutes(options: IdeRoutesOptions = {}): FastifyPluginAsync {
  return async (app) => {
    const root = projectRoot();
    const assets = ideAssets(root);
    const byUrl = new Map(Object.values(assets).map((a) => [a.url, a]));
    let page: string | null = null;
    const pageHtml = () => (page ??= renderIdePage(assets, examplesOrNone(options.operationsDir ?? join(root, 'operations'), options.log), productVersion(root)));

    if (!app.hasConstraintStrategy(ACCEPT_CONSTRAINT)) {
      app.addConstraintStrategy({
        name: ACCEPT_CONSTRAINT,
        mustMatchWhenDerived: false,
        storage() {
          const handlers = new Map<unknown, unknown>();
          return { get: (value: unknown) => (handlers.get(value) ?? null) as never, set: (value: unknown, store: unknown) => void handlers.set(value, store) };
        },
        // Only GETs preferring HTML get a value; the others route as if the constraint did not exist.
        deriveConstraint: (req: { method?: string; headers: Record<string, string | string[] | undefined> }) =>
          req.method === 'GET' && prefersHtml(req.headers.accept) ? 'html' : undefined,
      } as Parameters<typeof app.addConstraintStrategy>[0]);
    }

    app.route({
      method: 'GET',
      url: '/graphql',
      constraints: { [ACCEPT_CONSTRAINT]: 'html' },
      config: { name: 'ide' },
      handler: async (_request, reply) =>
        reply
          .type('text/html; charset=utf-8')
          .headers({
            'cache-control': 'no-cache',
            // The same URL answers JSON to API clients.
            vary: 'Accept',
            'content-security-policy': IDE_CSP,
            'x-content-type-options': 'nosniff',
            'referrer-policy': 'no-referrer',
            'x-frame-options': 'DENY',
          })
          .send(pageHtml()),
    });

    app.route({
      method: ['GET', 'HEAD'],
      url: '/ide/*',
      config: { name: 'ide' },
      handler: async (request, reply) => {
        const { pathname } = requestUrl(request);
        const asset = byUrl.get(pathname);
        if (!asset) throw new HttpError(404, { error: `no route for ${pathname}` });
        return sendAsset(request, reply, asset);
      },
    });
  };
}

async function sendAsset(request: FastifyRequest, reply: FastifyReply, asset: Asset): Promise<FastifyReply> {
  asset.raw ??= readFile(asset.file);
  const gzipOk = /\bgzip\b/i.test(String(request.headers['accept-encoding'] ?? ''));
  let body = await asset.raw;
  if (gzipOk) {
    asset.gzipped ??= asset.raw.then((raw) => gzipAsync(raw));
    body = await asset.gzipped;
    reply.header('content-encoding', 'gzip');
  }
  return reply
    .type(asset.type)
    .headers({
      'cache-control': 'public, max-age=31536000, immutable',
      vary: 'Accept-Encoding',
      'x-content-type-options': 'nosniff',
      'content-length': String(body.length),
    })
    .send(body);
}

function examplesOrNone(dir: string, log?: Logger): IdeExample[] {
  try {
    return loadIdeExamples(dir);
  } catch (err) {
    log?.warn({ err }, 'the IDE opens without its example operations');
    return [];
  }
}

/** JSON inside <script type="application/json">: nothing the HTML parser could end it with. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function renderIdePage(assets: IdeAssets, examples: IdeExample[], version: string): string {
  // Subscriptions: the same path over WebSocket (gateway/live-socket.ts); CSP's connect-src 'self' covers ws(s) to this host.
  const config = { endpoint: '/graphql', subscriptionEndpoint: '/graphql', version, examples };
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Partner Insights · GraphQL IDE</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="${assets.graphiqlCss.url}">
<link rel="stylesheet" href="${assets.ideCss.url}">
</head>
<body>
<header class="pi-bar">
  <a class="pi-brand" href="/">Partner Insights</a>
  <span class="pi-sub">GraphQL IDE · v${escapeHtml(version)}</span>
  <form id="pi-token-form" class="pi-token" autocomplete="off">
    <label for="pi-token">Bearer token</label>
    <input id="pi-token" name="token" type="password" autocomplete="off" spellcheck="false" placeholder="paste a token printed by npm start">
    <button type="submit" id="pi-token-use">Use token</button>
    <button type="button" id="pi-token-forget">Forget</button>
  </form>
  <output id="pi-token-status" aria-live="polite"></output>
</header>
<main id="graphiql" class="pi-graphiql"><p class="pi-loading">Loading the IDE…</p></main>
<noscript><p class="pi-loading">The IDE needs JavaScript. Without it, POST queries to /graphql (README.md, "Quick start").</p></noscript>
<script type="application/json" id="pi-ide-config">${scriptJson(config)}</script>
<script src="${assets.react.url}"></script>
<script src="${assets.reactDom.url}"></script>
<script src="${assets.graphiql.url}"></script>
<script src="${assets.ideJs.url}"></script>
</body>
</html>
`;
}
