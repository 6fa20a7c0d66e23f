import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildSchema, parse, validate } from 'graphql';
import { readmeOperations } from '../support/readme';

/** The README's example operations must stay valid against the API schema (schema.graphql). */
describe('README example operations', () => {
  const root = join(__dirname, '..', '..');
  const schema = buildSchema(readFileSync(join(root, 'schema.graphql'), 'utf8'));
  const operations = readmeOperations();

  it('has example operations', () => {
    expect(operations.length).toBeGreaterThan(15);
  });

  it.each(operations.map((op) => [op.slice(0, 70).replace(/\s+/g, ' '), op]))('%s', (_name, op) => {
    expect(validate(schema, parse(op)).map((e) => e.message)).toEqual([]);
  });
});
