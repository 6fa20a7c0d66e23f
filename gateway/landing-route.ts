import { basename } from 'node:path';
import type { FastifyPluginAsync } from 'fastify';
import { prefersHtml, productVersion } from './ide-route';

/**
 * GET|HEAD /: what runs here and where to go. A browser (Accept prefers text/html) gets a small
 * page without any external file or script; other clients a JSON index of the same links. No token,
 * and nothing of any partner's data: the page is public like /healthz (which stays as it was).
 */
export interface LandingOptions {
  /** The warehouse file (only its name is shown), or none (every subgraph remote). */
  warehousePath?: string;
  /** Serving one subgraph alone (`serve --subgraph`), not the gateway. */
  subgraph?: string;
  /** Whether the product routes (/exports, /reports/executive, /downloads, /ingest) are served. */
  productRoutes: boolean;
}

interface Link {
  href: string;
  title: string;
  what: string;
  /** What it needs: none, a bearer token, or a token or an API key (sent as headers, which a plain link cannot). */
  auth: 'none' | 'token' | 'token or API key';
  /** How to follow it, when a click is not enough. */
  note: string;
}

const LANDING_CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function landingLinks(options: LandingOptions): Link[] {
  const links: Link[] = [
    {
      href: '/graphql',
      title: 'GraphQL IDE',
      what: options.subgraph ? `GraphiQL over the ${options.subgraph} subgraph` : 'GraphiQL over the federated API, with its schema docs and example operations',
      auth: 'token',
      note: 'the page itself opens without one; paste the token into its bar to read the schema and run queries',
    },
  ];
  if (options.productRoutes) {
    links.push(
      {
        href: '/exports',
        title: 'Exports catalogue',
        what: 'the datasets BI tools can refresh (JSON), and their URLs',
        auth: 'token or API key',
        note: 'sent as a header (Authorization: Bearer, or X-Api-Key): a plain click answers 401',
      },
      {
        href: '/reports/executive',
        title: 'Executive report',
        what: 'the monthly executive report as one HTML page (?month=YYYY-MM)',
        auth: 'token or API key',
        note: 'sent as a header: a plain click answers 401; or write it to a file with partner-insights report executive',
      },
    );
  }
  links.push(
    { href: '/healthz', title: 'Health', what: 'liveness (/readyz: readiness, /metrics: Prometheus)', auth: 'none', note: '' },
  );
  return links;
}

export function landingRoute(options: LandingOptions): FastifyPluginAsync {
  return async (app) => {
    const version = productVersion();
    const links = landingLinks(options);
    const warehouse = options.warehousePath ? (options.warehousePath === ':memory:' ? ':memory:' : basename(options.warehousePath)) : null;
    const mode = options.subgraph ? `subgraph ${options.subgraph}` : 'gateway';
    let html: string | null = null;
    app.route({
      method: ['GET', 'HEAD'],
      url: '/',
      config: { name: 'landing' },
      handler: async (request, reply) => {
        reply.header('vary', 'Accept').header('cache-control', 'no-cache').header('x-content-type-options', 'nosniff');
        if (!prefersHtml(request.headers.accept)) {
          return {
            name: 'partner-insights',
            version,
            mode,
            warehouse,
            graphql: '/graphql',
            links: links.map(({ href, title, auth }) => ({ href, title, auth })),
            docs: 'README.md and gateway/README.md in the project directory',
          };
        }
        html ??= renderLanding({ version, mode, warehouse, links });
        return reply
          .type('text/html; charset=utf-8')
          .headers({ 'content-security-policy': LANDING_CSP, 'referrer-policy': 'no-referrer', 'x-frame-options': 'DENY' })
          .send(html);
      },
    });
  };
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function renderLanding({ version, mode, warehouse, links }: { version: string; mode: string; warehouse: string | null; links: Link[] }): string {
  const items = links
    .map(
      (l) => `    <li><a href="${escapeHtml(l.href)}">${escapeHtml(l.title)}</a> <code>${escapeHtml(l.href)}</code>
      <span>${escapeHtml(l.what)}</span> <em>${l.auth === 'none' ? 'no token' : `needs a ${escapeHtml(l.auth)}`}${l.note ? ` — ${escapeHtml(l.note)}` : ''}</em></li>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Partner Insights</title>
<link rel="icon" href="data:,">
<style>
  body { margin: 0; font: 15px/1.5 system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif; color: #1f2430; background: #f6f7f9; }
  main { max-width: 760px; margin: 40px auto; padding: 24px 32px; background: #fff; border: 1px solid #d9dce3; border-radius: 8px; }
  h1 { margin: 0 0 4px; font-size: 24px; }
  .facts { margin: 0 0 20px; color: #5b6270; }
  ul { list-style: none; padding: 0; margin: 0 0 20px; }
  li { padding: 10px 0; border-top: 1px solid #eceef2; }
  li a { font-weight: 600; color: #0b5cad; }
  li span { display: block; color: #3d4450; }
  code { font: 13px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; color: #5b6270; }
  em { font-style: normal; font-size: 13px; color: #8a5a00; }
  p { margin: 8px 0; }
  @media (prefers-color-scheme: dark) {
    body { background: #0f141c; color: #e6e9ef; }
    main { background: #161d28; border-color: #2b3340; }
    li { border-top-color: #2b3340; }
    li a { color: #7db4ff; }
    li span, .facts, code { color: #aab2c0; }
    em { color: #e0b060; }
  }
</style>
</head>
<body>
<main>
  <h1>Partner Insights</h1>
  <p class="facts">Version ${escapeHtml(version)} · ${escapeHtml(mode)}${warehouse ? ` · warehouse <code>${escapeHtml(warehouse)}</code>` : ''}</p>
  <ul>
${items}
  </ul>
  <p><strong>Tokens.</strong> <code>npm start</code> prints bearer tokens for a few roles of the demo partners;
    <code>npx partner-insights token --partner &lt;id&gt; --role "Global admin"</code> mints one. Paste it into the
    IDE's token bar (kept in this browser); other clients send <code>Authorization: Bearer &lt;token&gt;</code>.</p>
  <p><strong>Docs.</strong> <code>README.md</code> (quick start, routes, authentication, configuration) and
    <code>gateway/README.md</code> in the project directory; the API schema is <code>schema.graphql</code>, example
    operations are in <code>operations/</code>.</p>
</main>
</body>
</html>
`;
}
