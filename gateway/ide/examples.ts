import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Kind, parse, visit, type DefinitionNode, type DocumentNode } from 'graphql';

/**
 * The example operations the IDE opens with: taken, text and comments as written, from the
 * repository's example operations (operations/*.graphql, the ones `npm run codegen` types), so that
 * the IDE shows what the typed documents run. Each comes with the fragments it spreads.
 */
export interface IdeExample {
  /** The operation's name, e.g. "PartnerWithLocations". */
  name: string;
  /** The file it comes from, relative to the project, e.g. "operations/accounts.graphql". */
  file: string;
  /** The comment above the operation, without its "#" marks (one line per comment line). */
  description: string;
  /** The operation as written (its comment first), then the fragments it uses. */
  query: string;
  /** Variables as JSON text for the variables editor ("" for none). */
  variables: string;
}

/** What the IDE preloads: operations that answer with data on the demo warehouse for a Global admin. */
export const IDE_EXAMPLES: readonly { file: string; operation: string; variables?: Record<string, unknown> }[] = [
  { file: 'accounts.graphql', operation: 'PartnerWithLocations' },
  { file: 'accounts.graphql', operation: 'CustomersPage', variables: { first: 10 } },
  { file: 'subscriptions.graphql', operation: 'SubscriptionsPage', variables: { first: 10 } },
  { file: 'insights.graphql', operation: 'OverviewReport' },
];

/**
 * Reads IDE_EXAMPLES from `operationsDir`. An operation or file that is missing is an error: the
 * list above names what the repository holds (test/ide checks it).
 */
export function loadIdeExamples(operationsDir: string, examples = IDE_EXAMPLES): IdeExample[] {
  const documents = new Map<string, { source: string; document: DocumentNode }>();
  const documentOf = (file: string) => {
    let entry = documents.get(file);
    if (!entry) {
      const source = readFileSync(join(operationsDir, file), 'utf8');
      entry = { source, document: parse(source) };
      documents.set(file, entry);
    }
    return entry;
  };
  return examples.map(({ file, operation, variables }) => {
    const { source, document } = documentOf(file);
    const definitions = document.definitions;
    const op = definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && d.name?.value === operation);
    if (!op) throw new Error(`operations/${file} has no operation ${operation}`);
    const comment = leadingComment(source, op);
    const fragments = fragmentsUsedBy(op, definitions);
    const text = [textOf(source, op), ...fragments.map((f) => textOf(source, f))].join('\n\n');
    return {
      name: operation,
      file: `operations/${file}`,
      description: comment.map((line) => line.replace(/^#\s?/, '')).join('\n'),
      query: [...comment, text].join('\n') + '\n',
      variables: variables ? JSON.stringify(variables, null, 2) : '',
    };
  });
}

function textOf(source: string, node: DefinitionNode): string {
  return source.slice(node.loc!.start, node.loc!.end);
}

/** The "#" lines right above a definition (no blank line between). */
function leadingComment(source: string, node: DefinitionNode): string[] {
  const before = source.slice(0, node.loc!.start).split('\n');
  before.pop(); // the definition's own line, up to its start (empty)
  const lines: string[] = [];
  for (let i = before.length - 1; i >= 0 && before[i].trim().startsWith('#'); i--) lines.unshift(before[i].trim());
  return lines;
}

/** The fragments a definition spreads, directly or through other fragments, in file order. */
function fragmentsUsedBy(root: DefinitionNode, definitions: readonly DefinitionNode[]): DefinitionNode[] {
  const byName = new Map(definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const used = new Set<string>();
  const walk = (node: DefinitionNode) =>
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (used.has(name)) return;
        used.add(name);
        const fragment = byName.get(name);
        if (!fragment) throw new Error(`fragment ${name} is not defined next to the operation`);
        walk(fragment);
      },
    });
  walk(root);
  return definitions.filter((d) => d.kind === Kind.FRAGMENT_DEFINITION && used.has(d.name.value));
}
