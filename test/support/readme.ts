import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The README's example operations: each ```graphql block split into operations (one per top-level `{`, `query`, `mutation` or `subscription`), comments dropped. */
export function readmeOperations(): string[] {
  const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
  const blocks = [...readme.matchAll(/```graphql\n([\s\S]*?)```/g)].map((m) => m[1]);
  return blocks.flatMap((block) =>
    block
      .split(/\n(?=(?:\{|query |mutation |subscription )|# )/)
      .map((part) => part.replace(/^#.*$/gm, '').trim())
      .filter(Boolean),
  );
}
