import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';

/**
 * Layers point one way (DESIGN.md, README "Architecture"): a folder may import only the folders
 * below it. etl and schema sit side by side above the warehouse and do not import each other.
 * bench/ and test/ may import anything and are not checked.
 */
const MAY_IMPORT: Record<string, readonly string[]> = {
  core: [],
  warehouse: ['core'],
  etl: ['core', 'warehouse'],
  schema: ['core', 'warehouse'],
  resolvers: ['core', 'warehouse', 'etl', 'schema'],
  gateway: ['core', 'warehouse', 'etl', 'schema', 'resolvers'],
  cli: ['core', 'warehouse', 'etl', 'schema', 'resolvers', 'gateway'],
};

/** Imports allowed against the rule, each with its reason. Keep it empty. */
const EXCEPTIONS: readonly string[] = [];

const ROOT = join(__dirname, '..', '..');
const IMPORT = /^\s*(?:import|export)\b[^'"]*?\bfrom\s*['"](\.[^'"]+)['"]|^\s*import\s*['"](\.[^'"]+)['"]|\brequire\(\s*['"](\.[^'"]+)['"]\s*\)|\bimport\(\s*['"](\.[^'"]+)['"]\s*\)/gm;

function sources(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Every relative import of the layered folders as "from -> to" (paths from the repository root). */
function crossLayerImports(): { from: string; to: string; fromLayer: string; toLayer: string }[] {
  const found = [];
  for (const layer of Object.keys(MAY_IMPORT)) {
    for (const file of sources(layer)) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const match of text.matchAll(IMPORT)) {
        const specifier = match[1] ?? match[2] ?? match[3] ?? match[4];
        const to = normalize(join(dirname(file), specifier));
        const toLayer = to.split('/')[0];
        if (toLayer !== layer) found.push({ from: file, to, fromLayer: layer, toLayer });
      }
    }
  }
  return found;
}

describe('layers', () => {
  const imports = crossLayerImports();

  it('finds the imports it checks (the scan is not blind)', () => {
    expect(imports.filter((i) => i.fromLayer === 'warehouse' && i.toLayer === 'core').length).toBeGreaterThan(50);
    expect(imports.filter((i) => i.fromLayer === 'gateway' && i.toLayer === 'resolvers').length).toBeGreaterThan(5);
  });

  it('no import runs up a layer', () => {
    const upward = imports
      .filter((i) => !MAY_IMPORT[i.fromLayer].includes(i.toLayer) && MAY_IMPORT[i.toLayer] !== undefined)
      .map((i) => `${relative('.', i.from)} -> ${i.to} (${i.fromLayer} may import ${MAY_IMPORT[i.fromLayer].join(', ') || 'nothing of the product'})`)
      .filter((line) => !EXCEPTIONS.some((e) => line.startsWith(e)));
    expect(upward).toEqual([]);
  });

  it('the layered folders import nothing from bench, test or generated code', () => {
    expect(imports.filter((i) => MAY_IMPORT[i.toLayer] === undefined).map((i) => `${i.from} -> ${i.to}`)).toEqual([]);
  });
});
