import { generateDemoData } from '../../etl/generate';
import { generateInto, hashTree, removeDir } from './support';

/** Same seed and options: byte-identical files (manifest included); another seed: other data. */
describe('demo generator determinism', () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach(removeDir));

  it('writes byte-identical files for the same seed and different ones for another seed', async () => {
    const options = { customers: 40, months: 6, usageRows: 20_000 };
    const a = await generateInto('det-a', { seed: 11, ...options });
    const b = await generateInto('det-b', { seed: 11, ...options });
    const c = await generateInto('det-c', { seed: 12, ...options });
    dirs.push(a.dir, b.dir, c.dir);

    const ha = hashTree(a.dir);
    const hb = hashTree(b.dir);
    expect(ha.size).toBeGreaterThan(30);
    expect([...hb.keys()]).toEqual([...ha.keys()]);
    const differing = [...ha].filter(([path, hash]) => hb.get(path) !== hash).map(([path]) => path);
    expect(differing).toEqual([]);

    // Another seed: different partners, customers, lines (the file names change with invoice numbers).
    const hc = hashTree(c.dir);
    const same = [...hc].filter(([path, hash]) => ha.get(path) === hash).map(([path]) => path);
    expect(same).toEqual([]);
    expect(c.summary.partners[0].id).not.toEqual(a.summary.partners[0].id);
  });

  it('replaces an earlier run in the same directory instead of leaving its files behind', async () => {
    const options = { customers: 10, months: 3, usageRows: 2_000 };
    const first = await generateInto('rerun', { seed: 1, ...options });
    dirs.push(first.dir);
    const second = await generateDemoData({ out: first.dir, seed: 2, ...options });
    const written = new Set([...second.files.map((f) => f.path), 'manifest.json']);
    expect([...hashTree(first.dir).keys()].filter((p) => !written.has(p))).toEqual([]);
  });
});
