import { renameSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { composeSupergraph } from '../../gateway/compose';
import { parseSubgraphUrls } from '../../gateway/config';
import { SUBGRAPHS } from '../../gateway/subgraphs';
import type { Command } from '../command';

/**
 * `partner-insights supergraph`: composes the subgraphs and writes the supergraph SDL (for Apollo
 * Router or a gateway elsewhere). Subgraph URLs: --url name=URL, then PI_SUBGRAPH_URLS, else
 * http://localhost:4001/graphql, 4002, ... in gateway/subgraphs.ts order.
 */
export const supergraphCommand: Command = {
  name: 'supergraph',
  usage: 'supergraph [--out supergraph.graphql] [--url <name>=<url>]...',
  summary: 'compose the subgraphs and write the supergraph SDL (stdout without --out)',
  async run(args) {
    const { values } = parseArgs({
      args,
      options: { out: { type: 'string' }, url: { type: 'string', multiple: true } },
      strict: true,
    });
    const urls = { ...parseSubgraphUrls(), ...parseSubgraphUrls((values.url ?? []).join(',')) };
    const { supergraphSdl, hints } = await composeSupergraph(SUBGRAPHS, urls);
    for (const hint of hints) process.stderr.write(`hint: ${hint}\n`);
    if (!values.out) {
      process.stdout.write(supergraphSdl.endsWith('\n') ? supergraphSdl : `${supergraphSdl}\n`);
      return 0;
    }
    writeFileSync(`${values.out}.tmp`, supergraphSdl.endsWith('\n') ? supergraphSdl : `${supergraphSdl}\n`);
    renameSync(`${values.out}.tmp`, values.out);
    process.stderr.write(`supergraph of ${SUBGRAPHS.length} subgraph(s) written to ${values.out}\n`);
    return 0;
  },
};
