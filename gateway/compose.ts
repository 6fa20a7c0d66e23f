import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildSubgraph, type BuiltSubgraph, type SubgraphDefinition } from '../resolvers/common/subgraph';

export interface Supergraph {
  supergraphSdl: string;
  /** Composition hints (not errors), printed: "[CODE] message". */
  hints: string[];
  subgraphs: BuiltSubgraph[];
}

/** Default URL of each subgraph served alone: accounts http://localhost:4001/graphql, then 4002, ... */
export function defaultSubgraphUrl(index: number): string {
  return `http://localhost:${4001 + index}/graphql`;
}

/**
 * Composes the supergraph locally from the subgraphs' own SDL (no introspection over the network).
 * `urls` go into the supergraph (join__graph) for Apollo Router or remote execution.
 *
 * A composition is kept on disk (PI_SUPERGRAPH_CACHE, by default a folder of the OS's temporary
 * directory), named by a hash of the subgraphs' names, SDL and URLs: the same subgraphs compose to
 * the same supergraph, and composing took ~0.5 s of each server start (a test run starts dozens).
 */
export async function composeSupergraph(
  definitions: readonly SubgraphDefinition[],
  urls: Record<string, string> = {},
): Promise<Supergraph> {
  const subgraphs = await Promise.all(definitions.map((d) => buildSubgraph(d)));
  const services = subgraphs.map((s, i) => ({ name: s.name, sdl: s.sdl, url: urls[s.name] ?? defaultSubgraphUrl(i) }));
  const cached = cacheFile(services);
  const composed = readCached(cached) ?? (await compose(subgraphs, services));
  if (!composed.fromCache) writeCached(cached, composed);
  return { supergraphSdl: composed.supergraphSdl, hints: composed.hints, subgraphs };
}

type Service = { name: string; sdl: string; url: string };
type Composition = { supergraphSdl: string; hints: string[]; fromCache?: boolean };

async function compose(subgraphs: BuiltSubgraph[], services: Service[]): Promise<Composition> {
  // Loaded only when composing: the library is a good part of what a server start loads.
  const { composeServices } = await import('@apollo/composition');
  const result = composeServices(subgraphs.map((s, i) => ({ name: s.name, typeDefs: s.typeDefs, url: services[i].url })));
  if (result.errors) {
    throw new Error(`supergraph composition failed:\n${result.errors.map((e) => `  - ${e.message}`).join('\n')}`);
  }
  return { supergraphSdl: result.supergraphSdl, hints: result.hints.map((h) => `[${h.definition.code}] ${h.message}`) };
}

function cacheFile(services: Service[]): string {
  const dir = process.env.PI_SUPERGRAPH_CACHE || join(tmpdir(), 'partner-insights-supergraphs');
  const key = createHash('sha256').update(JSON.stringify(services)).digest('hex').slice(0, 32);
  return join(dir, `${key}.json`);
}

/** The composition kept for these subgraphs, or undefined (none, or unreadable: composed again). */
function readCached(file: string): Composition | undefined {
  try {
    const { supergraphSdl, hints } = JSON.parse(readFileSync(file, 'utf8')) as Composition;
    if (typeof supergraphSdl === 'string' && Array.isArray(hints)) return { supergraphSdl, hints, fromCache: true };
  } catch {
    // not kept yet
  }
  return undefined;
}

/** Keeps a composition (written whole, then renamed: a reader never sees half a file); failing to is no error. */
function writeCached(file: string, { supergraphSdl, hints }: Composition): void {
  try {
    mkdirSync(join(file, '..'), { recursive: true });
    const partial = `${file}.${process.pid}.tmp`;
    writeFileSync(partial, JSON.stringify({ supergraphSdl, hints }));
    renameSync(partial, file);
  } catch {
    // a read-only temporary directory: compose every time
  }
}
