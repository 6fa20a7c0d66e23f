import type { ChildProcess } from 'node:child_process';

/** Stops a child process (a server a suite started) with `signal` and waits for it to exit; nothing when it already has. */
export async function stopChild(child: ChildProcess | undefined, signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill(signal);
  await exited;
}
