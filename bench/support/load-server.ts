import { fork, type ChildProcess } from 'node:child_process';
import { loadAuthConfig } from '../../gateway/auth';
import { createLogger } from '../../gateway/logger';
import { startServer } from '../../gateway/server';
import { openWarehouse } from '../../warehouse/open';

/**
 * The server of `npm run bench:load`, in a process of its own so that its memory is measured alone:
 * the gateway (every subgraph in process, the product routes) on the warehouse file given as
 * argv[2], JWTs verified with PI_JWT_SECRET, as `npm start` serves it. It sends { type: 'ready', url } once listening and
 * stops on { type: 'close' }.
 */
type ServerMessage = { type: 'ready'; url: string } | { type: 'error'; message: string };

/** The parent's handle on the server process. */
export class LoadServer {
  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
  ) {}

  static async start(db: string, secret: string): Promise<LoadServer> {
    const child = fork(__filename, [db], {
      env: { ...process.env, PI_JWT_SECRET: secret, PI_LOG_LEVEL: process.env.PI_LOG_LEVEL || 'warn', APOLLO_TELEMETRY_DISABLED: 'true' },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const url = await new Promise<string>((resolveUrl, reject) => {
      const onExit = (code: number | null) => reject(new Error(`the server process exited (${code}) before listening`));
      child.once('exit', onExit);
      child.once('message', (m: ServerMessage) => {
        child.off('exit', onExit);
        if (m.type === 'ready') resolveUrl(m.url);
        else reject(new Error(`server process: ${m.message}`));
      });
    });
    return new LoadServer(child, url);
  }

  get pid(): number {
    return this.child.pid!;
  }

  get graphqlUrl(): string {
    return `${this.url}/graphql`;
  }

  /** Whether the process is still running (a crash under load is a finding). */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  async close(): Promise<void> {
    if (!this.alive) return;
    const exited = new Promise((r) => this.child.once('exit', r));
    this.child.send({ type: 'close' });
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 30_000);
    await exited;
    clearTimeout(timer);
  }
}

async function serve(): Promise<void> {
  const path = process.argv[2];
  const warehouse = await openWarehouse(path);
  // No owner file: a bench run must leave nothing beside the warehouse, even when killed.
  const server = await startServer({ warehouse, port: 0, host: '127.0.0.1', auth: loadAuthConfig(process.env), logger: createLogger(), ownerFile: false });
  process.on('message', async (m: { type: string }) => {
    if (m.type !== 'close') return;
    await server.close();
    warehouse.close();
    process.exit(0);
  });
  process.send!({ type: 'ready', url: server.url } satisfies ServerMessage);
}

if (require.main === module) {
  serve().catch((err) => {
    process.send?.({ type: 'error', message: String((err as Error).stack ?? err) } satisfies ServerMessage);
    process.exit(1);
  });
}
