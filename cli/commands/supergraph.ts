import { renameSync, writeFileSync } from 'node:fs';
import { defineCommand } from '../command';
import { collect } from '../options';

/**
 * `partner-insights supergraph`: composes the subgraphs and writes the supergraph SDL (for Apollo
 * Router or a gateway elsewhere). Subgraph URLs: --url name=URL, then PI_SUBGRAPH_URLS, else
 * http://localhost:4001/graphql, 4002, ... in gateway/subgraphs.ts order.
 */
export const supergraphCommand = defineCommand('supergraph', (command) => {
  command
    .summary('compose the subgraphs and write the supergraph SDL (stdout without --out)')
    .description(
      'Compose the subgraphs and write the supergraph SDL (for Apollo Router or a gateway elsewhere); composition hints go to stderr. ' +
        'Subgraph URLs: --url, then PI_SUBGRAPH_URLS, else http://localhost:4001/graphql, 4002, ... in gateway/subgraphs.ts order.',
    )
    .usage('[--out supergraph.graphql] [--url <name>=<url>]...')
    .option('--out <file>', 'write the SDL to this file (default: stdout)')
    .option('--url <name=url>', "a subgraph's URL (repeatable)", collect);
  return async (options: { out?: string; url?: string[] }) => {
    const { composeSupergraph } = await import('../../gateway/compose');
    const { parseSubgraphUrls } = await import('../../gateway/config');
    const { SUBGRAPHS } = await import('../../gateway/subgraphs');
    const urls = { ...parseSubgraphUrls(), ...parseSubgraphUrls((options.url ?? []).join(',')) };
    const { supergraphSdl, hints } = await composeSupergraph(SUBGRAPHS, urls);
    for (const hint of hints) process.stderr.write(`hint: ${hint}\n`);
    const sdl = supergraphSdl.endsWith('\n') ? supergraphSdl : `${supergraphSdl}\n`;
    if (!options.out) {
      process.stdout.write(sdl);
      return;
    }
    writeFileSync(`${options.out}.tmp`, sdl);
    renameSync(`${options.out}.tmp`, options.out);
    process.stderr.write(`supergraph of ${SUBGRAPHS.length} subgraph(s) written to ${options.out}\n`);
  };
});
