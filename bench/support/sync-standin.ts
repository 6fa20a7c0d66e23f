import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The stand-in of Microsoft's APIs for bench/sync.ts, in a child process of its own (so that its
 * data set and blob cache are not counted in the sync's memory): `node dist/stand-in/main.js
 * --size <size> --port 0`, whose stdout gives `# ...` comment lines, then the `PI_...=...` lines
 * that point partner-insights at it; it serves until SIGTERM.
 */
export class StandInProcess {
  private constructor(
    private readonly child: ChildProcess,
    /** PI_PC_* and PI_GRAPH_URL, as printed. */
    readonly env: Record<string, string>,
    /** Its `# ...` lines, without the '# '. */
    readonly comments: string[],
    readonly readyMs: number,
  ) {}

  /** The settings that must be printed before the stand-in counts as ready. */
  private static readonly REQUIRED = ['PI_PC_TENANT_ID', 'PI_PC_CLIENT_ID', 'PI_PC_LOGIN_URL', 'PI_PC_API_URL', 'PI_PC_REFERRALS_URL', 'PI_GRAPH_URL'];

  static async start(size: string, timeoutMs = 120_000): Promise<StandInProcess> {
    const started = Date.now();
    const main = join(__dirname, '..', '..', 'stand-in', 'main.js');
    const child = spawn(process.execPath, [main, '--size', size, '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
      if (stderr.length > 8000) stderr = stderr.slice(-8000);
    });
    const env: Record<string, string> = {};
    const comments: string[] = [];
    try {
      await new Promise<void>((resolve, reject) => {
        let buffered = '';
        const timer = setTimeout(() => reject(new Error(`the stand-in printed no settings within ${timeoutMs / 1000} s; stderr: ${stderr.slice(-2000)}`)), timeoutMs);
        const done = (err?: Error) => {
          clearTimeout(timer);
          child.off('exit', onExit);
          child.stdout!.off('data', onData);
          if (err) reject(err);
          else resolve();
        };
        const onExit = (code: number | null, signal: string | null) => done(new Error(`the stand-in exited (${code ?? signal}) before printing its settings; stderr: ${stderr.slice(-2000)}`));
        const onData = (chunk: Buffer) => {
          buffered += chunk.toString('utf8');
          let nl: number;
          while ((nl = buffered.indexOf('\n')) >= 0) {
            const line = buffered.slice(0, nl).trim();
            buffered = buffered.slice(nl + 1);
            if (line.startsWith('#')) comments.push(line.replace(/^#\s?/, ''));
            else {
              const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
              if (m) env[m[1]] = m[2];
            }
          }
          const secret = env.PI_PC_CLIENT_SECRET !== undefined || env.PI_PC_CLIENT_CERTIFICATE !== undefined;
          if (secret && StandInProcess.REQUIRED.every((k) => env[k] !== undefined)) done();
        };
        child.once('exit', onExit);
        child.stdout!.on('data', onData);
      });
    } catch (err) {
      child.kill('SIGKILL');
      throw err;
    }
    // Whatever it prints later is not read: keep the pipe drained.
    child.stdout!.resume();
    return new StandInProcess(child, env, comments, Date.now() - started);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The stand-in's peak resident memory so far (Linux /proc VmHWM), bytes; NaN where unknown. */
  peakRss(): number {
    try {
      const m = /VmHWM:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${this.child.pid}/status`, 'utf8'));
      return m ? Number(m[1]) * 1024 : NaN;
    } catch {
      return NaN;
    }
  }

  /** SIGTERM (it closes its server and exits), SIGKILL after 10 s. */
  async close(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise((resolve) => this.child.once('exit', resolve));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
