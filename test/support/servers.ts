import { rmSync } from 'node:fs';
import type { RunningServer } from '../../gateway/server';
import type { Warehouse } from '../../warehouse/db';

/**
 * What a test environment with in-process servers undoes: stops its servers, closes its warehouse
 * (when it got that far) and removes its directory. Its close(), and its cleanup when starting failed.
 */
export async function stopEnv(servers: readonly RunningServer[], warehouse: Warehouse | undefined, dir: string): Promise<void> {
  for (const server of servers) await server.close();
  warehouse?.close();
  rmSync(dir, { recursive: true, force: true });
}
