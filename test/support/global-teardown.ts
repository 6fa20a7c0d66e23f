import { rmSync } from 'node:fs';

/** Jest globalTeardown: removes the data sets directory of global-setup.ts. */
export default async function globalTeardown(): Promise<void> {
  const root = process.env.PI_TEST_DATA;
  if (root && /pi-test-data-/.test(root)) rmSync(root, { recursive: true, force: true });
  delete process.env.PI_TEST_DATA;
}
