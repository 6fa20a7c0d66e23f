import { InvalidArgumentError } from 'commander';
import { defineCommand } from '../command';
import { findOwner, RefusedError, warehousePath } from '../remote';

function portNumber(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port > 65535) throw new InvalidArgumentError(`--port must be a port number, got "${value}"`);
  return port;
}

/**
 * `partner-insights serve`: the gateway over every subgraph (PI_SUBGRAPH_URLS: the ones called over
 * HTTP), or with --subgraph one subgraph alone. Runs until SIGTERM/SIGINT, then shuts down gracefully.
 */
export const serveCommand = defineCommand('serve', (command) => {
  command
    .summary('serve GraphQL: the gateway over all subgraphs, or one subgraph alone (PI_PORT, PI_SUBGRAPH_URLS)')
    .description(
      'Serve GraphQL until SIGTERM/SIGINT, then shut down gracefully: the gateway over every subgraph (those named in ' +
        'PI_SUBGRAPH_URLS are called over HTTP), or with --subgraph one subgraph alone (for a remote gateway or Apollo Router).',
    )
    .option('--subgraph <name>', 'serve this subgraph alone')
    .option('--port <n>', 'HTTP port (default: PI_PORT, else 4000; 0 = any free port)', portNumber)
    .option('--host <addr>', 'address to listen on');
  return async (options: { subgraph?: string; port?: number; host?: string }) => {
    const { openWarehouse } = await import('../../warehouse/open');
    const { parseSubgraphUrls } = await import('../../gateway/config');
    const { closeOnSignal, startServer } = await import('../../gateway/server');
    const { SUBGRAPHS } = await import('../../gateway/subgraphs');
    const subgraphUrls = parseSubgraphUrls();
    const allRemote = !options.subgraph && SUBGRAPHS.every((s) => subgraphUrls[s.name]);
    if (!allRemote) await refuseWhenServed(options.subgraph);
    const warehouse = allRemote ? undefined : await openWarehouse();
    try {
      const server = await startServer({ warehouse, port: options.port, host: options.host, subgraph: options.subgraph, subgraphUrls });
      process.stderr.write(`partner-insights: ${options.subgraph ? `subgraph ${options.subgraph}` : 'gateway'} at ${server.graphqlUrl}\n`);
      await closeOnSignal(server, warehouse);
    } catch (err) {
      warehouse?.close();
      throw err;
    }
  };
});

/** One process serves a warehouse file (DuckDB: one writer): refuses, saying where it is served, when one does. */
async function refuseWhenServed(subgraph: string | undefined): Promise<void> {
  const owner = await findOwner();
  if (!owner) return;
  const served = `the warehouse ${warehousePath()} is served by process ${owner.pid} at ${owner.url}`;
  if (subgraph) {
    throw new RefusedError(
      `${served}; a subgraph served alone needs a warehouse file of its own (PI_DB=<another file>; a gateway then reaches it ` +
        `through PI_SUBGRAPH_URLS=${subgraph}=<its url>/graphql), and this warehouse's API is the running gateway's: ${owner.url}/graphql`,
    );
  }
  throw new RefusedError(`${served}; use it (${owner.url}/graphql), or stop it (kill ${owner.pid}) before serving the warehouse here`);
}
