import { openWarehouse } from '../../warehouse/open';
import { parseArgs } from 'node:util';
import { parseSubgraphUrls } from '../../gateway/config';
import { closeOnSignal, startServer } from '../../gateway/server';
import { SUBGRAPHS } from '../../gateway/subgraphs';
import { Warehouse } from '../../warehouse/db';
import type { Command } from '../command';

/**
 * `partner-insights serve`: the gateway over every subgraph (PI_SUBGRAPH_URLS: the ones called over
 * HTTP), or with --subgraph one subgraph alone. Runs until SIGTERM/SIGINT, then shuts down gracefully.
 */
export const serveCommand: Command = {
  name: 'serve',
  usage: 'serve [--subgraph <name>] [--port <n>] [--host <addr>]',
  summary: 'serve GraphQL: the gateway over all subgraphs, or one subgraph alone (PI_PORT, PI_SUBGRAPH_URLS)',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { subgraph: { type: 'string' }, port: { type: 'string' }, host: { type: 'string' } },
      strict: true,
    });
    const port = values.port === undefined ? undefined : Number(values.port);
    if (port !== undefined && (!Number.isInteger(port) || port < 0 || port > 65535)) {
      throw new Error(`--port must be a port number, got "${values.port}"`);
    }
    const subgraphUrls = parseSubgraphUrls();
    const allRemote = !values.subgraph && SUBGRAPHS.every((s) => subgraphUrls[s.name]);
    const warehouse = allRemote ? undefined : await openWarehouse();
    try {
      const server = await startServer({ warehouse, port, host: values.host, subgraph: values.subgraph, subgraphUrls });
      process.stderr.write(`partner-insights: ${values.subgraph ? `subgraph ${values.subgraph}` : 'gateway'} at ${server.graphqlUrl}\n`);
      await closeOnSignal(server, warehouse);
      return 0;
    } catch (err) {
      warehouse?.close();
      throw err;
    }
  },
};
