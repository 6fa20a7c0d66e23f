import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';

/** The README's example operations must stay valid against the API schema (schema.graphql). */
describe('README example operations', () => {
  const root = join(__dirname, '..', '..');
  const schema = buildSchema(readFileSync(join(root, 'schema.graphql'), 'utf8'));
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
  // A block holds several operations, one per top-level `{`, `query` or `mutation`, separated by comments.
  const operations = blocks.flatMap((block) =>
    block
      .split(/\n(?=(?:\{|query |mutation )|# )/)
      .map((part) => part.replace(/^#.*$/gm, '').trim())
      .filter(Boolean),
  );

  it('has example operations', () => {
    expect(operations.length).toBeGreaterThan(15);
  });

  it.each(operations.map((op) => [op.slice(0, 70).replace(/\s+/g, ' '), op]))('%s', (_name, op) => {
    expect(validate(schema, parse(op)).map((e) => e.message)).toEqual([]);
  });
});
