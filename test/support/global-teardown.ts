import { rmSync } from 'node:fs';
import { BUILDS, type TestDataGlobals } from './data-sets';

/** Jest globalTeardown: waits for the data set builds global-setup.ts started, then removes their directory. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as TestDataGlobals)[BUILDS];
  const root = process.env.PI_TEST_DATA;
  if (root && /pi-test-data-/.test(root)) rmSync(root, { recursive: true, force: true });
  delete process.env.PI_TEST_DATA;
}
