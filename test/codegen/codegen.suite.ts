import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  Kind,
  buildSchema,
  parse,
  print,
  validate,
  visit as graphqlVisit,
  type ASTNode,
  type DocumentNode,
  type FragmentDefinitionNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from 'graphql';
import * as generated from '../../generated/graphql';
import { composeApiSchema, printApiSchema } from '../../operations/api-schema';

/**
 * The committed codegen output is not stale: schema.graphql is the API schema the gateway composes
 * today, every example operation validates against it, and generated/graphql.ts holds a typed
 * document for each of them, identical to the operation, and is exactly what `npm run codegen`
 * writes. When this fails: `npm run codegen` and commit the result.
 */
const ROOT = join(__dirname, '..', '..');
const OPERATIONS = join(ROOT, 'operations');
const operationFiles = readdirSync(OPERATIONS).filter((f) => f.endsWith('.graphql')).sort();

function operationsOf(file: string): { op: OperationDefinitionNode; fragments: FragmentDefinitionNode[] }[] {
  const document = parse(readFileSync(join(OPERATIONS, file), 'utf8'));
  const fragments = document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION);
  return document.definitions
    .filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)
    .map((op) => ({ op, fragments: fragmentsUsedBy(op, fragments) }));
}

/** The fragments an operation spreads, directly or through other fragments, in the file's order. */
function fragmentsUsedBy(op: OperationDefinitionNode, fragments: FragmentDefinitionNode[]): FragmentDefinitionNode[] {
  const used = new Set<string>();
  const visit = (node: ASTNode) =>
    void graphqlVisit(node, {
      FragmentSpread(spread) {
        if (used.has(spread.name.value)) return;
        used.add(spread.name.value);
        const fragment = fragments.find((f) => f.name.value === spread.name.value);
        if (fragment) visit(fragment);
      },
    });
  visit(op);
  return fragments.filter((f) => used.has(f.name.value));
}

let fresh: GraphQLSchema;
let committed: GraphQLSchema;
beforeAll(async () => {
  fresh = await composeApiSchema();
  committed = buildSchema(readFileSync(join(ROOT, 'schema.graphql'), 'utf8'));
});

describe('schema.graphql', () => {
  it('is the API schema of the supergraph composed now (run `npm run codegen` if not)', async () => {
    expect(readFileSync(join(ROOT, 'schema.graphql'), 'utf8')).toBe(await printApiSchema());
  });

  it('is what clients query: no federation machinery', () => {
    const sdl = readFileSync(join(ROOT, 'schema.graphql'), 'utf8');
    expect(sdl).not.toMatch(/join__|link__|_entities|_service|@key|@link/);
    expect(committed.getQueryType()?.getFields()).toHaveProperty('customers');
  });
});

describe('operations/*.graphql', () => {
  it('has the accounts operations', () => {
    expect(operationFiles).toContain('accounts.graphql');
    expect(operationsOf('accounts.graphql').map(({ op }) => op.name?.value)).toEqual(
      expect.arrayContaining(['PartnerWithLocations', 'CustomersPage', 'CustomerDetail']),
    );
  });

  it.each(operationFiles)('%s: every operation is named, unique and valid against schema.graphql and the fresh API schema', (file) => {
    const document = parse(readFileSync(join(OPERATIONS, file), 'utf8'));
    expect(validate(committed, document)).toEqual([]);
    expect(validate(fresh, document)).toEqual([]);
    for (const { op } of operationsOf(file)) expect(op.name?.value).toMatch(/^[A-Z]\w+$/);
  });

  it('operation names are unique over all files', () => {
    const names = operationFiles.flatMap((f) => operationsOf(f).map(({ op }) => op.name!.value));
    expect(new Set(names).size).toBe(names.length);
  });
});

describe('generated/graphql.ts', () => {
  it('has a typed document per operation, identical to the operation', () => {
    const documents = generated as unknown as Record<string, DocumentNode>;
    const expected = operationFiles.flatMap(operationsOf);
    for (const { op, fragments } of expected) {
      const doc = documents[`${op.name!.value}Document`];
      expect(doc).toBeDefined();
      expect(print(doc)).toBe(print({ kind: Kind.DOCUMENT, definitions: [op, ...fragments] }));
    }
    const exported = Object.keys(generated).filter((k) => k.endsWith('Document'));
    expect(exported.sort()).toEqual(expected.map(({ op }) => `${op.name!.value}Document`).sort());
  });

  it('is exactly what GraphQL Code Generator writes from codegen.yml now', async () => {
    // The real CLI and codegen.yml, in a scratch copy where dist/operations/codegen-schema.js (what
    // `npm run codegen` compiles) is replaced by the API schema composed from the sources now.
    const dir = mkdtempSync(join(tmpdir(), 'pi-codegen-'));
    try {
      mkdirSync(join(dir, 'dist', 'operations'), { recursive: true });
      mkdirSync(join(dir, 'operations'));
      copyFileSync(join(ROOT, 'codegen.yml'), join(dir, 'codegen.yml'));
      for (const file of operationFiles) copyFileSync(join(OPERATIONS, file), join(dir, 'operations', file));
      writeFileSync(join(dir, 'dist', 'operations', 'codegen-schema.js'), `exports.schema = ${JSON.stringify(await printApiSchema())};\n`);
      const cli = join(ROOT, 'node_modules', '@graphql-codegen', 'cli', 'esm', 'bin.js');
      const run = spawnSync(process.execPath, [cli, '--config', 'codegen.yml', '--silent'], {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, NODE_PATH: join(ROOT, 'node_modules') },
      });
      expect({ status: run.status, stderr: run.stderr }).toEqual({ status: 0, stderr: expect.any(String) });
      for (const output of ['schema.graphql', 'generated/graphql.ts']) {
        expect({ output, content: readFileSync(join(dir, output), 'utf8') }).toEqual({ output, content: readFileSync(join(ROOT, output), 'utf8') });
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
